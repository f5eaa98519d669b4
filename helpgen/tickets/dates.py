"""Timestamps from ticket exports, as timezone-aware datetimes (naive values are taken as UTC).

Accepted, mixed freely within one file: ISO 8601 (`2026-01-05T14:03:00Z`, `2026-01-05 14:03`), day/month
or month/day with `/`, `.` or `-` (`05/01/2026 14:03`; the order is inferred from the first unambiguous value
in the file, day first until then), month names (`Jan 5, 2026 2:03 PM`, `5 January 2026`), RFC 2822
(`Mon, 05 Jan 2026 14:03:00 +0100`) and epoch seconds or milliseconds.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

NUMERIC_RE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*(.*)$")
ZONE_WORDS = re.compile(r"\s*\b(?:UTC|GMT|Z)\s*$")
NAMED_FORMATS = (
    "%b %d, %Y %I:%M %p", "%b %d, %Y %H:%M", "%b %d, %Y", "%B %d, %Y %I:%M %p", "%B %d, %Y %H:%M", "%B %d, %Y",
    "%d %b %Y %H:%M", "%d %b %Y", "%d %B %Y %H:%M", "%d %B %Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%d %b %Y %H:%M:%S", "%b %d %Y %H:%M:%S",
    "%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %H:%M",  # Jira
)


class DateParser:
    """Parses the timestamps of one file; remembers whether its numeric dates put the day first."""

    def __init__(self, dayfirst: bool | None = None) -> None:
        self.dayfirst = dayfirst

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
        if len(text) >= 10 and text[4] == "-":
            try:
                result = datetime.fromisoformat(text)
                return result if result.tzinfo else result.replace(tzinfo=timezone.utc)
            except ValueError:
                pass
        for parse in (_from_epoch_text, _from_iso, self._from_numeric, _from_named, _from_rfc2822):
            result = parse(text)
            if result is not None:
                return result if result.tzinfo else result.replace(tzinfo=timezone.utc)
        raise ValueError(text)

    def _from_numeric(self, text: str) -> datetime | None:
        m = NUMERIC_RE.match(text)
        if not m:
            return None
        a, b, year, hour, minute, second, ampm, rest = m.groups()
        a, b = int(a), int(b)
        if self.dayfirst is None and (a > 12 or b > 12):
            self.dayfirst = a > 12
        day, month = (a, b) if self.dayfirst in (None, True) else (b, a)
        if day > 31 or month > 12:
            day, month = month, day
        hour_n = int(hour or 0) % 12 + (12 if ampm and ampm.lower() == "pm" else 0) if ampm else int(hour or 0)
        year_n = int(year) + (2000 if len(year) == 2 else 0)
        try:
            naive = datetime(year_n, month, day, hour_n, int(minute or 0), int(second or 0))
        except ValueError:
            return None
        return _with_zone(naive, rest)


def _epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


EPOCH_RE = re.compile(r"\d{9,10}(\.\d+)?|\d{12,13}")
ISO_START_RE = re.compile(r"\d{4}-?\d{2}-?\d{2}")


def _from_epoch_text(text: str) -> datetime | None:
    if EPOCH_RE.fullmatch(text):
        return _epoch(float(text))
    return None


def _from_iso(text: str) -> datetime | None:
    if not ISO_START_RE.match(text):
        return None
    cleaned = ZONE_WORDS.sub("", text) if not text.endswith("Z") else text
    try:
        result = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return result


# What NAMED_FORMATS can match: ASCII letters (month names, AM/PM; plus the few non-ASCII letters that re's
# IGNORECASE folds onto them), digits, whitespace, `,`, `:` and `/`. Anything else cannot match: skip strptime,
# whose regex cache (5 formats in Python 3.11) thrashes when many formats are tried.
NAMED_CHARS_RE = re.compile(r"[A-Za-z\d\s,:/\u0130\u0131\u017f\u212a]+")
ASCII_DIGIT_RE = re.compile(r"[0-9]")  # every named format has %d, which starts with an ASCII digit
_last_named = [NAMED_FORMATS[0]]  # the format that matched last is tried first


def _from_named(text: str) -> datetime | None:
    cleaned = ZONE_WORDS.sub("", text.replace(" at ", " "))
    if not NAMED_CHARS_RE.fullmatch(cleaned) or not ASCII_DIGIT_RE.search(cleaned) or \
            ("/" not in cleaned and cleaned.upper() == cleaned.lower()):
        return None  # every named format needs a digit and a month name, AM/PM or a `/`
    last = _last_named[0]
    for fmt in (last, *NAMED_FORMATS):  # at most one format matches a whole text, so the order is free
        try:
            result = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        _last_named[0] = fmt
        return result
    return None


def _from_rfc2822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
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
