"""Shared test settings: paths, the corpus, and ``--update-goldens``."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = ROOT / "collections"
CORPUS = Path(os.environ.get("POSTMAN_GEN_CORPUS", ROOT.parent / "shared" / "corpus"))


# ----------------------------------------------------------------------------- hypothesis
# On a developer's machine property tests draw new examples each run, to find new bugs; in CI (CI=true)
# they draw the same examples every run, so that a red CI names a change, not a lucky draw. A failure
# found locally is a bug to fix and to pin with an explicit example, never a run to repeat.
# No deadline anywhere: hypothesis's default 200 ms per example is a wall-clock assert, which a busy
# machine fails for no fault of the code.
settings.register_profile("local", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "local")


# ----------------------------------------------------------------------------- loopback only
# Tests must never send traffic beyond this machine. In this process, name lookups and connections to
# anything but loopback fail at once; child processes (generated code, curl, node) get proxy variables
# that point at a closed loopback port, so a stray non-loopback URL fails instead of leaving the machine.

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_CLOSED_PROXY = "http://127.0.0.1:9"  # discard port: nothing listens


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if host is not None and not _is_loopback(host.decode() if isinstance(host, bytes) else host):
        raise socket.gaierror(socket.EAI_NONAME, f"tests may only reach loopback, not {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def _check_address(address: object) -> None:
    if isinstance(address, tuple) and address and not _is_loopback(address[0]):
        raise ConnectionRefusedError(f"tests may only connect to loopback, not {address[0]!r}")


def _guarded_connect(self, address):  # type: ignore[no-untyped-def]
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):  # type: ignore[no-untyped-def]
    _check_address(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def loopback_only() -> Iterator[None]:
    saved = {
        k: os.environ.get(k)
        for k in (
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "http_proxy",
            "https_proxy",
            "ALL_PROXY",
            "NO_PROXY",
            "no_proxy",
        )
    }
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        os.environ[key] = _CLOSED_PROXY
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,::1"
    socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.getaddrinfo = _real_getaddrinfo
        socket.socket.connect = _real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.needs_extra("auth")``: skip, naming the extra, when it is not installed."""
    from tests.extras import missing, skip_reason

    for mark in item.iter_markers("needs_extra"):
        gone = missing(*mark.args)
        if gone:
            pytest.skip(skip_reason(mark.args[0], gone))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite golden files (resolved requests, generated code) from the current output.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not present at {CORPUS}")
    return CORPUS


def corpus_collections() -> list[Path]:
    """Every v2 collection of the corpus (the v1 one excluded); empty when the corpus is absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*.postman_collection.json") if "-v1." not in p.name)
