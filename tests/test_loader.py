"""Tests of the collection loader: reading, encodings, kind detection, schema validation, limits, speed."""

from __future__ import annotations

import codecs
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postman_gen.collection import loader
from postman_gen.collection.loader import Kind
from postman_gen.errors import Diagnostic, InputError, Level, ValidationError

HERE = Path(__file__).resolve().parent
BAD = HERE / "inputs" / "bad"
ENCODINGS = HERE / "inputs" / "encodings"
CORPUS = Path("/work/shared/corpus")
V1_FILE = "newman-multi-level-folders-v1.postman_collection.json"


def corpus_files(pattern: str) -> list[str]:
    """Names of corpus files matching a glob (empty when the corpus is absent)."""
    return sorted(p.name for p in CORPUS.glob(pattern)) if CORPUS.is_dir() else []


def corpus_path(name: str) -> Path:
    """A corpus file, or skip the test when the corpus is not on this machine."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} is absent")
    return path


def collection(items: list[Any], **top: Any) -> dict[str, Any]:
    """A minimal v2.1 collection around some items."""
    info = {"name": "t", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}
    return {"info": info, "item": items, **top}


def request_item(**request: Any) -> dict[str, Any]:
    """A request item with a GET to example.com, overridden by ``request``."""
    return {"name": "r", "request": {"method": "GET", "url": "https://example.com/", **request}}


def problems_of(data: Any, kind: Kind | None = None) -> list[Diagnostic]:
    return loader.validate(data, file="t.json", kind=kind)


# ---------------------------------------- corpus


@pytest.mark.parametrize(
    "name", [n for n in corpus_files("*.postman_collection.json") if n != V1_FILE] or ["<absent>"]
)
def test_every_corpus_collection_loads_without_problems(name: str) -> None:
    data, kind = loader.load_document(corpus_path(name))
    assert kind is Kind.COLLECTION
    assert problems_of(data) == []


def test_v1_collection_gives_one_clear_error() -> None:
    path = corpus_path(V1_FILE)
    with pytest.raises(ValidationError) as caught:
        loader.load_document(path, name="v1.json")
    assert len(caught.value.problems) == 1
    text = str(caught.value)
    assert text.startswith("v1.json: ") and "v1 is not supported" in text and "v2.1" in text
    assert "\n" not in text


@pytest.mark.parametrize(
    "name",
    corpus_files("*.postman_environment.json") + corpus_files("*.postman_globals.json") or ["<absent>"],
)
def test_corpus_environments_and_globals_load(name: str) -> None:
    variables = loader.read_variables_file(corpus_path(name))
    assert variables
    for key, value, enabled in variables:
        assert (
            isinstance(key, str) and (value is None or isinstance(value, str)) and isinstance(enabled, bool)
        )


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("paypal-checkout-flows.postman_collection.json", "2.0.0"),  # explicit v2.0.0
        ("stripe-api.postman_collection.json", "2.1.0"),  # explicit v2.1.0
        ("pmcollection-collection-v2.postman_collection.json", "2.0.0"),  # no schema, object-form auth
        ("pmcollection-digest.postman_collection.json", "2.0.0"),  # ".../collection/v2/..." URL
        ("newman-inherited-entities.postman_collection.json", "2.1.0"),  # no info, list-form auth
        ("schemas-helpers-v2.0.postman_collection.json", "2.0.0"),  # draft-07 style URL
    ],
)
def test_schema_version_of_corpus_files(name: str, version: str) -> None:
    assert loader.schema_version(loader.read_json(corpus_path(name))) == version


@pytest.mark.parametrize(
    "name", ["stripe-api.postman_collection.json", "sabre-booking-management.postman_collection.json"]
)
def test_large_collections_load(name: str) -> None:
    """Loaded twice (the second time from warm caches) to the same model; how fast is bench/render.py's
    business (load is inside its timings), not a test's: a timing assert fails on a busy machine."""
    path = corpus_path(name)
    first = loader.load_document(path)
    assert loader.load_document(path) == first


# ---------------------------------------- bad inputs

