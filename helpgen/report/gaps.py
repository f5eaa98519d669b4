"""Where a KB's coverage report is, and reading one of its gaps back (`helpgen new --from-gap N`).

`helpgen coverage` writes its report to `-o DIR` (default KB/.helpgen/coverage/) and records that folder
in KB/.helpgen/last-report, so `helpgen new KB --from-gap N` finds the last report wherever it went;
`--report DIR` names another one.
"""
from __future__ import annotations

import json
from pathlib import Path

from helpgen.errors import ContentError

DEFAULT_REPORT = Path(".helpgen") / "coverage"  # the report folder when `helpgen coverage` has no -o
LAST_REPORT = Path(".helpgen") / "last-report"  # one line: the folder of the last report (relative to the KB)
REPORT_JSON = "coverage.json"
GAP_TEXTS = ("label", "suggested_title", "suggested_level", "suggested_stage", "best_reply")


def last_report(kb_root: Path) -> Path:
    """The folder of the KB's last coverage report: the one KB/.helpgen/last-report names, else the default."""
    kb_root = Path(kb_root)
    pointer = kb_root / LAST_REPORT
    named = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
    return kb_root / named if named else kb_root / DEFAULT_REPORT


def report_json(kb_root: Path, report_dir: Path | None = None) -> Path:
    """coverage.json of `report_dir`, or of the KB's last report."""
    return Path(report_dir if report_dir is not None else last_report(kb_root)) / REPORT_JSON


def read_gap(kb_root: Path, number: int, report_dir: Path | None = None) -> dict:
    """The coverage gap with id `number` (else the number-th gap) from the report's coverage.json."""
    path = report_json(kb_root, report_dir)
    shown = str(path)
    if not path.is_file():
        if report_dir is None:
            raise ContentError(f"no coverage report, run `helpgen coverage {kb_root}` first (or give --report DIR)", shown)
        raise ContentError(f"no coverage report in --report {report_dir}, give the folder `helpgen coverage -o` wrote",
                           shown)
    again = f"run `helpgen coverage {kb_root}` again"
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
    if gap is None and not gaps:
        raise ContentError(f"no gap {number}: the report has no gaps, so there is nothing to draft; write the "
                           "article without --from-gap", shown)
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
