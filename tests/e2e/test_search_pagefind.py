"""The Pagefind search backend in a real browser: the sample KB built with `search: pagefind`,
searched through Material's own search box (headless Debian chromium, only 127.0.0.1 reachable),
and `offline: true` keeping lunr."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from search_harness import RESULT_LINKS, SearchPage, hrefs_to_ids, load_catalogue
from helpgen.search.index import evaluate
from helpgen.search.site_index import is_code
from search_harness import guarded_context
from test_search_browser import customer_questions

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def build_sample(root: Path, **config) -> Path:
    from helpgen.kb.load import load_kb
    from helpgen.site.build import build_site

    if not (REPO / "sample_kb" / "articles").is_dir():
        pytest.skip("sample_kb/articles is absent")
    kb, _ = load_kb(REPO / "sample_kb")
    kb = dataclasses.replace(kb, config=dataclasses.replace(kb.config, **config))
    return build_site(kb, root / "site").output


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory) -> Path:
    pytest.importorskip("pagefind", reason="the pagefind package is not installed")
    return build_sample(tmp_path_factory.mktemp("pagefind"), search="pagefind")


@pytest.fixture(scope="module")
def pf_search(browser, serve_site, pagefind_site):
    base = serve_site(pagefind_site)
    context = guarded_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    yield SearchPage(page, base), base, load_catalogue(pagefind_site), fetched
    assert context.outside == []
    context.close()


def test_site_has_a_pagefind_bundle_and_no_lunr_documents(pagefind_site):
    assert (pagefind_site / "pagefind" / "pagefind.js").is_file()
    data = json.loads((pagefind_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data["docs"] == []
    assert data["config"]["helpgen"]["backend"] == "pagefind"
    zh = pagefind_site / "zh" / "search" / "search_index.json"
    if zh.exists():
        assert json.loads(zh.read_text(encoding="utf-8"))["config"]["helpgen"]["bundle"] == "../pagefind/"


def test_pagefind_recall_at_3_through_materials_search_box(pf_search):
    search, base, catalogue, fetched = pf_search
    ranked = [(q, [e], hrefs_to_ids(search.query(q), base, catalogue)) for q, e in customer_questions()]
    ev = evaluate(ranked)
    print(f"\npagefind browser: {ev.total} questions, recall@1 {ev.recall_at_1:.3f}, "
          f"recall@3 {ev.recall_at_3:.3f}, MRR {ev.mrr:.3f}")
    for m in ev.misses:
        print(f"  miss: {m.question!r} expected {m.expected}, first {m.first or '(nothing)'}")
    assert ev.recall_at_3 >= 0.80
    assert any("/pagefind/" in url for url in fetched)
    assert not [u for u in fetched if not u.startswith(base)]


def test_results_keep_materials_markup_and_meta_text(pf_search):
    search, base, catalogue, _ = pf_search
    hrefs = search.query("card delivery")
    assert hrefs and all(h.startswith(base) for h in hrefs)
    page = search.page
    assert page.locator(RESULT_LINKS).count() >= 1
    meta = page.eval_on_selector(".md-search-result__meta", "e => e.textContent")
    assert meta != search.placeholder and any(ch.isdigit() for ch in meta)
    assert page.locator("li.md-search-result__item > a article h1").first.inner_text().strip()


def test_pagefind_error_codes_hit_their_article_first(pf_search):
    search, base, catalogue, _ = pf_search
    codes = [(c, a["id"]) for a in catalogue for c in a["error_codes"] if is_code(c) and a["lang"] == "en"]
    messages = [(m, a["id"]) for a in catalogue for m in a["error_codes"] if not is_code(m) and a["lang"] == "en"]
    assert len(codes) >= 5 and len(messages) >= 5
    wrong = [(q, a, got[:3]) for q, a in codes + messages
             if (got := hrefs_to_ids(search.query(q), base, catalogue))[:1] != [a]]
    assert wrong == []


# Puts a question into the search box as soon as the DOM is there (the customer types while the page
# loads) and records, at every answer, how many results the list shows.
TYPE_AT_LOAD = """document.addEventListener('DOMContentLoaded', () => {
  const input = document.querySelector('.md-search__input');
  window.__shown = [];
  new MutationObserver(() => {
    window.__shown.push(document.querySelectorAll('.md-search-result__item').length);
  }).observe(document.documentElement, {attributes: true, attributeFilter: ['data-helpgen-results']});
  input.focus();
  input.value = %s;
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
});"""


def test_question_typed_while_the_page_loads_is_answered_from_preloaded_files(browser, serve_site, pagefind_site):
    base = serve_site(pagefind_site)
    context = guarded_context(browser)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.replace(base, "")))
    page.add_init_script(TYPE_AT_LOAD % json.dumps("ordered my card two weeks ago and it's still not here"))
    page.goto(base)
    page.wait_for_function("window.__shown && window.__shown.some(n => n > 0)", timeout=30000)
    ids = hrefs_to_ids(page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)"), base,
                       load_catalogue(pagefind_site))
    assert "cards/track-your-card" in ids[:3]
    bundle = [u for u in fetched if u.startswith("pagefind/")]
    for name in ("pagefind.js", "pagefind-entry.json", "wasm.en.pagefind", ".pf_meta"):  # preloaded, used once
        assert len([u for u in bundle if name in u]) == 1, (name, bundle)
    assert not [u for u in bundle if "pagefind-worker" in u]  # Pagefind runs in the page
    assert [u for u in bundle if "pagefind-entry.json" in u][0].endswith("?ts=" + json.loads(
        (pagefind_site / "assets" / "search" / "helpgen-pagefind.js").read_text(encoding="utf-8")
        .splitlines()[0].split(" = ", 1)[1].rstrip(";"))["cache_tag"])
    assert context.outside == []
    context.close()


def test_first_results_are_shown_before_every_fragment_is_in(browser, serve_site, pagefind_site):
    """The first answer lists the first few pages (their fragments are in); the full list follows."""
    base = serve_site(pagefind_site)
    context = guarded_context(browser)
    page = context.new_page()
    fragments: list[str] = []
    page.on("request", lambda r: fragments.append(r.url) if "/pagefind/fragment/" in r.url else None)
    page.add_init_script(TYPE_AT_LOAD % json.dumps("card"))
    page.goto(base)
    page.wait_for_function("window.__shown && window.__shown.filter(n => n > 0).length >= 2", timeout=30000)
    shown = [n for n in page.evaluate("window.__shown") if n]
    assert 0 < shown[0] <= 5 < shown[-1] <= 10, shown
    assert len(fragments) == shown[-1]  # only the listed pages' fragments, not every match's
    assert context.outside == []
    context.close()


def test_pagefind_no_results_still_shows_help(pf_search):
    search, _, _, _ = pf_search
    assert search.query("zqxj florbnax") == []
    box = search.page.locator(".helpgen-search-help")
    box.wait_for(state="visible")
    assert box.locator(".helpgen-search-help__list a").count() >= 1


def test_pagefind_chinese_site_finds_chinese_articles(browser, serve_site, pagefind_site):
    catalogue = [a for a in load_catalogue(pagefind_site) if a["lang"] == "zh"]
    if not catalogue:
        pytest.skip("sample_kb has no Chinese articles")
    base = serve_site(pagefind_site)
    context = guarded_context(browser)
    search = SearchPage(context.new_page(), base + "zh/")
    ids = hrefs_to_ids(search.query("我的卡还没收到"), base, catalogue)
    assert "cards/track-your-card" in ids[:3]
    assert context.outside == []
    context.close()


def test_offline_build_keeps_lunr_even_when_pagefind_is_asked_for(browser, tmp_path_factory):
    site = build_sample(tmp_path_factory.mktemp("offline-pf"), offline=True, search="pagefind")
    assert not (site / "pagefind").exists()
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data["docs"] and "backend" not in data["config"]["helpgen"]
    context = guarded_context(browser)
    search = SearchPage(context.new_page(), (site / "index.html").as_uri())
    ids = hrefs_to_ids(search.query("I was charged twice for one purchase"), site.as_uri() + "/", load_catalogue(site))
    assert "troubleshooting/charged-twice" in ids[:3]
    assert context.outside == []
    context.close()
