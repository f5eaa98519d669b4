"""One language's view of a knowledge base, as the site builder sees it."""
from __future__ import annotations

import posixpath
from datetime import date
from dataclasses import dataclass, field
from functools import cached_property

from helpgen.config import Stage
from helpgen.kb.checks import today_default
from helpgen.kb.model import LEVELS, Article, Entry, GlossaryTerm, KnowledgeBase, Notice
from helpgen.kb.stages import StageRoles, stage_roles
from helpgen.site import i18n
from helpgen.site.catalogue import notices_in
from helpgen.urls import page_url

# Generated pages (paths inside docs/). Article ids may not start with these names.
HOME = "index.md"
HANDBOOK = "starter-handbook.md"
ADVANCED = "advanced-guide.md"
TROUBLESHOOTING = "troubleshooting-index.md"
ERRORS = "error-codes.md"
GLOSSARY = "glossary.md"
WHATS_NEW = "whats-new.md"
UNSORTED_PAGE = "unsorted.md"
SUPPORT = "support.md"
KNOWN_ISSUES = "known-issues.md"
RESERVED = frozenset({"index", "starter-handbook", "advanced-guide", "troubleshooting-index", "error-codes",
                      "glossary", "whats-new", "unsorted", "stages", "levels", "assets", "search",
                      "insights", "404", "sitemap.xml", "feed.xml", "support", "known-issues",
                      "notices.json", "widget-demo"})


def stage_doc(stage_id: str) -> str:
    return f"stages/{stage_id}.md"


def level_doc(level: str) -> str:
    return f"levels/{level}.md"


def article_doc(article: Article) -> str:
    return f"{article.id}.md"


def sort_key(article: Article) -> tuple:
    """Writers' `order` first (missing = last), then title, then id."""
    return (article.order is None, article.order or 0, article.title.casefold(), article.id)


@dataclass(frozen=True)
class View:
    kb: KnowledgeBase
    lang: str  # a language code of config.all_languages
    directory_urls: bool = True
    fallback_ids: frozenset[str] = field(default=frozenset())
    today: date = field(default_factory=today_default)  # decides which notices are active

    @cached_property
    def notices(self) -> tuple[Notice, ...]:
        """Every notice in this language (an untranslated one in the default language), newest first."""
        return tuple(notices_in(self.kb, self.lang))

    @cached_property
    def active_notices(self) -> tuple[Notice, ...]:
        """Notices to show as banners today: outages first, then warnings, then the rest."""
        order = {"outage": 0, "warning": 1, "info": 2}
        active = [n for n in self.notices if n.status(self.today) == "active"]
        return tuple(sorted(active, key=lambda n: (order.get(n.severity, 3), -n.since.toordinal(), n.id)))

    @cached_property
    def articles(self) -> tuple[Article, ...]:
        """Published articles of this language; untranslated ones fall back to the default language."""
        own = {a.id: a for a in self.kb.in_language(self.lang)}
        if self.lang != self.kb.config.language:
            for a in self.kb.in_language(""):
                own.setdefault(a.id, a)
        return tuple(sorted(own.values(), key=lambda a: a.id))

    @cached_property
    def by_id(self) -> dict[str, Article]:
        """This language's articles by id (built once: looked up for every article's related links)."""
        return {a.id: a for a in self.articles}

    def is_fallback(self, article: Article) -> bool:
        return self.lang != self.kb.config.language and article.lang != self.lang

    @cached_property
    def sorted_out(self) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.sorted_out)

    @cached_property
    def unsorted(self) -> tuple[Article, ...]:
        return tuple(sorted((a for a in self.articles if not a.sorted_out), key=sort_key))

    @property
    def labels(self) -> dict[str, str]:
        return i18n.labels(self.lang)

    def level_label(self, level: str) -> str:
        return i18n.level_label(level, self.lang)

    def stage_label(self, stage_id: str) -> str:
        return next((s.label_in(self.lang) for s in self.kb.config.stages if s.id == stage_id), stage_id)

    def stage_text(self, stage: Stage) -> tuple[str, str]:
        """(label, description) of a stage in this language."""
        return stage.label_in(self.lang), stage.description_in(self.lang)

    @cached_property
    def roles(self) -> StageRoles:
        """Stage roles (start, troubleshooting, ...), from the default language's articles: the same in
        every language of the site."""
        return stage_roles(self.kb.config, self.kb.in_language(""))

    def in_stage(self, stage_id: str) -> list[Article]:
        return sorted((a for a in self.sorted_out if stage_id in a.stages), key=sort_key)

    def at_level(self, level: str) -> list[Article]:
        return sorted((a for a in self.sorted_out if a.level == level), key=sort_key)

    def stage_rank(self, article: Article) -> int:
        ids = self.kb.config.stage_ids
        return min((ids.index(s) for s in article.stages if s in ids), default=len(ids))

    @property
    def levels(self) -> tuple[str, ...]:
        return LEVELS

    @property
    def glossary(self) -> tuple[GlossaryTerm, ...]:
        own = [t for t in self.kb.glossary if t.lang == self._lang_key]
        return tuple(own or [t for t in self.kb.glossary if t.lang == ""])

    @property
    def entries(self) -> tuple[Entry, ...]:
        own = [e for e in self.kb.entries if e.lang == self._lang_key]
        return tuple(own or [e for e in self.kb.entries if e.lang == ""])

    @property
    def _lang_key(self) -> str:
        return "" if self.lang == self.kb.config.language else self.lang

    def url(self, docs_path: str) -> str:
        """URL of a docs file relative to this language's root (for page meta and the `url` filter)."""
        return page_url(docs_path, self.directory_urls)


def rel(from_doc: str, to_doc: str) -> str:
    """A Markdown link from one docs file to another (MkDocs turns it into the right URL)."""
    return relpath(to_doc, posixpath.dirname(from_doc))


def relpath(target: str, start_dir: str) -> str:
    """posixpath.relpath for clean relative paths, without its getcwd() calls (hot in big builds)."""
    t = [p for p in target.split("/") if p and p != "."]
    f = [p for p in start_dir.split("/") if p and p != "."]
    i = 0
    while i < len(f) and i < len(t) and f[i] == t[i]:
        i += 1
    return "/".join([".."] * (len(f) - i) + t[i:]) or "."
