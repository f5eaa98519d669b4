"""Progress of long work: the library reports phases through a callback, the CLI draws a bar only on
a terminal, and warnings come after the bar."""
from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.coverage.run import RunOptions, run_coverage
from helpgen.kb.problems import open_kb
from helpgen.site.build import build_site
from helpgen.ui import phases
from test_site_kb import SMALL_KB

TICKETS = "id,created_at,channel,subject,body\n" + "".join(
    f"{n},2026-01-{n % 28 + 1:02d}T10:00:00Z,email,Question {n},\"{text}\"\n" for n, text in enumerate(
        ["Where is my card, it has not arrived", "How do I start using acme", "What are the daily limits",
         "My payment failed with E1023", "Can I change the colour of the app"] * 4))


@pytest.mark.slow
def test_build_reports_pages_then_search_index(make_kb, tmp_path):
    kb = open_kb(make_kb(SMALL_KB))
    calls = []
    result = build_site(kb, tmp_path / "out", progress=lambda *call: calls.append(call))
    pages = [c for c in calls if c[0] == "pages"]
    total = pages[0][2]
    assert [c[1] for c in pages] == list(range(1, total + 1))  # one call per page, in order
    assert calls[:total + 1] == [("prepare", 0, None)] + [("markdown", n, total) for n in range(1, total + 1)]
    rendered = [p for p in (tmp_path / "out").rglob("*.html") if p.name not in ("404.html", "widget-demo.html")]
    assert {c[2] for c in pages} == {total} and total == len(rendered)  # Markdown pages, not 404 or static files
    assert calls[total + 1:] == pages + [("search index", 0, None)]  # lunr site: no Pagefind phase


@pytest.mark.slow
def test_build_without_a_terminal_prints_no_bar_and_warnings_after_the_build(make_kb, tmp_path):
    kb = make_kb({**SMALL_KB, "articles/cards/limits.md": SMALL_KB["articles/cards/limits.md"].replace(
        "summary: Daily and monthly card limits.\n", "")})
    result = CliRunner().invoke(main, ["build", str(kb), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("articles/cards/limits.md:1: warning: missing summary, add `summary:` with one sentence for lists and "
            "the starter handbook") in lines[:-1]
    assert all(": warning: " in line for line in lines[:-1]) and len(lines) == 5
    assert lines[-1] == f"built 26 pages into {tmp_path / 'out'} (0 errors, 4 warnings)"
    assert not any(ch in result.output for ch in "━\r\x1b")  # no bar, no cursor movement


def test_phases_draw_a_bar_on_a_terminal_and_nothing_otherwise(capsys):
    from rich.console import Console

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    with phases(console) as update:
        update("Rendering pages", 5, 10)
        console.print("visible while the bar runs")
        update("search index")
    drawn = screen.getvalue()
    assert "Rendering pages" in drawn and " 50%" in drawn and "search index" in drawn
    assert drawn.index("Rendering pages") < drawn.index("visible while the bar runs") < drawn.index("search index")
    with phases() as update:  # pytest's stderr is no terminal
        update("Rendering pages", 1, 2)
    assert capsys.readouterr() == ("", "")


@pytest.mark.slow
def test_coverage_reports_bytes_then_matching_and_clustering(make_kb, tmp_path):
    root = make_kb(SMALL_KB)
    log = tmp_path / "tickets.csv"
    log.write_text(TICKETS, encoding="utf-8")
    read, phases_seen = [], []
    run_coverage(open_kb(root), RunOptions([log], None, {}, None, None, False, "en"), lambda p: None,
                 on_progress=lambda done, total: read.append((done, total)),
                 on_phase=phases_seen.append)
    size = log.stat().st_size
    assert read and read[-1] == (size, size)
    assert all(total == size and 0 <= done <= size for done, total in read)
    assert [d for d, _t in read] == sorted(d for d, _t in read)  # never goes back
    assert phases_seen == ["match", "cluster"]
