"""``convert``: v2.0/2.1 JSON <-> v3 tree, environments and globals too; nothing here touches the disk's
output (the caller writes ``Conversion.files`` atomically).

Direction by input: a v3 directory or ``*.request.yaml`` becomes one v2.1 JSON document; a YAML
environment/globals file becomes its JSON form; a JSON collection, folder or item becomes a v3 tree, a
JSON environment/globals file its YAML form. Both directions go through the model, so the round trip
v2 -> v3 -> v2 resolves to the same requests (tests/test_v3_convert.py holds it for the whole corpus).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from postman_gen.collection.model import Collection
from postman_gen.errors import Diagnostic


@dataclass(frozen=True)
class Conversion:
    """What to write: ``files`` relative to the output (a tree) or ``{"": text}`` (one file)."""

    kind: str  # "v3-tree", "v2-collection", "v3-environment", "v2-environment"
    files: dict[str, str]
    notes: tuple[str, ...] = field(default_factory=tuple)
    warnings: tuple[Diagnostic, ...] = ()  # the source collection's own (v3: kinds skipped...)

    @property
    def is_tree(self) -> bool:
        return self.kind == "v3-tree"


def to_v3(collection: Collection) -> Conversion:
    from postman_gen.collection.v3.write import tree_files

    files, notes = tree_files(collection)
    return Conversion("v3-tree", files, tuple(notes))


def to_v2(collection: Collection) -> Conversion:
    from postman_gen.collection.v3.to_v2 import collection_json

    text = json.dumps(collection_json(collection), indent=2, ensure_ascii=False) + "\n"
    return Conversion("v2-collection", {"": text})


def convert(source: str, output: str | None = None) -> Conversion:
    """The conversion of one input file or tree (errors as the loaders raise them).

    With ``output`` (the tree or file to be written), relative body file paths are re-pointed from the
    source's folder to the output's, so the converted collection sends the same files (``files.py``).
    """
    import postman_gen
    from postman_gen.collection import loader, v3

    if v3.is_v3_path(source):
        return _collection(
            postman_gen.load(source), to_v2, output and os.path.dirname(os.path.abspath(output))
        )
    if source.lower().endswith(v3.YAML_SUFFIXES):
        from postman_gen.collection.v3.to_v2 import environment_json
        from postman_gen.collection.v3.yaml_load import load_file

        rows = v3.read_variables(source)
        name = load_file(source, source).get("name")
        scope = "globals" if ".globals." in os.path.basename(source).lower() else "environment"
        doc = environment_json(str(name or _stem(source)), rows, scope)
        return Conversion("v2-environment", {"": json.dumps(doc, indent=2, ensure_ascii=False) + "\n"})
    data = loader.read_json(source)
    kind = loader.detect_kind(data, file=source)
    if kind in (loader.Kind.ENVIRONMENT, loader.Kind.GLOBALS):
        from postman_gen.collection.v3.write import environment_yaml

        rows = loader.read_variables_file(source)
        name = data.get("name") if isinstance(data, dict) else None
        return Conversion("v3-environment", {"": environment_yaml(str(name or _stem(source)), rows)})
    return _collection(postman_gen.load(source), to_v3, output)


def _collection(
    collection: Collection, how: Callable[[Collection], Conversion], to: str | None
) -> Conversion:
    from dataclasses import replace

    from postman_gen.collection.v3.files import rebase

    kept: list[str] = []
    if to is not None:
        collection, kept = rebase(collection, to)
    notes = [f"file path {src!r} holds variables: kept as written (relative to {to})" for src in kept]
    done = how(collection)
    return replace(done, notes=(*done.notes, *notes), warnings=collection.warnings)


def _stem(path: str) -> str:
    return os.path.basename(path).split(".")[0]
