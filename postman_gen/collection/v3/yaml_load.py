"""YAML as Postman's v3 files mean it: every scalar the text written, located by line and column.

PyYAML (its libyaml C parser when installed) only composes the node tree; this module builds the values
itself, so nothing of YAML 1.1's implicit typing leaks: an unquoted ``2024-02-01``, ``yes``, ``0x10``,
``1e3``, ``.inf`` or a 16-digit ``order`` stays the string written, and callers convert the few typed fields
(``order``, ``statusCode``, ``disabled``...) explicitly. Each string, mapping and list remembers where it
starts, so errors read ``Users/Get user.request.yaml:7:3: url: expected a string``.

Refused, each with one located line: syntax errors, tabs used for indentation, duplicate keys, keys that
are not scalars, merge keys, custom tags, nesting deeper than ``MAX_DEPTH`` and alias expansion beyond
``MAX_NODES`` (the "billion laughs" document composes in a few bytes but would expand to 10^9 nodes).
"""

from __future__ import annotations

import codecs
import os
from typing import Any

import yaml

from postman_gen.errors import InputError

try:  # libyaml's parser: several times faster on large trees
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 128
MAX_NODES = 100_000
"""Values built from one file, aliases expanded: far above any real request file, far below a bomb."""

_STANDARD_TAGS = frozenset(
    {"tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!", None}
)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class YStr(str):
    """A scalar as written. ``plain``: written without quotes (the only form that can mean true/false)."""

    line: int
    col: int
    plain: bool


class YMap(dict[str, Any]):
    """A mapping in file order, with where it starts."""

    line: int
    col: int


class YList(list[Any]):
    """A sequence, with where it starts."""

    line: int
    col: int


def position(value: Any, default: tuple[int, int] = (1, 1)) -> tuple[int, int]:
    """``(line, column)``, 1-based, of a loaded value; ``default`` for ``None`` (a null has no object)."""
    line = getattr(value, "line", None)
    return (line, value.col) if line is not None else default


def located(label: str, value: Any, default: tuple[int, int] = (1, 1)) -> str:
    """``file:line:col`` of a value, for the ``file`` of a diagnostic."""
    line, col = position(value, default)
    return f"{label}:{line}:{col}"


def read_text(path: str, label: str) -> str:
    """A YAML file's text (UTF-8, BOM allowed), refusing huge and undecodable files with one line."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or type(exc).__name__}", file=label) from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; refusing to load it", file=label
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", file=f"{label}:{line}:{col}"
        ) from None


def load_file(path: str | os.PathLike[str], label: str) -> Any:
    """The one YAML document of a file, as ``YMap``/``YList``/``YStr``/``None``."""
    return load_text(read_text(os.fspath(path), label), label)


_DEFAULT_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Composer(_Loader):
    """Composes nodes only; every untagged node gets the default tag at once (no implicit typing to try)."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # path-based resolvers are never used here

    def ascend_resolver(self) -> None:
        pass


def load_text(text: str, label: str) -> Any:
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, label) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=label) from None
    except RecursionError:
        raise InputError(f"YAML is nested deeper than {MAX_DEPTH} levels", file=label) from None
    finally:
        loader.dispose()
    if node is None:
        return None
    return _Builder(label).build(node, 0)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, label: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "syntax error"
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: max(col, 1)] or (problem.startswith("found character") and "\t" in here):
        problem = "a tab character; YAML indents with spaces only"
        col = here.index("\t") + 1 if "\t" in here else col
    elif exc.context and "{{" in here:
        problem += " (a value starting with {{ must be quoted: '{{baseUrl}}/path')"
    return InputError(f"not valid YAML: {problem}", file=f"{label}:{line}:{col}")


class _Builder:
    """Values from composed nodes, counting every node built so aliases cannot multiply work."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.count = 0

    def error(self, node: yaml.Node, message: str) -> InputError:
        return InputError(
            message, file=f"{self.label}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"
        )

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(
                node, f"more than {MAX_NODES} values once aliases are expanded (a 'billion laughs' document?)"
            )
        if depth > MAX_DEPTH:
            raise self.error(node, f"nested deeper than {MAX_DEPTH} levels (or an alias refers to itself)")
        if node.tag not in _STANDARD_TAGS and not node.tag.startswith("tag:yaml.org,2002:"):
            raise self.error(node, f"unsupported YAML tag {node.tag}")
        out: YStr | YList | YMap
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.value in _NULLS:
                return None
            out = YStr(node.value)
            out.plain = not node.style
        elif isinstance(node, yaml.SequenceNode):
            out = YList(self.build(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            out = self._mapping(node, depth)
        else:  # pragma: no cover - the composer makes only these three
            raise self.error(node, "unexpected YAML node")
        out.line, out.col = node.start_mark.line + 1, node.start_mark.column + 1
        return out

    def _mapping(self, node: yaml.MappingNode, depth: int) -> YMap:
        out = YMap()
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "a key must be a plain string, not a list or mapping")
            key = key_node.value
            if key == "<<" and not key_node.style:
                raise self.error(key_node, "merge keys (<<) are not supported; write the keys out")
            if key in first:
                raise self.error(key_node, f"duplicate key {key!r} (first at line {first[key]})")
            first[key] = key_node.start_mark.line + 1
            self.count += 1
            out[key] = self.build(value_node, depth + 1)
        return out
