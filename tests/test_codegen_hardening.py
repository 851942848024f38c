"""Code generation facing untrusted collections: internal markers, the template cache, refusals and notes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # runs postman-gen or generated code in subprocesses

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _cli(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "postman_gen", *args],
        cwd=cwd,
        env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
        capture_output=True,
        text=True,
        check=False,
    )


def _write(tmp_path: Path, request: dict, variables: list[dict] | None = None) -> Path:
    doc = {
        "info": {"name": "c", "schema": SCHEMA},
        "item": [{"name": "it", "request": request}],
        "variable": variables or [],
    }
    path = tmp_path / "c.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- internal markers


@pytest.mark.parametrize("mode", ["keep", "env"])
def test_a_literal_spelled_like_an_old_placeholder_token_stays_literal(tmp_path: Path, mode: str) -> None:
    # Up to now the resolver's tokens were "zqpgv<N>vgpqz": a collection holding that text crashed render
    # (IndexError) or had an environment variable read in its place.
    literal = "zqpgv7vgpqz-zqpgv0vgpqz"
    source = _write(
        tmp_path,
        {
            "method": "POST",
            "url": "http://{{host}}/" + literal,
            "header": [{"key": "X-Lit", "value": literal}],
            "body": {"mode": "raw", "raw": literal},
        },
        [{"key": "host", "value": "127.0.0.1:9"}],
    )
    for target in ("python-requests", "curl", "node-fetch"):
        result = _cli("render", str(source), "-t", target, "--vars", mode)
        assert result.returncode == 0, result.stderr
        assert result.stdout.count(literal) >= 3, result.stdout
        assert "ZQPGV" not in result.stdout


# --------------------------------------------------------------------------- the compiled-template cache


_PATCH = """
from postman_gen.render import engine
env = engine._environment(engine._search_path(()))
name = "python-requests/request.jinja"
source, filename, _ = env.loader.get_source(env, name)
cache = env.bytecode_cache
bucket = cache.get_bucket(env, name, filename, source)
bucket.code = env.compile("PATCHED-CACHE-RAN", name, filename)
cache.set_bucket(bucket)
print(cache.directory)
"""


def test_a_cache_entry_others_can_write_is_never_run(tmp_path: Path) -> None:
    source = _write(tmp_path, {"method": "GET", "url": "http://127.0.0.1:9/x"})
    cache_home = str(tmp_path / "cache")
    patched = subprocess.run(
        [sys.executable, "-c", _PATCH],
        env=dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=cache_home),
        capture_output=True,
        text=True,
        check=True,
    )
    directory = Path(patched.stdout.strip())
    # our own private entry is trusted (and proves the patch is what a load would run)
    assert "PATCHED-CACHE-RAN" in _cli("render", str(source), XDG_CACHE_HOME=cache_home).stdout
    (entry,) = directory.iterdir()
    for path, mode in ((entry, 0o666), (directory, 0o777), (directory.parent, 0o777)):
        original = path.stat().st_mode & 0o777
        path.chmod(mode)
        try:
            result = _cli("render", str(source), XDG_CACHE_HOME=cache_home)
        finally:
            path.chmod(original)
        assert result.returncode == 0, result.stderr
        assert "PATCHED-CACHE-RAN" not in result.stdout and "import requests" in result.stdout, path


# --------------------------------------------------------------------------- refusals and notes


def test_httpie_refuses_a_method_it_would_take_for_the_url(tmp_path: Path) -> None:
    source = _write(tmp_path, {"method": "M-SEARCH", "url": "http://127.0.0.1:9/x"})
    result = _cli("render", str(source), "-t", "httpie")
    assert result.returncode == 2 and result.stdout == ""
    assert "HTTPie cannot send the method 'M-SEARCH'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_curl_refuses_a_form_field_name_holding_equals(tmp_path: Path) -> None:
    body = {"mode": "formdata", "formdata": [{"key": "a=@/etc/hostname", "value": "x", "type": "text"}]}
    source = _write(tmp_path, {"method": "POST", "url": "http://127.0.0.1:9/x", "body": body})
    result = _cli("render", str(source), "-t", "curl")
    assert result.returncode == 2 and result.stdout == ""
    assert "curl --form cannot send the field name" in result.stderr


@pytest.mark.parametrize("target", ["chilkat2-python", "node-fetch", "httpie"])
def test_header_value_spaces_a_client_drops_are_declared(tmp_path: Path, target: str) -> None:
    header = [{"key": "X-Pad", "value": " padded  "}]
    source = _write(tmp_path, {"method": "GET", "url": "http://127.0.0.1:9/x", "header": header})
    result = _cli("render", str(source), "-t", target)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if "not sent exactly:" in line]
    assert any("X-Pad" in line for line in notes), result.stdout


@pytest.mark.parametrize("target", ["python-requests", "httpie"])
def test_a_url_with_a_stray_percent_is_declared(tmp_path: Path, target: str) -> None:
    source = _write(tmp_path, {"method": "GET", "url": "http://127.0.0.1:9/a%20b/100%"})
    result = _cli("render", str(source), "-t", target)
    assert result.returncode == 0, result.stderr
    assert "not sent exactly:" in result.stdout and "%2520" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("target", "runtime", "message"),
    [
        ("node-fetch", "node", "environment variable BASEURL is not set"),
        ("httpie", "http", "BASEURL: unbound variable"),
    ],
)
def test_env_mode_fails_loudly_on_a_missing_variable(
    tmp_path: Path, target: str, runtime: str, message: str
) -> None:
    if shutil.which(runtime) is None:
        pytest.skip(f"{runtime} is not on PATH")
    source = _write(tmp_path, {"method": "GET", "url": "http://127.0.0.1:9/{{baseUrl}}"})
    code = _cli("render", str(source), "-t", target, "--vars", "env").stdout
    script = tmp_path / ("snippet.js" if target == "node-fetch" else "snippet.sh")
    script.write_text(code, encoding="utf-8")
    command = ["node", str(script)] if target == "node-fetch" else ["bash", str(script)]
    env = {k: v for k, v in os.environ.items() if k != "BASEURL"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0 and message in result.stderr, result.stderr


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_both_python_targets_keep_long_bodies_within_the_project_line_length(tmp_path: Path) -> None:
    body = "\n".join(f"line {i}: " + "lorem ipsum dolor sit amet " * 2 for i in range(12))
    source = _write(
        tmp_path, {"method": "POST", "url": "http://127.0.0.1:9/x", "body": {"mode": "raw", "raw": body}}
    )
    out = tmp_path / "code"
    out.mkdir()
    for target in ("python-requests", "python-http.client"):
        result = _cli("render", str(source), "-t", target)
        assert result.returncode == 0, result.stderr
        (out / f"{target.replace('.', '_').replace('-', '_')}.py").write_text(result.stdout, encoding="utf-8")
    check = subprocess.run(
        ["ruff", "check", "--config", str(ROOT / "pyproject.toml"), str(out)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout
