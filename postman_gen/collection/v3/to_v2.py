"""The model -> a v2.1 JSON document (``convert`` from a v3 tree), the shape Postman exports.

URLs become objects whose parts are ``raw`` split as Postman splits it (so Newman and we send the same
string), disabled ``queryParams`` kept after the enabled ones; auth parameters the v2.1 list form with
their types; scripts ``exec`` lines; ``settings`` the request's ``protocolProfileBehavior``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from postman_gen.collection.model import (
    Auth,
    Body,
    Collection,
    Event,
    ExampleResponse,
    Folder,
    Item,
    KeyValue,
    Request,
    Url,
    Variable,
)
from postman_gen.resolution.urls import parse_url

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def entries_json(entries: Sequence[KeyValue | Variable]) -> list[dict[str, Any]]:
    """``[{key, value, disabled?}]``: v2's header/query/urlencoded lists, and v3's list form too."""
    out = []
    for e in entries:
        entry: dict[str, Any] = {"key": e.key, "value": e.value}
        if e.disabled:
            entry["disabled"] = True
        out.append(entry)
    return out


def _variables(entries: Sequence[Variable]) -> list[dict[str, Any]]:
    out = []
    for v in entries:
        entry: dict[str, Any] = {"key": v.key}
        if v.value is not None:  # a variable without a value; "value": null would be the text "null"
            entry["value"] = v.value
        if v.type:
            entry["type"] = v.type
        if v.disabled:
            entry["disabled"] = True
        out.append(entry)
    return out


def _param_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "string" if isinstance(value, str) or value is None else "any"


def auth_json(auth: Auth) -> dict[str, Any]:
    if auth.type == "noauth":
        return {"type": "noauth"}
    params = [{"key": k, "value": v, "type": _param_type(v)} for k, v in auth.params]
    return {"type": auth.type, auth.type: params}


def _events(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [
        {"listen": e.listen, "script": {"type": "text/javascript", "exec": e.source.split("\n")}}
        for e in events
        if e.reference is None
    ]


def url_json(url: Url) -> dict[str, Any]:
    raw = url.raw or ""
    parts = parse_url(raw)
    doc: dict[str, Any] = {"raw": raw}
    if parts.protocol is not None:
        doc["protocol"] = parts.protocol
    if parts.auth is not None:  # a v2 object URL has no userinfo part: keep the string form
        return {"raw": raw, **({"variable": _variables(url.variables)} if url.variables else {})}
    doc["host"] = list(parts.host)
    if parts.port is not None:
        doc["port"] = parts.port
    doc["path"] = list(parts.path)
    query: list[dict[str, Any]] = [{"key": k, "value": v} for k, v in parts.query]
    query += [{"key": q.key, "value": q.value, "disabled": True} for q in url.query if q.disabled]
    if query:
        doc["query"] = query
    if parts.hash is not None:
        doc["hash"] = parts.hash
    if url.variables:
        doc["variable"] = _variables(url.variables)
    return doc


def body_json(body: Body) -> dict[str, Any]:
    doc: dict[str, Any] = {"mode": body.mode}
    if body.mode == "raw":
        doc["raw"] = body.raw or ""
        if body.language:
            doc["options"] = {"raw": {"language": body.language}}
    elif body.mode == "urlencoded":
        doc["urlencoded"] = entries_json(body.urlencoded)
    elif body.mode == "formdata":
        parts = []
        for p in body.formdata:
            entry: dict[str, Any] = {"key": p.key, "type": p.type}
            if p.type == "file":
                entry["src"] = list(p.src) if len(p.src) != 1 else p.src[0]
            else:
                entry["value"] = p.value
            if p.content_type:
                entry["contentType"] = p.content_type
            if p.disabled:
                entry["disabled"] = True
            parts.append(entry)
        doc["formdata"] = parts
    elif body.mode == "file":
        doc["file"] = {"src": body.file_src} if body.file_src else {"content": body.file_content or ""}
    elif body.mode == "graphql":
        doc["graphql"] = {"query": body.graphql_query or "", "variables": body.graphql_variables or ""}
    return doc


def request_json(request: Request) -> dict[str, Any]:
    doc: dict[str, Any] = {"method": request.method, "header": entries_json(request.headers)}
    doc["url"] = url_json(request.url)
    if request.body is not None:
        doc["body"] = body_json(request.body)
    if request.auth is not None:
        doc["auth"] = auth_json(request.auth)
    if request.description:
        doc["description"] = request.description
    return doc


def _response(r: ExampleResponse) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": r.name, "header": entries_json(r.headers), "body": r.body or ""}
    if r.code is not None:
        doc["code"] = r.code
    if r.status:
        doc["status"] = r.status
    return doc


def _scope(
    doc: dict[str, Any], auth: Auth | None, events: Sequence[Event], variables: Sequence[Variable]
) -> dict[str, Any]:
    """What a collection and a folder both carry: auth, scripts, variables."""
    if auth is not None:
        doc["auth"] = auth_json(auth)
    if events:
        doc["event"] = _events(events)
    if variables:
        doc["variable"] = _variables(variables)
    return doc


def _node(node: Folder | Item) -> dict[str, Any]:
    if isinstance(node, Folder):
        doc: dict[str, Any] = {"name": node.name, "item": [_node(child) for child in node.items]}
        if node.description:
            doc["description"] = node.description
        return _scope(doc, node.auth, node.events, node.variables)
    doc = {"name": node.name}
    if node.events:
        doc["event"] = _events(node.events)
    doc["request"] = request_json(node.request)
    doc["response"] = [_response(r) for r in node.responses]
    if node.behavior.pairs:
        doc["protocolProfileBehavior"] = dict(node.behavior.pairs)
    return doc


def collection_json(collection: Collection) -> dict[str, Any]:
    info: dict[str, Any] = {"name": collection.name, "schema": SCHEMA_V21}
    if collection.description:
        info["description"] = collection.description
    doc: dict[str, Any] = {"info": info, "item": [_node(n) for n in collection.items]}
    _scope(doc, collection.auth, collection.events, collection.variables)
    if collection.behavior.pairs:
        doc["protocolProfileBehavior"] = dict(collection.behavior.pairs)
    return doc


def environment_json(name: str, rows: Sequence[tuple[str, str | None, bool]], scope: str) -> dict[str, Any]:
    return {
        "name": name,
        "values": [{"key": k, "value": v or "", "type": "default", "enabled": e} for k, v, e in rows],
        "_postman_variable_scope": scope,
    }