BAD_CASES = [
    ("empty.json", InputError, "line 1 column 1", "empty"),
    ("binary.json", InputError, "line 1 column 1", "binary"),
    ("truncated.json", InputError, "line 17 column 8", "truncated"),
    ("not-an-object.json", InputError, "", "top level is a JSON string"),
    ("deep.json", InputError, "line 1 column 257", "nested deeper than 256"),
    ("wrong-url-type.json", ValidationError, "item[1].request.url", "expected string or object, got number"),
    ("wrong-method-type.json", ValidationError, "item[0].request.method", "expected string, got array"),
    ("unknown-auth-type.json", ValidationError, "item[0].request.auth.type", 'unknown auth type "kerberos"'),
    ("unknown-body-mode.json", ValidationError, "item[2].request.body.mode", 'unknown body mode "binary"'),
    (
        "header-without-key.json",
        ValidationError,
        "item[0].item[0].request.header[1]",
        "missing required key 'key'",
    ),
    ("neither-item-nor-folder.json", ValidationError, "item[1]", "neither 'request'"),
    ("auth-form-mismatch.json", ValidationError, "auth.basic", "v2.0.0 object form"),
]


@pytest.mark.parametrize(("name", "error", "where", "words"), BAD_CASES)
def test_bad_inputs_fail_with_one_located_line(
    name: str, error: type[Exception], where: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        loader.load_document(BAD / name, name=name)
    exc = caught.value
    assert type(exc) is error
    text = str(exc)
    assert "\n" not in text and len(text) < 300
    assert text.startswith(f"{name}: ")
    assert exc.where == where
    assert words in text


def test_bad_input_default_name_is_the_path() -> None:
    with pytest.raises(InputError) as caught:
        loader.load_document(BAD / "empty.json")
    assert caught.value.file == str(BAD / "empty.json")


def test_absurdly_deep_json_is_refused() -> None:
    with pytest.raises(InputError, match="nested deeper"):
        loader.read_json(b"[" * 100_000 + b"]" * 100_000, name="deep")
    with pytest.raises(InputError, match="nested deeper"):
        loader.read_json(b'{"a":' * 100_000 + b"1" + b"}" * 100_000, name="deep")


def test_depth_just_below_the_limit_is_fine() -> None:
    depth = loader.MAX_DEPTH
    assert loader.read_json(b"[" * depth + b"]" * depth) == loader.read_json(b"[" * depth + b"]" * depth)
    with pytest.raises(InputError):
        loader.read_json(b"[" * (depth + 1) + b"]" * (depth + 1))


def test_too_large_input_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"values": [{"key": "k", "value": "v" * 200}]}))
    with pytest.raises(InputError, match="larger than"):
        loader.read_json(path)
    with pytest.raises(InputError, match="larger than"):
        loader.read_json(path.read_bytes())


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        loader.read_json(tmp_path / "nope.json")
    with pytest.raises(InputError, match="cannot read file"):
        loader.read_json(tmp_path)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"\xff\xfe\xfd", "not valid"),
        (b'{"a": "\xc3\x28"}', "not valid UTF-8"),
        (b'{"a": NaN}', "NaN"),
        (b'{"a": 1} trailing', "Extra data"),
        (b"   \r\n  ", "empty"),
        (b'{"a": "x\x00y"}', "NUL"),
    ],
)
def test_unreadable_bytes(raw: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        loader.read_json(raw, name="x.json")


def test_read_json_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = codecs.BOM_UTF16_LE + '{"values": []}'.encode("utf-16-le")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert loader.read_json("-") == {"values": []}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(InputError) as caught:
        loader.read_json("-")
    assert caught.value.file == "<stdin>"


# ---------------------------------------- encodings


def test_encodings_all_give_the_same_values() -> None:
    files = sorted(ENCODINGS.glob("*.json"))
    names = {f.name for f in files}
    assert {
        "env.utf-8-bom.json",
        "env.utf-16-le-bom.json",
        "env.utf-16-be-bom.json",
        "env.utf-16-le.json",
    } <= names
    expected = [
        ("baseUrl", "https://example.com/äöü", True),
        ("greeting", "Grüße, 日本語, 🍪", True),
        ("retries", "3", True),
        ("debug", "false", False),
        ("empty", "null", True),  # a null value: Newman substitutes "null"
    ]
    for path in files:
        assert loader.read_variables_file(path) == expected, path.name


@pytest.mark.parametrize(
    "codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
@given(value=st.text())
@settings(max_examples=30, deadline=None)
def test_any_text_round_trips_in_every_encoding(codec: str, value: str) -> None:
    value = value.encode("utf-16", "surrogatepass").decode(
        "utf-16", "replace"
    )  # lone surrogates: not encodable
    data = {"values": [{"key": "k", "value": value}]}
    assert loader.read_json(json.dumps(data, ensure_ascii=False).encode(codec)) == data


# ---------------------------------------- kinds


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (collection([]), Kind.COLLECTION),
        ({"name": "old sdk", "item": [], "variable": []}, Kind.COLLECTION),
        ({"id": "f1", "name": "folder", "item": []}, Kind.FOLDER),
        ({"name": "folder", "item": [], "_postman_isSubFolder": True}, Kind.FOLDER),
        (request_item(), Kind.ITEM),
        ({"name": "e", "values": []}, Kind.ENVIRONMENT),
        ({"values": [], "_postman_variable_scope": "globals"}, Kind.GLOBALS),
        ([{"key": "a", "value": "b"}], Kind.GLOBALS),
        ({"id": "x", "name": "v1", "order": [], "requests": []}, Kind.V1_COLLECTION),
    ],
)
def test_detect_kind(data: Any, kind: Kind) -> None:
    assert loader.detect_kind(data) is kind


