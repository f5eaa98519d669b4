"""Support mailboxes: mbox files and folders of .eml, threaded into tickets."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from helpgen.errors import Problem
from helpgen.tickets import Redactor, read_tickets

LINKS = {"cards/track-your-card/": "cards/track-your-card"}


def message(sender: str, to: str, subject: str, msgid: str, date: str, body: str, reply_to: str = "") -> str:
    refs = f"In-Reply-To: <{reply_to}>\nReferences: <{reply_to}>\n" if reply_to else ""
    return (f"From: {sender}\nTo: {to}\nSubject: {subject}\nMessage-ID: <{msgid}>\n{refs}Date: {date}\n"
            f"Content-Type: text/plain; charset=utf-8\n\n{body}\n")


QUESTION = message("Anna Berg <anna@mail.example>", "help@pocket.example", "Card not arrived", "q1@mail.example",
                   "Mon, 05 Jan 2026 14:03:00 +0100",
                   "Hi,\nmy card has not arrived yet. Call me on +44 20 7946 0958.\n\nThanks,\nAnna\n-- \nAnna Berg\nBerlin")
ANSWER = message("Pocket Support <sam@pocket.example>", "anna@mail.example", "Re: Card not arrived", "a1@pocket.example",
                 "Mon, 05 Jan 2026 16:33:00 +0100",
                 "Hello Anna, you can follow it here: https://help.pocket.example/cards/track-your-card/\n\n"
                 "On Mon, 5 Jan 2026 at 14:03, Anna Berg <anna@mail.example> wrote:\n> my card has not arrived yet.",
                 reply_to="q1@mail.example")
FOLLOW_UP = message("anna@mail.example", "help@pocket.example", "Re: Card not arrived", "q2@mail.example",
                    "Tue, 06 Jan 2026 09:00:00 +0100", "Thanks, it came today!\n> Hello Anna", reply_to="a1@pocket.example")
OTHER = message("bob@mail.example", "help@pocket.example", "Bitcoin", "b1@mail.example",
                "Wed, 07 Jan 2026 10:00:00 +0000", "Can I buy bitcoin with my account?")


def mbox(*messages: str) -> str:
    return "".join(f"From MAILER-DAEMON Mon Jan  5 00:00:00 2026\n{m}\n" for m in messages)


def read(paths, **kw):
    problems: list[Problem] = []
    kw.setdefault("team_domains", ["pocket.example"])
    return list(read_tickets(paths, report=problems.append, link_map=LINKS, **kw)), problems


def test_mbox_thread_question_and_team_reply(tmp_path: Path) -> None:
    path = tmp_path / "support.mbox"
    path.write_text(mbox(ANSWER, FOLLOW_UP, QUESTION, OTHER), encoding="utf-8")  # out of order on purpose
    redactor = Redactor()
    (anna, bob), problems = read([path], redactor=redactor)
    assert problems == []
    assert (anna.id, anna.subject, anna.channel) == ("q1@mail.example", "Card not arrived", "email")
    assert anna.question == "my card has not arrived yet. Call me on [phone]."  # greeting, sign-off, signature gone
    assert anna.created == datetime(2026, 1, 5, 14, 3, tzinfo=timezone(timedelta(hours=1)))
    assert [r.text for r in anna.replies] == [
        "Hello [name], you can follow it here: https://help.pocket.example/cards/track-your-card/"]  # quote stripped
    assert anna.first_response_hours == 2.5 and anna.linked_articles == ("cards/track-your-card",)
    assert (bob.subject, bob.question, bob.answered) == ("Bitcoin", "Can I buy bitcoin with my account?", False)
    assert anna.line < bob.line and redactor.counts["phone"] == 1 and redactor.counts["name"] == 1


def test_eml_folder_threads_across_files(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    for name, msg in [("1.eml", QUESTION), ("2.eml", ANSWER), ("3.eml", OTHER), ("4.eml", FOLLOW_UP)]:
        (folder / name).write_text(msg, encoding="utf-8")
    (anna, bob), problems = read([folder])
    assert problems == []
    assert anna.source == str(folder / "1.eml") and len(anna.replies) == 1
    assert bob.source == str(folder / "3.eml") and not bob.answered


def test_without_team_domains_the_first_sender_is_the_customer(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    path.write_text(mbox(QUESTION, ANSWER), encoding="utf-8")
    [anna], _ = read([path], team_domains=())
    assert len(anna.replies) == 1


def test_thread_by_subject_when_references_are_missing(tmp_path: Path) -> None:
    bare = ANSWER.replace("In-Reply-To: <q1@mail.example>\nReferences: <q1@mail.example>\n", "")
    path = tmp_path / "box.mbox"
    path.write_text(mbox(QUESTION, bare), encoding="utf-8")
    [anna], _ = read([path])
    assert len(anna.replies) == 1


def test_html_only_email(tmp_path: Path) -> None:
    html = OTHER.replace("text/plain", "text/html").replace("Can I buy bitcoin with my account?",
                                                           "<p>Can I buy <b>bitcoin</b>?</p><p>Thanks</p>")
    path = tmp_path / "one.eml"
    path.write_text(html, encoding="utf-8")
    [bob], _ = read([path])
    assert bob.question == "Can I buy bitcoin?"
