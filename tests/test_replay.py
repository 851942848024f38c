"""Replay against real servers on 127.0.0.1: what reached the server is exactly the resolved request."""

from __future__ import annotations

import gzip
import json
import os
import socketserver
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import postman_gen
from postman_gen.cli import main
from postman_gen.devserver.echo import read_head
from postman_gen.errors import SendError
from postman_gen.replay import Transport, TransportOptions
from postman_gen.replay.outcome import FailureKind
from postman_gen.replay.transport import RUN_LIMIT_REASON, Response
from postman_gen.resolution.request import (
    AuthInfo,
    Header,
    MultipartBody,
    MultipartPart,
    NoBody,
    RawBody,
    ResolvedRequest,
)
from tests.extras import item_params
from tests.servers import CaptureServer, Reply, refused_port
from tests.wire_compare import assert_sent_matches

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = ROOT / "collections"
LOCAL_ENV = str(COLLECTIONS / "local.postman_environment.json")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


ALL_ITEMS = item_params(COLLECTIONS / "features.postman_collection.json", with_file=True) + item_params(
    COLLECTIONS / "legacy-v2.0.postman_collection.json", with_file=True
)


@pytest.fixture(scope="module")
def capture() -> CaptureServer:
    with CaptureServer() as server:
        yield server


@pytest.mark.parametrize(("file", "item"), ALL_ITEMS)
def test_every_item_is_sent_as_resolved(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, file: str, item: str
) -> None:
    capture.clear()
    args = [file, "-e", LOCAL_ENV, "--var", f"base_url={capture.url}", "-i", item, "--seed", "7"]
    status, out, err = run_cli(capsys, "run", *args)
    assert status == 0, err
    assert out.startswith("200\n")
    values = postman_gen.Values(
        environment=postman_gen.load_variables(LOCAL_ENV), cli={"base_url": capture.url}
    )
    collection = postman_gen.load(file)
    [resolved] = postman_gen.resolve_all(collection, [item], values, postman_gen.ResolveOptions(seed=7))
    assert_sent_matches(capture.requests[0], resolved)


def _resolved(
    url: str, *headers: tuple[str, str], body: object = None, method: str = "POST"
) -> ResolvedRequest:
    return ResolvedRequest(
        path=("t",),
        method=method,
        url=url,
        headers=tuple(Header(k, v) for k, v in headers),
        body=body if body is not None else RawBody("x"),
    )


def test_duplicates_order_case_and_utf8_reach_the_wire(capture: CaptureServer) -> None:
    capture.clear()
    request = _resolved(
        capture.url + "/a%2fb/{raw}|?q=a%20b&e=&x",
        ("X-Dup", "1"),
        ("Other", "o"),
        ("x-dup", "2"),
        ("X-Utf8", "café ✓"),
        body=RawBody("é"),
    )
    with Transport() as transport:
        assert transport.send(request).status == 200
    captured = capture.requests[0]
    assert_sent_matches(captured, request)
    assert b"X-Dup: 1\r\nOther: o\r\nx-dup: 2\r\nX-Utf8: caf\xc3\xa9 \xe2\x9c\x93\r\n" in captured.raw
    assert captured.raw.startswith(b"POST /a%2fb/{raw}|?q=a%20b&e=&x HTTP/1.1\r\n")


def test_multipart_parts_keep_their_order(capture: CaptureServer, tmp_path: Path) -> None:
    capture.clear()
    data = tmp_path / "d.bin"
    data.write_bytes(bytes(range(256)))
    body = MultipartBody(
        (
            MultipartPart("first", value="1"),
            MultipartPart("file", file_path=str(data), filename="d.bin", content_type="application/x-thing"),
            MultipartPart("last", value="ü", content_type="text/plain"),
        )
    )
    request = _resolved(capture.url + "/m", ("Content-Type", "multipart/form-data"), body=body)
    with Transport() as transport:
        transport.send(request)
    captured = capture.requests[0]
    assert captured.header("Content-Type").startswith("multipart/form-data; boundary=")
    assert_sent_matches(
        captured,
        request,
        allowed_extra={"host", "user-agent", "accept", "accept-encoding", "connection", "content-length"},
    )


