"""Replay: send resolved requests with ``requests`` (the only package of postman-gen that imports it).

The whole run, as ``postman-gen run`` does it (without report files; ``postman_gen.run`` adds those)::

    from postman_gen.replay import RunConfig, run
    outcome = run(RunConfig("collection.json", environment="env.json"))
    print(outcome.summary.requests, outcome.exit_status)

Underneath, ``Runner`` drives one run over a loaded collection, with ``Hooks`` (scripts, a console) and
``Reporter`` objects; ``Transport`` sends one ``ResolvedRequest`` exactly as resolved.
"""

from __future__ import annotations

from postman_gen.errors import SendError
from postman_gen.replay.config import (
    ExportConfig,
    ReportConfig,
    RunConfig,
    ScriptConfig,
    Timeouts,
    TlsConfig,
)
from postman_gen.replay.outcome import RunOutcome
from postman_gen.replay.runner import HookChain, Hooks, NoHooks, Reporter, Runner, RunState, Step
from postman_gen.replay.session import run
from postman_gen.replay.transport import Response, Transport, TransportOptions

__all__ = [
    "ExportConfig",
    "HookChain",
    "Hooks",
    "NoHooks",
    "ReportConfig",
    "Reporter",
    "Response",
    "RunConfig",
    "RunOutcome",
    "RunState",
    "Runner",
    "ScriptConfig",
    "SendError",
    "Step",
    "Timeouts",
    "TlsConfig",
    "Transport",
    "TransportOptions",
    "run",
]
