"""Build speed, memory and size: helpgen build against plain Material for MkDocs builds of the same
synthetic Markdown, measured in the same run (issue 12, "A lean full build"). Prints every figure
beside its target:

- 1,000 articles: `helpgen build` <= 1.25x the plain reference (Material, the folder navigation
  MkDocs makes by itself with `navigation.prune`, the search plugin, no Markdown extensions);
- 5,000 articles: `helpgen build`, its Pagefind step included, <= 1.15x the like-for-like reference
  (the plain one plus helpgen's theme features and Markdown extensions), and a site <= 300 MB;
- cached builds: `helpgen build` again with KB/.helpgen/cache/ filled by the first one.

    python benchmarks/build_speed.py                 # 1,000 and 5,000 articles
    python benchmarks/build_speed.py --sizes 1000    # just one size

Each build runs in its own Python process, so peak RSS (ru_maxrss) is that build's alone; CPU time
counts the build's worker processes and the Pagefind binary too.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

TARGETS = {"ratio_1k": 1.25, "ratio_5k": 1.15, "site_mb_5k": 300.0}


def measure_helpgen(kb_dir: Path, out: Path, fresh: bool) -> dict:
    """`helpgen build` as the CLI runs it (the cache under KB/.helpgen/cache/ on); `fresh` empties
    the cache first."""
    from helpgen.kb.checks import check_kb
    from helpgen.kb.load import load_kb
    from helpgen.site import build as site_build
    from helpgen.site.cache import cache_dir

    if fresh:
        shutil.rmtree(cache_dir(kb_dir), ignore_errors=True)
    spent = {"mkdocs": 0.0}
    real_run = site_build.run_mkdocs

    def timed(staged, *args, **kwargs):
        t = time.perf_counter()
        try:
            return real_run(staged, *args, **kwargs)
        finally:
            spent["mkdocs"] += time.perf_counter() - t

    site_build.run_mkdocs = timed
    _time_search(spent)
    t0 = time.perf_counter()
    kb, _ = load_kb(kb_dir)
    check_kb(kb)
    result = site_build.build_site(kb, out, cache=True)
    wall = time.perf_counter() - t0
    pages = [out / a.id / "index.html" for a in kb.published]
    return {"wall": wall, "cpu": _cpu(), "cpu_main": _cpu(main=True), "mkdocs": spent["mkdocs"],
            "own": wall - spent["mkdocs"], "rss_mb": _rss_mb(),
            "search": spent.get("search", 0.0), "pagefind": spent.get("pagefind", 0.0),
            "article_html_kb": sum(p.stat().st_size for p in pages) / len(pages) / 1024,
            "site_mb": _size_mb(out), "sizes": _sizes(out), "pages": result.pages}


def _time_search(spent: dict) -> None:
    """Time the search post-process step, and the Pagefind indexing after it (`search: auto` picks
    Pagefind above helpgen.search.pagefind_index.PAGEFIND_THRESHOLD articles)."""
    from helpgen.search import pagefind_index, site_index

    for mod, name, key in ((site_index, "postprocess_search_index", "search"),
                           (pagefind_index, "apply_pagefind", "pagefind")):
        real = getattr(mod, name)

        def timed(*args, _real=real, _key=key, **kwargs):
            t = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_key] = spent.get(_key, 0.0) + time.perf_counter() - t

        setattr(mod, name, timed)


def measure_plain(kb_dir: Path, out: Path, like: bool = False) -> dict:
    """The reference build. `plain` (the issue's): Material with the folder navigation MkDocs makes by
    itself, `navigation.prune`, the search plugin and no Markdown extensions. `like` (like for like):
    the same plus the theme features and Markdown extensions of site_template/mkdocs.yml."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from helpgen.site.mkdocs_config import base_config

    work = Path(tempfile.mkdtemp(prefix="plain-"))
    shutil.copytree(kb_dir / "articles", work / "docs")
    (work / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    base = base_config()
    config = {"site_name": "Plain", "docs_dir": str(work / "docs"), "site_dir": str(out),
              "theme": {"name": "material", "font": False, "features": ["navigation.prune"]},
              "plugins": ["search"], "markdown_extensions": []}
    if like:
        config["theme"]["features"] = base["theme"]["features"]
        config["markdown_extensions"] = base["markdown_extensions"]
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    t0 = time.perf_counter()
    build(load_config(config_file=str(work / "mkdocs.yml")))
    wall = time.perf_counter() - t0
    pages = [p for p in out.rglob("index.html") if p.parent != out]
    shutil.rmtree(work, ignore_errors=True)
    return {"wall": wall, "cpu": _cpu(), "cpu_main": _cpu(main=True), "mkdocs": wall, "own": 0.0, "rss_mb": _rss_mb(),
            "sizes": _sizes(out), "article_html_kb": sum(p.stat().st_size for p in pages) / max(len(pages), 1) / 1024,
            "site_mb": _size_mb(out), "pages": len(list(out.rglob("*.html")))}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu(main: bool = False) -> float:
    """CPU seconds of this process and of the processes it waited for (workers, Pagefind); `main`:
    of this process alone (the build's critical path: the page loop of MkDocs runs there)."""
    whos = (resource.RUSAGE_SELF,) if main else (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    return sum(getattr(resource.getrusage(who), f) for who in whos for f in ("ru_utime", "ru_stime"))


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def _sizes(folder: Path) -> dict[str, float]:
    """MB by kind: article and other HTML pages, search indexes, the Pagefind bundle, the rest."""
    out = {"html": 0.0, "search": 0.0, "pagefind": 0.0, "assets": 0.0, "other": 0.0}
    for p in folder.rglob("*"):
        if not p.is_file():
            continue
        parts = p.relative_to(folder).parts
        kind = ("pagefind" if parts[0] == "pagefind" else "search" if "search" in parts[:-1]
                else "html" if p.suffix == ".html" else "assets" if parts[0] == "assets" else "other")
        out[kind] += p.stat().st_size / 1024 / 1024
    return out


def run_child(kind: str, kb_dir: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--measure", kind, str(kb_dir), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    shutil.rmtree(out, ignore_errors=True)  # the disk is shared too
    return json.loads(done.stdout.strip().splitlines()[-1])


KINDS = {"plain": "plain reference", "like": "like-for-like ref.", "cold": "helpgen build",
         "warm": "helpgen build, cached"}


def bench(n: int, root: Path, repeat: int) -> None:
    from synth_kb import make_kb

    kb_dir = make_kb(root / f"kb{n}", n)
    load_before = _load()
    runs: dict[str, list[dict]] = {k: [] for k in KINDS}
    for i in range(repeat):  # interleaved, best of `repeat`: other load on the machine shows less
        for kind in KINDS:  # cold, then warm: the second build finds the first one's cache
            runs[kind].append(run_child(kind, kb_dir, root / f"{kind}{n}-{i}"))
    best = {k: min(v, key=lambda r: r["wall"]) for k, v in runs.items()}
    print(f"\n== {n} articles (best of {repeat}) ==")
    for kind, label in KINDS.items():
        r = best[kind]
        print(f"{label:22} wall {r['wall']:7.1f} s  (runs {_walls(runs[kind])})  CPU {r['cpu']:7.1f} s "
              f"(main process {r['cpu_main']:5.1f} s)   "
              f"peak RSS {r['rss_mb']:5.0f} MB   article page {r['article_html_kb']:5.1f} kB   "
              f"site {r['site_mb']:6.1f} MB   pages {r['pages']}")
    cold, warm, plain, like = best["cold"], best["warm"], best["plain"], best["like"]
    sizes = ", ".join(f"{k} {v:.1f}" for k, v in cold["sizes"].items())
    print(f"helpgen site by kind (MB): {sizes}")
    print(f"helpgen own work outside MkDocs (load, check, stage, search post-process, Pagefind, catalogue): "
          f"{cold['own']:.1f} s = {100 * cold['own'] / cold['wall']:.1f}% of its wall time; search post-process "
          f"{cold['search']:.1f} s, Pagefind {cold['pagefind']:.1f} s")
    target_1k = f"(target <= {TARGETS['ratio_1k']:.2f}x at 1,000: {_met(cold['wall'] / plain['wall'], TARGETS['ratio_1k'])})"
    target_5k = (f"(target <= {TARGETS['ratio_5k']:.2f}x at 5,000, Pagefind included: "
                 f"{_met(cold['wall'] / like['wall'], TARGETS['ratio_5k'])})")
    print(f"ratio helpgen build / plain reference:        {cold['wall'] / plain['wall']:.2f}x wall, "
          f"{cold['cpu'] / plain['cpu']:.2f}x CPU " + (target_1k if n <= 1000 else ""))
    print(f"main process CPU (the critical path on an idle machine): helpgen {cold['cpu_main']:.1f} s, plain "
          f"{plain['cpu_main']:.1f} s = {cold['cpu_main'] / plain['cpu_main']:.2f}x; whole build (workers included) "
          f"{cold['cpu']:.1f} s / 2 cores = {cold['cpu'] / 2:.1f} s against {plain['cpu']:.1f} s")
    print(f"ratio helpgen build / like-for-like reference: {cold['wall'] / like['wall']:.2f}x wall, "
          f"{cold['cpu'] / like['cpu']:.2f}x CPU " + (target_5k if n >= 5000 else "")
          + (f"; {(cold['wall'] - cold['pagefind']) / like['wall']:.2f}x without Pagefind" if cold["pagefind"] else ""))
    print(f"cached build (KB/.helpgen/cache/ filled by the first): {warm['wall']:.1f} s = "
          f"{warm['wall'] / cold['wall']:.2f}x the first build, {warm['wall'] / plain['wall']:.2f}x the plain reference")
    if n >= 5000:
        print(f"site size {cold['site_mb']:.1f} MB (target <= {TARGETS['site_mb_5k']:.0f} MB: "
              f"{_met(cold['site_mb'], TARGETS['site_mb_5k'])}); like-for-like reference {like['site_mb']:.1f} MB")
    print(f"load average (1, 5, 15 min) before: {load_before}, after: {_load()}")


def _met(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def _load() -> str:
    """The machine's load average: other work on it inflates both builds (the ratio suffers less)."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _walls(runs: list[dict]) -> str:
    return ", ".join(f"{r['wall']:.1f}" for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per build (the best is shown)")
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "KB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, kb_dir, out = args.measure
        if kind in ("cold", "warm"):
            print(json.dumps(measure_helpgen(Path(kb_dir), Path(out), fresh=kind == "cold")))
        else:
            print(json.dumps(measure_plain(Path(kb_dir), Path(out), like=kind == "like")))
        return
    with tempfile.TemporaryDirectory(prefix="helpgen-bench-") as tmp:
        for n in args.sizes:
            bench(n, Path(tmp), args.repeat)


if __name__ == "__main__":
    main()
