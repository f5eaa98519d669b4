"""`helpgen serve`: build the KB into a temporary folder, serve it on HOST:PORT and rebuild when
anything in the KB changes (MkDocs' livereload server reloads open pages)."""
from __future__ import annotations

import html
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from helpgen.errors import HelpgenError
from helpgen.site.live import IGNORED, LiveSite

log = logging.getLogger("helpgen.serve")

OVERLAY = ('<div id="helpgen-error" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:10000;'
           'margin:0;padding:1em 1.5em;background:#b71c1c;color:#fff;font:14px/1.5 monospace;'
           'white-space:pre-wrap">{message}\n(the page shows the last good build; fix the file and save)</div>')


def make_builder(kb_root: Path, site_dir: Path) -> Callable[[], None]:
    """A function that brings the site in `site_dir` up to date with the KB (raises on errors):
    the first call builds everything, later calls re-render only what an edit changed."""
    live = LiveSite(Path(kb_root), site_dir)

    def rebuild() -> None:
        started, first = time.perf_counter(), live.kb is None
        update = live.build() if first else live.update()
        for problem in update.warnings:
            log.warning("%s", problem)
        if update.kind != "none" and not first:
            what = f"{len(update.pages)} page(s)" if update.kind == "incremental" else "the whole site"
            log.info("rebuilt %s in %.2f s", what, time.perf_counter() - started)

    rebuild.live = live  # type: ignore[attr-defined]
    return rebuild


def preview_server(kb_root: Path, site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> Any:
    """Build once (errors raise), then return a LiveReloadServer watching the KB (not started).
    Its `first_build` attribute holds how long that build took (seconds)."""
    builder = make_builder(Path(kb_root).resolve(), site_dir)
    started = time.perf_counter()
    try:
        builder()  # the first build's errors reach the CLI as one line
    except BaseException:
        builder.live.close()  # type: ignore[attr-defined]
        raise
    server = _server_class()(builder=lambda: None, host=host, port=port, root=str(site_dir))
    server.builder = _logged(builder, server)
    server.first_build = time.perf_counter() - started
    server.watch(str(Path(kb_root).resolve()))
    return server


def _server_class() -> type:
    from mkdocs.livereload import LiveReloadServer

    class PreviewServer(LiveReloadServer):
        """MkDocs' live-reload server; while the KB has an error, every page shows it in an overlay."""

        error: str = ""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            try:  # inotify & co.: a save is seen at once, without stat-ing every file twice a second
                from watchdog.observers import Observer

                self.observer = Observer()
            except Exception:  # pragma: no cover - keep MkDocs' polling observer
                pass

        def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
            """Rebuild on changes to files of the KB (not on reads, not under .helpgen/ or .git/)."""
            import watchdog.events

            root = os.path.abspath(path)

            def changed(event: Any) -> None:
                if event.is_directory or event.event_type not in CHANGES:
                    return
                paths = [event.src_path, getattr(event, "dest_path", "") or event.src_path]
                if all(_ignored(root, os.fsdecode(p)) for p in paths):
                    return
                with self._rebuild_cond:
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

            handler = watchdog.events.FileSystemEventHandler()
            handler.on_any_event = changed  # type: ignore[method-assign]
            self._watched_paths[root] = 1
            self._watch_refs[root] = self.observer.schedule(handler, root, recursive=recursive)

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            content = super()._inject_js_into_html(content, epoch)
            if not self.error:
                return content
            overlay = OVERLAY.format(message=html.escape(self.error)).encode("utf-8")
            end = content.rfind(b"</body>")
            return content[:end] + overlay + content[end:] if end >= 0 else content + overlay

    return PreviewServer


CHANGES = ("created", "modified", "deleted", "moved")


def _ignored(root: str, path: str) -> bool:
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return rel.split("/", 1)[0] in IGNORED


def serve(kb_root: Path, host: str = "127.0.0.1", port: int = 8000,
          on_ready: Callable[[str, float], None] | None = None) -> None:
    """Serve a live preview of `kb_root` until interrupted; the site lives in a temporary folder.
    `on_ready(url, seconds of the first build)` is called once the site is built and the port listens."""
    site_dir = Path(tempfile.mkdtemp(prefix="helpgen-serve-"))
    server = None
    try:
        server = preview_server(kb_root, site_dir, host, port)
        try:
            listen(server, host, port)
            if on_ready is not None:  # the real port when 0 asked for any free one
                on_ready(server.url.replace(f":{port}/", f":{server.server_address[1]}/", 1), server.first_build)
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        if server is not None:
            server.builder.live.close()
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


def _logged(builder: Callable[[], None], server: Any) -> Callable[[], None]:
    """Rebuild errors are logged and shown over every page; the last good site keeps being served."""

    def run() -> None:
        try:
            builder()
        except HelpgenError as exc:
            server.error = exc.format_message()
            log.error("%s", server.error)
        else:
            if server.error:
                log.info("the error is fixed")
            server.error = ""

    run.live = builder.live  # type: ignore[attr-defined]
    return run
