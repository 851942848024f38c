"""The README is the reference: every command and flag must be in it; the quick start must match CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

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


def _quick_start() -> list[str]:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick, re.S)


@pytest.mark.slow
def test_quick_start_has_two_commands_and_ci_runs_both_from_the_readme() -> None:
    commands = _quick_start()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    for n, command in enumerate(commands, 1):
        printed = subprocess.run(
            [sys.executable, str(ROOT / ".ci" / "quickstart.py"), str(n)], capture_output=True, text=True
        )
        assert printed.stdout == command + "\n"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python3 -m venv "$venv"' in ci and 'export PATH="$venv/bin:$PATH"' in ci
    assert 'bash -c "$quick_start_1"' in ci and 'bash -c "$quick_start_2"' in ci


def test_quick_start_installs_what_echo_tls_needs() -> None:
    """Command 1 runs ``echo --tls``, which needs cryptography: the extras it installs must declare it."""
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    first = _quick_start()[0]
    assert "echo --tls" in first
    installed = re.search(r"pip install -q '\.\[([^\]]*)\]'", first)
    assert installed, first
    requirements = [r for extra in installed.group(1).split(",") for r in extras[extra.strip()]]
    assert any(re.match(r"cryptography\b", r) for r in requirements), requirements


@pytest.mark.slow
def test_echo_tls_without_cryptography_is_one_clear_line(tmp_path: Path) -> None:
    """Without the ``tls`` extra, ``echo --tls`` says what to install (exit 2), not an internal error."""
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text("import sys\nsys.modules['cryptography'] = None\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "postman_gen", "echo", "--tls", "--port", "0", "--quiet", "--", "true"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "postman-gen: a self-signed certificate needs the cryptography package: "
        "pip install 'postman-gen[tls]'\n"
    )


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
