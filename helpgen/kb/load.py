"""Read a knowledge-base folder into the content model (helpgen.kb.model).

`load_kb(root)` never raises for content problems: it returns them as Problems (parse-time errors:
invalid YAML, non-UTF-8 or binary files, wrong field types). Semantic checks live in checks.py.
Every directory walk is sorted, so the same folder always gives the same KnowledgeBase.

Conventions (documented in docs/front-matter.md):
- the title falls back to the first `# heading`; the body is kept as written (heading included);
- `name.LANG.md` is the LANG translation of `name.md` when LANG is in helpgen.yml `languages`
  (the mkdocs-static-i18n suffix convention); default-language files have lang "";
- `description` (MkDocs/Docusaurus front matter) is read as `summary` when `summary` is absent.
"""
from __future__ import annotations

import dataclasses
import json
import posixpath
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

import yaml

from helpgen.charset import guess_encoding
from helpgen.config import Config, did_you_mean, load_config, yaml_error_line, yaml_with_lines
from helpgen.errors import ContentError, Problem
from helpgen.kb import markdown_compat as compat
from helpgen.kb.model import NOTICE_SEVERITIES, Article, Entry, GlossaryTerm, KnowledgeBase, Notice, Section

ARTICLE_FIELDS = (
    "id", "title", "level", "stage", "summary", "questions", "tags", "error_codes", "related",
    "updated", "review_after", "owner", "draft", "order", "discussion",
)
NOTICE_FIELDS = ("title", "severity", "affects", "since", "until")
MIGRATION_FIELDS = compat.DOCUSAURUS_FIELDS  # `description` is read as `summary` when there is none, etc.
HEADING_RE = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$")
FENCE_RE = re.compile(r"^[ \t]{0,3}(```|~~~)")
CHANGELOG_RE = re.compile(r"^##[ \t]+(\S+)[ \t]*(?:[-\u2013\u2014:][ \t]*)?(.*?)[ \t]*$")
IGNORED_TOP = ("tickets", ".helpgen")


class _Sink:
    """Collects parse-time problems."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, "error", message))

    def warning(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, "warning", message))


def load_kb(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Load the KB folder: articles, glossary, What's new, assets and overrides, with parse problems."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(f"no such folder, pass the knowledge-base folder (or create one: `helpgen init {root}`)", str(root))
    if not (root / "helpgen.yml").is_file() and not (root / "articles").is_dir():
        raise ContentError(
            f"not a knowledge base (no helpgen.yml and no articles/ folder), run `helpgen init {root}` to start one",
            str(root),
        )
    config = load_config(root)
    sink = _Sink()
    in_articles = files_under(root, "articles")
    articles = sorted(_load_articles(root, config, sink, in_articles), key=lambda a: (a.id, a.lang, a.source))
    assets = tuple(files_under(root, "assets") + compat.files_beside(in_articles))
    kb = KnowledgeBase(
        root=root,
        config=config,
        articles=tuple(articles),
        glossary=tuple(_load_glossaries(root, config, sink)),
        entries=tuple(_sort_entries(_load_changelogs(root, config, sink) + _load_whats_new(root, config, sink))),
        notices=tuple(sorted(_parse_folder(root, "notices", parse_notice, config, sink),
                             key=lambda n: (-n.since.toordinal(), n.id, n.lang))),
        assets=assets,
        overrides=tuple(files_under(root, "overrides")),
        sections=tuple(_load_sections(root, in_articles, sink)),
    )
    return kb, sorted(sink.problems)


def reload_articles(kb: KnowledgeBase, rels: Iterable[str]) -> tuple[KnowledgeBase, list[Problem]]:
    """`kb` with some of its article files read again (the live preview's quick path after an edit),
    plus those files' parse problems. An article whose file no longer parses is left out."""
    sink = _Sink()
    by_source = {a.source: a for a in kb.articles}
    for rel in rels:
        by_source.pop(rel, None)
        text = read_text(kb.root, rel, sink)
        if text is not None and (article := parse_article(rel, text, kb.config, sink)) is not None:
            by_source[rel] = article
    articles = sorted(by_source.values(), key=lambda a: (a.id, a.lang, a.source))
    return dataclasses.replace(kb, articles=tuple(articles)), sorted(sink.problems)


# --- files -----------------------------------------------------------------------------------

def files_under(root: Path, folder: str, suffix: str = "") -> list[str]:
    """Every file under root/folder (hidden ones skipped), as sorted posix paths relative to root."""
    base = root / folder
    if not base.is_dir():
        return []
    found = []
    for path in base.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts) and path.name.endswith(suffix):
            found.append(rel.as_posix())
    return sorted(found)


