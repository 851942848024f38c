"""Replay of collections that try to do more than send their request: framing headers, secrets on
cross-host redirects, TLS verification turned off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from postman_gen.cli import main
from tests.servers import CaptureServer, Reply

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def _collection(tmp_path: Path, *items: dict[str, Any], **extra: Any) -> str:
    path = tmp_path / "c.postman_collection.json"
    path.write_text(json.dumps({"info": {"name": "c", "schema": SCHEMA}, "item": list(items), **extra}))
    return str(path)


def _item(name: str, url: str, headers: list[tuple[str, str]] = (), **request: Any) -> dict[str, Any]:
    header = [{"key": k, "value": v} for k, v in headers]
    return {"name": name, "request": {"method": "GET", "url": url, "header": header, **request}}


@pytest.fixture(scope="module")
def capture() -> Iterator[CaptureServer]:
    """One capture server for the module; ``requests`` of a test holds only that test's (autouse clear)."""
    with CaptureServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh(capture: CaptureServer) -> None:
    capture.clear()


# --------------------------------------------------------------------------- framing


@pytest.mark.parametrize(
    "headers",
    [
        [("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
        [("Transfer-Encoding", "chunked")],
        [("Content-Length", "5"), ("Content-Length", "40")],
        [("Content-Length", "3")],
    ],
    ids=["cl-and-te", "te", "two-lengths", "wrong-length"],
)
def test_framing_headers_that_would_desync_are_refused(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path, headers: list[tuple[str, str]]
) -> None:
    body = {"mode": "raw", "raw": "hello"}
    file = _collection(tmp_path, _item("smuggle", "{{u}}/anything", headers, method="POST", body=body))
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 2, err
    assert "misread where this request ends" in err
    assert capture.requests == []


def test_a_content_length_equal_to_the_body_is_sent(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    headers = [("Content-Length", "5"), ("content-length", "5")]
    body = {"mode": "raw", "raw": "hello"}
    file = _collection(tmp_path, _item("fine", "{{u}}/anything", headers, method="POST", body=body))
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 0, err
    assert capture.requests[0].body == b"hello"


# --------------------------------------------------------------------------- redirects


def test_a_cross_host_redirect_drops_every_secret_header(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    other = capture.url.replace("127.0.0.1", "localhost") + "/anything/landed"
    headers = [("X-Session-Token", "s3ss10n"), ("X-Trace", "keep-me")]
    key = [{"key": "key", "value": "X-Api-Key"}, {"key": "value", "value": "k3y"}]
    auth = {"type": "apikey", "apikey": key}
    item = _item("hop", "{{u}}/redirect-to?url=" + quote(other, safe=""), headers, auth=auth)
    file = _collection(tmp_path, item)
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 0, err
    first, second = capture.requests
    assert first.header("X-Api-Key") == "k3y" and first.header("X-Session-Token") == "s3ss10n"
    assert second.path == "/anything/landed"
    assert second.header("X-Api-Key") is None and second.header("X-Session-Token") is None
    assert second.header("X-Trace") == "keep-me"


def test_a_same_host_redirect_keeps_them(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    item = _item("hop", "{{u}}/redirect-to?url=/anything/landed", [("X-Api-Key", "k3y")])
    file = _collection(tmp_path, item)
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 0, err
    assert capture.requests[1].header("X-Api-Key") == "k3y"


# --------------------------------------------------------------------------- strictSSL


def test_strict_ssl_false_is_warned_once_per_run(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    behavior = {"protocolProfileBehavior": {"strictSSL": False}}
    items = [{**_item(f"i{n}", "{{u}}/get"), **behavior} for n in range(3)]
    file = _collection(tmp_path, *items)
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 0, err
    assert err.count("strictSSL is false") == 1
    assert "i0: protocolProfileBehavior.strictSSL is false" in err
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "-k")
    assert "strictSSL" not in err


# --------------------------------------------------------------------------- --no-insecure-file-read


def _file_item(src: str) -> dict[str, Any]:
    return _item("upload", "{{u}}/anything", method="POST", body={"mode": "file", "file": {"src": src}})


@pytest.fixture
def secret_outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside.txt"
    outside.write_text("top secret")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "inside.txt").write_text("fine")
    (tmp_path / "work" / "link.txt").symlink_to(outside)
    return outside


@pytest.mark.parametrize("src", ["../outside.txt", "{outside}", "link.txt"])
def test_no_insecure_file_read_keeps_files_inside_the_working_dir(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path, secret_outside: Path, src: str
) -> None:
    file = _collection(tmp_path / "work", _file_item(src.format(outside=secret_outside)))
    args = ("run", file, "--var", f"u={capture.url}", "--no-insecure-file-read")
    status, _, err = run_cli(capsys, *args)
    assert status == 2, err
    assert "is outside the working directory" in err and "item[0].request.body" in err
    assert capture.requests == []
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 0, err
    assert capture.requests[0].body == b"top secret"


def test_files_inside_the_working_dir_are_read(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path, secret_outside: Path
) -> None:
    file = _collection(tmp_path / "work", _file_item("inside.txt"))
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "--no-insecure-file-read")
    assert status == 0, err
    assert capture.requests[0].body == b"fine"


@pytest.mark.slow
@pytest.mark.slow
def test_a_collection_from_stdin_reads_no_file_outside_by_default(
    capture: CaptureServer, tmp_path: Path, secret_outside: Path
) -> None:
    import subprocess
    import sys

    file = _collection(tmp_path / "work", _file_item(str(secret_outside)))
    command = [sys.executable, "-m", "postman_gen", "run", "-", "--no-proxy", "--var", f"u={capture.url}"]
    command += ["--working-dir", str(tmp_path / "work")]
    with open(file, "rb") as stdin:
        done = subprocess.run(command, stdin=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "outside the working directory" in done.stderr
    with open(file, "rb") as stdin:
        done = subprocess.run(command + ["--insecure-file-read"], stdin=stdin, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_collection_from_a_url_reads_no_file_outside_by_default(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path, secret_outside: Path
) -> None:
    doc = json.loads(Path(_collection(tmp_path / "work", _file_item(str(secret_outside)))).read_text())
    capture.reply = Reply(200, json.dumps(doc).encode(), (("Content-Type", "application/json"),))
    try:
        status, _, err = run_cli(capsys, "run", f"{capture.url}/c.json", "--var", f"u={capture.url}")
    finally:
        capture.reply = Reply()
    assert status == 2, err
    assert "outside the working directory" in err
    assert [r.path for r in capture.requests] == ["/c.json"]  # the download, nothing else
