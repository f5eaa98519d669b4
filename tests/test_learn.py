"""Learned search terms: `helpgen coverage --learn` -> KB/search-terms.yml -> search, check."""
from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from helpgen.coverage.learn import LearnOptions, learn, merge, name_like_words, ticket_terms
from helpgen.kb.load import load_kb
from helpgen.kb.search_terms import ArticleTerms, dump_search_terms, parse_search_terms
from helpgen.search.index import build_index, search

ARTICLE = "---\ntitle: {title}\nlevel: beginner\nstage: using\nsummary: {summary}\n---\n\n{body}\n"
FILES = {
    "helpgen.yml": "name: Test\nsite_url: https://help.example.org/\nlanguages: [en, zh]\n",
    "articles/parcels/track-a-parcel.md": ARTICLE.format(
        title="Track a parcel", summary="Follow a parcel on its way.", body="Open Parcels and tap Track."),
    "articles/parcels/return-a-parcel.md": ARTICLE.format(
        title="Return a parcel", summary="Send an item back.", body="Print the label and drop it off."),
    "articles/parcels/track-a-parcel.zh.md": ARTICLE.format(
        title="跟踪包裹", summary="查看包裹的位置。", body="打开包裹页面，点击跟踪。"),
}


@pytest.fixture
def kb(make_kb):
    kb, problems = load_kb(make_kb(FILES))
    assert [p for p in problems if p.severity == "error"] == []
    return kb


def tickets(article_id: str, texts: list[str]) -> list[tuple[str, str]]:
    return [(t, article_id) for t in texts]


WHERE = ["Hi, my parcel went missing somewhere, it is three days late now.",
         "The parcel went missing in transit and nobody can tell me anything.",
         "I think my parcel went missing, the courier has no idea.",
         "Hello, parcel went missing? Order placed last month.",
         "Still nothing, the parcel went missing after it left the depot."]


def test_a_term_needs_min_tickets_distinct_tickets(kb):
    learned = learn(kb, tickets("parcels/track-a-parcel", WHERE), "en", LearnOptions(min_tickets=5))
    assert "went missing" in learned["parcels/track-a-parcel"]
    assert "missing" in learned["parcels/track-a-parcel"]
    fewer = learn(kb, tickets("parcels/track-a-parcel", WHERE[:4]), "en", LearnOptions(min_tickets=5))
    assert fewer == {}


def test_terms_are_at_most_two_words_and_never_known_words(kb):
    terms = learn(kb, tickets("parcels/track-a-parcel", WHERE), "en", LearnOptions(min_tickets=5))
    got = terms["parcels/track-a-parcel"]
    assert all(1 <= len(t.split()) <= 2 for t in got)
    assert "parcel" not in got and "track" not in got  # the article's title says them already


def test_numbers_names_and_redacted_data_never_qualify(kb):
    texts = [f"Dear Pocket team, Jonas here: [email] parcel {n}4417 went missing, call [phone] Jonas" for n in range(6)]
    texts += [f"My neighbour Jonas says parcel {n}4417 went missing." for n in range(6)]
    got = learn(kb, tickets("parcels/track-a-parcel", texts), "en", LearnOptions(min_tickets=5))
    terms = got["parcels/track-a-parcel"]
    assert "went missing" in terms
    joined = " ".join(terms)
    assert "jonas" not in joined and "email" not in joined and "phone" not in joined
    assert not any(ch.isdigit() for ch in joined)


def test_capitalised_mid_sentence_words_are_names():
    assert name_like_words(["I asked Maria about it.", "maria said no? Then Maria left."]) == {"maria"}


def test_a_short_sentence_is_never_copied_whole():
    assert ticket_terms("Parcel lost.", False, set()) == {"parcel", "lost"}
    assert ticket_terms("Lost!", False, set()) == set()
    assert "parcel lost" not in ticket_terms("Parcel lost. Help", False, set())
    assert "parcel lost" in ticket_terms("My parcel lost its label on the way here.", False, set())


