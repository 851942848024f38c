"""Downloading a collection or environment given as an http(s) URL (``run https://.../c.json``, as Newman).

The download is bounded (size and time), follows redirects, honours the proxy variables, and any failure
is one line of bad input naming the URL (exit 2), with a hint when the machine is offline.
"""

from __future__ import annotations

import requests

from postman_gen.errors import InputError
from postman_gen.replay.transport import classify

TIMEOUT_S = 30.0


def fetch(url: str, *, max_bytes: int, timeout_s: float = TIMEOUT_S) -> bytes:
    """The body ``url`` answers with (status 200), at most ``max_bytes``; else an ``InputError``."""
    try:
        with requests.get(url, timeout=timeout_s, stream=True, headers={"Accept": "application/json"}) as r:
            if r.status_code != 200:
                raise InputError(f"cannot download: the server answered {r.status_code} {r.reason}", file=url)
            data = bytearray()
            for chunk in r.iter_content(64 * 1024):
                data += chunk
                if len(data) > max_bytes:
                    raise InputError(f"cannot download: larger than {max_bytes} bytes", file=url)
            return bytes(data)
    except requests.RequestException as exc:
        reason = classify(exc, timeout_s * 1000).message
        hint = " (offline? download it and pass the file instead)" if _offline(exc) else ""
        raise InputError(f"cannot download: {reason}{hint}", file=url) from None


def _offline(exc: requests.RequestException) -> bool:
    return isinstance(exc, (requests.ConnectionError, requests.Timeout))
