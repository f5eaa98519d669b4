"""Helpers shared by every CLI command: loading a KB with its problems, printing them, progress."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import click

from helpgen.errors import ConfigError, ContentError, Problem
from helpgen.kb.checks import check_kb, untranslated
from helpgen.kb.load import load_kb
from helpgen.kb.model import KnowledgeBase


def collect_problems(path: Path, *, verbose: bool = False) -> tuple[KnowledgeBase, list[Problem]]:
    """Load the KB and run every check: (kb, load + check problems, sorted by path and line)."""
    kb, problems = load_kb(Path(path))
    return kb, sorted(problems + check_kb(kb, verbose=verbose))


def build_problems(path: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """(kb, problems) as collect_problems, but helpgen.yml problems come back as errors with kb None."""
    try:
        return collect_problems(path)
    except ConfigError as exc:
        if not exc.problems:
            raise
        return None, list(exc.problems)


def check_report(path: Path, *, verbose: bool = False) -> tuple[list[Problem], dict[str, list[str]]]:
    """(every problem of the KB, language -> ids of untranslated articles); helpgen.yml problems
    come back as errors instead of raised."""
    try:
        kb, problems = collect_problems(path, verbose=verbose)
    except ConfigError as exc:
        if not exc.problems:
            raise
        return list(exc.problems), {}
    return problems, {lang: [a.id for a in articles] for lang, articles in untranslated(kb).items()}


def check_problems(path: Path) -> list[Problem]:
    """Every problem of the KB, helpgen.yml problems included (as errors) instead of raised."""
    return check_report(path)[0]


def open_kb(path: Path) -> KnowledgeBase:
    """Load and check the KB; raise ContentError naming the first error (warnings are ignored)."""
    kb, problems = collect_problems(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" ({len(errors)} errors)" if len(errors) > 1 else ""
        raise ContentError(f"{first.message}{more}; run `helpgen check {path}` for all problems", first.path, first.line)
    return kb


def count_line(problems: Sequence[Problem]) -> str:
    """`2 errors, 1 warning` or `no problems` (`info` lines are not problems and are not counted)."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    if not errors and not warnings:
        return "no problems"
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def fails(problems: Sequence[Problem], strict: bool) -> bool:
    """True when the problems should stop a check or build: any error, or any warning with --strict
    (`info` never fails)."""
    return any(p.severity == "error" or (strict and p.severity == "warning") for p in problems)


def echo_problems(problems: Iterable[Problem], err: bool = False) -> None:
    """One line per problem: `path:line: error|warning: message`."""
    for problem in problems:
        click.echo(str(problem), err=err)


def problems_json(problems: Sequence[Problem], untranslated: Mapping[str, Sequence[str]] | None = None) -> str:
    """The same problems for editors and CI (stable key order), plus language -> untranslated ids."""
    doc = {"problems": [p.as_dict() for p in problems],
           "errors": sum(p.severity == "error" for p in problems),
           "warnings": sum(p.severity == "warning" for p in problems),
           "infos": sum(p.severity == "info" for p in problems),
           "untranslated": {lang: list(ids) for lang, ids in (untranslated or {}).items()}}
    return json.dumps(doc, indent=2, ensure_ascii=False)


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


# --- `helpgen new` -----------------------------------------------------------------------------

COVERAGE_JSON = Path(".helpgen") / "coverage" / "coverage.json"


GAP_TEXTS = ("label", "suggested_title", "suggested_level", "suggested_stage", "best_reply")


def read_gap(kb_root: Path, number: int) -> dict:
    """The coverage gap with id `number` (else the number-th gap) from KB/.helpgen/coverage/coverage.json,
    with the fields `new` uses checked: ContentError naming the field for a report of the wrong shape."""
    path = Path(kb_root) / COVERAGE_JSON
    shown = str(Path(kb_root) / COVERAGE_JSON)
    again = f"run `helpgen coverage {kb_root}` again"
    if not path.is_file():
        raise ContentError(f"no coverage report, run `helpgen coverage {kb_root}` first", shown)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ContentError(f"not a coverage report ({one_line(exc)}), {again}", shown) from None
    gaps = doc.get("gaps", []) if isinstance(doc, dict) else None
    if not isinstance(gaps, list):
        got = "the file" if not isinstance(doc, dict) else "`gaps`"
        raise ContentError(f"not a coverage report: {got} is {json_kind(gaps if isinstance(doc, dict) else doc)}, "
                           f"not a list of gaps; {again}", shown)
    gap = next((g for g in gaps if isinstance(g, dict) and str(g.get("id")) == str(number)), None)
    if gap is None and 1 <= number <= len(gaps):
        gap = gaps[number - 1]
    if gap is None:
        raise ContentError(f"no gap {number}: the report has {len(gaps)} gaps, pick one from 1 to {len(gaps)}", shown)
    if not isinstance(gap, dict):
        raise ContentError(f"gap {number} is {json_kind(gap)}, not an object; {again}", shown)
    for key in GAP_TEXTS:
        if gap.get(key) is not None and not isinstance(gap[key], str):
            raise ContentError(f"gap {number}: `{key}` must be text, got {json_kind(gap[key])}; {again}", shown)
    examples = gap.get("examples")
    if examples is not None and not (isinstance(examples, list) and all(isinstance(e, str) for e in examples)):
        got = json_kind(examples) if not isinstance(examples, list) else \
            "an item that is " + json_kind(next(e for e in examples if not isinstance(e, str)))
        raise ContentError(f"gap {number}: `examples` must be a list of text, got {got}; {again}", shown)
    return gap


def json_kind(value: object) -> str:
    """`a list`, `the number 5`, ... for messages about JSON of the wrong shape."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None or isinstance(value, bool):
        return f"`{json.dumps(value)}`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {json.dumps(str(value)[:40], ensure_ascii=False)}"


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def new_article_text(title: str, level: str, stage: str, *, updated: str,
                     questions: Sequence[str] = (), draft: bool = False, seed: str = "") -> str:
    """The Markdown of a new article: front matter, then a body to replace."""
    import yaml

    meta: dict = {"title": title, "level": level, "stage": stage}
    if questions:
        meta["questions"] = list(questions)
    if draft:
        meta["draft"] = True
    meta["updated"] = updated
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    front = front.replace(f"updated: '{updated}'", f"updated: {updated}")
    hint = "# summary: one sentence, shown in lists and the starter handbook\n"
    if seed:
        body = ("<!-- Draft from a coverage gap: the best reply the team sent. "
                "Rewrite it as an answer anyone can follow, then remove `draft: true`. -->\n\n" + seed.strip() + "\n")
    else:
        body = "Write the answer here: start with the step that solves the customer's problem.\n"
    return f"---\n{front}{hint}---\n\n{body}"
