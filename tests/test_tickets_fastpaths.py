"""The per-row fast paths of ticket reading give exactly what the general code gives."""
from __future__ import annotations

import io
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from helpgen.errors import TicketError
from helpgen.tickets import read_tickets
from helpgen.tickets.dates import DateParser
from helpgen.tickets.links import LinkFinder
from helpgen.tickets.readers.base import channel_of
from helpgen.encoding import decoded_lines
from helpgen.tickets.redact import CANDIDATE_RE, Redactor, _may_hold_number
from helpgen.tickets.text import html_to_text


@pytest.mark.parametrize("text", ["no numbers at all", "a 7", "ratio 3:4", "９ full-width digit", "", "x:y",
                                  "٣ arabic-indic digit", "call 020 7946 0958", "see https://help.example/x",
                                  "fe80::1", "a:b:c", "ab:cd", "::"])
def test_digit_precheck_never_hides_a_candidate(text: str) -> None:
    assert _may_hold_number(text) == bool(re.search(r"[0-9]|:.*:", text))
    if CANDIDATE_RE.search(text):
        assert _may_hold_number(text)


def test_redactor_without_digits_keeps_text_and_counts_nothing() -> None:
    r = Redactor()
    assert r.redact("Why was my card payment declined twice?") == "Why was my card payment declined twice?"
    assert r.redact("ring me: 020 7946 0958") == "ring me: [phone]"
    assert r.redact("addr fe::ab here, see https://x.example/a") == "addr [ip] here, see https://x.example/a"
    assert dict(r.counts) == {"phone": 1, "ip": 1}


@pytest.mark.parametrize("value, expected", [
    ("2026-01-05T14:03:00+01:00", datetime(2026, 1, 5, 13, 3, tzinfo=timezone.utc)),
    ("2026-01-05 14:03", datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)),
    ("  2026-01-05T14:03:00Z  ", datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)),
    ("2026-01-05T14:03:00 UTC", datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)),
    ("05/01/2026 14:03", datetime(2026, 1, 5, 14, 3, tzinfo=timezone.utc)),
])
def test_iso_fast_path_and_fallbacks(value: str, expected: datetime) -> None:
    got = DateParser().parse(value)
    assert got == expected and got.utcoffset() is not None


def test_iso_fast_path_keeps_the_offset() -> None:
    assert DateParser().parse("2026-01-05T14:03:00+05:30").utcoffset() == timedelta(hours=5, minutes=30)


def test_bad_iso_like_date_still_raises() -> None:
    with pytest.raises(ValueError):
        DateParser().parse("2026-13-45")


def test_links_need_a_slash() -> None:
    finder = LinkFinder({"cards/track/": "cards/track"}, "https://help.example/")
    assert finder.find("no link here") == ()
    assert finder.find("see https://help.example/cards/track/ and /cards/track/") == ("cards/track",)


def test_html_precheck() -> None:
    assert html_to_text("a < b and c > d") == "a < b and c > d"
    assert html_to_text("<p>Hi &amp; bye</p>") == "Hi & bye\n"


def test_channel_cache_gives_the_same_answer_every_time() -> None:
    for _ in range(3):
        assert channel_of(" E-mail ") == "email"
        assert channel_of("Web Form") == "web"
        assert channel_of("") == ""
    assert channel_of({"channel": "voice"}) == "phone"


def test_utf8_lines_fast_and_errors_name_the_line(tmp_path: Path) -> None:
    data = "a,b\n\u00e9t\u00e9,\u4f60\u597d\n".encode() + b"ok\n\xff bad\n"
    lines = decoded_lines(io.BytesIO(data), "utf-8", tmp_path / "x.csv")
    assert [next(lines) for _ in range(3)] == ["a,b\n", "\u00e9t\u00e9,\u4f60\u597d\n", "ok\n"]
    with pytest.raises(TicketError) as info:
        next(lines)
    assert info.value.format_message().startswith(f"{tmp_path / 'x.csv'}:4: error: cannot decode byte 0xff as utf-8")


