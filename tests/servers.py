"""Servers for the project's tests: a raw capture server with httpbin-like behaviours, and ports.

Why a raw server: tests of replay and of generated snippets must see the exact bytes a client sent
(header order and case, duplicates, chunk framing), which ``http.server`` would normalise away. It
listens on 127.0.0.1 only, on an ephemeral port, and every request it receives is recorded, including
each hop of a redirect chain and each round of a digest handshake.

Behaviours, selected by path (anything else gets ``server.reply``, by default ``200 {"ok": true}``):

- ``/status/<code>``             that status
- ``/redirect/<n>``              302 chain, relative ``Location``, ending at ``/get``
- ``/redirect-to?url=U[&status_code=N]``  one redirect to ``U``
- ``/cookies/set?name=value``    ``Set-Cookie`` per pair, then 200 with the cookies set
- ``/cookies``                   echoes the ``Cookie`` header
- ``/delay/<ms>``                answers after ``ms`` milliseconds
- ``/reset``                     partial headers, then a TCP RST (SO_LINGER 0)
- ``/digest-auth/<user>/<pass>[/<algorithm>]``  RFC 7616 digest (MD5 by default, qop=auth)
- ``/bytes/<n>``                 ``n`` deterministic bytes
- ``/anything...``               the echo server's JSON description of the request
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import re
import secrets
import socket
import socketserver
import ssl
import struct
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import parse_qsl, unquote

from postman_gen.devserver.echo import (
    ConnectionTracking,
    HttpParseError,
    RequestHead,
    describe_request,
    expects_continue,
    read_body,
    read_head,
    response_bytes,
    wants_keep_alive,
)
from postman_gen.devserver.tls import make_self_signed, server_context

Header = tuple[str, str]
JSON = ("Content-Type", "application/json")
REALM = "capture@postman-gen"
OPAQUE = "5ccc069c403ebaf9f0171e9517f40e41"
MAX_DELAY_MS = 30_000
MAX_BYTES = 10 * 1024 * 1024
DIGEST_HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}


@dataclass(frozen=True)
class Captured:
    """One request exactly as received. ``raw`` is every byte read for it, framing included."""

    method: str
    target: str
    version: str
    headers: list[Header]
    body: bytes
    raw: bytes
    trailers: list[Header] = field(default_factory=list)
    connection: int = 0  # sequence number of the TCP connection: equal numbers show keep-alive reuse
    error: str = ""  # why the request could not be framed, when it could not

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or ``None``."""
        values = self.header_values(name)
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def header_names(self) -> list[str]:
        """Names in received order and original case (handy to assert on order)."""
        return [name for name, _ in self.headers]

    def json(self) -> object:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """A canned response. ``Content-Length`` and ``Connection`` are added unless given."""

    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: tuple[Header, ...] = (JSON,)


@dataclass(frozen=True)
class _Action:
    """What the router decided: a reply, optionally after a delay, or a reset instead."""

    reply: Reply = Reply()
    delay: float = 0.0
    reset: bool = False


def _json_reply(payload: object, status: int = 200, extra: tuple[Header, ...] = ()) -> Reply:
    return Reply(status, json.dumps(payload).encode("utf-8"), (JSON, *extra))


# --------------------------------------------------------------------------- behaviours


def _route(request: Captured, server: _CaptureTCPServer) -> _Action:
    """Pick the behaviour from the first path segment; unknown paths get the configured reply."""
    segments = [unquote(s) for s in request.path.split("/")[1:]]
    first, rest = (segments[0], segments[1:]) if segments else ("", [])
    try:
        if first == "status" and rest:
            return _Action(_status(int(rest[0])))
        if first == "redirect" and rest:
            return _Action(_redirect(int(rest[0])))
        if first == "redirect-to":
            return _Action(_redirect_to(request.query))
        if first == "cookies":
            return _Action(_set_cookies(request.query) if rest[:1] == ["set"] else _cookies(request))
        if first == "delay" and rest:
            return _Action(
                _json_reply({"delay_ms": int(rest[0])}), delay=min(int(rest[0]), MAX_DELAY_MS) / 1000
            )
        if first == "reset":
            return _Action(reset=True)
        if first == "digest-auth" and len(rest) >= 2:
            algorithm = rest[2] if len(rest) > 2 else "MD5"
            return _Action(_digest(request, rest[0], rest[1], algorithm, server))
        if first == "bytes" and rest:
            return _Action(_bytes(int(rest[0])))
        if first == "anything":
            return _Action(_anything(request, server))
    except ValueError as exc:
        return _Action(_json_reply({"error": str(exc)}, 400))
    return _Action(server.reply)


