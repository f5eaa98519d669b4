"""The helpgen.yml schema, as frozen dataclasses. Every key is documented in docs/config.md.

`load_config(kb_root)` reads KB/helpgen.yml (missing file = defaults) and validates it in one
pass, raising ConfigError listing every problem as `path:line: message` (unknown keys get a
"did you mean" hint).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from helpgen.errors import ConfigError, Problem, located


@dataclass(frozen=True)
class Stage:
    id: str
    label: str  # in the default language
    description: str = ""
    # per-language texts from `label: {en: ..., zh: ...}`; the plain fields hold the default language's
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False, metadata={"internal": True})
    descriptions: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False, metadata={"internal": True})

    def label_in(self, lang: str) -> str:
        """The label in `lang` (`zh-Hant` also finds `zh`), else the default one."""
        return _in_language(self.labels, lang) or self.label

    def description_in(self, lang: str) -> str:
        return _in_language(self.descriptions, lang) or self.description


def _in_language(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get(lang.split("-")[0].split("_")[0].lower(), "")


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("onboarding", "Getting started", "First steps: create your account and set things up.",
          labels={"zh": "入门上手"}, descriptions={"zh": "第一步：创建账户，完成设置。"}),
    Stage("using", "Everyday use", "Short task articles for the things you do every week.",
          labels={"zh": "日常使用"}, descriptions={"zh": "每周都会用到的操作，简短说明。"}),
    Stage("deepening", "Going further", "Advanced guides for power users.",
          labels={"zh": "深入使用"}, descriptions={"zh": "面向高级用户的进阶指南。"}),
    Stage("adapting", "Solving problems", "Errors, troubleshooting and the jargon explained.",
          labels={"zh": "解决问题"}, descriptions={"zh": "错误提示、故障排查和术语解释。"}),
    Stage("loyalty", "Staying up to date", "What's new, plans and your account.",
          labels={"zh": "持续关注"}, descriptions={"zh": "最新动态、套餐和您的账户。"}),
)


@dataclass(frozen=True)
class Search:
    """`search:` in helpgen.yml: a plain engine name, or a mapping of these keys."""

    engine: str = "auto"  # auto | lunr | pagefind
    # the home search box's hint, by language ("" = every language); default: taken from the KB
    placeholder: Mapping[str, str] = field(default_factory=dict)
    # groups of words or short phrases customers use for the same thing: an article that says one
    # of them is also found by the others (`synonyms: [[invoice, bill, receipt]]`)
    synonyms: tuple[tuple[str, ...], ...] = ()

    def placeholder_in(self, lang: str) -> str:
        return _in_language(self.placeholder, lang) or self.placeholder.get("", "")


CHANNEL_KINDS = ("email", "chat", "phone", "form", "community")


def text_in(texts: Mapping[str, str], lang: str, default: str = "") -> str:
    """A per-language text (`{"": default-language text, "zh": ...}`) in `lang`, else the default."""
    return _in_language(texts, lang) or texts.get("", "") or default


@dataclass(frozen=True)
class Channel:
    """One way to reach support (`support.channels` in helpgen.yml). Texts are by language: "" = the
    default language's (plain text in helpgen.yml), other keys from `{en: ..., zh: ...}` mappings."""

    name: Mapping[str, str] = field(default_factory=dict)  # {} = the kind's label in each language
    kind: str = "email"  # email | chat | phone | form | community
    address: str = ""  # an email address or a phone number
    url: str = ""
    hours: Mapping[str, str] = field(default_factory=dict)  # e.g. Mon–Fri 9:00–17:00
    time_zone: str = ""  # e.g. Europe/London
    response_time: Mapping[str, str] = field(default_factory=dict)  # the promise, as shown to customers
    response_hours: float | None = None  # the same promise in hours, checked by `helpgen coverage`
    line: int = field(default=0, metadata={"internal": True})  # line in helpgen.yml (0: from the old settings)

    def text(self, key: str, lang: str) -> str:
        return text_in(getattr(self, key), lang)

    @property
    def href(self) -> str:
        if self.url:
            return self.url
        if self.kind == "email" and self.address:
            return f"mailto:{self.address}"
        if self.kind == "phone" and self.address:
            return "tel:" + re.sub(r"[^\d+]", "", self.address)
        return ""


