"""Typed reads of loaded v3 YAML values, each problem recorded with its file, line, column and key path.

Every reader takes the value, a ``Place`` (file label + key path) and returns the model's type, adding a
located ERROR to the shared list instead of raising, so ``validate`` reports every problem of a tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from postman_gen.collection.v3.yaml_load import YList, YMap, located
from postman_gen.errors import Diagnostic, Level

_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[+-]?[0-9]+\Z")


def kind_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YList):
        return "a list"
    return "a string"


class Place:
    """A file being read, the key path inside it, and the problems of the whole tree.

    Made for every field read, so cheap: the key path is only spelled out when a problem is recorded.
    """

    __slots__ = ("label", "problems", "_up", "_key", "parent")

    def __init__(
        self,
        label: str,
        problems: list[Diagnostic],
        up: Place | None = None,
        key: str | int = "",
        parent: Any = None,
    ) -> None:
        self.label = label
        self.problems = problems
        self._up = up
        self._key = key
        self.parent = parent  # the mapping a missing (null) value belongs to, for its location

    @property
    def path(self) -> str:
        keys: list[str | int] = []
        place: Place | None = self
        while place is not None and place._up is not None:
            keys.append(place._key)
            place = place._up
        out = ""
        for key in reversed(keys):
            out = f"{out}[{key}]" if isinstance(key, int) else (f"{out}.{key}" if out else key)
        return out

    def at(self, key: str | int, parent: Any = None) -> Place:
        return Place(self.label, self.problems, self, key, parent if parent is not None else self.parent)

    def error(self, value: Any, message: str) -> None:
        where = located(self.label, value if value is not None else self.parent)
        self.problems.append(Diagnostic(Level.ERROR, message, where, self.path))

    def warn(self, value: Any, message: str) -> None:
        where = located(self.label, value if value is not None else self.parent)
        self.problems.append(Diagnostic(Level.WARNING, message, where, self.path))


def text(value: Any, place: Place, *, required: bool = False) -> str | None:
    """A string (a null is None); a list or mapping is an error."""
    if value is None:
        if required:
            place.error(value, "expected a string")
        return None
    if isinstance(value, (YMap, YList)):
        place.error(value, f"expected a string, got {kind_name(value)}")
        return None
    return str(value)


def flag(value: Any, place: Place, default: bool = False) -> bool:
    """``true``/``false`` (YAML 1.2 spellings)."""
    if value is None:
        return default
    if isinstance(value, str) and value in _TRUE:
        return True
    if isinstance(value, str) and value in _FALSE:
        return False
    place.error(value, f"expected true or false, got {_show(value)}")
    return default


def number(value: Any, place: Place) -> Decimal | None:
    """An ``order``: any decimal number, kept exact (16-digit integers occur)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            found = Decimal(value)
            if found.is_finite():
                return found
        except InvalidOperation:
            pass
    place.error(value, f"expected a number, got {_show(value)}")
    return None


def integer(value: Any, place: Place) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and _INT.match(value):
        return int(value)
    place.error(value, f"expected an integer, got {_show(value)}")
    return None


def mapping(value: Any, place: Place) -> YMap | None:
    if value is None:
        return None
    if not isinstance(value, YMap):
        place.error(value, f"expected a mapping, got {kind_name(value)}")
        return None
    return value


def sequence(value: Any, place: Place) -> YList | None:
    if value is None:
        return None
    if not isinstance(value, YList):
        place.error(value, f"expected a list, got {kind_name(value)}")
        return None
    return value


@dataclass(frozen=True, slots=True)
class Pair:
    """One entry of a ``key: value`` map or a ``[{key, value, description?, disabled?}]`` list."""

    key: str
    value: str | None
    disabled: bool = False
    description: str | None = None
    type: str | None = None


def pairs(value: Any, place: Place) -> Iterator[Pair]:
    """Both forms real files use: a map (``Accept: application/json``) or a list of entries."""
    if value is None:
        return
    if isinstance(value, YMap):
        for name, item in value.items():
            yield Pair(name, text(item, place.at(name, value)))
        return
    if not isinstance(value, YList):
        place.error(value, f"expected a mapping or a list, got {kind_name(value)}")
        return
    for index, entry in enumerate(value):
        here = place.at(index, value)
        if not isinstance(entry, YMap):
            here.error(entry, f"expected a mapping with key and value, got {kind_name(entry)}")
            continue
        key = text(entry.get("key"), here.at("key", entry))
        if key is None:
            here.error(entry, "missing 'key'")
            continue
        yield Pair(
            key=key,
            value=text(entry.get("value"), here.at("value", entry)),
            disabled=flag(entry.get("disabled"), here.at("disabled", entry)),
            description=text(entry.get("description"), here.at("description", entry)),
            type=text(entry.get("type"), here.at("type", entry)),
        )


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(str(value)) if len(value) <= 40 else repr(str(value)[:37] + "...")
    return kind_name(value)
