"""The live site of `helpgen serve`: a full build that keeps MkDocs' state in memory (config, files,
navigation, theme environment, search entries per page), then incremental updates.

An edit that only changes the content of existing articles (body, summary, questions, tags, error
codes, dates, owner) re-renders only the docs pages whose generated Markdown changed: the edited
articles, and the generated pages that list them when their text changed (home, stage and level
pages, handbook, advanced guide, error index). Their search entries are spliced into the search
index in place, then the same post-build steps as a full build run (helpgen's search index,
Pagefind, articles.json / errors.json). Anything else (a new, deleted or moved article, a changed
title, level, stage, order, draft or id, helpgen.yml, the glossary, notices, What's new, assets,
templates) rebuilds the whole site. Either way the folder equals what `helpgen build` writes.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpgen.errors import BuildError, Problem
from helpgen.kb.model import Article, KnowledgeBase
from helpgen.kb.problems import open_kb, refresh_kb
from helpgen.search import pagefind_index, site_index
from helpgen.site import build as site_build
from helpgen.site.view import View, article_doc
from helpgen.urls import lang_prefix

ARTICLES = "articles/"
IGNORED = (".helpgen", ".git")  # folders of the KB whose changes never touch the site
# Article fields that only show on the article's own page and in lists of it: editing them is
# an incremental update. Every other field shapes the navigation or other pages.
CONTENT_FIELDS = {"body": "", "body_line": 0, "field_lines": {}, "summary": "", "questions": (), "tags": (),
                  "error_codes": (), "updated": None, "review_after": None, "owner": "", "discussion": True}


class NeedsFullBuild(Exception):
    """An update turned out to change more than its own pages."""


@dataclass
class Session:
    """One language's MkDocs build kept alive."""

    staged: site_build.Staged
    texts: dict[str, str] = field(default_factory=dict)  # docs path -> generated Markdown
    config: Any = None
    files: Any = None
    nav: Any = None
    env: Any = None
    counts: dict[str, int] = field(default_factory=dict)  # docs path -> its search entries, in build order
    index: dict | None = None  # helpgen's search_index.json as written, when it can be patched page by page
    parts: dict[str, list] = field(default_factory=dict)  # docs path -> its entries in `index`
    generated: set[str] = field(default_factory=set)  # docs paths of the generated pages

    @property
    def search(self) -> Any:
        """Material's search plugin of this build (None when a KB turned search off)."""
        return next((p for p in self.config.plugins.values() if hasattr(p, "search_index")), None)

    search_index: Any = None  # this language's index: MkDocs shares one plugin object between builds

    @property
    def entries(self) -> list:
        index = self.search_index
        if index is None and self.search is not None:  # during the full build
            index = getattr(self.search, "search_index", None)
        return index.entries if index is not None else []

    def activate(self) -> None:
        """Point the (shared) search plugin at this language's index before rendering its pages."""
        if self.search is not None and self.search_index is not None:
            self.search.search_index = self.search_index