def _status(code: int) -> Reply:
    if not 200 <= code <= 599:
        raise ValueError(f"status {code} is outside 200-599")
    extra: tuple[Header, ...] = (("Location", "/get"),) if 300 <= code < 400 else ()
    body = b"" if code in (204, 304) else json.dumps({"status": code}).encode()
    return Reply(code, body, (JSON, *extra))


def _redirect(remaining: int) -> Reply:
    if remaining < 1:
        raise ValueError("redirect count must be at least 1")
    location = "/get" if remaining == 1 else f"/redirect/{remaining - 1}"
    return _json_reply({"redirect": location}, 302, (("Location", location),))


def _redirect_to(query: str) -> Reply:
    params = dict(parse_qsl(query, keep_blank_values=True))
    if "url" not in params:
        raise ValueError("redirect-to needs ?url=")
    status = int(params.get("status_code", "302"))
    if not 300 <= status < 400:
        raise ValueError(f"status_code {status} is not a redirect")
    return _json_reply({"redirect": params["url"]}, status, (("Location", params["url"]),))


def _set_cookies(query: str) -> Reply:
    pairs = parse_qsl(query, keep_blank_values=True)
    set_cookie = tuple(("Set-Cookie", f"{name}={value}; Path=/") for name, value in pairs)
    return _json_reply({"cookies": dict(pairs)}, 200, set_cookie)


def _cookies(request: Captured) -> Reply:
    header = "; ".join(request.header_values("Cookie")) or None
    cookies = dict(
        (name.strip(), value.strip())
        for name, _, value in (pair.partition("=") for pair in (header or "").split(";"))
        if name.strip()
    )
    return _json_reply({"cookie": header, "cookies": cookies})


def _bytes(size: int) -> Reply:
    if not 0 <= size <= MAX_BYTES:
        raise ValueError(f"byte count {size} is outside 0-{MAX_BYTES}")
    return Reply(200, random.Random(size).randbytes(size), (("Content-Type", "application/octet-stream"),))


def _anything(request: Captured, server: _CaptureTCPServer) -> Reply:
    scheme = "https" if server.context else "http"
    description = describe_request(
        request.method, request.target, request.headers, request.body, scheme=scheme
    )
    return _json_reply(description)


# --------------------------------------------------------------------------- digest (RFC 7616)


_AUTH_PARAM = re.compile(r'([A-Za-z][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)')


def parse_auth_params(text: str) -> dict[str, str]:
    """``k=v, k2="quoted \\" v"`` into a dict (names lowercased, quotes and escapes removed)."""
    params: dict[str, str] = {}
    for match in _AUTH_PARAM.finditer(text):
        value = match.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params[match.group(1).lower()] = value
    return params


def _digest(request: Captured, user: str, password: str, algorithm: str, server: _CaptureTCPServer) -> Reply:
    """Verify a Digest ``Authorization`` against a nonce we issued; else a fresh 401 challenge."""
    base = algorithm.upper().removesuffix("-SESS")
    if base not in DIGEST_HASHES:
        raise ValueError(f"unsupported digest algorithm {algorithm}")
    authorization = request.header("Authorization") or ""
    scheme, _, rest = authorization.partition(" ")
    if scheme.lower() == "digest" and _digest_valid(
        parse_auth_params(rest), request, user, password, algorithm, server
    ):
        return _json_reply({"authenticated": True, "user": user})
    nonce = server.new_nonce()
    challenge = (
        f'Digest realm="{REALM}", qop="auth", nonce="{nonce}", opaque="{OPAQUE}", algorithm={algorithm}'
    )
    return _json_reply({"authenticated": False}, 401, (("WWW-Authenticate", challenge),))


