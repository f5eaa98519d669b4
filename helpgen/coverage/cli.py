"""`helpgen coverage`: ticket logs -> coverage report (thin: parse options, run, write, summarise)."""
from __future__ import annotations

from pathlib import Path

import click

from helpgen.errors import CoverageBelowThreshold
from helpgen.kb.problems import open_kb
from helpgen.report.gaps import DEFAULT_REPORT

DEFAULT_OUT = DEFAULT_REPORT


PHASES = {"read": "Reading tickets", "embed": "Embedding tickets", "match": "Matching", "cluster": "Clustering", "report": "Writing the report"}


@click.command("coverage", epilog="Example: helpgen coverage mykb --tickets exports/tickets.csv --fail-under 0.8")
@click.argument("kb", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--tickets", "tickets", multiple=True, type=click.Path(path_type=Path),
              help="Ticket log file or folder (repeatable); default KB/tickets/.")
@click.option("--format", "fmt", help="Log format, overriding the guess from extension and content.")
@click.option("--map", "mapping", default="", help="Column mapping, e.g. subject=Title,body=Description.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only tickets created on or after this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only tickets created on or before this day.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Report folder (default KB/.helpgen/coverage/).")
@click.option("--assignments", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one row per ticket (.csv or .jsonl).")
@click.option("--fail-under", type=click.FloatRange(0, 1), help="Exit 1 when coverage is below this (0-1).")
@click.option("--publish", is_flag=True, help="Also copy the report to KB/.helpgen/coverage/ for "
              "`helpgen build --include-insights` when -o points elsewhere.")
@click.option("--strict", is_flag=True, help="Fail on bad ticket rows instead of skipping them.")
@click.option("--lang", default="auto", show_default=True,
              help="Language of the tickets (e.g. en, zh): they are matched against that language's articles "
              "and the report is written in it. auto = detect from the tickets' text.")
@click.option("--model", default="", metavar="NAME_OR_PATH",
              help="Semantic matching with this sentence-transformers model (a name, or a local folder; auto = "
              "the default model for the tickets' language); needs pip install 'helpgen[semantic]'. "
              "Default: coverage.model in helpgen.yml, else lexical matching.")
@click.option("--learn", is_flag=True, help="Also learn the words customers use for each article from the tickets "
              "answered with it, into KB/search-terms.yml (see docs/search.md).")
def coverage_command(kb, tickets, fmt, mapping, since, until, output, assignments, fail_under, publish, strict,
                     lang, model, learn):
    """Report which customer questions the help centre does not answer yet."""
    from helpgen.coverage.run import RunOptions, run_coverage
    from helpgen.report.localize import localize
    from helpgen.report.render import headline, remember_report, write_report
    from helpgen.tickets import parse_mapping
    from helpgen.ui import phases

    base = open_kb(kb)
    opts = RunOptions(tickets, fmt, parse_mapping(mapping) if mapping else {},
                      since.date() if since else None, until.date() if until else None, strict, lang, model)
    problems: list = []  # printed once the progress bar is gone
    try:
        with phases() as update:
            result = run_coverage(base, opts, problems.append,
                                  on_progress=lambda done, total: update(PHASES["read"], done, total or None),
                                  on_phase=lambda name: update(PHASES.get(name, name)),
                                  on_embed=lambda done, total: update(PHASES["embed"], done, total))
            update(PHASES["report"])
            localize(result.data)
            out = write_report(result, output or kb / DEFAULT_OUT, assignments)
            if publish and output is not None:
                write_report(result, kb / DEFAULT_OUT)
    finally:
        for problem in problems:
            click.echo(str(problem), err=True)
    remember_report(kb, out)
    click.echo(f"{headline(result.data)} Report: {out}")
    if learn:
        from helpgen.coverage.learn import learn_search_terms
        from helpgen.report.render import write_search_terms

        text, count = learn_search_terms(base, result)
        click.echo(f"Search terms: {count} new term(s) learned, {write_search_terms(kb / 'search-terms.yml', text)}")
    cov = result.data["totals"]["coverage"]
    if fail_under is not None and cov < fail_under:
        raise CoverageBelowThreshold(f"coverage {cov:.1%} is under --fail-under {fail_under:.1%}; write the top "
                                     f"gaps in {out / 'coverage.md'}", str(kb))
