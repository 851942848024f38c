"""``postman_gen.run(RunConfig)``: the library-level run, as a Python program or a load engine calls it.

Against the echo server on 127.0.0.1: scripts, iteration data, JSON and JUnit reports, exports, own
hooks and reporters; and the config's checks (bad numbers are usage errors before anything is sent).
"""

from __future__ import annotations

import json
import stat
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from postman_gen.devserver.echo import EchoServer
from postman_gen.errors import ExitStatus, UsageError

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _script(listen: str, *lines: str) -> dict[str, Any]:
    return {"listen": listen, "script": {"type": "text/javascript", "exec": list(lines)}}


def _collection(tmp_path: Path) -> Path:
    """Two requests: the first sends the iteration's data row and saves what the echo saw; the second
    sends the saved value. Test scripts check both."""
    doc = {
        "info": {"name": "api run", "schema": SCHEMA},
        "item": [
            {
                "name": "Send row",
                "event": [
                    _script("prerequest", "pm.variables.set('sent_at', 'it-' + pm.info.iteration);"),
                    _script(
                        "test",
                        "const echo = pm.response.json();",
                        "const row = pm.iterationData.get('user');",
                        "pm.test('row is sent', () => pm.expect(echo.json.user).to.equal(row));",
                        "pm.environment.set('last_user', echo.json.user);",
                        "pm.environment.set('seen', (Number(pm.environment.get('seen')) || 0) + 1);",
                    ),
                ],
                "request": {
                    "method": "POST",
                    "url": "{{base}}/users?at={{sent_at}}",
                    "header": [{"key": "Content-Type", "value": "application/json"}],
                    "body": {"mode": "raw", "raw": '{"user": "{{user}}"}'},
                },
            },
            {
                "name": "Use saved",
                "event": [
                    _script(
                        "test",
                        "const sent = ['X-User', pm.environment.get('last_user')];",
                        "pm.test('saved value is sent', () =>"
                        " pm.expect(pm.response.json().headers).to.deep.include(sent));",
                    )
                ],
                "request": {
                    "method": "GET",
                    "url": "{{base}}/me",
                    "header": [{"key": "X-User", "value": "{{last_user}}"}],
                },
            },
        ],
    }
    path = tmp_path / "api.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoServer]:
    with EchoServer() as server:
        yield server


@pytest.fixture
def env_file(tmp_path: Path, echo: EchoServer) -> Path:
    path = tmp_path / "env.json"
    values = [
        {"key": "base", "value": echo.url, "enabled": True},
        {"key": "token", "value": "s3cret-token", "type": "secret", "enabled": True},
    ]
    doc = {"name": "api env", "values": values}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.needs_extra("scripts")