@pytest.mark.parametrize("data", [42, "x", None, [1, 2], {"foo": 1}])
def test_detect_kind_rejects_other_json(data: Any) -> None:
    with pytest.raises(InputError):
        loader.detect_kind(data, file="f.json")
    assert [p.level for p in problems_of(data)] == [Level.ERROR]


def test_folder_and_bare_item_validate_against_their_part() -> None:
    folder = {"id": "f", "name": "f", "item": [request_item(url=7)]}
    assert [p.where for p in problems_of(folder)] == ["item[0].request.url"]
    assert [p.where for p in problems_of(request_item(url=7))] == ["request.url"]
    assert problems_of(request_item(), kind=Kind.ITEM) == []


# ---------------------------------------- schema rules


def v20(items: list[Any], **top: Any) -> dict[str, Any]:
    info = {"name": "t", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"}
    return {"info": info, "item": items, **top}


LENIENT = [
    collection([request_item()], _={"postman_id": "x"}, variables=[{"id": "only-id", "value": 1}]),
    {"name": "no info", "item": [request_item()]},
    collection([{"name": "plain", "request": "https://example.com/{{path}}"}]),
    collection([request_item(header="Accept: */*\nX-Two: 2")]),
    collection([request_item(header=[{"key": "A", "value": "1", "disabled": True, "type": "text"}])]),
    collection(
        [
            request_item(
                url={
                    "raw": "https://{{host}}/a/:id?x&y=1",
                    "protocol": "https",
                    "host": "{{host}}",
                    "path": ["a", ":id", {"type": "string", "value": "b"}],
                    "query": [{"key": "x", "value": None}, {"key": None, "value": "v", "disabled": True}],
                    "variable": [{"key": "id", "value": "7"}],
                }
            )
        ]
    ),
    collection([request_item(url={"host": ["api", "example", "com"], "path": "a/b"})]),
    collection([request_item(body={})]),
    collection([request_item(body={"mode": "raw", "raw": "<a/>", "options": {"raw": {"language": "xml"}}})]),
    collection(
        [
            request_item(
                body={
                    "mode": "formdata",
                    "formdata": [
                        {"key": "t", "value": "x", "type": "text", "contentType": "text/plain"},
                        {"key": "f", "type": "file", "src": ["a.txt", "b.txt"]},
                        {"key": "g", "type": "file", "src": None, "disabled": True},
                    ],
                }
            )
        ]
    ),
    collection([request_item(body={"mode": "urlencoded", "urlencoded": [{"key": "a", "value": None}]})]),
    collection([request_item(body={"mode": "file", "file": {"src": "/tmp/x.bin"}, "disabled": True})]),
    collection([request_item(body={"mode": "graphql", "graphql": {"query": "{ a }", "variables": ""}})]),
    collection(
        [request_item()],
        auth={"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}", "type": "string"}]},
        event=[{"listen": "prerequest", "script": {"exec": "console.log(1)", "type": "text/javascript"}}],
        protocolProfileBehavior={"disableBodyPruning": True},
        variable=[{"key": "a", "value": True}, {"id": "b"}],
    ),
    collection([{**request_item(), "response": [{"name": "ex", "code": 200, "body": None, "header": None}]}]),
    collection([{"name": "d", "description": {"content": "x", "type": "text/markdown"}, "item": []}]),
    v20([request_item(auth={"type": "basic", "basic": {"username": "u", "password": "p"}})]),
    v20([request_item(auth={"type": "noauth"})], auth=None),
    collection([request_item(auth={"type": "noauth", "noauth": {}})]),
    collection(
        [request_item(auth={"type": "bearer", "bearer": [], "basic": {"leftover": "of another type"}})]
    ),
]


