"""The suite's own promise: nothing it runs reaches beyond loopback."""

from __future__ import annotations

import os
import socket

import pytest


def test_name_lookups_beyond_loopback_fail() -> None:
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.com", 80)
    assert socket.getaddrinfo("127.0.0.1", 80)


def test_connections_beyond_loopback_fail() -> None:
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("192.0.2.1", 80))  # TEST-NET-1: refused before any packet leaves


def test_child_processes_get_a_closed_proxy() -> None:
    assert os.environ["HTTPS_PROXY"].startswith("http://127.0.0.1:")
    assert "127.0.0.1" in os.environ["NO_PROXY"]
