"""Split the CLINC150 questions of one domain into "history" and "new" ticket logs (see benchmarks/common.py).

The domain is the one named in answer_key.yml; its 15 intents' questions (train and val splits of
../shared/data/clinc150/train.csv, 120 per intent) are split 80/20 with fixed seeds, and the real
out-of-scope requests of out_of_scope.csv join the "new" log. Never copies data into the repo.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from common import SHARED, Split, load_key, make_split as _make_split, out_of_scope  # noqa: E402

DATA = SHARED / "clinc150"
KB = HERE / "kb"
SITE = "https://help.motorwise.example/"


def domain() -> str:
    return yaml.safe_load((HERE / "answer_key.yml").read_text(encoding="utf-8"))["domain"]


def questions(data: Path = DATA) -> list[tuple[str, str, str]]:
    """(id, text, intent) of the domain's questions; ids are stable (c150-<row>)."""
    dom = domain()
    with open(data / "train.csv", newline="", encoding="utf-8") as fh:
        return [(f"c150-{i}", r["text"], r["intent"]) for i, r in enumerate(csv.DictReader(fh)) if r["domain"] == dom]


def make_split(data: Path = DATA, seed: int = 13, link_share: float = 0.7) -> Split:
    documented, _ = load_key(HERE / "answer_key.yml")
    return _make_split(questions(data), documented, SITE, out_of_scope(data / "out_of_scope.csv"), seed, link_share)
