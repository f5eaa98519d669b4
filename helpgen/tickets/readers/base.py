"""What every ticket reader shares: the interface, the read context, column names and ticket building."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from helpgen.errors import Problem, TicketError
from helpgen.tickets.dates import DateParser
from helpgen.tickets.links import LinkFinder
from helpgen.tickets.model import Reply, Ticket
from helpgen.tickets.redact import Redactor
from helpgen.tickets.text import clean_message, html_to_text, one_line
from helpgen.text import CJK_RANGES

FIELDS = ("id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at", "tags")
# Column names of the big help desks, recognised without a mapping (compared lower-case, punctuation ignored).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "ticket id", "ticket number", "ticket", "ticket no", "issue key", "key", "conversation id",
           "conversation number", "number", "case number", "case id", "request id"),
    "created_at": ("created at", "created", "created time", "created date", "date created", "creation date",
                   "opened", "opened at", "submitted at", "date", "timestamp", "conversation created at",
                   "received at", "sent at"),
    "channel": ("channel", "via", "source", "origin", "conversation channel", "medium", "type of contact"),
    "subject": ("subject", "title", "summary", "topic", "conversation subject"),
    "body": ("body", "description", "message", "question", "text", "content", "comment", "first message",
             "customer message", "conversation first message", "initial message", "message body",
             "request", "details"),
    "status": ("status", "state", "ticket status", "conversation status", "resolution"),
    "reply": ("reply", "first reply", "agent reply", "response", "answer", "first agent reply", "public reply",
              "first reply text", "reply text"),
    # only timestamps: duration columns ("First reply time in minutes", "First response time (in hrs)") are not used
    "replied_at": ("replied at", "first reply at", "first replied at", "first responded at",
                   "first response at", "replied", "first reply date", "reply date"),
    "tags": ("tags", "labels", "conversation tags", "tag"),
}
CHANNELS = {"e-mail": "email", "mail": "email", "email": "email", "voice": "phone", "call": "phone",
            "phone": "phone", "telephone": "phone", "web": "web", "web form": "web", "web_form": "web",
            "webform": "web", "portal": "web", "form": "web", "chat": "chat", "live chat": "chat",
            "messaging": "chat", "native_messaging": "chat", "messenger": "chat"}


def norm_name(name: str) -> str:
    """`Created_At` / `created-at` / ` Created at ` -> `created at`."""
    return " ".join(re.sub(rf"[^0-9a-z{CJK_RANGES}]+", " ", str(name).lower()).split())


def parse_mapping(text: str) -> dict[str, str]:
    """`subject=Title,body=Description` -> {"subject": "Title", "body": "Description"} (for --map)."""
    mapping = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise TicketError(f"--map: `{part}` is not `field=Column`, write e.g. --map subject=Title,body=Description")
        mapping[key.strip()] = value.strip()
    check_mapping(mapping)
    return mapping


def check_mapping(mapping: Mapping[str, str]) -> None:
    """Raise TicketError for a mapping key that is not a helpgen field."""
    for key in mapping:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f" did you mean `{close[0]}`?" if close else ""
            raise TicketError(f"ticket column mapping: unknown field `{key}`,{hint} use one of: {', '.join(FIELDS)}")


def resolve_columns(found: Sequence[str], mapping: Mapping[str, str], path: str, line: int = 1) -> dict[str, str]:
    """helpgen field -> the column name in `found` that holds it; TicketError when the mapping does not fit."""
    by_norm: dict[str, str] = {}
    for name in found:
        by_norm.setdefault(norm_name(name), name)
    result: dict[str, str] = {}
    for key, column in mapping.items():
        actual = column if column in found else by_norm.get(norm_name(column))
        if actual is None and "." in column and column.split(".")[0] in found:
            actual = column  # a nested JSON key such as msg.text
        if actual is None:
            raise TicketError(f"column `{column}` (mapped to `{key}`) is not in the file; columns found: "
                              f"{_listed(found)}", path, line)
        result[key] = actual
    for key in FIELDS:
        if key not in result:
            match = next((by_norm[a] for a in ALIASES[key] if a in by_norm), None)
            if match is not None and match not in result.values():
                result[key] = match
    if "body" not in result:
        raise TicketError(f"no question text column; columns found: {_listed(found)}; map the column that holds "
                          "the customer's message with --map body=<column> (or tickets.columns in helpgen.yml)",
                          path, line)
    return result


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in list(names)[:30])
    return shown + (f" and {len(names) - 30} more" if len(names) > 30 else "") if names else "none"


@dataclass
class ReadContext:
    """Settings and callbacks shared by every reader during one `read_tickets` call."""

    columns: Mapping[str, str] = field(default_factory=dict)
    links: LinkFinder = field(default_factory=LinkFinder)
    team_domains: tuple[str, ...] = ()
    redactor: Redactor | None = None
    report: Callable[[Problem], None] | None = None
    progress: Callable[[int], None] | None = None  # bytes read so far in the current file
    warnings: int = 0

    def warn(self, path: Path | str, line: int, message: str) -> None:
        self.warnings += 1
        if self.report is not None:
            self.report(Problem(str(path), line, "warning", message))

    def redact(self, text: str) -> str:
        return self.redactor.redact(text) if self.redactor is not None and text else text

    def tick(self, done_bytes: int) -> None:
        if self.progress is not None:
            self.progress(done_bytes)


class Reader:
    """One ticket-log format. Subclasses set name/extensions and implement sniff and read."""

    name: str = ""
    extensions: tuple[str, ...] = ()

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes of a file look like this format."""
        raise NotImplementedError

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Ticket]:
        """Yield normalised, redacted tickets; warn about bad rows; raise TicketError when unusable."""
        raise NotImplementedError


