"""Newman's flags with Newman's meaning: --env-var, --global-var, -x, --bail [folder,failure], --color,
--disable-unicode, --reporter-cli-no-*, and an http(s) URL as collection or environment (loopback only)."""

from __future__ import annotations

import functools
import json
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import postman_gen
from postman_gen.cli import main
from postman_gen.devserver.echo import EchoServer
from tests.servers import refused_port

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    with EchoServer() as server:
        server.start()
        yield server.url


def write(tmp_path: Path, items: list[dict[str, object]], name: str = "c.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"info": {"name": "n", "schema": SCHEMA}, "item": items}))
    return str(path)


def get(name: str, url: str, **extra: object) -> dict[str, object]:
    return {"name": name, "request": {"method": "GET", "url": url}, **extra}


def test_env_var_and_global_var_set_their_scopes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str
) -> None:
    env = tmp_path / "e.json"
    env.write_text(
        json.dumps({"name": "e", "values": [{"key": "e", "value": "file"}, {"key": "g", "value": "env"}]})
    )
    file = write(tmp_path, [get("q", "{{u}}/q?e={{e}}&g={{g}}&h={{h}}")])
    args = ("run", file, "-e", str(env), "--var", f"u={echo}", "--env-var", "e=cli", "--global-var", "h=gl")
    status, out, err = run_cli(capsys, *args)
    assert status == 0, err
    assert json.loads(out.split("\n", 1)[1])["query"] == "e=cli&g=env&h=gl"
    assert run_cli(capsys, *args, "--env-var", "novalue")[0] == 2


def test_suppress_exit_code_and_bail_modifiers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str
) -> None:
    dead = f"http://127.0.0.1:{refused_port()}"
    file = write(tmp_path, [get("dead", f"{dead}/x"), get("ok", f"{echo}/y")])
    status, out, _ = run_cli(capsys, "run", file)
    assert status == 1 and "ok" in out
    assert run_cli(capsys, "run", file, "-x")[0] == 0
    assert run_cli(capsys, "run", file, "--suppress-exit-code", "--bail")[0] == 0
    for bail, stops in (
        ("--bail", True),
        ("--bail=failure", True),
        ("--bail=folder,failure", True),
        ("--bail=folder", False),
    ):
        status, out, _ = run_cli(capsys, "run", file, bail, "-r", "cli")
        assert status == 1 and (" GET ok " not in out) == stops, (bail, out)
    status, _, err = run_cli(capsys, "run", file, "--bail=nonsense")
    assert (status, err) == (
        2,
        "postman-gen: --bail takes folder and/or failure, comma-separated, not 'nonsense'\n",
    )


def test_reporter_cli_parts_unicode_and_colour(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str
) -> None:
    dead = f"http://127.0.0.1:{refused_port()}"
    file = write(tmp_path, [get("dead", f"{dead}/x"), get("ok", f"{echo}/y")])
    _, out, _ = run_cli(capsys, "run", file)
    assert "┌" in out and "failures:" in out and "\x1b[" not in out  # auto: not a terminal
    _, out, _ = run_cli(capsys, "run", file, "--reporter-cli-no-summary", "--reporter-cli-no-failures")
    assert "┌" not in out and "failures:" not in out and " GET ok " in out
    _, out, _ = run_cli(capsys, "run", file, "--disable-unicode")
    assert "┌" not in out and "+---" in out and all(ord(c) < 128 for c in out)
    _, out, _ = run_cli(capsys, "run", file, "--color", "on")
    assert "\x1b[32m200\x1b[0m" in out and "\x1b[31m\x1b[1mFAILED" in out
    _, out, _ = run_cli(capsys, "run", file, "--color", "off")
    assert "\x1b[" not in out


@pytest.mark.needs_extra("scripts")
def test_no_success_assertions_keeps_the_failed_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str
) -> None:
    script = ["pm.test('fine', () => {});", "pm.test('broken', () => { throw new Error('no'); });"]
    test = {"listen": "test", "script": {"type": "text/javascript", "exec": script}}
    file = write(tmp_path, [get("a", f"{echo}/a", event=[test]), get("b", f"{echo}/b")])
    _, out, _ = run_cli(capsys, "run", file)
    assert "✓ fine" in out and "✗ broken" in out
    _, out, _ = run_cli(capsys, "run", file, "--reporter-cli-no-success-assertions")
    assert "✓ fine" not in out and "✗ broken" in out


