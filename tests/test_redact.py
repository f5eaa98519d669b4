"""Redaction of personal data in ticket text."""
from __future__ import annotations

import pytest

from helpgen.tickets.redact import Redactor, iban_ok, luhn_ok


@pytest.mark.parametrize("text, expected", [
    ("write to anna.b+card@mail.example.co.uk today", "write to [email] today"),
    ("card 4111 1111 1111 1111 please", "card [card] please"),
    ("card 4111-1111-1111-1111.", "card [card]."),
    ("amex 378282246310005", "amex [card]"),
    ("IBAN GB82 WEST 1234 5698 7654 32 thanks", "IBAN [iban] thanks"),
    ("iban DE89370400440532013000.", "iban [iban]."),
    ("lower case gb82 west 1234 5698 7654 32 too", "lower case [iban] too"),
    ("from 192.168.1.10 and 2001:db8::1", "from [ip] and [ip]"),
    ("call +44 20 7946 0958 now", "call [phone] now"),
    ("or 07700 900123", "or [phone]"),
    ("US (555) 123-4567 or 555-123-4567", "US [phone] or [phone]"),
    ("mobile 13800138000", "mobile [phone]"),
    ("NL 0031 6 1234 5678", "NL [phone]"),
])
def test_redacts_each_kind(text: str, expected: str) -> None:
    assert Redactor().redact(text) == expected


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 fails Luhn",          # invalid check digit
    "reference 1234 5678 9012 3456",                 # 16 digits, not Luhn-valid
    "IBAN GB82 WEST 1234 5698 7654 33",              # wrong mod-97 check
    "on 2026-01-05 14:03 and 05/01/2026 at 14:03:22",  # dates and times
    "I paid 1,234.56 EUR and then 100.00 GBP, 1 000 000 in total",  # amounts
    "ticket #1234567890 order 12345678 case 2026010512",  # ids
    "app version 5.12.0 and 10.4",
])
def test_leaves_non_personal_numbers_alone(text: str) -> None:
    redactor = Redactor()
    assert redactor.redact(text) == text
    assert sum(redactor.counts.values()) == 0


def test_counts_every_kind() -> None:
    r = Redactor()
    r.redact("a@b.example 4111111111111111 5555 5555 5555 4444 +33 6 12 34 56 78 10.0.0.1")
    assert r.counts == {"email": 1, "card": 2, "phone": 1, "ip": 1}


def test_user_patterns_and_placeholder() -> None:
    r = Redactor([r"ACC-\d{6}", r"(?i)customer no\. \d+"])
    assert r.redact("ACC-123456 and Customer no. 991 and ACC-12") == "[redacted] and [redacted] and ACC-12"
    assert r.counts["redacted"] == 2


def test_checksums() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 31")
    assert not iban_ok("GB82")


def test_chinese_text_with_mobile_number() -> None:
    assert Redactor().redact("我的手机号是13800138000，谢谢") == "我的手机号是[phone]，谢谢"
