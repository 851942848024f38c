"""A v3 collection directory -> ``Collection``: roots, folders, order, definitions, requests, examples.

Layout (docs/v3.md): a collection root is a directory holding ``*.request.yaml`` files and/or a
``.resources/definition.yaml``; its subdirectories (except ``.resources`` and hidden ones) are folders;
``definition.yaml`` is optional at every level. Siblings (folders and requests together) sort by their
numeric ``order`` (missing last), then by name. Examples of ``R.request.yaml`` are
``.resources/R.resources/examples/*.example.yaml`` beside it. Nothing may lead outside the tree: a symlink
or an ``examples:`` path that does is an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from postman_gen.collection.model import Collection, Folder, Item, Node
from postman_gen.collection.v3 import to_model
from postman_gen.collection.v3.fields import Place, mapping, number, text
from postman_gen.collection.v3.layout import (
    DEFINITION,
    REQUEST_SUFFIXES,
    RESOURCES,
    SCHEMA_VERSION,
    find_roots,
    has_requests,
    is_legacy,
    is_request_file,
    is_root,
    request_stem,
)
from postman_gen.collection.v3.yaml_load import YMap, load_file
from postman_gen.errors import Diagnostic, InputError, Level, ValidationError

__all__ = [  # found in layout.py, used from here too
    "DEFINITION",
    "REQUEST_SUFFIXES",
    "RESOURCES",
    "SCHEMA_VERSION",
    "find_roots",
    "has_requests",
    "is_legacy",
    "is_request_file",
    "is_root",
    "request_stem",
]

EXAMPLE_SUFFIXES = (".example.yaml", ".example.yml")
SUPPORTED_KINDS = ("http-request", "graphql-request")
OTHER_KINDS = (
    "grpc-request",
    "websocket-request",
    "socket.io-request",
    "mqtt-request",
    "mcp-request",
    "llm-request",
)
LEGACY_MESSAGE = (
    "this is the pre-release v3 dialect (collection.yaml, folder.yaml, requests with 'type: http'), which "
    "current Postman no longer reads; open it in Postman v12 and commit it again, or use its v2.1 JSON export"
)


def root_of_request(file: Path) -> Path:
    """The collection root above a request file: up while the parent still belongs to the tree."""
    current = file.parent
    while current.parent != current and current.parent.name != "collections":
        parent = current.parent
        if not is_root(parent) or current.name == RESOURCES:
            break
        current = parent
    return current


@dataclass
class _Walk:
    root: Path
    real_root: str
    label: str  # how the root is named in messages
    problems: list[Diagnostic] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    only: Path | None = None  # a single request file: load it and the definitions above it
    count: int = 0

    def rel(self, path: Path) -> str:
        text, root = os.fspath(path), os.fspath(self.root)
        if text == root:
            return "."
        rel = text[len(root) + 1 :] if text.startswith(root) else path.relative_to(self.root).as_posix()
        return rel.replace(os.sep, "/")

    def label_of(self, path: Path) -> str:
        rel = self.rel(path)
        return f"{self.label}/{rel}" if rel != "." else self.label

    def error(self, path: Path, message: str) -> None:
        self.problems.append(Diagnostic(Level.ERROR, message, self.label_of(path)))

    def inside(self, path: Path) -> bool:
        real = os.path.realpath(path)
        return real == self.real_root or real.startswith(self.real_root.rstrip(os.sep) + os.sep)

    def load(self, path: Path) -> Any:
        try:
            return load_file(path, self.label_of(path))
        except InputError as exc:
            self.problems.append(Diagnostic(Level.ERROR, exc.message, exc.file, exc.where))
            return None


def _file_order(problem: Diagnostic) -> tuple[str, int, int]:
    """Problems by file, then line and column (``label:line:col``), as an editor lists them."""
    head, _, col = problem.file.rpartition(":")
    label, _, line = head.rpartition(":")
    if line.isdigit() and col.isdigit():
        return (label, int(line), int(col))
    return (problem.file, 0, 0)


@dataclass
class _Entry:
    order: Decimal | None
    name: str
    node: Node


def load_tree(root: Path, *, label: str | None = None, only: Path | None = None) -> Collection:
    """The collection at ``root`` (or just the request ``only`` with its folders); every problem of the
    tree is collected and raised together as a ``ValidationError``; warnings ride on the collection."""
    walk = _Walk(root, os.path.realpath(root), label or str(root), only=only)
    if is_legacy(root):
        raise InputError(LEGACY_MESSAGE, file=walk.label)
    definition = _definition(walk, root)
    items = _folder_items(walk, root)
    errors = [p for p in walk.problems if p.level is Level.ERROR]
    if errors:
        raise ValidationError(sorted(errors, key=_file_order))
    place = Place(walk.label_of(root / RESOURCES / DEFINITION), walk.problems)
    doc = definition or YMap()
    return Collection(
        name=_name(doc, place, root.name),
        items=items,
        schema_version=SCHEMA_VERSION,
        auth=to_model.auth(doc.get("auth"), place.at("auth", doc)),
        events=to_model.events(doc.get("scripts"), place.at("scripts", doc), to_model.DEFINITION_SCRIPTS),
        variables=to_model.variables(doc.get("variables"), place.at("variables", doc)),
        file=walk.label,
        base_dir=str(root),
        warnings=tuple(p for p in walk.problems if p.level is Level.WARNING),
        description=text(doc.get("description"), place.at("description", doc)),
    )


def _definition(walk: _Walk, directory: Path) -> YMap | None:
    path = directory / RESOURCES / DEFINITION
    if not os.path.isfile(path):
        return None
    if (os.path.islink(path) or os.path.islink(path.parent)) and not walk.inside(path):
        walk.error(path, "symlink leads outside the collection tree")
        return None
    doc = walk.load(path)
    place = Place(walk.label_of(path), walk.problems)
    if doc is None:
        return None
    found = mapping(doc, place)
    if found is None:
        return None
    kind = found.get("$kind")
    if kind != "collection":
        place.at("$kind", found).error(kind, f"a definition's $kind must be 'collection', got {kind!r}")
    return found


def _folder_items(walk: _Walk, directory: Path) -> tuple[Node, ...]:
    real = os.path.realpath(directory)
    if real in walk.seen:
        walk.error(directory, "symlink loop: this folder is already part of the tree")
        return ()
    walk.seen.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        walk.error(directory, f"cannot read folder: {exc.strerror}")
        return ()
    found: list[_Entry] = []
    try:  # which requests have examples: one listing per folder instead of a lookup per request
        resources = frozenset(os.listdir(directory / RESOURCES))
    except OSError:
        resources = frozenset()
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if walk.only is not None and not _on_the_way(path, walk.only):
            continue
        if entry.is_symlink() and not walk.inside(path):
            walk.error(path, "symlink leads outside the collection tree")
            continue
        if entry.is_dir():
            folder = _folder(walk, path)
            if folder is not None:
                found.append(folder)
        elif is_request_file(entry.name) and entry.is_file():
            request = _request(walk, path, resources)
            if request is not None:
                found.append(request)
    found.sort(key=lambda e: (e.order is None, e.order or 0, e.name.casefold(), e.name))
    return tuple(e.node for e in found)


def _name(doc: YMap, place: Place, default: str) -> str:
    """``name:`` when written (an empty one too: the file name then stands for it on disk only)."""
    name = text(doc.get("name"), place.at("name", doc))
    return default if name is None else name


def _on_the_way(path: Path, only: Path) -> bool:
    return path == only or path in only.parents


def _folder(walk: _Walk, directory: Path) -> _Entry | None:
    definition = _definition(walk, directory)
    items = _folder_items(walk, directory)
    doc = definition or YMap()
    place = Place(walk.label_of(directory / RESOURCES / DEFINITION), walk.problems)
    name = _name(doc, place, directory.name)
    folder = Folder(
        name=name,
        items=items,
        id=text(doc.get("id"), place.at("id", doc)),
        auth=to_model.auth(doc.get("auth"), place.at("auth", doc)),
        events=to_model.events(doc.get("scripts"), place.at("scripts", doc), to_model.DEFINITION_SCRIPTS),
        variables=to_model.variables(doc.get("variables"), place.at("variables", doc)),
        where=walk.rel(directory),
        description=text(doc.get("description"), place.at("description", doc)),
    )
    return _Entry(number(doc.get("order"), place.at("order", doc)), directory.name, folder)


def _request(walk: _Walk, path: Path, resources: frozenset[str]) -> _Entry | None:
    walk.count += 1
    doc = walk.load(path)
    place = Place(walk.label_of(path), walk.problems)
    if doc is None:
        if not walk.problems or walk.problems[-1].file.split(":")[0] != place.label:
            place.error(doc, "empty file; expected a request ($kind: http-request)")
        return None
    found = mapping(doc, place)
    if found is None:
        return None
    kind = found.get("$kind")
    stem = request_stem(path.name)
    if kind is None:
        if found.get("type") == "http":
            raise InputError(LEGACY_MESSAGE, file=place.label)
        place.error(found, "missing $kind (http-request, graphql-request, ...)")
        return None
    if kind in OTHER_KINDS:
        place.at("$kind", found).warn(kind, f"{kind} is not supported by postman-gen; skipped")
        return None
    if kind not in SUPPORTED_KINDS:
        place.at("$kind", found).error(kind, f"unknown $kind {kind!r} for a request file")
        return None
    if kind == "graphql-request":
        request = to_model.graphql_request(found, place)
        types = to_model.GRAPHQL_SCRIPTS
    else:
        request = to_model.http_request(found, place)
        types = to_model.REQUEST_SCRIPTS
    settings = to_model.settings(found.get("settings"), place.at("settings", found))
    _check_query(found, request, place)
    item = Item(
        name=_name(found, place, stem),
        request=request,
        id=text(found.get("id"), place.at("id", found)),
        events=to_model.events(found.get("scripts"), place.at("scripts", found), types),
        responses=_examples(walk, path, found, place)
        if f"{stem}.resources" in resources or "examples" in found
        else (),
        behavior=settings,
        where=walk.rel(path),
    )
    return _Entry(number(found.get("order"), place.at("order", found)), stem, item)


def _check_query(doc: YMap, request: Any, place: Place) -> None:
    """Postman lint's FMT209: enabled ``queryParams`` that the ``url`` does not carry (the url is sent)."""
    raw = request.url.raw or ""
    query = raw.split("?", 1)[1].split("#", 1)[0] if "?" in raw else ""
    written = {part.split("=", 1)[0] for part in query.split("&") if part}
    missing = [q.key for q in request.url.query if not q.disabled and q.key and q.key not in written]
    if missing:
        place.at("queryParams", doc).warn(
            doc.get("queryParams"), f"not in the url, which is what is sent: {', '.join(missing)}"
        )


