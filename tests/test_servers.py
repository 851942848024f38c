"""The echo server, self-signed TLS and the tests' capture server, exercised with real loopback traffic."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import ssl
import stat
import subprocess
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import requests
from cryptography import x509
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.auth import HTTPDigestAuth
from urllib3 import encode_multipart_formdata

from postman_gen.devserver.echo import EchoServer, describe_request
from postman_gen.devserver.tls import make_self_signed
from postman_gen.errors import UsageError
from tests.servers import CaptureServer, Reply, digest_response, free_port, parse_auth_params, refused_port

TIMEOUT = 10


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoServer]:
    with EchoServer() as server:
        yield server


@pytest.fixture()
def capture() -> Iterator[CaptureServer]:
    with CaptureServer() as server:
        yield server


@pytest.fixture()
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        s.trust_env = False  # never route loopback traffic through a proxy from the environment
        yield s


def read_response(reader: socket.SocketIO | object) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read one Content-Length framed response from a socket file (what both servers send)."""
    status_line = reader.readline()  # type: ignore[attr-defined]
    headers: list[tuple[str, str]] = []
    while True:
        line = reader.readline()  # type: ignore[attr-defined]
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name, value.strip()))
    length = int(next((v for k, v in headers if k.lower() == "content-length"), "0"))
    return int(status_line.split()[1]), headers, reader.read(length)  # type: ignore[attr-defined]


def raw_exchange(port: int, data: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send ``data`` on a fresh raw socket and read one response."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(data)
        return read_response(sock.makefile("rb"))


# --------------------------------------------------------------------------- echo: methods and targets


@pytest.mark.parametrize(
    "method",
    ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "PURGE", "LINK", "UNLINK", "X-CUSTOM"],
)
def test_echo_answers_any_method_with_raw_path(
    echo: EchoServer, session: requests.Session, method: str
) -> None:
    response = session.request(
        method, f"{echo.url}/a%20b/%2F/c?x=1&y=%20z&flag", data=b"payload", timeout=TIMEOUT
    )
    assert response.status_code == 200
    seen = response.json()
    assert seen["method"] == method
    assert seen["path"] == "/a%20b/%2F/c"
    assert seen["query"] == "x=1&y=%20z&flag"
    assert seen["args"] == [["x", "1"], ["y", " z"], ["flag", ""]]
    assert seen["url"] == f"{echo.url}/a%20b/%2F/c?x=1&y=%20z&flag"
    assert seen["body"] == "payload"
    assert seen["body_size"] == 7


def test_echo_head_sends_headers_only(echo: EchoServer, session: requests.Session) -> None:
    response = session.head(f"{echo.url}/head", timeout=TIMEOUT)
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) > 0
    assert response.content == b""
    assert session.get(f"{echo.url}/after-head", timeout=TIMEOUT).json()["path"] == "/after-head"


def test_echo_keeps_duplicate_headers_in_order(echo: EchoServer) -> None:
    request = (
        b"GET /dup HTTP/1.1\r\nHost: h\r\nX-Dup: one\r\nx-other: 1\r\nX-DUP: two\r\nConnection: close\r\n\r\n"
    )
    status, headers, body = raw_exchange(echo.port, request)
    assert status == 200
    assert ("Connection", "close") in headers
    seen = json.loads(body)
    assert seen["headers"] == [
        ["Host", "h"],
        ["X-Dup", "one"],
        ["x-other", "1"],
        ["X-DUP", "two"],
        ["Connection", "close"],
    ]
    assert seen["url"] == "http://h/dup"


def test_echo_reads_chunked_bodies(echo: EchoServer, session: requests.Session) -> None:
    response = session.post(f"{echo.url}/chunked", data=iter([b"abc", b"", b"def", b"\xff"]), timeout=TIMEOUT)
    seen = response.json()
    assert ["Transfer-Encoding", "chunked"] in seen["headers"]
    assert seen["body"] is None
    assert base64.b64decode(seen["body_base64"]) == b"abcdef\xff"


def test_echo_reads_chunk_extensions_and_trailers(echo: EchoServer) -> None:
    request = (
        b"POST /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4;name=value\r\nWiki\r\nA\r\npedia in 1\r\n0\r\nX-Trailer: yes\r\n\r\n"
    )
    _, _, body = raw_exchange(echo.port, request)
    assert json.loads(body)["body"] == "Wikipedia in 1"


