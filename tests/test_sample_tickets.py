"""The sample ticket logs are what their generators write (deterministically), and no sentence in them
repeats a BANKING77 question: the sample is written for this project, and the BANKING77 benchmarks stay
honest."""
from __future__ import annotations

import csv
import importlib.util
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BANKING77 = ROOT / ".." / "shared" / "data" / "banking77" / "train.csv"
GENERATORS = {"gen_sample_tickets.py": ROOT / "sample_kb" / "tickets" / "tickets.csv",
              "gen_sample_tickets_zh.py": ROOT / "sample_kb" / "tickets" / "zh" / "tickets.csv"}


def norm(text: str) -> str:
    """Case and punctuation do not make a sentence new."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?。！？])\s+|\n+", text) if s.strip()]


def generator(name: str):
    spec = importlib.util.spec_from_file_location(name[:-3], ROOT / "scripts" / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("script", sorted(GENERATORS))
def test_sample_tickets_are_what_the_generator_writes(script):
    module = generator(script)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=module.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(module.generate())
    assert out.getvalue() == GENERATORS[script].read_text(encoding="utf-8"), \
        f"run `python scripts/{script}` and commit {GENERATORS[script].relative_to(ROOT)}"


def test_no_sample_ticket_sentence_is_a_banking77_question():
    if not BANKING77.is_file():
        pytest.skip(f"BANKING77 is not beside the repository ({BANKING77.resolve()})")
    with open(BANKING77, encoding="utf-8", newline="") as f:
        questions = {norm(row["text"]) for row in csv.DictReader(f)}
    assert len(questions) > 5000
    repeated = set()
    for path in sorted((ROOT / "sample_kb" / "tickets").rglob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                for value in row.values():
                    for sentence in sentences(value or "") + [value or ""]:
                        if norm(sentence) in questions:
                            repeated.add(f"{path.relative_to(ROOT)}: {sentence.strip()}")
    assert sorted(repeated) == []


def test_the_comparison_catches_a_repeat():
    """The check above is not blind: a BANKING77 question with other case and punctuation is found."""
    assert norm("Where is my card??") == norm("where is my card") and "where is my card" in \
        [norm(s) for s in sentences("Hello. Where is my card? Thanks")]
