"""Read Postman files from disk, tell what they are, and check them against our own schemas.

Everything that can go wrong with an input file ends here as an ``InputError`` (cannot read or parse) or a
``ValidationError`` (parsed, but not a shape we can use), each located by file and JSON path. Later layers
may then trust the types of every field the schema pins down.

``jsonschema`` is imported lazily and its validators are built once, so importing this module stays cheap.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postman_gen.errors import Diagnostic, InputError, Level, ValidationError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from jsonschema.exceptions import ValidationError as SchemaError
    from jsonschema.protocols import Validator

    from postman_gen.collection.model import Collection, Variable

MAX_BYTES: int = 64 * 1024 * 1024
"""Inputs larger than this are refused before parsing (a collection export of 64 MiB is not plausible)."""

MAX_DEPTH: int = 256
"""Deepest JSON nesting accepted; later layers may recurse over a tree without risking ``RecursionError``."""

SCHEMA_DIR = Path(__file__).with_name("schemas")
V1_MESSAGE = (
    "Postman collection format v1 is not supported; open the collection in Postman and export it again "
    "as 'Collection v2.1'"
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


class Kind(str, Enum):
    """What a JSON document is, as far as postman-gen cares."""

    COLLECTION = "collection"
    FOLDER = "folder"
    ITEM = "item"
    ENVIRONMENT = "environment"
    GLOBALS = "globals"
    V1_COLLECTION = "v1-collection"


# --------------------------------------------------------------------------------------------------------
# Reading bytes and decoding JSON
# --------------------------------------------------------------------------------------------------------


def is_url(source: object) -> bool:
    """Whether a collection or environment argument is an http(s) URL rather than a path."""
    return isinstance(source, str) and source[:8].lower().startswith(("http://", "https://"))


def read_json(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> Any:
    """Read and parse one JSON document from a path, ``"-"`` (stdin) or raw bytes.

    Accepts the encodings Postman and editors really write (UTF-8 with or without BOM, UTF-16/32 with BOM,
    UTF-16 without BOM). Every failure is an ``InputError`` naming the file; syntax errors carry
    ``where="line L column C"``.
    """
    label = name if name is not None else _default_name(source)
    raw = _read_bytes(source, label)
    text = _decode(raw, label)
    data = _parse(text, label)
    if _too_deep(data):
        raise _depth_error(text, label)
    if _SURROGATE_ESCAPE.search(text) and _holds_lone_surrogate(data):
        _refuse_lone_surrogates(data, label)
    return data


def _holds_lone_surrogate(data: Any) -> bool:
    """Whether any key or string of the document is not encodable: one pass in C (json's encoder, then
    UTF-8), where walking every string in Python cost a large collection with emoji escapes (pairs, which
    json joins into one character) about a third of its load. Only then is the document walked, to say
    where."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# ``\ud800``-``\udfff`` escapes: valid JSON, but a lone one is no character at all (it cannot be encoded)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _refuse_lone_surrogates(data: Any, label: str) -> None:
    """Refuse a string holding half of a UTF-16 surrogate pair (``"\ud800"``), naming where it is.

    Only walked when the text has such escapes at all (pairs written as escapes are fine: json joins them).
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                where = (*path, _printable(key))
                if _has_lone_surrogate(key):
                    raise _surrogate_error(label, where)
                stack.append((value, where))
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
        elif isinstance(node, str) and _has_lone_surrogate(node):
            raise _surrogate_error(label, path)


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _printable(key: str) -> str:
    return key.encode("utf-8", "backslashreplace").decode("utf-8") if _has_lone_surrogate(key) else key


def _surrogate_error(label: str, path: tuple[str | int, ...]) -> InputError:
    return InputError(
        "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff without its pair): not a character",
        file=label,
        where=_join("", path) or "(top level)",
    )


def _default_name(source: str | os.PathLike[str] | bytes) -> str:
    """Name used in messages when the caller gives none."""
    if isinstance(source, bytes):
        return "<bytes>"
    if isinstance(source, str) and source == "-":
        return "<stdin>"
    return os.fspath(source)


def _read_bytes(source: str | os.PathLike[str] | bytes, label: str) -> bytes:
    """Get the raw bytes, refusing anything above ``MAX_BYTES`` without reading all of it."""
    if isinstance(source, bytes):
        raw = source
    elif isinstance(source, str) and source == "-":
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        raw = _read_file(Path(os.fspath(source)), label)
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"input is larger than {MAX_BYTES // (1024 * 1024)} MiB; refusing to load it", file=label
        )
    return raw


def _read_file(path: Path, label: str) -> bytes:
    """Read at most ``MAX_BYTES + 1`` bytes of a file, turning OS errors into one-line input errors."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot read file: {reason}", file=label) from None


