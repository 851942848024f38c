"""``verify --vars env``: the environment the generated code reads, and its URL pointed at the echo server.

Why: code rendered with ``--vars env`` reads each variable from the environment when it runs. To prove it
sends what ``run`` sends, each variable it reads must hold the value ``run`` substitutes (the value the
variable resolves to inline), and its URL must reach the local echo server, whether the origin is written
in the collection (``https://api.example.com/...``) or held by a variable (``{{base_url}}/users``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from postman_gen.collection.model import Collection
from postman_gen.collection.selection import Selected
from postman_gen.render.engine import request_strings
from postman_gen.resolution.dynamic import DynamicValues
from postman_gen.resolution.placeholders import Placeholder, PlaceholderKind, has_tokens, split, token
from postman_gen.resolution.request import ResolvedRequest
from postman_gen.resolution.resolver import ResolveOptions, Values, scopes_for
from postman_gen.resolution.variables import Substitutor


def runtime_values(
    collection: Collection,
    selected: Selected,
    values: Values,
    options: ResolveOptions,
    request: ResolvedRequest,
) -> dict[str, str]:
    """Each environment variable ``request`` (resolved with ``--vars env``) reads, with the value ``run``
    gives its variable: a variable's inline value, a ``:path`` variable's ``--path-var`` or declared value.
    Dynamic variables (``{{$guid}}``) are computed by the code itself and read nothing."""
    item = selected.item
    sub = Substitutor(
        scopes_for(collection, selected.folders, item, values), dynamic=DynamicValues(seed=options.seed)
    )
    declared = {v.key: v.value or "" for v in item.request.url.variables if not v.disabled}
    env: dict[str, str] = {}
    for placeholder in request.placeholders:
        if placeholder.kind is PlaceholderKind.PATH:
            given = options.path_vars.get(placeholder.name)
            text = given if given is not None else sub(declared.get(placeholder.name, ""), item.where)
            env[placeholder.env_name] = text
        elif placeholder.kind is PlaceholderKind.VARIABLE:
            env[placeholder.env_name] = sub("{{" + placeholder.name + "}}", item.where)
    return env


def _origin_end(url: str) -> int | None:
    """Where the origin (``scheme://authority``) of ``url`` ends, or None without an http(s) scheme."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return None
    cut = min(i for i in (rest.find("/"), rest.find("?"), len(rest)) if i >= 0)
    return len(scheme) + len(sep) + cut


def _elsewhere(request: ResolvedRequest, placeholder: Placeholder) -> bool:
    """Whether ``placeholder`` is read anywhere but the URL (a header, the body, auth)."""
    mark = token(request.placeholders.index(placeholder))
    return any(mark in text for text in list(request_strings(request))[1:])  # the URL comes first


def retarget_env(
    request: ResolvedRequest, env: Mapping[str, str], origin: str
) -> tuple[ResolvedRequest, dict[str, str]] | None:
    """``request`` (``--vars env``) and its environment sent to ``origin`` (``http://127.0.0.1:PORT``), path
    and query kept; None when the origin cannot be replaced (no http(s) scheme, a dynamic variable in it,
    or a variable that holds the origin and more and is read elsewhere too)."""
    if not has_tokens(request.url):
        cut = _origin_end(request.url)
        if cut is None:
            return None
        return dataclasses.replace(request, url=origin + request.url[cut:]), dict(env)
    parts = split(request.url, request.placeholders)
    expanded = ""
    for part in parts:
        if isinstance(part, Placeholder) and part.kind is PlaceholderKind.DYNAMIC:
            break
        expanded += part if isinstance(part, str) else env.get(part.env_name, "")
    cut = _origin_end(expanded)
    if cut is None:
        return None
    position = 0
    for index, part in enumerate(parts):
        if isinstance(part, Placeholder) and part.kind is PlaceholderKind.DYNAMIC:
            return None  # a dynamic variable before the end of the origin
        text = part if isinstance(part, str) else env.get(part.env_name, "")
        if position + len(text) < cut:
            position += len(text)
            continue
        offset = cut - position
        rest = "".join(
            p if isinstance(p, str) else token(request.placeholders.index(p)) for p in parts[index + 1 :]
        )
        new_env = dict(env)
        if isinstance(part, str):
            url = origin + part[offset:] + rest
        elif offset == len(text):
            url = origin + rest
        else:  # the variable holds the origin and the path's start (``https://host/api``)
            if _elsewhere(request, part):
                return None
            new_env[part.env_name] = origin + text[offset:]
            url = token(request.placeholders.index(part)) + rest
        return dataclasses.replace(request, url=url), new_env
    return None
