"""The live preview really serves the site and rebuilds it when an article changes."""
from __future__ import annotations

import contextlib

import re
import socket
import threading
import time
import urllib.request

import pytest
from click.testing import CliRunner

from helpgen.cli import main
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


@contextlib.contextmanager
def running_preview(root, site):
    """The preview server of `root` on a free port, in a thread: yields its base URL once it answers."""
    port = free_port()
    server = preview_server(root, site, "127.0.0.1", port)
    threading.Thread(target=server.serve, daemon=True).start()
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
        yield base
    finally:
        server.shutdown()
        server.builder.live.close()


def test_preview_serves_and_rebuilds_on_edit(make_kb, tmp_path):
    root = make_kb(SMALL_KB)
    with running_preview(root, tmp_path / "site") as base:
        assert "Follow your new card until it arrives." in fetch(base + "cards/track-your-card/")
        article = root / "articles/cards/track-your-card.md"
        article.write_text(article.read_text(encoding="utf-8").replace("ships in two days", "ships tomorrow"),
                           encoding="utf-8")
        deadline = time.monotonic() + 30
        while "ships tomorrow" not in fetch(base + "cards/track-your-card/"):
            assert time.monotonic() < deadline, "the preview did not rebuild within 30 s"
            time.sleep(0.3)


def test_preview_refuses_a_kb_with_errors(make_kb, tmp_path):
    root = make_kb({**SMALL_KB, "articles/bad.md": "---\ntitle: Bad\nlevel: expert\nstage: using\n---\nx\n"})
    with pytest.raises(ContentError):
        preview_server(root, tmp_path / "site", "127.0.0.1", 0)


def test_serve_prints_its_url_once_listening(make_kb, monkeypatch):
    from mkdocs.livereload import LiveReloadServer

    root, port, seen = make_kb(SMALL_KB), free_port(), []

    def serve_then_stop(self, **kwargs):  # instead of serving forever: check the port, then Ctrl+C
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            seen.append("listening")
        raise KeyboardInterrupt

    monkeypatch.setattr(LiveReloadServer, "serve", serve_then_stop)
    result = CliRunner().invoke(main, ["serve", str(root), "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"Serving on http://127\.0\.0\.1:{port}/ \(first build \d+\.\d s; Ctrl\+C to stop\)\n",
                        result.output), result.output
    assert seen == ["listening"]


def test_serve_on_a_busy_port_is_one_line(make_kb):
    root = make_kb(SMALL_KB)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(root), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (f"error: cannot listen on 127.0.0.1:{port} (Address already in use), "
                             "choose another --port or --host\n")


def test_a_broken_edit_shows_its_line_over_the_last_good_page(make_kb, tmp_path):
    root = make_kb(SMALL_KB)
    with running_preview(root, tmp_path / "site") as base:
        url = base + "cards/track-your-card/"
        page = fetch(url)
        assert 'id="helpgen-error"' not in page
        article = root / "articles/cards/track-your-card.md"
        good = article.read_text(encoding="utf-8")
        article.write_text(good.replace("level: beginner", "level: expert"), encoding="utf-8")
        deadline = time.monotonic() + 30
        while 'id="helpgen-error"' not in (page := fetch(url)):
            assert time.monotonic() < deadline, "no error overlay within 30 s"
            time.sleep(0.2)
        assert "articles/cards/track-your-card.md:3: error: invalid level `expert`" in page
        assert "ships in two days" in page  # the last good page is still served
        article.write_text(good.replace("ships in two days", "ships today"), encoding="utf-8")
        deadline = time.monotonic() + 30
        while "ships today" not in (page := fetch(url)):
            assert time.monotonic() < deadline, "the fixed article did not show within 30 s"
            time.sleep(0.2)
        assert 'id="helpgen-error"' not in page
