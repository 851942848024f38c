"""The one exception family of postman-gen, located diagnostics, and the exit statuses.

Imports nothing of ours at run time: every layer may raise these. The CLI turns a ``PostmanGenError``
into one line on stderr and its ``exit_status``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postman_gen.replay.outcome import FailureKind


class ExitStatus(IntEnum):
    """The process exit statuses, written once (README, "Errors and exit statuses")."""

    OK = 0
    FAILED = 1  # a request or test failed, or generated code is stale
    USAGE = 2  # bad input or usage
    INTERNAL = 70  # a bug of ours (EX_SOFTWARE of sysexits.h)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in input, located by file and JSON path (``item[3].request.url``)."""

    level: Level
    message: str
    file: str = ""
    where: str = ""

    def __str__(self) -> str:
        place = ": ".join(p for p in (self.file, self.where) if p)
        return f"{place}: {self.message}" if place else self.message


class PostmanGenError(Exception):
    """Base of every error postman-gen raises on purpose. ``exit_status`` is what the CLI exits with."""

    exit_status: ExitStatus = ExitStatus.USAGE

    def __init__(self, message: str, *, file: str = "", where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where

    def __str__(self) -> str:
        return str(Diagnostic(Level.ERROR, self.message, self.file, self.where))


class InputError(PostmanGenError):
    """The input (collection, environment, data file) cannot be read or is not valid."""


class ValidationError(InputError):
    """The input does not follow the schema; carries every problem found, not only the first."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        first = problems[0]
        super().__init__(first.message, file=first.file, where=first.where)
        self.problems = tuple(problems)


class UsageError(PostmanGenError):
    """The command line asks for something that cannot be done (unknown item, bad --var, ...)."""


class ResolveError(PostmanGenError):
    """A request cannot be resolved: variable cycle, strict mode, a value that would break the wire."""


class SendError(PostmanGenError):
    """A request that did not complete (refused, timeout, TLS, reset...); ``kind`` classifies it for
    reports and the exit status. The runner turns it into a ``Failure`` of that request."""

    exit_status = ExitStatus.FAILED

    def __init__(self, kind: FailureKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class StaleOutput(PostmanGenError):
    """Generated files are missing, stale or orphaned (``generate --check``)."""

    exit_status = ExitStatus.FAILED