def _sniff_encoding(raw: bytes) -> tuple[str, int]:
    """Return (codec, BOM length). Without a BOM, NULs around the first ASCII character mean UTF-16/32."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec, len(bom)
    head = raw[:4]
    if len(head) == 4 and head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be", 0
    if len(head) == 4 and head[0] and head[1:] == b"\0\0\0":
        return "utf-32-le", 0
    if len(head) >= 2 and head[0] == 0 and head[1]:
        return "utf-16-be", 0
    if len(head) >= 2 and head[0] and head[1] == 0:
        return "utf-16-le", 0
    return "utf-8", 0


def _decode(raw: bytes, label: str) -> str:
    """Decode to text, with a message that says which encoding failed and where."""
    codec, skip = _sniff_encoding(raw)
    body = raw[skip:]
    if not body.strip(b" \t\r\n\0"):
        raise InputError("file is empty; expected a JSON document", file=label, where="line 1 column 1")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        where = _byte_location(body, exc.start)
        hint = "; is this a binary file?" if b"\0" in body[:1024] or codec != "utf-8" else ""
        raise InputError(
            f"not valid {codec.upper()} text (byte 0x{body[exc.start]:02x}){hint}", file=label, where=where
        ) from None
    if "\0" in text:
        where = _text_location(text, text.index("\0"))
        raise InputError(
            "contains a NUL character; this looks like a binary file, not JSON", file=label, where=where
        )
    return text


def _byte_location(body: bytes, offset: int) -> str:
    """``line L column C`` of a byte offset (columns counted in bytes: the text could not be decoded)."""
    line = body.count(b"\n", 0, offset) + 1
    column = offset - (body.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line} column {column}"


def _reject_constant(token: str) -> Any:
    """``json`` accepts NaN/Infinity by default; JSON and Postman do not."""
    raise ValueError(f"{token} is not valid JSON")


def _parse(text: str, label: str) -> Any:
    """Parse JSON text; syntax errors become ``InputError`` with line and column."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        truncated = " (the file looks truncated)" if not text[exc.pos :].strip() else ""
        where = f"line {exc.lineno} column {exc.colno}"
        raise InputError(f"not valid JSON: {exc.msg}{truncated}", file=label, where=where) from None
    except RecursionError:
        raise _depth_error(text, label) from None
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}", file=label) from None


def _too_deep(data: Any) -> bool:
    """Whether the document is nested deeper than ``MAX_DEPTH`` (checked without recursion).

    Walks one level at a time with list comprehensions: every container of a large collection is
    visited, so the per-node cost matters.
    """
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        values = [child for node in level for child in (node.values() if isinstance(node, dict) else node)]
        level = [child for child in values if isinstance(child, (dict, list))]
    return False


_NESTING_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _depth_error(text: str, label: str) -> InputError:
    """The error for a too-deep document, located at the bracket that goes one level too far.

    Only runs on failure, so a slow token scan is fine here.
    """
    depth = 0
    where = ""
    for match in _NESTING_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                where = _text_location(text, match.start())
                break
        elif token in "]}":
            depth -= 1
    return InputError(f"JSON is nested deeper than {MAX_DEPTH} levels", file=label, where=where)


