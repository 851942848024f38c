"""``load`` against a hand-written Locust ``HttpUser`` making the same calls: requests/s of each, their ratio.

A loopback HTTP/1.1 server (``bench/parallel.py``'s: threads, keep-alive) answers every request after
``--latency`` ms and counts what it receives. Both sides run in one Locust process (no workers), the same
number of users for the same time, each user making the same two GET requests one after the other:

- ``postman-gen load`` over a two-item collection (resolution, replay's transport, records per request);
- ``locust -f`` on a hand-written ``HttpUser`` whose task makes the two calls with ``self.client``.

Then the same with a trivial test script per request (``pm.test`` of the status in the collection,
``catch_response`` and a status check in the hand-written user). Requests/s are counted by the server (the
same clock for both sides), and the ratio load / hand-written is printed; issue 11 asks for >= 80 %.

    python bench/load.py [--users 10] [--seconds 10] [--latency 20]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import parallel  # noqa: E402

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
TEST = "pm.test('status is 200', () => pm.response.to.have.status(200));"


class _Counter:
    """Requests the server answered, and when the first and the last arrived."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.count, self.first, self.last = 0, 0.0, 0.0

    def hit(self) -> None:
        now = time.monotonic()
        with self.lock:
            self.count += 1
            self.first = self.first or now
            self.last = now

    def rate(self) -> float:
        with self.lock:
            return self.count / (self.last - self.first) if self.last > self.first else 0.0


COUNTER = _Counter()
_do_get = parallel._Slow.do_GET


def _counted_get(self: BaseHTTPRequestHandler) -> None:
    _do_get(self)  # type: ignore[arg-type]
    COUNTER.hit()


parallel._Slow.do_GET = _counted_get  # type: ignore[method-assign]
# Locust closes its users' connections when the run time is up: a reset connection is no news here.
parallel.ThreadingHTTPServer.handle_error = lambda self, request, address: None  # type: ignore[method-assign]


def _collection(folder: Path, scripts: bool) -> str:
    def item(name: str, path: str) -> dict[str, object]:
        out: dict[str, object] = {"name": name, "request": {"method": "GET", "url": "{{base}}" + path}}
        if scripts:
            out["event"] = [{"listen": "test", "script": {"type": "text/javascript", "exec": [TEST]}}]
        return out

    path = folder / f"bench{'-scripts' if scripts else ''}.postman_collection.json"
    document = {"info": {"name": "bench", "schema": SCHEMA}, "item": [item("A", "/a?x=1"), item("B", "/b")]}
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def _locustfile(folder: Path, scripts: bool, base: str) -> str:
    if scripts:
        calls = "\n".join(
            f"        with self.client.get({path!r}, name={name!r}, catch_response=True) as response:\n"
            "            if response.status_code != 200:\n"
            "                response.failure('status is not 200')"
            for name, path in (("A", "/a?x=1"), ("B", "/b"))
        )
    else:
        calls = '        self.client.get("/a?x=1", name="A")\n        self.client.get("/b", name="B")'
    text = (
        "from locust import HttpUser, constant, task\n\n\n"
        "class Hand(HttpUser):\n"
        "    wait_time = constant(0)\n"
        f"    host = {base!r}\n\n"
        "    @task\n"
        "    def flow(self):\n"
        f"{calls}\n"
    )
    path = folder / f"hand{'_scripts' if scripts else ''}.py"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _measure(command: list[str], cwd: Path) -> float:
    COUNTER.reset()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[:4]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return COUNTER.rate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--latency", type=int, default=20)
    args = parser.parse_args()
    shared = ["-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s", "--headless"]
    with tempfile.TemporaryDirectory() as tmp, parallel.slow_server(args.latency) as base:
        folder = Path(tmp)
        print(
            f"{args.users} users, {args.seconds} s each, server latency {args.latency} ms, one Locust process"
        )
        for scripts in (False, True):
            ours = [sys.executable, "-m", "postman_gen", "load", _collection(folder, scripts), "--var"]
            ours += [f"base={base}", *shared, "--", "--only-summary"]
            hand = [sys.executable, "-m", "locust", "-f", _locustfile(folder, scripts, base), *shared]
            hand += ["--only-summary"]
            hand_rate = _measure(hand, folder)
            our_rate = _measure(ours, folder)
            label = "with a test script per request" if scripts else "no scripts"
            print(
                f"{label:32} hand-written HttpUser {hand_rate:8.1f} req/s   postman-gen load {our_rate:8.1f} "
                f"req/s   ratio {our_rate / hand_rate:6.1%}  (goal >= 80 %)"
            )


if __name__ == "__main__":
    main()
