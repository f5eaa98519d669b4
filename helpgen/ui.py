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


@contextmanager
def phases(console: "object | None" = None) -> Iterator:
    """One rich progress bar for work done in phases, silent (a no-op) when stderr is not a terminal.

    Yields a function `update(phase, done, total)`: `phase` becomes the bar's label, `done` of
    `total` its fill and percentage (`total` None: a phase of unknown length, shown as a pulse).
    The bar disappears when the work ends, so what is printed afterwards starts on a clean line.
    `console` (a rich Console) is for tests.
    """
    if console is None and not sys.stderr.isatty():
        yield lambda phase, done=0, total=None: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[share]}"), TimeElapsedColumn())
    with Progress(*columns, console=console or Console(stderr=True), transient=True) as bar:
        task = None  # added at the first update: no empty bar before the work starts

        def update(phase: str, done: int = 0, total: int | None = None) -> None:
            nonlocal task
            share = f"{100 * done // total:3d}%" if total else ""
            if task is None:
                task = bar.add_task(phase, total=total, completed=done, share=share)
            else:
                bar.update(task, description=phase, completed=done, total=total, share=share)

        yield update
