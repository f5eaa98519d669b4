"""What the help centre promises and warns, in chromium: the support page, notice banners, the
in-product widget (with the keyboard alone), discussion only after consent, and a Chinese home page
in Chinese."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO

pytestmark = pytest.mark.e2e


def test_support_page_lists_channels_and_the_footer_links_it(page, sample_site, serve_site):
    base = serve_site(sample_site)
    page.goto(base)
    page.click(".hg-footer a >> text=Contact support")
    page.wait_for_url(base + "support/")
    for name in ["Chat in the app", "Email", "Community", "What we can help with", "Before you write"]:
        assert page.get_by_role("heading", name=name).is_visible(), name
    assert page.locator("text=Reply within: 30 minutes").is_visible()
    assert page.outside_requests == []


def test_active_notice_is_a_banner_above_search_and_on_affected_articles(page, sample_site, serve_site):
    base = serve_site(sample_site)
    page.goto(base)
    banner, search = page.locator(".hg-notice").first, page.locator(".hg-hero__input")
    assert banner.is_visible() and "Some card payments abroad are declined" in banner.inner_text()
    assert banner.bounding_box()["y"] + banner.bounding_box()["height"] <= search.bounding_box()["y"]
    page.goto(base + "troubleshooting/declined-card-payment/")
    assert page.locator(".hg-notice").is_visible()
    page.goto(base + "transfers/cancel-a-transfer/")
    assert page.locator(".hg-notice").count() == 0  # its notice has ended
    page.goto(base + "known-issues/")
    assert page.get_by_role("heading", name="Resolved").is_visible()
    assert page.get_by_role("heading", name="Bank transfers took up to a day").is_visible()


def test_widget_demo_explains_suggests_and_lists_notices_with_the_keyboard_alone(page, sample_site, serve_site):
    base = serve_site(sample_site)
    page.goto(base + "widget-demo.html")
    page.wait_for_function("window.helpgen && document.querySelector('#hg-demo-suggestions li')")
    for _ in range(30):  # Tab to the error button, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "hg-demo-explain":
            break
    assert page.evaluate("document.activeElement.id") == "hg-demo-explain"
    code = page.get_attribute("#hg-demo-explain", "data-helpgen-error")
    expected = json.loads((sample_site / "errors.json").read_text(encoding="utf-8"))[code]
    assert page.get_attribute("#hg-demo-explain", "title") == f"{expected['title']} \u2014 {expected['summary']}"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert f"{code}: {expected['title']}" in dialog.inner_text() and expected["summary"] in dialog.inner_text()
    assert page.evaluate("document.activeElement.closest('[role=dialog]') !== null")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('[role=dialog]') !== null")  # focus stays inside
    page.keyboard.press("Escape")
    assert dialog.count() == 0 and page.evaluate("document.activeElement.id") == "hg-demo-explain"
    found = page.evaluate("helpgen.suggest('where has my pocket card got to')")
    assert len(found) == 3 and found[0]["id"] == "cards/track-your-card"
    assert found[0]["url"] == base + "cards/track-your-card/"
    info = page.evaluate("helpgen.explain('P-1301').then(i => { helpgen.close(); return i; })")
    assert info["url"] == base + "troubleshooting/declined-card-payment/" and info["fix"]
    assert [n["id"] for n in page.evaluate("helpgen.notices()")] == ["2026-11-card-payments-abroad"]
    assert [n["id"] for n in page.evaluate("helpgen.notices('cards')")] == ["2026-11-card-payments-abroad"]
    assert page.evaluate("helpgen.notices('transfers')") == []
    assert page.outside_requests == []


def test_widget_on_a_product_page_elsewhere_finds_the_site_from_data_site(page, sample_site, serve_site):
    """A product page on another path, with its own copy of the script: `data-site` says where the help is."""
    base = serve_site(sample_site)
    product = sample_site / "_product-test" / "app"
    product.mkdir(parents=True, exist_ok=True)
    (product / "widget.js").write_bytes((sample_site / "assets" / "helpgen-widget.js").read_bytes())
    (product / "index.html").write_text(
        '<!doctype html><p><span id="err" data-helpgen-error="P-1301">Payment failed</span></p>'
        '<script src="widget.js" data-site="/"></script>', encoding="utf-8")
    page.goto(base + "_product-test/app/")
    page.wait_for_function("document.getElementById('err').title !== ''")
    page.focus("#err")
    page.keyboard.press("Enter")
    assert "P-1301: Declined card payment" in page.get_by_role("dialog").inner_text()


def test_discussion_makes_no_request_to_another_host_before_consent(page, kb_site, serve_site, tmp_path):
    site = kb_site({
        "helpgen.yml": "discussion:\n  provider: giscus\n  repo: acme/help\n  repo_id: R_1\n  category: Q&A\n"
                       "  category_id: C_1\n",
        "articles/a.md": "---\ntitle: Reset your password\nlevel: beginner\nstage: onboarding\n---\n\nSteps.\n",
    }, tmp_path)
    page.goto(serve_site(site) + "a/")
    page.wait_for_load_state("networkidle")
    assert page.outside_requests == []
    button = page.get_by_role("button", name="Show discussion")
    assert button.is_visible() and "giscus.app" in page.locator(".hg-discussion__note").inner_text()
    button.click()
    page.wait_for_timeout(500)
    assert any(url.startswith("https://giscus.app/client.js") for url in page.outside_requests)


def test_sample_discussion_is_a_link_that_loads_nothing(page, sample_site, serve_site):
    page.goto(serve_site(sample_site) + "cards/track-your-card/")
    link = page.get_by_role("link", name="Discuss this article in the community")
    assert link.get_attribute("href").startswith("https://community.pocket.example/search?q=Track")
    assert page.outside_requests == []


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z'-]*", text))


def test_chinese_home_page_has_no_english_but_marked_untranslated_titles(page, sample_site, serve_site):
    """Every Latin word on /zh/ comes from the writers' own Chinese texts (brand and product names in
    Chinese titles), an email address, or an untranslated title marked （英文）."""
    page.goto(serve_site(sample_site) + "zh/")
    text = page.locator("article").inner_text()
    lines = [line for line in text.splitlines() if not line.strip().endswith("（英文）")]
    left = _latin_words(re.sub(r"\S+@\S+", " ", "\n".join(lines)))
    own = set()
    for path in sorted((REPO / "sample_kb").rglob("*.zh.md")):
        own |= _latin_words(path.read_text(encoding="utf-8"))
    config = yaml.safe_load((REPO / "sample_kb" / "helpgen.yml").read_text(encoding="utf-8"))
    own |= _latin_words(config["name"]) | _latin_words(yaml.safe_dump(config, allow_unicode=True).split("zh:", 1)[-1])
    assert left - own == set()
    assert "（英文）" in text and "入门上手" in text and "1 个工作日" in text
