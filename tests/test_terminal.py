"""What a collection, a server or a script puts in names, errors, console output and bodies cannot act on
the terminal: control characters are shown as escapes there, error lines stay single."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from postman_gen.cli.terminal import one_line, visible
from tests.servers import CaptureServer, Reply

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
TITLE = "\x1b]0;pwned\x07"  # sets the terminal window's title
CLEAR = "\x1b[2J"


def test_escapes() -> None:
    assert visible(f"a{TITLE}\r\nb\tc\x9b\u2028") == "a\\x1b]0;pwned\\x07\\r\nb\tc\\x9b\\u2028"
    assert one_line("one\ntwo\r\x00") == "one\\ntwo\\r\\x00"
    assert visible("plain ✓ text") == "plain ✓ text"


def _on_a_terminal(*args: str, no_color: bool = False) -> str:
    """Run postman-gen with stdout and stderr on a pseudo-terminal; what the terminal received."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    if no_color:
        env["NO_COLOR"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "postman_gen", *args], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    process.wait(60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def _collection(tmp_path: Path, items: list[dict[str, object]]) -> str:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"info": {"name": f"c{TITLE}", "schema": SCHEMA}, "item": items}))
    return str(path)


@pytest.mark.slow
@pytest.mark.needs_extra("scripts")
def test_run_on_a_terminal_shows_control_characters_as_escapes(tmp_path: Path) -> None:
    script = ["console.log('log" + CLEAR + "');", "throw new Error('one\\ntwo" + TITLE + "');"]
    item = {
        "name": f"item{TITLE}\rfake",
        "event": [{"listen": "test", "script": {"exec": script}}],
        "request": {"method": "GET", "url": "{{u}}/x"},
    }
    file = _collection(tmp_path, [item])
    with CaptureServer() as server:
        server.reply = Reply(200, f"body{CLEAR}{TITLE}\n".encode(), (("Content-Type", "text/plain"),))
        seen = _on_a_terminal("run", file, "--var", f"u={server.url}", "-v", "--color", "off")
    assert "\x1b" not in seen and "\x07" not in seen, seen
    assert "body\\x1b[2J\\x1b]0;pwned\\x07" in seen
    assert "log\\x1b[2J" in seen
    assert "Error: one\\ntwo\\x1b]0;pwned\\x07" in seen  # the script error stays one line


@pytest.mark.slow
def test_list_and_errors_on_a_terminal(tmp_path: Path) -> None:
    file = _collection(tmp_path, [{"name": f"a{TITLE}\nb", "request": {"method": "GET", "url": "http://x/"}}])
    seen = _on_a_terminal("list", file)
    assert "\x1b" not in seen and "a\\x1b]0;pwned\\x07\\nb" in seen
    seen = _on_a_terminal("run", file, "-i", f"zz{TITLE}")
    assert "\x1b" not in seen and "\x07" not in seen


@pytest.mark.slow
def test_into_a_pipe_the_body_is_what_was_received(tmp_path: Path) -> None:
    file = _collection(tmp_path, [{"name": "i", "request": {"method": "GET", "url": "{{u}}/x"}}])
    with CaptureServer() as server:
        server.reply = Reply(200, f"body{CLEAR}\n".encode(), (("Content-Type", "text/plain"),))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1"}
        done = subprocess.run(
            [sys.executable, "-m", "postman_gen", "run", file, "--var", f"u={server.url}"],
            capture_output=True,
            env=env,
            timeout=60,
        )
    assert done.stdout == f"200\nbody{CLEAR}\n".encode()


@pytest.mark.slow
def test_on_a_terminal_colour_unless_no_color_and_json_pretty_printed(tmp_path: Path) -> None:
    """--color auto colours a terminal's status codes (NO_COLOR turns it off); a single request's JSON body
    is indented there, while a pipe gets the bytes received (test_into_a_pipe_the_body_is_what_was_received).
    """
    file = _collection(tmp_path, [{"name": "i", "request": {"method": "GET", "url": "{{u}}/x"}}])
    with CaptureServer() as server:
        server.reply = Reply(200, b'{"a":[1,2],"b":{"c":true}}', (("Content-Type", "application/json"),))
        coloured = _on_a_terminal("run", file, "--var", f"u={server.url}")
        plain = _on_a_terminal("run", file, "--var", f"u={server.url}", no_color=True)
    assert "\x1b[32m200\x1b[0m" in coloured, coloured
    assert "\x1b" not in plain and plain.startswith("200"), plain
    assert '{\r\n  "a": [\r\n    1,\r\n    2\r\n  ],' in plain  # a terminal writes \n as \r\n