def test_words_frequent_in_every_article_are_not_learned(kb):
    common = [f"thanks team, missing something here again ({i})" for i in range(6)]
    data = tickets("parcels/track-a-parcel", common) + tickets("parcels/return-a-parcel", common * 3)
    got = learn(kb, data, "en", LearnOptions(min_tickets=5))
    assert "missing" not in got.get("parcels/track-a-parcel", [])


NEIGHBOURS = {**FILES, "articles/parcels/redirect-a-parcel.md": ARTICLE.format(
    title="Redirect a parcel", summary="Send a parcel to another address.", body="Open Parcels and tap Redirect.")}


@pytest.fixture
def kb3(make_kb):
    kb, problems = load_kb(make_kb(NEIGHBOURS))
    assert [p for p in problems if p.severity == "error"] == []
    return kb


def test_a_word_neighbouring_articles_share_is_learned_for_each(kb3):
    # "courier" belongs to the tracking and redirecting tickets (6 + 30 of 36), never to returns:
    # only 17% of its tickets are tracking ones, yet tracking customers use it twice as often as
    # customers overall, so it is learned for both neighbours and not for returns.
    data = (tickets("parcels/track-a-parcel", [f"the courier never came, day {i}" for i in range(6)])
            + tickets("parcels/redirect-a-parcel", [f"can the courier bring it elsewhere ({i})" for i in range(30)])
            + tickets("parcels/return-a-parcel", [f"label printer broken again ({i})" for i in range(40)]))
    got = learn(kb3, data, "en", LearnOptions(min_tickets=5))
    assert "courier" in got["parcels/track-a-parcel"]
    assert "courier" in got["parcels/redirect-a-parcel"]
    assert "courier" not in got.get("parcels/return-a-parcel", [])


def test_a_filler_word_spread_evenly_is_not_learned_by_chance(kb3):
    # "honestly" is in about a third of every article's tickets; the tracking article has one or two
    # more than its share (lift a little over 1), which is chance: the G² test keeps it out.
    def texts(topic, n, filler):
        return [f"{topic} {i} " + ("honestly " if i < filler else "") + "please" for i in range(n)]
    data = (tickets("parcels/track-a-parcel", texts("where is it", 30, 11))
            + tickets("parcels/redirect-a-parcel", texts("send it elsewhere", 30, 10))
            + tickets("parcels/return-a-parcel", texts("label printer broken", 30, 9)))
    assert "honestly" not in learn(kb3, data, "en", LearnOptions(min_tickets=5)).get("parcels/track-a-parcel", [])
    assert "honestly" in learn(kb3, data, "en", LearnOptions(min_tickets=5, min_g2=0.0))["parcels/track-a-parcel"]


def test_the_most_distinctive_terms_survive_the_cap(kb):
    # "courier" is frequent for tracking (20 tickets) but half the returns say it too; "vanished" is
    # rarer (5 tickets) and only tracking customers write it: with room for one term, it stays.
    data = (tickets("parcels/track-a-parcel", [f"courier, day {i}" for i in range(15)]
                    + [f"courier says it vanished ({i})" for i in range(5)])
            + tickets("parcels/return-a-parcel", [f"courier took it back, day {i}" for i in range(10)]
                      + [f"label printer broken, day {i}" for i in range(10)]))
    got = learn(kb, data, "en", LearnOptions(min_tickets=5))
    assert got["parcels/track-a-parcel"].index("vanished") < got["parcels/track-a-parcel"].index("courier")
    capped = learn(kb, data, "en", LearnOptions(min_tickets=5, max_terms=2))["parcels/track-a-parcel"]
    assert capped == ["courier vanished", "vanished"]  # equally distinctive: alphabetical


def test_a_distinctive_term_still_needs_min_tickets(kb3):
    data = (tickets("parcels/track-a-parcel", [f"it vanished at the depot ({i})" for i in range(4)]
                    + [f"where is it now ({i})" for i in range(20)])
            + tickets("parcels/return-a-parcel", [f"label printer broken ({i})" for i in range(40)]))
    got = learn(kb3, data, "en", LearnOptions(min_tickets=5))
    assert "vanished" not in got.get("parcels/track-a-parcel", [])
    assert "depot" not in got.get("parcels/track-a-parcel", [])


