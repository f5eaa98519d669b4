"""Semantic checks of a loaded knowledge base: `check_kb(kb)` returns every problem, sorted.

Every message is listed, word for word, in docs/front-matter.md ("What `helpgen check` reports").
Parse-time problems (invalid YAML, encodings, field types) come from load.py.
"""
from __future__ import annotations

import os
import posixpath
import re
from datetime import date, datetime, timezone
from functools import cached_property
from typing import Iterable, Iterator
from urllib.parse import unquote

from markdown.extensions.toc import slugify as toc_slugify

from helpgen.config import did_you_mean
from helpgen.errors import Problem
from helpgen.kb.load import first_heading
from helpgen.kb.markdown_compat import doc_link_hint, find_doc_link
from helpgen.kb.promises import check_notices, check_support, missing_translations
from helpgen.kb.model import LEVELS, Article, KnowledgeBase
from helpgen.kb.stages import StageRoles, guess_level, stage_roles, trouble_vocabulary

MAX_TITLE = 70
LINK_RE = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
REF_DEF_RE = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*<?([^\s>]+)>?", re.M)
HTML_LINK_RE = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""")
INLINE_CODE_RE = re.compile(r"(`+).+?\1")
EXTERNAL_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|\{\{)")
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
FENCED_RE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\2[ \t]*$|\Z)", re.M | re.S)
ATTR_ID_RE = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
LINK_FINDERS = ((LINK_RE, "]("), (REF_DEF_RE, "]:"), (HTML_LINK_RE, "="))  # (regex, text it needs)
HTML_ID_RE = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")


def today_default() -> date:
    """The date of SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def check_kb(kb: KnowledgeBase, today: date | None = None, *, verbose: bool = False) -> list[Problem]:
    """Every semantic problem of the KB, sorted by (path, line).

    `verbose` adds one `info` per untranslated article (by default one `info` per language sums them up).
    """
    today = today or today_default()
    links = LinkResolver(kb)
    problems: list[Problem] = []
    guess = LevelGuess(kb)
    for article in kb.articles:
        problems.extend(check_article(kb, article, today, guess))
        problems.extend(links.check(article))
    problems.extend(_duplicates(kb))
    problems.extend(_error_code_owners(kb))
    problems.extend(_orphan_assets(kb, links))
    problems.extend(_empty_stages(kb))
    problems.extend(_missing_logo(kb))
    problems.extend(check_translations(kb, verbose=verbose))
    problems.extend(check_support(kb.config))
    problems.extend(check_notices(kb, today))
    if verbose:
        problems.extend(missing_translations(kb.config))
    problems.extend(_search_terms(kb))
    return sorted(problems)


def _search_terms(kb: KnowledgeBase) -> list[Problem]:
    """KB/search-terms.yml (`helpgen coverage --learn`): unknown article ids, terms too long."""
    from helpgen.kb.search_terms import article_key, check_search_terms

    return check_search_terms(kb.root, {article_key(a.id, a.lang, kb.config.language) for a in kb.articles})


def _error(article: Article, key: str, message: str, line: int | None = None) -> Problem:
    return Problem(article.source, line or article.line_of(key), "error", message)


def _warning(article: Article, key: str, message: str, line: int | None = None) -> Problem:
    return Problem(article.source, line or article.line_of(key), "warning", message)


