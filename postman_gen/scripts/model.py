"""Values that cross the boundary between the replay engine and the script sandbox.

Kept free of any engine import so that callers can build requests, scopes and read outcomes
without the optional JavaScript engine installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

Event = Literal["prerequest", "test"]


class _Unset:
    """Marker for "the script did not call setNextRequest" (``None`` means "stop the run")."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = _Unset()


@dataclass
class ScriptRequest:
    """The request as ``pm.request`` sees it; a pre-request script may change any field.

    ``body_mode`` is ``"raw"`` or ``"urlencoded"`` (then ``body`` is the encoded form string and
    scripts see ``pm.request.body.urlencoded`` as a list).
    """

    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = None
    body_mode: str = "raw"


@dataclass(frozen=True)
class ScriptResponse:
    """The response a test script inspects through ``pm.response`` and the legacy globals."""

    code: int
    status: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    response_time_ms: float = 0.0
    size: int = 0


@dataclass
class Scopes:
    """Postman's variable scopes, each an ordered mutable dict; a run updates them in place."""

    globals: dict[str, Any] = field(default_factory=dict)
    collection: dict[str, Any] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)
    iteration_data: dict[str, Any] = field(default_factory=dict)
    local: dict[str, Any] = field(default_factory=dict)

    def by_precedence(self) -> tuple[dict[str, Any], ...]:
        """Scopes from strongest to weakest, as Postman resolves ``{{name}}``."""
        return (self.local, self.iteration_data, self.environment, self.collection, self.globals)

    def has(self, name: str) -> bool:
        return any(name in scope for scope in self.by_precedence())

    def resolve(self, name: str, default: Any = None) -> Any:
        """``name`` from the strongest scope defining it: local > data > env > collection > globals."""
        for scope in self.by_precedence():
            if name in scope:
                return scope[name]
        return default


@dataclass(frozen=True)
class TestResult:
    """One ``pm.test`` (or legacy ``tests[...]``) result; ``error`` holds the failure message."""

    __test__ = False  # not a pytest test class

    name: str
    passed: bool
    skipped: bool = False
    error: str | None = None


@dataclass(frozen=True)
class ScriptError:
    """A script that did not run to its end: an uncaught error, a syntax error, a timeout or memory.

    ``line``/``column`` point into the user's script (1-based), or are ``None`` when unknown.
    ``name`` is the JavaScript error class (``TypeError``), or ``TimeoutError``/``MemoryError``.
    """

    message: str
    name: str = "Error"
    line: int | None = None
    column: int | None = None
    event: str = ""
    item_name: str = ""

    def __str__(self) -> str:
        where = f" (line {self.line}, column {self.column})" if self.line is not None else ""
        return f"{self.event} script of {self.item_name!r}: {self.name}: {self.message}{where}"


@dataclass(frozen=True)
class ScriptOutcome:
    """Everything one script run produced.

    ``next_request`` is ``UNSET`` when the script did not call setNextRequest, ``None`` to stop the
    run, or the name/id of the next item.
    """

    tests: tuple[TestResult, ...]
    console: tuple[tuple[str, str], ...]
    error: ScriptError | None
    next_request: str | None | _Unset
    skip_request: bool
    request: ScriptRequest
