"""The Postman v3 (YAML tree) reader: the same model as v2, strings as written, located errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import postman_gen
from postman_gen.collection.v3.yaml_load import load_text
from postman_gen.errors import InputError, ValidationError


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    here = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = str(here) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "postman_gen", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def resolved(path: Path, *selectors: str, **variables: str) -> list[dict[str, object]]:
    from postman_gen.views.snapshot import request_to_dict

    collection = postman_gen.load(path)
    values = postman_gen.Values(cli=variables)
    return [
        request_to_dict(r, show_secrets=True)
        for r in postman_gen.resolve_all(collection, selectors, values, postman_gen.ResolveOptions(seed=1))
    ]


# ----------------------------------------------------------------------------- YAML as written


def test_scalars_stay_as_written() -> None:
    doc = load_text(
        "a: 2024-02-01T09:00:00Z\nb: yes\nc: 0x10\nd: 1e3\ne: .inf\nf: 1745668300000103\ng: 'x'\nh:\ni: ~\n"
        "j: 010\nk: true\n",
        "t.yaml",
    )
    assert doc == {
        "a": "2024-02-01T09:00:00Z",
        "b": "yes",
        "c": "0x10",
        "d": "1e3",
        "e": ".inf",
        "f": "1745668300000103",
        "g": "x",
        "h": None,
        "i": None,
        "j": "010",
        "k": "true",
    }
    assert all(type(v) is not bool for v in doc.values())
    assert doc["k"].plain and not doc["g"].plain
    assert (doc["c"].line, doc["c"].col) == (3, 4)


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a' (first at line 1)", "t.yaml:2:1"),
        ("a:\n\tb: 1\n", "not valid YAML: a tab character; YAML indents with spaces only", "t.yaml:2:1"),
        ("a: [1, 2\n", "not valid YAML", "t.yaml:2:1"),
        ("url: {{baseUrl}}/x\n", "must be quoted", "t.yaml:1:"),
        ("a: !custom 1\n", "unsupported YAML tag !custom", "t.yaml:1:4"),
        ("<<: {a: 1}\n", "merge keys (<<) are not supported", "t.yaml:1:1"),
        ("? [a]\n: 1\n", "a key must be a plain string", "t.yaml:1:3"),
    ],
)
def test_yaml_errors_are_located(text: str, message: str, where: str) -> None:
    with pytest.raises(InputError) as caught:
        load_text(text, "t.yaml")
    assert message in caught.value.message
    assert caught.value.file.startswith(where)


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(InputError, match="billion laughs"):
        load_text("\n".join(lines) + "\n", "bomb.yaml")


def test_self_referencing_alias_and_deep_nesting_are_refused() -> None:
    with pytest.raises(InputError, match="nested deeper"):
        load_text("&a [*a]\n", "t.yaml")
    with pytest.raises(InputError, match="nested deeper"):
        load_text("[" * 500 + "]" * 500 + "\n", "t.yaml")


# ----------------------------------------------------------------------------- the tree -> the model

REQUEST = """$kind: http-request
url: "{{base}}/users/:id?expand=1"
method: post
headers:
  Accept: application/json
  X-Count: 0x10
queryParams:
  - key: expand
    value: "1"
  - key: off
    value: x
    disabled: true
pathVariables:
  id: "007"
body:
  type: json
  content: '{"when": 2024-02-01}'
scripts:
  - type: beforeRequest
    code: pm.variables.set("a", "b")
  - type: afterResponse
    code: |-
      pm.test("ok", () => {});
settings:
  followRedirects: false
  maxRedirects: 3
  disabledSystemHeaders: [accept]
order: 2000
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "API",
        {
            ".resources/definition.yaml": "$kind: collection\nname: My API\nvariables:\n  base: http://h\n"
            "auth:\n  - id: a\n    name: bearer auth\n    type: bearer\n"
            "    credentials:\n      token: '{{tok}}'\n"
            "scripts:\n  - type: http:beforeRequest\n    code: console.log(1)\n",
            "Users/.resources/definition.yaml": "$kind: collection\norder: 1745668300000103\n",
            "Users/Create user.request.yaml": REQUEST,
            "Users/.resources/Create user.resources/examples/Created.example.yaml": "$kind: http-example\n"
            "response:\n  statusCode: 201\n  statusText: Created\n  headers:\n    X: y\n"
            "  body:\n    type: json\n    content: '{}'\norder: 1\n",
            "Users/Get-me.request.yaml": "$kind: http-request\nname: 'Get: me'\nurl: '{{base}}/me'\n"
            "order: 1000\n",
            "Health.request.yaml": "$kind: http-request\nurl: http://h/health\nauth:\n  type: noauth\n"
            "order: 1000\n",
            "Zeta.request.yaml": "$kind: http-request\nurl: http://h/z\n",
            "Graph.request.yaml": "$kind: graphql-request\nurl: http://h/graphql\nquery: '{ me { id } }'\n"
            "variables: '{\"a\": 1}'\norder: 5000\n",
            "Stream.request.yaml": "$kind: websocket-request\nurl: ws://h\norder: 1\n",
            "notes.md": "not a request",
            ".DS_Store": "",
        },
    )


