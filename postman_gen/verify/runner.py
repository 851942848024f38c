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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from postman_gen.devserver.echo import EchoServer
from postman_gen.errors import UsageError
from postman_gen.render.engine import Target, request_strings
from postman_gen.resolution.placeholders import PlaceholderKind, has_tokens, split
from postman_gen.resolution.request import Header, ResolvedRequest
from postman_gen.verify.compare import CLIENT_EXTRA, Sent, difference
from postman_gen.verify.environment import retarget_env

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


@dataclass(frozen=True, slots=True)
class Job:
    """One item to verify: ``expected`` is what ``run`` sends (resolved inline); ``rendered`` the request
    the code is rendered from when it is not ``expected`` (``--vars env``), run with ``env`` set."""

    expected: ResolvedRequest
    rendered: ResolvedRequest | None = None
    env: Mapping[str, str] = field(default_factory=dict)


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
    requests: Iterable[ResolvedRequest | Job],
    target: Target,
    render: Callable[[ResolvedRequest], str],
    *,
    cwd: str,
    timeout: float = 60,
) -> Iterator[Outcome]:
    """One ``Outcome`` per request, in order; ``cwd`` is where the code runs (the collection's folder).

    A plain request is rendered as it is (``--vars inline``); a ``Job`` renders its ``rendered`` request
    and runs the code with its environment (``--vars env``)."""
    problem = missing_runtime(target)
    if problem:
        raise UsageError(problem)
    base = _environment()
    with EchoServer(record=True) as server, tempfile.TemporaryDirectory(prefix="postman-gen-verify-") as work:
        for index, job in enumerate(requests):
            job = job if isinstance(job, Job) else Job(job)
            request = job.expected
            local = retarget(request, server.url)
            if local is None:
                yield Outcome(request.path, Result.FAILED, f"the URL {request.url!r} has no http(s) origin")
                continue
            symbolic, env = local, base
            if job.rendered is not None:
                moved = retarget_env(job.rendered, job.env, server.url)
                if moved is None:
                    detail = (
                        "the URL's origin, read from the environment, cannot be pointed at the echo server"
                    )
                    yield Outcome(request.path, Result.FAILED, detail)
                    continue
                symbolic, env = moved[0], {**base, **moved[1]}
            code = render(symbolic)
            file = Path(work) / f"item{index}.{target.extension}"
            file.write_text(code, encoding="utf-8", newline="")
            server.clear()
            failure = _run(target.command(str(file)), cwd, env, timeout)
            yield _judge(local, target, code, failure, server, None if job.rendered is None else symbolic)


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


def _dynamic(text: str, symbolic: ResolvedRequest) -> bool:
    """Whether ``text`` of the rendered request holds a dynamic variable (``{{$guid}}``), which the code
    computes afresh when it runs."""
    return has_tokens(text) and any(
        not isinstance(part, str) and part.kind is PlaceholderKind.DYNAMIC
        for part in split(text, symbolic.placeholders)
    )


def _dynamic_outside_headers(symbolic: ResolvedRequest) -> bool:
    """Whether the URL, body or auth of the rendered request holds a dynamic variable."""
    in_headers = {text for h in symbolic.headers for text in (h.name, h.value)}
    return any(_dynamic(text, symbolic) for text in request_strings(symbolic) if text not in in_headers)


def _fresh_dynamic_headers(
    request: ResolvedRequest, symbolic: ResolvedRequest, sent: Sent
) -> ResolvedRequest:
    """``request`` whose headers built from dynamic variables hold the values the code sent."""
    if len(symbolic.headers) != len(request.headers):
        return request
    headers = []
    for want, sym in zip(request.headers, symbolic.headers, strict=True):
        got = sent.header(want.name)
        if got is not None and got != sym.value and _dynamic(sym.value, symbolic):
            want = Header(want.name, got, want.origin)
        headers.append(want)
    return dataclasses.replace(request, headers=tuple(headers))


def _judge(
    request: ResolvedRequest,
    target: Target,
    code: str,
    failure: str | None,
    server: EchoServer,
    symbolic: ResolvedRequest | None = None,
) -> Outcome:
    if failure is not None:
        return Outcome(request.path, Result.FAILED, failure)
    received = server.recorded()
    if not received:
        return Outcome(request.path, Result.FAILED, "the code sent nothing")
    head, body = received[0]
    sent = Sent(head.method, head.target, head.headers, body)
    expected = request if symbolic is None else _fresh_dynamic_headers(request, symbolic, sent)
    extra = CLIENT_EXTRA | set(target.client_headers)
    found = difference(sent, expected, extra, fold_name_case=target.lowercase_header_names)
    notes = declared(code)
    if notes:  # declared: what the code says it cannot send (the comparison may not see all of it)
        return Outcome(request.path, Result.DECLARED, "; ".join(notes))
    if found is not None and symbolic is not None and _dynamic_outside_headers(symbolic):
        detail = f"dynamic variables in the URL or body take new values when the code runs ({found})"
        return Outcome(request.path, Result.DECLARED, detail)
    if found is not None:
        return Outcome(request.path, Result.DIFFERS, found)
    auth = request.auth
    if auth is not None and auth.computed and auth.type in target.unsupported_auth:
        return Outcome(request.path, Result.DECLARED, f"{auth.type} auth is not computed by {target.name}")
    return Outcome(request.path, Result.EXACT)
