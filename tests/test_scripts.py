"""The script sandbox: the pm API, the chai subset, the libraries, legacy globals and safety limits."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.extras import require

require("scripts")

from postman_gen.errors import UsageError  # noqa: E402
from postman_gen.scripts import (  # noqa: E402
    UNSET,
    Scopes,
    ScriptEngine,
    ScriptOutcome,
    ScriptRequest,
    ScriptResponse,
)
from postman_gen.scripts import engine as engine_module  # noqa: E402

JSON_BODY = b'{"id": 5, "name": "Ann", "items": [{"k": 1}, {"k": 2}], "nested": {"a": {"b": true}}}'


@pytest.fixture(scope="module")
def engine() -> ScriptEngine:
    return ScriptEngine(timeout_ms=2000)


def response(body: bytes = JSON_BODY, code: int = 200, status: str = "OK", **kw: Any) -> ScriptResponse:
    headers = kw.pop("headers", [("Content-Type", "application/json"), ("X-Trace", "abc")])
    return ScriptResponse(code, status, headers, body, kw.pop("time", 42.0), len(body))


def run(
    engine: ScriptEngine,
    source: str,
    *,
    scopes: Scopes | None = None,
    request: ScriptRequest | None = None,
    resp: ScriptResponse | None = None,
    event: str = "test",
    **kw: Any,
) -> ScriptOutcome:
    return engine.run(
        source,
        event=event,  # type: ignore[arg-type]
        item_name=kw.pop("item_name", "Get thing"),
        item_path=kw.pop("item_path", "Folder/Get thing"),
        scopes=scopes if scopes is not None else Scopes(),
        request=request
        or ScriptRequest("GET", "https://api.example.com/v1/things?limit=10&q=a", [("Accept", "*/*")]),
        response=resp if resp is not None else (response() if event == "test" else None),
        iteration=kw.pop("iteration", 0),
        iteration_count=kw.pop("iteration_count", 1),
        cookies=kw.pop("cookies", [("session", "s1")]),
        **kw,
    )


def value_of(engine: ScriptEngine, expr: str, **kw: Any) -> Any:
    """Evaluate a JS expression inside a script and bring its JSON value back through a variable."""
    scopes = Scopes()
    outcome = run(engine, f"pm.environment.set('__out', JSON.stringify({expr}));", scopes=scopes, **kw)
    assert outcome.error is None, outcome.error
    return json.loads(scopes.environment["__out"])


def only_test(outcome: ScriptOutcome) -> tuple[bool, str | None]:
    assert outcome.error is None, outcome.error
    assert len(outcome.tests) == 1, outcome.tests
    return outcome.tests[0].passed, outcome.tests[0].error


# ---- variables -----------------------------------------------------------------------------------
def test_scopes_get_set_unset_and_precedence(engine: ScriptEngine) -> None:
    scopes = Scopes(
        globals={"g": "G", "x": "global"},
        collection={"c": "C", "x": "collection"},
        environment={"e": "E", "x": "env"},
        iteration_data={"d": "D", "x": "data"},
    )
    src = """
    pm.environment.set('new', 1); pm.collectionVariables.set('cv', {a: 1}); pm.globals.unset('g');
    pm.variables.set('loc', 'L');
    pm.environment.set('seen', [pm.variables.get('x'), pm.variables.has('c'), pm.globals.has('g'),
        pm.iterationData.get('d'), pm.variables.get('loc'), pm.variables.replaceIn('{{e}}-{{c}}-{{nope}}')]);
    pm.environment.set('obj', pm.variables.toObject().x);
    """
    outcome = run(engine, src, scopes=scopes)
    assert outcome.error is None
    assert scopes.environment["seen"] == ["data", True, False, "D", "L", "E-C-{{nope}}"]
    assert scopes.environment["obj"] == "data"
    assert scopes.collection["cv"] == {"a": 1}
    assert "g" not in scopes.globals
    assert scopes.local == {"loc": "L"}
    assert scopes.resolve("x") == "data" and scopes.resolve("loc") == "L" and scopes.resolve("zz", 0) == 0
    assert list(scopes.environment) == ["e", "x", "new", "seen", "obj"]


def test_scope_clear_toobject_replacein(engine: ScriptEngine) -> None:
    scopes = Scopes(environment={"a": "1", "b": "2"}, globals={"g": "x"})
    src = """
    pm.globals.set('o', pm.environment.toObject());
    pm.globals.set('r', pm.environment.replaceIn('{{a}}/{{b}}/{{g}}'));
    pm.environment.clear();
    """
    assert run(engine, src, scopes=scopes).error is None
    assert scopes.environment == {}
    assert scopes.globals["o"] == {"a": "1", "b": "2"} and scopes.globals["r"] == "1/2/{{g}}"


def test_replacein_dynamic_variables(engine: ScriptEngine) -> None:
    guid, ts = value_of(engine, "pm.variables.replaceIn('{{$guid}}|{{$timestamp}}').split('|')")
    assert len(guid) == 36 and guid[14] == "4" and ts.isdigit()


# ---- request -------------------------------------------------------------------------------------
def test_request_url_and_headers_api(engine: ScriptEngine) -> None:
    got = value_of(
        engine,
        """[pm.request.url.toString(), pm.request.url.getHost(), pm.request.url.getPath(),
            pm.request.url.query.get('limit'), pm.request.url.query.toObject(), pm.request.method,
            pm.request.headers.get('accept'), pm.request.headers.has('Accept'), pm.request.url.protocol,
            pm.request.url.getQueryString(), pm.request.headers.toObject()]""",
    )
    assert got == [
        "https://api.example.com/v1/things?limit=10&q=a",
        "api.example.com",
        "/v1/things",
        "10",
        {"limit": "10", "q": "a"},
        "GET",
        "*/*",
        True,
        "https",
        "limit=10&q=a",
        {"Accept": "*/*"},
    ]


def test_prerequest_script_changes_the_request(engine: ScriptEngine) -> None:
    src = """
    pm.request.headers.add({key: 'X-A', value: '1'});
    pm.request.headers.upsert({key: 'accept', value: 'application/json'});
    pm.request.headers.remove('X-None');
    pm.request.url.query.add({key: 'page', value: '2'});
    pm.request.url.query.remove('q');
    pm.request.method = 'POST';
    pm.request.body.update(JSON.stringify({a: pm.variables.get('v')}));
    """
    req = ScriptRequest("GET", "https://h.test/p?q=1", [("Accept", "*/*")], "old")
    outcome = run(engine, src, event="prerequest", request=req, scopes=Scopes(environment={"v": 3}))
    assert outcome.error is None
    assert outcome.request.method == "POST"
    assert outcome.request.url == "https://h.test/p?page=2"
    assert outcome.request.headers == [("Accept", "application/json"), ("X-A", "1")]
    assert outcome.request.body == '{"a":3}'


def test_request_url_assignment_and_urlencoded_body(engine: ScriptEngine) -> None:
    src = """
    pm.request.url = 'http://{{host}}:8080/a/b?x=1';
    pm.request.body.urlencoded.upsert({key: 'grant_type', value: 'client credentials'});
    pm.environment.set('keys', pm.request.body.urlencoded.toObject());
    """
    req = ScriptRequest("POST", "http://old/", [], "a=1&b=two%20x", body_mode="urlencoded")
    scopes = Scopes()
    outcome = run(engine, src, event="prerequest", request=req, scopes=scopes)
    assert outcome.error is None
    assert outcome.request.url == "http://{{host}}:8080/a/b?x=1"
    assert outcome.request.body == "a=1&b=two+x&grant_type=client+credentials"
    assert outcome.request.body_mode == "urlencoded"
    assert scopes.environment["keys"] == {"a": "1", "b": "two x", "grant_type": "client credentials"}


# ---- response and response assertions ------------------------------------------------------------
def test_response_fields(engine: ScriptEngine) -> None:
    got = value_of(
        engine,
        """[pm.response.code, pm.response.status, pm.response.headers.get('x-trace'),
            pm.response.headers.has('X-Trace'), pm.response.responseTime, pm.response.responseSize,
            pm.response.json().items[1].k, pm.response.text().length,
            pm.response.headers.toObject()['X-Trace']]""",
    )
    assert got == [200, "OK", "abc", True, 42.0, len(JSON_BODY), 2, len(JSON_BODY), "abc"]


@pytest.mark.parametrize(
    ("assertion", "passes"),
    [
        ("pm.response.to.have.status(200)", True),
        ("pm.response.to.have.status('OK')", True),
        ("pm.response.to.have.status(201)", False),
        ("pm.response.to.be.ok", True),
        ("pm.response.to.be.success", True),
        ("pm.response.to.not.be.error", True),
        ("pm.response.to.be.clientError", False),
        ("pm.response.to.be.serverError", False),
        ("pm.response.to.be.notFound", False),
        ("pm.response.to.be.json", True),
        ("pm.response.to.have.header('Content-Type')", True),
        ("pm.response.to.have.header('x-trace', 'abc')", True),
        ("pm.response.to.have.header('x-trace', 'nope')", False),
        ("pm.response.to.not.have.header('X-Missing')", True),
        ("pm.response.to.have.body(/Ann/)", True),
        ("pm.response.to.have.body('nope')", False),
        ("pm.response.to.have.jsonBody('nested.a.b')", True),
        ("pm.response.to.have.jsonBody('items[0].k', 1)", True),
        ("pm.response.to.have.jsonBody('items[0].k', 2)", False),
        ("pm.response.to.not.have.jsonBody('missing')", True),
        ("pm.response.to.not.have.property('errors')", True),
        ("pm.response.to.be.withBody", True),
    ],
)
def test_response_assertions(engine: ScriptEngine, assertion: str, passes: bool) -> None:
    passed, _ = only_test(run(engine, f"pm.test('t', function () {{ {assertion}; }});"))
    assert passed is passes


def test_status_failure_message_and_error_codes(engine: ScriptEngine) -> None:
    _, error = only_test(run(engine, "pm.test('t', () => pm.response.to.have.status(201));"))
    assert error == "expected response to have status code 201 but got 200"
    resp = response(b"{}", 429, "Too Many Requests")
    for word in ("rateLimited", "clientError", "error"):
        assert only_test(run(engine, f"pm.test('t', () => pm.response.to.be.{word});", resp=resp))[0]
    for code, word in ((400, "badRequest"), (401, "unauthorized"), (403, "forbidden"), (404, "notFound")):
        assert only_test(
            run(engine, f"pm.test('t', () => pm.response.to.be.{word});", resp=response(b"", code))
        )[0]
    assert only_test(
        run(engine, "pm.test('t', () => pm.response.to.be.serverError);", resp=response(b"", 503))
    )[0]


# ---- pm.test and pm.expect ----------------------------------------------------------------------------
def test_pm_test_records_pass_fail_skip_async_and_done(engine: ScriptEngine) -> None:
    src = """
    pm.test('pass', () => pm.expect(1).to.equal(1));
    pm.test('fail', () => pm.expect(200).to.equal(201));
    pm.test.skip('skipped', () => { throw new Error('never'); });
    pm.test('async', async () => { await null; pm.expect('a').to.be.a('string'); });
    pm.test('async-fail', () => Promise.reject(new Error('nope')));
    pm.test('done', function (done) { setTimeout(() => done(), 10); });
    pm.test('type error', () => { const x = undefined; x.y; });
    tests['legacy ok'] = true;
    tests['legacy bad'] = 0;
    """
    outcome = run(engine, src)
    assert outcome.error is None
    got = {t.name: (t.passed, t.skipped, t.error) for t in outcome.tests}
    assert got["pass"] == (True, False, None)
    assert got["fail"] == (False, False, "expected 200 to equal 201")
    assert got["skipped"] == (False, True, None)
    assert got["async"] == (True, False, None)
    assert got["async-fail"] == (False, False, "Error: nope")
    assert got["done"] == (True, False, None)
    assert got["type error"][0] is False and got["type error"][2].startswith("TypeError")
    assert got["legacy ok"][0] is True and got["legacy bad"][0] is False
    assert [t.name for t in outcome.tests][:2] == ["pass", "fail"]


CHAI_CASES: list[tuple[str, str | None]] = [
    ("pm.expect(200).to.equal(201)", "expected 200 to equal 201"),
    ("pm.expect('a').to.equal('b')", "expected 'a' to equal 'b'"),
    ("pm.expect({a: 1}).to.eql({a: 1})", None),
    ("pm.expect({a: 1}).to.deep.equal({a: 2})", "expected { a: 1 } to deeply equal { a: 2 }"),
    ("pm.expect([1, 2]).to.eql([1, 2])", None),
    ("pm.expect(5).to.be.above(3).and.below(10)", None),
    ("pm.expect(5).to.be.at.least(5).and.at.most(5)", None),
    ("pm.expect(5).to.be.above(10)", "expected 5 to be above 10"),
    ("pm.expect(5).to.be.within(1, 10)", None),
    ("pm.expect([]).to.be.an('array').that.is.empty", None),
    ("pm.expect(null).to.be.a('null')", None),
    ("pm.expect(undefined).to.be.an('undefined')", None),
    ("pm.expect({}).to.be.an('object')", None),
    ("pm.expect(1).to.be.a('string')", "expected 1 to be a string"),
    ("pm.expect('hello').to.include('ell')", None),
    ("pm.expect([1, 2, 3]).to.include(2)", None),
    ("pm.expect([1, 2]).to.include(3)", "expected [ 1, 2 ] to include 3"),
    ("pm.expect({a: 1, b: 2}).to.include({a: 1})", None),
    ("pm.expect([{a: 1}]).to.deep.include({a: 1})", None),
    ("pm.expect({a: {b: [1, {c: 2}]}}).to.have.nested.property('a.b[1].c', 2)", None),
    ("pm.expect({a: 1}).to.have.property('a', 1)", None),
    ("pm.expect({a: 1}).to.have.property('b')", "expected { a: 1 } to have property 'b'"),
    ("pm.expect({a: 1}).to.have.property('a').that.equals(1)", None),
    ("pm.expect({a: 1}).to.not.have.property('b')", None),
    ("pm.expect({a: 1}).to.have.own.property('a')", None),
    ("pm.expect([1, 2]).to.have.lengthOf(2)", None),
    ("pm.expect('abc').to.have.length(3)", None),
    ("pm.expect([1, 2]).to.have.length.above(1)", None),
    ("pm.expect([1]).to.have.lengthOf(2)", "expected [ 1 ] to have a length of 2 but got 1"),
    ("pm.expect({a: 1, b: 2}).to.have.all.keys('a', 'b')", None),
    ("pm.expect({a: 1, b: 2}).to.have.any.keys('a', 'z')", None),
    ("pm.expect({a: 1, b: 2}).to.include.keys('a')", None),
    ("pm.expect({a: 1, b: 2}).to.have.keys(['a'])", "expected { a: 1, b: 2 } to have keys 'a'"),
    ("pm.expect([1, 2, 3]).to.have.members([3, 2, 1])", None),
    ("pm.expect([1, 2, 3]).to.include.members([2])", None),
    ("pm.expect(2).to.be.oneOf([1, 2])", None),
    ("pm.expect('abc').to.match(/b/)", None),
    ("pm.expect('abc').to.have.string('bc')", None),
    ("pm.expect(1).to.be.ok", None),
    ("pm.expect(true).to.be.true", None),
    ("pm.expect(false).to.be.false", None),
    ("pm.expect(null).to.be.null", None),
    ("pm.expect(undefined).to.be.undefined", None),
    ("pm.expect(0).to.exist", None),
    ("pm.expect(null).to.exist", "expected null to exist"),
    ("pm.expect(NaN).to.be.NaN", None),
    ("pm.expect('').to.be.empty", None),
    ("pm.expect({}).to.be.empty", None),
    ("pm.expect(new Date()).to.be.instanceof(Date)", None),
    ("pm.expect(() => { throw new TypeError('bad x'); }).to.throw(TypeError, 'bad')", None),
    ("pm.expect(() => 1).to.not.throw()", None),
    ("pm.expect(1.5).to.be.closeTo(1.4, 0.2)", None),
    ("pm.expect(4).to.satisfy(n => n % 2 === 0)", None),
    ("pm.expect(1).to.not.equal(2)", None),
    ("pm.expect(1, 'custom').to.equal(2)", "custom: expected 1 to equal 2"),
    ("pm.expect.fail('boom')", "boom"),
    ("pm.expect('x').to.be.a('string').and.not.empty", None),
    ("pm.expect(3).to.be.gt(2).and.lt(4).and.gte(3).and.lte(3)", None),
    ("pm.expect([1, 2]).to.be.an('array').with.lengthOf(2)", None),
]


@pytest.mark.parametrize(("assertion", "message"), CHAI_CASES)
def test_expect(engine: ScriptEngine, assertion: str, message: str | None) -> None:
    passed, error = only_test(run(engine, f"pm.test('t', function () {{ {assertion}; }});"))
    assert (passed, error) == (message is None, message)


@settings(max_examples=40, deadline=None)
@given(st.integers(-1000, 1000), st.integers(-1000, 1000))
def test_expect_numbers_agree_with_python(a: int, b: int) -> None:
    eng = _shared_engine()
    outcome = run(
        eng,
        f"pm.test('eq', () => pm.expect({a}).to.equal({b}));"
        f"pm.test('gt', () => pm.expect({a}).to.be.above({b}));",
    )
    assert [t.passed for t in outcome.tests] == [a == b, a > b]
    if a != b:
        assert outcome.tests[0].error == f"expected {a} to equal {b}"


_ENGINE: list[ScriptEngine] = []


def _shared_engine() -> ScriptEngine:
    if not _ENGINE:
        _ENGINE.append(ScriptEngine())
    return _ENGINE[0]


# ---- info, cookies, execution ------------------------------------------------------------------
def test_info_cookies_and_execution(engine: ScriptEngine) -> None:
    src = """
    pm.environment.set('info', [pm.info.eventName, pm.info.iteration, pm.info.iterationCount,
        pm.info.requestName, pm.info.requestId, pm.cookies.get('session'), pm.cookies.has('nope'),
        pm.cookies.toObject()]);
    pm.execution.setNextRequest('Other');
    """
    scopes = Scopes()
    outcome = run(engine, src, scopes=scopes, iteration=2, iteration_count=5, item_id="abc-123")
    assert scopes.environment["info"] == [
        "test",
        2,
        5,
        "Get thing",
        "abc-123",
        "s1",
        False,
        {"session": "s1"},
    ]
    assert outcome.next_request == "Other" and outcome.skip_request is False


def test_next_request_null_unset_and_skip(engine: ScriptEngine) -> None:
    assert run(engine, "1").next_request is UNSET
    assert run(engine, "postman.setNextRequest(null)").next_request is None
    assert run(engine, "pm.setNextRequest('x')").next_request == "x"
    assert run(engine, "pm.execution.skipRequest()", event="prerequest").skip_request is True


# ---- pm.sendRequest ------------------------------------------------------------------------------------
def test_send_request_callback_and_promise() -> None:
    seen: list[dict[str, Any]] = []

    def send(req: dict[str, Any]) -> dict[str, Any]:
        seen.append(req)
        if "fail" in req["url"]:
            raise ConnectionError("refused")
        return {"code": 201, "status": "Created", "headers": [["X-R", "1"]], "body": '{"token": "t1"}'}

    eng = ScriptEngine(send_request=send)
    src = """
    pm.sendRequest('http://127.0.0.1:9/a', function (err, res) {
        pm.environment.set('tok', res.json().token);
        pm.environment.set('code', [res.code, res.status, res.headers.get('x-r'), err]);
        pm.sendRequest({url: 'http://127.0.0.1:9/fail', method: 'post'},
            (e, r) => pm.environment.set('err', e.message));
    });
    const r2 = await pm.sendRequest({url: 'http://127.0.0.1:9/b', method: 'POST',
        header: [{key: 'A', value: '1'}],
        body: {mode: 'urlencoded', urlencoded: [{key: 'k', value: 'v w'}]}});
    pm.environment.set('text', r2.text());
    """
    scopes = Scopes()
    outcome = run(eng, src, scopes=scopes)
    assert outcome.error is None, outcome.error
    assert scopes.environment["tok"] == "t1"
    assert scopes.environment["code"] == [201, "Created", "1", None]
    assert scopes.environment["err"] == "refused"
    assert scopes.environment["text"] == '{"token": "t1"}'
    assert seen[1]["method"] == "POST" and seen[1]["headers"] == [["A", "1"]]
    assert seen[1]["body"] == "k=v+w" and seen[1]["body_mode"] == "urlencoded"


def test_send_request_without_sender_gives_err(engine: ScriptEngine) -> None:
    scopes = Scopes()
    run(
        engine,
        "pm.sendRequest('http://127.0.0.1:9/', (err) => pm.environment.set('e', err.message));",
        scopes=scopes,
    )
    assert "not available" in scopes.environment["e"]


# ---- libraries --------------------------------------------------------------------------------------
def test_uuid_and_lodash(engine: ScriptEngine) -> None:
    got = value_of(
        engine,
        """[require('uuid').v4().length, _.get({a: {b: [1, 2]}}, 'a.b[1]'), _.has({a: 1}, 'a'),
            _.isEmpty({}), _.isEqual({a: [1]}, {a: [1]}), _.map([1, 2], x => x * 2),
            _.filter([1, 2, 3], x => x > 1),
            _.find([{a: 1}, {a: 2}], {a: 2}), _.keys({x: 1}), _.values({x: 1}), _.uniq([1, 1, 2]),
            _.sortBy([{n: 2}, {n: 1}], 'n'), _.pick({a: 1, b: 2}, 'a'), _.omit({a: 1, b: 2}, 'a'),
            _.merge({a: {b: 1}}, {a: {c: 2}}), _.cloneDeep({a: [1]}), _.times(3, i => i),
            _.includes([1, 2], 2),
            _.size({a: 1, b: 2}), _.range(3), _.random(1, 1), _.set({}, 'a.b', 1), _.sample([7]),
            _.groupBy([1, 2, 3], n => n % 2), _.camelCase('foo bar'), require('lodash').last([1, 2])]""",
    )
    assert got[0] == 36
    assert got[1:] == [
        2, True, True, True, [2, 4], [2, 3], {"a": 2}, ["x"], [1], [1, 2], [{"n": 1}, {"n": 2}], {"a": 1},
        {"b": 2},
        {"a": {"b": 1, "c": 2}}, {"a": [1]}, [0, 1, 2], True, 2, [0, 1, 2], 1, {"a": {"b": 1}}, 7,
        {"0": [2], "1": [1, 3]}, "fooBar", 2,
    ]  # fmt: skip


def test_moment(engine: ScriptEngine) -> None:
    got = value_of(
        engine,
        """(() => { const moment = require('moment'); const m = moment.utc('2024-01-31T10:05:03.007Z');
            return [m.format('YYYY-MM-DD HH:mm:ss.SSS'), m.clone().add(1, 'month').format('YYYY-MM-DD'),
              m.clone().subtract(1, 'days').toISOString(), m.unix(), m.valueOf(),
              m.format('ddd, MMM Do YY h:mm A'),
              moment.utc('2024-03-01').diff(moment.utc('2024-01-01'), 'days'),
              m.isBefore(moment.utc('2025-01-01')),
              m.isAfter('2025-01-01'), moment().isValid(), m.clone().startOf('day').format(),
              moment.utc('05/02/2024', 'DD/MM/YYYY').format('YYYY-MM-DD'), m.format('X')]; })()""",
    )
    assert got == [
        "2024-01-31 10:05:03.007",
        "2024-02-29",
        "2024-01-30T10:05:03.007Z",
        1706695503,
        1706695503007,
        "Wed, Jan 31st 24 10:05 AM",
        60,
        True,
        False,
        True,
        "2024-01-31T00:00:00Z",
        "2024-02-05",
        "1706695503",
    ]


@pytest.mark.parametrize("message", ["", "abc", "x" * 150, "héllo ☃ 😀"])
def test_crypto_js_matches_hashlib(engine: ScriptEngine, message: str) -> None:
    got = value_of(
        engine,
        f"""(() => {{ const C = require('crypto-js'); const m = {json.dumps(message)}; const o = {{}};
            ['MD5', 'SHA1', 'SHA256', 'SHA512'].forEach(n => {{ o[n] = C[n](m).toString();
              o['H' + n] = C['Hmac' + n](m, 'k').toString(C.enc.Base64); }});
            o.b64 = CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse(m));
            o.hex = C.enc.Hex.stringify(C.enc.Utf8.parse(m));
            o.back = C.enc.Utf8.stringify(C.enc.Base64.parse(o.b64)); return o; }})()""",
    )
    raw = message.encode()
    for name in ("MD5", "SHA1", "SHA256", "SHA512"):
        assert got[name] == hashlib.new(name.lower(), raw).hexdigest()
        assert got["H" + name] == base64.b64encode(hmac.new(b"k", raw, name.lower()).digest()).decode()
    assert got["b64"] == base64.b64encode(raw).decode() and got["hex"] == raw.hex() and got["back"] == message


def test_atob_btoa_buffer(engine: ScriptEngine) -> None:
    got = value_of(
        engine,
        "[btoa('user:pw'), atob('dXNlcjpwdw=='), Buffer.from('us@r:p').toString('base64'),"
        " Buffer.from('6869', 'hex').toString()]",
    )
    assert got == ["dXNlcjpwdw==", "user:pw", base64.b64encode(b"us@r:p").decode(), "hi"]


XML = b"""<?xml version="1.0"?>
<root xmlns:s="urn:x"><s:item id="1">one</s:item><s:item id="2"><name>two</name></s:item>
<empty/><txt>a &amp; b</txt><![CDATA[ignored]]></root>"""


def test_xml2js_default_shape(engine: ScriptEngine) -> None:
    resp = response(XML, headers=[("Content-Type", "text/xml")])
    got = value_of(
        engine,
        "(() => { let out; require('xml2js').parseString(pm.response.text(),"
        " (err, r) => { out = [err, r]; }); return out; })()",
        resp=resp,
    )
    err, result = got
    assert err is None
    root = result["root"]
    assert root["$"] == {"xmlns:s": "urn:x"}
    assert root["s:item"][0] == {"_": "one", "$": {"id": "1"}}
    assert root["s:item"][1] == {"$": {"id": "2"}, "name": ["two"]}
    assert root["empty"] == [""] and root["txt"] == ["a & b"]


def test_xml2js_options_and_legacy_xml2json(engine: ScriptEngine) -> None:
    resp = response(XML, headers=[("Content-Type", "text/xml")])
    got = value_of(
        engine,
        """(() => { const x = require('xml2js'); let a;
            x.parseString(responseBody, {explicitArray: false, tagNameProcessors: [x.processors.stripPrefix]},
                (e, r) => { a = r; });
            return [a.root.item[0]._, xml2Json(responseBody).root.txt]; })()""",
        resp=resp,
    )
    assert got == ["one", "a & b"]


# ---- console, timers, legacy globals ------------------------------------------------------------
def test_console_is_captured(engine: ScriptEngine) -> None:
    outcome = run(
        engine,
        "console.log('a', 1, {b: [2]}); console.warn('w'); console.error('%s=%d', 'x', 5);"
        " console.info(null)",
    )
    assert outcome.console == (("log", "a 1 { b: [ 2 ] }"), ("warn", "w"), ("error", "x=5"), ("info", "null"))


def test_set_timeout_runs_in_delay_order_after_the_body(engine: ScriptEngine) -> None:
    src = """
    setTimeout(() => console.log('late'), 200);
    setTimeout(() => { console.log('early'); setTimeout(() => console.log('nested'), 50); }, 100);
    const id = setTimeout(() => console.log('cleared'), 10); clearTimeout(id);
    let n = 0; const iv = setInterval(() => { console.log('tick'); if (++n === 2) clearInterval(iv); }, 70);
    console.log('body');
    """
    outcome = run(engine, src)
    assert [text for _, text in outcome.console] == ["body", "tick", "early", "tick", "nested", "late"]


def test_legacy_globals(engine: ScriptEngine) -> None:
    scopes = Scopes(environment={"e": "1"}, globals={"g": "2"}, iteration_data={"d": "3"})
    src = """
    postman.setEnvironmentVariable('code', responseCode.code);
    postman.setGlobalVariable('gg', postman.getEnvironmentVariable('e') + postman.getGlobalVariable('g'));
    postman.clearEnvironmentVariable('e');
    pm.environment.set('legacy', [JSON.parse(responseBody).id, responseCode.name, responseHeaders['X-Trace'],
        responseTime, environment.e, globals.g, data.d, iteration, request.method, request.url,
        request.headers.Accept, postman.getResponseHeader('x-trace'), responseBody.has('Ann')]);
    tests['has id'] = JSON.parse(responseBody).id === 5;
    """
    outcome = run(engine, src, scopes=scopes)
    assert outcome.error is None
    assert scopes.environment["legacy"] == [
        5, "OK", "abc", 42.0, "1", "2", "3", 0, "GET", "https://api.example.com/v1/things?limit=10&q=a",
        "*/*", "abc", True,
    ]  # fmt: skip
    assert (
        scopes.environment["code"] == 200 and "e" not in scopes.environment and scopes.globals["gg"] == "12"
    )
    assert outcome.tests[-1].name == "has id" and outcome.tests[-1].passed


def test_prerequest_has_no_response_globals(engine: ScriptEngine) -> None:
    outcome = run(engine, "responseBody", event="prerequest")
    assert outcome.error is not None and outcome.error.name == "ReferenceError"


def test_top_level_declarations_are_isolated_but_implicit_globals_persist(engine: ScriptEngine) -> None:
    assert run(engine, "let data = 1; const request = 2; var pm2 = 3; helper = () => 7;").error is None
    scopes = Scopes()
    outcome = run(engine, "pm.environment.set('r', [typeof pm2, helper(), typeof data]);", scopes=scopes)
    assert outcome.error is None and scopes.environment["r"] == ["undefined", 7, "object"]


# ---- sandbox and safety --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "name", "fragment"),
    [
        ("require('fs')", "Error", "module fs is not available in the sandbox"),
        ("require('child_process').exec('ls')", "Error", "module child_process is not available"),
        ("require('left-pad')", "Error", "module left-pad is not available"),
        ("process.exit(1)", "ReferenceError", "process is not defined"),
        ("fetch('http://127.0.0.1/')", "ReferenceError", "fetch is not defined"),
        ("new XMLHttpRequest()", "ReferenceError", "XMLHttpRequest is not defined"),
        ("pm.nope()", "TypeError", "pm.nope is not a function"),
    ],
)
def test_sandbox_escapes_fail(engine: ScriptEngine, source: str, name: str, fragment: str) -> None:
    error = run(engine, source).error
    assert error is not None and error.name == name and fragment in error.message
    assert error.event == "test" and error.item_name == "Get thing"


def test_npm_package_fails_when_used_not_when_required(engine: ScriptEngine) -> None:
    assert run(engine, "const j = pm.require('npm:jsrsasign@11.1.0'); const {KJUR} = j;").error is None
    error = run(engine, "pm.require('npm:jsrsasign@11.1.0').KJUR.sign()").error
    assert error is not None and "module npm:jsrsasign@11.1.0 is not available" in error.message


def test_infinite_loop_times_out_and_engine_recovers() -> None:
    eng = ScriptEngine(timeout_ms=200)
    outcome = run(eng, "console.log('start'); while (true) {}")
    assert outcome.error is not None
    assert outcome.error.name == "TimeoutError" and outcome.error.message == "timed out after 200 ms"
    assert run(eng, "pm.test('after', () => {});").tests[0].passed


@pytest.mark.slow
def test_timeout_also_covers_promises_and_timers() -> None:
    eng = ScriptEngine(timeout_ms=200)
    assert run(eng, "Promise.resolve().then(() => { for (;;) {} });").error.name == "TimeoutError"  # type: ignore[union-attr]
    assert run(eng, "setTimeout(() => { for (;;) {} }, 5);").error.name == "TimeoutError"  # type: ignore[union-attr]


def test_memory_limit() -> None:
    eng = ScriptEngine(memory_limit_mb=32)
    error = run(eng, "const a = []; while (true) a.push(new Array(100000).fill(1));").error
    assert error is not None and error.name == "MemoryError" and "32 MB" in error.message
    assert run(eng, "pm.test('after', () => {});").tests[0].passed


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("var a = 1;\nvar b = {\n  c: 1,,\n};", 3),
        ("\n\nlet x = 1;\nlet x = 2;", 4),
        ("pm.test('a', () => {\n  ok();\n}", 3),
    ],
)
def test_syntax_error_reports_user_line(engine: ScriptEngine, source: str, line: int) -> None:
    error = run(engine, source).error
    assert error is not None and error.name == "SyntaxError" and error.line == line


def test_runtime_error_reports_user_line_and_column(engine: ScriptEngine) -> None:
    error = run(engine, "var a = {};\n\n  a.b.c;").error
    assert error is not None and error.name == "TypeError" and (error.line, error.column) == (3, 3)
    # QuickJS locates an error inside a nested function at that function's first line.
    nested = run(engine, "var a = 1;\n\nfunction f() {\n  return a.b.c;\n}\nf();").error
    assert nested is not None and nested.line == 3
    thrown = run(engine, "throw new Error('custom')").error
    assert thrown is not None and (thrown.message, thrown.line) == ("custom", 1)
    assert "line 1" in str(thrown)


def test_missing_engine_raises_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_quickjs(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "quickjs":
            raise ImportError("No module named 'quickjs'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_quickjs)
    with pytest.raises(UsageError, match=r"install postman-gen\[scripts\] or pass --no-scripts"):
        engine_module._load_quickjs()


def test_library_does_not_import_requests_or_jinja() -> None:
    from pathlib import Path

    package = Path(engine_module.__file__ or "").parent
    for path in package.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import requests" not in text and "jinja2" not in text and "print(" not in text, path
