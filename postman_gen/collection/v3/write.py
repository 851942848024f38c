"""The model -> a v3 tree (``convert`` from v2 JSON), as ``{relative path: YAML text}``.

What ``postman collection migrate`` writes, as far as it is known (docs/v3.md lists the differences): a
root ``.resources/definition.yaml`` with the collection's name, description, variables, auth (list form)
and scripts; one directory per folder with a definition holding its ``order``; one ``*.request.yaml`` per
request; examples under ``.resources/<request>.resources/examples``; ``order`` 1000, 2000... shared by
folders and requests; maps where entries need neither ``disabled`` nor ``description``, lists otherwise.

Lossless for what a resolved request sees: the URL string is the one Newman builds from the v2 parts
(``raw`` when it says the same), folder and collection ``protocolProfileBehavior`` are folded into each
request's ``settings`` (v3 definitions have none). What v3 cannot hold is returned as notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from postman_gen.collection.model import (
    Auth,
    Behavior,
    Body,
    Collection,
    Event,
    ExampleResponse,
    Folder,
    Item,
    KeyValue,
    Url,
    Variable,
)
from postman_gen.collection.v3.names import Siblings
from postman_gen.collection.v3.to_model import RAW_TYPES
from postman_gen.collection.v3.to_v2 import entries_json
from postman_gen.resolution.urls import UrlParts, object_parts, parse_url, unparse_url

ORDER_STEP = 1000


class _Dumper(yaml.SafeDumper):
    """YAML as Postman writes it: block literals for multi-line strings (scripts, JSON bodies), double
    quotes where quotes are needed (``"{{baseUrl}}/x"``, ``"true"``), list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style: str = super().choose_scalar_style()
        return '"' if style == "'" else style


# Characters YAML reads as line breaks too: inside a block literal NEL would come back as "\n", so a string
# holding one is written double-quoted, where it is escaped (\N, \L, \P).
_OTHER_BREAKS = frozenset("\x85\u2028\u2029")


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data and _OTHER_BREAKS.isdisjoint(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def dump(doc: dict[str, Any]) -> str:
    text: str = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000)
    return text


def url_string(url: Url) -> str:
    """The URL as one string: ``raw`` when it means what the parts mean, else the parts joined (the
    string Newman builds from a v2 object URL before substituting variables)."""
    raw = url.raw or ""
    if not url.has_parts:
        return raw
    built = unparse_url(object_parts(url))
    parsed = parse_url(raw)
    same = UrlParts(parsed.protocol, parsed.auth, parsed.host, parsed.port, parsed.path, parsed.query, None)
    return raw if unparse_url(same) == built and parsed.auth is None else built


def _pairs(entries: Sequence[KeyValue | Variable]) -> Any:
    """A map, unless an entry is disabled or a key repeats (then the list form)."""
    keys = [e.key for e in entries]
    if any(e.disabled for e in entries) or len(set(keys)) != len(keys):
        return entries_json(entries)
    return {e.key: e.value for e in entries}


def _credentials(auth: Auth) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": auth.type}
    if auth.type != "noauth" and auth.params:
        doc["credentials"] = {key: value for key, value in auth.params}
    return doc


def _scripts(events: Sequence[Event], types: dict[str, str], notes: list[str], where: str) -> list[Any]:
    out = []
    for event in events:
        if event.reference is not None:
            notes.append(f"{where}: a {event.listen} script kept elsewhere (id {event.reference}) is dropped")
            continue
        if event.disabled or not event.source.strip() or event.listen not in types:
            continue
        out.append({"type": types[event.listen], "code": event.source, "language": "text/javascript"})
    return out


def _body(body: Body | None, notes: list[str], where: str) -> dict[str, Any] | None:
    if body is None or body.disabled or not body.mode:
        return None
    if body.mode == "raw":
        kind = body.language if body.language in RAW_TYPES else "text"
        return {"type": kind, "content": body.raw or ""}
    if body.mode == "urlencoded":
        return {"type": "urlencoded", "content": _pairs(body.urlencoded)}
    if body.mode == "formdata":
        parts = []
        for part in body.formdata:
            entry: dict[str, Any] = {"key": part.key, "type": part.type}
            if part.type == "file":
                entry["src"] = list(part.src) if len(part.src) > 1 else (part.src[0] if part.src else "")
            else:
                entry["value"] = part.value
            if part.content_type:
                entry["contentType"] = part.content_type
            if part.disabled:
                entry["disabled"] = True
            parts.append(entry)
        return {"type": "formdata", "content": parts}
    if body.mode == "file":
        if body.file_src:
            return {"type": "file", "content": {"src": body.file_src}}
        if body.file_content:  # v2's inline file content is sent as text/plain, as a text body is
            return {"type": "text", "content": body.file_content}
        return None
    notes.append(f"{where}: body mode {body.mode!r} has no v3 form and is dropped")
    return None


def _settings(behavior: Behavior) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in behavior.pairs:
        if key == "disabledSystemHeaders" and isinstance(value, dict):
            out[key] = [name for name, on in value.items() if on]
        else:
            out[key] = value
    return out


def _example(response: ExampleResponse, order: int) -> dict[str, Any]:
    content_type = next((h.value or "" for h in response.headers if h.key.lower() == "content-type"), "")
    kind = next((k for k in ("json", "xml", "html", "javascript") if k in content_type.lower()), "text")
    doc: dict[str, Any] = {"$kind": "http-example", "response": {}}
    answer = doc["response"]
    if response.code is not None:
        answer["statusCode"] = response.code
    if response.status:
        answer["statusText"] = response.status
    if response.headers:
        answer["headers"] = _pairs(response.headers)
    answer["body"] = {"type": kind, "content": response.body or ""}
    doc["order"] = order
    return doc


