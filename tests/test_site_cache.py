"""The render cache: the same site with and without it, safe to delete, and really used."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.kb.problems import open_kb
from helpgen.site.build import build_site
from helpgen.site.cache import cache_dir
from test_site_kb import SMALL_KB
from test_site_live import tree

pytestmark = pytest.mark.slow


def test_cached_builds_equal_uncached_ones_and_the_cache_is_safe_to_delete(make_kb, tmp_path):
    broken = {"articles/cards/limits.md": SMALL_KB["articles/cards/limits.md"] + "\nSee [fees](fees.md).\n"}
    kb = open_kb(make_kb({**SMALL_KB, **broken}))
    plain = build_site(kb, tmp_path / "plain")
    assert any("fees.md" in w.message for w in plain.warnings)  # a warning MkDocs gives while rendering
    assert not cache_dir(kb.root).exists()  # the library default: no cache
    cold = build_site(kb, tmp_path / "cold", cache=True)
    entries = sorted(cache_dir(kb.root).rglob("*.json"))
    assert entries  # one per page
    warm = build_site(kb, tmp_path / "warm", cache=True)
    assert sorted(cache_dir(kb.root).rglob("*.json")) == entries  # nothing new: every page was found
    expected = tree(plain.output)
    assert tree(cold.output) == expected and tree(warm.output) == expected
    assert plain.warnings == cold.warnings == warm.warnings  # render warnings come back from the cache
    for entry in entries:  # a damaged cache is rendered again, not trusted
        entry.write_text("{not json", encoding="utf-8")
    assert tree(build_site(kb, tmp_path / "damaged", cache=True).output) == expected
    import shutil

    shutil.rmtree(cache_dir(kb.root))
    assert tree(build_site(kb, tmp_path / "deleted", cache=True).output) == expected


def rewrite(folder, old: str, new: str) -> None:
    """Replace `old` by `new` in every JSON file of the cache `folder`."""
    for entry in folder.rglob("*.json"):
        text = entry.read_text(encoding="utf-8")
        if old in text:
            entry.write_text(text.replace(old, new), encoding="utf-8")


def test_the_cache_is_read(make_kb, tmp_path):
    kb = open_kb(make_kb(SMALL_KB))
    build_site(kb, tmp_path / "cold", cache=True)
    rewrite(cache_dir(kb.root), "ships in two days", "ships by zeppelin")  # only the cache could put this on the site
    out = build_site(kb, tmp_path / "warm", cache=True).output
    assert "ships by zeppelin" in (out / "cards/track-your-card/index.html").read_text(encoding="utf-8")
    assert "ships by zeppelin" in (out / "search/search_index.json").read_text(encoding="utf-8")
    rewrite(cache_dir(kb.root) / "search", "ships by zeppelin", "ships by airship")  # the search entries alone
    out = build_site(kb, tmp_path / "again", cache=True).output
    assert "ships by zeppelin" in (out / "cards/track-your-card/index.html").read_text(encoding="utf-8")
    assert "ships by airship" in (out / "search/search_index.json").read_text(encoding="utf-8")


def test_build_uses_the_cache_unless_told_not_to(make_kb, tmp_path):
    root = make_kb(SMALL_KB)
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "a"), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not cache_dir(root).exists()
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert any(cache_dir(root).rglob("*.json"))
    assert (cache_dir(root) / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"  # kept out of git
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_search_fields_are_kept_between_builds_and_made_again_when_their_article_changes(make_kb, tmp_path):
    files = dict(SMALL_KB)
    root = make_kb(files)
    build_site(open_kb(root), tmp_path / "cold", cache=True)
    stored = cache_dir(root) / "search-fields.json"
    text = stored.read_text(encoding="utf-8")
    assert "where is my card" in text  # an article's questions, as the search index gets them
    stored.write_text(text.replace("where is my card", "where is my zeppelin"), encoding="utf-8")
    out = build_site(open_kb(root), tmp_path / "warm", cache=True).output
    assert "where is my zeppelin" in (out / "search/search_index.json").read_text(encoding="utf-8")  # read back
    track = root / "articles/cards/track-your-card.md"
    track.write_text(track.read_text(encoding="utf-8").replace("ships in two days", "ships in three days"),
                     encoding="utf-8")
    out = build_site(open_kb(root), tmp_path / "edited", cache=True).output
    index = (out / "search/search_index.json").read_text(encoding="utf-8")
    assert "where is my zeppelin" not in index and "where is my card" in index  # its body changed: made again
    assert "zeppelin" not in stored.read_text(encoding="utf-8")  # the stale entry is not kept
    stored.write_text("{not json", encoding="utf-8")  # damaged: made again
    assert tree(build_site(open_kb(root), tmp_path / "damaged", cache=True).output) == tree(out)
    assert tree(build_site(open_kb(root), tmp_path / "none").output) == tree(out)
