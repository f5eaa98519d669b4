"""JSON Lines, JSON arrays and Zendesk ticket exports (incremental export, tickets with comments)."""
from __future__ import annotations

import codecs
import io
import json
from pathlib import Path
from typing import Any, Iterator, Mapping

import ijson

from helpgen.errors import TicketError
from helpgen.tickets.model import Ticket
from helpgen.tickets.readers.base import ReadContext, Reader, RecordBuilder, resolve_columns
from helpgen.encoding import decode_error, head_text, open_text

TICKET_ARRAYS = ("tickets", "conversations", "results", "records", "items", "data", "requests")
SIDE_ARRAYS = ("comments", "users")
AGENT_ROLES = ("agent", "admin")
PROGRESS_EVERY = 1000
CHUNK = 64 * 1024  # the longest piece of one line handed to the parser at a time


def dotted(rec: Mapping[str, Any], key: str) -> Any:
    """rec["via"]["channel"] for key "via.channel" (plain keys first)."""
    if key in rec:
        return rec[key]
    value: Any = rec
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


class Side:
    """Comments and users from a wrapper object, joined to its tickets (Zendesk `tickets` + `comments`)."""

    def __init__(self) -> None:
        self.comments: dict[str, list[dict]] = {}
        self.roles: dict[str, str] = {}

    def add(self, kind: str, item: Any) -> None:
        if not isinstance(item, dict):
            return
        if kind == "users" and "id" in item:
            self.roles[str(item["id"])] = str(item.get("role", ""))
        elif kind == "comments" and item.get("ticket_id") is not None:
            self.comments.setdefault(str(item["ticket_id"]), []).append(item)


class JsonReader(Reader):
    name = "json"
    extensions = (".json", ".jsonl", ".ndjson")

    def sniff(self, head: bytes) -> bool:
        return head_text(head).lstrip("\ufeff \t\r\n")[:1] in ("{", "[")

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Ticket]:
        stream, raw, encoding = open_text(path)
        norm = Normaliser(ctx, path)
        with stream:
            try:
                for n, (rec, line, side) in enumerate(self._records(path, stream, raw, encoding), 1):
                    ticket = norm.ticket(rec, line, side)
                    if ticket is not None:
                        yield ticket
                    if n % PROGRESS_EVERY == 0:
                        ctx.tick(raw.tell())
            except UnicodeDecodeError as exc:
                raise decode_error(path, 0, encoding, exc) from None
            ctx.tick(raw.tell())
        if not norm.seen:
            ctx.warn(path, 1, "no tickets in this file")

    def _records(self, path: Path, stream, raw, encoding: str) -> Iterator[tuple[Any, int, Side | None]]:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from ((r, line, None) for r, line in json_lines(path, stream))
            return
        first = _first_char(path, encoding)
        if first == "[":
            yield from ((r, line, None) for r, line in values(path, raw, encoding, ITEMS))
        elif first == "{":
            tickets_key = _wrapper_key(path, encoding)
            if tickets_key is None:  # one ticket object after another (Zendesk's full JSON export)
                yield from ((r, line, None) for r, line in values(path, raw, encoding, TOP, multiple=True))
                return
            side = Side()
            with open(path, "rb") as f:
                wanted = {f"{key}.item" for key in SIDE_ARRAYS}
                for item, _, prefix in values(path, f, encoding, wanted, with_prefix=True):
                    side.add(prefix.split(".")[0], item)
            yield from ((r, line, side) for r, line in values(path, raw, encoding, ticket_prefixes()))
        else:
            raise TicketError(f"not JSON: it starts with `{first}`; use --format to name the format", str(path), 1)


ITEMS = frozenset({"item"})  # the items of a top-level array
TOP = frozenset({""})  # each top-level value


def ticket_prefixes() -> frozenset[str]:
    return frozenset(f"{key}.item" for key in TICKET_ARRAYS)


class LineFeed:
    """A file handed to ijson one line (at most CHUNK bytes) at a time, so the parser's position is known
    to the line: ijson parses each chunk as soon as it is read. Text that is not UTF-8 is re-encoded."""

    def __init__(self, f, encoding: str) -> None:
        name = codecs.lookup(encoding).name
        self.text = None if name in ("utf-8", "utf-8-sig") else io.TextIOWrapper(f, encoding=encoding,
                                                                                 errors="strict", newline="")
        self.f, self.line, self.next_line, self.started = f, 1, 1, False

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing to tell bytes from text
            return b""
        if self.text is not None:
            data = self.text.readline(CHUNK).encode("utf-8")
        else:
            data = self.f.readline(CHUNK)
            if not self.started and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8):]
        self.started = True
        if data:
            self.line = self.next_line
            self.next_line += data.count(b"\n")
        return data

    def detach(self) -> None:
        if self.text is not None:
            self.text.detach()  # the caller closes the binary file


def values(path: Path, f, encoding: str, wanted: frozenset[str] | set[str], *, multiple: bool = False,
           with_prefix: bool = False) -> Iterator[tuple]:
    """(value, line it starts on[, prefix]) for every JSON value whose ijson prefix is in `wanted`, built one
    at a time (constant memory); TicketError naming the line for invalid or truncated JSON."""
    feed = LineFeed(f, encoding)
    builder: ijson.ObjectBuilder | None = None
    depth = start = 0
    prefix_of = ""
    try:
        for prefix, event, value in ijson.parse(feed, multiple_values=multiple, use_float=True):
            if builder is not None:
                builder.event(event, value)
                if event in STARTS:
                    depth += 1
                elif event in ENDS:
                    depth -= 1
                    if not depth:
                        yield (builder.value, start, prefix_of) if with_prefix else (builder.value, start)
                        builder = None
            elif prefix in wanted and event != "map_key" and event not in ENDS:
                if event in STARTS:
                    builder, depth, start, prefix_of = ijson.ObjectBuilder(), 1, feed.line, prefix
                    builder.event(event, value)
                else:
                    yield (value, feed.line, prefix) if with_prefix else (value, feed.line)
    except ijson.JSONError as exc:
        raise json_error(path, feed, exc) from None
    finally:
        feed.detach()