def _examples(walk: _Walk, path: Path, doc: YMap, place: Place) -> tuple[Any, ...]:
    stem = request_stem(path.name)
    directory = path.parent / RESOURCES / f"{stem}.resources" / "examples"
    given = doc.get("examples")
    if given is not None:
        rel = text(given, place.at("examples", doc))
        if rel:
            candidate = path.parent / rel
            if not walk.inside(candidate):
                place.at("examples", doc).error(given, f"{rel!r} leads outside the collection tree")
                return ()
            directory = candidate
    if not os.path.isdir(directory):
        return ()
    if not walk.inside(directory):
        walk.error(directory, "symlink leads outside the collection tree")
        return ()
    found = []
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if not entry.name.lower().endswith(EXAMPLE_SUFFIXES) or not entry.is_file():
            continue
        file = Path(entry.path)
        if not walk.inside(file):
            walk.error(file, "symlink leads outside the collection tree")
            continue
        loaded = walk.load(file)
        here = Place(walk.label_of(file), walk.problems)
        example = mapping(loaded, here)
        if example is None:
            continue
        name = entry.name[: -len(".example.yaml")] if entry.name.endswith(".yaml") else entry.name[:-12]
        order = number(example.get("order"), here.at("order", example))
        found.append((order is None, order or 0, name, to_model.example(example, name, here)))
    found.sort(key=lambda e: e[:3])
    return tuple(e[3] for e in found)
