"""Names in greetings and sign-offs are redacted (`[name]`), and no name reaches the report, the assignments
or a --from-gap draft."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.tickets.redact import Redactor


@pytest.mark.parametrize("text, expected", [
    ("Hi Yusuf, my transfer is late.", "Hi [name], my transfer is late."),
    ("Dear Ms Chen,\nI need help.", "Dear [name],\nI need help."),
    ("It broke again.\nThanks, Maria Lopez", "It broke again.\nThanks, [name]"),
    ("Please help.\nRegards,\nJohn", "Please help.\nRegards,\n[name]"),
    ("Cheers, Anna", "Cheers, [name]"),
    ("Good morning Dr. Smith! The app froze.", "Good morning [name]! The app froze."),
    ("Hello Zoë O'Brien, thanks", "Hello [name], thanks"),
    ("Hi Anna how are you", "Hi [name] how are you"),
    ("My name is Jean-Luc Picard and I need a receipt", "My name is [name] and I need a receipt"),
    ("Best wishes,\nSam Taylor.", "Best wishes,\n[name]."),
    ("王先生您好，请问怎么导出数据？", "[name]先生您好，请问怎么导出数据？"),
    ("您好，李女士。", "您好，[name]女士。"),
    ("尊敬的欧阳先生：", "尊敬的[name]先生："),
    ("我叫张伟，想问一下", "我叫[name]，想问一下"),
    ("谢谢王老师，您好", "谢谢[name]老师，您好"),
])
def test_names_in_greetings_and_sign_offs(text: str, expected: str) -> None:
    r = Redactor()
    assert r.redact(text) == expected and r.counts["name"] == 1


@pytest.mark.parametrize("text", [
    "Hi there, my app crashes", "Hello team,", "Thanks, I tried again.", "Thanks!\nThe Support Team", "Hi all",
    "Dear Sir or Madam,", "It says hello World.", "Hello, I need help", "Thanks, that helped a lot", "谢谢老师",
    "先生您好，请问怎么开户？", "Hi Support, thanks Monday", "Hi, Often one of the two is pending.",
    "Hello, Please freeze your card first.", "Cheers,\nThe Acme Team", "Hi I'm waiting for a refund",
    "Hi I\u2019ve been trying all day",
])
def test_words_that_are_not_names_stay(text: str) -> None:
    r = Redactor()
    assert r.redact(text) == text and not r.counts


NAMES = ("Yusuf", "Maria", "Lopez", "Chen", "Okonkwo", "Anna", "Priya", "Sanjay", "王")
QUESTIONS = [
    "Hi Yusuf, how do I print a receipt for an old order? Thanks, Maria Lopez",
    "Dear Ms Chen,\nwhere can I print a receipt for my order?\nRegards,\nOkonkwo",
    "Hello Anna! I need a printed receipt for last month's order.\nCheers, Priya",
    "王先生您好，how do I print a receipt for my order?",
    "My name is Sanjay Patel and I want to print a receipt for an order.",
]
REPLIES = ["Hi Maria, open Orders, pick the order and tap Print receipt.\nBest,\nYusuf",
           "Dear Mr Okonkwo, tap Print receipt on the order page.\nKind regards,\nAnna Chen"]


def test_no_name_reaches_report_assignments_or_draft(make_kb, tmp_path: Path) -> None:
    article = ("---\ntitle: Create your account\nlevel: beginner\nstage: onboarding\nsummary: S.\n"
               "questions:\n  - how do I sign up\n---\nDownload the app and sign up with your email.\n")
    kb = make_kb({"helpgen.yml": "name: Acme\n", "articles/create.md": article})
    log = tmp_path / "tickets.csv"
    with open(log, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "created_at", "body", "reply"])
        for i in range(30):
            writer.writerow([i, f"2026-01-{i % 28 + 1:02d}T10:00:00Z", QUESTIONS[i % len(QUESTIONS)],
                             REPLIES[i % len(REPLIES)]])
    report = kb / ".helpgen" / "coverage"
    result = CliRunner().invoke(main, ["coverage", str(kb), "--tickets", str(log), "--assignments",
                                       str(tmp_path / "assignments.csv")])
    assert result.exit_code == 0, result.output
    draft = CliRunner().invoke(main, ["new", str(kb), "--from-gap", "1", "--level", "beginner",
                                      "--stage", "onboarding"])
    assert draft.exit_code == 0, draft.output
    outputs = [p for p in report.iterdir() if p.is_file()] + [tmp_path / "assignments.csv"]
    outputs += [p for p in (kb / "articles").rglob("*.md") if p.name != "create.md"]
    assert len(outputs) >= 4
    texts = {p.name: p.read_text(encoding="utf-8") for p in outputs}
    assert any("[name]" in t for t in texts.values())  # the drafts and examples keep the placeholder
    leaks = [(name, file) for file, text in texts.items() for name in NAMES if name in text]
    assert leaks == [] and not any(name in result.output + draft.output for name in NAMES)
    assert '"name":' in texts["coverage.json"]  # counted like the other kinds
