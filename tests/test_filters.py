"""The escaping filters, checked by the real readers: Python, bash, shlex, Node, JSON, ruff, shellcheck."""

from __future__ import annotations

import ast
import itertools
import json
import keyword
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postman_gen.errors import ResolveError, UsageError
from postman_gen.render import filters
from postman_gen.render.filters import (
    FILTERS,
    JS_ENV_FUNCTION,
    comment_text,
    ident,
    js_expr,
    js_imports_for,
    js_str,
    json_dumps,
    json_str,
    py_bytes,
    py_expr,
    py_imports_for,
    py_str,
    sh_expr,
    sh_needs_quote,
    sh_quote,
    sh_word,
)
from postman_gen.resolution.placeholders import Placeholder, PlaceholderKind, token

BASH = shutil.which("bash")
NODE = shutil.which("node")
RUFF = shutil.which("ruff")
SHELLCHECK = shutil.which("shellcheck")

AWKWARD = [
    "",
    " ",
    "plain",
    "it's",
    'say "hi"',
    "both ' and \"",
    "'\"'\"''",
    '""\'',
    "back\\slash\\",
    "\\n is not a newline",
    "$(rm -rf /) `id` ${HOME} $HOME",
    "bang! !! !$",
    "100% %s %d {} {0} {{x}}",
    "line1\nline2",
    "crlf\r\nend",
    "tab\there",
    "\x1b[31mred\x1b[0m \x7f \x85 \xa0",
    "sep\u2028para\u2029",
    "bidi \u202eevil\u202c zero\u200bwidth \ufeff",
    "emoji 😀 family 👨\u200d👩\u200d👧 flag 🇫🇷",
    "astral 𝕏 𐍈 \U0010fffd",
    "*/ end of comment /* --> -- <!--",
    "#!/bin/sh",
    "-n",
    "=cmd",
    "~user",
    "a\\'b",
    "é ü 中文 العربية",
    "x" * 100_000,
    "\"'\\\n" * 25_000,
]
NUL = "nul\x00inside"
LONE_SURROGATES = ["lone \ud800 high", "lone \udc00 low", "\ud83d\ude00 pair of lone halves"]

any_char = st.characters(exclude_categories=())  # surrogates included
any_text = st.text(any_char)
no_nul_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
quotes_heavy = st.text(st.sampled_from("\"'\\ a\n$`!\u2028😀"), max_size=20)


def _utf16(s: str) -> list[int]:
    """UTF-16 code units: how JavaScript and JSON see a string."""
    data = s.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


# --------------------------------------------------------------------------- Python


@pytest.mark.parametrize("s", AWKWARD + [NUL] + LONE_SURROGATES)
def test_py_str_round_trips(s: str) -> None:
    assert ast.literal_eval(py_str(s)) == s


@given(any_text)
def test_py_str_round_trips_any_text(s: str) -> None:
    literal = py_str(s)
    assert ast.literal_eval(literal) == s
    assert "\n" not in literal and "\r" not in literal


def test_py_str_is_readable() -> None:
    assert py_str("héllo 😀") == '"héllo 😀"'
    assert py_str('say "hi"') == "'say \"hi\"'"
    assert py_str("it's") == '"it\'s"'
    assert py_str("a\nb\tc\u2028\x00") == '"a\\nb\\tc\\u2028\\x00"'


@pytest.mark.parametrize("b", [b"", b"abc", b"\x00\xff\n\r\t", b"'\"\\", bytes(range(256))])
def test_py_bytes_round_trips(b: bytes) -> None:
    assert ast.literal_eval(py_bytes(b)) == b


@given(st.binary())
def test_py_bytes_round_trips_any_bytes(b: bytes) -> None:
    literal = py_bytes(b)
    assert literal.isascii()
    assert ast.literal_eval(literal) == b


def _ruff_samples() -> list[str]:
    """Awkward strings plus every short mix of quotes and backslashes, where quote choice matters."""
    mixes = ["".join(c) for c in itertools.product(["'", '"', "\\", "a", "\\'"], repeat=4)]
    return [s for s in AWKWARD if len(s) < 1000] + [NUL] + LONE_SURROGATES + mixes


