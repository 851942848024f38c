"""A resolved request as text, the way it goes on the wire (``show``, ``run --dry-run``, ``run -v``).

Like ``http --offline``: request line, Host, the headers in order, a blank line, the body. Secrets are
masked unless asked for; binary and file bodies are summarised rather than dumped.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

from postman_gen.resolution.request import FileBody, MultipartBody, ResolvedRequest
from postman_gen.views.masking import header_value, mask_url
from postman_gen.views.preview import SHOW_BODY_LIMIT, body_length, body_preview


def missing_files(request: ResolvedRequest) -> tuple[str, ...]:
    """Why ``run`` will refuse this request: each body file or file part whose file cannot be found.

    ``run`` fails such a request as bad input (exit 2) where Newman warns and sends an empty part or body;
    ``show`` says so beforehand (docs/replay.md).
    """
    body = request.body
    if isinstance(body, FileBody) and not os.path.isfile(body.path):
        return (f"body file {body.path} does not exist: run will not send this request",)
    if isinstance(body, MultipartBody):
        return tuple(
            f"file {part.file_path} of part {part.name!r} does not exist: run will not send this request"
            for part in body.parts
            if part.is_file and part.file_path and not os.path.isfile(part.file_path)
        )
    return ()


def request_text(
    request: ResolvedRequest,
    *,
    show_secrets: bool = False,
    headers: Sequence[tuple[str, str]] | None = None,
) -> str:
    """``headers``: the (masked) headers as actually sent, client-added ones included (``run -v``); without
    them the request's own, with the framing headers the client will add."""
    masked = mask_url(request.url, request.auth, show_secrets)
    # The request target of the masked URL (path and query); a URL without a host (an empty base-URL
    # variable) has one too, so it is taken from the URL's parts, never by splitting at the host.
    target_path = request.target if masked == request.url else replace(request, url=masked).target
    lines = [f"{request.method} {target_path} HTTP/1.1"]
    if request.header("Host") is None:
        lines.append(f"Host: {request.netloc}")
    if headers is not None:
        lines += [f"{name}: {value}" for name, value in headers if name.lower() != "host"]
    else:
        lines += [f"{h.name}: {header_value(h, show_secrets)}" for h in request.headers]
        if isinstance(request.body, MultipartBody):
            lines.append("Content-Type: multipart/form-data; boundary=<chosen when sent>")
        length = body_length(request)
        if length is not None and request.header("Content-Length") is None:
            lines.append(f"Content-Length: {length}")
    if request.auth is not None and request.auth.computed:
        lines.append(f"# {request.auth.type} auth is computed when the request is sent")
    head = "\n".join(lines) + "\n"
    body = body_preview(request, show_secrets=show_secrets, limit=SHOW_BODY_LIMIT)
    return head + ("\n" + body if body is not None else "")
