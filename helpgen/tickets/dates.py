"""Timestamps from ticket exports, as timezone-aware datetimes (naive values are taken as UTC).

Accepted, mixed freely within one file: ISO 8601 (`2026-01-05T14:03:00Z`, `2026-01-05 14:03`), day/month
or month/day with `/`, `.` or `-` (`05/01/2026 14:03`; the order is inferred from the first unambiguous value
in the file, day first until then), month names (`Jan 5, 2026 2:03 PM`, `5 January 2026`), RFC 2822
(`Mon, 05 Jan 2026 14:03:00 +0100`) and epoch seconds or milliseconds.

python-dateutil reads every text form, told whether the day comes first. Two fast paths give the same
results for what most exports write: ISO 8601 (`datetime.fromisoformat`) and `dd/mm/yyyy hh:mm`.
"""
from __future__ import annotations

import math
import re
import warnings
from datetime import datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

NUMERIC_RE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*(.*)$")
ZONE_WORDS = re.compile(r"\s*\b(?:UTC|GMT|Z)\s*$")
EPOCH_RE = re.compile(r"\d{9,10}(\.\d+)?|\d{12,13}")
ISO_START_RE = re.compile(r"\d{4}-?\d{2}-?\d{2}")
YEAR_FIRST_RE = re.compile(r"\d{4}\D")
# Two defaults that differ in year, month and day: a text that leaves one of them out parses differently
# with each, and is refused (dateutil would otherwise fill it in from today: not reproducible).
DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


class DateParser:
    """Parses the timestamps of one file; remembers whether its numeric dates put the day first."""

    def __init__(self, dayfirst: bool | None = None) -> None:
        self.dayfirst = dayfirst
        self.guessed = False  # True once a value was read by the numeric or dateutil path (may use `dayfirst`)

    def parse(self, value: object) -> datetime | None:
        """A timezone-aware datetime, or None when the value is empty; ValueError when unreadable."""
        if type(value) is str and len(value) >= 10 and value[4] == "-" and not value[-1].isspace():
            try:  # fast path: ISO 8601, what most exports write
                result = datetime.fromisoformat(value)
                return result if result.tzinfo else result.replace(tzinfo=timezone.utc)
            except ValueError:
                pass
        if value is None or value == "":
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _epoch(float(value))
        text = str(value).strip()
        if not text:
            return None
        if EPOCH_RE.fullmatch(text):
            return _epoch(float(text))
        result = _from_iso(text) if ISO_START_RE.match(text) else None
        if result is None:
            self.guessed = True
            result = self._from_numeric(text)
        if result is None:
            result = self._from_dateutil(text)
        return result if result.tzinfo else result.replace(tzinfo=timezone.utc)

    def _from_numeric(self, text: str) -> datetime | None:
        """Fast path for `05/01/2026 14:03` (what dateutil gives for it, without its tokenizer)."""
        m = NUMERIC_RE.match(text)
        if not m:
            return None
        a, b, year, hour, minute, second, ampm, rest = m.groups()
        a, b = int(a), int(b)
        if self.dayfirst is None and (a > 12 or b > 12):
            self.dayfirst = a > 12
        if ampm or len(year) == 2:
            return None  # 12-hour clocks and two-digit years: dateutil's rules
        day, month = (a, b) if self.dayfirst in (None, True) else (b, a)
        if day > 31 or month > 12:
            day, month = month, day
        try:
            naive = datetime(int(year), month, day, int(hour or 0), int(minute or 0), int(second or 0))
        except ValueError:
            return None
        return _with_zone(naive, rest)

    def _from_dateutil(self, text: str) -> datetime:
        if len(text) > 100:
            raise ValueError(text[:40])
        dayfirst = self.dayfirst in (None, True) and not YEAR_FIRST_RE.match(text)  # 2026/01/05 is y/m/d
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unknown zone name (EST) is read as UTC, not printed
            try:
                first, second = (dateutil_parser.parse(text, dayfirst=dayfirst, default=d) for d in DEFAULTS)
            except (ValueError, OverflowError, TypeError) as exc:
                raise ValueError(text) from exc
        if first != second:
            raise ValueError(f"{text}: no full date (day, month and year)")
        return first


def _epoch(seconds: float) -> datetime:
    """Epoch seconds (or milliseconds, when too large for seconds); ValueError outside years 1970-9999."""
    if math.isnan(seconds) or math.isinf(seconds):
        raise ValueError(f"{seconds} is not a timestamp")
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    if not 0 <= seconds <= MAX_EPOCH:
        raise ValueError(f"{seconds:g} seconds is not a date between 1970 and 9999")
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _from_iso(text: str) -> datetime | None:
    cleaned = ZONE_WORDS.sub("", text) if not text.endswith("Z") else text
    try:
        return datetime.fromisoformat(cleaned)
    except ValueError:
        return None


def _with_zone(naive: datetime, rest: str) -> datetime | None:
    rest = rest.strip()
    if not rest or rest.upper() in ("UTC", "GMT", "Z"):
        return naive.replace(tzinfo=timezone.utc)
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})", rest, re.IGNORECASE)
    if not m:
        return None
    offset = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return naive.replace(tzinfo=timezone(offset if m.group(1) == "+" else -offset))
