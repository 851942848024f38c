"""``generate`` (write, --check, --diff), its paths and index, ``diff`` between collection versions, and the
committed ``generated/`` folder being current."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from postman_gen.render.generate import collection_slug, diff_items, slug
from tests.conftest import COLLECTIONS, ROOT

GENERATED = ROOT / "generated"


def _cli(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "postman_gen", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def _collection(tmp_path: Path, names: list[str], name: str = "two.postman_collection.json") -> Path:
    items = [
        {"name": n, "request": {"method": "GET", "url": f"http://127.0.0.1:9/{i}", "header": []}}
        for i, n in enumerate(names)
    ]
    doc = {
        "info": {
            "name": "Two",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [{"name": "Folder", "item": items}],
    }
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_slugs_are_readable_ascii_and_stable() -> None:
    assert slug("Update a user!") == "update-a-user"
    assert slug("Café / Crème") == "cafe-creme"
    assert slug("日本語") == "item"
    assert slug("v2.0 ") == "v2.0"
    assert collection_slug("x/features.postman_collection.json") == "features"
    assert collection_slug("auth0-update-a-user.postman_item.json") == "auth0-update-a-user"


@pytest.mark.slow
def test_generate_writes_files_index_and_is_then_current(tmp_path: Path) -> None:
    source = _collection(tmp_path, ["Get", "get", "Gét", "Other"])
    out = tmp_path / "out"
    result = _cli("generate", str(source), "-o", str(out), "-t", "curl", "-t", "python-requests")
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "two/curl/folder/get.sh" in files and "two/curl/folder/get-2.sh" in files
    assert "two/curl/folder/get-3.sh" in files and "two/python-requests/folder/other.py" in files
    assert os.access(out / "two/curl/folder/get.sh", os.X_OK)
    index = json.loads((out / "two" / "index.json").read_text(encoding="utf-8"))
    assert index["items"][1] == {
        "path": ["Folder", "get"],
        "files": {"curl": "curl/folder/get-2.sh", "python-requests": "python-requests/folder/get-2.py"},
    }
    check = _cli("generate", str(source), "-o", str(out), "-t", "curl", "-t", "python-requests", "--check")
    assert check.returncode == 0 and check.stdout == "", check.stdout + check.stderr
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.slow
def test_check_reports_stale_missing_and_orphaned_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _collection(tmp_path, ["One", "Two", "Gone"])
    assert (
        _cli(
            "generate", str(tmp_path / "two.postman_collection.json"), "-o", str(out), "-t", "curl"
        ).returncode
        == 0
    )
    source = _collection(tmp_path, ["One", "Two"])  # the item "Gone" is removed: its file is an orphan
    (out / "two/curl/folder/one.sh").write_text("stale\n", encoding="utf-8")
    (out / "two/curl/folder/two.sh").unlink()
    (out / "two/curl/folder/my-custom.sh").write_text("hand-written\n", encoding="utf-8")
    before = sorted(p.read_bytes() for p in out.rglob("*") if p.is_file())
    check = _cli("generate", str(source), "-o", str(out), "-t", "curl", "--check")
    assert check.returncode == 1
    assert "--- a/two/curl/folder/one.sh" in check.stdout and "-stale" in check.stdout
    assert "+++ b/two/curl/folder/two.sh" in check.stdout and "--- a/two/curl/folder/gone.sh" in check.stdout
    assert "stale two/curl/folder/one.sh" in check.stderr and "orphan two/curl/folder/gone.sh" in check.stderr
    assert sorted(p.read_bytes() for p in out.rglob("*") if p.is_file()) == before, "--check wrote something"
    shown = _cli("generate", str(source), "-o", str(out), "-t", "curl", "--diff")
    assert shown.returncode == 0 and shown.stdout == check.stdout
    assert _cli("generate", str(source), "-o", str(out), "-t", "curl").returncode == 0
    assert not (out / "two/curl/folder/gone.sh").exists()
    assert _cli("generate", str(source), "-o", str(out), "-t", "curl", "--check").returncode == 0
    assert "my-custom.sh" not in check.stdout + check.stderr, "a file generate never wrote is not an orphan"
    assert (out / "two/curl/folder/my-custom.sh").read_text(encoding="utf-8") == "hand-written\n"


@pytest.mark.slow
def test_generate_is_byte_for_byte_deterministic(tmp_path: Path) -> None:
    for run in ("a", "b"):
        assert _cli("generate", str(COLLECTIONS), "-o", str(tmp_path / run), "-t", "curl").returncode == 0
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a == b and a


@pytest.mark.slow
def test_diff_shows_items_added_removed_and_changed(tmp_path: Path) -> None:
    old = _collection(tmp_path, ["Kept", "Changed", "Removed"], "old.postman_collection.json")
    doc = json.loads(old.read_text(encoding="utf-8"))
    items = doc["item"][0]["item"]
    items[1]["request"]["method"] = "DELETE"
    items[2] = {"name": "Added", "request": {"method": "GET", "url": "http://127.0.0.1:9/new", "header": []}}
    new = tmp_path / "new.postman_collection.json"
    new.write_text(json.dumps(doc), encoding="utf-8")
    result = _cli("diff", str(old), str(new), "-t", "curl")
    assert result.returncode == 0, result.stderr
    assert "--- a/Folder / Removed" in result.stdout and "+++ /dev/null" in result.stdout
    assert "+++ b/Folder / Added" in result.stdout
    assert "-curl --request GET" in result.stdout and "+curl --request DELETE" in result.stdout
    assert "Folder / Kept" not in result.stdout


def test_diff_items_is_empty_for_equal_versions() -> None:
    assert diff_items([("a", "x\n")], [("a", "x\n")]) == ""


@pytest.mark.slow
def test_render_command_prints_code(tmp_path: Path) -> None:
    result = _cli(
        "render", str(COLLECTIONS / "auth0-update-a-user.postman_item.json"), "-t", "curl", "--vars", "keep"
    )
    assert result.returncode == 0 and result.stdout.startswith("#!/usr/bin/env bash\n")
    bad = _cli("render", str(COLLECTIONS / "auth0-update-a-user.postman_item.json"), "-O", "nope=1")
    assert bad.returncode == 2 and "no selected target has option 'nope'" in bad.stderr


@pytest.mark.slow
def test_targets_command_lists_the_builtin_targets() -> None:
    result = _cli("targets")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert "python-requests" in names and "curl" in names


@pytest.mark.slow
def test_committed_generated_folder_is_current() -> None:
    """``generated/`` is ``generate collections -o generated --vars env`` for the targets it holds."""
    if not GENERATED.is_dir():
        pytest.skip("generated/ is not present")
    targets = sorted({p.name for c in GENERATED.iterdir() if c.is_dir() for p in c.iterdir() if p.is_dir()})
    args = [a for t in targets for a in ("-t", t)]
    result = _cli("generate", "collections", "-o", "generated", *args, "--vars", "env", "--check")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_hook_definition_runs_generate_check() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "postman-gen generate" in text and "--check" in text


# --------------------------------------------------------------------------- the output folder on disk


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _one_line_refusal(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr


@pytest.mark.slow
def test_a_symlinked_target_folder_is_refused_never_followed(tmp_path: Path) -> None:
    source = _collection(tmp_path, ["One"])
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    (elsewhere / "keep.txt").write_text("mine\n", encoding="utf-8")
    (elsewhere / "sub" / "deep.sh").write_text("mine too\n", encoding="utf-8")
    (out / "two").mkdir(parents=True)
    (out / "two" / "curl").symlink_to(elsewhere, target_is_directory=True)
    for extra in ((), ("--check",), ("--diff",)):
        result = _cli("generate", str(source), "-o", str(out), "-t", "curl", *extra)
        _one_line_refusal(result)
        assert "symbolic link" in result.stderr and "keep.txt" not in result.stdout
    assert _files(elsewhere) == {"keep.txt": b"mine\n", "sub/deep.sh": b"mine too\n"}


@pytest.mark.slow
def test_a_folder_named_like_an_item_file_gets_its_own_name(tmp_path: Path) -> None:
    doc = {
        "info": {
            "name": "X",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {
                "name": "x.sh",
                "item": [{"name": "y", "request": {"method": "GET", "url": "http://127.0.0.1:9/y"}}],
            },
            {"name": "x", "request": {"method": "GET", "url": "http://127.0.0.1:9/x"}},
        ],
    }
    source = tmp_path / "x.postman_collection.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    result = _cli("generate", str(source), "-o", str(out), "-t", "curl")
    assert result.returncode == 0, result.stderr
    assert {"x/curl/x.sh/y.sh", "x/curl/x-2.sh"} <= set(_files(out))


def _deep(tmp_path: Path, depth: int) -> Path:
    node: dict = {"name": "leaf", "request": {"method": "GET", "url": "http://127.0.0.1:9/"}}
    for level in range(depth):
        node = {"name": f"{level:02d}-" + "f" * 57, "item": [node]}
    doc = {
        "info": {
            "name": "D",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [node, {"name": "short", "request": {"method": "GET", "url": "http://127.0.0.1:9/"}}],
    }
    source = tmp_path / "deep.postman_collection.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    return source


@pytest.mark.slow
def test_a_path_too_long_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _cli("generate", str(_deep(tmp_path, 80)), "-o", str(out), "-t", "curl")
    _one_line_refusal(result)
    assert "too long" in result.stderr
    assert not out.exists() or not _files(out), "something was half-written"


@pytest.mark.slow
def test_a_file_where_a_folder_belongs_is_refused_and_the_index_stays_consistent(tmp_path: Path) -> None:
    source = _collection(tmp_path, ["One", "Two"])
    out = tmp_path / "out"
    assert _cli("generate", str(source), "-o", str(out), "-t", "curl").returncode == 0
    before = _files(out)
    (out / "two" / "python-requests").write_text("in the way\n", encoding="utf-8")
    result = _cli("generate", str(source), "-o", str(out), "-t", "curl", "-t", "python-requests")
    _one_line_refusal(result)
    assert "where a folder belongs" in result.stderr
    assert _files(out) == {**before, "two/python-requests": b"in the way\n"}


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_an_output_folder_under_proc_is_one_line_and_exit_2(tmp_path: Path) -> None:
    source = _collection(tmp_path, ["One"])
    _one_line_refusal(_cli("generate", str(source), "-o", "/proc/postman-gen-out", "-t", "curl"))


@pytest.mark.slow
def test_an_item_left_out_is_never_a_success(tmp_path: Path) -> None:
    doc = {
        "info": {
            "name": "C",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {"name": "ok", "request": {"method": "GET", "url": "http://127.0.0.1:9/"}},
            {"name": "cycle", "request": {"method": "GET", "url": "http://127.0.0.1:9/{{a}}"}},
        ],
        "variable": [{"key": "a", "value": "{{b}}"}, {"key": "b", "value": "{{a}}"}],
    }
    source = tmp_path / "c.postman_collection.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    result = _cli("generate", str(source), "-o", str(out), "-t", "curl", "--vars", "inline")
    assert result.returncode == 2 and "1 files not generated" in result.stderr, result.stderr
    assert "c/curl/ok.sh" in _files(out)
    check = _cli("generate", str(source), "-o", str(out), "-t", "curl", "--vars", "inline", "--check")
    assert check.returncode == 2, "--check passed with an item missing"


@pytest.mark.slow
def test_generate_reads_a_collection_from_standard_input(tmp_path: Path) -> None:
    """``generate -`` as the README says every command takes ``-``: the folder is the collection's name."""
    text = _collection(tmp_path, ["One"]).read_text(encoding="utf-8")
    out = tmp_path / "out"
    result = _cli("generate", "-", "-o", str(out), "-t", "curl", stdin=text)
    assert result.returncode == 0, result.stderr
    assert sorted(_files(out)) == ["two/curl/folder/one.sh", "two/index.json"]
    assert _cli("generate", "-", "-o", str(out), "-t", "curl", "--check", stdin=text).returncode == 0
    twice = _cli("generate", "-", "-", "-o", str(out), "-t", "curl", stdin=text)
    assert (twice.returncode, twice.stderr) == (
        2,
        "postman-gen: - (standard input) is given more than once\n",
    )
    clash = _cli(
        "generate",
        "-",
        str(tmp_path / "two.postman_collection.json"),
        "-o",
        str(out),
        "-t",
        "curl",
        stdin=text,
    )
    assert clash.returncode == 2 and "would both be generated into two/" in clash.stderr, clash.stderr
