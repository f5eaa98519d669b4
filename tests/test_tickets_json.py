"""JSON Lines, JSON arrays and Zendesk exports."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpgen.errors import Problem, TicketError
from helpgen.tickets import read_tickets
import helpgen.tickets.readers.json_reader as json_reader

LINKS = {"cards/track-your-card/": "cards/track-your-card", "top-up/auto-top-up/": "top-up/auto-top-up"}
# Shapes as Zendesk documents them: GET /api/v2/incremental/tickets.json and ticket comments.
INCREMENTAL = {
    "tickets": [
        {"url": "https://pocket.zendesk.com/api/v2/tickets/35436.json", "id": 35436, "external_id": None,
         "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}},
         "created_at": "2026-01-05T14:03:00Z", "updated_at": "2026-01-06T09:00:00Z", "type": "question",
         "subject": "Card not here", "raw_subject": "Card not here",
         "description": "My card has not arrived after ten days.", "priority": "normal", "status": "solved",
         "requester_id": 20978392, "submitter_id": 20978392, "assignee_id": 235323, "tags": ["cards", "delivery"]},
        {"url": "https://pocket.zendesk.com/api/v2/tickets/35437.json", "id": 35437,
         "via": {"channel": "email"}, "created_at": "2026-01-07T08:00:00Z", "subject": "Apple Pay",
         "description": "Can I add the card to Apple Pay?", "status": "new", "requester_id": 111, "tags": []},
    ],
    "next_page": "https://pocket.zendesk.com/api/v2/incremental/tickets.json?start_time=1383685952",
    "count": 2, "end_of_stream": True, "end_time": 1383685952,
}
COMMENTS = [
    {"id": 1, "ticket_id": 35436, "type": "Comment", "author_id": 20978392, "public": True,
     "body": "My card has not arrived after ten days.", "created_at": "2026-01-05T14:03:00Z"},
    {"id": 2, "ticket_id": 35436, "type": "Comment", "author_id": 235323, "public": False,
     "body": "Internal: checked the courier.", "created_at": "2026-01-05T15:00:00Z"},
    {"id": 3, "ticket_id": 35436, "type": "Comment", "author_id": 235323, "public": True,
     "body": "Sorry! Track it here: https://help.pocket.example/cards/track-your-card/",
     "html_body": "<p>Sorry!</p>", "created_at": "2026-01-05T17:03:00Z"},
]


def write(tmp_path: Path, name: str, data: str) -> Path:
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    return path


def read(path: Path, **kw):
    problems: list[Problem] = []
    return list(read_tickets([path], report=problems.append, **kw)), problems


def test_zendesk_incremental_export(tmp_path: Path) -> None:
    tickets, problems = read(write(tmp_path, "incremental.json", json.dumps(INCREMENTAL, indent=2)))
    assert problems == []
    a, b = tickets
    assert (a.id, a.channel, a.subject, a.status, a.tags) == ("35436", "web", "Card not here", "solved",
                                                             ("cards", "delivery"))
    assert a.question == "My card has not arrived after ten days." and not a.answered
    assert a.created == datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)
    assert (a.line, b.id, b.channel, b.line) == (3, "35437", "email", 31)


def test_zendesk_tickets_plus_comments(tmp_path: Path) -> None:
    data = dict(INCREMENTAL, comments=COMMENTS, users=[{"id": 235323, "role": "agent"}])
    a, b = read(write(tmp_path, "with-comments.json", json.dumps(data)), link_map=LINKS)[0]
    assert [r.text for r in a.replies] == ["Sorry! Track it here: https://help.pocket.example/cards/track-your-card/"]
    assert a.replies[0].at == datetime(2026, 1, 5, 17, 3, tzinfo=timezone.utc)
    assert a.linked_articles == ("cards/track-your-card",) and a.first_response_hours == 3.0
    assert not b.answered


def test_zendesk_full_export_tickets_with_embedded_comments(tmp_path: Path) -> None:
    """Zendesk's JSON data export: one ticket per line, comments inside, requester vs agent by author_id."""
    ticket = dict(INCREMENTAL["tickets"][0], description="", comments=[
        {k: v for k, v in c.items() if k != "ticket_id"} for c in COMMENTS])
    line2 = dict(INCREMENTAL["tickets"][1])
    [a, b], problems = read(write(tmp_path, "export.json", json.dumps(ticket) + "\n" + json.dumps(line2) + "\n"))
    assert problems == []
    assert a.question == "My card has not arrived after ten days."  # the requester's first comment
    assert len(a.replies) == 1 and a.replies[0].text.startswith("Sorry!")  # private note left out
    assert b.line == 2


