"""Big CSV logs read with every core: this process parses the CSV rows, worker processes build, redact and
digest them in chunks, in the order of the file.

`read_digested` gives what `read_tickets` gives, passed through `digest` one chunk at a time (a picklable
`digest(list_of_tickets)`, run in the workers, so only its compact result travels back): the same tickets
in the same order, the same warnings in the same order, the same redaction counts. Two things depend on
tickets read before a chunk, and when either of them would matter the chunk is built again here, in order:
a ticket id seen before (the duplicate is warned about and skipped), and a file's numeric dates whose
day/month order was settled by an earlier chunk (see `DateParser`).
"""
from __future__ import annotations

import os
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from helpgen.errors import Problem, TicketError
from helpgen.tickets import duplicate_message, expand_paths
from helpgen.tickets.links import LinkFinder
from helpgen.tickets.readers import ReadContext, reader_for
from helpgen.tickets.readers.base import RecordBuilder, check_mapping
from helpgen.tickets.readers.csv_reader import CsvReader
from helpgen.tickets.redact import Redactor

PARALLEL_BYTES = 8 * 1024 * 1024  # smaller logs are read here: starting workers would cost more than it saves
CHUNK = 10_000  # rows a worker builds at a time
QUEUED = 2  # chunks waiting per worker (bounds the memory of rows in flight)


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build tickets as `read_tickets` would."""

    columns: tuple[tuple[str, str], ...]
    links: tuple[tuple[str, str], ...]
    site_url: str
    team_domains: tuple[str, ...]
    patterns: tuple[str, ...] | None  # the redactor's user patterns (tickets.redact); None = no redaction


def workers() -> int:
    """Worker processes for a big log: one per core this process may use, at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


def can_read_in_parallel(paths: Sequence[Path], fmt: str | None = None, min_bytes: int | None = None) -> bool:
    """True for CSV logs of at least `min_bytes` (default PARALLEL_BYTES) together, on a machine with 2+ cores."""
    try:
        files = expand_paths(paths)
        if not files or workers() < 2 or any(not p.is_file() for p in files):
            return False
        if not all(isinstance(reader_for(p, fmt), CsvReader) for p in files):
            return False
        return sum(p.stat().st_size for p in files) >= (PARALLEL_BYTES if min_bytes is None else min_bytes)
    except (OSError, TicketError):
        return False  # the sequential reader reports it with its own message


_CACHE: dict[Settings, tuple[LinkFinder, Redactor | None]] = {}  # per worker process


def _tools(settings: Settings) -> tuple[LinkFinder, Redactor | None]:
    if settings not in _CACHE:
        _CACHE.clear()
        _CACHE[settings] = (LinkFinder(dict(settings.links), settings.site_url),
                            None if settings.patterns is None else Redactor(settings.patterns))
    return _CACHE[settings]


def build_chunk(settings: Settings, path: Path, dayfirst: bool | None, rows: Sequence[tuple], digest=None):
    """Build the tickets of `rows` ((names, line, cells) from `CsvReader.records`) like `read_tickets`:
    (ids, problems as (tickets before it, Problem), redaction counts, whether a date needed the day/month
    order, the order after the chunk, digest(tickets) or with no digest the tickets themselves)."""
    finder, redactor = _tools(settings)
    counts: Counter = Counter()
    if redactor is not None:
        redactor.counts = counts
    tickets: list = []
    problems: list[tuple[int, Problem]] = []
    ctx = ReadContext(columns=dict(settings.columns), links=finder, team_domains=settings.team_domains,
                      redactor=redactor, report=lambda p: problems.append((len(tickets), p)))
    builder = RecordBuilder(ctx, path)
    builder.dates.dayfirst = dayfirst
    build = builder.build
    for names, line, cells in rows:
        ticket = build(dict(zip(names, cells)), line)
        if ticket is not None:
            tickets.append(ticket)
    ids = [t.id for t in tickets]
    dates = builder.dates
    return ids, problems, counts, dates.guessed, dates.dayfirst, digest(tickets) if digest else tickets


