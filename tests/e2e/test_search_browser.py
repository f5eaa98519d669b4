"""Search quality in a real browser: customer questions typed into Material's search box on the
built sample_kb site (headless Debian chromium, nothing but 127.0.0.1 reachable)."""
from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest

from search_harness import RESULT_LINKS, SearchPage, guarded_context, hrefs_to_ids, load_catalogue
from helpgen.search.index import evaluate
from helpgen.search.site_index import is_code

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


@pytest.fixture(scope="module")
def site_search(browser, serve_site, sample_site):
    """(SearchPage on the served sample site, base URL, articles.json records)."""
    base = serve_site(sample_site)
    context = guarded_context(browser, viewport={"width": 1280, "height": 900})
    yield SearchPage(context.new_page(), base), base, load_catalogue(sample_site)
    assert context.outside == []
    context.close()


def customer_questions() -> list[tuple[str, str]]:
    with open(HERE / "questions_en.csv", encoding="utf-8", newline="") as handle:
        return [(r["question"], r["expected_article"]) for r in csv.DictReader(handle)]


def test_questions_file_has_60_questions_not_copied_from_articles(sample_site):
    questions = customer_questions()
    own = {q.strip().lower() for a in load_catalogue(sample_site) for q in a["questions"]}
    assert len(questions) >= 60
    assert [q for q, _ in questions if q.strip().lower() in own] == []


def test_every_expected_article_is_published(sample_site):
    ids = {a["id"] for a in load_catalogue(sample_site)}
    assert sorted({e for _, e in customer_questions()} - ids) == []


def test_recall_at_3_on_customer_questions(site_search):
    search, base, catalogue = site_search
    ranked = [(q, [e], hrefs_to_ids(search.query(q), base, catalogue)) for q, e in customer_questions()]
    ev = evaluate(ranked)
    print(f"\nbrowser: {ev.total} questions, recall@1 {ev.recall_at_1:.3f}, recall@3 {ev.recall_at_3:.3f}, "
          f"MRR {ev.mrr:.3f}")
    for m in ev.misses:
        print(f"  miss: {m.question!r} expected {m.expected}, first {m.first or '(nothing)'}")
    assert ev.recall_at_3 >= 0.80


def test_error_codes_hit_their_article_first(site_search):
    search, base, catalogue = site_search
    codes = [(code, a["id"]) for a in catalogue for code in a["error_codes"] if is_code(code)]
    assert len(codes) >= 5, "the sample KB should have troubleshooting articles with error codes"
    wrong = []
    for code, article in codes:
        got = hrefs_to_ids(search.query(code), base, catalogue)
        if not got or got[0] != article:
            wrong.append((code, article, got[:3]))
    assert wrong == []


def test_pasted_error_messages_hit_their_article_first(site_search):
    search, base, catalogue = site_search
    messages = [(m, a["id"]) for a in catalogue for m in a["error_codes"] if not is_code(m) and a["lang"] == "en"]
    assert len(messages) >= 5
    wrong = []
    for message, article in messages:
        got = hrefs_to_ids(search.query(message), base, catalogue)
        if got[:1] != [article]:
            wrong.append((message, article, got[:3]))
    assert wrong == []


def test_error_code_typed_in_lower_case_with_text_around_it(site_search):
    search, base, catalogue = site_search
    code, article = next((c, a["id"]) for a in catalogue for c in a["error_codes"] if is_code(c))
    got = hrefs_to_ids(search.query(f"app says {code.lower()} what now"), base, catalogue)
    assert got[:1] == [article]


