"""The normalised ticket every reader yields, whatever the export format."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Reply:
    """One reply by the support team."""

    text: str
    at: datetime | None = None  # timezone-aware


@dataclass(frozen=True)
class Ticket:
    """A customer question with what the team did about it. All text is already redacted."""

    id: str
    created: datetime | None  # timezone-aware (naive input is taken as UTC)
    channel: str = ""  # email, chat, phone, web, ... ("" when unknown)
    subject: str = ""
    question: str = ""  # the customer's own words: quoted replies and signatures stripped
    replies: tuple[Reply, ...] = ()  # the team's replies, oldest first
    status: str = ""  # open, pending, solved, closed, ... as exported (lower-cased)
    tags: tuple[str, ...] = ()
    linked_articles: tuple[str, ...] = ()  # article ids linked from the team's replies
    source: str = ""  # file the ticket came from
    line: int = 0  # line (or record number) in that file
    replies_known: bool = True  # False when the export has no reply field (a help desk's view export)

    @property
    def text(self) -> str:
        """What matching reads: subject and question."""
        return f"{self.subject}\n{self.question}".strip() if self.subject and self.subject not in self.question else self.question

    @property
    def answered(self) -> bool | None:
        """The team verdict: True when the team replied at least once (a reply text or a reply time), False
        when it did not, None when the export does not say (it has no reply column)."""
        if not self.replies_known:
            return None
        return any(r.text.strip() or r.at is not None for r in self.replies)

    @property
    def first_response_hours(self) -> float | None:
        if not (self.created and self.replies and self.replies[0].at):
            return None
        return (self.replies[0].at - self.created).total_seconds() / 3600
