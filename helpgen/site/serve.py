"""`helpgen serve`: build the KB into a temporary folder, serve it on HOST:PORT and rebuild when
anything in the KB changes (MkDocs' livereload server reloads open pages)."""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

from helpgen.errors import HelpgenError
from helpgen.kb.problems import open_kb
from helpgen.site.build import build_into

log = logging.getLogger("helpgen.serve")


def make_builder(kb_root: Path, site_dir: Path) -> Callable[[], None]:
    """A function that reloads the KB and rebuilds the site into `site_dir` (raises on errors)."""
    def rebuild() -> None:
        kb = open_kb(kb_root)
        with tempfile.TemporaryDirectory(prefix="helpgen-stage-") as stage:
            result = build_into(kb, site_dir, Path(stage))
        for problem in result.warnings:
            log.warning("%s", problem)

    return rebuild


def preview_server(kb_root: Path, site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> Any:
    """Build once (errors raise), then return a LiveReloadServer watching the KB (not started)."""
    from mkdocs.livereload import LiveReloadServer

    builder = make_builder(Path(kb_root).resolve(), site_dir)
    builder()  # the first build's errors reach the CLI as one line
    server = LiveReloadServer(builder=_logged(builder), host=host, port=port, root=str(site_dir))
    server.watch(str(Path(kb_root).resolve()))
    return server


def serve(kb_root: Path, host: str = "127.0.0.1", port: int = 8000,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve a live preview of `kb_root` until interrupted; the site lives in a temporary folder.
    `on_ready(url)` is called once the site is built and the port is listening."""
    site_dir = Path(tempfile.mkdtemp(prefix="helpgen-serve-"))
    try:
        server = preview_server(kb_root, site_dir, host, port)
        try:
            listen(server, host, port)
            if on_ready is not None:  # the real port when 0 asked for any free one
                on_ready(server.url.replace(f":{port}/", f":{server.server_address[1]}/", 1))
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def listen(server: Any, host: str, port: int) -> None:
    """Bind the server's port now (a busy port is a one-line error, before anything says "Serving");
    its serve() then skips the binding it would do itself."""
    try:
        server.server_bind()
        server.server_activate()
    except OSError as exc:
        raise HelpgenError(f"cannot listen on {host}:{port} ({exc.strerror or exc}), choose another --port or --host")
    server.server_bind = server.server_activate = lambda: None


def _logged(builder: Callable[[], None]) -> Callable[[], None]:
    """Rebuild errors are logged and the last good site keeps being served."""

    def run() -> None:
        try:
            builder()
        except HelpgenError as exc:
            log.error("%s", exc.format_message())

    return run
