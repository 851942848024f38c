"""Did what reached the server equal the resolved request? The first difference, in words, or None.

Shared by ``postman-gen verify`` and the tests (replay and code-generation fidelity): the method, the
request target byte for byte, every header of the resolved request in order (name case and value exact,
duplicates as separate lines; non-ASCII values as UTF-8 bytes), and the body bytes (multipart part by part:
name, filename, content type, data). A client may add only the headers in ``allowed_extra`` (plus those
computed auth adds).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from postman_gen.resolution.request import FileBody, FormBody, MultipartBody, RawBody, ResolvedRequest

CLIENT_EXTRA = frozenset(
    {"host", "user-agent", "accept", "accept-encoding", "connection", "content-length", "cookie"}
)
COMPUTED_AUTH_EXTRA = frozenset(
    {"authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"}
)


@dataclass(frozen=True, slots=True)
class Sent:
    """One request as it arrived: header values decoded as Latin-1, as a server reads them."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((value for key, value in self.headers if key.lower() == lower), None)


class _Differs(Exception):
    """The first difference found (its message)."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise _Differs(message)


def _wire_value(value: str) -> str:
    """A captured (latin-1 decoded) value back as the text it was sent as (UTF-8)."""
    raw = value.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return value


def _headers(
    got_headers: Sequence[tuple[str, str]], resolved: ResolvedRequest, allowed: frozenset[str], fold: bool
) -> None:
    got = [(name.lower() if fold else name, _wire_value(value)) for name, value in got_headers]
    # A header the computed auth writes (Authorization, X-Amz-Date...) is replaced when the request is
    # sent, by run as by the generated code: the collection's own value is not expected.
    computed = resolved.auth is not None and resolved.auth.computed
    want = [
        (h.name.lower() if fold else h.name, h.value.strip(" \t"))
        for h in resolved.headers
        if not (computed and h.name.lower() in COMPUTED_AUTH_EXTRA)
    ]
    multipart = isinstance(resolved.body, MultipartBody)

    def same(sent: tuple[str, str], name: str, value: str) -> bool:
        if sent == (name, value):
            return True
        # a multipart Content-Type written without boundary is completed with the one the client chose
        return (
            multipart
            and sent[0] == name
            and name.lower() == "content-type"
            and "boundary=" not in value
            and sent[1].startswith(value + "; boundary=")
        )

    position = 0
    for name, value in want:
        for i in range(position, len(got)):
            if same(got[i], name, value):
                position = i + 1
                break
        else:
            raise _Differs(f"header {name}: {value!r} missing or out of order in {got!r}")
    extras = list(got)
    for name, value in want:  # remove the expected ones (one each), what stays must be allowed
        for i, sent in enumerate(extras):
            if same(sent, name, value):
                del extras[i]
                break
    for name, value in extras:
        lower = name.lower()
        ok = lower in allowed or (
            multipart and lower == "content-type" and value.startswith("multipart/form-data")
        )
        _check(ok, f"the client added header {name}: {value!r}")


def _parts(body: bytes, content_type: str) -> list[tuple[dict[str, str], bytes]]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    _check(match is not None, f"no boundary in {content_type!r}")
    assert match is not None
    delimiter = b"--" + match.group(1).encode("ascii")
    chunks = body.split(delimiter)
    _check(chunks[-1].strip() == b"--", "multipart body does not end with the closing delimiter")
    out = []
    for chunk in chunks[1:-1]:
        _check(chunk.startswith(b"\r\n") and chunk.endswith(b"\r\n"), "malformed part framing")
        head, _, data = chunk[2:-2].partition(b"\r\n\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        out.append((headers, data))
    return out


def _disposition(value: str) -> dict[str, str]:
    return {k.lower(): v for k, v in re.findall(r';\s*([\w*]+)="([^"]*)"', value)}


def _html5_param(value: str | None) -> str | None:
    return None if value is None else value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _multipart(body: bytes, content_type: str, resolved: MultipartBody) -> None:
    parts = _parts(body, content_type)
    _check(len(parts) == len(resolved.parts), f"{len(parts)} parts sent, {len(resolved.parts)} resolved")
    for (headers, data), want in zip(parts, resolved.parts, strict=True):
        params = _disposition(headers.get("content-disposition", ""))
        # '"', CR and LF of names and filenames go as %22, %0D, %0A (HTML5; urllib3, curl, undici)
        name = _html5_param(want.name)
        _check(params.get("name") == name, f"part name {params.get('name')!r} != {name!r}")
        if want.is_file:
            assert want.file_path is not None
            with open(want.file_path, "rb") as handle:
                expected = handle.read()
        else:
            expected = (want.value or "").encode("utf-8")
        if want.is_file or want.filename is not None:  # a file part without a file: filename=""
            filename, wanted = params.get("filename"), _html5_param(want.filename)
            _check(filename == wanted, f"part {want.name!r}: filename {filename!r} != {wanted!r}")
        _check(data == expected, f"part {want.name!r}: {data[:80]!r} != {expected[:80]!r}")
        sent_type = want.sent_type  # a file's type is that of its extension when the collection has none
        if sent_type:
            got = headers.get("content-type")
            _check(got == sent_type, f"part {want.name!r} content type {got!r} != {sent_type!r}")


def expected_body(resolved: ResolvedRequest) -> bytes | None:
    """The exact body bytes, or None for multipart (compared part by part)."""
    body = resolved.body
    if isinstance(body, (RawBody, FormBody)):
        return body.data
    if isinstance(body, FileBody):
        with open(body.path, "rb") as handle:
            return handle.read()
    if isinstance(body, MultipartBody):
        return None
    return b""


def _without_oauth_params(target: str, resolved: ResolvedRequest) -> str:
    """``target`` without the ``oauth_*`` query parameters OAuth 1 adds when it signs in the URL (a fresh
    nonce and timestamp each time the request is sent, by run as by the code)."""
    auth = resolved.auth
    if auth is None or auth.type != "oauth1" or "oauth_" in resolved.target or "?" not in target:
        return target
    path, _, query = target.partition("?")
    kept = [pair for pair in query.split("&") if not pair.startswith("oauth_")]
    return path + ("?" + "&".join(kept) if kept else "")


def difference(
    sent: object,
    resolved: ResolvedRequest,
    allowed_extra: Iterable[str] = CLIENT_EXTRA,
    *,
    fold_name_case: bool = False,
) -> str | None:
    """The first way ``sent`` (a ``Sent``, or anything with its attributes) differs from ``resolved``.

    ``fold_name_case``: header names are compared without case (a target whose client lower-cases them,
    as its manifest declares with ``lowercase_header_names``).
    """
    allowed = frozenset(h.lower() for h in allowed_extra)
    if resolved.auth is not None and resolved.auth.computed:
        allowed |= COMPUTED_AUTH_EXTRA
    method: str = sent.method  # type: ignore[attr-defined]
    target: str = sent.target  # type: ignore[attr-defined]
    body: bytes = sent.body  # type: ignore[attr-defined]
    try:
        _check(method == resolved.method, f"method {method} != {resolved.method}")
        unsigned = _without_oauth_params(target, resolved)
        _check(unsigned == resolved.target, f"target {target!r} != {resolved.target!r}")
        _headers(sent.headers, resolved, allowed, fold_name_case)  # type: ignore[attr-defined]
        if isinstance(resolved.body, MultipartBody):
            _multipart(body, sent.header("Content-Type") or "", resolved.body)  # type: ignore[attr-defined]
        else:
            want = expected_body(resolved)
            _check(body == want, f"body {body[:120]!r} != {(want or b'')[:120]!r}")
    except _Differs as exc:
        return str(exc)
    return None