@pytest.mark.slow
@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
def test_py_literals_pass_ruff_unchanged(tmp_path: Path) -> None:
    lines = [f"x{i} = {py_str(s)}" for i, s in enumerate(_ruff_samples())]
    lines += [f"b{i} = {py_bytes(s.encode('utf-8', 'surrogatepass'))}" for i, s in enumerate(_ruff_samples())]
    source = tmp_path / "literals.py"
    source.write_text('"""Literals."""\n\n' + "\n".join(lines) + "\n", encoding="utf-8")
    for args in (["check", "--isolated", "--no-cache"], ["format", "--isolated", "--no-cache", "--diff"]):
        done = subprocess.run([RUFF, *args, str(source)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------------------- shell


@pytest.mark.parametrize("s", AWKWARD + LONE_SURROGATES)
def test_sh_quote_shlex_round_trip(s: str) -> None:
    assert shlex.split(sh_quote(s)) == [s]


@given(st.text(st.characters(exclude_characters="\x00", exclude_categories=())))
def test_sh_quote_shlex_round_trip_any_text(s: str) -> None:
    assert shlex.split(sh_quote(s)) == [s]


def test_sh_quote_refuses_nul() -> None:
    with pytest.raises(ResolveError):
        sh_quote(NUL)


def _bash_printf(words: list[str], env: dict[str, str] | None = None) -> list[str]:
    """What bash prints for each already-quoted word: one bash process for the whole batch."""
    script = "".join(f"printf '%s\\0' {word}\n" for word in words)
    done = subprocess.run(
        [BASH or "bash", "-s"],
        input=script.encode("utf-8"),
        capture_output=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return done.stdout.decode("utf-8").split("\x00")[:-1]


@pytest.mark.slow
@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_sh_quote_in_real_bash() -> None:
    assert _bash_printf([sh_quote(s) for s in AWKWARD]) == AWKWARD


@pytest.mark.slow
@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(no_nul_text, min_size=1, max_size=40))
def test_sh_quote_in_real_bash_any_text(strings: list[str]) -> None:
    assert _bash_printf([sh_quote(s) for s in strings]) == strings


def test_sh_word_is_bare_only_for_plain_words() -> None:
    assert sh_word("https://example.com/a_b-c.d?") == "'https://example.com/a_b-c.d?'"
    assert sh_word("https://example.com/a_b-c.d") == "https://example.com/a_b-c.d"
    assert sh_word("POST") == "POST"
    assert [sh_needs_quote(s) for s in ("", "a b", "=x", "~", "é", "a=b", "-X")] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


@given(any_text)
def test_sh_word_round_trips(s: str) -> None:
    if "\x00" not in s:
        assert shlex.split(sh_word(s)) == [s]


# --------------------------------------------------------------------------- JavaScript and JSON


def _node_units(literals: list[str], env: dict[str, str] | None = None, prelude: str = "") -> list[list[int]]:
    """UTF-16 code units of each JavaScript expression, evaluated by one Node process."""
    program = prelude + "const values = [\n" + ",\n".join(literals) + "\n];\n"
    program += "const units = values.map(v => { const u = []; for (let i = 0; i < v.length; i++) "
    program += "u.push(v.charCodeAt(i)); return u; });\nprocess.stdout.write(JSON.stringify(units));\n"
    done = subprocess.run(
        [NODE or "node", "-"],
        input=program.encode("utf-8"),
        capture_output=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return json.loads(done.stdout)


ALL_JS = AWKWARD + [NUL] + LONE_SURROGATES


@pytest.mark.slow
@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("quote", ['"', "'"])
def test_js_str_in_real_node(quote: str) -> None:
    assert _node_units([js_str(s, quote) for s in ALL_JS]) == [_utf16(s) for s in ALL_JS]


@pytest.mark.slow
@pytest.mark.skipif(NODE is None, reason="node is not installed")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_text | quotes_heavy, min_size=1, max_size=40), st.sampled_from(['"', "'"]))
def test_js_str_in_real_node_any_text(strings: list[str], quote: str) -> None:
    assert _node_units([js_str(s, quote) for s in strings]) == [_utf16(s) for s in strings]


def test_js_str_rejects_other_quotes() -> None:
    with pytest.raises(ValueError):
        js_str("x", "`")


@pytest.mark.parametrize("s", AWKWARD + [NUL] + LONE_SURROGATES)
def test_json_str_round_trips(s: str) -> None:
    literal = json_str(s)
    literal.encode("utf-8")  # always writable as UTF-8, even with lone surrogates
    assert _utf16(json.loads(literal)) == _utf16(s)


@given(any_text)
def test_json_str_round_trips_any_text(s: str) -> None:
    assert _utf16(json.loads(json_str(s))) == _utf16(s)


@pytest.mark.slow
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | any_text,
        lambda c: st.lists(c) | st.dictionaries(any_text, c),
    )
)
def test_json_dumps_round_trips(value: object) -> None:
    text = json_dumps(value)
    text.encode("utf-8")
    assert json.loads(text) == json.loads(json.dumps(value))


