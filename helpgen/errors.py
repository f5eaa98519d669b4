"""One exception tree for every error a user can cause, plus the exit codes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

import click


class ExitStatus(IntEnum):
    """Process exit codes, as in httpie."""

    OK = 0
    PROBLEMS = 1  # check/build found errors, coverage under --fail-under, bad input
    USAGE = 2  # bad command line (click's own code)


class HelpgenError(click.ClickException):
    """Root of every user-facing error: printed as one line, no traceback."""

    exit_code = ExitStatus.PROBLEMS

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path, self.line = path, line
        super().__init__(message)

    def format_message(self) -> str:
        return located(self.path, self.line, f"error: {self.message}")

    def show(self, file=None) -> None:  # one line, no "Error:" prefix
        click.echo(self.format_message(), file=file, err=file is None)


class ConfigError(HelpgenError):
    """helpgen.yml is invalid; `.problems` (when set) lists every problem, one `path:line: error:` line each."""

    problems: list = []

    def format_message(self) -> str:
        if len(self.problems) > 1:
            return "\n".join(str(p) for p in self.problems)
        return super().format_message()


class ContentError(HelpgenError):
    """An article, glossary or changelog file is invalid."""


class BuildError(HelpgenError):
    """The site could not be built."""


class TicketError(HelpgenError):
    """A ticket log cannot be read."""


class CoverageBelowThreshold(HelpgenError):
    """Coverage is under --fail-under."""


class UnsafeOutputError(HelpgenError):
    """Refusing to overwrite or clean a folder helpgen did not create."""


LINE_BREAKS_RE = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def located(path: str | None, line: int | None, message: str) -> str:
    """Format `path:line: message` on one line (a line break quoted from the input is shown as `\\n`),
    leaving out the parts that are unknown."""
    message = one_line(message)
    if path is None:
        return message
    return f"{one_line(str(path))}:{line}: {message}" if line else f"{one_line(str(path))}: {message}"


def one_line(text: str) -> str:
    """text with every line break escaped (`\\n`, `\\r`, `\\x85` ...)."""
    if not LINE_BREAKS_RE.search(text):
        return text
    return LINE_BREAKS_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of `helpgen check`: an error stops the build, a warning does not (unless --strict)."""

    path: str
    line: int
    severity: str  # "error" | "warning" | "info" (info never fails, not even with --strict)
    message: str

    def __str__(self) -> str:
        return located(self.path, self.line, f"{self.severity}: {self.message}")

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "severity": self.severity, "message": self.message}
