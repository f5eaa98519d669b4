"""Search recall on BANKING77 questions: the built sample_kb site in headless chromium vs `helpgen search`.

A fixed-seed sample of 300 questions whose intent is documented (answer_key.yml) is typed into
Material's search box; the result links are mapped to articles through articles.json. The same
questions go through helpgen's lunr.py index. Prints recall@1, recall@3 and MRR side by side.

    /work/venv/bin/python benchmarks/banking77/search_recall.py [--n 300] [--seed 77] [--site DIR] [--misses]
    /work/venv/bin/python benchmarks/banking77/search_recall.py --learn [--n 300] [--misses]
    /work/venv/bin/python benchmarks/banking77/search_recall.py --lunr-only [--misses]   # seconds, no browser

--learn: the coverage benchmark's own split (split.py): the history part (80%, with the team's
article links) is the ticket log `helpgen coverage --learn` learns KB/search-terms.yml from; the
300 questions come from the held-out part. Recall is printed without and with the learned terms, on
the same questions, and the built search_index.json is checked for any ticket sentence of 5 or more
words (the count must be 0).

Needs ../shared/data/banking77 beside the repo (never copied into it) and /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data" / "banking77"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))  # search_harness: the e2e tests' browser driver
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import browser_run, lunr_run  # noqa: E402
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


def learn_kb(kb_dir: Path, history_csv: Path) -> int:
    """Copy of sample_kb with KB/search-terms.yml learned from the history log; returns the term count."""
    import shutil

    from helpgen.coverage.learn import learn_search_terms
    from helpgen.coverage.run import RunOptions, run_coverage
    from helpgen.report.render import write_search_terms

    shutil.copytree(ROOT / "sample_kb", kb_dir, ignore=shutil.ignore_patterns("tickets", "search-terms.yml"))
    kb, _ = load_kb(kb_dir)
    result = run_coverage(kb, RunOptions(tickets=[history_csv], lang="en"), lambda p: None)
    text, count = learn_search_terms(kb, result)
    write_search_terms(kb_dir / "search-terms.yml", text)
    return count


_WORDS = __import__("re").compile(r"[^\W_]+", __import__("re").UNICODE)


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def leaked_sentences(site: Path, tickets: list[str], min_words: int = 5) -> list[str]:
    """Ticket sentences of `min_words`+ words found (word for word) in the built search_index.json."""
    import json
    import re

    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    haystack = " " + " ".join(_norm(" ".join(str(v) for v in d.values())) for d in data["docs"]) + " "
    leaks = []
    for text in tickets:
        for sentence in re.split(r"[.!?\n]+", text):
            words = _norm(sentence)
            if len(words.split()) >= min_words and f" {words} " in haystack:
                leaks.append(sentence.strip())
    return leaks


def learn_main(args) -> int:
    from helpgen.site.build import build_site
    from split import make_split, write_csv

    split = make_split()
    questions = held_out_questions(split, args.n, args.seed)
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        history = write_csv(split.history, tmp / "history.csv")
        start = time.perf_counter()
        terms = learn_kb(tmp / "kb", history)
        learn_s = time.perf_counter() - start
        for name, kb_dir in (("without", plain_sample_kb(tmp / "plain")), ("learned", tmp / "kb")):
            kb, _ = load_kb(kb_dir)
            site = build_site(kb, tmp / f"site-{name}").output
            browser, _, blocked = browser_run(site, questions)
            lunr = lunr_run(kb_dir, questions)
            figures[name] = (browser, lunr, site)
        bodies = [t["body"] for t in split.history + split.new]
        own = set(leaked_sentences(figures["without"][2], bodies))  # the KB's own wording, no ticket needed
        found = leaked_sentences(figures["learned"][2], bodies)
        leaks = [s for s in found if s not in own]
    print(f"BANKING77 learned search terms: {len(questions)} held-out questions (seed {args.seed}), "
          f"{len(split.history)} history tickets, {terms} terms learned in {learn_s:.1f} s")
    print(f"{'':22}{'recall@1':>10}{'recall@3':>10}{'MRR':>8}")
    for name in ("without", "learned"):
        for side, ev in zip(("browser", "lunr.py"), figures[name][:2]):
            print(f"{side + ' ' + name:22}{ev.recall_at_1:>10.3f}{ev.recall_at_3:>10.3f}{ev.mrr:>8.3f}")
    ratio = figures["learned"][0].recall_at_3 / max(figures["without"][0].recall_at_3, 1e-9)
    print(f"browser recall@3 learned / without: {ratio:.3f}")
    for label, value, target in (("without", figures["without"][0].recall_at_3, TARGET_RECALL_3),
                                 ("learned", figures["learned"][0].recall_at_3, TARGET_RECALL_3_LEARNED)):
        print(f"target browser recall@3 {label} >= {target}: {'met' if value >= target else 'NOT met'} ({value:.3f})")
    print(f"privacy: ticket sentences of 5+ words in search_index.json: {len(found)}, of which "
          f"{len(found) - len(leaks)} are the KB's own wording (in the index without learned terms too); "
          f"brought in by learned terms: {len(leaks)} (must be 0)")
    for sentence in leaks[:10]:
        print(f"  leaked: {sentence!r}")
    if args.misses:
        for m in figures["learned"][0].misses:
            print(f"  miss: {m.question!r} expected {m.expected} got {m.first or '(nothing)'} (rank {m.rank})")
    return 1 if leaks else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=77)
    parser.add_argument("--site", type=Path, help="an already built sample_kb site (default: build one)")
    parser.add_argument("--misses", action="store_true", help="list the browser's misses")
    parser.add_argument("--variant", choices=VARIANTS, default="helpgen",
                        help="ablation of the browser side (builds its own site)")
    parser.add_argument("--learn", action="store_true",
                        help="learn search terms from the split's history, test on its held-out questions")
    parser.add_argument("--lunr-only", action="store_true",
                        help="only `helpgen search` (lunr.py), no site build or browser: for quick iteration")
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
        print(f"BANKING77 search recall: {len(questions)} questions (seed {args.seed}), sample_kb without learned "
              f"terms, lunr.py only: recall@1 {lunr.recall_at_1:.3f}, recall@3 {lunr.recall_at_3:.3f}, "
              f"MRR {lunr.mrr:.3f} (the target counts the browser)")
        for m in lunr.misses if args.misses else ():
            print(f"  miss: {m.question!r} expected {m.expected} got {m.first or '(nothing)'} (rank {m.rank})")
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
