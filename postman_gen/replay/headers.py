"""Header fields in wire order, duplicates kept as separate lines, names in the case they were written.

Why not ``requests``' ``CaseInsensitiveDict`` or urllib3's ``HTTPHeaderDict``: the first merges duplicates,
the second groups them (``A, B, A`` goes out as ``A, A, B``) under the first spelling of the name. This
mapping keeps a plain list of pairs; lookups are case-insensitive (as ``requests`` and ``urllib3`` expect of
their headers objects) and ``items()`` yields every pair in order, which is what urllib3 writes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping

Value = str | bytes


class WireHeaders(MutableMapping[str, Value]):
    def __init__(self, pairs: Iterable[tuple[str, Value]] = ()) -> None:
        self._pairs: list[tuple[str, Value]] = list(pairs)

    def add(self, name: str, value: Value) -> None:
        """Append one more field, even if the name is already present."""
        self._pairs.append((name, value))

    def getlist(self, name: str) -> list[Value]:
        lower = name.lower()
        return [v for k, v in self._pairs if k.lower() == lower]

    def __getitem__(self, name: str) -> Value:
        values = self.getlist(name)
        if not values:
            raise KeyError(name)
        if len(values) == 1:
            return values[0]
        return ", ".join(v.decode("latin-1") if isinstance(v, bytes) else v for v in values)

    def __setitem__(self, name: str, value: Value) -> None:
        """Replace every field of this name by one, at the place of the first (or append)."""
        lower = name.lower()
        out: list[tuple[str, Value]] = []
        placed = False
        for k, v in self._pairs:
            if k.lower() != lower:
                out.append((k, v))
            elif not placed:
                out.append((name, value))
                placed = True
        if not placed:
            out.append((name, value))
        self._pairs = out

    def __delitem__(self, name: str) -> None:
        lower = name.lower()
        kept = [(k, v) for k, v in self._pairs if k.lower() != lower]
        if len(kept) == len(self._pairs):
            raise KeyError(name)
        self._pairs = kept

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        lower = name.lower()
        return any(k.lower() == lower for k, _ in self._pairs)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for k, _ in self._pairs:
            if k.lower() not in seen:
                seen.add(k.lower())
                yield k

    def __len__(self) -> int:
        return len({k.lower() for k, _ in self._pairs})

    def items(self) -> list[tuple[str, Value]]:  # type: ignore[override]
        """Every field in order, duplicates included (what goes on the wire)."""
        return list(self._pairs)

    def copy(self) -> WireHeaders:
        return WireHeaders(self._pairs)

    def __repr__(self) -> str:
        return f"WireHeaders({self._pairs!r})"
