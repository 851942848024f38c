"""Immutable types for what a Postman collection says, and the one place v2.0 and v2.1 shapes are normalised.

``from_document`` turns a validated JSON document (collection, folder or bare item) into a ``Collection``.
Everything downstream sees one shape: auth parameters as ordered pairs, headers as lists, URLs as
parts plus the raw string, script source as one string. Each item and folder remembers its JSON location
(``item[3].item[0]``) so later errors can point into the file.

Imports neither jinja2 nor requests (a test holds this line).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from postman_gen.errors import Diagnostic
from postman_gen.resolution.value_text import UNDEFINED, value_text, variable_text, variable_value

BODY_MODES = ("raw", "urlencoded", "formdata", "file", "graphql")
AS_TEXT: Any = type("AsText", (), {"__repr__": lambda self: "AS_TEXT"})()  # ``Variable.typed``: none given


@dataclass(frozen=True, slots=True)
class Variable:
    """A variable of any scope. ``type`` is Postman's declared type; ``"default"`` is Postman's word for no
    type (v2 files write it, v3 files leave it out), so it is held as None: the same variable either way.

    ``value`` is the text a ``{{key}}`` is replaced by. ``typed`` is the value as scripts see it when a JSON
    file gave one (``of_json``): the file's number, boolean, array or object, cast to ``type`` as Newman
    casts it; it is not part of equality (the text is what a request sends).
    """

    key: str
    value: str | None
    disabled: bool = False
    type: str | None = None
    typed: Any = field(default=AS_TEXT, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.type == "default":
            object.__setattr__(self, "type", None)

    @classmethod
    def of_json(cls, key: str, entry: Mapping[str, Any], *, disabled: bool = False) -> Variable:
        """A variable of a JSON file's entry (``{"key", "value", "type"}``): its text and its typed value.
        No ``value`` at all is JavaScript's undefined (substituted as "")."""
        type_ = entry.get("type")
        type_ = type_ if isinstance(type_, str) else None
        if "value" not in entry:
            return cls(key, None, disabled, type_, UNDEFINED)
        value = entry["value"]
        return cls(key, variable_text(value, type_), disabled, type_, variable_value(value, type_))

    @property
    def script_value(self) -> Any:
        """What ``pm.environment.get(key)`` (or the scope's own ``get``) returns: ``typed``, else the text."""
        return (self.value or "") if self.typed is AS_TEXT else self.typed


def script_values(variables: Iterable[Variable]) -> dict[str, Any]:
    """A scope's enabled variables as scripts see them (a JSON file's number stays a number)."""
    return {v.key: v.script_value for v in variables if not v.disabled}


@dataclass(frozen=True, slots=True)
class KeyValue:
    """A header, query parameter or urlencoded field. ``value`` None means "key without value"."""

    key: str
    value: str | None
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class Url:
    raw: str | None = None
    protocol: str | None = None
    host: tuple[str, ...] | None = None
    port: str | None = None
    path: tuple[str, ...] | None = None
    query: tuple[KeyValue, ...] = ()
    hash: str | None = None
    variables: tuple[Variable, ...] = ()
    is_object: bool = True  # False when the collection wrote the URL as a plain string

    @property
    def has_parts(self) -> bool:
        """Whether the URL object carries its parts (else only ``raw`` is known)."""
        return self.is_object and (self.host is not None or self.path is not None)


@dataclass(frozen=True, slots=True)
class FormPart:
    key: str
    value: str | None = None
    type: str = "text"  # "text" or "file"
    src: tuple[str, ...] = ()  # file paths for file parts (Postman allows several)
    content_type: str | None = None
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class Body:
    mode: str | None
    raw: str | None = None
    language: str | None = None  # options.raw.language: json, xml, text, html, javascript
    urlencoded: tuple[KeyValue, ...] = ()
    formdata: tuple[FormPart, ...] = ()
    file_src: str | None = None
    file_content: str | None = None  # v2 allows inline "content" for file bodies
    graphql_query: str | None = None
    graphql_variables: str | None = None
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class Auth:
    type: str
    params: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        for name, value in self.params:
            if name == key:
                return value
        return default


@dataclass(frozen=True, slots=True)
class Event:
    listen: str  # "prerequest" or "test"
    source: str
    disabled: bool = False
    reference: str | None = None  # ``"script": "<id>"``: a script kept elsewhere, whose source the file lacks


