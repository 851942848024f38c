"""The exception replay raises for a request that did not complete; the runner makes it a ``Failure``."""

from __future__ import annotations

from postman_gen.reports.model import FailureKind


class SendError(Exception):
    """A request that did not complete; ``kind`` classifies it for reports and the exit status."""

    def __init__(self, kind: FailureKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
