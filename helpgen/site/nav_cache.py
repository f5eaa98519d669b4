"""The navigation markup of a page, mostly reused from the pages before it.

Material renders the whole navigation tree again for every page (`partials/nav-item.html`), though
most of it is the same from page to page: an item the current page is not in looks the same on every
page that links to it with the same relative URLs. helpgen's copy of that partial
(site_template/overrides/partials/nav-item.html) asks `hg_nav_cache` for each item; this plugin
renders an item the page is not in once per key and gives the same markup back after that. The key
holds everything such an item's markup depends on: the item itself, its place in the tree (`path`,
`level`), its parent and whether the parent is active, and the part of the page's URL that its
relative links depend on. An active item (the page, or a section holding it) is always rendered,
so the site is the same byte for byte with or without the cache (tests/test_site_nav_cache.py).
"""
from __future__ import annotations

import posixpath
from typing import Any, Callable
from urllib.parse import urlsplit

from jinja2 import Undefined, pass_context

GLOBAL = "hg_nav_cache"


def url_parts(url: str) -> tuple[str, ...]:
    """A relative URL's path as MkDocs compares it when it makes a link relative to a page
    (mkdocs.utils.get_relative_url: a leading slash ignored, "." and ".." resolved)."""
    path = url.replace("\\", "/") or "."
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return tuple(path.split("/")) if path else ()


def page_dir_parts(page_url: str) -> tuple[str, ...]:
    """The folder a page's relative links start from: its URL, without a last part holding a dot."""
    folder, _, last = page_url.rpartition("/")
    return url_parts(folder if "." in last else page_url)


def _is_absolute(url: str) -> bool:
    """Links MkDocs' `url` filter leaves as they are (a scheme, a host, a leading slash or #)."""
    parsed = urlsplit(url)
    return bool(parsed.scheme or parsed.netloc or url.startswith(("/", "#")))


class NavCache:
    """An MkDocs plugin object that puts `hg_nav_cache` in the theme's Jinja environment."""

    def __init__(self) -> None:
        self.markup: dict[tuple, str] = {}
        self.prefixes: dict[int, frozenset[tuple[str, ...]]] = {}
        self.alive: dict[int, Any] = {}  # every keyed object, kept so that its id is not reused
        self.on = False
        self.hits = 0  # look-ups answered from the cache (tests check that it is used)
        self.page: Any = None  # the page of the last look-up, and the folder its links start from
        self.here: tuple | None = None

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        self.markup, self.prefixes, self.alive, self.on, self.hits = {}, {}, {}, True, 0
        self.page = self.here = None
        env.globals[GLOBAL] = self.render
        return env

    def on_post_build(self, *, config: Any) -> None:
        # `helpgen serve` re-renders single pages later with the same environment, after an edit
        self.markup, self.prefixes, self.alive, self.on = {}, {}, {}, False
        self.page = self.here = None

    def on_build_error(self, *, error: Exception) -> None:
        self.on_post_build(config=None)

    def _prefixes(self, item: Any) -> frozenset[tuple[str, ...]]:
        """Every leading part of every relative URL the item's markup links to."""
        found = self.prefixes.get(id(item))
        if found is None:
            out: set[tuple[str, ...]] = set()
            stack = [item]
            while stack:
                node = stack.pop()
                children = getattr(node, "children", None)
                if children:
                    stack.extend(children)
                    continue
                url = getattr(node, "url", None)
                if url is None or _is_absolute(str(url)):
                    continue
                parts = url_parts(str(url))
                out.update(parts[:n] for n in range(1, len(parts) + 1))
            found = self.prefixes[id(item)] = frozenset(out)
            self.alive[id(item)] = item
        return found

    def key(self, page: Any, nav_item: Any, path: Any, level: Any, parent: Any) -> tuple | None:
        """The key of the item's markup on `page`, or None when it must be rendered for this page."""
        if not self.on or page is None or getattr(nav_item, "active", None) is not False \
                or hasattr(nav_item, "pages") or not isinstance(path, str):
            return None
        if page is not self.page:
            self.page, here = page, page_dir_parts(str(page.url))
            self.here = (here, here[:-1], here[-1]) if here else None
        if self.here is None:  # the site's root: every link is made relative the same way
            self._prefixes(nav_item)
            where: tuple = ()
        else:  # a link is made relative by the parts it shares with the page's folder
            here, head, last = self.here
            where = (head, last if here in self._prefixes(nav_item) else None)
        if parent is None or isinstance(parent, Undefined):
            above: tuple = (None, False)
        else:
            above = (id(parent), bool(getattr(parent, "active", False)))
            self.alive[id(parent)] = parent
        return id(nav_item), path, level, above, where

    @pass_context
    def render(self, context: Any, macro: Callable[..., str], nav_item: Any, path: Any, level: Any,
               parent: Any = None) -> str:
        """`macro(nav_item, path, level, parent)`, Material's markup of one navigation item, made once
        per key."""
        key = self.key(context.get("page"), nav_item, path, level, parent)
        if key is None:
            return macro(nav_item, path, level, parent)
        found = self.markup.get(key)
        if found is None:
            found = self.markup[key] = macro(nav_item, path, level, parent)
        else:
            self.hits += 1
        return found
