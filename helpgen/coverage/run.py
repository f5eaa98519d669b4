"""One call for the CLI: read the ticket logs (redacted, streamed) and analyse them against the KB."""
from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from helpgen.coverage.analyse import CoverageResult, Table, _append, _bound, _epoch, analyse
from helpgen.coverage.match import tokens_of
from helpgen.errors import HelpgenError, Problem, TicketError
from helpgen.kb.model import KnowledgeBase
from helpgen.text import CJK
from helpgen.tickets.model import Ticket
from helpgen.urls import article_url, lang_prefix, page_url

DETECT_TICKETS = 200  # tickets looked at to guess the log's language
CJK_SHARE = 0.3  # Chinese when at least this share of the letters in them are CJK characters
_CJK = CJK
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class RunOptions:
    tickets: Sequence[Path] = ()
    fmt: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    since: date | None = None
    until: date | None = None
    strict: bool = False
    lang: str | None = None  # None or "auto" = detect from the tickets
    model: str = ""  # sentence-transformers name or folder ("" = helpgen.yml's coverage.model, else lexical)


def link_map(kb: KnowledgeBase) -> dict[str, str]:
    """Article URL (relative to the site root) -> article id, as the site publishes them: every language,
    and the fallback pages of untranslated articles (`zh/<id>/` for an English-only article)."""
    out = {article_url(kb, a): a.id for a in kb.published}
    for lang in kb.config.all_languages[1:]:  # untranslated ids have fallback pages under LANG/ too
        for aid, url in article_urls(kb, lang, [a.id for a in kb.in_language("")]).items():
            out.setdefault(url, aid)
    return out


