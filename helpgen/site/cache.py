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
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_DIR = Path(".helpgen") / "cache"
FORMAT = 1  # bump when what is stored changes


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
    """An MkDocs plugin object: wraps each page's `render` with a look-up in the cache."""

    def __init__(self, folder: Path) -> None:
        self.root = Path(folder)
        self.folder = Path(folder) / "render"
        self.search_folder = Path(folder) / "search"
        self.base = ""
        self.hits = self.misses = 0

    def on_env(self, env: Any, *, config: Any, files: Any) -> None:
        """Wrap the search plugin's indexing of a page (it runs in `on_page_context`) with a look-up."""
        search = next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)
        index = getattr(search, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context"):
            return
        original = index.add_entry_from_context
        settings = json.dumps(getattr(index, "config", {}), sort_keys=True, default=repr, ensure_ascii=False)
        base = hashlib.sha256(f"{FORMAT}\n{_versions()}\n{settings}".encode("utf-8")).hexdigest()

        def add_entry_from_context(page: Any) -> None:
            parts = [base, page.url, str(page.title), json.dumps(page.meta, sort_keys=True, default=repr,
                                                                 ensure_ascii=False),
                     json.dumps(_toc_tokens(page.toc or ()), ensure_ascii=False), page.content or ""]
            key = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
            path = self.search_folder / key[:2] / f"{key}.json"
            try:
                entries = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(entries, list) and all(isinstance(e, dict) for e in entries):
                    index.entries.extend(entries)
                    return
            except (OSError, ValueError):
                pass  # missing or damaged: index the page again
            start = len(index.entries)
            original(page)
            _write(path, index.entries[start:])

        index.add_entry_from_context = add_entry_from_context

    def on_files(self, files: Any, *, config: Any) -> None:
        site = sorted((f.src_uri, f.url) for f in files)
        settings = {"extensions": [str(e) for e in config["markdown_extensions"]],
                    "mdx": config["mdx_configs"], "directory_urls": config["use_directory_urls"],
                    "validation": str(config["validation"]), "site": site}
        blob = json.dumps(settings, sort_keys=True, default=repr, ensure_ascii=False)
        self.base = hashlib.sha256(f"{FORMAT}\n{_versions()}\n{blob}".encode("utf-8")).hexdigest()
        try:  # the cache ignores itself in git, as .pytest_cache does
            self.root.mkdir(parents=True, exist_ok=True)
            ignore = self.root / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# made by helpgen build: a cache, safe to delete\n*\n", encoding="utf-8")
        except OSError:
            pass

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> None:
        original = page.render
        key = hashlib.sha256(f"{self.base}\n{page.file.src_uri}\n{page.file.url}\n{markdown}".encode("utf-8")).hexdigest()
        path = self.folder / key[:2] / f"{key}.json"

        def render(config: Any, files: Any) -> None:
            del page.render  # back to the class's method for any later render
            if self._load(path, page, files):
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
            self._store(path, page, records.records)

        page.render = render

    def _load(self, path: Path, page: Any, files: Any) -> bool:
        from mkdocs.structure.toc import get_toc

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            links = {}
            for src_uri, anchors in (data["links"] or {}).items():
                target = files.get_file_from_path(src_uri)
                if target is None:
                    return False
                links[target] = anchors
            content, toc, title = data["content"], get_toc(data["toc"]), data["title"]
            anchors, records = set(data["anchors"]), data["log"]
        except (OSError, ValueError, KeyError, TypeError):
            return False  # missing or damaged: render again
        page.content, page.toc, page._title_from_render = content, toc, title
        page.present_anchor_ids = anchors
        if data["links"] is not None:
            page.links_to_anchors = links
        for name, level, message in records:  # the warnings the render gave, again
            logging.getLogger(name).log(level, "%s", message)
        return True

    def _store(self, path: Path, page: Any, records: list[logging.LogRecord]) -> None:
        links = page.links_to_anchors
        data = {"content": page.content, "toc": _toc_tokens(page.toc), "title": page._title_from_render,
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": None if links is None else {f.src_uri: a for f, a in links.items()},
                "log": [[r.name, r.levelno, r.getMessage()] for r in records if r.levelno >= logging.INFO]}
        _write(path, data)


def _write(path: Path, data: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)  # a reader never sees half an entry
    except OSError:
        pass  # a read-only KB builds without a cache
