"""Ticket dates: python-dateutil for every text form, fast paths that give the same results, no crash."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from dateutil import parser as dateutil_parser

from helpgen.errors import Problem
from helpgen.tickets import read_tickets
from helpgen.tickets.dates import DateParser


@pytest.mark.parametrize("text", ["05/01/2026 14:03", "13/01/2026", "5.1.2026 9:05:07", "31-12-2025 23:59",
                                  "05/01/2026 14:03 UTC", "05/01/2026 14:03 +01:00", "01/02/2026"])
@pytest.mark.parametrize("dayfirst", [True, False])
def test_numeric_fast_path_gives_what_dateutil_gives(text: str, dayfirst: bool) -> None:
    got = DateParser(dayfirst)._from_numeric(text)
    expected = dateutil_parser.parse(text, dayfirst=dayfirst)
    expected = expected if expected.tzinfo else expected.replace(tzinfo=timezone.utc)
    assert got == expected and got.utcoffset() == expected.utcoffset()


def test_day_first_is_inferred_from_the_export() -> None:
    parser = DateParser()
    assert parser.parse("02/03/2026").month == 3  # day first until the file says otherwise
    assert parser.parse("03/25/2026 10:00 AM") == datetime(2026, 3, 25, 10, tzinfo=timezone.utc)
    assert parser.dayfirst is False and parser.parse("02/03/2026").month == 2
    assert parser.parse("Feb 3, 2026 4:05 PM") == datetime(2026, 2, 3, 16, 5, tzinfo=timezone.utc)


@pytest.mark.parametrize("value", [1e300, -1e300, float("nan"), float("inf"), "1e300", "99999999999999999", "5",
                                   "March", "2026-02-30", "31/02/2026", "x" * 500])
def test_impossible_dates_raise_value_error(value: object) -> None:
    with pytest.raises(ValueError):
        DateParser().parse(value)


def test_json_created_at_1e300_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"id": 1, "body": "hi", "created_at": 1e300}]), encoding="utf-8")
    problems: list[Problem] = []
    [ticket] = read_tickets([path], report=problems.append)
    assert ticket.created is None
    assert [str(p) for p in problems] == [
        f"{path}:1: warning: cannot read the date `1e+300` in `created_at`, use ISO 8601 such as 2026-01-05T14:03:00Z; "
        "kept without that date"]
