"""Shared code of the quality benchmarks (benchmarks/banking77/ and benchmarks/clinc150/).

Each benchmark has a KB, an `answer_key.yml` (documented intent -> article ids, undocumented intents) and a
labelled question set read from ../shared/data beside the repository (never copied into it). This module:

- splits the questions into a "history" log (handled by the team; a fixed share of documented-intent
  tickets carry a reply linking the right article) and a "new" log (not answered yet), and adds the real
  out-of-scope requests of ../shared/data/clinc150/out_of_scope.csv to the "new" log;
- runs the real `helpgen coverage` command on the logs and scores its assignments;
- measures search recall on the built site in headless chromium and in helpgen's lunr.py index.
"""
from __future__ import annotations

import csv
import json
import random
import shutil
import sys
import tempfile
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Sequence

import yaml

REPO = Path(__file__).resolve().parents[1]
for _path in (REPO, REPO / "tests" / "e2e"):  # search_harness: the e2e tests' browser driver
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
SHARED = REPO / ".." / "shared" / "data"
OOS_CSV = SHARED / "clinc150" / "out_of_scope.csv"
OOS_SPLITS = ("oos_train", "oos_val")  # develop on oos_train; oos_val is held out
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
COLUMNS = ["id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at"]
HAND_REPLIES = ("we have checked this for you and sorted it.", "please try again in a few hours.",
                "I have passed this to the team who handles it.", "here are the steps for your case.")
TARGETS = {"gap_f1": 0.80, "routing": 0.90, "topic_recall": 0.9, "topic_precision": 0.85,
           "precision_at_10": 1.0, "ood_false_coverage": 0.05}


@dataclass
class Split:
    history: list[dict]
    new: list[dict]
    truth: dict[str, str]  # ticket id -> intent, or the out-of-scope split ("oos_train", "oos_val")


def load_key(path: Path) -> tuple[dict[str, list[str]], list[str]]:
    """(documented intent -> article ids, undocumented intents) of an answer_key.yml."""
    key = yaml.safe_load(path.read_text(encoding="utf-8"))
    return key["documented"], list(key["undocumented"])