def _text_location(text: str, offset: int) -> str:
    """``line L column C`` (1-based, in characters) of an offset in decoded text."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line} column {column}"


# --------------------------------------------------------------------------------------------------------
# What is it?
# --------------------------------------------------------------------------------------------------------


def detect_kind(data: Any, *, file: str = "") -> Kind:
    """Tell collections, folders, bare items, environments, globals and v1 collections apart by shape.

    A top-level object with ``item`` is a collection even without ``info`` (old SDK output puts ``name`` at
    the top); it is taken as a folder only if it has no ``info`` but carries a folder marker (``id`` or
    ``_postman_isSubFolder``). A bare list of variables is the old globals export.
    """
    if isinstance(data, list):
        if all(isinstance(entry, dict) for entry in data):
            return Kind.GLOBALS
        raise InputError("a JSON list that is not a list of variables; expected a Postman file", file=file)
    if not isinstance(data, dict):
        raise InputError(
            f"top level is a JSON {_json_type(data)}; expected a Postman collection or environment object",
            file=file,
        )
    return _kind_of_object(data, file)


def _kind_of_object(data: dict[str, Any], file: str) -> Kind:
    """Shape rules for a top-level object (see ``detect_kind``)."""
    if any(key in data for key in ("requests", "order", "folders_order")):
        return Kind.V1_COLLECTION
    if "item" in data:
        if "info" not in data and ("id" in data or "_postman_isSubFolder" in data):
            return Kind.FOLDER
        return Kind.COLLECTION
    if "request" in data:
        return Kind.ITEM
    if "values" in data:
        scope = data.get("_postman_variable_scope")
        return Kind.GLOBALS if scope == "globals" else Kind.ENVIRONMENT
    raise InputError(
        "not a Postman file: no 'item' (collection), 'request' (item) or 'values' (environment)", file=file
    )


def schema_version(data: dict[str, Any]) -> str:
    """``"2.0.0"`` or ``"2.1.0"``: from ``info.schema``, else from the shape of the first auth found.

    The only difference that matters is auth parameters: objects in v2.0.0, ``[{key, value}]`` in v2.1.0.
    Without a usable schema URL (missing, or ``.../collection/v2/...``) the first non-``noauth`` auth
    decides; with none at all, 2.1.0.
    """
    info = data.get("info")
    url = info.get("schema") if isinstance(info, dict) else None
    if isinstance(url, str):
        if "v2.0" in url:
            return "2.0.0"
        if "v2.1" in url:
            return "2.1.0"
    return _version_from_auth_shape(data)


def _version_from_auth_shape(data: dict[str, Any]) -> str:
    """Walk collection, folders and requests (not examples) for the first auth with parameters."""
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        request = node.get("request")
        for auth in (node.get("auth"), request.get("auth") if isinstance(request, dict) else None):
            form = _auth_params_form(auth)
            if form is not None:
                return form
        children = node.get("item")
        if isinstance(children, list):
            stack.extend(reversed(children))
    return "2.1.0"


def _auth_params_form(auth: Any) -> str | None:
    """The version an auth object's parameter form belongs to, or None if it shows nothing."""
    if not isinstance(auth, dict) or auth.get("type") in (None, "noauth"):
        return None
    params = auth.get(auth["type"]) if isinstance(auth["type"], str) else None
    if isinstance(params, dict):
        return "2.0.0"
    if isinstance(params, list):
        return "2.1.0"
    return None


# --------------------------------------------------------------------------------------------------------
# Schema validation
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    """One node to check: the value, the schema part that applies, and where it sits in the file."""

    value: Any
    schema_part: str
    where: str