def test_tree_becomes_the_model(tree: Path) -> None:
    collection = postman_gen.load(tree)
    assert collection.name == "My API" and collection.schema_version == "3.0.0"
    assert [(f, i.name) for f, i in [(tuple(x.name for x in fs), it) for fs, it in collection.walk()]] == [
        ((), "Health"),
        ((), "Graph"),
        (("Users",), "Get: me"),
        (("Users",), "Create user"),
        ((), "Zeta"),
    ]
    assert collection.auth is not None and collection.auth.type == "bearer"
    assert [e.listen for e in collection.events] == ["prerequest"]
    (_, create) = [x for x in collection.walk() if x[1].name == "Create user"][0]
    assert [e.listen for e in create.events] == ["prerequest", "test"]
    assert create.where == "Users/Create user.request.yaml"
    assert create.responses[0].code == 201 and create.responses[0].name == "Created"
    assert create.behavior.get("followRedirects") is False
    assert create.behavior.get("disabledSystemHeaders") == {"accept": True}
    assert [w.message for w in collection.warnings] == [
        "websocket-request is not supported by postman-gen; skipped"
    ]
    assert collection.warnings[0].file.endswith("Stream.request.yaml:3:8") or "Stream" in str(
        collection.warnings[0]
    )


def test_tree_resolves_like_postman(tree: Path) -> None:
    by_name = {r["path"][-1]: r for r in resolved(tree, tok="T")}
    create = by_name["Create user"]
    assert create["method"] == "POST"
    assert create["url"] == "http://h/users/007?expand=1"
    assert create["headers"] == [
        ["Accept", "application/json", "request"],
        ["X-Count", "0x10", "request"],
        ["Content-Type", "application/json", "body"],
        ["Authorization", "Bearer T", "auth"],
    ]
    assert create["body"] == {"kind": "raw", "language": "json", "text": '{"when": 2024-02-01}'}
    assert create["settings"] == {"max_redirects": 3}  # follow_redirects False is left out of snapshots
    assert by_name["Health"]["auth"] is None
    graph = by_name["Graph"]
    assert graph["method"] == "POST"
    assert graph["body"]["text"] == '{"query":"{ me { id } }","variables":{"a": 1}}'


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    from postman_gen.cli import main

    with pytest.raises(SystemExit) as exc:
        main(list(args))
    return int(exc.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{tree}"],
        ["list", "{tree}"],
        ["show", "{tree}", "--var", "tok=T"],
        ["render", "{tree}", "-t", "curl", "--var", "tok=T"],
        ["generate", "{tree}", "-o", "{out}", "-t", "curl", "--var", "tok=T"],
        ["diff", "{tree}", "{tree}", "--var", "tok=T"],
        ["convert", "{tree}", "-o", "{out}/api.json"],
        ["run", "{tree}", "--dry-run", "--var", "tok=T"],
    ],
    ids=lambda c: c[0],
)
def test_no_warnings_silences_collection_warnings(
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    args = [a.format(tree=tree, out=tmp_path / "out") for a in command]
    status, err = _main(capsys, *args)
    assert status == 0 and "warning: " in err and "websocket-request is not supported" in err
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    status, quiet = _main(capsys, *args, "--no-warnings")
    assert status == 0 and "warning:" not in quiet and "websocket" not in quiet


def test_select_by_name_folder_path_or_file_path(tree: Path) -> None:
    assert [r["path"] for r in resolved(tree, "Users/Create user.request.yaml")] == [["Users", "Create user"]]
    assert [r["path"] for r in resolved(tree, "Users")] == [["Users", "Get: me"], ["Users", "Create user"]]
    assert [r["path"] for r in resolved(tree, "Zeta")] == [["Zeta"]]


def test_one_request_file_keeps_its_folders_definitions(tree: Path) -> None:
    collection = postman_gen.load(tree / "Users" / "Create user.request.yaml")
    assert [i.name for _, i in collection.walk()] == ["Create user"]
    (request,) = resolved(tree / "Users" / "Create user.request.yaml", tok="T")
    assert ["Authorization", "Bearer T", "auth"] in request["headers"]


def test_body_forms(tmp_path: Path) -> None:
    files = {
        "a.request.yaml": "$kind: http-request\nurl: http://h/a\nmethod: POST\nbody:\n  type: urlencoded\n"
        "  content:\n    x: '1'\n    y: 2024-01-01\n",
        "b.request.yaml": "$kind: http-request\nurl: http://h/b\nmethod: POST\nbody:\n  type: urlencoded\n"
        "  content:\n    - key: x\n      value: '1'\n    - key: z\n      value: '2'\n      disabled: true\n",
        "c.request.yaml": "$kind: http-request\nurl: http://h/c\nmethod: POST\nbody:\n  type: formdata\n"
        "  content:\n    - key: f\n      type: text\n      value: v\n    - key: g\n      type: file\n"
        "      src: data.txt\n",
        "d.request.yaml": "$kind: http-request\nurl: http://h/d\nmethod: POST\nbody:\n  type: file\n"
        "  content:\n    src: data.txt\n",
        "e.request.yaml": "$kind: http-request\nurl: http://h/e\nmethod: POST\nbody:\n  type: none\n",
        "f.request.yaml": "$kind: http-request\nurl: http://h/f\nmethod: POST\nbody:\n  type: xml\n"
        "  content: <a/>\n",
        "data.txt": "hello",
    }
    root = write_tree(tmp_path / "C", files)
    by_name = {r["path"][-1]: r for r in resolved(root)}
    assert by_name["a"]["body"]["fields"] == [["x", "1"], ["y", "2024-01-01"]]
    assert by_name["b"]["body"]["fields"] == [["x", "1"]]
    assert [p["name"] for p in by_name["c"]["body"]["parts"]] == ["f", "g"]
    assert by_name["d"]["body"]["kind"] == "file"
    assert by_name["e"]["body"] is None
    assert ["Content-Type", "application/xml", "body"] in by_name["f"]["headers"]


@pytest.mark.slow
def test_environment_yaml_and_lookup_by_name(tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path,
        {
            "postman/collections/API/Ping.request.yaml": "$kind: http-request\nurl: '{{base}}/ping'\n",
            "postman/environments/Local.environment.yaml": "name: Local\nvalues:\n  - key: base\n"
            "    value: http://127.0.0.1:1\n  - key: off\n    value: x\n    enabled: false\n",
            "postman/globals/workspace.globals.yaml": "name: Globals\nvalues:\n  - key: g\n"
            "    value: 2024-01-01\n",
        },
    )
    assert (
        postman_gen.load_variables(repo / "postman/globals/workspace.globals.yaml")[0].value == "2024-01-01"
    )
    result = cli("show", str(repo), "-e", "local", "-g", "workspace")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("GET /ping HTTP/1.1\nHost: 127.0.0.1:1\n")
    missing = cli("show", str(repo), "-e", "Nope")
    assert missing.returncode == 2 and "no environment file 'Nope'" in missing.stderr


# ----------------------------------------------------------------------------- errors, one line each


def _error(tmp_path: Path, files: dict[str, str], *args: str) -> str:
    write_tree(tmp_path / "T", files)
    result = cli(*(args or ("show",)), "T", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.mark.slow
def test_url_not_a_string_names_file_line_col(tmp_path: Path) -> None:
    err = _error(
        tmp_path,
        {"Users/Get user.request.yaml": "$kind: http-request\nmethod: GET\n\n\n\n\nurl:\n  a: b\n"},
    )
    assert (
        err.strip() == "postman-gen: T/Users/Get user.request.yaml:8:3: url: expected a string, got a mapping"
    )


@pytest.mark.slow
def test_validate_lists_every_problem(tmp_path: Path) -> None:
    err = _error(
        tmp_path,
        {
            "a.request.yaml": "$kind: http-request\nurl: [x]\n",
            "b.request.yaml": "$kind: soap-request\n",
            "c.request.yaml": "$kind: http-request\nurl: x\nurl: y\n",
            "d.request.yaml": "$kind: http-request\nurl: x\nheaders: 3\norder: first\n",
        },
        "validate",
    )
    lines = err.strip().splitlines()
    assert lines == [
        "postman-gen: T/a.request.yaml:2:6: url: expected a string, got a list",
        "postman-gen: T/b.request.yaml:1:8: $kind: unknown $kind 'soap-request' for a request file",
        "postman-gen: T/c.request.yaml:3:1: duplicate key 'url' (first at line 2)",
        "postman-gen: T/d.request.yaml:3:10: headers: expected a mapping or a list, got a string",
        "postman-gen: T/d.request.yaml:4:8: order: expected a number, got 'first'",
    ]


@pytest.mark.slow
def test_tabs_and_malformed_yaml(tmp_path: Path) -> None:
    err = _error(tmp_path, {"a.request.yaml": "$kind: http-request\nheaders:\n\tX: 1\n"})
    assert "T/a.request.yaml:3:1: not valid YAML: a tab character" in err
    err = _error(tmp_path / "2", {"b.request.yaml": "$kind: http-request\nurl: 'unterminated\n"})
    assert "T/b.request.yaml:" in err and "not valid YAML" in err


@pytest.mark.slow
def test_example_path_escaping_the_tree(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    err = _error(
        tmp_path,
        {"a.request.yaml": "$kind: http-request\nurl: http://h\nexamples: ../../outside\n"},
    )
    assert "T/a.request.yaml:3:11: examples: '../../outside' leads outside the collection tree" in err


@pytest.mark.slow
def test_symlink_leaving_the_tree(tmp_path: Path) -> None:
    secret = write_tree(tmp_path / "elsewhere", {"x.request.yaml": "$kind: http-request\nurl: http://h\n"})
    root = write_tree(tmp_path / "T", {"a.request.yaml": "$kind: http-request\nurl: http://h\n"})
    os.symlink(secret, root / "Linked")
    os.symlink(secret / "x.request.yaml", root / "b.request.yaml")
    result = cli("list", "T", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "postman-gen: T/Linked: symlink leads outside the collection tree\n"
    result = cli("validate", "T", cwd=tmp_path)
    assert result.stderr.splitlines() == [
        "postman-gen: T/Linked: symlink leads outside the collection tree",
        "postman-gen: T/b.request.yaml: symlink leads outside the collection tree",
    ]


@pytest.mark.slow
def test_unknown_kind_in_definition_and_billion_laughs_file(tmp_path: Path) -> None:
    lines = ['$kind: http-request\nurl: http://h\nx0: &a0 ["l","l","l","l","l","l","l","l","l","l"]']
    for i in range(1, 9):
        lines.append(f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    err = _error(tmp_path, {"bomb.request.yaml": "\n".join(lines) + "\n"})
    assert "T/bomb.request.yaml:" in err and "billion laughs" in err


@pytest.mark.slow
def test_older_dialect_gets_one_line(tmp_path: Path) -> None:
    err = _error(
        tmp_path,
        {
            "collection.yaml": "type: collection\nitems:\n  - ref: ./A.request.yaml\n",
            "A.request.yaml": "type: http\nurl: http://h\n",
        },
    )
    assert err.count("\n") == 1
    assert "pre-release v3 dialect" in err and "v2.1 JSON export" in err


def test_a_tree_of_10000_files_loads(tmp_path: Path) -> None:
    root = tmp_path / "Big"
    for f in range(100):
        folder = root / f"F{f:03d}"
        folder.mkdir(parents=True)
        for r in range(100):
            (folder / f"R{r:03d}.request.yaml").write_text(
                f"$kind: http-request\nurl: http://h/{f}/{r}\norder: {1000 - r}\n", encoding="utf-8"
            )
    collection = postman_gen.load(root)
    items = [i for _, i in collection.walk()]
    assert len(items) == 10_000
    assert items[0].name == "R099" and items[-1].name == "R000"


def test_validation_error_is_raised_with_every_problem(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "T", {"a.request.yaml": "$kind: http-request\nurl: []\nmethod: {}\n"})
    with pytest.raises(ValidationError) as caught:
        postman_gen.load(root)
    assert [p.where for p in caught.value.problems] == ["url", "method"]


@pytest.mark.slow
def test_list_json_of_a_tree(tree: Path) -> None:
    result = cli("list", str(tree), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["name"] == "My API"
    assert "websocket-request is not supported" in result.stderr


@pytest.mark.slow
def test_a_folder_without_v3_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    result = cli("list", "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("postman-gen: empty: no Postman v3 collection here")


def test_raw_body_types_send_their_content_type(tmp_path: Path) -> None:
    kinds = {
        "json": "application/json",
        "text": "text/plain",
        "xml": "application/xml",
        "html": "text/html",
        "javascript": "application/javascript",
    }
    files = {
        f"{kind}.request.yaml": f"$kind: http-request\nurl: http://h/{kind}\nmethod: POST\nbody:\n"
        f"  type: {kind}\n  content: 'a: 1'\n"
        for kind in kinds
    }
    by_name = {r["path"][-1]: r for r in resolved(write_tree(tmp_path / "R", files))}
    for kind, content_type in kinds.items():
        assert by_name[kind]["body"]["text"] == "a: 1", kind
        assert ["Content-Type", content_type, "body"] in by_name[kind]["headers"], kind


_MAPS = {
    ".resources/definition.yaml": "$kind: collection\nname: F\nvariables:\n  host: h\n  v: '1'\n"
    "auth:\n  type: basic\n  credentials:\n    username: ann\n    password: pw\n",
    "Folder/R.request.yaml": "$kind: http-request\nurl: http://{{host}}/:id?q=1\nmethod: POST\n"
    "headers:\n  A: '1'\n  B: x\nqueryParams:\n  q: '1'\npathVariables:\n  id: '7'\n"
    "body:\n  type: urlencoded\n  content:\n    k: v\n    n: '{{v}}'\n",
}
_LISTS = {
    ".resources/definition.yaml": "$kind: collection\nname: F\nvariables:\n  - key: host\n    value: h\n"
    "  - key: v\n    value: '1'\n    description: one\n"
    "auth:\n  type: basic\n  credentials:\n    - key: username\n      value: ann\n"
    "    - key: password\n      value: pw\n",
    "Folder/R.request.yaml": "$kind: http-request\nurl: http://{{host}}/:id?q=1\nmethod: POST\n"
    "headers:\n  - key: A\n    value: '1'\n  - key: B\n    value: x\n    description: b\n"
    "  - key: C\n    value: off\n    disabled: true\n"
    "queryParams:\n  - key: q\n    value: '1'\npathVariables:\n  - key: id\n    value: '7'\n"
    "body:\n  type: urlencoded\n  content:\n    - key: k\n      value: v\n"
    "    - key: n\n      value: '{{v}}'\n    - key: gone\n      value: x\n      disabled: true\n",
}


def test_map_and_list_forms_mean_the_same(tmp_path: Path) -> None:
    """Headers, query and path variables, variables, urlencoded bodies and auth credentials, as a map or as
    a list of {key, value, description?, disabled?}; a folder without a definition (it is optional)."""
    as_maps = resolved(write_tree(tmp_path / "maps", _MAPS))
    as_lists = resolved(write_tree(tmp_path / "lists", _LISTS))
    assert as_maps == as_lists
    (request,) = as_maps
    assert request["url"] == "http://h/7?q=1" and request["path"] == ["Folder", "R"]
    assert request["body"]["fields"] == [["k", "v"], ["n", "1"]]
    assert [h[0] for h in request["headers"]] == ["A", "B", "Content-Type", "Authorization"]


@pytest.mark.parametrize(
    ("command", "shows"),
    [
        (["validate"], ""),
        (["list", "--json"], '"Create user"'),
        (["show", "--var", "tok=T", "--show-secrets"], "Authorization: Bearer T"),
        (["render", "-t", "curl", "--var", "tok=T"], "Bearer T"),
        (["generate", "-o", "{out}", "-t", "curl", "--vars", "keep"], "{{tok}}"),
        (["diff", "{file}", "--exit-code"], ""),
        (["convert", "-o", "{out}/one.json"], '"bearer"'),
        (["run", "--dry-run", "--var", "tok=T", "--show-secrets"], "Authorization: Bearer T"),
    ],
    ids=lambda c: c[0] if isinstance(c, list) else "",
)
def test_every_command_takes_one_request_file(
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    shows: str,
) -> None:
    """A ``.request.yaml`` given alone is that request, with its folders' definitions (the bearer auth)."""
    from postman_gen.cli import main

    monkeypatch.chdir(tmp_path)
    file = tree / "Users" / "Create user.request.yaml"
    name, *rest = command
    with pytest.raises(SystemExit) as exc:
        quiet = [] if name == "validate" else ["--no-warnings"]
        main([name, str(file), *(a.format(out=tmp_path / "out", file=file) for a in rest), *quiet])
    assert exc.value.code in (0, None)
    out = capsys.readouterr().out
    written = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != "index.json")
    out += "".join(p.read_text(encoding="utf-8") for p in written)
    assert shows in out
    assert "Get: me" not in out and "Health" not in out
