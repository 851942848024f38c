"""The README is the reference: every command and flag must be in it; the quick start must match CI."""

from __future__ import annotations

import re

import click
import pytest

from postman_gen.cli import _register, cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, click.Command]:
    _register()
    ctx = click.Context(cli)
    return {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}  # type: ignore[misc]


def test_every_command_has_a_section() -> None:
    missing = [name for name in _commands() if f"### `postman-gen {name}" not in README]
    assert missing == []


def test_every_flag_is_documented() -> None:
    missing = []
    for name, command in _commands().items():
        for param in command.params:
            if isinstance(param, click.Option):
                longest = max(param.opts, key=len)
                if longest not in ("--help",) and not re.search(re.escape(longest) + r"\b", README):
                    missing.append(f"{name} {longest}")
    assert missing == []


def test_quick_start_has_two_commands_and_ci_runs_the_second() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick, re.S)
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _python_examples() -> list[str]:
    section = README.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.+?)```", section, re.S)


def test_python_api_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {}
    exec(compile(_python_examples()[0], "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    out = capsys.readouterr().out
    assert out.startswith("PATCH https://127.0.0.1:8443/api/v2/users/42 ")
    code = str(namespace["code"])
    assert "curl" in code and "https://127.0.0.1:8443/api/v2/users/42" in code


@pytest.mark.needs_extra("scripts")
def test_python_run_example_runs(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``postman_gen.run`` as the README shows it: the scripted flow against the echo server, all green."""
    monkeypatch.chdir(ROOT)
    exec(compile(_python_examples()[1], "README.md", "exec"), {})  # noqa: S102 - our own documentation
    assert capsys.readouterr().out == "OK 7 17 {'last_user': 'ann'}\n"