def _write_collection(tmp_path: Path, items: list[dict[str, object]], **extra: object) -> str:
    doc = {
        "info": {
            "name": "t",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
        **extra,
    }
    path = tmp_path / "c.postman_collection.json"
    path.write_text(json.dumps(doc))
    return str(path)


def _get(name: str, url: str, **extra: object) -> dict[str, object]:
    return {"name": name, "request": {"method": "GET", "url": url}, **extra}


def test_cookies_are_kept_across_requests_unless_disabled(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = [
        _get("set", "{{u}}/cookies/set?a=1&b=two"),
        _get("send", "{{u}}/cookies"),
        _get("no cookies", "{{u}}/cookies", protocolProfileBehavior={"disableCookies": True}),
    ]
    file = _write_collection(tmp_path, items)
    jar = tmp_path / "jar.json"
    with CaptureServer() as server:
        status, _, err = run_cli(
            capsys, "run", file, "--var", f"u={server.url}", "--export-cookie-jar", str(jar)
        )
        assert status == 0, err
        first, second, third = server.requests
    assert first.header("Cookie") is None
    assert second.header("Cookie") == "a=1; b=two"
    assert third.header("Cookie") is None
    exported = json.loads(jar.read_text())
    assert sorted(c["key"] for c in exported["cookies"]) == ["a", "b"]
    with CaptureServer() as server:  # the exported jar is read back
        run_cli(capsys, "run", file, "--var", f"u={server.url}", "-i", "send", "--cookie-jar", str(jar))
        assert server.requests[0].header("Cookie") == "a=1; b=two"


def test_redirects_follow_ignore_and_max(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    items = [_get("r", "{{u}}/redirect/3")]
    file = _write_collection(tmp_path, items)
    with CaptureServer() as server:
        status, out, _ = run_cli(capsys, "run", file, "--var", f"u={server.url}")
        assert status == 0 and out.startswith("200\n")
        assert [r.path for r in server.requests] == ["/redirect/3", "/redirect/2", "/redirect/1", "/get"]
        server.clear()
        status, out, _ = run_cli(capsys, "run", file, "--var", f"u={server.url}", "--ignore-redirects")
        assert status == 0 and out.startswith("302\n") and len(server.requests) == 1
    limited = _write_collection(
        tmp_path, [_get("r", "{{u}}/redirect/3", protocolProfileBehavior={"maxRedirects": 2})]
    )
    with CaptureServer() as server:
        status, _, err = run_cli(capsys, "run", limited, "--var", f"u={server.url}")
        assert status == 1
        assert "r: redirects:" in err


def test_request_timeout_fails_with_a_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    file = _write_collection(tmp_path, [_get("slow", "{{u}}/delay/3000")])
    with CaptureServer() as server:
        status, _, err = run_cli(capsys, "run", file, "--var", f"u={server.url}", "--timeout-request", "200")
    # The server answers after 3 s: a failed request that names the 200 ms limit proves the limit cut it
    # (no wall-clock assert: on a busy machine it measures the machine, not the limit).
    assert status == 1
    assert "slow: timeout: no response after 200 ms" in err
    assert "Traceback" not in err


def test_tls_needs_trust(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    file = _write_collection(tmp_path, [_get("tls", "{{u}}/anything")])
    with CaptureServer(tls=True) as server:
        assert server.ca_file
        status, _, err = run_cli(capsys, "run", file, "--var", f"u={server.url}")
        assert status == 1 and "tls: certificate verify failed" in err
        status, out, _ = run_cli(
            capsys, "run", file, "--var", f"u={server.url}", "--ssl-extra-ca-certs", server.ca_file
        )
        assert status == 0 and out.startswith("200\n")
        status, out, _ = run_cli(capsys, "run", file, "--var", f"u={server.url}", "-k")
        assert status == 0 and out.startswith("200\n")
    strict_off = _write_collection(
        tmp_path, [_get("tls", "{{u}}/anything", protocolProfileBehavior={"strictSSL": False})]
    )
    with CaptureServer(tls=True) as server:
        status, _, _ = run_cli(capsys, "run", strict_off, "--var", f"u={server.url}")
        assert status == 0


def test_digest_challenge_is_answered(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    auth = {
        "type": "digest",
        "digest": [{"key": "username", "value": "ada"}, {"key": "password", "value": "s3cret"}],
    }
    item = {"name": "d", "request": {"method": "GET", "url": "{{u}}/digest-auth/ada/s3cret", "auth": auth}}
    file = _write_collection(tmp_path, [item])
    with CaptureServer() as server:
        status, out, _ = run_cli(capsys, "run", file, "--var", f"u={server.url}")
        assert status == 0, out
        assert out.startswith("200\n") and '"authenticated": true' in out
        first, second = server.requests
        assert first.header("Authorization") is None
        assert second.header("Authorization").startswith("Digest ")


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_iteration_data(capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str) -> None:
    file = _write_collection(tmp_path, [_get("it", "{{u}}/it?name={{name}}&n={{n}}")])
    data = tmp_path / f"data.{kind}"
    if kind == "csv":
        data.write_bytes('\ufeffname,n\nada,007\n"bob","007"\n'.encode())
    else:
        data.write_text(json.dumps([{"name": "ada", "n": 7}, {"name": "bob", "n": "007"}]))
    with CaptureServer() as server:
        status, out, _ = run_cli(capsys, "run", file, "--var", f"u={server.url}", "-d", str(data))
        assert status == 0
        assert [r.target for r in server.requests] == ["/it?name=ada&n=7", "/it?name=bob&n=007"]
        assert "requests" in out
        server.clear()
        run_cli(capsys, "run", file, "--var", f"u={server.url}", "-d", str(data), "-n", "3")
        assert [r.target for r in server.requests][-1] == "/it?name=bob&n=007"


def test_failure_modes_statuses_and_reports(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    dead = refused_port()
    items = [
        _get("ok", "{{u}}/anything"),
        _get("refused", f"http://127.0.0.1:{dead}/x"),
        _get("slow", "{{u}}/delay/2000"),
        _get("reset", "{{u}}/reset"),
        _get("missing", "{{u}}/status/404"),
    ]
    file = _write_collection(tmp_path, items)
    reports = tmp_path / "reports"
    with CaptureServer() as server:
        status, out, err = run_cli(
            capsys,
            "run",
            file,
            "--var",
            f"u={server.url}",
            "--timeout-request",
            "300",
            "-r",
            "cli,json,junit,html",
            "--reporter-json-export",
            str(reports / "r.json"),
            "--reporter-junit-export",
            str(reports / "r.xml"),
            "--reporter-html-export",
            str(reports / "r.html"),
        )
    assert status == 1
    assert "Traceback" not in out + err
    assert "requests" in out and "failures:" in out
    report = json.loads((reports / "r.json").read_text())
    kinds = [e["failure"]["kind"] if e["failure"] else None for e in report["executions"]]
    assert kinds == [None, "refused", "timeout", "reset", None]
    assert report["executions"][4]["response"]["status"] == 404
    assert [f["kind"] for f in report["failures"]] == ["refused", "timeout", "reset"]
    assert report["summary"]["requests"] == 5 and report["summary"]["failed"] == 3
    suite = ET.parse(reports / "r.xml").getroot()
    cases = suite.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["ok", "refused", "slow", "reset", "missing"]
    assert [c.find("failure") is not None for c in cases] == [False, True, True, True, False]
    html = (reports / "r.html").read_text()
    assert html.index("Failures (3)") < html.index("Requests (5)")
    assert "<svg" in html and "refused" in html and "http://" not in html.split("<body>")[0]
    assert not [p for p in os.listdir(reports) if p.startswith(".~")]
    with CaptureServer() as server:
        status, _, _ = run_cli(
            capsys, "run", file, "--var", f"u={server.url}", "-i", "missing", "--fail-on-status"
        )
    assert status == 1


def test_bail_stops_but_reports(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    dead = refused_port()
    items = [_get("refused", f"http://127.0.0.1:{dead}/x"), _get("ok", "{{u}}/anything")]
    file = _write_collection(tmp_path, items)
    with CaptureServer() as server:
        status, out, _ = run_cli(
            capsys,
            "run",
            file,
            "--var",
            f"u={server.url}",
            "--bail",
            "--reporter-json-export",
            str(tmp_path / "r.json"),
        )
        assert server.requests == []
    assert status == 1
    assert "--bail" in out and "requests" in out
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["bailed"] is True


def test_auth0_item_against_tls_echo(capsys: pytest.CaptureFixture[str]) -> None:
    from postman_gen.devserver.echo import EchoServer

    with EchoServer(tls=True) as server:
        status, out, err = run_cli(
            capsys,
            "run",
            str(COLLECTIONS / "auth0-update-a-user.postman_item.json"),
            "-e",
            str(COLLECTIONS / "auth0.postman_environment.json"),
            "--var",
            f"auth0_domain=127.0.0.1:{server.port}",
            "--path-var",
            "id=42",
            "--ssl-extra-ca-certs",
            server.ca_file,
        )
    assert status == 0, err
    code, _, body = out.partition("\n")
    assert code == "200"
    echoed = json.loads(body)
    assert echoed["method"] == "PATCH"
    assert echoed["path"] == "/api/v2/users/42"
    assert echoed["json"]["blocked"] is True
    assert "example-token-not-a-secret" not in out  # the echoed token is masked too
    assert ["Authorization", "Bearer ****"] in echoed["headers"]


def test_dry_run_is_show(capsys: pytest.CaptureFixture[str]) -> None:
    file = str(COLLECTIONS / "legacy-v2.0.postman_collection.json")
    assert run_cli(capsys, "run", file, "--dry-run")[:2] == run_cli(capsys, "show", file)[:2]


def test_usage_and_input_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    file = str(COLLECTIONS / "legacy-v2.0.postman_collection.json")
    assert run_cli(capsys, "run", file, "-r", "nope")[0] == 2
    assert run_cli(capsys, "run", str(tmp_path / "missing.json"))[0] == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe")
    assert run_cli(capsys, "run", file, "-d", str(bad))[0] == 2
    strict = _write_collection(tmp_path, [_get("s", "http://127.0.0.1:1/{{nope}}")])
    status, _, err = run_cli(capsys, "run", strict, "--strict")
    assert status == 2 and "nope" in err


def test_transport_classifies_reset_and_refused(capture: CaptureServer) -> None:
    with Transport(TransportOptions()) as transport:
        with pytest.raises(SendError) as exc:
            transport.send(_resolved(capture.url + "/reset", method="GET"))
        assert exc.value.kind is FailureKind.RESET
        with pytest.raises(SendError) as exc:
            transport.send(_resolved(f"http://127.0.0.1:{refused_port()}/", method="GET"))
        assert exc.value.kind is FailureKind.REFUSED


@pytest.mark.slow
def test_echo_command_serves_until_interrupted() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "postman_gen", "echo", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.split()[4]
        with Transport() as transport:
            response = transport.send(_resolved(url + "/hello?x=1", method="GET"))
        assert json.loads(response.body)["target"] == "/hello?x=1"
    finally:
        proc.send_signal(2)
        assert proc.wait(10) == 0


@pytest.mark.slow
def test_ctrl_c_prints_the_summary_writes_reports_and_exits_130(tmp_path: Path) -> None:
    items = [_get("a", "{{u}}/delay/200"), _get("b", "{{u}}/delay/5000"), _get("c", "{{u}}/x")]
    file = _write_collection(tmp_path, items)
    report = tmp_path / "r.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with CaptureServer() as server:
        command = [
            sys.executable,
            "-m",
            "postman_gen",
            "run",
            file,
            "--var",
            f"u={server.url}",
            "--reporter-json-export",
            str(report),
        ]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        server.wait_for(2, timeout=10)
        proc.send_signal(2)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert "interrupted" in out and "requests" in out and "Traceback" not in err
    assert json.loads(report.read_text())["summary"]["interrupted"] is True


# ------------------------------------------------------------------------ sends under a deadline (--timeout)


class _ChunkedGzipHandler(socketserver.BaseRequestHandler):
    """Answers every request on the connection with a gzip body in 100-byte chunks (no Content-Length)."""

    def handle(self) -> None:
        rfile = self.request.makefile("rb")
        try:
            while read_head(rfile) is not None:
                data = gzip.compress(b"chunked and compressed " * 400)
                out = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                for i in range(0, len(data), 100):
                    piece = data[i : i + 100]
                    out += b"%x\r\n%s\r\n" % (len(piece), piece)
                self.request.sendall(out + b"0\r\n\r\n")
        except OSError:
            return
        finally:
            rfile.close()


class _ChunkedServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False


@pytest.fixture(scope="module")
def chunked_url() -> Iterator[str]:
    server = _ChunkedServer(("127.0.0.1", 0), _ChunkedGzipHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _comparable(response: Response) -> tuple[object, ...]:
    """Everything but the timing and the Date header (the server's clock)."""
    headers = tuple(h for h in response.headers if h[0].lower() != "date")
    return (response.status, response.reason, headers, response.body, response.wire_size, response.url) + (
        response.redirects,
        response.http_version,
    )


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/get", "GET"),
        ("/get", "HEAD"),
        ("/bytes/300000", "GET"),
        ("/redirect/3", "GET"),
        ("/status/204", "GET"),
        ("/status/302", "GET"),
        ("/cookies/set?a=1&b=two", "GET"),
        ("chunked", "GET"),
    ],
)
def test_a_send_under_a_deadline_receives_what_a_plain_send_receives(
    capture: CaptureServer, chunked_url: str, path: str, method: str
) -> None:
    """Streaming under a deadline changes nothing in the response: body, sizes, redirects, cookies."""
    url = f"{chunked_url}/c" if path == "chunked" else capture.url + path
    capture.reply = Reply(200, gzip.compress(b"x" * 10000), (("Content-Encoding", "gzip"),))
    try:
        with Transport() as plain, Transport() as timed:
            expected = plain.send(_resolved(url, method=method, body=NoBody()))
            got = timed.send(_resolved(url, method=method, body=NoBody()), deadline=time.monotonic() + 30)
            assert _comparable(got) == _comparable(expected)
            assert dict(timed.cookies) == dict(plain.cookies)
    finally:
        capture.reply = Reply()


def test_a_deadline_cuts_a_redirect_chain(capture: CaptureServer) -> None:
    """The first hop answers at once; the deadline passes while the second hop's server delays."""
    capture.clear()
    request = _resolved(capture.url + "/redirect-to?url=/delay/3000", method="GET", body=NoBody())
    with Transport() as transport:
        start = time.monotonic()
        with pytest.raises(SendError) as exc:
            transport.send(request, deadline=start + 0.4)
        # The second hop answers after 3 s: had the deadline not cut it, send would have returned it.
        assert (exc.value.kind, exc.value.message) == (FailureKind.TIMEOUT, RUN_LIMIT_REASON)
        assert [r.path for r in capture.requests] == ["/redirect-to", "/delay/3000"]
        after = transport.send(_resolved(capture.url + "/get", method="GET"), deadline=time.monotonic() + 5)
        assert after.status == 200  # the cut connection was closed; the next send gets a new one


def test_a_passed_deadline_sends_nothing(capture: CaptureServer) -> None:
    capture.clear()
    with Transport() as transport, pytest.raises(SendError) as exc:
        transport.send(_resolved(capture.url + "/get"), deadline=time.monotonic() - 1)
    assert exc.value.message == RUN_LIMIT_REASON and capture.requests == []


def test_the_request_limit_is_still_named_under_a_far_deadline(capture: CaptureServer) -> None:
    request = _resolved(capture.url + "/delay/3000", method="GET")
    with Transport(TransportOptions(timeout_ms=200)) as transport, pytest.raises(SendError) as exc:
        transport.send(request, deadline=time.monotonic() + 30)
    assert (exc.value.kind, exc.value.message) == (FailureKind.TIMEOUT, "no response after 200 ms")


def test_a_run_with_time_to_spare_reports_what_a_run_without_limit_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--timeout only bounds the run: statuses, sizes, redirects and cookies in the report stay the same."""
    items = [
        _get("set", "{{u}}/cookies/set?a=1"),
        _get("send", "{{u}}/cookies"),
        _get("redirects", "{{u}}/redirect/2"),
        _get("big", "{{u}}/bytes/200000"),
    ]
    file = _write_collection(tmp_path, items)
    reports = []
    with CaptureServer() as server:
        for name, extra in (("plain", ()), ("timed", ("--timeout", "30000"))):
            out = tmp_path / f"{name}.json"
            status, _, err = run_cli(
                capsys, "run", file, "--var", f"u={server.url}", "--reporter-json-export", str(out), *extra
            )
            assert status == 0, err
            reports.append(json.loads(out.read_text()))

    def sizes(report: dict[str, object]) -> list[tuple[object, ...]]:
        executions = report["executions"]
        assert isinstance(executions, list)
        return [
            (e["redirects"], e["response"]["status"], e["response"]["size"], e["response"]["body"])
            for e in executions
        ]

    assert sizes(reports[1]) == sizes(reports[0])
    assert '"a": "1"' in reports[1]["executions"][1]["response"]["body"]  # the cookie was sent back


@pytest.mark.parametrize(
    ("auth_type", "params", "expected"),
    [
        (
            "oauth1",
            (("consumerKey", "ck"), ("consumerSecret", "cs"), ("signatureMethod", "HMAC-SHA1")),
            ('oauth_timestamp="1453890475"', 'oauth_nonce="yly1UR"'),
        ),
        (
            "edgegrid",
            (("accessToken", "at"), ("clientToken", "ct"), ("clientSecret", "c2VjcmV0")),
            ("timestamp=1453890475;", "nonce=yly1UR;"),
        ),
    ],
)
def test_fixed_timestamp_and_nonce_make_a_deterministic_signature(
    capture: CaptureServer, auth_type: str, params: tuple[tuple[str, str], ...], expected: tuple[str, str]
) -> None:
    """Newman signs OAuth 1 and EdgeGrid with the collection's ``timestamp`` and ``nonce`` when given."""
    pytest.importorskip("oauthlib" if auth_type == "oauth1" else "akamai.edgegrid")
    fixed = (("timestamp", "1453890475"), ("nonce", "yly1UR"))
    request = replace(
        _resolved(capture.url + "/signed?x=1", ("Content-Type", "application/json"), body=RawBody("{}")),
        auth=AuthInfo(auth_type, params + fixed),
    )
    capture.clear()
    with Transport() as transport:
        transport.send(request)
        # (a fresh nonce alone would make the second signature differ)
        transport.send(request)
    first, second = (dict((k.lower(), v) for k, v in c.headers)["authorization"] for c in capture.requests)
    assert first == second
    assert all(part in first for part in expected), first
