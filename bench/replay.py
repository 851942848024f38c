"""Replay throughput and memory: postman-gen's runner against a bare ``requests.Session`` loop.

One local echo server (``postman-gen echo`` in its own process, so memory is the client's); the
same requests (the features collection's plain items, cycled) are sent by
(a) ``Runner`` — resolve from variables, prepare, send, record, summarise — and (b) a bare loop that
calls ``session.request`` with the already-resolved method, URL, headers and body (the ceiling). Prints
requests/s for 500 and 10,000 sequential requests, the ratio, and the peak resident memory of a
fresh process for each size. Then the cost of scripts: the same runner with a trivial collection-level
test script on every request (``pm.test("ok", () => pm.response.to.have.status(200))``), next to the same
run without scripts (needs the ``scripts`` extra).

    python bench/replay.py [--sizes 500,10000] [--script-size 2000]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from postman_gen.collection.loader import load_document  # noqa: E402,F401  (import cost outside the timings)
from postman_gen.collection.model import Collection, Event  # noqa: E402
from postman_gen.collection.selection import Selected, select  # noqa: E402
from postman_gen.replay import RunConfig, Runner  # noqa: E402
from postman_gen.resolution.request import FormBody, NoBody, RawBody  # noqa: E402
from postman_gen.resolution.resolver import ResolveOptions, Values, resolve  # noqa: E402

COLLECTION = ROOT / "collections" / "features.postman_collection.json"


def _plain_items(collection: Collection) -> list[Selected]:
    """Items without computed auth or file bodies: the same work for both loops."""
    import postman_gen

    out = []
    for s in select(collection):
        r = resolve(collection, s.folders, s.item, _values(""))
        if (r.auth is None or not r.auth.computed) and isinstance(r.body, (NoBody, RawBody, FormBody)):
            out.append(s)
    return out or list(select(postman_gen.load(COLLECTION)))


def _values(base: str) -> Values:
    return Values(cli={"base_url": base, "api_token": "bench-token"})


def _cycled(items: list[Selected], n: int) -> list[Selected]:
    return [items[i % len(items)] for i in range(n)]


def run_ours(collection: Collection, items: list[Selected], base: str, n: int) -> float:
    """``items`` already holds the n steps (built outside the timing and the memory trace)."""
    runner = Runner(collection, items, _values(base), RunConfig(collection, seed=1))
    start = time.perf_counter()
    summary = runner.run()
    elapsed = time.perf_counter() - start
    assert summary.requests == n and summary.failed == 0, summary.failures[:3]
    return elapsed


TRIVIAL_TEST = 'pm.test("ok", () => pm.response.to.have.status(200))'


def run_scripted(collection: Collection, items: list[Selected], base: str, n: int) -> float | None:
    """The runner with one trivial test script on every request (None: the scripts extra is missing)."""
    from dataclasses import replace

    from postman_gen.errors import UsageError
    from postman_gen.scripts.runner_hooks import ScriptHooks

    scripted = replace(collection, events=(Event("test", TRIVIAL_TEST),))
    try:
        hooks = ScriptHooks(scripted, _values(base))
    except UsageError:
        return None
    runner = Runner(scripted, items, _values(base), RunConfig(scripted, seed=1), hooks=hooks)
    start = time.perf_counter()
    summary = runner.run()
    elapsed = time.perf_counter() - start
    assert summary.requests == n and summary.failed == 0 and summary.tests >= n, summary.failures[:3]
    return elapsed


def run_bare(collection: Collection, items: list[Selected], base: str, n: int) -> float:
    resolved = [resolve(collection, s.folders, s.item, _values(base), ResolveOptions(seed=1)) for s in items]
    calls = []
    for r in resolved:
        body = r.body.data if isinstance(r.body, (RawBody, FormBody)) else None
        calls.append((r.method, r.url, {h.name: h.value for h in r.headers}, body))
    session = requests.Session()
    start = time.perf_counter()
    for i in range(n):
        method, url, headers, body = calls[i % len(calls)]
        response = session.request(method, url, headers=headers, data=body)
        response.content  # noqa: B018 - read the body, as the runner does
    elapsed = time.perf_counter() - start
    session.close()
    return elapsed


def peak_rss(kind: str, n: int, base: str) -> float:
    """Peak resident memory (MiB) of a fresh process that sends ``n`` requests the ``kind`` way.

    A separate process per measurement: ``ru_maxrss`` only grows, and tracemalloc would count the
    interpreter's bounded free lists (tuples, floats) as if they were kept data.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n), base],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(out.stdout.strip())


def _child(kind: str, n: int, base: str) -> None:
    import postman_gen

    collection = postman_gen.load(COLLECTION)
    items = _plain_items(collection)
    if kind == "ours":
        run_ours(collection, _cycled(items, n), base, n)
    else:
        run_bare(collection, items, base, n)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


@contextlib.contextmanager
def _echo_process() -> Iterator[str]:
    """``postman-gen echo`` in its own process, so the traced memory is the client's alone."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "postman_gen", "echo", "--port", "0", "--quiet"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().split()[4]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,10000")
    parser.add_argument("--script-size", type=int, default=2000, help="requests of the script-overhead runs")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "N", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), args.child[2])
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    import postman_gen

    collection = postman_gen.load(COLLECTION)
    with _echo_process() as base:
        items = _plain_items(collection)
        run_ours(collection, _cycled(items, 50), base, 50)  # warm up both paths
        run_bare(collection, items, base, 50)
        print(
            f"echo server (own process) {base}; {len(items)} distinct requests cycled; "
            f"python {sys.version.split()[0]}, "
            f"requests {requests.__version__}, cpu {os.cpu_count()}"
        )
        print(
            f"{'requests':>9} {'ours req/s':>11} {'bare req/s':>11} {'ratio':>6} "
            f"{'ours RSS MiB':>14} {'bare RSS MiB':>14}"
        )
        for n in sizes:
            steps = _cycled(items, n)
            ours = min(run_ours(collection, steps, base, n) for _ in range(2))
            bare = min(run_bare(collection, items, base, n) for _ in range(2))
            ours_mem, bare_mem = peak_rss("ours", n, base), peak_rss("bare", n, base)
            print(
                f"{n:>9} {n / ours:>11.0f} {n / bare:>11.0f} {bare / ours:>6.0%} "
                f"{ours_mem:>14.1f} {bare_mem:>14.1f}"
            )
        _script_overhead(collection, items, base, args.script_size)


def _script_overhead(collection: Collection, items: list[Selected], base: str, n: int) -> None:
    steps = _cycled(items, n)
    run_scripted(collection, _cycled(items, 50), base, 50)  # warm up the JS context
    with_scripts = [run_scripted(collection, steps, base, n) for _ in range(2)]
    if with_scripts[0] is None:
        print("scripts: the JavaScript engine (postman-gen[scripts]) is not installed; skipped")
        return
    scripted = min(t for t in with_scripts if t is not None)
    plain = min(run_ours(collection, steps, base, n) for _ in range(2))
    print(f"\nscripts, {n} requests: {TRIVIAL_TEST}")
    print(f"{'':>9} {'req/s':>11} {'ms/request':>11}")
    print(f"{'without':>9} {n / plain:>11.0f} {plain / n * 1000:>11.3f}")
    print(f"{'with':>9} {n / scripted:>11.0f} {scripted / n * 1000:>11.3f}")
    cost = (scripted - plain) / n * 1000
    print(f"script cost per request: {cost:.3f} ms ({scripted / plain - 1:+.0%} time)")


if __name__ == "__main__":
    main()
