"""A bilingual KB builds one site per language; untranslated articles fall back with a visible note."""
from __future__ import annotations

import json

from helpgen.kb.load import load_kb
from helpgen.site.build import build_site

ARTICLE = """---
title: {title}
level: beginner
stage: onboarding
summary: {summary}
updated: 2026-01-05
---

{body}
"""

FILES = {
    "helpgen.yml": "name: Acme\nlanguage: en\nlanguages: [en, zh]\n",
    "articles/cards/track.md": ARTICLE.format(title="Track your card", summary="Where it is.", body="Cards arrive in 3 days."),
    "articles/cards/track.zh.md": ARTICLE.format(title="查询卡片配送", summary="卡片在哪里。", body="卡片三天内送达。"),
    "articles/cards/pin.md": ARTICLE.format(title="Get your PIN", summary="Where the PIN is.", body="The PIN is in the app."),
}


def test_untranslated_article_falls_back_with_a_note(make_kb, tmp_path):
    kb, problems = load_kb(make_kb(FILES))
    assert not [p for p in problems if p.severity == "error"]
    out = build_site(kb, tmp_path / "site").output

    fallback = (out / "zh" / "cards" / "pin" / "index.html").read_text(encoding="utf-8")
    translated = (out / "zh" / "cards" / "track" / "index.html").read_text(encoding="utf-8")
    english = (out / "cards" / "pin" / "index.html").read_text(encoding="utf-8")
    assert "本文暂无译文" in fallback and "The PIN is in the app." in fallback
    assert "本文暂无译文" not in translated and "卡片三天内送达" in translated
    assert "not translated" not in english

    entries = json.loads((out / "articles.json").read_text(encoding="utf-8"))
    zh = {e["id"]: e for e in entries if e["lang"] == "zh"}
    assert zh["cards/track"]["title"] == "查询卡片配送" and zh["cards/track"]["url"] == "zh/cards/track/"
