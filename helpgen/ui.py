"""Terminal feedback for the CLI: a progress bar that stays silent when nobody watches."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator:
    """A rich progress bar on stderr, silent (a no-op) when stderr is not a terminal.

    Yields a function `advance(n=1)`.
    """
    if not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)
