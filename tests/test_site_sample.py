"""A real build of the bundled sample_kb/: pages, articles.json and errors.json."""
from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from helpgen.kb.load import load_kb
from helpgen.site.build import build_site
from helpgen.urls import article_url

pytestmark = pytest.mark.slow
SAMPLE = Path(__file__).resolve().parents[1] / "sample_kb"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    if not (SAMPLE / "articles").is_dir():
        print("SKIPPED: sample_kb/articles is absent")
        pytest.skip("sample_kb/articles is absent")
    kb, _ = load_kb(SAMPLE)
    return kb, build_site(kb, tmp_path_factory.mktemp("sample") / "site")


def test_every_published_article_has_a_page_and_an_articles_json_entry(sample):
    kb, result = sample
    site = result.output
    records = json.loads((site / "articles.json").read_text(encoding="utf-8"))
    assert sorted((r["lang"], r["id"]) for r in records) == sorted(
        (a.lang or kb.config.language, a.id) for a in kb.published)
    for record in records:
        page = html.unescape((site / record["url"] / "index.html").read_text(encoding="utf-8"))
        assert f"<title>{record['title']}" in page
        assert set(record) == {"id", "url", "title", "summary", "level", "stages", "tags", "error_codes",
                               "questions", "updated", "lang"}
    assert not any(a.draft for a in kb.articles if (site / article_url(kb, a)).exists())


def test_errors_json_maps_every_error_code_to_its_article(sample):
    kb, result = sample
    errors = json.loads((result.output / "errors.json").read_text(encoding="utf-8"))
    expected = {code for a in kb.in_language("") for code in a.error_codes}
    assert set(errors) == expected
    by_id = kb.by_id()
    for code, target in errors.items():
        assert code in by_id[target["id"]].error_codes
        assert target["url"] == f"{target['id']}/" and target["title"] == by_id[target["id"]].title
        assert (result.output / target["url"] / "index.html").is_file()


def test_generated_pages_and_publishing_files(sample):
    kb, result = sample
    site = result.output
    for rel in ["index.html", "404.html", "sitemap.xml", "feed.xml", "starter-handbook/index.html",
                "advanced-guide/index.html", "troubleshooting-index/index.html", "error-codes/index.html",
                "glossary/index.html", "whats-new/index.html"] + [
                f"stages/{s}/index.html" for s in kb.config.stage_ids]:
        assert (site / rel).is_file(), rel
    assert not list(site.rglob("*.csv")) and not (site / "tickets").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert kb.config.support.response_time in home
