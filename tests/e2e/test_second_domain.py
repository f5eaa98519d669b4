"""The second-domain KB (benchmarks/clinc150/kb, a fictional connected-car app with its own stage ids), built
by the real build and searched in headless chromium: customers' questions written here, in words the articles
do not use as such, find their article in the top 3."""
from __future__ import annotations

from pathlib import Path

import pytest

from search_harness import SearchPage, guarded_context, hrefs_to_ids, load_catalogue

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
KB = REPO / "benchmarks" / "clinc150" / "kb"
QUESTIONS = [
    ("my tyres look a bit flat, what pressure do they need", "tires/tire-pressure"),
    ("how much petrol is left in the tank", "fuel/fuel-level"),
    ("should i fill up with premium or regular", "fuel/which-fuel"),
    ("when do i need my next oil change", "maintenance/service-reminders"),
    ("book my car in at a garage", "maintenance/book-a-service"),
    ("list of services done on my car", "maintenance/service-history"),
    ("orange engine warning light on the dashboard", "troubleshooting/check-engine-light"),
    ("the plug is blinking and the app cannot find it", "troubleshooting/car-not-connecting"),
    ("MW-410", "troubleshooting/tire-pressure-warning"),
    ("export business mileage for my tax return", "trips/business-mileage"),
]


@pytest.fixture(scope="module")
def second_site(tmp_path_factory) -> Path:
    from helpgen.kb.load import load_kb
    from helpgen.site.build import build_site

    kb, _ = load_kb(KB)
    return build_site(kb, tmp_path_factory.mktemp("second") / "site").output


@pytest.fixture(scope="module")
def search(browser, serve_site, second_site):
    base = serve_site(second_site)
    context = guarded_context(browser, viewport={"width": 1280, "height": 900})
    yield SearchPage(context.new_page(), base), base, load_catalogue(second_site)
    assert context.outside == []
    context.close()


def test_questions_are_not_the_articles_own(second_site):
    own = {q.strip().lower() for a in load_catalogue(second_site) for q in a["questions"]}
    assert [q for q, _ in QUESTIONS if q.lower() in own] == []


def test_customer_questions_find_their_article_in_the_top_3(search):
    page, base, catalogue = search
    misses = []
    for question, expected in QUESTIONS:
        got = hrefs_to_ids(page.query(question), base, catalogue)
        if expected not in got[:3]:
            misses.append((question, expected, got[:3]))
    assert misses == []


def test_home_page_uses_the_kb_own_stages(second_site):
    home = (second_site / "index.html").read_text(encoding="utf-8")
    assert "Discover Motorwise" in home and "Fix a problem" in home
