"""The second-domain KB of the benchmarks (benchmarks/clinc150/kb, a fictional connected-car app): it passes
`helpgen check --strict`, uses its own stage ids, and its answer key names real articles."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.config import DEFAULT_STAGES
from helpgen.kb.load import load_kb

REPO = Path(__file__).resolve().parents[1]
KB = REPO / "benchmarks" / "clinc150" / "kb"
KEY = REPO / "benchmarks" / "clinc150" / "answer_key.yml"
CLINC = REPO / ".." / "shared" / "data" / "clinc150"


def test_second_domain_kb_passes_strict_check():
    result = CliRunner().invoke(main, ["check", str(KB), "--strict"])
    assert (result.exit_code, result.output) == (0, "no problems\n")


def test_second_domain_kb_has_its_own_stages_and_20_to_30_articles():
    kb, _ = load_kb(KB)
    assert 20 <= len(kb.published) <= 30
    assert not set(kb.config.stage_ids) & {s.id for s in DEFAULT_STAGES}
    assert {s for a in kb.published for s in a.stages} == set(kb.config.stage_ids)
    assert sum(a.level == "troubleshooting" for a in kb.published) >= 3
    assert all(a.summary and len(a.questions) >= 3 for a in kb.published)


def test_answer_key_names_real_articles_and_leaves_a_third_undocumented():
    key = yaml.safe_load(KEY.read_text(encoding="utf-8"))
    ids = {a.id for a in load_kb(KB)[0].published}
    assert sorted({i for arts in key["documented"].values() for i in arts} - ids) == []
    assert not set(key["documented"]) & set(key["undocumented"])
    assert len(key["undocumented"]) == 5 and len(key["documented"]) == 10


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def test_articles_never_repeat_a_clinc150_sentence():
    if not (CLINC / "train.csv").is_file():
        pytest.skip(f"{CLINC} is absent (the CLINC150 data lives in ../shared beside the repository)")
    with open(CLINC / "train.csv", newline="", encoding="utf-8") as fh:
        sentences = {_norm(r["text"]) for r in csv.DictReader(fh)}
    copied = [(a.id, q) for a in load_kb(KB)[0].published for q in a.questions if _norm(q) in sentences]
    lines = [(a.id, line) for a in load_kb(KB)[0].published for line in a.body.splitlines()
             if _norm(line) and _norm(line) in sentences]
    assert copied == [] and lines == []
