"""Split BANKING77 train.csv into "history" and "new" ticket logs for the coverage benchmark.

Fixed seeds. history = 80% (handled by the team): documented-intent tickets carry, for a fixed 70%,
a reply linking the right article URL from answer_key.yml; the rest, and every undocumented-intent
ticket, were answered by hand without a link. new = 20%, not answered yet, plus the 199 real out-of-scope
requests of ../shared/data/clinc150/out_of_scope.csv (see benchmarks/common.py). Never copies data into the repo.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from common import SHARED, Split, load_key, make_split as _make_split, out_of_scope, write_csv  # noqa: E402,F401

DATA = SHARED / "banking77"
SITE = "https://help.pocket.example/"


def make_split(data: Path = DATA, seed: int = 13, link_share: float = 0.7) -> Split:
    """The fixed-seed split; ticket ids are stable (b77-<row>, oos-<row>)."""
    documented, _ = load_key(HERE / "answer_key.yml")
    with open(data / "train.csv", newline="", encoding="utf-8") as fh:
        rows = [(f"b77-{i}", r["text"], r["category"]) for i, r in enumerate(csv.DictReader(fh))]
    return _make_split(rows, documented, SITE, out_of_scope(), seed, link_share)
