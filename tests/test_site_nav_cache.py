"""The navigation markup reused from page to page (helpgen.site.nav_cache) gives the same site, byte
for byte, as Material's own partials/nav-item.html rendering every item on every page."""
from __future__ import annotations

import functools
import shutil

import pytest

from helpgen.kb.problems import open_kb
from helpgen.site import build as site_build
from helpgen.site import mkdocs_config
from helpgen.site.build import build_site
from helpgen.site.nav_cache import NavCache, page_dir_parts, url_parts
from test_site_kb import SMALL_KB
from test_site_live import tree

ARTICLE = "---\ntitle: {title}\nlevel: {level}\nsummary: About {title}.\n---\n{body}\n\n## More\n\nText.\n"


def nav_kb(extra_yml: str = "") -> dict[str, str]:
    """Nested folders, a folder split into nav sub-sections, and an article whose URL is the start of
    other articles' URLs (guides/setup/ and guides/setup/advanced/)."""
    files = dict(SMALL_KB)
    files["helpgen.yml"] = SMALL_KB["helpgen.yml"] + extra_yml
    for n in range(7):
        files[f"articles/billing/bill-{n}.md"] = ARTICLE.format(title=f"Bill topic {n}", level="beginner",
                                                                 body=f"Bill text {n}.")
    files["articles/guides/setup.md"] = ARTICLE.format(title="Set up", level="beginner", body="Start here.")
    files["articles/guides/intro.md"] = ARTICLE.format(title="Introduction", level="beginner", body="Read me.")
    for name in ("advanced", "expert"):
        files[f"articles/guides/setup/{name}.md"] = ARTICLE.format(title=f"Set up, {name}", level="advanced",
                                                                   body=f"The {name} way.")
    files["articles/guides/deep/deeper/leaf.md"] = ARTICLE.format(title="Leaf", level="advanced", body="Deep.")
    return files


@pytest.fixture
def small_chunks(monkeypatch):
    """Folders of more than 3 articles become nav sub-sections of 2 (so a small KB has nested sections)."""
    monkeypatch.setattr(mkdocs_config, "chunked", functools.partial(mkdocs_config.chunked, limit=3, size=2))


def material_nav(tmp_path, monkeypatch):
    """Build without helpgen's partials/nav-item.html: Material's own renders every item every time."""
    template = tmp_path / "template"
    shutil.copytree(mkdocs_config.template_dir(), template)
    (template / "overrides" / "partials" / "nav-item.html").unlink()
    monkeypatch.setattr(site_build, "template_dir", lambda: template)


def reuse_counter(monkeypatch) -> list[NavCache]:
    caches: list[NavCache] = []
    real = NavCache.on_env

    def on_env(self, env, *, config, files):
        caches.append(self)
        return real(self, env, config=config, files=files)

    monkeypatch.setattr(NavCache, "on_env", on_env)
    return caches


@pytest.mark.slow
@pytest.mark.parametrize("extra_yml", [
    "",
    "offline: true\n",  # page.html URLs: links start from the page's folder
    # sections and tabs: whether an item's parent is active changes its markup
    "mkdocs:\n  theme:\n    features: [navigation.prune, navigation.tabs, navigation.sections, navigation.indexes]\n",
], ids=["folders", "offline", "tabs-sections"])
def test_reused_navigation_markup_gives_materials_site(make_kb, tmp_path, monkeypatch, small_chunks, extra_yml):
    kb = open_kb(make_kb(nav_kb(extra_yml)))
    caches = reuse_counter(monkeypatch)
    reused = build_site(kb, tmp_path / "reused", workers=1)
    assert caches and sum(c.hits for c in caches) > len(kb.published)  # most items came from the cache
    with monkeypatch.context() as m:
        material_nav(tmp_path, m)
        material = build_site(kb, tmp_path / "material", workers=1)
    assert tree(reused.output) == tree(material.output)
    assert reused.warnings == material.warnings


@pytest.mark.slow
def test_a_bilingual_site_with_reused_navigation_is_materials(make_kb, tmp_path, monkeypatch):
    from test_site_i18n import FILES

    kb = open_kb(make_kb(FILES))
    reused = build_site(kb, tmp_path / "reused", workers=1)
    material_nav(tmp_path, monkeypatch)
    assert tree(build_site(kb, tmp_path / "material", workers=1).output) == tree(reused.output)


def test_url_parts_follow_mkdocs_relative_links():
    from mkdocs.utils import get_relative_url

    assert url_parts("a/b/") == ("a", "b") and url_parts("") == () and url_parts("a/../b") == ("b",)
    assert page_dir_parts("a/b.html") == ("a",) and page_dir_parts("a/b/") == ("a", "b")
    # two pages in one folder link to an item the same way unless the item lies under one of them
    assert get_relative_url("c/d/", "a/x/") == get_relative_url("c/d/", "a/y/")
    assert get_relative_url("a/x/z/", "a/x/") != get_relative_url("a/x/z/", "a/y/")


def test_an_item_under_the_page_is_keyed_by_the_page_itself():
    from types import SimpleNamespace as Item

    cache = NavCache()
    cache.on = True
    inner = Item(active=False, children=None, url="a/x/z/")
    other = Item(active=False, children=None, url="c/d/")
    x, y = Item(url="a/x/"), Item(url="a/y/")
    assert cache.key(x, other, "__nav_1", 1, None) == cache.key(y, other, "__nav_1", 1, None)
    assert cache.key(x, inner, "__nav_2", 1, None) != cache.key(y, inner, "__nav_2", 1, None)
    assert cache.key(x, Item(active=True, children=None, url="a/x/"), "__nav_3", 1, None) is None
    cache.on_post_build(config=None)  # `helpgen serve` re-renders pages later: nothing is reused then
    assert cache.key(x, other, "__nav_1", 1, None) is None