# --------------------------------------------------------------------------- placeholders

TABLE = (
    Placeholder(PlaceholderKind.VARIABLE, "auth0_domain", "AUTH0_DOMAIN"),
    Placeholder(PlaceholderKind.PATH, "id", "ID"),
    Placeholder(PlaceholderKind.DYNAMIC, "$guid", "GUID"),
    Placeholder(PlaceholderKind.DYNAMIC, "$timestamp", "TIMESTAMP"),
    Placeholder(PlaceholderKind.DYNAMIC, "$isoTimestamp", "ISOTIMESTAMP"),
    Placeholder(PlaceholderKind.DYNAMIC, "$randomInt", "RANDOMINT"),
    Placeholder(PlaceholderKind.DYNAMIC, "$randomEmail", "RANDOMEMAIL"),
    Placeholder(PlaceholderKind.DYNAMIC, "$randomNoSuchThing", "RANDOMNOSUCHTHING"),
    Placeholder(PlaceholderKind.VARIABLE, "token", "TOKEN"),
    Placeholder(PlaceholderKind.DYNAMIC, "$randomUUID", "RANDOMUUID"),
)
ENV = {
    "AUTH0_DOMAIN": "tenant.eu.auth0.com",
    "ID": "42",
    "RANDOMNOSUCHTHING": "nst",
    "TOKEN": "a'b\"c $x `y` \\",
}
URL = "https://" + token(0) + "/api/users/" + token(1) + '?q=it\'s "x" $HOME'
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
ISO_RE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
# Every placeholder in one string, so each run-time form is checked in each language.
ALL_TOKENS = "|".join(token(i) for i in range(len(TABLE)))
ALL_TOKENS_RE = re.compile(
    r"\|".join(
        [re.escape(ENV["AUTH0_DOMAIN"]), "42", UUID_RE, r"\d{10,}", ISO_RE, r"\d{1,4}"]
        + [re.escape("ada@example.com"), "nst", re.escape(ENV["TOKEN"]), UUID_RE]
    )
)
EXPECTED_URL = 'https://tenant.eu.auth0.com/api/users/42?q=it\'s "x" $HOME'
KEPT_URL = 'https://{{auth0_domain}}/api/users/:id?q=it\'s "x" $HOME'


def _check_all_tokens(value: str) -> None:
    assert ALL_TOKENS_RE.fullmatch(value), value
    random_int = int(value.split("|")[5])
    assert 0 <= random_int <= 1000