def out_of_scope(path: Path = OOS_CSV) -> list[tuple[str, str, str]]:
    """(ticket id, text, split) of the real out-of-scope requests, in file order."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [(f"oos-{i}", r["text"].strip(), r["split"]) for i, r in enumerate(csv.DictReader(fh))
                if r["split"] in OOS_SPLITS and r["text"].strip()]


def _row(tid: str, when: datetime, text: str, reply: str = "", hours: float = 0.0) -> dict:
    return {"id": tid, "created_at": when.isoformat(), "channel": ("email", "chat", "web")[zlib.crc32(tid.encode()) % 3],
            "subject": "", "body": text, "status": "solved" if reply else "open", "reply": reply,
            "replied_at": (when + timedelta(hours=hours)).isoformat() if reply else ""}


def make_split(rows: Sequence[tuple[str, str, str]], documented: dict[str, list[str]], site: str,
               oos: Sequence[tuple[str, str, str]] = (), seed: int = 13, link_share: float = 0.7) -> Split:
    """Fixed-seed split of (id, text, intent) rows: history 80% (documented-intent tickets carry a link to
    their article for `link_share` of them), new 20% plus the out-of-scope rows (id, text, split)."""
    rows = list(rows)
    rng = random.Random(seed)
    rng.shuffle(rows)
    cut = int(len(rows) * 0.8)
    history, new, truth = [], [], {}
    for n, (tid, text, intent) in enumerate(rows[:cut]):
        when = START + timedelta(minutes=37 * n)
        hours = rng.lognormvariate(2.3, 0.8)
        if intent in documented and rng.random() < link_share:
            reply = f"Hi, this article explains it: {site}{documented[intent][0]}/ Let us know if it helps."
        else:
            reply = "Hi, thanks for asking. Here is what to do: " + rng.choice(HAND_REPLIES)
        history.append(_row(tid, when, text, reply, hours))
        truth[tid] = intent
    later = START + timedelta(minutes=37 * cut)
    new_items = list(rows[cut:]) + list(oos)
    rng.shuffle(new_items)
    for n, (tid, text, intent) in enumerate(new_items):
        new.append(_row(tid, later + timedelta(minutes=11 * n), text))
        truth[tid] = intent
    return Split(history, new, truth)


def write_csv(rows: list[dict], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


# ---------------------------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------------------------

def run_cli(kb: Path, logs: list[Path], out: Path, extra: Sequence[str] = ()) -> tuple[dict, list[dict]]:
    """The real `helpgen coverage KB --tickets ... --assignments ...` (click CliRunner); `extra` options
    are passed through (e.g. a model option)."""
    from click.testing import CliRunner

    from helpgen.coverage.cli import coverage_command

    assign = out / "assignments.csv"
    args = [str(kb), "-o", str(out / "report"), "--assignments", str(assign), *extra]
    for log in logs:
        args += ["--tickets", str(log)]
    res = CliRunner().invoke(coverage_command, args, catch_exceptions=False)
    if res.exit_code != 0:
        raise SystemExit(f"helpgen coverage failed ({res.exit_code}): {res.output}")
    report = json.loads((out / "report" / "coverage.json").read_text(encoding="utf-8"))
    with open(assign, newline="", encoding="utf-8") as fh:
        return report, list(csv.DictReader(fh))


def evaluate(assignments: list[dict], truth: dict[str, str], new_ids: set[str],
             documented: dict[str, list[str]], undocumented: Iterable[str]) -> dict:
    """Gap precision/recall/F1, routing, topics and out-of-scope false coverage on the "new" tickets."""
    undocumented = set(undocumented)
    rows = {r["ticket_id"]: r for r in assignments}
    tp = fp = fn = routed = doc_n = 0
    oos, oos_cov = Counter(), Counter()
    for tid in new_ids:
        intent, row = truth[tid], rows[tid]
        is_gap = row["verdict"] == "gap"
        if intent in OOS_SPLITS:
            oos[intent] += 1
            oos_cov[intent] += not is_gap
            continue
        pos = intent in undocumented
        tp += pos and is_gap
        fp += (not pos) and is_gap
        fn += pos and not is_gap
        if not pos:
            doc_n += 1
            routed += (not is_gap) and row["article"] in documented[intent]
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    n_oos = sum(oos.values())
    out = {"gap_precision": prec, "gap_recall": rec, "gap_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0,
           "routing": routed / doc_n if doc_n else 0.0,
           "ood_false_coverage": sum(oos_cov.values()) / n_oos if n_oos else 0.0, "oos_n": n_oos}
    for s in OOS_SPLITS:
        out[s] = oos_cov[s] / oos[s] if oos[s] else 0.0
        out[f"{s}_n"] = oos[s]
    out.update(topics(rows, truth, undocumented))
    return out


def topics(rows: dict, truth: dict, undocumented: set) -> dict:
    """Gap clusters of at least 5 tickets, named by their majority intent."""
    members: dict[str, Counter] = {}
    for tid, row in rows.items():
        if row["verdict"] == "gap" and row["gap_id"] not in ("", "off-topic"):
            members.setdefault(row["gap_id"], Counter())[truth.get(tid, "?")] += 1
    sized = sorted(members.items(), key=lambda kv: -sum(kv[1].values()))
    big = [(g, c.most_common(1)[0][0]) for g, c in sized if sum(c.values()) >= 5]
    good = [intent for _, intent in big if intent in undocumented]
    top10 = [intent in undocumented for _, intent in big[:10]]
    return {"topic_precision": len(good) / len(big) if big else 0.0,
            "topic_recall": len(set(good)) / len(undocumented) if undocumented else 0.0,
            "topics_found": len(set(good)), "topics_total": len(undocumented),
            "clusters_5plus": len(big), "precision_at_10": sum(top10) / len(top10) if top10 else 0.0}


def show(name: str, m: dict, targets: bool) -> None:
    print(f"\n== {name}")
    for k in ("gap_precision", "gap_recall", "gap_f1", "routing", "topic_precision", "topic_recall",
              "precision_at_10", "ood_false_coverage"):
        t = TARGETS.get(k)
        low = k == "ood_false_coverage"
        ok = "" if not targets or t is None else "  (target %s %.2f: %s)" % (
            "<=" if low else ">=", t, "met" if (m[k] <= t if low else m[k] >= t - 1e-9) else "NOT met")
        print(f"  {k:20s} {m[k]:.3f}{ok}")
    print(f"  topics found {m['topics_found']}/{m['topics_total']} in {m['clusters_5plus']} clusters of >= 5 tickets")
    print("  out-of-scope called covered (real requests, clinc150/out_of_scope.csv): "
          + ", ".join(f"{s} {m[s]:.3f} of {m[s + '_n']}" for s in OOS_SPLITS)
          + f", all {m['ood_false_coverage']:.3f} of {m['oos_n']}")


def coverage_main(title: str, kb: Path, split: Split, documented: dict, undocumented: list[str],
                  extra: Sequence[str] = ()) -> list[tuple[str, dict]]:
    """Run the real command with linked history and on the new log alone; print and return the figures."""
    new_ids = {r["id"] for r in split.new}
    print(f"{title}: {len(split.history)} history tickets, {len(split.new)} new "
          f"({sum(1 for t in new_ids if split.truth[t] in OOS_SPLITS)} real out-of-scope), KB {kb.name}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, logs in (("with linked history", split.history + split.new), ("no history (text only)", split.new)):
            start = time.perf_counter()
            path = write_csv(logs, tmp / f"{len(logs)}.csv")
            report, assign = run_cli(kb, [path], tmp / f"out{len(logs)}", extra)
            m = evaluate(assign, split.truth, new_ids, documented, undocumented)
            show(name, m, targets=name.startswith("with"))
            print(f"  ({time.perf_counter() - start:.0f} s) calibration:", json.dumps(report["calibration"])[:400])
            results.append((name, m))
    return results


# ---------------------------------------------------------------------------------------------
# Search recall
# ---------------------------------------------------------------------------------------------

def build_site(kb_dir: Path, out: Path, engine: str | None = None) -> Path:
    import dataclasses

    from helpgen.kb.load import load_kb
    from helpgen.site.build import build_site as _build

    kb, _ = load_kb(kb_dir)
    if engine:
        kb = dataclasses.replace(kb, config=dataclasses.replace(kb.config, search=engine))
    return _build(kb, out).output


def browser_run(site: Path, questions: list[tuple[str, list[str]]]):
    """(Evaluation, seconds, outside requests blocked) of the questions typed into the site's search box."""
    from search_harness import SearchPage, chromium, hrefs_to_ids, load_catalogue, serve_dir
    from helpgen.search.index import evaluate as ev

    catalogue = load_catalogue(site)
    ranked = []
    with serve_dir(site) as base, chromium() as context:
        page = SearchPage(context.new_page(), base)
        start = time.perf_counter()
        for question, expected in questions:
            ranked.append((question, expected, hrefs_to_ids(page.query(question), base, catalogue)))
        elapsed = time.perf_counter() - start
        blocked = list(context.blocked)
    return ev(ranked), elapsed, blocked


