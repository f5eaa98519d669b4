"""`helpgen search KB "query"` and `helpgen search KB --eval questions.csv`."""
from __future__ import annotations

from pathlib import Path

import click

from helpgen.errors import HelpgenError
from helpgen.kb.problems import open_kb
from helpgen.search.index import Evaluation, build_index, evaluate_file, search


def format_evaluation(ev: Evaluation) -> str:
    lines = [f"questions: {ev.total}", f"recall@1: {ev.recall_at_1:.3f}", f"recall@3: {ev.recall_at_3:.3f}",
             f"MRR: {ev.mrr:.3f}"]
    if ev.misses:
        lines.append(f"misses ({len(ev.misses)}):")
        for m in ev.misses:
            rank = f"rank {m.rank}" if m.rank else "not found"
            lines.append(f"  {m.question!r}: expected {m.expected} ({rank}), first: {m.first or '(nothing)'}")
    return "\n".join(lines)


@click.command("search")
@click.argument("kb", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("query", required=False)
@click.option("--eval", "eval_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with columns question,expected_article: print recall@1, recall@3, MRR and the misses.")
@click.option("--lang", default="", help="Language of the site to search (default: the KB's default language).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Results to show.")
def search_command(kb: Path, query: str | None, eval_csv: Path | None, lang: str, limit: int) -> None:
    """Search the help centre from the terminal, ranked as the site ranks it.

    Example: helpgen search sample_kb "why was I charged twice"
    """
    if bool(query) == bool(eval_csv):
        raise click.UsageError("give either a QUERY or --eval questions.csv")
    knowledge_base = open_kb(kb)
    lang = lang or knowledge_base.config.language
    if lang not in knowledge_base.config.all_languages:
        raise HelpgenError(f"unknown language `{lang}`, use one of: {', '.join(knowledge_base.config.all_languages)}")
    idx = build_index(knowledge_base, lang)
    if eval_csv:
        click.echo(format_evaluation(evaluate_file(idx, eval_csv)))
        return
    hits = search(idx, query or "", limit)
    if not hits:
        click.echo("no results")
    for hit in hits:
        click.echo(f"{hit.score:>9.3f}  {hit.id}  {hit.title}")