def test_every_request_leaves_its_line_under_the_live_status_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the live line is on stderr; each finished request still prints its line on stdout, and
    a warning is printed only after the live line was cleared."""
    items = [get(f"r{i}", f"{echo}/{i}?k={{{{missing}}}}") for i in range(3)]
    file = write(tmp_path, items)
    capsys.readouterr()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, out, err = run_cli(capsys, "run", file)
    assert status == 0
    assert [line.split(" ")[0] for line in out.splitlines()[:3]] == ["[1/3]", "[2/3]", "[3/3]"]
    assert "\r\x1b[K[1/3] r0 ..." in err
    warning = err.index("warning: ")
    assert err[:warning].endswith("\r\x1b[K") and "unresolved variable {{missing}}" in err[warning:]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base signature
        """No access log in the test output."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A static file server on 127.0.0.1 for the URL arguments."""
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_collection_and_environment_from_a_url(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str, served: str
) -> None:
    write(tmp_path, [get("from url", "{{u}}/from-url")])
    (tmp_path / "e.json").write_text(json.dumps({"name": "e", "values": [{"key": "u", "value": echo}]}))
    status, out, err = run_cli(capsys, "run", f"{served}/c.json", "-e", f"{served}/e.json")
    assert status == 0, err
    assert json.loads(out.split("\n", 1)[1])["path"] == "/from-url"
    status, _, err = run_cli(capsys, "run", f"{served}/missing.json")
    assert (
        status == 2
        and err
        == f"postman-gen: {served}/missing.json: cannot download: the server answered 404 File not found\n"
    )
    dead = f"http://127.0.0.1:{refused_port()}/c.json"
    status, _, err = run_cli(capsys, "run", dead)
    assert status == 2
    offline = "cannot download: connection refused (offline? download it and pass the file instead)"
    assert err == f"postman-gen: {dead}: {offline}\n"


@pytest.mark.needs_extra("scripts")
def test_export_collection_writes_the_variables_as_scripts_left_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str
) -> None:
    """Newman's --export-collection: the collection as read, its variables as pm.collectionVariables left
    them (set, added, unset; JSON types kept), every other entry and field untouched; written 0600; the
    export runs again and goes on from there. A v3 tree is exported as the v2.1 JSON ``convert`` writes."""
    from postman_gen.atomic import private_mode
    from postman_gen.collection.v3.convert import to_v3

    script = [
        "pm.collectionVariables.set('count', pm.collectionVariables.get('count') + 1);",
        "pm.collectionVariables.set('token', {id: 7});",
        "pm.collectionVariables.unset('gone');",
    ]
    event = {"listen": "prerequest", "script": {"type": "text/javascript", "exec": script}}
    variables = [
        {"key": "count", "value": 1, "type": "number"},
        {"key": "kept", "value": "as written", "description": "left alone"},
        {"key": "gone", "value": "x"},
        {"key": "off", "value": "y", "disabled": True},
    ]
    doc = {
        "info": {"name": "n", "schema": SCHEMA, "description": "kept"},
        "item": [get("r", f"{echo}/c?n={{{{count}}}}", description="kept too")],
        "event": [event],
        "variable": variables,
        "protocolProfileBehavior": {"disableBodyPruning": True},
    }
    source = tmp_path / "c.json"
    source.write_text(json.dumps(doc))
    out = tmp_path / "out" / "exported.json"
    status, stdout, err = run_cli(capsys, "run", str(source), "--export-collection", str(out))
    assert status == 0, err
    assert json.loads(stdout.split("\n", 1)[1])["query"] == "n=2"
    exported = json.loads(out.read_text())
    assert exported["variable"] == [
        {"key": "count", "value": 2, "type": "number"},
        {"key": "kept", "value": "as written", "description": "left alone"},
        {"key": "off", "value": "y", "disabled": True},
        {"key": "token", "value": {"id": 7}, "type": "any"},
    ]
    assert {k: v for k, v in exported.items() if k != "variable"} == {
        k: v for k, v in doc.items() if k != "variable"
    }
    assert out.stat().st_mode & 0o777 == private_mode()
    status, stdout, err = run_cli(capsys, "run", str(out), "--export-collection", str(out))
    assert status == 0, err
    assert json.loads(stdout.split("\n", 1)[1])["query"] == "n=3"

    tree = tmp_path / "tree"
    for rel, text in to_v3(postman_gen.load(str(source))).files.items():
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_text(text)
    v3_out = tmp_path / "from-v3.json"
    status, _, err = run_cli(capsys, "run", str(tree), "--export-collection", str(v3_out))
    assert status == 0, err
    from_v3 = json.loads(v3_out.read_text())
    assert from_v3["info"]["schema"] == SCHEMA
    assert {v["key"]: v.get("value") for v in from_v3["variable"]} == {
        "count": "11",  # a v3 tree holds variables as text: "1" + 1 in JavaScript
        "kept": "as written",
        "off": "y",
        "token": {"id": 7},
    }


def test_export_collection_cannot_be_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: str
) -> None:
    (tmp_path / "file").write_text("")
    file = write(tmp_path, [get("r", f"{echo}/r")])
    status, _, err = run_cli(capsys, "run", file, "--export-collection", str(tmp_path / "file" / "c.json"))
    assert (
        status == 2
        and err.startswith("postman-gen: cannot write collection export ")
        and err.count("\n") == 1
    )