def read_text(root: Path, rel: str, sink: _Sink) -> str | None:
    """A file's UTF-8 text, or None with an error naming the encoding guess."""
    data = (root / rel).read_bytes()
    if b"\x00" in data[:8192]:
        sink.error(rel, 1, "binary file, not Markdown or YAML text; move it to assets/ or delete it")
        return None
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        sink.error(rel, line, f"not UTF-8 text (looks like {_guess_encoding(data)}), re-save the file as UTF-8")
        return None


def _guess_encoding(data: bytes) -> str:
    return guess_encoding(data) or "binary data"


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, 1-based line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None, text, 1  # no closing line: not front matter


def parse_front_matter(rel: str, text: str, sink: _Sink, all_lines: dict | None = None) -> tuple[dict | None, dict[str, int], str, int]:
    """(meta or None when invalid, key -> line, body, body line); `all_lines` gets every YAML path's line."""
    fm, body, body_line = split_front_matter(text)
    if fm is None:
        return {}, {}, body, body_line
    try:
        data, lines = yaml_with_lines(fm, depth=2)
    except yaml.YAMLError as exc:
        line, problem = yaml_error_line(exc, offset=1)
        sink.error(rel, line, f"invalid YAML in front matter: {problem}, fix the syntax")
        return None, {}, body, body_line
    if data is None:
        return {}, {}, body, body_line
    if not isinstance(data, dict):
        sink.error(rel, 2, "front matter must be `key: value` lines between the two `---` lines")
        return None, {}, body, body_line
    field_lines = {str(p[0]): n + 1 for p, n in lines.items() if len(p) == 1}
    if all_lines is not None:
        all_lines.update({p: n + 1 for p, n in lines.items()})
    return {str(k): v for k, v in data.items()}, field_lines, body, body_line


def first_heading(body: str) -> tuple[str, int]:
    """The text of the first `# heading` outside code fences and its 0-based line in body, or ("", -1)."""
    fenced = False
    for i, line in enumerate(body.split("\n")):
        if FENCE_RE.match(line):
            fenced = not fenced
        elif not fenced and (m := HEADING_RE.match(line)):
            return m.group(1).strip(), i
    return "", -1


