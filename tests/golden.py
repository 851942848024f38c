"""Golden files: compare output with a committed file, or rewrite it under ``--update-goldens``."""

from __future__ import annotations

import difflib
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.exists():
        raise AssertionError(
            f"golden file {path} is missing; run pytest --update-goldens and review the diff"
        )
    expected = path.read_text(encoding="utf-8")
    if expected != actual:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(path), "actual"
            )
        )
        raise AssertionError(f"output differs from {path} (pytest --update-goldens to accept):\n{diff}")
