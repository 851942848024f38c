"""One JS context serves request after request (js/96_reuse.js), and each request still starts clean.

What a request's scripts leave behind — globals, changes to built-ins, writes to the sandbox's own objects,
library counters — is gone for the next request; what cannot be undone costs a fresh context instead.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.extras import require

require("scripts")

from postman_gen.scripts.engine import ScriptEngine  # noqa: E402
from postman_gen.scripts.model import Scopes, ScriptRequest, ScriptResponse  # noqa: E402

RESPONSE = ScriptResponse(200, "OK", [("Content-Type", "application/json")], b'{"id": 1}', 3.0, 9)


def _request(engine: ScriptEngine, *sources: str) -> list[Any]:
    """One request: reset, then its scripts in the one context."""
    engine.reset()
    return [
        engine.run(
            source,
            event="test",
            item_name="x",
            scopes=Scopes(),
            request=ScriptRequest("GET", "http://a/"),
            response=RESPONSE,
        )
        for source in sources
    ]


def _passes(engine: ScriptEngine, check: str) -> bool:
    outcome = _request(engine, f"pm.test('check', () => {{ {check} }});")[0]
    assert outcome.error is None, outcome.error
    return outcome.tests[0].passed


def test_the_context_is_kept_from_one_request_to_the_next() -> None:
    engine = ScriptEngine()
    _request(engine, "pm.test('a', () => {});")
    kept = engine._live
    _request(engine, "pm.test('b', () => {});")
    assert kept is not None and engine._live is kept


def test_a_global_a_script_created_serves_its_request_and_is_gone_for_the_next() -> None:
    engine = ScriptEngine()
    first = _request(engine, "helper = () => 'here'; globalThis.other = 1;", "pm.test('t', () => helper());")
    assert first[1].tests[0].passed
    assert _passes(engine, "pm.expect(typeof helper + typeof other).to.equal('undefinedundefined');")


def test_globals_declared_through_indirect_eval_are_gone_for_the_next_request() -> None:
    """``var`` and function declarations in global eval code make global properties (``let`` stays inside)."""
    engine = ScriptEngine()
    _request(engine, "(0, eval)('var viaEval = 1; function fnViaEval() {} let lexical = 1;');")
    assert _passes(engine, "pm.expect(typeof viaEval + typeof fnViaEval).to.equal('undefinedundefined');")
    assert _passes(engine, "(0, eval)('let lexical = 2;'); pm.expect(typeof lexical).to.equal('undefined');")


SANDBOX_GLOBALS = [
    "atob = null; btoa = null; CryptoJS = null; _ = null; xml2Json = null;",
    "delete globalThis.atob; delete globalThis.CryptoJS;",
    "Object.defineProperty(globalThis, 'btoa', { get: () => 1 });",
]


@pytest.mark.parametrize("damage", SANDBOX_GLOBALS)
def test_a_sandbox_global_a_script_replaced_or_deleted_is_back(damage: str) -> None:
    engine = ScriptEngine()
    _request(engine, damage)
    check = "pm.expect(btoa('a') + atob('YQ==') + CryptoJS.MD5('').toString().length).to.equal('YQ==a32');"
    assert _passes(engine, check)
    assert _passes(engine, "pm.expect(_.uniq([1, 1]).length + xml2Json('<a>1</a>').a).to.equal('11');")


WRITES = [
    "_.extra = 1; CryptoJS.extra = 1; pm.expect.extra = 1;",
    "Object.getPrototypeOf(pm.request).extra = 1; Object.getPrototypeOf(pm.response).extra = 1;",
    "Object.getPrototypeOf(pm.environment).extra = 1; Object.getPrototypeOf(pm.expect(1)).extra = 1;",
    "require('moment').fn.extra = 1; Object.getPrototypeOf(require('moment')()).extra = 1;",
    "__pg.extra = 1; __pg.begin = null; __pg.finish = null;",
]


@pytest.mark.parametrize("write", WRITES)
def test_the_sandbox_objects_are_frozen_so_no_request_changes_them_for_the_next(write: str) -> None:
    engine = ScriptEngine()
    outcome = _request(engine, write + " pm.test('own', () => {});")[0]
    assert outcome.error is None and outcome.tests[0].passed  # sloppy-mode writes are ignored
    strict = _request(engine, "'use strict'; _.extra = 1;")[0]
    assert strict.error is not None and strict.error.name == "TypeError"
    places = ("_", "CryptoJS", "pm.expect", "pm.request", "pm.response", "pm.environment", "pm.expect(1)")
    for where in places:
        assert _passes(engine, f"pm.expect({where}.extra).to.equal(undefined);"), where
    assert _passes(engine, "pm.expect(require('moment')().extra).to.equal(undefined);")


def test_built_ins_a_script_changed_after_its_results_were_collected_are_restored() -> None:
    """A getter in a variable's value runs while the bridge hands the variables back, after the guard."""
    engine = ScriptEngine()
    _request(engine, "pm.environment.set('v', { get x() { Array.prototype.extra = 1; return 1; } });")
    assert _passes(engine, "pm.expect([].extra).to.equal(undefined);")


def test_lodash_unique_ids_count_from_one_in_every_request() -> None:
    engine = ScriptEngine()
    _request(engine, "_.uniqueId(); _.uniqueId();")
    assert _passes(engine, "pm.expect(_.uniqueId('id')).to.equal('id1');")


UNDOABLE = [
    "Object.defineProperty(globalThis, 'stuck', { value: 1 });",
    "Object.preventExtensions(Array.prototype);",
    "Object.preventExtensions(globalThis);",
]


@pytest.mark.parametrize("damage", UNDOABLE)
def test_what_cannot_be_undone_costs_a_fresh_context(damage: str) -> None:
    engine = ScriptEngine()
    outcome = _request(engine, damage + " pm.test('own', () => {});")[0]
    assert outcome.error is None and outcome.tests[0].passed
    kept = engine._live
    assert _passes(engine, "pm.expect(typeof stuck).to.equal('undefined'); [].extra = 1;")
    extensible = "Object.isExtensible(Array.prototype) && Object.isExtensible(globalThis)"
    assert _passes(engine, f"pm.expect({extensible}).to.be.true;")
    assert engine._live is not kept


@pytest.mark.parametrize(
    "escape",
    [
        '}, "guess"); let leaked = 1; __pg.invoke(async function () {',
        "}); const leaked = 1; (function () {",
        "}, (() => { throw new Error('x'); })()); let leaked = 1; (function () {",
    ],
)
def test_a_script_that_closes_its_wrapper_costs_a_fresh_context(escape: str) -> None:
    """Code outside the wrapper can make a top-level ``let`` no scrub can delete: the binding serves the rest
    of its request's scripts, and the next request gets a fresh context, where it does not exist."""
    engine = ScriptEngine()
    _request(engine, escape)
    kept = engine._live
    assert _passes(engine, "pm.expect(typeof leaked).to.equal('undefined');")
    assert engine._live is not kept


def test_an_ordinary_script_keeps_its_context_with_its_wrapper_intact() -> None:
    """Braces, strings and comments that look like the wrapper's end do not count as leaving it."""
    engine = ScriptEngine()
    _request(engine, "const s = '}, \"x\")'; // })\nif (true) { pm.test('t', () => {}); }\nreturn;")
    kept = engine._live
    _request(engine, "pm.test('b', () => {});")
    assert kept is not None and engine._live is kept
