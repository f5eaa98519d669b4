"""The live preview really serves the site and rebuilds it when an article changes."""
from __future__ import annotations

import socket
import threading
import time
import urllib.request

import pytest

from helpgen.errors import ContentError
from helpgen.site.serve import preview_server
from test_site_kb import SMALL_KB

pytestmark = pytest.mark.slow


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preview_serves_and_rebuilds_on_edit(make_kb, tmp_path):
    root = make_kb(SMALL_KB)
    port = free_port()
    server = preview_server(root, tmp_path / "site", "127.0.0.1", port)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 10
        while True:  # wait until the server listens
            try:
                fetch(base)
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert "Follow your new card until it arrives." in fetch(base + "cards/track-your-card/")
        article = root / "articles/cards/track-your-card.md"
        article.write_text(article.read_text(encoding="utf-8").replace("ships in two days", "ships tomorrow"),
                           encoding="utf-8")
        deadline = time.monotonic() + 30
        while "ships tomorrow" not in fetch(base + "cards/track-your-card/"):
            assert time.monotonic() < deadline, "the preview did not rebuild within 30 s"
            time.sleep(0.3)
    finally:
        server.shutdown()


def test_preview_refuses_a_kb_with_errors(make_kb, tmp_path):
    root = make_kb({**SMALL_KB, "articles/bad.md": "---\ntitle: Bad\nlevel: expert\nstage: using\n---\nx\n"})
    with pytest.raises(ContentError):
        preview_server(root, tmp_path / "site", "127.0.0.1", 0)
