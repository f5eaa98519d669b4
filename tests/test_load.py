"""Loading a KB folder: front matter with lines, titles, languages, glossary, What's new, assets."""
from __future__ import annotations

from datetime import date

import pytest

from helpgen.errors import ContentError, Problem
from helpgen.kb.load import load_kb, split_front_matter

ARTICLE = """---
title: Track your card
level: beginner
stage: [onboarding, using]
summary: Where your card is.
questions:
  - where is my card
tags: cards
error_codes: [404, CARD-1]
related: cards/activate
updated: 2025-02-01
review_after: 2026-01-01
owner: ana
draft: true
order: 3
---

Body text.
"""


def test_front_matter_fields_and_lines(make_kb):
    kb, problems = load_kb(make_kb({"articles/cards/track.md": ARTICLE}))
    assert problems == []
    (a,) = kb.articles
    assert (a.id, a.source, a.lang, a.area) == ("cards/track", "articles/cards/track.md", "", "cards")
    assert a.title == "Track your card" and a.level == "beginner" and a.stages == ("onboarding", "using")
    assert a.questions == ("where is my card",) and a.tags == ("cards",) and a.error_codes == ("404", "CARD-1")
    assert a.related == ("cards/activate",) and a.updated == date(2025, 2, 1)
    assert a.review_after == date(2026, 1, 1) and a.owner == "ana" and a.draft is True and a.order == 3
    assert a.field_lines["title"] == 2 and a.field_lines["stage"] == 4 and a.field_lines["order"] == 15
    assert a.body == "\nBody text.\n" and a.body_line == 17
    assert kb.published == ()


def test_title_falls_back_to_first_heading_and_body_is_kept(make_kb):
    text = "```\n# not this\n```\n# Reset your passcode\n\nDo this.\n"
    kb, problems = load_kb(make_kb({"articles/reset.md": text}))
    (a,) = kb.articles
    assert a.title == "Reset your passcode" and a.body == text and a.body_line == 1
    assert (a.level, a.stages, a.summary) == (None, (), "")
    assert problems == []


def test_description_is_read_as_summary(make_kb):
    kb, _ = load_kb(make_kb({"articles/x.md": "---\ntitle: X\ndescription: From Docusaurus.\nsidebar_position: 2\n---\n"}))
    assert kb.articles[0].summary == "From Docusaurus."


def test_language_suffix(make_kb):
    root = make_kb({
        "helpgen.yml": "language: en\nlanguages: [en, zh]\n",
        "articles/cards/track.md": "# Track\n",
        "articles/cards/track.zh.md": "# 追踪\n",
        "articles/cards/track.en.md": "# Track again\n",
        "articles/cards/setup.faq.md": "# Not a language\n",
    })
    kb, _ = load_kb(root)
    got = [(a.id, a.lang, a.source) for a in kb.articles]
    assert got == [
        ("cards/setup.faq", "", "articles/cards/setup.faq.md"),
        ("cards/track", "", "articles/cards/track.en.md"),
        ("cards/track", "", "articles/cards/track.md"),
        ("cards/track", "zh", "articles/cards/track.zh.md"),
    ]
    assert [a.title for a in kb.in_language("zh")] == ["追踪"]


def test_explicit_id(make_kb):
    kb, _ = load_kb(make_kb({"articles/old/name.md": "---\nid: /cards/new-id/\ntitle: T\n---\n"}))
    assert kb.articles[0].id == "cards/new-id"


def test_wrong_field_types_are_errors(make_kb):
    text = "---\ntitle: T\nquestions: {a: 1}\nupdated: soon\ndraft: maybe\norder: first\n---\n"
    _, problems = load_kb(make_kb({"articles/t.md": text}))
    assert [str(p) for p in problems] == [
        "articles/t.md:3: error: `questions` must be text or a list of text values, got a mapping",
        "articles/t.md:4: error: `updated` must be a date such as 2025-01-31, got `soon`",
        "articles/t.md:5: error: `draft` must be true or false, got `maybe`",
        "articles/t.md:6: error: `order` must be a whole number, got `first`",
    ]


def test_invalid_yaml_is_reported_with_line_and_article_skipped(make_kb):
    text = "---\ntitle: ok\nlevel: beginner\ntags: [a, b\n---\nbody\n"
    kb, problems = load_kb(make_kb({"articles/bad.md": text}))
    assert kb.articles == ()
    (p,) = problems
    assert (p.path, p.severity) == ("articles/bad.md", "error")
    assert p.line in (4, 5)  # the unclosed list, or the line where the parser noticed
    assert p.message.startswith("invalid YAML in front matter: ") and p.message.endswith(", fix the syntax")


def test_non_utf8_and_binary(make_kb):
    root = make_kb({
        "articles/latin.md": "# Café crème brûlée\n\nDéjà vu, très énervé à Noël.\n".encode("latin-1"),
        "articles/blob.md": b"\x89PNG\x00\x00\x01",
    })
    kb, problems = load_kb(root)
    assert kb.articles == ()
    assert problems[0] == Problem("articles/blob.md", 1, "error", "binary file, not Markdown or YAML text; move it to assets/ or delete it")
    latin = problems[1]
    assert (latin.path, latin.line) == ("articles/latin.md", 1)
    assert latin.message.startswith("not UTF-8 text (looks like ") and latin.message.endswith("), re-save the file as UTF-8")
    guess = latin.message.split("looks like ")[1].split(")")[0]
    assert guess not in ("utf_8", "binary data")