def _py_eval(expr: str, imports: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    namespace = {name: __import__(name) for name in imports}
    return eval(expr, namespace)  # noqa: S307 - the expression under test is generated code


def test_py_expr_env(monkeypatch: pytest.MonkeyPatch) -> None:
    expr = py_expr(URL, TABLE, "env")
    assert expr == '"https://" + os.environ["AUTH0_DOMAIN"] + "/api/users/" + os.environ["ID"] + ' + py_str(
        '?q=it\'s "x" $HOME'
    )
    assert _py_eval(expr, py_imports_for([URL], TABLE, "env"), monkeypatch) == EXPECTED_URL


def test_py_expr_every_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    imports = py_imports_for([ALL_TOKENS], TABLE, "env")
    assert imports == ["os", "random", "time", "uuid"]
    _check_all_tokens(_py_eval(py_expr(ALL_TOKENS, TABLE, "env"), imports, monkeypatch))


def test_py_expr_keep_and_plain() -> None:
    assert py_expr(URL, TABLE, "keep") == py_str(KEPT_URL)
    assert py_expr("no tokens", TABLE, "env") == '"no tokens"'
    assert py_expr("", TABLE, "env") == '""'
    assert py_imports_for([URL, "x"], TABLE, "keep") == []
    assert py_expr(token(6), TABLE, "env") == '"ada@example.com"'  # fixed sample, no import
    assert py_imports_for([token(6)], TABLE, "env") == []


def test_unknown_mode_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        py_expr(URL, TABLE, "values")


def test_unportable_env_name_is_refused() -> None:
    bad = (Placeholder(PlaceholderKind.VARIABLE, "x", "X; rm -rf /"),)
    with pytest.raises(ResolveError):
        sh_expr(token(0), bad, "env")


@pytest.mark.slow
@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
def test_py_expr_passes_ruff(tmp_path: Path) -> None:
    strings = [URL, ALL_TOKENS, token(0), "plain"]
    imports = py_imports_for(strings, TABLE, "env")
    body = "\n".join(f"x{i} = {py_expr(s, TABLE, 'env')}" for i, s in enumerate(strings))
    source = tmp_path / "expr.py"
    source.write_text('"""Expr."""\n\n' + "".join(f"import {m}\n" for m in imports) + "\n" + body + "\n")
    # A long concatenation is wrapped by ruff format in a way that depends on its context,
    # so only the check is asserted; rendered files are expected to go through ruff format.
    done = subprocess.run(
        [RUFF, "check", "--isolated", "--no-cache", "--line-length", "110", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_sh_expr_env() -> None:
    expr = sh_expr(URL, TABLE, "env")
    assert expr.startswith("'https://'\"${AUTH0_DOMAIN}\"'/api/users/'\"${ID}\"")
    assert sh_expr(URL, TABLE, "keep") == sh_quote(KEPT_URL)
    got = _bash_printf([expr, sh_expr(ALL_TOKENS, TABLE, "env"), sh_expr(URL, TABLE, "keep")], ENV)
    assert got[0] == EXPECTED_URL
    _check_all_tokens(got[1])
    assert got[2] == KEPT_URL


@pytest.mark.slow
@pytest.mark.skipif(SHELLCHECK is None, reason="shellcheck is not installed")
def test_shell_output_passes_shellcheck(tmp_path: Path) -> None:
    words = [sh_quote(s) for s in AWKWARD if len(s) < 1000]
    words += [sh_word(s) for s in AWKWARD if len(s) < 1000]
    words += [sh_expr(s, TABLE, mode) for s in (URL, ALL_TOKENS) for mode in ("env", "keep")]
    script = tmp_path / "out.sh"
    lines = ["#!/usr/bin/env bash", filters.SHELLCHECK_DIRECTIVE, "set -eu"]
    script.write_text("\n".join(lines + [f"printf '%s\\n' {w}" for w in words]) + "\n", encoding="utf-8")
    done = subprocess.run([SHELLCHECK, str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


@pytest.mark.slow
@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_js_expr_env() -> None:
    strings = [URL, ALL_TOKENS, URL]
    exprs = [js_expr(URL, TABLE, "env"), js_expr(ALL_TOKENS, TABLE, "env"), js_expr(URL, TABLE, "keep", "'")]
    assert exprs[0].startswith('"https://" + env("AUTH0_DOMAIN") + "/api/users/" + env("ID")')
    prelude = "".join(
        f'const {m.rsplit(":", 1)[-1]} = require("{m}");\n' for m in js_imports_for(strings, TABLE, "env")
    )
    assert prelude == 'const crypto = require("node:crypto");\n'
    prelude += JS_ENV_FUNCTION + "\n"
    got = ["".join(map(chr, units)) for units in _node_units(exprs, ENV, prelude)]
    assert got[0] == EXPECTED_URL
    _check_all_tokens(got[1])
    assert got[2] == KEPT_URL


# --------------------------------------------------------------------------- comments and identifiers


@given(any_text)
def test_comment_text_stays_in_a_python_comment(s: str) -> None:
    text = comment_text(s, "#")
    source = f"# {text}\nx = 1\n".encode()
    namespace: dict[str, object] = {}
    exec(compile(source, "<comment>", "exec"), namespace)  # noqa: S102 - checks the comment does nothing
    assert namespace["x"] == 1
    assert "\n" not in text and "\r" not in text


def test_comment_text_cannot_change_python_source_encoding() -> None:
    text = comment_text("-*- coding: latin-1 -*-", "#")
    source = f"# {text}\nx = 'é'\n".encode()
    namespace: dict[str, object] = {}
    exec(compile(source, "<comment>", "exec"), namespace)  # noqa: S102
    assert namespace["x"] == "é"


@pytest.mark.slow
@pytest.mark.skipif(NODE is None, reason="node is not installed")
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_text | st.text(st.sampled_from("*/\n\r\u2028 -"), max_size=12), min_size=1, max_size=30))
def test_comment_text_stays_in_js_comments(strings: list[str]) -> None:
    literals = [f"// {comment_text(s, '//')}\n'ok'" for s in strings]
    literals += [f"/* {comment_text(s, '/*')} */ 'ok'" for s in strings]
    assert _node_units(literals) == [_utf16("ok")] * len(literals)


def test_comment_text_examples() -> None:
    assert comment_text("My API\r\n  v2 */ x", "/*") == "My API   v2 * / x"
    assert "--" not in comment_text("a -- b ---> c", "<!--")
    assert comment_text("bidi\u202e x\x00", "#") == "bidi\ufffd x\ufffd"


@given(any_text, st.sampled_from(["snake", "camel", "pascal", "upper"]))
def test_ident_is_a_safe_identifier(s: str, style: str) -> None:
    name = ident(s, style)
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)
    assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
    assert name not in filters._JS_RESERVED


def test_ident_examples() -> None:
    assert ident("Get User (v2)") == "get_user_v2"
    assert ident("getUserByID") == "get_user_by_id"
    assert ident("HTTPServer status", "pascal") == "HttpServerStatus"
    assert ident("créer un élément", "camel") == "creerUnElement"
    assert ident("2FA login", "upper") == "_2FA_LOGIN"
    assert ident("class") == "class_"
    assert ident("Version2Beta 2FAToken") == "version2_beta_2fa_token"
    assert ident("!!!") == "unnamed"
    with pytest.raises(ValueError):
        ident("x", "kebab")


def test_filters_table_names_every_filter() -> None:
    assert FILTERS["py_str"] is py_str and FILTERS["sh_quote"] is sh_quote
    assert all(callable(f) and f.__name__ == name for name, f in FILTERS.items())
    assert {"py_bytes", "py_expr", "py_imports_for", "sh_expr", "sh_word", "sh_needs_quote"} <= FILTERS.keys()
    assert {
        "js_str",
        "js_expr",
        "js_imports_for",
        "json_str",
        "json_dumps",
        "comment_text",
        "ident",
    } <= FILTERS.keys()


def test_multipart_param_cannot_end_the_quoted_value_or_the_header_line() -> None:
    from postman_gen.render.filters import multipart_param

    assert multipart_param('a"b\r\nc') == "a%22b%0D%0Ac"
    assert multipart_param("plain name.txt") == "plain name.txt"


def test_httpie_key_escapes_every_item_separator() -> None:
    from postman_gen.render.filters import httpie_key

    assert httpie_key("a:b=c@d;e") == "a\\:b\\=c\\@d\\;e"
    assert httpie_key("field") == "field"
