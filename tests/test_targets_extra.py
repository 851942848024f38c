"""Targets python-http.client, httpie, node-fetch and chilkat2-python: lint-clean output, the Chilkat seed.

Execution fidelity of every target is ``test_fidelity.py``'s job; here: the generated code of every item of
``collections/`` and of a set of awkward items passes the language's own checkers (ruff, shellcheck, node),
the chilkat2 output for the Auth0 item in ``--vars keep`` mode has the statements of the Chilkat Online
Tools page (the seed), and a few target-specific promises hold when run against the capture server.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import postman_gen
from postman_gen.collection.selection import select
from postman_gen.render.engine import render
from postman_gen.render.filters import ident
from postman_gen.resolution.request import ResolvedRequest, VarMode
from postman_gen.resolution.resolver import ResolveOptions, Values, resolve
from tests.conftest import COLLECTIONS, ROOT
from tests.servers import CaptureServer

pytestmark = pytest.mark.slow  # runs generated code, linters or a whole corpus

TARGETS = ("python-http.client", "httpie", "node-fetch", "chilkat2-python")
EXTENSIONS = {"python-http.client": "py", "httpie": "sh", "node-fetch": "js", "chilkat2-python": "py"}
SEED = Path(os.environ.get("POSTMAN_GEN_SEED", ROOT.parent / "shared" / "seed"))
AUTH0_ITEM = COLLECTIONS / "auth0-update-a-user.postman_item.json"

RUFF = shutil.which("ruff")
SHELLCHECK = shutil.which("shellcheck")
NODE = shutil.which("node")

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
AWKWARD = 'it\'s "q" $(touch PWNED) `touch PWNED2` ${HOME} !! \\ ; & | < > é 😀 \u2028 ' + "x" * 90


def _item(
    name: str, method: str, headers: list[tuple[str, str]], body: dict | None = None, url: str = ""
) -> dict:
    request: dict = {
        "method": method,
        "header": [{"key": k, "value": v} for k, v in headers],
        "url": url or "{{base_url}}/anything/{{segment}}?q={{query}}&x=1&x=2",
    }
    if body is not None:
        request["body"] = body
    return {"name": name, "request": request}


def awkward_collection(folder: Path) -> Path:
    """Every body mode and awkward values (quotes, shell syntax, unicode, long lines) in one collection."""
    for name in ("hello.txt", "pixel.png"):
        shutil.copy(COLLECTIONS / "files" / name, folder / name)
    nested = {
        "a": {"b": [1, 2.50, {"c": None}], "long": "y" * 100},
        "t": False,
        "s": AWKWARD,
        "e": [],
        "o": {},
    }
    items = [
        _item(
            "headers",
            "GET",
            [
                ("X-Awkward", AWKWARD),
                ("X-Eq", "=x"),
                ("X-At", "@x"),
                ("X-Dup", "a"),
                ("X-Dup", "b"),
                ("X-Var", "{{h}}"),
            ],
        ),
        _item(
            "raw text", "PUT", [("Content-Type", "text/plain")], {"mode": "raw", "raw": "a\r\nb\n" + AWKWARD}
        ),
        _item(
            "raw json",
            "POST",
            [("Content-Type", "application/json")],
            {
                "mode": "raw",
                "raw": json.dumps(nested, ensure_ascii=False),
                "options": {"raw": {"language": "json"}},
            },
        ),
        _item(
            "urlencoded",
            "POST",
            [],
            {
                "mode": "urlencoded",
                "urlencoded": [{"key": "a b", "value": AWKWARD}, {"key": "v", "value": "{{h}}"}],
            },
        ),
        _item(
            "multipart",
            "POST",
            [],
            {
                "mode": "formdata",
                "formdata": [
                    {"key": "t=x:y", "value": "=v", "type": "text"},
                    {"key": "w", "value": AWKWARD, "type": "text"},
                    {"key": "f", "type": "file", "src": "hello.txt"},
                    {"key": "png", "type": "file", "src": "pixel.png", "contentType": "image/png"},
                ],
            },
        ),
        _item(
            "file", "POST", [("Content-Type", "image/png")], {"mode": "file", "file": {"src": "pixel.png"}}
        ),
        _item(
            "graphql",
            "POST",
            [],
            {"mode": "graphql", "graphql": {"query": "{ me }", "variables": '{"a": 1}'}},
        ),
        _item("basic", "GET", [], None),
    ]
    items[-1]["request"]["auth"] = {
        "type": "basic",
        "basic": [{"key": "username", "value": "{{user}}"}, {"key": "password", "value": "pä$$'"}],
    }
    collection = {
        "info": {
            "name": "awkward",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
        "variable": [
            {"key": "base_url", "value": "http://127.0.0.1:9"},
            {"key": "segment", "value": "s"},
            {"key": "query", "value": "q"},
            {"key": "h", "value": "hé'$(x)"},
            {"key": "user", "value": "ada"},
        ],
    }
    path = folder / "awkward.postman_collection.json"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def resolved(path: Path, mode: VarMode, cli: dict[str, str] | None = None) -> Iterator[ResolvedRequest]:
    """Every item of a collection that resolves (an item the resolver rejects is not ours to lint)."""
    collection = postman_gen.load(path)
    for selected in select(collection, []):
        try:
            yield resolve(
                collection, selected.folders, selected.item, Values(cli=cli or {}), ResolveOptions(mode=mode)
            )
        except postman_gen.ResolveError:
            continue


def write_outputs(path: Path, target: str, out: Path) -> list[Path]:
    files = []
    for mode in VarMode:
        for request in resolved(path, mode):
            text = render(request, target, base_dir=str(path.parent))
            stem = f"{mode.value}-{path.name.split('.')[0]}-{ident('_'.join(request.path))}"
            file = out / f"{stem}.{EXTENSIONS[target]}"
            file.write_text(text, encoding="utf-8")
            files.append(file)
    return files


def sources() -> list[Path]:
    return sorted(COLLECTIONS.glob("*.postman_*.json"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every target's output for every collection and the awkward one, in all three --vars modes."""
    work = tmp_path_factory.mktemp("extra")
    awkward = awkward_collection(work)
    out: dict[str, list[Path]] = {}
    for target in TARGETS:
        folder = work / target
        folder.mkdir()
        files: list[Path] = []
        for path in [*sources(), awkward]:
            if "environment" in path.name:
                continue
            files += write_outputs(path, target, folder)
        out[target] = files
    return out


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(RUFF is None, reason="ruff not installed")
@pytest.mark.parametrize("target", ["python-http.client", "chilkat2-python"])
def test_python_output_is_ruff_clean(generated: dict[str, list[Path]], target: str) -> None:
    files = [str(f) for f in generated[target]]
    assert files
    check = _run([str(RUFF), "check", "--isolated", "--select", "E4,E7,E9,F,I,W6", *files])
    assert check.returncode == 0, check.stdout[-4000:]
    fmt = _run([str(RUFF), "format", "--isolated", "--check", "--diff", *files])
    assert fmt.returncode == 0, fmt.stdout[-4000:] + fmt.stderr[-2000:]