@pytest.mark.parametrize("data", LENIENT)
def test_harmless_deviations_are_accepted(data: Any) -> None:
    assert problems_of(data) == []


STRICT = [
    (collection([request_item(method=None)]), "item[0].request.method"),
    (collection([request_item(header={"Accept": "x"})]), "item[0].request.header"),
    (collection([request_item(header=[{"key": "A", "value": 1}])]), "item[0].request.header[0].value"),
    (collection([request_item(url={"host": 5})]), "item[0].request.url.host"),
    (
        collection([request_item(url={"query": [{"key": "a", "disabled": "yes"}]})]),
        "item[0].request.url.query[0].disabled",
    ),
    (collection([request_item(body={"mode": "raw", "raw": {"a": 1}})]), "item[0].request.body.raw"),
    (
        collection([request_item(body={"mode": "urlencoded", "urlencoded": [{"value": "v"}]})]),
        "item[0].request.body.urlencoded[0]",
    ),
    (
        collection([request_item(body={"mode": "formdata", "formdata": [{"key": "f", "type": "blob"}]})]),
        "item[0].request.body.formdata[0].type",
    ),
    (
        collection([request_item(auth={"type": "bearer", "bearer": {"token": "t"}})]),
        "item[0].request.auth.bearer",
    ),
    (
        v20([request_item(auth={"type": "basic", "basic": [{"key": "username", "value": "u"}]})]),
        "item[0].request.auth.basic",
    ),
    (collection([request_item(auth={"bearer": []})]), "item[0].request.auth"),
    (collection([request_item()], variable={"a": 1}), "variable"),
    (collection([{"name": "both", "request": "https://x", "item": []}]), "item[0]"),
    (collection([3]), "item[0]"),
    ({**collection([]), "item": "not a list"}, "item"),
    ({"info": {"name": "no items"}, "item": [{"name": "f", "item": [{"name": "x"}]}]}, "item[0].item[0]"),
    ({"values": [{"key": "k", "value": "v", "enabled": "yes"}]}, "values[0].enabled"),
    ([{"key": 1, "value": "v"}], "[0].key"),
]


@pytest.mark.parametrize(("data", "where"), STRICT)
def test_dangerous_shapes_are_errors_at_the_right_place(data: Any, where: str) -> None:
    problems = problems_of(data)
    assert where in [p.where for p in problems], problems
    for problem in problems:
        assert problem.level is Level.ERROR and problem.file == "t.json" and "\n" not in str(problem)


def test_all_problems_are_reported_in_document_order() -> None:
    data = collection(
        [
            request_item(url=1),
            {"name": "folder", "item": [request_item(method=2), {"name": "nothing"}]},
            request_item(body={"mode": "nope"}),
        ]
    )
    wheres = [p.where for p in problems_of(data)]
    assert wheres == [
        "item[0].request.url",
        "item[1].item[0].request.method",
        "item[1].item[1]",
        "item[2].request.body.mode",
    ]
    with pytest.raises(ValidationError) as caught:
        loader.load_document(json.dumps(data).encode(), name="many.json")
    assert len(caught.value.problems) == 4
    assert str(caught.value) == "many.json: item[0].request.url: expected string or object, got number"


def test_odd_keys_are_quoted_in_locations() -> None:
    data = {"values": [], "odd": 1}
    assert problems_of(data) == []
    problems = problems_of(collection([request_item(url={"query": [{"key": 1}]})]))
    assert [p.where for p in problems] == ["item[0].request.url.query[0].key"]
    assert loader._join("", ["a b", 0, "c"]) == '["a b"][0].c'


def test_read_variables_file_rejects_collections_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(collection([])))
    with pytest.raises(InputError, match="expected an environment or globals file"):
        loader.read_variables_file(path)
    path.write_text(json.dumps({"values": [{"key": 1, "value": "v"}]}))
    with pytest.raises(ValidationError) as caught:
        loader.read_variables_file(path, name="env.json")
    assert str(caught.value).startswith("env.json: values[0].key: ")


def test_read_variables_file_converts_and_skips() -> None:
    raw = json.dumps(
        [
            {"key": "n", "value": 1.5},
            {"key": "i", "value": 3},
            {"key": "b", "value": True, "enabled": False},
            {"key": "d", "value": "x", "disabled": True},
            {"id": "no-key", "value": "skipped"},
            {"key": "none"},
            {"key": "null", "value": None},
            {"key": "list", "value": [1.0, None, {"a": 1}]},
            {"key": "typed", "value": "0", "type": "boolean"},
        ]
    ).encode()
    assert loader.read_variables_file(raw) == [
        ("n", "1.5", True),
        ("i", "3", True),
        ("b", "true", False),
        ("d", "x", False),
        ("none", None, True),
        ("null", "null", True),
        ("list", "1,,[object Object]", True),
        ("typed", "true", True),
    ]


