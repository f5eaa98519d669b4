"""The README's first command gives a site that works when site/index.html is opened from disk:
search answers from file:// and the language switcher keeps the reader on the same article."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from test_readme import readme_call
from test_smoke import search

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def readme_site(tmp_path_factory) -> Path:
    from helpgen.cli import main

    root = tmp_path_factory.mktemp("readme")
    (root / "sample_kb").symlink_to(REPO / "sample_kb", target_is_directory=True)
    args = [str(root / a) if a in ("sample_kb", "site") else a for a in readme_call("build")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return root / "site"


def test_search_works_from_disk(page, readme_site):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((readme_site / "index.html").as_uri())
    hrefs = search(page, "charged twice")
    assert hrefs and hrefs[0].endswith("troubleshooting/charged-twice.html"), hrefs
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))] == []


def test_language_switcher_works_from_disk(page, readme_site):
    article = readme_site / "cards" / "track-your-card.html"
    page.goto(article.as_uri())
    zh = page.get_attribute("a.md-select__link[hreflang=zh]", "href")
    assert zh == (readme_site / "zh" / "cards" / "track-your-card.html").as_uri()
    page.goto((readme_site / "zh" / "index.html").as_uri())
    assert page.get_attribute("a.md-select__link[hreflang=en]", "href") == (readme_site / "index.html").as_uri()