_VOCAB = ["courier", "vanished", "depot", "label", "printer", "refund", "Maria", "[email]", "42", "box", "late"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=6),
                          st.sampled_from(["parcels/track-a-parcel", "parcels/return-a-parcel",
                                           "parcels/redirect-a-parcel"])),
                min_size=5, max_size=60))
def test_every_learned_term_keeps_the_privacy_limits(kb3, rows):
    data = [("hello " + " ".join(words) + ".", article) for words, article in rows]  # names always mid-sentence
    got = learn(kb3, data, "en", LearnOptions(min_tickets=5))
    names = name_like_words(t for t, _ in data)
    for article, terms in got.items():
        texts = [t for t, a in data if a == article]
        for term in terms:
            assert 1 <= len(term.split()) <= 2
            assert not any(ch.isdigit() for ch in term) and "[" not in term and "email" not in term
            assert "maria" not in term  # a name: capitalised in mid-sentence more often than not
            # in >= 5 distinct tickets of the article, each time as part of a longer sentence
            assert sum(term in ticket_terms(t, False, names) for t in texts) >= 5


def test_chinese_tickets_learn_jieba_words(kb):
    texts = [f"你好，我的快递丢失了，已经等了很久{i}天。" for i in range(6)]
    got = learn(kb, tickets("parcels/track-a-parcel", texts), "zh", LearnOptions(min_tickets=5))
    assert "丢失" in got["parcels/track-a-parcel"]
    assert all(len(t.split()) <= 2 for t in got["parcels/track-a-parcel"])


def test_second_run_keeps_writer_deletions_rejected_and_adds_new_terms():
    previous = parse_search_terms(
        "articles:\n  a/b:\n    terms: [went missing]\n    rejected: [courier]\n"
        "learned:\n  a/b: [courier, lost, went missing]\n")
    merged = merge(previous, {"a/b": ["lost", "went missing", "courier", "stuck"]}, "en", "en")
    entry = merged["a/b"]
    assert entry.terms == ("stuck", "went missing")  # `lost` was deleted by the writer
    assert entry.rejected == ("courier", "lost")


def test_output_is_sorted_and_stable():
    one = dump_search_terms({"b/x": ArticleTerms(("zeta", "alpha")), "a/y": ArticleTerms(("mid",), ("no",))})
    two = dump_search_terms({"a/y": ArticleTerms(("mid",), ("no",)), "b/x": ArticleTerms(("alpha", "zeta"))})
    assert one == two
    assert one.index("a/y") < one.index("b/x") and one.index("alpha") < one.index("zeta")
    assert parse_search_terms(one).articles["b/x"].terms == ("alpha", "zeta")


def test_helpgen_search_uses_learned_terms(kb):
    assert [h.id for h in search(build_index(kb), "went missing", 3)][:1] != ["parcels/track-a-parcel"]
    (kb.root / "search-terms.yml").write_text(
        "articles:\n  parcels/track-a-parcel:\n    terms: [went missing, vanished]\n", encoding="utf-8")
    hits = search(build_index(kb), "my parcel vanished", 3)
    assert hits[0].id == "parcels/track-a-parcel"


def test_learned_terms_are_a_hidden_field_of_the_site_index(kb):
    from helpgen.search import site_index

    (kb.root / "search-terms.yml").write_text(
        "articles:\n  parcels/track-a-parcel:\n    terms: [vanished]\n  parcels/track-a-parcel@zh:\n"
        "    terms: [丢失]\n", encoding="utf-8")
    en = next(a for a in kb.in_language("en") if a.id == "parcels/track-a-parcel")
    zh = next(a for a in kb.in_language("zh") if a.id == "parcels/track-a-parcel")
    assert site_index.article_fields(kb, en, "en")["learned"] == "vanished"
    assert site_index.article_fields(kb, zh, "zh")["learned"] == "丢失"
    assert site_index.FIELDS["learned"] > 0


