"""Real MkDocs builds of small fixture KBs: pages, catalogue files, links, safety of the output folder."""
from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpgen.errors import BuildError, UnsafeOutputError
from helpgen.site.build import MARKER, build_site
from test_site_kb import SMALL_KB, load

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small KB built once for the read-only tests of this module."""
    root = tmp_path_factory.mktemp("kb") / "small"
    for rel, content in SMALL_KB.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    kb = load(root)
    out = tmp_path_factory.mktemp("out") / "site"
    return kb, build_site(kb, out)


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_pages_and_catalogue_files_exist(built):
    kb, result = built
    site = result.output
    for rel in ["index.html", "404.html", "sitemap.xml", "feed.xml", "articles.json", "errors.json", MARKER,
                "cards/track-your-card/index.html", "starter-handbook/index.html", "advanced-guide/index.html",
                "troubleshooting-index/index.html", "error-codes/index.html", "glossary/index.html",
                "whats-new/index.html", "unsorted/index.html", "stages/onboarding/index.html",
                "levels/troubleshooting/index.html", "legacy/old-page/index.html"]:
        assert (site / rel).is_file(), rel
    assert result.pages == len(list(site.rglob("*.html")))
    assert (site / "assets/logo.png").read_bytes() == SMALL_KB["assets/logo.png"]


def test_drafts_tickets_and_sources_are_not_published(built):
    _, result = built
    site = result.output
    assert not (site / "cards/secret-draft").exists()
    assert not list(site.rglob("tickets*")) and not list(site.rglob("*.csv"))
    assert "Secret draft" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "Secret draft" not in read(site, "search/search_index.json")


def test_articles_json_and_errors_json_point_at_real_pages(built):
    _, result = built
    site = result.output
    records = json.loads(read(site, "articles.json"))
    assert len(records) == 6 and {r["id"] for r in records} >= {"cards/track-your-card", "legacy/old-page"}
    for record in records:
        assert (site / record["url"] / "index.html").is_file()
        assert f"<title>{record['title']}" in read(site, record["url"] + "index.html")
    errors = json.loads(read(site, "errors.json"))
    assert errors["E1023"] == {"url": "troubleshooting/card-declined/", "title": "My card payment was declined",
                               "id": "troubleshooting/card-declined",
                               "summary": "Why a payment fails and how to fix it."}


def test_article_page_has_badges_related_feedback_contact_and_tooltips(built):
    _, result = built
    page = read(result.output, "getting-started/welcome/index.html")
    assert 'class="hg-badge hg-badge--level" href="../../levels/beginner/">Beginner</a>' in page
    assert 'href="../../stages/onboarding/">Getting started</a>' in page
    assert '<time datetime="2026-01-05">2026-01-05</time>' in page
    assert '<a href="../../cards/track-your-card/">Track your card</a>' in page  # related
    assert "r=yes" in page and "page=getting-started%2Fwelcome" in page  # Was this helpful?
    assert "Still need help?" in page and "one working day" in page
    assert '<abbr title="Personal identification number, the 4-digit code for your card.">PIN</abbr>' in page
    track = read(result.output, "cards/track-your-card/index.html")
    assert '<abbr title="Our parcel tracking partner.">zebracorn</abbr>' in track


def test_home_page_search_box_journey_and_contact(built):
    _, result = built
    whole = read(result.output, "index.html")
    assert 'class="md-search__input"' in whole  # Material's own search box is still there
    home = whole[whole.index('<article class="md-content__inner'):]
    assert home.index('class="hg-hero__input"') < home.index("Start here") < home.index("Your journey")
    assert home.index("Your journey") < home.index("Something not working?") < home.index("Virtual cards")
    assert "(2 articles)" in home and "Still need help?" in home and "one working day" in home


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def local_links(site: Path) -> list[tuple[str, str]]:
    found = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(page.relative_to(site).as_posix(), url) for url in parser.urls]
    return found


def test_every_link_is_relative_and_resolves_under_a_sub_path(built):
    _, result = built
    site, broken = result.output, []
    for page, url in local_links(site):
        parts = urlsplit(url)
        if parts.scheme or url.startswith(("#", "mailto:")):
            continue
        if page == "404.html":  # served at any depth, so MkDocs links it from the site_url path
            assert url.startswith("/help/"), url
            target = parts.path[len("/help/"):]
        else:
            assert not url.startswith("/"), f"{page}: root-absolute link {url} breaks under a sub-path"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
        path = site / target
        if not (path.is_file() or (path / "index.html").is_file()):
            broken.append((page, url))
    assert broken == []
    sitemap = read(site, "sitemap.xml")
    assert "<loc>https://example.org/help/cards/track-your-card/</loc>" in sitemap
    assert '<link rel="canonical" href="https://example.org/help/cards/track-your-card/">' in read(
        site, "cards/track-your-card/index.html")


def test_refuses_a_folder_it_did_not_make(make_kb, tmp_path):
    kb = load(make_kb(SMALL_KB))
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(UnsafeOutputError) as info:
        build_site(kb, out)
    assert info.value.format_message() == (
        f"{out}: error: refusing to replace {out}: it is not empty and has no .helpgen-site marker, "
        "so helpgen did not create it; choose an empty or new folder")
    assert [p.name for p in out.iterdir()] == ["thesis.txt"]
    with pytest.raises(UnsafeOutputError):
        build_site(kb, kb.root)


def test_failed_build_leaves_the_old_site_untouched(make_kb, tmp_path):
    files = dict(SMALL_KB)
    kb = load(make_kb(files))
    out = tmp_path / "site"
    build_site(kb, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = load(make_kb({**files, "overrides/main.html": "{% extends 'base.html' %}{% block content %}{% if %}"}))
    with pytest.raises(BuildError) as info:
        build_site(broken, out)
    assert "mkdocs could not build the site: TemplateSyntaxError" in info.value.format_message()
    assert info.value.format_message().startswith("overrides/main.html:1: error: ")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb1", "kb2", "site"]  # no temporary folders left


def test_rebuild_replaces_a_helpgen_site_and_removes_stale_pages(make_kb, tmp_path):
    out = tmp_path / "site"
    build_site(load(make_kb(SMALL_KB)), out)
    smaller = {k: v for k, v in SMALL_KB.items() if k != "articles/account/plans.md"}
    build_site(load(make_kb(smaller)), out)
    assert not (out / "account/plans").exists() and (out / MARKER).is_file()


def test_kb_overrides_win_and_mkdocs_settings_pass_through(make_kb, tmp_path):
    files = {**SMALL_KB,
             "overrides/partials/hg-contact.html": '<p class="custom-contact">Call us any time</p>\n',
             "helpgen.yml": SMALL_KB["helpgen.yml"] + "mkdocs:\n  copyright: Copyright Acme 2026\n"}
    result = build_site(load(make_kb(files)), tmp_path / "site")
    page = read(result.output, "cards/track-your-card/index.html")
    assert '<p class="custom-contact">Call us any time</p>' in page and "Still need help?" not in page
    assert "Copyright Acme 2026" in page


def script_names(page: str) -> list[str]:
    return [src.rsplit("/", 1)[-1] for src in re.findall(r'<script src="([^"]+)"', page)]


def test_search_scripts_load_before_materials_bundle(built):
    _, result = built
    for rel in ("index.html", "cards/track-your-card/index.html"):
        page = read(result.output, rel)
        names = script_names(page)
        bundle = next(i for i, name in enumerate(names) if name.startswith("bundle."))
        assert names.count("helpgen-search.js") == 1 and names.index("helpgen-search.js") < bundle, names
        src = next(s for s in re.findall(r'<script src="([^"]+)"', page) if s.endswith("helpgen-search.js"))
        assert (result.output / rel).parent.joinpath(src).resolve().is_file()


def test_a_kbs_own_main_html_still_gets_the_search_scripts(make_kb, tmp_path):
    files = {**SMALL_KB, "overrides/main.html": '{% extends "base.html" %}\n'}
    result = build_site(load(make_kb(files)), tmp_path / "site")
    names = script_names(read(result.output, "cards/track-your-card/index.html"))
    assert names.count("helpgen-search.js") == 1  # as extra_javascript, after the bundle
    assert names.index("helpgen-search.js") > next(i for i, n in enumerate(names) if n.startswith("bundle."))


def test_mkdocs_warnings_are_returned_with_the_article_line(make_kb, tmp_path):
    files = {**SMALL_KB, "articles/cards/broken.md": "---\ntitle: Broken\nlevel: beginner\nstage: using\n---\n"
             "Intro.\n\nSee [the missing page](missing.md).\n"}
    result = build_site(load(make_kb(files)), tmp_path / "site")
    assert [str(w) for w in result.warnings] == [
        "articles/cards/broken.md:8: warning: mkdocs: Doc file 'cards/broken.md' contains a link 'missing.md', "
        "but the target 'cards/missing.md' is not found among documentation files."]


def test_strict_build_fails_on_mkdocs_warnings_and_keeps_nothing(make_kb, tmp_path):
    files = {**SMALL_KB, "articles/cards/broken.md": "---\ntitle: Broken\nlevel: beginner\nstage: using\n---\n"
             "See [the missing page](missing.md).\n"}
    with pytest.raises(BuildError) as info:
        build_site(load(make_kb(files)), tmp_path / "site", strict=True)
    assert info.value.format_message() == (
        "articles/cards/broken.md:6: error: 1 mkdocs warning(s) with --strict; the first: mkdocs: Doc file "
        "'cards/broken.md' contains a link 'missing.md', but the target 'cards/missing.md' is not found "
        "among documentation files.")
    assert not (tmp_path / "site").exists()


def test_article_id_clashing_with_a_generated_page_is_an_error(make_kb, tmp_path):
    files = {**SMALL_KB, "articles/glossary.md": "---\ntitle: G\nlevel: beginner\nstage: using\n---\nx\n"}
    with pytest.raises(BuildError) as info:
        build_site(load(make_kb(files)), tmp_path / "site")
    assert info.value.format_message().startswith("articles/glossary.md:1: error: article id 'glossary' clashes")
    assert not (tmp_path / "site").exists()


def test_two_builds_are_byte_identical(make_kb, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    kb = load(make_kb(SMALL_KB))
    a, b = build_site(kb, tmp_path / "a").output, build_site(kb, tmp_path / "b").output
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert [f for f in files_a if (a / f).read_bytes() != (b / f).read_bytes()] == []


def test_chinese_site_has_chinese_interface_and_search_separator(make_kb, tmp_path, capfd):
    files = {"helpgen.yml": "name: 帮助中心\nlanguage: zh\n",
             "articles/cards/card-arrival.md": "---\ntitle: 我的卡还没到\nlevel: beginner\nstage: onboarding\n---\n"
             "卡片通常在五个工作日内寄到。\n"}
    capfd.readouterr()
    site = build_site(load(make_kb(files)), tmp_path / "site").output
    assert capfd.readouterr() == ("", "")  # library code never prints (jieba would, unless silenced)
    home = read(site, "index.html")
    assert '<html lang="zh"' in home and "有什么可以帮您？" in home and 'placeholder="搜索"' in home
    config = json.loads(read(site, "search/search_index.json"))["config"]
    assert "\\u200b" in config["separator"] or "\u200b" in config["separator"]


OUTSIDE = re.compile(r"https?://(?!www\.w3\.org/)[^\s\"'<>)]+")


def test_offline_build_loads_nothing_from_outside_hosts(make_kb, tmp_path):
    files = {**SMALL_KB, "helpgen.yml": "name: Acme Help\noffline: true\nsupport:\n  email: help@acme.example\n"}
    site = build_site(load(make_kb(files)), tmp_path / "site").output
    assert (site / "cards/track-your-card.html").is_file() and (site / "search/search_index.js").is_file()
    offenders = {p.relative_to(site).as_posix(): OUTSIDE.findall(p.read_text(encoding="utf-8"))
                 for p in sorted(site.rglob("*.html"))}
    assert {k: v for k, v in offenders.items() if v} == {}
    # helpgen's own scripts and the inlined index (Material's bundle only names hosts in code paths that
    # old browsers take; tests/e2e/test_smoke.py checks the real requests of the offline site in chromium)
    helpgen_js = sorted((site / "assets/helpgen").rglob("*.js")) + [site / "search/search_index.js"]
    assert {p.name: OUTSIDE.findall(p.read_text(encoding="utf-8")) for p in helpgen_js
            if OUTSIDE.findall(p.read_text(encoding="utf-8"))} == {}
    records = json.loads(read(site, "articles.json"))
    assert {r["url"] for r in records} >= {"cards/track-your-card.html"}
    assert 'src="assets/helpgen/iframe-worker.js"' in read(site, "index.html")


def test_insights_are_published_only_when_asked(make_kb, tmp_path):
    kb = load(make_kb({**SMALL_KB, ".helpgen/coverage/index.html": "<h1>Coverage</h1>\n"}))
    plain = build_site(kb, tmp_path / "plain").output
    assert not (plain / "insights").exists() and "Coverage" not in read(plain, "sitemap.xml")
    with_insights = build_site(kb, tmp_path / "private", include_insights=True).output
    assert read(with_insights, "insights/index.html") == "<h1>Coverage</h1>\n"
    with pytest.raises(BuildError) as info:
        build_site(kb, tmp_path / "x", include_insights=True, insights_dir=tmp_path / "none")
    assert "run `helpgen coverage` first" in info.value.format_message()