def test_glossary_list_mapping_and_language(make_kb):
    root = make_kb({
        "helpgen.yml": "languages: [en, zh]\n",
        "glossary.yml": "- term: IBAN\n  definition: International bank account number.\n  aliases: [iban]\n- term: PIN\n  definition: A code.\n",
        "glossary.zh.yml": "密码: 您的密码。\n",
    })
    kb, problems = load_kb(root)
    assert problems == []
    assert [(t.term, t.aliases, t.line, t.lang) for t in kb.glossary] == [
        ("IBAN", ("iban",), 1, ""), ("PIN", (), 4, ""), ("密码", (), 1, "zh")]


def test_glossary_entry_without_definition(make_kb):
    _, problems = load_kb(make_kb({"glossary.yml": "- term: IBAN\n- term: PIN\n  definition: A code.\n"}))
    assert [str(p) for p in problems] == [
        "glossary.yml:1: error: glossary term `IBAN` has no definition, add `definition: ...`"]


def test_changelog_sections_newest_first(make_kb):
    text = "# What's new\n\n## 2025-01-02 Cards in green\n\nNew colour.\n\n## 2025-03-04 — Faster top-ups\n\nQuicker.\n"
    kb, problems = load_kb(make_kb({"changelog.md": text}))
    assert problems == []
    assert [(e.date, e.title, e.line, e.slug) for e in kb.entries] == [
        (date(2025, 3, 4), "Faster top-ups", 7, "2025-03-04-faster-top-ups"),
        (date(2025, 1, 2), "Cards in green", 3, "2025-01-02-cards-in-green"),
    ]
    assert kb.entries[1].body == "New colour.\n"


def test_changelog_heading_without_date(make_kb):
    _, problems = load_kb(make_kb({"changelog.md": "## Soon\n\ntext\n"}))
    assert [str(p) for p in problems] == [
        "changelog.md:1: error: heading `## Soon` must start with a date, such as `## 2025-01-31 Dark mode`"]


def test_whats_new_folder_with_languages(make_kb):
    root = make_kb({
        "helpgen.yml": "languages: [en, zh]\n",
        "whats-new/cards.md": "---\ndate: 2025-05-01\ntitle: Cards\n---\nText\n",
        "whats-new/cards.zh.md": "---\ndate: 2025-05-01\n---\n# 卡片\n",
        "whats-new/old.md": "---\ndate: 2024-01-01\n---\n# Old news\n",
        "whats-new/nodate.md": "# No date\n",
    })
    kb, problems = load_kb(root)
    assert [(e.slug, e.lang, e.title) for e in kb.entries] == [
        ("cards", "", "Cards"), ("cards", "zh", "卡片"), ("old", "", "Old news")]
    assert [str(p) for p in problems] == [
        "whats-new/nodate.md:1: error: missing date, add `date: 2025-01-31` to the front matter"]


def test_assets_overrides_and_ignored_folders(make_kb):
    root = make_kb({
        "assets/img/b.png": b"x", "assets/a.svg": "<svg/>", "assets/.DS_Store": b"x",
        "overrides/main.html": "{% extends 'base.html' %}",
        "tickets/log.csv": "id,text\n", ".helpgen/coverage/coverage.json": "{}",
        "articles/.hidden/x.md": "# hidden\n",
    })
    kb, problems = load_kb(root)
    assert kb.assets == ("assets/a.svg", "assets/img/b.png")
    assert kb.overrides == ("overrides/main.html",)
    assert kb.articles == () and problems == []


def test_unusable_folder_raises(tmp_path):
    with pytest.raises(ContentError, match="no such folder"):
        load_kb(tmp_path / "missing")
    with pytest.raises(ContentError, match="not a knowledge base"):
        load_kb(tmp_path)


def test_split_front_matter_needs_closing_line():
    assert split_front_matter("---\ntitle: x\n") == (None, "---\ntitle: x\n", 1)
    assert split_front_matter("---\na: 1\n...\nbody") == ("a: 1", "body", 4)


def test_list_item_that_is_not_text_names_item_and_line(make_kb):
    text = "---\ntitle: T\nquestions:\n  - fine\n  - declined: no funds\n  -\n---\n"
    _, problems = load_kb(make_kb({"articles/t.md": text}))
    assert [str(p) for p in problems] == [
        "articles/t.md:5: error: `questions` item 2 must be text, got a mapping; put it in quotes when it contains `: `"]


def test_unconfigured_language_suffix_is_warned(make_kb):
    kb, problems = load_kb(make_kb({"articles/track.zh.md": "# T\n", "articles/setup.faq.md": "# F\n"}))
    assert [a.id for a in kb.articles] == ["setup.faq", "track.zh"]
    assert [str(p) for p in problems] == [
        "articles/track.zh.md:1: warning: `.zh.md` looks like a translation but `zh` is not in `languages` in helpgen.yml; "
        "add it there so this page is the `zh` version of its article"]
