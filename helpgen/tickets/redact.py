"""Redact personal data from ticket text before anything is stored or written.

Kinds and their placeholders: emails `[email]`, IBANs `[iban]` (mod-97 checked), card numbers `[card]`
(13-19 digits, Luhn-checked), IP addresses `[ip]`, phone numbers `[phone]` and user patterns from
`tickets.redact` in helpgen.yml `[redacted]`. `Redactor.counts` says how many of each were replaced.
"""
from __future__ import annotations

import ipaddress
import re
from collections import Counter
from typing import Callable, Sequence

PLACEHOLDERS = {"email": "[email]", "phone": "[phone]", "card": "[card]", "iban": "[iban]", "ip": "[ip]",
                "redacted": "[redacted]"}

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", re.ASCII)
IBAN_RE = re.compile(r"\b(?i:[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?)\b", re.ASCII)
CARD_RE = re.compile(r"(?<![\w.,/-])\d(?:[ -]?\d){12,18}(?![\w/-]|[.,]\d)", re.ASCII)
IPV4_RE = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]|\.\d)", re.ASCII)
IPV6_RE = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?(?![\w:])", re.ASCII)
# Phone candidates: optional +CC / 00CC, optional (area), then 2-5 digit groups split by one space, dot or dash.
PHONE_RE = re.compile(
    r"(?<![\w+#/.,:-])(?=(?:[ .()+-]{0,3}\d){8})(?:(?:\+|00)\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?(?:\d{1,5}(?:[ .-]\d{1,6}){0,6}|\d{6,15})(?![\w/#]|[.,:]\d)", re.ASCII)
NON_DIGIT_RE = re.compile(r"\D")
SEPARATOR_RE = re.compile(r"[ ().-]")
CN_MOBILE_RE = re.compile(r"1[3-9]\d{9}$")
# Every IBAN, card, phone or IPv4 has 7+ digits/separators in a row somewhere; IPv6 has `:x:` or `::`.
CANDIDATE_RE = re.compile(r"\d[\d .()+-]{5,}\d|:[0-9A-Fa-f]{0,4}:", re.ASCII)
DATE_LIKE_RE = re.compile(r"^\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}\b|^\d{1,2}[-./ ]\d{1,2}[-./ ]\d{4}\b")


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum used by every card network."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(text: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (spaces and dashes ignored)."""
    s = re.sub(r"[ -]", "", text).upper()
    if not (15 <= len(s) <= 34 and s[:2].isalpha() and s[2:4].isdigit()):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _card(match: str) -> bool:
    digits = NON_DIGIT_RE.sub("", match)
    return 13 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1


def _ipv6(match: str) -> bool:
    if "::" not in match and match.count(":") != 7:
        return False
    try:
        ipaddress.IPv6Address(match.split("%")[0])
    except ValueError:
        return False
    return True


def _phone(match: str) -> bool:
    digits = NON_DIGIT_RE.sub("", match)
    if match.startswith(("+", "00")):
        return 8 <= len(digits) <= 15
    if DATE_LIKE_RE.match(match) or not 10 <= len(digits) <= 11:
        return False
    # national numbers: a trunk 0 (UK, EU), a Chinese mobile 1[3-9]x, or grouped like (555) 123-4567
    return digits[0] == "0" or bool(CN_MOBILE_RE.match(digits)) or bool(SEPARATOR_RE.search(match))


NUMBER_RULES: tuple[tuple[str, re.Pattern[str], Callable[[str], bool] | None], ...] = (
    ("iban", IBAN_RE, iban_ok),
    ("card", CARD_RE, _card),
    ("ip", IPV6_RE, _ipv6),
    ("ip", IPV4_RE, None),
    ("phone", PHONE_RE, _phone),
)
# All number-like kinds in one pass: at each position the first kind (in priority order) that matches wins;
# when its check fails, the later kinds are tried on the same text.
NUMBERS_RE = re.compile("|".join(f"(?P<k{i}>{p.pattern})" for i, (_, p, _) in enumerate(NUMBER_RULES)), re.ASCII)


def _may_hold_number(text: str) -> bool:
    """Cheap pre-check for CANDIDATE_RE, which needs an ASCII digit or two `:` (substring tests beat a regex)."""
    return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text or "5" in text
            or "6" in text or "7" in text or "8" in text or "9" in text or text.count(":") > 1)


class Redactor:
    """Replace personal data with placeholders such as `[email]`; `.counts` tallies each kind."""

    def __init__(self, extra_patterns: Sequence[str] = ()) -> None:
        self.counts: Counter[str] = Counter()
        self._extra = [re.compile(p) for p in extra_patterns]

    def redact(self, text: str) -> str:
        """The text with every personal item replaced by its placeholder."""
        if not text:
            return text
        for pattern in self._extra:
            text = pattern.sub(self._user, text)
        if "@" in text:
            text = EMAIL_RE.sub(self._email, text)
        if _may_hold_number(text) and CANDIDATE_RE.search(text):  # most texts have no long number
            text = NUMBERS_RE.sub(self._number, text)
        return text

    def _count(self, kind: str) -> str:
        self.counts[kind] += 1
        return PLACEHOLDERS[kind]

    def _user(self, match: re.Match[str]) -> str:
        return self._count("redacted") if match.group(0) else ""

    def _email(self, match: re.Match[str]) -> str:
        return self._count("email")

    def _number(self, match: re.Match[str]) -> str:
        first = int(match.lastgroup[1:]) if match.lastgroup else len(NUMBER_RULES)
        return self._from(match.group(0), first)

    def _from(self, text: str, first: int) -> str:
        kind, pattern, check = NUMBER_RULES[first]
        if check is None or check(text):
            return self._count(kind)
        for later in range(first + 1, len(NUMBER_RULES)):  # e.g. a Luhn-invalid 13-digit phone number
            m = NUMBER_RULES[later][1].fullmatch(text)
            if m:
                return self._from(text, later)
        return text
