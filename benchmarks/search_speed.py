"""Search speed in headless chromium: the sample KB and synthetic 1,000 / 5,000-article sites.

For each site: time from navigation start until Material's search worker is ready (index fetched
and built), the page's JS heap, the renderer processes' proportional memory (PSS, page + worker: Chrome
does not expose a dedicated worker's heap to the page), and the time from the last keystroke to
the rendered results (median and max over the queries).

    /work/venv/bin/python benchmarks/search_speed.py [--sizes 1000,5000] [--keep DIR]

Backend: Material's lunr search (the only one helpgen ships; Pagefind is not implemented yet).
Targets (issue 4): first results within 300 ms of typing on the sample KB; on 5,000 articles,
results within 1 s of page load plus typing and JS heap <= 200 MB.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from helpgen.kb.load import load_kb  # noqa: E402
from helpgen.search.browser import CHROMIUM, serve_dir  # noqa: E402

QUERIES = ["card", "why was I charged twice", "my card has not arrived", "top up failed", "pending transfer",
           "exchange rate", "lost card", "refund", "pin blocked", "verify identity"]
MEASURE = """async (q) => {
  const input = document.querySelector('.md-search__input');
  const count = () => +(document.documentElement.dataset.helpgenResults || 0);
  const before = count();
  const start = performance.now();
  input.value = q;
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  while (count() === before) await new Promise(r => setTimeout(r, 1));
  return performance.now() - start;
}"""
CLEAR = """async () => {
  const input = document.querySelector('.md-search__input');
  const before = +(document.documentElement.dataset.helpgenResults || 0);
  input.value = '';
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  while (+(document.documentElement.dataset.helpgenResults || 0) === before) await new Promise(r => setTimeout(r, 1));
}"""


def renderer_rss_mb() -> float:
    """Proportional set size (shared pages split) of chromium's renderer processes, in MB."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"--type=renderer" not in cmd or b"chromium" not in cmd:
                continue
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with serve_dir(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--enable-precise-memory-info"])
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page.goto(base)
        page.wait_for_function("document.documentElement.dataset.helpgenSearch === 'ready'", timeout=600_000)
        ready = page.evaluate("performance.now()")
        times = []
        for q in QUERIES:
            page.evaluate(CLEAR) if page.input_value(".md-search__input") else None
            times.append(page.evaluate(MEASURE, q))
        heap = page.evaluate("performance.memory.usedJSHeapSize") / 2**20
        rss = renderer_rss_mb()
        browser.close()
    return {"ready_ms": ready, "median_ms": statistics.median(times), "max_ms": max(times),
            "first_ms": times[0], "heap_mb": heap, "rss_mb": rss}


def build(kb_dir: Path, out: Path) -> tuple[Path, float]:
    from helpgen.site.build import build_site

    kb, _ = load_kb(kb_dir)
    start = time.perf_counter()
    build_site(kb, out)
    return out, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="synthetic KB sizes (comma-separated, '' for none)")
    parser.add_argument("--keep", type=Path, help="keep the built sites in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        rows = [("sample_kb", *build(ROOT / "sample_kb", work / "sample-site"))]
        for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
            from synth_kb import make_kb

            kb_dir = make_kb(work / f"synth-{n}", n)
            rows.append((f"synthetic {n}", *build(kb_dir, work / f"synth-{n}-site")))
        print("backend: Material lunr (helpgen index + query rewrite); headless chromium, this machine")
        print(f"{'site':16}{'index kB':>10}{'ready ms':>10}{'1st query':>10}{'median':>8}{'max':>8}"
              f"{'JS heap MB':>11}{'renderer MB':>12}")
        for name, site, _ in rows:
            m = measure(site)
            size = (site / "search" / "search_index.json").stat().st_size / 1024
            print(f"{name:16}{size:>10.0f}{m['ready_ms']:>10.0f}{m['first_ms']:>10.1f}{m['median_ms']:>8.1f}"
                  f"{m['max_ms']:>8.1f}{m['heap_mb']:>11.1f}{m['rss_mb']:>12.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
