"""Search recall on BANKING77 questions: the built sample_kb site in headless chromium vs `helpgen search`.

A fixed-seed sample of 300 questions whose intent is documented (answer_key.yml) is typed into
Material's search box; the result links are mapped to articles through articles.json. The same
questions go through helpgen's lunr.py index. Prints recall@1, recall@3 and MRR side by side.

    /work/venv/bin/python benchmarks/banking77/search_recall.py [--n 300] [--seed 77] [--site DIR] [--misses]

Needs ../shared/data/banking77 beside the repo (never copied into it) and /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data" / "banking77"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))  # search_harness: the e2e tests' browser driver

sys.path.insert(0, str(ROOT / "benchmarks"))

from common import browser_run, build_site, lunr_run, print_recall  # noqa: E402

TARGET_RECALL_3 = 0.85


def sample_questions(n: int, seed: int) -> list[tuple[str, list[str]]]:
    """(question, expected article ids) for a fixed-seed sample of documented-intent questions."""
    key = yaml.safe_load((ROOT / "benchmarks/banking77/answer_key.yml").read_text(encoding="utf-8"))["documented"]
    with open(DATA / "train.csv", encoding="utf-8", newline="") as handle:
        rows = [(r["text"].strip(), key[r["category"]]) for r in csv.DictReader(handle) if r["category"] in key]
    rows.sort()
    return random.Random(seed).sample(rows, min(n, len(rows)))


VARIANTS = ("helpgen", "no-rewrite", "material", "pagefind")


def use_variant(variant: str) -> None:
    """Ablations: `no-rewrite` keeps helpgen's index but sends queries unchanged (no config.helpgen
    for the override script); `material` is Material's search as configured out of the box;
    `pagefind` is helpgen's Pagefind backend (`search: pagefind`, see docs/search.md)."""
    from helpgen.search import site_index

    if variant in ("no-rewrite", "material"):
        site_index.help_data = lambda *args, **kwargs: None
    if variant == "material":
        site_index.search_plugin_config = lambda kb, **kwargs: {}
        site_index.postprocess_search_index = lambda site_dir, kb: None


def build_sample_site(out: Path, variant: str = "helpgen") -> Path:
    return build_site(ROOT / "sample_kb", out, "pagefind" if variant == "pagefind" else "lunr")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=77)
    parser.add_argument("--site", type=Path, help="an already built sample_kb site (default: build one)")
    parser.add_argument("--misses", action="store_true", help="list the browser's misses")
    parser.add_argument("--variant", choices=VARIANTS, default="helpgen",
                        help="ablation of the browser side (builds its own site)")
    args = parser.parse_args()
    if not (DATA / "train.csv").is_file():
        print(f"skipped: {DATA} absent (BANKING77 lives in ../shared beside the repo)")
        return 0
    questions = sample_questions(args.n, args.seed)
    use_variant(args.variant)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_sample_site(Path(tmp) / "site", args.variant)
        browser, elapsed, blocked = browser_run(site, questions)
    lunr = lunr_run(ROOT / "sample_kb", questions)
    print_recall(f"BANKING77 search recall: {len(questions)} questions (seed {args.seed}), sample_kb, "
                 f"browser variant: {args.variant}", browser, lunr, elapsed, blocked, len(questions),
                 TARGET_RECALL_3, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
