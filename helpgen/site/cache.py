"""The build cache, under KB/.helpgen/cache/:

- `render/`: each page's rendered HTML (Markdown converted, glossary terms marked), its table of
  contents, anchors and render warnings, keyed by a hash of everything the render reads: the page's
  Markdown, its place in the site, every other page's URL (links), the Markdown extensions and their
  settings (the glossary included), and the versions of helpgen, MkDocs, Python-Markdown, PyMdown,
  Pygments and Material;
- `search/`: each page's search entries as Material's search plugin cuts them from the page, keyed by
  a hash of the page's HTML, table of contents, URL, title and meta and the search settings.

An unchanged page then skips the Markdown conversion and the HTML parsing on the next build; the
output is the same byte for byte. Deleting the folder is always safe (the next build fills it again);
`helpgen build --no-cache` neither reads nor writes it.

Both steps are also what MkDocs does one page at a time on one core. With `workers` > 1 the plugin
renders every page the cache does not have in a pool of worker processes (forked once MkDocs knows
the site's files and navigation, so each worker holds the same configuration and file list), and
cuts their search entries there too while MkDocs renders the theme templates. A page's result is
used only when it was made from exactly the Markdown (or HTML) MkDocs has for it at that point
(the same content-hash keys as the cache), so the site is the same byte for byte as a build on one
core; anything else (a page the pool did not see, a worker that failed) is rendered in place.
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

CACHE_DIR = Path(".helpgen") / "cache"
FORMAT = 1  # bump when what is stored changes
MIN_PARALLEL = 24  # with `workers=None` (as many as the CPUs), fewer pages to render than this stay in-process
CHUNK = 8  # pages per task sent to a worker
# (config, files) of the build a worker was forked from; set in the parent just before the fork
_STATE: tuple[Any, Any] | None = None


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cache_dir(kb_root: Path) -> Path:
    return Path(kb_root) / CACHE_DIR


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("helpgen", "mkdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=?")
    here = Path(__file__).resolve().parent  # helpgen's own Markdown extension, edited in development
    found.append(hashlib.sha256((here / "abbr.py").read_bytes()).hexdigest())
    return ";".join(found)


def _toc_tokens(items: Any) -> list[dict]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


class LogRecords(logging.Handler):
    """Keeps the log records at `level` and above (MkDocs' warnings during a build or a page render)."""

    def __init__(self, level: int = logging.DEBUG) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class RenderCache:
    """An MkDocs plugin object: wraps each page's `render`, and the search plugin's indexing of it,
    with a look-up in the cache (`folder`, None for no cache) and in the results of the worker pool
    (`workers`: processes; None: as many as the CPUs, for sites of at least MIN_PARALLEL pages)."""

    def __init__(self, folder: Path | None, workers: int | None = 1) -> None:
        self.root = Path(folder) if folder is not None else None
        self.folder = self.root / "render" if self.root is not None else None
        self.search_folder = self.root / "search" if self.root is not None else None
        self.workers = workers
        self.base = ""
        self.hits = self.misses = 0
        self.pool: ProcessPoolExecutor | None = None
        self.rendered: dict[str, tuple[Future, int]] = {}  # docs path -> (its task, place in the task)
        self.indexed: dict[str, tuple[Future, int]] = {}  # search key -> (its task, place in the task)
        self.parallel = 0  # pages whose render came from the pool
        # False: Material's search entries of the pages are not needed (the site build sets it when
        # Pagefind indexes the site and the lunr documents would be thrown away)
        self.index_pages = True

    # -- the pool -----------------------------------------------------------------------------

    def _start(self, jobs: int, config: Any, files: Any) -> bool:
        global _STATE
        workers = default_workers() if self.workers is None else self.workers
        if workers < 2 or (self.workers is None and jobs < MIN_PARALLEL) or not _fork_ok():
            return False
        if self.pool is None:
            _STATE = (config, files)
            try:
                self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
                self.pool.submit(_ping).result()  # fork now, while _STATE is this build's
            except (OSError, RuntimeError):  # no processes to be had: render in this one
                self.close()
                return False
            finally:
                _STATE = None
        return True

    def close(self) -> None:
        """Stop the worker processes (at the end of the build, or when it failed)."""
        pool, self.pool = self.pool, None
        self.rendered, self.indexed = {}, {}
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def on_post_build(self, *, config: Any) -> None:
        self.close()

    def on_build_error(self, *, error: Exception) -> None:
        self.close()

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> None:
        """Send every page the cache does not have to the pool, before MkDocs renders them one by one.
        Only when no other plugin changes a page's Markdown (the key check would then miss anyway)."""
        from mkdocs.structure.files import InclusionLevel

        events = config.plugins.events
        if any(getattr(h, "__self__", None) is not self
               for e in ("pre_page", "page_read_source", "page_markdown") for h in events[e]):
            return
        docs = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_included) if f.page is not None]
        if not docs or not self._start(len(docs), config, files):
            return
        folder = str(self.folder) if self.folder is not None else None
        for at in range(0, len(docs), CHUNK):  # the worker reads each page, looks in the cache, renders
            chunk = docs[at:at + CHUNK]
            future = self.pool.submit(_render_chunk, self.base, folder, chunk)
            for place, src_uri in enumerate(chunk):
                self.rendered[src_uri] = (future, place)

    def _index_ahead(self, config: Any, files: Any, index: Any, key_of: Any) -> None:
        """Cut the search entries of every page the cache does not have in the pool, while MkDocs
        renders the templates (it asks for them page by page, in `add_entry_from_context`)."""
        from mkdocs.structure.files import InclusionLevel

        if self.pool is None:
            return
        items = []
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            page = file.page
            if page is None or page.content is None:
                continue
            key = key_of(page)
            if self.search_folder is None or not (self.search_folder / key[:2] / f"{key}.json").is_file():
                items.append((key, {"url": page.url, "title": page.title, "meta": page.meta,
                                    "toc": _toc_tokens(page.toc or ()), "content": page.content}))
        settings = dict(index.config)
        folder = str(self.search_folder) if self.search_folder is not None else None
        for at in range(0, len(items), CHUNK):
            chunk = items[at:at + CHUNK]
            try:
                future = self.pool.submit(_index_chunk, settings, folder, chunk)
            except RuntimeError:  # the pool is gone
                return
            for place, (key, _item) in enumerate(chunk):
                self.indexed[key] = (future, place)

    @staticmethod
    def _take(table: dict[str, tuple[Future, int]], key: str) -> Any:
        """The pool's result for `key` (None when it has none)."""
        found = table.pop(key, None)
        if found is None:
            return None
        future, place = found
        try:
            return future.result()[place]
        except Exception:  # a worker died or failed: do it here
            return None

    # -- MkDocs events ------------------------------------------------------------------------

    def on_env(self, env: Any, *, config: Any, files: Any) -> None:
        """Wrap the search plugin's indexing of a page (it runs in `on_page_context`) with a look-up."""
        search = next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)
        index = getattr(search, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context"):
            return
        if not self.index_pages:
            index.add_entry_from_context = _no_entries
            return
        original = index.add_entry_from_context
        settings = json.dumps(getattr(index, "config", {}), sort_keys=True, default=repr, ensure_ascii=False)
        base = hashlib.sha256(f"{FORMAT}\n{_versions()}\n{settings}".encode("utf-8")).hexdigest()

        def key_of(page: Any) -> str:
            parts = [base, page.url, str(page.title), json.dumps(page.meta, sort_keys=True, default=repr,
                                                                 ensure_ascii=False),
                     json.dumps(_toc_tokens(page.toc or ()), ensure_ascii=False), page.content or ""]
            return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

        def add_entry_from_context(page: Any) -> None:
            key = key_of(page)
            path = self.search_folder / key[:2] / f"{key}.json" if self.search_folder is not None else None
            entries = self._take(self.indexed, key)
            if entries is None and path is not None:
                try:
                    entries = json.loads(path.read_text(encoding="utf-8"))
                    if isinstance(entries, list) and all(isinstance(e, dict) for e in entries):
                        index.entries.extend(entries)
                        return
                except (OSError, ValueError):
                    pass  # missing or damaged: index the page again
                entries = None
            if entries is not None:  # the worker wrote them to the cache
                index.entries.extend(entries)
                return
            start = len(index.entries)
            original(page)
            if path is not None:
                _write(path, index.entries[start:])

        index.add_entry_from_context = add_entry_from_context
        self._index_ahead(config, files, index, key_of)

    def on_files(self, files: Any, *, config: Any) -> None:
        site = sorted((f.src_uri, f.url) for f in files)
        settings = {"extensions": [str(e) for e in config["markdown_extensions"]],
                    "mdx": config["mdx_configs"], "directory_urls": config["use_directory_urls"],
                    "validation": str(config["validation"]), "site": site}
        blob = json.dumps(settings, sort_keys=True, default=repr, ensure_ascii=False)
        self.base = hashlib.sha256(f"{FORMAT}\n{_versions()}\n{blob}".encode("utf-8")).hexdigest()
        if self.root is None:
            return
        try:  # the cache ignores itself in git, as .pytest_cache does
            self.root.mkdir(parents=True, exist_ok=True)
            ignore = self.root / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# made by helpgen build: a cache, safe to delete\n*\n", encoding="utf-8")
        except OSError:
            pass

    def _render_key(self, file: Any, markdown: str) -> str:
        return hashlib.sha256(f"{self.base}\n{file.src_uri}\n{file.url}\n{markdown}".encode("utf-8")).hexdigest()

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> None:
        original = page.render
        key = self._render_key(page.file, markdown)
        path = self.folder / key[:2] / f"{key}.json" if self.folder is not None else None

        def render(config: Any, files: Any) -> None:
            del page.render  # back to the class's method for any later render
            done = self._take(self.rendered, page.file.src_uri)
            if done is not None and done[0] == key:  # made from this very Markdown
                if done[1] is not None and _apply(done[1], page, files):
                    self.parallel += 1
                    return
            if path is not None and self._load(path, page, files):
                self.hits += 1
                return
            self.misses += 1
            records = LogRecords()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(records)
            try:
                original(config, files)
            finally:
                logger.removeHandler(records)
            if path is not None:
                _write(path, _snapshot(page, records.records))

        page.render = render

    def _load(self, path: Path, page: Any, files: Any) -> bool:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False  # missing or damaged: render again
        return _apply(data, page, files)


def _apply(data: Any, page: Any, files: Any) -> bool:
    """Set what a render gives on `page` from a stored snapshot, and log its warnings again."""
    from mkdocs.structure.toc import get_toc

    try:
        links = {}
        for src_uri, anchors in (data["links"] or {}).items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False
            links[target] = anchors
        content, toc, title = data["content"], get_toc(data["toc"]), data["title"]
        anchors, records = set(data["anchors"]), data["log"]
    except (KeyError, TypeError, ValueError, AttributeError):
        return False  # damaged: render again
    page.content, page.toc, page._title_from_render = content, toc, title
    page.present_anchor_ids = anchors
    if data["links"] is not None:
        page.links_to_anchors = links
    for name, level, message in records:  # the warnings the render gave, again
        logging.getLogger(name).log(level, "%s", message)
    return True


def _snapshot(page: Any, records: list[logging.LogRecord]) -> dict:
    """What a render set on `page` (and the warnings it gave), as JSON-ready data."""
    links = page.links_to_anchors
    return {"content": page.content, "toc": _toc_tokens(page.toc), "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {f.src_uri: a for f, a in links.items()},
            "log": [[r.name, r.levelno, r.getMessage()] for r in records if r.levelno >= logging.INFO]}


def _no_entries(page: Any) -> None:
    return None


def _fork_ok() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _ping() -> None:
    return None


def _render_chunk(base: str, folder: str | None, docs: list[str]) -> list[tuple[str, dict | None] | None]:
    """In a worker: read, look up and render some pages of the build it was forked from, as the parent
    would; each gives (its render key, what the render set or None when the cache has it), or None."""
    from mkdocs.utils import meta

    assert _STATE is not None, "a worker forked by RenderCache._start"
    config, files = _STATE
    out: list[tuple[str, dict | None] | None] = []
    logger = logging.getLogger("mkdocs")
    for src_uri in docs:
        file = files.get_file_from_path(src_uri)
        page = getattr(file, "page", None)
        try:
            markdown, _meta = meta.get_data(file.content_string)
        except Exception:  # the parent reports it when it reads the page
            out.append(None)
            continue
        key = hashlib.sha256(f"{base}\n{file.src_uri}\n{file.url}\n{markdown}".encode("utf-8")).hexdigest()
        path = Path(folder) / key[:2] / f"{key}.json" if folder is not None else None
        if page is None or (path is not None and path.is_file()):
            out.append((key, None))  # the parent loads it from the cache
            continue
        records = LogRecords()
        logger.addHandler(records)
        config._current_page = page
        try:
            page.markdown = markdown
            page.render(config, files)
            data = _snapshot(page, records.records)
            page.content = page.markdown = None  # this copy is not needed again
        except Exception:  # the parent renders it and reports the error where MkDocs would
            out.append(None)
            continue
        finally:
            config._current_page = None
            logger.removeHandler(records)
        if path is not None:
            _write(path, data)
        out.append((key, data))
    return out


def _index_chunk(settings: dict, folder: str | None, items: list[tuple[str, dict]]) -> list[list[dict] | None]:
    """In a worker: Material's search entries of some rendered pages (written to the cache too)."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.toc import get_toc

    out: list[list[dict] | None] = []
    for key, item in items:
        index = SearchIndex(**settings)
        try:
            index.add_entry_from_context(SimpleNamespace(**{**item, "toc": get_toc(item["toc"])}))
        except Exception:  # the parent indexes it
            out.append(None)
            continue
        if folder is not None:
            _write(Path(folder) / key[:2] / f"{key}.json", index.entries)
        out.append(index.entries)
    return out


_FOLDERS: set[Path] = set()  # cache folders this process has made (each is made once, not once a file)


def _write(path: Path, data: Any) -> None:
    try:
        if path.parent not in _FOLDERS:
            path.parent.mkdir(parents=True, exist_ok=True)
            _FOLDERS.add(path.parent)
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        except FileNotFoundError:  # the cache was deleted since this process made the folder
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, ensure_ascii=False))  # json.dump would encode in Python, piece by piece
        os.replace(tmp, path)  # a reader never sees half an entry
    except OSError:
        pass  # a read-only KB builds without a cache


_FIELDS_KB: Any = None  # the KB a fields worker was forked from


class SearchFields:
    """helpgen's extra search fields of each article (helpgen.search.site_index.article_fields: glossary
    keywords, word pairs, learned terms...), kept in KB/.helpgen/cache/search-fields.json keyed by a hash
    of everything they are made from: the article's text, its language, the glossary, the synonyms and
    search-terms.yml. The missing ones are made in a worker process (forked at the start, so it runs
    while MkDocs builds); `save()` keeps this build's entries. `folder=None`: no cache, only the worker."""

    FILE = "search-fields.json"

    def __init__(self, kb: Any, folder: Path | None, langs: list[str], workers: int | None = 1) -> None:
        from helpgen.search import site_index

        self.kb, self.article_fields = kb, site_index.article_fields
        self.path = Path(folder) / self.FILE if folder is not None else None
        self.pool: ProcessPoolExecutor | None = None
        self.known: dict[str, dict] = {}
        self.used: dict[str, dict] = {}
        self.pending: dict[str, tuple[Future, int]] = {}
        stored = self._read()
        base = self._base(kb)
        self.keys: dict[tuple[str, str, str], str] = {}
        missing = []
        for lang in langs:
            for article in kb.in_language(lang):
                key = hashlib.sha256("\n".join([base, lang, article.lang, article.id, article.title, article.summary,
                                                json.dumps([list(article.questions), list(article.tags),
                                                            list(article.error_codes)], ensure_ascii=False),
                                                article.body]).encode("utf-8")).hexdigest()
                self.keys[(lang, article.lang, article.id)] = key
                if key in stored:
                    self.known[key] = stored[key]
                else:
                    missing.append((key, lang, article.lang, article.id))
        count = default_workers() if workers is None else workers
        if missing and count > 1 and (workers is not None or len(missing) >= MIN_PARALLEL) and _fork_ok():
            self._start(missing)

    def _read(self) -> dict:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # missing or damaged: make them again
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _base(kb: Any) -> str:
        here = Path(__file__).resolve().parents[1]  # the code that makes the fields, edited in development
        code = b"".join((here / p).read_bytes() for p in ("search/site_index.py", "text.py", "kb/search_terms.py")
                        if (here / p).is_file())
        terms = Path(kb.root) / "search-terms.yml"
        kb_wide = json.dumps([repr(kb.glossary), repr(kb.config.search.synonyms), kb.config.language,
                              terms.read_text(encoding="utf-8") if terms.is_file() else None], ensure_ascii=False)
        return hashlib.sha256(f"{FORMAT}\n{_versions()}\n{hashlib.sha256(code).hexdigest()}\n{kb_wide}"
                              .encode("utf-8")).hexdigest()

    def _start(self, missing: list[tuple[str, str, str, str]]) -> None:
        global _FIELDS_KB
        _FIELDS_KB = self.kb
        try:
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            size = max(CHUNK, len(missing) // 8)
            for at in range(0, len(missing), size):
                chunk = missing[at:at + size]
                future = self.pool.submit(_fields_chunk, [job[1:] for job in chunk])
                for place, job in enumerate(chunk):
                    self.pending[job[0]] = (future, place)
        except (OSError, RuntimeError):
            self.close()
        finally:
            _FIELDS_KB = None

    def __call__(self, article: Any, lang: str) -> dict:
        key = self.keys.get((lang, article.lang, article.id))
        found = self.known.get(key) if key else None
        if found is None and key in self.pending:
            future, place = self.pending.pop(key)
            try:
                found = future.result()[place]
            except Exception:  # a worker failed: make them here
                found = None
        if found is None:
            found = self.article_fields(self.kb, article, lang)
        if key:
            self.known[key] = self.used[key] = found
        return found

    def save(self) -> None:
        """Keep the fields this build used (and no others) for the next build."""
        if self.path is not None:
            _write(self.path, dict(sorted(self.used.items())))

    def close(self) -> None:
        pool, self.pool, self.pending = self.pool, None, {}
        if pool is not None:  # its work is done or not wanted: the worker exits in its own time
            pool.shutdown(wait=False, cancel_futures=True)


def _fields_chunk(jobs: list[tuple[str, str, str]]) -> list[dict | None]:
    """In a worker: article_fields of some articles of the KB it was forked from."""
    from helpgen.search import site_index

    global _FIELDS_ARTICLES
    kb, out = _FIELDS_KB, []
    for lang, article_lang, article_id in jobs:
        if lang not in _FIELDS_ARTICLES:
            _FIELDS_ARTICLES[lang] = {(a.lang, a.id): a for a in kb.in_language(lang)}
        article = _FIELDS_ARTICLES[lang].get((article_lang, article_id))
        out.append(None if article is None else site_index.article_fields(kb, article, lang))
    return out


_FIELDS_ARTICLES: dict[str, dict] = {}  # in a fields worker: language -> (lang, id) -> article
