"""Render each request for a target, run the code against the local echo server, compare with ``run``.

Why: a target (built-in or a user's own template folder) is only as good as what its code sends. The
request is pointed at a recording echo server on loopback (its origin replaced, nothing else), the code is
run with the command of the target's manifest (``"run": ["python3", "{file}"]``), and the first request that
arrives is compared with the resolved request, the one ``postman-gen run`` sends. A difference the code
declares in its header comment ("not sent exactly: ...") is reported as declared; any other is a failure.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from postman_gen.devserver.echo import EchoServer
from postman_gen.errors import UsageError
from postman_gen.render.engine import Target
from postman_gen.resolution.request import ResolvedRequest
from postman_gen.verify.compare import CLIENT_EXTRA, Sent, difference

DECLARED = "not sent exactly:"
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


class Result(str, Enum):
    EXACT = "exact"
    DECLARED = "declared"
    DIFFERS = "differs"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one item's code sent, judged; ``detail`` says why when it is not exact."""

    path: tuple[str, ...]
    result: Result
    detail: str = ""


def missing_runtime(target: Target) -> str | None:
    """Why ``target``'s code cannot be run here (no ``run`` command, a required command not on PATH)."""
    if not target.run:
        return f'target {target.name} has no "run" command in its target.json'
    for need in target.requires:
        kind, _, name = need.partition(":")
        if not name and shutil.which(need) is None:
            return f"target {target.name} needs {need}, which is not on PATH"
    if shutil.which(target.run[0]) is None and not os.path.isfile(target.run[0]):
        return f"target {target.name} runs {target.run[0]}, which is not on PATH"
    return None


def declared(code: str) -> list[str]:
    """The differences the code's header comment declares ("not sent exactly: ...")."""
    return [line.split(DECLARED, 1)[1].strip() for line in code.splitlines() if DECLARED in line]


def retarget(request: ResolvedRequest, origin: str) -> ResolvedRequest | None:
    """``request`` sent to ``origin`` (``http://127.0.0.1:PORT``) instead: path and query kept as they are."""
    scheme, sep, rest = request.url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return None
    slash = rest.find("/")
    question = rest.find("?")
    cut = min(i for i in (slash, question, len(rest)) if i >= 0)
    return dataclasses.replace(request, url=origin + rest[cut:])


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _PROXY_VARIABLES}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
    return env


def verify(
    requests: Iterable[ResolvedRequest],
    target: Target,
    render: Callable[[ResolvedRequest], str],
    *,
    cwd: str,
    timeout: float = 60,
) -> Iterator[Outcome]:
    """One ``Outcome`` per request, in order; ``cwd`` is where the code runs (the collection's folder)."""
    problem = missing_runtime(target)
    if problem:
        raise UsageError(problem)
    env = _environment()
    with EchoServer(record=True) as server, tempfile.TemporaryDirectory(prefix="postman-gen-verify-") as work:
        for index, request in enumerate(requests):
            local = retarget(request, server.url)
            if local is None:
                yield Outcome(request.path, Result.FAILED, f"the URL {request.url!r} has no http(s) origin")
                continue
            code = render(local)
            file = Path(work) / f"item{index}.{target.extension}"
            file.write_text(code, encoding="utf-8", newline="")
            server.clear()
            yield _judge(local, target, code, _run(target.command(str(file)), cwd, env, timeout), server)


def _run(command: list[str], cwd: str, env: dict[str, str], timeout: float) -> str | None:
    """None when the command succeeded, else why it did not."""
    try:
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, errors="replace", timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return f"still running after {timeout:g} s"
    except OSError as exc:
        return f"cannot run {command[0]}: {exc.strerror or exc}"
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or [""]
        return f"exit {done.returncode}: {lines[-1][:200]}"
    return None


def _judge(
    request: ResolvedRequest, target: Target, code: str, failure: str | None, server: EchoServer
) -> Outcome:
    if failure is not None:
        return Outcome(request.path, Result.FAILED, failure)
    received = server.recorded()
    if not received:
        return Outcome(request.path, Result.FAILED, "the code sent nothing")
    head, body = received[0]
    sent = Sent(head.method, head.target, head.headers, body)
    extra = CLIENT_EXTRA | set(target.client_headers)
    found = difference(sent, request, extra, fold_name_case=target.lowercase_header_names)
    notes = declared(code)
    if notes:  # declared: what the code says it cannot send (the comparison may not see all of it)
        return Outcome(request.path, Result.DECLARED, "; ".join(notes))
    if found is not None:
        return Outcome(request.path, Result.DIFFERS, found)
    auth = request.auth
    if auth is not None and auth.computed and auth.type in target.unsupported_auth:
        return Outcome(request.path, Result.DECLARED, f"{auth.type} auth is not computed by {target.name}")
    return Outcome(request.path, Result.EXACT)