def validate(data: Any, *, file: str, kind: Kind | None = None) -> list[Diagnostic]:
    """Every schema problem of ``data`` as located ERROR diagnostics (empty list: valid).

    Collections, folders and bare items are checked node by node (the item tree is walked here, each node
    against a compiled non-recursive part of the schema), which is fast and gives exact locations.
    """
    if kind is None:
        try:
            kind = detect_kind(data, file=file)
        except InputError as exc:
            return [Diagnostic(Level.ERROR, exc.message, file, exc.where)]
    if kind is Kind.V1_COLLECTION:
        return [Diagnostic(Level.ERROR, V1_MESSAGE, file)]
    if kind in (Kind.ENVIRONMENT, Kind.GLOBALS):
        return _diagnostics(_Target(data, "variablesFile", ""), "environment", file)
    version = schema_version(data) if isinstance(data, dict) else "2.1.0"
    schema_name = f"collection-v{version}"
    problems: list[Diagnostic] = []
    for target in _targets(data, kind, version):
        if isinstance(target, Diagnostic):
            problems.append(Diagnostic(target.level, target.message, file, target.where))
        else:
            problems.extend(_diagnostics(target, schema_name, file))
    return problems


def _targets(data: Any, kind: Kind, version: str) -> Iterator[_Target | Diagnostic]:
    """Yield, in document order, the nodes of a collection/folder/item and the schema part for each."""
    root_part = {Kind.COLLECTION: "collectionShell", Kind.FOLDER: "folderShell", Kind.ITEM: "requestItem"}[
        kind
    ]
    yield _Target(data, root_part, "")
    if kind is Kind.ITEM or not isinstance(data, dict):
        return
    stack: list[tuple[Any, str]] = _children(data, "")
    while stack:
        node, where = stack.pop()
        entry = _classify_entry(node, where, version)
        yield entry
        if isinstance(entry, _Target) and entry.schema_part == "folderShell":
            stack.extend(_children(node, where))


def _children(folder: dict[str, Any], where: str) -> list[tuple[Any, str]]:
    """The ``item`` entries of a folder, reversed so that popping visits them in order."""
    items = folder.get("item")
    if not isinstance(items, list):
        return []
    return [
        (child, f"{where}.item[{index}]" if where else f"item[{index}]")
        for index, child in reversed(list(enumerate(items)))
    ]


def _classify_entry(node: Any, where: str, version: str) -> _Target | Diagnostic:
    """An entry of ``item`` is a folder (has ``item``) or a request item (has ``request``); else an error."""
    if isinstance(node, dict) and "item" in node:
        return _Target(node, "folderShell", where)
    if isinstance(node, dict) and "request" in node:
        return _Target(node, "requestItem", where)
    if isinstance(node, dict):
        message = "entry has neither 'request' (a request item) nor 'item' (a folder)"
    else:
        message = f"entry is a JSON {_json_type(node)}; expected a request item or a folder object"
    return Diagnostic(Level.ERROR, message, "", where)


def _diagnostics(target: _Target, schema_name: str, file: str) -> list[Diagnostic]:
    """Run one compiled validator on one node and turn its errors into located diagnostics."""
    if _fast_check(schema_name, target.schema_part)(target.value):
        return []
    validator = _validator(schema_name, target.schema_part)
    errors = sorted(validator.iter_errors(target.value), key=lambda e: [str(p) for p in e.absolute_path])
    return [
        Diagnostic(Level.ERROR, _message(error), file, _join(target.where, error.absolute_path))
        for error in errors
    ]


@cache
def _schema(schema_name: str) -> dict[str, Any]:
    """Load one of our schema files (once)."""
    with (SCHEMA_DIR / f"{schema_name}.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def _validator(schema_name: str, part: str) -> Validator:
    """A compiled validator for ``$defs/<part>`` of a schema file; ``$ref``s resolve inside that file."""
    from jsonschema.validators import validator_for

    root = _schema(schema_name)
    sub = _inline_refs({"$ref": f"#/$defs/{part}"}, root["$defs"], ())
    sub.update({"$schema": root["$schema"], "$defs": root["$defs"]})
    cls = validator_for(root)
    validator: Validator = cls(sub)
    return validator


Check = Callable[[Any], bool]
# Each JSON type as a Python expression over ``{v}`` (the value tested).
_TYPE_TESTS: dict[str, str] = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
    "number": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
    "integer": (
        "((isinstance({v}, int) and not isinstance({v}, bool))"
        " or (isinstance({v}, float) and {v}.is_integer()))"
    ),
}
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "$comment"})
_LEAF_KEYWORDS = frozenset({"type", "enum", "const"})