def lunr_run(kb_dir: Path, questions: list[tuple[str, list[str]]]):
    from helpgen.kb.load import load_kb
    from helpgen.search.index import build_index, evaluate as ev, search

    kb, _ = load_kb(kb_dir)
    idx = build_index(kb)
    return ev((q, exp, [h.id for h in search(idx, q, 10)]) for q, exp in questions)


def print_recall(title: str, browser, lunr, elapsed: float, blocked: list, n: int, target: float,
                 misses: bool = False) -> None:
    print(title)
    print(f"{'':10}{'recall@1':>10}{'recall@3':>10}{'MRR':>8}")
    for name, ev in (("browser", browser), ("lunr.py", lunr)):
        print(f"{name:10}{ev.recall_at_1:>10.3f}{ev.recall_at_3:>10.3f}{ev.mrr:>8.3f}")
    print(f"target browser recall@3 >= {target}: {'met' if browser.recall_at_3 >= target else 'NOT met'}")
    print(f"browser: {elapsed / max(n, 1) * 1000:.0f} ms per question (type + results), "
          f"{len(blocked)} outside requests blocked")
    if misses:
        for m in browser.misses:
            print(f"  miss: {m.question!r} expected {m.expected} got {m.first or '(nothing)'} (rank {m.rank})")


# ---------------------------------------------------------------------------------------------
# Learned search terms (`helpgen coverage --learn`) and the privacy check of the built index
# ---------------------------------------------------------------------------------------------