class _Recorder:
    """An MkDocs plugin object that keeps what an incremental update needs."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.last = 0
        self.recording = True  # until the full build ends: incremental renders keep their own count

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> None:
        self.session.nav, self.session.files = nav, files

    def on_env(self, env: Any, *, config: Any, files: Any) -> None:
        self.session.env = env

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> None:
        if not self.recording:
            return
        self.session.config = config  # the search plugin has added the page's entries by now
        end = len(self.session.entries)
        self.session.counts[page.file.src_uri] = end - self.last
        self.last = end

    def on_post_build(self, *, config: Any) -> None:
        self.session.config = config
        if self.recording and self.session.search is not None:
            self.session.search_index = getattr(self.session.search, "search_index", None)
        self.recording = False


@dataclass
class Update:
    """What one call of `LiveSite.update` did."""

    kind: str  # "none", "incremental" or "full"
    pages: list[str] = field(default_factory=list)  # docs paths re-rendered (incremental)
    warnings: list[Problem] = field(default_factory=list)


class LiveSite:
    """The site of one KB in `site_dir`, kept up to date by `update()` (not thread-safe: one caller)."""

    def __init__(self, kb_root: Path, site_dir: Path) -> None:
        self.root = Path(kb_root).resolve()
        self.site_dir = Path(site_dir)
        self.stage = Path(tempfile.mkdtemp(prefix="helpgen-live-"))
        self.kb: KnowledgeBase | None = None
        self.sessions: dict[str, Session] = {}
        self.snapshot: dict[str, tuple[int, int]] = {}
        self._pending: threading.Thread | None = None  # the background Pagefind run
        self._dirty = False  # the site changed since that run started
        self._cancelled = False  # an edit stopped that run
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._failed: BuildError | None = None
        self._rebuilt = False

    def close(self) -> None:
        try:
            self.wait()
        except BuildError:
            pass
        shutil.rmtree(self.stage, ignore_errors=True)

    # -- what changed on disk ---------------------------------------------------------------

    def scan(self) -> dict[str, tuple[int, int]]:
        """KB path -> (mtime_ns, size) of every file that can change the site."""
        found = {}
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not (folder == str(self.root) and d in IGNORED))
            for name in names:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                found[os.path.relpath(path, self.root).replace(os.sep, "/")] = (st.st_mtime_ns, st.st_size)
        return found

    # -- builds -----------------------------------------------------------------------------

    def build(self, progress: site_build.Progress | None = None) -> Update:
        """A full build from the KB on disk (errors raise; the site folder may then be half built)."""
        self.wait()
        snapshot = self.scan()
        kb = open_kb(self.root)
        return self._full(kb, snapshot, progress)

    def _full(self, kb: KnowledgeBase, snapshot: dict, progress: site_build.Progress | None = None) -> Update:
        self.wait()  # a background Pagefind run must not read a site being rebuilt
        shutil.rmtree(self.stage, ignore_errors=True)
        self.stage.mkdir(parents=True)
        self.sessions = {}

        def recorder(staged: site_build.Staged) -> list:
            session = Session(staged)
            self.sessions[staged.lang] = session
            return [_Recorder(session)]

        self.kb = None  # until the build succeeds, the next update is a full one
        result = site_build.build_into(kb, self.site_dir, self.stage, progress=progress, plugins=recorder,
                                       cache=True)
        for lang, session in self.sessions.items():
            view = View(kb, lang, directory_urls=not kb.config.offline)
            session.texts = site_build.generated_texts(view)
            session.generated = set(session.texts)
            session.texts.update(site_build.article_texts(view, view.articles)[0])
            _split_index(kb, session, self.site_dir)
        self.kb, self.snapshot = kb, snapshot
        self._rebuilt = True  # Pagefind (if any) ran as part of the build
        return Update("full", warnings=result.warnings)

    def update(self) -> Update:
        """Bring the site up to date with the KB on disk. Errors in the KB raise (HelpgenError)
        and leave the site as it was. A background Pagefind run stops while this runs (and starts
        again after it)."""
        stopped, self._rebuilt = self._interrupt(), False
        try:
            return self._update()
        finally:
            if stopped and not self._rebuilt and self._pending is None:
                self._schedule()  # the stopped run's bundle is gone: index again

    def _update(self) -> Update:
        snapshot = self.scan()
        changed = {p for p in snapshot.keys() | self.snapshot.keys() if snapshot.get(p) != self.snapshot.get(p)}
        if self.kb is not None and not changed:
            return Update("none")
        old = self.kb
        quick = old is not None and all(p.startswith(ARTICLES) and p.endswith(".md") and p in snapshot
                                        and p in self.snapshot for p in changed)
        # a broken edit raises here, before anything is written
        kb = refresh_kb(old, sorted(changed)) if quick and old is not None else open_kb(self.root)
        if old is None or not quick or frame(kb) != frame(old):
            return self._full(kb, snapshot)
        try:
            update = self._incremental(old, kb)
        except NeedsFullBuild:
            return self._full(kb, snapshot)
        except BaseException:
            self.kb = None  # half updated: the next update builds everything
            raise
        self.kb, self.snapshot = kb, snapshot
        return update

    def _incremental(self, old: KnowledgeBase, kb: KnowledgeBase) -> Update:
        before = {(a.lang, a.id): a for a in old.articles}
        edited = {(a.lang, a.id) for a in kb.articles if before.get((a.lang, a.id)) != a}
        plans = {}
        for lang, session in self.sessions.items():
            view = View(kb, lang, directory_urls=not kb.config.offline)
            texts = site_build.generated_texts(view)
            mine = [a for a in view.articles if (a.lang, a.id) in edited]
            article_texts, sources = site_build.article_texts(view, mine)
            if set(texts) != session.generated or set(article_texts) - set(session.texts):
                raise NeedsFullBuild()
            texts.update(article_texts)
            plans[lang] = ({d: t for d, t in texts.items() if session.texts[d] != t}, sources)
        update = Update("incremental")
        for lang, (texts, sources) in plans.items():
            session = self.sessions[lang]
            session.staged.sources.update(sources)
            update.warnings += self._render(session, texts)
            update.pages += [f"{lang_prefix(kb, lang)}{d}" for d in texts]
        self._finish(kb, [d for lang, (texts, _s) in plans.items() for d in self._articles_of(kb, lang, texts)],
                     {lang: list(texts) for lang, (texts, _s) in plans.items()})
        return update

    def _articles_of(self, kb: KnowledgeBase, lang: str, texts: dict[str, str]) -> list[Article]:
        """The articles of `lang` whose pages were re-rendered."""
        return [a for a in kb.in_language(lang) if article_doc(a) in texts]  # not another language's fallbacks

    def _render(self, session: Session, texts: dict[str, str]) -> list[Problem]:
        """Re-render some docs pages of one language with MkDocs' own page functions."""
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import InclusionLevel

        docs = session.staged.docs_dir
        config, files = session.config, session.files
        with site_build.captured_mkdocs_logs() as logs:
            pages = []
            for doc, text in texts.items():
                (docs / doc).write_text(text, encoding="utf-8")
                file = files.get_file_from_path(doc)
                if file is not None and not file.is_documentation_page():
                    file.copy_file()  # a generated static file (the widget demo)
                    continue
                if file is None or file.page is None:
                    raise NeedsFullBuild(f"{doc}: no page")
                title, meta = file.page.title, dict(file.page.meta)
                _populate_page(file.page, config, files)
                if file.page.title != title or _nav_meta(file.page.meta) != _nav_meta(meta):
                    raise NeedsFullBuild(f"{doc}: its title changed")  # other pages show this title in their navigation
                pages.append(file.page)
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            session.activate()
            entries = session.entries
            for page in pages:
                start = len(entries)
                try:
                    _build_page(page, config, doc_files, session.nav, session.env)
                except Exception as exc:  # a theme override broke (as in site_build.run_mkdocs)
                    source = session.staged.sources.get(page.file.src_uri, ("mkdocs", 0))[0]
                    raise BuildError(f"mkdocs could not render the page: {type(exc).__name__}: {exc}; "
                                     "check KB/overrides/ and the `mkdocs:` settings in helpgen.yml", source) from exc
                new = entries[start:]
                del entries[start:]
                _splice(session, page.file.src_uri, new)
            for page in pages:
                page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        session.texts.update(texts)
        return sorted(site_build.to_problem(r, session.staged) for r in logs.records)

    def _finish(self, kb: KnowledgeBase, rendered: list[Article], pages: dict[str, list[str]]) -> None:
        """The post-build steps of a full build, for a site of which only some pages are new."""
        if all(session.index is not None for session in self.sessions.values()):
            for lang, session in self.sessions.items():
                _patch_index(kb, session, self.site_dir, pages.get(lang, []))
        else:  # every raw search index again: the post-process rewrites all of them
            for session in self.sessions.values():
                if session.search is not None:
                    session.activate()
                    session.search.on_post_build(config=session.config)
            site_index.postprocess_search_index(self.site_dir, kb)
        if pagefind_index.backend(kb) == "pagefind":
            self._pagefind(kb, rendered)
        site_build.write_catalogue(self.site_dir, kb, not kb.config.offline)

    def _pagefind(self, kb: KnowledgeBase, rendered: list[Article]) -> None:
        """Pagefind for a site of which only some pages are new: those article pages are marked and
        the search settings rewritten now; the Pagefind binary then indexes the site again in the
        background (the edited page is already served; `wait()` waits for the search bundle)."""
        for article in rendered:
            page = pagefind_index.article_page(self.site_dir, kb, article)
            if page.is_file():
                pagefind_index.mark_article(page, kb, article)
        for session in self.sessions.values():  # slim_indexes prepends the settings to a fresh copy
            bridge = session.staged.docs_dir / pagefind_index.BRIDGE
            if bridge.is_file():
                shutil.copyfile(bridge, session.staged.site_dir / pagefind_index.BRIDGE)
        pagefind_index.slim_indexes(self.site_dir, kb)

        self._schedule()

    def _schedule(self) -> None:
        """Ask for a Pagefind run in the background (one at a time; asked during a run, one more after it)."""
        with self._lock:
            self._dirty = True
            if self._pending is None:
                self._cancelled = False
                self._pending = threading.Thread(target=self._index_loop, name="helpgen-pagefind", daemon=True)
                self._pending.start()

    def _interrupt(self) -> bool:
        """Stop a background Pagefind run (an edit needs the CPU now); True when one was stopped."""
        with self._lock:
            pending = self._pending
            if pending is None:
                return False
            self._cancelled, self._dirty = True, False
            if self._proc is not None and self._proc.poll() is None:
                try:
                    os.killpg(self._proc.pid, signal.SIGKILL)  # the wrapper and the binary it started
                except OSError:
                    pass
        pending.join()
        return True

    def _index_loop(self) -> None:
        bundle = self.site_dir / pagefind_index.BUNDLE
        while True:
            with self._lock:
                if not self._dirty or self._cancelled:
                    self._pending = None
                    return
                self._dirty = False
            shutil.rmtree(bundle, ignore_errors=True)  # a fresh bundle: Pagefind leaves old fragments behind
            with self._lock:
                if self._cancelled:
                    self._pending = None
                    return
                try:
                    proc = self._proc = subprocess.Popen(
                        pagefind_index.pagefind_command(self.site_dir), stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=_background)
                except OSError as exc:
                    self._failed, self._pending = BuildError(f"cannot run Pagefind: {exc}"), None
                    return
            out, err = proc.communicate()
            with self._lock:
                self._proc = None
                if self._cancelled:
                    self._pending = None
                    return
            if proc.returncode != 0:
                detail = (err or out).strip().splitlines()
                self._failed = BuildError(f"Pagefind failed ({detail[-1] if detail else proc.returncode}); "
                                          "set `search: lunr` in helpgen.yml to preview without it")
            else:
                pagefind_index.after_pagefind_run(self.site_dir)  # entry sorted, cache tag, preload links

    def wait(self) -> None:
        """Wait until no Pagefind run is pending; the error of a failed one raises here."""
        while True:
            with self._lock:
                pending = self._pending
            if pending is None:
                break
            pending.join()
        failed, self._failed = self._failed, None
        if failed is not None:
            raise failed


