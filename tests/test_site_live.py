"""Incremental rebuilds of the live preview give the same folder as a fresh `helpgen build`."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from helpgen.errors import ContentError
from helpgen.kb.problems import open_kb
from helpgen.site.build import MARKER, build_site
from helpgen.site.live import LiveSite
from test_site_kb import SMALL_KB

pytestmark = pytest.mark.slow

TRACK = "articles/cards/track-your-card.md"
DECLINED = "articles/troubleshooting/card-declined.md"
_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, with the sitemap's build dates blanked (the only timestamps)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if not path.is_file() or rel == MARKER:
            continue
        data = path.read_bytes()
        if rel.endswith("sitemap.xml.gz"):
            data = gzip.decompress(data)
        if "sitemap.xml" in rel:
            data = _LASTMOD.sub(b"<lastmod/>", data)
        out[rel] = data
    return out


def assert_same_as_fresh_build(live: LiveSite, root: Path, tmp_path: Path) -> None:
    fresh = build_site(open_kb(root), tmp_path / "fresh").output
    served, built = tree(live.site_dir), tree(fresh)
    assert sorted(served) == sorted(built)
    differ = [rel for rel in built if served[rel] != built[rel]]
    assert differ == []


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def live(make_kb, tmp_path):
    site = LiveSite(make_kb(SMALL_KB), tmp_path / "served")
    site.build()
    yield site
    site.close()


def test_a_body_edit_re_renders_only_that_article(live, tmp_path):
    assert [s.index is not None for s in live.sessions.values()] == [True]  # the index is patched, not rebuilt
    edit(live.root, TRACK, "ships in two days", "ships tomorrow")
    update = live.update()
    assert (update.kind, update.pages) == ("incremental", ["cards/track-your-card.md"])
    assert "ships tomorrow" in (live.site_dir / "cards/track-your-card/index.html").read_text(encoding="utf-8")
    assert "ships tomorrow" in (live.site_dir / "search/search_index.json").read_text(encoding="utf-8")
    assert_same_as_fresh_build(live, live.root, tmp_path)


def test_a_new_section_moves_the_search_entries_of_later_pages(live, tmp_path):
    edit(live.root, "articles/cards/limits.md", "## Monthly limits", "## Weekly limits\n\nUp to 2000.\n\n## Monthly limits")
    assert live.update().kind == "incremental"
    edit(live.root, TRACK, "ships in two days", "ships in three days")
    assert live.update().kind == "incremental"
    assert_same_as_fresh_build(live, live.root, tmp_path)


def test_a_summary_and_error_code_edit_re_renders_the_pages_that_list_them(live, tmp_path):
    edit(live.root, DECLINED, "Why a payment fails and how to fix it.", "Why a payment fails, and the fix.")
    edit(live.root, DECLINED, "E1023", "E1024")
    update = live.update()
    assert update.kind == "incremental"
    assert {"troubleshooting/card-declined.md", "error-codes.md", "troubleshooting-index.md"} <= set(update.pages)
    assert "cards/limits.md" not in update.pages
    assert "E1024" in (live.site_dir / "errors.json").read_text(encoding="utf-8")
    assert_same_as_fresh_build(live, live.root, tmp_path)


@pytest.mark.parametrize("old,new", [("title: Track your card", "title: Follow your card"),
                                     ("order: 2", "order: 0"),
                                     ("stage: [onboarding, using]", "stage: using")])
def test_a_structural_edit_rebuilds_everything(live, tmp_path, old, new):
    edit(live.root, TRACK, old, new)
    assert live.update().kind == "full"
    assert_same_as_fresh_build(live, live.root, tmp_path)


def test_a_new_article_rebuilds_everything(live, tmp_path):
    (live.root / "articles/cards/freeze.md").write_text(
        "---\ntitle: Freeze your card\nlevel: beginner\nstage: using\n---\nTap Freeze.\n", encoding="utf-8")
    assert live.update().kind == "full"
    assert (live.site_dir / "cards/freeze/index.html").is_file()
    assert_same_as_fresh_build(live, live.root, tmp_path)


def test_nothing_changed_renders_nothing(live):
    assert live.update().kind == "none"


def test_a_broken_edit_raises_its_line_and_keeps_the_last_good_site(live, tmp_path):
    page = live.site_dir / "cards/track-your-card/index.html"
    before = page.read_bytes()
    edit(live.root, TRACK, "level: beginner", "level: expert")
    with pytest.raises(ContentError) as caught:
        live.update()
    assert caught.value.format_message().startswith(f"{TRACK}:3: error: invalid level `expert`, use one of: ")
    assert page.read_bytes() == before
    edit(live.root, TRACK, "level: expert", "level: beginner")
    edit(live.root, TRACK, "ships in two days", "ships soon")
    assert live.update().kind == "incremental"
    assert_same_as_fresh_build(live, live.root, tmp_path)


def test_a_body_edit_with_pagefind_marks_the_page_and_indexes_again(make_kb, tmp_path):
    pytest.importorskip("pagefind", reason="the pagefind[extended] package is not installed")
    root = make_kb({**SMALL_KB, "helpgen.yml": SMALL_KB["helpgen.yml"] + "search: pagefind\n"})
    live = LiveSite(root, tmp_path / "served")
    try:
        live.build()
        edit(root, TRACK, "ships in two days", "ships tomorrow")
        update = live.update()
        assert (update.kind, update.pages) == ("incremental", ["cards/track-your-card.md"])
        edit(root, "articles/cards/limits.md", "Limits protect you.", "Limits keep you safe.")
        assert live.update().kind == "incremental"  # stops the first edit's Pagefind run, starts another
        live.wait()  # the Pagefind bundle is written in the background
        page = (live.site_dir / "cards/track-your-card/index.html").read_text(encoding="utf-8")
        assert page.count("data-pagefind-body") == 1
        assert_same_as_fresh_build(live, root, tmp_path)
    finally:
        live.close()


def test_an_error_code_claimed_twice_is_an_error_of_the_quick_path_too(live):
    edit(live.root, "articles/cards/limits.md", "summary: Daily and monthly card limits.",
         "summary: Daily and monthly card limits.\nerror_codes: [E1023]")
    with pytest.raises(ContentError) as caught:
        live.update()
    with pytest.raises(ContentError) as full:
        open_kb(live.root)  # what a full load says
    assert caught.value.format_message() == full.value.format_message()
    assert caught.value.format_message().startswith(
        "articles/troubleshooting/card-declined.md:6: error: error code `E1023` is already claimed by articles/cards/limits.md")


def test_edits_in_a_bilingual_kb_update_both_languages(make_kb, tmp_path):
    from test_site_i18n import FILES

    root = make_kb(FILES)
    live = LiveSite(root, tmp_path / "served")
    try:
        live.build()
        assert sorted(live.sessions) == ["en", "zh"] and all(s.index is not None for s in live.sessions.values())
        edit(root, "articles/cards/pin.md", "The PIN is in the app.", "The PIN is under Settings.")
        update = live.update()  # the English article, and its fallback page in Chinese
        assert (update.kind, sorted(update.pages)) == ("incremental", ["cards/pin.md", "zh/cards/pin.md"])
        edit(root, "articles/cards/track.zh.md", "卡片三天内送达。", "卡片两天内送达。")
        assert live.update().pages == ["zh/cards/track.md"]
        assert_same_as_fresh_build(live, root, tmp_path)
    finally:
        live.close()