@dataclass(frozen=True)
class Support:
    email: str = ""
    url: str = ""
    response_time: str = "2 business days"  # the promise, as shown to customers (default language)
    response_hours: float = 48.0  # the same promise in hours, compared with real first-response times
    channels: tuple[Channel, ...] = ()
    covers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by language ("" = default)
    does_not_cover: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    languages: tuple[str, ...] = ()  # the languages support answers in, as shown (e.g. English, 中文)
    # per-language `response_time` texts from `response_time: {en: ..., zh: ...}`
    response_times: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False,
                                              metadata={"internal": True})

    def response_time_in(self, lang: str) -> str:
        return _in_language(self.response_times, lang) or self.response_time

    @property
    def all_channels(self) -> tuple[Channel, ...]:
        """`channels`, or the one channel the old `email`/`url`/`response_time` settings describe."""
        if self.channels:
            return self.channels
        if not (self.email or self.url):
            return ()
        texts = {"": self.response_time, **self.response_times}
        found = (Channel(kind="form", url=self.url, response_time=texts, response_hours=self.response_hours),)
        found = found if self.url else ()
        if self.email:
            found += (Channel(kind="email", address=self.email, response_time=texts,
                              response_hours=self.response_hours),)
        return found

    def lines(self, key: str, lang: str) -> tuple[str, ...]:
        """`covers` or `does_not_cover` in `lang` (else the default language's)."""
        texts = getattr(self, key)
        return _in_language(texts, lang) or texts.get("", ())


@dataclass(frozen=True)
class Discussion:
    """Discussion under articles (`discussion:` in helpgen.yml); off unless `provider` is set."""

    provider: str = ""  # "" (off) | giscus | link
    url: str = ""  # link: a URL pattern with {title}, {id}, {url}; e.g. a forum search for the title
    community: str = ""  # the community's home page, listed on the support page
    repo: str = ""  # giscus: owner/name of the GitHub repository
    repo_id: str = ""
    category: str = ""
    category_id: str = ""
    mapping: str = "pathname"


@dataclass(frozen=True)
class Feedback:
    """Where "Was this helpful?" goes. `url` may hold {id}, {title}, {url}, {rating} placeholders
    (mailto:, a form URL or an issue-tracker URL). `analytics` = a Material analytics provider
    (e.g. "google"); when set, Material's own feedback widget is used instead."""

    url: str = ""
    analytics: str = ""
    property: str = ""
    failed_searches: bool = False  # also send queries with no results to `url`


@dataclass(frozen=True)
class Tickets:
    """Ticket-log settings for `helpgen coverage`."""

    columns: Mapping[str, str] = field(default_factory=dict)  # helpgen field -> column in the export
    team_domains: tuple[str, ...] = ()  # email domains of the support team (mbox/eml readers)
    redact: tuple[str, ...] = ()  # extra regular expressions to redact


@dataclass(frozen=True)
class Learn:
    """`coverage.learn`: search terms learned from tickets (`helpgen coverage --learn`)."""

    min_tickets: int = 5  # a term is kept only when this many distinct tickets of the article use it


@dataclass(frozen=True)
class Coverage:
    """`helpgen coverage` settings. `model`: a sentence-transformers model name or folder (relative to the KB)
    for semantic matching (`pip install 'helpgen[semantic]'`), `auto` for the default model of the tickets'
    language; "" = lexical matching. `learn`: the settings of `--learn`."""

    model: str = ""
    learn: Learn = field(default_factory=Learn)


