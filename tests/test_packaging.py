"""pyproject.toml declares what helpgen imports, pins the Material minor the theme is tested with, and
ships no test harness."""
from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirements(extra: str | None = None) -> dict[str, Requirement]:
    project = PYPROJECT["project"]
    listed = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    reqs = [Requirement(r) for r in listed]
    return {metadata.metadata(r.name)["Name"].lower() if _installed(r.name) else r.name.lower(): r for r in reqs}


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def third_party_imports() -> dict[str, str]:
    """Top-level name -> first file importing it, for every import in the helpgen package that is
    neither helpgen nor the standard library."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "helpgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "helpgen" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_installed_material_is_the_pinned_minor():
    req = requirements()["mkdocs-material"]
    installed = metadata.version("mkdocs-material")
    assert req.specifier.contains(installed), f"mkdocs-material {installed} is outside the pin {req}"
    lower = [s.version for s in req.specifier if s.operator == ">="]
    upper = [s.version for s in req.specifier if s.operator == "<"]
    assert lower and upper and lower[0].split(".")[:2] != upper[0].split(".")[:2], "pin one minor: >=X.Y,<X.Y+1"
    assert int(upper[0].split(".")[1]) == int(lower[0].split(".")[1]) + 1, req


def test_every_third_party_import_is_a_declared_dependency():
    declared = set(requirements())
    optional = {name for extra in PYPROJECT["project"]["optional-dependencies"] for name in requirements(extra)}
    owners = metadata.packages_distributions()
    missing = []
    for top, where in sorted(third_party_imports().items()):
        # an optional extra that is not installed here: its distribution is named like its module
        dists = {d.lower() for d in owners.get(top, [])} or {top.lower().replace("_", "-")}
        if not dists & (declared | optional):
            missing.append(f"{where}: `{top}` (from {sorted(dists) or 'an uninstalled package'})")
    assert missing == [], "declare these in pyproject.toml"


def test_scipy_is_declared():
    assert "scipy" in requirements()
    assert "scipy" in third_party_imports()


def test_no_test_harness_in_the_package():
    imports = third_party_imports()
    assert "playwright" not in imports and "pytest" not in imports
    assert not (ROOT / "helpgen" / "search" / "browser.py").exists()


def test_pytest_reports_why_tests_skip():
    assert "-rs" in PYPROJECT["tool"]["pytest"]["ini_options"]["addopts"].split()
