"""The lean full build: pages rendered on every core give the same site, and pages lose only the
indentation of the theme's templates."""
from __future__ import annotations

import shutil

import pytest

from helpgen.kb.problems import open_kb
from helpgen.site.build import build_site, trim_html
from helpgen.site.cache import cache_dir
from test_site_kb import SMALL_KB
from test_site_live import tree


def test_trim_html_drops_template_indentation_but_keeps_preformatted_text():
    page = ('<html>\n  <body>\n    <nav>\n      <a href="x">\n        Home\n      </a>\n    </nav>\n\n\n'
            '    <pre><code>  indented\n\n    code\n</code></pre>\n    <p>Some <code>a  \n   b</code> text\n'
            '      and more</p>\n    <textarea>\n  kept\n</textarea>\n    <script>\n  var x = 1;\n</script>\n'
            '  </body>\n</html>\n')
    assert trim_html(page) == ('<html>\n<body>\n<nav>\n<a href="x">\nHome\n</a>\n</nav>\n'
                               '<pre><code>  indented\n\n    code\n</code></pre>\n<p>Some <code>a  \n   b</code> text\n'
                               '      and more</p>\n<textarea>\n  kept\n</textarea>\n<script>\n  var x = 1;\n</script>\n'
                               '</body>\n</html>\n')
    assert trim_html("<p>a</p> <b>b</b>") == "<p>a</p> <b>b</b>"  # no newline: nothing to trim


def test_built_pages_have_no_template_indentation(make_kb, tmp_path):
    out = build_site(open_kb(make_kb(SMALL_KB)), tmp_path / "site").output
    page = (out / "cards/track-your-card/index.html").read_text(encoding="utf-8")
    assert "Your card ships in two days." in page
    assert "\n  <" not in page and "\n\n" not in page


@pytest.mark.slow
def test_pages_rendered_by_worker_processes_give_the_same_site(make_kb, tmp_path):
    broken = {"articles/cards/limits.md": SMALL_KB["articles/cards/limits.md"] + "\nSee [fees](fees.md).\n"}
    kb = open_kb(make_kb({**SMALL_KB, **broken}))
    one = build_site(kb, tmp_path / "one", workers=1)
    two = build_site(kb, tmp_path / "two", workers=2)
    assert one.parallel == 0 and two.parallel >= len(kb.published)  # the pages came from the workers
    assert tree(two.output) == tree(one.output)
    assert two.warnings == one.warnings and any("fees.md" in w.message for w in two.warnings)
    cold = build_site(kb, tmp_path / "cold", workers=2, cache=True)  # the workers fill the cache
    assert cold.parallel == two.parallel and any(cache_dir(kb.root).rglob("*.json"))
    warm = build_site(kb, tmp_path / "warm", workers=2, cache=True)
    assert warm.parallel == 0  # all found in the cache: nothing left for the workers
    assert tree(cold.output) == tree(warm.output) == tree(one.output)
    assert cold.warnings == warm.warnings == one.warnings


@pytest.mark.slow
def test_a_pagefind_build_skips_the_lunr_entries_it_would_throw_away(make_kb, tmp_path, monkeypatch):
    pytest.importorskip("pagefind", reason="the pagefind[extended] package is not installed")
    from helpgen.site.cache import RenderCache

    kb = open_kb(make_kb({**SMALL_KB, "helpgen.yml": SMALL_KB["helpgen.yml"] + "search: pagefind\n"}))
    lean = build_site(kb, tmp_path / "lean", workers=1)
    # the same build with Material's search entries cut for every page, as before
    monkeypatch.setattr(RenderCache, "index_pages", property(lambda self: True, lambda self, value: None),
                        raising=False)
    full = build_site(kb, tmp_path / "full", workers=1)
    assert tree(lean.output) == tree(full.output)


@pytest.mark.slow
def test_a_bilingual_site_rendered_by_worker_processes_is_the_same(make_kb, tmp_path):
    from test_site_i18n import FILES

    kb = open_kb(make_kb(FILES))
    one = build_site(kb, tmp_path / "one", workers=1)
    two = build_site(kb, tmp_path / "two", workers=2, cache=True)
    assert two.parallel > len(kb.in_language("en"))  # both languages' pages came from the workers
    assert tree(two.output) == tree(one.output) and two.warnings == one.warnings


def test_docs_are_staged_in_a_ram_folder_only_with_room_to_spare(make_kb, tmp_path, monkeypatch):
    from helpgen.site.build import stage_parent

    kb = open_kb(make_kb(SMALL_KB))
    monkeypatch.delenv("TMPDIR", raising=False)
    assert stage_parent(kb, tmp_path) == str(tmp_path)
    assert stage_parent(kb, tmp_path / "missing") is None
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(1 << 40, 1 << 40, 1 << 20))
    assert stage_parent(kb, tmp_path) is None  # 1 MB free: too little
    monkeypatch.undo()
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert stage_parent(kb, tmp_path) is None  # the user chose the temporary folder