def split_lang(name: str, config: Config) -> tuple[str, str]:
    """`track.zh` -> ("track", "zh") when zh is a configured language; default language -> ""."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix in config.all_languages:
        return stem, "" if suffix == config.language else suffix
    return name, ""


def slugify(text: str) -> str:
    """A file-name slug: `Reset your passcode!` -> `reset-your-passcode`."""
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-_")
    return slug[:80].strip("-") or "article"


# --- articles ----------------------------------------------------------------------------------

def _load_articles(root: Path, config: Config, sink: _Sink, files: list[str]) -> list[Article]:
    return _parse_folder(root, "articles", parse_article, config, sink, compat.MARKDOWN_SUFFIXES, files)


def _parse_folder(root: Path, folder: str, parse, config: Config, sink: _Sink, suffixes: tuple[str, ...] = (".md",),
                  files: list[str] | None = None) -> list:
    """Every Markdown file under `folder` (or of `files`) that reads and parses (problems go to `sink`)."""
    items = []
    for rel in (r for r in (files_under(root, folder) if files is None else files) if r.endswith(suffixes)):
        text = read_text(root, rel, sink)
        if text is not None and (item := parse(rel, text, config, sink)) is not None:
            items.append(item)
    return items


def parse_article(rel: str, text: str, config: Config, sink: _Sink) -> Article | None:
    """One article from its text; None when its front matter is unusable (an error is recorded)."""
    all_lines: dict = {}
    meta, lines, body, body_line = parse_front_matter(rel, text, sink, all_lines)
    if meta is None:
        return None
    _unknown_keys(rel, meta, lines, sink)
    f = _Fields(rel, meta, lines, sink, all_lines)
    path, lang = split_lang(compat.strip_suffix(rel[len("articles/"):]), config)
    _unknown_language(rel, path, config, sink)
    name = compat.route(path)  # Docusaurus number prefixes (`01-setup`) give the order, not the id
    body, converted = compat.convert(body)
    for index, message in converted:
        sink.warning(rel, body_line + index, message)
    title = f.text("title") or first_heading(body)[0] or f.text("sidebar_label")
    if name.lower() in ("index", "readme"):  # a docs folder's home page: the site has its own home page
        name = slugify(title) if title else "overview"
    summary = f.text("summary") or f.text("description")
    order = f.integer("order")
    if order is None and "order" not in meta:  # Docusaurus: sidebar_position, else the file's number prefix
        order = f.number("sidebar_position") if "sidebar_position" in meta else compat.number_prefix(path.rsplit("/", 1)[-1])[0]
    _docusaurus_tags(meta)
    return Article(
        id=f.text("id").strip("/") or name, source=rel, title=title, body=body, body_line=body_line,
        level=f.text("level") or None, stages=f.texts("stage"), summary=summary,
        questions=f.texts("questions"), tags=f.texts("tags"), error_codes=f.texts("error_codes"),
        related=f.texts("related"), updated=f.date("updated"), review_after=f.date("review_after"),
        owner=f.text("owner"), draft=f.flag("draft"), order=order, lang=lang, discussion=f.flag("discussion", True),
        field_lines=lines, routes=compat.doc_routes(rel[len("articles/"):], f.text("id"), f.text("slug")),
    )


def _load_sections(root: Path, files: list[str], sink: _Sink) -> list[Section]:
    """Folder labels and positions: Docusaurus `_category_.json`/`.yml` files and number prefixes
    of the folders of `files` (every file under articles/)."""
    found: dict[str, Section] = {}
    for rel in files:
        for i, part in enumerate(rel.split("/")[1:-1]):
            position, _ = compat.number_prefix(part)
            if position is not None:
                path = compat.route("/".join(rel.split("/")[1:i + 2]))
                found.setdefault(path, Section(path, position=position))
    for rel in files:
        name = rel.rsplit("/", 1)[-1]
        if name in compat.CATEGORY_FILES and (text := read_text(root, rel, sink)) is not None:
            path = compat.route(posixpath.dirname(rel).partition("/")[2])
            if (section := _parse_category(rel, text, path, sink)) is not None:
                prefix = found.get(path, Section(path))
                found[path] = replace(section, position=prefix.position if section.position is None else section.position)
    return [found[path] for path in sorted(found)]


def _parse_category(rel: str, text: str, path: str, sink: _Sink) -> Section | None:
    """`label` and `position` of one `_category_` file (its other settings are for Docusaurus's sidebar)."""
    lines: dict[str, int] = {}
    try:
        if rel.endswith(".json"):
            data = json.loads(text) if text.strip() else {}
        else:
            data, yaml_lines = yaml_with_lines(text)
            lines = {str(p[0]): n + 1 for p, n in yaml_lines.items() if len(p) == 1}
    except json.JSONDecodeError as exc:
        sink.error(rel, exc.lineno, f"invalid JSON: {exc.msg}, fix the syntax")
        return None
    except yaml.YAMLError as exc:
        line, problem = yaml_error_line(exc)
        sink.error(rel, line, f"invalid YAML: {problem}, fix the syntax")
        return None
    if data is None:
        return Section(path, source=rel)
    if not isinstance(data, dict):
        sink.error(rel, 1, "a `_category_` file holds the folder's settings, such as `label` and `position`")
        return None
    f = _Fields(rel, data, lines, sink)
    return Section(path, label=f.text("label"), position=f.number("position"), source=rel)


def _docusaurus_tags(meta: dict) -> None:
    """Docusaurus tags may be `{label: ..., permalink: ...}` mappings: keep their labels."""
    tags = meta.get("tags")
    if isinstance(tags, list):
        meta["tags"] = [t["label"] if isinstance(t, dict) and isinstance(t.get("label"), str) else t for t in tags]


def _unknown_keys(rel: str, meta: dict, lines: dict[str, int], sink: _Sink) -> None:
    """Warn about near misses of known keys (typos); other keys (from migrated sites) are ignored."""
    known = ARTICLE_FIELDS + MIGRATION_FIELDS
    for key in meta:
        if key not in known and (hint := did_you_mean(key, known, cutoff=0.75)):
            sink.warning(rel, lines.get(key, 1), f"unknown front-matter key `{key}`,{hint}")


def _unknown_language(rel: str, name: str, config: Config, sink: _Sink) -> None:
    """Warn about `name.xx.md` when `xx` looks like a language code but is not configured."""
    suffix = name.rpartition(".")[2] if "." in name.rsplit("/", 1)[-1] else ""
    if re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2,4})?", suffix) and suffix not in config.all_languages:
        sink.warning(rel, 1, f"`.{suffix}.md` looks like a translation but `{suffix}` is not in `languages` in helpgen.yml; add it there so this page is the `{suffix}` version of its article")


