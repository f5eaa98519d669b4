"""Smoke test in a real headless chromium: search, tooltips, the home search box and offline file://."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_site_kb import SMALL_KB

pytestmark = pytest.mark.e2e
RESULTS = "li.md-search-result__item > a"


@pytest.fixture(scope="module")
def small_site(tmp_path_factory, kb_site) -> Path:
    return kb_site(SMALL_KB, tmp_path_factory.mktemp("small"))


def search(page, text: str) -> list[str]:
    """Type into Material's search box and return the result links (hrefs) once they appear."""
    page.click(".md-search__input")
    page.keyboard.type(text, delay=20)
    page.wait_for_selector(RESULTS, timeout=10_000)
    return [bare(a.get_attribute("href")) for a in page.query_selector_all(RESULTS)]


def bare(href: str) -> str:
    """A result link without Material's highlight query (?h=...) and anchor."""
    return href.split("#")[0].split("?")[0]


def test_search_finds_the_article(page, serve_site, small_site):
    base = serve_site(small_site)
    page.goto(base + "glossary/")
    hrefs = search(page, "parcel tracker")
    assert hrefs and hrefs[0].endswith("cards/track-your-card/")
    assert page.outside_requests == []


def test_glossary_term_shows_its_tooltip(page, serve_site, small_site):
    page.goto(serve_site(small_site) + "getting-started/welcome/")
    page.hover("article abbr")
    tooltip = page.wait_for_selector(".md-tooltip2--active", timeout=5_000)
    assert tooltip.inner_text().strip() == "Personal identification number, the 4-digit code for your card."
    page.goto(serve_site(small_site) + "cards/track-your-card/")
    page.locator("article abbr", has_text="zebracorn").hover()
    assert "parcel tracking partner" in page.wait_for_selector(".md-tooltip2--active").inner_text()


def test_home_search_box_feeds_material_search(page, serve_site, small_site):
    page.goto(serve_site(small_site))
    page.click(".hg-hero__input")
    page.keyboard.type("declined", delay=20)
    page.wait_for_selector(RESULTS, timeout=10_000)
    assert page.input_value(".md-search__input") == "declined"
    first = page.query_selector(RESULTS).get_attribute("href")
    assert bare(first).endswith("troubleshooting/card-declined/")


def test_offline_site_searches_from_file_url_without_network(page, tmp_path, kb_site):
    files = {**SMALL_KB, "helpgen.yml": "name: Acme Help\noffline: true\n"}
    site = kb_site(files, tmp_path)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((site / "cards" / "limits.html").as_uri())
    hrefs = search(page, "parcel tracker")
    assert hrefs[0].endswith("track-your-card.html")
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))] == []


def test_sample_kb_search_finds_an_article_by_its_title(page, serve_site, sample_site):
    records = json.loads((sample_site / "articles.json").read_text(encoding="utf-8"))
    target = next(r for r in records if r["id"] == "cards/track-your-card") if any(
        r["id"] == "cards/track-your-card" for r in records) else records[0]
    page.goto(serve_site(sample_site))
    hrefs = search(page, target["title"])
    assert any(h.endswith(target["url"]) for h in hrefs[:3]), (target, hrefs)
    assert page.outside_requests == []


def test_language_switcher_keeps_the_reader_on_the_same_article(page, serve_site, tmp_path, kb_site):
    files = {**SMALL_KB, "helpgen.yml": "name: Acme Help\nlanguages: [en, zh]\n",
             "articles/cards/track-your-card.zh.md": "---\ntitle: 查询卡片配送\nlevel: beginner\nstage: onboarding\n"
             "---\n您的卡会在两天内寄出。\n"}
    base = serve_site(kb_site(files, tmp_path))
    page.goto(base + "cards/track-your-card/")
    zh = page.get_attribute("a.md-select__link[hreflang=zh]", "href")
    assert zh == base + "zh/cards/track-your-card/"
    page.goto(zh)
    assert page.title().startswith("查询卡片配送")
    assert page.get_attribute("a.md-select__link[hreflang=en]", "href") == base + "cards/track-your-card/"
