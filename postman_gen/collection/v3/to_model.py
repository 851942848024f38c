"""One loaded v3 YAML document -> the model's types (the same ones ``from_document`` makes from v2 JSON).

Mapping (see docs/v3.md): ``url`` is the URL string as sent (query string included; ``queryParams`` is kept
for conversion and checked against it), ``pathVariables`` are the URL's variables; body ``json|text|xml|
html|javascript`` is a raw body of that language, ``graphql-request`` a GraphQL POST; ``auth`` is
``{type, credentials}`` (definitions may hold a list: the first is used); scripts by ``type`` become
events (``beforeRequest`` -> prerequest, ``afterResponse`` -> test); ``settings`` become
``protocolProfileBehavior`` pairs.
"""

from __future__ import annotations

from typing import Any

from postman_gen.collection.model import (
    Auth,
    Behavior,
    Body,
    Event,
    ExampleResponse,
    FormPart,
    KeyValue,
    Request,
    Url,
    Variable,
)
from postman_gen.collection.v3.fields import (
    Place,
    flag,
    integer,
    mapping,
    pairs,
    sequence,
    text,
)
from postman_gen.collection.v3.yaml_load import YList, YMap, YStr

RAW_TYPES = ("json", "text", "xml", "html", "javascript")
BODY_TYPES = (*RAW_TYPES, "formdata", "urlencoded", "file", "none")
REQUEST_SCRIPTS = {
    "beforeRequest": "prerequest",
    "afterResponse": "test",
}
GRAPHQL_SCRIPTS = {"beforeQuery": "prerequest", "afterResponse": "test"}
DEFINITION_SCRIPTS = {"http:beforeRequest": "prerequest", "http:afterResponse": "test"}
# settings whose value is a list of header names in v3 and an object of flags in v2
_SETTINGS_LISTS = ("disabledSystemHeaders",)


def key_values(value: Any, place: Place) -> tuple[KeyValue, ...]:
    return tuple(KeyValue(p.key, p.value, p.disabled) for p in pairs(value, place))


def variables(value: Any, place: Place) -> tuple[Variable, ...]:
    return tuple(Variable(p.key, p.value, p.disabled, p.type) for p in pairs(value, place))


def url(doc: YMap, place: Place) -> Url:
    raw = text(doc.get("url"), place.at("url", doc)) or ""
    query = key_values(doc.get("queryParams"), place.at("queryParams", doc))
    path_vars = variables(doc.get("pathVariables"), place.at("pathVariables", doc))
    return Url(raw=raw, query=query, variables=path_vars, is_object=False)


def body(value: Any, place: Place) -> Body | None:
    found = mapping(value, place)
    if found is None:
        return None
    kind = text(found.get("type"), place.at("type", found))
    content = found.get("content")
    where = place.at("content", found)
    if kind is None:
        place.error(found, "missing 'type' (one of: " + ", ".join(BODY_TYPES) + ")")
        return None
    if kind in RAW_TYPES:
        return Body(mode="raw", raw=text(content, where) or "", language=None if kind == "text" else kind)
    if kind == "urlencoded":
        return Body(mode="urlencoded", urlencoded=key_values(content, where))
    if kind == "formdata":
        return Body(mode="formdata", formdata=_form_parts(content, where))
    if kind == "file":
        spec = mapping(content, where)
        src = text(spec.get("src"), where.at("src", spec)) if spec is not None else None
        return Body(mode="file", file_src=src or None)
    if kind == "none":
        return None
    place.at("type", found).error(
        found.get("type"), f"unknown body type {kind!r}; expected one of: " + ", ".join(BODY_TYPES)
    )
    return None


def _form_parts(value: Any, place: Place) -> tuple[FormPart, ...]:
    entries = sequence(value, place)
    out = []
    for index, entry in enumerate(entries or ()):
        here = place.at(index, entries)
        if not isinstance(entry, YMap):
            here.error(entry, "expected a mapping with key and value")
            continue
        kind = text(entry.get("type"), here.at("type", entry)) or "text"
        src = entry.get("src")
        sources = (
            tuple(s for s in (text(v, here.at("src", entry)) for v in src) if s)
            if isinstance(src, YList)
            else tuple(s for s in (text(src, here.at("src", entry)),) if s)
        )
        out.append(
            FormPart(
                key=text(entry.get("key"), here.at("key", entry)) or "",
                value=text(entry.get("value"), here.at("value", entry)),
                type="file" if kind == "file" else "text",
                src=sources if kind == "file" else (),
                content_type=text(entry.get("contentType"), here.at("contentType", entry)),
                disabled=flag(entry.get("disabled"), here.at("disabled", entry)),
            )
        )
    return tuple(out)


def _credential(value: Any, place: Place) -> Any:
    """A credential as Postman's JSON holds it: unquoted true/false are booleans, the rest strings."""
    if isinstance(value, str) and getattr(value, "plain", False) and value in ("true", "false"):
        return value == "true"
    if isinstance(value, (YMap, YList)):
        return _plain(value)
    return text(value, place)


def _plain(value: Any) -> Any:
    """A nested credential (oauth2 token lists and such) as plain JSON-like data."""
    if isinstance(value, YMap):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, YList):
        return [_plain(v) for v in value]
    return None if value is None else str(value)


