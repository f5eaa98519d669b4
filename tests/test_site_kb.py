"""The small knowledge base the site tests build, and unit tests of the generated pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpgen.kb.load import load_kb
from helpgen.kb.model import KnowledgeBase
from helpgen.site import articles as art
from helpgen.site import catalogue, pages
from helpgen.site.view import View

SMALL_KB = {
    "helpgen.yml": """name: Acme Help
site_url: https://example.org/help/
support:
  email: help@acme.example
  url: https://acme.example/contact
  response_time: one working day
feedback:
  url: "https://forms.example/fb?page={id}&t={title}&u={url}&r={rating}"
""",
    "articles/getting-started/welcome.md": """---
title: Welcome to Acme
level: beginner
stage: onboarding
order: 1
summary: What Acme does and how to start.
questions: [how do I start using acme]
updated: 2026-01-05
related: [cards/track-your-card]
---
# Welcome to Acme

Open the app and follow the steps. Your PIN arrives by post.
See [track your card](../cards/track-your-card.md) and ![logo](../../assets/logo.png).
""",
    "articles/cards/track-your-card.md": """---
title: Track your card
level: beginner
stage: [onboarding, using]
order: 2
summary: Follow your new card until it arrives.
questions: [where is my card, my card has not arrived]
tags: [card, delivery]
---
Your card ships in two days. Use your PIN at any ATM.
A zebracorn parcel tracker shows where it is. Back to [welcome](/getting-started/welcome).
""",
    "articles/cards/limits.md": """---
title: Card limits explained
level: advanced
stage: deepening
summary: Daily and monthly card limits.
---
Limits protect you.

## Daily limits

Up to 500 a day.

## Monthly limits

Up to 5000 a month.
""",
    "articles/troubleshooting/card-declined.md": """---
title: My card payment was declined
level: troubleshooting
stage: adapting
summary: Why a payment fails and how to fix it.
error_codes: [E1023, "card declined: do not honour"]
---
Check your balance first.
""",
    "articles/account/plans.md": """---
title: Plans and benefits
level: beginner
stage: loyalty
summary: Our plans.
---
Pick a plan.
""",
    "articles/cards/secret-draft.md": """---
title: Secret draft feature
level: beginner
stage: using
draft: true
---
Not yet.
""",
    "articles/legacy/old-page.md": "# An old migrated page\n\nMoved from another site.\n",
    "glossary.yml": """- term: PIN
  definition: Personal identification number, the 4-digit code for your card.
- term: zebracorn
  definition: Our parcel tracking partner.
  aliases: [zebra courier]
