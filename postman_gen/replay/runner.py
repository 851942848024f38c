"""The run loop: for each iteration, for each selected item, resolve from the current values, send, record.

Resolution happens per request, just before sending, from ``RunState.values`` as it is at that moment;
``Hooks.before_request`` may change those values first, and the item itself (``RunState.item``: pre-request
scripts run there, see ``postman_gen.scripts.hooks``), or skip the request; ``Hooks.after_response`` sees
the full response (test scripts; the CLI prints one item's body). A hook may ask to continue at another
item (``RunState.jump``, Postman's setNextRequest). Each request becomes one ``Execution`` handed to every
reporter at once and not kept: the run keeps running totals and the failures only, so memory does not grow
with the number of requests.
"""

from __future__ import annotations

import contextlib
import datetime
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any, Protocol

from postman_gen.collection.iteration import load_iteration_data, parse_json_rows, row_texts
from postman_gen.collection.model import Collection, Item
from postman_gen.collection.selection import Selected
from postman_gen.errors import PostmanGenError, SendError
from postman_gen.replay.config import RunConfig
from postman_gen.replay.outcome import (
    ConsoleLine,
    Execution,
    Failure,
    FailureKind,
    RunInfo,
    RunSummary,
    ScriptFailure,
    TestRecord,
    Totals,
)
from postman_gen.replay.records import mask_test, received_response, secrets_of, sent_request, value_secrets
from postman_gen.replay.transport import Response, Transport
from postman_gen.resolution.dynamic import DynamicValues
from postman_gen.resolution.request import ResolvedRequest
from postman_gen.resolution.resolver import Values, resolve
from postman_gen.views.masking import redact

MAX_CONSOLE_LINES = 200  # console lines kept per request in reports (the rest are counted)


def data_rows(config: RunConfig) -> tuple[Mapping[str, Any], ...]:
    """The iteration data rows: read from the file the config names, or the rows it holds."""
    data = config.iteration_data
    if data is None:
        return ()
    if isinstance(data, str):
        return tuple(load_iteration_data(data))
    return tuple(parse_json_rows(list(data), file="iteration data"))  # as a JSON data file's rows


def run_info(collection: Collection, selected: Sequence[Selected], iterations: int) -> RunInfo:
    """What the reporters learn before the first request; ``started_at`` is now."""
    return RunInfo(
        collection=collection.name,
        file=collection.file,
        items=len(selected),
        iterations=iterations,
        started_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    )


def iteration_count(config: RunConfig, rows: Sequence[Mapping[str, Any]]) -> int:
    """-n when given, else one iteration per data row, else 1."""
    if config.iteration_count is not None:
        return config.iteration_count
    return len(rows) or 1


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
    """What hooks (scripts) may change: variable values and collection variables for the run; for the
    current step, the item to resolve, whether to send it, where to go next, and what the scripts said.

    The per-step fields are reset by ``begin_step`` before ``Hooks.before_request``.
    """

    def __init__(self, values: Values, collection: Collection) -> None:
        self.values = values
        self.collection = collection  # as resolution sees it: scripts may change its variables
        self.stop = False  # a hook may end the run
        self.deadline: float | None = None  # the run's --timeout as a time.monotonic() instant
        self.scripts_run = 0
        self.begin_step()

    def begin_step(self) -> None:
        self.item: Item | None = None  # the item as pre-request scripts changed it; None: as written
        self.skip = False  # pm.execution.skipRequest(): resolve and send nothing, run no test script
        self.jump = False  # setNextRequest was called during this step ...
        self.jump_to: str | None = None  # ... with this item name or id (None: end the iteration)
        self.tests: list[TestRecord] = []
        self.script_errors: list[ScriptFailure] = []
        self.console: list[ConsoleLine] = []


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


class HookChain:
    """Several hooks called in order (scripts first, then the command line's printing); with a ``lock``,
    each call holds it, so hooks shared by parallel workers are called one at a time."""

    def __init__(self, hooks: Sequence[Hooks], lock: AbstractContextManager[Any] | None = None) -> None:
        self.hooks = tuple(hooks)
        self.lock = lock if lock is not None else contextlib.nullcontext()

    def before_request(self, step: Step, state: RunState) -> None:
        with self.lock:
            for hook in self.hooks:
                hook.before_request(step, state)

    def after_response(
        self,
        step: Step,
        request: ResolvedRequest | None,
        response: Response | None,
        failure: Failure | None,
        state: RunState,
    ) -> None:
        with self.lock:
            for hook in self.hooks:
                hook.after_response(step, request, response, failure, state)


