"""A resolved request as plain JSON data: ``show --json``, the golden snapshots, reports.

Deterministic (stable keys and order) so that a change of output is a reviewable diff.
"""

from __future__ import annotations

import os
from typing import Any

from postman_gen.resolution.request import FileBody, FormBody, MultipartBody, RawBody, ResolvedRequest
from postman_gen.views.masking import header_value, mask_field, mask_text, mask_url


def _relative(path: str, base: str | None) -> str:
    if base is None:
        return path
    try:
        return os.path.relpath(path, base).replace(os.sep, "/")
    except ValueError:
        return path


def body_to_dict(request: ResolvedRequest, show_secrets: bool, base: str | None) -> dict[str, Any] | None:
    body = request.body
    if isinstance(body, RawBody):
        text = body.text if show_secrets else mask_text(body.text)
        return {"kind": "raw", "language": body.language, "text": text}
    if isinstance(body, FormBody):
        return {
            "kind": "urlencoded",
            "fields": [[k, mask_field(k, v, show_secrets)] for k, v in body.fields],
            "encoded": body.encoded if show_secrets else None,
        }
    if isinstance(body, MultipartBody):
        return {
            "kind": "formdata",
            "parts": [
                {
                    "name": p.name,
                    "value": None if p.is_file else mask_field(p.name, p.value or "", show_secrets),
                    "file": _relative(p.file_path, base) if p.file_path else None,
                    "filename": p.filename,
                    "content_type": p.content_type,
                }
                for p in body.parts
            ],
        }
    if isinstance(body, FileBody):
        return {"kind": "file", "path": _relative(body.path, base)}
    return None


def request_to_dict(
    request: ResolvedRequest, *, show_secrets: bool = False, base: str | None = None
) -> dict[str, Any]:
    """``base``: make file paths relative to it (snapshots must not hold machine paths)."""
    auth = None
    if request.auth is not None:
        params = {k: (v if show_secrets or not v else "****") for k, v in request.auth.params}
        auth = {
            "type": request.auth.type,
            "computed": request.auth.computed,
            "source": request.auth.source,
            "params": params,
        }
    return {
        "path": list(request.path),
        "method": request.method,
        "url": mask_url(request.url, request.auth, show_secrets),
        "headers": [[h.name, header_value(h, show_secrets), h.origin.value] for h in request.headers],
        "body": body_to_dict(request, show_secrets, base),
        "auth": auth,
        "settings": {
            k: getattr(request.settings, k)
            for k in request.settings.__slots__
            if getattr(request.settings, k) not in (None, False)
        },
        "placeholders": [[p.kind.value, p.name, p.env_name] for p in request.placeholders],
        "warnings": [d.message + (f" ({d.where})" if d.where else "") for d in request.warnings],
    }
