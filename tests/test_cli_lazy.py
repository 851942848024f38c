"""Start-up speed must not cost behaviour: lazy commands, the template bytecode cache, the fast check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from postman_gen.cli import COMMANDS, _register, cli
from tests.conftest import COLLECTIONS, ROOT

pytestmark = pytest.mark.slow  # runs generated code, linters or a whole corpus

AUTH0 = COLLECTIONS / "auth0-update-a-user.postman_item.json"
HEAVY = (
    "requests",
    "jsonschema",
    "urllib3",
    "postman_gen.cli.replay",
    "postman_gen.replay",
    "postman_gen.reports",
)


def _modules_after(args: list[str], env: dict[str, str] | None = None) -> tuple[list[str], str]:
    """The modules loaded after ``postman-gen ARGS`` in a fresh process, and what it printed."""
    code = (
        "import json, sys\n"
        "from postman_gen.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    modules = json.loads(result.stderr.rsplit("MODULES ", 1)[1])
    return modules, result.stdout


def test_every_command_is_listed_with_its_own_first_sentence() -> None:
    _register()
    ctx = click.Context(cli)
    assert sorted(COMMANDS) == cli.list_commands(ctx)
    for name, (module, text) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.callback is not None
        assert command.callback.__module__ == module
        assert _first_sentence(command.help or "") == _first_sentence(text), name


def _first_sentence(text: str) -> str:
    """The command's summary as help lists it: its first paragraph, up to the first full stop."""
    paragraph = " ".join(text.strip().split("\n\n", 1)[0].split())
    return paragraph.split(". ", 1)[0].rstrip(".")


def test_help_lists_every_command_without_importing_any() -> None:
    modules, out = _modules_after(["--help"])
    for name in COMMANDS:
        assert f"\n  {name} " in out
    assert not [m for m in modules if m.startswith("postman_gen.cli.")]
    assert "jinja2" not in modules


def test_render_imports_neither_requests_nor_jsonschema_nor_replay() -> None:
    modules, out = _modules_after(["render", str(AUTH0), "-t", "curl", "--vars", "keep"])
    assert out.startswith("#!/usr/bin/env bash\n")
    assert [m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY)] == []


def test_unknown_command_is_still_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "postman_gen", "rendr"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 2
    assert "No such command 'rendr'" in result.stderr


def test_template_cache_gives_the_same_code_and_survives_an_unusable_folder(tmp_path: Path) -> None:
    args = ["render", str(AUTH0), "-t", "python-requests", "--vars", "env"]
    cache = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    unusable = {**os.environ, "XDG_CACHE_HOME": str(blocked)}
    outputs = [_modules_after(args, env)[1] for env in (cache, cache, unusable)]
    assert outputs[0] == outputs[1] == outputs[2] != ""
    assert list((tmp_path / "cache" / "postman-gen").glob("templates-*/*.cache"))