def _digest_valid(
    params: dict[str, str],
    request: Captured,
    user: str,
    password: str,
    algorithm: str,
    server: _CaptureTCPServer,
) -> bool:
    nonce = params.get("nonce", "")
    if (
        params.get("username") != user
        or params.get("realm") != REALM
        or not server.known_nonce(nonce)
        or params.get("uri") != request.target
        or params.get("algorithm", "MD5").upper() != algorithm.upper()
    ):
        return False
    expected = digest_response(params, request.method, password, algorithm)
    return expected is not None and hmac.compare_digest(expected, params.get("response", ""))


def digest_response(params: dict[str, str], method: str, password: str, algorithm: str = "MD5") -> str | None:
    """The ``response`` value RFC 7616 §3.4.1 expects for these parameters (``None`` if unsupported)."""
    name = DIGEST_HASHES.get(algorithm.upper().removesuffix("-SESS"))
    if name is None:
        return None

    def h(text: str) -> str:
        return hashlib.new(name, text.encode("utf-8")).hexdigest()

    nonce, cnonce, qop = params.get("nonce", ""), params.get("cnonce", ""), params.get("qop")
    ha1 = h(f"{params.get('username', '')}:{params.get('realm', '')}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{params.get('uri', '')}")
    if qop == "auth":
        return h(f"{ha1}:{nonce}:{params.get('nc', '')}:{cnonce}:{qop}:{ha2}")
    if qop is None:
        return h(f"{ha1}:{nonce}:{ha2}")  # RFC 2069 compatibility
    return None


# --------------------------------------------------------------------------- the server


class _CaptureHandler(socketserver.StreamRequestHandler):
    """One connection: read, record and answer requests until the client or the server closes."""

    disable_nagle_algorithm = True
    server: _CaptureTCPServer

    def handle(self) -> None:
        number = self.server.next_connection()
        try:
            while self._one(number):
                pass
        except (OSError, ValueError):  # client went away, or the socket was closed by shutdown()
            return

    def _one(self, number: int) -> bool:
        """Handle one request; whether the connection stays open."""
        raw = bytearray()
        try:
            head = read_head(self.rfile, raw)
            if head is None:
                return False
            if expects_continue(head):
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            body = read_body(self.rfile, head, raw)
        except HttpParseError as exc:
            self.server.record(Captured("", "", "", [], b"", bytes(raw), connection=number, error=str(exc)))
            self._write(_json_reply({"error": str(exc)}, exc.status), keep_alive=False, head_only=False)
            return False
        request = _captured(head, body.body, list(body.trailers), bytes(raw), number)
        self.server.record(request)
        return self._respond(request, head)

    def _respond(self, request: Captured, head: RequestHead) -> bool:
        action = _route(request, self.server)
        if action.reset:
            self._reset()
            return False
        if action.delay:
            time.sleep(action.delay)
        keep_alive = wants_keep_alive(head)
        self._write(action.reply, keep_alive=keep_alive, head_only=head.method == "HEAD")
        return keep_alive

    def _write(self, reply: Reply, *, keep_alive: bool, head_only: bool) -> None:
        headers = list(reply.headers)
        self.wfile.write(
            response_bytes(reply.status, headers, reply.body, keep_alive=keep_alive, head_only=head_only)
        )

    def _reset(self) -> None:
        """Send half a header block, then close with SO_LINGER 0 so the kernel sends RST, not FIN."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: appl")
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.wfile.close()
        self.connection.close()  # the last reference: the descriptor really closes here


def _captured(head: RequestHead, body: bytes, trailers: list[Header], raw: bytes, number: int) -> Captured:
    return Captured(head.method, head.target, head.version, list(head.headers), body, raw, trailers, number)


class _CaptureTCPServer(ConnectionTracking, socketserver.ThreadingTCPServer):
    """Holds the record of requests, issued digest nonces and live connections for ``shutdown()``."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, host: str, port: int, reply: Reply, context: ssl.SSLContext | None) -> None:
        self.reply = reply
        self.context = context
        self.requests: list[Captured] = []
        self.nonces: set[str] = set()
        self.connections: set[socket.socket] = set()
        self.connection_count = 0
        self.changed = threading.Condition()
        self.connections_lock = self.changed
        super().__init__((host, port), _CaptureHandler)

    def record(self, request: Captured) -> None:
        with self.changed:
            self.requests.append(request)
            self.changed.notify_all()

    def next_connection(self) -> int:
        with self.changed:
            self.connection_count += 1
            return self.connection_count

    def new_nonce(self) -> str:
        nonce = secrets.token_hex(16)
        with self.changed:
            self.nonces.add(nonce)
        return nonce

    def known_nonce(self, nonce: str) -> bool:
        with self.changed:
            return nonce in self.nonces

    def handle_error(self, request: object, client_address: object) -> None:
        """Client-side breakage is expected in these tests; keep pytest output clean."""


