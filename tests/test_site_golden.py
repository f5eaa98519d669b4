"""Golden test of the staged mkdocs.yml and generated pages for a small KB.

Refresh after an intended change with:  HELPGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_site_golden.py
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from helpgen.site.build import stage_language
from helpgen.site.mkdocs_config import search_config, template_dir
from helpgen.site.view import View
from test_site_kb import SMALL_KB, load

GOLDEN = Path(__file__).parent / "golden" / "small"
UPDATE = os.environ.get("HELPGEN_UPDATE_GOLDEN") == "1"


def staged_files(make_kb, tmp_path: Path) -> dict[str, str]:
    kb = load(make_kb(SMALL_KB, name="small"))
    stage, site = tmp_path / "stage", tmp_path / "site"
    staged = stage_language(kb, "en", stage, site)
    config = yaml.safe_load(staged.config_file.read_text(encoding="utf-8"))
    # the search options belong to helpgen.search (tested there); check they are passed through as is
    assert config["plugins"][0] == {"search": search_config(View(kb, "en"))}
    config["plugins"][0] = {"search": "<helpgen.search.site_index.search_plugin_config>"}
    # every script/style of site_template/assets/search/ (owned by helpgen.search) is included, sorted;
    # the scripts load before Material's bundle (overrides/main.html), not as extra_javascript
    search_dir = template_dir() / "assets" / "search"
    first = config["extra"]["helpgen"]["scripts_first"]
    for key, ext in (("extra_javascript", ".js"), ("extra_css", ".css")):
        owned = sorted(f"assets/search/{p.relative_to(search_dir).as_posix()}" for p in search_dir.rglob("*" + ext))
        listed = first if ext == ".js" else config[key]
        assert [x for x in listed if x.startswith("assets/search/")] == owned
        assert ext == ".css" or not [x for x in config[key] if x.startswith("assets/search/")]
        config[key] = [x for x in config[key] if not x.startswith("assets/search/")] + ["<assets/search/*" + ext + ">"]
    config["extra"]["helpgen"]["scripts_first"] = ["<assets/search/*.js>"]
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
    files = {"mkdocs.yml": text.replace(str(stage), "<STAGE>").replace(str(site), "<SITE>")}
    for path in sorted((stage / "docs").rglob("*.md")):
        files["docs/" + path.relative_to(stage / "docs").as_posix()] = path.read_text(encoding="utf-8")
    return files


def test_generated_config_and_pages_match_golden(make_kb, tmp_path):
    files = staged_files(make_kb, tmp_path)
    if UPDATE:
        for rel, text in files.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
        for old in GOLDEN.rglob("*"):
            if old.is_file() and old.relative_to(GOLDEN).as_posix() not in files:
                old.unlink()
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(files) == sorted(expected), "run HELPGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_site_golden.py"
    for rel in files:
        assert files[rel] == expected[rel], f"{rel} differs from tests/golden/small/{rel}"