def read_digested(paths: Sequence[Path], digest: Callable[[list], Any], *, columns: Mapping[str, str] | None = None,
                  link_map: Mapping[str, str] | None = None, site_url: str = "", team_domains: Sequence[str] = (),
                  redactor: Redactor | None = None, report: Callable[[Problem], None] | None = None,
                  on_progress: Callable[[int, int], None] | None = None, processes: int | None = None,
                  chunk: int | None = None) -> Iterator[Any]:
    """`digest(tickets)` of each chunk of the tickets `read_tickets(paths, ...)` yields (CSV files only; see
    `can_read_in_parallel`), in order; problems go to `report` in the order `read_tickets` gives them, and
    redaction counts to `redactor.counts`."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    check_mapping(columns or {})
    files = expand_paths(paths)
    settings = Settings(tuple(dict(columns or {}).items()), tuple(dict(link_map or {}).items()), site_url,
                        tuple(team_domains), None if redactor is None else tuple(p.pattern for p in redactor._extra))
    total = sum(p.stat().st_size for p in files)
    ctx = ReadContext(columns=dict(columns or {}), report=report)
    seen: set[int] = set()
    n, chunk = processes or workers(), chunk or CHUNK
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    mp = multiprocessing.get_context(method)
    if method == "forkserver":  # workers fork from one process that has imported the digest's module once
        mp.set_forkserver_preload([getattr(digest, "func", digest).__module__])
    pending: deque = deque()
    pool = ProcessPoolExecutor(n, mp_context=mp)
    try:
        done = 0
        for path in files:
            if on_progress is not None:
                ctx.progress = lambda b, base=done: on_progress(min(base + b, total), total)
            state = {"dayfirst": None}  # the file's day/month order as settled by the chunks taken so far
            rows: list = []
            for record in CsvReader().records(path, ctx):
                rows.append(record)
                if len(rows) >= chunk:
                    sent = state["dayfirst"]
                    pending.append((pool.submit(build_chunk, settings, path, sent, rows, digest), path, state, sent,
                                    rows))
                    rows = []
                    while len(pending) > n * QUEUED:
                        yield _settle(pending.popleft(), settings, digest, seen, report, redactor)
            if rows:
                sent = state["dayfirst"]
                pending.append((pool.submit(build_chunk, settings, path, sent, rows, digest), path, state, sent, rows))
            while pending:  # every chunk of this file before the next file's "no tickets" warning
                yield _settle(pending.popleft(), settings, digest, seen, report, redactor)
            done += path.stat().st_size
            if on_progress is not None:
                on_progress(done, total)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _settle(job, settings: Settings, digest, seen: set[int], report, redactor: Redactor | None) -> Any:
    """The digest of one chunk, in order: its problems reported, its ids checked against those seen before.
    The chunk is built again here when a duplicate id or the file's day/month order would change it."""
    future, path, state, sent, rows = job
    ids, problems, counts, guessed, after, result = future.result()
    hashes = [hash(i) for i in ids]
    if len(set(hashes)) < len(hashes) or not seen.isdisjoint(hashes) or (guessed and sent != state["dayfirst"]):
        ids, problems, counts, guessed, after, tickets = build_chunk(settings, path, state["dayfirst"], rows)
        kept, k = [], 0
        for i, ticket in enumerate(tickets):
            while k < len(problems) and problems[k][0] <= i:
                _report(report, problems[k][1])
                k += 1
            key = hash(ticket.id)
            if key in seen:
                _report(report, Problem(ticket.source, ticket.line, "warning", duplicate_message(ticket.id)))
                continue
            seen.add(key)
            kept.append(ticket)
        for _, problem in problems[k:]:
            _report(report, problem)
        result = digest(kept)
        state["dayfirst"] = after
    else:
        for _, problem in problems:
            _report(report, problem)
        seen.update(hashes)
        if sent == state["dayfirst"]:  # else the chunk read no date that needed the order: it stays
            state["dayfirst"] = after
    if redactor is not None:
        redactor.counts.update(counts)
    return result


def _report(report, problem: Problem) -> None:
    if report is not None:
        report(problem)

