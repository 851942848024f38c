"""What a run produced: one record per request sent, the failures, and the run's totals.

The run's own vocabulary, beside the runner that produces it; every reporter (cli, json, junit, html in
``postman_gen.reports``) only consumes it. Nothing here imports ``requests``, so reports never do. Records
are frozen and hold bounded data only (a body *preview*, never a whole body), so a run of
10,000 requests streams through the reporters without the run's memory growing with its length.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from postman_gen.errors import ExitStatus

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
    SCRIPT = "script"  # a pre-request or test script did not run to its end (error, time-out, memory)
    TEST = "test"  # a pm.test (or legacy tests[...]) assertion failed
    LOOP = "loop"  # setNextRequest jumped back more often than --max-jumps allows
    SIZE = "size"  # the response body was larger than --max-response-size

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
    timings: Mapping[str, float] | None = None  # dns_ms, connect_ms, tls_ms, first_byte_ms, download_ms


@dataclass(frozen=True, slots=True)
class TestRecord:
    """One ``pm.test`` of a script: passed, failed (``error`` says why) or skipped (``pm.test.skip``)."""

    __test__ = False  # not a pytest test class

    name: str
    passed: bool
    skipped: bool = False
    error: str | None = None
    event: str = "test"  # "prerequest" or "test": pm.test may be called in either


@dataclass(frozen=True, slots=True)
class ScriptFailure:
    """A script that did not run to its end, located for a person: which script, which line, what."""

    event: str  # "prerequest" or "test"
    level: str  # where the script is written: "collection", "folder <name>" or "item"
    name: str  # the JavaScript error class, or TimeoutError / MemoryError
    message: str
    line: int | None = None
    column: int | None = None

    def text(self) -> str:
        """``test script (item), line 3: TypeError: x is not a function``."""
        event = "pre-request" if self.event == "prerequest" else self.event
        where = f", line {self.line}" if self.line is not None else ""
        return f"{event} script ({self.level}){where}: {self.name}: {self.message}"


@dataclass(frozen=True, slots=True)
class ConsoleLine:
    """One ``console.log/info/warn/error`` call of a script."""

    level: str
    text: str
    event: str = "test"


@dataclass(frozen=True, slots=True)
class Execution:
    """One attempt to send one item in one iteration, with what its scripts produced.

    ``skipped``: a pre-request script called ``pm.execution.skipRequest()``; nothing was sent.
    """

    index: int
    iteration: int
    path: tuple[str, ...]
    item_id: str | None
    request: SentRequest | None  # None when the request could not even be built
    response: ReceivedResponse | None  # None when it failed before a response
    duration_ms: float  # send to last body byte, redirects included
    redirects: int = 0
    failure: Failure | None = None
    tests: tuple[TestRecord, ...] = ()
    script_errors: tuple[ScriptFailure, ...] = ()
    console: tuple[ConsoleLine, ...] = ()
    skipped: bool = False

    @property
    def name(self) -> str:
        return " / ".join(self.path)

    @property
    def ok(self) -> bool:
        """No request failure, no script error, no failed test."""
        return (
            self.failure is None and not self.script_errors and all(t.passed or t.skipped for t in self.tests)
        )

    def failures(self) -> tuple[Failure, ...]:
        """Every failure of this execution: the request's own, then script errors, then failed tests."""
        out = [self.failure] if self.failure is not None else []
        for error in self.script_errors:
            out.append(Failure(FailureKind.SCRIPT, error.text(), self.path, self.iteration, self.index))
        for test in self.tests:
            if not (test.passed or test.skipped):
                message = f"{test.name!r} failed: {test.error or 'assertion failed'}"
                out.append(Failure(FailureKind.TEST, message, self.path, self.iteration, self.index))
        return tuple(out)


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
    tests: int = 0  # pm.test results, all scripts of the run
    tests_failed: int = 0
    tests_skipped: int = 0
    script_errors: int = 0
    skipped: int = 0  # requests a pre-request script skipped (not counted in ``requests``)
    scripts_run: int = 0  # pre-request and test scripts executed
    notes: tuple[
        str, ...
    ] = ()  # things a person should know that are not failures (setNextRequest to nowhere)

    @property
    def exit_status(self) -> ExitStatus:
        """Interrupted; else USAGE when a request could not be built from the input; FAILED on any
        failure; else OK."""
        if self.interrupted:
            return ExitStatus.INTERRUPTED
        if any(f.kind.is_input for f in self.failures):
            return ExitStatus.USAGE
        return ExitStatus.FAILED if self.failures else ExitStatus.OK


@dataclass(frozen=True)
class RunOutcome:
    """What ``postman_gen.run`` returns: the summary (totals and every failure), and the environment and
    globals as the run left them (scripts' changes included; values keep the types scripts gave them)."""

    summary: RunSummary
    environment: Mapping[str, Any] = field(default_factory=dict)
    globals: Mapping[str, Any] = field(default_factory=dict)

    @property
    def exit_status(self) -> ExitStatus:
        return self.summary.exit_status

    @property
    def ok(self) -> bool:
        return self.exit_status is ExitStatus.OK


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
    tests: int = 0
    tests_failed: int = 0
    tests_skipped: int = 0
    script_errors: int = 0
    skipped: int = 0
    scripts_run: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, execution: Execution) -> None:
        self.tests += len(execution.tests)
        self.tests_skipped += sum(1 for t in execution.tests if t.skipped)
        self.tests_failed += sum(1 for t in execution.tests if not (t.passed or t.skipped))
        self.script_errors += len(execution.script_errors)
        if not execution.ok:
            self.failed += 1
            self.failures.extend(execution.failures())
        if execution.skipped:
            self.skipped += 1
            return
        self.requests += 1
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
            tests=self.tests,
            tests_failed=self.tests_failed,
            tests_skipped=self.tests_skipped,
            script_errors=self.script_errors,
            skipped=self.skipped,
            scripts_run=self.scripts_run,
            notes=tuple(self.notes),
            **flags,
        )