class CaptureServer:
    """Records every request it receives; use as a context manager (starts serving on enter).

    ``reply`` may be reassigned at any time to change the answer of paths with no behaviour.
    ``tls=True`` serves HTTPS with a fresh self-signed certificate whose path is ``ca_file``.
    ``client_ca`` (a PEM file, with ``tls=True``) requires a client certificate signed by that CA: a client
    without one fails the handshake.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        reply: Reply = Reply(),
        tls: bool = False,
        client_ca: str | None = None,
    ):
        self.ca_file: str | None = None
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        context = None
        if tls:
            self._tempdir = tempfile.TemporaryDirectory(prefix="capture-tls-")
            self.ca_file, keyfile = make_self_signed(self._tempdir.name)
            context = server_context(self.ca_file, keyfile)
            if client_ca is not None:
                context.verify_mode = ssl.CERT_REQUIRED
                context.load_verify_locations(client_ca)
        self._server = _CaptureTCPServer(host, port, reply, context)
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = int(self._server.server_address[1])
        self.url = f"{'https' if tls else 'http'}://{host}:{self.port}"

    @property
    def reply(self) -> Reply:
        return self._server.reply

    @reply.setter
    def reply(self, reply: Reply) -> None:
        self._server.reply = reply

    @property
    def requests(self) -> list[Captured]:
        """A snapshot of the requests recorded so far, in arrival order."""
        with self._server.changed:
            return list(self._server.requests)

    def clear(self) -> None:
        with self._server.changed:
            self._server.requests.clear()

    def wait_for(self, n: int, timeout: float = 5.0) -> list[Captured]:
        """Block until at least ``n`` requests are recorded; ``TimeoutError`` names how many came."""
        with self._server.changed:
            if not self._server.changed.wait_for(lambda: len(self._server.requests) >= n, timeout):
                raise TimeoutError(f"{len(self._server.requests)} of {n} requests after {timeout}s")
            return list(self._server.requests)

    def start(self) -> CaptureServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def shutdown(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()
        self._server.close_connections()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def __enter__(self) -> CaptureServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.shutdown()


# --------------------------------------------------------------------------- hostile servers


class RawServer:
    """A TCP server on 127.0.0.1 that hands each connection to ``handler(sock, stop)``: for servers that
    misbehave on purpose (headers trickled byte by byte, silence, endless or compressed-bomb bodies).

    ``stop`` is set at shutdown; handlers that loop must watch it (``stop.wait(interval)``). Sends to a
    client that went away raise ``OSError``, which ends the handler quietly.
    """

    def __init__(self, handler: Callable[[socket.socket, threading.Event], None]) -> None:
        self._handler = handler
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)
        self.stop = threading.Event()
        self.connections = 0
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(None)
        try:
            self._handler(conn, self.stop)
        except OSError:
            pass
        finally:
            conn.close()

    def __enter__(self) -> RawServer:
        self._accepter.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._accepter.join(5)
        self._listener.close()
        for thread in self._threads:
            thread.join(5)


def read_request_head(conn: socket.socket) -> bytes:
    """The bytes of one request head (up to the blank line), read from a raw connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            break
        data += piece
    return data


# --------------------------------------------------------------------------- ports

_RESERVED: list[socket.socket] = []


def free_port() -> int:
    """A port that was free a moment ago on 127.0.0.1 (for servers a test starts itself)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def refused_port() -> int:
    """A port on 127.0.0.1 where connections are refused, for as long as the test process lives.

    The port is bound but never listened on, so nothing else can take it and the kernel answers
    every connection attempt with RST (``ConnectionRefusedError``).
    """
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    _RESERVED.append(holder)
    return int(holder.getsockname()[1])
