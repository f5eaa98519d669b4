"""The writer's loop: how long one edit of an article's body takes to reach the page `helpgen serve`
shows, against a full `helpgen build` of the same KB measured in the same run. Prints figures.

    python benchmarks/serve_reload.py                  # 1,000 articles
    python benchmarks/serve_reload.py --sizes 1000 5000

For each size: a synthetic KB (benchmarks/synth_kb.py), a full `helpgen build` (the reference), then
`helpgen serve` in its own process; 5 edits, each of a different existing article's body, each timed
from the save until the served page contains the new text (the HTTP server is polled every 50 ms).
"""
from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from synth_kb import make_kb  # noqa: E402

TARGETS = {1000: 3.0, 5000: 5.0}  # seconds, median of EDITS edits (issue 12)
EDITS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def full_build(kb: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "helpgen", "build", str(kb), "-o", str(out), "--no-cache"], check=True,
                   cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(size: int, work: Path) -> dict:
    kb = make_kb(work / f"kb{size}", size)
    reference = full_build(kb, work / f"site{size}")
    port = free_port()
    log = open(work / f"serve{size}.log", "w+", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "helpgen", "serve", str(kb), "--port", str(port)],
                              cwd=HERE.parent, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        line = server.stdout.readline()  # "Serving on URL (first build N s; ...)"
        match = re.search(r"Serving on (\S+) \(first build ([\d.]+) s", line)
        if not match:
            raise SystemExit(f"helpgen serve did not start: {line!r}; see {log.name}")
        base, first = match.group(1), float(match.group(2))
        articles = sorted((kb / "articles").rglob("*.md"))
        times = []
        for number in range(EDITS):
            path = articles[(number * 7919) % len(articles)]
            rel = path.relative_to(kb / "articles").with_suffix("").as_posix()
            marker = f"zqxedit{number}mark"
            text = path.read_text(encoding="utf-8")
            time.sleep(1.0)  # a writer does not save twice a second; let the watcher settle
            started = time.perf_counter()
            path.write_text(text.rstrip("\n") + f"\n\nA new sentence {marker}.\n", encoding="utf-8")
            while marker not in fetch(f"{base}{rel}/"):
                if time.perf_counter() - started > 300:
                    raise SystemExit(f"edit {number} never reached the page; see {log.name}")
                time.sleep(0.05)
            times.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return {"size": size, "reference": reference, "first": first, "edits": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="helpgen-serve-bench-") as tmp:
        for size in args.sizes:
            r = measure(size, Path(tmp))
            median = statistics.median(r["edits"])
            target = TARGETS.get(size)
            print(f"{size} articles:")
            print(f"  full `helpgen build` (reference)   {r['reference']:6.1f} s")
            print(f"  `helpgen serve` first build        {r['first']:6.1f} s")
            print(f"  edit -> on the served page, each   {', '.join(f'{t:.2f}' for t in r['edits'])} s")
            verdict = "" if target is None else f"   target <= {target:.0f} s: {'met' if median <= target else 'MISSED'}"
            print(f"  edit -> on the served page, median {median:6.2f} s = {median / r['reference']:.3f}x the full "
                  f"build{verdict}")


if __name__ == "__main__":
    main()
