"""Replay against servers that misbehave on purpose: every wait and every body stays bounded."""

from __future__ import annotations

import json
import socket
import threading
import zlib
from pathlib import Path
from typing import Any

import pytest

from postman_gen.cli import main
from postman_gen.errors import SendError
from postman_gen.replay import Transport, TransportOptions
from postman_gen.replay.outcome import FailureKind
from postman_gen.resolution.request import NoBody, ResolvedRequest
from tests.servers import RawServer, read_request_head


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def _collection(tmp_path: Path, *items: dict[str, Any]) -> str:
    path = tmp_path / "c.postman_collection.json"
    doc = {
        "info": {
            "name": "c",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": list(items),
    }
    path.write_text(json.dumps(doc))
    return str(path)


def _get(name: str, url: str = "{{u}}/x", **extra: Any) -> dict[str, Any]:
    return {"name": name, "request": {"method": "GET", "url": url}, **extra}


def _trickle_headers(conn: socket.socket, stop: threading.Event) -> None:
    """Response headers one byte every 50 ms, forever (a slowloris in reverse)."""
    read_request_head(conn)
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 100_000
    for byte in head:
        if stop.wait(0.05):
            return
        conn.sendall(bytes([byte]))


def _silent(conn: socket.socket, stop: threading.Event) -> None:
    read_request_head(conn)
    stop.wait(60)


def _ok(conn: socket.socket, stop: threading.Event) -> None:
    read_request_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")


def _endless_body(conn: socket.socket, stop: threading.Event) -> None:
    read_request_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n")
    block = b"x" * 65536
    while not stop.is_set():
        conn.sendall(block)


_BOMBS: dict[str, bytes] = {}
_WBITS = {"gzip": 31, "deflate": 15}  # gzip framing, zlib framing (HTTP's "deflate")


def _compressed_bomb(encoding: str = "gzip") -> bytes:
    """64 MiB of zeros in about 64 KiB (built once per encoding)."""
    if encoding not in _BOMBS:
        packer = zlib.compressobj(9, zlib.DEFLATED, _WBITS[encoding])
        zeros = bytes(1 << 20)
        _BOMBS[encoding] = b"".join(packer.compress(zeros) for _ in range(64)) + packer.flush()
    return _BOMBS[encoding]


def _bomb_server(encoding: str) -> RawServer:
    def answer(conn: socket.socket, stop: threading.Event) -> None:
        read_request_head(conn)
        data = _compressed_bomb(encoding)
        head = f"HTTP/1.1 200 OK\r\nContent-Encoding: {encoding}\r\nContent-Length: {len(data)}\r\n"
        conn.sendall(head.encode() + b"Connection: close\r\n\r\n" + data)

    return RawServer(answer)


def _request(url: str) -> ResolvedRequest:
    from tests.test_replay import _resolved

    return _resolved(url + "/x", method="GET", body=NoBody())


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (("--timeout-request", "300"), "slow headers: timeout: no response after 300 ms"),
        (("--timeout", "400"), "run time limit reached"),
    ],
    ids=["request-limit", "run-limit"],
)
def test_headers_trickled_byte_by_byte_are_cut_by_either_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, limit: tuple[str, str], expected: str
) -> None:
    file = _collection(tmp_path, _get("slow headers"))
    with RawServer(_trickle_headers) as server:
        status, _, err = run_cli(capsys, "run", file, "--var", f"u={server.url}", *limit)
    assert status == 1
    assert expected in err


def test_an_endless_body_fails_at_the_size_cap(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    file = _collection(tmp_path, _get("endless"))
    with RawServer(_endless_body) as server:
        args = ("run", file, "--var", f"u={server.url}", "--max-response-size", "1000000")
        status, _, err = run_cli(capsys, *args)
    assert status == 1
    assert "endless: size: the response body is larger than 1000000 bytes (--max-response-size)" in err


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compression_bomb_is_inflated_only_up_to_the_cap(encoding: str) -> None:
    options = TransportOptions(max_response_size=4 << 20)
    with _bomb_server(encoding) as server, Transport(options) as transport:
        with pytest.raises(SendError) as caught:
            transport.send(_request(server.url))
    assert caught.value.kind is FailureKind.SIZE


def test_a_body_within_the_cap_is_read_whole() -> None:
    options = TransportOptions(max_response_size=64 << 20)
    with _bomb_server("gzip") as server, Transport(options) as transport:
        response = transport.send(_request(server.url))
    assert len(response.body) == 64 << 20
    assert response.wire_size == len(_compressed_bomb("gzip"))


def test_a_silent_server_is_bounded_by_the_request_limit_and_the_deadline() -> None:
    import time

    with RawServer(_silent) as server, Transport(TransportOptions(timeout_ms=200)) as transport:
        with pytest.raises(SendError) as caught:
            transport.send(_request(server.url))
        assert caught.value.kind is FailureKind.TIMEOUT
    with RawServer(_silent) as server, Transport() as transport:
        with pytest.raises(SendError) as caught:
            transport.send(_request(server.url), deadline=time.monotonic() + 0.3)
        assert caught.value.kind is FailureKind.TIMEOUT
        with pytest.raises(SendError) as caught:
            transport.send(_request(server.url), default_timeout_ms=200)
        assert caught.value.kind is FailureKind.TIMEOUT


@pytest.mark.needs_extra("scripts")
def test_send_request_to_a_silent_server_ends_with_the_run_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    script = [
        "pm.sendRequest(pm.variables.get('u') + '/silent', (err, res) => {",
        "  pm.test('the side request failed', () => pm.expect(String(err)).to.include('time limit'));",
        "});",
    ]
    event = {"listen": "prerequest", "script": {"exec": script}}
    with RawServer(_silent) as silent, RawServer(_ok) as main_server:
        file = _collection(tmp_path, _get("main", f"{main_server.url}/x", event=[event]))
        args = ("run", file, "--var", f"u={silent.url}", "--timeout", "600")
        status, _, err = run_cli(capsys, *args)
    assert "✓ the side request failed" in err  # err named the limit
    assert status == 1, err  # the run's time ran out before the item itself was sent


@pytest.mark.needs_extra("scripts")
def test_send_request_has_a_bound_of_its_own() -> None:
    from postman_gen.collection.model import Collection
    from postman_gen.resolution.resolver import Values
    from postman_gen.scripts.runner_hooks import DEFAULT_SEND_REQUEST_TIMEOUT_MS, ScriptHooks

    empty = Collection(name="c", items=())
    assert ScriptHooks(empty, Values()).send_timeout_ms == DEFAULT_SEND_REQUEST_TIMEOUT_MS
    with RawServer(_silent) as server, Transport() as transport:
        hooks = ScriptHooks(empty, Values(), transport=transport, send_timeout_ms=200)
        with pytest.raises(RuntimeError, match="no response after 200 ms"):
            hooks._send_request({"url": server.url + "/x", "method": "GET"})
