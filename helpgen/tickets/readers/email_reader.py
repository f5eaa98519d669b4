"""Support mailboxes: `.mbox` files and folders of `.eml` messages, grouped into threads.

The customer's first message in a thread is the question; messages from `team_domains` are the replies.
With no team_domains, the first sender of a thread is the customer and every other sender is the team.
"""
from __future__ import annotations

import mailbox
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.header import decode_header, make_header
from email.utils import getaddresses
from pathlib import Path
from typing import Iterable, Iterator

from helpgen.errors import TicketError
from helpgen.tickets.model import Ticket
from helpgen.tickets.readers.base import ReadContext, Reader, RecordBuilder
from helpgen.encoding import MAGIC
from helpgen.tickets.text import clean_message, html_to_text

SUBJECT_PREFIX_RE = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|回复|答复|转发)\s*(?:\[\d+\])?\s*[:：]\s*)+",
                               re.IGNORECASE)
_parser = BytesParser(policy=policy.default)


@dataclass
class Mail:
    """The few parts of one message that threading needs (body text not yet redacted)."""

    msgid: str
    refs: tuple[str, ...]
    subject: str
    sender: str
    to: tuple[str, ...]
    date: str
    body: str
    source: Path
    line: int


def parse_mail(data: bytes, source: Path, line: int) -> Mail:
    msg = _parser.parsebytes(data)
    refs = tuple(re.findall(r"<[^<>\s]+>", f"{header(msg, 'References')} {header(msg, 'In-Reply-To')}"))
    return Mail(msgid=header(msg, "Message-ID").strip(), refs=refs, subject=header(msg, "Subject"),
                sender=_address(header(msg, "From")), to=tuple(a for _, a in _addresses(header(msg, "To"))),
                date=header(msg, "Date"), body=clean_message(_body(msg)), source=source, line=line)


def header(msg: EmailMessage, name: str) -> str:
    """A header as text. The structured header parser of the email package raises (even IndexError) on
    some malformed values; then the raw value is used, with its encoded words decoded where they decode."""
    try:
        return str(msg.get(name, "") or "")
    except Exception:  # noqa: BLE001 - any parser failure: fall back to the raw text
        raw = next((str(v) for k, v in msg.raw_items() if k.lower() == name.lower()), "")
        try:
            return str(make_header(decode_header(raw)))
        except Exception:  # noqa: BLE001
            return raw


def _addresses(value: str) -> list[tuple[str, str]]:
    try:
        return getaddresses([value])
    except Exception:  # noqa: BLE001 - a malformed address list: no address
        return []


def _address(value: str) -> str:
    pairs = _addresses(value)
    return pairs[0][1].lower() if pairs else ""


def _body(msg: EmailMessage) -> str:
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - a malformed MIME structure: read the raw payload
        part = None if msg.is_multipart() else msg
    if part is None:
        return ""
    try:
        content = part.get_content()
    except Exception:  # noqa: BLE001 - unknown charset, bad base64, ...: decode what is there
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else str(payload or "")
    if not isinstance(content, str):
        content = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else ""
    return html_to_text(content) if part.get_content_subtype() == "html" else content


def norm_subject(subject: str) -> str:
    return " ".join(SUBJECT_PREFIX_RE.sub("", subject).lower().split())