def test_json_array_streamed_in_small_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_reader, "CHUNK", 16)  # force values to straddle many buffer refills
    rows = [{"id": i, "subject": f"s{i}", "body": f"question \"{i}\" with a long text " * 3,
             "created_at": 1767621780 + i} for i in range(50)]
    tickets, problems = read(write(tmp_path, "a.json", json.dumps(rows, indent=1)))
    assert problems == [] and [t.id for t in tickets] == [str(i) for i in range(50)]
    assert tickets[0].created == datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)
    assert tickets[3].line == 20  # each object of indent=1 spans 6 lines, plus the opening `[`


def test_jsonl_with_mapping_and_dotted_keys(tmp_path: Path) -> None:
    data = '{"ref": "x1", "msg": {"text": "Where is my card?"}, "when": "2026-01-05T10:00:00+02:00"}\n\n' \
           '{"ref": "x2", "msg": {"text": "Crypto?"}, "when": "Mon, 05 Jan 2026 14:03:00 +0000"}\n'
    tickets, _ = read(write(tmp_path, "t.jsonl", data), columns={"id": "ref", "body": "msg.text", "created_at": "when"})
    assert [(t.id, t.question, t.line) for t in tickets] == [("x1", "Where is my card?", 1), ("x2", "Crypto?", 3)]
    assert tickets[0].created == datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


def test_jsonl_bad_and_truncated_lines_are_warnings(tmp_path: Path) -> None:
    path = write(tmp_path, "t.jsonl", '{"body": "one"}\n{"body": "two"\n{"body": "thr')
    tickets, problems = read(path)
    assert [t.question for t in tickets] == ["one"]
    assert [str(p) for p in problems] == [
        f"{path}:2: warning: invalid JSON: Expecting ',' delimiter; line skipped",
        f"{path}:3: warning: truncated JSON: the last line is cut short; line skipped"]


@pytest.mark.parametrize("data, line", [
    ('[{"body": "one"},\n {"body": "tw', 2),
    ('[{"body": "one"},\n', 2),
    ('{"tickets": [{"body": "one"}', 1),
])
def test_truncated_json_is_fatal(tmp_path: Path, data: str, line: int) -> None:
    path = write(tmp_path, "cut.json", data)
    with pytest.raises(TicketError) as exc:
        read(path)
    assert exc.value.format_message() == (f"{path}:{line}: error: truncated JSON: the file ends before the data is "
                                          "complete; the export was cut short, export it again")


@pytest.mark.parametrize("data, line, what", [
    ('[\n{"body": "one"},\n{"body": nope}\n]', 3, "invalid string in json text"),
    ('[\n{"body": "one"}\n{"body": "two"}\n]', 3, "after array element, I expect ',' or ']'"),
    ('[{"body": "one"}]\n[]', 2, None),
    ('{"tickets": [{"body": "one"}]}\n{"tickets": [', 2, None),
])
def test_invalid_json_names_the_line(tmp_path: Path, data: str, line: int, what: str | None) -> None:
    path = write(tmp_path, "bad.json", data)
    with pytest.raises(TicketError) as exc:
        read(path)
    what = f"invalid JSON: {what}" if what else "invalid JSON: more text after the end of the data"
    assert exc.value.format_message() == f"{path}:{line}: error: {what}; fix the file or export it again"


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 16])
def test_values_straddling_read_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Numbers, null, true and false cut by a read boundary are still read (the parser gets every piece)."""
    monkeypatch.setattr(json_reader, "CHUNK", chunk)
    record = {"id": 123456789, "body": "one", "score": -12.5e3, "flag": True, "other": False, "none": None,
              "created_at": 1767621780}
    path = write(tmp_path, "t.json", json.dumps([record, {**record, "id": 987654321}]))
    tickets, problems = read(path)
    assert problems == [] and [t.id for t in tickets] == ["123456789", "987654321"]
    assert tickets[0].created == datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)


def test_json_without_question_field(tmp_path: Path) -> None:
    path = write(tmp_path, "w.json", '[{"foo": 1, "bar": 2}]')
    with pytest.raises(TicketError) as exc:
        read(path)
    assert exc.value.format_message().startswith(f"{path}:1: error: no question text column; columns found: `foo`, `bar`; map")
