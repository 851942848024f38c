"""Resolution: golden snapshots of every example item, and the rules Postman follows."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

import postman_gen
from postman_gen.errors import ResolveError
from postman_gen.resolution.placeholders import respell_tokens
from postman_gen.resolution.request import FormBody, HeaderOrigin, MultipartBody, NoBody, RawBody, VarMode
from postman_gen.resolution.resolver import ResolveOptions, Values
from postman_gen.views.snapshot import request_to_dict
from tests.conftest import COLLECTIONS, corpus_collections
from tests.golden import GOLDEN, check_golden

EXAMPLES = sorted(COLLECTIONS.glob("*.postman_*.json"))
EXAMPLES = [p for p in EXAMPLES if "environment" not in p.name]
ENV = COLLECTIONS / "local.postman_environment.json"


def _resolve_file(
    path: Path, mode: VarMode = VarMode.INLINE, **cli: str
) -> list[postman_gen.ResolvedRequest]:
    collection = postman_gen.load(path)
    values = Values(environment=postman_gen.load_variables(ENV), cli=cli)
    return postman_gen.resolve_all(collection, (), values, ResolveOptions(mode=mode, seed=7))


def _basic(value: str) -> str:
    """A Basic credential holding tokens, with them spelt as in the goldens (see ``_snapshot``)."""
    if not value.startswith("Basic "):
        return value
    text = base64.b64decode(value[6:]).decode("utf-8")
    return "Basic " + base64.b64encode(respell_tokens(text, "zqpgv{}vgpqz").encode()).decode()


def _snapshot(path: Path, mode: VarMode) -> str:
    docs = [request_to_dict(r, show_secrets=True, base=str(COLLECTIONS)) for r in _resolve_file(path, mode)]
    for doc in docs:  # dynamic values differ from run to run only by seed; timestamps are pinned by name
        doc["headers"] = [[n, "<dynamic>" if n == "X-Trace" else _basic(v), o] for n, v, o in doc["headers"]]
    # tokens are drawn afresh by each process: the goldens spell token N as zqpgvNvgpqz
    return respell_tokens(json.dumps(docs, indent=2, ensure_ascii=False), "zqpgv{}vgpqz") + "\n"


@pytest.mark.parametrize("mode", [VarMode.INLINE, VarMode.KEEP, VarMode.ENV], ids=lambda m: m.value)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_golden_resolved_requests(path: Path, mode: VarMode, update_goldens: bool) -> None:
    golden = GOLDEN / "resolved" / f"{path.name.split('.')[0]}.{mode.value}.json"
    check_golden(golden, _snapshot(path, mode), update_goldens)


def _by_name(requests: list[postman_gen.ResolvedRequest], name: str) -> postman_gen.ResolvedRequest:
    (found,) = [r for r in requests if r.name == name]
    return found


@pytest.fixture(scope="module")
def features() -> list[postman_gen.ResolvedRequest]:
    return _resolve_file(COLLECTIONS / "features.postman_collection.json")


def test_auth0_item_resolves_to_the_done_when_request() -> None:
    collection = postman_gen.load(COLLECTIONS / "auth0-update-a-user.postman_item.json")
    values = Values(cli={"auth0_domain": "127.0.0.1:8080", "auth0_token": "abc"})
    (req,) = postman_gen.resolve_all(collection, (), values, ResolveOptions(path_vars={"id": "42"}))
    assert (req.method, req.url, req.target) == (
        "PATCH",
        "https://127.0.0.1:8080/api/v2/users/42",
        "/api/v2/users/42",
    )
    assert [(h.name, h.value) for h in req.headers] == [
        ("Authorization", "Bearer abc"),
        ("Content-Type", "application/json"),
    ]
    raw = json.loads((COLLECTIONS / "auth0-update-a-user.postman_item.json").read_text())["request"]["body"][
        "raw"
    ]
    assert isinstance(req.body, RawBody) and req.body.data == raw.encode()


def test_auth_inheritance(features: list[postman_gen.ResolvedRequest]) -> None:
    inherited = _by_name(features, "Inherits through two folders")
    assert inherited.auth is not None and inherited.auth.source == "folder:Auth"
    assert inherited.header(
        "Authorization",
    ).startswith("Basic ")  # type: ignore[union-attr]
    assert _by_name(features, "No auth stops inheritance").header("Authorization") is None
    assert _by_name(features, "Raw JSON").auth.source == "collection"  # type: ignore[union-attr]
    digest = _by_name(features, "Digest (computed when sent)")
    assert digest.auth is not None and digest.auth.computed and digest.header("Authorization") is None


def test_static_auth_places(features: list[postman_gen.ResolvedRequest]) -> None:
    assert _by_name(features, "API key in query").url.endswith("?a=1&api_key=local-token-123")
    apikey = _by_name(features, "API key in header")
    assert [(h.name, h.origin) for h in apikey.headers] == [("X-API-Key", HeaderOrigin.AUTH)]


def test_bodies(features: list[postman_gen.ResolvedRequest]) -> None:
    raw = _by_name(features, "Raw JSON")
    assert (
        isinstance(raw.body, RawBody)
        and '"greeting": "Hello Ada"' in raw.body.text
        and "\r\n" in raw.body.text
    )
    xml = _by_name(features, "Raw XML (implied Content-Type)")
    assert xml.header("Content-Type") == "application/xml"
    assert _by_name(features, "Raw text without language").header("Content-Type") == "text/plain"
    form = _by_name(features, "Urlencoded with disabled field")
    assert isinstance(form.body, FormBody) and [k for k, _ in form.body.fields] == [
        "grant_type",
        "username",
        "password",
        "scope",
        "empty",
    ]
    multipart = _by_name(features, "Multipart with files")
    assert isinstance(multipart.body, MultipartBody) and [p.name for p in multipart.body.parts] == [
        "title",
        "meta",
        "document",
        "image",
    ]
    gql = _by_name(features, "GraphQL")
    assert isinstance(gql.body, RawBody) and json.loads(gql.body.text)["variables"] == {"id": "42"}
    assert isinstance(_by_name(features, "GET body is pruned").body, NoBody)
    assert isinstance(_by_name(features, "GET with body (pruning disabled)").body, RawBody)


def test_headers_keep_order_and_duplicates(features: list[postman_gen.ResolvedRequest]) -> None:
    req = _by_name(features, "Duplicate and disabled headers")
    names = [h.name for h in req.headers if h.origin is HeaderOrigin.REQUEST]
    assert names == ["X-Dup", "X-Dup", "X-Empty", "Accept", "X-Greeting"]


def test_unresolved_variable_warns(features: list[postman_gen.ResolvedRequest]) -> None:
    req = _by_name(features, "Unresolved variable stays as written")
    assert req.header("X-Missing") == "{{not_defined}}"
    assert any("not_defined" in w.message for w in req.warnings)


def test_path_variables_and_override() -> None:
    reqs = _resolve_file(COLLECTIONS / "features.postman_collection.json")
    assert _by_name(reqs, "Path variables").target == "/users/42/posts/7"


def test_unset_path_variable_stays_and_warns() -> None:
    collection = postman_gen.load(COLLECTIONS / "auth0-update-a-user.postman_item.json")
    (req,) = postman_gen.resolve_all(collection, (), Values(cli={"auth0_domain": "h", "auth0_token": "t"}))
    assert req.target == "/api/v2/users/:id"
    assert any(":id" in w.message for w in req.warnings)


@pytest.mark.parametrize("bad", ["X-Bad\r\nInjected: 1", "line\nbreak"])
def test_header_value_with_crlf_is_an_error(tmp_path: Path, bad: str) -> None:
    item = {
        "name": "bad",
        "request": {"method": "GET", "url": "http://127.0.0.1/x", "header": [{"key": "X", "value": "{{v}}"}]},
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(item))
    collection = postman_gen.load(path)
    with pytest.raises(ResolveError, match="CR, LF") as info:
        postman_gen.resolve_all(collection, (), Values(cli={"v": bad}))
    assert info.value.where == "request.header"


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus_collections(), ids=lambda p: p.name)
def test_every_corpus_item_resolves(path: Path) -> None:
    collection = postman_gen.load(path)
    requests = postman_gen.resolve_all(collection, (), Values(), ResolveOptions(seed=1))
    assert len(requests) == sum(1 for _ in collection.walk())
    for mode in (VarMode.KEEP, VarMode.ENV):
        postman_gen.resolve_all(collection, (), Values(), ResolveOptions(mode=mode, seed=1))
