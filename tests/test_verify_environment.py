"""``verify --vars env``: the values the code reads, and its URL pointed at the echo server (no process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import postman_gen
from postman_gen.collection.selection import select
from postman_gen.resolution.placeholders import restore
from postman_gen.resolution.request import VarMode
from postman_gen.resolution.resolver import ResolveOptions, Values, resolve
from postman_gen.verify.environment import retarget_env, runtime_values

ECHO = "http://127.0.0.1:8"


def _env_request(tmp_path: Path, url: str, variables: dict[str, str], header: str = "x"):  # type: ignore[no-untyped-def]
    document = {
        "info": {
            "name": "c",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {
                "name": "i",
                "request": {"method": "GET", "url": url, "header": [{"key": "X-Seen", "value": header}]},
            }
        ],
        "variable": [{"key": k, "value": v} for k, v in variables.items()],
    }
    source = tmp_path / "c.postman_collection.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    collection = postman_gen.load(source)
    (selected,) = select(collection)
    options = ResolveOptions(mode=VarMode.ENV, seed=1)
    request = resolve(collection, selected.folders, selected.item, Values(), options)
    inline = ResolveOptions(seed=1)
    return request, runtime_values(collection, selected, Values(), inline, request)


def _sent_url(request, env: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """The URL the code builds: each placeholder replaced by the value of its environment variable."""
    text = restore(request.url, request.placeholders)
    for p in request.placeholders:
        text = text.replace(p.literal, env[p.env_name])
    return text


@pytest.mark.parametrize(
    ("url", "variables", "sent"),
    [
        ("{{base}}/users/{{id}}?q=1", {"base": "https://api.example.com", "id": "7"}, "/users/7?q=1"),
        ("https://{{host}}/v1/x", {"host": "api.example.com:8443"}, "/v1/x"),
        ("{{base}}/users", {"base": "https://api.example.com/v2"}, "/v2/users"),
        ("https://api.example.com/{{path}}", {"path": "a/b"}, "/a/b"),
    ],
)
def test_the_origin_is_replaced_wherever_it_is_written(
    tmp_path: Path, url: str, variables: dict[str, str], sent: str
) -> None:
    request, env = _env_request(tmp_path, url, variables)
    moved = retarget_env(request, env, ECHO)
    assert moved is not None
    assert _sent_url(*moved) == ECHO + sent


def test_a_variable_holding_origin_and_path_read_elsewhere_cannot_be_moved(tmp_path: Path) -> None:
    """Changing the variable would change the header that reads it too: refused, not mis-compared."""
    request, env = _env_request(tmp_path, "{{base}}/users", {"base": "https://h.example/v2"}, "{{base}}")
    assert retarget_env(request, env, ECHO) is None


def test_runtime_values_are_the_inline_values(tmp_path: Path) -> None:
    request, env = _env_request(tmp_path, "{{base}}/u", {"base": "https://{{h}}", "h": "x.example"})
    assert env == {"BASE": "https://x.example"}