@dataclass(frozen=True)
class Config:
    name: str = "Help Centre"
    site_url: str = ""  # e.g. https://example.github.io/help/ (sub-paths work)
    language: str = "en"  # default language
    languages: tuple[str, ...] = ()  # all languages of the KB; () = just `language`
    logo: str = ""  # path relative to the KB root
    colors: Mapping[str, str] = field(default_factory=lambda: {"primary": "indigo", "accent": "indigo"})
    support: Support = field(default_factory=Support)
    stages: tuple[Stage, ...] = DEFAULT_STAGES
    feedback: Feedback = field(default_factory=Feedback)
    discussion: Discussion = field(default_factory=Discussion)
    offline: bool = False
    search: Search = field(default_factory=Search)  # `search: lunr` (a string) sets only the engine
    mkdocs: Mapping[str, Any] = field(default_factory=dict)  # extra mkdocs settings passed through
    tickets: Tickets = field(default_factory=Tickets)
    coverage: Coverage = field(default_factory=Coverage)
    source: str = field(default="helpgen.yml", metadata={"internal": True})  # where it was read from
    # line of each key in helpgen.yml, by dotted path ("support.email", "stages[1]"); for messages
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False, metadata={"internal": True})

    def __post_init__(self) -> None:
        if isinstance(self.search, str):  # replace(config, search="lunr") and the plain form
            object.__setattr__(self, "search", Search(engine=self.search))

    def line_of(self, path: str) -> int:
        """Line of a key in helpgen.yml, or 0 when it is not there (e.g. a default)."""
        return self.key_lines.get(path, 0)

    @property
    def stage_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stages)

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The default language first, then the others."""
        return (self.language,) + tuple(l for l in self.languages if l != self.language)


# ---------------------------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------------------------

CONFIG_FILE = "helpgen.yml"
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
STAGE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SEARCH_ENGINES = ("auto", "lunr", "pagefind")
Lines = dict[tuple, int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: same results, faster
    """safe_load, except that an impossible date (2026-02-30) stays text for the field check to report."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def yaml_with_lines(text: str, depth: int = 99) -> tuple[Any, Lines]:
    """Parse YAML with safe_load semantics, plus the 1-based line of every key and list item.

    Keys of the line map are paths: ("support", "email"), ("stages", 0, "id"); () is the document.
    `depth` limits how deep the map goes (front matter only needs keys and list items).
    Raises yaml.YAMLError (with problem_mark) on invalid YAML.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: Lines = {}
    if node is not None:
        _walk_lines(node, (), lines, depth)
    return data, lines


def _walk_lines(node: yaml.Node, path: tuple, lines: Lines, depth: int) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if len(path) >= depth:
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key_node.tag != "tag:yaml.org,2002:str":
                    key = _scalar(key_node)
                lines[path + (key,)] = key_node.start_mark.line + 1
                _walk_lines(value_node, path + (key,), lines, depth)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1
            _walk_lines(item, path + (i,), lines, depth)


def _scalar(node: yaml.ScalarNode) -> Any:
    """The value of a plain scalar key (`1:` is the int 1), its text when it is not a plain value."""
    try:
        return yaml.load(node.value, Loader=_Loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError):
        return node.value


def yaml_error_line(exc: yaml.YAMLError, offset: int = 0) -> tuple[int, str]:
    """The 1-based line and the short problem text of a YAML error."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + offset if mark is not None else 1 + offset
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return line, problem


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """' did you mean `x`?' for a near miss, else ''."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=cutoff)
    return f" did you mean `{close[0]}`?" if close else ""


class _Validator:
    """Collects every problem of one helpgen.yml in one pass."""

    def __init__(self, lines: Lines, source: str) -> None:
        self.lines, self.source, self.problems = lines, source, []

    def error(self, path: tuple, message: str) -> None:
        self.problems.append((self.lines.get(path, 1), message))

    def keys(self, data: Any, path: tuple, allowed: Iterable[str]) -> dict:
        """Check a mapping: report unknown keys (with a hint); return the known ones."""
        name = _dotted(path) or "helpgen.yml"
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.error(path, f"`{name}` must be a mapping of `key: value` lines")
            return {}
        allowed = list(allowed)
        known = {}
        for key, value in data.items():
            if key in allowed:
                known[key] = value
                continue
            where = f"`{_dotted(path)}`" if path else "helpgen.yml"
            hint = did_you_mean(key, allowed) or f" use one of: {', '.join(allowed)}"
            self.error(path + (key,), f"unknown key `{key}` in {where},{hint}")
        return known

    def string(self, data: dict, path: tuple, default: str) -> str:
        value = _get(data, path[-1], default)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.error(path, f"`{_dotted(path)}` must be text, got {_kind(value)}")
            return default
        return value

    def boolean(self, data: dict, path: tuple, default: bool) -> bool:
        value = _get(data, path[-1], default)
        if not isinstance(value, bool):
            self.error(path, f"`{_dotted(path)}` must be true or false, got {_kind(value)}")
            return default
        return value

    def number(self, data: dict, path: tuple, default: float) -> float:
        value = _get(data, path[-1], default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            self.error(path, f"`{_dotted(path)}` must be a positive number of hours, got {_kind(value)}")
            return default
        return float(value)

    def choice(self, data: dict, path: tuple, default: str, choices: Sequence[str]) -> str:
        value = _get(data, path[-1], default)
        if value not in choices:
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            self.error(path, f"`{_dotted(path)}` is `{value}`,{hint or ''} use one of: {', '.join(choices)}")
            return default
        return value

    def strings(self, data: dict, path: tuple, default: tuple[str, ...]) -> tuple[str, ...]:
        value = _get(data, path[-1], default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            self.error(path, f"`{_dotted(path)}` must be a list of text values")
            return default
        return tuple(value)

    def mapping(self, data: dict, path: tuple, default: Mapping) -> dict:
        value = _get(data, path[-1], default)
        if value is None:
            return dict(default)
        if not isinstance(value, dict):
            self.error(path, f"`{_dotted(path)}` must be a mapping of `key: value` lines, got {_kind(value)}")
            return dict(default)
        return dict(value)

    def text_mapping(self, data: dict, path: tuple, default: Mapping) -> dict:
        value = self.mapping(data, path, default)
        for key, item in value.items():
            if not isinstance(item, (str, int)) or isinstance(item, bool):
                self.error(path + (key,), f"`{_dotted(path + (key,))}` must be text, got {_kind(item)}")
        return {str(k): str(v) for k, v in value.items()}

    def localized(self, data: dict, path: tuple, default: str) -> dict[str, str]:
        """Text, or a mapping language -> text (`{en: Help, zh: 帮助}`). Returns {"": text} for plain
        text and {lang: text, ...} for a mapping (the loader adds "" for the default language)."""
        value = _get(data, path[-1], default)
        if not isinstance(value, dict):
            return {"": self.string(data, path, default)}
        out = {}
        for lang, text in value.items():
            if not self.language(lang, path + (lang,)):
                continue
            if isinstance(text, (str, int, float)) and not isinstance(text, bool):
                out[str(lang)] = str(text)
            else:
                self.error(path + (lang,), f"`{_dotted(path + (lang,))}` must be text, got {_kind(text)}")
        return out or {"": default}

    def language(self, value: Any, path: tuple) -> bool:
        if isinstance(value, str) and LANG_RE.match(value):
            return True
        self.error(path, f"`{_dotted(path)}` is `{value}`, use a language code such as en, zh or zh-Hant")
        return False


def _get(data: dict, key: str, default: Any) -> Any:
    value = data.get(key)
    return default if value is None else value


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f"`{value}`"


def _field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls) if not f.metadata.get("internal")]


def _support(v: _Validator, data: Any, language: str = "en") -> Support:
    d, p = v.keys(data, ("support",), _field_names(Support)), ("support",)
    email = v.string(d, p + ("email",), Support.email)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
        v.error(p + ("email",), f"`support.email` is `{email}`, use an email address such as help@example.com")
    response_time, response_times = _split(v.localized(d, p + ("response_time",), Support.response_time), language)
    return Support(
        email=email,
        url=v.string(d, p + ("url",), Support.url),
        response_time=response_time,
        response_hours=v.number(d, p + ("response_hours",), Support.response_hours),
        channels=_channels(v, d.get("channels"), language),
        covers=_line_lists(v, d, p + ("covers",)),
        does_not_cover=_line_lists(v, d, p + ("does_not_cover",)),
        languages=v.strings(d, p + ("languages",), ()),
        response_times=response_times,
    )


def _texts(v: _Validator, d: dict, path: tuple, default: str, language: str) -> dict[str, str]:
    """A localized value as {"": default-language text, lang: text, ...} ({} when absent and no default)."""
    if d.get(path[-1]) is None and not default:
        return {}
    text, per_lang = _split(v.localized(d, path, default), language)
    return {"": text, **per_lang}


def _channels(v: _Validator, data: Any, language: str) -> tuple[Channel, ...]:
    if data is None:
        return ()
    path = ("support", "channels")
    if not isinstance(data, list):
        v.error(path, "`support.channels` must be a list of `- name: ..., kind: email, address: ...` entries")
        return ()
    channels = []
    for i, item in enumerate(data):
        p = path + (i,)
        d = v.keys(item, p, [f.name for f in fields(Channel) if f.name != "line"])
        if not isinstance(item, dict):
            continue
        kind = v.choice(d, p + ("kind",), "email", CHANNEL_KINDS)
        name = _texts(v, d, p + ("name",), "", language)  # "" = the kind's own label, per language
        hours = d.get("response_hours")
        channels.append(Channel(
            name=name, kind=kind, address=v.string(d, p + ("address",), ""), url=v.string(d, p + ("url",), ""),
            hours=_texts(v, d, p + ("hours",), "", language), time_zone=v.string(d, p + ("time_zone",), ""),
            response_time=_texts(v, d, p + ("response_time",), "", language),
            response_hours=None if hours is None else v.number(d, p + ("response_hours",), 24.0),
            line=v.lines.get(p, 1)))
    return tuple(channels)


def _line_lists(v: _Validator, d: dict, path: tuple) -> dict[str, tuple[str, ...]]:
    """`covers: [line, ...]` or `covers: {en: [...], zh: [...]}` -> {"" or lang: lines}."""
    value = d.get(path[-1])
    if value is None:
        return {}
    if not isinstance(value, dict):
        return {"": v.strings(d, path, ())}
    out = {}
    for lang in value:
        if v.language(lang, path + (lang,)):
            out[str(lang)] = v.strings(value, path + (lang,), ())
    return out


def _discussion(v: _Validator, data: Any) -> Discussion:
    d, p = v.keys(data, ("discussion",), _field_names(Discussion)), ("discussion",)
    if not d:
        return Discussion()
    provider = v.choice(d, p + ("provider",), "", ("", "giscus", "link"))
    found = Discussion(provider=provider, **{k: v.string(d, p + (k,), getattr(Discussion, k))
                                             for k in ("url", "community", "repo", "repo_id", "category",
                                                       "category_id", "mapping")})
    needed = {"link": ("url",), "giscus": ("repo", "repo_id", "category", "category_id")}.get(provider, ())
    how = ("a pattern such as https://forum.example.com/search?q={title}" if provider == "link"
           else "add it (giscus.app shows the values for your repository)")
    for key in needed:
        if not getattr(found, key):
            separator = ", " if provider == "link" else "; "
            v.error(p + ("provider",), f"`discussion.provider: {provider}` needs `discussion.{key}`{separator}{how}")
    return found


def _site_url(v: _Validator, d: dict) -> str:
    url = v.string(d, ("site_url",), "")
    if url and not re.match(r"^https?://[^/\s]+", url):
        v.error(("site_url",), f"`site_url` is `{url}`, use a full URL such as https://example.github.io/help/")
        return ""
    return url


def _feedback(v: _Validator, data: Any) -> Feedback:
    d, p = v.keys(data, ("feedback",), _field_names(Feedback)), ("feedback",)
    return Feedback(
        url=v.string(d, p + ("url",), ""),
        analytics=v.string(d, p + ("analytics",), ""),
        property=v.string(d, p + ("property",), ""),
        failed_searches=v.boolean(d, p + ("failed_searches",), False),
    )


def _tickets(v: _Validator, data: Any) -> Tickets:
    d, p = v.keys(data, ("tickets",), _field_names(Tickets)), ("tickets",)
    redact = v.strings(d, p + ("redact",), ())
    for i, pattern in enumerate(redact):
        try:
            re.compile(pattern)
        except re.error as exc:
            v.error(p + ("redact", i), f"`tickets.redact` pattern `{pattern}` is not a valid regular expression: {exc}")
    return Tickets(
        columns=v.text_mapping(d, p + ("columns",), {}),
        team_domains=v.strings(d, p + ("team_domains",), ()),
        redact=redact,
    )


def _synonyms(v: _Validator, d: dict, p: tuple) -> tuple[tuple[str, ...], ...]:
    groups = d.get("synonyms")
    if groups is None:
        return ()
    if not isinstance(groups, list):
        v.error(p + ("synonyms",), "`search.synonyms` must be a list of groups, e.g. `- [invoice, bill]`")
        return ()
    out = []
    for i, group in enumerate(groups):
        words = [w.strip() for w in group if isinstance(w, str) and w.strip()] if isinstance(group, list) else []
        if not isinstance(group, list) or len(words) != len(group) or len(words) < 2:
            v.error(p + ("synonyms", i), f"`search.synonyms[{i}]` must list two or more words or phrases, "
                    "e.g. `- [invoice, bill]`")
            continue
        out.append(tuple(dict.fromkeys(words)))
    return tuple(out)


def _coverage(v: _Validator, data: Any) -> Coverage:
    d, p = v.keys(data, ("coverage",), _field_names(Coverage)), ("coverage",)
    model = v.string(d, p + ("model",), "").strip()
    if "\n" in model:
        v.error(p + ("model",), "`coverage.model` must be one model name or folder, such as all-MiniLM-L6-v2")
        model = ""
    learn = v.keys(d.get("learn"), p + ("learn",), _field_names(Learn))
    n = learn.get("min_tickets", Learn.min_tickets)
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        v.error(p + ("learn", "min_tickets"), f"`coverage.learn.min_tickets` must be a whole number of "
                f"tickets, 2 or more (default {Learn.min_tickets}), got {_kind(n)}")
        n = Learn.min_tickets
    return Coverage(model=model, learn=Learn(min_tickets=n))


def _stages(v: _Validator, data: Any, language: str) -> tuple[Stage, ...]:
    if data is None:
        return DEFAULT_STAGES
    if not isinstance(data, list) or not data:
        v.error(("stages",), "`stages` must be a list of `- id: ..., label: ..., description: ...` entries")
        return DEFAULT_STAGES
    stages, seen = [], set()
    for i, item in enumerate(data):
        path = ("stages", i)
        d = v.keys(item, path, _field_names(Stage))
        if not isinstance(item, dict):
            continue
        sid = d.get("id")
        if not isinstance(sid, str) or not STAGE_ID_RE.match(sid):
            v.error(path, f"`stages[{i}].id` must be a short lower-case id such as `getting-started`, got {_kind(sid)}")
            continue
        if sid in seen:
            v.error(path + ("id",), f"stage id `{sid}` is listed twice, give each stage its own id")
        seen.add(sid)
        label, labels = _split(v.localized(d, path + ("label",), sid.replace("-", " ").replace("_", " ").capitalize()), language)
        description, descriptions = _split(v.localized(d, path + ("description",), ""), language)
        stages.append(Stage(sid, label, description, labels=labels, descriptions=descriptions))
    return tuple(stages) or DEFAULT_STAGES


def _split(texts: dict[str, str], language: str) -> tuple[str, dict[str, str]]:
    """(default-language text, per-language texts) of a `localized` value: the plain text, else the
    default language's entry (`zh` also serves `zh-Hant`), else the first one given."""
    per_lang = {k: t for k, t in texts.items() if k}
    default = texts.get("") or _in_language(per_lang, language) or next(iter(per_lang.values()), "")
    return default, per_lang


