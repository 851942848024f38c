"""A request body as people read it: in ``show``, ``run -v`` and every report, the same text.

A text body as it is, cut at a limit; form fields encoded as sent, with a secret field's value replaced by
the mask (``password=****``, readable, not percent-encoded); a file body and file parts named by their path
with the size rather than dumped; other multipart parts one line each.
"""

from __future__ import annotations

import os

from postman_gen.resolution.request import FileBody, FormBody, MultipartBody, RawBody, ResolvedRequest
from postman_gen.resolution.urls import encode_form
from postman_gen.views.masking import MASK, mask_field, mask_text

SHOW_BODY_LIMIT = 1_000_000  # characters of a text body that ``show`` and ``run -v`` print before cutting


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


def body_preview(request: ResolvedRequest, *, show_secrets: bool, limit: int) -> str | None:
    """The body of ``request`` as text of at most ``limit`` characters (plus a note); None without a body."""
    body = request.body
    if isinstance(body, RawBody):
        return _cut(body.text if show_secrets else mask_text(body.text), limit)
    if isinstance(body, FormBody):
        if show_secrets:
            return _cut(body.encoded, limit)
        fields = (
            encode_form([(k, v)]) if mask_field(k, v) == v else encode_form([(k, "")]) + MASK
            for k, v in body.fields
        )
        return _cut("&".join(fields), limit)
    if isinstance(body, FileBody):
        size = body_length(request)
        return f"[file {body.path}, {size if size is not None else 'missing'} bytes]"
    if isinstance(body, MultipartBody):
        lines = []
        for part in body.parts:
            kind = f"; type={part.content_type}" if part.content_type else ""
            if part.is_file:
                lines.append(f"[part {part.name!r}: file {part.file_path}{kind}]")
            else:
                lines.append(
                    f"[part {part.name!r}{kind}] {mask_field(part.name, part.value or '', show_secrets)}"
                )
        return _cut("\n".join(lines), limit)
    return None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n[... {len(text)} characters in all]"
