"""Fuzz every command with mutated corpus collections: 0 internal errors and 0 hangs is the bar.

Each case takes a small random slice of a collection of the corpus (``/work/shared/corpus`` or
``$POSTMAN_GEN_CORPUS``: a few items with their folders, collection variables, auth and scripts), applies a
few random mutations (values replaced by hostile ones — lone surrogates, control characters, ``{{cycles}}``,
huge numbers, ``../`` paths, framing headers, the renderer's own placeholder text —, keys removed or added,
types swapped, lists duplicated), writes it, and runs every command on it in this process: ``validate``,
``list``, ``show``, ``show --json``, ``render`` (a random target and ``--vars`` mode), ``generate`` (a
random target), ``diff`` (the slice before and after), ``run --dry-run``, and every few cases a real
``run`` (scripts included) whose every request goes to a closed port on 127.0.0.1 through a proxy, so
nothing leaves the machine. An internal error is exit status 70 (or any exception out of ``main``); a
hang is a command still running after ``--limit`` seconds. Both are printed with the case's seed, and the
mutated collection is kept under ``--keep`` to reproduce it:
``python -m postman_gen <command> <kept file>``.

    python bench/fuzz_corpus.py [--cases 10000] [--seed 1] [--limit 30] [--keep /tmp/fuzz-failures]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import random
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from postman_gen.cli import main  # noqa: E402
from postman_gen.errors import ExitStatus  # noqa: E402

CORPUS = Path(os.environ.get("POSTMAN_GEN_CORPUS", ROOT.parent / "shared" / "corpus"))
TARGETS = ("python-requests", "python-http.client", "curl", "httpie", "node-fetch", "chilkat2-python")
CLOSED_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, a request fails at once

HOSTILE: tuple[Any, ...] = (
    "",
    " ",
    "\x00",
    "\ud800",
    "a\udfffb",
    "\x1b]0;title\x07",
    "line\r\nX-Injected: 1",
    "\u2028",
    "é😀",
    "{{a}}",
    "{{{{a}}}}",
    "{{$guid}}",
    "{{$randomInt}}",
    "{{",
    "}}",
    ":id",
    "/:a/:b",
    "%",
    "%zz",
    "100%",
    "../../../etc/passwd",
    "/etc/hostname",
    "@/etc/hostname",
    "<file",
    "-",
    "--output",
    "--proxy=http:http://127.0.0.1:9",
    "$(id)",
    "`id`",
    "'\"\\",
    "zqpgv7vgpqz",
    "http://",
    "http://[::1",
    "http://127.0.0.1:99999/",
    "https://user:pass@127.0.0.1:9/a?b=c#d",
    "ftp://x/",
    "Transfer-Encoding",
    "chunked",
    "Content-Length",
    "multipart/form-data",
    "text/plain;headers=@/etc/hostname",
    "a" * 5000,
    "x" * 70000,
    -1,
    0,
    1.5,
    2**63,
    -(2**70),
    1e308,
    True,
    False,
    None,
    [],
    {},
    [None],
    {"": ""},
)
KEYS = (
    "url",
    "raw",
    "host",
    "path",
    "query",
    "variable",
    "auth",
    "type",
    "body",
    "mode",
    "urlencoded",
    "formdata",
    "file",
    "src",
    "graphql",
    "options",
    "header",
    "key",
    "value",
    "disabled",
    "event",
    "listen",
    "script",
    "exec",
    "protocolProfileBehavior",
    "item",
    "request",
    "method",
    "name",
    "id",
)


# --------------------------------------------------------------------------- cases


def _collections() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CORPUS.glob("*.postman_collection.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("item"), list):
            out.append((path.name, data))
    return out


def _leaves(
    items: list[Any], trail: tuple[dict[str, Any], ...] = ()
) -> Iterator[tuple[tuple[dict[str, Any], ...], Any]]:
    for entry in items:
        if isinstance(entry, dict) and isinstance(entry.get("item"), list):
            yield from _leaves(entry["item"], (*trail, entry))
        else:
            yield trail, entry


def _slice(rng: random.Random, data: dict[str, Any]) -> dict[str, Any]:
    """The collection with a few of its items only (their folders kept), so that a case runs fast."""
    leaves = list(_leaves(data["item"]))
    chosen = rng.sample(leaves, min(len(leaves), rng.randint(1, 4)))
    root: dict[str, Any] = {k: copy.deepcopy(v) for k, v in data.items() if k != "item"}
    root["item"] = []
    for trail, item in chosen:
        level = root["item"]
        for folder in trail:
            existing = next((f for f in level if f.get("_src") == id(folder)), None)
            if existing is None:
                existing = {k: copy.deepcopy(v) for k, v in folder.items() if k != "item"}
                existing["_src"] = id(folder)
                existing["item"] = []
                level.append(existing)
            level = existing["item"]
        level.append(copy.deepcopy(item))
    _strip_marks(root)
    return root


def _strip_marks(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("_src", None)
        for value in node.values():
            _strip_marks(value)
    elif isinstance(node, list):
        for value in node:
            _strip_marks(value)


def _containers(node: Any) -> list[Any]:
    out = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (dict, list)):
            out.append(current)
            stack.extend(current.values() if isinstance(current, dict) else current)
    return out


def _string_slots(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) holding a string: replacing one by another string keeps most documents valid."""
    return [
        (container, key)
        for container in _containers(node)
        for key in (container if isinstance(container, dict) else range(len(container)))
        if isinstance(container[key], str)
    ]


