"""Naming the encoding of text that is not UTF-8 (a leaf module: articles and ticket logs both use it).

charset-normalizer guesses well on long text, but on a few accented words it often names a sibling code
page (cp1250, cp1257) or even an Asian one. Western European text is by far the most common 8-bit case, so
windows-1252 wins when its decoding reads as Latin words: accented letters inside ASCII words, never three
non-ASCII characters in a row (Cyrillic or Chinese bytes read as windows-1252 give long runs), never a symbol
between two letters (Polish `ł` read as windows-1252 is `³`).
"""
from __future__ import annotations

import re

WESTERN = "windows-1252"
# a non-ASCII character between two letters: in Western text it is an accented letter, never a symbol
INNER_RE = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])[^\x00-\x7f](?=[A-Za-z\u00c0-\u024f])")
RUN_RE = re.compile(r"[^\x00-\x7f]{3}")  # three non-ASCII characters in a row: not a Western language


def reads_as_western(data: bytes) -> bool:
    """True when data decodes as windows-1252 into Latin text with accented letters only inside words."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    if RUN_RE.search(text):
        return False
    accented = sum(1 for ch in text if ord(ch) > 127)
    ascii_letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return accented <= ascii_letters * 0.5 and all(ch.isalpha() for ch in INNER_RE.findall(text))


def guess_encoding(data: bytes) -> str | None:
    """The most likely 8-bit (or CJK) encoding of data that is not UTF-8, as a name Python's codecs know;
    None when nothing fits."""
    if reads_as_western(data):
        return WESTERN
    from charset_normalizer import from_bytes  # imported late: only needed for files that are not UTF-8

    best = from_bytes(data).best()
    if best is None:
        return None
    return WESTERN if best.encoding == "cp1252" else best.encoding
