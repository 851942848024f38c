"""Item + variable values -> one immutable ``ResolvedRequest``, as Newman would send it.

The steps, in order: scopes for the item; URL parts substituted, path variables filled, then encoded as
Newman encodes them; headers substituted and checked; the body built for its mode (with the Content-Type
Postman implies); auth inherited and either folded into headers/query (static) or kept typed (computed at
send time). Imports neither jinja2 nor requests.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from postman_gen.collection.model import Auth, Behavior, Body, Collection, Event, Folder, Item, Variable
from postman_gen.errors import Diagnostic, Level, ResolveError
from postman_gen.resolution.auth_kinds import STATIC
from postman_gen.resolution.dynamic import DynamicValues
from postman_gen.resolution.placeholders import PlaceholderKind, has_tokens
from postman_gen.resolution.request import (
    AuthInfo,
    FileBody,
    FormBody,
    Header,
    HeaderOrigin,
    MultipartBody,
    MultipartPart,
    NoBody,
    RawBody,
    ResolvedRequest,
    Settings,
    VarMode,
)
from postman_gen.resolution.request import Body as ResolvedBody
from postman_gen.resolution.urls import (
    UrlParts,
    build_url,
    encode_form,
    encode_query,
    object_parts,
    parse_url,
    resolve_path_variables,
    unparse_url,
)
from postman_gen.resolution.value_text import value_text
from postman_gen.resolution.variables import Scope, Scopes, Substitutor

METHODS_WITHOUT_BODY = frozenset({"GET", "COPY", "HEAD", "PURGE", "UNLOCK"})  # as postman-runtime prunes
RAW_CONTENT_TYPES = {
    "html": "text/html",
    "text": "text/plain",
    "json": "application/json",
    "javascript": "application/javascript",
    "xml": "application/xml",
}
_TOKEN_CHARS = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 9110 token
_BAD_VALUE_CHARS = re.compile(r"[\r\n\x00]")
# Header names, one a line, all tokens: checks a whole header list in one match.
_TOKEN_LINES = re.compile(r"(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+\n)*[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")


@dataclass(frozen=True, slots=True)
class ResolveOptions:
    mode: VarMode = VarMode.INLINE
    strict: bool = False
    seed: int | None = None
    path_vars: Mapping[str, str] = field(default_factory=dict)
    working_dir: str | None = (
        None  # relative file paths are read from here (default: the collection's folder)
    )
    files_inside_working_dir: bool = False  # --no-insecure-file-read: no body file outside working_dir


@dataclass(frozen=True, slots=True)
class Values:
    """The variable values from outside the collection, lowest precedence first after the collection's."""

    globals: tuple[Variable, ...] = ()
    environment: tuple[Variable, ...] = ()
    data: Mapping[str, str | None] = field(default_factory=dict)  # one iteration's row (None: null)
    cli: Mapping[str, str] = field(default_factory=dict)  # --var KEY=VALUE
    typed_data: Mapping[str, Any] = field(default_factory=dict)  # the row as the data file typed it (scripts)


_SCOPES: dict[tuple[str, int], tuple[tuple[Variable, ...], Scope]] = {}


def _scope_of(name: str, variables: tuple[Variable, ...]) -> Scope:
    """``Scope.of``, made once per tuple of variables (a tuple of frozen values cannot change).

    Why: every request of a collection builds the same globals, collection, folder and environment
    layers; the cache keeps the tuple itself alive, so its ``id`` cannot be reused by another one.
    """
    if not variables or type(variables) is not tuple:
        return Scope.of(name, variables)
    key = (name, id(variables))
    hit = _SCOPES.get(key)
    if hit is not None and hit[0] is variables:
        return hit[1]
    if len(_SCOPES) >= 512:
        _SCOPES.clear()
    scope = Scope.of(name, variables)
    _SCOPES[key] = (variables, scope)
    return scope


