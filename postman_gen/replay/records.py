"""Turning what was sent and received into the bounded, masked records reporters consume."""

from __future__ import annotations

import base64
from dataclasses import replace

from postman_gen.replay.config import DEFAULT_BODY_LIMIT
from postman_gen.replay.outcome import ReceivedResponse, SentRequest, TestRecord
from postman_gen.replay.transport import Response
from postman_gen.resolution.auth_kinds import secret_params
from postman_gen.resolution.request import (
    SECRET_HEADER_NAMES,
    Header,
    HeaderOrigin,
    ResolvedRequest,
)
from postman_gen.resolution.resolver import Values
from postman_gen.views.masking import (
    MASK,
    header_value,
    is_secret_name,
    mask_text,
    mask_url,
    mask_value,
    redact,
)
from postman_gen.views.preview import body_length, body_preview

_SECRET_RESPONSE_HEADERS = frozenset(
    {"set-cookie", "authorization", "www-authenticate", "proxy-authenticate"}
)


def secrets_of(request: ResolvedRequest) -> tuple[str, ...]:
    """The secret values a request carries (auth headers, secret-named headers, auth parameters), longest
    first, so that an echo of them in a response body can be masked too."""
    found: set[str] = set()
    for h in request.headers:
        masked = header_value(h, False)
        if masked != h.value and masked.endswith(MASK):  # not an empty or unresolved credential
            scheme = masked[: -len(MASK)]
            found.add(h.value[len(scheme) :] if h.value.startswith(scheme) else h.value)
            found.add(h.value)  # "Bearer true": distinctive even when the bare credential is not
    if request.auth is not None:
        secret = secret_params(request.auth.type)
        found.update(v for k, v in request.auth.params if k in secret or is_secret_name(k))
    return tuple(sorted(found, key=len, reverse=True))


def value_secrets(values: Values) -> tuple[str, ...]:
    """Environment and globals values that are secrets: ``type: secret``, or named like one (``apiKey``)."""
    return tuple(
        v.value
        for v in (*values.globals, *values.environment)
        if v.value and not v.disabled and (v.type == "secret" or is_secret_name(v.key))
    )


def mask_test(test: TestRecord, secrets: tuple[str, ...]) -> TestRecord:
    """A ``pm.test`` whose name or assertion message shows a secret value (``expected 'abc…' to equal``)."""
    if not secrets:
        return test
    error = redact(test.error, secrets) if test.error else test.error
    return replace(test, name=redact(test.name, secrets), error=error)


def sent_headers(
    request: ResolvedRequest, response: Response | None, show_secrets: bool
) -> tuple[tuple[str, str], ...]:
    """The headers as sent when the response tells them (the client's User-Agent, Accept, Accept-Encoding,
    Connection and the framing ones included), else as resolved; masked by the request's own secret names."""
    if response is None or not response.sent_headers:
        return tuple((h.name, header_value(h, show_secrets)) for h in request.headers)
    secret = {h.name.lower() for h in request.headers if h.secret}
    return tuple(
        (
            name,
            header_value(
                Header(name, value, HeaderOrigin.AUTH if name.lower() in secret else HeaderOrigin.REQUEST),
                show_secrets,
            ),
        )
        for name, value in response.sent_headers
    )


def sent_request(
    request: ResolvedRequest,
    show_secrets: bool,
    limit: int = DEFAULT_BODY_LIMIT,
    response: Response | None = None,
) -> SentRequest:
    return SentRequest(
        method=request.method,
        url=mask_url(request.url, request.auth, show_secrets),
        headers=sent_headers(request, response, show_secrets),
        body=body_preview(request, show_secrets=show_secrets, limit=limit),
        body_size=body_length(request),
    )


def _response_header(name: str, value: str, show_secrets: bool) -> str:
    lower = name.lower()
    if show_secrets or (lower not in _SECRET_RESPONSE_HEADERS and lower not in SECRET_HEADER_NAMES):
        return value
    if lower == "set-cookie":
        cookie, sep, attributes = value.partition(";")
        key, _, _ = cookie.partition("=")
        return f"{key}=****{sep}{attributes}"
    return value if lower.endswith("authenticate") else mask_value(value)


def received_response(
    response: Response, show_secrets: bool, limit: int = DEFAULT_BODY_LIMIT, secrets: tuple[str, ...] = ()
) -> ReceivedResponse:
    """The response with its body cut at ``limit`` bytes: text when it is UTF-8, else base64."""
    data = response.body[:limit]
    truncated = len(response.body) > limit
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(data) - 3:  # a character cut in half at the limit
            text, encoding = data[: exc.start].decode("utf-8"), "utf-8"
        else:
            text, encoding = base64.b64encode(data).decode("ascii"), "base64"
    if not show_secrets and encoding == "utf-8":
        text = mask_text(text, secrets)
    return ReceivedResponse(
        status=response.status,
        reason=response.reason,
        headers=tuple((k, _response_header(k, v, show_secrets)) for k, v in response.headers),
        body=text,
        body_encoding=encoding,
        body_truncated=truncated,
        size=response.wire_size,
        http_version=response.http_version,
        timings=response.timings.as_dict(),
    )
