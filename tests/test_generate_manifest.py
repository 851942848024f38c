"""generate's manifest (render/manifest.py): an unchanged run is answered without rendering, and nothing
stale ever passes: a file edited by hand or deleted, a changed collection, environment or template, a
foreign manifest all mean the full check."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import postman_gen
from bench.generate_check import change_one_request
from postman_gen.cli import main
from postman_gen.render import engine, manifest
from tests.conftest import COLLECTIONS


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    shutil.copy(
        COLLECTIONS / "features.postman_collection.json", tmp_path / "features.postman_collection.json"
    )
    shutil.copytree(COLLECTIONS / "files", tmp_path / "files")
    (tmp_path / "env.json").write_text(
        json.dumps({"name": "e", "values": [{"key": "base", "value": "http://127.0.0.1:9"}]}),
        encoding="utf-8",
    )
    return tmp_path


def generate(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    args = [
        "generate",
        "features.postman_collection.json",
        "-o",
        "out",
        "-t",
        "curl",
        "-t",
        "python-requests",
    ]
    with pytest.raises(SystemExit) as exc:
        main([*args, "-e", "env.json", *extra])
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def _written(work: Path) -> Path:
    return next(p for p in sorted((work / "out").rglob("*.sh")))


def test_an_unchanged_run_renders_nothing_and_prints_the_same_warnings(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, _out, first = generate(capsys)
    assert status == 0 and "warning: " in first
    status, _out, checked = generate(capsys, "--check")  # the full check records nothing new: still equal
    assert status == 0
    with monkeypatch.context() as patch:
        patch.setattr(postman_gen, "load", lambda *_a, **_k: pytest.fail("loaded"))
        status, out, fast = generate(capsys, "--check")
        assert (status, out) == (0, "")
        assert [line for line in fast.splitlines() if line.startswith("warning: ")] == [
            line for line in first.splitlines() if line.startswith("warning: ")
        ]
        status, _out, quiet = generate(capsys, "--check", "--no-warnings")
        assert status == 0 and "warning: " not in quiet
        status, _out, again = generate(capsys)
        assert status == 0 and "0 written, 0 removed" in again


@pytest.mark.parametrize("change", ["edit", "delete", "index", "chmod-dir-link"])
def test_a_changed_output_is_never_current(
    work: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    assert generate(capsys)[0] == 0
    target = _written(work)
    if change == "edit":
        target.write_text(target.read_text(encoding="utf-8").replace("curl", "curl -v", 1), encoding="utf-8")
    elif change == "delete":
        target.unlink()
    elif change == "index":
        index = work / "out" / "features" / "index.json"
        index.write_text(index.read_text(encoding="utf-8") + " ", encoding="utf-8")
    else:  # the target folder replaced by a link to a copy: generate never follows links
        folder = work / "out" / "features" / "curl"
        shutil.copytree(folder, work / "elsewhere")
        shutil.rmtree(folder)
        folder.symlink_to(work / "elsewhere")
    status, _out, err = generate(capsys, "--check")
    assert status != 0, err


@pytest.mark.parametrize("change", ["collection", "environment", "template", "option", "var"])
def test_a_changed_input_means_the_full_check(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    templates = work / "templates"
    shutil.copytree(postman_gen.render.builtin_templates() / "curl", templates / "curl")
    extra = ["--templates", str(templates)]
    assert generate(capsys, *extra)[0] == 0
    if change == "collection":
        change_one_request(work / "features.postman_collection.json")
    elif change == "environment":
        (work / "env.json").write_text(
            json.dumps({"name": "e", "values": [{"key": "base", "value": "http://127.0.0.1:8"}]}),
            encoding="utf-8",
        )
    elif change == "template":
        entry = templates / "curl" / "request.jinja"
        entry.write_text("# changed\n" + entry.read_text(encoding="utf-8"), encoding="utf-8")
        engine._environment.cache_clear()  # a new process would read the template again
    elif change == "option":
        extra += ["--vars", "keep"]
    else:
        extra += ["--var", "base=http://127.0.0.1:7"]
    loaded = []
    load = postman_gen.load
    monkeypatch.setattr(postman_gen, "load", lambda *a, **k: loaded.append(a) or load(*a, **k))
    status, out, _err = generate(capsys, *extra, "--check")
    assert loaded, change  # the full check ran
    if change in ("collection", "template", "option"):  # (env mode: a value is not in the code)
        assert status == 1 and out.startswith("--- a/"), change


def test_what_is_not_cached(work: Path) -> None:
    params = {"var_mode": "env"}
    collection = "features.postman_collection.json"
    code = manifest.code_key([])
    assert code is not None
    assert manifest.fingerprint(params, [collection], ["env.json"], code) is not None
    assert (
        manifest.fingerprint({"var_mode": "inline"}, [collection], [], code) is None
    )  # values drawn per run
    assert manifest.fingerprint({**params, "insecure_file_read": False}, [collection], [], code) is None
    assert manifest.fingerprint(params, [collection], ["staging"], code) is None  # -e NAME, looked up
    assert manifest.fingerprint(params, ["API/Get.request.yaml"], [], code) is None  # its folders count too
    assert manifest.fingerprint(params, [collection], [], None) is None  # a link among the templates
    os.symlink(work / collection, work / "link.json")
    assert manifest.fingerprint(params, ["link.json"], [], code) is None
    (work / "templates").mkdir()
    os.symlink(postman_gen.render.builtin_templates() / "curl", work / "templates" / "curl")
    assert manifest.code_key([str(work / "templates")]) is None


def test_a_manifest_others_may_write_is_not_used(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert generate(capsys)[0] == 0
    assert manifest.read("out") is not None
    (path,) = (work / "cache" / "postman-gen" / "generate").iterdir()
    path.chmod(0o666)
    assert manifest.read("out") is None
    path.chmod(0o600)
    path.write_text("{not json", encoding="utf-8")
    assert manifest.read("out") is None
    assert generate(capsys, "--check")[0] == 0  # the full check, which records a good manifest again
    assert manifest.read("out") is not None


def test_only_the_requests_that_changed_are_rendered_again(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert generate(capsys)[0] == 0
    calls: list[tuple[str, ...]] = []
    call = engine.Renderer.__call__
    monkeypatch.setattr(engine.Renderer, "__call__", lambda self, r: calls.append(r.path) or call(self, r))
    change_one_request(work / "features.postman_collection.json")
    status, out, _err = generate(capsys, "--check")
    assert status == 1 and "PURGE" in out
    assert len(calls) == 2 and len(set(calls)) == 1  # that one request, for each of the two targets
    edited = next(p for p in sorted((work / "out").rglob("*.py")) if "PURGE" not in p.read_text("utf-8"))
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    calls.clear()
    status, out, _err = generate(capsys)  # the edited file's request is rendered again, and written
    assert status == 0 and len(calls) == 3
    assert "# edited" not in edited.read_text(encoding="utf-8")
    calls.clear()
    assert generate(capsys, "--check")[0] == 0 and calls == []
