"""Opening a ticket log (or any small text file a user gives, such as a --eval CSV) as text: encoding
detection that never mangles, and clear errors for non-text."""
from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import BinaryIO, Iterator

from helpgen.charset import guess_encoding
from helpgen.errors import TicketError
from helpgen.text import CJK_RANGES

SAMPLE = 64 * 1024
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
MAGIC = ((b"PK\x03\x04", "a zip archive or Excel workbook (.xlsx), save it as CSV UTF-8"),
         (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive, unpack it first"),
         (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
         (b"\xd0\xcf\x11\xe0", "an old Excel/Word file (.xls), save it as CSV UTF-8"),
         (b"SQLite format 3", "an SQLite database"))
CJK_RE = re.compile(rf"[\u3000-\u303f{CJK_RANGES}\uff00-\uffef]")  # + CJK punctuation, full-width forms


def head_text(head: bytes) -> str:
    """The start of a file as text, for format sniffing (BOMs honoured, bad bytes replaced)."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="replace")
    if head[1:200:2].count(0) > 20:
        return head.decode("utf-16-le", errors="replace")
    return head.decode("utf-8", errors="replace")


def detect_encoding(sample: bytes, path: str, complete: bool) -> str:
    """The encoding of a file from its first bytes; TicketError for empty, binary or undecodable files."""
    for bom, encoding in BOMS:
        if sample.startswith(bom):
            if not sample[len(bom):].strip(b"\x00 \t\r\n"):
                raise TicketError("empty file, no tickets to read; export the tickets again", path, 1)
            return encoding
    if not sample.strip():
        raise TicketError("empty file, no tickets to read; export the tickets again", path, 1)
    _refuse_binary(sample, path)
    if b"\x00" in sample:
        return _utf16_without_bom(sample, path, complete)
    if _decodes(sample, "utf-8", complete):
        return "utf-8"
    if _looks_chinese(sample, complete):
        return "gb18030"
    best = guess_encoding(sample)
    if best is None or not _decodes(sample, best, complete):
        raise TicketError("cannot tell the text encoding (not UTF-8, UTF-16 or GB18030); save the file as "
                          "CSV UTF-8", path, 1)
    return best


def _refuse_binary(sample: bytes, path: str) -> None:
    for magic, what in MAGIC:
        if sample.startswith(magic):
            raise TicketError(f"binary data, not a ticket log: this is {what}", path, 1)
    controls = sum(1 for b in sample[:4096] if b < 9 or 13 < b < 32 and b != 27)
    if b"\x00" not in sample and controls > max(2, len(sample[:4096]) // 100):
        raise TicketError("binary data, not a ticket log: export the tickets as CSV, JSON Lines, JSON or mbox",
                          path, 1)


def _utf16_without_bom(sample: bytes, path: str, complete: bool) -> str:
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05 and _decodes(sample, "utf-16-le", complete):
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05 and _decodes(sample, "utf-16-be", complete):
        return "utf-16-be"
    raise TicketError("binary data, not a ticket log (it contains NUL bytes); export the tickets as CSV, "
                      "JSON Lines, JSON or mbox", path, 1)


def _decodes(sample: bytes, encoding: str, complete: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample, final=complete)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _looks_chinese(sample: bytes, complete: bool) -> bool:
    """GB18030 decodes cleanly into runs of Chinese characters (not Latin text read as Chinese)."""
    try:
        text = codecs.getincrementaldecoder("gb18030")(errors="strict").decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    other = [c for c in text if ord(c) > 127]
    cjk = CJK_RE.findall(text)
    if not other or len(cjk) < 0.9 * len(other):
        return False
    squeezed = len(re.findall(rf"[A-Za-z][{CJK_RANGES}][A-Za-z]", text))
    return squeezed <= 0.1 * len(cjk)


def open_binary(path: Path) -> tuple[BinaryIO, str]:
    """The file opened for reading and its detected encoding (TicketError for empty or binary files)."""
    raw = open(path, "rb")
    try:
        sample = raw.read(SAMPLE)
        encoding = detect_encoding(sample, str(path), len(sample) < SAMPLE)
        raw.seek(0)
    except BaseException:
        raw.close()
        raise
    return raw, encoding


def open_text(path: Path) -> tuple[io.TextIOWrapper, BinaryIO, str]:
    """(text stream, underlying binary file for progress, encoding name). The caller closes the stream."""
    raw, encoding = open_binary(path)
    return io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline=""), raw, encoding


def decoded_lines(raw: BinaryIO, encoding: str, path: Path) -> Iterator[str]:
    """The file's lines as text, line endings kept; a byte that does not decode names its exact line."""
    if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        n = 0
        try:
            for n, line in enumerate(stream, 1):
                yield line
        except UnicodeDecodeError as exc:
            raise decode_error(path, n + 1, encoding, exc) from None
        finally:
            if not raw.closed:  # the caller closes the binary file (it may have done so already)
                stream.detach()
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    plain = codecs.lookup(encoding).name == "utf-8"  # stateless per line: bytes.decode is enough
    for n, line in enumerate(raw, 1):
        if plain:
            try:
                yield line.decode("utf-8")
                continue
            except UnicodeDecodeError:
                plain = False  # let the incremental decoder report it (or keep a sequence cut at the end)
        try:
            yield decoder.decode(line)
        except UnicodeDecodeError as exc:
            raise decode_error(path, n, encoding, exc) from None


def decode_error(path: Path, line: int, encoding: str, exc: UnicodeDecodeError) -> TicketError:
    """The one-line error for bytes that do not decode (the file changes encoding part way)."""
    bad = exc.object[exc.start:exc.start + 1].hex() if isinstance(exc.object, bytes) else "?"
    return TicketError(f"cannot decode byte 0x{bad} as {encoding}: the file mixes encodings; save it as CSV UTF-8",
                       str(path), line)


def read_text_file(path: Path) -> str:
    """A whole small text file (a --eval CSV, say) decoded as ticket logs are: BOM, UTF-8, GB18030, then
    the best guess (windows-1252 for Western text); TicketError when it is empty, binary or undecodable."""
    data = Path(path).read_bytes()
    encoding = detect_encoding(data, str(path), complete=True)
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise decode_error(path, data[:exc.start].count(b"\n") + 1, encoding, exc) from None