def _search(v: _Validator, data: Any) -> Search:
    if not isinstance(data, dict):  # the plain form: `search: lunr`
        return Search(engine=v.choice({"search": data}, ("search",), "auto", SEARCH_ENGINES))
    d, p = v.keys(data, ("search",), _field_names(Search)), ("search",)
    placeholder = v.localized(d, p + ("placeholder",), "") if d.get("placeholder") is not None else {}
    return Search(engine=v.choice(d, p + ("engine",), "auto", SEARCH_ENGINES), placeholder=placeholder,
                  synonyms=_synonyms(v, d, p))


def _languages(v: _Validator, d: dict) -> tuple[str, tuple[str, ...]]:
    language = d.get("language", "en")
    if not v.language(language, ("language",)):
        language = "en"
    languages = v.strings(d, ("languages",), ())
    good = tuple(lang for i, lang in enumerate(languages) if v.language(lang, ("languages", i)))
    return language, good


def _build(v: _Validator, data: dict) -> Config:
    d = v.keys(data, (), _field_names(Config))
    language, languages = _languages(v, d)
    colors = v.text_mapping(d, ("colors",), Config().colors)
    return Config(
        name=v.string(d, ("name",), Config.name),
        site_url=_site_url(v, d),
        language=language,
        languages=languages,
        logo=v.string(d, ("logo",), ""),
        colors=colors,
        support=_support(v, d.get("support"), language),
        stages=_stages(v, d.get("stages"), language),
        feedback=_feedback(v, d.get("feedback")),
        discussion=_discussion(v, d.get("discussion")),
        offline=v.boolean(d, ("offline",), False),
        search=_search(v, d.get("search")),
        mkdocs=v.mapping(d, ("mkdocs",), {}),
        tickets=_tickets(v, d.get("tickets")),
        coverage=_coverage(v, d.get("coverage")),
    )


