"""Scopes and ``{{name}}`` substitution."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postman_gen.collection.model import Variable
from postman_gen.errors import ResolveError
from postman_gen.resolution.dynamic import DynamicValues
from postman_gen.resolution.placeholders import PlaceholderKind, restore, split
from postman_gen.resolution.request import VarMode
from postman_gen.resolution.variables import Scope, Scopes, Substitutor


def sub(layers: dict[str, dict[str, str]], **kw: object) -> Substitutor:
    return Substitutor(Scopes(tuple(Scope(n, v) for n, v in layers.items())), **kw)  # type: ignore[arg-type]


def test_precedence_highest_layer_wins() -> None:
    s = sub({"globals": {"a": "g", "b": "g"}, "collection": {"a": "c"}, "cli": {"b": "cli"}})
    assert s("{{a}}-{{b}}", "x") == "c-cli"


def test_disabled_variables_are_ignored() -> None:
    scope = Scope.of("environment", [Variable("a", "on"), Variable("b", "off", disabled=True)])
    assert scope.values == {"a": "on"}


def test_nested_values_resolve() -> None:
    s = sub(
        {
            "env": {
                "url": "{{scheme}}://{{host}}",
                "scheme": "https",
                "host": "{{name}}.example",
                "name": "api",
            }
        }
    )
    assert s("{{url}}/v1", "x") == "https://api.example/v1"


def test_composed_names_resolve_innermost_first() -> None:
    s = sub({"env": {"stage": "prod", "host_prod": "p.example"}})
    assert s("{{host_{{stage}}}}", "x") == "p.example"


def test_cycle_is_an_error_naming_the_variable() -> None:
    s = sub({"env": {"a": "{{b}}", "b": "{{a}}"}})
    with pytest.raises(ResolveError, match=r"\{\{a\}\}|\{\{b\}\}"):
        s("{{a}}", "item[0].request.url")


def test_many_uses_of_one_variable_are_not_a_cycle() -> None:
    s = sub({"env": {"a": "x"}})
    assert s("{{a}}" * 50, "x") == "x" * 50


def test_unknown_is_kept_and_warned_once_per_place() -> None:
    s = sub({"env": {}}, file="f.json")
    assert s("{{nope}} {{nope}}", "item[1].request.header[0]") == "{{nope}} {{nope}}"
    s("{{nope}}", "item[1].request.header[0]")
    assert len(s.warnings) == 1
    assert "nope" in s.warnings[0].message and s.warnings[0].where == "item[1].request.header[0]"


def test_strict_makes_unknown_an_error() -> None:
    with pytest.raises(ResolveError, match="nope"):
        sub({"env": {}}, strict=True)("{{nope}}", "x")


def test_dynamic_variables_are_fresh_per_occurrence_and_seeded() -> None:
    a = sub({}, dynamic=DynamicValues(seed=1))("{{$guid}} {{$guid}}", "x")
    b = sub({}, dynamic=DynamicValues(seed=1))("{{$guid}} {{$guid}}", "x")
    first, second = a.split()
    assert a == b and first != second and len(first) == 36


def test_a_defined_variable_shadows_a_dynamic_one() -> None:
    assert sub({"env": {"$guid": "mine"}})("{{$guid}}", "x") == "mine"


def test_symbolic_modes_make_placeholders() -> None:
    s = sub({"env": {"host": "h"}}, mode=VarMode.ENV)
    text = s("https://{{host}}/{{$guid}}/{{host}}", "x")
    parts = split(text, tuple(s.placeholders))
    assert [p if isinstance(p, str) else (p.kind, p.env_name) for p in parts] == [
        "https://",
        (PlaceholderKind.VARIABLE, "HOST"),
        "/",
        (PlaceholderKind.DYNAMIC, "GUID"),
        "/",
        (PlaceholderKind.VARIABLE, "HOST"),
    ]
    assert restore(text, tuple(s.placeholders)) == "https://{{host}}/{{$guid}}/{{host}}"


def test_env_names_do_not_collide() -> None:
    s = sub({}, mode=VarMode.ENV)
    s("{{api-key}} {{api_key}}", "x")
    assert [p.env_name for p in s.placeholders] == ["API_KEY", "API_KEY_2"]


names = st.text(
    alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), min_size=1, max_size=12
)
values = st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=20)


@given(st.dictionaries(names, values, max_size=5), st.lists(st.one_of(names, values), max_size=6))
def test_substitution_matches_a_plain_lookup(table: dict[str, str], pieces: list[str]) -> None:
    """Without nesting, substitution is a plain lookup; unknown references stay as written."""
    text = "".join("{{" + p + "}}" if i % 2 == 0 else p for i, p in enumerate(pieces))
    expected = "".join(
        (table.get(p, "{{" + p + "}}") if not p.startswith("$") or p in table else None) or ""
        if i % 2 == 0
        else p
        for i, p in enumerate(pieces)
    )
    if any(p.startswith("$") and p not in table for i, p in enumerate(pieces) if i % 2 == 0):
        return  # dynamic names draw fresh values; covered above
    assert sub({"env": table})(text, "x") == expected


@given(values)
def test_text_without_references_is_unchanged(text: str) -> None:
    assert sub({"env": {"a": "b"}})(text, "x") == text
