"""Search recall on BANKING77 questions: the built sample_kb site in headless chromium vs `helpgen search`.

A fixed-seed sample of 300 questions whose intent is documented (answer_key.yml) is typed into
Material's search box; the result links are mapped to articles through articles.json. The same
questions go through helpgen's lunr.py index. Prints recall@1, recall@3 and MRR side by side.

    /work/venv/bin/python benchmarks/banking77/search_recall.py [--n 300] [--seed 77] [--site DIR] [--misses]
    /work/venv/bin/python benchmarks/banking77/search_recall.py --learn [--n 300] [--misses] [--tune]
     /work/venv/bin/python benchmarks/banking77/search_recall.py --lunr-only [--misses]   # seconds, no browser

--learn: the coverage benchmark's own split (split.py): the history part (80%, with the team's
article links) is the ticket log `helpgen coverage --learn` learns KB/search-terms.yml from; the
300 questions come from the held-out part. Recall is printed without and with the learned terms, on
the same questions, and the built search_index.json is checked for any ticket sentence of 5 or more
words (the count must be 0). --learn --tune: the tuning protocol instead (lunr.py only): terms learned
from 85% of the history, questions = the documented-intent tickets of the other 15%; tune on this,
never on the held-out questions.

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
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))  # search_harness: the e2e tests' browser driver
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import add_search_args, browser_run, learned_recall, lunr_run, print_lunr_only, tune_recall  # noqa: E402
from helpgen.kb.load import load_kb  # noqa: E402

TARGET_RECALL_3 = 0.88
TARGET_RECALL_3_LEARNED = 0.93


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
        site_index.postprocess_search_index = lambda site_dir, kb, *rest: None


def plain_sample_kb(folder: Path) -> Path:
    """sample_kb without its tickets and without learned search terms (KB/search-terms.yml)."""
    import shutil

    if not folder.exists():
        shutil.copytree(ROOT / "sample_kb", folder, ignore=shutil.ignore_patterns("tickets", "search-terms.yml"))
    return folder


def build_sample_site(out: Path, variant: str = "helpgen") -> Path:
    import dataclasses

    from helpgen.site.build import build_site

    kb, _ = load_kb(plain_sample_kb(out.parent / "kb"))
    engine = "pagefind" if variant == "pagefind" else "lunr"
    build_site(dataclasses.replace(kb, config=dataclasses.replace(kb.config, search=engine)), out)
    return out


# ---------------------------------------------------------------------------------------------
# --learn: learned search terms from the split's history, questions from its held-out part
# ---------------------------------------------------------------------------------------------

def held_out_questions(split, n: int, seed: int) -> list[tuple[str, list[str]]]:
    key = yaml.safe_load((ROOT / "benchmarks/banking77/answer_key.yml").read_text(encoding="utf-8"))["documented"]
    rows = sorted((t["body"].strip(), key[split.truth[t["id"]]]) for t in split.new if split.truth[t["id"]] in key)
    return random.Random(seed).sample(rows, min(n, len(rows)))


def learn_main(args) -> int:
    from split import make_split

    split = make_split()
    if args.tune:
        key = yaml.safe_load((ROOT / "benchmarks/banking77/answer_key.yml").read_text(encoding="utf-8"))["documented"]
        tune_recall("BANKING77 learned search terms", ROOT / "sample_kb", split, key)
        return 0
    questions = held_out_questions(split, args.n, args.seed)
    return learned_recall(f"BANKING77 learned search terms (seed {args.seed})", ROOT / "sample_kb", split, questions,
                          (TARGET_RECALL_3, TARGET_RECALL_3_LEARNED), args.misses)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=77)
    parser.add_argument("--site", type=Path, help="an already built sample_kb site (default: build one)")
    parser.add_argument("--variant", choices=VARIANTS, default="helpgen",
                        help="ablation of the browser side (builds its own site)")
    add_search_args(parser)
    args = parser.parse_args()
    if not (DATA / "train.csv").is_file():
        print(f"skipped: {DATA} absent (BANKING77 lives in ../shared beside the repo)")
        return 0
    if args.learn:
        return learn_main(args)
    questions = sample_questions(args.n, args.seed)
    if args.lunr_only:
        with tempfile.TemporaryDirectory() as tmp:
            lunr = lunr_run(plain_sample_kb(Path(tmp) / "kb"), questions)
        print_lunr_only(f"BANKING77 search recall: {len(questions)} questions (seed {args.seed}), sample_kb without "
                        "learned terms", lunr, args.misses)
        return 0
    use_variant(args.variant)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_sample_site(Path(tmp) / "site", args.variant)
        browser, elapsed, blocked = browser_run(site, questions)
        lunr = lunr_run(plain_sample_kb(Path(tmp) / "kb"), questions)
    print(f"BANKING77 search recall: {len(questions)} questions (seed {args.seed}), sample_kb without learned terms, "
          f"browser variant: {args.variant}")
    print(f"{'':10}{'recall@1':>10}{'recall@3':>10}{'MRR':>8}")
    for name, ev in (("browser", browser), ("lunr.py", lunr)):
        print(f"{name:10}{ev.recall_at_1:>10.3f}{ev.recall_at_3:>10.3f}{ev.mrr:>8.3f}")
    verdict = "met" if browser.recall_at_3 >= TARGET_RECALL_3 else "NOT met"
    print(f"target browser recall@3 >= {TARGET_RECALL_3}: {verdict}")
    print(f"browser: {elapsed / max(len(questions), 1) * 1000:.0f} ms per question (type + results), "
          f"{len(blocked)} outside requests blocked")
    if args.misses:
        for m in browser.misses:
            print(f"  miss: {m.question!r} expected {m.expected} got {m.first or '(nothing)'} (rank {m.rank})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