class _Unsupported(Exception):
    """A schema keyword the fast checker does not know: use jsonschema alone."""


@cache
def _fast_check(schema_name: str, part: str) -> Check:
    """A plain-Python yes/no check equivalent to the schema part, or one that always says "look closer".

    jsonschema costs about 0.3 s on a 1,000-request collection. Valid nodes (nearly all of them) pass this
    check in a fraction of that; only failing nodes go through jsonschema, which then explains the failure.
    The check is Python source generated from the schema and compiled once (one function per ``$defs``
    entry, keywords inlined as expressions), which runs several times faster than nested closures.
    """
    root = _schema(schema_name)
    try:
        generator = _CheckSource(root["$defs"])
        entry = generator.definition(part)
    except _Unsupported:
        return lambda value: False
    namespace: dict[str, Any] = dict(generator.constants)
    exec(compile("\n".join(generator.lines), f"<schema {schema_name}>", "exec"), namespace)
    check: Check = namespace[entry]
    return check


class _CheckSource:
    """Writes the Python source of a fast check: one function per schema definition or composite node.

    Only the subset of JSON Schema our files use is supported (all keywords of a node must hold);
    anything else raises ``_Unsupported``.
    """

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {}
        self.names: dict[str, str] = {}  # definition -> function name
        self.count = 0

    def definition(self, name: str) -> str:
        """The function checking ``$defs/<name>`` (written once; recursion refers to it by name)."""
        if name not in self.names:
            if name not in self.defs:
                raise _Unsupported(f"$ref {name}")
            self.names[name] = f"_def_{len(self.names)}"
            self._function(self.names[name], self.defs[name])
        return self.names[name]

    def _function(self, func: str, schema: Any) -> str:
        body = self._expression(schema, "v")
        self.lines.append(f"def {func}(v):\n    return {body}\n")
        return func

    def _checker(self, schema: Any) -> str:
        """A function name for ``schema`` (a ``$ref`` reuses its definition's function)."""
        if isinstance(schema, dict) and set(schema) - _ANNOTATIONS == {"$ref"}:
            return self._ref(schema["$ref"])
        self.count += 1
        return self._function(f"_node_{self.count}", schema)

    def _constant(self, value: Any) -> str:
        name = f"_c{len(self.constants)}"
        self.constants[name] = value
        return name

    def _ref(self, ref: Any) -> str:
        if not (isinstance(ref, str) and ref.startswith("#/$defs/")):
            raise _Unsupported(f"$ref {ref!r}")
        return self.definition(ref.removeprefix("#/$defs/"))

    def _expression(self, schema: Any, v: str) -> str:
        if schema is True or schema == {}:
            return "True"
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        # "type" first: once it has held, the object and array keywords need not test the type again
        keys = sorted(
            (k for k in schema if k not in _ANNOTATIONS and k not in ("then", "else")), key="type".__ne__
        )
        known = schema.get("type") if schema.get("type") in ("object", "array") else None
        parts = [self._keyword(key, schema[key], schema, v, known) for key in keys]
        return "(" + " and ".join(parts) + ")" if parts else "True"

    def _value(self, schema: Any, v: str) -> str:
        """``schema`` applied to the expression ``v``: inlined when it only tests the type or value."""
        if isinstance(schema, dict) and set(schema) - _ANNOTATIONS <= _LEAF_KEYWORDS:
            return self._expression(schema, v)
        if schema is True or schema == {}:
            return "True"
        return f"{self._checker(schema)}({v})"

    def _keyword(self, key: str, arg: Any, schema: dict[str, Any], v: str, known: str | None = None) -> str:
        """One keyword as an expression; ``known`` is the type already tested (its guard is left out)."""
        is_object = "" if known == "object" else f"not isinstance({v}, dict) or "
        is_array = "" if known == "array" else f"not isinstance({v}, list) or "
        if key == "type":
            names = [arg] if isinstance(arg, str) else arg
            if not all(isinstance(name, str) and name in _TYPE_TESTS for name in names):
                raise _Unsupported(f"type {arg!r}")
            return "(" + " or ".join(_TYPE_TESTS[name].format(v=v) for name in names) + ")"
        if key == "enum" and isinstance(arg, list) and all(isinstance(item, str) for item in arg):
            return f"(isinstance({v}, str) and {v} in {self._constant(frozenset(arg))})"
        if key == "const" and isinstance(arg, str):
            return f"(isinstance({v}, str) and {v} == {self._constant(arg)})"
        if key == "required" and isinstance(arg, list):
            names = " and ".join(f"{self._constant(name)} in {v}" for name in arg) or "True"
            return f"({is_object}({names}))"
        if key == "properties" and isinstance(arg, dict):
            checks = []
            for name, sub in arg.items():
                key_name = self._constant(name)
                checks.append(f"({key_name} not in {v} or {self._value(sub, f'{v}[{key_name}]')})")
            return f"({is_object}({' and '.join(checks) or 'True'}))"
        if key == "items" and isinstance(arg, dict):
            if arg == {}:
                return "True"
            return f"({is_array}all(map({self._checker(arg)}, {v})))"
        if key == "allOf" and isinstance(arg, list):
            return "(" + " and ".join(self._value(sub, v) for sub in arg) + ")" if arg else "True"
        if key == "not":
            return f"(not {self._value(arg, v)})"
        if key == "if":
            cond, then, other = (self._value(schema.get(k, {}), v) for k in ("if", "then", "else"))
            return f"({then} if {cond} else {other})"
        if key == "$ref":
            return f"{self._ref(arg)}({v})"
        raise _Unsupported(key)


