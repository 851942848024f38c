"""Peak memory of ``postman-gen run`` whatever a server sends: a 2 GiB body, a 1 MiB gzip bomb.

A local server (127.0.0.1, in this process) answers with (a) a small JSON body, (b) 2 GiB of bytes with a
Content-Length, (c) a 1 MiB gzip body that inflates to 1 GiB. Each case runs ``python -m postman_gen run``
in a fresh process and prints that process's peak resident memory (ru_maxrss), its exit status and the
failure line. With the default ``--max-response-size`` (50 MiB) the big bodies fail at the cap and the peak
stays near the small-body baseline plus the cap; ``--max-response-size 1048576`` shows the floor.
Before bodies were streamed, (b) reached 8.4 GB and (c) 4.2 GB.

    python bench/response_memory.py [--cap BYTES]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIB = 1 << 30
MIB = 1 << 20


def _bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MIB)
    return b"".join(packer.compress(zeros) for _ in range(1024)) + packer.flush()


def _serve(listener: socket.socket, bomb: bytes) -> None:
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=_answer, args=(conn, bomb), daemon=True).start()


def _answer(conn: socket.socket, bomb: bytes) -> None:
    try:
        head = b""
        while b"\r\n\r\n" not in head:
            piece = conn.recv(65536)
            if not piece:
                return
            head += piece
        path = head.split(b" ", 2)[1]
        if path.startswith(b"/big"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (2 * GIB))
            block = b"x" * MIB
            for _ in range(2048):
                conn.sendall(block)
        elif path.startswith(b"/bomb"):
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n%s" % (len(bomb), bomb)
            )
        else:
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{"ok":true}')
    except OSError:
        pass
    finally:
        conn.close()


def _collection(folder: str, url: str) -> str:
    doc = {
        "info": {
            "name": "memory",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [{"name": "get", "request": {"method": "GET", "url": url}}],
    }
    path = os.path.join(folder, "c.postman_collection.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(doc, out)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cap", type=int, default=None, help="--max-response-size for the runs")
    args = parser.parse_args()
    bomb = _bomb()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    threading.Thread(target=_serve, args=(listener, bomb), daemon=True).start()
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    extra = ["--max-response-size", str(args.cap)] if args.cap is not None else []
    print(f"gzip bomb: {len(bomb) / MIB:.2f} MiB on the wire, 1024 MiB inflated")
    print(f"{'case':<28}{'peak RSS':>12}{'vs small':>10}  exit  outcome")
    with tempfile.TemporaryDirectory() as folder:
        baseline = 0
        cases = (("small JSON body", "/small"), ("2 GiB body", "/big"), ("1 MiB gzip bomb", "/bomb"))
        for name, path in cases:
            # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: measure each case in a new child
            peak, status, line = _measure(_collection(folder, base + path), extra)
            baseline = baseline or peak
            print(f"{name:<28}{peak / MIB:>9.1f} MiB{peak / baseline:>9.2f}x  {status:>4}  {line[:90]}")
    listener.close()


def _measure(file: str, extra: list[str]) -> tuple[int, int, str]:
    """One case in a grandchild-free way: a helper process runs the case and reports its own child's peak."""
    code = (
        "import resource, subprocess, sys;"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE);"
        "lines = p.stderr.decode('utf-8', 'replace').strip().splitlines();"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, p.returncode);"
        "print(lines[-1] if lines else '')"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "postman_gen", "run", file, "--no-proxy", *extra]
    out = subprocess.run(
        [sys.executable, "-c", code, *command], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    peak, status = out[0].split()
    return int(peak), int(status), out[1] if len(out) > 1 else ""


if __name__ == "__main__":
    main()