class LevelGuess:
    """Level and stage to propose for a page that has neither (migrated docs): troubleshooting when its
    title or folder uses one of the KB's troubleshooting words (kb.stages.trouble_vocabulary), with the
    stage that holds troubleshooting articles; else beginner with the first stage."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    @cached_property
    def _learned(self) -> tuple[frozenset[str], StageRoles]:  # computed on the first unlabelled page only
        articles = self.kb.in_language("")
        return trouble_vocabulary(articles), stage_roles(self.kb.config, articles)

    def __call__(self, a: Article) -> tuple[str, str]:
        words, roles = self._learned
        level = guess_level(" ".join([a.title, *a.id.split("/")[:-1]]), words)
        stage = roles.start if level == "beginner" else roles.for_level(level)
        return level, stage or ""


def check_article(kb: KnowledgeBase, a: Article, today: date, guess: LevelGuess | None = None) -> Iterator[Problem]:
    """Problems of one article on its own: title, level, stage, summary, review date."""
    stages = kb.config.stage_ids
    if not a.title:
        yield _error(a, "title", "missing title, add `title:` to the front matter or start the page with a `# heading`")
    elif len(a.title) > MAX_TITLE:
        yield _warning(a, "title", f"title is {len(a.title)} characters long, shorten it to {MAX_TITLE} or fewer so it fits in search results", _title_line(a))
    if a.level is None and not a.stages:  # one warning, with a guess, for pages of migrated docs
        level, stage = (guess or LevelGuess(kb))(a)
        yield _warning(a, "level", f'no level or stage yet, the page goes under "Unsorted"; add e.g. `level: {level}` and `stage: {stage}`')
    elif a.level is None:
        yield _warning(a, "level", f'missing level, the page goes under "Unsorted"; add `level:` with one of: {", ".join(LEVELS)}')
    elif a.level not in LEVELS:
        yield _error(a, "level", f"invalid level `{a.level}`,{did_you_mean(a.level, LEVELS)} use one of: {', '.join(LEVELS)}")
    if not a.stages and a.level is not None:
        yield _warning(a, "stage", f'missing stage, the page goes under "Unsorted"; add `stage:` with one of: {", ".join(stages)}')
    for stage in a.stages:
        if stage not in stages:
            yield _error(a, "stage", f"invalid stage `{stage}`,{did_you_mean(stage, stages)} use one of: {', '.join(stages)}")
    if not a.summary:
        yield _warning(a, "summary", "missing summary, add `summary:` with one sentence for lists and the starter handbook")
    if a.review_after and a.review_after < today:
        yield _warning(a, "review_after", f"review date {a.review_after.isoformat()} has passed, check the article is still right and move `review_after` forward")


def _title_line(a: Article) -> int:
    if "title" in a.field_lines:
        return a.field_lines["title"]
    index = first_heading(a.body)[1]
    return a.body_line + index if index >= 0 else 1


def _duplicates(kb: KnowledgeBase) -> Iterator[Problem]:
    seen: dict[tuple[str, str], Article] = {}
    for a in sorted(kb.articles, key=lambda a: a.source):
        first = seen.setdefault((a.id, a.lang), a)
        if first is not a:
            yield _error(a, "id", f"duplicate id `{a.id}`, already used by {first.source}; give one of them another `id`")


def _error_code_owners(kb: KnowledgeBase) -> Iterator[Problem]:
    owners: dict[tuple[str, str], Article] = {}
    for a in sorted(kb.articles, key=lambda a: a.source):
        for code in dict.fromkeys(a.error_codes):
            first = owners.setdefault((code, a.lang), a)
            if first is not a:
                yield _error(a, "error_codes", f"error code `{code}` is already claimed by {first.source}; list each error code on one article only")


def _empty_stages(kb: KnowledgeBase) -> Iterator[Problem]:
    published = kb.in_language("")
    if published and not any(a.stages for a in published):
        return  # migrated docs: each page already has its own "no level or stage yet" warning
    for i, stage in enumerate(kb.config.stages):
        if not any(stage.id in a.stages for a in published):
            yield Problem("helpgen.yml", kb.config.line_of(f"stages[{i}]"), "warning", f"stage `{stage.id}` ({stage.label}) has no article yet, add `stage: {stage.id}` to an article or remove the stage from helpgen.yml")
    first = kb.config.stages[0].id if kb.config.stages else ""
    if first and not any(a.level == "beginner" and first in a.stages for a in published):
        yield Problem("articles", 0, "warning", f"no beginner article in the first stage `{first}`, so the home page has no getting-started questions; add one with `level: beginner` and `stage: {first}`")


def _missing_logo(kb: KnowledgeBase) -> Iterator[Problem]:
    logo = kb.config.logo
    if logo and not (kb.root / logo).is_file():
        yield Problem("helpgen.yml", kb.config.line_of("logo"), "warning", f"logo `{logo}` does not exist, put the image under assets/ and give its path relative to the KB folder")


def _orphan_assets(kb: KnowledgeBase, links: "LinkResolver") -> Iterator[Problem]:
    used = set(links.files_used)
    if kb.config.logo:
        used.add(posixpath.normpath(kb.config.logo.lstrip("/")))
    extra = [str(dict(kb.config.mkdocs))] + [_read(kb, rel) for rel in kb.overrides]
    for asset in kb.assets:
        if asset not in used and not any(asset in text for text in extra):
            yield Problem(asset, 0, "warning", "asset is not used by any article, link it from an article or delete it")


def _read(kb: KnowledgeBase, rel: str) -> str:
    try:
        return (kb.root / rel).read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return ""


# --- translations -----------------------------------------------------------------------------

def untranslated(kb: KnowledgeBase) -> dict[str, tuple[Article, ...]]:
    """For each non-default language: the published default-language articles it has no published translation of."""
    sources = tuple(kb.by_id("").values())  # one per id (a duplicate id is an error of its own)
    result = {}
    for lang in kb.config.all_languages[1:]:
        done = set(kb.by_id(lang))
        result[lang] = tuple(a for a in sources if a.id not in done)
    return result


def check_translations(kb: KnowledgeBase, verbose: bool = False) -> Iterator[Problem]:
    """Outdated translations and translations without a source (warnings); untranslated articles (info)."""
    default = kb.config.language
    sources: dict[str, Article] = {}
    for a in kb.articles:
        if not a.lang:
            sources.setdefault(a.id, a)
    for a in kb.articles:
        if a.lang and (problem := _translation_problem(a, sources.get(a.id), default)):
            yield problem
    total = len(kb.by_id(""))
    for lang, missing in untranslated(kb).items():
        if missing:
            yield Problem("articles", 0, "info", f"{len(missing)} of {total} articles are not translated to {lang} yet; {lang} readers get the {default} page with a note (`helpgen check --verbose` lists them)")
        for a in missing if verbose else ():
            yield Problem(a.source, 0, "info", f"not translated to {lang} yet; translate it as {translation_path(a.source, lang, default)}")


def _translation_problem(a: Article, source: Article | None, default: str) -> Problem | None:
    if source is None:
        return _warning(a, "id", f"translation has no {default} source: no {default} article has the id `{a.id}`; add it, or set `id:` to the id of its source (this page is built in {a.lang} only)")
    if source.updated and (a.updated is None or a.updated < source.updated):
        mine = f"updated {a.updated.isoformat()}" if a.updated else "has no `updated` date"
        return _warning(a, "updated", f"translation is older than its source ({a.lang} {mine}, {default} updated {source.updated.isoformat()}); update it and its `updated` date")
    return None


def translation_path(source: str, lang: str, default: str) -> str:
    """`articles/x.md` (or `articles/x.en.md`) -> `articles/x.zh.md`; `x.mdx` -> `x.zh.mdx`."""
    stem, suffix = source.rsplit(".", 1)
    return f"{stem.removesuffix('.' + default)}.{lang}.{suffix}"


# --- links, anchors and related articles ------------------------------------------------------

def mask_code(body: str) -> str:
    """The body with fenced code blocks and inline code blanked out (newlines kept, so lines stay)."""
    if "`" not in body and "~~~" not in body:
        return body
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731
    body = FENCED_RE.sub(blank, body)
    return INLINE_CODE_RE.sub(blank, body) if "`" in body else body


def iter_links(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line in body, target) for every Markdown/HTML link and image outside code, in order."""
    text = mask_code(body)
    regexes = [rx for rx, needle in LINK_FINDERS if needle in text]
    found = sorted((m.start(), m.group(1)) for regex in regexes for m in regex.finditer(text))
    line, pos = 0, 0
    for start, target in found:
        line += text.count("\n", pos, start)
        pos = start
        yield line, target


