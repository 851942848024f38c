"""The Locust ``User`` of a load test: one Newman iteration of the plan per task, statistics keyed by item.

A user is one ``Runner`` with its own HTTP session (connections and cookies its own) and its own script
engine; what its scripts set is kept from one iteration to the next, as in one Newman run. Each request is
one Locust request event: type the method, name the item's path (``Folder / Item``), failed when the request
failed or a script failed or a ``pm.test`` failed. A request a script skipped is not counted.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping
from typing import Any

from locust import User, constant, task
from locust.env import Environment

from postman_gen.loadtest.plan import LoadPlan
from postman_gen.replay.outcome import Execution, Failure
from postman_gen.replay.runner import Hooks, Runner, Step
from postman_gen.replay.session import open_transport, script_hooks

_PLAN: LoadPlan | None = None  # set by ``postman_gen.loadtest.engine`` before Locust loads the locustfile
_TURNS = itertools.count()  # the next data row, across the users of this process


class LoadFailure(Exception):
    """Why a request counts as failed in Locust's statistics (its first failure)."""

    def __repr__(self) -> str:  # Locust's error report shows the repr: the message alone reads best
        return str(self)


def set_plan(plan: LoadPlan) -> None:
    global _PLAN
    _PLAN = plan


def planned_user() -> type[User]:
    """The ``User`` class for the plan the engine set (Locust finds it in the locustfile)."""
    if _PLAN is None:
        raise RuntimeError("no load plan: start load tests with `postman-gen load`, not with `locust -f`")
    return user_class(_PLAN)


def user_class(plan: LoadPlan) -> type[User]:
    class PostmanUser(User):
        """Runs the selected items of the collection, one Newman iteration per task."""

        wait_time = constant(0)

        def on_start(self) -> None:
            self.runner = UserRunner(plan, self.environment)

        def on_stop(self) -> None:
            self.runner.close()

        @task
        def iteration(self) -> None:
            self.runner.next_iteration()

    return PostmanUser


class UserRunner(Runner):
    """A ``Runner`` that runs one iteration at a time for ever, each request a Locust request event."""

    def __init__(self, plan: LoadPlan, environment: Environment) -> None:
        transport = open_transport(plan.config, None)
        scripts = script_hooks(plan.collection, plan.selected, plan.values, plan.config, transport)
        hooks: list[Hooks] = [scripts] if scripts is not None else []
        super().__init__(
            plan.collection, plan.selected, plan.values, plan.config, hooks=hooks, transport=transport
        )
        self.plan = plan
        self.fire: Callable[..., Any] = environment.events.request.fire
        self.iteration = 0
        self.started = 0.0
        self.written_method = "GET"

    def next_iteration(self) -> None:
        self._jumps = 0  # --max-jumps counts per iteration
        self.run_iteration(self.iteration)
        self.iteration += 1

    def row(self, iteration: int) -> Mapping[str, Any]:
        rows = self.plan.rows
        return rows[next(_TURNS) % len(rows)] if rows else {}

    def step(self, step: Step) -> Execution:
        self.started = time.perf_counter()
        self.written_method = step.selected.item.request.method.upper()  # if it cannot even be resolved
        return super().step(step)

    def emit(self, execution: Execution) -> None:
        if execution.skipped:
            return
        failures = execution.failures()
        if execution.response is not None:
            elapsed, size = execution.duration_ms, execution.response.size
        else:
            elapsed, size = (time.perf_counter() - self.started) * 1000, 0
        method = execution.request.method if execution.request is not None else self.written_method
        self.fire(
            request_type=method,
            name=execution.name,
            response_time=elapsed,
            response_length=size,
            response=None,
            context={},
            exception=LoadFailure(failures[0].message) if failures else None,
        )

    def run_failure(self, failure: Failure) -> None:
        """A failure of the iteration itself (the --max-jumps guard): a failed event of its item."""
        self.fire(
            request_type="ITERATION",
            name=" / ".join(failure.path),
            response_time=0,
            response_length=0,
            response=None,
            context={},
            exception=LoadFailure(failure.message),
        )

    def close(self) -> None:
        self.transport.close()
