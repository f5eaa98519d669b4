"""Reading support-ticket logs into normalised, redacted Tickets (`read_tickets`)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from helpgen.errors import Problem, TicketError
from helpgen.tickets.links import LinkFinder
from helpgen.tickets.model import Reply, Ticket
from helpgen.tickets.readers import FORMATS, READERS, ReadContext, parse_mapping, reader_for
from helpgen.tickets.readers.base import check_mapping
from helpgen.encoding import read_text_file
from helpgen.tickets.redact import Redactor

__all__ = ["FORMATS", "Redactor", "Reply", "Ticket", "expand_paths", "parse_mapping", "read_text_file",
           "read_tickets"]
SKIPPED_NAMES = ("readme", "license", "changelog")


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files to read: a folder gives the ticket files directly inside it (sorted; subfolders such as
    `tickets/zh/` are left for an explicit --tickets) and, when it holds .eml files, itself."""
    result: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise TicketError("no such file or folder; check the --tickets path", str(path))
        if not path.is_dir():
            result.append(path)
            continue
        files = sorted(p for p in path.iterdir() if p.is_file() and not _skipped(p))
        if any(p.suffix.lower() == ".eml" for p in files):
            result.append(path)
        known = {ext for r in READERS for ext in r.extensions} - {".eml", ".txt"}
        result.extend(p for p in files if p.suffix.lower() in known)
    return result


def _skipped(path: Path) -> bool:
    return any(part.startswith(".") for part in path.parts[-1:]) or path.stem.lower() in SKIPPED_NAMES


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*.eml") if p.is_file())
    return path.stat().st_size


def read_tickets(paths: Sequence[Path], *, fmt: str | None = None, columns: Mapping[str, str] | None = None,
                 link_map: Mapping[str, str] | None = None, site_url: str = "", team_domains: Sequence[str] = (),
                 redactor: Redactor | None = None, report: Callable[[Problem], None] | None = None,
                 on_progress: Callable[[int, int], None] | None = None) -> Iterator[Ticket]:
    """Every ticket of every file, redacted, each id once (duplicates are warned about and skipped).

    Fatal problems raise TicketError(`path:line: ...`); bad rows go to `report` as warnings and are skipped.
    `on_progress(done_bytes, total_bytes)` is called now and then while reading.
    """
    check_mapping(columns or {})
    files = expand_paths(paths)
    total = sum(_size(p) for p in files)
    ctx = ReadContext(columns=dict(columns or {}), links=LinkFinder(link_map, site_url),
                      team_domains=tuple(team_domains), redactor=redactor, report=report)
    seen: set[int] = set()  # hashes of ids: ~60 bytes a ticket, the only memory that grows with the log
    done = 0
    for path in files:
        if on_progress is not None:
            ctx.progress = lambda n, base=done: on_progress(min(base + n, total), total)
        for ticket in _read_one(path, fmt, ctx):
            key = hash(ticket.id)
            if key in seen:
                ctx.warn(ticket.source, ticket.line, duplicate_message(ticket.id))
                continue
            seen.add(key)
            yield ticket
        done += _size(path)
        if on_progress is not None:
            on_progress(done, total)


def duplicate_message(ident: str) -> str:
    return f"duplicate ticket id `{ident}`, counted once (the first copy is kept)"


def _read_one(path: Path, fmt: str | None, ctx: ReadContext) -> Iterator[Ticket]:
    try:
        yield from reader_for(path, fmt).read(path, ctx)
    except OSError as exc:
        raise TicketError(f"cannot read the file ({exc.strerror or exc}); check the path and its permissions",
                          str(path)) from None
