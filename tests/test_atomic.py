"""The one file writer (``postman_gen.atomic``): atomic, no draft left behind, and private by default."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from postman_gen import atomic
from postman_gen.atomic import EXECUTABLE, PUBLIC, AtomicFile, write_atomic
from postman_gen.errors import UsageError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_replaces_and_leaves_no_draft(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.sh"
    write_atomic(target, "one\n", mode=EXECUTABLE)
    write_atomic(target, "two\n", mode=EXECUTABLE)
    assert target.read_text(encoding="utf-8") == "two\n" and os.access(target, os.X_OK)
    assert [p.name for p in target.parent.iterdir()] == ["file.sh"]


def test_a_discarded_file_never_appears_and_the_old_one_stays(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_atomic(target, "old")
    draft = AtomicFile(target)
    draft.write("half")
    draft.discard()
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["report.json"]


def test_what_a_run_writes_is_private_and_generated_code_is_not(tmp_path: Path) -> None:
    write_atomic(tmp_path / "env.json", "{}")
    write_atomic(tmp_path / "code.py", "pass\n", mode=PUBLIC)
    assert _mode(tmp_path / "env.json") == 0o600
    assert _mode(tmp_path / "code.py") == 0o644


@pytest.fixture
def strict_umask() -> Iterator[None]:
    saved = os.umask(0o277)
    atomic._umask.cache_clear()
    try:
        yield
    finally:
        os.umask(saved)
        atomic._umask.cache_clear()


def test_a_stricter_umask_is_respected(tmp_path: Path, strict_umask: None) -> None:
    write_atomic(tmp_path / "cookies.json", "{}")
    assert _mode(tmp_path / "cookies.json") == 0o400


def test_an_unwritable_place_is_one_usage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match=r"cannot write JSON report .*file/r\.json"):
        write_atomic(tmp_path / "file" / "r.json", "{}", what="JSON report")
