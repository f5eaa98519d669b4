"""The coverage report in a real headless chromium: the top five gaps are readable on the first screen.

"First screen" here means the viewport right after the page loads, before any scrolling or click: an element
is on it when its whole bounding box lies within the viewport (0 <= top, bottom <= viewport height). The report
is made by a real `helpgen coverage` run on the sample KB and its English and Chinese ticket logs.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from conftest import REPO
from search_harness import guarded_context

pytestmark = pytest.mark.e2e
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
TOP = 5


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """{"en": folder, "zh": folder} of coverage reports on the sample KB's ticket logs."""
    from helpgen.coverage.cli import coverage_command

    kb = REPO / "sample_kb"
    if not (kb / "tickets" / "tickets.csv").is_file():
        pytest.skip("sample_kb/tickets/tickets.csv is absent")
    out = {}
    for lang, log in (("en", kb / "tickets" / "tickets.csv"), ("zh", kb / "tickets" / "zh")):
        folder = tmp_path_factory.mktemp(f"report-{lang}") / "rep"
        res = CliRunner().invoke(coverage_command, [str(kb), "--tickets", str(log), "-o", str(folder)])
        assert res.exit_code == 0, res.output
        out[lang] = folder
    return out


@pytest.fixture
def open_report(browser) -> Iterator:
    """open_report(folder, (w, h)) -> a page showing folder/coverage.html; requests leaving file:// are
    aborted and recorded in page.outside_requests."""
    contexts = []

    def open_(folder: Path, size: tuple[int, int]):
        context = guarded_context(browser, viewport={"width": size[0], "height": size[1]})
        contexts.append(context)
        page = context.new_page()
        page.outside_requests = context.outside
        page.goto((folder / "coverage.html").as_uri())
        return page

    yield open_
    for context in contexts:
        context.close()


def _on_first_screen(page, selector: str, height: int) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_top_five_gaps_are_on_the_first_screen_without_opening_anything(reports, open_report, lang, screen):
    width, height = VIEWPORTS[screen]
    data = json.loads((reports[lang] / "coverage.json").read_text(encoding="utf-8"))
    assert len(data["gaps"]) >= TOP
    page = open_report(reports[lang], (width, height))
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out sideways
    assert _on_first_screen(page, ".headline", height)
    for gap in data["gaps"][:TOP]:
        summary = f"#gap-{gap['id']} > summary"
        assert page.locator(f"#gap-{gap['id']}").get_attribute("open") is None  # closed: nothing was opened
        assert _on_first_screen(page, summary, height), (screen, gap["id"], page.locator(summary).bounding_box())
        text = page.locator(summary).inner_text()
        assert gap["label"] in text and f"{gap['size']:,}" in text
        assert page.locator(f"{summary} svg").count() == 1  # the trend line
        assert not page.locator(f"#gap-{gap['id']} pre").is_visible()  # the draft command waits inside
    assert page.outside_requests == []


def test_opening_a_gap_shows_examples_and_the_draft_command(reports, open_report):
    data = json.loads((reports["en"] / "coverage.json").read_text(encoding="utf-8"))
    page = open_report(reports["en"], VIEWPORTS["desktop"])
    page.click("#gap-1 > summary")
    body = page.locator("#gap-1 .body")
    assert body.is_visible()
    assert "helpgen new KB --from-gap 1" in body.inner_text()
    assert all(e in body.inner_text() for e in data["gaps"][0]["examples"])


def test_printing_opens_every_gap(reports, open_report):
    page = open_report(reports["en"], VIEWPORTS["desktop"])
    page.emulate_media(media="print")
    assert page.locator("#gap-3 pre").is_visible()  # closed on screen, shown on paper
    assert not page.locator(".bar nav").is_visible()
    page.emulate_media(media="screen")
    assert not page.locator("#gap-3 pre").is_visible()