def test_run_with_scripts_data_reports_and_exports(tmp_path: Path, env_file: Path) -> None:
    from postman_gen import ExportConfig, ReportConfig, RunConfig, run

    data = tmp_path / "data.json"
    data.write_text(json.dumps([{"user": "ann"}, {"user": "bob"}]), encoding="utf-8")
    config = RunConfig(
        str(_collection(tmp_path)),
        environment=str(env_file),
        iteration_data=str(data),
        reports=ReportConfig(
            reporters=("json", "junit"), json=str(tmp_path / "r.json"), junit=str(tmp_path / "r.xml")
        ),
        exports=ExportConfig(
            environment=str(tmp_path / "env-out.json"),
            globals=str(tmp_path / "globals-out.json"),
            cookie_jar=str(tmp_path / "jar.json"),
        ),
    )
    outcome = run(config)

    assert outcome.exit_status is ExitStatus.OK and outcome.ok, outcome.summary.failures
    summary = outcome.summary
    assert (summary.requests, summary.tests, summary.tests_failed) == (4, 4, 0)
    assert outcome.environment == {
        "base": config_base(env_file),
        "token": "s3cret-token",
        "last_user": "bob",
        "seen": 2,
    }

    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [e["item"] for e in report["executions"]] == [["Send row"], ["Use saved"]] * 2
    assert report["executions"][2]["request"]["url"].endswith("/users?at=it-1")
    junit = ET.parse(tmp_path / "r.xml").getroot()
    assert junit.get("tests") is not None and junit.get("failures") == "0"

    exported = json.loads((tmp_path / "env-out.json").read_text(encoding="utf-8"))
    assert exported["name"] == "api env"
    values = {v["key"]: v["value"] for v in exported["values"]}
    # a secret is exported as Newman exports it (its value), so the file is readable by its owner only
    assert values["last_user"] == "bob" and values["token"] == "s3cret-token"
    for name in ("r.json", "r.xml", "env-out.json", "globals-out.json", "jar.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def config_base(env_file: Path) -> str:
    return json.loads(env_file.read_text(encoding="utf-8"))["values"][0]["value"]


class _Recorder:
    """A caller's own hook and reporter: what a load engine or a progress bar would watch."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def before_request(self, step: Any, state: Any) -> None:
        self.events.append(f"before {step.index}")

    def after_response(self, step: Any, request: Any, response: Any, failure: Any, state: Any) -> None:
        self.events.append(f"after {step.index} {response.status if response else None}")

    def start(self, info: Any) -> None:
        self.events.append(f"start {info.items}x{info.iterations}")

    def add(self, execution: Any) -> None:
        self.events.append(f"add {execution.index}")

    def finish(self, summary: Any) -> None:
        self.events.append(f"finish {summary.requests}")


def test_run_calls_the_callers_hooks_and_reporters_and_prints_nothing(
    tmp_path: Path, env_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from postman_gen import RunConfig, ScriptConfig, load, run

    collection = load(_collection(tmp_path))  # a loaded collection works as well as a path
    recorder = _Recorder()
    config = RunConfig(
        collection,
        environment=str(env_file),
        variables={"user": "cy"},
        items=("Send row",),
        iteration_count=2,
        scripts=ScriptConfig(enabled=False),
    )
    outcome = run(config, hooks=[recorder], reporters=[recorder])
    assert outcome.exit_status is ExitStatus.OK
    assert recorder.events == [
        "start 1x2",
        "before 0",
        "after 0 200",
        "add 0",
        "before 1",
        "after 1 200",
        "add 1",
        "finish 2",
    ]
    assert capsys.readouterr() == ("", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api.postman_collection.json", "env.json"]


def test_failures_are_in_the_outcome_not_raised(tmp_path: Path, env_file: Path) -> None:
    from postman_gen import RunConfig, ScriptConfig, run

    config = RunConfig(
        str(_collection(tmp_path)),
        variables={"base": "http://127.0.0.1:9"},  # the discard port: nothing listens
        scripts=ScriptConfig(enabled=False),
        bail=True,
    )
    outcome = run(config)
    assert outcome.exit_status is ExitStatus.FAILED and not outcome.ok
    assert outcome.summary.bailed and [f.kind.value for f in outcome.summary.failures] == ["refused"]


def test_export_collection_from_a_path_or_a_loaded_collection(tmp_path: Path) -> None:
    """A path is read with its document kept, so the export is the file as written (here no script changed
    a variable); a ``Collection`` loaded without its document is written as ``convert`` writes v2.1."""
    import postman_gen
    from postman_gen import ExportConfig, RunConfig, ScriptConfig, run

    source = _collection(tmp_path)
    doc = json.loads(source.read_text(encoding="utf-8"))
    doc["variable"] = [{"key": "n", "value": 1, "type": "number", "description": "kept"}]
    source.write_text(json.dumps(doc), encoding="utf-8")
    off: dict[str, Any] = {
        "variables": {"base": "http://127.0.0.1:9"},
        "scripts": ScriptConfig(enabled=False),
    }
    out = tmp_path / "out.json"
    run(RunConfig(str(source), exports=ExportConfig(collection=str(out)), **off))
    assert json.loads(out.read_text(encoding="utf-8")) == doc
    loaded = postman_gen.load(str(source))
    run(RunConfig(loaded, exports=ExportConfig(collection=str(out)), **off))
    rebuilt = json.loads(out.read_text(encoding="utf-8"))
    assert rebuilt["info"]["schema"] == SCHEMA  # what convert writes: a number-typed variable as text
    assert rebuilt["variable"] == [{"key": "n", "value": "1", "type": "number"}]
    assert [i["name"] for i in rebuilt["item"]] == [i["name"] for i in doc["item"]]


@pytest.mark.parametrize(
    ("change", "flag"),
    [
        ({"delay_ms": -1}, "--delay-request"),
        ({"delay_ms": 99999999999999999999}, "--delay-request"),
        ({"iteration_count": -2}, "--iteration-count"),
        ({"timeouts": {"run_ms": 99999999999999999999}}, "--timeout"),
        ({"timeouts": {"request_ms": 2**31}}, "--timeout-request"),
        ({"timeouts": {"script_ms": 0}}, "--timeout-script"),
        ({"scripts": {"max_jumps": -1}}, "--max-jumps"),
        ({"reports": {"body_limit": -5}}, "--report-body-limit"),
    ],
)
def test_numbers_no_run_can_honour_are_usage_errors(change: dict[str, Any], flag: str) -> None:
    from postman_gen import ReportConfig, RunConfig, ScriptConfig, Timeouts

    groups = {"timeouts": Timeouts, "scripts": ScriptConfig, "reports": ReportConfig}
    with pytest.raises(UsageError, match=flag):
        kwargs = {k: groups[k](**v) if k in groups else v for k, v in change.items()}
        RunConfig("c.json", **kwargs)


def test_a_config_is_frozen_and_changed_by_replace() -> None:
    from postman_gen import RunConfig, Timeouts

    config = RunConfig("c.json", variables={"a": "1"})
    with pytest.raises(AttributeError):
        config.bail = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.variables["a"] = "2"  # type: ignore[index]
    changed = replace(config, timeouts=Timeouts(request_ms=500))
    assert changed.transport_options().timeout_ms == 500 and config.transport_options().timeout_ms is None