def test_echo_keeps_connections_alive_and_honours_close(echo: EchoServer) -> None:
    with socket.create_connection(("127.0.0.1", echo.port), timeout=TIMEOUT) as sock:
        reader = sock.makefile("rb")
        for index in range(3):
            sock.sendall(f"GET /k{index} HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n{index}".encode())
            status, headers, body = read_response(reader)
            assert (status, json.loads(body)["body"]) == (200, str(index))
            assert ("Connection", "keep-alive") in headers
        sock.sendall(b"GET /last HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        assert read_response(reader)[0] == 200
        assert reader.read() == b""  # the server closed


def test_echo_sends_100_continue(echo: EchoServer) -> None:
    with socket.create_connection(("127.0.0.1", echo.port), timeout=TIMEOUT) as sock:
        reader = sock.makefile("rb")
        sock.sendall(b"PUT /c HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        assert reader.readline() == b"HTTP/1.1 100 Continue\r\n"
        assert reader.readline() == b"\r\n"
        sock.sendall(b"ok")
        assert json.loads(read_response(reader)[2])["body"] == "ok"


def test_echo_rejects_malformed_requests(echo: EchoServer) -> None:
    assert raw_exchange(echo.port, b"NONSENSE\r\n\r\n")[0] == 400
    assert raw_exchange(echo.port, b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n")[0] == 400
    assert raw_exchange(echo.port, b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n")[0] == 400
    assert raw_exchange(echo.port, b"GET / HTTP/2.0\r\n\r\n")[0] == 505


# --------------------------------------------------------------------------- echo: bodies


def test_echo_describes_multipart(echo: EchoServer, session: requests.Session) -> None:
    files = {"doc": ("r\u00e9sum\u00e9.txt", b"hello", "text/plain"), "bin": ("b.bin", b"\x00\xff", "app/x")}
    response = session.post(
        f"{echo.url}/upload", data={"k": "v", "k2": "\u00e9"}, files=files, timeout=TIMEOUT
    )
    seen = response.json()
    assert seen["form"] == [["k", "v"], ["k2", "\u00e9"]]
    by_name = {part["name"]: part for part in seen["parts"]}
    assert by_name["doc"]["filename"] == "r\u00e9sum\u00e9.txt"
    assert by_name["doc"]["content_type"] == "text/plain"
    assert (by_name["doc"]["value"], by_name["doc"]["size"]) == ("hello", 5)
    assert by_name["bin"]["value"] is None
    assert base64.b64decode(by_name["bin"]["value_base64"]) == b"\x00\xff"
    assert [part["name"] for part in seen["files"]] == ["doc", "bin"]


def test_echo_describes_urlencoded_and_json(echo: EchoServer, session: requests.Session) -> None:
    form = session.post(f"{echo.url}/f", data=[("a", "1"), ("a", "2 3"), ("b", "&=")], timeout=TIMEOUT).json()
    assert form["form"] == [["a", "1"], ["a", "2 3"], ["b", "&="]]
    assert form["json"] is None
    payload = {"x": [1, 2.5, None, "\u2603"]}
    sent = session.post(f"{echo.url}/j", json=payload, timeout=TIMEOUT).json()
    assert sent["json"] == payload
    assert sent["form"] is None and sent["parts"] is None


def test_describe_request_is_pure_and_handles_absolute_targets() -> None:
    seen = describe_request("GET", "http://example.test:8080/p/q?z=1", [("Host", "example.test:8080")], b"")
    assert (seen["path"], seen["query"], seen["url"]) == ("/p/q", "z=1", "http://example.test:8080/p/q?z=1")
    assert describe_request("GET", "/x", [], b"NaN")["json"] is None
    star = describe_request("OPTIONS", "*", [("Host", "h")], b"", scheme="https")
    assert (star["path"], star["url"]) == ("*", "https://h")


@given(st.binary(max_size=200))
def test_describe_request_body_round_trips(body: bytes) -> None:
    seen = describe_request("POST", "/", [], body)
    text, encoded = seen["body"], seen["body_base64"]
    assert (text.encode("utf-8") if text is not None else base64.b64decode(str(encoded))) == body
    assert seen["body_size"] == len(body)
    json.dumps(seen)  # always serialisable


@given(st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), max_size=8))
def test_describe_request_form_round_trips(pairs: list[tuple[str, str]]) -> None:
    headers = [("Content-Type", "application/x-www-form-urlencoded")]
    seen = describe_request("POST", "/", headers, urlencode(pairs).encode())
    assert seen["form"] == [[k, v] for k, v in pairs]


@settings(max_examples=50)
@given(st.lists(st.tuples(st.text("abc_", min_size=1, max_size=5), st.binary(max_size=40)), max_size=5))
def test_describe_request_multipart_round_trips(fields: list[tuple[str, bytes]]) -> None:
    body, content_type = encode_multipart_formdata([(name, ("f.bin", value)) for name, value in fields])
    seen = describe_request("POST", "/", [("Content-Type", content_type)], body)
    parts = seen["parts"]
    assert isinstance(parts, list)
    decoded = [
        (p["name"], p["value"].encode() if p["value"] is not None else base64.b64decode(p["value_base64"]))
        for p in parts
    ]
    assert decoded == fields


# --------------------------------------------------------------------------- echo: lifecycle and TLS


def test_echo_logs_only_through_the_callback() -> None:
    lines: list[str] = []
    with EchoServer(log=lines.append) as server:
        requests.get(f"{server.url}/logged?q=1", timeout=TIMEOUT)
    assert lines == ['127.0.0.1 "GET /logged?q=1 HTTP/1.1" 200 ' + lines[0].rsplit(" ", 1)[1]]


def test_echo_shutdown_closes_idle_keep_alive_connections(session: requests.Session) -> None:
    server = EchoServer().start()
    assert session.get(f"{server.url}/", timeout=TIMEOUT).status_code == 200
    server.shutdown()
    server.shutdown()  # idempotent
    with pytest.raises(requests.ConnectionError):
        session.get(f"{server.url}/", timeout=TIMEOUT)


def test_echo_port_in_use_is_a_usage_error(echo: EchoServer) -> None:
    with pytest.raises(UsageError, match="cannot listen"):
        EchoServer(port=echo.port)


def test_tls_echo_is_trusted_with_its_ca_file() -> None:
    with EchoServer(tls=True) as server:
        assert server.url.startswith("https://127.0.0.1:")
        assert server.ca_file is not None
        for url in (server.url, server.url.replace("127.0.0.1", "localhost")):
            seen = requests.post(f"{url}/secure", data=b"x", verify=server.ca_file, timeout=TIMEOUT).json()
            assert seen["url"] == f"{url}/secure" and seen["body"] == "x"
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(server.url, timeout=TIMEOUT)  # not trusted by default
        ca_file = server.ca_file
    assert not (ca_file and os.path.exists(ca_file))  # removed on shutdown


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_tls_echo_is_trusted_by_curl() -> None:
    with EchoServer(tls=True) as server:
        assert server.ca_file is not None
        for url in (server.url, server.url.replace("127.0.0.1", "localhost")):
            done = subprocess.run(
                ["curl", "-sS", "--noproxy", "*", "--cacert", server.ca_file, f"{url}/c"],
                capture_output=True,
                timeout=30,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["path"] == "/c"


def test_make_self_signed_writes_san_entries_and_private_key(tmp_path: object) -> None:
    cert_path, key_path = make_self_signed(str(tmp_path), ("localhost", "127.0.0.1", "::1", "api.test"))
    with open(cert_path, "rb") as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost", "api.test"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1"]
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    context = ssl.create_default_context(cafile=cert_path)  # loads as a trust anchor
    assert context.cert_store_stats()["x509_ca"] == 1


# --------------------------------------------------------------------------- capture server


def test_capture_records_exact_raw_bytes(capture: CaptureServer) -> None:
    request = (
        b"POST /p%2Fq?a=%20&a=2 HTTP/1.1\r\nHost: any\r\nX-Dup: 1\r\ncontent-TYPE: text/plain\r\n"
        b"X-Dup:   2  \r\nContent-Length: 5\r\n\r\nh\xe9llo"
    )
    status, _, body = raw_exchange(capture.port, request)
    assert (status, json.loads(body)) == (200, {"ok": True})
    (seen,) = capture.wait_for(1)
    assert seen.raw == request
    assert (seen.method, seen.target, seen.version) == ("POST", "/p%2Fq?a=%20&a=2", "HTTP/1.1")
    assert seen.headers == [
        ("Host", "any"),
        ("X-Dup", "1"),
        ("content-TYPE", "text/plain"),
        ("X-Dup", "2"),
        ("Content-Length", "5"),
    ]
    assert seen.header_values("x-dup") == ["1", "2"]
    assert seen.body == b"h\xe9llo"
    assert (seen.path, seen.query) == ("/p%2Fq", "a=%20&a=2")


def test_capture_decodes_chunked_and_keeps_framing_in_raw(capture: CaptureServer) -> None:
    request = (
        b"PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: v\r\n\r\n"
    )
    assert raw_exchange(capture.port, request)[0] == 200
    (seen,) = capture.wait_for(1)
    assert (seen.body, seen.raw, seen.trailers) == (b"abcde", request, [("T", "v")])


def test_capture_records_malformed_requests(capture: CaptureServer) -> None:
    assert raw_exchange(capture.port, b"GET / HTTP/1.1\r\nBad header\r\n\r\n")[0] == 400
    (seen,) = capture.wait_for(1)
    assert seen.raw == b"GET / HTTP/1.1\r\nBad header\r\n" and "malformed header" in seen.error


def test_capture_keep_alive_clear_and_wait_timeout(capture: CaptureServer, session: requests.Session) -> None:
    for _ in range(3):
        session.get(f"{capture.url}/get", timeout=TIMEOUT)
    assert len({seen.connection for seen in capture.wait_for(3)}) == 1
    capture.clear()
    assert capture.requests == []
    with pytest.raises(TimeoutError, match="0 of 1"):
        capture.wait_for(1, timeout=0.1)


def test_capture_reply_is_configurable(capture: CaptureServer, session: requests.Session) -> None:
    capture.reply = Reply(418, b"teapot", (("Content-Type", "text/plain"), ("X-A", "1")))
    response = session.get(f"{capture.url}/anything-else-not", timeout=TIMEOUT)
    assert (response.status_code, response.text, response.headers["X-A"]) == (418, "teapot", "1")


@pytest.mark.parametrize("code", [200, 201, 204, 400, 404, 500, 503])
def test_capture_status(capture: CaptureServer, session: requests.Session, code: int) -> None:
    assert session.get(f"{capture.url}/status/{code}", timeout=TIMEOUT).status_code == code


def test_capture_redirect_chain_is_recorded(capture: CaptureServer, session: requests.Session) -> None:
    response = session.get(f"{capture.url}/redirect/3", timeout=TIMEOUT)
    assert [r.status_code for r in response.history] == [302, 302, 302]
    assert response.history[0].headers["Location"] == "/redirect/2"
    assert response.url == f"{capture.url}/get"
    assert [seen.target for seen in capture.wait_for(4)] == [
        "/redirect/3",
        "/redirect/2",
        "/redirect/1",
        "/get",
    ]
    not_followed = session.get(f"{capture.url}/redirect/2", allow_redirects=False, timeout=TIMEOUT)
    assert not_followed.status_code == 302


def test_capture_redirect_to(capture: CaptureServer, session: requests.Session) -> None:
    target = f"{capture.url}/get?from=redirect"
    query = urlencode({"url": target, "status_code": "307"})
    response = session.post(f"{capture.url}/redirect-to?{query}", data=b"keep", timeout=TIMEOUT)
    assert response.history[0].status_code == 307 and response.url == target
    assert capture.wait_for(2)[1].body == b"keep"  # 307 keeps method and body


def test_capture_cookies(capture: CaptureServer, session: requests.Session) -> None:
    set_response = session.get(f"{capture.url}/cookies/set?a=1&b=two", timeout=TIMEOUT)
    assert set_response.status_code == 200
    assert session.cookies.get_dict() == {"a": "1", "b": "two"}
    echoed = session.get(f"{capture.url}/cookies", timeout=TIMEOUT).json()
    assert echoed["cookies"] == {"a": "1", "b": "two"}
    assert capture.wait_for(2)[1].header("Cookie") == echoed["cookie"]


def test_capture_delay(capture: CaptureServer, session: requests.Session) -> None:
    started = time.monotonic()
    assert session.get(f"{capture.url}/delay/300", timeout=TIMEOUT).json() == {"delay_ms": 300}
    assert time.monotonic() - started >= 0.3
    with pytest.raises(requests.Timeout):
        session.get(f"{capture.url}/delay/2000", timeout=0.2)


def test_capture_reset(capture: CaptureServer, session: requests.Session) -> None:
    with pytest.raises(requests.ConnectionError):
        session.get(f"{capture.url}/reset", timeout=TIMEOUT)
    with socket.create_connection(("127.0.0.1", capture.port), timeout=TIMEOUT) as sock:
        sock.sendall(b"GET /reset HTTP/1.1\r\nHost: h\r\n\r\n")
        received = b""
        with pytest.raises(ConnectionResetError):
            while chunk := sock.recv(1024):
                received += chunk
    assert received in (b"", b"HTTP/1.1 200 OK\r\nContent-Type: appl")
    assert len(capture.wait_for(2)) == 2


@pytest.mark.parametrize("algorithm", ["MD5", "MD5-sess", "SHA-256"])
def test_capture_digest_auth(capture: CaptureServer, session: requests.Session, algorithm: str) -> None:
    url = f"{capture.url}/digest-auth/user/p%40ss/{algorithm}?q=1"
    good = session.get(url, auth=HTTPDigestAuth("user", "p@ss"), timeout=TIMEOUT)
    assert (good.status_code, good.json()) == (200, {"authenticated": True, "user": "user"})
    challenge, answer = capture.wait_for(2)
    assert challenge.header("Authorization") is None
    assert answer.header("Authorization").startswith("Digest ")  # type: ignore[union-attr]
    bad = session.get(url, auth=HTTPDigestAuth("user", "wrong"), timeout=TIMEOUT)
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"].startswith('Digest realm="capture@postman-gen", qop="auth"')


def test_digest_response_matches_rfc_7616_example() -> None:
    """RFC 7616 §3.9.1: Mufasa / Circle of Life, MD5 and SHA-256."""
    params = {
        "username": "Mufasa",
        "realm": "http-auth@example.org",
        "uri": "/dir/index.html",
        "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
        "nc": "00000001",
        "cnonce": "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
        "qop": "auth",
    }
    assert digest_response(params, "GET", "Circle of Life") == "8ca523f5e9506fed4657c9700eebdbec"
    assert (
        digest_response(params, "GET", "Circle of Life", "SHA-256")
        == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
    )
    assert parse_auth_params('a="x\\"y", b=2') == {"a": 'x"y', "b": "2"}


def test_capture_bytes_and_anything(capture: CaptureServer, session: requests.Session) -> None:
    first = session.get(f"{capture.url}/bytes/1000", timeout=TIMEOUT)
    assert len(first.content) == 1000 and first.content == session.get(f"{capture.url}/bytes/1000").content
    seen = session.patch(f"{capture.url}/anything/x?y=1", data=b"z", timeout=TIMEOUT).json()
    assert (seen["method"], seen["path"], seen["args"], seen["body"]) == (
        "PATCH",
        "/anything/x",
        [["y", "1"]],
        "z",
    )


def test_capture_tls(session: requests.Session) -> None:
    with CaptureServer(tls=True) as server:
        assert server.ca_file is not None
        response = session.get(f"{server.url}/get", verify=server.ca_file, timeout=TIMEOUT)
        assert response.json() == {"ok": True}
        assert server.wait_for(1)[0].target == "/get"


# --------------------------------------------------------------------------- ports


def test_free_port_can_be_bound() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", free_port()))


def test_refused_port_refuses(session: requests.Session) -> None:
    port = refused_port()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT).close()
    with pytest.raises(requests.ConnectionError):
        session.get(f"http://127.0.0.1:{port}/", timeout=TIMEOUT)


def test_the_bench_recorder_records_what_was_sent_and_follows_like_httpbin() -> None:
    import requests

    from bench.recorder import Recorder

    with Recorder() as server:
        reply = requests.post(
            f"{server.url}/redirect-to?url=/x", data=b"hi", headers={"X-A": "1"}, timeout=10
        )
        first, second = server.requests
    assert reply.status_code == 200 and (first.method, first.body, first.header("x-a")) == (
        "POST",
        b"hi",
        "1",
    )
    assert (second.method, second.target) == ("GET", "/x")