class _Fields:
    """Typed access to front-matter values; a wrong type is an error naming the field."""

    def __init__(self, rel: str, meta: dict, lines: dict[str, int], sink: _Sink, all_lines: dict | None = None) -> None:
        self.rel, self.meta, self.lines, self.sink = rel, meta, lines, sink
        self.all_lines = all_lines or {}

    def _bad(self, key: str, what: str) -> None:
        self.sink.error(self.rel, self.lines.get(key, 1), f"`{key}` must be {what}, got {_shown(self.meta[key])}")

    def text(self, key: str) -> str:
        value = self.meta.get(key)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self._bad(key, "text")
            return ""
        return str(value).strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None:
            return ()
        if isinstance(value, dict):
            self._bad(key, "text or a list of text values")
            return ()
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, (dict, list)) or item is None:
                line = self.all_lines.get((key, i), self.lines.get(key, 1))
                quote = "; put it in quotes when it contains `: `" if isinstance(item, dict) else ""
                self.sink.error(self.rel, line, f"`{key}` item {i + 1} must be text, got {_shown(item)}{quote}")
                return ()
        return tuple(str(v).strip() for v in items if str(v).strip())

    def date(self, key: str) -> date | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and (why := _impossible_date(value)):
            self.sink.error(self.rel, self.lines.get(key, 1), f"`{key}: {value}` is not a real date ({why}), "
                                                              "write it as YYYY-MM-DD such as 2025-01-31")
            return None
        self._bad(key, "a date such as 2025-01-31")
        return None

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.meta.get(key, default)
        if not isinstance(value, bool):
            self._bad(key, "true or false")
            return default
        return value

    def number(self, key: str) -> int | float | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self._bad(key, "a number")
            return None
        return value

    def integer(self, key: str) -> int | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._bad(key, "a whole number")
            return None
        return value


