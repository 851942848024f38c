"""``generate``: one file per item per target, at stable paths, written, checked or diffed.

Layout: ``<out>/<collection>/<target>/<folder>/.../<item>.<ext>`` plus ``<out>/<collection>/index.json``
(item -> files). Names are slugs: readable, lower-case ASCII (safe on case-insensitive file systems),
made unique among siblings in collection order, so the same collection always gives the same paths.
Output is deterministic: no timestamps, sorted JSON, ``\\n`` line ends. Writes are atomic (temporary file
then ``os.replace``) and only touch files whose bytes change; files the collection's previous index lists
that no item maps to any more are orphans (removed on write, reported on check): generate never touches
a file it did not write, nor follows a symbolic link under the output folder.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from postman_gen.atomic import EXECUTABLE, PUBLIC, write_atomic
from postman_gen.errors import Diagnostic, Level, PostmanGenError, UsageError

if TYPE_CHECKING:  # the model and v3 reader are imported where used: generate --check's fast path needs
    # neither (render/manifest.py)
    from postman_gen.collection.model import Collection, Folder
    from postman_gen.resolution.request import ResolvedRequest

    Render = Callable[[ResolvedRequest, str], str]

INDEX = "index.json"
MAX_SLUG = 60
_SUFFIXES = (".postman_collection.json", ".postman_item.json", ".postman_folder.json", ".json")


class WriteMode(str, Enum):
    WRITE = "write"  # write what changed, remove orphans
    CHECK = "check"  # write nothing; stale when anything differs
    DIFF = "diff"  # write nothing; report the differences


def slug(name: str, fallback: str = "item") -> str:
    """A readable file name part: ``"Update a user!"`` -> ``update-a-user``; accents folded, ASCII only."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9._]+", "-", folded).strip("-.")
    text = re.sub(r"-{2,}", "-", text)[:MAX_SLUG].strip("-.")
    return text or fallback


def collection_slug(source: str, name: str = "") -> str:
    """The folder of a collection file: its name without the Postman suffix (``features``); for one read
    from standard input (``-``), the collection's ``name``."""
    if source == "-":
        return slug(name, "collection")
    base = os.path.basename(source)
    for suffix in _SUFFIXES:
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)]
            break
    return slug(base, "collection")


class _Names:
    """Unique slugs among the children of each folder, handed out in collection order.

    An item's file is its slug plus an extension, so a folder named like an item's file (folder
    ``x.sh`` beside item ``x``) would collide with it: such a slug counts as taken too.
    """

    def __init__(self) -> None:
        self._taken: dict[tuple[str, ...], set[str]] = {}
        self._items: dict[tuple[str, ...], set[str]] = {}
        self._subfolders: dict[tuple[str, ...], set[str]] = {}
        self._folders: dict[int, str] = {}

    def unique(self, parent: tuple[str, ...], name: str, fallback: str, *, folder: bool = False) -> str:
        taken = self._taken.setdefault(parent, set())
        items = self._items.setdefault(parent, set())
        folders = self._subfolders.setdefault(parent, set())
        base = slug(name, fallback)
        candidate, n = base, 1
        while candidate in taken or (
            any(candidate.startswith(i + ".") for i in items)
            if folder
            else any(f.startswith(candidate + ".") for f in folders)
        ):
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        (folders if folder else items).add(candidate)
        return candidate

    def folder(self, parent: tuple[str, ...], folder: Folder) -> str:
        key = id(folder)
        if key not in self._folders:
            self._folders[key] = self.unique(parent, folder.name, "folder", folder=True)
        return self._folders[key]


def item_paths(collection: Collection) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """``(item path as names, relative path parts without extension)`` for every item, in order."""
    from postman_gen.collection.v3.layout import SCHEMA_VERSION as V3
    from postman_gen.collection.v3.layout import request_stem

    if collection.schema_version == V3:  # a v3 tree's own folders and file names, already file-safe
        return [
            (tuple(f.name for f in folders) + (item.name,), tuple(request_stem(item.where).split("/")))
            for folders, item in collection.walk()
        ]
    names = _Names()
    out = []
    for folders, item in collection.walk():
        parts: tuple[str, ...] = ()
        for folder in folders:
            parts = (*parts, names.folder(parts, folder))
        parts = (*parts, names.unique(parts, item.name, "item"))
        out.append((tuple(f.name for f in folders) + (item.name,), parts))
    return out