def test_schema_files_are_valid_json_schemas() -> None:
    from jsonschema.validators import validator_for

    for path in sorted((HERE.parent / "postman_gen" / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        validator_for(schema).check_schema(schema)


def test_full_recursive_schema_agrees_with_the_tree_walk() -> None:
    """The whole-file schema (recursive ``entry``) finds the same problem places as the per-node walk."""
    from jsonschema.validators import validator_for

    data = collection([request_item(url=1), {"name": "f", "item": [request_item(body={"mode": "x"})]}])
    schema = loader._schema("collection-v2.1.0")
    errors = validator_for(schema)(schema).iter_errors(data)
    assert sorted(loader._join("", e.absolute_path) for e in errors) == sorted(
        p.where for p in problems_of(data)
    )


# ---------------------------------------- properties

VOCAB = [
    "item",
    "request",
    "url",
    "method",
    "header",
    "body",
    "mode",
    "raw",
    "auth",
    "type",
    "key",
    "value",
    "disabled",
    "query",
    "host",
    "path",
    "variable",
    "event",
    "listen",
    "script",
    "exec",
    "formdata",
    "urlencoded",
    "src",
    "basic",
    "bearer",
    "info",
    "name",
    "values",
    "enabled",
    "response",
    "graphql",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.sampled_from(["raw", "formdata", "basic", "bearer", "noauth", "text", "file", "GET"]),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(VOCAB), inner, max_size=5)
    ),
    max_leaves=25,
)
PARTS = [
    ("collection-v2.1.0", "requestItem"),
    ("collection-v2.0.0", "requestItem"),
    ("collection-v2.1.0", "folderShell"),
    ("collection-v2.1.0", "collectionShell"),
    ("environment", "variablesFile"),
]


@pytest.mark.slow
@given(value=JSONISH)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_check_agrees_with_jsonschema(value: Any) -> None:
    for schema_name, part in PARTS:
        fast = loader._fast_check(schema_name, part)(value)
        assert fast == loader._validator(schema_name, part).is_valid(value), (schema_name, part)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location inside a JSON value (the root included)."""
    found = [prefix]
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        found.extend(_paths(child, (*prefix, key)))
    return found


def _replaced(node: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``node`` with the value at ``path`` replaced."""
    if not path:
        return new
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = _replaced(node[path[0]], path[1:], new)
    return copy


@pytest.mark.slow
@given(data=st.data())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_check_agrees_with_jsonschema_on_mutated_valid_items(data: st.DataObject) -> None:
    """Start from valid items and break one spot: deep shapes that random JSON rarely reaches."""
    item = data.draw(st.sampled_from([doc["item"][0] for doc in LENIENT]))
    path = data.draw(st.sampled_from(_paths(item)))
    mutated = _replaced(item, path, data.draw(JSONISH))
    for schema_name in ("collection-v2.1.0", "collection-v2.0.0"):
        part = "folderShell" if isinstance(mutated, dict) and "item" in mutated else "requestItem"
        fast = loader._fast_check(schema_name, part)(mutated)
        assert fast == loader._validator(schema_name, part).is_valid(mutated)


@pytest.mark.slow
@given(value=JSONISH)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_validate_never_raises_and_gives_one_line_each(value: Any) -> None:
    for kind in (None, *Kind):
        for problem in loader.validate(value, file="f.json", kind=kind):
            assert problem.level is Level.ERROR and "\n" not in str(problem)


@given(raw=st.binary(max_size=200))
@settings(max_examples=300, deadline=None)
def test_read_json_fails_only_with_input_error(raw: bytes) -> None:
    try:
        loader.read_json(raw, name="fuzz")
    except InputError as exc:
        assert "\n" not in str(exc) and exc.file == "fuzz"


@pytest.mark.slow
def test_import_is_cheap() -> None:
    """Importing the loader must not pull in jsonschema (it is imported when a file turns out invalid)."""
    code = (
        "import sys, postman_gen; before = 'jsonschema' in sys.modules; "
        "import postman_gen.collection.loader; "
        "print(before or 'jsonschema' not in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=HERE.parent)
    if result.returncode != 0:
        pytest.skip(f"package does not import in a subprocess: {result.stderr.strip().splitlines()[-1:]}")
    assert result.stdout.strip() == "True"
