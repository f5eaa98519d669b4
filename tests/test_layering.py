"""The package's shape: every module imports, imports point downwards, no cycles, no private imports
across packages, one CJK definition."""
from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import helpgen

PACKAGE = Path(helpgen.__file__).parent
ROOT = PACKAGE.parent

# Layers, top to bottom: a module may import from its own package and from lower layers only.
# `helpgen.cli` and every package's `cli.py` (its command) are the CLI layer.
LAYERS = [
    {"cli"},
    {"site", "coverage", "report"},
    {"search", "tickets"},
    {"kb"},
    {"config"},
    {"encoding"},
    {"text", "urls", "errors", "ui", "charset"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the helpgen package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported helpgen module, names taken from it, line) for every import in a module, the lazy
    ones inside functions included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "helpgen"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "helpgen":
                continue
            known = modules()
            for alias in node.names:  # `from helpgen.search import site_index` imports a module
                sub = f"{base}.{alias.name}"
                found.append((sub, [], node.lineno) if sub in known else (base, [alias.name], node.lineno))
    return found


def unit(module: str) -> str:
    """The layer unit of a module: `cli` for CLI modules, else its package (or top-level module)."""
    parts = module.split(".")
    if parts[1:] == ["cli"] or parts[-1] == "cli" or parts[1:] in (["__main__"], []):
        return "cli"
    return parts[1]


def test_every_module_imports():
    for name in modules():
        if name != "helpgen.__main__":  # runs the CLI
            importlib.import_module(name)  # a missing module fails here, loudly


def test_every_unit_has_a_layer():
    assert {unit(m) for m in modules()} <= set(RANK), "add the new package to LAYERS (and to the docs)"


def test_imports_point_downwards():
    wrong = []
    for name, path in modules().items():
        here = unit(name)
        for target, _names, line in imports(name, path):
            there = unit(target)
            if there == here and here != "cli":
                continue
            if here == "cli" and there == "cli" or RANK[there] > RANK[here]:
                continue
            wrong.append(f"{path.relative_to(ROOT)}:{line}: {here} imports {target} ({there})")
    assert wrong == []


def test_no_import_cycles():
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for name, path in modules().items():
        for target, _names, _line in imports(name, path):
            if target in graph and target != name:
                graph[name].add(target)
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [node, nxt]) if nxt in stack else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, stack + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    # a package importing its own submodules (helpgen.tickets -> helpgen.tickets.readers) is not a cycle
    cycles = [c for c in cycles if not _package_self_import(c)]
    assert cycles == []


def _package_self_import(cycle: str) -> bool:
    names = cycle.split(" -> ")
    return all(n.startswith(names[0] + ".") or n == names[0] for n in names) or \
        all(n.startswith(names[-1] + ".") or n == names[-1] for n in names)


def test_packages_form_no_cycle():
    edges = {(unit(n), unit(t)) for n, p in modules().items() for t, _x, _l in imports(n, p) if unit(n) != unit(t)}
    assert not [(a, b) for a, b in edges if (b, a) in edges]


def test_no_private_name_is_imported_from_another_package():
    wrong = []
    for name, path in modules().items():
        for target, names, line in imports(name, path):
            if unit(target) == unit(name) and target.split(".")[:2] == name.split(".")[:2]:
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            private += [p for p in target.split(".") if p.startswith("_") and not p.startswith("__")]
            if private:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {name} imports {', '.join(private)} from {target}")
    assert wrong == []


def test_the_checks_see_what_they_check():
    """The parser finds known imports, so the tests above cannot pass by seeing nothing."""
    found = {t for t, _n, _l in imports("helpgen.site.build", PACKAGE / "site" / "build.py")}
    assert {"helpgen.search.site_index", "helpgen.urls", "helpgen.errors"} <= found
    assert unit("helpgen.coverage.cli") == "cli" and unit("helpgen.coverage.run") == "coverage"


CJK_LITERAL = re.compile(r"\\u4e00|\\u3400|\\u9fff|[\u4e00-\u9fff]-[\u4e00-\u9fff]")


def test_one_cjk_range_definition():
    from helpgen.text import CJK_RANGES

    defined = [f"{p.relative_to(ROOT)}" for p in sorted(PACKAGE.rglob("*.py"))
               if CJK_LITERAL.search(p.read_text(encoding="utf-8"))]
    assert defined == ["helpgen/text.py"]
    scripts = sorted((ROOT / "site_template" / "assets" / "search").glob("*.js"))
    for script in scripts:  # the browser's copies: the same ranges
        for found in re.findall(r"\[((?:\\u[0-9a-f]{4}-\\u[0-9a-f]{4})+)\]", script.read_text(encoding="utf-8")):
            if "\\u4e00" in found or "\\u3400" in found:
                assert found == CJK_RANGES, (script.name, found)


@pytest.mark.parametrize("moved", ["helpgen.clitools", "helpgen.search.analyzer", "helpgen.search.browser",
                                   "helpgen.coverage.refine"])
def test_old_modules_are_gone(moved):
    assert moved not in modules()  # moved or removed: their callers import the new place
