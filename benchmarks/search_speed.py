"""Search speed, memory and recall in headless chromium, for each backend (Material's lunr, Pagefind).

Sites: the sample KB and synthetic 1,000 / 5,000-article KBs (benchmarks/synth_kb.py). Each KB is
built once with `search: lunr`; the Pagefind site is a copy of it post-processed by
`helpgen.search.pagefind_index.apply_pagefind`, which is what `helpgen build` runs after
`mkdocs build` with `search: pagefind` (the lunr rewrite of search_index.json comes first in both).

Questions: every second customer question of tests/e2e/questions_en.csv, 24 of them (SPEED_QUESTIONS).

For each site and backend:
- first results after load (the issue's figure): a fresh browser context (empty HTTP cache) opens
  the home page; the question is put into the search box at DOMContentLoaded (the customer types
  while the page loads; typing time itself not counted); measured from navigation start until the
  first result is in the result list (a MutationObserver on Material's list). Median and max over
  the questions (lunr on the synthetic KBs: over the first --lunr-questions, its load is slow);
  "from DOM" is the same moment measured from DOMContentLoaded;
- DOM: navigation start until DOMContentLoaded (the part that does not depend on search);
- ready: navigation start until the search can answer (Material's worker has built the lunr index /
  Pagefind's WebAssembly and metadata are loaded), on a second page of the same browser;
- per query: on that page, last keystroke until results are rendered (median and max over the questions);
- JS heap: used V8 heap plus ArrayBuffer backing stores (Pagefind's WebAssembly memory) of the page
  and of every dedicated worker after all the questions (Chrome DevTools Protocol Runtime.getHeapUsage,
  workers reached with Target.setAutoAttach); the renderer processes' PSS is printed too;
- kB per query: bytes the local server sent while the questions ran, divided by the questions;
- recall@3 on all of tests/e2e/questions_en.csv (sample KB) of the Pagefind site in the browser and of
  lunr.py (`helpgen search --eval`, the ranking of the lunr site), and their difference; the
  browser lunr site and Material's search as configured out of the box are printed for reference.

    /work/venv/bin/python benchmarks/search_speed.py [--sizes 1000,5000] [--keep DIR] [--reuse]
        [--also NAME=SITE_DIR]   # e.g. the 5,000-article site built by an older helpgen, as a reference

Targets (issue 10, item 3): with Pagefind at 5,000 articles, first results after load <= 1 s, JS heap
<= 200 MB, recall@3 within 0.03 of lunr's on the same questions. The machine is shared: compare the
rows of one run (same load), not across runs; the load average is printed at start and end.
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))  # search_harness: the e2e tests' browser driver

from helpgen.kb.load import load_kb  # noqa: E402
from search_harness import CHROMIUM, SearchPage, hrefs_to_ids, load_catalogue, serve_dir  # noqa: E402

QUESTIONS = ROOT / "tests" / "e2e" / "questions_en.csv"
TARGET_FIRST_MS, TARGET_HEAP_MB, TARGET_RECALL_GAP = 1000, 200, 0.03  # issue 10, item 3 (Pagefind, 5,000 articles)
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
# Puts the question into the box as soon as the DOM is there and records when the first result is in the list.
TYPE_AT_LOAD = """document.addEventListener('DOMContentLoaded', () => {
  const input = document.querySelector('.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  if (!input || !list) return;
  new MutationObserver((_, obs) => {
    if (list.querySelector('.md-search-result__item') && !window.__firstResults) {
      window.__firstResults = performance.now(); obs.disconnect(); }
  }).observe(list, {childList: true, subtree: true});
  new MutationObserver((_, obs) => {  /* a question that finds nothing: its (empty) answer */
    if (document.documentElement.dataset.helpgenResults && !window.__firstAnswer) {
      window.__firstAnswer = performance.now(); obs.disconnect(); }
  }).observe(document.documentElement, {attributes: true, attributeFilter: ['data-helpgen-results']});
  input.focus();
  input.value = %s;
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
});"""


def speed_questions() -> list[str]:
    """Every second question of tests/e2e/questions_en.csv, 24 of them."""
    with open(QUESTIONS, encoding="utf-8", newline="") as handle:
        return [r["question"] for r in csv.DictReader(handle)][::2][:24]


def renderer_pss_mb() -> float:
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


def used_mb(usage: dict) -> float:
    """Used V8 heap plus ArrayBuffer backing stores (WebAssembly memory, fetched bytes), in MB."""
    return (usage["usedSize"] + usage.get("backingStorageSize", 0)) / 2**20


class HeapProbe:
    """Used JS heap of a page and of its dedicated workers, through the DevTools protocol."""

    def __init__(self, page) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.workers: dict[str, str] = {}  # session id -> worker url
        self.replies: dict[tuple[str, int], dict] = {}
        self.cdp.on("Target.attachedToTarget", self._attached)
        self.cdp.on("Target.receivedMessageFromTarget", self._received)
        self.cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False})

    def _attached(self, event: dict) -> None:
        if event["targetInfo"]["type"] == "worker":
            self.workers[event["sessionId"]] = event["targetInfo"]["url"]

    def _received(self, event: dict) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[(event["sessionId"], message["id"])] = message.get("result", {})

    def heaps_mb(self) -> dict[str, float]:
        """{"page": MB, "worker <name>": MB, ...}; a worker that does not answer is left out."""
        out = {"page": used_mb(self.cdp.send("Runtime.getHeapUsage"))}
        for i, (session, url) in enumerate(sorted(self.workers.items())):
            self.cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": json.dumps(
                {"id": 1000 + i, "method": "Runtime.getHeapUsage"})})
            deadline = time.time() + 10
            while (session, 1000 + i) not in self.replies and time.time() < deadline:
                self.page.wait_for_timeout(20)
            reply = self.replies.get((session, 1000 + i))
            if reply and "usedSize" in reply:
                out["worker " + url.rsplit("/", 1)[-1]] = used_mb(reply)
        return out


def first_results(browser, base: str, question: str) -> tuple[float, float, bool]:
    """(navigation start -> first result in the list, DOMContentLoaded, found anything) in ms, in a
    fresh context (empty HTTP cache), the question put into the box at DOMContentLoaded. A question
    that finds nothing counts until its empty answer is rendered."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(TYPE_AT_LOAD % json.dumps(question))
    page.goto(base)
    page.wait_for_function("window.__firstResults || window.__firstAnswer", timeout=900_000, polling=20)
    page.wait_for_timeout(50)  # an answer's items are rendered right after the answer
    first, answer = page.evaluate("[window.__firstResults, window.__firstAnswer]")
    dom = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    context.close()
    return first or answer, dom, bool(first)


def measure(site: Path, questions: list[str], cold: int) -> dict:
    """Speed, memory and bytes of one built site (one fresh browser); first results over the first
    `cold` questions, per-query times over all of them."""
    from playwright.sync_api import sync_playwright

    served: list[str] = []
    with serve_dir(site, served) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        loads = [first_results(browser, base, q) for q in questions[:cold]]
        page = browser.new_page()
        probe = HeapProbe(page)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page.goto(base)
        page.wait_for_function("document.documentElement.dataset.helpgenSearch === 'ready'", timeout=900_000)
        ready = page.evaluate("performance.now()")
        page.click(".md-search__input")
        before = sent_bytes(site, served)
        times = []
        for q in questions:
            page.evaluate(CLEAR) if page.input_value(".md-search__input") else None
            times.append(page.evaluate(MEASURE, q))
        per_query = (sent_bytes(site, served) - before) / len(questions) / 1024
        heaps = probe.heaps_mb()
        pss = renderer_pss_mb()
        browser.close()
    firsts = [f for f, _, _ in loads]
    return {"ready_ms": ready, "first_ms": statistics.median(firsts), "first_max_ms": max(firsts),
            "after_dom_ms": statistics.median(f - d for f, d, _ in loads),
            "dom_ms": statistics.median(d for _, d, _ in loads), "cold": len(loads),
            "found": sum(found for _, _, found in loads), "median_ms": statistics.median(times), "max_ms": max(times),
            "heap_mb": sum(heaps.values()), "heaps": heaps, "pss_mb": pss, "kb_per_query": per_query}


def sent_bytes(site: Path, served: list[str]) -> int:
    """Bytes of the files the local server has sent so far (static files, no compression)."""
    total = 0
    for path in served:
        file = site / path.split("?")[0].lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        total += file.stat().st_size if file.is_file() else 0
    return total


def recall(site: Path) -> tuple[float, float]:
    """recall@1 and recall@3 of the site's search on tests/e2e/questions_en.csv, in the browser."""
    from search_harness import chromium
    from helpgen.search.index import evaluate

    with open(ROOT / "tests" / "e2e" / "questions_en.csv", encoding="utf-8", newline="") as handle:
        questions = [(r["question"], r["expected_article"]) for r in csv.DictReader(handle)]
    catalogue = load_catalogue(site)
    with serve_dir(site) as base, chromium(viewport={"width": 1280, "height": 900}) as context:
        search = SearchPage(context.new_page(), base)
        ev = evaluate([(q, [e], hrefs_to_ids(search.query(q), base, catalogue)) for q, e in questions])
        assert context.blocked == [], context.blocked  # type: ignore[attr-defined]
    return ev.recall_at_1, ev.recall_at_3


def lunr_py_recall(kb_dir: Path) -> tuple[float, float]:
    """recall@1 and recall@3 of lunr.py (`helpgen search --eval`) on tests/e2e/questions_en.csv."""
    from helpgen.search.index import build_index, evaluate_file

    kb, _ = load_kb(kb_dir)
    ev = evaluate_file(build_index(kb, kb.config.language), QUESTIONS)
    return ev.recall_at_1, ev.recall_at_3


def material_site(out: Path) -> Path:
    """The sample KB with Material's search as configured out of the box (no helpgen index
    rewrite, no query rewrite): the reference of issue 4's recall target."""
    from unittest import mock

    from helpgen.search import site_index
    from helpgen.site.build import build_site

    kb, _ = load_kb(ROOT / "sample_kb")
    kb = dataclasses.replace(kb, config=dataclasses.replace(kb.config, search="lunr"))
    with mock.patch.object(site_index, "help_data", lambda *a, **k: None), \
            mock.patch.object(site_index, "search_plugin_config", lambda kb, **k: {}), \
            mock.patch.object(site_index, "postprocess_search_index", lambda site_dir, kb, *rest: None):
        return build_site(kb, out).output


def build(kb_dir: Path, out: Path, reuse: bool) -> tuple[Path, Path]:
    """(lunr site, Pagefind site) of one KB."""
    from helpgen.search.pagefind_index import apply_pagefind
    from helpgen.site.build import build_site, template_dir

    kb, _ = load_kb(kb_dir)
    lunr, pagefind = out / "lunr", out / "pagefind"
    if not (reuse and (lunr / "search" / "search_index.json").is_file()):
        build_site(dataclasses.replace(kb, config=dataclasses.replace(kb.config, search="lunr")), lunr)
    for assets in sorted(lunr.glob("**/assets/search")):  # a reused build gets today's scripts
        shutil.copytree(template_dir() / "assets" / "search", assets, dirs_exist_ok=True)
    shutil.rmtree(pagefind, ignore_errors=True)
    shutil.copytree(lunr, pagefind)
    apply_pagefind(pagefind, kb)
    return lunr, pagefind


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="synthetic KB sizes (comma-separated, '' for none)")
    parser.add_argument("--keep", type=Path, help="keep the built sites in this folder")
    parser.add_argument("--reuse", action="store_true", help="reuse lunr builds already in --keep")
    parser.add_argument("--no-recall", action="store_true", help="skip the recall figures")
    parser.add_argument("--also", action="append", default=[], metavar="NAME=DIR",
                        help="also measure this already built Pagefind site (e.g. one built by another version)")
    parser.add_argument("--lunr-questions", type=int, default=3,
                        help="first-results loads of the lunr site of a synthetic KB (each takes up to a minute)")
    args = parser.parse_args()
    print(f"headless chromium, this machine; load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    questions = speed_questions()
    summary: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        sites = [("sample_kb", *build(ROOT / "sample_kb", work / "sample", args.reuse))]
        if not args.no_recall:
            reference = [("Material out of the box", material_site(work / "sample" / "material"))]
            got = {}
            for backend, site in reference + list(zip(("helpgen lunr", "pagefind"), sites[0][1:])):
                got[backend] = recall(site)
                print(f"recall on tests/e2e/questions_en.csv, {backend + ' (browser)':34}: "
                      f"recall@1 {got[backend][0]:.3f}  recall@3 {got[backend][1]:.3f}", flush=True)
            lunr_py = lunr_py_recall(ROOT / "sample_kb")
            print(f"recall on tests/e2e/questions_en.csv, {'lunr.py (helpgen search --eval)':34}: "
                  f"recall@1 {lunr_py[0]:.3f}  recall@3 {lunr_py[1]:.3f}", flush=True)
            gap = got["pagefind"][1] - lunr_py[1]
            summary.append(f"recall@3 Pagefind {got['pagefind'][1]:.3f} vs lunr.py {lunr_py[1]:.3f}: difference "
                           f"{gap:+.3f} (target |difference| <= {TARGET_RECALL_GAP}: "
                           f"{verdict(abs(gap) <= TARGET_RECALL_GAP + 1e-9)}); vs helpgen lunr in the browser "
                           f"{got['helpgen lunr'][1]:.3f}: {got['pagefind'][1] - got['helpgen lunr'][1]:+.3f}")
        for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
            from synth_kb import make_kb

            kb_dir = work / f"synth-{n}"
            if not (args.reuse and (kb_dir / "articles").is_dir()):
                make_kb(kb_dir, n)
            sites.append((f"synthetic {n}", *build(kb_dir, work / f"synth-{n}-sites", args.reuse)))
        print(f"{len(questions)} questions; first results: navigation start -> first result on screen (found: "
              "questions with results), question put into the box at DOMContentLoaded, fresh context each (median / max)")
        print(f"{'site':14}{'backend':>9}{'found':>6}{'DOM ms':>8}{'1st results ms':>15}{'max':>7}{'from DOM':>9}"
              f"{'ready ms':>9}{'query ms':>9}{'max':>7}{'JS heap MB':>11}{'renderer MB':>12}{'kB/query':>9}")
        rows = {}
        for name, lunr, pagefind in sites + [(n, None, Path(d)) for n, d in (a.split("=", 1) for a in args.also)]:
            for backend, site in (("lunr", lunr), ("pagefind", pagefind)):
                if site is None:
                    continue
                cold = min(args.lunr_questions, len(questions)) if backend == "lunr" and name != "sample_kb" \
                    else len(questions)
                m = rows[name, backend] = measure(site, questions, cold)
                found = f"{m['found']}/{m['cold']}"
                print(f"{name:14}{backend:>9}{found:>6}{m['dom_ms']:>8.0f}{m['first_ms']:>15.0f}{m['first_max_ms']:>7.0f}"
                      f"{m['after_dom_ms']:>9.0f}{m['ready_ms']:>9.0f}{m['median_ms']:>9.0f}{m['max_ms']:>7.0f}"
                      f"{m['heap_mb']:>11.1f}{m['pss_mb']:>12.0f}{m['kb_per_query']:>9.1f}   heaps: "
                      + ", ".join(f"{k} {v:.1f}" for k, v in m["heaps"].items()), flush=True)
        large = [name for name, *_ in sites if name != "sample_kb"]
        for also in args.also:
            name, pf = also.split("=", 1)[0], rows[also.split("=", 1)[0], "pagefind"]
            if large:
                mine = rows[large[-1], "pagefind"]
                summary.append(f"{large[-1]}, Pagefind vs {name}: first results x{mine['first_ms'] / pf['first_ms']:.2f} "
                               f"({mine['first_ms']:.0f} vs {pf['first_ms']:.0f} ms), heap "
                               f"x{mine['heap_mb'] / pf['heap_mb']:.2f}")
        if large:
            name = large[-1]
            pf, lunr_m, small = rows[name, "pagefind"], rows[name, "lunr"], rows["sample_kb", "pagefind"]
            summary.insert(0, f"{name}, Pagefind: first results after load {pf['first_ms']:.0f} ms median "
                              f"({pf['after_dom_ms']:.0f} ms after DOMContentLoaded; target <= {TARGET_FIRST_MS} ms: "
                              f"{verdict(pf['first_ms'] <= TARGET_FIRST_MS)}); x{pf['first_ms'] / lunr_m['first_ms']:.2f}"
                              f" of lunr on the same site, x{pf['first_ms'] / small['first_ms']:.2f} of Pagefind on "
                              "sample_kb")
            summary.insert(1, f"{name}, Pagefind: JS heap {pf['heap_mb']:.0f} MB (target <= {TARGET_HEAP_MB} MB: "
                              f"{verdict(pf['heap_mb'] <= TARGET_HEAP_MB)}); x{pf['heap_mb'] / lunr_m['heap_mb']:.2f} "
                              "of lunr")
    print("\n".join(["", "targets (issue 10, item 3):"] + ["  " + line for line in summary]))
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