def test_utf8_sig_bom_is_dropped() -> None:
    lines = list(decoded_lines(io.BytesIO(b"\xef\xbb\xbfid,body\n1,x\n"), "utf-8-sig", Path("x.csv")))
    assert lines == ["id,body\n", "1,x\n"]


def test_short_and_long_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,created_at,channel,body,reply\nA,2026-01-05,chat,short row\n"
                    "B,2026-01-06,email,long row,see /cards/track/,extra,cells\n", encoding="utf-8")
    got = list(read_tickets([path], link_map={"cards/track/": "cards/track"}))
    assert [(t.id, t.channel, t.question, t.linked_articles) for t in got] == [
        ("A", "chat", "short row", ()), ("B", "email", "long row", ("cards/track",))]
    assert got[1].replies[0].text == "see /cards/track/"


def test_repeated_links_give_the_same_articles() -> None:
    finder = LinkFinder({"cards/track/": "cards/track", "fees/": "fees"}, "https://help.example/")
    text = "see https://help.example/cards/track/. Also /fees/ and https://help.example/nope/"
    first = finder.find(text)
    assert first == ("cards/track", "fees")
    assert finder.find(text) == first and finder.find("https://help.example/fees/") == ("fees",)


def test_named_dates_in_any_order_and_skipped_garbage() -> None:
    parser = DateParser()
    samples = {"Jan 5, 2026 2:03 PM": datetime(2026, 1, 5, 14, 3), "5 January 2026": datetime(2026, 1, 5),
               "05/Jan/26 2:03 PM": datetime(2026, 1, 5, 14, 3), "2026/01/05 14:03": datetime(2026, 1, 5, 14, 3),
               "Mon, 05 Jan 2026 14:03:00 +0100": datetime(2026, 1, 5, 13, 3),
               "May 5, 2026 at 09:30 UTC": datetime(2026, 5, 5, 9, 30)}
    for _ in range(2):  # the second round starts from whatever format matched last
        for text, expected in [*samples.items(), *reversed(samples.items())]:
            assert parser.parse(text).astimezone(timezone.utc) == expected.replace(tzinfo=timezone.utc), text
    for bad in ("garbage", "Jan", "soon-ish", "5 Smarch 2026"):
        with pytest.raises(ValueError):
            parser.parse(bad)


def test_a_remembered_redaction_is_the_same_and_counted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import helpgen.tickets.redact as redact_module

    monkeypatch.setattr(redact_module, "MEMO_SIZE", 2)  # the memo is also emptied when full
    texts = ["Hi Maria, call 020 7946 0958 or mail a.b@example.com", "no personal data here",
             "Where is it?\n\nThanks,\nJohn Smith", "card 4111 1111 1111 1111 and ORDER-12"]
    remembering = Redactor([r"ORDER-\d+"])
    expected: Counter = Counter()
    for text in texts * 3 + texts[::-1]:
        fresh = Redactor([r"ORDER-\d+"])
        assert remembering.redact(text) == fresh.redact(text)
        expected.update(fresh.counts)
    assert remembering.counts == expected and expected["name"] == 8 and expected["phone"] == 4


def _segment_starts(pattern: re.Pattern, text: str) -> list[int]:
    from helpgen.tickets.redact import FIRST_WORDS

    return [m.start(1) for m in pattern.finditer(text) if m.group(1).lower() in FIRST_WORDS]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Hi", "HELLO", "thanks", "Thank", "kind", "\u212aind", "ol\u00e1", "OL\u00c1", "best",
                                 "bestest", "hiya", "his", "x", " ", "\n", ".", "!", "?", "-", "> ", "_", "9", "\u0130",
                                 "\u017f", "regards", "Yours"]), max_size=25).map("".join))
def test_first_word_scan_finds_what_the_segment_scan_finds(text: str) -> None:
    from helpgen.tickets.redact import FIRST_WORD_SEGMENT_RE, SEGMENT_RE

    assert _segment_starts(FIRST_WORD_SEGMENT_RE, text) == _segment_starts(SEGMENT_RE, text)
