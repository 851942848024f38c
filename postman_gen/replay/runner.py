"""The run loop: for each iteration, for each selected item, resolve from the current values, send, record.

Resolution happens per request, just before sending, from ``RunState.values`` as it is at that moment;
``Hooks.before_request`` may change those values first (the future scripts engine runs pre-request scripts
there) and ``Hooks.after_response`` sees the full response (test scripts; the CLI prints one item's body).
Each request becomes one ``Execution`` handed to every reporter at once and not kept: the run keeps running
totals and the failures only, so memory does not grow with the number of requests.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from postman_gen.dynamic import DynamicValues
from postman_gen.errors import PostmanGenError
from postman_gen.model import Collection
from postman_gen.replay.failures import SendError
from postman_gen.replay.records import DEFAULT_BODY_LIMIT, received_response, secrets_of, sent_request
from postman_gen.replay.transport import Response, Transport, TransportOptions
from postman_gen.reports.model import Execution, Failure, FailureKind, RunInfo, RunSummary, Totals
from postman_gen.request import ResolvedRequest
from postman_gen.resolution import ResolveOptions, Values, resolve
from postman_gen.selection import Selected


@dataclass(frozen=True, slots=True)
class RunOptions:
    iterations: int | None = None  # -n; default: one per data row, else 1
    data: tuple[Mapping[str, str], ...] = ()  # -d rows
    delay_ms: int = 0  # --delay-request, between requests
    timeout_ms: int | None = None  # --timeout, the whole run
    bail: bool = False
    fail_on_status: bool = False
    show_secrets: bool = False
    body_limit: int = DEFAULT_BODY_LIMIT
    transport: TransportOptions = field(default_factory=TransportOptions)

    def iteration_count(self) -> int:
        if self.iterations is not None:
            return max(self.iterations, 0)
        return len(self.data) or 1

    def row(self, iteration: int) -> Mapping[str, str]:
        """Newman reuses the last row when -n asks for more iterations than there are rows."""
        if not self.data:
            return {}
        return self.data[min(iteration, len(self.data) - 1)]


@dataclass(frozen=True, slots=True)
class Step:
    """One request about to be made: which item, which iteration, its place in the run."""

    index: int
    iteration: int
    selected: Selected

    @property
    def path(self) -> tuple[str, ...]:
        return self.selected.path


class RunState:
    """What a script may change between requests: the variable values (and, later, more)."""

    def __init__(self, values: Values) -> None:
        self.values = values
        self.stop = False  # a hook may end the run (postman.setNextRequest(null) later)


class Hooks(Protocol):
    def before_request(self, step: Step, state: RunState) -> None: ...

    def after_response(
        self,
        step: Step,
        request: ResolvedRequest | None,
        response: Response | None,
        failure: Failure | None,
        state: RunState,
    ) -> None: ...


class Reporter(Protocol):
    def start(self, info: RunInfo) -> None: ...

    def add(self, execution: Execution) -> None: ...

    def finish(self, summary: RunSummary) -> None: ...


class NoHooks:
    def before_request(self, step: Step, state: RunState) -> None:
        return None

    def after_response(
        self,
        step: Step,
        request: ResolvedRequest | None,
        response: Response | None,
        failure: Failure | None,
        state: RunState,
    ) -> None:
        return None


@dataclass
class RunResult:
    summary: RunSummary
    state: RunState

    @property
    def exit_status(self) -> int:
        return self.summary.exit_status


class Runner:
    """Runs ``selected`` items of ``collection``; one ``Transport`` (one Session, one cookie jar) per run."""

    def __init__(
        self,
        collection: Collection,
        selected: Sequence[Selected],
        values: Values,
        resolve_options: ResolveOptions | None = None,
        options: RunOptions | None = None,
        *,
        reporters: Sequence[Reporter] = (),
        hooks: Hooks | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.collection = collection
        self.selected = list(selected)
        self.resolve_options = resolve_options or ResolveOptions()
        self.options = options or RunOptions()
        self.reporters = list(reporters)
        self.hooks: Hooks = hooks or NoHooks()
        self._own_transport = transport is None
        self.transport = transport or Transport(self.options.transport)
        self.state = RunState(values)
        self.dynamic = DynamicValues(seed=self.resolve_options.seed)
        self.totals = Totals()
        self._deadline: float | None = None

    def info(self) -> RunInfo:
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        return RunInfo(
            collection=self.collection.name,
            file=self.collection.file,
            items=len(self.selected),
            iterations=self.options.iteration_count(),
            started_at=now,
        )

    def run(self) -> RunResult:
        """Run every step; Ctrl-C, --bail and --timeout end early but reporters still finish."""
        info = self.info()
        for reporter in self.reporters:
            reporter.start(info)
        start = time.perf_counter()
        if self.options.timeout_ms:
            self._deadline = start + self.options.timeout_ms / 1000
        flags = {"interrupted": False, "bailed": False, "timed_out": False}
        try:
            flags.update(self._loop())
        except KeyboardInterrupt:
            flags["interrupted"] = True
        finally:
            if self._own_transport:
                self.transport.close()
        summary = self.totals.summary(info, (time.perf_counter() - start) * 1000, **flags)
        for reporter in self.reporters:
            reporter.finish(summary)
        return RunResult(summary, self.state)

    def _loop(self) -> dict[str, bool]:
        index = 0
        base_data = self.state.values.data
        for iteration in range(self.options.iteration_count()):
            row = self.options.row(iteration)
            if row or base_data:
                self.state.values = replace(self.state.values, data=row or base_data)
            for selected in self.selected:
                if index and self.options.delay_ms:
                    time.sleep(self.options.delay_ms / 1000)
                step = Step(index, iteration, selected)
                if self._out_of_time():
                    self._record_run_timeout(step)
                    return {"timed_out": True}
                execution = self.step(step)
                index += 1
                if self.state.stop:
                    return {}
                if execution.failure is not None and self.options.bail:
                    return {"bailed": True}
        return {}

    def _out_of_time(self) -> bool:
        return self._deadline is not None and time.perf_counter() >= self._deadline

    def _remaining_ms(self) -> float | None:
        per_request = self.options.transport.timeout_ms
        if self._deadline is None:
            return per_request
        left = max((self._deadline - time.perf_counter()) * 1000, 1.0)
        return left if per_request is None else min(per_request, left)

    def _record_run_timeout(self, step: Step) -> None:
        message = (
            f"the run took longer than --timeout {self.options.timeout_ms} ms; later requests were not sent"
        )
        self.totals.failures.append(Failure(FailureKind.RUN_TIMEOUT, message, step.path, step.iteration, -1))

    def step(self, step: Step) -> Execution:
        """Resolve and send one item; every outcome, good or bad, becomes one ``Execution``."""
        self.hooks.before_request(step, self.state)
        request: ResolvedRequest | None = None
        response: Response | None = None
        failure: Failure | None = None
        try:
            request = resolve(
                self.collection,
                step.selected.folders,
                step.selected.item,
                self.state.values,
                self.resolve_options,
                dynamic=self.dynamic,
            )
            response = self.transport.send(request, timeout_ms=self._remaining_ms())
        except SendError as exc:
            failure = self._failure(step, exc.kind, exc.message)
        except PostmanGenError as exc:
            failure = self._failure(step, FailureKind.INPUT, str(exc))
        if response is not None and self.options.fail_on_status and response.status >= 400:
            failure = self._failure(step, FailureKind.STATUS, f"{response.status} {response.reason}".strip())
        if failure is not None and failure.kind is FailureKind.TIMEOUT and self._out_of_time():
            failure = replace(
                failure,
                kind=FailureKind.RUN_TIMEOUT,
                message=f"--timeout {self.options.timeout_ms} ms ran out",
            )
        self.hooks.after_response(step, request, response, failure, self.state)
        execution = self._record(step, request, response, failure)
        self.totals.add(execution)
        for reporter in self.reporters:
            reporter.add(execution)
        return execution

    def _failure(self, step: Step, kind: FailureKind, message: str) -> Failure:
        return Failure(kind, message, step.path, step.iteration, step.index)

    def _record(
        self, step: Step, request: ResolvedRequest | None, response: Response | None, failure: Failure | None
    ) -> Execution:
        show, limit = self.options.show_secrets, self.options.body_limit
        secrets = secrets_of(request) if request is not None and response is not None and not show else ()
        return Execution(
            index=step.index,
            iteration=step.iteration,
            path=step.path,
            item_id=step.selected.item.id,
            request=sent_request(request, show, limit) if request is not None else None,
            response=received_response(response, show, limit, secrets) if response is not None else None,
            duration_ms=response.elapsed_ms if response is not None else 0.0,
            redirects=response.redirects if response is not None else 0,
            failure=failure,
        )
