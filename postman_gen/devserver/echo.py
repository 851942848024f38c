"""The ``postman-gen echo`` server: answers every request with a JSON description of what it received.

Why: replay needs a local target that shows exactly what went over the wire (method, raw path,
headers in order with duplicates, body) without any outside network, and that is fast enough to be
the far end of a 10,000-request replay benchmark. So it is standard library only, keeps connections
alive (HTTP/1.1, one daemon thread per connection), parses requests itself instead of going through
the ``email`` package, writes each response with a single ``send``, never resolves client names and
logs nothing unless asked to.

The request reader (:func:`read_head`, :func:`read_body`) is shared with the tests' raw capture server.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value, formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import parse_qsl

from postman_gen.devserver import httpbin
from postman_gen.devserver.tls import make_self_signed, server_context
from postman_gen.errors import UsageError

Header = tuple[str, str]
LogFunction = Callable[[str], None]

MAX_LINE = 65536
MAX_FIELDS = 256
MAX_BODY = 64 * 1024 * 1024
CRLF = b"\r\n"
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class HttpParseError(ValueError):
    """The bytes received are not an HTTP/1.x request we can frame; ``status`` is the answer to send."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Reader(Protocol):
    """What the readers below need of a connection's input: a socket's file, or ``io.BytesIO`` in tests."""

    def readline(self, size: int = ..., /) -> bytes: ...

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class RequestHead:
    """Request line and header fields exactly as received (names keep their case, duplicates kept)."""

    method: str
    target: str
    version: str
    headers: tuple[Header, ...]

    def values(self, name: str) -> list[str]:
        """Every value of header ``name`` (case-insensitive), in received order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


@dataclass(frozen=True, slots=True)
class BodyRead:
    """A request body with its transfer framing removed, plus the trailer fields of a chunked body."""

    body: bytes
    trailers: tuple[Header, ...] = ()


# --------------------------------------------------------------------------- reading requests


def read_head(rfile: Reader, raw: bytearray | None = None) -> RequestHead | None:
    """Read a request line and header block; ``None`` at a clean end of stream between requests.

    Every byte read is appended to ``raw`` when given (the capture server records them).
    """
    line = _read_line(rfile, raw)
    for _ in range(4):  # RFC 9112 §2.2: ignore a few empty lines before the request line
        if line not in (CRLF, b"\n"):
            break
        line = _read_line(rfile, raw)
    if not line:
        return None
    parts = line.rstrip(CRLF).split(b" ")
    if len(parts) != 3 or not all(parts):
        raise HttpParseError(400, f"malformed request line {line[:80]!r}")
    method, target, version = (part.decode("latin-1") for part in parts)
    return RequestHead(method, target, version, read_fields(rfile, raw))


def read_fields(rfile: Reader, raw: bytearray | None = None) -> tuple[Header, ...]:
    """Read header (or trailer) fields up to the empty line; obsolete line folding joins with a space."""
    fields: list[Header] = []
    while True:
        line = _read_line(rfile, raw)
        if not line:
            raise HttpParseError(400, "connection closed inside the header block")
        if line in (CRLF, b"\n"):
            return tuple(fields)
        if len(fields) >= MAX_FIELDS:
            raise HttpParseError(431, f"more than {MAX_FIELDS} header fields")
        if line[:1] in (b" ", b"\t") and fields:
            folded_name, folded_value = fields[-1]
            fields[-1] = (folded_name, f"{folded_value} {line.strip().decode('latin-1')}")
            continue
        name, colon, value = line.rstrip(CRLF).partition(b":")
        if not colon or not name:
            raise HttpParseError(400, f"malformed header line {line[:80]!r}")
        fields.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))


def read_body(
    rfile: Reader, head: RequestHead, raw: bytearray | None = None, *, max_body: int = MAX_BODY
) -> BodyRead:
    """Read the body framed by ``Transfer-Encoding: chunked`` or ``Content-Length`` (RFC 9112 §6.3)."""
    codings = [c.strip().lower() for v in head.values("transfer-encoding") for c in v.split(",") if c.strip()]
    if codings:
        if codings[-1] != "chunked":
            raise HttpParseError(400, "Transfer-Encoding of a request must end with chunked")
        return _read_chunked(rfile, raw, max_body)
    length = _content_length(head)
    if length > max_body:
        raise HttpParseError(413, f"body of {length} bytes is over the limit of {max_body}")
    body = _read_exact(rfile, length, raw)
    return BodyRead(body)


def _content_length(head: RequestHead) -> int:
    """The one Content-Length (repeated identical values are allowed); 0 when absent."""
    values = {part.strip() for value in head.values("content-length") for part in value.split(",")}
    if not values:
        return 0
    if len(values) != 1 or not next(iter(values)).isdigit():
        raise HttpParseError(400, f"invalid Content-Length {sorted(values)}")
    return int(next(iter(values)))


def _read_chunked(rfile: Reader, raw: bytearray | None, max_body: int) -> BodyRead:
    body = bytearray()
    while True:
        line = _read_line(rfile, raw)
        size_text = line.split(b";", 1)[0].strip()
        if not _HEX.fullmatch(size_text):
            raise HttpParseError(400, f"malformed chunk size line {line[:80]!r}")
        size = int(size_text, 16)
        if size == 0:
            return BodyRead(bytes(body), read_fields(rfile, raw))
        if len(body) + size > max_body:
            raise HttpParseError(413, f"chunked body over the limit of {max_body} bytes")
        body += _read_exact(rfile, size, raw)
        if _read_line(rfile, raw) not in (CRLF, b"\n"):
            raise HttpParseError(400, "chunk data not followed by CRLF")


def _read_line(rfile: Reader, raw: bytearray | None) -> bytes:
    line = rfile.readline(MAX_LINE + 1)
    if raw is not None:
        raw += line
    if len(line) > MAX_LINE:
        raise HttpParseError(431, f"line longer than {MAX_LINE} bytes")
    return line


def _read_exact(rfile: Reader, size: int, raw: bytearray | None) -> bytes:
    data = rfile.read(size) if size else b""
    if raw is not None:
        raw += data
    if len(data) < size:
        raise HttpParseError(400, f"connection closed after {len(data)} of {size} body bytes")
    return data


def wants_keep_alive(head: RequestHead) -> bool:
    """HTTP/1.1 keeps the connection unless ``Connection: close``; HTTP/1.0 only with ``keep-alive``."""
    tokens = {t.strip().lower() for v in head.values("connection") for t in v.split(",")}
    if head.version == "HTTP/1.1":
        return "close" not in tokens
    return head.version == "HTTP/1.0" and "keep-alive" in tokens


def expects_continue(head: RequestHead) -> bool:
    """Whether the client waits for ``100 Continue`` before sending its body."""
    return head.version == "HTTP/1.1" and any(
        v.strip().lower() == "100-continue" for v in head.values("expect")
    )


# --------------------------------------------------------------------------- describing requests


def describe_request(
    method: str,
    target: str,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    scheme: str = "http",
    default_host: str = "",
) -> dict[str, object]:
    """The JSON-ready description of one request; pure, so tests can compare against it directly.

    ``path`` and ``query`` are the raw request target split at the first ``?`` (undecoded);
    ``args``/``form`` are decoded pairs; ``json``, ``form``, ``parts`` and ``files`` are ``None``
    when the body is not of that kind. ``files`` are the multipart parts that carry a filename.
    """
    path, query, url = _split_target(target, headers, scheme, default_host)
    text = _utf8(body)
    content_type = _first(headers, "content-type") or ""
    parts = _multipart_parts(body, content_type)
    return {
        "method": method,
        "url": url,
        "target": target,
        "path": path,
        "query": query,
        "args": [[k, v] for k, v in parse_qsl(query, keep_blank_values=True)],
        "headers": [[name, value] for name, value in headers],
        "body": text,
        "body_base64": None if text is not None else base64.b64encode(body).decode("ascii"),
        "body_size": len(body),
        "json": _json_value(text),
        "form": _form_pairs(
            text if text is not None else body.decode("utf-8", "replace"), content_type, parts
        ),
        "parts": parts,
        "files": None if parts is None else [part for part in parts if part["filename"] is not None],
    }


def _split_target(target: str, headers: list[Header], scheme: str, default_host: str) -> tuple[str, str, str]:
    """Raw path, raw query and full URL of a request target in origin, absolute or asterisk form."""
    if _ABSOLUTE.match(target):
        after_authority = target.split("://", 1)[1]
        cut = min((i for i in (after_authority.find("/"), after_authority.find("?")) if i >= 0), default=-1)
        origin = after_authority[cut:] if cut >= 0 else ""
        path, _, query = origin.partition("?")
        return path or "/", query, target
    path, _, query = target.partition("?")
    host = _first(headers, "host") or default_host
    url = f"{scheme}://{host}{target}" if target.startswith("/") else f"{scheme}://{host}"
    return path, query, url


def _first(headers: list[Header], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _json_value(text: str | None) -> object:
    """The parsed body when it is strict JSON (no NaN/Infinity, which could not be echoed back as JSON)."""
    if text is None or not text.strip():
        return None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _form_pairs(
    text: str, content_type: str, parts: list[dict[str, object]] | None
) -> list[list[str]] | None:
    """Decoded pairs of an urlencoded body, or the text fields (no filename) of a multipart body."""
    if parts is not None:
        return [
            [str(p["name"]), str(p["value"])]
            for p in parts
            if p["filename"] is None and p["value"] is not None
        ]
    if _media_type(content_type) != "application/x-www-form-urlencoded":
        return None
    return [[k, v] for k, v in parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace")]


def _multipart_parts(body: bytes, content_type: str) -> list[dict[str, object]] | None:
    """The parts of a ``multipart/*`` body split at its boundary (RFC 2046 §5.1.1); else ``None``."""
    if not _media_type(content_type).startswith("multipart/"):
        return None
    boundary = _header_params(content_type).get_boundary()
    if not boundary:
        return None
    delimiter = CRLF + b"--" + boundary.encode("latin-1")
    chunks = (CRLF + body).split(delimiter)
    parts: list[dict[str, object]] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        parts.append(_describe_part(chunk))
    return parts


def _describe_part(chunk: bytes) -> dict[str, object]:
    """One part: the text after the delimiter line is ``headers CRLF CRLF content``."""
    head, _, content = chunk.partition(CRLF + CRLF)
    lines = head.split(CRLF)[1:]  # the first line is the rest of the delimiter line (transport padding)
    headers = [_part_header(line) for line in lines if b":" in line]
    disposition = _header_params(_first(headers, "content-disposition") or "", "content-disposition")
    raw_name = disposition.get_param("name", header="content-disposition")
    name = collapse_rfc2231_value(raw_name) if raw_name is not None else None  # plain or RFC 2231 name*=
    text = _utf8(content)
    return {
        "name": name,
        "filename": disposition.get_filename(),
        "content_type": _first(headers, "content-type"),
        "headers": [[k, v] for k, v in headers],
        "size": len(content),
        "value": text,
        "value_base64": None if text is not None else base64.b64encode(content).decode("ascii"),
    }


def _part_header(line: bytes) -> Header:
    name, _, value = line.partition(b":")
    return name.decode("latin-1").strip(), value.strip().decode("utf-8", "replace")


def _header_params(value: str, header: str = "content-type") -> Message:
    """A throwaway ``Message`` holding one header, for its RFC 2045/2231 parameter parsing."""
    message = Message()
    message[header] = value
    return message


# --------------------------------------------------------------------------- the server


class _DateCache:
    """``Date`` header text, formatted at most once a second (it is on every response)."""

    def __init__(self) -> None:
        self._second = -1
        self._text = ""

    def now(self) -> str:
        second = int(time.time())
        if second != self._second:
            self._text = formatdate(second, usegmt=True)
            self._second = second
        return self._text


_DATES = _DateCache()


def response_bytes(
    status: int, headers: list[Header], body: bytes, *, keep_alive: bool, head_only: bool
) -> bytes:
    """A whole HTTP/1.1 response in one buffer, so it leaves in a single ``send`` (no Nagle stalls)."""
    reason = _reason(status)
    lines = [f"HTTP/1.1 {status} {reason}", f"Date: {_DATES.now()}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if not any(name.lower() == "content-length" for name, _ in headers):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only or status in (204, 304) else head + body


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class _EchoHandler(BaseHTTPRequestHandler):
    """One connection: requests are read and answered in a loop until close (``handle()`` of the base)."""

    protocol_version = "HTTP/1.1"
    server_version = "postman-gen-echo"
    disable_nagle_algorithm = True
    server: _EchoHTTPServer

    def handle(self) -> None:
        try:
            super().handle()
        except (OSError, ValueError):  # client went away, reset, TLS alert, or socket closed by shutdown()
            self.close_connection = True

    def handle_one_request(self) -> None:
        self.close_connection = True
        try:
            head = read_head(self.rfile)
            if head is None:
                return
            self._answer(head)
        except HttpParseError as exc:
            self._send(exc.status, json.dumps({"error": str(exc)}).encode(), keep_alive=False, line=str(exc))

    def _answer(self, head: RequestHead) -> None:
        if not head.version.startswith("HTTP/1."):
            raise HttpParseError(505, f"unsupported version {head.version}")
        if expects_continue(head):
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = read_body(self.rfile, head)
        if self.server.recorded is not None:
            with self.server.connections_lock:
                self.server.recorded.append((head, body.body))
        description = describe_request(
            head.method,
            head.target,
            list(head.headers),
            body.body,
            scheme=self.server.scheme,
            default_host=self.server.authority,
        )
        status, extra = 200, []
        document: object = description
        if self.server.httpbin:
            exchange = httpbin.Exchange(
                head.method,
                str(description["path"]),
                str(description["query"]),
                list(head.headers),
                body.body,
                str(description["url"]),
                description,
            )
            routed = httpbin.answer(exchange)
            if routed is not None:
                status, extra, document = routed.status, routed.headers, routed.document
        payload = json.dumps(document, ensure_ascii=False).encode("utf-8")
        keep_alive = wants_keep_alive(head)
        line = f"{head.method} {head.target} {head.version}"
        self._send(
            status, payload, keep_alive=keep_alive, line=line, head_only=head.method == "HEAD", extra=extra
        )

    def _send(
        self,
        status: int,
        payload: bytes,
        *,
        keep_alive: bool,
        line: str,
        head_only: bool = False,
        extra: list[Header] | None = None,
    ) -> None:
        if self.server.log is not None:  # before the write, so the line exists once the client has its answer
            self.server.log(f'{self.client_address[0]} "{line}" {status} {len(payload)}')
        headers = [("Server", self.server_version), ("Content-Type", "application/json"), *(extra or [])]
        self.wfile.write(response_bytes(status, headers, payload, keep_alive=keep_alive, head_only=head_only))
        self.close_connection = not keep_alive

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base signature
        """Never resolve the client's name; forward to the ``log`` callback only."""
        if self.server.log is not None:
            self.server.log(f"{self.client_address[0]} {format % args}")


class ConnectionTracking:
    """For a threading socket server: the TLS handshake runs in the connection's thread (a slow client
    cannot stall the accept loop), and live connections are tracked so that ``close_connections`` can wake
    threads blocked on idle keep-alive connections at shutdown. The echo server and the tests' capture
    server both use it.
    """

    context: ssl.SSLContext | None
    connections: set[socket.socket]
    connections_lock: threading.Lock | threading.Condition

    def finish_request(self, request: Any, client_address: Any) -> None:
        connection = request
        try:
            if self.context is not None:
                request.settimeout(10)
                connection = self.context.wrap_socket(request, server_side=True)
                connection.settimeout(None)
        except (OSError, ValueError):
            request.close()
            return
        with self.connections_lock:
            self.connections.add(connection)
        try:
            super().finish_request(connection, client_address)  # type: ignore[misc]
        finally:
            with self.connections_lock:
                self.connections.discard(connection)
            if connection is not request:
                connection.close()

    def close_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _EchoHTTPServer(ConnectionTracking, ThreadingHTTPServer):
    """ThreadingHTTPServer without reverse DNS at bind, optional TLS per connection, and a connection set."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(
        self,
        host: str,
        port: int,
        context: ssl.SSLContext | None,
        log: LogFunction | None,
        httpbin: bool = False,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.context = context
        self.httpbin = httpbin
        self.log = log
        self.scheme = "https" if context else "http"
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.recorded: list[tuple[RequestHead, bytes]] | None = None  # set by EchoServer(record=True)
        super().__init__((host, port), _EchoHandler)
        self.authority = _authority(host, self.server_address[1])

    def server_bind(self) -> None:
        """Bind like TCPServer: HTTPServer's version calls ``getfqdn``, a reverse DNS lookup."""
        TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """Connection-level failures are the client's business; keep stderr quiet."""
        if self.log is not None:
            self.log(f"{client_address}: connection error")


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class EchoServer:
    """The echo server: ``start()`` in a background thread (tests) or ``serve_forever()`` (the CLI).

    With ``httpbin=True`` the routes of postman-echo (``/get``, ``/post``, ``/status/{code}``...) answer as
    there (``devserver/httpbin.py``). With ``tls=True`` and no ``certfile`` a self-signed certificate for
    localhost, 127.0.0.1 and ``host`` is made in a temporary directory (removed by ``shutdown()``); its path
    is ``ca_file``.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        tls: bool = False,
        certfile: str | None = None,
        keyfile: str | None = None,
        log: LogFunction | None = None,
        httpbin: bool = False,
        record: bool = False,
    ) -> None:
        self.ca_file: str | None = None
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        self._thread: threading.Thread | None = None
        self._serving = False
        self._closed = False
        context = self._tls_context(host, certfile, keyfile) if tls or certfile else None
        try:
            self._httpd = _EchoHTTPServer(host, port, context, log, httpbin)
        except OSError as exc:
            self._remove_tempdir()
            raise UsageError(f"cannot listen on {_authority(host, port)}: {exc.strerror or exc}") from exc
        if record:
            self._httpd.recorded = []
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self.url = f"{self._httpd.scheme}://{_authority(host, self.port)}"

    def _tls_context(self, host: str, certfile: str | None, keyfile: str | None) -> ssl.SSLContext:
        if certfile is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="postman-gen-echo-")
            hosts = ["localhost", "127.0.0.1", "::1"] + ([host] if host not in ("", "0.0.0.0", "::") else [])
            certfile, keyfile = make_self_signed(self._tempdir.name, hosts)
            self.ca_file = certfile
        return server_context(certfile, keyfile)

    def recorded(self) -> list[tuple[RequestHead, bytes]]:
        """Every request received so far (head and unframed body), in arrival order; ``record=True`` only."""
        with self._httpd.connections_lock:
            return list(self._httpd.recorded or ())

    def clear(self) -> None:
        """Forget the requests recorded so far."""
        with self._httpd.connections_lock:
            if self._httpd.recorded is not None:
                self._httpd.recorded.clear()

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``shutdown()`` (or wait for the thread ``start()`` made)."""
        if self._thread is not None:
            while self._thread.is_alive():
                self._thread.join(0.5)  # short joins keep Ctrl-C responsive
            return
        self._serve()

    def _serve(self) -> None:
        self._serving = True
        try:
            self._httpd.serve_forever(poll_interval=0.1)
        finally:
            self._serving = False

    def start(self) -> EchoServer:
        """Serve in a daemon thread; returns ``self`` so ``server = EchoServer().start()`` reads well."""
        if self._thread is None:
            self._serving = True
            self._thread = threading.Thread(target=self._serve, name=f"echo-{self.port}", daemon=True)
            self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop serving, close the listening socket and open connections, remove a made certificate."""
        if self._closed:
            return
        self._closed = True
        if self._serving:
            self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        if self._thread is not None:
            self._thread.join(5)
        self._remove_tempdir()

    def _remove_tempdir(self) -> None:
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def __enter__(self) -> EchoServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.shutdown()