@dataclass(frozen=True, slots=True)
class Planned:
    """One file to generate: where (relative to the output folder, POSIX) and its text."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """A difference between the output folder and what generation gives."""

    path: str
    kind: str  # "missing", "stale" or "orphan"
    diff: str


@dataclass(frozen=True)
class Result:
    planned: tuple[Planned, ...]
    changes: tuple[Change, ...]
    warnings: tuple[Diagnostic, ...] = ()
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def diff(self) -> str:
        return "".join(c.diff for c in self.changes)


@dataclass
class CollectionPlan:
    """What one collection produces: its files per target and its index."""

    slug: str
    targets: list[str] = field(default_factory=list)
    files: list[Planned] = field(default_factory=list)
    index: dict[str, object] = field(default_factory=dict)
    skipped: int = 0  # files not generated: an item that did not resolve, or a target that refused it


def plan_collection(
    collection: Collection,
    source: str,
    resolved: Sequence[ResolvedRequest | PostmanGenError],
    targets: Sequence[tuple[str, str]],
    render: Render,
) -> tuple[CollectionPlan, list[Diagnostic]]:
    """The files of one collection for ``targets`` (``(name, extension)`` pairs).

    ``resolved`` holds, in ``collection.walk()`` order, each item's request or the error that kept it from
    resolving; such items get no file and a warning.
    """
    cslug = collection_slug(source, collection.name)
    plan = CollectionPlan(cslug, [name for name, _ext in targets])
    warnings: list[Diagnostic] = []
    entries = []
    for (names, parts), request in zip(item_paths(collection), resolved, strict=True):
        files: dict[str, str] = {}
        for target, ext in targets:
            if isinstance(request, PostmanGenError):
                continue
            try:
                text = render(request, target)
            except PostmanGenError as exc:
                where = exc.where or request.where
                warnings.append(
                    Diagnostic(Level.WARNING, f"{target}: {exc.message}", exc.file or source, where)
                )
                plan.skipped += 1
                continue
            rel = "/".join((target, *parts)) + f".{ext}"
            files[target] = rel
            plan.files.append(Planned(f"{cslug}/{rel}", text))
        if isinstance(request, PostmanGenError):
            warnings.append(
                Diagnostic(Level.WARNING, f"not generated: {request.message}", source, request.where)
            )
            plan.skipped += len(targets)
        entries.append({"path": list(names), "files": dict(sorted(files.items()))})
    plan.index = {"collection": collection.name, "source": os.path.basename(source), "items": entries}
    plan.files.append(
        Planned(f"{cslug}/{INDEX}", json.dumps(plan.index, indent=2, ensure_ascii=False) + "\n")
    )
    return plan, warnings


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        return "\ufffd(not UTF-8)\n"


def _unified(path: str, old: str | None, new: str | None) -> str:
    before = (old or "").splitlines(keepends=True)
    after = (new or "").splitlines(keepends=True)
    lines = difflib.unified_diff(
        before,
        after,
        "/dev/null" if old is None else f"a/{path}",
        "/dev/null" if new is None else f"b/{path}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _inside(rel: str, target: str) -> bool:
    """Whether an index entry names a file under its target's folder (never ``..``, absolute or odd)."""
    parts = rel.split("/")
    return (
        len(parts) > 1
        and parts[0] == target
        and all(p not in ("", ".", "..") and "\\" not in p and "\x00" not in p for p in parts)
    )


