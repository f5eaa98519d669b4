"""Help-centre links in the team's replies, mapped back to article ids."""
from __future__ import annotations

import re
from typing import Mapping
from urllib.parse import unquote, urlsplit

URL_RE = re.compile(r"https?://[^\s<>\"'()\[\]]+|(?<![\w.:/])/[A-Za-z0-9_\-./%~]+")

CACHE_SIZE = 20_000


def _norm(path: str) -> str:
    """`/help/cards/x/index.html#y` -> `help/cards/x/`."""
    path = unquote(path.split("#")[0].split("?")[0]).strip("/")
    if path.endswith(("index.html", "index.htm")):
        path = path.rsplit("/", 1)[0] if "/" in path else ""
    elif path.endswith((".html", ".md")):
        path = path.rsplit(".", 1)[0]
    return f"{path}/" if path else ""


class LinkFinder:
    """Finds article links by `site_url` + article url, or by the url path alone (with or without the host)."""

    def __init__(self, link_map: Mapping[str, str] | None = None, site_url: str = "") -> None:
        self.by_path = {_norm(url): article for url, article in (link_map or {}).items() if _norm(url)}
        self.prefix = _norm(urlsplit(site_url).path) if site_url else ""
        self._seen: dict[str, str | None] = {}  # url as written -> article; replies repeat the same few links

    def find(self, text: str) -> tuple[str, ...]:
        """Article ids linked from text, in order of first appearance, each once."""
        if not self.by_path or not text or "/" not in text:  # every link has a `/`
            return ()
        found: dict[str, None] = {}
        seen = self._seen
        for match in URL_RE.finditer(text):
            url = match.group(0)
            if url in seen:
                article = seen[url]
            else:
                article = self._article(url)
                if len(seen) < CACHE_SIZE:
                    seen[url] = article
            if article:
                found.setdefault(article, None)
        return tuple(found)

    def _article(self, url: str) -> str | None:
        url = url.rstrip(".,;:!?")
        return self._lookup(_norm(urlsplit(url).path if url.startswith("http") else url))

    def _lookup(self, path: str) -> str | None:
        if self.prefix and path.startswith(self.prefix) and path[len(self.prefix):] in self.by_path:
            return self.by_path[path[len(self.prefix):]]
        return self.by_path.get(path)
