"""One text for one value: ``value_text`` is JavaScript's ``String(value)``, whatever the value's source.

Checked three ways: against a committed table of node's answers (fast), the table against node itself and
hypothesis-made values against node (slow), and end to end: a collection variable, an environment file, a
JSON and a CSV data file and a script each give a value, and the request that reaches a loopback server
carries the text Newman sends (recorded from Newman 6 with the same inputs).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postman_gen.cli import main
from postman_gen.resolution.value_text import (
    UNDEFINED,
    js_number_text,
    value_text,
    variable_text,
    variable_value,
)
from tests.extras import require
from tests.js_string_table import committed_rows, inputs, node_rows
from tests.servers import CaptureServer

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


# --------------------------------------------------------------------------- against JavaScript


def _ours(text: str) -> list[str]:
    value = json.loads(text)
    return [text, value_text(value), variable_text(value, "number"), variable_text(value, "boolean")]


def test_every_row_of_the_node_table_is_matched() -> None:
    rows = committed_rows()
    assert len(rows) > 500
    assert [_ours(row[0]) for row in rows] == rows


@pytest.mark.slow
@needs_node
def test_the_committed_table_is_what_node_says() -> None:
    assert node_rows(inputs()) == committed_rows()


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.slow
@needs_node
@settings(max_examples=15, deadline=None)
@given(st.lists(_JSON, min_size=1, max_size=40))
def test_any_json_value_reads_as_node_reads_it(values: list[object]) -> None:
    texts = [json.dumps(v) for v in values]
    assert [_ours(t) for t in texts] == node_rows(texts)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_round_trips(value: float) -> None:
    text = js_number_text(value)
    assert float(text) == value or (value == 0 and text == "0")
    assert "e" not in text or math.fabs(value) >= 1e21 or math.fabs(value) < 1e-6


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_integers_print_without_exponent_or_point(value: int) -> None:
    assert js_number_text(float(value)) == str(value)


def test_undefined_is_empty_and_a_lone_surrogate_is_sent_as_replacement() -> None:
    assert value_text(UNDEFINED) == "" and value_text([1, UNDEFINED, None]) == "1,,"
    assert variable_text(UNDEFINED, "string") == "undefined"
    assert value_text("a\ud800b") == "a\ufffdb"


def test_variable_value_casts_as_postman_collection_does() -> None:
    """What ``Variable.get()`` returns to scripts (checked against Newman 6.2: ``pm.environment.get``)."""
    cases = [
        ((1, None), 1),
        (({"a": 1}, "default"), {"a": 1}),
        ((5, "secret"), 5),
        (("1", "number"), 1),
        (("1.5", "NUMBER"), 1.5),
        (("false", "boolean"), True),
        ((7, "string"), "7"),
        ((UNDEFINED, "string"), "undefined"),
        (('{"x": 2}', "object"), {"x": 2}),
        (("[1]", "object"), UNDEFINED),
        (("[1, 2]", "array"), [1, 2]),
        (("nope", "array"), UNDEFINED),
    ]
    for (value, type_), expected in cases:
        assert variable_value(value, type_) == expected, (value, type_)
        assert variable_text(value, type_) == ("" if expected is UNDEFINED else value_text(expected))
    assert math.isnan(variable_value("x", "number")) and variable_text("x", "number") == "NaN"
    assert variable_text('{"x": 2}', "object") == "[object Object]"  # as Newman sends it


# --------------------------------------------------------------------------- every source, end to end

# name -> the value as JSON text, and what Newman substitutes for it
CASES = {
    "f100": ("100.0", "100"),
    "tiny": ("1e-7", "1e-7"),
    "big": ("1e21", "1e+21"),
    "nul": ("null", "null"),
    "lst": ('[1,"b",null,[2,3],{"a":1},true]', "1,b,,2,3,[object%20Object],true"),
    "obj": ('{"a":1}', "[object%20Object]"),
}
SOURCES = ("v", "e", "d", "s")  # collection variable, environment, JSON data row, script


def _query(prefixes: tuple[str, ...]) -> str:
    return "&".join(f"{p}{n}={{{{{p}{n}}}}}" for p in prefixes for n in CASES)


def _collection(url: str, *, script: bool) -> dict[str, object]:
    variables = [json.loads(f'{{"key":"v{n}","value":{v}}}') for n, (v, _) in CASES.items()]
    variables += [
        {"key": "vmissing"},
        {"key": "vnum", "value": "10.50", "type": "number"},
        {"key": "vbool", "value": "false", "type": "boolean"},
    ]
    prefixes = SOURCES if script else SOURCES[:3]
    item: dict[str, object] = {
        "name": "values",
        "request": {
            "method": "GET",
            "url": f"{url}/x?{_query(prefixes)}&" + "vmissing={{vmissing}}&vnum={{vnum}}&vbool={{vbool}}",
        },
    }
    if script:
        source = "\n".join(f"pm.environment.set('s{n}', {v});" for n, (v, _) in CASES.items())
        item["event"] = [{"listen": "prerequest", "script": {"exec": [source]}}]
    return {
        "info": {"name": "values", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/"},
        "variable": variables,
        "item": [item],
    }


def _expected(prefixes: tuple[str, ...]) -> str:
    pairs = [
        f"{p}{n}={'{{dnul}}' if p + n == 'dnul' else text}"
        for p in prefixes
        for n, (_, text) in CASES.items()
    ]
    return "/x?" + "&".join(pairs) + "&vmissing=&vnum=10.5&vbool=true"


def _inputs(tmp_path: Path, url: str, *, script: bool) -> list[str]:
    (tmp_path / "c.json").write_text(json.dumps(_collection(url, script=script)))
    env = [json.loads(f'{{"key":"e{n}","value":{v}}}') for n, (v, _) in CASES.items()]
    (tmp_path / "env.json").write_text(json.dumps({"name": "env", "values": env}))
    row = json.loads("{" + ",".join(f'"d{n}":{v}' for n, (v, _) in CASES.items()) + "}")
    (tmp_path / "data.json").write_text(json.dumps([row]))
    return [str(tmp_path / "c.json"), "-e", str(tmp_path / "env.json"), "-d", str(tmp_path / "data.json")]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_every_source_sends_newmans_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with CaptureServer() as server:
        args = _inputs(tmp_path, server.url, script=False)
        status, _, err = _cli(capsys, "run", *args, "--no-scripts")
        assert status == 0, err
        [sent] = server.requests
    assert sent.target == _expected(SOURCES[:3])
    assert "unresolved variable {{dnul}}" in err  # a null in the data is sent as written, as Newman does


def test_show_prints_what_run_sends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _inputs(tmp_path, "http://127.0.0.1:9", script=False)
    status, out, _ = _cli(capsys, "show", *args[:3])
    assert status == 0
    first_line = out.splitlines()[0]
    assert "vf100=100&vtiny=1e-7&vbig=1e+21&vnul=null&vlst=1,b,,2,3,[object%20Object],true" in first_line
    assert "ef100=100&etiny=1e-7&ebig=1e+21&enul=null" in first_line


def test_csv_numbers_read_as_the_json_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with CaptureServer() as server:
        args = _inputs(tmp_path, server.url, script=False)
        (tmp_path / "data.csv").write_text("df100,dtiny,dbig,dnul,dlst,dobj\n100.0,1e-7,1e21,null,a,b\n")
        args[-1] = str(tmp_path / "data.csv")
        assert _cli(capsys, "run", *args, "--no-scripts")[0] == 0
        [sent] = server.requests
    assert "&df100=100&dtiny=1e-7&dbig=1e+21&dnul=null&dlst=a&dobj=b&" in sent.target


def test_script_values_read_as_newman_reads_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require("scripts")
    with CaptureServer() as server:
        status, _, err = _cli(capsys, "run", *_inputs(tmp_path, server.url, script=True))
        assert status == 0, err
        [sent] = server.requests
    assert sent.target == _expected(SOURCES)
