"""One flag for target options in render, generate and diff; ``render -t a -t b``; repository settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # runs postman-gen or generated code in subprocesses

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "postman_gen", *args],
        cwd=cwd,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        check=False,
    )


def _collection(folder: Path) -> Path:
    doc = {
        "info": {"name": "C", "schema": SCHEMA},
        "item": [{"name": "get", "request": {"method": "GET", "url": "http://127.0.0.1:9/x"}}],
    }
    path = folder / "c.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_render_renders_every_target_given(tmp_path: Path) -> None:
    result = _cli("render", str(_collection(tmp_path)), "-t", "curl", "-t", "httpie")
    assert result.returncode == 0, result.stderr
    assert "target curl" in result.stdout and "target httpie" in result.stdout


def test_render_writes_one_locustfile_for_all_items_and_one_file_per_item_elsewhere() -> None:
    source = str(ROOT / "collections" / "scripted.postman_collection.json")
    result = _cli("render", source, "-t", "curl", "-t", "locust", "-i", "Login", "-i", "Logout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("target curl") == 2 and result.stdout.count("class CollectionUser") == 1
    locustfile = result.stdout[result.stdout.index("# A Locust locustfile") :]
    assert locustfile.count("target locust") == 2  # each item's header comment
    calls = [line.strip() for line in locustfile.splitlines() if line.strip().startswith("self.send(")]
    assert calls == ['self.send("POST", "Login", item_1)', 'self.send("DELETE", "Logout", item_2)']


def test_one_option_flag_for_render_generate_and_diff(tmp_path: Path) -> None:
    source = _collection(tmp_path)
    rendered = _cli("render", str(source), "-t", "curl", "-O", "timeout=7")
    assert rendered.returncode == 0 and "--max-time 7" in rendered.stdout, rendered.stderr
    old = _cli("render", str(source), "-t", "curl", "-o", "timeout=7")
    assert old.stdout == rendered.stdout and "deprecated" in old.stderr
    out = tmp_path / "out"
    generated = _cli(
        "generate", str(source), "-o", str(out), "-t", "curl", "-t", "httpie", "-O", "curl:timeout=9"
    )
    assert generated.returncode == 0, generated.stderr
    assert "--max-time 9" in (out / "c/curl/get.sh").read_text(encoding="utf-8")
    assert "--timeout" not in (out / "c/httpie/get.sh").read_text(encoding="utf-8")
    both = _cli("generate", str(source), "-o", str(out), "-t", "curl", "-t", "httpie", "-O", "timeout=4")
    assert both.returncode == 0, both.stderr
    assert "--timeout=4" in (out / "c/httpie/get.sh").read_text(encoding="utf-8")
    unknown = _cli("render", str(source), "-t", "curl", "-O", "nosuch=1")
    assert unknown.returncode == 2 and "no selected target has option 'nosuch'" in unknown.stderr


def test_repository_settings_make_generate_a_short_command(tmp_path: Path) -> None:
    _collection(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.postman-gen]\ntargets = ["curl", "httpie"]\noutput = "gen"\n'
        'vars = "env"\n\n[tool.postman-gen.options]\ntimeout = 5\ncurl = { long_flags = false }\n',
        encoding="utf-8",
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    result = _cli("generate", "..", cwd=sub)  # settings found in a parent folder; output relative to them
    assert result.returncode == 0, result.stderr
    curl = (tmp_path / "gen/c/curl/get.sh").read_text(encoding="utf-8")
    assert "-m 5" in curl and "-X GET" in curl
    assert "--timeout=5" in (tmp_path / "gen/c/httpie/get.sh").read_text(encoding="utf-8")
    assert _cli("generate", ".", "--check", cwd=tmp_path).returncode == 0
    # a flag on the command line wins over the settings
    assert _cli("generate", ".", "-t", "curl", "-o", "other", cwd=tmp_path).returncode == 0
    assert (tmp_path / "other/c/curl/get.sh").is_file() and not (tmp_path / "other/c/httpie").exists()


def test_a_postman_gen_toml_wins_and_a_bad_key_is_one_line(tmp_path: Path) -> None:
    _collection(tmp_path)
    (tmp_path / ".postman-gen.toml").write_text('targets = ["curl"]\noutput = "g"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.postman-gen]\ntargets = ["httpie"]\n', encoding="utf-8")
    assert _cli("generate", ".", cwd=tmp_path).returncode == 0
    assert (tmp_path / "g/c/curl/get.sh").is_file() and not (tmp_path / "g/c/httpie").exists()
    (tmp_path / ".postman-gen.toml").write_text('target = ["curl"]\n', encoding="utf-8")
    bad = _cli("generate", ".", cwd=tmp_path)
    assert bad.returncode == 2 and ".postman-gen.toml: target must be" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
