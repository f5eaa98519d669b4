"""CSV and TSV exports (helpgen's canonical columns, or any help desk's with a column mapping)."""
from __future__ import annotations

import csv
import itertools
import sys
from pathlib import Path
from operator import itemgetter
from typing import Callable, Iterator

from helpgen.errors import TicketError
from helpgen.tickets.model import Ticket
from helpgen.tickets.readers.base import ReadContext, Reader, RecordBuilder, resolve_columns
from helpgen.encoding import decoded_lines, head_text, open_binary

DELIMITERS = (",", "\t", ";", "|")
PROGRESS_EVERY = 2000
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


SNIFF_LINES = 50
SNIFF_CHARS = 64 * 1024


def pick_dialect(sample: str, suffix: str) -> tuple[str, str]:
    """(delimiter, quote character): tab for .tsv/.tab; else what csv.Sniffer finds in the first lines among
    , TAB ; |; when it cannot tell, whichever of those the header line uses most, with `"` quotes."""
    if suffix in (".tsv", ".tab"):
        return "\t", '"'
    header = sample.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(sample[:SNIFF_CHARS], delimiters="".join(DELIMITERS))
    except csv.Error:
        dialect = None
    if dialect is not None and dialect.delimiter in header:
        # a quote other than `"` only when the header itself is quoted with it (an apostrophe in a message
        # can look like a quote to the sniffer)
        return dialect.delimiter, dialect.quotechar if dialect.quotechar in header else '"'
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return (best if counts[best] else ","), '"'


class CsvReader(Reader):
    name = "csv"
    extensions = (".csv", ".tsv", ".tab", ".txt")

    def sniff(self, head: bytes) -> bool:
        first = head_text(head).lstrip("\ufeff").split("\n", 1)[0]
        return not first.lstrip().startswith(("{", "[", "From ", "Return-Path:", "Received:")) and \
            any(d in first for d in DELIMITERS)

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Ticket]:
        builder = RecordBuilder(ctx, path)
        for keys, line, cells in self.records(path, ctx):
            ticket = builder.build(dict(zip(keys, cells)), line)
            if ticket is not None:
                yield ticket

    def records(self, path: Path, ctx: ReadContext) -> Iterator[tuple[tuple[str, ...], int, tuple[str, ...]]]:
        """(field names, line, cells) of each non-blank row: what `RecordBuilder.build` turns into a ticket
        (`dict(zip(names, cells))`), so rows can be built elsewhere (another process) in the same order."""
        raw, encoding = open_binary(path)
        with raw:
            try:
                yield from self._rows(path, ctx, raw, decoded_lines(raw, encoding, path))
            except csv.Error as exc:
                raise TicketError(f"not a readable CSV file ({exc}); export it again as CSV UTF-8", str(path),
                                  getattr(self, "_line", 1)) from None

    def _rows(self, path: Path, ctx: ReadContext, raw, lines: Iterator[str]) -> Iterator[tuple]:
        self._line = 1
        head = list(itertools.islice(lines, SNIFF_LINES))
        delimiter, quote = pick_dialect("".join(head), path.suffix.lower())
        reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter, quotechar=quote)
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        if not any(header):
            raise TicketError("empty file, no tickets to read; export the tickets again", str(path), 1)
        columns = resolve_columns(header, ctx.columns, str(path))
        index = {key: header.index(col) for key, col in columns.items()}
        rows = 0
        keys, positions = tuple(index), tuple(index.values())
        last = max(positions)
        pick = _picker(positions)
        previous_end = reader.line_num
        for row in reader:
            line, previous_end = previous_end + 1, reader.line_num
            self._line = line
            if not any(map(str.strip, row)):
                continue
            rows += 1
            if len(row) > last:
                yield keys, line, pick(row)
            else:
                yield keys, line, tuple(row[i] if i < len(row) else "" for i in positions)
            if rows % PROGRESS_EVERY == 0:
                ctx.tick(raw.tell())
        if rows == 0:
            ctx.warn(path, 1, "no tickets in this file: it has a header row but no rows below it")
        ctx.tick(raw.tell())


def _picker(positions: tuple[int, ...]) -> Callable[[list[str]], tuple[str, ...]]:
    """A fast `row -> cells at positions` (itemgetter returns a bare value for one position)."""
    if len(positions) == 1:
        return lambda row, i=positions[0]: (row[i],)
    return itemgetter(*positions)