class _Threads:
    """Union-find over Message-IDs (and subject + customer for messages without references)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class EmailReader(Reader):
    """Shared threading for mbox and eml; subclasses say how to split the input into messages."""

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Ticket]:
        mails = list(self.messages(path, ctx))
        if not mails:
            raise TicketError("empty file, no e-mail messages to read", str(path), 1)
        builder = RecordBuilder(ctx, path)
        for thread in group_threads(mails):
            ticket = self._ticket(thread, ctx, builder)
            if ticket is not None:
                yield ticket

    def messages(self, path: Path, ctx: ReadContext) -> Iterable[Mail]:
        raise NotImplementedError

    def _ticket(self, thread: list[Mail], ctx: ReadContext, builder: RecordBuilder) -> Ticket | None:
        team = _team_test(thread, ctx.team_domains)
        customer = [m for m in thread if not team(m)]
        if not customer:
            return None  # only team messages: an outgoing mail, not a question
        first = customer[0]
        builder.set_path(first.source)
        replies = [(m.body, m.date) for m in thread if team(m) and thread.index(m) > thread.index(first)]
        rec = {"id": first.msgid.strip("<>"), "created_at": first.date, "channel": "email",
               "subject": SUBJECT_PREFIX_RE.sub("", first.subject), "body": first.body}
        return builder.build(rec, first.line, replies)


def _team_test(thread: list[Mail], domains: tuple[str, ...]):
    wanted = tuple(d.lower().lstrip("@") for d in domains)
    if wanted:
        return lambda m: m.sender.rsplit("@", 1)[-1] in wanted or any(m.sender.endswith("." + d) for d in wanted)
    customer = thread[0].sender
    return lambda m: m.sender != customer


def group_threads(mails: list[Mail]) -> list[list[Mail]]:
    """Threads by Message-ID / In-Reply-To / References, then subject + customer; each sorted by date."""
    from helpgen.tickets.dates import DateParser
    uf, dates = _Threads(), DateParser()
    for i, m in enumerate(mails):
        key = m.msgid or f"#{i}"
        for ref in m.refs:
            uf.union(key, ref)
        if not m.refs:
            who = m.sender if not SUBJECT_PREFIX_RE.match(m.subject) else ",".join(sorted(m.to))
            uf.union(key, f"subject:{norm_subject(m.subject)}:{who}")
    groups: dict[str, list[Mail]] = {}
    for i, m in enumerate(mails):
        groups.setdefault(uf.find(m.msgid or f"#{i}"), []).append(m)

    def when(m: Mail) -> float:
        try:
            d = dates.parse(m.date)
        except ValueError:
            d = None
        return d.timestamp() if d else 0.0

    threads = [sorted(g, key=lambda m: (when(m), m.line)) for g in groups.values()]
    return sorted(threads, key=lambda t: (str(t[0].source), t[0].line))


class MboxReader(EmailReader):
    name = "mbox"
    extensions = (".mbox", ".mbx")

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"From ")

    def messages(self, path: Path, ctx: ReadContext) -> Iterator[Mail]:
        """The messages as the standard `mailbox` module splits the file (at every `From ` line)."""
        with open(path, "rb") as f:
            _refuse(f.read(4096), path)
            f.seek(0)
            starts = [n + 1 for n, line in enumerate(f, 1) if line.startswith(b"From ")]
        box = mailbox.mbox(path, create=False)
        try:
            for n, key in enumerate(box.iterkeys()):
                yield parse_mail(box.get_bytes(key), path, starts[n] if n < len(starts) else 1)
        finally:
            box.close()


class EmlReader(EmailReader):
    """A folder of .eml files (one thread may span files), or a single .eml file."""

    name = "eml"
    extensions = (".eml",)

    def sniff(self, head: bytes) -> bool:
        return bool(re.match(rb"(?:[A-Za-z-]+: .*\r?\n)+", head[:2000])) and b"\nSubject:" in head[:8000] \
            or head.startswith((b"Return-Path:", b"Received:", b"Message-ID:", b"MIME-Version:"))

    def messages(self, path: Path, ctx: ReadContext) -> Iterator[Mail]:
        files = sorted(p for p in path.rglob("*.eml") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            data = file.read_bytes()
            _refuse(data[:4096], file)
            if data.strip():
                yield parse_mail(data, file, 1)
            else:
                ctx.warn(file, 1, "empty e-mail file, skipped")


def _refuse(head: bytes, path: Path) -> None:
    if not head.strip():
        raise TicketError("empty file, no e-mail messages to read", str(path), 1)
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise TicketError(f"binary data, not a mailbox: this is {what}", str(path), 1)
