"""The Jinja shortcuts of render/jinja_speed.py render exactly what stock Jinja renders.

On a Jinja upgrade, this is the test to read: each case uses one of the internals the module relies on.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import jinja2
import pytest

from postman_gen.render import jinja_speed

SYNTAX = {"autoescape": False, "keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True}

TEMPLATES = {
    "main.jinja": """\
{% import "macros.jinja" as m %}
{% set local = "top" %}
{% for h in headers | selectattr("on") | map(attribute="name") | unique %}
{{ loop.index }} {{ m.line(h) }} {{ shout(h) }} {{ tag(h) }} {{ obj.method(h) }} {{ part(h) }}
{% endfor %}
{% include "part.jinja" %}
{{ headers | map(attribute="name") | join(",") }} {{ (headers | first).name }} {{ [3, 1] | sum }}
{% for key, group in headers | groupby("on") %}{{ key }}={{ group | list | length }};{% endfor %}

{{ stop() is defined }} {{ len(headers) }} {{ opts.timeout }} {{ opts["items"] }} {{ local }} {{ whose() }}
{% block body %}{{ shout("block") }}{% endblock %}
""",
    "macros.jinja": "{% macro line(x) %}<{{ x }}>{% endmacro %}",
    "part.jinja": "included {{ shout(local) }}",
}


class _Obj:
    def method(self, x: str) -> str:
        return x[::-1]


def _stop() -> None:
    raise StopIteration


@jinja2.pass_context
def _whose(context: Any) -> str:
    return f"{jinja_speed.context_value(context, 'local')}/{context['local']}"


def _globals() -> dict[str, Any]:
    return {
        "shout": str.upper,
        "tag": lambda x: f"#{x}",
        "obj": _Obj(),
        "part": functools.partial("{}!".format),
        "stop": _stop,
        "len": len,
        "whose": _whose,
    }


def _render(env: jinja2.Environment) -> str:
    env.globals.update(_globals())
    headers = [{"name": "a", "on": True}, {"name": "b", "on": False}, {"name": "a", "on": True}]
    opts = jinja_speed.AttrDict({"timeout": 5, "items": "kept"})
    return env.get_template("main.jinja").render(headers=headers, opts=opts)


def test_the_tuned_environment_renders_what_stock_jinja_renders() -> None:
    loader = jinja2.DictLoader(TEMPLATES)
    stock = jinja2.Environment(loader=loader, undefined=jinja2.StrictUndefined, **SYNTAX)
    expected = _render(stock)
    assert "1 <a> A #a a a!" in expected and "False" in expected and "top/top" in expected
    assert _render(jinja_speed.environment(loader, SYNTAX)) == expected


def test_a_template_is_loaded_once_per_name() -> None:
    env = jinja_speed.environment(jinja2.DictLoader(TEMPLATES), SYNTAX)
    assert env.get_template("part.jinja") is env.get_template("part.jinja")
    with_globals = env.get_template("part.jinja", globals={"shout": str.lower})
    assert with_globals.render(local="X") == "included x"


def test_compiled_templates_are_reused_from_disk_and_a_bad_entry_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, text in TEMPLATES.items():
        (folder / name).write_text(text, encoding="utf-8")

    def fresh() -> jinja2.Environment:
        env = jinja_speed.environment(jinja2.FileSystemLoader(str(folder)), SYNTAX)
        env.globals.update(_globals())
        jinja_speed.attach_bytecode_cache(env, SYNTAX)
        return env

    first = _render(fresh())
    entries = list((tmp_path / "cache" / "postman-gen").glob("templates-*/*"))
    assert len(entries) == len(TEMPLATES)
    assert _render(fresh()) == first
    for entry in entries:
        entry.write_bytes(b"not a cache entry")
    assert _render(fresh()) == first


def test_an_unusable_cache_folder_only_means_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    env = jinja_speed.environment(jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), SYNTAX)
    jinja_speed.attach_bytecode_cache(env, SYNTAX)
    assert env.get_template("t").render() == "2"
    assert not os.path.isdir(blocker)


def test_attr_dict_keeps_dict_methods() -> None:
    d = jinja_speed.AttrDict({"timeout": 5, "items": "x"})
    assert (
        d.timeout == 5 and d["items"] == "x" and callable(d.items) and dict(d) == {"timeout": 5, "items": "x"}
    )
