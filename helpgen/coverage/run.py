"""One call for the CLI: read the ticket logs (redacted, streamed) and analyse them against the KB."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Mapping, Sequence

from helpgen.coverage.analyse import CoverageResult, analyse
from helpgen.errors import Problem, TicketError
from helpgen.kb.model import KnowledgeBase


@dataclass
class RunOptions:
    tickets: Sequence[Path] = ()
    fmt: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    since: date | None = None
    until: date | None = None
    strict: bool = False


def link_map(kb: KnowledgeBase) -> dict[str, str]:
    """Article URL (relative to the site root) -> article id, as the site publishes them."""
    try:
        from helpgen.site.catalogue import article_url
    except ImportError:  # pragma: no cover - site package written in parallel
        return {a.url: a.id for a in kb.published}
    return {article_url(kb, a): a.id for a in kb.published}


def run_coverage(kb: KnowledgeBase, opts: RunOptions, report: Callable[[Problem], None],
                 on_progress: Callable[[int, int], None] | None = None) -> CoverageResult:
    """Read every log (default KB/tickets/), redact, analyse; bad rows go to `report` (fatal with strict)."""
    from helpgen.tickets import Redactor, read_tickets

    paths = list(opts.tickets) or [kb.root / "tickets"]
    if not opts.tickets and not paths[0].is_dir():
        raise TicketError("no ticket logs: pass --tickets FILE or put exports in KB/tickets/", str(paths[0]))
    redactor = Redactor(kb.config.tickets.redact)
    warnings: list[Problem] = []

    def on_problem(p: Problem) -> None:
        warnings.append(p)
        report(p)

    columns = {**kb.config.tickets.columns, **opts.columns}
    tickets = read_tickets(paths, fmt=opts.fmt, columns=columns, link_map=link_map(kb),
                           site_url=kb.config.site_url, team_domains=kb.config.tickets.team_domains,
                           redactor=redactor, report=on_problem, on_progress=on_progress)
    result = analyse(kb, tickets, since=opts.since, until=opts.until, redacted=redactor.counts)
    if opts.strict and warnings:
        raise TicketError(f"{len(warnings)} ticket problem(s) and --strict is on: fix them or drop --strict",
                          warnings[0].path, warnings[0].line)
    if not result.rows.ids:
        raise TicketError("no tickets to analyse (empty logs, or all outside --since/--until)", str(paths[0]))
    return result
