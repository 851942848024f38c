"""``echo --httpbin``: postman-echo's routes answered locally, so example collections run offline."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
import requests

from postman_gen.devserver.echo import EchoServer


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    with EchoServer(httpbin=True) as server:
        server.start()
        yield server.url


def test_get_has_args_as_an_object_and_headers(echo: str) -> None:
    doc = requests.get(f"{echo}/get?test=123&a=1&a=2", headers={"X-Thing": "v"}, timeout=10).json()
    assert doc["args"] == {"test": "123", "a": ["1", "2"]}
    assert doc["headers"]["x-thing"] == "v" and doc["url"] == f"{echo}/get?test=123&a=1&a=2"
    assert requests.post(f"{echo}/get", timeout=10).status_code == 405


def test_post_put_patch_delete_echo_their_body(echo: str) -> None:
    doc = requests.post(f"{echo}/post?q=1", json={"k": [1, True]}, timeout=10).json()
    assert (doc["args"], doc["json"], doc["data"], doc["form"]) == (
        {"q": "1"},
        {"k": [1, True]},
        {"k": [1, True]},
        {},
    )
    doc = requests.put(f"{echo}/put", data={"a": "1", "b": "x y"}, timeout=10).json()
    assert doc["form"] == {"a": "1", "b": "x y"} and doc["data"] == ""
    doc = requests.patch(f"{echo}/patch", data="plain text", timeout=10).json()
    assert doc["data"] == "plain text" and doc["json"] is None
    doc = requests.delete(f"{echo}/delete", files={"f": ("a.txt", b"hi", "text/plain")}, timeout=10).json()
    assert doc["files"] == {"a.txt": "data:text/plain;base64," + base64.b64encode(b"hi").decode()}


def test_status_delay_headers_cookies_and_basic_auth(echo: str) -> None:
    response = requests.get(f"{echo}/status/418", timeout=10)
    assert (response.status_code, response.json()) == (418, {"status": 418})
    assert requests.get(f"{echo}/delay/0", timeout=10).json() == {"delay": "0"}
    assert requests.get(f"{echo}/headers", headers={"A": "1"}, timeout=10).json()["headers"]["a"] == "1"
    with requests.Session() as session:
        doc = session.get(f"{echo}/cookies/set?foo=bar&n=1", timeout=10).json()
        assert doc == {"cookies": {"foo": "bar", "n": "1"}}
        assert session.get(f"{echo}/cookies/delete?foo", timeout=10).json() == {"cookies": {"n": "1"}}
    assert requests.get(f"{echo}/basic-auth", auth=("postman", "password"), timeout=10).json() == {
        "authenticated": True,
        "user": "postman",
    }
    assert requests.get(f"{echo}/basic-auth/u/p", auth=("u", "wrong"), timeout=10).status_code == 401


def test_other_paths_and_plain_mode_keep_the_echo_description(echo: str) -> None:
    assert requests.get(f"{echo}/users/1?x=1", timeout=10).json()["args"] == [["x", "1"]]
    with EchoServer() as plain:
        plain.start()
        assert requests.get(f"{plain.url}/get?x=1", timeout=10).json()["args"] == [["x", "1"]]
