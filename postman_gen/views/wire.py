"""A resolved request as text, the way it goes on the wire (``show``, ``run --dry-run``, ``run -v``).

Like ``http --offline``: request line, Host, the headers in order, a blank line, the body. Secrets are
masked unless asked for; binary and file bodies are summarised rather than dumped.
"""

from __future__ import annotations

import os

from postman_gen.resolution.request import FileBody, FormBody, MultipartBody, NoBody, RawBody, ResolvedRequest
from postman_gen.resolution.urls import encode_form
from postman_gen.views.masking import MASK, header_value, mask_field, mask_url

BODY_PREVIEW_LIMIT = 1_000_000  # characters of a text body shown before it is cut


def body_length(request: ResolvedRequest) -> int | None:
    """Content-Length as the client will send it, when known before sending (not for multipart)."""
    body = request.body
    if isinstance(body, (RawBody, FormBody)):
        return len(body.data)
    if isinstance(body, FileBody):
        try:
            return os.path.getsize(body.path)
        except OSError:
            return None
    return None


def request_text(request: ResolvedRequest, *, show_secrets: bool = False) -> str:
    target = mask_url(request.url, request.auth, show_secrets)
    target_path = target.split(request.netloc, 1)[1] if request.netloc in target else request.target
    lines = [f"{request.method} {target_path or '/'} HTTP/1.1"]
    if request.header("Host") is None:
        lines.append(f"Host: {request.netloc}")
    for h in request.headers:
        lines.append(f"{h.name}: {header_value(h, show_secrets)}")
    if isinstance(request.body, MultipartBody):
        lines.append("Content-Type: multipart/form-data; boundary=<chosen when sent>")
    length = body_length(request)
    if length is not None and request.header("Content-Length") is None:
        lines.append(f"Content-Length: {length}")
    if request.auth is not None and request.auth.computed:
        lines.append(f"# {request.auth.type} auth is computed when the request is sent")
    head = "\n".join(lines) + "\n"
    body = _body_text(request, show_secrets)
    return head + ("\n" + body if body is not None else "")


def _body_text(request: ResolvedRequest, show_secrets: bool) -> str | None:
    body = request.body
    if isinstance(body, NoBody):
        return None
    if isinstance(body, RawBody):
        text = body.text
        return (
            text
            if len(text) <= BODY_PREVIEW_LIMIT
            else text[:BODY_PREVIEW_LIMIT] + f"\n[... {len(text)} chars]"
        )
    if isinstance(body, FormBody):
        if show_secrets:
            return body.encoded
        return "&".join(
            encode_form([(k, v)]) if mask_field(k, v) == v else encode_form([(k, "")]) + MASK
            for k, v in body.fields
        )
    if isinstance(body, FileBody):
        size = body_length(request)
        return f"[file {body.path}, {size if size is not None else 'missing'} bytes]"
    lines = []
    for part in body.parts:
        kind = f"; type={part.content_type}" if part.content_type else ""
        if part.is_file:
            lines.append(f"[part {part.name!r}: file {part.file_path}{kind}]")
        else:
            lines.append(
                f"[part {part.name!r}{kind}] {mask_field(part.name, part.value or '', show_secrets)}"
            )
    return "\n".join(lines)
