"""``run -v`` shows each request as actually sent (the client's own headers too) for runs of any size, with
where the time went (DNS, connect, TLS, first byte, download), which the JSON and HTML reports carry too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from postman_gen.cli import main
from postman_gen.devserver.echo import EchoServer

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
TIMING_KEYS = {"total_ms", "dns_ms", "connect_ms", "tls_ms", "first_byte_ms", "download_ms"}


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    with EchoServer(tls=True) as server:
        server.start()
        yield server.url


@pytest.fixture
def collection(tmp_path: Path) -> str:
    bearer = {"type": "bearer", "bearer": [{"key": "token", "value": "a-long-secret-token"}]}
    items = [
        {"name": "a", "request": {"method": "GET", "url": "{{u}}/a", "auth": bearer}},
        {"name": "b", "request": {"method": "POST", "url": "{{u}}/b", "body": {"mode": "raw", "raw": "x"}}},
    ]
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"info": {"name": "v", "schema": SCHEMA}, "item": items}))
    return str(path)


def test_verbose_multi_request_run_shows_what_was_sent_and_the_timing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str, collection: str
) -> None:
    report, html = tmp_path / "r.json", tmp_path / "r.html"
    args = ("run", collection, "--var", f"u={echo}", "-k", "-v", "--reporter-json-export", str(report))
    status, out, err = run_cli(capsys, *args, "--reporter-html-export", str(html))
    assert status == 0, err
    block = out.split("[2/2]")[0]
    for line in ("    > GET ", "    > Authorization: Bearer ****", "    > User-Agent: python-requests/"):
        assert line in block, block
    assert "    > Accept-Encoding: " in block and "    > Connection: keep-alive" in block
    assert "    < HTTP/1.1 200 OK" in block and "a-long-secret-token" not in out
    assert block.count("    timing: dns ") == 1 and " · tls " in block and " · first byte " in block
    executions = json.loads(report.read_text())["executions"]
    for e in executions:
        assert set(e["timings"]) == TIMING_KEYS and all(v >= 0 for v in e["timings"].values())
    assert executions[0]["timings"]["tls_ms"] > 0 and executions[1]["timings"]["tls_ms"] == 0  # reused
    page = html.read_text(encoding="utf-8")
    assert page.count("first byte") == len(executions) and "dns " in page  # the HTML report carries it too
    assert ["User-Agent", "python-requests"] == [
        e
        for e in ([n, v.split("/")[0]] for n, v in executions[0]["request"]["headers"])
        if e[0] == "User-Agent"
    ][0]


def test_verbose_single_request_shows_client_headers_and_timing(
    capsys: pytest.CaptureFixture[str], echo: str, collection: str
) -> None:
    status, out, _ = run_cli(capsys, "run", collection, "--var", f"u={echo}", "-k", "-v", "-i", "b")
    assert status == 0
    head = out.split("\n\n", 1)[0]
    assert head.startswith("POST /b HTTP/1.1\nHost: ") and "\nUser-Agent: python-requests/" in head
    assert "\nContent-Length: 1" in head
    assert "\n# timing: dns " in out