class Runner:
    """Runs ``selected`` items of ``collection``; one ``Transport`` (one Session, one cookie jar) per run.

    Of ``config`` it uses what the loop needs (iterations and data, delay, time limits, --bail,
    --fail-on-status, masking, the body limit, --max-jumps, how requests are resolved); loading the inputs,
    scripts, reporters and exports are ``postman_gen.replay.session.run``'s.
    """

    def __init__(
        self,
        collection: Collection,
        selected: Sequence[Selected],
        values: Values,
        config: RunConfig | None = None,
        *,
        reporters: Sequence[Reporter] = (),
        hooks: Hooks | Sequence[Hooks] | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.collection = collection
        self.selected = list(selected)
        self.config = config = config or RunConfig(collection)
        self.resolve_options = config.resolve_options()
        self.rows = data_rows(config)
        self.iterations = iteration_count(config, self.rows)
        self.reporters = list(reporters)
        if hooks is None:
            hooks = NoHooks()
        self.hooks: Hooks = HookChain(hooks) if isinstance(hooks, Sequence) else hooks
        self._own_transport = transport is None
        self.transport = transport or Transport(config.transport_options())
        self.state = RunState(values, collection)
        self.dynamic = DynamicValues(seed=self.resolve_options.seed)
        self.totals = Totals()
        self._deadline: float | None = None
        self._jumps = 0
        self._index = 0  # sequence number of the next request in the run
        self._base_data = values.data
        self._positions: dict[str, int] | None = None

    def info(self) -> RunInfo:
        return run_info(self.collection, self.selected, self.iterations)

    def run(self) -> RunSummary:
        """Run every step; Ctrl-C, --bail and --timeout end early but reporters still finish."""
        info = self.info()
        for reporter in self.reporters:
            reporter.start(info)
        start = time.perf_counter()
        self.start_clock()
        flags = {"interrupted": False, "bailed": False, "timed_out": False}
        try:
            for iteration in range(self.iterations):
                end = self.run_iteration(iteration)
                if end is not None:
                    flags.update(end)
                    break
        except KeyboardInterrupt:
            flags["interrupted"] = True
        finally:
            if self._own_transport:
                self.transport.close()
        summary = self.totals.summary(info, (time.perf_counter() - start) * 1000, **flags)
        for reporter in self.reporters:
            reporter.finish(summary)
        return summary

    def start_clock(self, deadline: float | None = None) -> None:
        """Start the run's --timeout (or share another runner's ``deadline``, a ``time.monotonic()``)."""
        if deadline is not None:
            self._deadline = deadline
        elif self.config.timeouts.run_ms:
            self._deadline = time.monotonic() + self.config.timeouts.run_ms / 1000
        self.state.deadline = self._deadline

    @property
    def deadline(self) -> float | None:
        return self._deadline

    def row(self, iteration: int) -> Mapping[str, Any]:
        """Newman reuses the last row when -n asks for more iterations than there are rows."""
        return self.rows[min(iteration, len(self.rows) - 1)] if self.rows else {}

    def run_iteration(self, iteration: int) -> dict[str, bool] | None:
        """The selected items of one iteration, in order (setNextRequest may reorder them). None: the run
        goes on; else it ends, with these flags (``{}``: a plain end, e.g. a script stopped it)."""
        row = self.row(iteration)
        if row or self._base_data:
            texts = row_texts(row) if row else self._base_data
            self.state.values = replace(self.state.values, data=texts, typed_data=row or texts)
        position = 0
        while position < len(self.selected):
            if self.halted():
                return {}
            if self._index and self.config.delay_ms:
                time.sleep(self.config.delay_ms / 1000)
            step = Step(self._index, iteration, self.selected[position])
            if self._out_of_time():
                self._record_run_timeout(step)
                return {"timed_out": True}
            execution = self.step(step)
            self._index += 1
            if execution.failure is not None and execution.failure.kind is FailureKind.RUN_TIMEOUT:
                return {"timed_out": True}  # its failure already says that the run stopped there
            if self.state.stop:
                return {}
            if not execution.ok and self.config.bail:
                return {"bailed": True}
            next_position = self._next_position(step, position)
            if next_position is None:
                return {}
            position = next_position
        return None

    def halted(self) -> bool:
        """Whether something outside this runner ended the run (never, for a runner on its own)."""
        return False

    # ------------------------------------------------------------------ what the run produced

    def emit(self, execution: Execution) -> None:
        """One request's record: into the totals and to every reporter."""
        self.totals.add(execution)
        for reporter in self.reporters:
            reporter.add(execution)

    def run_failure(self, failure: Failure) -> None:
        """A failure of the run itself, tied to no request (the loop guard, --timeout)."""
        self.totals.failures.append(failure)

    def note(self, text: str) -> None:
        if text not in self.totals.notes:
            self.totals.notes.append(text)

    # ------------------------------------------------------------------ setNextRequest

    def _next_position(self, step: Step, position: int) -> int | None:
        """Where the iteration goes on after ``position``: the next item, a setNextRequest target, or
        its end (``null``, or a name not in the run, as postman-runtime does). None: the loop guard
        stopped the run.
        """
        state = self.state
        if not state.jump:
            return position + 1
        if state.jump_to is None:
            return len(self.selected)
        target = self._position_of(state.jump_to)
        if target is None:
            note = (
                f"setNextRequest({state.jump_to!r}) in {step.selected.item.name!r}: no item of that name "
                "or id in this run, so the iteration ended there (as in Newman)"
            )
            self.note(note)
            return len(self.selected)
        if target <= position:
            self._jumps += 1
            max_jumps = self.config.scripts.max_jumps
            if self._jumps > max_jumps:
                message = (
                    f"setNextRequest jumped back {max_jumps} times (--max-jumps); the run was "
                    f"stopped at {step.selected.item.name!r} -> {state.jump_to!r}"
                )
                self.run_failure(Failure(FailureKind.LOOP, message, step.path, step.iteration, -1))
                return None
        return target

    def _position_of(self, name: str) -> int | None:
        """An item of the run by id, else by name; the last of equal names wins, as in postman-runtime."""
        if self._positions is None:
            ids: dict[str, int] = {}
            names: dict[str, int] = {}
            for i, selected in enumerate(self.selected):
                if selected.item.id:
                    ids[selected.item.id] = i
                if selected.item.name:
                    names[selected.item.name] = i
            self._positions = {**names, **ids}
        return self._positions.get(name)

    def _out_of_time(self) -> bool:
        return self._deadline is not None and time.monotonic() >= self._deadline

    def _record_run_timeout(self, step: Step) -> None:
        message = (
            f"the run took longer than --timeout {self.config.timeouts.run_ms} ms; "
            "later requests were not sent"
        )
        self.run_failure(Failure(FailureKind.RUN_TIMEOUT, message, step.path, step.iteration, -1))

    def step(self, step: Step) -> Execution:
        """Resolve and send one item; every outcome, good or bad, becomes one ``Execution``."""
        state = self.state
        state.begin_step()
        self.hooks.before_request(step, state)
        if state.skip:
            execution = self._record(step, None, None, None, skipped=True)
        else:
            execution = self._send(step)
        self.emit(execution)
        return execution

    def _send(self, step: Step) -> Execution:
        request: ResolvedRequest | None = None
        response: Response | None = None
        failure: Failure | None = None
        try:
            request = resolve(
                self.state.collection,
                step.selected.folders,
                self.state.item or step.selected.item,
                self.state.values,
                self.resolve_options,
                dynamic=self.dynamic,
            )
            response = self.transport.send(request, deadline=self._deadline)
        except SendError as exc:
            failure = self._failure(step, exc.kind, exc.message)
        except PostmanGenError as exc:
            failure = self._failure(step, FailureKind.INPUT, str(exc))
        if response is not None and self.config.fail_on_status and response.status >= 400:
            failure = self._failure(step, FailureKind.STATUS, f"{response.status} {response.reason}".strip())
        if failure is not None and failure.kind is FailureKind.TIMEOUT and self._out_of_time():
            failure = replace(
                failure,
                kind=FailureKind.RUN_TIMEOUT,
                message=(
                    f"run time limit reached: --timeout {self.config.timeouts.run_ms} ms ran out during this "
                    "request; the run stopped here"
                ),
            )
        self.hooks.after_response(step, request, response, failure, self.state)
        return self._record(step, request, response, failure)

    def _failure(self, step: Step, kind: FailureKind, message: str) -> Failure:
        return Failure(kind, message, step.path, step.iteration, step.index)

    def _record(
        self,
        step: Step,
        request: ResolvedRequest | None,
        response: Response | None,
        failure: Failure | None,
        *,
        skipped: bool = False,
    ) -> Execution:
        show, limit = self.config.show_secrets, self.config.reports.body_limit
        secrets = secrets_of(request) if request is not None and not show else ()
        known = () if show else (*secrets, *value_secrets(self.state.values))
        state = self.state
        self.totals.scripts_run = state.scripts_run
        return Execution(
            index=step.index,
            iteration=step.iteration,
            path=step.path,
            item_id=step.selected.item.id,
            request=sent_request(request, show, limit, response) if request is not None else None,
            response=received_response(response, show, limit, secrets) if response is not None else None,
            duration_ms=response.elapsed_ms if response is not None else 0.0,
            redirects=response.redirects if response is not None else 0,
            failure=failure,
            tests=tuple(mask_test(t, known) for t in state.tests),
            script_errors=tuple(replace(f, message=redact(f.message, known)) for f in state.script_errors),
            console=_bounded_console([replace(c, text=redact(c.text, known)) for c in state.console], limit),
            skipped=skipped,
        )


def _bounded_console(lines: Sequence[ConsoleLine], limit: int) -> tuple[ConsoleLine, ...]:
    """At most ``MAX_CONSOLE_LINES`` lines of at most ``limit`` characters: reports stay bounded."""
    kept = [
        line if len(line.text) <= limit else replace(line, text=line.text[:limit] + " [...]")
        for line in lines[:MAX_CONSOLE_LINES]
    ]
    if len(lines) > MAX_CONSOLE_LINES:
        kept.append(ConsoleLine("info", f"[{len(lines) - MAX_CONSOLE_LINES} more console lines not kept]"))
    return tuple(kept)
