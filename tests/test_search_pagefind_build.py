"""The Pagefind backend's build step: which backend a build uses, the weighted fields injected into
article pages, and a real `helpgen build` of a scratch KB with `search: pagefind` (runs the
Pagefind binary of the `pagefind[extended]` package)."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from helpgen.kb.load import load_kb
from helpgen.search import pagefind_index
from test_search import FILES


@pytest.fixture
def kb(make_kb):
    kb, problems = load_kb(make_kb(FILES))
    assert [p for p in problems if p.severity == "error"] == []
    return kb


def with_config(kb, **changes):
    return dataclasses.replace(kb, config=dataclasses.replace(kb.config, **changes))


def test_backend_follows_the_search_setting(kb):
    assert pagefind_index.backend(with_config(kb, search="pagefind")) == "pagefind"
    assert pagefind_index.backend(with_config(kb, search="lunr")) == "lunr"
    assert pagefind_index.backend(with_config(kb, search="auto")) == "lunr"  # 5 articles: below the threshold


def test_auto_switches_to_pagefind_above_the_threshold(kb, monkeypatch):
    monkeypatch.setattr(pagefind_index, "PAGEFIND_THRESHOLD", len(kb.published) - 1)
    assert pagefind_index.backend(with_config(kb, search="auto")) == "pagefind"
    monkeypatch.setattr(pagefind_index, "PAGEFIND_THRESHOLD", len(kb.published))
    assert pagefind_index.backend(with_config(kb, search="auto")) == "lunr"


def test_offline_builds_always_keep_lunr(kb, monkeypatch):
    monkeypatch.setattr(pagefind_index, "PAGEFIND_THRESHOLD", 0)
    assert pagefind_index.backend(with_config(kb, search="pagefind", offline=True)) == "lunr"
    assert pagefind_index.backend(with_config(kb, search="auto", offline=True)) == "lunr"


def test_hidden_fields_carry_codes_questions_and_messages_with_weights(kb):
    article = next(a for a in kb.published if a.id == "troubleshooting/declined-payment")
    html = pagefind_index.hidden_fields(kb, article)
    assert '<div hidden data-helpgen-field="codes" data-pagefind-weight="10" data-pagefind-meta="codes">E1023 . hgm' in html
    assert ('data-helpgen-field="questions" data-pagefind-weight="5" data-pagefind-meta="questions">'
            'shop refused the card</div>') in html
    assert 'data-helpgen-field="messages" data-pagefind-weight="4">Do not honour</div>' in html


def test_codes_questions_and_summary_are_also_weighted_metadata_but_messages_are_not(kb):
    article = next(a for a in kb.published if a.id == "troubleshooting/declined-payment")
    html = pagefind_index.hidden_fields(kb, article)
    assert 'data-pagefind-meta="summary">Why a shop refused your card.</div>' in html
    assert 'data-helpgen-field="codes" data-pagefind-weight="10" data-pagefind-meta="codes">E1023' in html
    assert 'data-helpgen-field="messages" data-pagefind-weight="4">' in html


def test_hidden_fields_are_escaped(kb):
    article = dataclasses.replace(kb.published[0], questions=("<script>alert(1)</script> & co",))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in pagefind_index.hidden_fields(kb, article)


def test_code_key_joins_a_code_into_one_word():
    assert pagefind_index.code_key("P-3030") == "p3030"


@pytest.fixture
def pagefind_site(kb, tmp_path) -> Path:
    pytest.importorskip("pagefind", reason="the pagefind package is not installed")
    from helpgen.site.build import build_site

    return build_site(with_config(kb, search="pagefind"), tmp_path / "site").output


def test_pagefind_build_writes_the_bundle_and_no_lunr_documents(pagefind_site):
    assert (pagefind_site / "pagefind" / "pagefind.js").is_file()
    assert (pagefind_site / "pagefind" / "pagefind-entry.json").is_file()
    data = json.loads((pagefind_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data["docs"] == []
    assert data["config"]["helpgen"]["backend"] == "pagefind"


def test_pagefind_build_indexes_articles_only(pagefind_site):
    entry = json.loads((pagefind_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 5  # the 5 articles, no listings
    page = (pagefind_site / "cards" / "track-your-card" / "index.html").read_text(encoding="utf-8")
    assert page.count("data-pagefind-body") == 1 and 'data-helpgen-field="questions"' in page
    home = (pagefind_site / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home


def fragment_of(site: Path, url: str) -> dict:
    """The Pagefind fragment (the text Pagefind indexed and shows in excerpts) of one page."""
    import gzip

    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = path.read_bytes()
        data = data if data.startswith(b"pagefind_dcd") else gzip.decompress(data)
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        if fragment["url"].endswith(url):
            return fragment
    raise AssertionError(f"no fragment for {url}")


def test_pagefind_indexes_title_headings_fields_and_body_text_but_not_page_furniture(pagefind_site):
    fragment = fragment_of(pagefind_site, "/cards/track-your-card/")
    assert fragment["meta"]["title"] == "Track your card delivery"
    assert fragment["meta"]["questions"] == "card still not here . when does the card come"
    assert "Late cards" in fragment["content"]  # a section heading
    assert "Where your new card is" in fragment["content"]  # the summary
    assert "working days" in fragment["content"] and "order a new one" in fragment["content"]  # body text
    assert "Was this helpful" not in fragment["content"]  # the feedback widget


def test_pages_preload_what_pagefind_needs_with_a_stable_entry_url(pagefind_site):
    bridge = (pagefind_site / "assets" / "search" / "helpgen-pagefind.js").read_text(encoding="utf-8")
    tag = json.loads(bridge.splitlines()[0].split(" = ", 1)[1].rstrip(";"))["cache_tag"]
    assert tag == pagefind_index.cache_tag(pagefind_site) and len(tag) == 12
    entry = json.loads((pagefind_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = f'pagefind.{entry["languages"]["en"]["hash"]}.pf_meta'
    for page, prefix in ((pagefind_site / "index.html", ""), (pagefind_site / "cards" / "track-your-card" / "index.html",
                                                            "../../")):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert f'<link rel="modulepreload" href="{prefix}pagefind/pagefind.js">' in head
        assert f'<link rel="preload" href="{prefix}pagefind/pagefind-entry.json?ts={tag}" as="fetch" crossorigin>' in head
        assert f'<link rel="preload" href="{prefix}pagefind/{meta}" as="fetch" crossorigin>' in head
        assert f'<link rel="preload" href="{prefix}pagefind/wasm.en.pagefind" as="fetch" crossorigin>' in head
    assert (pagefind_site / "pagefind" / meta).is_file() and (pagefind_site / "pagefind" / "wasm.en.pagefind").is_file()


def test_preload_links_pick_the_index_of_the_page_language():
    entry = {"languages": {"en": {"hash": "en_1", "wasm": "en", "page_count": 9},
                           "zh": {"hash": "zh_2", "wasm": "zh", "page_count": 3}}}
    assert "pagefind.zh_2.pf_meta" in pagefind_index.preload_links("../p/", entry, "zh", "t")
    assert "pagefind.en_1.pf_meta" in pagefind_index.preload_links("p/", entry, "en-gb", "t")
    assert "pagefind.en_1.pf_meta" in pagefind_index.preload_links("p/", entry, "fr", "t")  # the largest


def test_pagefind_build_sets_up_the_browser_side(pagefind_site):
    bridge = (pagefind_site / "assets" / "search" / "helpgen-pagefind.js").read_text(encoding="utf-8")
    first = bridge.splitlines()[0]
    assert first.startswith("window.helpgenSearchConfig = ")
    settings = json.loads(first.split(" = ", 1)[1].rstrip(";"))
    assert settings["backend"] == "pagefind" and settings["bundle"] == "pagefind/" and settings["codes"]
    worker = next((pagefind_site / "assets" / "javascripts" / "workers").glob("search.*.js"))
    assert worker.read_text(encoding="utf-8") == pagefind_index.IDLE_WORKER  # no lunr index built in the page


def test_lunr_build_is_untouched(kb, tmp_path):
    from helpgen.site.build import build_site

    site = build_site(with_config(kb, search="lunr"), tmp_path / "site").output
    assert not (site / "pagefind").exists()
    assert json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    bridge = (site / "assets" / "search" / "helpgen-pagefind.js").read_text(encoding="utf-8")
    assert "window.helpgenSearchConfig =" not in bridge


def test_pagefind_build_is_deterministic(kb, tmp_path, pagefind_site):
    from helpgen.site.build import build_site

    again = build_site(with_config(kb, search="pagefind"), tmp_path / "again").output
    first = {p.relative_to(pagefind_site): p.read_bytes() for p in sorted((pagefind_site / "pagefind").rglob("*"))
             if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted((again / "pagefind").rglob("*")) if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