def add_search_args(parser) -> None:
    """The options both search-recall benchmarks share."""
    parser.add_argument("--misses", action="store_true", help="list the browser's misses")
    parser.add_argument("--learn", action="store_true",
                        help="learn search terms from the split's history, test on its held-out questions")
    parser.add_argument("--tune", action="store_true",
                        help="with --learn: the tuning protocol (lunr.py, questions from a part of the history)")
    parser.add_argument("--lunr-only", action="store_true",
                        help="only `helpgen search` (lunr.py), no site build or browser: for quick iteration")


def print_lunr_only(title: str, lunr, misses: bool) -> None:
    """--lunr-only: lunr.py's figures, and its misses when asked."""
    print(f"{title}, lunr.py only: recall@1 {lunr.recall_at_1:.3f}, recall@3 {lunr.recall_at_3:.3f}, "
          f"MRR {lunr.mrr:.3f} (the target counts the browser)")
    for m in lunr.misses if misses else ():
        print(f"  miss: {m.question!r} expected {m.expected} got {m.first or '(nothing)'} (rank {m.rank})")


def learn_kb(src: Path, kb_dir: Path, history_csv: Path, lang: str = "en") -> int:
    """Copy of the KB `src` (without tickets or search terms) with KB/search-terms.yml learned from
    the history log, as `helpgen coverage KB --tickets LOG --learn` writes it; returns the term count."""
    from helpgen.coverage.learn import learn_search_terms
    from helpgen.coverage.run import RunOptions, run_coverage
    from helpgen.kb.load import load_kb
    from helpgen.report.render import write_search_terms

    shutil.copytree(src, kb_dir, ignore=shutil.ignore_patterns("tickets", "search-terms.yml"))
    kb, _ = load_kb(kb_dir)
    result = run_coverage(kb, RunOptions(tickets=[history_csv], lang=lang), lambda p: None)
    text, count = learn_search_terms(kb, result)
    write_search_terms(kb_dir / "search-terms.yml", text)
    return count


def _norm(text: str) -> str:
    import re

    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def leaked_sentences(site: Path, tickets: Iterable[str], min_words: int = 5) -> list[str]:
    """Ticket sentences of `min_words`+ words found (word for word) in the built search_index.json
    (its entries and the re-ranking counts)."""
    import re

    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    haystack = " " + " ".join(_norm(" ".join(str(v) for v in d.values())) for d in data["docs"]) + " "
    rerank = (data.get("config") or {}).get("helpgen", {}).get("rerank") or {}  # ticket counts (helpgen.search.rerank)
    haystack += " ".join(_norm(" ".join(words)) for _, words in (rerank.get("articles") or {}).values()) + " "
    leaks = []
    for text in tickets:
        for sentence in re.split(r"[.!?\n]+", text):
            words = _norm(sentence)
            if len(words.split()) >= min_words and f" {words} " in haystack:
                leaks.append(sentence.strip())
    return leaks


