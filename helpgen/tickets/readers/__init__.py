"""Ticket-log readers, chosen like pelican's readers: `--format`, else the file extension, else the content."""
from __future__ import annotations

from pathlib import Path

from helpgen.errors import TicketError
from helpgen.tickets.readers.base import FIELDS, ReadContext, Reader, parse_mapping
from helpgen.tickets.readers.csv_reader import CsvReader
from helpgen.tickets.readers.email_reader import EmlReader, MboxReader
from helpgen.tickets.readers.json_reader import JsonReader

READERS: tuple[Reader, ...] = (JsonReader(), MboxReader(), EmlReader(), CsvReader())
FORMAT_ALIASES = {"tsv": "csv", "jsonl": "json", "ndjson": "json", "zendesk": "json", "email": "eml"}
FORMATS = tuple(r.name for r in READERS) + tuple(FORMAT_ALIASES)
HEAD = 8192

__all__ = ["FIELDS", "FORMATS", "READERS", "ReadContext", "Reader", "parse_mapping", "reader_for"]


def reader_for(path: Path, fmt: str | None = None) -> Reader:
    """The reader for path: the named format, else by extension (`.txt` sniffed), else by content."""
    if path.is_dir():
        return EmlReader()  # a folder given as a ticket source is a folder of .eml messages
    if fmt:
        name = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        for reader in READERS:
            if reader.name == name:
                return reader
        raise TicketError(f"unknown ticket format `{fmt}`, use one of: {', '.join(sorted(FORMATS))}")
    suffix = path.suffix.lower()
    for reader in READERS:
        if suffix in reader.extensions and suffix != ".txt":
            return reader
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise TicketError("empty file, no tickets to read; export the tickets again", str(path), 1)
    for reader in READERS:
        if reader.sniff(head):
            return reader
    raise TicketError("cannot tell the ticket format from the name or the content; use --format "
                      "csv|json|zendesk|mbox|eml", str(path), 1)
