"""Odd but valid JSON in a collection ends in one located line and exit 2, never an internal error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from postman_gen.cli import main

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    return int(exc.value.code or 0), capsys.readouterr().err


def _write(tmp_path: Path, request: Any) -> str:
    path = tmp_path / "c.json"
    doc = {"info": {"name": "c", "schema": SCHEMA}, "item": [{"name": "a", "request": request}]}
    path.write_text(json.dumps(doc))  # json.dumps writes a lone surrogate as the escape "\ud800"
    return str(path)


COMMANDS = [
    ("show",),
    ("run", "--no-proxy"),
    ("render", "-t", "curl"),
    ("render", "-t", "httpie", "--vars", "env"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize(
    ("request_", "where"),
    [
        ({"method": "GET", "url": "http://127.0.0.1:9/\ud800"}, "item[0].request.url"),
        (
            {
                "method": "GET",
                "url": "http://127.0.0.1:9/",
                "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "a\udc00"}]},
            },
            "item[0].request.auth.bearer[0].value",
        ),
        (
            {"method": "GET", "url": "http://127.0.0.1:9/", "header": [{"key": "X", "value": "\ud83d"}]},
            "item[0].request.header[0].value",
        ),
    ],
    ids=["url", "token", "header"],
)
def test_a_lone_surrogate_is_refused_with_its_location(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, request_: Any, where: str, command: tuple[str, ...]
) -> None:
    file = _write(tmp_path, request_)
    status, err = _cli(capsys, command[0], file, *command[1:])
    assert status == 2, err
    assert f"c.json: {where}: a string holds a lone UTF-16 surrogate" in err
    assert "internal error" not in err


def test_a_surrogate_pair_written_as_escapes_is_fine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = _write(tmp_path, {"method": "GET", "url": "http://127.0.0.1:9/\U0001f600"})
    text = Path(file).read_text()
    assert "\\ud83d\\ude00" in text
    status, err = _cli(capsys, "show", file)
    assert status == 0, err


@pytest.mark.needs_extra("auth", "requests_aws4auth")
def test_aws_keys_that_cannot_go_in_a_header(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    params = {"accessKey": "ключ", "secretKey": "秘密", "region": "us-east-1", "service": "s3"}
    auth = {"type": "awsv4", "awsv4": [{"key": k, "value": v} for k, v in params.items()]}
    file = _write(tmp_path, {"method": "GET", "url": "http://127.0.0.1:9/", "auth": auth})
    status, err = _cli(capsys, "run", file, "--no-proxy")
    assert status == 2, err
    assert "awsv4: accessKey holds characters other than ASCII" in err


@pytest.mark.parametrize(
    "request_", [{"method": "GET"}, {"method": "GET", "url": ""}], ids=["missing", "empty"]
)
def test_an_item_without_url(capsys: pytest.CaptureFixture[str], tmp_path: Path, request_: Any) -> None:
    file = _write(tmp_path, request_)
    status, err = _cli(capsys, "run", file, "--no-proxy")
    assert status == 2, err
    assert "item[0].request.url: the URL has no host" in err
    status, err = _cli(capsys, "show", file)
    assert status == 0 and "item[0].request.url: the URL has no host" in err  # a warning: nothing is sent


def test_a_host_no_client_can_parse_is_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Through a proxy (the tests' environment names one) urllib3 parses the absolute URL itself."""
    file = _write(tmp_path, {"method": "GET", "url": "http://%/x"})
    status, err = _cli(capsys, "run", file)
    assert status == 2, err
    assert "not a valid URL" in err and "internal error" not in err
