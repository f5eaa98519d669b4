"""Quality benchmark of `helpgen coverage` on a second domain: CLINC150 auto_and_commute against the
Motorwise KB in benchmarks/clinc150/kb (see docs/benchmarks-coverage.md). Same shape as
benchmarks/banking77/coverage_bench.py:

    python benchmarks/clinc150/coverage_bench.py [-- EXTRA COVERAGE OPTIONS]

Prints gap precision/recall/F1, routing, gap topics found, precision@10 and the share of real out-of-scope
requests called covered, with linked history and without (text only).
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import OOS_CSV, coverage_main, load_key  # noqa: E402
from split import DATA, KB, domain, make_split  # noqa: E402


def main(argv: list[str]) -> int:
    if not (DATA / "train.csv").is_file() or not OOS_CSV.is_file():
        print(f"SKIP: {DATA} absent (CLINC150 lives in ../shared beside the repository)")
        return 0
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    documented, undocumented = load_key(HERE / "answer_key.yml")
    coverage_main(f"CLINC150 {domain()}", KB, make_split(), documented, undocumented, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
