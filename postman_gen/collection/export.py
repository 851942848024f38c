"""The files ``run`` exports at its end, as Newman's ``--export-environment``, ``--export-globals`` and
``--export-collection``: the input's documents with the values as the run's scripts left them, each value
keeping its JSON type (a number set by ``pm.environment.set('n', 1)`` is written as ``1``).

A v2 collection is written as it was read, only its ``variable`` list changed: a variable a script set has
its new value, one it unset is gone, one it added comes last; every other entry (disabled ones too) is left
exactly as written. A collection that is not a v2 JSON document (a v3 YAML tree, a bare item or folder, one
built in Python) is written as the v2.1 JSON ``convert`` writes for it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from postman_gen.collection.model import Collection, Variable
from postman_gen.resolution.value_text import UNDEFINED, variable_value


def _export_type(value: Any) -> str:
    """The ``type`` an exported value gets: Postman's ``default`` for text, else ``any`` (kept as typed)."""
    return "default" if isinstance(value, str) else "any"


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values (``1`` is not ``true``, ``1`` is ``1.0``)."""
    if a is UNDEFINED or b is UNDEFINED:
        return a is b
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def _text(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def scope_document(
    name: str, scope: str, values: Mapping[str, Any], disabled: Sequence[Variable] = ()
) -> str:
    """An environment/globals file as Newman exports it: values as scripts left them (numbers, booleans
    and objects keep their JSON type); disabled variables of the input that no script set are kept."""
    rows: list[dict[str, Any]] = [
        {"key": key, "value": value, "type": _export_type(value), "enabled": True}
        for key, value in values.items()
    ]
    for row in rows:
        if row["value"] is UNDEFINED:  # set to undefined: exported without a value, as Newman does
            del row["value"]
    rows += [
        {"key": v.key, "value": v.value or "", "type": "default", "enabled": False}
        for v in disabled
        if v.disabled and v.key not in values
    ]
    return _text({"name": name, "values": rows, "_postman_variable_scope": scope})


def collection_document(collection: Collection, values: Mapping[str, Any]) -> str:
    """The collection as it stands after the run: ``values`` are its enabled variables as the scripts left
    them (``pm.collectionVariables``)."""
    if collection.document is not None:
        document = dict(collection.document)
    else:
        from postman_gen.collection.v3.to_v2 import collection_json

        document = collection_json(collection)
    entries = document.pop("variables", None) if "variable" not in document else document.get("variable")
    document["variable"] = variable_entries(entries if isinstance(entries, list) else [], values)
    return _text(document)


def variable_entries(entries: Sequence[Any], values: Mapping[str, Any]) -> list[Any]:
    """A v2 ``variable`` list updated to ``values`` (the enabled variables as the run left them)."""
    out: list[Any] = []
    seen: set[str] = set()
    for entry in entries:
        key = entry.get("key", entry.get("id")) if isinstance(entry, Mapping) else None
        if key is None:
            out.append(entry)
            continue
        key = str(key)
        disabled = bool(entry.get("disabled", False)) or entry.get("enabled") is False
        if key not in values:
            if disabled:  # an enabled variable missing from ``values`` was unset by a script
                out.append(entry)
            continue
        seen.add(key)
        value = values[key]
        if not disabled and _same(Variable.of_json(key, entry).script_value, value):
            out.append(entry)
            continue
        updated = {k: v for k, v in entry.items() if k not in ("value", "disabled", "enabled", "type")}
        if value is not UNDEFINED:
            updated["value"] = value
        written = entry.get("type")
        # the declared type stays when it holds the value as it is (a number in a ``number`` variable)
        keep = isinstance(written, str) and _same(variable_value(value, written), value)
        updated["type"] = written if keep else _export_type(value)
        out.append(updated)
    for key, value in values.items():
        if key not in seen:
            row: dict[str, Any] = {"key": key, "value": value, "type": _export_type(value)}
            if value is UNDEFINED:
                del row["value"]
            out.append(row)
    return out