def one_auth(value: YMap, place: Place) -> Auth | None:
    kind = text(value.get("type"), place.at("type", value))
    if kind is None:
        place.error(value, "missing 'type'")
        return None
    if kind == "inherit":
        return None
    creds = value.get("credentials")
    params: list[tuple[str, Any]] = []
    where = place.at("credentials", value)
    if isinstance(creds, YMap):
        params = [(k, _credential(v, where.at(k, creds))) for k, v in creds.items()]
    elif isinstance(creds, YList):
        for index, entry in enumerate(creds):
            here = where.at(index, creds)
            if not isinstance(entry, YMap) or entry.get("key") is None:
                here.error(entry, "expected a mapping with key and value")
                continue
            params.append((str(entry["key"]), _credential(entry.get("value"), here.at("value", entry))))
    elif creds is not None:
        where.error(creds, "expected a mapping or a list")
    return Auth(type=kind, params=tuple(params))


def auth(value: Any, place: Place) -> Auth | None:
    """``{type, credentials}``, or a definition's list of auths (the first is used; more is a warning)."""
    if value is None:
        return None
    if isinstance(value, YList):
        entries = [e for e in value if isinstance(e, YMap)]
        if len(entries) != len(value):
            place.error(value, "expected a list of auth mappings")
        if not entries:
            return None
        if len(entries) > 1:
            place.warn(
                value, f"{len(entries)} auths (multi-auth): only the first, {entries[0].get('type')}, is used"
            )
        return one_auth(entries[0], place.at(0, value))
    found = mapping(value, place)
    return one_auth(found, place) if found is not None else None


def events(value: Any, place: Place, types: dict[str, str]) -> tuple[Event, ...]:
    """Scripts of the types this scope runs, in file order; others are ignored as Postman ignores them."""
    out = []
    for index, entry in enumerate(sequence(value, place) or ()):
        here = place.at(index, value)
        if not isinstance(entry, YMap):
            here.error(entry, "expected a mapping with type and code")
            continue
        kind = text(entry.get("type"), here.at("type", entry))
        code = entry.get("code")
        if isinstance(code, YList):  # the legacy converter wrote lines
            source = "\n".join(text(line, here.at("code", code)) or "" for line in code)
        else:
            source = text(code, here.at("code", entry)) or ""
        language = text(entry.get("language"), here.at("language", entry))
        if language not in (None, "text/javascript"):
            here.at("language", entry).error(entry.get("language"), "language must be text/javascript")
        if kind in types:
            out.append(Event(listen=types[kind], source=source))
        elif kind and ":" in kind and types is DEFINITION_SCRIPTS and kind.startswith("graphql:"):
            here.warn(entry, f"{kind} scripts of definitions are not run by postman-gen")
    return tuple(out)


def settings(value: Any, place: Place) -> Behavior:
    """``settings`` as ``protocolProfileBehavior``: flags typed, header lists as ``{name: true}``."""
    found = mapping(value, place)
    if not found:
        return Behavior()
    out: list[tuple[str, Any]] = []
    for key, item in found.items():
        here = place.at(key, found)
        if key in _SETTINGS_LISTS:
            names = sequence(item, here) or ()
            out.append((key, {str(n): True for n in names if isinstance(n, str)}))
        elif isinstance(item, YStr) and item.plain and item in ("true", "false"):
            out.append((key, item == "true"))
        elif isinstance(item, YStr) and item.plain and item.isdigit():
            out.append((key, int(item)))
        else:
            out.append((key, _plain(item)))
    return Behavior(tuple(out))


def http_request(doc: YMap, place: Place) -> Request:
    method = text(doc.get("method"), place.at("method", doc)) or "GET"
    return Request(
        method=method.upper(),
        url=url(doc, place),
        headers=key_values(doc.get("headers"), place.at("headers", doc)),
        body=body(doc.get("body"), place.at("body", doc)),
        auth=auth(doc.get("auth"), place.at("auth", doc)),
        description=text(doc.get("description"), place.at("description", doc)),
    )


def graphql_request(doc: YMap, place: Place) -> Request:
    """A ``graphql-request``, sent as Postman sends it: POST, JSON ``{"query", "variables"}``."""
    query = text(doc.get("query"), place.at("query", doc))
    gql_vars = text(doc.get("variables"), place.at("variables", doc))
    return Request(
        method="POST",
        url=url(doc, place),
        headers=key_values(doc.get("headers"), place.at("headers", doc)),
        body=Body(mode="graphql", graphql_query=query or "", graphql_variables=gql_vars),
        auth=auth(doc.get("auth"), place.at("auth", doc)),
        description=text(doc.get("description"), place.at("description", doc)),
    )


def example(doc: YMap, name: str, place: Place) -> ExampleResponse:
    response = mapping(doc.get("response"), place.at("response", doc))
    if response is None:
        place.error(doc, "missing 'response'")
        response = YMap()
    here = place.at("response", doc)
    content = None
    resp_body = mapping(response.get("body"), here.at("body", response))
    if resp_body is not None:
        content = text(resp_body.get("content"), here.at("body", response).at("content", resp_body))
    return ExampleResponse(
        name=text(doc.get("name"), place.at("name", doc)) or name,
        code=integer(response.get("statusCode"), here.at("statusCode", response)),
        status=text(response.get("statusText"), here.at("statusText", response)),
        headers=key_values(response.get("headers"), here.at("headers", response)),
        body=content,
    )