""",
    "whats-new/2026-01-10-virtual-cards.md": "---\ndate: 2026-01-10\ntitle: Virtual cards\n---\nYou can now get a virtual card.\n",
    "whats-new/2025-12-01-new-app.md": "---\ndate: 2025-12-01\ntitle: A new app\n---\nThe app is faster.\n",
    "assets/logo.png": b"\x89PNG\r\n\x1a\nfake",
    "tickets/tickets.csv": "id,text\n1,where is my card\n",
}


def load(root: Path) -> KnowledgeBase:
    kb, problems = load_kb(root)
    assert not [p for p in problems if p.severity == "error"], problems
    return kb


@pytest.fixture
def small_kb(make_kb) -> KnowledgeBase:
    return load(make_kb(SMALL_KB, name="small"))


def test_articles_json_has_every_published_article_with_the_schema(small_kb):
    records = catalogue.articles_json(small_kb)
    assert [r["id"] for r in records] == ["account/plans", "cards/limits", "cards/track-your-card",
                                          "getting-started/welcome", "legacy/old-page",
                                          "troubleshooting/card-declined"]
    track = next(r for r in records if r["id"] == "cards/track-your-card")
    assert track == {"id": "cards/track-your-card", "url": "cards/track-your-card/", "title": "Track your card",
                     "summary": "Follow your new card until it arrives.", "level": "beginner",
                     "stages": ["onboarding", "using"], "tags": ["card", "delivery"], "error_codes": [],
                     "questions": ["where is my card", "my card has not arrived"], "updated": None, "lang": "en"}
    assert next(r for r in records if r["id"] == "getting-started/welcome")["updated"] == "2026-01-05"


def test_errors_json_maps_each_code_to_its_article(small_kb):
    expected = {"url": "troubleshooting/card-declined/", "title": "My card payment was declined",
                "id": "troubleshooting/card-declined", "summary": "Why a payment fails and how to fix it."}
    assert catalogue.errors_json(small_kb) == {"E1023": expected, "card declined: do not honour": expected}


def test_offline_urls_are_html_files(small_kb):
    article = small_kb.by_id()["cards/track-your-card"]
    assert catalogue.article_url(small_kb, article) == "cards/track-your-card/"
    assert catalogue.article_url(small_kb, article, directory_urls=False) == "cards/track-your-card.html"


def test_feed_lists_entries_newest_first_with_absolute_links(small_kb):
    feed = catalogue.atom_feed(small_kb)
    assert feed.index("Virtual cards") < feed.index("A new app")
    assert '<link rel="alternate" href="https://example.org/help/whats-new/#2026-01-10-virtual-cards"/>' in feed
    assert "<updated>2026-01-10T00:00:00Z</updated>" in feed


def test_links_are_rewritten_to_the_docs_layout(small_kb):
    view = View(small_kb, "en")
    mapping = art.path_map(view)
    text = art.article_page(view, small_kb.by_id()["getting-started/welcome"], mapping)
    assert "[track your card](../cards/track-your-card.md)" in text
    assert "![logo](../assets/logo.png)" in text
    text = art.article_page(view, small_kb.by_id()["cards/track-your-card"], mapping)
    assert "[welcome](../getting-started/welcome.md)" in text  # absolute, without .md


def test_feedback_links_fill_the_placeholders(small_kb):
    view = View(small_kb, "en")
    links = art.feedback_links(view, small_kb.by_id()["cards/track-your-card"])
    assert [l["href"] for l in links] == [
        "https://forms.example/fb?page=cards%2Ftrack-your-card&t=Track%20your%20card"
        f"&u=https%3A%2F%2Fexample.org%2Fhelp%2Fcards%2Ftrack-your-card%2F&r={r}" for r in ("yes", "no")]


def test_abbreviations_cover_terms_aliases_and_case_variants(small_kb):
    found = art.abbreviations(View(small_kb, "en"))
    assert found == {"PIN": "Personal identification number, the 4-digit code for your card.",
                     "Zebra courier": "Our parcel tracking partner.", "Zebracorn": "Our parcel tracking partner.",
                     "zebra courier": "Our parcel tracking partner.", "zebracorn": "Our parcel tracking partner."}
    # acronyms (PIN) match only as written


def test_drafts_and_unsorted_pages(small_kb):
    view = View(small_kb, "en")
    generated = pages.generated_pages(view)
    assert "Secret draft" not in "".join(generated.values())
    assert "[An old migrated page](legacy/old-page.md)" in generated["unsorted.md"]
    assert "old-page" not in generated["starter-handbook.md"]


def test_handbook_lists_getting_started_in_stage_then_order(small_kb):
    text = pages.handbook_page(View(small_kb, "en"))
    assert text.index("Welcome to Acme") < text.index("Track your card") < text.index("Plans and benefits")
    assert "Card limits" not in text


def test_advanced_guide_has_key_sections(small_kb):
    text = pages.advanced_page(View(small_kb, "en"))
    assert "- [Daily limits](cards/limits.md#daily-limits)" in text
    assert "- [Monthly limits](cards/limits.md#monthly-limits)" in text


def test_glossary_terms_are_marked_inside_chinese_and_as_whole_english_words():
    import markdown

    md = markdown.Markdown(extensions=["helpgen.site.abbr"], extension_configs={
        "helpgen.site.abbr": {"glossary": {"充值": "把钱加到余额。", "充值金额": "一次充值的钱数。", "PIN": "密码"}}})
    html = md.convert("您可以充值到余额，充值金额最低 10 元。输入 PIN码，不是 PINK 或 SPIN。")
    assert html == ('<p>您可以<abbr title="把钱加到余额。">充值</abbr>到余额，'
                    '<abbr title="一次充值的钱数。">充值金额</abbr>最低 10 元。输入 <abbr title="密码">PIN</abbr>码，'
                    '不是 PINK 或 SPIN。</p>')


def test_analytics_feedback_uses_materials_widget(make_kb):
    from helpgen.site.mkdocs_config import mkdocs_config

    yml = SMALL_KB["helpgen.yml"] + "  analytics: google\n  property: G-TEST123\n"
    kb = load(make_kb({**SMALL_KB, "helpgen.yml": yml}))
    view = View(kb, "en")
    assert art.feedback_links(view, kb.by_id()["cards/track-your-card"]) == []
    config = mkdocs_config(view, docs_dir="d", site_dir="s", custom_dir="o", glossary={}, extra_css=[], extra_js=[])
    analytics = config["extra"]["analytics"]
    assert analytics["provider"] == "google" and analytics["property"] == "G-TEST123"
    assert [r["data"] for r in analytics["feedback"]["ratings"]] == [1, 0]
    assert "https://forms.example/fb" in analytics["feedback"]["ratings"][1]["note"]


def test_offline_config_uses_local_polyfill_and_file_urls(make_kb):
    from helpgen.site.mkdocs_config import mkdocs_config

    kb = load(make_kb({**SMALL_KB, "helpgen.yml": "name: X\noffline: true\n"}))
    config = mkdocs_config(View(kb, "en", directory_urls=False), docs_dir="d", site_dir="s", custom_dir="o",
                           glossary={}, extra_css=[], extra_js=[])
    assert {"offline": {}} in config["plugins"] and config["use_directory_urls"] is False
    assert config["extra"]["polyfills"] == ["assets/helpgen/iframe-worker.js"]
    assert config["theme"]["font"] is False


@pytest.mark.parametrize("target,start", [("cards/x.md", "cards"), ("cards/x.md", ""), ("x.md", "a/b"),
                                          ("a/b/c.md", "a/d"), ("assets/i.png", "cards/deep"), ("a", "a")])
def test_relpath_matches_posixpath(target, start):
    import posixpath

    from helpgen.site.view import relpath

    assert relpath(target, start) == posixpath.relpath(target, start or ".")


def test_glossary_terms_skip_code_and_keep_the_text_around_them():
    import markdown

    md = markdown.Markdown(extensions=["helpgen.site.abbr"], extension_configs={
        "helpgen.site.abbr": {"glossary": {"PIN": "Personal number.", "direct debit": "A pull payment."}}})
    html = md.convert("A *PIN* and `PIN`, then a direct debit.\n\n- PIN first\n- no term")
    assert html == ('<p>A <em><abbr title="Personal number.">PIN</abbr></em> and <code>PIN</code>, then a '
                    '<abbr title="A pull payment.">direct debit</abbr>.</p>\n<ul>\n'
                    '<li><abbr title="Personal number.">PIN</abbr> first</li>\n<li>no term</li>\n</ul>')


def test_glossary_marking_matches_the_stock_abbr_walk():
    """The fast treeprocessor marks exactly what Markdown's own `abbr` walk marks (Latin terms)."""
    import markdown

    text = ("The IBAN and PIN (not PINs) of a direct debit.\n\n| PIN | x |\n|---|---|\n| a PIN, IBAN | "
            "**PIN** |\n\n> IBAN quoted, *PIN* [PIN](x.md) PIN\n\n*[x]: unused")
    defs = "\n*[PIN]: Personal number.\n*[IBAN]: Account number.\n*[direct debit]: A pull payment."
    stock = markdown.Markdown(extensions=["abbr", "tables"]).convert(text + defs)
    ours = markdown.Markdown(extensions=["helpgen.site.abbr", "tables"]).convert(text + defs)
    assert ours == stock and ours.count("<abbr") == 12  # x in the table header too


def test_nav_splits_folders_of_more_than_forty_into_sections_of_at_most_25(make_kb):
    from helpgen.site.mkdocs_config import NAV_CHUNK, nav

    files = {f"articles/cards/a{i:03d}.md": f"---\ntitle: Card topic {i:03d} explained\nlevel: beginner\n"
             f"stage: using\n---\nText.\n" for i in range(85)}
    files.update({f"articles/fees/f{i}.md": f"---\ntitle: Fee {i}\nlevel: beginner\nstage: using\n---\nText.\n"
                  for i in range(3)})
    items = nav(View(load(make_kb(files)), "en"))
    cards = next(i["Cards"] for i in items if isinstance(i, dict) and "Cards" in i)
    sizes = [len(next(iter(group.values()))) for group in cards]
    assert NAV_CHUNK == 40 and sizes == [22, 22, 22, 19]
    assert list(cards[0]) == ["Card topic 000… – Card topic 021…"]
    assert [p for g in cards for p in next(iter(g.values()))] == [f"cards/a{i:03d}.md" for i in range(85)]
    assert next(i["Fees"] for i in items if isinstance(i, dict) and "Fees" in i) == [
        "fees/f0.md", "fees/f1.md", "fees/f2.md"]