def _impossible_date(text: str) -> str:
    """Why a YYYY-MM-DD text is no day of the calendar (`month must be in 1..12`), "" when not that shape."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text.strip())
    if not m:
        return ""
    try:
        date(*map(int, m.groups()))
    except ValueError as exc:
        return str(exc)
    return ""


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


# --- glossary ----------------------------------------------------------------------------------

def _load_glossaries(root: Path, config: Config, sink: _Sink) -> list[GlossaryTerm]:
    terms: list[GlossaryTerm] = []
    seen: dict[tuple[str, str], str] = {}  # (lang, term casefolded) -> where it was defined first
    for path in sorted(root.glob("glossary*.yml")):
        name, lang = split_lang(path.name[: -len(".yml")], config)
        if name != "glossary":
            continue
        text = read_text(root, path.name, sink)
        for term in parse_glossary(path.name, text, lang, sink) if text is not None else ():
            first = seen.setdefault((lang, term.term.casefold()), f"{path.name}:{term.line}")
            if first != f"{path.name}:{term.line}":
                sink.warning(path.name, term.line, f"glossary term `{term.term}` is already defined at {first}, this one is ignored; keep one definition per term and language")
            else:
                terms.append(term)
    return terms


def parse_glossary(rel: str, text: str, lang: str, sink: _Sink) -> list[GlossaryTerm]:
    """Terms from a list of {term, definition, aliases} or a mapping term -> definition."""
    try:
        data, lines = yaml_with_lines(text)
    except yaml.YAMLError as exc:
        line, problem = yaml_error_line(exc)
        sink.error(rel, line, f"invalid YAML: {problem}, fix the syntax")
        return []
    if data is None:
        return []
    if isinstance(data, dict):
        items = [(lines.get((k,), 1), _term_item(k, v)) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(lines.get((i,), 1), v) for i, v in enumerate(data)]
    else:
        sink.error(rel, 1, "the glossary must be a list of `- term: ...` / `definition: ...` entries")
        return []
    return [t for line, item in items if (t := _term(rel, line, item, lang, sink)) is not None]


def _term_item(key: Any, value: Any) -> Any:
    if isinstance(value, dict):
        return {"term": key, **value}
    return {"term": key, "definition": value}


def _term(rel: str, line: int, item: Any, lang: str, sink: _Sink) -> GlossaryTerm | None:
    if not isinstance(item, dict) or not item.get("term") or not isinstance(item.get("term"), (str, int)):
        sink.error(rel, line, "glossary entry needs `term:` and `definition:`")
        return None
    term = str(item["term"]).strip()
    definition = item.get("definition")
    if not isinstance(definition, str) or not definition.strip():
        sink.error(rel, line, f"glossary term `{term}` has no definition, add `definition: ...`")
        return None
    aliases = item.get("aliases")
    if aliases is None:
        aliases = ()
    elif isinstance(aliases, str):
        aliases = (aliases,)
    elif isinstance(aliases, list) and all(isinstance(a, (str, int)) and not isinstance(a, bool) for a in aliases):
        aliases = tuple(str(a) for a in aliases)
    else:
        sink.error(rel, line, f"glossary term `{term}`: `aliases` must be a list of words such as "
                              f"`aliases: [PIN, passcode]`, got {_shown(aliases)}")
        return None
    return GlossaryTerm(term, definition.strip(), tuple(a.strip() for a in aliases if a.strip()), line, lang)


# --- What's new ----------------------------------------------------------------------------------

def _sort_entries(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (-e.date.toordinal(), e.lang, e.slug, e.source))


def _load_changelogs(root: Path, config: Config, sink: _Sink) -> list[Entry]:
    entries = []
    for path in sorted(root.glob("changelog*.md")):
        name, lang = split_lang(path.name[: -len(".md")], config)
        if name == "changelog" and (text := read_text(root, path.name, sink)) is not None:
            entries.extend(parse_changelog(path.name, text, lang, sink))
    return entries


def parse_changelog(rel: str, text: str, lang: str, sink: _Sink) -> list[Entry]:
    """`## YYYY-MM-DD Title` sections, each up to the next `## ` heading."""
    entries: list[Entry] = []
    current: dict | None = None
    for i, line in enumerate(text.split("\n"), start=1):
        if line.startswith("## "):
            _close(entries, current, rel, lang)
            current = _changelog_heading(rel, i, line, sink)
        elif current is not None:
            current["body"].append(line)
    _close(entries, current, rel, lang)
    return entries


def _changelog_heading(rel: str, line_no: int, line: str, sink: _Sink) -> dict | None:
    m = CHANGELOG_RE.match(line)
    try:
        day = date.fromisoformat(m.group(1)) if m else None
    except ValueError:
        day = None
    if day is None:
        sink.error(rel, line_no, f"heading `{line.strip()}` must start with a date, such as `## 2025-01-31 Dark mode`")
        return None
    title = m.group(2) or day.isoformat()
    return {"date": day, "title": title, "line": line_no, "body": []}


def _close(entries: list[Entry], current: dict | None, rel: str, lang: str) -> None:
    if current is not None:
        slug = f"{current['date'].isoformat()}-{slugify(current['title'])}"
        body = "\n".join(current["body"]).strip("\n") + "\n"
        entries.append(Entry(current["date"], current["title"], body, rel, current["line"], slug, lang))


def _load_whats_new(root: Path, config: Config, sink: _Sink) -> list[Entry]:
    return _parse_folder(root, "whats-new", parse_whats_new, config, sink)


def parse_whats_new(rel: str, text: str, config: Config, sink: _Sink) -> Entry | None:
    """One What's new entry: front matter `date` and `title` (or a first `# heading`)."""
    meta, lines, body, body_line = parse_front_matter(rel, text, sink)
    if meta is None:
        return None
    f = _Fields(rel, meta, lines, sink)
    title = f.text("title") or first_heading(body)[0]
    day = f.date("date")
    if "date" not in meta:
        sink.error(rel, 1, "missing date, add `date: 2025-01-31` to the front matter")
    if not title:
        sink.error(rel, 1, "missing title, add `title:` to the front matter or start with a `# heading`")
    if day is None or not title:
        return None
    slug, lang = split_lang(Path(rel).name[: -len(".md")], config)
    return Entry(day, title, body, rel, 1, slug, lang)


