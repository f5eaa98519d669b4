"""Build speed and memory: helpgen build vs a plain `mkdocs build` (Material, folder-based nav with
navigation.prune) on the same synthetic Markdown, measured in the same run. Prints figures.

    python benchmarks/build_speed.py                 # 1,000 and 5,000 articles
    python benchmarks/build_speed.py --sizes 1000    # just one size

Each build runs in its own Python process, so peak RSS (ru_maxrss) is that build's alone.
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


def measure_helpgen(kb_dir: Path, out: Path) -> dict:
    from helpgen.kb.checks import check_kb
    from helpgen.kb.load import load_kb
    from helpgen.site import build as site_build

    spent = {"mkdocs": 0.0}
    real_run = site_build.run_mkdocs

    def timed(staged):
        t = time.perf_counter()
        try:
            return real_run(staged)
        finally:
            spent["mkdocs"] += time.perf_counter() - t

    site_build.run_mkdocs = timed
    _time_search(spent)
    t0 = time.perf_counter()
    kb, _ = load_kb(kb_dir)
    check_kb(kb)
    result = site_build.build_site(kb, out)
    wall = time.perf_counter() - t0
    pages = [out / a.id / "index.html" for a in kb.published]
    return {"wall": wall, "mkdocs": spent["mkdocs"], "own": wall - spent["mkdocs"], "rss_mb": _rss_mb(),
            "search": spent.get("search", 0.0), "pagefind": spent.get("pagefind", 0.0),
            "article_html_kb": sum(p.stat().st_size for p in pages) / len(pages) / 1024,
            "site_mb": _size_mb(out), "pages": result.pages}


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
    return {"wall": wall, "mkdocs": wall, "own": 0.0, "rss_mb": _rss_mb(),
            "article_html_kb": sum(p.stat().st_size for p in pages) / max(len(pages), 1) / 1024,
            "site_mb": _size_mb(out), "pages": len(list(out.rglob("*.html")))}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def run_child(kind: str, kb_dir: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--measure", kind, str(kb_dir), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(n: int, root: Path, repeat: int) -> None:
    from synth_kb import make_kb

    kb_dir = make_kb(root / f"kb{n}", n)
    load_before = _load()
    plains, helpgens = [], []
    for i in range(repeat):  # interleaved, best of `repeat`: other load on the machine shows less
        plains.append(run_child("plain", kb_dir, root / f"plain{n}-{i}"))
        helpgens.append(run_child("helpgen", kb_dir, root / f"site{n}-{i}"))
    plain, helpgen = min(plains, key=lambda r: r["wall"]), min(helpgens, key=lambda r: r["wall"])
    print(f"\n== {n} articles (best of {repeat}; all runs: helpgen {_walls(helpgens)} s, "
          f"plain {_walls(plains)} s) ==")
    for name, r in (("helpgen build", helpgen), ("plain mkdocs build", plain)):
        print(f"{name:20} wall {r['wall']:7.1f} s   peak RSS {r['rss_mb']:7.0f} MB   "
              f"article page {r['article_html_kb']:5.1f} kB   site {r['site_mb']:7.1f} MB   pages {r['pages']}")
    print(f"helpgen own work (load, check, stage, catalogue, search post-process): {helpgen['own']:.1f} s = "
          f"{100 * helpgen['own'] / helpgen['wall']:.1f}% of its wall time (mkdocs part {helpgen['mkdocs']:.1f} s)")
    print(f"  of which search post-process {helpgen.get('search', 0):.1f} s, Pagefind indexing "
          f"{helpgen.get('pagefind', 0):.1f} s; own work without Pagefind: "
          f"{100 * (helpgen['own'] - helpgen.get('pagefind', 0)) / helpgen['wall']:.1f}%")
    print(f"ratio helpgen / plain mkdocs: {helpgen['wall'] / plain['wall']:.2f}x"
          + (f" ({(helpgen['wall'] - helpgen['pagefind']) / plain['wall']:.2f}x without the Pagefind step, "
             "which the plain build does not have)" if helpgen.get("pagefind") else ""))
    print(f"load average (1, 5, 15 min) before: {load_before}, after: {_load()}")


def _load() -> str:
    """The machine's load average: other work on it inflates both builds (the ratio suffers less)."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _walls(runs: list[dict]) -> str:
    return ", ".join(f"{r['wall']:.1f}" for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=2, help="runs per build (the best is shown)")
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "KB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, kb_dir, out = args.measure
        fn = measure_helpgen if kind == "helpgen" else measure_plain
        print(json.dumps(fn(Path(kb_dir), Path(out))))
        return
    with tempfile.TemporaryDirectory(prefix="helpgen-bench-") as tmp:
        for n in args.sizes:
            bench(n, Path(tmp), args.repeat)


if __name__ == "__main__":
    main()
