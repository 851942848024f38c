"""What the Newman comparisons share: installing Newman locally, pointing collections at a local server, and
an environment in which nothing but loopback can be reached."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
NEWMAN = BENCH / "node_modules" / ".bin" / "newman"  # bench/node_modules is gitignored
ORIGIN = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?[^/?#]*")
URL_VALUE = re.compile(r"^https?://[^/?#]*")


def ensure_newman() -> bool:
    """Newman installed into bench/node_modules (npm, no package.json written); False without node/npm."""
    if NEWMAN.exists():
        return True
    if not (shutil.which("node") and shutil.which("npm")):
        print("node/npm not found: nothing to compare")
        return False
    subprocess.run(
        ["npm", "install", "--prefix", str(BENCH), "--no-save", "newman"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return NEWMAN.exists()


def local_url(url: Any, origin: str) -> Any:
    """The URL with its origin replaced by ``origin``; one starting with a variable is left to the values."""
    host, port = origin.split("//")[1].split(":")
    if isinstance(url, str):
        return url if url.lstrip().startswith("{{") else ORIGIN.sub(origin, url.strip(), count=1)
    if isinstance(url, dict):
        hosts = url.get("host")
        first = hosts[0] if isinstance(hosts, list) and hosts else hosts
        if isinstance(first, str) and first.startswith("{{"):
            return url
        url = dict(url)
        url.update(protocol="http", host=[host], port=port)
        if isinstance(url.get("raw"), str):
            url["raw"] = local_url(url["raw"], origin)
        return url
    return url


def local_values(rows: list[dict[str, Any]], origin: str) -> list[dict[str, Any]]:
    """Variables whose value is a URL, pointed at ``origin``."""
    for row in rows:
        if isinstance(row.get("value"), str):
            row["value"] = URL_VALUE.sub(origin, row["value"])
    return rows


def localise(node: Any, origin: str, *, keep_events: bool = True) -> Any:
    """A collection (or a part of it) with every request URL and URL-valued variable pointed at ``origin``."""
    if isinstance(node, list):
        return [localise(n, origin, keep_events=keep_events) for n in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: localise(v, origin, keep_events=keep_events)
        for k, v in node.items()
        if keep_events or k != "event"
    }
    for key in ("variable", "variables"):
        if isinstance(out.get(key), list):
            out[key] = local_values([v for v in out[key] if isinstance(v, dict)], origin)
    request = out.get("request")
    if isinstance(request, str):
        out["request"] = local_url(request, origin)
    elif isinstance(request, dict) and "url" in request:
        request["url"] = local_url(request["url"], origin)
    return out


@contextmanager
def loopback_only() -> Iterator[dict[str, str]]:
    """Environment variables that send every non-local request to a closed port on 127.0.0.1."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    proxy = f"http://127.0.0.1:{holder.getsockname()[1]}"
    local = "127.0.0.1,localhost"
    try:
        yield {
            **{name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")},
            **{name: local for name in ("NO_PROXY", "no_proxy")},
        }
    finally:
        holder.close()
