"""The string literals of the issue-10 targets, read back by their real runtimes, fuzzed.

Each language's literal filter turns awkward text (quotes, backslashes, ``$``, ``%``, ``{}``, ``#{}``,
``${}``, backticks, line breaks, U+2028/U+2029, other Unicode) into source; a tiny program in that language
prints what it reads, and the bytes must be the text's UTF-8: Python (``py_str``: python-httpx, -urllib,
-aiohttp), JavaScript (``js_str``, ``js_required_expr``: node-axios, node-native), bash (``sh_quote``,
``sh_text``: wget) and .http files (``http_value``, ``http_body``: sent by httpyac to a capture server).
Planted ``$(touch ...)``-style values never run.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postman_gen.render.filters import (
    JS_ENV_FUNCTION,
    SH_PART_PARAM,
    http_body,
    http_value,
    js_required_expr,
    js_str,
    multipart_param,
    py_str,
    sh_part_param_text,
    sh_quote,
    sh_text,
)
from postman_gen.resolution.placeholders import Placeholder, PlaceholderKind, token
from tests.servers import CaptureServer
from tests.test_fidelity import NODE_PROJECT, runtime_env

pytestmark = pytest.mark.slow  # every test here runs python, node, bash or httpyac

NODE = shutil.which("node")
BASH = shutil.which("bash")
HTTPYAC = shutil.which("httpyac", path=runtime_env()["PATH"])
PLANTED = "/tmp/postman-gen-literal-pwned"

SPECIAL = [
    "'",
    '"',
    "\\",
    "$",
    "%",
    "{",
    "}",
    "#{x}",
    "${HOME}",
    "`",
    "\n",
    "\r",
    "\t",
    "\u2028",
    "\u2029",
    "{{x}}",
    "é",
    "中",
    "😀",
    " ",
    "a",
]
PLANTS = [
    f"$(touch {PLANTED}-1)",
    f"`touch {PLANTED}-2`",
    f"'; touch {PLANTED}-3; '",
    f'"; touch {PLANTED}-4; "',
    f"{{{{ require('child_process').execSync('touch {PLANTED}-5') }}}}",
    f"${{require('child_process').execSync('touch {PLANTED}-6')}}",
]
awkward = st.lists(st.sampled_from(SPECIAL) | st.sampled_from(PLANTS), max_size=12).map("".join) | st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=16
)
# What each runtime can carry: bash words no NUL (excluded above).
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _planted() -> list[str]:
    return glob.glob(PLANTED + "*")


def _clean() -> None:
    for stale in _planted():
        os.unlink(stale)


def _printed(command: list[str], source: str, env: dict[str, str] | None = None) -> list[bytes]:
    """Run ``source`` with ``command`` (stdin); it prints each value followed by NUL."""
    done = subprocess.run(
        command, input=source.encode("utf-8"), capture_output=True, check=True, timeout=60, env=env
    )
    return done.stdout.split(b"\x00")[:-1]


def _utf8(strings: list[str]) -> list[bytes]:
    return [s.encode("utf-8") for s in strings]


@FUZZ
@given(st.lists(awkward, min_size=1, max_size=20))
def test_py_str_printed_by_python(strings: list[str]) -> None:
    _clean()
    source = "import sys\n" + "".join(
        f"sys.stdout.buffer.write({py_str(s)}.encode('utf-8') + b'\\0')\n" for s in strings
    )
    assert _printed([sys.executable, "-"], source) == _utf8(strings)
    assert not _planted()


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@FUZZ
@given(st.lists(awkward, min_size=1, max_size=20))
def test_js_str_printed_by_node(strings: list[str]) -> None:
    _clean()
    source = "".join(f"process.stdout.write(Buffer.from({js_str(s)} + '\\0', 'utf8'));\n" for s in strings)
    assert _printed([NODE or "node", "-"], source) == _utf8(strings)
    assert not _planted()


TABLE = (Placeholder(PlaceholderKind.VARIABLE, "token", "TOKEN"),)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@FUZZ
@given(awkward, awkward, awkward)
def test_js_required_expr_reads_the_environment(before: str, value: str, after: str) -> None:
    _clean()
    expr = js_required_expr(before + token(0) + after, TABLE, "env")
    source = JS_ENV_FUNCTION + f"\nprocess.stdout.write(Buffer.from({expr} + '\\0', 'utf8'));\n"
    env = dict(os.environ, TOKEN=value)
    assert _printed([NODE or "node", "-"], source, env) == _utf8([before + value + after])
    assert not _planted()


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_js_required_expr_fails_loudly_without_the_variable() -> None:
    expr = js_required_expr("x" + token(0), TABLE, "env")
    env = {k: v for k, v in os.environ.items() if k != "TOKEN"}
    done = subprocess.run(
        [NODE or "node", "-"],
        input=(JS_ENV_FUNCTION + f"\nconsole.log({expr});\n").encode(),
        capture_output=True,
        timeout=60,
        env=env,
    )
    assert done.returncode != 0 and b"environment variable TOKEN is not set" in done.stderr
    assert js_required_expr("x" + token(0), TABLE, "keep") == js_str("x{{token}}")


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@FUZZ
@given(st.lists(awkward, min_size=1, max_size=20))
def test_sh_words_printed_by_bash(strings: list[str]) -> None:
    _clean()
    source = "".join(f"printf '%s\\0' {sh_quote(s)} {sh_text(s)}\n" for s in strings)
    assert _printed([BASH or "bash", "-s"], source) == _utf8([s for s in strings for _ in (1, 2)])
    assert not _planted()


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@FUZZ
@given(awkward, awkward)
def test_sh_part_param_escapes_a_name_read_from_the_environment(literal: str, value: str) -> None:
    """wget's multipart, --vars env: a part name read when the script runs is escaped as run escapes it."""
    _clean()
    table = (Placeholder(PlaceholderKind.VARIABLE, "name", "PART_NAME"),)
    line = sh_part_param_text(multipart_param(literal) + token(0), table, "env")
    source = SH_PART_PARAM + f"\nprintf '%s\\0' {line}\n"
    printed = _printed([BASH or "bash", "-s"], source, dict(os.environ, PART_NAME=value))
    assert printed == _utf8([multipart_param(literal) + multipart_param(value)])
    assert not _planted()


