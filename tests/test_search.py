"""Unit tests of helpgen search: analyser, query rewrite, lunr.py index, evaluation, site index rewrite, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.kb.load import load_kb
from helpgen.search import site_index
from helpgen.text import query_words, tokenize
from helpgen.search.index import Miss, build_index, evaluate, evaluate_file, rewrite_query, search, segment

ARTICLE = """---
title: {title}
level: {level}
stage: {stage}
summary: {summary}
questions:
{questions}
tags: [{tags}]
error_codes: [{codes}]
---

{body}
"""


def article(title, summary, questions, body, level="beginner", stage="using", tags="", codes=""):
    qs = "\n".join(f"  - {q}" for q in questions)
    return ARTICLE.format(title=title, level=level, stage=stage, summary=summary, questions=qs, tags=tags,
                          codes=codes, body=body)


FILES = {
    "helpgen.yml": "name: Test\nsupport:\n  email: help@example.com\n  response_time: 2 business days\n",
    "glossary.yml": "- term: top-up\n  definition: Money you add.\n  aliases: [add money, reload]\n",
    "articles/cards/track-your-card.md": article(
        "Track your card delivery", "Where your new card is and when it arrives.",
        ["card still not here", "when does the card come"],
        "Your card arrives within 5 working days.\n\n## Late cards\n\nIf it is late, order a new one."),
    "articles/cards/change-your-pin.md": article(
        "Change your PIN", "Pick a new PIN at any cash machine.", ["new pin number please"],
        "Go to an ATM and choose PIN services.", tags="pin, card"),
    "articles/top-up/top-up-by-card.md": article(
        "Top up with a card", "Add money to your balance with a debit card.", ["put funds on my balance"],
        "Open the app and top up with your debit card."),
    "articles/troubleshooting/declined-payment.md": article(
        "Declined card payment", "Why a shop refused your card.", ["shop refused the card"],
        "A payment can be declined for many reasons.", level="troubleshooting", stage="adapting",
        codes='E1023, "Do not honour"'),
    "articles/troubleshooting/charged-twice.md": article(
        "Charged twice", "One purchase shows twice.", ["double charge on one purchase"],
        "Duplicate charges usually disappear.", level="troubleshooting", stage="adapting", codes="E2001"),
}


@pytest.fixture
def kb(make_kb):
    kb, problems = load_kb(make_kb(FILES))
    assert [p for p in problems if p.severity == "error"] == []
    return kb


# --- analyser ----------------------------------------------------------------------------------

def test_tokenize_drops_question_words_and_stems():
    assert tokenize("Why was I charged twice for my cards?") == ["charg", "twice", "card"]


def test_tokenize_segments_chinese():
    assert tokenize("我的卡怎么还没到", "zh") == ["卡", "没到"]


def test_query_words_keep_order_and_drop_duplicates():
    assert query_words("how do I top up, top up my card") == ["top", "up", "card"]


# --- query rewrite: the same as helpgen-search.js ----------------------------------------------

def test_rewrite_drops_stop_words_and_stems_with_wildcard():
    assert rewrite_query("Why was I charged twice?") == "charged^1 charg* twice^1 twice* charg0twice^1"
    assert rewrite_query("my card hasn't arrived") == "card^1 card* arrived^1 arriv* arriv0card^1"


def test_a_stem_of_one_or_two_letters_is_sent_exactly_never_as_a_prefix():
    # Porter cuts "gas" to "ga" and "use" to "us": `ga*` would match garage, gauge and gallon
    assert rewrite_query("what gas does my car use") == "gas^2 car^1 car* use^2 car0ga^1 car0us^1"
    assert rewrite_query("my ID was rejected") == "id^2 rejected^1 reject* id0reject^1"


def test_a_short_stem_query_finds_the_word_not_words_that_start_like_it(tmp_path):
    from helpgen.kb.load import load_kb

    (tmp_path / "articles").mkdir()
    (tmp_path / "helpgen.yml").write_text("name: Test Help\nsite_url: https://help.test.example/\n", encoding="utf-8")
    for name, title, body in (("fill", "Which gas to fill up with", "Use the gas your manual names."),
                              ("garage", "Garage opening hours", "The garage and its gauges, gallons and gaskets.")):
        (tmp_path / "articles" / f"{name}.md").write_text(
            f"---\ntitle: {title}\nlevel: beginner\n---\n\n{body}\n", encoding="utf-8")
    kb, _ = load_kb(tmp_path)
    assert [h.id for h in search(build_index(kb), "gas")] == ["fill"]


def test_a_long_stem_that_starts_no_word_of_the_index_is_looked_for_inside_words():
    words = ("appoint", "reschedul", "unfamiliar")  # site_index.long_words of a KB
    assert rewrite_query("schedule an appointment", long_words=words) == \
        "schedule^1 *schedul* appointment^1 appoint* appoint0schedul^1"
    assert rewrite_query("familiar", long_words=words) == "familiar^1 *familiar*"
    assert rewrite_query("schedule", long_words=("schedul",)) == "schedule^1 schedul*"  # the KB has it
    assert rewrite_query("charged", long_words=()) == "charged^1 charg*"  # 5 letters: prefix only
    assert rewrite_query("schedule") == "schedule^1 schedul*"  # no word list: as before


def test_long_words_are_the_index_stems_of_six_letters_or_more():
    docs = [{"title": "Reschedule a booking", "text": "Because the garage moved it, reschedule", "pairs": "book0reschedul",
             "questions": "moved my appointment"}]
    assert site_index.long_words(docs) == ["appoint", "reschedul"]  # no stop word (because), pair or short stem


def test_a_word_the_kb_only_has_inside_a_longer_word_finds_its_article(tmp_path):
    from helpgen.kb.load import load_kb

    (tmp_path / "articles").mkdir()
    (tmp_path / "helpgen.yml").write_text("name: Test Help\nsite_url: https://help.test.example/\n", encoding="utf-8")
    for name, title, body in (("book", "Reschedule a garage booking", "Move your booking to another day."),
                              ("fuel", "Which fuel your car takes", "Regular or premium fuel.")):
        (tmp_path / "articles" / f"{name}.md").write_text(
            f"---\ntitle: {title}\nlevel: beginner\n---\n\n{body}\n", encoding="utf-8")
    kb, _ = load_kb(tmp_path)
    assert [h.id for h in search(build_index(kb), "how do i schedule it")] == ["book"]  # nothing without `*schedul*`


def test_python_stems_like_the_browser():
    # helpgen-stemmer.js is lunr.js's stemmer: a final y turns into i only after a consonant
    assert [site_index.stem(w) for w in ("money", "days", "delayed", "cry", "flying", "charged")] == \
        ["money", "day", "delay", "cri", "fli", "charg"]
    assert site_index.word_pairs(["adding", "money"]) == ["ad0money"]  # what helpgen-search.js sends


def test_adjacent_words_make_one_pair_token_in_any_order():
    assert site_index.word_pairs(["arrived", "card"]) == site_index.word_pairs(["card", "arrived"]) == ["arriv0card"]
    assert site_index.word_pairs(["card", "cards"]) == []  # the same stem twice is no phrase
    assert site_index.word_pairs(["e1023", "pin"]) == []  # codes and numbers never pair


def test_title_and_question_pairs_are_indexed(kb):
    track = next(a for a in kb.in_language("en") if a.id == "cards/track-your-card")
    pairs = site_index.article_fields(kb, track, "en")["pairs"].split()
    assert "card0track" in pairs and "card0here" in pairs  # "Track your card", "card still not here"


def test_material_query_keeps_modifiers_and_adds_wildcards():
    from helpgen.search.index import material_query

    assert material_query("charged^1 charg* top-up", frozenset()) == "charged^1 charg* top* up*"


def test_rewrite_keeps_lunr_syntax_and_all_stop_word_queries():
    assert rewrite_query('+card -pin') == "+card -pin"
    assert rewrite_query("how do I") == "how do I"


def test_rewrite_removes_chinese_question_words():
    assert rewrite_query("请问我的卡怎么还没到", "zh") == "卡 还没到"


def test_segment_follows_materials_greedy_algorithm():
    # Material's worker never matches a word that ends the query: "多久" is lost. This is why
    # helpgen-search.js splits Chinese into words itself (each then passes through whole).
    assert segment("退款多久", frozenset({"退款", "多久"})) == ["退款"]
    assert segment("退款", frozenset({"退款"})) == ["退款"]


def test_rewrite_splits_chinese_with_the_index_words():
    vocab = frozenset({"退款", "多久", "到账"})
    assert rewrite_query("我的退款多久到账", "zh", vocab) == "退款 多久 到账"


# --- lunr.py index --------------------------------------------------------------------------------

def test_search_finds_articles_from_customer_words(kb):
    idx = build_index(kb)
    assert search(idx, "my card hasn't arrived yet")[0].id == "cards/track-your-card"
    assert search(idx, "the shop refused my card")[0].id == "troubleshooting/declined-payment"
    assert search(idx, "I want to reload my balance")[0].id == "top-up/top-up-by-card"  # glossary alias


def test_error_codes_and_messages_come_first(kb):
    idx = build_index(kb)
    assert search(idx, "E1023")[0].id == "troubleshooting/declined-payment"
    assert search(idx, "e2001")[0].id == "troubleshooting/charged-twice"
    assert search(idx, "card declined: do not honour")[0].id == "troubleshooting/declined-payment"


def test_pasted_message_inside_other_text_adds_its_token(kb):
    idx = build_index(kb)
    token = site_index.message_token("Do not honour")
    assert rewrite_query("Error: do not honour (try later)", messages=idx.messages).endswith(token + "*")
    assert search(idx, "Error: do not honour (try later)")[0].id == "troubleshooting/declined-payment"


def test_search_groups_sections_under_their_article(kb):
    hits = search(build_index(kb), "late cards")
    assert [h.id for h in hits].count("cards/track-your-card") == 1
    assert hits[0].url == "cards/track-your-card/"


def test_nothing_found():
    from helpgen.config import Config
    from helpgen.kb.model import KnowledgeBase

    assert search(build_index(KnowledgeBase(root=Path("."), config=Config())), "anything at all") == []


# --- evaluation ---------------------------------------------------------------------------------

def test_evaluate_figures():
    ev = evaluate([("q1", ["a"], ["a", "b"]), ("q2", ["a"], ["b", "c", "a"]), ("q3", ["a"], ["b", "c", "d", "a"]),
                   ("q4", ["a", "x"], ["x"])])
    assert (ev.total, ev.recall_at_1, ev.recall_at_3) == (4, 0.5, 0.75)
    assert ev.mrr == pytest.approx((1 + 1 / 3 + 1 / 4 + 1) / 4)
    assert ev.misses == (Miss("q3", "a", "b", 4),)


def test_evaluate_file(kb, tmp_path):
    csv_file = tmp_path / "q.csv"
    csv_file.write_text("question,expected_article\nmy card is not here,cards/track-your-card\n"
                        "I paid once and got billed two times,troubleshooting/charged-twice\n"
                        "new pin,cards/change-your-pin\n", encoding="utf-8")
    ev = evaluate_file(build_index(kb), csv_file)
    assert ev.total == 3 and ev.recall_at_1 == pytest.approx(2 / 3)
    assert [m.question for m in ev.misses] == ["I paid once and got billed two times"]


# --- the site's search index ----------------------------------------------------------------------

def test_plugin_config_has_separator_with_zero_width_space_and_fields(kb):
    config = site_index.search_plugin_config(kb)
    assert "\\u200b" in config["separator"] and config["lang"] == ["en"]
    assert config["pipeline"] == ["stopWordFilter", "stemmer"]
    assert config["fields"]["questions"]["boost"] > config["fields"]["text"]["boost"]


def write_index(site: Path, docs: list[dict], offline: bool = False) -> Path:
    path = site / "search" / "search_index.json"
    path.parent.mkdir(parents=True)
    text = json.dumps({"config": {"lang": ["en"]}, "docs": docs})
    path.write_text(text, encoding="utf-8")
    if offline:
        path.with_name("search_index.js").write_text("var __index = " + text, encoding="utf-8")
    return path


def test_postprocess_adds_fields_and_pushes_listing_pages_down(kb, tmp_path):
    path = write_index(tmp_path, [
        {"location": "", "title": "Home", "text": "every article"},
        {"location": "stages/using/", "title": "Everyday use", "text": "list"},
        {"location": "stages/using/#cards", "title": "Cards", "text": "Track your card delivery"},
        {"location": "cards/track-your-card/", "title": "Track your card delivery", "text": "Your card arrives"},
        {"location": "cards/track-your-card/#late-cards", "title": "Late cards", "text": "order a new one"},
    ], offline=True)
    site_index.postprocess_search_index(tmp_path, kb)
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in data["docs"]}
    assert "" not in docs and "stages/using/#cards" not in docs
    assert docs["stages/using/"]["boost"] == site_index.LISTING_BOOST
    track = docs["cards/track-your-card/"]
    assert track["questions"] == "card still not here \nwhen does the card come" and track["boost"] == 1.0
    assert docs["cards/track-your-card/#late-cards"]["boost"] == site_index.SECTION_BOOST
    declined = docs["troubleshooting/declined-payment/"]  # missing from the build: added, never dropped
    assert declined["codes"] == "E1023 " + site_index.message_token("Do not honour")
    assert declined["messages"] == "Do not honour"
    helpgen = data["config"]["helpgen"]
    assert helpgen["support"]["response_time"] == "within 2 business days"
    assert [a["url"] for a in helpgen["troubleshooting"]] == ["troubleshooting/charged-twice/",
                                                             "troubleshooting/declined-payment/"]
    offline = path.with_name("search_index.js").read_text(encoding="utf-8")
    assert offline.startswith("var __index = ") and json.loads(offline[14:]) == data


def test_glossary_aliases_become_keywords(kb):
    top_up = kb.by_id()["top-up/top-up-by-card"]
    assert site_index.glossary_keywords(kb, top_up) == ["top-up", "add money", "reload"]
    assert site_index.glossary_keywords(kb, kb.by_id()["cards/change-your-pin"]) == []


# --- CLI ------------------------------------------------------------------------------------------

def run(*args):
    from helpgen.cli import main

    return CliRunner().invoke(main, list(args))


def test_cli_query_prints_id_title_score(make_kb):
    root = make_kb(FILES)
    result = run("search", str(root), "double charge", "--limit", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert 1 <= len(lines) <= 2
    score, ident, title = lines[0].split(maxsplit=2)
    assert (ident, title) == ("troubleshooting/charged-twice", "Charged twice") and float(score) > 0


def test_cli_eval_prints_figures_and_misses(make_kb, tmp_path):
    root = make_kb(FILES)
    csv_file = tmp_path / "q.csv"
    csv_file.write_text("question,expected_article\nnew pin please,cards/change-your-pin\n"
                        "reload,cards/track-your-card\n", encoding="utf-8")
    result = run("search", str(root), "--eval", str(csv_file))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "questions: 2\nrecall@1: 0.500\nrecall@3: 0.500\nMRR: 0.500\nmisses (1):\n"
        "  'reload': expected cards/track-your-card (not found), first: top-up/top-up-by-card\n")


def test_cli_needs_query_or_eval(make_kb):
    result = run("search", str(make_kb(FILES)))
    assert result.exit_code == 2 and "give either a QUERY or --eval questions.csv" in result.output


def test_cli_bad_csv_is_one_line(make_kb, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("q,a\nx,y\n", encoding="utf-8")
    result = run("search", str(make_kb(FILES)), "--eval", str(bad))
    assert result.exit_code == 1
    assert result.output == f"{bad}:1: error: needs the columns `question,expected_article` in its first line\n"


def test_cli_no_results(make_kb):
    result = run("search", str(make_kb(FILES)), "zzqx")
    assert (result.exit_code, result.output) == (0, "no results\n")


# --- search.synonyms -------------------------------------------------------------------------

def test_synonyms_from_helpgen_yml_find_the_article(make_kb):
    files = dict(FILES, **{"helpgen.yml": FILES["helpgen.yml"] + "search:\n  engine: lunr\n  synonyms:\n"
                                                                   "    - [delivery, turned up]\n"})
    kb, _ = load_kb(make_kb(files))
    assert kb.config.search.synonyms == (("delivery", "turned up"),)
    track = next(a for a in kb.in_language("en") if a.id == "cards/track-your-card")
    assert "turned up" in site_index.glossary_keywords(kb, track)
    assert [h.id for h in search(build_index(kb), "card never turned up", 1)] == ["cards/track-your-card"]
    plain, _ = load_kb(make_kb(FILES))
    assert "turned up" not in site_index.glossary_keywords(plain, track)


def test_synonym_groups_are_validated_with_their_line():
    from helpgen.config import parse_config
    from helpgen.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        parse_config("search:\n  synonyms:\n    - [delivery]\n    - [a, b]\n")
    assert (err.value.path, err.value.line) == ("helpgen.yml", 3)
    assert err.value.message == "`search.synonyms[0]` must list two or more words or phrases, e.g. `- [invoice, bill]`"
    assert parse_config("search: pagefind\n").search.engine == "pagefind"