def cjk_share(texts: Iterable[str]) -> float:
    """Share of CJK characters among the CJK characters and Latin letters of `texts`."""
    cjk = latin = 0
    for text in texts:
        cjk += len(_CJK.findall(text))
        latin += len(_LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def detect_language(kb: KnowledgeBase, texts: Sequence[str]) -> str:
    """The KB language the tickets are written in: a `zh*` one when CJK dominates, else a non-Chinese one."""
    langs = kb.config.all_languages
    if cjk_share(texts) >= CJK_SHARE:
        return next((lang for lang in langs if lang.lower().startswith("zh")), "zh")
    return next((lang for lang in langs if not lang.lower().startswith("zh")), "en")


def language_view(kb: KnowledgeBase, lang: str) -> KnowledgeBase:
    """The KB as coverage sees it for tickets in `lang`: that language's articles as the default ones,
    with default-language articles standing in for ids not translated into `lang`."""
    if lang in ("", kb.config.language):
        return kb
    own = {a.id: replace(a, lang="") for a in kb.in_language(lang)}
    for a in kb.in_language(""):
        own.setdefault(a.id, a)
    return replace(kb, articles=tuple(own[i] for i in sorted(own)))


def article_urls(kb: KnowledgeBase, lang: str, ids: Iterable[str]) -> dict[str, str]:
    """Article id -> URL on the `lang` site (`zh/cards/x/`; untranslated ids have fallback pages there)."""
    prefix = lang_prefix(kb, lang if lang in kb.config.all_languages else "")  # no such site: default one
    return {i: prefix + page_url(f"{i}.md") for i in ids}


def _embedder(kb: KnowledgeBase, model: str, lang: str):
    """The sentence embedder for --model, else helpgen.yml's coverage.model (a folder relative to the KB); None
    = lexical matching."""
    from helpgen.coverage.embed import load_embedder, model_for

    if model:
        return load_embedder(model_for(model, lang))
    if kb.config.coverage.model:
        try:
            return load_embedder(model_for(kb.config.coverage.model, lang), base=kb.root)
        except HelpgenError as exc:  # point at the helpgen.yml line that named the model
            raise HelpgenError(f"coverage.model: {exc.message}", str(kb.root / kb.config.source),
                               kb.config.line_of("coverage.model")) from None
    return None


def _peek(tickets: Iterator[Ticket], n: int) -> tuple[list[Ticket], Iterator[Ticket]]:
    head = list(itertools.islice(tickets, n))
    return head, itertools.chain(head, tickets)


def run_coverage(kb: KnowledgeBase, opts: RunOptions, report: Callable[[Problem], None],
                 on_progress: Callable[[int, int], None] | None = None,
                 on_phase: Callable[[str], None] | None = None,
                 on_embed: Callable[[int, int], None] | None = None) -> CoverageResult:
    """Read every log (default KB/tickets/), redact, analyse; bad rows go to `report` (fatal with strict).
    `on_progress(done_bytes, total_bytes)` while reading, then `on_phase("match")`, `on_phase("cluster")`.
    With a model (--model or coverage.model) matching is semantic; `on_embed(done, total)` follows the
    tickets being embedded."""
    from helpgen.tickets import Redactor, read_tickets
    from helpgen.tickets.parallel import can_read_in_parallel

    paths = list(opts.tickets) or [kb.root / "tickets"]
    if not opts.tickets and not paths[0].is_dir():
        raise TicketError("no ticket logs: pass --tickets FILE or put exports in KB/tickets/", str(paths[0]))
    redactor = Redactor(kb.config.tickets.redact)
    warnings: list[Problem] = []

    def on_problem(p: Problem) -> None:
        warnings.append(p)
        report(p)

    columns = {**kb.config.tickets.columns, **opts.columns}
    settings = dict(fmt=opts.fmt, columns=columns, link_map=link_map(kb), site_url=kb.config.site_url,
                    team_domains=kb.config.tickets.team_domains)
    lang = opts.lang
    if can_read_in_parallel(paths, opts.fmt):  # a big CSV log: read and tokenised on every core
        if lang in (None, "", "auto"):
            head = itertools.islice(read_tickets(paths, **settings, redactor=Redactor(kb.config.tickets.redact)),
                                  DETECT_TICKETS)  # a fresh redactor: these tickets are counted below
            lang = detect_language(kb, [t.text for t in head])
        view = language_view(kb, lang)
        tickets = read_table(paths, [a.id for a in view.in_language("")], opts.since, opts.until, redactor=redactor,
                             report=on_problem, on_progress=on_progress, **settings)
    else:
        tickets = read_tickets(paths, **settings, redactor=redactor, report=on_problem, on_progress=on_progress)
        if lang in (None, "", "auto"):
            head, tickets = _peek(iter(tickets), DETECT_TICKETS)
            lang = detect_language(kb, [t.text for t in head])
    phase = (lambda name, _n: on_phase(name) if name != "read" else None) if on_phase else None
    embedder = _embedder(kb, opts.model, lang)
    result = analyse(language_view(kb, lang), tickets, since=opts.since, until=opts.until,
                     redacted=redactor.counts, progress=phase, embedder=embedder, embed_progress=on_embed)
    if opts.strict and warnings:
        raise TicketError(f"{len(warnings)} ticket problem(s) and --strict is on: fix them or drop --strict",
                          warnings[0].path, warnings[0].line)
    if not result.rows.ids:
        raise TicketError("no tickets to analyse (empty logs, or all outside --since/--until)", str(paths[0]))
    add_urls(result.data, lang, article_urls(kb, lang, result.rows.article_ids),
             {s.id: s.label_in(lang) for s in kb.config.stages})
    return result


def read_table(paths: Sequence[Path], article_ids: Sequence[str], since: date | None = None,
               until: date | None = None, **read_options) -> Table:
    """The columns `analyse` needs of every ticket `read_tickets(paths, **read_options)` gives, as
    `analyse.collect` keeps them, read by worker processes (helpgen.tickets.parallel): a big CSV log is read,
    redacted and tokenised on every core, and only compact columns come back."""
    from functools import partial

    from helpgen.tickets.parallel import read_digested

    read_options.pop("fmt", None)
    digest = partial(_digest, {a: i for i, a in enumerate(article_ids)}, _bound(since, False), _bound(until, True))
    table = Table()
    for part in read_digested(paths, digest, **read_options):
        for f in fields(Table):
            mine, theirs = getattr(table, f.name), getattr(part, f.name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            elif isinstance(mine, list):
                mine.extend(theirs)
            else:
                setattr(table, f.name, mine + theirs)
    return table


def _digest(index: Mapping[str, int], lo: float, hi: float, tickets: Sequence[Ticket]) -> Table:
    """`analyse.collect` of one chunk of tickets (already without duplicate ids), with their tokens."""
    table = Table()
    for ticket in tickets:
        when = _epoch(ticket.created)
        if when == when and not lo <= when <= hi:
            continue
        _append(table, ticket, when, index)
    table.tokens = tokens_of(table.texts)
    return table


def add_urls(data: dict, lang: str, urls: Mapping[str, str], stage_labels: Mapping[str, str] | None = None) -> dict:
    """Record the report's language, its article URLs (`articles[].url`, `gaps[].nearest_url`) and the label
    of each suggested stage in that language (`stage_labels`: stage id -> label, from helpgen.yml)."""
    data["lang"] = lang
    for art in data["articles"]:
        art["url"] = urls.get(art["id"], "")
    for gap in data["gaps"]:
        gap["nearest_url"] = urls.get(gap["nearest_article"] or "", "")
        gap["suggested_stage_label"] = (stage_labels or {}).get(gap["suggested_stage"], gap["suggested_stage"])
    return data
