"""What a run produced: one record per request sent, the failures, and the run's totals.

Why a module of its own: the runner (``postman_gen.replay``) produces these values and every reporter
(cli, json, junit, html) consumes them; neither side imports the other's libraries (reports never import
``requests``). Records are frozen and hold bounded data only (a body *preview*, never a whole body), so a
run of 10,000 requests streams through the reporters without the run's memory growing with its length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

Pair = tuple[str, str]


class FailureKind(str, Enum):
    """Why a request did not complete (or, ``STATUS``: got a 4xx/5xx under --fail-on-status)."""

    REFUSED = "refused"
    DNS = "dns"
    TIMEOUT = "timeout"
    TLS = "tls"
    RESET = "reset"
    CONNECTION = "connection"
    REDIRECTS = "redirects"
    STATUS = "status"
    AUTH = "auth"  # computed auth could not be applied (missing extra, bad parameters)
    INPUT = "input"  # cannot be built: unresolved variable (--strict), unreadable body file, bad URL
    RUN_TIMEOUT = "run-timeout"  # --timeout for the whole run ran out

    @property
    def is_input(self) -> bool:
        """Input problems make the run exit 2 (bad input), transport problems exit 1."""
        return self in (FailureKind.INPUT, FailureKind.AUTH)


@dataclass(frozen=True, slots=True)
class Failure:
    kind: FailureKind
    message: str
    path: tuple[str, ...] = ()
    iteration: int = 0
    index: int = 0  # sequence number of the request in the run (0-based); -1 when not tied to one

    @property
    def name(self) -> str:
        return " / ".join(self.path)

    def line(self) -> str:
        """The one line a person reads: which item, which iteration, why."""
        where = self.name or "run"
        return f"{where}: {self.kind.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class SentRequest:
    """The request as it went out, secrets already masked (unless --show-secrets)."""

    method: str
    url: str
    headers: tuple[Pair, ...]
    body: str | None  # a text preview of the body (masked, cut at the body limit)
    body_size: int | None  # bytes, when known before sending


@dataclass(frozen=True, slots=True)
class ReceivedResponse:
    status: int
    reason: str
    headers: tuple[Pair, ...]
    body: str  # text preview (UTF-8 with replacement, or base64 for binary), cut at the body limit
    body_encoding: str  # "utf-8" or "base64"
    body_truncated: bool
    size: int  # bytes received for the body (as on the wire when known)
    http_version: str = "HTTP/1.1"


@dataclass(frozen=True, slots=True)
class Execution:
    """One attempt to send one item in one iteration."""

    index: int
    iteration: int
    path: tuple[str, ...]
    item_id: str | None
    request: SentRequest | None  # None when the request could not even be built
    response: ReceivedResponse | None  # None when it failed before a response
    duration_ms: float  # send to last body byte, redirects included
    redirects: int = 0
    failure: Failure | None = None

    @property
    def name(self) -> str:
        return " / ".join(self.path)

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True, slots=True)
class RunInfo:
    """Known before the first request: what is run, how often."""

    collection: str
    file: str
    items: int  # selected items per iteration
    iterations: int
    started_at: str  # ISO 8601, UTC


@dataclass(frozen=True, slots=True)
class RunSummary:
    """The totals at the end, plus every failure (failures are kept; successful records are not)."""

    info: RunInfo
    requests: int
    failed: int
    total_ms: float  # wall time of the run
    min_ms: float
    avg_ms: float
    max_ms: float
    bytes_received: int
    failures: tuple[Failure, ...] = ()
    interrupted: bool = False
    bailed: bool = False
    timed_out: bool = False
    status_counts: tuple[tuple[int, int], ...] = ()  # (status code, how many), sorted by code

    @property
    def exit_status(self) -> int:
        """130 interrupted; 2 a request could not be built from the input; 1 any failure; else 0."""
        if self.interrupted:
            return 130
        if any(f.kind.is_input for f in self.failures):
            return 2
        return 1 if self.failures else 0


@dataclass
class Totals:
    """Running totals in constant memory (count, min, max, sum), fed one execution at a time."""

    requests: int = 0
    failed: int = 0
    sum_ms: float = 0.0
    min_ms: float = float("inf")
    max_ms: float = 0.0
    bytes_received: int = 0
    failures: list[Failure] = field(default_factory=list)
    status_counts: dict[int, int] = field(default_factory=dict)

    def add(self, execution: Execution) -> None:
        self.requests += 1
        if execution.failure is not None:
            self.failed += 1
            self.failures.append(execution.failure)
        if execution.response is not None:
            ms = execution.duration_ms
            self.sum_ms += ms
            self.min_ms = min(self.min_ms, ms)
            self.max_ms = max(self.max_ms, ms)
            self.bytes_received += execution.response.size
            code = execution.response.status
            self.status_counts[code] = self.status_counts.get(code, 0) + 1

    def summary(self, info: RunInfo, total_ms: float, **flags: bool) -> RunSummary:
        timed = sum(self.status_counts.values())
        return RunSummary(
            info=info,
            requests=self.requests,
            failed=self.failed,
            total_ms=total_ms,
            min_ms=self.min_ms if timed else 0.0,
            avg_ms=self.sum_ms / timed if timed else 0.0,
            max_ms=self.max_ms,
            bytes_received=self.bytes_received,
            failures=tuple(self.failures),
            status_counts=tuple(sorted(self.status_counts.items())),
            **flags,
        )
