"""``run --parallel``: throughput against a server that answers after 20 ms, and memory over long runs.

A loopback HTTP/1.1 server (threads, keep-alive) answers every request after ``--latency`` ms. The same
one-request collection runs ``--iterations`` times through ``postman_gen.run`` with ``parallel=1`` and
``parallel=N``; the script prints requests/s of each and their ratio (issue 11 asks for >= 6x with 8
workers over 400 iterations). Then peak RSS of a fresh process for 1,000 and 10,000 requests at
``parallel=N``, which should stay flat (records stream through the reporters, none is kept).

    python bench/parallel.py [--iterations 400] [--workers 8] [--latency 20] [--rss 1000,10000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import postman_gen  # noqa: E402

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


class _Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # one write per response: no Nagle / delayed-ACK stall between headers and body
    latency_s = 0.02

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        time.sleep(self.latency_s)
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@contextlib.contextmanager
def slow_server(latency_ms: int) -> Iterator[str]:
    _Slow.latency_s = latency_ms / 1000
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def collection_file(folder: str) -> str:
    doc = {
        "info": {"name": "parallel bench", "schema": SCHEMA},
        "item": [{"name": "Get", "request": {"method": "GET", "url": "{{base}}/item/{{$randomInt}}"}}],
    }
    path = Path(folder) / "bench.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def throughput(collection: str, base: str, iterations: int, workers: int) -> float:
    config = postman_gen.RunConfig(
        collection,
        variables={"base": base},
        iteration_count=iterations,
        parallel=workers,
        use_proxy_env=False,
    )
    start = time.perf_counter()
    outcome = postman_gen.run(config)
    elapsed = time.perf_counter() - start
    assert outcome.ok and outcome.summary.requests == iterations, outcome.summary.failures[:3]
    return iterations / elapsed


def child(collection: str, base: str, iterations: int, workers: int) -> None:
    throughput(collection, base, iterations, workers)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=400)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--latency", type=int, default=20, help="server latency in ms")
    parser.add_argument("--rss", default="1000,10000", help="request counts of the memory runs ('' skips)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        collection, base, n, workers = args.child
        child(collection, base, int(n), int(workers))
        return
    with tempfile.TemporaryDirectory() as folder, slow_server(args.latency) as base:
        collection = collection_file(folder)
        print(f"server {base} answers after {args.latency} ms; {args.iterations} iterations of one request")
        one = throughput(collection, base, args.iterations, 1)
        many = throughput(collection, base, args.iterations, args.workers)
        print(f"  --parallel 1: {one:8.1f} req/s")
        print(f"  --parallel {args.workers}: {many:8.1f} req/s   ({many / one:.1f}x)")
        for n in [int(x) for x in args.rss.split(",") if x]:
            out = subprocess.run(
                [sys.executable, __file__, "--child", collection, base, str(n), str(args.workers)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            print(f"  peak RSS, {n:>6} requests at --parallel {args.workers}: {float(out):6.1f} MiB")


if __name__ == "__main__":
    main()
