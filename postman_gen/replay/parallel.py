"""``run --parallel N``: up to N iterations at once, each made exactly as a sequential run makes it.

What stays as in a sequential run, and what differs (README, "Parallel runs"):

- An iteration runs on one worker, its items in order, with its scripts and ``setNextRequest``. A worker
  has one HTTP session (connections reused) and one script engine, and runs one iteration after another.
- Every iteration starts from the run's starting values: the environment, globals, collection variables,
  ``--var`` values and cookie jar as the inputs give them. What an iteration's scripts set, or its responses'
  cookies, no other iteration sees. Under ``--seed`` the dynamic values are drawn per iteration (from the seed
  and the iteration's number), so a seeded parallel run is reproducible whatever worker runs what.
- Reporters get every request in iteration order (an iteration's records wait until the iterations before it
  are done), numbered as in a sequential run; the summary merges all iterations.
- ``--bail``, ``--timeout``, a hook that stops the run and Ctrl-C stop every worker after its current
  request; iterations not started are not run. ``--delay-request`` is the wait between one worker's
  requests; ``--max-jumps`` counts per iteration. Exports are refused (``RunConfig`` says why).
- The caller's hooks are called from the worker threads, one call at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from requests.cookies import RequestsCookieJar

from postman_gen.collection.model import Collection
from postman_gen.collection.selection import Selected
from postman_gen.replay.config import RunConfig
from postman_gen.replay.outcome import Execution, Failure, RunSummary, Totals
from postman_gen.replay.runner import (
    HookChain,
    Hooks,
    Reporter,
    Runner,
    RunState,
    data_rows,
    iteration_count,
    run_info,
)
from postman_gen.replay.transport import Transport
from postman_gen.resolution.dynamic import DynamicValues
from postman_gen.resolution.resolver import Values

# What a worker needs besides its runner, made in its own thread: the hooks that run one iteration's
# scripts on a fresh copy of the starting values (None: no scripts), sharing the worker's script engine.
ScriptsFactory = Callable[[Transport], Callable[[], Hooks] | None]


@dataclass
class _Iteration:
    """What one iteration produced, in order: executions, run failures and notes; then its end."""

    events: list[Execution | Failure | str] = field(default_factory=list)
    scripts_run: int = 0
    end: dict[str, bool] | None = None
    scopes: tuple[dict[str, Any], dict[str, Any]] | None = None  # environment, globals as it left them


class _Shared:
    """What the workers share: the stop signal, the next iteration to take, and the output lock: the
    caller's hooks and reporters are called under it, one call at a time (a console's lines never mix)."""

    def __init__(self, iterations: int) -> None:
        self.stop = threading.Event()
        self.output_lock = threading.Lock()
        self._lock = threading.Lock()
        self._next = 0
        self.iterations = iterations
        self.flags: dict[str, bool] = {}
        self.running = 0  # workers not yet finished

    def worker_done(self) -> None:
        with self._lock:
            self.running -= 1

    def take(self) -> int | None:
        with self._lock:
            if self.stop.is_set() or self._next >= self.iterations:
                return None
            self._next += 1
            return self._next - 1

    def end_run(self, flags: Mapping[str, bool]) -> None:
        with self._lock:
            self.flags.update(flags)
        self.stop.set()


class _WorkerRunner(Runner):
    """A ``Runner`` that runs the iterations it is given, each from the starting values, and keeps what
    each produced for the merger instead of reporting it."""

    def __init__(
        self,
        collection: Collection,
        selected: Sequence[Selected],
        values: Values,
        config: RunConfig,
        *,
        transport: Transport,
        cookies: RequestsCookieJar | None,
        shared: _Shared,
        caller_hooks: Hooks,
        scripts: Callable[[], Hooks] | None,
    ) -> None:
        super().__init__(collection, selected, values, config, transport=transport)
        self.values = values
        self.cookies = cookies
        self.shared = shared
        self.caller_hooks = caller_hooks
        self.scripts = scripts
        self.current = _Iteration()

    def iteration(self, number: int) -> _Iteration:
        self.current = current = _Iteration()
        self.state = RunState(self.values, self.collection)
        self.state.deadline = self._deadline
        seed = self.resolve_options.seed
        self.dynamic = DynamicValues(seed=None if seed is None else seed * 1_000_003 + number)
        self._jumps = 0
        self._index = number * len(self.selected)  # provisional; the merger numbers the requests
        self.transport.session.cookies = (
            self.cookies.copy() if self.cookies is not None else RequestsCookieJar()
        )
        scripts = self.scripts() if self.scripts is not None else None
        self.hooks = HookChain([scripts, self.caller_hooks] if scripts is not None else [self.caller_hooks])
        current.end = self.run_iteration(number)
        current.scripts_run = self.state.scripts_run
        scopes = getattr(scripts, "scopes", None)
        if scopes is not None:
            current.scopes = (dict(scopes.environment), dict(scopes.globals))
        return current

    def halted(self) -> bool:
        return self.shared.stop.is_set()

    def emit(self, execution: Execution) -> None:
        self.current.events.append(execution)

    def run_failure(self, failure: Failure) -> None:
        self.current.events.append(failure)

    def note(self, text: str) -> None:
        self.current.events.append(text)


class _Merger:
    """Hands the iterations' records to the reporters in iteration order, numbered as a sequential run
    numbers them, and keeps the merged totals."""

    def __init__(self, reporters: Sequence[Reporter], lock: threading.Lock) -> None:
        self.reporters = reporters
        self.totals = Totals()
        self.last: _Iteration | None = None
        self._lock = lock
        self._done: dict[int, _Iteration] = {}
        self._next = 0
        self._index = 0

    def done(self, number: int, iteration: _Iteration) -> None:
        with self._lock:
            self._done[number] = iteration
            while self._next in self._done:
                self._release(self._done.pop(self._next))
                self._next += 1

    def flush(self) -> None:
        """After a stop: what was done beyond a gap, still in iteration order."""
        with self._lock:
            for number in sorted(self._done):
                self._release(self._done.pop(number))

    def _release(self, iteration: _Iteration) -> None:
        totals = self.totals
        for event in iteration.events:
            if isinstance(event, Execution):
                execution = _numbered(event, self._index)
                self._index += 1
                totals.add(execution)
                for reporter in self.reporters:
                    reporter.add(execution)
            elif isinstance(event, Failure):
                totals.failures.append(event)
            elif event not in totals.notes:
                totals.notes.append(event)
        totals.scripts_run += iteration.scripts_run
        self.last = iteration


def _numbered(execution: Execution, index: int) -> Execution:
    failure = execution.failure
    return replace(
        execution, index=index, failure=replace(failure, index=index) if failure is not None else None
    )


@dataclass(frozen=True)
class ParallelResult:
    summary: RunSummary
    scopes: tuple[dict[str, Any], dict[str, Any]] | None  # environment, globals the last iteration left


class ParallelRun:
    """Runs ``config``'s iterations on ``workers`` threads; ``run()`` returns the merged result.

    ``make_transport`` and ``make_scripts`` build a worker's session and script hooks in the worker's own
    thread, before the reporters start: a failure there (a bad certificate, no script engine) is raised
    by ``run()`` with nothing reported or written.
    """

    def __init__(
        self,
        collection: Collection,
        selected: Sequence[Selected],
        values: Values,
        config: RunConfig,
        *,
        make_transport: Callable[[], Transport],
        make_scripts: ScriptsFactory,
        cookies: RequestsCookieJar | None = None,
        hooks: Sequence[Hooks] = (),
        reporters: Sequence[Reporter] = (),
    ) -> None:
        self.args = (collection, selected, values, config)
        self.make_transport = make_transport
        self.make_scripts = make_scripts
        self.cookies = cookies
        self.reporters = reporters
        self.iterations = iteration_count(config, data_rows(config))
        self.workers = max(1, min(config.parallel, self.iterations))
        self.shared = _Shared(self.iterations)
        self.hooks = HookChain(hooks, self.shared.output_lock)  # the caller's, one call at a time
        self.deadline: float | None = None
        self.crash: BaseException | None = None  # a bug in a worker: ``run()`` raises it

    def run(self) -> ParallelResult:
        collection, selected, _, _ = self.args
        merger = _Merger(self.reporters, self.shared.output_lock)
        ready: list[BaseException | None] = []
        ready_lock = threading.Condition()
        go = threading.Event()
        threads = [
            threading.Thread(
                target=self._work, args=(merger, ready, ready_lock, go), name=f"run-worker-{n}", daemon=True
            )
            for n in range(self.workers)
        ]
        self.shared.running = len(threads)
        for thread in threads:
            thread.start()
        with ready_lock:
            ready_lock.wait_for(lambda: len(ready) == len(threads))
        errors = [e for e in ready if e is not None]
        if errors:
            self.shared.stop.set()
            go.set()
            self._wait()
            raise errors[0]
        info = run_info(collection, selected, self.iterations)
        for reporter in self.reporters:
            reporter.start(info)
        start = time.perf_counter()
        config = self.args[3]
        self.deadline = time.monotonic() + config.timeouts.run_ms / 1000 if config.timeouts.run_ms else None
        flags = {"interrupted": False, "bailed": False, "timed_out": False}
        go.set()
        try:
            self._wait()
        except KeyboardInterrupt:
            flags["interrupted"] = True
            self.shared.stop.set()
            self._wait()
        if self.crash is not None:
            raise self.crash
        merger.flush()
        flags.update({k: v for k, v in self.shared.flags.items() if k in flags})
        summary = merger.totals.summary(info, (time.perf_counter() - start) * 1000, **flags)
        for reporter in self.reporters:
            reporter.finish(summary)
        last = merger.last
        return ParallelResult(summary, last.scopes if last is not None else None)

    def _work(
        self,
        merger: _Merger,
        ready: list[BaseException | None],
        ready_lock: threading.Condition,
        go: threading.Event,
    ) -> None:
        runner: _WorkerRunner | None = None
        transport: Transport | None = None
        error: BaseException | None = None
        try:
            transport = self.make_transport()
            collection, selected, values, config = self.args
            runner = _WorkerRunner(
                collection,
                selected,
                values,
                config,
                transport=transport,
                cookies=self.cookies,
                shared=self.shared,
                caller_hooks=self.hooks,
                scripts=self.make_scripts(transport),
            )
        except BaseException as exc:  # handed to the main thread, which raises it
            error = exc
        with ready_lock:
            ready.append(error)
            ready_lock.notify_all()
        go.wait()
        try:
            if runner is not None:
                runner.start_clock(self.deadline)
                while (number := self.shared.take()) is not None:
                    iteration = runner.iteration(number)
                    merger.done(number, iteration)
                    if iteration.end is not None:
                        self.shared.end_run(iteration.end)
        except BaseException as exc:  # a bug of ours: stop the others, let the main thread raise it
            self.crash = exc
            self.shared.stop.set()
        finally:
            if transport is not None:
                transport.close()
            self.shared.worker_done()

    def _wait(self) -> None:
        """Until every worker is done, in short sleeps: Ctrl-C reaches the main thread at once, and (unlike
        an interrupted ``Thread.join`` before Python 3.13) never makes a running worker look finished."""
        while self.shared.running:
            time.sleep(0.05)
