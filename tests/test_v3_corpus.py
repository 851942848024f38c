"""Every real v3 tree shipped in ../shared/v3 validates, lists, shows, runs against ``echo`` and
generates; the ground-truth pair's v3 tree and v2.1 JSON resolve to the same requests, byte for byte."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import postman_gen
from postman_gen.resolution.request import VarMode
from postman_gen.views.snapshot import request_to_dict
from postman_gen.views.wire import request_text
from tests.test_v3 import cli

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "v3" / "collections"
POKEMON = "salesforce-misc__ReVoman__pokemon/src/integrationTest/resources/pm-templates"
TREES = {
    "safestar-api": (
        "PostmanAcademy__safestar_service_template__SafeStar-Service-API",
        "SafeStar Service API",
    ),
    "safestar-testing": (
        "PostmanAcademy__safestar_service_template__SafeStar-Service-Testing",
        "SafeStar Service Testing",
    ),
    "pypnm": ("PyPNMApps__Postman-PyPNMApps-API__PyPNM-CMTS", "PyPNM-CMTS"),
    "pokemon": (f"{POKEMON}/v3", "pokemon"),
}
BASE_VARIABLES = ("baseUrl", "pypnm_cmts_url")
LEGACY = "Postman-Devrel__Postman-Native-Git-Cookbook__Intergalactic-Bank-API__PRE-RELEASE-VARIANT"

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/v3 absent")


def tree_path(key: str) -> Path:
    repo, name = TREES[key]
    base = SHARED / repo
    return base / name if key == "pokemon" else base / "postman" / "collections" / name


def _vars(value: str) -> list[str]:
    return [arg for name in BASE_VARIABLES for arg in ("--var", f"{name}={value}")]


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(TREES))
def test_tree_validates_lists_and_shows(key: str) -> None:
    path = str(tree_path(key))
    result = cli("validate", path)
    assert result.returncode == 0, result.stderr
    assert "ok (v3 collection" in result.stdout
    listed = cli("list", path, "--json")
    assert listed.returncode == 0, listed.stderr
    count = sum(1 for _ in postman_gen.load(path).walk())
    assert count >= 5
    shown = cli("show", path, *_vars("http://127.0.0.1:9"), "--json")
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)) == count


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(TREES))
def test_tree_runs_against_echo(key: str, tmp_path: Path) -> None:
    path = str(tree_path(key))
    report = tmp_path / "report.json"
    result = cli(
        "echo",
        "--port",
        "0",
        "--quiet",
        "--",
        sys.executable,
        "-m",
        "postman_gen",
        "run",
        path,
        *_vars("{url}"),
        "--reporter-json-export",
        str(report),
        "--silent",
    )
    # 1 is allowed: the collections' own tests expect their real service, not an echo
    assert result.returncode in (0, 1), result.stderr
    doc = json.loads(report.read_text(encoding="utf-8"))
    executions = doc["executions"]
    count = sum(1 for _ in postman_gen.load(path).walk())
    assert len(executions) >= count
    assert all(e["response"] and e["response"]["status"] == 200 for e in executions if e.get("response"))


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(TREES))
def test_tree_generates(key: str, tmp_path: Path) -> None:
    path = str(tree_path(key))
    out = tmp_path / "out"
    result = cli("generate", path, "-o", str(out), "-t", "python-requests", "-t", "curl")
    assert result.returncode == 0, result.stderr
    check = cli("generate", path, "-o", str(out), "-t", "python-requests", "-t", "curl", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    files = [p for p in out.rglob("*") if p.is_file() and p.name != "index.json"]
    assert len(files) == 2 * sum(1 for _ in postman_gen.load(path).walk())


@pytest.mark.slow
def test_legacy_dialect_is_refused_with_one_line() -> None:
    result = cli("list", str(SHARED / LEGACY / "postman" / "collections" / "Intergalactic Bank API"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "pre-release v3 dialect" in result.stderr


@pytest.mark.parametrize("mode", list(VarMode))
def test_ground_truth_pair_resolves_identically(mode: VarMode) -> None:
    v2 = SHARED / POKEMON / "v2" / "pokemon" / "pokemon.postman_collection.json"
    v3 = SHARED / POKEMON / "v3" / "pokemon"
    env = postman_gen.load_variables(v3 / "Pokemon.environment.yaml")
    assert env == postman_gen.load_variables(v2.with_name("pokemon.postman_environment.json"))
    values = postman_gen.Values(environment=env, cli={"id": "7", "offset": "0", "limit": "2"})
    options = postman_gen.ResolveOptions(mode=mode, seed=3)
    sides = []
    for source in (v2, v3):
        requests = postman_gen.resolve_all(postman_gen.load(source), (), values, options)
        sides.append(
            [
                (
                    request_to_dict(r, show_secrets=True),
                    request_text(r, show_secrets=True) if r.netloc else "",
                )
                for r in requests
            ]
        )
    assert len(sides[1]) == 5
    assert sides[0] == sides[1]
