"""What counts as a secret, and how it is masked in ``show``, logs and reports (unless ``--show-secrets``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


EMPTY = "<empty>"
UNRESOLVED = " (unresolved)"
_PLACEHOLDER = re.compile(r"\{\{[^{}]+\}\}")
# A value is masked where else it appears (a response echoing a token) only when it is distinctive: long
# enough, and as a whole token, so that a token "true" never turns '"blocked": true' into '"blocked": ****'.
MIN_ECHOED_SECRET = 8
_BEFORE_TOKEN = r"[A-Za-z0-9_\-.~+/%]"  # "token=abc": the "=" ends a name, it is not part of the value
_AFTER_TOKEN = r"[A-Za-z0-9_\-.~+/=%]"  # base64 values end with "="
_JSON_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"')


def mask_value(value: str) -> str:
    """A secret header's value: ``Bearer abc`` -> ``Bearer ****``, else ``****``.

    What is not a secret stays readable, because it is the likely cause of a 401: an empty credential
    (``Bearer <empty>``) and an unresolved variable (``Bearer {{token}} (unresolved)``).
    """
    match = _SCHEME_VALUE.match(value)
    scheme, credential = (match.group(0), value[match.end() :]) if match else ("", value)
    if not credential.strip():
        return scheme + EMPTY
    if _PLACEHOLDER.fullmatch(credential.strip()):
        return value + UNRESOLVED
    return scheme + MASK


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
    """A form field's value, masked when its name says it is a secret (not when empty or unresolved)."""
    if show_secrets or not value or not is_secret_name(name) or _PLACEHOLDER.fullmatch(value.strip()):
        return value
    return MASK


def mask_json_fields(text: str) -> str:
    """String values of secret-named keys in JSON text (``"password": "x"``, ``"refresh_token": ...``) masked
    where they are, the text otherwise unchanged (formatting kept: it is what was sent or received)."""
    if '"' not in text or ":" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        key, colon, value = match.group(1), match.group(2), match.group(3)
        if not is_secret_name(key) or mask_field(key, value) == value:
            return match.group(0)
        return f'"{key}"{colon}"{MASK}"'

    return _JSON_PAIR.sub(one, text)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Known secret values masked where they appear as a whole token (an echo of the token in a response
    body); values too short or too common to be told from other text are left (see ``MIN_ECHOED_SECRET``)."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) < MIN_ECHOED_SECRET or _PLACEHOLDER.fullmatch(secret) or secret not in text:
            continue
        scheme = _SCHEME_VALUE.match(secret)
        replacement = (scheme.group(0) if scheme else "") + MASK
        pattern = rf"(?<!{_BEFORE_TOKEN}){re.escape(secret)}(?!{_AFTER_TOKEN})"
        text = re.sub(pattern, replacement, text)  # a scheme and asterisks: no backslash or group reference
    return text


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """A body or message as shown: secret-named JSON fields by position, then echoed secret values."""
    return redact(mask_json_fields(text), secrets)
