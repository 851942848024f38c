"""The targets of issue 10 (python-httpx, python-urllib, python-aiohttp, node-axios, node-native, wget,
http-file): their output passes the ecosystem's checkers; in ``--vars env`` a missing variable fails loudly.

Execution fidelity is ``test_fidelity.py``'s job (every target of ``load_targets()``); here: the code of
every item of ``collections/`` and of the awkward collection, in every ``--vars`` mode, is lint-clean (ruff
check and format for Python, ``node --check`` for JavaScript, shellcheck for shell), and a program whose
environment lacks a variable it reads exits non-zero naming the variable, before sending anything.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from postman_gen.render.engine import load_targets, render
from postman_gen.render.filters import ident
from postman_gen.resolution.request import VarMode
from tests.conftest import COLLECTIONS
from tests.servers import CaptureServer
from tests.test_fidelity import _available, runtime_env
from tests.test_targets_extra import awkward_collection, resolved

pytestmark = pytest.mark.slow  # every test here runs generated code or a checker

ADDED = ("python-httpx", "python-urllib", "python-aiohttp", "node-axios", "node-native", "wget", "http-file")
TARGETS = {name: target for name, target in load_targets().items() if name in ADDED}
AUTH0_ITEM = COLLECTIONS / "auth0-update-a-user.postman_item.json"
RUFF = shutil.which("ruff")
NODE = shutil.which("node")
SHELLCHECK = shutil.which("shellcheck")


def _render_all(target: str, out: Path) -> list[Path]:
    """The target's code for every item of collections/ and the awkward collection, in every mode."""
    sources = [p for p in sorted(COLLECTIONS.glob("*.postman_*.json")) if "environment" not in p.name]
    sources.append(awkward_collection(out))
    files = []
    extension = TARGETS[target].extension
    for path in sources:
        for mode in VarMode:
            for request in resolved(path, mode):
                stem = f"{mode.value}-{path.name.split('.')[0]}-{ident('_'.join(request.path))}"
                file = out / f"{stem}.{extension}"
                file.write_text(render(request, target, base_dir=str(path.parent)), encoding="utf-8")
                files.append(file)
    return files


def _check(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_output_passes_the_language_checkers(target: str, tmp_path: Path) -> None:
    files = [str(f) for f in _render_all(target, tmp_path)]
    language = TARGETS[target].language
    if language == "python":
        if RUFF is None:
            pytest.skip("ruff not installed")
        done = _check([RUFF, "check", "--isolated", "--no-cache", "--select", "E4,E7,E9,F,I,W6", *files])
        assert done.returncode == 0, done.stdout[-4000:]
        done = _check([RUFF, "format", "--isolated", "--no-cache", "--check", "--diff", *files])
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    elif language == "javascript":
        if NODE is None:
            pytest.skip("node not installed")
        for file in files:
            done = _check([NODE, "--check", file])
            assert done.returncode == 0, f"{file}: {done.stderr[-2000:]}"
    elif language == "shell":
        if SHELLCHECK is None:
            pytest.skip("shellcheck not installed")
        done = _check([SHELLCHECK, "--shell=bash", *files])
        assert done.returncode == 0, done.stdout[-4000:]


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_env_mode_fails_loudly_when_a_variable_is_missing(target: str, tmp_path: Path) -> None:
    """The Auth0 item reads AUTH0_DOMAIN and AUTH0_TOKEN: without AUTH0_TOKEN nothing may be sent."""
    missing = _available(TARGETS[target])
    if missing:
        pytest.skip(missing)
    with CaptureServer() as server:
        (request,) = resolved(AUTH0_ITEM, VarMode.ENV)
        code = render(request, target, base_dir=str(COLLECTIONS)).replace("https://", "http://")
        file = tmp_path / f"auth0.{TARGETS[target].extension}"
        file.write_text(code, encoding="utf-8")
        env = runtime_env()
        env.pop("AUTH0_TOKEN", None)
        env["AUTH0_DOMAIN"] = f"127.0.0.1:{server.port}"
        env["ID"] = "42"
        command = TARGETS[target].command(str(file))
        if command[0] == "python3":
            command[0] = sys.executable
        done = subprocess.run(
            command, cwd=COLLECTIONS, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode != 0, f"exit 0 with a missing variable\n{done.stdout}\n{code}"
        assert "AUTH0_TOKEN" in done.stderr + done.stdout, done.stderr[-2000:]
        assert server.requests == [], "a request was sent although a variable was missing"