@pytest.mark.skipif(SHELLCHECK is None, reason="shellcheck not installed")
def test_httpie_output_is_shellcheck_clean(generated: dict[str, list[Path]]) -> None:
    files = [str(f) for f in generated["httpie"]]
    result = _run([str(SHELLCHECK), "--shell=bash", *files])
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_node_output_parses(generated: dict[str, list[Path]]) -> None:
    for file in generated["node-fetch"]:
        result = _run([str(NODE), "--check", str(file)])
        assert result.returncode == 0, f"{file.name}: {result.stderr[-2000:]}"


@pytest.mark.parametrize("target", TARGETS)
def test_output_is_deterministic(target: str) -> None:
    requests_a = list(resolved(AUTH0_ITEM, VarMode.ENV))
    requests_b = list(resolved(AUTH0_ITEM, VarMode.ENV))
    first = [render(r, target, base_dir=str(COLLECTIONS)) for r in requests_a]
    second = [render(r, target, base_dir=str(COLLECTIONS)) for r in requests_b]
    assert first == second


# --------------------------------------------------------------------------- the Chilkat seed


class _Normalise(ast.NodeTransformer):
    """Spellings of one statement: ``x == False`` is ``not x`` (ast already drops redundant parentheses)."""

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if (
            len(node.ops) == 1
            and isinstance(node.ops[0], ast.Eq)
            and isinstance(node.comparators[0], ast.Constant)
            and node.comparators[0].value is False
        ):
            return ast.UnaryOp(op=ast.Not(), operand=node.left)
        return node


def statements(source: str) -> list[str]:
    """The module's statements, comments and layout ignored, one ``ast.dump`` each."""
    tree = _Normalise().visit(ast.parse(source))
    return [ast.dump(node) for node in tree.body]


@pytest.mark.skipif(not (SEED / "seed-chilkat2.py").is_file(), reason="the Chilkat seed is not present")
def test_chilkat_seed_has_the_same_statements() -> None:
    (request,) = resolved(AUTH0_ITEM, VarMode.KEEP)
    generated = render(request, "chilkat2-python", base_dir=str(COLLECTIONS))
    seed = (SEED / "seed-chilkat2.py").read_text(encoding="utf-8")
    assert statements(generated) == statements(seed)


def test_chilkat_seed_comment_shows_the_body() -> None:
    (request,) = resolved(AUTH0_ITEM, VarMode.KEEP)
    generated = render(request, "chilkat2-python", base_dir=str(COLLECTIONS))
    assert '# Adds the "Authorization: Bearer {{auth0_token}}" header.' in generated
    assert '#   "blocked": true,' in generated
    assert 'json.UpdateBool("blocked", True)' in generated


