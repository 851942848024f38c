"""Postman pre-request and test scripts, run in an embedded JavaScript sandbox (the ``pm`` API).

The engine (QuickJS via ``python-quickjs-ng``) is the optional extra ``postman-gen[scripts]``;
the value types below import without it, and ``ScriptEngine()`` raises ``UsageError`` when it
is missing.
"""

from __future__ import annotations

from postman_gen.scripts.engine import MISSING_ENGINE, ScriptEngine, SendRequest
from postman_gen.scripts.model import (
    UNSET,
    Event,
    Scopes,
    ScriptError,
    ScriptOutcome,
    ScriptRequest,
    ScriptResponse,
    TestResult,
)

__all__ = [
    "MISSING_ENGINE",
    "UNSET",
    "Event",
    "ScriptEngine",
    "ScriptError",
    "ScriptOutcome",
    "ScriptRequest",
    "ScriptResponse",
    "Scopes",
    "SendRequest",
    "TestResult",
]
