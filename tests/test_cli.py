"""The command line as a user meets it: exit statuses, one-line errors, the issue's done-when command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import COLLECTIONS

AUTH0 = COLLECTIONS / "auth0-update-a-user.postman_item.json"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "postman_gen", *args],
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.slow
def test_show_auth0_done_when() -> None:
    result = run(
        "show",
        str(AUTH0),
        "--var",
        "auth0_domain=127.0.0.1:8080",
        "--var",
        "auth0_token=abc",
        "--path-var",
        "id=42",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "PATCH /api/v2/users/42 HTTP/1.1"
    assert "Host: 127.0.0.1:8080" in lines
    assert "Authorization: Bearer ****" in lines and "abc" not in result.stdout
    assert "Content-Type: application/json" in lines
    raw = json.loads(AUTH0.read_text())["request"]["body"]["raw"]
    binary = subprocess.run(
        [
            sys.executable,
            "-m",
            "postman_gen",
            "show",
            str(AUTH0),
            "--var",
            "auth0_domain=h",
            "--var",
            "auth0_token=abc",
        ],
        capture_output=True,
        timeout=60,
    )
    assert binary.stdout.endswith(b"\n\n" + raw.encode() + b"\n")  # the body byte for byte, CRLF kept


@pytest.mark.slow
def test_show_secrets_on_request() -> None:
    result = run("show", str(AUTH0), "--var", "auth0_domain=h", "--var", "auth0_token=abc", "--show-secrets")
    assert "Authorization: Bearer abc" in result.stdout


@pytest.mark.slow
def test_show_reads_stdin() -> None:
    result = run("show", "-", "--var", "auth0_domain=h", "--var", "auth0_token=abc", stdin=AUTH0.read_bytes())
    assert result.returncode == 0 and result.stdout.startswith("PATCH ")


@pytest.mark.slow
def test_list_json_and_tree() -> None:
    result = run("list", str(COLLECTIONS / "features.postman_collection.json"), "--json")
    tree = json.loads(result.stdout)
    assert tree["name"] == "postman-gen features" and tree["items"][0]["type"] == "folder"
    text = run("list", str(COLLECTIONS / "features.postman_collection.json")).stdout
    assert "Bodies/" in text and "POST" in text


@pytest.mark.slow
def test_select_by_folder_path_and_unknown_item() -> None:
    path = str(COLLECTIONS / "features.postman_collection.json")
    ok = run("show", path, "-i", "Auth/Nested", "-e", str(COLLECTIONS / "local.postman_environment.json"))
    assert ok.returncode == 0 and ok.stdout.count("### ") == 2
    bad = run("show", path, "-i", "Nope")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Nope" in bad.stderr


@pytest.mark.slow
def test_validate_ok_and_examples() -> None:
    files = [str(p) for p in sorted(COLLECTIONS.glob("*.json"))]
    result = run("validate", *files)
    assert result.returncode == 0, result.stderr


BAD_INPUTS = {
    "empty.json": b"",
    "binary.json": bytes(range(256)) * 4,
    "truncated.json": b'{"info": {"name": "x"}, "item": [{"name": "a", "request": {"url": "http://h/"',
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "not-object.json": b"42",
    "bad-url.json": json.dumps(
        {
            "info": {
                "name": "x",
                "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
            },
            "item": [
                {"name": "a", "request": {"method": "GET", "url": "http://h/"}},
                {"name": "b", "request": {"method": "GET", "url": 42}},
            ],
        }
    ).encode(),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["show", "list", "validate"])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, name: str, command: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    result = run(command, str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    if command != "validate":
        assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]


@pytest.mark.slow
def test_bad_url_location_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad-url.json"
    path.write_bytes(BAD_INPUTS["bad-url.json"])
    assert "item[1].request.url" in run("show", str(path)).stderr


@pytest.mark.slow
def test_v1_collection_is_refused_clearly(corpus: Path) -> None:
    result = run("show", str(corpus / "newman-multi-level-folders-v1.postman_collection.json"))
    assert result.returncode == 2 and "v1" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_usage_error_is_exit_2() -> None:
    assert run("show").returncode == 2
    assert run("show", str(AUTH0), "--var", "novalue").returncode == 2


@pytest.mark.slow
def test_strict_makes_unresolved_an_error() -> None:
    result = run("show", str(AUTH0), "--strict")
    assert result.returncode == 2 and "auth0_domain" in result.stderr


@pytest.mark.slow
def test_readme_main_job_replays_the_auth0_item() -> None:
    """The README's first quick-start command, minus the install, prints 200 and the echoed PATCH."""
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1]
    first = quick.split("```sh\n", 1)[1].split("\n```", 1)[0]
    command = first.split(" && ", 1)[1]
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.split("\n", 1)
    echoed = json.loads(body)
    assert status == "200" and echoed["method"] == "PATCH" and echoed["path"] == "/api/v2/users/42"
    assert echoed["json"]["blocked"] is True and "example-token" not in result.stdout


