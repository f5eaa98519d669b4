"""read_tickets: format choice, bad input, duplicates, links, progress, streaming memory and the sample log."""
from __future__ import annotations

import csv
import re
import tracemalloc
from pathlib import Path

import pytest

from helpgen.errors import Problem, TicketError
from helpgen.tickets import Redactor, read_tickets
from helpgen.tickets.links import LinkFinder
from helpgen.tickets.readers import reader_for

ROOT = Path(__file__).resolve().parents[1]


def read(paths, **kw):
    problems: list[Problem] = []
    return list(read_tickets(paths, report=problems.append, **kw)), problems


def fails(path: Path, **kw) -> str:
    with pytest.raises(TicketError) as exc:
        read([path], **kw)
    return exc.value.format_message()


@pytest.mark.parametrize("name, data", [("e.csv", b""), ("e.csv", b"\n\n  \n"), ("e.csv", b"\xef\xbb\xbf"),
                                        ("e.txt", b"\xff\xfe"), ("e.json", b""), ("e.jsonl", b" \n")])
def test_empty_file(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert fails(path) == f"{path}:1: error: empty file, no tickets to read; export the tickets again"


def test_empty_mailbox(tmp_path: Path) -> None:
    path = tmp_path / "e.mbox"
    path.write_bytes(b"")
    assert fails(path) == f"{path}:1: error: empty file, no e-mail messages to read"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpgen.tickets.readers.csv_reader import CsvReader

    def denied(self, path, ctx):
        raise PermissionError(13, "Permission denied")
        yield  # a generator, like every reader

    monkeypatch.setattr(CsvReader, "read", denied)
    path = tmp_path / "locked.csv"
    path.write_text("id,body\n1,hi\n")
    assert fails(path) == f"{path}: error: cannot read the file (Permission denied); check the path and its permissions"


def test_header_only_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("id,body\n")
    tickets, problems = read([path])
    assert tickets == [] and [str(p) for p in problems] == [
        f"{path}:1: warning: no tickets in this file: it has a header row but no rows below it"]


@pytest.mark.parametrize("name, data, what", [
    ("t.csv", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "this is a zip archive or Excel workbook (.xlsx), "
                                                                  "save it as CSV UTF-8"),
    ("t.json", b"\x1f\x8b\x08\x00" + bytes(200), "this is a gzip archive, unpack it first"),
    ("t.csv", bytes(range(256)) * 8, "export the tickets as CSV, JSON Lines, JSON or mbox"),
    ("t.csv", b"id,body\n1,\x00\x00\x00\x01\x02\x03\x00\x00\xfe\x00\x00\x07\x00", "export the tickets as CSV, "
                                                                                 "JSON Lines, JSON or mbox"),
])
def test_binary_data(tmp_path: Path, name: str, data: bytes, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert fails(path).startswith(f"{path}:1: error: binary data, not a ticket log")
    assert fails(path).endswith(what)


def test_encoding_that_changes_part_way(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    rows = "".join(f"{i},plain ascii question number {i}\n" for i in range(5000))  # > the detection sample
    path.write_bytes(b"id,body\n" + rows.encode() + "5000,caf\u00e9 cr\u00e8me\n".encode("cp1252"))
    assert fails(path) == (f"{path}:5002: error: cannot decode byte 0xe9 as utf-8: the file mixes encodings; "
                           "save it as CSV UTF-8")


def test_undetectable_encoding(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"id,body\n1," + bytes(range(0x80, 0x100)) * 2 + b"\n")  # every high byte: no encoding fits
    assert fails(path) == (f"{path}:1: error: cannot tell the text encoding (not UTF-8, UTF-16 or GB18030); "
                           "save the file as CSV UTF-8")


def test_format_override_and_sniffing(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text('{"body": "from a .txt file"}\n')
    assert reader_for(path).name == "json"
    assert [t.question for t in read([path])[0]] == ["from a .txt file"]
    odd = tmp_path / "export.dat"
    odd.write_text("id,body\n1,hello\n")
    assert reader_for(odd).name == "csv"
    assert reader_for(odd, "zendesk").name == "json" and reader_for(odd, "TSV").name == "csv"
    with pytest.raises(TicketError, match="unknown ticket format `xls`, use one of: csv, email, eml, json"):
        reader_for(odd, "xls")
    nothing = tmp_path / "notes.dat"
    nothing.write_text("just some words\n")
    assert fails(nothing) == (f"{nothing}:1: error: cannot tell the ticket format from the name or the content; use "
                              "--format csv|json|zendesk|mbox|eml")


def test_missing_path(tmp_path: Path) -> None:
    assert fails(tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: error: no such file or folder; check the --tickets path"


def test_duplicate_ids_counted_once_across_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.jsonl"
    a.write_text("id,body\n1,first\n2,second\n1,first again\n")
    b.write_text('{"id": "2", "body": "second, from b"}\n{"id": "3", "body": "third"}\n')
    tickets, problems = read([a, b])
    assert [(t.id, t.question) for t in tickets] == [("1", "first"), ("2", "second"), ("3", "third")]
    assert [str(p) for p in problems] == [
        f"{a}:4: warning: duplicate ticket id `1`, counted once (the first copy is kept)",
        f"{b}:1: warning: duplicate ticket id `2`, counted once (the first copy is kept)"]


def test_mixed_date_formats_and_timezones_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("id,body,created_at\n1,a,2026-01-05T14:03:00Z\n2,b,2026-01-05 15:03\n3,c,13/01/2026 14:03\n"
                    "4,d,\"Mon, 05 Jan 2026 15:03:00 +0100\"\n5,e,1767621780\n6,f,2026-01-05T09:03:00-05:00\n"
                    "7,g,02/01/2026 08:00\n")
    tickets, problems = read([path])
    assert problems == []
    iso = [t.created.isoformat() for t in tickets]
    assert iso[0] == iso[4] and tickets[0].created == tickets[3].created == tickets[5].created
    assert iso[1] == "2026-01-05T15:03:00+00:00"  # naive = UTC
    assert iso[2] == "2026-01-13T14:03:00+00:00" and iso[6] == "2026-01-02T08:00:00+00:00"  # day first, as inferred


def test_links_by_site_url_and_by_path() -> None:
    finder = LinkFinder({"cards/track-your-card/": "cards/track-your-card", "top-up/auto-top-up/": "top-up/auto-top-up",
                         "fees/": "fees"}, "https://pocket.example/help/")
    text = ("See /help/cards/track-your-card/, https://help.pocket.example/cards/track-your-card/#x and "
            "<https://pocket.example/help/top-up/auto-top-up/index.html>; not https://pocket.example/help/other/ "
            "nor 10/01/2026")
    assert finder.find(text) == ("cards/track-your-card", "top-up/auto-top-up")
    assert LinkFinder({}, "").find(text) == ()


def test_progress_reports_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("id,body\n" + "".join(f"{i},question {i}\n" for i in range(5000)))
    b.write_text("id,body\nx,last\n")
    calls: list[tuple[int, int]] = []
    list(read_tickets([a, b], on_progress=lambda done, total: calls.append((done, total))))
    total = a.stat().st_size + b.stat().st_size
    assert calls[-1] == (total, total) and all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and len(calls) > 2


def test_folder_skips_readme_and_reads_ticket_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# not tickets\n")
    (tmp_path / "a.csv").write_text("id,body\n1,hello\n")
    (tmp_path / "b.jsonl").write_text('{"id": 2, "body": "hi"}\n')
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "c.csv").write_text("id,body\n3,你好\n")  # a subfolder is read only when named
    assert [t.id for t in read([tmp_path])[0]] == ["1", "2"]
    assert [t.id for t in read([tmp_path, tmp_path / "zh"])[0]] == ["1", "2", "3"]


def _write_big_csv(path: Path, rows: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at"])
        for i in range(rows):
            writer.writerow([i, f"2026-01-{1 + i % 28:02d}T10:00:00Z", "email", f"Subject {i % 50}",
                             f"My card {i} has not arrived, it has been {i % 20} days. Call 07700 900{i % 1000:03d}.",
                             "solved", "See https://help.pocket.example/cards/track-your-card/", "2026-02-01 10:00"])


def test_streaming_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    """60k rows (~12 MB): the traced peak stays far below the file size, and from row 10k to row 60k it grows
    only by the set of seen ids (~60-80 bytes a ticket), not by the rows read."""
    path = tmp_path / "big.csv"
    _write_big_csv(path, 60_000)
    size = path.stat().st_size
    tracemalloc.start()
    count, early = 0, 0
    for _ in read_tickets([path], link_map={"cards/track-your-card/": "cards/x"}):
        count += 1
        if count == 10_000:
            early = tracemalloc.get_traced_memory()[1]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 60_000 and size > 9_000_000
    assert peak < size / 2, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
    assert (peak - early) / 50_000 < 120, f"{(peak - early) / 50_000:.0f} bytes a row"


def test_sample_ticket_log(tmp_path: Path) -> None:
    """The bundled sample: ~2,000 tickets, answered and not, links, redactions, six duplicate ids, no bad rows."""
    problems: list[Problem] = []
    redactor = Redactor()
    links = {"cards/track-your-card/": "cards/track-your-card", "exchange/exchange-rates/": "exchange/exchange-rates"}
    tickets = list(read_tickets([ROOT / "sample_kb" / "tickets" / "tickets.csv"], redactor=redactor, report=problems.append,
                                link_map=links, site_url="https://help.pocket.example/"))
    assert 1900 <= len(tickets) <= 2100
    assert all(p.message.startswith("duplicate ticket id") for p in problems) and len(problems) == 6
    unanswered = sum(not t.answered for t in tickets) / len(tickets)
    assert 0.07 < unanswered < 0.14
    assert all(t.created and t.created.year == 2026 and t.created.month <= 6 for t in tickets)
    assert {t.channel for t in tickets} == {"email", "chat", "web", "phone"}
    assert any("cards/track-your-card" in t.linked_articles for t in tickets)
    assert min(redactor.counts[k] for k in ("email", "phone", "card", "iban")) > 10
    texts = [t.question for t in tickets] + [t.subject for t in tickets]
    assert not [t for t in texts if re.search(r"\d{3,4}[ -]\d{4}[ -]\d{3,4}|@mail\.example", t)]


def test_json_array_streams_too(tmp_path: Path) -> None:
    """A 40k-item JSON array (~9.6 MB) is read item by item: memory grows only by the set of seen ids."""
    path = tmp_path / "big.json"
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n")
        for i in range(40_000):
            sep = "," if i else ""
            f.write(f'{sep}{{"id": {i}, "created_at": "2026-01-05T10:00:00Z", "subject": "Card {i % 50}", '
                    f'"body": "My card {i} has not arrived after {i % 20} days, where is it? Please help.", '
                    f'"status": "solved", "reply": "Cards arrive in 5-7 working days.", "tags": ["cards"]}}\n')
        f.write("]\n")
    size = path.stat().st_size
    tracemalloc.start()
    count, early = 0, 0
    for _ in read_tickets([path]):
        count += 1
        if count == 4_000:
            early = tracemalloc.get_traced_memory()[1]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 40_000 and size > 8_000_000
    assert peak < size / 1.5, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
    assert (peak - early) / 36_000 < 120, f"{(peak - early) / 36_000:.0f} bytes an item"  # only the id set grows