@functools.lru_cache(maxsize=4096)
def _finish_url(text: str, disable: bool) -> tuple[str, tuple[str, str | None] | None, bool, str | None]:
    """A substituted URL string parsed and built: (URL as sent, userinfo, no host?, error message or None).

    A pure function of its arguments, so cached: items of one API share the same few URL strings, and in
    ``keep``/``env`` modes every ``{{base_url}}`` becomes the same token.
    """
    parts = parse_url(text)
    no_host = not "".join(parts.host)
    try:
        bare = UrlParts(parts.protocol, None, parts.host, parts.port, parts.path, parts.query, None)
        built = build_url(bare, disable_encoding=disable)
    except ResolveError as exc:
        return "", parts.auth, no_host, exc.message
    if parts.protocol is None and parts.host and has_tokens(parts.host[0]) and built.startswith("http://"):
        # keep/env: a URL that starts with a variable (``{{base_url}}/x``) gets its scheme from that
        # variable when the generated code runs, not the default one.
        built = built[len("http://") :]
    try:
        urlsplit(built)  # what every later reader of the URL does (an unclosed "[" of an IPv6 host fails)
    except ValueError as exc:
        return "", parts.auth, no_host, f"not a valid URL: {exc}"
    return built, parts.auth, no_host, None


class _Chain:
    """What a collection and one chain of folders give every item below them, worked out once.

    Why: a thousand items in one folder share the same inherited behaviour, auth, scripts flag and
    variable layers; computing those per item was a fifth of resolving. Everything here is derived from
    frozen values, so sharing it between items changes nothing.
    """

    __slots__ = (
        "collection",
        "folders",
        "names",
        "behavior",
        "auth",
        "scripts",
        "layers",
        "flats",
        "settings",
    )

    def __init__(self, collection: Collection, folders: Sequence[Folder]) -> None:
        self.collection = collection
        self.folders = tuple(folders)
        self.names = tuple(f.name for f in folders)
        behavior = collection.behavior
        for folder in folders:
            behavior = behavior.merged(folder.behavior)
        self.behavior = behavior
        self.auth: tuple[Auth | None, str] = (collection.auth, "collection")
        for folder in reversed(folders):
            if folder.auth is not None:
                self.auth = (folder.auth, f"folder:{folder.name}")
                break
        self.scripts = _has_scripts(collection.events + tuple(e for f in folders for e in f.events))
        self.layers = (_scope_of("collection", collection.variables),) + tuple(
            _scope_of(f"folder:{f.name}", f.variables) for f in folders
        )
        self.flats: dict[tuple[int, int], tuple[Values, dict[str, str]]] = {}
        self.settings: Settings | None = None

    def flat(self, values: Values, outer: Scope, environment: Scope) -> dict[str, str]:
        """globals < collection < folders < environment as one dict (shared: never to be changed)."""
        key = (id(values.globals), id(values.environment))
        hit = self.flats.get(key)
        if hit is not None and hit[0].globals is values.globals and hit[0].environment is values.environment:
            return hit[1]
        merged = dict(outer.values)
        for layer in self.layers:
            merged.update(layer.values)
        merged.update(environment.values)
        if len(self.flats) >= 8:
            self.flats.clear()
        self.flats[key] = (values, merged)
        return merged


_CHAINS: dict[tuple[int, ...], _Chain] = {}


def _chain(collection: Collection, folders: Sequence[Folder]) -> _Chain:
    """The ``_Chain`` of a collection and folders, cached by identity (the cache holds them alive)."""
    key = (id(collection), *map(id, folders))
    hit = _CHAINS.get(key)
    if hit is not None:
        return hit
    if len(_CHAINS) >= 512:
        _CHAINS.clear()
    chain = _CHAINS[key] = _Chain(collection, folders)
    return chain


def _scopes_and_table(chain: _Chain, item: Item, values: Values) -> tuple[Scopes, dict[str, str]]:
    """``scopes_for`` (the same layers) and the same scopes flattened into one lookup table."""
    outer = _scope_of("globals", values.globals)
    environment = _scope_of("environment", values.environment)
    data, cli = _data_scope(values.data), Scope("cli", dict(values.cli))
    flat = chain.flat(values, outer, environment)
    if item.variables:
        own = Scope.of("item", item.variables)
        layers = (outer, *chain.layers, own, environment, data, cli)
        flat = dict(flat)
        for layer in (own, environment):
            flat.update(layer.values)
    else:
        layers = (outer, *chain.layers, environment, data, cli)
    if data.values or cli.values:
        flat = dict(flat)
        flat.update(data.values)
        flat.update(cli.values)
    return Scopes(layers), flat