def parse_notice(rel: str, text: str, config: Config, sink: _Sink) -> Notice | None:
    """One notice: `title`, `severity`, `affects`, `since`, optional `until`, and a short body."""
    meta, lines, body, _ = parse_front_matter(rel, text, sink)
    if meta is None:
        return None
    f = _Fields(rel, meta, lines, sink)
    for key in meta:
        if key not in NOTICE_FIELDS:
            hint = did_you_mean(key, NOTICE_FIELDS) or f" use one of: {', '.join(NOTICE_FIELDS)}"
            sink.warning(rel, lines.get(key, 1), f"unknown notice key `{key}`,{hint}")
    title = f.text("title") or first_heading(body)[0]
    severity = f.text("severity") or "info"
    if severity not in NOTICE_SEVERITIES:
        sink.error(rel, lines.get("severity", 1),
                   f"`severity` is `{severity}`, use one of: {', '.join(NOTICE_SEVERITIES)}")
        return None
    since, until = f.date("since"), f.date("until")
    if "since" not in meta:
        sink.error(rel, 1, "missing `since`, add the date the problem started, such as `since: 2025-01-31`")
    if not title:
        sink.error(rel, 1, "missing title, add `title:` to the front matter")
    if since is None or not title:
        return None
    if until is not None and until < since:
        sink.error(rel, lines.get("until", 1), f"`until` ({until}) is before `since` ({since}); fix one of the dates")
        return None
    name, lang = split_lang(rel[len("notices/"):-len(".md")], config)
    return Notice(id=name, source=rel, title=title, severity=severity, affects=f.texts("affects"),
                  since=since, until=until, body=body.strip("\n") + "\n", lang=lang)
