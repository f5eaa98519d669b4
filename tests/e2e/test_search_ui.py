"""The results list a customer trusts, in chromium: no rewritten or stemmed query terms on screen,
pasted text searches, the home search box hands over to the header search without a jump, its
placeholder fits a phone, and every example query of the UI and README finds its article first."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from search_harness import RESULT_LINKS, SearchPage, guarded_context, hrefs_to_ids, load_catalogue

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]

# The example queries shown to people, with the article each must put first. A placeholder example
# that is one of an article's own `questions` expects that article; any other new example in the
# README or the placeholder must be added here (test_examples_are_all_listed fails otherwise).
EXAMPLES = {
    "my card hasn't arrived": "cards/track-your-card",
    "my card has not arrived": "cards/track-your-card",
    "why was I charged twice": "troubleshooting/charged-twice",
}


@pytest.fixture(scope="module")
def served(serve_site, sample_site):
    return serve_site(sample_site), load_catalogue(sample_site)


@pytest.fixture(scope="module")
def search(browser, served):
    """One page with the search open for the module (loading the index once keeps the tests light)."""
    base, _ = served
    context = guarded_context(browser, viewport={"width": 1280, "height": 900})
    yield SearchPage(context.new_page(), base)
    context.close()
    assert context.outside == []


def missing_lines(page) -> list[str]:
    return page.eval_on_selector_all(".md-search-result__terms", "els => els.map(e => e.textContent)")


def test_results_never_show_rewritten_or_stemmed_terms(search, served):
    base, catalogue = served
    query = "my card has not arrived"
    hrefs = search.query(query)
    assert hrefs
    shown = " ".join(search.page.eval_on_selector_all(
        ".md-search-result del", "els => els.map(e => e.textContent)"))
    # only the customer's own words may be struck through: no `*`, no `^1`, no stem like `arriv`
    own = set(re.findall(r"[a-z']+", query))
    assert "*" not in shown and "^" not in shown
    assert set(shown.split()) <= own, shown


def test_a_perfect_match_shows_no_missing_line(search, served):
    base, catalogue = served
    title = next(a["title"] for a in catalogue if a["id"] == "troubleshooting/charged-twice")
    hrefs = search.query(title)
    assert hrefs_to_ids(hrefs, base, catalogue)[0] == "troubleshooting/charged-twice"
    first = search.page.locator("li.md-search-result__item").first
    assert "Missing" not in first.inner_text()  # innerText: what is on screen (closed details excluded)


def test_missing_words_are_the_customers_own(search, served):
    hrefs = search.query("charged twice zebracrossing")
    assert hrefs
    lines = missing_lines(search.page)
    assert lines and all("zebracrossing" in line for line in lines)
    assert all("*" not in line for line in lines)


def test_pasted_query_searches_without_a_key(search, served):
    """A paste (or IME / voice input) fires `input` and no `keyup`: results must still come."""
    base, catalogue = served
    count = int(search.page.evaluate("+(document.documentElement.dataset.helpgenResults || 0)"))
    search.input.evaluate("""(el, text) => {
        el.value = text;
        el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste', data: text}));
    }""", "I was charged twice for one purchase")
    search.page.wait_for_function(f"+(document.documentElement.dataset.helpgenResults || 0) > {count}")
    search.page.wait_for_timeout(50)
    hrefs = search.page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")
    assert "troubleshooting/charged-twice" in hrefs_to_ids(hrefs, base, catalogue)[:3]


def test_ime_input_searches_when_composition_ends(search, served):
    """An IME fires `input` events while composing and `compositionend` at the end, no `keyup`."""
    base, catalogue = served
    count = int(search.page.evaluate("+(document.documentElement.dataset.helpgenResults || 0)"))
    search.input.evaluate("""(el, text) => {
        el.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}));
        el.value = text;
        el.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, data: text}));
        el.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: text}));
    }""", "charged twice")
    search.page.wait_for_function(f"+(document.documentElement.dataset.helpgenResults || 0) > {count}")
    search.page.wait_for_timeout(50)
    hrefs = search.page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")
    assert hrefs_to_ids(hrefs, base, catalogue)[:1] == ["troubleshooting/charged-twice"]


def hero_placeholder(sample_site) -> str:
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'class="hg-hero__input"[^>]*placeholder="([^"]*)"', html)
    assert match, "the home page has no search box with a placeholder"
    import html as html_lib

    return html_lib.unescape(match.group(1))


def placeholder_examples(text: str) -> list[str]:
    """The quoted examples of a placeholder ("…", “…”, «…»)."""
    return [m.strip() for m in re.findall(r"[\"“«]([^\"”»]+)[\"”»]", text)]


def readme_examples() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"helpgen search \S+ \"([^\"]+)\"", readme)


def expected_articles(sample_site) -> dict[str, str]:
    """Every example query shown to people -> the article it must put first."""
    catalogue = load_catalogue(sample_site)
    own = {" ".join(q.split()): a["id"] for a in catalogue if a["lang"] == "en" for q in a["questions"]}
    out = {}
    for query in readme_examples() + placeholder_examples(hero_placeholder(sample_site)):
        out[query] = EXAMPLES.get(query) or own.get(" ".join(query.split()), "")
    return out


def test_examples_are_all_listed(sample_site):
    examples = expected_articles(sample_site)
    assert examples, "expected example queries in the README and the home page placeholder"
    assert sorted(q for q, article in examples.items() if not article) == []


def test_every_example_query_finds_its_article_first(search, served, sample_site):
    base, catalogue = served
    wrong = []
    for query, article in expected_articles(sample_site).items():
        got = hrefs_to_ids(search.query(query), base, catalogue)
        if got[:1] != [article]:
            wrong.append((query, article, got[:3]))
    assert wrong == []


def test_every_example_query_finds_its_article_first_in_helpgen_search(sample_site):
    from helpgen.kb.load import load_kb
    from helpgen.search.index import build_index
    from helpgen.search.index import search as lunr_search

    kb, _ = load_kb(REPO / "sample_kb")
    idx = build_index(kb)
    wrong = [(q, a, [h.id for h in lunr_search(idx, q, 3)]) for q, a in expected_articles(sample_site).items()
             if [h.id for h in lunr_search(idx, q, 1)] != [a]]
    assert wrong == []


def test_home_box_types_into_the_header_search_without_a_jump(page, served):
    base, catalogue = served
    page.goto(base)
    page.wait_for_function("document.documentElement.dataset.helpgenSearch === 'ready' || true")
    hero = page.locator(".hg-hero__input")
    hero.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    text = "charged twice"
    hero.click()
    page.keyboard.type(text, delay=20)
    header = page.locator(".md-search__input")
    page.wait_for_function("document.querySelector('.md-search__input').value === 'charged twice'")
    assert header.input_value() == text  # every key reached the header search, in order
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("window.scrollY") == before
    page.wait_for_selector(RESULT_LINKS)
    hrefs = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")
    assert hrefs_to_ids(hrefs, base, catalogue)[0] == "troubleshooting/charged-twice"


@pytest.mark.parametrize("width", [320, 360, 390])
def test_placeholder_is_readable_on_a_phone(browser, served, sample_site, width):
    """The whole placeholder is on screen: in the box when it fits, else as a hint under it."""
    base, _ = served
    text = hero_placeholder(sample_site)
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base)
    box = page.locator(".hg-hero__input")
    box.wait_for()
    page.wait_for_timeout(100)
    fits = box.evaluate("""el => {
        const s = getComputedStyle(el), p = getComputedStyle(el, '::placeholder');
        const c = document.createElement('canvas').getContext('2d');
        c.font = `${p.fontStyle} ${p.fontWeight} ${p.fontSize} ${p.fontFamily}`;
        const inner = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        return {fits: c.measureText(el.placeholder).width <= inner, size: parseFloat(p.fontSize),
                shown: getComputedStyle(el, '::placeholder').color !== 'rgba(0, 0, 0, 0)'};
    }""")
    hint = page.locator(".hg-hero__hint")
    hint_text = hint.inner_text() if hint.count() and hint.is_visible() else ""
    box_width = box.bounding_box()["width"]
    context.close()
    assert box_width <= width
    assert (fits["fits"] and fits["size"] >= 12) or hint_text == text, (fits, hint_text)


REWRITE_QUERIES = ["Why was I charged twice?", "my card hasn't arrived", "what gas does my car use",
                   "my ID was rejected", "adding money failed", "top up using my bank account instead of a card",
                   "a payment I am not familiar with"]


def test_the_browser_rewrites_queries_as_helpgen_search_does(search, served):
    """helpgen-search.js and helpgen.search.index.rewrite_query send the same terms to lunr."""
    from helpgen.search.index import build_index, rewrite_query
    from helpgen.kb.load import load_kb

    search.query("card")  # the index (and its config.helpgen) is loaded
    idx = build_index(load_kb(REPO / "sample_kb")[0])
    got = [search.page.evaluate("q => window.helpgenRewriteQuery(q)", q) for q in REWRITE_QUERIES]
    assert got == [rewrite_query(q, "en", frozenset(), idx.messages, idx.words) for q in REWRITE_QUERIES]
    assert got[2].split()[0] == "gas^2"  # a 1-2 letter stem ("ga") is sent exactly, not as `ga*`
    assert "*familiar*" in got[6].split()  # sample_kb only has it inside "unfamiliar"