class TreeWriter:
    """Builds the files of one collection; ``notes`` lists what v3 could not hold."""

    def __init__(self, collection: Collection) -> None:
        self.collection = collection
        self.files: dict[str, str] = {}
        self.notes: list[str] = []

    def build(self) -> dict[str, str]:
        c = self.collection
        root: dict[str, Any] = {"$kind": "collection", "name": c.name}
        self._definition(root, c.description, c.variables, c.auth, c.events, c.name)
        self.files[".resources/definition.yaml"] = dump(root)
        self._children(c.items, "", c.behavior, c.name)
        return self.files

    def _definition(
        self,
        doc: dict[str, Any],
        description: str | None,
        variables: Sequence[Variable],
        auth: Auth | None,
        events: Sequence[Event],
        where: str,
    ) -> None:
        if description:
            doc["description"] = description
        if variables:
            doc["variables"] = _pairs(variables)
        if auth is not None:
            doc["auth"] = [{"name": f"{auth.type} auth", **_credentials(auth)}]
        scripts = _scripts(
            events, {"prerequest": "http:beforeRequest", "test": "http:afterResponse"}, self.notes, where
        )
        if scripts:
            doc["scripts"] = scripts

    def _children(
        self, nodes: Sequence[Folder | Item], directory: str, behavior: Behavior, where: str
    ) -> None:
        folders, files = Siblings(), Siblings()
        for index, node in enumerate(nodes):
            order = (index + 1) * ORDER_STEP
            if isinstance(node, Folder):
                stem = folders.unique(node.name, "Folder")
                path = f"{directory}{stem}/"
                doc: dict[str, Any] = {"$kind": "collection"}
                if stem != node.name:
                    doc["name"] = node.name
                self._definition(
                    doc, node.description, node.variables, node.auth, node.events, where + "/" + node.name
                )
                doc["order"] = order
                self.files[f"{path}.resources/definition.yaml"] = dump(doc)
                self._children(node.items, path, behavior.merged(node.behavior), where + "/" + node.name)
            else:
                stem = files.unique(node.name, "Request")
                self._request(node, directory, stem, order, behavior.merged(node.behavior), where)

    def _request(
        self, item: Item, directory: str, stem: str, order: int, behavior: Behavior, where: str
    ) -> None:
        request = item.request
        here = f"{where}/{item.name}"
        graphql = request.body is not None and request.body.mode == "graphql" and not request.body.disabled
        doc: dict[str, Any] = {"$kind": "graphql-request" if graphql else "http-request"}
        if stem != item.name:
            doc["name"] = item.name
        if request.description:
            doc["description"] = request.description
        doc["url"] = url_string(request.url)
        if not graphql:
            doc["method"] = request.method
        elif request.method != "POST":
            self.notes.append(f"{here}: a GraphQL request is always POST in v3 (was {request.method})")
        if request.headers:
            doc["headers"] = _pairs(request.headers)
        if request.url.query and not graphql:
            doc["queryParams"] = _pairs(request.url.query)
        if request.url.variables:
            doc["pathVariables"] = _pairs(request.url.variables)
        if graphql:
            assert request.body is not None
            doc["query"] = request.body.graphql_query or ""
            if request.body.graphql_variables:
                doc["variables"] = request.body.graphql_variables
        else:
            body = _body(request.body, self.notes, here)
            if body is not None:
                doc["body"] = body
        if request.auth is not None:
            doc["auth"] = _credentials(request.auth)
        types = {"prerequest": "beforeQuery" if graphql else "beforeRequest", "test": "afterResponse"}
        scripts = _scripts(item.events, types, self.notes, here)
        if scripts:
            doc["scripts"] = scripts
        settings = _settings(behavior)
        if settings:
            doc["settings"] = settings
        if item.variables:
            self.notes.append(f"{here}: request-level variables have no v3 form and are dropped")
        doc["order"] = order
        self.files[f"{directory}{stem}.request.yaml"] = dump(doc)
        examples = Siblings()
        for number, response in enumerate(item.responses):
            name = examples.unique(response.name, "Example")
            rel = f"{directory}.resources/{stem}.resources/examples/{name}.example.yaml"
            example = _example(response, (number + 1) * ORDER_STEP)
            if name != response.name:
                example = {
                    "$kind": "http-example",
                    "name": response.name,
                    **{k: v for k, v in example.items() if k != "$kind"},
                }
            self.files[rel] = dump(example)


def tree_files(collection: Collection) -> tuple[dict[str, str], list[str]]:
    """The v3 files of a collection (relative POSIX paths -> text) and what could not be carried over."""
    writer = TreeWriter(collection)
    return writer.build(), writer.notes


def environment_yaml(name: str, rows: Sequence[tuple[str, str | None, bool]]) -> str:
    """An ``*.environment.yaml`` / ``*.globals.yaml``: ``{name, values: [{key, value, enabled?}]}``."""
    values = []
    for key, value, enabled in rows:
        entry: dict[str, Any] = {"key": key, "value": value if value is not None else ""}
        if not enabled:
            entry["enabled"] = False
        values.append(entry)
    return dump({"name": name, "values": values})
