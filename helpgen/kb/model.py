"""The content model: what a knowledge-base folder means, with no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Mapping

from helpgen.config import Config
from helpgen.urls import page_url

LEVELS: tuple[str, ...] = ("beginner", "advanced", "troubleshooting")
UNSORTED = "unsorted"  # pseudo-stage of migrated pages that have no level/stage yet


@dataclass(frozen=True)
class Article:
    """One help article: front matter plus Markdown body."""

    id: str  # stable id; defaults to the path under articles/ without .md (and without .LANG)
    source: str  # path relative to the KB root, posix, e.g. "articles/account/change-your-email.md"
    title: str
    body: str  # Markdown after the front matter
    body_line: int  # 1-based line in `source` where `body` starts
    level: str | None = None  # None only for migrated pages (warned about)
    stages: tuple[str, ...] = ()
    summary: str = ""
    questions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    error_codes: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    updated: date | None = None
    review_after: date | None = None
    owner: str = ""
    draft: bool = False
    order: int | float | None = None  # `order`, or Docusaurus `sidebar_position` (may be 2.5)
    discussion: bool = True  # `discussion: false` hides the discussion block of this article
    lang: str = ""  # "" = the KB's default language; else the suffix of name.LANG.md
    field_lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> line in source
    routes: tuple[str, ...] = ()  # Docusaurus URLs of the page below /docs/ (kb/markdown_compat.doc_routes)

    @property
    def area(self) -> str:
        """The product area: the first folder of the id ("" at the top level)."""
        return self.id.rsplit("/", 1)[0].split("/", 1)[0] if "/" in self.id else ""

    @property
    def url(self) -> str:
        """URL relative to the (language) site root, with directory URLs: `account/change-your-email/`."""
        return page_url(f"{self.id}.md")

    @property
    def sorted_out(self) -> bool:
        """False for migrated pages still missing level or stage (they go under Unsorted)."""
        return bool(self.level and self.stages)

    def line_of(self, key: str) -> int:
        """Line of a front-matter key, or 1 when unknown."""
        return self.field_lines.get(key, 1)


@dataclass(frozen=True)
class Section:
    """A folder of articles with a label or position of its own: a Docusaurus `_category_.json` or
    `_category_.yml`, or a number prefix on the folder name (`02-guides` is at position 2)."""

    path: str  # the folder as article ids spell it: "guides", "guides/advanced"
    label: str = ""  # "" = made from the folder name
    position: int | float | None = None
    source: str = ""  # the `_category_` file, "" when there is none


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    line: int = 1
    lang: str = ""


@dataclass(frozen=True)
class Entry:
    """A dated What's new entry."""

    date: date
    title: str
    body: str
    source: str
    line: int = 1
    slug: str = ""
    lang: str = ""


NOTICE_SEVERITIES: tuple[str, ...] = ("info", "warning", "outage")


@dataclass(frozen=True)
class Notice:
    """A known issue or announcement (`notices/*.md`): shown as a banner while active."""

    id: str  # the file name without .md (and without .LANG)
    source: str
    title: str
    severity: str  # info | warning | outage
    affects: tuple[str, ...]  # article ids, folders (`area` or `area/`) or tags
    since: date
    until: date | None
    body: str
    line: int = 1
    lang: str = ""

    @property
    def anchor(self) -> str:
        """The notice's anchor on the known-issues page."""
        return "notice-" + ("".join(c if c.isalnum() else "-" for c in self.id.lower()).strip("-") or "1")

    def status(self, today: date) -> str:
        """`upcoming` before `since`, `active` from `since` through `until`, then `resolved`."""
        if today < self.since:
            return "upcoming"
        return "resolved" if self.until is not None and today > self.until else "active"

    def affects_article(self, article: "Article") -> bool:
        """True when one of `affects` names the article's id, one of its folders, or one of its tags."""
        folders = article.id.split("/")[:-1]
        prefixes = {"/".join(folders[:i]) for i in range(1, len(folders) + 1)}
        for target in self.affects:
            t = target.strip("/")
            if t == article.id or t in prefixes or target in article.tags:
                return True
        return False


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything loaded from a KB folder; built once, read by checks, site and coverage."""

    root: Path
    config: Config
    articles: tuple[Article, ...] = ()  # sorted by (id, lang); drafts included
    glossary: tuple[GlossaryTerm, ...] = ()
    entries: tuple[Entry, ...] = ()  # newest first
    notices: tuple[Notice, ...] = ()  # newest `since` first
    assets: tuple[str, ...] = ()  # under assets/, then other files under articles/ (images beside pages); posix
    overrides: tuple[str, ...] = ()  # files under KB/overrides/, relative to root
    sections: tuple[Section, ...] = ()  # folders with a label or position, sorted by path

    @property
    def published(self) -> tuple[Article, ...]:
        """Articles that go on the site: not drafts."""
        return tuple(a for a in self.articles if not a.draft)

    def in_language(self, lang: str = "") -> tuple[Article, ...]:
        """Published articles of one language ("" or the default language = default)."""
        lang = "" if lang in ("", self.config.language) else lang
        return tuple(a for a in self.published if a.lang == lang)

    def by_id(self, lang: str = "") -> dict[str, Article]:
        return {a.id: a for a in self.in_language(lang)}

    @cached_property
    def doc_routes(self) -> dict[str, str]:
        """Docusaurus route (below /docs/) -> source of the default-language page it leads to."""
        routes: dict[str, str] = {}
        for a in sorted(self.articles, key=lambda a: a.source):
            for route in a.routes if not a.lang else ():
                routes.setdefault(route, a.source)
        return routes

    def section(self, path: str) -> Section:
        """The label and position of the folder `path` (empty when it has none)."""
        return next((s for s in self.sections if s.path == path), Section(path))
