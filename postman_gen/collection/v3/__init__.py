"""Postman Collection v3 ("Git-native" YAML trees): a second reader of the same model.

``load(path)`` takes a collection directory, a directory holding ``postman/collections/<one>``, or one
``*.request.yaml`` file (that request with the definitions of its folders) and returns the ``Collection``
``from_document`` would make from the equivalent v2.1 JSON. Environments and globals in YAML are read by
``read_variables``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from postman_gen.errors import Diagnostic, InputError, UsageError

if TYPE_CHECKING:
    from postman_gen.collection.model import Collection

YAML_SUFFIXES = (".yaml", ".yml")


def is_v3_path(path: str | os.PathLike[str]) -> bool:
    """Whether a path is for this reader: a directory or a ``.request.yaml`` file."""
    text = os.fspath(path)
    if text == "-":
        return False
    return os.path.isdir(text) or text.lower().endswith(("request.yaml", "request.yml"))


def load(path: str | os.PathLike[str], *, label: str | None = None) -> Collection:
    """The collection at a v3 path (see the module's doc); problems raise ``ValidationError``."""
    from postman_gen.collection.v3 import tree

    given = Path(os.fspath(path))
    name = label or os.fspath(path).rstrip("/\\") or os.fspath(path)
    if given.is_file():
        root = tree.root_of_request(given.resolve())
        rel = given.resolve().relative_to(root)
        base = name[: -len(rel.as_posix())].rstrip("/\\") if name.endswith(rel.as_posix()) else str(root)
        return tree.load_tree(root, label=base or ".", only=given.resolve())
    if not given.is_dir():
        raise InputError("no such file or directory", file=name)
    roots = tree.find_roots(given)
    if not roots:
        raise InputError(
            "no Postman v3 collection here: expected *.request.yaml files, a .resources/definition.yaml, "
            "or postman/collections/<name>/",
            file=name,
        )
    if len(roots) > 1:
        listed = ", ".join(r.name for r in roots)
        raise UsageError(f"{len(roots)} collections here ({listed}); name one of their folders", file=name)
    root = roots[0]
    if not (tree.has_requests(root) or tree.is_legacy(root)):
        raise InputError(
            "no Postman v3 collection here: no *.request.yaml file and no .resources/definition.yaml "
            "(a v2 collection is a .json file: give its path)",
            file=name,
        )
    label_root = name if root == given else os.path.join(name, os.path.relpath(root, given))
    return tree.load_tree(root, label=label_root)


def find_environment(name: str, collection_dir: str, kind: str = "environment") -> str | None:
    """``-e NAME``: ``postman/environments/NAME.environment.yaml`` (or .yml/.json) near the collection.

    Looked up in the collection folder and in ``postman/environments`` (or ``globals``) of each folder above
    it; an exact file name wins over a case-insensitive one, which wins over a prefix (``-e Loc``).
    """
    suffixes = tuple(f".{kind}{ext}" for ext in (".yaml", ".yml", ".json"))
    start = Path(collection_dir).resolve()
    places = [start]
    for parent in [start, *start.parents]:
        folder = "globals" if kind == "globals" else f"{kind}s"
        places += [parent / "postman" / folder, parent / folder]
    candidates: list[Path] = []
    for place in places:
        if place.is_dir():
            candidates += sorted(
                p for p in place.iterdir() if p.name.lower().endswith(suffixes) and p.is_file()
            )
    stems = [(p, p.name[: p.name.lower().rfind(f".{kind}")]) for p in candidates]
    for test in (
        lambda s: s == name,
        lambda s: s.casefold() == name.casefold(),
        lambda s: s.casefold().startswith(name.casefold()),
    ):
        hits = [p for p, s in stems if test(s)]
        if hits:
            return str(hits[0])
    return None


def read_variables(path: str, label: str | None = None) -> list[tuple[str, str | None, bool]]:
    """An ``*.environment.yaml`` or ``*.globals.yaml``: ``[(key, value, enabled)]`` (``enabled`` default
    true; ``disabled: true`` also honoured)."""
    from postman_gen.collection.v3.fields import Place, flag, mapping, sequence, text
    from postman_gen.collection.v3.yaml_load import YMap, load_file
    from postman_gen.errors import Level, ValidationError

    label = label or path
    doc = load_file(path, label)
    problems: list[Diagnostic] = []
    place = Place(label, problems)
    found = mapping(doc, place) if doc is not None else YMap()
    rows: list[tuple[str, str | None, bool]] = []
    if found is not None:
        if "values" not in found:
            place.error(found, "not an environment or globals file: no 'values'")
        entries = sequence(found.get("values"), place.at("values", found)) or ()
        for index, entry in enumerate(entries):
            here = place.at("values", found).at(index, entries)
            if not isinstance(entry, YMap):
                here.error(entry, "expected a mapping with key and value")
                continue
            key = text(entry.get("key"), here.at("key", entry))
            if key is None:
                continue
            enabled = flag(entry.get("enabled"), here.at("enabled", entry), True)
            disabled = flag(entry.get("disabled"), here.at("disabled", entry), False)
            rows.append((key, text(entry.get("value"), here.at("value", entry)), enabled and not disabled))
    errors = [p for p in problems if p.level is Level.ERROR]
    if errors:
        raise ValidationError(errors)
    return rows
