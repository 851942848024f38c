"""Item selection shared by every command: ``-i/--item`` by name, folder path or id."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from postman_gen.collection.model import Collection, Folder, Item, Node
from postman_gen.errors import UsageError


@dataclass(frozen=True, slots=True)
class Selected:
    """An item with the folders that lead to it: what ``resolve`` takes."""

    folders: tuple[Folder, ...]
    item: Item

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.folders) + (self.item.name,)


def _nodes(nodes: Sequence[Node], parents: tuple[Folder, ...]) -> Iterator[tuple[tuple[Folder, ...], Node]]:
    for node in nodes:
        yield parents, node
        if isinstance(node, Folder):
            yield from _nodes(node.items, parents + (node,))


def _below(parents: tuple[Folder, ...], node: Node) -> Iterator[Selected]:
    if isinstance(node, Item):
        yield Selected(parents, node)
    else:
        for child_parents, child in _nodes(node.items, parents + (node,)):
            if isinstance(child, Item):
                yield Selected(child_parents, child)


def _matches(selector: str, parents: tuple[Folder, ...], node: Node) -> bool:
    if node.id and selector == node.id:
        return True
    path = [f.name for f in parents] + [node.name]
    if selector == node.name or selector == "/".join(path):
        return True
    wanted = [s for s in selector.strip("/").split("/")]
    return len(wanted) > 1 and path[-len(wanted) :] == wanted


def select(collection: Collection, selectors: Sequence[str] = ()) -> list[Selected]:
    """The items the selectors name, in collection order, each once; every item when there are none.

    A folder selects every item below it. A selector that names nothing, or names several unrelated
    nodes, is a ``UsageError`` that lists the candidates with their paths.
    """
    everything = list(_nodes(collection.items, ()))
    if not selectors:
        return [Selected(p, n) for p, n in everything if isinstance(n, Item)]
    chosen: set[int] = set()
    for selector in selectors:
        hits = [(p, n) for p, n in everything if _matches(selector, p, n)]
        if not hits:
            raise UsageError(
                f"no item or folder named {selector!r}; items: {_some_paths(everything)}",
                file=collection.file,
            )
        if len(hits) > 1:
            paths = "; ".join("/".join([f.name for f in p] + [n.name]) for p, n in hits[:10])
            raise UsageError(
                f"{selector!r} is ambiguous, it matches: {paths} (give the folder path)", file=collection.file
            )
        parents, node = hits[0]
        chosen.update(id(s.item) for s in _below(parents, node))
    return [Selected(p, n) for p, n in everything if isinstance(n, Item) and id(n) in chosen]


def _some_paths(everything: list[tuple[tuple[Folder, ...], Node]]) -> str:
    paths = ["/".join([f.name for f in p] + [n.name]) for p, n in everything if isinstance(n, Item)]
    shown = "; ".join(paths[:8])
    return shown + (f"; ... ({len(paths)} in all)" if len(paths) > 8 else "")