@pytest.mark.slow
def test_show_dry_run_and_verbose_run_handle_a_url_without_host(tmp_path: Path) -> None:
    """An empty base-URL variable leaves ``/users?x=1``: shown as such (with its warning), never a crash."""
    doc = {
        "info": {
            "name": "e",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "variable": [{"key": "baseUrl", "value": ""}],
        "item": [{"name": "a", "request": {"method": "GET", "url": "{{baseUrl}}/users?x=1&api_key=k"}}],
    }
    file = tmp_path / "c.json"
    file.write_text(json.dumps(doc))
    for args in (("show",), ("run", "--dry-run")):
        done = run(*args, str(file))
        assert done.returncode == 0, done.stderr
        assert done.stdout == "GET /users?x=1&api_key=**** HTTP/1.1\nHost: \n", done.stdout
        assert "the URL has no host" in done.stderr
    done = run("run", "-v", str(file))
    assert done.returncode == 2 and "internal error" not in done.stderr
    assert done.stdout.startswith("GET /users?x=1&api_key=**** HTTP/1.1\n")


@pytest.mark.slow
def test_show_warns_about_missing_files_that_run_would_refuse(tmp_path: Path) -> None:
    """run fails a request whose body file or file part is missing (exit 2); show and --dry-run say so."""
    (tmp_path / "here.txt").write_text("x")
    formdata = [
        {"key": "gone", "type": "file", "src": "absent.txt"},
        {"key": "ok", "type": "file", "src": "here.txt"},
    ]
    doc = {
        "info": {
            "name": "m",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {
                "name": "up",
                "request": {
                    "method": "POST",
                    "url": "http://h/u",
                    "body": {"mode": "formdata", "formdata": formdata},
                },
            },
            {
                "name": "fb",
                "request": {
                    "method": "POST",
                    "url": "http://h/u",
                    "body": {"mode": "file", "file": {"src": "nope.bin"}},
                },
            },
        ],
    }
    file = tmp_path / "c.json"
    file.write_text(json.dumps(doc))
    for args in (("show",), ("show", "--json"), ("run", "--dry-run")):
        done = run(*args, str(file))
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines() == [
            f"warning: {file}: up: file {tmp_path / 'absent.txt'} of part 'gone' does not exist: "
            "run will not send this request",
            f"warning: {file}: fb: body file {tmp_path / 'nope.bin'} does not exist: "
            "run will not send this request",
        ]


@pytest.mark.slow
def test_validate_reports_what_show_would_refuse(tmp_path: Path) -> None:
    """Schema-valid but unsendable: CR/LF in a header, a method with a space, a non-token header name and a
    variable cycle are each one located line and exit 2; an unknown schema version is a warning."""
    doc = {
        "info": {
            "name": "b",
            "schema": "https://schema.getpostman.com/json/collection/v9.9.9/collection.json",
        },
        "variable": [{"key": "a", "value": "{{b}}"}, {"key": "b", "value": "{{a}}"}],
        "item": [
            {
                "name": "crlf",
                "request": {
                    "method": "GET",
                    "url": "http://h/",
                    "header": [{"key": "X", "value": "a\r\nI: 1"}],
                },
            },
            {"name": "method", "request": {"method": "GE T", "url": "http://h/"}},
            {
                "name": "name",
                "request": {"method": "GET", "url": "http://h/", "header": [{"key": "X Y", "value": "1"}]},
            },
            {"name": "cycle", "request": {"method": "GET", "url": "http://h/{{a}}"}},
            {"name": "fine", "request": {"method": "GET", "url": "http://h/{{not_given}}"}},
        ],
    }
    file = tmp_path / "c.json"
    file.write_text(json.dumps(doc))
    done = run("validate", str(file))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"warning: {file}: info.schema: unknown schema version v9.9.9: read as v2.1.0 "
        "(known: v2.0.0, v2.1.0)",
        f"postman-gen: {file}: item[0].request.header: header 'X' has a CR, LF or NUL in its value",
        f"postman-gen: {file}: item[1].request.method: method 'GE T' is not a valid HTTP token",
        f"postman-gen: {file}: item[2].request.header: header name 'X Y' is not a valid HTTP token",
        f"postman-gen: {file}: item[3].request.url: variables nest deeper than 19 levels (a cycle?) in 'http://h/{{{{a}}}}'",
    ]
    doc["item"] = doc["item"][4:]
    file.write_text(json.dumps(doc))
    done = run("validate", str(file))
    assert done.returncode == 0 and done.stdout == f"{file}: ok (collection)\n"
    assert done.stderr.startswith("warning: ") and "v9.9.9" in done.stderr


@pytest.mark.slow
def test_each_unresolved_variable_is_one_warning_with_its_count(tmp_path: Path) -> None:
    """Not one line per request and variable: one per variable, with the number of requests it affects."""
    items = [
        {"name": n, "request": {"method": "GET", "url": "{{u}}/" + n + "?k={{key}}", "header": h}}
        for n, h in (("a", []), ("b", [{"key": "X", "value": "{{key}}"}]), ("c", []))
    ]
    doc = {
        "info": {
            "name": "w",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
    }
    file = tmp_path / "c.json"
    file.write_text(json.dumps(doc))
    expected = (
        f"warning: {file}: unresolved variable {{{{key}}}} is sent as written "
        "(3 requests, first at item[0].request.url)"
    )
    done = run("show", str(file), "--var", "u=http://h")
    assert done.returncode == 0 and done.stderr.splitlines() == [expected]
    runner = (sys.executable, "-m", "postman_gen", "run", str(file), "--var", "u={url}")
    done = run("echo", "--port", "0", "--quiet", "--", *runner)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [expected] and len(done.stdout.splitlines()) > 3
    done = run("echo", "--port", "0", "--quiet", "--", *runner, "--no-warnings")
    assert done.returncode == 0 and done.stderr == ""
