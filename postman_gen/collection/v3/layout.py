"""Where v3 collections are in a folder, found without reading any YAML (``generate`` looks for them
before it knows whether it has to load anything: render/manifest.py)."""

from __future__ import annotations

import os
from pathlib import Path

REQUEST_SUFFIXES = (".request.yaml", ".request.yml")
RESOURCES = ".resources"
DEFINITION = "definition.yaml"
SCHEMA_VERSION = "3.0.0"


def is_request_file(name: str) -> bool:
    return name.lower().endswith(REQUEST_SUFFIXES)


def request_stem(name: str) -> str:
    lower = name.lower()
    for suffix in REQUEST_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def is_root(path: Path) -> bool:
    """Whether a directory is a collection root (requests or a definition directly in it)."""
    if (path / RESOURCES / DEFINITION).is_file():
        return True
    try:
        return any(is_request_file(e.name) for e in os.scandir(path) if e.is_file())
    except OSError:
        return False


def has_requests(root: Path) -> bool:
    """A collection root, or a folder of folders with a request somewhere below (definitions are optional)."""
    if is_root(root):
        return True
    for _folder, _dirs, files in os.walk(root):
        if any(is_request_file(name) for name in files):
            return True
    return False


def is_legacy(path: Path) -> bool:
    return (path / "collection.yaml").is_file() and not (path / RESOURCES / DEFINITION).is_file()


def find_roots(path: Path) -> list[Path]:
    """The collection roots a directory names: each directory of ``postman/collections`` (when given the
    repository or that folder), else the directory itself (definition.yaml is optional)."""
    if is_root(path) or is_legacy(path):
        return [path]
    container = path if path.name == "collections" and path.parent.name == "postman" else None
    for base in (path / "postman" / "collections", container):
        if base is not None and base.is_dir():
            return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    return [path]
