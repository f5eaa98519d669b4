"""Fixtures for the browser tests: Debian's headless chromium driven by playwright's Python API,
a static HTTP server on 127.0.0.1 serving a built site, and no request to any other host."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest

from search_harness import guarded_context

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]
SAMPLE_DAY = "1796083200"  # 2026-12-01, as SOURCE_DATE_EPOCH


def _skip(reason: str) -> None:
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless chromium for the whole session (skips when /usr/bin/chromium is missing)."""
    if not CHROMIUM.exists():
        _skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep test output clean
        pass


@pytest.fixture(scope="session")
def serve_site() -> Iterator[Callable[[Path], str]]:
    """serve_site(folder) -> "http://127.0.0.1:PORT/" serving that folder from a thread."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page whose requests to anything but 127.0.0.1 (or file://) are aborted and recorded
    in `page.outside_requests`."""
    context = guarded_context(browser, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.outside_requests = context.outside
    yield pg
    context.close()


def build_kb_site(files: dict[str, str | bytes], root: Path) -> Path:
    """Write a KB from {path: content} under `root`, build it with helpgen, return the site folder."""
    from helpgen.kb.load import load_kb
    from helpgen.site.build import build_site

    kb_dir = root / "kb"
    shutil.rmtree(kb_dir, ignore_errors=True)
    for rel, content in files.items():
        path = kb_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    (kb_dir / "articles").mkdir(exist_ok=True)
    kb, _ = load_kb(kb_dir)
    return build_site(kb, root / "site").output


@pytest.fixture(scope="session")
def kb_site() -> Callable[[dict, Path], Path]:
    """kb_site(files, folder) -> a site built by helpgen from a KB written from {path: content}."""
    return build_kb_site


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """sample_kb/ built once per session (skips when sample_kb/articles is absent)."""
    if not (REPO / "sample_kb" / "articles").is_dir():
        _skip("sample_kb/articles is absent")
    from helpgen.kb.load import load_kb
    from helpgen.site.build import build_site

    mp = pytest.MonkeyPatch()  # the sample's notices are shown as on this day (one active, one resolved)
    mp.setenv("SOURCE_DATE_EPOCH", SAMPLE_DAY)
    try:
        kb, _ = load_kb(REPO / "sample_kb")
        return build_site(kb, tmp_path_factory.mktemp("sample") / "site").output
    finally:
        mp.undo()
