"""Item selection shared by every command: ``-i/--item`` by name, folder path, id, position, location
or (v3) file path.

Positions (``#62``: the 62nd request in collection order, as ``run`` counts them) and JSON locations
(``item[15].item[4]``) reach items whose names and paths are identical, which real collections have. An
unknown name is answered with the closest names (fuzzy matching), not with the first items of the tree.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from postman_gen.collection.model import Collection, Folder, Item, Node
from postman_gen.errors import UsageError

_POSITION = re.compile(r"#(\d+)")
_LOCATION = re.compile(r"item\[\d+\](\.item\[\d+\])*")
SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class Selected:
    """An item with the folders that lead to it: what ``resolve`` takes."""

    folders: tuple[Folder, ...]
    item: Item

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.folders) + (self.item.name,)


@dataclass(frozen=True, slots=True)
class _Entry:
    parents: tuple[Folder, ...]
    node: Node
    location: str  # the node's JSON location in the document: item[3].item[0]
    position: int  # 1-based among requests in collection order; 0 for a folder

    @property
    def path(self) -> str:
        return "/".join([f.name for f in self.parents] + [self.node.name])


def _entries(collection: Collection) -> list[_Entry]:
    out: list[_Entry] = []
    count = 0

    def walk(nodes: Sequence[Node], parents: tuple[Folder, ...], prefix: str) -> None:
        nonlocal count
        for index, node in enumerate(nodes):
            location = f"{prefix}item[{index}]"
            if isinstance(node, Item):
                count += 1
                out.append(_Entry(parents, node, location, count))
            else:
                out.append(_Entry(parents, node, location, 0))
                walk(node.items, parents + (node,), location + ".")

    walk(collection.items, (), "")
    return out


def _below(entry: _Entry) -> Iterator[int]:
    """``id`` of every item the entry selects: itself, or every item below a folder."""
    if isinstance(entry.node, Item):
        yield id(entry.node)
        return
    stack: list[Node] = list(entry.node.items)
    while stack:
        node = stack.pop()
        if isinstance(node, Item):
            yield id(node)
        else:
            stack.extend(node.items)


def _matches(selector: str, entry: _Entry) -> bool:
    node = entry.node
    if node.id and selector == node.id:
        return True
    if node.where and "[" not in node.where:  # v3: the file or folder path inside the tree
        if selector.strip("/") == node.where or selector.endswith("/" + node.where):
            return True
    if selector == node.name or selector == entry.path:
        return True
    wanted = selector.strip("/").split("/")
    path = entry.path.split("/")
    return len(wanted) > 1 and path[-len(wanted) :] == wanted


def _hits(selector: str, everything: list[_Entry]) -> list[_Entry]:
    position = _POSITION.fullmatch(selector.strip())
    if position:
        return [e for e in everything if e.position == int(position.group(1))]
    if _LOCATION.fullmatch(selector.strip()):
        return [e for e in everything if e.location == selector.strip()]
    return [e for e in everything if _matches(selector, e)]


def select(collection: Collection, selectors: Sequence[str] = ()) -> list[Selected]:
    """The items the selectors name, in collection order, each once; every item when there are none.

    A folder selects every item below it. A selector that names nothing is a ``UsageError`` with the
    closest names; one that names several nodes lists them with their locations (to select by location).
    """
    everything = _entries(collection)
    if not selectors:
        return [Selected(e.parents, e.node) for e in everything if isinstance(e.node, Item)]
    chosen: set[int] = set()
    for selector in selectors:
        hits = _hits(selector, everything)
        if not hits:
            raise UsageError(_unknown(selector, everything), file=collection.file)
        if len(hits) > 1:
            shown = "; ".join(f"{e.path} ({_where(e)})" for e in hits[:10])
            more = f"; ... ({len(hits)} in all)" if len(hits) > 10 else ""
            raise UsageError(
                f"{selector!r} is ambiguous, it matches: {shown}{more} "
                "(give the folder path, the #position or the location)",
                file=collection.file,
            )
        chosen.update(_below(hits[0]))
    return [
        Selected(e.parents, e.node) for e in everything if isinstance(e.node, Item) and id(e.node) in chosen
    ]


def _where(entry: _Entry) -> str:
    return f"#{entry.position}, {entry.location}" if entry.position else entry.location


def _unknown(selector: str, everything: list[_Entry]) -> str:
    """No match: the closest names and paths (difflib), else how many items there are."""
    requests = sum(1 for e in everything if e.position)
    if _POSITION.fullmatch(selector.strip()):
        return f"no request at {selector!r}: the collection has {requests} (#1 to #{requests})"
    candidates = {e.path: e for e in everything}
    candidates.update({e.node.name: e for e in everything if e.node.name not in candidates})
    close = difflib.get_close_matches(selector, list(candidates), n=SUGGESTIONS, cutoff=0.5)
    if not close:  # a part of a long path may still be close: compare with the last segment
        tail = selector.strip("/").split("/")[-1].lower()
        close = [p for p in candidates if tail and tail in p.lower()][:SUGGESTIONS]
    paths = list(dict.fromkeys(candidates[c].path for c in close))
    if paths:
        return f"no item or folder named {selector!r}; did you mean: {'; '.join(paths)}?"
    return f"no item or folder named {selector!r} ({requests} requests; `postman-gen list` shows them)"
