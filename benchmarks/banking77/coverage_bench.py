"""Quality benchmark of `helpgen coverage` on BANKING77 (see docs/benchmarks-coverage.md).

    /work/venv/bin/python benchmarks/banking77/coverage_bench.py [--direct]

Writes the split (split.py) as canonical helpgen CSV logs to a temp dir, runs the real
`helpgen coverage sample_kb --tickets ... --assignments ...` (click CliRunner), then prints the
figures on the "new" tickets: with linked history, and with no history (text matching only).
`--direct` builds Ticket objects itself and calls the analysis (no ticket readers), for debugging.
"""
from __future__ import annotations

import csv
import json
import re
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from split import DATA, make_split, write_csv  # noqa: E402

KB = REPO / "sample_kb"
TARGETS = {"gap_f1": 0.80, "routing": 0.90, "topic_recall": 18 / 20, "topic_precision": 0.85,
           "precision_at_10": 1.0, "ood_false_coverage": 0.05}


def run_cli(logs: list[Path], out: Path) -> tuple[dict, list[dict]]:
    from click.testing import CliRunner

    from helpgen.coverage.cli import coverage_command

    assign = out / "assignments.csv"
    args = [str(KB), "-o", str(out / "report"), "--assignments", str(assign)]
    for log in logs:
        args += ["--tickets", str(log)]
    res = CliRunner().invoke(coverage_command, args, catch_exceptions=False)
    if res.exit_code != 0:
        raise SystemExit(f"helpgen coverage failed ({res.exit_code}): {res.output}")
    report = json.loads((out / "report" / "coverage.json").read_text())
    with open(assign, newline="", encoding="utf-8") as fh:
        return report, list(csv.DictReader(fh))


def run_direct(rows: list[dict]) -> tuple[dict, list[dict]]:
    from helpgen.coverage.analyse import analyse
    from helpgen.kb.load import load_kb
    from helpgen.tickets.model import Reply, Ticket

    kb, _ = load_kb(KB)
    tickets = []
    for r in rows:
        link = re.search(r"help\.pocket\.example/(\S+?)/ ", r["reply"])
        at = datetime.fromisoformat(r["replied_at"]) if r["replied_at"] else None
        tickets.append(Ticket(r["id"], datetime.fromisoformat(r["created_at"]), r["channel"], "", r["body"],
                              (Reply(r["reply"], at),) if r["reply"] else (), r["status"],
                              linked_articles=(link.group(1),) if link else ()))
    res = analyse(kb, tickets)
    rw = res.rows
    out = [{"ticket_id": rw.ids[i], "verdict": "covered" if rw.verdict[i] else "gap",
            "article": rw.article_ids[rw.article[i]] if rw.verdict[i] else "",
            "gap_id": "" if rw.verdict[i] else ("off-topic" if rw.gap[i] == -1 else str(rw.gap[i]))}
           for i in range(len(rw.ids))]
    return res.data, out


def evaluate(report: dict, assignments: list[dict], truth: dict[str, str], new_ids: set[str]) -> dict:
    key = yaml.safe_load((HERE / "answer_key.yml").read_text())
    documented, undocumented = key["documented"], set(key["undocumented"])
    rows = {r["ticket_id"]: r for r in assignments}
    tp = fp = fn = routed = doc_n = ood = ood_cov = 0
    for tid in new_ids:
        intent, row = truth[tid], rows[tid]
        is_gap = row["verdict"] == "gap"
        if intent == "__ood__":
            ood += 1
            ood_cov += not is_gap
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
    topic = _topics(report, rows, truth, undocumented)
    return {"gap_precision": prec, "gap_recall": rec, "gap_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0,
            "routing": routed / doc_n if doc_n else 0.0, "ood_false_coverage": ood_cov / ood if ood else 0.0,
            **topic}


def _topics(report: dict, rows: dict, truth: dict, undocumented: set) -> dict:
    members: dict[str, Counter] = {}
    for tid, row in rows.items():
        if row["verdict"] == "gap" and row["gap_id"] not in ("", "off-topic"):
            members.setdefault(row["gap_id"], Counter())[truth.get(tid, "?")] += 1
    sized = sorted(members.items(), key=lambda kv: -sum(kv[1].values()))
    big = [(g, c.most_common(1)[0][0]) for g, c in sized if sum(c.values()) >= 5]
    good = [intent for _, intent in big if intent in undocumented]
    top10 = [intent in undocumented for _, intent in big[:10]]
    return {"topic_precision": len(good) / len(big) if big else 0.0,
            "topic_recall": len(set(good)) / len(undocumented), "topics_found": len(set(good)),
            "clusters_5plus": len(big), "precision_at_10": sum(top10) / len(top10) if top10 else 0.0}


def show(name: str, m: dict, targets: bool) -> None:
    print(f"\n== {name}")
    for k in ("gap_precision", "gap_recall", "gap_f1", "routing", "topic_precision", "topic_recall",
              "precision_at_10", "ood_false_coverage"):
        t = TARGETS.get(k)
        ok = "" if not targets or t is None else ("  (target %s %.2f: %s)" % (
            "<=" if k == "ood_false_coverage" else ">=", t,
            "met" if (m[k] <= t if k == "ood_false_coverage" else m[k] >= t - 1e-9) else "NOT met"))
        print(f"  {k:20s} {m[k]:.3f}{ok}")
    print(f"  topics found {m['topics_found']}/20 in {m['clusters_5plus']} clusters of >= 5 tickets")


def main(direct: bool = False) -> int:
    if not (DATA / "train.csv").is_file():
        print(f"SKIP: {DATA} absent (BANKING77 lives in ../shared beside the repository)")
        return 0
    split = make_split()
    new_ids = {r["id"] for r in split.new}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, logs in (("with linked history", split.history + split.new), ("no history (text only)", split.new)):
            if direct:
                report, assign = run_direct(logs)
            else:
                path = write_csv(logs, tmp / f"{len(logs)}.csv")
                report, assign = run_cli([path], tmp / f"out{len(logs)}")
            m = evaluate(report, assign, split.truth, new_ids)
            show(name, m, targets=name.startswith("with"))
            print("  calibration:", json.dumps(report["calibration"])[:400])
    return 0


if __name__ == "__main__":
    sys.exit(main(direct="--direct" in sys.argv))
