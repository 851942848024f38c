"""Hostile collections: the generated program sends the literal bytes ``run`` sends and touches no file.

Values a collection author controls are planted where a client's own syntax would give them a meaning:
``@file`` and ``<file`` (curl reads the file), names starting with ``-`` (an option of ``http`` or ``curl``:
``--output`` writes the response to a file, ``--proxy`` sends the request elsewhere), ``;type=`` and
``;headers=@file`` (curl's form syntax). Each is planted as a literal (``--vars inline``) and as the value
of a variable read from the environment when the program runs (``--vars env``). The program is executed
with its real runtime against the loopback capture server; it must send what ``run`` sends (unless its
header comment declares a difference), never the secret file's bytes, and create no file.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

import postman_gen
from postman_gen.render.engine import render
from postman_gen.resolution.placeholders import env_name
from postman_gen.resolution.request import VarMode
from postman_gen.resolution.resolver import ResolveOptions, Values
from tests.servers import CaptureServer
from tests.test_fidelity import SEED, TARGETS, _available, _run
from tests.wire_compare import CLIENT_EXTRA, assert_sent_matches

pytestmark = pytest.mark.slow  # runs postman-gen or generated code in subprocesses

SECRET = b"SECRET-FILE-CONTENT-4711"
# Relative paths name files in the folder the program runs in (the test's tmp_path).
_TEXT_PLANTS = [
    "@secret.txt",
    "<secret.txt",
    "@-",
    "--output=written.out",
    "--output",
    "-o",
    "written.out",
    "--proxy=http:http://127.0.0.1:9",
    "--download",
    "-",
    "--",
    "x;type=text/html",
    "x;headers=@secret.txt",
    "x;filename=secret.txt",
    '"; touch written.out; "',
    "$(touch written.out)",
    "a=@secret.txt",
    "a:=@secret.txt",
    "a==@secret.txt",
    'q"; filename="secret.txt',
    "crlf\r\nContent-Type: text/html\r\n\r\ninjected",
]
_NAME_PLANTS = [
    "-o",
    "--output",
    "--proxy",
    "--download",
    "-H",
    "-F",
    "--form",
    "-d",
    "--",
    "-",
    "--offline",
    "X-Plain",
]
_TYPE_PLANTS = [
    "text/plain;headers=@secret.txt",
    "text/plain;headers=<secret.txt",
    "text/plain; charset=utf-8",
    "text/plain;type=text/html",
    'text/plain;filename="secret.txt"',
    "application/json",
]

_TEXT = st.sampled_from(_TEXT_PLANTS)
_NAME = st.sampled_from(_NAME_PLANTS)


def _collection(
    mode: str, body_mode: str, name: str, value: str, header_name: str, header_value: str, ctype: str
) -> tuple[dict, dict[str, str]]:
    """The collection and the environment the ``env`` program reads (the collection's variables)."""
    variables: dict[str, str] = {}

    def v(text: str) -> str:
        if mode != "env":
            return text
        key = f"v{len(variables)}"
        variables[key] = text
        return "{{" + key + "}}"

    bodies = {
        "raw": {"mode": "raw", "raw": v(value)},
        "urlencoded": {"mode": "urlencoded", "urlencoded": [{"key": v(name), "value": v(value)}]},
        "formdata": {
            "mode": "formdata",
            "formdata": [
                {"key": v(name), "value": v(value), "type": "text"},
                {"key": v(value), "type": "file", "src": "data.txt", "contentType": v(ctype)},
            ],
        },
    }
    request = {
        "method": "POST",
        "header": [{"key": header_name, "value": v(header_value)}],
        "url": "http://{{host}}/anything",
        "body": bodies[body_mode],
    }
    document = {
        "info": {
            "name": "hostile",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [{"name": "hostile", "request": request}],
        "variable": [{"key": k, "value": text} for k, text in variables.items()],
    }
    return document, {env_name(k): text for k, text in variables.items()}


@pytest.fixture(scope="module")
def server() -> CaptureServer:
    with CaptureServer() as capture:
        yield capture


# The six first targets; the targets added later (issue 10) are checked by their own tests.
HARDENED = ("chilkat2-python", "curl", "httpie", "node-fetch", "python-http.client", "python-requests")


@pytest.mark.parametrize("target_name", [t for t in HARDENED if t in TARGETS])
@settings(
    max_examples=25,
    deadline=None,
    phases=(Phase.explicit, Phase.generate),  # each example runs a program: no slow shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    mode=st.sampled_from(["inline", "env"]),
    body_mode=st.sampled_from(["raw", "urlencoded", "formdata"]),
    name=st.one_of(_NAME, _TEXT),
    value=_TEXT,
    header_name=_NAME,
    header_value=_TEXT,
    ctype=st.sampled_from(_TYPE_PLANTS),
)
def test_planted_client_syntax_is_sent_literally_and_touches_no_file(
    target_name: str,
    server: CaptureServer,
    tmp_path_factory: pytest.TempPathFactory,
    mode: str,
    body_mode: str,
    name: str,
    value: str,
    header_name: str,
    header_value: str,
    ctype: str,
) -> None:
    target = TARGETS[target_name]
    if _available(target):
        pytest.skip(_available(target) or "")
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "secret.txt").write_bytes(SECRET)
    (folder / "data.txt").write_bytes(b"file part data\n")
    document, runtime = _collection(mode, body_mode, name, value, header_name, header_value, ctype)
    source = folder / "hostile.postman_collection.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    collection = postman_gen.load(source)
    authority = server.url.split("://", 1)[1]
    values = Values(cli={"host": authority})
    try:
        (expected,) = postman_gen.resolve_all(collection, (), values, ResolveOptions(seed=SEED))
        (symbolic,) = postman_gen.resolve_all(
            collection, (), values, ResolveOptions(seed=SEED, mode=VarMode(mode))
        )
        code = render(symbolic, target_name, base_dir=str(folder))
    except postman_gen.PostmanGenError:
        assume(False)  # refused, with one clear line: never mangled
        return
    before = sorted(p.name for p in folder.iterdir())
    server.clear()
    env = dict(os.environ, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1", **runtime, HOST=authority)
    result = _run(target, code, folder, folder, env)
    created = sorted(set(p.name for p in folder.iterdir()) - set(before) - {f"snippet.{target.extension}"})
    assert not created, f"the program created {created}\n--- code\n{code}"
    if result.returncode == 2 and "cannot send" in result.stderr:  # refused when run, before sending
        assert not server.requests and len(result.stderr.splitlines()) == 1, result.stderr
        return
    assert result.returncode == 0, f"{result.stderr[-2000:]}\n--- code\n{code}"
    sent = server.wait_for(1)
    assert len(server.requests) == 1, "more than one request arrived"
    first = sent[0]
    wire = first.body + "".join(f"{n}: {v}" for n, v in first.headers).encode("latin-1", "replace")
    assert SECRET not in wire, f"the program sent the secret file\n--- code\n{code}"
    if "not sent exactly:" in code:  # a difference the code's header comment declares
        return
    try:
        assert_sent_matches(first, expected, CLIENT_EXTRA | set(target.client_headers))
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- code\n{code}") from None