def _background() -> None:
    os.nice(10)  # the search bundle can wait; the next edit cannot


def _index_path(session: Session) -> Path:
    return session.staged.site_dir / "search" / "search_index.json"


def _page_docs(kb: KnowledgeBase, session: Session, site_dir: Path, doc: str, raw: list) -> list:
    """helpgen's search entries of one page from Material's (the post-process, one page at a time:
    only the page's own article is in the KB it sees)."""
    lang, prefix = site_index.language_of(kb, site_dir, _index_path(session))
    own = tuple(a for a in kb.articles if a.id == doc[:-len(".md")])
    return site_index.rewrite_docs(raw, dataclasses.replace(kb, articles=own), lang, prefix)


def _split_index(kb: KnowledgeBase, session: Session, site_dir: Path) -> None:
    """Cut the written search index into each page's entries; patchable only when the pieces
    rebuild it exactly (else every update post-processes the whole index again)."""
    session.index, session.parts = None, {}
    path = _index_path(session)
    if session.search is None or not path.is_file():
        return
    pagefind = pagefind_index.backend(kb) == "pagefind"
    if pagefind:  # the written index is slimmed (no docs): start again from Material's settings
        data = {"config": json.loads(session.search_index.generate_search_index(None))["config"]}
    else:
        data = json.loads(path.read_text(encoding="utf-8"))
    by_id: dict[str, list[Article]] = {}
    for article in kb.articles:
        by_id.setdefault(article.id, []).append(article)
    lang, prefix = site_index.language_of(kb, site_dir, path)
    entries, start, parts = session.entries, 0, {}
    for doc, count in session.counts.items():
        own = tuple(by_id.get(doc[:-len(".md")], ()))
        parts[doc] = site_index.rewrite_docs(entries[start:start + count], dataclasses.replace(kb, articles=own),
                                             lang, prefix)
        start += count
    if pagefind or [d for part in parts.values() for d in part] == data.get("docs"):
        session.index, session.parts = data, parts