def _inline_refs(node: Any, defs: dict[str, Any], open_refs: tuple[str, ...]) -> Any:
    """Copy a schema with local ``$ref``s replaced by their target, leaving only recursive ones.

    jsonschema resolves every ``$ref`` through its registry on every use; inlining the non-recursive ones
    once makes validating a large collection about twice as fast.
    """
    if isinstance(node, list):
        return [_inline_refs(child, defs, open_refs) for child in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
        name = ref.removeprefix("#/$defs/")
        if name not in open_refs and name in defs:
            return _inline_refs(defs[name], defs, (*open_refs, name))
    return {key: _inline_refs(value, defs, open_refs) for key, value in node.items()}


def _join(prefix: str, path: Any) -> str:
    """Build ``item[3].request.url`` from a prefix and a jsonschema path (ints are list indexes)."""
    out = prefix
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def _message(error: SchemaError) -> str:
    """One short line for a schema error (jsonschema's own text may embed whole subtrees)."""
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title")
    validator_value: Any = error.validator_value
    if keyword == "type":
        expected = validator_value if isinstance(validator_value, list) else [validator_value]
        hint = _auth_form_hint(schema, error.instance)
        return f"expected {' or '.join(map(str, expected))}, got {_json_type(error.instance)}{hint}"
    if keyword == "enum":
        allowed = ", ".join(map(str, validator_value))
        return f"unknown {title or 'value'} {_short(error.instance)}; expected one of: {allowed}"
    if keyword == "required":
        instance: Any = error.instance
        missing = [key for key in validator_value if key not in instance]
        noun = f"{title} " if title else ""
        return f"{noun}is missing required key {', '.join(repr(key) for key in missing)}"
    if keyword == "not":
        return "has both 'request' and 'item'; an entry is either a request item or a folder"
    return " ".join(error.message.split())[:200]


def _auth_form_hint(schema: dict[str, Any], instance: Any) -> str:
    """Say why auth parameters have the wrong form: the file mixes v2.0.0 and v2.1.0 auth shapes."""
    title = str(schema.get("title", ""))
    if title.startswith("auth parameters (v2.1.0") and isinstance(instance, dict):
        return " (this is v2.0.0 object form, but the file says v2.1.0)"
    if title.startswith("auth parameters (v2.0.0") and isinstance(instance, list):
        return " (this is v2.1.0 list form, but the file says v2.0.0)"
    return ""


def _json_type(value: Any) -> str:
    """JSON's name for a Python value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value: Any) -> str:
    """A value as short, single-line JSON for messages."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------------------------------------
# Entry points used by the other layers
# --------------------------------------------------------------------------------------------------------


def load_document(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None, kind: Kind | None = None
) -> tuple[Any, Kind]:
    """Read, identify and validate one file; raise ``ValidationError`` carrying every problem found."""
    label = name if name is not None else _default_name(source)
    data = read_json(source, name=label)
    found = kind if kind is not None else detect_kind(data, file=label)
    problems = [p for p in validate(data, file=label, kind=found) if p.level is Level.ERROR]
    if problems:
        raise ValidationError(problems)
    return data, found


def to_collection(
    data: Any, kind: Kind, *, file: str, base_dir: str, keep_document: bool = False
) -> Collection:
    """The model of a validated collection, folder or bare item (a folder or item is wrapped in one);
    ``keep_document``: a collection keeps ``data`` (``Collection.document``)."""
    from postman_gen.collection.model import from_document

    return from_document(
        data,
        kind=kind.value.lower() if kind.value.lower() in ("collection", "folder", "item") else "collection",
        schema_version=schema_version(data) if kind is Kind.COLLECTION else "2.1.0",
        file=file,
        base_dir=base_dir,
        keep_document=keep_document,
    )


KNOWN_SCHEMA_VERSIONS = ("2.0.0", "2.1.0")
_SCHEMA_URL_VERSION = re.compile(r"/v(\d+(?:\.\d+)*)/")


def version_warnings(data: Any, *, file: str) -> list[Diagnostic]:
    """A collection whose ``info.schema`` names a version we do not know (``v9.9.9``): read as v2, warned."""
    info = data.get("info") if isinstance(data, dict) else None
    url = info.get("schema") if isinstance(info, dict) else None
    found = _SCHEMA_URL_VERSION.search(url) if isinstance(url, str) else None
    if found is None or found.group(1) in KNOWN_SCHEMA_VERSIONS or found.group(1) in ("2", "2.0", "2.1"):
        return []
    message = (
        f"unknown schema version v{found.group(1)}: read as v{schema_version(data)} "
        f"(known: {', '.join('v' + v for v in KNOWN_SCHEMA_VERSIONS)})"
    )
    return [Diagnostic(Level.WARNING, message, file, "info.schema")]


def read_variables_file(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None
) -> list[tuple[str, str | None, bool]]:
    """An environment or globals file as ``[(key, value text or None, enabled)]`` (see ``variables_file``)."""
    return [(v.key, v.value, not v.disabled) for v in variables_file(source, name=name)]


def variables_file(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> list[Variable]:
    """Read an environment or globals file as variables (disabled ones kept, marked so).

    Each value is the text Postman substitutes (``100.0`` -> ``"100"``, ``null`` -> ``"null"``; see
    ``value_text``) and keeps its JSON type for scripts (``Variable.typed``, as Newman: ``1`` is the number
    1 in ``pm.environment.get``); no ``value`` at all is None; entries without a ``key`` are skipped;
    ``enabled`` defaults to true; the declared ``type`` (``secret``...) is kept.
    """
    from postman_gen.collection.model import Variable

    label = name if name is not None else _default_name(source)
    data = read_json(source, name=label)
    kind = detect_kind(data, file=label)
    if kind not in (Kind.ENVIRONMENT, Kind.GLOBALS):
        raise InputError(f"expected an environment or globals file, found a {kind.value}", file=label)
    problems = validate(data, file=label, kind=kind)
    if problems:
        raise ValidationError(problems)
    entries = data["values"] if isinstance(data, dict) else data
    return [
        Variable.of_json(
            entry["key"],
            entry,
            disabled=not (bool(entry.get("enabled", True)) and not entry.get("disabled", False)),
        )
        for entry in entries
        if "key" in entry
    ]
