"""Scripts during ``postman-gen run``: order, scopes, pm.request edits, flow control, errors and reports.

Every test runs the real command against a capture server on 127.0.0.1 (``/anything...`` answers with
the echo server's JSON description of the request, so scripts can assert on what was sent).
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.extras import require, runnable_items

require("scripts")

import postman_gen  # noqa: E402
from postman_gen.cli import main  # noqa: E402
from postman_gen.collection.model import _events  # noqa: E402
from postman_gen.scripts.runner_hooks import (  # noqa: E402
    edited_item,
    runnable,
    template_request,
)
from tests.servers import CaptureServer, refused_port  # noqa: E402
from tests.wire_compare import assert_sent_matches  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = ROOT / "collections"
SCRIPTED = COLLECTIONS / "scripted.postman_collection.json"
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


@pytest.fixture(scope="module")
def server() -> CaptureServer:
    with CaptureServer() as capture:
        yield capture


@pytest.fixture
def capture(server: CaptureServer) -> CaptureServer:
    server.clear()
    return server


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def ev(listen: str, *lines: str, **extra: Any) -> dict[str, Any]:
    return {"listen": listen, "script": {"type": "text/javascript", "exec": list(lines)}, **extra}


def item(name: str, url: str = "{{u}}/anything/x", *events: dict[str, Any], **request: Any) -> dict[str, Any]:
    return {"name": name, "event": list(events), "request": {"method": "GET", "url": url, **request}}


def write(tmp_path: Path, items: list[dict[str, Any]], **extra: Any) -> str:
    doc = {"info": {"name": "scripts", "schema": SCHEMA}, "item": items, **extra}
    path = tmp_path / "c.postman_collection.json"
    path.write_text(json.dumps(doc))
    return str(path)


def env_file(tmp_path: Path, **values: str) -> str:
    path = tmp_path / "env.json"
    rows = [{"key": k, "value": v, "enabled": True} for k, v in values.items()]
    path.write_text(json.dumps({"name": "test env", "values": rows}))
    return str(path)


def exported(path: Path) -> dict[str, Any]:
    return {v["key"]: v["value"] for v in json.loads(path.read_text())["values"] if v["enabled"]}


# --------------------------------------------------------------------------- the chained flow


def test_chained_flow_of_the_bundled_collection(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    env_out, globals_out = tmp_path / "env-out.json", tmp_path / "globals-out.json"
    env = env_file(tmp_path, base_url=capture.url + "/anything")
    status, out, err = run_cli(
        capsys,
        "run",
        str(SCRIPTED),
        "-e",
        env,
        "--export-environment",
        str(env_out),
        "--export-globals",
        str(globals_out),
    )
    assert status == 0, out + err
    assert "✓ token is sent" in out and "✓ legacy form echoed" in out and "✗" not in out
    sent = capture.requests
    paths = [c.path for c in sent]
    assert paths == [
        "/anything/v1/login",
        "/anything/v1/profile",
        "/anything/v1/poll",
        "/anything/v1/poll",
        "/anything/v1/poll",
        "/anything/v1/token",
        "/anything/v1/session",
    ]
    login, profile = sent[0], sent[1]
    token = profile.header("Authorization").removeprefix("Bearer ")
    assert token.startswith("tok-") and len(token) == len("tok-") + 12  # set by Login's test script
    assert profile.header("X-Request-Id") == "req-0-2"
    assert profile.query == "fields=name,email"
    assert [c.query for c in sent[2:5]] == ["n=0", "n=1", "n=2"]
    assert sent[5].body == b"grant_type=password&user=ann"
    assert login.body == b'{"user": "ann", "password": "secret"}'
    environment = exported(env_out)
    assert environment == {"base_url": capture.url + "/anything", "login_count": 1, "legacy_seen": "yes"}
    assert json.loads(env_out.read_text())["name"] == "test env"
    assert exported(globals_out) == {"last_user": "ann"}
    assert "skipped requests" in out and "SKIPPED Skipped" in out
    assert "17 passed, 0 failed" in out


def test_no_scripts_sends_the_requests_as_written(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    env = env_file(tmp_path, base_url=capture.url + "/anything")
    status, out, err = run_cli(capsys, "run", str(SCRIPTED), "-e", env, "--no-scripts")
    assert status == 0, err
    assert "✓" not in out and "tests" not in out
    assert len(capture.requests) == 6  # no loop, no skip
    assert capture.requests[1].header("Authorization") == "Bearer {{token}}"
    assert capture.requests[1].header("X-Request-Id") is None


# --------------------------------------------------------------------------- pm.request edits


def test_pre_request_edits_change_what_is_sent(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    edit = ev(
        "prerequest",
        "pm.request.headers.upsert({ key: 'X-Keep', value: 'changed' });",
        "pm.request.headers.remove('X-Drop');",
        "pm.request.headers.add({ key: 'X-Token', value: '{{tok}}' });",
        "pm.request.url = pm.request.url.toString().replace('/before', '/after') + '?q={{tok}}&sp=a b';",
        "pm.request.method = 'put';",
        "pm.request.body.update(JSON.stringify({ edited: pm.variables.get('tok') }));",
        "pm.variables.set('tok', 'from-script');",
    )
    headers = [{"key": "X-Keep", "value": "kept"}, {"key": "X-Drop", "value": "gone"}]
    body = {"mode": "raw", "raw": "{}", "options": {"raw": {"language": "json"}}}
    form = {"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1"}]}
    form_edit = ev("prerequest", "pm.request.body.urlencoded.add({ key: 'b', value: 'x y&z' });")
    file = write(
        tmp_path,
        [
            item("edit", "{{u}}/anything/before", edit, method="POST", header=headers, body=body),
            item("form", "{{u}}/anything/form", form_edit, method="POST", body=form),
        ],
    )
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "--var", "tok=cli")
    assert status == 0, out + err
    first, second = capture.requests
    assert first.method == "PUT"
    assert first.target == "/anything/after?q=from-script&sp=a%20b"
    assert first.header("X-Keep") == "changed" and first.header("X-Drop") is None
    assert first.header("X-Token") == "from-script"
    assert first.body == b'{"edited":"cli"}'
    assert first.header("Content-Type") == "application/json"
    assert second.body == b"a=1&b=x%20y%26z"  # encoded as Newman encodes forms


@pytest.mark.slow
def test_unchanged_pre_request_scripts_leave_every_item_as_resolved(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    """A script that reads pm.request (and changes nothing) on every item of the features collection:
    what reaches the server is still exactly the resolved request."""
    doc = json.loads((COLLECTIONS / "features.postman_collection.json").read_text())
    doc["event"] = [
        ev("prerequest", "pm.request.url.toString(); pm.request.headers.count(); String(pm.request.body);")
    ]
    local_env = str(COLLECTIONS / "local.postman_environment.json")
    file = tmp_path / "features.postman_collection.json"
    file.write_text(json.dumps(doc))
    collection = postman_gen.load(COLLECTIONS / "features.postman_collection.json")
    paths = runnable_items(COLLECTIONS / "features.postman_collection.json")  # without [auth]: fewer
    values = postman_gen.Values(
        environment=postman_gen.load_variables(local_env), cli={"base_url": capture.url}
    )
    for path in paths:
        capture.clear()
        args = [str(file), "-e", local_env, "--var", f"base_url={capture.url}", "-i", path, "--seed", "7"]
        status, _, err = run_cli(capsys, "run", *args, "--working-dir", str(COLLECTIONS))
        assert status == 0, (path, err)
        [resolved] = postman_gen.resolve_all(collection, [path], values, postman_gen.ResolveOptions(seed=7))
        assert_sent_matches(capture.requests[0], resolved)


# --------------------------------------------------------------------------- order and scopes


def test_collection_then_folders_then_item_for_both_events(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    def logs(level: str) -> list[dict[str, Any]]:
        return [ev("prerequest", f"console.log('pre {level}')"), ev("test", f"console.log('test {level}')")]

    inner = {
        "name": "Inner",
        "event": logs("inner folder"),
        "item": [item("req", "{{u}}/anything/o", *logs("item"))],
    }
    outer = {"name": "Outer", "event": logs("outer folder"), "item": [inner]}
    disabled = ev("prerequest", "console.log('disabled')", disabled=True)
    reference = {"listen": "prerequest", "script": "my-global-script-1"}
    file = write(tmp_path, [outer], event=[*logs("collection"), disabled, reference])
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "-v")
    assert status == 0, err
    lines = [line.split("log: ", 1)[1] for line in err.splitlines() if "log: " in line]
    assert lines == [
        "pre collection",
        "pre outer folder",
        "pre inner folder",
        "pre item",
        "test collection",
        "test outer folder",
        "test inner folder",
        "test item",
    ]


def test_scopes_persist_and_override_as_in_newman(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    first = ev(
        "test",
        "pm.collectionVariables.set('cv', 'changed');",
        "pm.environment.set('n', 5); pm.environment.set('flag', true); pm.environment.set('obj', {a: 1});",
        "pm.variables.set('loc', 'L1');",
        "pm.globals.set('g', 'G');",
    )
    second_url = (
        "{{u}}/anything/b?cv={{cv}}&n={{n}}&flag={{flag}}&obj={{obj}}&loc={{loc}}&g={{g}}&row={{row}}"
    )
    file = write(
        tmp_path,
        [item("a", "{{u}}/anything/a?cv={{cv}}", first), item("b", second_url)],
        variable=[{"key": "cv", "value": "orig"}, {"key": "g", "value": "collection wins over globals"}],
    )
    data = tmp_path / "data.json"
    data.write_text(json.dumps([{"row": "r1"}, {"row": "r2"}]))
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "-d", str(data))
    assert status == 0, err
    queries = [c.query for c in capture.requests]
    assert queries[0] == "cv=orig"
    assert queries[1] == (
        "cv=changed&n=5&flag=true&obj=[object%20Object]&loc=L1&g=collection%20wins%20over%20globals&row=r1"
    )
    assert queries[2] == "cv=changed"
    assert queries[3].endswith("&row=r2")


def test_iteration_data_and_info_are_visible(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    script = ev(
        "prerequest",
        "pm.request.headers.add({key: 'X-Info', value: [pm.info.iteration, pm.info.iterationCount,"
        " pm.info.requestName, pm.iterationData.get('row'), data.row].join('|')});",
    )
    file = write(tmp_path, [item("info item", "{{u}}/anything/i", script)])
    data = tmp_path / "data.csv"
    data.write_text("row\nfirst\nsecond\n")
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "-d", str(data))
    assert status == 0, err
    assert [c.header("X-Info") for c in capture.requests] == [
        "0|2|info item|first|first",
        "1|2|info item|second|second",
    ]


def test_json_iteration_data_keeps_its_types_in_scripts(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    """As Newman: pm.iterationData.get('n') is the number 1, an object stays an object; a request still gets
    the values as text ({{n}} is "1", {{o}} "[object Object]")."""
    script = ev(
        "prerequest",
        "const n = pm.iterationData.get('n'), o = pm.iterationData.get('o'), b = pm.iterationData.get('b');",
        "pm.request.headers.add({key: 'X-Types', value: [typeof n, n + 1, typeof o, o.k[1], typeof b, !b,"
        " typeof data.n, pm.iterationData.toObject().o.k.length].join('|')});",
    )
    file = write(tmp_path, [item("typed", "{{u}}/anything/{{n}}?o={{o}}", script)])
    data = tmp_path / "data.json"
    data.write_text(json.dumps([{"n": 1, "o": {"k": [1, 2]}, "b": False}]))
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "-d", str(data))
    assert status == 0, err
    [request] = capture.requests
    assert request.header("X-Types") == "number|2|object|2|boolean|true|number|2"
    assert request.target == "/anything/1?o=[object%20Object]"


def test_secret_values_are_masked_in_test_names_assertions_and_console(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    """An environment value of type secret (or a secret-named one) is masked wherever a script prints it."""
    secret = "s3cr3t-value-123"
    env = tmp_path / "env.json"
    values = [{"key": "apiToken", "value": secret, "type": "secret"}, {"key": "plain", "value": "visible-1"}]
    env.write_text(json.dumps({"name": "e", "values": values}))
    script = ev(
        "test",
        "const t = pm.environment.get('apiToken');",
        "console.log('token', t, pm.environment.get('plain'));",
        "pm.test('token is ' + t, () => { pm.expect(t).to.eql('other'); });",
    )
    file = write(tmp_path, [item("one", "{{u}}/anything/1", script), item("two")])
    report = tmp_path / "r.json"
    args = (
        "run",
        file,
        "--var",
        f"u={capture.url}",
        "-e",
        str(env),
        "-v",
        "--reporter-json-export",
        str(report),
    )
    status, out, err = run_cli(capsys, *args)
    assert status == 1
    assert secret not in out + err + report.read_text()
    assert "token is ****" in out and "visible-1" in out
    status, out, err = run_cli(capsys, *args, "--show-secrets")
    assert secret in out


def test_environment_and_globals_file_values_keep_their_types_in_scripts(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    """As Newman: an environment's ``"value": 1`` is the number 1 in pm.environment.get, an object stays an
    object, a declared type casts (``"2"`` as number is 2, ``"false"`` as boolean is true); globals too; the
    request gets each value as Newman substitutes it ({{n}} "1", {{o}} "[object Object]"); the export keeps
    the types."""
    env = tmp_path / "env.json"
    rows = [
        {"key": "n", "value": 1, "type": "default"},
        {"key": "o", "value": {"k": [1, 2]}},
        {"key": "s", "value": "2", "type": "number"},
        {"key": "b", "value": "false", "type": "boolean"},
        {"key": "t", "value": 7, "type": "string"},
        {"key": "j", "value": '{"x": 3}', "type": "object"},
        {"key": "none"},
    ]
    env.write_text(json.dumps({"name": "e", "values": rows}))
    globals_ = tmp_path / "globals.json"
    globals_.write_text(json.dumps({"name": "g", "values": [{"key": "g", "value": [1, None]}]}))
    script = ev(
        "prerequest",
        "const e = (k) => pm.environment.get(k);",
        "pm.request.headers.add({key: 'X-Types', value: [typeof e('n'), e('n') + 1, e('o').k[1], e('s') + 1,"
        " e('b'), typeof e('t'), e('j').x, typeof e('none'), pm.globals.get('g').length,"
        " pm.variables.get('n') + 1].join('|')});",
        "pm.environment.set('added', 5);",
    )
    file = write(
        tmp_path, [item("typed", "{{u}}/anything/{{n}}?o={{o}}&s={{s}}&b={{b}}&j={{j}}&g={{g}}", script)]
    )
    out = tmp_path / "out.json"
    args = ("run", file, "--var", f"u={capture.url}", "-e", str(env), "-g", str(globals_))
    status, _, err = run_cli(capsys, *args, "--export-environment", str(out))
    assert status == 0, err
    [request] = capture.requests
    assert request.header("X-Types") == "number|2|2|3|true|string|3|undefined|2|2"
    assert request.target == "/anything/1?o=[object%20Object]&s=2&b=true&j=[object%20Object]&g=1,"
    values = {r["key"]: r.get("value", "<none>") for r in json.loads(out.read_text())["values"]}
    assert values == {
        "n": 1,
        "o": {"k": [1, 2]},
        "s": 2,
        "b": True,
        "t": "7",
        "j": {"x": 3},
        "none": "<none>",
        "added": 5,
    }


def test_a_script_keeps_a_port_written_as_a_variable(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    """pm.request.url parsed ``http://127.0.0.1:{{port}}/x`` as host 127.0.0.1 and path ``{{port}}/x``, so a
    collection with any pre-request script sent its requests to port 80 with the port in the path."""
    port = capture.url.rsplit(":", 1)[1]
    script = ev("prerequest", "pm.request.headers.add({key: 'X-Port', value: String(pm.request.url.port)});")
    file = write(tmp_path, [item("port", "http://127.0.0.1:{{port}}/anything/x", script)])
    status, _, err = run_cli(capsys, "run", file, "--var", f"port={port}")
    assert status == 0, err
    [request] = capture.requests
    assert (request.target, request.header("X-Port")) == ("/anything/x", port)  # {{port}}, substituted


# --------------------------------------------------------------------------- flow control


def test_set_next_request_loops_until_the_guard(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    loop = ev("test", "pm.execution.setNextRequest('Loop');")
    file = write(tmp_path, [item("Start"), item("Loop", "{{u}}/anything/loop", loop), item("After")])
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "--max-jumps", "5")
    assert status == 1
    assert [c.path for c in capture.requests] == ["/anything/x"] + ["/anything/loop"] * 6
    assert "setNextRequest jumped back 5 times (--max-jumps)" in out
    assert "Loop" in out


def test_set_next_request_null_and_unknown_names_end_the_iteration(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    stop = ev("test", "postman.setNextRequest(null);")
    nowhere = ev("prerequest", "pm.execution.setNextRequest('No such item');")
    file = write(
        tmp_path,
        [
            item("a", "{{u}}/anything/a", stop),
            item("b", "{{u}}/anything/b", nowhere),
            item("c", "{{u}}/anything/c"),
        ],
    )
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "-n", "2")
    assert status == 0, err
    assert [c.path for c in capture.requests] == ["/anything/a", "/anything/a"]
    file = write(tmp_path, [item("b", "{{u}}/anything/b", nowhere), item("c", "{{u}}/anything/c")])
    capture.clear()
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 0, err
    assert [c.path for c in capture.requests] == ["/anything/b"]
    assert "setNextRequest('No such item')" in out and "no item of that name" in out


def test_set_next_request_jumps_forward_by_id(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    jump = ev("test", "pm.execution.setNextRequest('id-of-c');")
    file = write(
        tmp_path,
        [
            item("a", "{{u}}/anything/a", jump),
            item("b", "{{u}}/anything/b"),
            {**item("c", "{{u}}/anything/c"), "id": "id-of-c"},
        ],
    )
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 0, err
    assert [c.path for c in capture.requests] == ["/anything/a", "/anything/c"]


def test_skip_request_sends_nothing_and_runs_no_test(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    skip = ev("prerequest", "pm.execution.skipRequest();")
    never = ev("test", "pm.test('never', () => { throw new Error('ran'); });")
    file = write(
        tmp_path, [item("skip me", "{{u}}/anything/s", skip, never), item("next", "{{u}}/anything/n")]
    )
    report = tmp_path / "r.json"
    status, out, err = run_cli(
        capsys, "run", file, "--var", f"u={capture.url}", "--reporter-json-export", str(report)
    )
    assert status == 0, err
    assert [c.path for c in capture.requests] == ["/anything/n"]
    assert "SKIPPED skip me" in out
    doc = json.loads(report.read_text())
    assert doc["executions"][0]["skipped"] is True and doc["executions"][0]["tests"] == []
    assert doc["summary"]["skipped"] == 1 and doc["summary"]["requests"] == 1


# --------------------------------------------------------------------------- errors, limits, sandbox


def test_script_errors_name_item_event_and_line_and_the_run_goes_on(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    broken = ev("test", "const a = 1;", "", "undefinedFunction();")
    pre_broken = ev("prerequest", "null.x;")
    file = write(
        tmp_path,
        [
            item("Broken test", "{{u}}/anything/1", broken),
            item("Broken pre", "{{u}}/anything/2", pre_broken),
            item("Fine"),
        ],
    )
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 1
    assert len(capture.requests) == 3  # a pre-request error does not stop the request (as Newman)
    assert (
        "Broken test: script: test script (item), line 3: ReferenceError: undefinedFunction is not defined"
        in out
    )
    assert "Broken pre: script: pre-request script (item), line 1: TypeError:" in out
    capture.clear()
    status, out, _ = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "--bail")
    assert status == 1
    assert len(capture.requests) == 1 and "--bail" in out


def test_failed_tests_exit_1_and_legacy_tests_count(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    tests = ev(
        "test",
        "pm.test('status is 201', () => pm.response.to.have.status(201));",
        "pm.test.skip('later', () => {});",
        "tests['legacy true'] = responseCode.code === 200;",
        "tests['legacy false'] = false;",
    )
    file = write(tmp_path, [item("t", "{{u}}/anything/t", tests), item("u")])
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 1
    assert "✗ status is 201: expected response to have status code 201 but got 200" in out
    assert "- later (skipped)" in out and "✓ legacy true" in out and "✗ legacy false" in out
    assert "1 passed, 2 failed, 1 skipped" in out


def test_test_scripts_run_after_a_failed_request(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    probe = ev("test", "pm.test('code is 0', () => pm.expect(pm.response.code).to.equal(0));")
    file = write(tmp_path, [item("down", f"http://127.0.0.1:{refused_port()}/x", probe), item("down again")])
    status, out, err = run_cli(capsys, "run", file, "--var", f"u=http://127.0.0.1:{refused_port()}")
    assert status == 1
    assert "✓ code is 0" in out and "refused" in out


def test_script_time_limit(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    spin = ev("prerequest", "while (true) {}")
    file = write(tmp_path, [item("spin", "{{u}}/anything/s", spin), item("after")])
    status, out, _ = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "--timeout-script", "200")
    assert status == 1
    assert "spin: script: pre-request script (item): TimeoutError: timed out after 200 ms" in out
    assert len(capture.requests) == 2


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("require('fs').readFileSync('/etc/passwd');", "module fs is not available in the sandbox"),
        ("require('child_process');", "module child_process is not available in the sandbox"),
        ("process.exit(1);", "ReferenceError: process is not defined"),
        ("fetch('http://127.0.0.1:9/');", "ReferenceError: fetch is not defined"),
        ("new XMLHttpRequest();", "ReferenceError: XMLHttpRequest is not defined"),
        ("std.open('/etc/passwd', 'r');", "ReferenceError: std is not defined"),
    ],
)
def test_sandbox_escapes_fail_inside_a_run(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path, source: str, expected: str
) -> None:
    file = write(tmp_path, [item("escape", "{{u}}/anything/e", ev("prerequest", source)), item("next")])
    status, out, _ = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 1
    assert expected in out
    assert len(capture.requests) == 2


def test_missing_engine_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    capture: CaptureServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "quickjs", None)  # as if the extra were not installed
    file = write(tmp_path, [item("a", "{{u}}/anything/a", ev("test", "pm.test('x', () => {});"))])
    status, _, err = run_cli(capsys, "run", file, "--var", f"u={capture.url}")
    assert status == 2 and "install postman-gen[scripts] or pass --no-scripts" in err
    status, _, _ = run_cli(capsys, "run", file, "--var", f"u={capture.url}", "--no-scripts")
    assert status == 0


# --------------------------------------------------------------------------- pm.sendRequest


def test_send_request_uses_the_run_session(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    send = ev(
        "prerequest",
        "pm.sendRequest(pm.variables.get('u') + '/cookies/set?sid=abc', (err, res) => {",
        "  pm.environment.set('side_status', res.code);",
        "});",
        "pm.sendRequest({ url: pm.variables.get('u') + '/anything/side', method: 'POST',",
        "  header: { 'X-Side': '1' },",
        "  body: { mode: 'urlencoded', urlencoded: [{ key: 'k', value: 'v w' }] } },",
        "  (err, res) => pm.environment.set('side_body', res.json().body));",
        "pm.sendRequest('http://127.0.0.1:"
        + str(refused_port())
        + "/', (err) => pm.environment.set('err', String(err)));",
    )
    check = ev("test", "pm.test('cookie came back', () => pm.expect(pm.cookies.get('sid')).to.equal('abc'));")
    file = write(tmp_path, [item("main", "{{u}}/cookies", send, check)])
    out_env = tmp_path / "e.json"
    status, out, err = run_cli(
        capsys, "run", file, "--var", f"u={capture.url}", "--export-environment", str(out_env)
    )
    assert status == 0, out + err
    paths = [c.path for c in capture.requests]
    assert paths == ["/cookies/set", "/anything/side", "/cookies"]
    assert capture.requests[1].header("X-Side") == "1" and capture.requests[1].body == b"k=v%20w"
    assert capture.requests[2].header("Cookie") == "sid=abc"
    values = exported(out_env)
    assert values["side_status"] == 200 and values["side_body"] == "k=v%20w"
    assert "refused" in values["err"]


# --------------------------------------------------------------------------- reports


def test_reports_carry_tests_errors_and_console(
    capsys: pytest.CaptureFixture[str], capture: CaptureServer, tmp_path: Path
) -> None:
    scripts = ev(
        "test",
        "console.log('hello <b>', {a: 1});",
        "console.warn('careful');",
        "pm.test('passes', () => {});",
        "pm.test('fails', () => pm.expect(1).to.equal(2));",
    )
    file = write(
        tmp_path,
        [item("one", "{{u}}/anything/1", scripts), item("two", "{{u}}/anything/2", ev("test", "x.y"))],
    )
    paths = {k: tmp_path / f"r.{k}" for k in ("json", "xml", "html")}
    status, out, err = run_cli(
        capsys,
        "run",
        file,
        "--var",
        f"u={capture.url}",
        "--reporter-json-export",
        str(paths["json"]),
        "--reporter-junit-export",
        str(paths["xml"]),
        "--reporter-html-export",
        str(paths["html"]),
        "-v",
    )
    assert status == 1
    assert "log: hello <b>" in out and "warn: careful" in out
    doc = json.loads(paths["json"].read_text())
    first, second = doc["executions"]
    assert [(t["name"], t["passed"]) for t in first["tests"]] == [("passes", True), ("fails", False)]
    assert first["tests"][1]["error"] == "expected 1 to equal 2"
    assert [c["level"] for c in first["console"]] == ["log", "warn"]
    assert second["script_errors"][0]["name"] == "ReferenceError" and second["script_errors"][0]["line"] == 1
    assert doc["summary"]["tests"] == {"total": 2, "passed": 1, "failed": 1, "skipped": 0}
    assert {f["kind"] for f in doc["failures"]} == {"test", "script"}
    suite = ET.parse(paths["xml"]).getroot()[0]
    cases = [(c.get("name"), c.get("classname")) for c in suite.iter("testcase")]
    assert cases == [
        ("one", "scripts"),
        ("passes", "scripts.one"),
        ("fails", "scripts.one"),
        ("two", "scripts"),
        ("two [test script]", "scripts"),
    ]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "1", "1")
    failing = next(c for c in suite.iter("testcase") if c.get("name") == "fails")
    assert failing.find("failure").get("type") == "AssertionError"
    html = paths["html"].read_text()
    assert "✓ passes" in html and "✗ fails" in html and "hello &lt;b&gt;" in html
    assert "ReferenceError" in html and "<script" not in html


# --------------------------------------------------------------------------- units of the bridge


def test_template_request_and_edits_round_trip() -> None:
    collection = postman_gen.load(COLLECTIONS / "features.postman_collection.json")
    for selected in postman_gen.select(collection):
        before = template_request(selected.item)
        assert edited_item(selected.item, before, before) is selected.item


def test_a_bare_string_script_is_a_reference_and_does_not_run() -> None:
    events = _events([{"listen": "test", "script": "my-global-script-1"}])
    assert events[0].reference == "my-global-script-1" and not runnable(events[0], "test")
    (single,) = _events({"listen": "test", "script": {"exec": ["tests['a'] = true"]}})
    assert single.source == "tests['a'] = true" and runnable(single, "test")