def _manifest(out: Path, plan: CollectionPlan) -> set[str]:
    """The files of the plan's targets that the collection's current ``index.json`` says generate wrote.

    Only these are ever removed or reported as orphans: a file generate did not write (a hand-written
    script beside generated ones, anything under an output folder at a repository's root) is left alone.
    """
    try:
        data = json.loads((out / plan.slug / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    items = data.get("items") if isinstance(data, dict) else None
    found = set()
    for entry in items if isinstance(items, list) else ():
        files = entry.get("files") if isinstance(entry, dict) else None
        for target, rel in files.items() if isinstance(files, dict) else ():
            if target in plan.targets and isinstance(rel, str) and _inside(rel, target):
                found.add(f"{plan.slug}/{rel}")
    return found


def _no_links(out: Path, rel: str) -> None:
    """Refuse a path under ``out`` that goes through a symbolic link (it could lead out of ``out``)."""
    path = out
    for part in rel.split("/"):
        path = path / part
        if path.is_symlink():
            raise UsageError(f"{path} is a symbolic link: generate does not follow links out of {out}")
        if not path.exists():
            return


def compare(out: Path, plans: Sequence[CollectionPlan]) -> list[Change]:
    """Missing and stale planned files, and orphans (files of the old index no item maps to), by path."""
    changes = []
    planned = {p.path: p.text for plan in plans for p in plan.files}
    for path in planned:
        _no_links(out, path)
    for path, text in sorted(planned.items()):
        current = _read(out / path)
        if current != text:
            kind = "missing" if current is None else "stale"
            changes.append(Change(path, kind, _unified(path, current, text)))
    orphans = set().union(*(_manifest(out, plan) for plan in plans)) - planned.keys()
    for path in sorted(orphans):
        _no_links(out, path)
        if (out / path).is_file():
            changes.append(Change(path, "orphan", _unified(path, _read(out / path), None)))
    return sorted(changes, key=lambda c: c.path)


def _name_max(out: Path) -> tuple[int, int]:
    """The longest file name and path the file system under ``out`` takes (POSIX defaults elsewhere)."""
    probe = out
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return os.pathconf(probe, "PC_NAME_MAX"), os.pathconf(probe, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):
        return 255, 4096


def preflight(out: Path, paths: Iterable[str]) -> None:
    """Refuse, before anything is written, a plan that cannot be written whole: a file where a folder
    belongs or a folder where a file belongs, a name or path longer than the file system takes."""
    name_max, path_max = _name_max(out)
    paths = sorted(paths)
    folders = {"/".join(p.split("/")[:i]) for p in paths for i in range(1, p.count("/") + 1)}
    for rel in paths:
        full = out / rel
        if rel in folders:
            raise UsageError(f"cannot write {full}: two generated paths need it as a file and a folder")
        if len(os.fsencode(os.path.abspath(full))) >= path_max:
            raise UsageError(f"cannot write {full}: the path is too long for the file system")
        for part in rel.split("/"):
            if len(os.fsencode(part)) > name_max:
                raise UsageError(f"cannot write {full}: the name {part[:40]}... is too long")
        if full.is_dir():
            raise UsageError(f"cannot write {full}: a folder is where the generated file belongs")
        parent = full.parent
        while parent != out and not parent.exists():
            parent = parent.parent
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"cannot write {full}: {parent} is a file where a folder belongs")


def _prune(out: Path, path: Path) -> None:
    """Remove folders left empty by an orphan's removal, up to the output folder."""
    parent = path.parent
    while parent != out and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def apply(
    out: Path, plans: Sequence[CollectionPlan], mode: WriteMode, executable_ext: Iterable[str] = ("sh",)
) -> Result:
    """Compare the plans with ``out``; in ``WRITE`` mode make ``out`` match them.

    The whole plan is checked first (nothing is read or written when a file cannot be), each index is
    written last (it lists only files that exist), then removes orphans.
    """
    texts = {p.path: p.text for plan in plans for p in plan.files}
    preflight(out, texts)
    changes = compare(out, plans)
    written, removed = [], []
    if mode is WriteMode.WRITE:
        exec_ext = tuple(f".{e}" for e in executable_ext)
        pending = [c for c in changes if c.kind != "orphan"]
        pending.sort(key=lambda c: c.path.endswith(f"/{INDEX}"))
        for change in pending:
            permissions = EXECUTABLE if change.path.endswith(exec_ext) else PUBLIC
            write_atomic(out / change.path, texts[change.path], mode=permissions, what="generated file")
            written.append(change.path)
        for change in changes:
            if change.kind == "orphan":
                target = out / change.path
                try:
                    target.unlink()
                except OSError as exc:
                    raise UsageError(f"cannot remove {target}: {exc.strerror}") from exc
                _prune(out, target)
                removed.append(change.path)
    planned = tuple(p for plan in plans for p in plan.files)
    return Result(planned, tuple(changes), (), tuple(written), tuple(removed))


def find_collections(paths: Sequence[str]) -> list[str]:
    """Files given, and collection/item files found (sorted) in folders given; environments skipped. A
    folder without such files is a v3 tree (or a repository with ``postman/collections/*``)."""
    found: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            files = [
                os.path.join(given, name)
                for name in sorted(os.listdir(given))
                if name.lower().endswith(
                    (".postman_collection.json", ".postman_item.json", ".postman_folder.json")
                )
            ]
            if not files:
                from postman_gen.collection.v3.layout import find_roots, has_requests

                files = [str(root) for root in find_roots(Path(given)) if has_requests(root)]
            found += files
        else:
            found.append(given)
    return found


def check_unique_slugs(sources: Sequence[str], names: Sequence[str] = ()) -> None:
    """Two collection files that would share an output folder are a usage error. ``names``: the
    collections' names, once loaded (standard input's folder is its collection's name); before that,
    ``-`` is only checked to be given once (standard input is read once)."""
    if list(sources).count("-") > 1:
        raise UsageError("- (standard input) is given more than once")
    seen: dict[str, str] = {}
    given: Sequence[str | None] = names or [None] * len(sources)
    for source, name in zip(sources, given, strict=True):
        if source == "-" and name is None:
            continue
        key = collection_slug(source, name or "")
        if key in seen:
            first, this = ("standard input" if x == "-" else x for x in (seen[key], source))
            raise UsageError(f"{first} and {this} would both be generated into {key}/")
        seen[key] = source


def diff_items(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]], label: str = "") -> str:
    """A unified diff of generated code between two versions of a collection, item by item.

    ``old`` and ``new`` are ``(item path, code)`` pairs; items are matched by path. Removed items come
    first in old order, then added and changed ones in new order.
    """
    before, after = dict(old), dict(new)
    suffix = f" ({label})" if label else ""
    chunks = []
    for path, text in old:
        if path not in after:
            chunks.append(_unified(path + suffix, text, None))
    for path, text in new:
        if path not in before:
            chunks.append(_unified(path + suffix, None, text))
        elif before[path] != text:
            chunks.append(_unified(path + suffix, before[path], text))
    return "".join(chunks)
