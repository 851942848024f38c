"""Optional extras the tests may need, and skipping with the extra's name when one is missing.

Mark a test ``@pytest.mark.needs_extra("auth")`` (or a parameter with ``pytest.param(..., marks=...)``);
``needs_extra("auth", "mohawk")`` needs only that module of the extra; ``item_params`` marks each item of
a collection with the library that signs its auth. ``require("scripts")`` skips from inside a test or, at
the top of a module, the whole module.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest

import postman_gen
from postman_gen.collection.selection import select
from postman_gen.resolution.auth_kinds import AUTH_KINDS
from postman_gen.resolution.resolver import effective_auth

# extra -> the modules (or ``bin:`` programs) that make it usable
EXTRAS: dict[str, tuple[str, ...]] = {
    "scripts": ("quickjs",),
    "auth": tuple(k.signer.module for k in AUTH_KINDS.values() if k.signer and k.signer.extra == "auth"),
    "httpie": ("bin:http",),
    "chilkat2": ("chilkat2",),
    "load": ("locust",),
}


def _present(name: str) -> bool:
    if name.startswith("bin:"):
        return shutil.which(name[4:]) is not None
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a missing parent package
        return False


def missing(extra: str, *modules: str) -> list[str]:
    """The modules of ``extra`` (or just ``modules``) that are not installed."""
    return [m for m in modules or EXTRAS[extra] if not _present(m)]


def skip_reason(extra: str, gone: list[str]) -> str:
    names = ", ".join(m.removeprefix("bin:") for m in gone)
    return f"needs the optional extra [{extra}] ({names} not installed)"


def require(extra: str, *modules: str) -> None:
    """Skip the test (or, called at a module's top, the whole module) when ``extra`` is not installed."""
    gone = missing(extra, *modules)
    if gone:
        pytest.skip(skip_reason(extra, gone), allow_module_level=True)


def needs_signer(kind: str) -> list[pytest.MarkDecorator]:
    """Marks for a parameter whose request uses auth ``kind``: needs its signing library, if any."""
    signer = AUTH_KINDS[kind].signer if kind in AUTH_KINDS else None
    if signer is None or signer.extra is None:
        return []
    return [pytest.mark.needs_extra(signer.extra, signer.module)]


def item_params(file: Path, *, with_file: bool = False) -> list[Any]:
    """Every item path of ``file`` as a parameter (``(file, path)`` with ``with_file``), each marked as
    needing the library that signs its auth, if any: without the extra it skips instead of failing."""
    collection = postman_gen.load(file)
    params = []
    for s in select(collection):
        auth, _ = effective_auth(collection, s.folders, s.item)
        path = "/".join(s.path)
        values = (str(file), path) if with_file else (path,)
        params.append(pytest.param(*values, id=path, marks=needs_signer(auth.type if auth else "")))
    return params


def runnable_items(file: Path) -> list[str]:
    """The item paths of ``file`` whose auth can be computed here (those of ``item_params`` not skipped)."""
    return [p.values[0] for p in item_params(file) if not any(missing(*m.args) for m in p.marks)]
