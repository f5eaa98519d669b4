"""Speed and memory of `helpgen coverage` on synthetic ticket logs (prints figures; not a test).

    /work/venv/bin/python benchmarks/coverage_speed.py [--sizes 100000,1000000] [--kb sample|big|both]
    python benchmarks/coverage_speed.py --model PATH [--sizes 100000] [--kb sample]   # semantic path too

With --model (a sentence-transformers folder; see benchmarks/semantic_bench.py for the packaged
all-MiniLM-L6-v2), each size also runs `helpgen coverage --model PATH` and prints its wall time, tickets/s
and peak RSS, with the count of distinct ticket texts (identical texts are embedded once).

Each run is a fresh subprocess of the real command (canonical helpgen CSV, --assignments), measured for
wall time, CPU time and peak RSS of the whole process tree (the command reads a big CSV log with worker
processes), with the load average before -> after, against sample_kb and a generated 1,000-article KB. The reference is a plain
scikit-learn TF-IDF nearest-article baseline (TfidfVectorizer + sparse dot + argmax) on the same tickets,
measured in the same run.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
GAP_TOPICS = ["apple pay on my phone", "google pay wallet", "crypto currency wallet", "joint account with partner",
              "business account for my company", "cheque deposit", "child account for my kids",
              "overdraft limit increase", "mortgage offer", "stock trading in the app", "travel insurance claim"]
PREFIX = ["", "hi, ", "hello team, ", "quick question: ", "urgent: ", "good morning. "]
FILLER = ["I have been a customer for years.", "This is really frustrating.", "Thanks in advance for your help.",
          "I tried the app and the website.", "My friend had the same problem last month.", "Please reply soon."]


def article_questions(kb: Path) -> list[tuple[str, str]]:
    sys.path.insert(0, str(REPO))
    from helpgen.kb.load import load_kb

    base, _ = load_kb(kb)
    return [(a.id, q) for a in base.in_language("") for q in (a.questions or (a.title,))]


def write_log(path: Path, n: int, questions: list[tuple[str, str]], seed: int = 1) -> None:
    """n tickets, ~30% about undocumented topics, mixed lengths, half the covered ones linked."""
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at"])
        for i in range(n):
            day, hour = 1 + i * 180 // n, rng.randrange(24)
            created = f"2026-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}T{hour:02d}:00:00+00:00"
            if rng.random() < 0.3:
                body, reply = f"{rng.choice(PREFIX)}{rng.choice(['how do I', 'can I', 'is there', 'help with'])} " \
                              f"{rng.choice(GAP_TOPICS)}?", "We are looking into it."
            else:
                aid, q = rng.choice(questions)
                body = rng.choice(PREFIX) + q
                reply = f"See https://help.pocket.example/{aid}/" if rng.random() < 0.5 else "Done for you."
            body += " " + " ".join(rng.sample(FILLER, rng.choice((0, 0, 1, 2, 4))))
            answered = rng.random() < 0.85
            w.writerow([f"s{i}", created, rng.choice(("email", "chat", "web")), "", body,
                        "solved" if answered else "open", reply if answered else "",
                        created.replace("T", "T").replace(":00:00+", ":30:00+") if answered else ""])


def make_big_kb(root: Path, n: int = 1000, seed: int = 2) -> Path:
    """A generated KB of n articles with questions, built from a small vocabulary of banking terms."""
    rng = random.Random(seed)
    nouns = ["card", "transfer", "payment", "top-up", "account", "pin", "fee", "limit", "refund", "statement",
             "currency", "cash", "atm", "app", "passcode", "identity", "merchant", "subscription", "savings", "loan"]
    verbs = ["cancel", "change", "track", "order", "activate", "block", "increase", "check", "dispute", "close"]
    (root / "articles" / "gen").mkdir(parents=True, exist_ok=True)
    (root / "helpgen.yml").write_text("name: Big KB\nsite_url: https://help.pocket.example/\n")
    for i in range(n):
        v, a, b = rng.choice(verbs), rng.choice(nouns), rng.choice(nouns)
        qs = "\n".join(f'  - "{p} {v} my {a} {b} {i}"' for p in ("how do I", "can I", "why can't I"))
        (root / "articles" / "gen" / f"a{i:04d}.md").write_text(
            f"---\ntitle: {v.capitalize()} your {a} {b} {i}\nsummary: How to {v} a {a} for {b}.\nlevel: beginner\n"
            f"stage: using\nquestions:\n{qs}\n---\n\nTo {v} your {a}, open the app and choose {b}.\n", encoding="utf-8")
    return root


_WRAP = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
         "sys.stderr.write(r.stderr[-2000:]); "
         "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_utime + u.ru_stime, r.returncode, u.ru_maxrss)")


CPU = [0.0]  # CPU seconds (user + system) of the last timed command, all its processes together
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _tree(root: int) -> dict[int, tuple[float, int]]:
    """pid -> (CPU seconds, resident bytes) of `root` and every process under it (read from /proc)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats and pid not in out:
            out[pid] = stats[pid][1:]
            todo += [p for p, (ppid, *_) in stats.items() if ppid == pid]
    return out


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of the command in a fresh process; its CPU seconds go to CPU[0] (on a
    shared machine, CPU time says more than wall time). On Linux, memory and CPU are those of the whole
    process tree (the command's worker processes too), sampled from /proc every 0.1 s."""
    if not os.path.isdir("/proc/self"):  # elsewhere: the largest single process, by a wrapper
        t = time.perf_counter()
        res = subprocess.run([PY, "-c", _WRAP, *cmd], capture_output=True, text=True, cwd=REPO)
        wall = time.perf_counter() - t
        cpu, code, rss = res.stdout.split()[-3:]
        if int(code) not in (0, 1):
            raise SystemExit(f"failed: {' '.join(cmd)}\n{res.stderr}")
        CPU[0] = float(cpu)
        return wall, int(rss) / 1024
    t = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=REPO)
        peak, cpu = 0, {}
        while proc.poll() is None:
            tree = _tree(proc.pid)
            peak = max(peak, sum(rss for _, rss in tree.values()))
            cpu.update({pid: c for pid, (c, _) in tree.items()})
            time.sleep(0.1)
        wall = time.perf_counter() - t
        if proc.returncode not in (0, 1):
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(cmd)}\n{err.read().decode()[-2000:]}")
    CPU[0] = sum(cpu.values())
    return wall, peak / 2 ** 20


