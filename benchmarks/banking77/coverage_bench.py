"""Quality benchmark of `helpgen coverage` on BANKING77 (see docs/benchmarks-coverage.md).

    /work/venv/bin/python benchmarks/banking77/coverage_bench.py [--direct] [-- EXTRA COVERAGE OPTIONS]

Writes the split (split.py) as canonical helpgen CSV logs to a temp dir, runs the real
`helpgen coverage sample_kb --tickets ... --assignments ...` (click CliRunner), then prints the
figures on the "new" tickets: with linked history, and with no history (text matching only), each with
the share of real out-of-scope requests (../shared/data/clinc150/out_of_scope.csv) called covered.
`--direct` builds Ticket objects itself and calls the analysis (no ticket readers), for debugging.
"""
from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import OOS_CSV, coverage_main, evaluate, load_key, show  # noqa: E402
from split import DATA, make_split  # noqa: E402

KB = REPO / "sample_kb"


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


def main(argv: list[str]) -> int:
    if not (DATA / "train.csv").is_file() or not OOS_CSV.is_file():
        print(f"SKIP: {DATA} or {OOS_CSV} absent (the data lives in ../shared beside the repository)")
        return 0
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    split = make_split()
    documented, undocumented = load_key(HERE / "answer_key.yml")
    if "--direct" not in argv:
        coverage_main("BANKING77", KB, split, documented, undocumented, extra)
        return 0
    new_ids = {r["id"] for r in split.new}
    for name, logs in (("with linked history", split.history + split.new), ("no history (text only)", split.new)):
        report, assign = run_direct(logs)
        show(name, evaluate(assign, split.truth, new_ids, documented, undocumented), targets=name.startswith("with"))
        print("  calibration:", json.dumps(report["calibration"])[:400])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
