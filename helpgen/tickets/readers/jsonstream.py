"""A small streaming JSON reader: top-level arrays and wrapper objects item by item, in constant memory.

It uses json.JSONDecoder.raw_decode over a sliding buffer, so only one item is in memory at a time.
"""
from __future__ import annotations

import json
from typing import Any, Iterator, TextIO

from helpgen.errors import TicketError

CHUNK = 256 * 1024
WS = " \t\r\n\ufeff"
_decoder = json.JSONDecoder()


class JsonStream:
    """Reads JSON values one at a time from a text stream, tracking the line of each."""

    def __init__(self, stream: TextIO, path: str) -> None:
        self.stream, self.path = stream, path
        self.buf, self.pos, self.line, self.eof = "", 0, 1, False

    def _fill(self, want: int = CHUNK) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(max(want, CHUNK))
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def _advance(self, end: int) -> None:
        self.line += self.buf.count("\n", self.pos, end)
        self.pos = end

    def peek(self) -> str:
        """The next non-blank character ('' at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in WS:
                self._advance(self.pos + 1)
            if self.pos < len(self.buf) or not self._fill():
                return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def expect(self, chars: str, what: str) -> str:
        c = self.peek()
        if not c:
            raise self.truncated(what)
        if c not in chars:
            raise TicketError(f"invalid JSON: expected {what}, found `{c}`", self.path, self.line)
        self._advance(self.pos + 1)
        return c

    def value(self) -> tuple[Any, int]:
        """The next complete JSON value and the line it starts on."""
        if not self.peek():
            raise self.truncated("a value")
        while True:
            try:
                obj, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if not self._needs_more(exc) or not self._fill(len(self.buf)):
                    raise self._error(exc) from None
                continue
            if end < len(self.buf) or self.eof or not self._fill():
                line = self.line
                self._advance(end)
                return obj, line

    def _needs_more(self, exc: json.JSONDecodeError) -> bool:
        return exc.pos >= len(self.buf.rstrip(WS)) or exc.msg.startswith("Unterminated string")

    def _error(self, exc: json.JSONDecodeError) -> TicketError:
        if self.eof and self._needs_more(exc):
            return self.truncated("the end of a value")
        line = self.line + self.buf.count("\n", self.pos, exc.pos)
        return TicketError(f"invalid JSON: {exc.msg}; fix the file or export it again", self.path, line)

    def truncated(self, what: str) -> TicketError:
        line = self.line + self.buf.count("\n", self.pos)
        return TicketError(f"truncated JSON: the file ends before {what}; the export was cut short, "
                           "export it again", self.path, line)

    def items(self) -> Iterator[tuple[Any, int]]:
        """The items of the array that starts here (the `[` not yet read)."""
        self.expect("[", "`[`")
        if self.peek() == "]":
            self._advance(self.pos + 1)
            return
        while True:
            yield self.value()
            if self.expect(",]", "`,` or `]`") == "]":
                return

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here; the caller reads each value (value() or items())."""
        self.expect("{", "`{`")
        if self.peek() == "}":
            self._advance(self.pos + 1)
            return
        while True:
            key, _ = self.value()
            self.expect(":", "`:`")
            yield str(key)
            if self.expect(",}", "`,` or `}`") == "}":
                return
