"""Body files across ``convert``: a relative ``src`` is read from the collection's folder (``base_dir``: a v2
file's folder, a v3 tree's root), so a converted collection written elsewhere must point at the same files.

``rebase`` re-points every relative file path (file bodies, form-data file parts) from the source's folder
to the output's, so ``run`` and ``show`` read the same bytes from the converted collection: the resolved
path is the same file. The files are referred to, not copied: a v3 tree treats every sub-folder as a
collection folder, so copies inside it would show up as empty folders. Absolute paths stay as they are,
and so does a path built from variables (``{{dir}}/a.png``), which the caller reports.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from postman_gen.collection.model import Body, Collection, Folder, Item, Node


def _moved(src: str, base: str, to: str) -> str:
    if not src or os.path.isabs(src) or "{{" in src:
        return src
    return Path(os.path.relpath(os.path.normpath(os.path.join(base, src)), to)).as_posix()


def _body(body: Body, base: str, to: str, kept: list[str]) -> Body:
    kept += [s for s in (body.file_src, *(s for p in body.formdata for s in p.src)) if s and "{{" in s]
    parts = tuple(
        replace(p, src=tuple(_moved(s, base, to) for s in p.src)) if p.type == "file" else p
        for p in body.formdata
    )
    file_src = _moved(body.file_src, base, to) if body.file_src else body.file_src
    return replace(body, formdata=parts, file_src=file_src)


def _node(node: Node, base: str, to: str, kept: list[str]) -> Node:
    if isinstance(node, Folder):
        return replace(node, items=tuple(_node(n, base, to, kept) for n in node.items))
    assert isinstance(node, Item)
    body = node.request.body
    if body is None:
        return node
    return replace(node, request=replace(node.request, body=_body(body, base, to, kept)))


def rebase(collection: Collection, to: str) -> tuple[Collection, list[str]]:
    """``collection`` with its relative body files re-pointed from its ``base_dir`` to folder ``to``, and
    the file paths left as written because they hold variables."""
    base, target = os.path.abspath(collection.base_dir), os.path.abspath(to)
    kept: list[str] = []
    items = tuple(_node(n, base, target, kept) for n in collection.items)
    return replace(collection, items=items, base_dir=target), list(dict.fromkeys(kept))