BASELINE = """
import csv, sys, numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from helpgen.kb.load import load_kb
kb, _ = load_kb(sys.argv[1]); arts = kb.in_language("")
vec = TfidfVectorizer().fit([a.title + " " + " ".join(a.questions) + " " + a.body for a in arts])
A = vec.transform([a.title + " " + " ".join(a.questions) + " " + a.body for a in arts]).T.tocsc()
rows = [r["body"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))]
best = [np.asarray((vec.transform(rows[i:i + 50000]) @ A).argmax(1)).ravel() for i in range(0, len(rows), 50000)]
print(sum(len(b) for b in best))
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--kb", default="both", choices=("sample", "big", "both"))
    ap.add_argument("--model", help="also time the semantic path with this sentence-transformers model folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        kbs = {}
        if args.kb in ("sample", "both"):
            kbs["sample_kb"] = REPO / "sample_kb"
        if args.kb in ("big", "both"):
            kbs["1000-article KB"] = make_big_kb(tmp / "bigkb")
        print(f"{'KB':18s} {'tickets':>9s} {'helpgen s':>10s} {'CPU s':>6s} {'peak MB':>8s} {'baseline s':>11s} "
              f"{'ratio':>6s}  load average")
        for name, kb in kbs.items():
            questions = article_questions(kb)
            for n in map(int, args.sizes.split(",")):
                log = tmp / f"t{n}.csv"
                write_log(log, n, questions)
                load = os.getloadavg()[0]
                wall, rss = timed([PY, "-c", "from helpgen.cli import main; main()", "coverage", str(kb),
                                   "--tickets", str(log), "-o", str(tmp / "out"), "--assignments",
                                   str(tmp / "a.csv")])
                cpu = CPU[0]
                base, _ = timed([PY, "-c", BASELINE, str(kb), str(log)])
                print(f"{name:18s} {n:9d} {wall:10.1f} {cpu:6.0f} {rss:8.0f} {base:11.1f} {wall / base:6.1f}  "
                      f"{load:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)
                if n == 1_000_000:
                    print(f"{'':18s} target at 1M tickets (lexical): <= 120 s and <= 2048 MB: "
                          f"{'met' if wall <= 120 and rss <= 2048 else 'not met'}", flush=True)
                if args.model:
                    with open(log, newline="", encoding="utf-8") as fh:
                        distinct = len({r["body"] for r in csv.DictReader(fh)})
                    sem, sem_rss = timed([PY, "-c", "from helpgen.cli import main; main()", "coverage", str(kb),
                                          "--tickets", str(log), "-o", str(tmp / "out"), "--assignments",
                                          str(tmp / "a.csv"), "--model", args.model])
                    print(f"{'':18s} semantic: {sem:.1f} s, {n / sem:.0f} tickets/s, peak {sem_rss:.0f} MB, "
                          f"{CPU[0]:.0f} CPU s, {distinct} distinct texts, ratio to lexical {sem / wall:.1f}, "
                          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
