"""A loopback server that records every request it receives, for the Newman comparisons.

Built on the echo server's HTTP/1.1 reading (postman_gen.devserver.echo), so it frames requests exactly as
``postman-gen echo`` does. It answers like an httpbin for the few paths that change what a client sends
next (``/status/N``, ``/redirect/N``, ``/redirect-to?url=``, ``/cookies/set?k=v``) and with ``{}``
otherwise, so both clients meet the same server.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import parse_qsl, unquote

from postman_gen.devserver.echo import (
    ConnectionTracking,
    HttpParseError,
    expects_continue,
    read_body,
    read_head,
    response_bytes,
    wants_keep_alive,
)

Header = tuple[str, str]


@dataclass(frozen=True)
class Recorded:
    """One request as received: method, target, header fields in order (case and duplicates kept), body."""

    method: str
    target: str
    headers: list[Header]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def _reply(request: Recorded) -> tuple[int, list[Header], bytes]:
    segments = [unquote(s) for s in request.path.split("/")[1:]]
    first, rest = (segments[0], segments[1:]) if segments else ("", [])
    json_type = ("Content-Type", "application/json")
    try:
        if first == "status" and rest:
            code = int(rest[0])
            location = [("Location", "/get")] if 300 <= code < 400 else []
            return code, [json_type, *location], b"" if code in (204, 304) else b"{}"
        if first == "redirect" and rest and int(rest[0]) >= 1:
            left = int(rest[0]) - 1
            return 302, [json_type, ("Location", f"/redirect/{left}" if left else "/get")], b"{}"
        if first == "redirect-to":
            params = dict(parse_qsl(request.query, keep_blank_values=True))
            if "url" in params:
                return int(params.get("status_code", "302")), [json_type, ("Location", params["url"])], b"{}"
        if first == "cookies" and rest[:1] == ["set"]:
            pairs = parse_qsl(request.query, keep_blank_values=True)
            return 200, [json_type, *(("Set-Cookie", f"{k}={v}; Path=/") for k, v in pairs)], b"{}"
    except ValueError:
        return 400, [json_type], b"{}"
    return 200, [json_type], b"{}"


class _Handler(socketserver.StreamRequestHandler):
    disable_nagle_algorithm = True
    server: _Server

    def handle(self) -> None:
        try:
            while self._one():
                pass
        except (OSError, ValueError, HttpParseError):  # client went away, bad framing, or shutdown
            return

    def _one(self) -> bool:
        head = read_head(self.rfile)
        if head is None:
            return False
        if expects_continue(head):
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = read_body(self.rfile, head).body
        request = Recorded(head.method, head.target, list(head.headers), body)
        with self.server.lock:
            self.server.requests.append(request)
        status, headers, payload = _reply(request)
        keep_alive = wants_keep_alive(head)
        self.wfile.write(
            response_bytes(status, headers, payload, keep_alive=keep_alive, head_only=head.method == "HEAD")
        )
        return keep_alive


class _Server(ConnectionTracking, socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self) -> None:
        self.context = None
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.lock = threading.Lock()
        self.requests: list[Recorded] = []
        super().__init__(("127.0.0.1", 0), _Handler)


class Recorder:
    """``with Recorder() as server:`` serves on 127.0.0.1 (``server.url``) in a background thread."""

    def __init__(self) -> None:
        self._server = _Server()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True

    @property
    def requests(self) -> list[Recorded]:
        with self._server.lock:
            return list(self._server.requests)

    def clear(self) -> None:
        with self._server.lock:
            self._server.requests.clear()

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join(5)