STARTS = frozenset({"start_map", "start_array"})
ENDS = frozenset({"end_map", "end_array"})


def json_error(path: Path, feed: LineFeed, exc: Exception) -> TicketError:
    """The one line for what ijson (yajl) found wrong."""
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:]
    first = " ".join(text.replace("\\n", "\n").splitlines()[0].split()) if text.strip() else "unreadable JSON"
    if "premature EOF" in first:
        return TicketError("truncated JSON: the file ends before the data is complete; the export was cut short, "
                           "export it again", str(path), max(feed.next_line, 1))
    if "trailing garbage" in first:
        return TicketError("invalid JSON: more text after the end of the data; fix the file or export it again",
                           str(path), feed.line)
    first = first.removeprefix("parse error: ").removeprefix("lexical error: ").rstrip(".")
    return TicketError(f"invalid JSON: {first}; fix the file or export it again", str(path), feed.line)


def _first_char(path: Path, encoding: str) -> str:
    """The first character of the data (after a BOM and blanks), '' for none."""
    with open(path, "rb") as f:
        text = io.TextIOWrapper(f, encoding=encoding, errors="replace", newline="")
        while True:
            chunk = text.read(4096)
            if not chunk:
                return ""
            chunk = chunk.lstrip("\ufeff \t\r\n")
            if chunk:
                return chunk[0]


def _wrapper_key(path: Path, encoding: str) -> str | None:
    """The key of the ticket array when the top-level object holds one (the Zendesk incremental export
    shape), else None: a plain ticket object, or one per line."""
    with open(path, "rb") as f:
        feed = LineFeed(f, encoding)
        try:
            events = ijson.parse(feed, multiple_values=True, use_float=True)
            key = None
            for prefix, event, value in events:
                if prefix == "" and event == "map_key":
                    key = value
                elif prefix == key and event == "start_array" and key in TICKET_ARRAYS:
                    return key
                elif prefix == "" and event == "end_map":
                    return None
        except ijson.JSONError:
            return None  # the main pass reports it with its line
        finally:
            feed.detach()
    return None


def json_lines(path: Path, stream) -> Iterator[tuple[Any, int]]:
    """One JSON value per line; a bad line raises TicketError for the caller to report."""
    for line_no, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line), line_no
        except json.JSONDecodeError as exc:
            cut = not line.endswith("\n")
            what = "truncated JSON: the last line is cut short" if cut else f"invalid JSON: {exc.msg}"
            yield BadLine(f"{what}; line skipped"), line_no


class BadLine(str):
    """A JSON Lines line that did not parse (reported as a warning, then skipped)."""


class Normaliser:
    """Maps JSON records of any help desk (Zendesk included) onto helpgen's ticket fields."""

    def __init__(self, ctx: ReadContext, path: Path) -> None:
        self.ctx, self.path, self.builder = ctx, path, RecordBuilder(ctx, path)
        self.cache: dict[tuple[str, ...], dict[str, str]] = {}
        self.seen = 0

    def ticket(self, rec: Any, line: int, side: Side | None) -> Ticket | None:
        if isinstance(rec, BadLine):
            self.ctx.warn(self.path, line, str(rec))
            return None
        if not isinstance(rec, dict):
            self.ctx.warn(self.path, line, f"not a ticket object ({type(rec).__name__}), skipped")
            return None
        columns = self._columns(rec, line)
        if columns is None:
            return None
        self.seen += 1
        fields = {key: dotted(rec, col) for key, col in columns.items()}
        if "channel" not in fields and isinstance(rec.get("via"), dict):
            fields["channel"] = rec["via"].get("channel")
        comments = rec.get("comments")
        if side is not None and not isinstance(comments, list):
            comments = side.comments.get(str(rec.get("id")))
        if isinstance(comments, list) and comments:
            return self._zendesk(rec, fields, comments, line, side)
        return self.builder.build(fields, line)

    def _columns(self, rec: dict, line: int) -> dict[str, str] | None:
        keys = tuple(rec)
        if keys not in self.cache:
            try:
                self.cache[keys] = resolve_columns(keys, self.ctx.columns, str(self.path), line)
            except TicketError as exc:
                if not self.seen:
                    raise
                self.ctx.warn(self.path, line, exc.message + ", skipped")
                return None
        return self.cache[keys]

    def _zendesk(self, rec: dict, fields: dict, comments: list, line: int, side: Side | None) -> Ticket | None:
        """Zendesk comments: the requester's first comment is the question, public agent comments the replies."""
        requester = str(rec.get("requester_id", ""))
        roles = side.roles if side else {}
        ordered = sorted((c for c in comments if isinstance(c, dict)), key=lambda c: str(c.get("created_at", "")))

        def by_agent(c: dict) -> bool:
            author = str(c.get("author_id", ""))
            role = roles.get(author)
            return role in AGENT_ROLES if role else (author != requester if requester else c is not ordered[0])

        customer = [c for c in ordered if not by_agent(c)]
        if customer and not fields.get("body"):
            fields["body"] = _comment_text(customer[0])
        replies = [(_comment_text(c), c.get("created_at")) for c in ordered if by_agent(c) and c.get("public", True)]
        return self.builder.build(fields, line, replies)


def _comment_text(comment: dict) -> str:
    return str(comment.get("plain_body") or comment.get("body") or "")