def anchors_of(body: str) -> set[str]:
    """Heading ids as Python-Markdown's toc makes them (with _1 suffixes), attr_list ids, HTML ids."""
    text = mask_code(body)
    found: set[str] = set(HTML_ID_RE.findall(text)) if ("id=" in text or "name=" in text or "id =" in text) else set()
    for m in HEADING_RE.finditer(text):
        heading = m.group(2)
        if attr := ATTR_ID_RE.search(heading):
            found.add(attr.group(1))
        else:
            found.add(_unique(toc_slugify(_plain(heading), "-"), found))
    return found


def _plain(text: str) -> str:
    if not any(c in text for c in "[*`<"):
        return text
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*`]|<[^>]+>", "", text)


def _unique(slug: str, found: set[str]) -> str:
    candidate, n = slug, 0
    while candidate in found:
        n += 1
        candidate = f"{slug}_{n}"
    return candidate


class LinkResolver:
    """Resolves links and `related` ids; remembers which files were linked (for orphan assets)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.by_source = {a.source: a for a in kb.articles}
        self.ids = sorted({a.id for a in kb.articles})
        self.files = set(kb.assets)
        self.files_used: set[str] = set()
        self._anchors: dict[str, set[str]] = {}
        for entry in kb.entries:
            self._scan(entry.source, entry.body, entry.line)

    def check(self, a: Article) -> Iterator[Problem]:
        yield from self._related(a)
        yield from self._scan(a.source, a.body, a.body_line, a)

    def _related(self, a: Article) -> Iterator[Problem]:
        for rel in a.related:
            target = re.sub(r"\.md$", "", rel.strip("/")).removeprefix("articles/")
            if target not in self.ids:
                hint = did_you_mean(target, self.ids) or " use an article id (its path under articles/ without .md)"
                yield _warning(a, "related", f"related article `{rel}` does not exist,{hint}")

    def _scan(self, source: str, body: str, body_line: int, a: Article | None = None) -> list[Problem]:
        problems = []
        for index, target in iter_links(body):
            message = self._resolve(source, target)
            if message and a is not None:
                problems.append(_warning(a, "", message, body_line + index))
        return problems

    def resolve(self, source: str, target: str) -> str | None:
        """The KB-relative path (article source or file) that a link in `source` points to.

        None for external links and links to nothing. Also resolves the styles of migrated sites:
        without `.md`, directory URLs (`page/`) and absolute from the docs root (`/area/page`).
        """
        if EXTERNAL_RE.match(target):
            return None
        path = unquote(target).partition("#")[0].split("?", 1)[0]
        if not path:
            return source
        for candidate in self._candidates(source, path):
            if candidate in self.by_source:
                return candidate
            if candidate in self.files or (candidate.startswith("articles/") and (self.kb.root / candidate).is_file()):
                return candidate
        return find_doc_link(path, source, self.kb.doc_routes, self.files)  # Docusaurus: /docs/..., ./setup

    def _resolve(self, source: str, target: str) -> str:
        """'' when the link works, else the warning text."""
        if EXTERNAL_RE.match(target):
            return ""
        found = self.resolve(source, target)
        if found is None:
            hint = doc_link_hint(target, self.kb.doc_routes)
            return f"link `{target}` points to nothing,{hint} fix the path (relative to this file) or link an existing article"
        if found not in self.by_source:
            self.files_used.add(found)
            return ""
        return self._anchor(found, unquote(target).partition("#")[2], target)

    def _candidates(self, source: str, path: str) -> Iterable[str]:
        if path.startswith("/"):
            bases = [posixpath.normpath("articles/" + path.lstrip("/")), posixpath.normpath(path.lstrip("/"))]
        else:
            bases = [posixpath.normpath(posixpath.join(posixpath.dirname(source), path))]
        for base in bases:
            if base.startswith(".."):
                continue
            yield base
            if not base.endswith(".md"):
                yield base + ".md"
                yield base + "/index.md"
                yield base + "/README.md"

    def _anchor(self, source: str, anchor: str, target: str) -> str:
        if not anchor or source not in self.by_source:
            return ""
        if source not in self._anchors:
            self._anchors[source] = anchors_of(self.by_source[source].body)
        if anchor in self._anchors[source]:
            return ""
        return f"link `{target}` points to a missing anchor `#{anchor}`, use the id of a heading in {source}"
