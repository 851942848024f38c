"""The one exception family of postman-gen, and located diagnostics.

Imports nothing of ours: every layer may raise these. The CLI turns a
``PostmanGenError`` into one line on stderr and an exit status.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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

    exit_status = 2

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


class RequestFailed(PostmanGenError):
    """A request could not be completed (refused, timeout, TLS, reset)."""

    exit_status = 1


class StaleOutput(PostmanGenError):
    """Generated files are missing, stale or orphaned (``generate --check``)."""

    exit_status = 1