class _Resolution:
    """The state of resolving one item: its substitutor, location and warnings."""

    def __init__(
        self,
        collection: Collection,
        folders: Sequence[Folder],
        item: Item,
        values: Values,
        options: ResolveOptions,
        dynamic: DynamicValues,
    ) -> None:
        self.collection = collection
        self.folders = folders
        self.item = item
        self.options = options
        self.file = collection.file
        if item.where.endswith((".yaml", ".yml")):  # v3: the request's own file, then the key in it
            self.req_where, self.sep = item.where + ":", " "
        else:
            self.req_where, self.sep = (f"{item.where}.request" if item.where else "request"), "."
        self.chain = _chain(collection, folders)
        scopes, flat = _scopes_and_table(self.chain, item, values)
        self.sub = Substitutor(
            scopes,
            mode=options.mode,
            dynamic=dynamic,
            file=collection.file,
            strict=options.strict,
            _flat=flat,
        )
        self.behavior = self.chain.behavior.merged(item.behavior)
        self.warnings: list[Diagnostic] = []

    def at(self, suffix: str) -> str:
        return f"{self.req_where}{self.sep}{suffix}"

    def warn(self, message: str, where: str) -> None:
        self.warnings.append(Diagnostic(Level.WARNING, message, self.file, where))

    def error(self, message: str, where: str) -> ResolveError:
        return ResolveError(message, file=self.file, where=where)

    # ------------------------------------------------------------------ URL

    def url(self) -> tuple[str, tuple[str, str | None] | None]:
        """The URL as sent, and the userinfo it carried (moved to an Authorization header by the caller).

        As Newman does: path variables filled into the parsed URL, the URL turned back into one string,
        variables substituted in that string, the result parsed again and percent-encoded. So a value
        holding ``&`` or ``#`` re-splits the query as it does in Newman, and a ``{{base_url}}`` holding a
        scheme, host and path works in any position.
        """
        url = self.item.request.url
        where = self.at("url")
        if url.has_parts:
            parts = object_parts(url)
        else:
            parsed = parse_url(url.raw or "")
            parts = UrlParts(
                parsed.protocol, parsed.auth, parsed.host, parsed.port, parsed.path, parsed.query, None
            )
        if any(seg[:1] == ":" for seg in parts.path):
            path = self._path_variables(parts.path, where)
            parts = UrlParts(parts.protocol, parts.auth, parts.host, parts.port, path, parts.query, None)
        text = unparse_url(parts)
        disable = bool(self.behavior.get("disableUrlEncoding", False))
        substituted = self.sub(text, where) if "{{" in text else text
        built, userinfo, no_host, problem = _finish_url(substituted, disable)
        if no_host:
            self.warn("the URL has no host: it cannot be sent (is a variable empty?)", where)
        if problem is not None:
            raise self.error(problem, where)
        return built, userinfo

    def _path_variables(self, segments: Sequence[str], where: str) -> tuple[str, ...]:
        """``:name`` segments filled from ``--path-var``, else ``url.variable``; an unset one stays as is.

        In ``keep``/``env`` modes a path variable becomes a placeholder, unless ``--path-var`` sets it.
        """
        declared = {v.key: v.value for v in self.item.request.url.variables if not v.disabled}
        values: dict[str, str] = {}
        for seg in segments:
            if not seg.startswith(":") or len(seg) < 2:
                continue
            name = seg[1:].split(".", 1)[0]
            if name in self.options.path_vars:
                values[name] = self.options.path_vars[name]
            elif name not in declared:
                continue
            elif self.options.mode is not VarMode.INLINE:
                values[name] = self.sub.placeholder(PlaceholderKind.PATH, name)
            elif declared[name]:
                values[name] = declared[name] or ""
            else:
                self.warn(
                    f"path variable :{name} has no value and is sent as written (use --path-var)", where
                )
        return resolve_path_variables(segments, values)

    # ------------------------------------------------------------------ headers

    def headers(self) -> list[Header]:
        out = []
        for i, h in enumerate(self.item.request.headers):
            if h.disabled:
                continue
            name, value = h.key, h.value or ""
            if "{{" in name or "{{" in value:
                where = self.at(f"header[{i}]")
                name, value = self.sub(name, where), self.sub(value, where)
            if not name:
                continue
            out.append(Header(name, value))
        return out

    def check_headers(self, headers: Sequence[Header]) -> None:
        names = "\n".join(h.name for h in headers)
        if (
            names.count("\n") == len(headers) - 1  # no name holds a line break itself
            and _TOKEN_LINES.match(names)
            and _BAD_VALUE_CHARS.search("".join(h.value for h in headers)) is None
        ):
            return  # all good, checked in one pass each; else the loop finds the first bad header
        for h in headers:
            where = self.at("header") if h.origin is HeaderOrigin.REQUEST else self.at("auth")
            if not _TOKEN_CHARS.match(h.name):
                raise self.error(f"header name {h.name!r} is not a valid HTTP token", where)
            if _BAD_VALUE_CHARS.search(h.value):
                raise self.error(f"header {h.name!r} has a CR, LF or NUL in its value", where)

    # ------------------------------------------------------------------ body

    def body(self, method: str) -> tuple[ResolvedBody, str | None]:
        """The body and the Content-Type Postman implies for it (None: none implied)."""
        body = self.item.request.body
        if body is None or body.disabled or not body.mode:
            return NoBody(), None
        if method in METHODS_WITHOUT_BODY and not self.behavior.get("disableBodyPruning", False):
            if not _is_empty(body):
                self.warn(
                    f"the body of a {method} request is not sent (set disableBodyPruning)", self.at("body")
                )
            return NoBody(), None
        where = self.at(f"body.{body.mode}")
        if body.mode == "raw":
            if not body.raw:
                return NoBody(), None
            content_type = RAW_CONTENT_TYPES.get(body.language or "text", "text/plain")
            return RawBody(self.sub(body.raw, where), body.language), content_type
        if body.mode == "urlencoded":
            fields = tuple(
                (self.sub(f.key, f"{where}[{i}]"), self.sub(f.value or "", f"{where}[{i}]"))
                for i, f in enumerate(body.urlencoded)
                if not f.disabled
            )
            if not fields:
                return NoBody(), None
            return FormBody(fields, encode_form(fields)), "application/x-www-form-urlencoded"
        if body.mode == "formdata":
            parts = self._multipart(body, where)
            return (MultipartBody(parts), None) if parts else (NoBody(), None)
        if body.mode == "file":
            if body.file_src:
                return FileBody(self._file_path(self.sub(body.file_src, where), where)), "text/plain"
            if body.file_content:
                return RawBody(self.sub(body.file_content, where)), "text/plain"
            return NoBody(), None
        if body.mode == "graphql":
            return RawBody(self._graphql(body, where), "graphql"), "application/json"
        raise self.error(f"unknown body mode {body.mode!r}", self.at("body.mode"))

    def _multipart(self, body: Body, where: str) -> tuple[MultipartPart, ...]:
        parts: list[MultipartPart] = []
        for i, part in enumerate(body.formdata):
            if part.disabled:
                continue
            at = f"{where}[{i}]"
            name = self.sub(part.key, at)
            content_type = self.sub(part.content_type, at) or None
            if part.type != "file":
                parts.append(
                    MultipartPart(name, value=self.sub(part.value or "", at), content_type=content_type)
                )
                continue
            if not part.src:
                self.warn(f"file part {name!r} names no file and is sent empty", at)
                parts.append(MultipartPart(name, value="", filename="", content_type=content_type))
            for src in part.src:
                path = self._file_path(self.sub(src, at), at)
                parts.append(
                    MultipartPart(
                        name, file_path=path, filename=os.path.basename(path), content_type=content_type
                    )
                )
        return tuple(parts)

    def _file_path(self, src: str, where: str) -> str:
        base = self.options.working_dir or self.collection.base_dir
        path = os.path.normpath(os.path.join(base, src)) if not os.path.isabs(src) else src
        if self.options.files_inside_working_dir:
            root = os.path.realpath(base)
            real = os.path.realpath(path)  # symbolic links resolved: a link may not lead outside either
            if os.path.commonpath([root, real]) != root:
                raise self.error(
                    f"file {src!r} is outside the working directory {base} (--no-insecure-file-read)", where
                )
        return path

    def _graphql(self, body: Body, where: str) -> str:
        """The JSON Postman sends: ``query`` as a JSON string, ``variables`` spliced in as written."""
        members = []
        if body.graphql_query is not None:
            members.append('"query":' + json.dumps(self.sub(body.graphql_query, where), ensure_ascii=False))
        variables = self.sub(body.graphql_variables, where) if body.graphql_variables else ""
        if variables:
            members.append('"variables":' + variables)
        return "{" + ",".join(members) + "}"

    # ------------------------------------------------------------------ auth

    def auth(self) -> AuthInfo | None:
        own = self.item.request.auth
        auth, source = (own, "request") if own is not None else self.chain.auth
        if auth is None or auth.type == "noauth":
            return None
        where = self.at("auth")
        params = []
        for key, value in auth.params:
            text = _param_text(value)
            params.append((key, self.sub(text, f"{where}.{key}") if "{{" in text else text))
        return AuthInfo(auth.type, tuple(params), source)

    def static_auth(self, auth: AuthInfo) -> tuple[list[Header], list[tuple[str, str]]]:
        """Headers and query params that static auth adds (computed auth adds none here)."""
        if auth.type == "basic":
            pair = f"{auth.get('username')}:{auth.get('password')}".encode()
            return [
                Header("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"), HeaderOrigin.AUTH)
            ], []
        if auth.type == "bearer":
            return [Header("Authorization", f"Bearer {auth.get('token')}", HeaderOrigin.AUTH)], []
        if auth.type == "apikey":
            key, value = auth.get("key"), auth.get("value")
            if not key:
                return [], []
            if auth.get("in", "header") == "query":
                return [], [(key, value)]
            return [Header(key, value, HeaderOrigin.AUTH)], []
        if auth.type == "oauth2":
            token = auth.get("accessToken")
            if not token:
                return [], []
            if auth.get("addTokenTo", "header") == "queryParams":
                return [], [("access_token", token)]
            prefix = auth.get("headerPrefix", "Bearer")
            return [Header("Authorization", f"{prefix} {token}".strip(), HeaderOrigin.AUTH)], []
        return [], []

    # ------------------------------------------------------------------ all together

    def settings(self) -> Settings:
        if self.behavior is self.chain.behavior:  # the item adds nothing: one Settings per folder chain
            if self.chain.settings is None:
                self.chain.settings = self._settings()
            return self.chain.settings
        return self._settings()

    def _settings(self) -> Settings:
        b = self.behavior
        max_redirects = str(b.get("maxRedirects", ""))
        return Settings(
            follow_redirects=b.get("followRedirects"),
            max_redirects=int(max_redirects) if max_redirects.isdigit() else None,
            strict_ssl=b.get("strictSSL"),
            disable_cookies=bool(b.get("disableCookies", False)),
            follow_original_method=bool(b.get("followOriginalHttpMethod", False)),
            follow_authorization_header=bool(b.get("followAuthorizationHeader", False)),
        )

    def resolve(self) -> ResolvedRequest:
        request = self.item.request
        method = request.method.upper()
        if not _TOKEN_CHARS.match(method):
            raise self.error(f"method {method!r} is not a valid HTTP token", self.at("method"))
        url, userinfo = self.url()
        headers = self.headers()
        body, implied_type = self.body(method)
        if implied_type and not _has(headers, "Content-Type"):
            headers.append(Header("Content-Type", implied_type, HeaderOrigin.BODY))
        auth = self.auth()
        if auth is not None and auth.type not in STATIC and not auth.computed:
            self.warn(f"{auth.type} auth is not supported: the request is sent without it", self.at("auth"))
            auth = None
        if auth is not None and not auth.computed:
            auth_headers, auth_query = self.static_auth(auth)
            names = {h.name.lower() for h in auth_headers}
            headers = [h for h in headers if h.name.lower() not in names] + auth_headers
            if auth_query:
                url = _append_query(url, auth_query)
        if userinfo and not _has(headers, "Authorization"):
            user, password = (unquote(userinfo[0]), unquote(userinfo[1] or ""))
            pair = f"{user}:{password}".encode()
            headers.append(
                Header("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"), HeaderOrigin.AUTH)
            )
        self.check_headers(headers)
        return ResolvedRequest(
            path=self.chain.names + (self.item.name,),
            method=method,
            url=url,
            headers=tuple(headers),
            body=body,
            auth=auth,
            settings=self.settings(),
            id=self.item.id,
            where=self.item.where,
            placeholders=tuple(self.sub.placeholders),
            var_mode=self.options.mode,
            has_scripts=self.chain.scripts or _has_scripts(self.item.events),
            description=request.description,
            warnings=tuple(self.sub.warnings + self.warnings),
        )


