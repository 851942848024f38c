"""Variable scopes and ``{{name}}`` substitution.

Scopes, lowest to highest: globals < collection < folder(s) < environment < iteration data < command
line. Substitution works as Postman's: the innermost ``{{...}}`` is replaced first, so ``{{a{{b}}}}``
composes a name; values may hold references themselves, resolved again up to ``MAX_DEPTH`` rounds. A
reference that keeps expanding into itself is a cycle and an error. An unknown reference is kept verbatim
(Postman sends it as written) and reported once per name and place.

For code generation (``VarMode.KEEP``/``ENV``) a reference is replaced by a placeholder token instead of its
value; the table of placeholders is collected here and travels in the resolved request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from postman_gen.collection.model import Variable
from postman_gen.errors import Diagnostic, Level, ResolveError
from postman_gen.resolution.dynamic import DYNAMIC_NAMES, DynamicValues
from postman_gen.resolution.placeholders import Placeholder, PlaceholderKind, env_name, token
from postman_gen.resolution.request import VarMode

REFERENCE = re.compile(r"\{\{([^{}]*?)\}\}")
MAX_DEPTH = 19  # rounds of nested substitution, as Postman's substitutor allows


@dataclass(frozen=True, slots=True)
class Scope:
    """One named layer of variables (``globals``, ``collection``, ``environment``...)."""

    name: str
    values: Mapping[str, str]

    @classmethod
    def of(cls, name: str, variables: Iterable[Variable]) -> Scope:
        return cls(name, {v.key: v.value or "" for v in variables if not v.disabled})


@dataclass(frozen=True, slots=True)
class Scopes:
    """Layers, lowest precedence first."""

    layers: tuple[Scope, ...] = ()

    def with_layer(self, scope: Scope) -> Scopes:
        return Scopes(self.layers + (scope,))

    def lookup(self, name: str) -> str | None:
        for layer in reversed(self.layers):
            if name in layer.values:
                return layer.values[name]
        return None

    def flat(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for layer in self.layers:
            merged.update(layer.values)
        return merged


@dataclass
class Substitutor:
    """Substitutes references in strings for one request, collecting placeholders and warnings."""

    scopes: Scopes
    mode: VarMode = VarMode.INLINE
    dynamic: DynamicValues = field(default_factory=DynamicValues)
    file: str = ""
    strict: bool = False
    placeholders: list[Placeholder] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    _seen_unknown: set[tuple[str, str]] = field(default_factory=set)
    # ``scopes`` flattened (highest layer wins), when the caller has it already: one dict lookup per name
    # instead of a walk over the layers. Must agree with ``scopes``; None: walk the layers.
    _flat: Mapping[str, str] | None = field(default=None, repr=False, compare=False)

    def _lookup(self, name: str) -> str | None:
        flat = self._flat
        return self.scopes.lookup(name) if flat is None else flat.get(name)

    # ----------------------------------------------------------------- placeholders

    def placeholder(self, kind: PlaceholderKind, name: str) -> str:
        """The token for a placeholder, registering it once."""
        for index, existing in enumerate(self.placeholders):
            if existing.kind is kind and existing.name == name:
                return token(index)
        taken = {p.env_name for p in self.placeholders if (p.kind, p.name) != (kind, name)}
        base = env_name(name)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        self.placeholders.append(Placeholder(kind, name, candidate))
        return token(len(self.placeholders) - 1)

    # ----------------------------------------------------------------- substitution

    def __call__(self, text: str | None, where: str) -> str:
        """``text`` with every reference substituted (or made a placeholder), for the place ``where``."""
        if not text or "{{" not in text:
            return text or ""
        if self.mode is not VarMode.INLINE:
            return REFERENCE.sub(lambda m: self._symbolic(m.group(1)), text)
        return self._inline(text, where)

    def _symbolic(self, name: str) -> str:
        kind = PlaceholderKind.DYNAMIC if self._is_dynamic(name) else PlaceholderKind.VARIABLE
        return self.placeholder(kind, name)

    def _is_dynamic(self, name: str) -> bool:
        return name.startswith("$") and name in DYNAMIC_NAMES and self._lookup(name) is None

    def _inline(self, text: str, where: str) -> str:
        rounds = _Rounds()
        for _ in range(MAX_DEPTH + 1):
            rounds.start()
            text = REFERENCE.sub(lambda m: self._value(m, rounds, where), text)
            if not rounds.changed or "{{" not in text:  # without "{{" another round changes nothing
                break
        else:
            raise ResolveError(
                f"variables nest deeper than {MAX_DEPTH} levels (a cycle?) in {text[:80]!r}",
                file=self.file,
                where=where,
            )
        for name in rounds.unknown:
            if "{{" + name + "}}" in text:
                self._unknown(name, where)
        return text

    def _value(self, match: re.Match[str], rounds: _Rounds, where: str) -> str:
        """The replacement of one reference in one round (itself when unknown)."""
        name = match.group(1)
        value = self._lookup(name)
        if value is None and name.startswith("$") and name in DYNAMIC_NAMES:
            value = self.dynamic.value(name)
        if value is None or value == match.group(0):  # unknown, or a value that is its own reference
            if name not in rounds.unknown:
                rounds.unknown.append(name)
            return match.group(0)
        if rounds.expanded(name) > MAX_DEPTH:
            raise ResolveError(
                f"variable {{{{{name}}}}} refers to itself (a cycle, or nesting deeper than {MAX_DEPTH})",
                file=self.file,
                where=where,
            )
        rounds.changed = True
        return value

    def _unknown(self, name: str, where: str) -> None:
        if (name, where) in self._seen_unknown:
            return
        self._seen_unknown.add((name, where))
        message = unresolved_message(name)
        if self.strict:
            raise ResolveError(f"unresolved variable {{{{{name}}}}} (--strict)", file=self.file, where=where)
        self.warnings.append(Diagnostic(Level.WARNING, message, self.file, where))


_UNRESOLVED = re.compile(r"unresolved variable \{\{(.+)\}\} is sent as written")


def unresolved_message(name: str) -> str:
    """The warning for a ``{{name}}`` that no scope defines (sent as written, as Postman does)."""
    return f"unresolved variable {{{{{name}}}}} is sent as written"


def unresolved_name(message: str) -> str | None:
    """The variable an ``unresolved_message`` is about, else None (callers group these warnings)."""
    found = _UNRESOLVED.fullmatch(message)
    return found.group(1) if found else None


class _Rounds:
    """Bookkeeping of nested substitution: how many rounds each name was expanded in.

    A plain class with slots: one is made per substituted string, so it must be cheap to create.
    """

    __slots__ = ("changed", "unknown", "counts", "this_round")

    def __init__(self) -> None:
        self.changed = False
        self.unknown: list[str] = []
        self.counts: dict[str, int] = {}
        self.this_round: set[str] = set()

    def start(self) -> None:
        self.changed = False
        self.this_round = set()

    def expanded(self, name: str) -> int:
        if name not in self.this_round:
            self.this_round.add(name)
            self.counts[name] = self.counts.get(name, 0) + 1
        return self.counts[name]