# --------------------------------------------------------------------------- .http files, sent by httpyac


def _header_text(s: str) -> str:
    """What a header value can be: no CR, LF or NUL (refused by the resolver), ASCII (httpyac's limit),
    no control characters, no blanks at the ends (servers strip them)."""
    kept = "".join(ch for ch in s if ch.isascii() and ch.isprintable() or ch == "\t")
    return kept.strip(" \t")


def _send_http(tmp_path: Path, values: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """One .http file with a request per (header value, body); what the capture server received."""
    with CaptureServer() as server:
        chunks = []
        for index, (header, body) in enumerate(values):
            request = f"###\nPOST {server.url}/{index}\nContent-Type: text/plain\n"
            request += f"X-Value: {http_value(header)}\n"
            if body:
                request += "\n" + http_body(body) + "\n"
            chunks.append(request)
        file = tmp_path / "values.http"
        file.write_text("\n".join(chunks), encoding="utf-8")
        env = runtime_env(dict(os.environ, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1"))
        done = subprocess.run(
            [HTTPYAC or "httpyac", "send", "--all", "-o", "none", file.name],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        received = sorted(server.wait_for(len(values)), key=lambda c: int(c.target.lstrip("/")))
    return [(c.header("X-Value") or "", c.body) for c in received]


@pytest.mark.skipif(HTTPYAC is None, reason=f"httpyac is not installed (npm ci in {NODE_PROJECT})")
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(awkward, awkward), min_size=1, max_size=12))
def test_http_values_sent_by_httpyac(tmp_path: Path, values: list[tuple[str, str]]) -> None:
    _clean()
    values = [(_header_text(header), body) for header, body in values]
    got = _send_http(tmp_path, values)
    assert got == [(header, body.encode("utf-8")) for header, body in values]
    assert not _planted()


def test_http_value_is_plain_where_it_can_be() -> None:
    assert http_value("Bearer abc") == "Bearer abc"
    assert http_value("a{{b}}") == '{{ "a\\u007b\\u007bb\\u007d\\u007d" }}'
    assert http_body('{"a": {"b": 1}}') == '{"a": {"b": 1}}'
    assert http_body("line1\nline2") == "line1\nline2"
    assert http_body("a\r\nb\n") == '{{ "a\\r\\nb\\n" }}'
    assert http_body("### not a separator") == '{{ "### not a separator" }}'
