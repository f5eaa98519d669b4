"""The site's search re-ranks its top results with the tickets' evidence (`counts:` of
KB/search-terms.yml, site_template/assets/search/helpgen-rerank.js) exactly as `helpgen search`
does (helpgen.search.rerank), on a scratch KB built by the real build and searched in chromium."""
from __future__ import annotations

import pytest

from conftest import build_kb_site
from search_harness import SearchPage, guarded_context, hrefs_to_ids, load_catalogue

pytestmark = pytest.mark.e2e
ARTICLE = "---\ntitle: {title}\nlevel: beginner\nstage: using\nsummary: {summary}\n---\n\n{body}\n"
FILES = {
    "helpgen.yml": "name: Test\nsite_url: https://help.example.org/\n",
    "articles/parcels/track-a-parcel.md": ARTICLE.format(
        title="Track a parcel", summary="Follow a parcel on its way to you.", body="Open Parcels and tap Track."),
    "articles/parcels/late-parcel.md": ARTICLE.format(
        title="A parcel is late", summary="What to do when a parcel is late.", body="Wait two days, then write to us."),
    "articles/parcels/damaged-parcel.md": ARTICLE.format(
        title="A parcel arrived damaged", summary="Report a parcel that arrived broken.",
        body="Take a photo of the parcel and send it to us."),
}
COUNTS = ("articles:\n  parcels/late-parcel:\n    terms: []\n  parcels/track-a-parcel:\n    terms: []\n"
          "  parcels/damaged-parcel:\n    terms: []\n"
          "counts:\n  parcels/late-parcel:\n    tickets: 40\n    words: {courier: 25, parcel: 30, waiting: 20}\n"
          "  parcels/track-a-parcel:\n    tickets: 60\n    words: {map: 12, parcel: 50}\n"
          "  parcels/damaged-parcel:\n    tickets: 30\n    words: {broken: 20, parcel: 25, photo: 9}\n")
QUESTIONS = ["courier parcel", "parcel waiting", "parcel", "my parcel is broken", "parcel map", "write to us"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    from helpgen.kb.load import load_kb
    from helpgen.search.index import build_index, search

    root = tmp_path_factory.mktemp("rerank")
    site = build_kb_site({**FILES, "search-terms.yml": COUNTS}, root)
    kb, _ = load_kb(root / "kb")
    with_counts = {q: [h.id for h in search(build_index(kb), q)] for q in QUESTIONS}
    (root / "kb" / "search-terms.yml").unlink()
    kb, _ = load_kb(root / "kb")
    without = {q: [h.id for h in search(build_index(kb), q)] for q in QUESTIONS}
    return site, with_counts, without


def test_the_browser_reranks_as_helpgen_search_does(browser, serve_site, sites):
    site, with_counts, without = sites
    assert any(with_counts[q][:3] != without[q][:3] for q in QUESTIONS)  # the counts do change an order
    base = serve_site(site)
    context = guarded_context(browser, viewport={"width": 1280, "height": 900})
    page, catalogue = SearchPage(context.new_page(), base), load_catalogue(site)
    got = {q: hrefs_to_ids(page.query(q), base, catalogue) for q in QUESTIONS}
    assert context.outside == []
    context.close()
    assert {q: ids[:3] for q, ids in got.items()} == {q: ids[:3] for q, ids in with_counts.items()}
