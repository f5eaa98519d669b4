"""Search recall on the second domain: CLINC150 auto_and_commute questions of documented intents, typed
into the built Motorwise KB site (benchmarks/clinc150/kb) in headless chromium, and sent to helpgen's
lunr.py index. Prints recall@1, recall@3 and MRR side by side, like benchmarks/banking77/search_recall.py.

    python benchmarks/clinc150/search_recall.py [--n 300] [--seed 77] [--misses] [--lunr-only]
    python benchmarks/clinc150/search_recall.py --learn [--n 300] [--misses] [--tune]

--learn: as benchmarks/banking77/search_recall.py --learn: search terms learned from the coverage
split's history (split.py, 80%, linked as the team answered it), questions from its held-out part;
recall without and with the terms, and the privacy count of ticket sentences in search_index.json.

Needs ../shared/data/clinc150 beside the repo (never copied into it) and /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import (add_search_args, browser_run, build_site, learned_recall, load_key, lunr_run,  # noqa: E402
                    print_lunr_only, print_recall, tune_recall)
from split import DATA, KB, domain, make_split, questions  # noqa: E402

TARGET_RECALL_3 = 0.85


def sample_questions(n: int, seed: int) -> list[tuple[str, list[str]]]:
    """(question, expected article ids) for a fixed-seed sample of documented-intent questions."""
    documented, _ = load_key(HERE / "answer_key.yml")
    rows = sorted((text.strip(), documented[intent]) for _, text, intent in questions() if intent in documented)
    return random.Random(seed).sample(rows, min(n, len(rows)))


def held_out_questions(n: int, seed: int):
    """(split, questions): documented-intent questions of the split's held-out ("new") part."""
    documented, _ = load_key(HERE / "answer_key.yml")
    split = make_split()
    rows = sorted((t["body"].strip(), documented[split.truth[t["id"]]]) for t in split.new
                  if split.truth[t["id"]] in documented)
    return split, random.Random(seed).sample(rows, min(n, len(rows)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=77)
    add_search_args(parser)
    args = parser.parse_args()
    if not (DATA / "train.csv").is_file():
        print(f"skipped: {DATA} absent (CLINC150 lives in ../shared beside the repo)")
        return 0
    if args.learn and args.tune:
        tune_recall(f"CLINC150 {domain()} learned search terms", KB, make_split(), load_key(HERE / "answer_key.yml")[0])
        return 0
    if args.learn:
        split, qs = held_out_questions(args.n, args.seed)
        return learned_recall(f"CLINC150 {domain()} learned search terms (seed {args.seed})", KB, split, qs,
                              (TARGET_RECALL_3, TARGET_RECALL_3), args.misses)
    qs = sample_questions(args.n, args.seed)
    if args.lunr_only:
        print_lunr_only(f"CLINC150 {domain()} search recall: {len(qs)} questions (seed {args.seed})",
                        lunr_run(KB, qs), args.misses)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(KB, Path(tmp) / "site")
        browser, elapsed, blocked = browser_run(site, qs)
    lunr = lunr_run(KB, qs)
    print_recall(f"CLINC150 {domain()} search recall: {len(qs)} questions (seed {args.seed}), benchmarks/clinc150/kb",
                 browser, lunr, elapsed, blocked, len(qs), TARGET_RECALL_3, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