def _param_text(value: object) -> str:
    # Postman's auth helpers read an absent or null parameter as empty (``auth.get('token') || ''``)
    return "" if value is None else value_text(value)


def _data_scope(row: Mapping[str, str | None]) -> Scope:
    """The iteration data layer. Newman looks a name up in the row first and substitutes only text, numbers
    and booleans: a null stops the lookup and leaves the reference as written, which a value holding exactly
    its own reference does here (the substitutor keeps such a reference and warns about it)."""
    return Scope("data", {k: "{{" + k + "}}" if v is None else v for k, v in row.items()})


def _has(headers: Sequence[Header], name: str) -> bool:
    lower = name.lower()
    return any(h.name.lower() == lower for h in headers)


def _is_empty(body: Body) -> bool:
    return not (body.raw or body.urlencoded or body.formdata or body.file_src or body.graphql_query)


def _append_query(url: str, params: Sequence[tuple[str, str]]) -> str:
    extra = encode_query(params)
    return url + ("&" if "?" in url else "?") + extra


def _has_scripts(events: Sequence[Event]) -> bool:
    return any(e.source.strip() and not e.disabled for e in events)


def resolve(
    collection: Collection,
    folders: Sequence[Folder],
    item: Item,
    values: Values | None = None,
    options: ResolveOptions | None = None,
    *,
    dynamic: DynamicValues | None = None,
) -> ResolvedRequest:
    """The request ``item`` describes, as it goes on the wire; ``ResolveError`` when it cannot be sent."""
    options = options or ResolveOptions()
    dynamic = dynamic or DynamicValues(seed=options.seed)
    return _Resolution(collection, folders, item, values or Values(), options, dynamic).resolve()


# --------------------------------------------------------------------------- one item at a time


def scopes_for(collection: Collection, folders: Sequence[Folder], item: Item, values: Values) -> Scopes:
    """globals < collection < folder(s), outer to inner, and the item's own < environment < data < --var."""
    return _scopes_and_table(_chain(collection, folders), item, values)[0]


def effective_auth(collection: Collection, folders: Sequence[Folder], item: Item) -> tuple[Auth | None, str]:
    """The request's auth, else the nearest folder's, else the collection's; ``noauth`` stops the search."""
    if item.request.auth is not None:
        return item.request.auth, "request"
    return _chain(collection, folders).auth


def effective_behavior(collection: Collection, folders: Sequence[Folder], item: Item) -> Behavior:
    """``protocolProfileBehavior`` of the collection, overridden by each folder, then by the item."""
    return _chain(collection, folders).behavior.merged(item.behavior)
