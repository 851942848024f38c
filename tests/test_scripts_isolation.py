"""A script cannot damage the runner or the scripts after it: built-ins, prototypes, its job queue, memory."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.extras import require

require("scripts")

from postman_gen.cli import main  # noqa: E402
from postman_gen.scripts.engine import ScriptEngine  # noqa: E402
from postman_gen.scripts.model import Scopes, ScriptRequest  # noqa: E402
from tests.servers import CaptureServer  # noqa: E402

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _run(engine: ScriptEngine, source: str, scopes: Scopes | None = None) -> Any:
    return engine.run(
        source,
        event="test",
        item_name="x",
        scopes=scopes or Scopes(),
        request=ScriptRequest("GET", "http://a/"),
    )


DAMAGE = [
    "JSON.stringify = () => 42;",
    "JSON.parse = () => ({});",
    "Object.prototype.toJSON = () => 1;",
    "Array.prototype.map = null; Array.prototype.forEach = null; Array.from = null;",
    "Object.keys = () => []; Object.assign = () => 1;",
    "String.prototype.split = null; Map.prototype.get = null; Map.prototype[Symbol.iterator] = null;",
    "Array.prototype[Symbol.iterator] = function* () {}; Array.prototype.push = null;",
    "Promise.prototype.then = null; Error = null; TypeError = null;",
]


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_builtins_reach_neither_the_bridge_nor_the_next_script(damage: str) -> None:
    engine = ScriptEngine(timeout_ms=2000)
    scopes = Scopes()
    source = "pm.environment.set('a', 'b'); pm.test('own test', () => {});\n" + damage
    outcome = _run(engine, source, scopes)
    assert outcome.error is None, outcome.error
    assert [t.name for t in outcome.tests] == ["own test"]
    assert scopes.environment == {"a": "b"}
    after = _run(
        engine, "pm.test('next', () => pm.expect(JSON.stringify({a: [1]})).to.equal('{\"a\":[1]}'));"
    )
    assert after.error is None and [(t.name, t.passed) for t in after.tests] == [("next", True)]


def test_damage_that_cannot_be_undone_is_a_script_error_not_a_crash() -> None:
    engine = ScriptEngine(timeout_ms=2000)
    outcome = _run(engine, "Object.prototype.x = 1; Object.freeze(Object.prototype); pm.test('t', () => {});")
    assert outcome.error is not None and "damaged the sandbox" in outcome.error.message
    assert outcome.tests == ()
    assert _run(engine, "pm.test('next', () => {});").error is None


def test_a_runaway_promise_loop_times_out_alone() -> None:
    engine = ScriptEngine(timeout_ms=300)
    outcome = _run(engine, "(async () => { while (true) await null; })();")
    assert outcome.error is not None and outcome.error.name == "TimeoutError"
    for _ in range(2):
        after = _run(engine, "pm.test('fine', () => {});")
        assert after.error is None and after.tests[0].passed


def test_state_too_big_to_hand_back_is_a_memory_error() -> None:
    engine = ScriptEngine(timeout_ms=5000, memory_limit_mb=32)
    scopes = Scopes(environment={"kept": "1"})
    outcome = _run(
        engine, "pm.environment.set('big', 'x'.repeat(20 * 1024 * 1024)); pm.test('t', () => {});", scopes
    )
    assert outcome.error is not None and outcome.error.name == "MemoryError"
    assert "while its results" in outcome.error.message
    assert scopes.environment == {"kept": "1"}  # nothing half-applied


def test_a_run_whose_script_state_is_lost_exits_1(tmp_path: Path) -> None:
    """No false green: the script's failing test vanished with its state, so the run must fail."""
    import postman_gen
    from postman_gen.collection.selection import select
    from postman_gen.replay import Runner
    from postman_gen.scripts.runner_hooks import ScriptHooks

    script = [
        "pm.environment.set('big', 'x'.repeat(20 * 1024 * 1024));",
        "pm.test('bad', () => { throw 1; });",
    ]
    doc = {
        "info": {"name": "c", "schema": SCHEMA},
        "item": [
            {
                "name": "i",
                "event": [{"listen": "test", "script": {"exec": script}}],
                "request": {"method": "GET", "url": "{{u}}/get"},
            }
        ],
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc))
    collection = postman_gen.load(path)
    with CaptureServer() as server:
        values = postman_gen.Values(cli={"u": server.url})
        hooks = ScriptHooks(collection, values, engine=ScriptEngine(memory_limit_mb=32))
        result = Runner(collection, select(collection), values, hooks=[hooks]).run()  # default RunConfig
    assert result.exit_status == 1
    [failure] = result.failures
    assert "MemoryError" in failure.message


def test_json_stringify_replaced_in_a_run_writes_every_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = [
        {"listen": "prerequest", "script": {"exec": ["JSON.stringify = () => 42;"]}},
        {"listen": "test", "script": {"exec": ["pm.test('ok', () => pm.response.to.have.status(200));"]}},
    ]
    items = [
        {"name": f"i{n}", "event": events, "request": {"method": "GET", "url": "{{u}}/get"}} for n in range(2)
    ]
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"info": {"name": "c", "schema": SCHEMA}, "item": items}))
    junit = tmp_path / "r.xml"
    with CaptureServer() as server, pytest.raises(SystemExit) as exc:
        main(["run", str(path), "--var", f"u={server.url}", "--reporter-junit-export", str(junit)])
    out = capsys.readouterr()
    assert exc.value.code == 0, out.out + out.err
    assert ET.parse(junit).getroot().get("failures") == "0"
    assert out.out.count("✓ ok") == 2
    assert not list(tmp_path.glob("*.tmp*")) and not list(tmp_path.glob(".*"))


def test_each_request_starts_in_a_fresh_context(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A helper defined without a declaration serves the request's later scripts, not the next request."""
    first = [
        {"listen": "prerequest", "script": {"exec": ["helper = () => 'here';"]}},
        {"listen": "test", "script": {"exec": ["pm.test('helper in the same request', () => helper());"]}},
    ]
    second = [
        {
            "listen": "test",
            "script": {"exec": ["pm.test('gone', () => pm.expect(typeof helper).to.equal('undefined'));"]},
        }
    ]
    items = [
        {"name": "one", "event": first, "request": {"method": "GET", "url": "{{u}}/get"}},
        {"name": "two", "event": second, "request": {"method": "GET", "url": "{{u}}/get"}},
    ]
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"info": {"name": "c", "schema": SCHEMA}, "item": items}))
    with CaptureServer() as server, pytest.raises(SystemExit) as exc:
        main(["run", str(path), "--var", f"u={server.url}"])
    out = capsys.readouterr()
    assert exc.value.code == 0, out.out + out.err
    assert "✓ helper in the same request" in out.out and "✓ gone" in out.out
