"""Sending one ``ResolvedRequest`` with ``requests``, exactly as resolved.

Why not ``Session.request``: it merges session headers into a case-insensitive dict (duplicates collapse),
re-quotes the URL (``requote_uri``) and re-encodes bodies. Here a ``PreparedRequest`` is filled by hand:
the URL as resolved, headers in an ``WireHeaders`` list (duplicates stay separate header lines,
non-ASCII values go out as UTF-8 bytes), the body's bytes as they are. urllib3 would still normalise the
request target (``_encode_target``); the connection pools installed here hand the resolved target to the
connection unchanged. Only the client's usual User-Agent/Accept-Encoding/Accept/Connection are added (each
only when the request does not set it), plus the framing headers (Content-Length, multipart Content-Type).
"""

from __future__ import annotations

import contextvars
import errno
import os
import shutil
import socket
import ssl
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

import requests
import requests.adapters
import urllib3
from requests.cookies import RequestsCookieJar
from requests.hooks import default_hooks
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.fields import RequestField, guess_content_type
from urllib3.filepost import encode_multipart_formdata
from urllib3.util.url import _encode_target, parse_url

from postman_gen.errors import InputError, PostmanGenError, SendError
from postman_gen.replay.auth import AuthError, auth_for
from postman_gen.replay.client_certs import ClientCert, pfx_as_pem
from postman_gen.replay.headers import WireHeaders
from postman_gen.replay.outcome import FailureKind
from postman_gen.resolution.request import FileBody, FormBody, MultipartBody, RawBody, ResolvedRequest
from postman_gen.views.masking import is_secret_name

DEFAULT_MAX_REDIRECTS = 10  # Newman's default (requests' own is 30)
DEFAULT_MAX_RESPONSE_SIZE = 50 * 1024 * 1024  # Postman's default "max response size" (50 MB); 0: no cap
RUN_LIMIT_REASON = "run time limit reached"  # a send cut off by its deadline (the run's --timeout)
_READ_SIZE = 1 << 20  # upper bound of one read under a deadline: one recv returns what has arrived
CLIENT_HEADERS: tuple[tuple[str, str], ...] = tuple(requests.utils.default_headers().items())
_EXACT_TARGET: contextvars.ContextVar[str | None] = contextvars.ContextVar("exact_target", default=None)
_EXACT_ABSOLUTE: contextvars.ContextVar[str | None] = contextvars.ContextVar("exact_absolute", default=None)


@dataclass(frozen=True, slots=True)
class TransportOptions:
    """Run-wide transport settings from the command line (a request's ``settings`` may override some)."""

    timeout_ms: int | None = None  # --timeout-request: connect and each read
    insecure: bool = False  # -k
    extra_ca_certs: str | None = None  # PEM file trusted in addition to certifi's bundle
    client_cert: str | None = None
    client_key: str | None = None
    client_passphrase: str | None = None
    client_certs: tuple[ClientCert, ...] = ()  # --ssl-client-cert-list: first match wins over client_cert
    follow_redirects: bool = True  # --ignore-redirects sets False
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    use_proxy_env: bool = True  # --no-proxy sets False
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE  # --max-response-size: decoded body bytes; 0: no cap


@dataclass(frozen=True, slots=True)
class Timings:
    """Where the time of one send went, in milliseconds, summed over its redirect hops: name lookup, TCP
    connect, TLS handshake (0 on a reused connection), wait for the response headers after the request was
    written (``first_byte``), and reading the body (``download``)."""

    dns_ms: float = 0.0
    connect_ms: float = 0.0
    tls_ms: float = 0.0
    first_byte_ms: float = 0.0
    download_ms: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "dns_ms": round(self.dns_ms, 3),
            "connect_ms": round(self.connect_ms, 3),
            "tls_ms": round(self.tls_ms, 3),
            "first_byte_ms": round(self.first_byte_ms, 3),
            "download_ms": round(self.download_ms, 3),
        }