def learned_recall(title: str, kb: Path, split: Split, questions: list[tuple[str, list[str]]],
                   targets: tuple[float, float], misses: bool = False, lang: str = "en") -> int:
    """Learn search terms from the split's history, then measure recall on held-out `questions`
    without and with them (browser and lunr.py) and count ticket sentences of 5+ words that the
    learned terms bring into search_index.json (must be 0). Prints the figures; returns the exit code."""
    from helpgen.kb.load import load_kb
    from helpgen.site.build import build_site as _build

    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        history = write_csv(split.history, tmp / "history.csv")
        start = time.perf_counter()
        terms = learn_kb(kb, tmp / "kb", history, lang)
        learn_s = time.perf_counter() - start
        plain = tmp / "plain"
        shutil.copytree(kb, plain, ignore=shutil.ignore_patterns("tickets", "search-terms.yml"))
        for name, kb_dir in (("without", plain), ("learned", tmp / "kb")):
            loaded, _ = load_kb(kb_dir)
            site = _build(loaded, tmp / f"site-{name}").output
            browser, _, _ = browser_run(site, questions)
            figures[name] = (browser, lunr_run(kb_dir, questions), site)
        bodies = [t["body"] for t in split.history + split.new]
        own = set(leaked_sentences(figures["without"][2], bodies))  # the KB's own wording, no ticket needed
        found = leaked_sentences(figures["learned"][2], bodies)
        leaks = [s for s in found if s not in own]
    print(f"{title}: {len(questions)} held-out questions, {len(split.history)} history tickets, "
          f"{terms} terms learned in {learn_s:.1f} s")
    print(f"{'':22}{'recall@1':>10}{'recall@3':>10}{'MRR':>8}")
    for name in ("without", "learned"):
        for side, ev in zip(("browser", "lunr.py"), figures[name][:2]):
            print(f"{side + ' ' + name:22}{ev.recall_at_1:>10.3f}{ev.recall_at_3:>10.3f}{ev.mrr:>8.3f}")
    ratio = figures["learned"][0].recall_at_3 / max(figures["without"][0].recall_at_3, 1e-9)
    print(f"browser recall@3 learned / without: {ratio:.3f}")
    for label, value, target in (("without", figures["without"][0].recall_at_3, targets[0]),
                                 ("learned", figures["learned"][0].recall_at_3, targets[1])):
        print(f"target browser recall@3 {label} >= {target}: {'met' if value >= target else 'NOT met'} ({value:.3f})")
    print(f"privacy: ticket sentences of 5+ words in search_index.json: {len(found)}, of which "
          f"{len(found) - len(leaks)} are the KB's own wording (in the index without learned terms too); "
          f"brought in by learned terms: {len(leaks)} (must be 0)")
    for sentence in leaks[:10]:
        print(f"  leaked: {sentence!r}")
    if misses:
        for m in figures["learned"][0].misses:
            print(f"  miss: {m.question!r} expected {m.expected} got {m.first or '(nothing)'} (rank {m.rank})")
    return 1 if leaks else 0


RERANK_GRID = [(0.0, 10), (0.1, 10), (0.2, 10), (0.3, 10), (0.5, 10), (1.0, 10), (0.3, 5), (0.3, 20)]


def rerank_grid(kb_dir: Path, questions: list[tuple[str, list[str]]]) -> list:
    """lunr.py recall with the re-ranking of helpgen.search.rerank at each (weight, depth) of RERANK_GRID."""
    from helpgen.search import rerank

    saved = rerank.WEIGHT, rerank.DEPTH
    out = []
    try:
        for weight, depth in RERANK_GRID:
            rerank.WEIGHT, rerank.DEPTH = weight, depth
            out.append((f"rerank {weight:g}/{depth}", lunr_run(kb_dir, questions)))
    finally:
        rerank.WEIGHT, rerank.DEPTH = saved
    return out


def tune_recall(title: str, kb: Path, split: Split, documented: dict[str, list[str]], lang: str = "en",
                seed: int = 5, share: float = 0.85) -> None:
    """The tuning protocol of learned terms (never the held-out questions): the split's history is
    split again (fixed seed), terms are learned from `share` of it, and every documented-intent
    ticket of the rest is a question for lunr.py (which agrees with the browser within ±0.01)."""
    history = list(split.history)
    order = list(range(len(history)))
    random.Random(seed).shuffle(order)
    cut = int(len(history) * share)
    learn_part = [history[i] for i in sorted(order[:cut])]
    questions = sorted((t["body"].strip(), documented[split.truth[t["id"]]]) for t in
                       (history[i] for i in sorted(order[cut:])) if split.truth[t["id"]] in documented)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        terms = learn_kb(kb, tmp / "kb", write_csv(learn_part, tmp / "learn.csv"), lang)
        plain = tmp / "plain"
        shutil.copytree(kb, plain, ignore=shutil.ignore_patterns("tickets", "search-terms.yml"))
        figures = [(name, lunr_run(kb_dir, questions)) for name, kb_dir in (("without", plain), ("learned", tmp / "kb"))]
        figures += rerank_grid(tmp / "kb", questions)
    print(f"{title} (tune split, lunr.py): terms learned from {len(learn_part)} history tickets ({terms} terms), "
          f"{len(questions)} questions from the other {len(history) - len(learn_part)}")
    print(f"{'':22}{'recall@1':>10}{'recall@3':>10}{'MRR':>8}")
    for name, ev in figures:
        print(f"{'lunr.py ' + name:22}{ev.recall_at_1:>10.3f}{ev.recall_at_3:>10.3f}{ev.mrr:>8.3f}")
