"""Replay: send resolved requests with ``requests`` (the only package of postman-gen that imports it).

from postman_gen.replay import Runner, RunOptions
result = Runner(collection, postman_gen.select(collection), values).run()
print(result.summary.requests, result.exit_status)

Scripts run when their hooks are passed (``postman_gen.scripts.runner_hooks.ScriptHooks``):
Runner(collection, selected, values, hooks=ScriptHooks(collection, values, transport=transport),
       transport=transport)
"""

from __future__ import annotations

from postman_gen.replay.failures import SendError
from postman_gen.replay.runner import (
    HookChain,
    Hooks,
    NoHooks,
    Reporter,
    Runner,
    RunOptions,
    RunResult,
    RunState,
    Step,
)
from postman_gen.replay.transport import Response, Transport, TransportOptions

__all__ = [
    "HookChain",
    "Hooks",
    "NoHooks",
    "Reporter",
    "Response",
    "RunOptions",
    "RunResult",
    "RunState",
    "Runner",
    "SendError",
    "Step",
    "Transport",
    "TransportOptions",
]
