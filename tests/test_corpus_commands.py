"""Every command over every item of every corpus collection: never an internal error.

Real vendor collections hold what hand-written tests forget (an empty base-URL variable, a file part
without ``src``, odd auth): each command must end with a result, a failed request or one clear line of bad
input, never ``internal error``. Calls are in-process (``main``), one per collection and command; a
collection-wide call that stops at bad input (exit 2) is repeated item by item so that the items after the
bad one are covered too. ``run`` sends nothing beyond this machine: the session's loopback guard makes
every other connection fail at once (and ``--no-scripts``/``--timeout-request`` keep it short).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from pathlib import Path

import pytest

import postman_gen
from postman_gen.cli import main
from postman_gen.collection.selection import select
from postman_gen.errors import PostmanGenError
from tests.conftest import CORPUS

FILES = sorted(CORPUS.glob("*.postman_collection.json")) if CORPUS.is_dir() else []
TARGETS = ("python-requests", "python-http.client", "curl", "httpie", "node-fetch", "chilkat2-python")
MODES = ("inline", "keep", "env")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not FILES, reason="corpus absent")]


@pytest.fixture(autouse=True)
def load_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file is read and validated for real once, then shared by the many calls on it (the item-by-item
    calls would otherwise spend their time re-reading a 2 MB collection); loading has its own tests."""
    monkeypatch.setattr(postman_gen, "load", functools.lru_cache(maxsize=4)(postman_gen.load))


def call(*args: str) -> tuple[int, str]:
    """Exit status and stderr of one in-process CLI call."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            return int(exc.code or 0), err.getvalue()
    return 0, err.getvalue()


def empty_variables(file: Path) -> list[str]:
    """``--var NAME=`` for every variable the file uses: an empty base URL, token, id... (a fresh setup)."""
    names = sorted(set(re.findall(r"\{\{([^{}$\s][^{}\s]*)\}\}", file.read_text(encoding="utf-8-sig"))))
    return [arg for name in names for arg in ("--var", f"{name}=")]


def item_ids(file: Path) -> list[str]:
    """``#1`` to ``#N``: every request by position (names and ids may repeat or be missing)."""
    try:
        collection = postman_gen.load(file)
    except PostmanGenError:
        return []
    return [f"#{n}" for n in range(1, len(select(collection)) + 1)]


def check_every_item(file: Path, *args: str) -> list[str]:
    """The command ``args`` on the whole collection, and item by item when the whole stops at bad input."""
    status, err = call(*args)
    crashes = crashed("all items", (status, err))
    if status == 2:
        for item in item_ids(file):
            crashes += crashed(f"-i {item}", call(*args, "-i", item))
    return crashes


def crashed(label: str, result: tuple[int, str]) -> list[str]:
    return [f"{label}: {result[1].strip()}"] if "internal error" in result[1] else []


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_every_command_on_every_item(file: Path, tmp_path: Path) -> None:
    name = str(file)
    empty = empty_variables(file)
    crashes = crashed("validate", call("validate", name)) + crashed("list", call("list", name))
    for values, label in (((), ""), (empty, " (variables empty)")):
        for args in (("show",), ("show", "--json"), ("run", "--dry-run")):
            found = check_every_item(file, *args, name, *values)
            crashes += [f"{' '.join(args)}{label}: {c}" for c in found]
    # generate covers every target in every mode; render (the same path, printed) one target per mode
    targets = [arg for target in TARGETS for arg in ("-t", target)]
    for mode, target in zip(MODES, ("python-requests", "curl", "node-fetch"), strict=True):
        for values, label in (((), ""), (empty, " (variables empty)")) if mode == "inline" else (((), ""),):
            render = ("render", name, "-t", target, "--vars", mode, *values)
            crashes += [f"{' '.join(render[2:6])}{label}: {c}" for c in check_every_item(file, *render)]
        out = str(tmp_path / mode)
        crashes += crashed(
            f"generate --vars {mode}", call("generate", name, "-o", out, *targets, "--vars", mode)
        )
        crashes += crashed(f"diff --vars {mode}", call("diff", name, name, "--vars", mode))
    assert crashes == []


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_run_every_item_without_internal_errors(file: Path) -> None:
    """``run -v`` (the request as sent) and a plain ``run``: failed requests, never a crash."""
    name = str(file)
    crashes: list[str] = []
    for verbose in ((), ("-v",), ("-v", *empty_variables(file))):
        args = ("run", name, "--no-scripts", "--timeout-request", "2000", *verbose)
        crashes += [f"{' '.join(args)}: {c}" for c in check_every_item(file, *args)]
    assert crashes == []
