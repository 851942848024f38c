"""File names for a v3 tree: Postman's normalisation and case-insensitive uniqueness among siblings.

A name's characters that no file system takes (``/ \\ : * ? " < > |`` and control characters) become ``-``
(Postman's rule); a leading ``.`` too (it would hide the file, and ``.resources`` is reserved); trailing
dots and spaces are dropped (Windows drops them itself); long names are cut at ``MAX_STEM`` characters.
When the stem is not the name, the file carries ``name:``. Siblings that would collide once case is
ignored get `` 1``, `` 2``... in collection order, as Postman numbers duplicate example files.
"""

from __future__ import annotations

import re

MAX_STEM = 100
_FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')


def normalise(name: str, fallback: str = "Untitled") -> str:
    stem = _FORBIDDEN.sub("-", name)
    if stem.startswith("."):
        stem = "-" + stem[1:]
    stem = stem[:MAX_STEM].rstrip(" .")
    return stem or fallback


class Siblings:
    """Unique stems among the entries of one directory, handed out in order."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def unique(self, name: str, fallback: str = "Untitled") -> str:
        stem = normalise(name, fallback)
        candidate, number = stem, 1
        while candidate.casefold() in self._taken:
            candidate = f"{stem} {number}"
            number += 1
        self._taken.add(candidate.casefold())
        return candidate
