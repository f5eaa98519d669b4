"""Drive a built site's search in headless Debian chromium (for e2e tests and benchmarks).

A test harness, not part of the helpgen package (the benchmarks put tests/e2e/ on sys.path).
Needs the `playwright` Python package and /usr/bin/chromium.
Every request that does not go to 127.0.0.1 (or a file:// URL) is blocked and counted.
"""
from __future__ import annotations

import functools
import http.server
import json
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urljoin, urlparse

CHROMIUM = "/usr/bin/chromium"
RESULT_LINKS = "li.md-search-result__item > a"


@contextmanager
def serve_dir(root: Path, requests: list[str] | None = None, port: int = 0) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) in a thread; yields the base URL. Request paths
    (GET and POST) are appended to `requests` when given."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    if requests is not None:
        handler = functools.partial(_RecordingHandler, directory=str(root), seen=requests)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


class _RecordingHandler(_QuietHandler):
    def __init__(self, *args, seen: list[str], **kwargs) -> None:
        self.seen = seen
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.seen.append(self.path)
        super().do_GET()

    def do_POST(self) -> None:  # navigator.sendBeacon posts
        self.seen.append(self.path)
        self.send_response(204)
        self.end_headers()


def guarded_context(browser, **options):
    """A browser context that aborts (and records) every request not to 127.0.0.1 or file://."""
    context = browser.new_context(**options)
    context.outside = []

    def route(r) -> None:
        url = r.request.url
        if url.startswith(("http://127.0.0.1:", "file://", "data:", "blob:", "about:")):
            r.continue_()
        else:
            context.outside.append(url)
            r.abort()

    context.route("**/*", route)
    return context


@contextmanager
def chromium(**context_options) -> Iterator[object]:
    """A headless chromium browser context with every outside request blocked."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context(**context_options)
        context.blocked = []  # type: ignore[attr-defined]

        def guard(route) -> None:
            url = urlparse(route.request.url)
            if url.scheme in ("file", "data", "blob") or url.hostname == "127.0.0.1":
                route.continue_()
            else:
                context.blocked.append(route.request.url)  # type: ignore[attr-defined]
                route.abort()

        context.route("**/*", guard)
        try:
            yield context
        finally:
            browser.close()


class SearchPage:
    """One page of the site with Material's search box; `query()` returns result hrefs."""

    def __init__(self, page, url: str, open_from_icon: bool = False) -> None:
        self.page = page
        self.page.goto(url)
        if open_from_icon:
            self.page.click("label.md-header__button[for=__search]")
        else:
            self.page.click(".md-search__input") if self.page.is_visible(".md-search__input") else \
                self.page.click("label[for=__search]")
        self.input = self.page.locator(".md-search__input")
        self.page.wait_for_function("document.documentElement.dataset.helpgenSearch === 'ready'")
        self.placeholder = self._meta()

    def _meta(self) -> str:
        return self.page.eval_on_selector(".md-search-result__meta", "e => e.textContent")

    def _results(self) -> int:
        return int(self.page.evaluate("+(document.documentElement.dataset.helpgenResults || 0)"))

    def _wait_after(self, count: int, timeout: float) -> None:
        """Wait for the worker's next result (helpgen-search.js counts them after Material renders)."""
        self.page.wait_for_function(f"+(document.documentElement.dataset.helpgenResults || 0) > {count}",
                                    timeout=timeout)

    def _reset(self) -> None:
        """Empty the box and wait for Material's answer to the empty query."""
        if self.input.input_value() == "":
            return
        count = self._results()
        self.input.fill("")
        self.input.press("End")
        self._wait_after(count, 15000)

    def query(self, text: str, typed: bool = False, timeout: float = 15000) -> list[str]:
        """Enter `text` and return the result links (absolute hrefs, in order)."""
        self._reset()
        count = self._results()
        if typed:  # each keystroke may answer; wait for the answer to the whole text
            self.input.press_sequentially(text, delay=5)
            self._wait_after(count, timeout)
            while True:  # until no answer to a longer prefix is still on its way
                seen = self._results()
                self.page.wait_for_timeout(250)
                if self._results() == seen:
                    break
            count = -1
        else:
            self.input.fill(text)
            self.input.press("End")  # Material listens to keyup
        self._wait_after(count, timeout)
        self.page.wait_for_timeout(20)
        return self.page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")


def load_catalogue(site_dir: Path) -> list[dict]:
    return json.loads((Path(site_dir) / "articles.json").read_text(encoding="utf-8"))


def hrefs_to_ids(hrefs: list[str], base: str, catalogue: list[dict]) -> list[str]:
    """Map result links to article ids through articles.json (non-articles are kept as their URL)."""
    by_url = {urljoin(base, a["url"]).split("#")[0]: a["id"] for a in catalogue}
    out: list[str] = []
    for href in hrefs:
        page = href.split("#")[0].split("?")[0]
        ident = by_url.get(page, page)
        if ident not in out:
            out.append(ident)
    return out