def _mutate(rng: random.Random, doc: dict[str, Any], pool: tuple[Any, ...] = HOSTILE) -> list[str]:
    """A few random mutations, in place; what was done, for the report.

    Half the cases only put hostile strings where strings were (the collection stays valid and every
    command gets past validation); the others also change the document's shape.
    """
    done = []
    if rng.random() < 0.5:
        slots = _string_slots(doc)
        for _ in range(rng.randint(1, 4)) if slots else ():
            container, key = rng.choice(slots)
            hostile = rng.choice([h for h in pool if isinstance(h, str)])
            container[key] = hostile if rng.random() < 0.6 else container[key] + hostile
            done.append(f"string {key}")
        return done
    for _ in range(rng.randint(1, 5)):
        containers = _containers(doc)
        target = rng.choice(containers)
        op = rng.randrange(7)
        if isinstance(target, dict) and target:
            key = rng.choice(list(target))
            if op <= 2:
                target[key] = copy.deepcopy(rng.choice(pool))
                done.append(f"set {key}")
            elif op == 3:
                del target[key]
                done.append(f"del {key}")
            elif op == 4:
                target[rng.choice(KEYS)] = copy.deepcopy(rng.choice(pool))
                done.append("add key")
            elif op == 5:
                value = target[key]
                target[key] = list(value.values()) if isinstance(value, dict) else {"0": value}
                done.append(f"retype {key}")
            else:
                target[key] = f"{{{{{key}}}}}" if rng.random() < 0.5 else f"{target[key]}{{{{x}}}}"
                done.append(f"variable {key}")
        elif isinstance(target, list) and target:
            index = rng.randrange(len(target))
            if op <= 2:
                target[index] = copy.deepcopy(rng.choice(pool))
            elif op == 3:
                del target[index]
            elif op == 4:
                target.insert(index, copy.deepcopy(target[index]))
            else:
                target.append(copy.deepcopy(rng.choice(pool)))
            done.append(f"list op {op}")
        elif isinstance(target, dict):
            target[rng.choice(KEYS)] = copy.deepcopy(rng.choice(pool))
            done.append("fill dict")
    if rng.random() < 0.2:  # a variable cycle and a self-reference
        doc["variable"] = [
            {"key": "a", "value": "{{b}}"},
            {"key": "b", "value": "{{a}}"},
            {"key": "x", "value": "{{x}}"},
        ]
        done.append("cycle")
    return done


# --------------------------------------------------------------------------- running commands


class _Hang(BaseException):
    """A command outlived its time limit (raised from SIGALRM)."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


@dataclass
class Report:
    cases: int = 0
    commands: int = 0
    internal_errors: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")


def _call(argv: list[str], limit: float) -> tuple[int | None, str, BaseException | None]:
    """Run one command in this process: (exit status, stderr, an exception that escaped main)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    status: int | None = None
    escaped: BaseException | None = None
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(argv)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException as exc:  # noqa: BLE001 - that is what is counted
        escaped = exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    err.flush()
    text = err.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]
    return status, text, escaped


def _commands(rng: random.Random, file: str, before: str, out_dir: str, real_run: bool) -> list[list[str]]:
    target = rng.choice(TARGETS)
    mode = rng.choice(("inline", "keep", "env"))
    commands = [
        ["validate", file],
        ["list", file],
        ["show", file],
        ["show", file, "--json"],
        ["render", file, "-t", target, "--vars", mode],
        ["generate", file, "-o", out_dir, "-t", rng.choice(TARGETS)],
        ["diff", before, file, "-t", target],
        ["run", file, "--dry-run"],
    ]
    if real_run:
        commands.append(
            ["run", file, "--timeout", "5000", "--timeout-request", "2000", "--timeout-script", "1000"]
        )
    return commands


