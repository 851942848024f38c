"""The routes of postman-echo.com and httpbin.org that example collections call, answered locally.

Why: many collections (Postman's own examples, Newman's tests) target ``https://postman-echo.com/get`` and its
kin and assert on the shape of the answer (``args`` as an object, ``headers``, ``cookies``...). ``echo
--httpbin`` answers those routes the way postman-echo does, so such collections run offline against
127.0.0.1; any other path gets the plain echo description.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote

Header = tuple[str, str]
MAX_DELAY_S = 10  # /delay/{s} is capped, as postman-echo caps it
_BODY_ROUTES = {"/post": "POST", "/put": "PUT", "/patch": "PATCH", "/delete": "DELETE"}


@dataclass(frozen=True)
class Answer:
    status: int
    document: object
    headers: list[Header] = field(default_factory=list)


@dataclass(frozen=True)
class Exchange:
    """What a route needs of the request: method, decoded path and query, headers, body, full URL."""

    method: str
    path: str
    query: str
    headers: list[Header]
    body: bytes
    url: str
    description: dict[str, object]  # the plain echo description (parsed form, parts, json)


def answer(exchange: Exchange) -> Answer | None:
    """The postman-echo answer for a known route, or None (the caller echoes as usual)."""
    path = exchange.path.rstrip("/") or "/"
    method = exchange.method.upper()
    if path == "/get":
        if method not in ("GET", "HEAD"):
            return _not_allowed()
        return Answer(200, {"args": _args(exchange), "headers": _headers(exchange), "url": exchange.url})
    if path in _BODY_ROUTES:
        return _with_body(exchange) if method == _BODY_ROUTES[path] else _not_allowed()
    if path == "/anything" or path.startswith("/anything/"):
        return _with_body(exchange, method=True)
    if path == "/headers":
        return Answer(200, {"headers": _headers(exchange)})
    if path == "/cookies":
        return Answer(200, {"cookies": _cookies(exchange)})
    if path in ("/cookies/set", "/cookies/delete"):
        return _set_cookies(exchange, delete=path.endswith("delete"))
    if path == "/response-headers":
        pairs = parse_qsl(exchange.query, keep_blank_values=True)
        return Answer(200, _group(pairs), headers=list(pairs))
    parts = path.strip("/").split("/")
    if parts[0] == "status" and len(parts) == 2 and parts[1].isdigit() and 100 <= int(parts[1]) <= 599:
        return Answer(int(parts[1]), {"status": int(parts[1])})
    if parts[0] == "delay" and len(parts) == 2 and parts[1].isdigit():
        seconds = min(int(parts[1]), MAX_DELAY_S)
        time.sleep(seconds)
        return Answer(200, {"delay": str(seconds)})
    if parts[0] == "basic-auth":
        user, password = (parts[1], parts[2]) if len(parts) == 3 else ("postman", "password")
        return _basic_auth(exchange, user, password)
    return None


def _not_allowed() -> Answer:
    return Answer(405, {"error": "method not allowed"})


def _group(pairs: list[tuple[str, str]]) -> dict[str, object]:
    """``a=1&a=2&b=3`` -> ``{"a": ["1", "2"], "b": "3"}`` (postman-echo's ``args``)."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in grouped.items()}


def _args(exchange: Exchange) -> dict[str, object]:
    return _group(parse_qsl(exchange.query, keep_blank_values=True))


def _headers(exchange: Exchange) -> dict[str, str]:
    """Names in lower case (as postman-echo), repeated fields joined with ``, ``."""
    out: dict[str, str] = {}
    for name, value in exchange.headers:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _with_body(exchange: Exchange, *, method: bool = False) -> Answer:
    d = exchange.description
    parsed = d.get("json")
    form_pairs = d.get("form")
    parts = d.get("files")
    form = _group([(str(k), str(v)) for k, v in form_pairs]) if isinstance(form_pairs, list) else {}
    files = {str(p.get("filename")): _data_url(p) for p in parts} if isinstance(parts, list) else {}
    text = d.get("body")
    document: dict[str, object] = {
        "args": _args(exchange),
        "data": parsed if parsed is not None else ("" if form or files else (text or "")),
        "files": files,
        "form": form,
        "headers": _headers(exchange),
        "json": parsed if parsed is not None else (form or None),
        "url": exchange.url,
    }
    if method:
        document["method"] = exchange.method
    return Answer(200, document)


def _data_url(part: dict[str, object]) -> str:
    content_type = str(part.get("content_type") or "application/octet-stream")
    value = part.get("value")
    raw = (
        str(value).encode("utf-8")
        if value is not None
        else base64.b64decode(str(part.get("value_base64") or ""))
    )
    return f"data:{content_type};base64,{base64.b64encode(raw).decode('ascii')}"


def _cookies(exchange: Exchange) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in exchange.headers:
        if name.lower() == "cookie":
            try:
                jar.load(value)
            except Exception:  # noqa: BLE001 - a malformed Cookie header is the client's: ignore it
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _set_cookies(exchange: Exchange, *, delete: bool) -> Answer:
    pairs = parse_qsl(exchange.query, keep_blank_values=True)
    expiry = "; Expires=Thu, 01 Jan 1970 00:00:00 GMT" if delete else ""
    headers = [("Set-Cookie", f"{quote(k, safe='')}={quote(v, safe='')}; Path=/{expiry}") for k, v in pairs]
    headers.append(("Location", "/cookies"))
    return Answer(302, {"redirect": "/cookies"}, headers=headers)


def _basic_auth(exchange: Exchange, user: str, password: str) -> Answer:
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    given = next((v for k, v in exchange.headers if k.lower() == "authorization"), "")
    if given == expected:
        return Answer(200, {"authenticated": True, "user": user})
    return Answer(401, {"authenticated": False}, headers=[("WWW-Authenticate", 'Basic realm="Users"')])