@dataclass(frozen=True, slots=True)
class ExampleResponse:
    name: str
    code: int | None
    status: str | None
    headers: tuple[KeyValue, ...]
    body: str | None


@dataclass(frozen=True, slots=True)
class Behavior:
    """``protocolProfileBehavior``: ordered pairs, looked up by name."""

    pairs: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        for name, value in self.pairs:
            if name == key:
                return value
        return default

    def merged(self, inner: Behavior) -> Behavior:
        """This (outer) behaviour overridden key by key by ``inner``."""
        if not inner.pairs:
            return self
        if not self.pairs:
            return inner
        keys = {k for k, _ in inner.pairs}
        return Behavior(tuple((k, v) for k, v in self.pairs if k not in keys) + inner.pairs)


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    url: Url
    headers: tuple[KeyValue, ...] = ()
    body: Body | None = None
    auth: Auth | None = None  # None: inherit from the parent folder or collection
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    request: Request
    id: str | None = None
    events: tuple[Event, ...] = ()
    responses: tuple[ExampleResponse, ...] = ()
    variables: tuple[Variable, ...] = ()
    behavior: Behavior = field(default_factory=Behavior)
    where: str = ""  # JSON location of the item in its file


@dataclass(frozen=True, slots=True)
class Folder:
    name: str
    items: tuple[Node, ...]
    id: str | None = None
    auth: Auth | None = None
    events: tuple[Event, ...] = ()
    variables: tuple[Variable, ...] = ()
    behavior: Behavior = field(default_factory=Behavior)
    where: str = ""
    description: str | None = None


Node = Item | Folder


@dataclass(frozen=True, slots=True)
class Collection:
    """A whole collection; a loaded folder or bare item is wrapped in one, so callers see one shape."""

    name: str
    items: tuple[Node, ...]
    id: str | None = None
    schema_version: str = "2.1.0"
    auth: Auth | None = None
    events: tuple[Event, ...] = ()
    variables: tuple[Variable, ...] = ()
    behavior: Behavior = field(default_factory=Behavior)
    file: str = ""  # where it was read from, for messages ("-" for stdin)
    base_dir: str = "."  # folder that relative file paths (formdata/file bodies) are read from
    description: str | None = None
    warnings: tuple[Diagnostic, ...] = ()  # found while reading (v3: kinds skipped, multi-auth...)
    # the v2 JSON document read, kept only when asked (``load(keep_document=True)``: run --export-collection)
    document: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def walk(self) -> Iterator[tuple[tuple[Folder, ...], Item]]:
        """Every item in collection order, with the folders that lead to it."""
        yield from _walk(self.items, ())


def _walk(nodes: Sequence[Node], parents: tuple[Folder, ...]) -> Iterator[tuple[tuple[Folder, ...], Item]]:
    for node in nodes:
        if isinstance(node, Item):
            yield parents, node
        else:
            yield from _walk(node.items, parents + (node,))


# --------------------------------------------------------------------------- from JSON


_MAPPING = (dict, Mapping)  # ``isinstance`` tries the exact JSON type first, before the slower ABC check


def _text(value: Any) -> str | None:
    """A field's value as the text Postman uses (``String(value)``; see ``value_text``); None stays absent."""
    if type(value) is str and value.isascii():  # nearly every string of a collection: return at once
        return value
    if value is None:
        return None
    return value_text(value)


def _json_text(value: Any) -> str | None:
    """A field that Postman sends as JSON when it is not already text (GraphQL variables)."""
    if value is None or isinstance(value, str):
        return _text(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, _MAPPING) else {}


def _description(value: Any) -> str | None:
    if isinstance(value, _MAPPING):
        return _text(value.get("content"))
    return _text(value)


def _variables(raw: Any) -> tuple[Variable, ...]:
    out = []
    for entry in raw or ():
        if not isinstance(entry, _MAPPING):
            continue
        key = entry.get("key", entry.get("id"))
        if key is None:
            continue
        # no "value" at all is JavaScript's undefined (substituted as ""); null is "null"
        out.append(Variable.of_json(str(key), entry, disabled=_disabled(entry)))
    return tuple(out)


def _disabled(entry: Mapping[str, Any]) -> bool:
    """``disabled: true`` (v2.1), or ``enabled: false`` (older v2.0 exports)."""
    return bool(entry.get("disabled", False)) or entry.get("enabled") is False