def test_no_results_shows_troubleshooting_and_the_promised_response_time(site_search):
    search, base, catalogue = site_search
    from helpgen.config import load_config

    promise = load_config(REPO / "sample_kb").support.response_time
    assert search.query("zqxj florbnax") == []
    help_box = search.page.locator(".helpgen-search-help")
    help_box.wait_for(state="visible")
    assert promise in help_box.inner_text()
    links = help_box.locator(".helpgen-search-help__list a").evaluate_all("els => els.map(e => e.href)")
    levels = {a["id"]: a["level"] for a in catalogue}
    ids = hrefs_to_ids(links, base, catalogue)
    assert ids and all(levels.get(i) == "troubleshooting" for i in ids)
    assert search.query("pin") != []  # results again: the help disappears
    assert search.page.locator(".helpgen-search-help").count() == 0


def test_search_on_a_phone_opens_from_the_header_icon(browser, serve_site, sample_site):
    base = serve_site(sample_site)
    context = guarded_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    search = SearchPage(page, base, open_from_icon=True)
    assert page.locator(".md-search__input").is_visible()
    hrefs = search.query("my card hasnt been delivered", typed=True)
    assert "cards/track-your-card" in hrefs_to_ids(hrefs, base, load_catalogue(sample_site))[:3]
    assert page.locator(RESULT_LINKS).first.is_visible()
    assert context.outside == []
    context.close()


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory):
    from helpgen.kb.load import load_kb
    from helpgen.site.build import build_site

    kb, _ = load_kb(REPO / "sample_kb")
    kb = dataclasses.replace(kb, config=dataclasses.replace(kb.config, offline=True))
    return build_site(kb, tmp_path_factory.mktemp("offline") / "site").output


def test_offline_build_searches_from_file_url(browser, offline_site):
    context = guarded_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    index = (offline_site / "index.html").as_uri()
    search = SearchPage(page, index)
    hrefs = search.query("I was charged twice for one purchase")
    catalogue = load_catalogue(offline_site)
    ids = hrefs_to_ids(hrefs, offline_site.as_uri() + "/", catalogue)
    assert "troubleshooting/charged-twice" in ids[:3]
    assert all(h.startswith("file://") for h in hrefs)
    assert search.query("qqzzvv xxyyzz") == []
    assert "help" in page.locator(".helpgen-search-help").inner_text().lower()
    assert context.outside == []
    context.close()


def test_index_holds_questions_and_no_home_page(sample_site):
    data = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in data["docs"]]
    assert "" not in locations
    track = next(d for d in data["docs"] if d["location"] == "cards/track-your-card/")
    assert track["questions"] and track["boost"] == 1.0
    assert "questions" in data["config"]["fields"]


FEEDBACK_KB = {
    "helpgen.yml": "name: Test\nsupport:\n  response_time: 3 hours\nfeedback:\n"
                   "  url: http://127.0.0.1:{port}/feedback?page={id}&q={title}\n  failed_searches: true\n",
    "articles/cards/track.md": "---\ntitle: Track your card\nlevel: beginner\nstage: using\n---\nWhere it is.\n",
    "articles/help/broken.md": "---\ntitle: Card not working\nlevel: troubleshooting\nstage: adapting\n---\nFixes.\n",
}


def test_failed_search_is_sent_to_the_feedback_target(browser, tmp_path):
    """With feedback.failed_searches, a query with no results reaches feedback.url once."""
    import socket

    from conftest import build_kb_site
    from search_harness import serve_dir

    with socket.socket() as probe:  # a free port, written into helpgen.yml before the build
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    files = dict(FEEDBACK_KB, **{"helpgen.yml": FEEDBACK_KB["helpgen.yml"].replace("{port}", str(port))})
    site = build_kb_site(files, tmp_path)
    seen: list[str] = []
    with serve_dir(site, seen, port=port) as base:
        context = guarded_context(browser)
        page = context.new_page()
        search = SearchPage(page, base)
        assert search.query("zebra crossing") == []
        text = page.locator(".helpgen-search-help").inner_text()
        assert "within 3 hours" in text and "Card not working" in text
        page.wait_for_timeout(2500)
        context.close()
    assert [p for p in seen if p.startswith("/feedback")] == ["/feedback?page=search&q=zebra%20crossing"]