def parse_config(text: str, source: str = CONFIG_FILE) -> Config:
    """Validate helpgen.yml text in one pass; raise ConfigError listing every problem."""
    try:
        data, lines = yaml_with_lines(text)
    except yaml.YAMLError as exc:
        line, problem = yaml_error_line(exc)
        raise config_error(source, [(line, f"invalid YAML: {problem}, fix the syntax")]) from None
    v = _Validator(lines, source)
    config = _build(v, data if data is not None else {})
    if v.problems:
        raise config_error(source, sorted(v.problems))
    key_lines = {_dotted(path): line for path, line in lines.items() if path}
    return replace(config, source=source, key_lines=key_lines)


def config_error(source: str, problems: list[tuple[int, str]]) -> ConfigError:
    """One ConfigError for all problems: one line each, `source:line: message`."""
    if len(problems) == 1:
        error = ConfigError(problems[0][1], source, problems[0][0])
    else:
        error = ConfigError("\n".join(located(source, line, msg) for line, msg in problems))
    error.problems = [Problem(source, line, "error", msg) for line, msg in problems]
    return error


def load_config(kb_root: Path) -> Config:
    """Read KB/helpgen.yml (missing file = defaults); raise ConfigError listing every problem."""
    path = Path(kb_root) / CONFIG_FILE
    if not path.is_file():
        return Config()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text, save the file as UTF-8", CONFIG_FILE, 1) from None
    return parse_config(text, CONFIG_FILE)