def _key_values(raw: Any) -> tuple[KeyValue, ...]:
    return tuple(
        KeyValue(key=_text(e.get("key")) or "", value=_text(e.get("value")), disabled=_disabled(e))
        for e in raw or ()
        if isinstance(e, _MAPPING)
    )


def parse_header_string(text: str) -> tuple[KeyValue, ...]:
    """Postman's string form of headers: ``Key: value`` per line; a line starting ``//`` is disabled."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        disabled = line.lstrip().startswith("//")
        if disabled:
            line = line.lstrip()[2:]
        key, sep, value = line.partition(":")
        out.append(KeyValue(key=key.strip(), value=value.strip() if sep else "", disabled=disabled))
    return tuple(out)


def _headers(raw: Any) -> tuple[KeyValue, ...]:
    if isinstance(raw, str):
        return parse_header_string(raw)
    return _key_values(raw)


def _auth(raw: Any) -> Auth | None:
    """Auth in v2.1 (params as ``[{key, value}]``) or v2.0 (params as an object) shape; None means inherit."""
    if not isinstance(raw, _MAPPING) or not raw.get("type"):
        return None
    kind = str(raw["type"])
    params = raw.get(kind)
    pairs: list[tuple[str, Any]] = []
    if isinstance(params, _MAPPING):
        pairs = [(str(k), v) for k, v in params.items()]
    elif isinstance(params, list):
        pairs = [
            (str(p.get("key")), p.get("value")) for p in params if isinstance(p, _MAPPING) and "key" in p
        ]
    return Auth(type=kind, params=tuple(pairs))


def _events(raw: Any) -> tuple[Event, ...]:
    """Events as a list, or a single event object (some exports write one); ``script`` as an object
    with ``exec`` (string or lines), or a bare string that refers to a script by id."""
    if isinstance(raw, _MAPPING):
        raw = [raw]
    out = []
    for entry in raw or ():
        if not isinstance(entry, _MAPPING):
            continue
        listen = str(entry.get("listen", ""))
        disabled = bool(entry.get("disabled"))
        script = entry.get("script") or {}
        if isinstance(script, str):
            out.append(Event(listen=listen, source="", disabled=disabled, reference=script))
            continue
        source = script.get("exec") if isinstance(script, _MAPPING) else None
        if isinstance(source, list):
            source = _lines(source)
        out.append(Event(listen=listen, source=_text(source) or "", disabled=disabled))
    return tuple(out)


def _lines(source: list[Any]) -> str:
    """Script lines joined; ``str`` of each only when some line is not a string (rare, but allowed)."""
    if all(type(line) is str for line in source):
        return "\n".join(source)
    return "\n".join(str(line) for line in source)


def _split_path(path: Any) -> tuple[str, ...] | None:
    if path is None:
        return None
    if isinstance(path, str):
        return tuple(path.lstrip("/").split("/")) if path else ()
    return tuple(_text(seg.get("value") if isinstance(seg, _MAPPING) else seg) or "" for seg in path)


def _split_host(host: Any) -> tuple[str, ...] | None:
    if host is None:
        return None
    if isinstance(host, str):
        return tuple(host.split(".")) if host else ()
    return tuple(_text(h) or "" for h in host)


def _url(raw: Any) -> Url:
    if raw is None:
        return Url(raw="", is_object=False)
    if isinstance(raw, str):
        return Url(raw=raw, is_object=False)
    query = tuple(
        KeyValue(key=_text(q.get("key")) or "", value=_text(q.get("value")), disabled=_disabled(q))
        for q in raw.get("query") or ()
        if isinstance(q, _MAPPING)
    )
    return Url(
        raw=_text(raw.get("raw")),
        protocol=_text(raw.get("protocol")),
        host=_split_host(raw.get("host")),
        port=_text(raw.get("port")),
        path=_split_path(raw.get("path")),
        query=query,
        hash=_text(raw.get("hash")),
        variables=_variables(raw.get("variable")),
    )


def _src_list(src: Any) -> tuple[str, ...]:
    if src is None:
        return ()
    if isinstance(src, str):
        return (src,) if src else ()
    return tuple(str(s) for s in src if s)


def _body(raw: Any) -> Body | None:
    if not isinstance(raw, _MAPPING) or not raw.get("mode"):
        return None
    mode = str(raw["mode"])
    options = _mapping(raw.get("options"))
    raw_opts = _mapping(options.get("raw"))
    formdata = tuple(
        FormPart(
            key=_text(p.get("key")) or "",
            value=_text(p.get("value")),
            type=str(p.get("type") or "text"),
            src=_src_list(p.get("src")),
            content_type=_text(p.get("contentType")),
            disabled=_disabled(p),
        )
        for p in raw.get("formdata") or ()
        if isinstance(p, _MAPPING)
    )
    file = _mapping(raw.get("file"))
    graphql = _mapping(raw.get("graphql"))
    gql_vars = graphql.get("variables")
    return Body(
        mode=mode,
        raw=_text(raw.get("raw")),
        language=_text(raw_opts.get("language")),
        urlencoded=_key_values(raw.get("urlencoded")),
        formdata=formdata,
        file_src=_text(file.get("src")),
        file_content=_text(file.get("content")),
        graphql_query=_text(graphql.get("query")),
        graphql_variables=_json_text(gql_vars),
        disabled=bool(raw.get("disabled", False)),
    )


def _request(raw: Any) -> Request:
    if isinstance(raw, str):
        return Request(method="GET", url=_url(raw))
    return Request(
        method=str(raw.get("method") or "GET").upper(),
        url=_url(raw.get("url")),
        headers=_headers(raw.get("header")),
        body=_body(raw.get("body")),
        auth=_auth(raw.get("auth")),
        description=_description(raw.get("description")),
    )


def _responses(raw: Any) -> tuple[ExampleResponse, ...]:
    out = []
    for r in raw or ():
        if not isinstance(r, _MAPPING):
            continue
        code = r.get("code")
        out.append(
            ExampleResponse(
                name=_text(r.get("name")) or "",
                code=code if isinstance(code, int) else None,
                status=_text(r.get("status")),
                headers=_headers(r.get("header")),
                body=_text(r.get("body")),
            )
        )
    return tuple(out)


def _behavior(raw: Any) -> Behavior:
    return Behavior(tuple(raw.items())) if isinstance(raw, _MAPPING) else Behavior()


def _variables_of(raw: Mapping[str, Any]) -> tuple[Variable, ...]:
    """``variable`` per the schema; some exports write ``variables``."""
    return _variables(raw.get("variable", raw.get("variables")))


def _node(raw: Mapping[str, Any], where: str) -> Node:
    name = _text(raw.get("name")) or ""
    if "request" in raw or "item" not in raw:
        return Item(
            name=name,
            request=_request(raw.get("request") or {}),
            id=_text(raw.get("id") or raw.get("_postman_id")),
            events=_events(raw.get("event")),
            responses=_responses(raw.get("response")),
            variables=_variables_of(raw),
            behavior=_behavior(raw.get("protocolProfileBehavior")),
            where=where,
        )
    return Folder(
        name=name,
        items=_nodes(raw.get("item"), where + ".item" if where else "item"),
        id=_text(raw.get("id") or raw.get("_postman_id")),
        auth=_auth(raw.get("auth")),
        events=_events(raw.get("event")),
        variables=_variables_of(raw),
        behavior=_behavior(raw.get("protocolProfileBehavior")),
        where=where,
        description=_description(raw.get("description")),
    )


def _nodes(raw: Any, prefix: str) -> tuple[Node, ...]:
    return tuple(
        _node(entry, f"{prefix}[{i}]") for i, entry in enumerate(raw or ()) if isinstance(entry, _MAPPING)
    )


def from_document(
    data: Mapping[str, Any],
    *,
    kind: str = "collection",
    schema_version: str = "2.1.0",
    file: str = "",
    base_dir: str = ".",
    keep_document: bool = False,
) -> Collection:
    """The model of a validated document; ``kind`` is "collection", "folder" or "item" (as detected).
    ``keep_document``: a collection keeps ``data`` as its ``document``."""
    if kind == "collection":
        info = _mapping(data.get("info"))
        return Collection(
            name=_text(info.get("name") or data.get("name")) or "collection",
            items=_nodes(data.get("item"), "item"),
            id=_text(info.get("_postman_id") or data.get("id")),
            schema_version=schema_version,
            auth=_auth(data.get("auth")),
            events=_events(data.get("event")),
            variables=_variables_of(data),
            behavior=_behavior(data.get("protocolProfileBehavior")),
            file=file,
            base_dir=base_dir,
            description=_description(info.get("description")),
            document=data if keep_document else None,
        )
    node = _node(data, "")
    return Collection(
        name=node.name or "collection",
        items=(node,),
        schema_version=schema_version,
        file=file,
        base_dir=base_dir,
    )
