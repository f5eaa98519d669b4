"""Re-ranking search results with the tickets' evidence: `counts:` of KB/search-terms.yml
(helpgen.coverage.learn) -> helpgen.search.rerank in `helpgen search` and in the site's search data."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpgen.coverage.learn import LearnOptions, learn_with_counts, merge
from helpgen.kb.load import load_kb
from helpgen.kb.search_terms import ArticleTerms, dump_search_terms, parse_search_terms
from helpgen.search import rerank, site_index
from helpgen.search.index import build_index, search
from helpgen.search.site_index import stem

ARTICLE = "---\ntitle: {title}\nlevel: beginner\nstage: using\nsummary: {summary}\n---\n\n{body}\n"
FILES = {
    "helpgen.yml": "name: Test\nsite_url: https://help.example.org/\n",
    "articles/parcels/track-a-parcel.md": ARTICLE.format(
        title="Track a parcel", summary="Follow a parcel on its way to you.", body="Open Parcels and tap Track."),
    "articles/parcels/late-parcel.md": ARTICLE.format(
        title="A parcel is late", summary="What to do when a parcel is late.", body="Wait two days, then write to us."),
}


@pytest.fixture
def kb(make_kb):
    kb, problems = load_kb(make_kb(FILES))
    assert [p for p in problems if p.severity == "error"] == []
    return kb


def by_key(items):
    return lambda item: item[0]


def test_evidence_moves_an_article_up_when_its_tickets_use_the_query_words():
    items = [("a", 10.0), ("b", 9.0), ("c", 8.0)]
    evidence = {"a": (100, {"track": 10}), "b": (100, {"courier": 80, "track": 10})}
    got = rerank.rerank(items, "courier", evidence, lambda i: i[0], lambda i: i[1], stem, weight=0.3, depth=10)
    assert [i[0] for i in got] == ["b", "a", "c"]  # c has no counts: the lowest evidence of the others


def test_without_evidence_or_known_words_the_order_is_unchanged():
    items = [("a", 10.0), ("b", 9.0), ("c", 8.0)]
    evidence = {"a": (100, {"track": 10}), "b": (100, {"courier": 80})}
    args = (lambda i: i[0], lambda i: i[1], stem)
    assert rerank.rerank(items, "courier", {}, *args) == items
    assert rerank.rerank(items, "weather today", evidence, *args) == items  # no query word has counts
    assert rerank.rerank(items, "courier", evidence, *args, weight=0.3, depth=1) == items
    assert rerank.rerank(items, "courier", {"x": (5, {"courier": 5})}, *args) == items  # none of them has counts


def test_only_the_top_depth_results_move():
    items = [("a", 10.0), ("b", 9.0), ("c", 8.0)]
    evidence = {k: (100, {"courier": 1 + 40 * (k == "c")}) for k in "abc"}
    got = rerank.rerank(items, "couriers", evidence, lambda i: i[0], lambda i: i[1], stem, weight=1.0, depth=2)
    assert got == items
    got = rerank.rerank(items, "couriers", evidence, lambda i: i[0], lambda i: i[1], stem, weight=1.0, depth=3)
    assert got[0][0] == "c"  # "couriers" and "courier" share the stem the counts are kept in


def test_chinese_query_words_are_the_counted_words_it_contains():
    assert rerank.query_words("我的包裹丢失了", {"丢失", "包裹", "快递", "track"}, stem) == ["丢失", "包裹"]


def test_counts_round_trip_and_a_deleted_or_rejected_word_loses_its_count():
    entry = ArticleTerms(("courier", "late"), ("nobody",), ("courier", "late", "stuck"), 0, 40,
                         (("courier", 9), ("late", 30), ("stuck", 6)))
    text = dump_search_terms({"a/b": entry})
    assert "counts:\n  a/b:\n    tickets: 40\n    words: {courier: 9, late: 30, stuck: 6}\n" in text
    back = parse_search_terms(text)
    assert back.problems == ()
    # `stuck` was learned and is no longer in `terms`: a writer deleted it, so its count goes too
    assert back.articles["a/b"].counts == (("courier", 9), ("late", 30))
    assert back.articles["a/b"].tickets == 40
    assert dump_search_terms(back.articles) == dump_search_terms(parse_search_terms(dump_search_terms(back.articles)).articles)
    merged = merge(back, {"a/b": ["courier", "nobody"]}, "en", "en", {"a/b": (50, {"courier": 9, "nobody": 7, "stuck": 8})})
    assert merged["a/b"].counts == (("courier", 9),)  # `nobody` and `stuck` are rejected now
    assert merged["a/b"].tickets == 50


def test_a_file_without_counts_still_loads():
    terms = parse_search_terms("articles:\n  a/b:\n    terms: [courier]\n")
    assert terms.problems == ()
    assert (terms.articles["a/b"].tickets, terms.articles["a/b"].counts) == (0, ())


def test_bad_counts_are_reported_with_their_line(kb):
    (kb.root / "search-terms.yml").write_text(
        "articles:\n  parcels/late-parcel:\n    terms: [courier]\ncounts:\n  parcels/late-parcel:\n"
        "    tickets: 10\n    words: {courier: 12}\n  parcels/track-a-parcel:\n    words: {x: 1}\n", encoding="utf-8")
    from helpgen.cli import main

    result = CliRunner().invoke(main, ["check", str(kb.root)])
    assert result.exit_code != 0
    assert ("search-terms.yml:5: error: counts of `parcels/late-parcel`: `courier` is not one word with a count "
            "from 1 to 10; delete it") in result.output
    assert ("search-terms.yml:8: error: counts of `parcels/track-a-parcel` need `tickets:` (a positive number) "
            "and `words:` (word: tickets); delete the entry or run --learn again") in result.output


LATE = ["The courier said it would come Monday, still waiting for it.",
        "Still waiting, the courier never showed up with the parcel yesterday.",
        "I am still waiting for the courier, the shop says it shipped.",
        "Waiting since last week, the courier has not been here.",
        "Courier did not come, I keep waiting at home all day."]


def test_learned_counts_keep_the_privacy_rule(kb):
    rows = [(t, "parcels/late-parcel") for t in LATE] + [("Where is my parcel, the map is blank. Thanks", "parcels/track-a-parcel")] * 6
    _, evidence = learn_with_counts(kb, rows, "en", LearnOptions(min_tickets=5))
    tickets, words = evidence["parcels/late-parcel"]
    assert tickets == 5
    assert words == {"courier": 5, "waiting": 5}  # words of fewer than 5 tickets have no count
    assert all(n >= 5 for _, w in evidence.values() for n in w.values())


def counts_file(kb) -> None:
    (kb.root / "search-terms.yml").write_text(
        "articles:\n  parcels/late-parcel:\n    terms: []\n  parcels/track-a-parcel:\n    terms: []\n"
        "counts:\n  parcels/late-parcel:\n    tickets: 40\n    words: {parcel: 30, where: 30}\n"
        "  parcels/track-a-parcel:\n    tickets: 60\n    words: {parcel: 50}\n", encoding="utf-8")


def test_helpgen_search_reranks_with_the_counts_and_is_unchanged_without(kb, monkeypatch):
    query = "where is my parcel"
    before = [h.id for h in search(build_index(kb), query)]
    monkeypatch.setattr(rerank, "WEIGHT", 5.0)
    assert [h.id for h in search(build_index(kb), query)] == before  # no counts: lunr's order, whatever the weight
    assert before[0] == "parcels/track-a-parcel"
    counts_file(kb)
    assert [h.id for h in search(build_index(kb), query)][:2] == ["parcels/late-parcel", "parcels/track-a-parcel"]


def test_the_site_data_holds_the_counts_by_url_only_when_there_are_counts(kb):
    assert "rerank" not in site_index.help_data(kb, "en", "")
    counts_file(kb)
    data = site_index.help_data(kb, "en", "")["rerank"]
    url = site_index.site_url_of(kb, next(a for a in kb.in_language("en") if a.id == "parcels/late-parcel"))
    assert data["articles"][url] == [40, {"parcel": 30, "where": 30}]
    assert (data["weight"], data["depth"], data["smoothing"]) == (rerank.WEIGHT, rerank.DEPTH, rerank.SMOOTHING)
    assert json.dumps(data, sort_keys=False) == json.dumps(site_index.help_data(kb, "en", "")["rerank"])


def test_a_word_an_articles_customers_always_write_counts_when_the_query_lacks_it():
    items = [("a", 10.0), ("b", 10.0)]
    # both articles' tickets say "courier" equally; a's also nearly always say "refund", which the query lacks
    evidence = {"a": (100, {"courier": 50, "refund": 95}), "b": (100, {"courier": 50})}
    got = rerank.rerank(items, "courier", evidence, lambda i: i[0], lambda i: i[1], stem, weight=0.3, depth=10)
    assert [i[0] for i in got] == ["b", "a"]
    with_refund = rerank.rerank(items, "courier refund", evidence, lambda i: i[0], lambda i: i[1], stem, weight=0.3)
    assert [i[0] for i in with_refund] == ["a", "b"]
