"""JSON Lines, JSON arrays and Zendesk ticket exports (incremental export, tickets with comments)."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Iterator, Mapping

from helpgen.errors import TicketError
from helpgen.tickets.model import Ticket
from helpgen.tickets.readers.base import ReadContext, Reader, RecordBuilder, resolve_columns
from helpgen.tickets.readers.encoding import decode_error, head_text, open_text
from helpgen.tickets.readers.jsonstream import JsonStream

TICKET_ARRAYS = ("tickets", "conversations", "results", "records", "items", "data", "requests")
SIDE_ARRAYS = ("comments", "users")
AGENT_ROLES = ("agent", "admin")
PROGRESS_EVERY = 1000


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
                for n, (rec, line, side) in enumerate(self._records(path, stream, encoding), 1):
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

    def _records(self, path: Path, stream, encoding: str) -> Iterator[tuple[Any, int, Side | None]]:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from ((r, line, None) for r, line in json_lines(path, stream))
            return
        js = JsonStream(stream, str(path))
        first = js.peek()
        if first == "[":
            yield from ((r, line, None) for r, line in js.items())
        elif first == "{":
            yield from self._objects(path, js, encoding)
        else:
            raise TicketError(f"not JSON: it starts with `{first}`; use --format to name the format", str(path), 1)
        if js.peek():
            raise TicketError("invalid JSON: more text after the end of the data; fix the file or export it again",
                              str(path), js.line)

    def _objects(self, path: Path, js: JsonStream, encoding: str) -> Iterator[tuple[Any, int, Side | None]]:
        """A wrapper object ({"tickets": [...]}), or one object per line (Zendesk's full JSON export)."""
        if _is_wrapper(path, encoding):
            side = _side_items(path, encoding)
            for key in js.members():
                if key in TICKET_ARRAYS and js.peek() == "[":
                    yield from ((r, line, side) for r, line in js.items())
                else:
                    js.value()
            return
        while js.peek() == "{":
            rec, line = js.value()
            yield rec, line, None


def _is_wrapper(path: Path, encoding: str) -> bool:
    """True when the top-level object holds a ticket array (the Zendesk incremental export shape)."""
    with open(path, "rb") as f:
        probe = JsonStream(_text(f, encoding), str(path))
        for key in probe.members():
            if key in TICKET_ARRAYS and probe.peek() == "[":
                return True
            probe.value()
    return False


def _side_items(path: Path, encoding: str) -> Side:
    """Comments and users of a wrapper object, read in a first pass (tickets are skipped one by one)."""
    side = Side()
    with open(path, "rb") as f:
        js = JsonStream(_text(f, encoding), str(path))
        for key in js.members():
            if key in SIDE_ARRAYS and js.peek() == "[":
                for item, _ in js.items():
                    side.add(key, item)
            elif key in TICKET_ARRAYS and js.peek() == "[":
                for _ in js.items():
                    pass
            else:
                js.value()
    return side


def _text(f, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(f, encoding=encoding, errors="strict", newline="")


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