def text_of(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(text_of(v) for v in value)
    return str(value)


TAG_SPLIT_RE = re.compile(r"[,;\s]+")


def tags_of(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(t for t in TAG_SPLIT_RE.split(text_of(value)) if t)


_CHANNEL_CACHE: dict[str, str] = {}  # raw channel cell -> channel; exports repeat a handful of values


def channel_of(value: Any) -> str:
    if type(value) is str:
        known = _CHANNEL_CACHE.get(value)
        if known is not None:
            return known
        result = _channel(value)
        if len(_CHANNEL_CACHE) < 1000:
            _CHANNEL_CACHE[value] = result
        return result
    return _channel(value)


def _channel(value: Any) -> str:
    if isinstance(value, Mapping):  # Zendesk: "via": {"channel": "email", ...}
        value = value.get("channel")
    if not value:
        return ""
    raw = one_line(text_of(value)).lower()
    return CHANNELS.get(raw, raw)


class RecordBuilder:
    """Turns one record (helpgen field -> raw value) into a redacted Ticket, warning about bad values."""

    def __init__(self, ctx: ReadContext, path: Path) -> None:
        self.ctx, self.dates = ctx, DateParser()
        self.set_path(path)

    def set_path(self, path: Path) -> None:
        """The file the next records come from (a folder of .eml spans several)."""
        self.path, self.source = path, str(path)

    def when(self, value: Any, line: int, name: str) -> Any:
        try:
            return self.dates.parse(value)
        except ValueError:
            self.ctx.warn(self.path, line, f"cannot read the date `{text_of(value)[:40]}` in `{name}`, use ISO 8601 "
                                           "such as 2026-01-05T14:03:00Z; kept without that date")
            return None

    def build(self, rec: Mapping[str, Any], line: int, replies: Sequence[tuple[str, Any]] | None = None) -> Ticket | None:
        """The ticket for `rec`; None (with a warning) when it has no question text."""
        ctx, get = self.ctx, rec.get
        redact = ctx.redactor.redact if ctx.redactor is not None else _same
        question = redact(clean_message(html_to_text(text_of(get("body")))))
        subject = redact(" ".join(text_of(get("subject")).split()))
        if not question and not subject:
            ctx.warn(self.path, line, "no question text (empty `body`), row skipped")
            return None
        known = replies is not None or "reply" in rec or "replied_at" in rec  # else the export has no replies
        if replies is None:
            replies = ((text_of(get("reply")), get("replied_at")),)
        built, links = self._replies(replies, line, redact)
        ident = " ".join(text_of(get("id")).split()) or f"{self.path.name}:{line}"
        return Ticket(id=ident, created=self.when(get("created_at"), line, "created_at"),
                      channel=channel_of(get("channel")), subject=subject, question=question or subject,
                      replies=built, status=" ".join(text_of(get("status")).split()).lower(),
                      tags=tags_of(get("tags")), linked_articles=links, source=self.source, line=line,
                      replies_known=known)

    def _replies(self, replies: Sequence[tuple[Any, Any]], line: int,
                 redact: Callable[[str], str]) -> tuple[tuple[Reply, ...], tuple[str, ...]]:
        """The cleaned, redacted replies and the article ids they link (found before redaction)."""
        built: list[Reply] = []
        links: tuple[str, ...] = ()
        for raw, at in replies:
            raw = text_of(raw)
            if not raw.strip():
                when = self.when(at, line, "replied_at") if at not in (None, "") else None
                if when is not None:  # a first-reply time without its text (a view export): the team replied
                    built.append(Reply("", when))
                continue
            text = clean_message(html_to_text(raw))
            found = self.ctx.links.find(text)
            if found:
                links = tuple(dict.fromkeys(links + found)) if links else found
            if text:
                built.append(Reply(redact(text), self.when(at, line, "replied_at")))
        return tuple(built), links


def _same(text: str) -> str:
    return text