@dataclass(frozen=True, slots=True)
class Response:
    """The final response of one send (after redirects), body read completely (at most the size cap)."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    wire_size: int  # body bytes as received (before content decoding)
    elapsed_ms: float
    url: str
    redirects: int
    http_version: str
    timings: Timings = Timings()
    sent_headers: tuple[tuple[str, str], ...] = ()  # of the last hop, as sent (client-added ones included)


# --------------------------------------------------------------------------- exact request target


def _exact_target(url: str) -> str:
    """The target urllib3 receives for ``url`` is re-encoded; put back the resolved one when it matches.

    Through an HTTP proxy the target is the absolute form (``http://host/path``), which requests and urllib3
    re-encode too (``urldefragauth``, ``parse_url``): that one is put back the same way.
    """
    if url.startswith("http"):
        absolute = _EXACT_ABSOLUTE.get()
        if absolute is None:
            return url
        candidates = (absolute, absolute.rstrip("?"))
        same = any(url == c or url == parse_url(c).url for c in candidates)
        return absolute if same else url
    exact = _EXACT_TARGET.get()
    if exact is None:
        return url
    candidates = (exact, exact.rstrip("?"))
    if any(url == c or url == _encode_target(c) for c in candidates):
        return exact
    return url


_TIMES: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar("_TIMES", default=None)


def _add_time(name: str, seconds: float) -> None:
    times = _TIMES.get()
    if times is not None:
        times[name] = times.get(name, 0.0) + seconds


def _timed_new_conn(conn: Any, new_conn: Any) -> socket.socket:
    """Name lookup then connect, timed apart (the connect's own lookup is then answered from the cache)."""
    start = time.perf_counter()
    if _TIMES.get() is not None:
        try:
            socket.getaddrinfo(conn._dns_host, conn.port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError):  # the connect below fails and says why
            pass
    resolved = time.perf_counter()
    sock: socket.socket = new_conn()
    _add_time("dns", resolved - start)
    _add_time("connect", time.perf_counter() - resolved)
    return sock


class _GuardedHTTPConnection(HTTPConnection):
    """Remembers its TCP socket before TLS wraps it, so that a stalled handshake can be cut too; times
    the name lookup and the connect."""

    tcp_socket: socket.socket | None = None

    def _new_conn(self) -> socket.socket:
        self.tcp_socket = _timed_new_conn(self, super()._new_conn)
        return self.tcp_socket


class _GuardedHTTPSConnection(HTTPSConnection):
    tcp_socket: socket.socket | None = None

    def _new_conn(self) -> socket.socket:
        self.tcp_socket = _timed_new_conn(self, super()._new_conn)
        return self.tcp_socket

    def connect(self) -> None:
        """The TLS handshake's time is the connect's less its lookup and TCP connect."""
        times = _TIMES.get()
        before = (times or {}).get("dns", 0.0) + (times or {}).get("connect", 0.0)
        start = time.perf_counter()
        super().connect()
        after = (times or {}).get("dns", 0.0) + (times or {}).get("connect", 0.0)
        _add_time("tls", time.perf_counter() - start - (after - before))


def _timed_request(make: Any, conn: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
    start = time.perf_counter()
    with _guard(conn):
        try:
            return make(conn, method, _exact_target(url), *args, **kwargs)
        finally:
            _add_time("exchange", time.perf_counter() - start)  # connect + write + wait for the headers


class _ExactHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection

    def _make_request(self, conn: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return _timed_request(super()._make_request, conn, method, url, *args, **kwargs)


class _ExactHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection

    def _make_request(self, conn: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return _timed_request(super()._make_request, conn, method, url, *args, **kwargs)


def _install_exact_pools(manager: urllib3.PoolManager) -> None:
    manager.pool_classes_by_scheme = {"http": _ExactHTTPPool, "https": _ExactHTTPSPool}
    manager.key_fn_by_scheme = dict(manager.key_fn_by_scheme)


class _Adapter(requests.adapters.HTTPAdapter):
    """Installs the exact-target pools and the client-certificate context, direct and through proxies."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self._ssl_context = ssl_context
        super().__init__(max_retries=0)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        if self._ssl_context is not None:
            pool_kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        _install_exact_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """requests builds proxy managers without the adapter's pool settings: add ours (once per proxy)."""
        fresh = proxy not in self.proxy_manager
        if fresh and self._ssl_context is not None:
            proxy_kwargs["ssl_context"] = self._ssl_context
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if fresh:
            _install_exact_pools(manager)
        return manager


# --------------------------------------------------------------------------- session


class _ReplaySession(requests.Session):
    """A Session whose redirect rules follow the request's Postman settings."""

    keep_method = False
    keep_authorization = False
    secret_headers: frozenset[str] = frozenset()  # lower-case names dropped on a cross-host redirect
    cert_adapter: requests.adapters.BaseAdapter | None = None  # this request's --ssl-client-cert-list entry

    def get_adapter(self, url: str) -> requests.adapters.BaseAdapter:
        """The request's client-certificate entry for https (redirects included), else the mounted one."""
        if self.cert_adapter is not None and url[:8].lower() == "https://":
            return self.cert_adapter
        return super().get_adapter(url)

    def rebuild_method(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        if not self.keep_method:
            super().rebuild_method(prepared_request, response)

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        """requests drops ``Authorization`` when a redirect leaves the host; drop the request's other secret
        headers too (API-key auth, ``X-Api-Key``, secret-named headers), unless followAuthorizationHeader."""
        if self.keep_authorization:
            return
        super().rebuild_auth(prepared_request, response)
        if self.secret_headers and self.should_strip_auth(response.request.url, prepared_request.url):
            for name in [n for n in prepared_request.headers if n.lower() in self.secret_headers]:
                del prepared_request.headers[name]


def _header_value(value: str) -> str | bytes:
    return value if value.isascii() else value.encode("utf-8")


class Transport:
    """One ``requests.Session`` for a run: connection reuse and a cookie jar shared by its requests."""

    def __init__(
        self, options: TransportOptions | None = None, cookies: RequestsCookieJar | None = None
    ) -> None:
        self.options = options or TransportOptions()
        self.session = _ReplaySession()
        self.session.trust_env = False  # no ~/.netrc, no REQUESTS_CA_BUNDLE: only what the run says
        self.session.headers.clear()
        if cookies is not None:
            self.session.cookies = cookies
        self._tempdir: str | None = None
        self._cert_adapters: list[tuple[ClientCert, _Adapter]] = []
        self._verify = self._ca_bundle()
        try:
            context = client_context(self.options)
            for entry in self.options.client_certs:
                self._cert_adapters.append((entry, _Adapter(self._entry_context(entry))))
        except PostmanGenError:
            self.close()
            raise
        adapter = _Adapter(context)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self._proxies: dict[str, dict[str, str]] = {}

    def _private_dir(self) -> str:
        """A temporary folder only this user reads (mkdtemp: 0700), removed by ``close``."""
        if self._tempdir is None:
            self._tempdir = tempfile.mkdtemp(prefix="postman-gen-tls-")
        return self._tempdir

    def _entry_context(self, entry: ClientCert) -> ssl.SSLContext:
        """The SSL context of one --ssl-client-cert-list entry; a problem names the list file and entry."""
        cert, key, passphrase = entry.cert, entry.key, entry.passphrase
        if entry.pfx is not None and cert is None:
            cert, key, passphrase = pfx_as_pem(entry, self._private_dir())
        assert cert is not None  # the list reader requires cert or pfx
        try:
            return load_client_context(cert, key, passphrase, flag='"passphrase"')
        except SendError as exc:
            raise InputError(exc.message, file=entry.file, where=entry.where) from None

    def _adapter_for(self, url: str) -> tuple[requests.adapters.BaseAdapter | None, bool]:
        """The --ssl-client-cert-list adapter for ``url`` (None: the mounted one), and whether a client
        certificate goes with the request."""
        for entry, adapter in self._cert_adapters:
            if entry.applies_to(url):
                return adapter, True
        return None, bool(self.options.client_cert)

    @property
    def cookies(self) -> RequestsCookieJar:
        return self.session.cookies

    # ----------------------------------------------------------------- TLS

    def _ca_bundle(self) -> str | bool:
        """certifi's bundle, plus --ssl-extra-ca-certs (as Node adds NODE_EXTRA_CA_CERTS to its roots)."""
        extra = self.options.extra_ca_certs
        if not extra:
            return True
        import certifi

        bundle = os.path.join(self._private_dir(), "ca-bundle.pem")
        try:
            with open(bundle, "wb") as out, open(certifi.where(), "rb") as base, open(extra, "rb") as more:
                shutil.copyfileobj(base, out)
                out.write(b"\n")
                shutil.copyfileobj(more, out)
        except OSError as exc:
            self.close()
            raise SendError(
                FailureKind.INPUT, f"cannot read --ssl-extra-ca-certs {extra}: {exc.strerror}"
            ) from exc
        return bundle

    def _verify_for(self, request: ResolvedRequest) -> str | bool:
        if self.options.insecure or request.settings.strict_ssl is False:
            return False
        return self._verify

    # ----------------------------------------------------------------- proxies

    def _proxies_for(self, url: str, origin: str) -> dict[str, str]:
        """Proxies from the environment (HTTP(S)_PROXY, NO_PROXY), looked up once per origin."""
        if not self.options.use_proxy_env:
            return {}
        cached = self._proxies.get(origin)
        if cached is None:
            try:
                cached = dict(requests.utils.get_environ_proxies(url))
            except ValueError as exc:  # NO_PROXY matching parses the port: ``about:blank`` has "blank"
                raise SendError(FailureKind.INPUT, str(exc)) from None
            self._proxies[origin] = cached
        return cached

    # ----------------------------------------------------------------- building

    def prepare(
        self, request: ResolvedRequest, jar: RequestsCookieJar
    ) -> tuple[requests.PreparedRequest, BinaryIO | None]:
        """The PreparedRequest for ``request``, and a file to close after sending (file bodies)."""
        prepared = requests.PreparedRequest()
        prepared.method = request.method
        prepared.url = request.url
        headers = WireHeaders()
        for h in request.headers:
            headers.add(h.name, _header_value(h.value))
        for name, value in CLIENT_HEADERS:
            if name not in headers:
                headers.add(name, value)
        prepared.headers = headers  # type: ignore[assignment]
        prepared.hooks = default_hooks()
        body, length, handle = self._body(request, headers)
        try:
            _check_framing(headers, length)
        except SendError:
            if handle is not None:
                handle.close()
            raise
        prepared.body = body
        if length is not None and "Content-Length" not in headers:
            headers.add("Content-Length", str(length))
        if len(jar):
            prepared.prepare_cookies(jar)
        else:
            prepared._cookies = jar  # type: ignore[attr-defined]  # redirects and auth handshakes use it
        auth = auth_for(request)
        if auth is not None:
            try:
                prepared = auth(prepared)  # not prepare_auth(): that would recompute Content-Length
            except SendError:
                raise
            except (UnicodeError, ValueError, TypeError) as exc:  # parameters the signing library refuses
                kind = request.auth.type if request.auth is not None else "auth"
                raise AuthError(f"{kind}: cannot sign the request with these parameters ({exc})") from None
        return prepared, handle

    def _body(
        self, request: ResolvedRequest, headers: WireHeaders
    ) -> tuple[Any, int | None, BinaryIO | None]:
        body = request.body
        if isinstance(body, (RawBody, FormBody)):
            data = body.data
            return data, len(data), None
        if isinstance(body, FileBody):
            try:
                handle = open(body.path, "rb")  # noqa: SIM115 - closed by send() after the request
            except OSError as exc:
                raise SendError(
                    FailureKind.INPUT, f"cannot read body file {body.path}: {exc.strerror}"
                ) from exc
            return handle, os.fstat(handle.fileno()).st_size, handle
        if isinstance(body, MultipartBody):
            data, content_type = _multipart(body)
            _set_multipart_type(headers, content_type)
            return data, len(data), None
        if request.method in ("GET", "HEAD", "OPTIONS", "DELETE", "TRACE", "CONNECT"):
            return None, None, None
        return None, 0, None  # as requests does: an explicit empty body for POST, PUT, PATCH...

    # ----------------------------------------------------------------- sending

    def send(
        self,
        request: ResolvedRequest,
        *,
        deadline: float | None = None,
        default_timeout_ms: float | None = None,
    ) -> Response:
        """Send ``request`` and read the whole response; ``SendError`` says why it did not complete.

        ``options.timeout_ms`` (the run's ``--timeout-request``, its only road here) limits each hop's wait
        for its response headers as a whole (connect included) and each read of the body;
        ``default_timeout_ms`` is the limit when the run sets none (pm.sendRequest's own bound).
        ``deadline`` (a ``time.monotonic()`` instant, the run's ``--timeout``) bounds the whole exchange:
        every connect, header wait and body read of the redirect chain stops when it passes, the
        connection is closed and the send fails as a timeout with ``RUN_LIMIT_REASON``. The body is always
        read here, a piece at a time, and at most ``options.max_response_size`` bytes of it once decoded.
        """
        if deadline is not None and time.monotonic() >= deadline:
            raise SendError(FailureKind.TIMEOUT, RUN_LIMIT_REASON)
        if not request.netloc:
            where = f"{request.where}.request.url" if request.where else "url"
            raise SendError(
                FailureKind.INPUT, f"{where}: the URL has no host ({request.url!r}): nothing to send to"
            )
        settings = request.settings
        follow = (
            settings.follow_redirects
            if settings.follow_redirects is not None
            else self.options.follow_redirects
        )
        if not self.options.follow_redirects and settings.follow_redirects is None:
            follow = False
        jar = RequestsCookieJar() if settings.disable_cookies else self.session.cookies
        prepared, handle = self.prepare(request, jar)
        session = self.session
        session.max_redirects = (
            settings.max_redirects if settings.max_redirects is not None else self.options.max_redirects
        )
        session.keep_method = settings.follow_original_method
        session.keep_authorization = settings.follow_authorization_header
        session.secret_headers = frozenset(
            h.name.lower() for h in request.headers if h.secret or is_secret_name(h.name)
        )
        session.cert_adapter, client_cert = self._adapter_for(request.url)
        limit = self.options.timeout_ms or default_timeout_ms
        limit_s = limit / 1000 if limit else None
        watch = _Watch(limit_s, deadline, self.options.max_response_size)
        prepared.hooks["response"].append(_HopHook(watch, follow))
        saved = session.cookies
        token = _EXACT_TARGET.set(request.target)
        absolute = _EXACT_ABSOLUTE.set(f"{request.origin}{request.target}")
        watching = _WATCH.set(watch)
        times: dict[str, float] = {}
        timing = _TIMES.set(times)
        start = time.perf_counter()
        verify = self._verify_for(request)
        try:
            if settings.disable_cookies:
                session.cookies = jar
            # requests hands a urllib3 Timeout to urllib3 unchanged (its stubs only know seconds)
            timeout: Any = limit_s if deadline is None else _DeadlineTimeout(limit_s, deadline)
            with warnings.catch_warnings():
                if verify is False:  # asked for (-k, strictSSL false): no warning per request
                    warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
                response = session.send(
                    prepared,
                    allow_redirects=follow,
                    timeout=timeout,
                    verify=verify,
                    cert=None,  # the client certificate is in the adapter's context (client_context)
                    proxies=self._proxies_for(request.url, request.origin),
                    stream=True,  # the body is read here, bounded in size and time (read_body)
                )
                body = read_body(response, watch)
        except _DeadlineReached:
            raise SendError(FailureKind.TIMEOUT, RUN_LIMIT_REASON) from None
        except _TooLarge:
            raise SendError(FailureKind.SIZE, _too_large(watch.max_size)) from None
        except requests.RequestException as exc:
            if watch.fired == "deadline" or (deadline is not None and time.monotonic() >= deadline):
                raise SendError(FailureKind.TIMEOUT, RUN_LIMIT_REASON) from None
            if watch.fired == "request":
                raise SendError(FailureKind.TIMEOUT, f"no response after {limit:g} ms") from None
            raise classify(exc, limit, client_cert=client_cert) from None
        except OSError as exc:
            raise SendError(FailureKind.CONNECTION, _os_reason(exc)) from None
        except urllib3.exceptions.LocationValueError as exc:  # a host urllib3 cannot parse (via a proxy)
            raise SendError(FailureKind.INPUT, f"not a valid URL: {exc}") from None
        except UnicodeEncodeError as exc:  # a header computed when sent (auth) that HTTP cannot carry
            raise SendError(
                FailureKind.AUTH if request.auth is not None and request.auth.computed else FailureKind.INPUT,
                "a header holds characters HTTP/1.1 cannot carry "
                f"({exc.reason}: {exc.object[exc.start : exc.end]!r})",
            ) from None
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            _EXACT_TARGET.reset(token)
            _EXACT_ABSOLUTE.reset(absolute)
            _WATCH.reset(watching)
            _TIMES.reset(timing)
            session.cookies = saved
            if handle is not None:
                handle.close()
        return _response(response, elapsed, body, _timings(times, elapsed))

    def close(self) -> None:
        self.session.close()
        for _, adapter in self._cert_adapters:
            adapter.close()
        if self._tempdir is not None:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _timings(times: dict[str, float], elapsed_ms: float) -> Timings:
    ms = {name: seconds * 1000 for name, seconds in times.items()}
    dns, connect, tls = ms.get("dns", 0.0), ms.get("connect", 0.0), ms.get("tls", 0.0)
    exchange = ms.get("exchange", 0.0)
    return Timings(
        dns_ms=dns,
        connect_ms=connect,
        tls_ms=tls,
        first_byte_ms=max(exchange - dns - connect - tls, 0.0),
        download_ms=max(elapsed_ms - exchange, 0.0),
    )


def _sent_headers(response: requests.Response) -> tuple[tuple[str, str], ...]:
    """The headers of the last request sent, client-added ones included (User-Agent, Accept...)."""
    sent = response.request.headers if response.request is not None else {}
    return tuple((k, v.decode("latin-1") if isinstance(v, bytes) else str(v)) for k, v in sent.items())


def _response(
    response: requests.Response, elapsed_ms: float, body: bytes, timings: Timings | None = None
) -> Response:
    """Our ``Response`` from requests' one and the body ``read_body`` read."""
    raw = response.raw
    wire = getattr(raw, "tell", None)
    try:
        wire_size = int(wire()) if wire is not None else len(body)
    except (OSError, ValueError, TypeError):
        wire_size = len(body)
    if getattr(raw, "chunked", False):
        wire_size = len(body)  # urllib3 counts no chunked body it parses itself: the same on both paths
    version = getattr(raw, "version", 11)
    headers = (
        tuple((k, v) for k, v in raw.headers.items()) if raw is not None else tuple(response.headers.items())
    )
    return Response(
        status=response.status_code,
        reason=response.reason or "",
        headers=headers,
        body=body,
        wire_size=wire_size or len(body),
        elapsed_ms=elapsed_ms,
        url=response.url,
        redirects=len(response.history),
        http_version={10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(version, "HTTP/1.1"),
        timings=timings or Timings(),
        sent_headers=_sent_headers(response),
    )


# --------------------------------------------------------------------------- bounded waits and sizes


class _DeadlineReached(Exception):
    """The deadline passed during a send; ``Transport.send`` turns it into a timeout ``SendError``."""


class _TooLarge(Exception):
    """The decoded body grew past --max-response-size; ``Transport.send`` makes it a ``SendError``."""


def _too_large(cap: int) -> str:
    return f"the response body is larger than {cap} bytes (--max-response-size); it was not read further"


@dataclass(slots=True)
class _Watch:
    """The limits of one send, and which one fired.

    ``header_s`` (--timeout-request) bounds each hop's wait for its response headers as a whole, from the
    connect to the last header byte, as postman-request's ``timeout`` does; ``deadline`` (the run's
    --timeout) bounds everything. Socket timeouts alone bound each recv only: a server sending one header
    byte per second would never trip them, hence the guard thread (``_guard``).
    """

    header_s: float | None
    deadline: float | None
    max_size: int
    fired: str | None = None  # "request" or "deadline"

    def until(self) -> tuple[float, str] | None:
        """When the current hop's header wait must end, and which limit that is."""
        limits = []
        if self.header_s is not None:
            limits.append((time.monotonic() + self.header_s, "request"))
        if self.deadline is not None:
            limits.append((self.deadline, "deadline"))
        return min(limits) if limits else None


_WATCH: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar("watch", default=None)
_GUARD_POLL_S = 0.05


@contextmanager
def _guard(conn: Any) -> Iterator[None]:
    """Cut the connection of ``conn`` when its header wait outlasts the send's limits.

    A thread waits for the limit; when it passes first, it shuts the socket down (the TCP socket while the
    TLS handshake runs), which makes the blocked read in this thread fail at once. ``Transport.send`` then
    reads ``_Watch.fired`` to name the limit.
    """
    watch = _WATCH.get()
    limit = watch.until() if watch is not None else None
    if watch is None or limit is None:
        yield
        return
    until, which = limit
    done = threading.Event()

    def cut() -> None:
        if done.wait(max(until - time.monotonic(), 0.0)):
            return
        watch.fired = which
        while not done.is_set():  # the socket may not exist yet (connecting): try until the wait ends
            for sock in (getattr(conn, "sock", None), getattr(conn, "tcp_socket", None)):
                if sock is not None:
                    try:
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)
                    except OSError:
                        pass
            done.wait(_GUARD_POLL_S)

    thread = threading.Thread(target=cut, name="postman-gen-guard", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _time_left(limit_s: float | None, deadline: float) -> float:
    """Seconds a blocking socket call may wait: the per-request limit, shortened to the deadline.

    At least a millisecond: a zero timeout would make the socket non-blocking (a different error).
    """
    left = deadline - time.monotonic()
    return max(left if limit_s is None else min(limit_s, left), 0.001)


class _DeadlineTimeout(urllib3.util.Timeout):
    """A urllib3 timeout whose connect and read limits are computed when urllib3 asks for them.

    Why: requests hands one timeout to every hop of a redirect chain; a fixed value computed before the
    first hop would let a later hop's connect or header wait run past the deadline.
    """

    def __init__(self, limit_s: float | None, deadline: float) -> None:
        super().__init__(connect=limit_s, read=limit_s)
        self.limit_s = limit_s
        self.deadline = deadline

    def clone(self) -> _DeadlineTimeout:
        return _DeadlineTimeout(self.limit_s, self.deadline)

    @property
    def connect_timeout(self) -> float:
        return _time_left(self.limit_s, self.deadline)

    @property
    def read_timeout(self) -> float:
        return _time_left(self.limit_s, self.deadline)


@dataclass(frozen=True, slots=True)
class _HopHook:
    """A requests response hook for each hop of a send.

    It stops the chain when the deadline has passed, and reads a redirect's body here, bounded in time
    and size, before requests follows the redirect (requests would read it whole, with no bound).
    """

    watch: _Watch
    follow: bool

    def __call__(self, response: requests.Response, **kwargs: Any) -> None:
        deadline = self.watch.deadline
        if deadline is not None and time.monotonic() >= deadline:
            response.close()
            raise _DeadlineReached
        if self.follow and response.is_redirect:
            read_body(response, self.watch, keep=False)
            response._content = b""  # what ``response.content`` returns when requests follows it
            response._content_consumed = True  # type: ignore[attr-defined]


def read_body(response: requests.Response, watch: _Watch, *, keep: bool = True) -> bytes:
    """The decoded body of a streamed response, read until its end, its size cap or the deadline.

    Each read takes what has arrived (``read1``: one recv, and at most ``_READ_SIZE`` decoded bytes, so a
    compressed bomb is inflated a bounded piece at a time). Under a deadline the socket timeout is first
    shortened to the time left, so a body trickled byte by byte cannot keep the exchange alive past it.
    Decoded bytes beyond ``watch.max_size`` fail the send. On any error
    the response is closed, which closes its connection. ``keep=False`` reads and drops (redirect bodies).
    """
    raw = response.raw
    deadline, limit_s, cap = watch.deadline, watch.header_s, watch.max_size
    connection = getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    before = sock.gettimeout() if sock is not None else None
    parts: list[bytes] = []
    received = 0
    try:
        while True:
            if deadline is not None:
                if time.monotonic() >= deadline:
                    raise _DeadlineReached
                if sock is not None:
                    sock.settimeout(_time_left(limit_s, deadline))
            chunk = _read1(raw)
            if not chunk:
                return b"".join(parts)
            received += len(chunk)
            if cap and received > cap:
                raise _TooLarge
            if keep:
                parts.append(chunk)
    except BaseException:
        response.close()
        raise
    finally:
        if deadline is not None and sock is not None and sock.fileno() != -1:
            sock.settimeout(before)  # the pooled connection keeps the timeout urllib3 gave it


def _read1(raw: Any) -> bytes:
    """One read of the body, urllib3's errors raised as requests raises them from ``iter_content``."""
    try:
        return raw.read1(_READ_SIZE, decode_content=True) or b""
    except urllib3.exceptions.ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except urllib3.exceptions.DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from exc
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc) from exc
    except urllib3.exceptions.SSLError as exc:
        raise requests.exceptions.SSLError(exc) from exc


# --------------------------------------------------------------------------- client certificates


class _NoPassphrase(Exception):
    """Raised by the password callback: the key is encrypted and no passphrase was given."""


def client_context(options: TransportOptions) -> ssl.SSLContext | None:
    """An SSL context holding the client certificate and key, or None without --ssl-client-cert.

    Why a context and not requests' ``cert=``: requests cannot pass a passphrase, its proxy managers do not
    get the adapter's settings, and OpenSSL would prompt on the terminal for an encrypted key. Loading here,
    before any request, turns every unusable file into one ``SendError(INPUT)`` (exit 2). The context starts
    with ``check_hostname`` off so that -k and ``strictSSL: false`` can turn verification off per connection;
    urllib3 then sets ``verify_mode`` for each connection and matches the host name itself when verifying.
    """
    if not options.client_cert:
        if options.client_key:
            raise SendError(FailureKind.INPUT, "--ssl-client-key needs --ssl-client-cert")
        return None
    return load_client_context(options.client_cert, options.client_key, options.client_passphrase)


def load_client_context(
    cert: str, client_key: str | None, client_passphrase: str | None, *, flag: str = "--ssl-client-passphrase"
) -> ssl.SSLContext:
    """A client context for one certificate and key (``client_context``); ``flag`` names where the
    passphrase comes from in messages. Every unusable file is a ``SendError(INPUT)``."""
    key = client_key or cert
    _require_pem(cert, b"-----BEGIN CERTIFICATE-----", "no PEM certificate in")
    _require_pem(key, b"PRIVATE KEY-----", "no private key in")
    context = urllib3.util.ssl_.create_urllib3_context(cert_reqs=ssl.CERT_NONE)
    asked: list[bool] = []

    def passphrase() -> str:
        asked.append(True)
        if client_passphrase is None:
            raise _NoPassphrase
        return client_passphrase

    try:
        context.load_cert_chain(cert, client_key, password=passphrase)
    except _NoPassphrase:
        raise SendError(FailureKind.INPUT, f"the client key in {key} is encrypted: give {flag}") from None
    except ssl.SSLError as exc:
        raise SendError(FailureKind.INPUT, _key_reason(exc, cert, key, bool(asked), flag)) from None
    except OSError as exc:
        raise SendError(FailureKind.INPUT, f"cannot read the client certificate: {_os_reason(exc)}") from None
    return context


def _require_pem(path: str, marker: bytes, problem: str) -> None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise SendError(FailureKind.INPUT, f"cannot read {path}: {_os_reason(exc)}") from None
    if marker not in data:
        raise SendError(FailureKind.INPUT, f"{problem} {path}")


def _key_reason(exc: ssl.SSLError, cert: str, key: str, asked: bool, flag: str) -> str:
    text = str(exc)
    if "KEY_VALUES_MISMATCH" in text:
        return f"the client key {key} does not match the certificate {cert}"
    if asked:
        return f"wrong {flag} for {key}"
    return f"cannot load the client certificate {cert} with key {key}: {exc.reason or text}"


# --------------------------------------------------------------------------- framing


def _check_framing(headers: WireHeaders, length: int | None) -> None:
    """Refuse framing headers from the collection that would make the server read a different body than
    the one sent (request smuggling, a desynchronised keep-alive connection).

    ``Transfer-Encoding`` is never written by us (bodies are sent with a length), so one in the request
    would announce chunks that are not there; a ``Content-Length`` must be the body's length (several equal
    ones are tolerated, as RFC 9112 allows).
    """
    if "Transfer-Encoding" in headers:
        raise SendError(
            FailureKind.INPUT,
            "the request sets Transfer-Encoding: bodies are sent with their length, so the server would "
            "misread where this request ends; remove the header",
        )
    values = {
        str(v.decode("latin-1") if isinstance(v, bytes) else v).strip()
        for v in headers.getlist("Content-Length")
    }
    if not values:
        return
    actual = str(length or 0)
    if values != {actual}:
        written = ", ".join(sorted(values))
        raise SendError(
            FailureKind.INPUT,
            f"the request sets Content-Length: {written} but its body is {actual} bytes: the server would "
            "misread where this request ends; remove the header",
        )


# --------------------------------------------------------------------------- multipart


def _multipart(body: MultipartBody) -> tuple[bytes, str]:
    """The parts in their order (requests' ``files=`` would put text fields first), each with its filename
    and content type; the boundary is urllib3's random one, as requests chooses it."""
    fields = []
    for part in body.parts:
        if part.is_file:
            assert part.file_path is not None
            try:
                with open(part.file_path, "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                raise SendError(
                    FailureKind.INPUT,
                    f"cannot read file {part.file_path} for part {part.name!r}: {exc.strerror}",
                ) from exc
            filename = part.filename if part.filename is not None else os.path.basename(part.file_path)
            field = RequestField(part.name, data, filename=filename)
            field.make_multipart(content_type=part.content_type or guess_content_type(filename))
        else:
            field = RequestField(part.name, (part.value or "").encode("utf-8"), filename=part.filename)
            field.make_multipart(content_type=part.content_type)
        fields.append(field)
    return encode_multipart_formdata(fields)


def current_name(headers: WireHeaders, name: str) -> str:
    """The spelling the request used for ``name`` (kept when a value is replaced)."""
    return next((k for k in headers if k.lower() == name.lower()), name)


def _set_multipart_type(headers: WireHeaders, content_type: str) -> None:
    """Add the multipart Content-Type; a written ``multipart/form-data`` without boundary gets ours."""
    current = headers.getlist("Content-Type")
    if not current:
        headers.add("Content-Type", content_type)
        return
    value = current[0] if isinstance(current[0], str) else current[0].decode("utf-8", "replace")
    if value.lower().startswith("multipart/") and "boundary=" not in value.lower():
        headers[current_name(headers, "Content-Type")] = content_type


# --------------------------------------------------------------------------- failures


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        for nxt in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(nxt, BaseException):
                stack.append(nxt)


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def classify(exc: BaseException, timeout_ms: float | None = None, *, client_cert: bool = False) -> SendError:
    """A ``requests`` exception as a failure kind and one readable reason."""
    if isinstance(exc, requests.exceptions.ProxyError):
        inner = _classify(exc, timeout_ms, client_cert)
        return SendError(inner.kind, f"proxy: {inner.message}")
    return _classify(exc, timeout_ms, client_cert)


def _classify(exc: BaseException, timeout_ms: float | None, client_cert: bool) -> SendError:
    after = f" after {timeout_ms:g} ms" if timeout_ms else ""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return SendError(FailureKind.TIMEOUT, f"connect timed out{after}")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return SendError(FailureKind.TIMEOUT, f"no response{after}")
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return SendError(FailureKind.REDIRECTS, str(exc))
    if isinstance(exc, requests.exceptions.SSLError):
        return SendError(FailureKind.TLS, _tls_reason(exc, client_cert))
    if isinstance(
        exc,
        (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
            requests.exceptions.InvalidHeader,
        ),
    ):
        return SendError(FailureKind.INPUT, str(exc))
    for cause in _chain(exc):
        if isinstance(cause, urllib3.exceptions.NameResolutionError) or isinstance(cause, socket.gaierror):
            return SendError(FailureKind.DNS, "host name not found")
        if isinstance(cause, ConnectionRefusedError):
            return SendError(FailureKind.REFUSED, "connection refused")
        if isinstance(cause, ConnectionResetError) or (
            isinstance(cause, OSError) and cause.errno == errno.ECONNRESET
        ):
            return SendError(FailureKind.RESET, "connection reset by the server")
        if isinstance(cause, (socket.timeout, TimeoutError)):
            return SendError(FailureKind.TIMEOUT, f"timed out{after}")
        if type(cause).__name__ == "RemoteDisconnected":
            return SendError(FailureKind.RESET, "the server closed the connection without a response")
        if isinstance(cause, urllib3.exceptions.IncompleteRead) or type(cause).__name__ == "IncompleteRead":
            return SendError(FailureKind.RESET, "the server closed the connection mid-response")
        if isinstance(cause, ssl.SSLError):
            return SendError(FailureKind.TLS, _tls_reason(cause, client_cert))
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return SendError(FailureKind.RESET, f"the response broke off: {_last_words(exc)}")
    return SendError(FailureKind.CONNECTION, _last_words(exc))


_CLIENT_CERT_ALERTS = (
    "ALERT_UNKNOWN_CA",
    "ALERT_BAD_CERTIFICATE",
    "ALERT_CERTIFICATE_UNKNOWN",
    "ALERT_CERTIFICATE_EXPIRED",
    "ALERT_UNSUPPORTED_CERTIFICATE",
    "ALERT_ACCESS_DENIED",
)


def _tls_reason(exc: BaseException, client_cert: bool = False) -> str:
    """One line; alerts about the client certificate say which option is concerned."""
    text = _last_words(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        detail = text.split("certificate verify failed:", 1)[-1].split("(_ssl")[0].strip(" )'\"")
        return f"certificate verify failed ({detail or 'untrusted'}); use --ssl-extra-ca-certs or -k"
    if "CERTIFICATE_REQUIRED" in text:
        return "the server requires a client certificate (--ssl-client-cert)"
    if client_cert and any(a in text for a in _CLIENT_CERT_ALERTS):
        return f"the server rejected the client certificate ({_alert(text)})"
    if _is_tls_eof(exc, text):
        # TLS 1.3: the server checks the client certificate after the client has finished its handshake, and
        # with OpenSSL 3 its alert often arrives as a bare EOF: the same cause as the alert, without its name.
        if client_cert:
            return "the server rejected the client certificate (it closed the connection after the handshake)"
        return (
            "the server closed the TLS connection unannounced: "
            "does it require a client certificate (--ssl-client-cert)?"
        )
    return f"TLS error: {text}"


def _is_tls_eof(exc: BaseException, text: str) -> bool:
    """The peer closed the TLS connection without an alert (``SSLEOFError``, OpenSSL 3's unexpected EOF)."""
    if any(isinstance(cause, ssl.SSLEOFError) for cause in _chain(exc)):
        return True
    return "EOF occurred in violation of protocol" in text or "UNEXPECTED_EOF" in text


def _alert(text: str) -> str:
    """``tlsv1 alert unknown ca`` from ``[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca (_ssl.c:1)``."""
    return text.partition("] ")[2].split(" (_ssl")[0].strip() if "] " in text else ""


def _last_words(exc: BaseException) -> str:
    """The innermost message of an exception chain, without urllib3's object reprs."""
    deepest = exc
    for cause in _chain(exc):
        deepest = cause
    text = str(deepest) or type(deepest).__name__
    return text.split(": ", 1)[-1] if text.startswith("<") else text
