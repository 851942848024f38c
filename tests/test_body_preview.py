"""One body preview: a masked form field reads the same in ``show``, ``run -v`` and every report."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from postman_gen.cli import main
from postman_gen.resolution.request import FormBody, RawBody, ResolvedRequest
from postman_gen.views.preview import body_preview
from tests.servers import CaptureServer

SECRET = "hunter22-secret"
MASKED = "user=ann&password=****&note=a%20b"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def _collection(tmp_path: Path, url: str) -> str:
    fields = [
        {"key": "user", "value": "ann"},
        {"key": "password", "value": SECRET},
        {"key": "note", "value": "a b"},
    ]
    doc = {
        "info": {"name": "form", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/"},
        "item": [
            {
                "name": "login",
                "request": {
                    "method": "POST",
                    "url": f"{url}/login",
                    "body": {"mode": "urlencoded", "urlencoded": fields},
                },
            }
        ],
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_masked_form_field_reads_the_same_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with CaptureServer() as server:
        file = _collection(tmp_path, server.url)
        status, shown, _ = _cli(capsys, "show", file)
        assert status == 0
        reports = {name: tmp_path / f"r.{name}" for name in ("json", "junit", "html")}
        status, verbose, err = _cli(
            capsys,
            "run",
            file,
            "-v",
            "-r",
            "cli,json,junit,html",
            *(arg for name, path in reports.items() for arg in (f"--reporter-{name}-export", str(path))),
        )
        assert status == 0, err
        [sent] = server.requests
    assert sent.body.decode() == f"user=ann&password={SECRET}&note=a%20b"  # the wire has the real value
    texts = {"show": shown, "-v": verbose} | {name: path.read_text() for name, path in reports.items()}
    for name, text in texts.items():
        assert SECRET not in text, name
        assert "%2A%2A%2A%2A" not in text, name
    for name in ("show", "-v"):
        assert MASKED in texts[name], name
    assert MASKED in html.unescape(texts["html"])  # JUnit keeps no bodies, only the request line
    [execution] = json.loads(texts["json"])["executions"]
    assert execution["request"]["body"] == MASKED


def _request(body: object) -> ResolvedRequest:
    return ResolvedRequest(path=("t",), method="POST", url="http://127.0.0.1/x", headers=(), body=body)  # type: ignore[arg-type]


def test_a_long_body_is_cut_with_its_length_and_secrets_shown_on_request() -> None:
    assert (
        body_preview(_request(RawBody("abcdef")), show_secrets=False, limit=4)
        == "abcd\n[... 6 characters in all]"
    )
    form = FormBody((("token", "t0k3n"), ("a", "1")), "token=t0k3n&a=1")
    assert body_preview(_request(form), show_secrets=False, limit=100) == "token=****&a=1"
    assert body_preview(_request(form), show_secrets=True, limit=100) == "token=t0k3n&a=1"