def _patch_index(kb: KnowledgeBase, session: Session, site_dir: Path, pages: list[str]) -> None:
    """Write the search index with the entries of the re-rendered pages replaced (as
    site_index.postprocess_search_index writes it)."""
    assert session.index is not None
    entries, start, raw = session.entries, 0, {}
    for doc, count in session.counts.items():
        if doc in pages:
            raw[doc] = entries[start:start + count]
        start += count
    for doc in pages:
        if doc in raw:
            session.parts[doc] = _page_docs(kb, session, site_dir, doc, raw[doc])
    path = _index_path(session)
    lang, prefix = site_index.language_of(kb, site_dir, path)
    data = session.index
    data["docs"] = [d for part in session.parts.values() for d in part]
    data.setdefault("config", {})["helpgen"] = site_index.help_data(kb, lang, prefix, data["docs"])
    if pagefind_index.backend(kb) == "pagefind":  # slim_indexes keeps only the settings: skip the rest
        data = {**data, "docs": []}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.write_text(text, encoding="utf-8")
    offline = path.with_name("search_index.js")
    if offline.exists():
        offline.write_text(f"var __index = {text}", encoding="utf-8")


def _nav_meta(meta: dict) -> tuple:
    """The page meta Material shows in other pages' navigation."""
    return tuple(meta.get(k) for k in ("icon", "status", "title", "hide", "search"))


def _splice(session: Session, doc: str, new: list) -> None:
    """Put a page's new search entries where its old ones were (full-build order)."""
    start = 0
    for other, count in session.counts.items():
        if other == doc:
            break
        start += count
    else:
        raise NeedsFullBuild()
    session.entries[start:start + session.counts[doc]] = new
    session.counts[doc] = len(new)


def frame(kb: KnowledgeBase) -> KnowledgeBase:
    """The KB without its articles' content fields: equal frames mean an edit changed no navigation,
    no title, no listing order, no configuration."""
    return dataclasses.replace(kb, articles=tuple(dataclasses.replace(a, **CONTENT_FIELDS) for a in kb.articles))
