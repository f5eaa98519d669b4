"""CSV/TSV ticket logs: canonical columns, help-desk columns, mappings and encodings."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpgen.errors import Problem, TicketError
from helpgen.tickets import parse_mapping, read_tickets

CANONICAL = ("id,created_at,channel,subject,body,status,reply,replied_at\n"
             "T1,2026-01-05 14:03,Email,Card late,\"My card has not arrived.\nThanks,\nAnna\",Solved,"
             "\"See https://help.pocket.example/cards/track-your-card/#when\",2026-01-05T16:03:00+01:00\n"
             "T2,05/01/2026 14:03,chat,,Can I buy bitcoin?,open,,\n")
LINKS = {"cards/track-your-card/": "cards/track-your-card"}


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def read(paths, **kw):
    problems: list[Problem] = []
    tickets = list(read_tickets(paths if isinstance(paths, list) else [paths], report=problems.append, **kw))
    return tickets, problems


def test_canonical_csv(tmp_path: Path) -> None:
    tickets, problems = read(write(tmp_path, "t.csv", CANONICAL), link_map=LINKS)
    assert problems == []
    t1, t2 = tickets
    assert (t1.id, t1.channel, t1.subject, t1.status) == ("T1", "email", "Card late", "solved")
    assert t1.question == "My card has not arrived."  # sign-off stripped
    assert t1.created == datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)
    assert t1.replies[0].at == datetime(2026, 1, 5, 15, 3, tzinfo=timezone.utc)
    assert t1.first_response_hours == 1.0
    assert t1.linked_articles == ("cards/track-your-card",)
    assert t1.line == 2 and t2.line == 5  # the quoted body spans lines 2-4
    assert t2.created == datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc) and not t2.answered


def test_zendesk_csv_columns_recognised(tmp_path: Path) -> None:
    data = ("Id,Requester,Subject,Description,Status,Via,Created at,Tags,First reply time in minutes\n"
            "77,Ann,Apple Pay,Does the card work with Apple Pay?,Open,Web form,2026-02-01 09:00:00 +0100,wallet apple,"
            "45\n")
    [t], problems = read(write(tmp_path, "zendesk.csv", data))
    assert problems == []
    assert (t.id, t.subject, t.question, t.channel, t.status) == ("77", "Apple Pay", "Does the card work with Apple Pay?",
                                                                 "web", "open")
    assert t.tags == ("wallet", "apple") and t.created.utcoffset().total_seconds() == 3600
    assert t.replies == ()  # a duration column is not a reply


def test_freshdesk_and_jira_columns(tmp_path: Path) -> None:
    fresh = "Ticket ID,Subject,Description,Status,Source,Created time\n9,PIN,PIN blocked,Closed,Phone,2026-03-01 10:00:00\n"
    jira = "Summary,Issue key,Description,Created,Status\nCrypto,HELP-4,Can I hold ethereum?,01/Mar/26 10:00 AM,Done\n"
    [f], _ = read(write(tmp_path, "fresh.csv", fresh))
    [j], problems = read(write(tmp_path, "jira.csv", jira))
    assert (f.id, f.channel, f.question) == ("9", "phone", "PIN blocked")
    assert (j.id, j.subject, j.question) == ("HELP-4", "Crypto", "Can I hold ethereum?")
    assert problems == [] and j.created == datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)


def test_unreadable_date_is_a_warning_and_the_ticket_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "id,body,created_at\n1,hello,next tuesday\n2,hi,2026-01-05T10:00:00-05:00\n")
    tickets, problems = read(path)
    assert [t.created for t in tickets] == [None, datetime(2026, 1, 5, 15, 0, tzinfo=timezone.utc)]
    assert [str(p) for p in problems] == [f"{path}:2: warning: cannot read the date `next tuesday` in `created_at`, "
                                          "use ISO 8601 such as 2026-01-05T14:03:00Z; kept without that date"]


def test_column_mapping(tmp_path: Path) -> None:
    data = "Ref,Title,Text,When\nA-1,Card,Where is my card,2026-01-05\n"
    mapping = parse_mapping("id=Ref,subject=Title,body=Text,created_at=When")
    [t], _ = read(write(tmp_path, "m.csv", data), columns=mapping)
    assert (t.id, t.subject, t.question, t.created.day) == ("A-1", "Card", "Where is my card", 5)


def test_mapping_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "Ref,Text\n1,hello\n")
    with pytest.raises(TicketError) as exc:
        read(path, columns={"body": "Description"})
    assert exc.value.format_message() == f"{path}:1: error: column `Description` (mapped to `body`) is not in the file; " \
                                         "columns found: `Ref`, `Text`"
    with pytest.raises(TicketError) as exc:
        parse_mapping("bdy=Text")
    assert exc.value.format_message() == ("error: ticket column mapping: unknown field `bdy`, did you mean `body`? use one of: "
                                          "id, created_at, channel, subject, body, status, reply, replied_at, tags")
    with pytest.raises(TicketError, match="is not `field=Column`"):
        parse_mapping("body")


def test_wrong_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.csv", "Name,Amount,Date\nAnna,12,2026-01-01\n")
    with pytest.raises(TicketError) as exc:
        read(path)
    assert exc.value.format_message() == (
        f"{path}:1: error: no question text column; columns found: `Name`, `Amount`, `Date`; map the column that holds the "
        "customer's message with --map body=<column> (or tickets.columns in helpgen.yml)")


def test_utf8_bom_and_semicolons(tmp_path: Path) -> None:
    data = "\ufeffid;body;created_at\n1;Carte bloquée, que faire ?;2026-01-05\n"
    [t], _ = read(write(tmp_path, "bom.csv", data))
    assert (t.id, t.question) == ("1", "Carte bloquée, que faire ?")


def test_utf16_excel_unicode_text(tmp_path: Path) -> None:
    data = "Subject\tDescription\tCreated at\r\nKarte\tMeine Karte ist nicht angekommen – Größe?\t05/01/2026 14:03\r\n"
    path = write(tmp_path, "export.txt", data.encode("utf-16"))  # BOM + UTF-16-LE, tab separated
    [t], _ = read(path)
    assert (t.subject, t.question) == ("Karte", "Meine Karte ist nicht angekommen – Größe?")
    assert t.created == datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)


def test_gbk_csv(tmp_path: Path) -> None:
    data = "编号,标题,内容,创建时间\n1,卡没到,我的卡还没到，已经两个星期了，怎么办？,2026-01-05 14:03\n"
    path = write(tmp_path, "gbk.csv", data.encode("gbk"))
    [t], _ = read(path, columns={"id": "编号", "subject": "标题", "body": "内容", "created_at": "创建时间"})
    assert (t.id, t.subject, t.question) == ("1", "卡没到", "我的卡还没到，已经两个星期了，怎么办？")


def test_cp1252_latin_text_not_read_as_chinese(tmp_path: Path) -> None:
    data = "id,body\n1,Größe Straße Müller über die Karte\n"
    [t], _ = read(write(tmp_path, "latin.csv", data.encode("cp1252")))
    assert t.question == "Größe Straße Müller über die Karte"


def test_tsv_extension(tmp_path: Path) -> None:
    [t], _ = read(write(tmp_path, "t.tsv", "id\tbody\n1\tmy card, again\n"))
    assert t.question == "my card, again"


def test_redaction_applied_to_every_text_field(tmp_path: Path) -> None:
    from helpgen.tickets import Redactor
    data = ("id,subject,body,reply\n1,Mail anna@mail.example,Card 4111 1111 1111 1111 lost,"
            "We called you on +44 20 7946 0958\n")
    redactor = Redactor()
    [t], _ = read(write(tmp_path, "p.csv", data), redactor=redactor)
    assert (t.subject, t.question, t.replies[0].text) == ("Mail [email]", "Card [card] lost", "We called you on [phone]")
    assert redactor.counts == {"email": 1, "card": 1, "phone": 1}


def test_empty_body_row_is_warned_and_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "id,body\n1,\n2,hello\n")
    tickets, problems = read(path)
    assert [t.id for t in tickets] == ["2"]
    assert [str(p) for p in problems] == [f"{path}:2: warning: no question text (empty `body`), row skipped"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_dialect_is_sniffed_from_the_first_lines(tmp_path: Path, delimiter: str) -> None:
    """csv.Sniffer picks the delimiter even when the header alone is ambiguous (`;` in a column name)."""
    rows = [["id", "body; text" if delimiter == "," else "body", "status"],
            ["1", "Hi, I can't log in; help", "open"], ["2", "Where is it?", "solved"]]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL).writerows(rows)
    tickets, problems = read(write(tmp_path, "t.csv", out.getvalue()), columns={"body": rows[0][1]})
    assert problems == [] and [(t.id, t.question, t.status) for t in tickets] == [
        ("1", "Hi, I can't log in; help", "open"), ("2", "Where is it?", "solved")]
