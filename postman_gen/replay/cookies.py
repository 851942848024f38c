"""``--cookie-jar`` / ``--export-cookie-jar``: the run's cookies as JSON in tough-cookie's shape.

Newman reads and writes a serialised tough-cookie jar (``{"cookies": [{"key", "value", "domain", "path",
"expires", "hostOnly", "secure", "httpOnly"}, ...]}``); the same shape is read and written here so a jar
moves between the two tools.
"""

from __future__ import annotations

import datetime
import json
from http.cookiejar import Cookie, CookieJar
from typing import Any

from requests.cookies import RequestsCookieJar, create_cookie

from postman_gen.atomic import write_atomic
from postman_gen.errors import InputError


def _expires(value: Any) -> int | None:
    if value in (None, "", "Infinity"):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    try:
        when = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return int(when.timestamp())


def load_cookie_jar(path: str) -> RequestsCookieJar:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise InputError(f"cannot read cookie jar: {exc.strerror}", file=path) from exc
    except ValueError as exc:
        raise InputError(f"cookie jar is not JSON: {exc}", file=path) from exc
    entries = data.get("cookies") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise InputError('a cookie jar is an object with a "cookies" list', file=path)
    jar = RequestsCookieJar()
    for i, c in enumerate(entries):
        if not isinstance(c, dict) or "key" not in c or "domain" not in c:
            raise InputError('a cookie needs at least "key" and "domain"', file=path, where=f"cookies[{i}]")
        domain = str(c["domain"])
        if not c.get("hostOnly", False) and not domain.startswith("."):
            domain = "." + domain
        jar.set_cookie(
            create_cookie(
                str(c["key"]),
                str(c.get("value", "")),
                domain=domain,
                path=str(c.get("path") or "/"),
                secure=bool(c.get("secure", False)),
                expires=_expires(c.get("expires")),
                rest={"HttpOnly": None} if c.get("httpOnly") else {},
            )
        )
    return jar


def cookie_jar_document(jar: RequestsCookieJar) -> dict[str, Any]:
    cookies = []
    # iterating a cookie jar gives its Cookie objects (typeshed types RequestsCookieJar as a str mapping)
    jar_cookies: list[Cookie] = list(CookieJar.__iter__(jar))
    for c in sorted(jar_cookies, key=lambda c: (c.domain, c.path, c.name)):
        expires = (
            datetime.datetime.fromtimestamp(c.expires, datetime.timezone.utc)
            .isoformat()
            .replace("+00:00", "Z")
            if c.expires
            else "Infinity"
        )
        cookies.append(
            {
                "key": c.name,
                "value": c.value or "",
                "expires": expires,
                "domain": c.domain.lstrip("."),
                "path": c.path,
                "secure": bool(c.secure),
                "httpOnly": c.has_nonstandard_attr("HttpOnly"),
                "hostOnly": not c.domain.startswith("."),
            }
        )
    return {
        "version": "postman-gen",
        "storeType": "MemoryCookieStore",
        "rejectPublicSuffixes": True,
        "cookies": cookies,
    }


def save_cookie_jar(jar: RequestsCookieJar, path: str) -> None:
    text = json.dumps(cookie_jar_document(jar), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text, what="cookie jar")