def run(*args):
    from helpgen.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def test_check_reports_unknown_articles_and_long_terms_with_lines(kb):
    (kb.root / "search-terms.yml").write_text(
        "articles:\n  parcels/track-a-parcel:\n    terms:\n    - went missing\n    - it never came here\n"
        "  parcels/gone:\n    terms: [lost]\n", encoding="utf-8")
    result = run("check", kb.root)
    assert result.exit_code != 0
    assert ("search-terms.yml:5: error: `it never came here` has 4 words: a search term is one word or a "
            "two-word phrase; shorten or delete it") in result.output
    assert ("search-terms.yml:6: error: unknown article `parcels/gone`; the article was renamed or deleted: "
            "rename or delete the entry") in result.output


def test_min_tickets_is_validated_with_its_line(make_kb):
    from helpgen.config import parse_config
    from helpgen.errors import ConfigError

    assert parse_config("coverage:\n  learn:\n    min_tickets: 8\n").coverage.learn.min_tickets == 8
    with pytest.raises(ConfigError) as err:
        parse_config("name: x\ncoverage:\n  learn:\n    min_tickets: 1\n")
    assert (err.value.path, err.value.line) == ("helpgen.yml", 4)
    assert err.value.message == ("`coverage.learn.min_tickets` must be a whole number of tickets, 2 or "
                              "more (default 5), got `1`")


def test_coverage_learn_writes_the_file_and_merges(kb, tmp_path):
    path = tmp_path / "tickets.csv"
    rows = []
    for i, text in enumerate(WHERE * 2):
        rows.append({"id": f"t{i}", "created_at": f"2026-01-{i + 1:02d}T10:00:00Z", "channel": "email",
                     "subject": "", "body": text, "status": "solved",
                     "reply": "See https://help.example.org/parcels/track-a-parcel/ thanks",
                     "replied_at": f"2026-01-{i + 1:02d}T12:00:00Z"})
    for i in range(10):
        rows.append({"id": f"r{i}", "created_at": f"2026-02-{i + 1:02d}T10:00:00Z", "channel": "email",
                     "subject": "", "body": f"I want to send back the shoes I bought, they are too small {i}",
                     "status": "solved", "reply": "See https://help.example.org/parcels/return-a-parcel/",
                     "replied_at": f"2026-02-{i + 1:02d}T12:00:00Z"})
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run("coverage", kb.root, "--tickets", path, "-o", tmp_path / "report", "--learn")
    assert result.exit_code == 0, result.output
    terms_file = kb.root / "search-terms.yml"
    count = sum(len(e.terms) for e in parse_search_terms(terms_file.read_text(encoding="utf-8")).articles.values())
    assert result.output.splitlines()[-1] == f"Search terms: {count} new term(s) learned, {terms_file}"
    first = terms_file.read_text(encoding="utf-8")
    data = parse_search_terms(first)
    assert "went missing" in data.articles["parcels/track-a-parcel"].terms
    assert "send back" in data.articles["parcels/return-a-parcel"].terms
    # the writer deletes a term: the next run rejects it and the output is otherwise the same
    terms_file.write_text(first.replace("    - went missing\n", "", 1), encoding="utf-8")
    assert run("coverage", kb.root, "--tickets", path, "-o", tmp_path / "report", "--learn").exit_code == 0
    again = parse_search_terms(terms_file.read_text(encoding="utf-8")).articles["parcels/track-a-parcel"]
    assert "went missing" not in again.terms and "went missing" in again.rejected
    assert run("check", kb.root).exit_code == 0


def test_pagefind_pages_carry_learned_terms_hidden(kb):
    from helpgen.search import pagefind_index

    (kb.root / "search-terms.yml").write_text(
        "articles:\n  parcels/track-a-parcel:\n    terms: [went missing]\n", encoding="utf-8")
    article = next(a for a in kb.in_language("en") if a.id == "parcels/track-a-parcel")
    html = pagefind_index.hidden_fields(kb, article)
    assert ('<div hidden data-helpgen-field="learned" data-pagefind-weight="2" data-pagefind-meta="learned">'
            'went missing</div>') in html
