"""A KB with its problems: loading and checking it in one call, counting, judging and exporting the problems."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Sequence

from helpgen.errors import ConfigError, ContentError, Problem
from helpgen.kb.checks import (LevelGuess, _duplicates, _error_code_owners, check_article, check_kb, today_default,
                               untranslated)
from helpgen.kb.load import load_kb, reload_articles
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


def open_kb(path: Path) -> KnowledgeBase:
    """Load and check the KB; raise ContentError naming the first error (warnings are ignored)."""
    kb, problems = collect_problems(path)
    _raise_first_error(problems, path)
    return kb


def refresh_kb(kb: KnowledgeBase, rels: Sequence[str]) -> KnowledgeBase:
    """`kb` with some existing article files read again (the live preview's quick path). Raises like
    `open_kb` on the errors such an edit can cause: the files' own (front matter, level, stage, title)
    and the KB-wide ones an article's content can break (an id or error code claimed twice). Link and
    other warnings are left to `helpgen check` and full builds; anything else that changed (a new or
    deleted file, helpgen.yml) goes through `open_kb`."""
    new, problems = reload_articles(kb, rels)
    today, guess, read = today_default(), LevelGuess(new), set(rels)
    for article in new.articles:
        if article.source in read:
            problems.extend(check_article(new, article, today, guess))
    problems.extend(_duplicates(new))
    problems.extend(_error_code_owners(new))
    _raise_first_error(sorted(problems), kb.root)
    return new


def _raise_first_error(problems: Sequence[Problem], path: Path) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" ({len(errors)} errors)" if len(errors) > 1 else ""
        raise ContentError(f"{first.message}{more}; run `helpgen check {path}` for all problems", first.path, first.line)


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


def problems_json(problems: Sequence[Problem], untranslated: Mapping[str, Sequence[str]] | None = None) -> str:
    """The same problems for editors and CI (stable key order), plus language -> untranslated ids."""
    doc = {"problems": [p.as_dict() for p in problems],
           "errors": sum(p.severity == "error" for p in problems),
           "warnings": sum(p.severity == "warning" for p in problems),
           "infos": sum(p.severity == "info" for p in problems),
           "untranslated": {lang: list(ids) for lang, ids in (untranslated or {}).items()}}
    return json.dumps(doc, indent=2, ensure_ascii=False)
