"""``diff``: per request what changes on the wire, then the code diff; text, Markdown, JSON; exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import COLLECTIONS
from tests.test_v3 import cli, write_tree

OLD = {
    ".resources/definition.yaml": "$kind: collection\nname: Shop\nauth:\n  type: bearer\n  credentials:\n"
    "    token: s3cret-old\n",
    "Users/Get user.request.yaml": "$kind: http-request\nurl: http://127.0.0.1:9/users/1\nmethod: GET\n"
    "headers:\n  Accept: application/json\norder: 1000\n",
    "Users/Gone.request.yaml": "$kind: http-request\nurl: http://127.0.0.1:9/gone\norder: 2000\n",
}


def _new() -> dict[str, str]:
    new = dict(OLD)
    new[".resources/definition.yaml"] = OLD[".resources/definition.yaml"].replace("s3cret-old", "s3cret-new")
    new["Users/Get user.request.yaml"] = (
        "$kind: http-request\nurl: http://127.0.0.1:9/users/2\nmethod: GET\nheaders:\n  Accept: text/plain\n"
        "scripts:\n  - type: afterResponse\n    code: pm.test('ok', () => {})\norder: 1000\n"
    )
    del new["Users/Gone.request.yaml"]
    new["Users/Added.request.yaml"] = "$kind: http-request\nurl: http://127.0.0.1:9/added\norder: 3000\n"
    return new


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    write_tree(tmp_path / "old", OLD)
    write_tree(tmp_path / "new", _new())
    return tmp_path


@pytest.mark.slow
def test_text_reports_the_wire_then_the_code(versions: Path) -> None:
    result = cli("diff", "old", "new", cwd=versions)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("- Users / Gone  (removed)\n~ Users / Get user\n")
    assert "    url: http://127.0.0.1:9/users/1 -> http://127.0.0.1:9/users/2\n" in out
    assert "      -Accept: application/json\n      +Accept: text/plain\n" in out
    assert "    auth:  (secret value changed)\n" not in out  # auth is one line, masked
    masked = "bearer (collection) token=****"
    assert f"auth: {masked} -> {masked}  (secret value changed)" in out
    assert "    scripts:\n" in out and "+pm.test('ok', () => {})" in out
    assert "+ Users / Added  (added)" in out
    assert "s3cret" not in out.split("--- a/")[0]  # the wire part masks it (the code holds what is written)
    assert "--- a/Users / Get user\n+++ b/Users / Get user\n" in out  # then the generated code


@pytest.mark.slow
def test_exit_code_flag(versions: Path) -> None:
    assert cli("diff", "old", "new", "--exit-code", cwd=versions).returncode == 1
    same = cli("diff", "old", "old", "--exit-code", cwd=versions)
    assert same.returncode == 0 and same.stdout == ""


@pytest.mark.slow
def test_markdown_is_a_pull_request_comment(versions: Path) -> None:
    result = cli("diff", "old", "new", "--format", "markdown", cwd=versions)
    assert result.returncode == 0, result.stderr
    md = result.stdout
    assert md.startswith("### postman-gen diff: 1 changed, 1 added, 1 removed\n")
    assert "| ~ | Users / Get user | url, headers, auth, scripts |" in md
    assert "<details><summary><b>Users / Get user</b>" in md and "```diff" in md
    assert "<details><summary>Generated code</summary>" in md
    assert "s3cret" not in md.split("Generated code")[0]


@pytest.mark.slow
def test_json_for_tools(versions: Path) -> None:
    doc = json.loads(cli("diff", "old", "new", "--format", "json", cwd=versions).stdout)
    assert doc["summary"] == {"changed": 1, "added": 1, "removed": 1}
    changed = [r for r in doc["requests"] if r["status"] == "changed"][0]
    assert [f["field"] for f in changed["fields"]] == ["url", "headers", "auth", "scripts"]
    assert doc["code_diff"].startswith("--- a/Users / Gone")


@pytest.mark.slow
def test_stdin_is_accepted_as_readme_says() -> None:
    file = COLLECTIONS / "features.postman_collection.json"
    result = subprocess.run(
        ["python3", "-m", "postman_gen", "diff", str(file), "-", "--exit-code"],
        input=file.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        env=cli.__globals__["os"].environ | {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    both = cli("diff", "-", "-")
    assert both.returncode == 2 and "only one of OLD and NEW" in both.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git absent")
def test_git_revision_against_the_working_tree(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    tree = repo / "postman" / "collections" / "Shop"
    write_tree(tree, OLD)

    def git(*args: str) -> None:
        identity = ["-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    shutil.rmtree(tree)
    write_tree(tree, _new())
    result = cli("diff", "--git", "HEAD", "postman/collections/Shop", "--format", "markdown", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "1 changed, 1 added, 1 removed" in result.stdout
    bad = cli("diff", "--git", "nope", "postman/collections/Shop", cwd=repo)
    assert bad.returncode == 2 and bad.stderr.startswith("postman-gen: git archive")