def test_chilkat_env_mode_reads_the_environment() -> None:
    (request,) = resolved(AUTH0_ITEM, VarMode.ENV)
    generated = render(request, "chilkat2-python", base_dir=str(COLLECTIONS))
    # AuthToken would read a value starting with "{" as JSON: a run-time token goes as the header itself
    assert 'http.SetRequestHeader("Authorization", "Bearer " + os.environ["AUTH0_TOKEN"])' in generated
    assert "http.AuthToken" not in generated
    assert "import os" in generated


# --------------------------------------------------------------------------- run against the capture server


@pytest.mark.needs_extra("chilkat2")
def test_chilkat_sends_the_auth0_request(tmp_path: Path) -> None:
    with CaptureServer() as server:
        cli = {"auth0_domain": f"127.0.0.1:{server.port}", "auth0_token": "tok-123"}
        (request,) = resolved(AUTH0_ITEM, VarMode.INLINE, cli)
        code = render(request, "chilkat2-python", base_dir=str(COLLECTIONS)).replace("https://", "http://")
        script = tmp_path / "auth0.py"
        script.write_text(code, encoding="utf-8")
        result = _run([sys.executable, str(script)])
        assert result.returncode == 0, result.stderr
        (captured,) = server.wait_for(1)
    assert captured.method == "PATCH"
    assert captured.target == "/api/v2/users/:id"
    assert captured.header("Authorization") == "Bearer tok-123"
    assert captured.header("Content-Type") == "application/json"
    assert json.loads(captured.body) == json.loads(request.body.text)  # type: ignore[union-attr]


@pytest.mark.needs_extra("chilkat2")
def test_chilkat_sends_an_empty_header_in_its_place(tmp_path: Path) -> None:
    """SetRequestHeader drops an empty value: such a request goes through HttpRequest.AddHeader."""
    source = tmp_path / "empty.postman_collection.json"
    headers = [("Content-Type", "text/plain"), ("X-A", "1"), ("X-Empty", ""), ("X-B", "2")]
    item = _item("empty", "POST", headers, {"mode": "raw", "raw": "x"})
    document = {"info": {"name": "empty", "schema": SCHEMA}, "item": [item]}
    source.write_text(json.dumps(document), encoding="utf-8")
    with CaptureServer() as server:
        (request,) = resolved(source, VarMode.INLINE, {"base_url": server.url, "segment": "s", "query": "q"})
        code = render(request, "chilkat2-python", base_dir=str(tmp_path))
        assert "not sent exactly" not in code and "req.AddHeader(" in code
        script = tmp_path / "empty.py"
        script.write_text(code, encoding="utf-8")
        result = _run([sys.executable, str(script)])
        assert result.returncode == 0, result.stderr
        (captured,) = server.wait_for(1)
    names = [name for name, _ in captured.headers if name.startswith("X-")]
    assert names == ["X-A", "X-Empty", "X-B"] and captured.header("X-Empty") == ""
    assert captured.body == b"x"


@pytest.mark.needs_extra("httpie")
def test_httpie_sends_awkward_values_literally(tmp_path: Path) -> None:
    """Shell syntax in values is sent as text and never runs; repeated and '='/'@' headers survive."""
    awkward = awkward_collection(tmp_path)
    with CaptureServer() as server:
        (request,) = [
            r for r in resolved(awkward, VarMode.INLINE, {"base_url": server.url}) if r.name == "headers"
        ]
        script = tmp_path / "headers.sh"
        script.write_text(render(request, "httpie", base_dir=str(tmp_path)), encoding="utf-8")
        result = subprocess.run(
            ["bash", str(script)], capture_output=True, text=True, timeout=60, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        (captured,) = server.wait_for(1)
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "PWNED2").exists()
    assert captured.header_values("X-Dup") == ["a", "b"]
    assert captured.header("X-Eq") == "=x" and captured.header("X-At") == "@x"
    assert captured.header("X-Awkward").encode("latin-1").decode("utf-8") == AWKWARD  # type: ignore[union-attr]


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_node_fetch_warns_about_what_fetch_cannot_send() -> None:
    collection = postman_gen.load(COLLECTIONS / "features.postman_collection.json")
    texts = {}
    for selected in select(collection, []):
        try:
            request = resolve(collection, selected.folders, selected.item, Values(), ResolveOptions())
        except postman_gen.ResolveError:
            continue
        texts[request.name] = render(request, "node-fetch", base_dir=str(COLLECTIONS))
    assert "fetch joins the x-dup headers into one line" in texts["Duplicate and disabled headers"]
    assert "fetch cannot send a body with a GET request" in texts["GET with body (pruning disabled)"]
