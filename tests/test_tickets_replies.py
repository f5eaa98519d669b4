"""What an export does not say, the report does not invent: a view export without a reply column."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from helpgen.cli import main
from helpgen.tickets import read_tickets

ARTICLE = "---\ntitle: {title}\nlevel: beginner\nstage: onboarding\nsummary: S.\nquestions:\n  - {q}\n---\n{body}\n"
CONFIG = "name: Acme\nstages:\n  - id: onboarding\n    label: Getting started\n"
QUESTIONS = ["How do I create my account?", "Where do I change my email address?", "How can I export my data?",
             "I cannot sign in to my account", "Can I delete my account forever?"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def test_reader_says_whether_the_export_has_replies(tmp_path: Path) -> None:
    view = write_csv(tmp_path / "view.csv", ["id", "subject", "description", "created_at", "status"],
                     [["1", "Sign in", "I cannot sign in", "2026-01-05T10:00:00Z", "solved"]])
    replies = write_csv(tmp_path / "full.csv", ["id", "description", "first reply"], [["2", "Hi", ""], ["3", "Hi", "Done"]])
    times = write_csv(tmp_path / "times.csv", ["id", "description", "first responded at"],
                      [["4", "Hi", "2026-01-05T11:00:00Z"], ["5", "Hi", ""]])
    tickets = {t.id: t for t in read_tickets([view, replies, times])}
    assert tickets["1"].answered is None and not tickets["1"].replies_known
    assert (tickets["2"].answered, tickets["3"].answered) == (False, True)
    assert (tickets["4"].answered, tickets["5"].answered) == (True, False)  # a reply time says the team replied
    assert tickets["4"].first_response_hours is None  # no creation time in that export


def test_coverage_of_a_view_export_says_the_team_verdict_is_unknown(make_kb, tmp_path: Path) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, **{f"articles/a{i}.md": ARTICLE.format(title=q.rstrip("?"), q=q, body=q)
                                            for i, q in enumerate(QUESTIONS[:3])}})
    rows = [[str(i), q[:20], q, f"2026-01-{i % 28 + 1:02d}T10:00:00Z", "solved"]
            for i, q in enumerate(QUESTIONS * 6, 1)]
    log = write_csv(tmp_path / "view.csv", ["id", "subject", "description", "created_at", "status"], rows)
    out, assignments = tmp_path / "report", tmp_path / "a.jsonl"
    result = CliRunner().invoke(main, ["coverage", str(kb), "--tickets", str(log), "-o", str(out),
                                       "--assignments", str(assignments)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "coverage.json").read_text(encoding="utf-8"))
    assert data["totals"]["unanswered"] is None and data["totals"]["answered"] is None
    assert data["unanswered"]["count"] is None and all(g["answered"] is None for g in data["gaps"])
    headline = result.output.strip().splitlines()[-1]
    assert "the export has no replies, so whether the team answered them is unknown" in headline
    assert "got no reply" not in headline
    assert "Unknown: the export has no reply column." in (out / "coverage.md").read_text(encoding="utf-8")
    verdicts = {json.loads(line)["answered_by_team"] for line in assignments.read_text().splitlines()}
    assert verdicts == {None}
