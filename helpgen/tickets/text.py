"""Cleaning message text: quoted replies and signatures out, the customer's own words kept."""
from __future__ import annotations

import html
import re

QUOTE_HEADER_RE = re.compile(
    r"^\s*(?:On\b.{0,200}\bwrote:|Le\b.{0,200}\ba écrit\s*:|Am\b.{0,200}\bschrieb.{0,80}:|"
    r"-{2,}\s*Original Message\s*-{2,}|-{2,}\s*Forwarded message\s*-{2,}|From:\s.+|"
    r"在.{0,120}写道[:：]|发件人[:：].*)\s*$", re.IGNORECASE)
SIGN_OFF_RE = re.compile(
    r"^\s*(?:thanks?(?: you)?(?: (?:so|very) much)?(?: in advance)?|many thanks|thx|cheers|best(?: regards| wishes)?|"
    r"kind regards|regards|warm regards|sincerely|yours(?: sincerely| truly)?|br|sent from my \w+.*|谢谢|此致)"
    r"[\s,.!。！]*$", re.IGNORECASE)
MAX_SIGNATURE_LINES = 4
GREETING_RE = re.compile(r"^\s*(?:hi|hello|hey|dear [\w ]{1,30}|good (?:morning|afternoon|evening)|hi there|"
                         r"hello team|您好|你好)[\s,.!，！]*$", re.IGNORECASE)


def clean_message(text: str) -> str:
    """The message without quoted replies (`>` lines, "On ... wrote:") and without a trailing signature."""
    if not text:
        return ""
    if "\n" not in text and "\r" not in text and ">" not in text and "wrote" not in text:
        return text.strip()
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.rstrip() in ("--", "-- ", "__") or QUOTE_HEADER_RE.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    _drop_sign_off(kept)
    while len(kept) > 1 and (not kept[0].strip() or GREETING_RE.match(kept[0])):
        del kept[0]  # a greeting on its own line ("Hi,") says nothing about the question
    return "\n".join(kept).strip()


def _drop_sign_off(lines: list[str]) -> None:
    """Remove a sign-off ("Thanks,", "Best regards") and the few short lines after it (a name)."""
    while lines and not lines[-1].strip():
        lines.pop()
    start = max(0, len(lines) - MAX_SIGNATURE_LINES - 1)
    for i in range(len(lines) - 1, start - 1, -1):
        if SIGN_OFF_RE.match(lines[i]) and all(len(l) <= 60 for l in lines[i + 1:]) and i > 0:
            del lines[i:]
            return


def one_line(text: str) -> str:
    """Collapse runs of whitespace (used for subjects)."""
    return " ".join(text.split())


HTML_RE = re.compile(r"<(?:p|div|br|span|a|b|i|strong|em|ul|ol|li|table|html|body)\b[^>]*>", re.IGNORECASE)


def html_to_text(text: str) -> str:
    """Plain text from an HTML body (some help desks export descriptions as HTML); other text unchanged."""
    if "<" not in text or not HTML_RE.search(text):
        return text
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|tr|h\d)>", "\n", text)
    text = re.sub(r"(?i)<a\b[^>]*href=[\"']([^\"']+)[\"'][^>]*>", r" \1 ", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))