@contextlib.contextmanager
def _loopback_only() -> Iterator[None]:
    """Every connection and name lookup but loopback fails in this process; proxies point at a closed port."""
    real_connect, real_lookup = socket.socket.connect, socket.getaddrinfo

    def loopback(host: object) -> bool:
        return isinstance(host, str) and (host in ("localhost", "::1") or host.startswith("127."))

    def connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and not loopback(address[0]):
            raise ConnectionRefusedError(f"fuzzing reaches loopback only, not {address[0]!r}")
        return real_connect(self, address)

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and not loopback(name):
            raise socket.gaierror(socket.EAI_NONAME, "fuzzing reaches loopback only")
        return real_lookup(host, *args, **kwargs)

    saved = {k: os.environ.get(k) for k in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")}
    os.environ.update(HTTP_PROXY=CLOSED_PROXY, HTTPS_PROXY=CLOSED_PROXY, ALL_PROXY=CLOSED_PROXY, NO_PROXY="")
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.getaddrinfo = lookup  # type: ignore[assignment]
    try:
        yield
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.getaddrinfo = real_lookup  # type: ignore[assignment]
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def fuzz(
    cases: int,
    seed: int,
    limit: float = 30.0,
    keep: str | None = None,
    real_run_every: int = 10,
    exclude: tuple[str, ...] = (),
) -> Report:
    """Run ``cases`` mutated collections through every command; the counts and the failures found.

    ``exclude``: hostile strings not to use (to look past a known failure while it is being fixed).
    """
    pool = tuple(h for h in HOSTILE if not (isinstance(h, str) and h in exclude))
    collections = _collections()
    if not collections:
        raise SystemExit(f"no corpus collections in {CORPUS}")
    report = Report()
    previous = signal.signal(signal.SIGALRM, _alarm)
    work = tempfile.mkdtemp(prefix="postman-gen-fuzz-")
    try:
        with _loopback_only():
            for case in range(cases):
                rng = random.Random(seed * 1_000_003 + case)
                name, data = rng.choice(collections)
                base = _slice(rng, data)
                mutated = copy.deepcopy(base)
                _mutate(rng, mutated, pool)
                before, file = os.path.join(work, "before.json"), os.path.join(work, "c.json")
                Path(before).write_text(json.dumps(base), encoding="utf-8")
                Path(file).write_text(json.dumps(mutated), encoding="utf-8")
                out_dir = os.path.join(work, "out")
                shutil.rmtree(out_dir, ignore_errors=True)
                real_run = real_run_every > 0 and case % real_run_every == 0
                report.cases += 1
                for argv in _commands(rng, file, before, out_dir, real_run):
                    started = time.monotonic()
                    status, err, escaped = _call(argv, limit)
                    took = time.monotonic() - started
                    report.commands += 1
                    label = f"case {case} (seed {seed}, {name}): {' '.join(argv[:1] + argv[2:])}"
                    if took > report.slowest[0]:
                        report.slowest = (took, label)
                    if isinstance(escaped, _Hang):
                        report.hangs.append(f"{label}: still running after {limit:g} s")
                    elif escaped is not None or status == ExitStatus.INTERNAL or "internal error" in err:
                        what = repr(escaped) if escaped is not None else err.strip().splitlines()[-1][:300]
                        report.internal_errors.append(f"{label}: {what}")
                    else:
                        code = int(status or 0)
                        report.statuses[code] = report.statuses.get(code, 0) + 1
                        continue
                    if keep:
                        os.makedirs(keep, exist_ok=True)
                        shutil.copy(file, os.path.join(keep, f"case-{seed}-{case}.json"))
                        shutil.copy(before, os.path.join(keep, f"case-{seed}-{case}-before.json"))
    finally:
        signal.signal(signal.SIGALRM, previous)
        shutil.rmtree(work, ignore_errors=True)
    return report


def main_() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--limit", type=float, default=30.0, help="seconds a command may take (a hang beyond)"
    )
    parser.add_argument("--keep", default=None, help="folder to keep the collections that failed")
    parser.add_argument(
        "--real-run-every", type=int, default=10, help="a real `run` every N cases (0: never)"
    )
    parser.add_argument("--exclude", action="append", default=[], help="a hostile string not to use")
    args = parser.parse_args()
    started = time.monotonic()
    report = fuzz(args.cases, args.seed, args.limit, args.keep, args.real_run_every, tuple(args.exclude))
    elapsed = time.monotonic() - started
    for line in report.internal_errors + report.hangs:
        print(line)
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(report.statuses.items()))
    print(f"cases: {report.cases} mutated collections, commands run: {report.commands} ({elapsed:.0f} s)")
    print(f"exit statuses of the others: {statuses}")
    print(f"slowest command: {report.slowest[0]:.1f} s ({report.slowest[1]})")
    print(f"internal errors: {len(report.internal_errors)}, hangs: {len(report.hangs)}")
    sys.exit(1 if report.internal_errors or report.hangs else 0)


if __name__ == "__main__":
    main_()
