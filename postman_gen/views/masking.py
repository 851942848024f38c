"""What counts as a secret, and how it is masked in ``show``, logs and reports (unless ``--show-secrets``)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from postman_gen.resolution.auth_kinds import secret_query_name
from postman_gen.resolution.request import AuthInfo, Header

MASK = "****"
SECRET_NAME = re.compile(
    r"(pass(word|wd)?|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key|credential|signature|"
    r"authorization|session|cookie|client[-_]?secret)",
    re.IGNORECASE,
)
_SCHEME_VALUE = re.compile(
    r"^(Bearer|Basic|Digest|Token|OAuth|Hawk|AWS4-HMAC-SHA256|NTLM|Negotiate|EG1-HMAC-SHA256)\s+", re.I
)


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def mask_value(value: str) -> str:
    """``Bearer abc`` -> ``Bearer ****``; anything else -> ``****`` (empty stays empty)."""
    if not value:
        return value
    match = _SCHEME_VALUE.match(value)
    return (match.group(0) + MASK) if match else MASK


def header_value(header: Header, show_secrets: bool = False) -> str:
    if show_secrets or not (header.secret or is_secret_name(header.name)):
        return header.value
    return mask_value(header.value)


def secret_query_names(auth: AuthInfo | None) -> frozenset[str]:
    """Query parameters that auth put in the URL (apikey in query, oauth2 token in query)."""
    name = secret_query_name(auth.type, auth.get) if auth is not None else None
    return frozenset() if name is None else frozenset({name})


def mask_url(url: str, auth: AuthInfo | None = None, show_secrets: bool = False) -> str:
    """The URL with secret query values (by auth or by name) replaced by the mask."""
    if show_secrets or "?" not in url:
        return url
    parts = urlsplit(url)
    names = secret_query_names(auth)
    pairs = []
    for pair in parts.query.split("&"):
        key, sep, value = pair.partition("=")
        if sep and value and (key in names or is_secret_name(key)):
            value = MASK
        pairs.append(key + sep + value)
    return urlunsplit(parts._replace(query="&".join(pairs)))


def mask_field(name: str, value: str, show_secrets: bool = False) -> str:
    """A form field's value, masked when its name says it is a secret."""
    return MASK if (value and not show_secrets and is_secret_name(name)) else value
