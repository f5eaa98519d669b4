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
    try:
        gaps = json.loads(path.read_text(encoding="utf-8")).get("gaps", [])
    except (ValueError, AttributeError) as exc:
        raise ContentError(f"not a coverage report ({exc}), run `helpgen coverage {kb_root}` again", shown) from None
    for gap in gaps:
        if str(gap.get("id")) == str(number):
            return gap
    if 1 <= number <= len(gaps):
        return gaps[number - 1]
    raise ContentError(f"no gap {number}: the report has {len(gaps)} gaps, pick one from 1 to {len(gaps)}", shown)
