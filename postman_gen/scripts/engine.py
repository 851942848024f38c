"""Run Postman pre-request and test scripts inside an embedded QuickJS engine.

Why QuickJS (python-quickjs-ng): a 7 MB wheel that starts a context in well under a millisecond,
has ES2023, a CPU-time limit and a memory limit, and no file, network or process API at all.  The
sandbox is given no Python callables either (QuickJS refuses them while a time limit is set), so
scripts can reach nothing outside the JS heap: ``pm.sendRequest`` calls are queued in JS and
performed here, between evaluations, by the caller's ``send_request`` function.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

from postman_gen.errors import UsageError
from postman_gen.resolution.value_text import UNDEFINED
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

SendRequest = Callable[[dict[str, Any]], dict[str, Any]]

MISSING_ENGINE = "this collection has scripts; install postman-gen[scripts] or pass --no-scripts"
_HEADER = "__pg.invoke(async function __pg_user_script__() {"
_FRAME = re.compile(r"<input>:(\d+):(\d+)")
_MAX_TIMER_CALLBACKS = 1000
_MAX_ROUNDS = 10_000
_SCRUB_SECONDS = 1.0  # CPU time for cleaning a context between requests; past it, a fresh context


def _load_quickjs() -> Any:
    """Import the optional engine, or explain how to get it."""
    try:
        import quickjs  # noqa: PLC0415  (optional dependency, imported on first use)
    except ImportError as exc:
        raise UsageError(MISSING_ENGINE) from exc
    return quickjs


def _prelude_source() -> str:
    """The sandbox library: every ``js/*.js`` file of this package, in name order."""
    folder = resources.files("postman_gen.scripts").joinpath("js")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".js"))
    return "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in names)


class _Timeout(Exception):
    """The script used up its CPU-time budget."""


class _OutOfMemory(Exception):
    """The script hit the context's memory limit."""


class ScriptEngine:
    """A JS context for the scripts of a request (``reset`` cleans it for the next); a new ``pm`` per script.

    Not thread-safe: use one engine per thread.  ``send_request`` performs ``pm.sendRequest`` calls (at
    most ``max_send_requests`` per script):
    it receives ``{"url", "method", "headers": [[k, v]], "body": str | None, "body_mode", "form": [[k, v]]}``
    and returns ``{"code", "status", "headers": [[k, v]], "body": str | bytes, "response_time_ms"}``;
    any exception it raises becomes the ``err`` argument of the script's callback.
    """

    def __init__(
        self,
        *,
        timeout_ms: int = 5000,
        memory_limit_mb: int = 256,
        send_request: SendRequest | None = None,
        max_send_requests: int = 50,
    ) -> None:
        self._quickjs = _load_quickjs()
        self.timeout_ms = timeout_ms
        self.memory_limit_mb = memory_limit_mb
        self._send_request = send_request
        self._max_send_requests = max_send_requests
        self._sends_left = max_send_requests
        self._prelude = _prelude_source()
        self._offset = self._prelude.count("\n") + 2
        self._live: tuple[Any, dict[str, Any]] | None = None
        self._escaped = False  # a script of this request ran code outside its wrapper (``_evaluate``)

    # ---- context life cycle -------------------------------------------------
    def reset(self) -> None:
        """Start the next script in a clean context (the run calls it before each request's scripts).

        The scripts of one request (collection, folders and item; pre-request and test) share a context, so
        a helper one defines without a declaration (``utils = ...``) serves the others, as in Postman; the
        next request starts clean, so whatever a script did to globals, built-ins or prototypes ends with
        its request. The sandbox's own bridge never depends on them: it restores the built-ins before it
        collects a script's results (``js/95_guard.js``).

        Clean, not fresh: the context is kept and scrubbed (``js/96_reuse.js``: the built-ins restored, the
        globals a script created deleted, the sandbox's own objects frozen since it was made), which costs
        a fraction of the ~8 ms a fresh one does. When the scrub cannot undo what a script did, the
        context is dropped and the next script gets a fresh one.
        """
        if self._escaped:
            self._escaped = False
            self._live = None
        if self._live is None:
            return
        ctx, fns = self._live
        try:
            self._call(ctx, _Budget(_SCRUB_SECONDS), fns["scrub"])
        except (_Timeout, _OutOfMemory, self._quickjs.JSException):
            self._live = None

    def _new_context(self) -> tuple[Any, dict[str, Any]]:
        """A fresh context with the prelude loaded, and the bridge functions taken from it."""
        ctx = self._quickjs.Context()
        ctx.set_memory_limit(self.memory_limit_mb * 1024 * 1024)
        ctx.set_max_stack_size(1024 * 1024)
        ctx.eval(self._prelude)
        fns = {
            name: ctx.eval(f"__pg.{name}")
            for name in (
                "begin",
                "arm",
                "contained",
                "pendingRequests",
                "deliver",
                "runTimer",
                "finish",
                "scrub",
            )
        }
        return ctx, fns

    def close(self) -> None:
        """Drop the JS context (it is also freed with the engine)."""
        self._live = None

    # ---- running one script --------------------------------------------------
    def run(
        self,
        source: str,
        *,
        event: Event,
        item_name: str,
        item_path: str = "",
        scopes: Scopes,
        request: ScriptRequest,
        response: ScriptResponse | None = None,
        iteration: int = 0,
        iteration_count: int = 1,
        cookies: list[tuple[str, str]] | None = None,
        item_id: str = "",
    ) -> ScriptOutcome:
        """Run one script to completion (body, promises, pm.sendRequest callbacks, timers).

        ``scopes`` is updated in place with what the script set; the (possibly modified) request
        is returned in the outcome.  Script failures are reported in ``outcome.error``, never raised.
        """
        if self._live is None:
            self._live = self._new_context()
        ctx, fns = self._live
        state = _state_json(
            event,
            item_name,
            item_path,
            item_id,
            scopes,
            request,
            response,
            iteration,
            iteration_count,
            cookies,
        )
        budget = _Budget(self.timeout_ms / 1000.0)
        self._sends_left = self._max_send_requests
        error: ScriptError | None = None
        broken = True  # the context is dropped unless the script ends normally (a runaway leaves jobs behind)
        try:
            self._call(ctx, budget, fns["begin"], state)
            error = self._evaluate(ctx, fns, budget, source)
            if error is None:
                self._drive(ctx, budget, fns)
            broken = False
        except _Timeout:
            error = ScriptError(f"timed out after {self.timeout_ms} ms", "TimeoutError")
        except _OutOfMemory:
            error = ScriptError(f"exceeded the memory limit of {self.memory_limit_mb} MB", "MemoryError")
        except (self._quickjs.JSException, ValueError, TypeError, KeyError) as exc:
            error = _damaged(exc)  # the script broke what the bridge relies on (pm.sendRequest, timers)
        outcome, collected = self._outcome(ctx, fns, budget, error, source, event, item_name, scopes, request)
        if broken or not collected:
            self._live = None
        else:
            self._check_contained(ctx, fns)
        return outcome

    def _check_contained(self, ctx: Any, fns: dict[str, Any]) -> None:
        """Mark the context for replacement at the next ``reset`` when the script ran code outside its
        wrapper (``__pg.contained`` in js/90_pm.js); the rest of this request's scripts still share it."""
        try:
            contained = self._call(ctx, _Budget(_SCRUB_SECONDS), fns["contained"])
        except (_Timeout, _OutOfMemory, self._quickjs.JSException):
            contained = False
        if contained is not True:
            self._escaped = True

    def _evaluate(self, ctx: Any, fns: dict[str, Any], budget: _Budget, source: str) -> ScriptError | None:
        """Compile and start the user's script; a syntax error comes back as a ScriptError."""
        token = secrets.token_hex(16)
        wrapped = "\n" * (self._offset - 1) + _HEADER + source + f'\n}}, "{token}")'
        try:
            self._call(ctx, budget, fns["arm"], token)
            self._call(ctx, budget, ctx.eval, wrapped)
        except self._quickjs.JSException as exc:
            return self._syntax_error(str(exc), source)
        return None

    def _drive(self, ctx: Any, budget: _Budget, fns: dict[str, Any]) -> None:
        """Settle promises, perform queued pm.sendRequest calls and fire timers until nothing is left."""
        for _ in range(_MAX_ROUNDS):
            while self._call(ctx, budget, ctx.execute_pending_job):
                pass
            pending = json.loads(self._call(ctx, budget, fns["pendingRequests"]))
            if pending:
                for entry in pending:
                    reply = self._perform(entry["request"])
                    self._call(ctx, budget, fns["deliver"], entry["id"], reply)
                continue
            if not self._call(ctx, budget, fns["runTimer"], _MAX_TIMER_CALLBACKS):
                return

    def _perform(self, request: dict[str, Any]) -> str:
        """One pm.sendRequest through the caller's function, as the JSON that ``deliver`` expects."""
        if self._send_request is None:
            return json.dumps({"error": "pm.sendRequest is not available: no request sender was configured"})
        if self._sends_left <= 0:
            return json.dumps(
                {"error": f"too many pm.sendRequest calls in one script (at most {self._max_send_requests})"}
            )
        self._sends_left -= 1
        try:
            reply = self._send_request(request)
        except Exception as exc:  # the callback's failure is the script's err argument
            return json.dumps({"error": str(exc) or type(exc).__name__})
        return json.dumps({"response": _response_state(_reply_to_response(reply))})

    def _call(self, ctx: Any, budget: _Budget, fn: Callable[..., Any], *args: Any) -> Any:
        """Call into JS with what is left of the CPU budget as QuickJS's time limit."""
        remaining = budget.remaining()
        if remaining <= 0:
            raise _Timeout
        ctx.set_time_limit(remaining)
        started = time.process_time()
        try:
            return fn(*args)
        except self._quickjs.JSException as exc:
            text = str(exc)
            if text.startswith("InternalError: interrupted"):
                raise _Timeout from exc
            if text.startswith("InternalError: out of memory"):
                raise _OutOfMemory from exc
            raise
        finally:
            budget.spend(time.process_time() - started)
            ctx.set_time_limit(-1)

    def _outcome(
        self,
        ctx: Any,
        fns: dict[str, Any],
        budget: _Budget,
        error: ScriptError | None,
        source: str,
        event: str,
        item_name: str,
        scopes: Scopes,
        request: ScriptRequest,
    ) -> tuple[ScriptOutcome, bool]:
        """Collect tests, console, scopes and the request from JS; and whether they could be.

        When they cannot be collected (the context ran out of memory or time serialising them, or the
        script damaged them beyond repair), the script has failed: its effects are dropped and the failure
        is its error, never a silent success.
        """
        budget.extend(1.0)
        try:
            data = json.loads(self._call(ctx, budget, fns["finish"]))
            if error is None and data["error"]:
                error = self._runtime_error(data["error"], source)
            if error is not None and error.name == "InternalError" and error.message == "out of memory":
                error = ScriptError(f"exceeded the memory limit of {self.memory_limit_mb} MB", "MemoryError")
                self._live = None
            outcome = ScriptOutcome(
                tests=tuple(self._test_result(t, source) for t in data["tests"]),
                console=tuple((str(level), str(text)) for level, text in data["console"]),
                error=_located(error, event, item_name),
                next_request=UNSET if data["nextRequest"].get("unset") else data["nextRequest"]["value"],
                skip_request=bool(data["skipRequest"]),
                request=_request_from_state(data["request"]),
            )
            _apply_scopes(scopes, data["scopes"])
            return outcome, True
        except _Timeout:
            lost = ScriptError(
                f"timed out after {self.timeout_ms} ms while its results were collected", "TimeoutError"
            )
        except _OutOfMemory:
            lost = ScriptError(
                f"exceeded the memory limit of {self.memory_limit_mb} MB while its results (variables, "
                "tests, console) were collected; they are lost",
                "MemoryError",
            )
        except (self._quickjs.JSException, ValueError, TypeError, KeyError, AttributeError) as exc:
            lost = _damaged(exc)
        return ScriptOutcome((), (), _located(error or lost, event, item_name), UNSET, False, request), False

    # ---- error locations -----------------------------------------------------
    def _user_position(self, text: str) -> tuple[int | None, int | None]:
        """The first ``<input>:line:col`` that lies in the user's script, mapped to its own lines."""
        for match in _FRAME.finditer(text):
            line, column = int(match.group(1)), int(match.group(2))
            if line >= self._offset:
                user_line = line - self._offset + 1
                if user_line == 1:
                    column = max(1, column - len(_HEADER))
                return user_line, column
        return None, None

    def _syntax_error(self, text: str, source: str) -> ScriptError:
        first = text.split("\n", 1)[0]
        name, _, message = first.partition(": ")
        line, column = self._user_position(text)
        last_line = source.count("\n") + 1
        if line is not None and line > last_line:  # the parser ran into our closing "})": unclosed input
            line, column = last_line, len(source.rsplit("\n", 1)[-1]) + 1
        return ScriptError(message or first, name if message else "SyntaxError", line, column)

    def _runtime_error(self, err: dict[str, Any], source: str) -> ScriptError:
        line, column = self._user_position(err.get("stack") or "")
        name = "Error" if err.get("thrown") else str(err.get("name") or "Error")
        message = _name_the_callee(str(err.get("message", "")), source, line, column)
        return ScriptError(message, name, line, column)

    def _test_result(self, test: dict[str, Any], source: str) -> TestResult:
        """A pm.test result; a bare "not a function" gets the callee's name from the source."""
        error = test["error"]
        if error and test.get("stack"):
            line, column = self._user_position(test["stack"])
            error = _name_the_callee(error, source, line, column)
        return TestResult(test["name"], bool(test["passed"]), bool(test["skipped"]), error)


_CALL = re.compile(r"([A-Za-z_$][\w$]*(?:\s*(?:\?\.|\.)\s*[A-Za-z_$][\w$]*)*)\s*\(")
_KEYWORDS = frozenset(
    {"function", "if", "for", "while", "switch", "catch", "return", "typeof", "with", "new"}
)


def _name_the_callee(message: str, source: str, line: int | None, column: int | None) -> str:
    """QuickJS says only "not a function"; name the call expression at the error position instead."""
    if message.rsplit(": ", 1)[-1] != "not a function" or line is None or column is None:
        return message
    lines = source.split("\n")
    if not 1 <= line <= len(lines):
        return message
    text = lines[line - 1]
    at = column - 1
    best = ""
    for match in _CALL.finditer(text):
        name = match.group(1)
        if name in _KEYWORDS or match.start() > at:
            continue
        best = re.sub(r"\s+", "", name)
        if match.end() > at:
            break
    if not best:
        return message
    return message[: -len("not a function")] + f"{best} is not a function"


class _Budget:
    """CPU seconds a script may spend inside JS across all the calls of one run."""

    def __init__(self, seconds: float) -> None:
        self._left = seconds

    def remaining(self) -> float:
        return self._left

    def spend(self, seconds: float) -> None:
        self._left -= seconds

    def extend(self, seconds: float) -> None:
        """Give the final bookkeeping call a little time even when the script used everything."""
        self._left = max(self._left, 0.0) + seconds


def _damaged(exc: BaseException) -> ScriptError:
    """The script left the sandbox unable to hand back its results (it broke a built-in beyond repair)."""
    detail = (str(exc) or type(exc).__name__).split("\n", 1)[0]
    return ScriptError(f"the script damaged the sandbox; its results are lost ({detail})", "Error")


def _located(error: ScriptError | None, event: str, item_name: str) -> ScriptError | None:
    if error is None:
        return None
    return ScriptError(error.message, error.name, error.line, error.column, event, item_name)


def _pairs(values: dict[str, Any]) -> list[list[Any]]:
    """A scope as ``[key, value]`` pairs; a variable set to undefined is ``[key]`` (JSON has no undefined)."""
    return [[key] if value is UNDEFINED else [key, value] for key, value in values.items()]


def _response_state(response: ScriptResponse) -> dict[str, Any]:
    return {
        "code": response.code,
        "status": response.status,
        "headers": [list(h) for h in response.headers],
        "body": response.body.decode("utf-8", errors="replace"),
        "responseTime": response.response_time_ms,
        "size": response.size or len(response.body),
    }


def _state_json(
    event: str,
    item_name: str,
    item_path: str,
    item_id: str,
    scopes: Scopes,
    request: ScriptRequest,
    response: ScriptResponse | None,
    iteration: int,
    iteration_count: int,
    cookies: list[tuple[str, str]] | None,
) -> str:
    """Everything ``__pg.begin`` needs, as one JSON document (scopes as pairs to keep their order)."""
    state = {
        "event": event,
        "itemName": item_name,
        "itemPath": item_path,
        "itemId": item_id or item_path or item_name,
        "iteration": iteration,
        "iterationCount": iteration_count,
        "cookies": [list(c) for c in cookies or []],
        "scopes": {
            "globals": _pairs(scopes.globals),
            "collection": _pairs(scopes.collection),
            "environment": _pairs(scopes.environment),
            "data": _pairs(scopes.iteration_data),
            "local": _pairs(scopes.local),
        },
        "request": {
            "method": request.method,
            "url": request.url,
            "headers": [list(h) for h in request.headers],
            "body": request.body,
            "bodyMode": request.body_mode,
        },
        "response": _response_state(response) if response is not None else None,
    }
    return json.dumps(state, default=str)


def _apply_scopes(scopes: Scopes, data: dict[str, list[list[Any]]]) -> None:
    """Replace each scope's contents in place, so callers holding the dicts see the changes."""
    for attr, key in (
        ("globals", "globals"),
        ("collection", "collection"),
        ("environment", "environment"),
        ("iteration_data", "data"),
        ("local", "local"),
    ):
        target: dict[str, Any] = getattr(scopes, attr)
        target.clear()
        target.update((str(pair[0]), pair[1] if len(pair) > 1 else UNDEFINED) for pair in data[key])


def _request_from_state(data: dict[str, Any]) -> ScriptRequest:
    return ScriptRequest(
        method=data["method"],
        url=data["url"],
        headers=[(str(k), str(v)) for k, v in data["headers"]],
        body=data["body"],
        body_mode=data["bodyMode"] or "raw",
    )


def _reply_to_response(reply: dict[str, Any]) -> ScriptResponse:
    """Accept the send_request reply loosely: headers as pairs or a dict, body as str or bytes."""
    headers = reply.get("headers") or []
    pairs = list(headers.items()) if isinstance(headers, dict) else [(str(k), str(v)) for k, v in headers]
    body = reply.get("body") or b""
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    return ScriptResponse(
        code=int(reply.get("code", 0)),
        status=str(reply.get("status", "")),
        headers=pairs,
        body=raw,
        response_time_ms=float(reply.get("response_time_ms", 0.0)),
        size=int(reply.get("size", len(raw))),
    )
