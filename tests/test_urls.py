"""URL and urlencoded-body encoding, checked against what Newman sends.

Expected strings come from three places, written here by hand:
* Newman's own integration collection on URL encoding (corpus file newman-whatwg-url), one test per
  assertion of its test scripts;
* postman-url-encoder's unit tests (encoder, parser, toNodeUrl) and postman-collection's behaviour;
* outputs of the real Node packages (postman-url-encoder 3.0.8, postman-collection 5.3.1,
  postman-request, Node 20) recorded while building this module.
"""

from __future__ import annotations

import base64
import json
import string
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postman_gen.errors import ResolveError
from postman_gen.resolution.urls import (
    UrlParts,
    build_host,
    build_url,
    encode_form,
    encode_host,
    encode_path,
    encode_query,
    encode_userinfo,
    parse_url,
    resolve_path_variables,
    unparse_query,
    unparse_url,
)

CORPUS = Path("/work/shared/corpus/newman-whatwg-url.postman_collection.json")


def parts(
    host: tuple[str, ...] = ("example", "com"),
    *,
    protocol: str | None = "http",
    auth: tuple[str, str | None] | None = None,
    port: str | None = None,
    path: tuple[str, ...] = (),
    query: tuple[tuple[str, str | None], ...] = (),
    hash_: str | None = None,
) -> UrlParts:
    return UrlParts(protocol, auth, host, port, path, query, hash_)


def substitute(text: str, values: dict[str, str]) -> str:
    """Innermost-first ``{{name}}`` substitution, enough for the Newman collection's few variables."""
    for _ in range(5):
        for name, value in values.items():
            text = text.replace("{{" + name + "}}", value)
    return text


def newman_url(
    structured: UrlParts, variables: dict[str, str] | None = None, *, disable: bool = False
) -> str:
    """Newman's flow: Url#toString, substitute variables in that string, re-parse, encode."""
    return build_url(
        parse_url(substitute(unparse_url(structured), variables or {})), disable_encoding=disable
    )


def request_line(url: str) -> str:
    """``GET <target>`` as the echo server sees it."""
    split = urlsplit(url)
    return "GET " + split.path + ("?" + split.query if "?" in url else "")


# --------------------------------------------------------------------------- Newman: Parsing folder


def test_newman_nested_variables() -> None:
    structured = parts(("{{host", "{{one}}}}"), protocol="https", path=("get",))
    assert unparse_url(structured) == "https://{{host.{{one}}}}/get"
    assert parse_url("https://{{host.{{one}}}}/get").host == ("{{host", "{{one}}}}")
    url = newman_url(structured, {"one": "1", "host.1": "postman-echo.com"})
    assert url == "https://postman-echo.com/get"


def test_newman_reserved_chars_in_variables() -> None:
    raw = "{{p://}}://{{@}}:{{###}}@{{host.name}}:{{:p}}/{{f/o/o}}?{{?}}={{&}}"
    parsed = parse_url(raw)
    assert parsed == UrlParts(
        "{{p://}}",
        ("{{@}}", "{{###}}"),
        ("{{host.name}}",),
        "{{:p}}",
        ("{{f/o/o}}",),
        (("{{?}}", "{{&}}"),),
        None,
    )
    assert unparse_url(parsed) == raw  # the {{&}} value is not escaped: it names a variable
    values = {"p://": "https", "@": "root", "###": "password", "host.name": "postman-echo.com"}
    values |= {":p": "443", "f/o/o": "get", "?": "foo", "&": "bar"}
    url = newman_url(parsed, values)
    assert url == "https://root:password@postman-echo.com:443/get?foo=bar"
    # the echo server reports 'https://postman-echo.com/get?foo=bar': no userinfo, default port elided
    assert request_line(url) == "GET /get?foo=bar"


def test_newman_newlines() -> None:
    structured = parts(("postman-echo", "com"), protocol="https", path=("get",), query=(("foo", "\nbar\n"),))
    assert newman_url(structured) == "https://postman-echo.com/get?foo=%0Abar%0A"


def test_newman_backslash_in_path() -> None:
    # Newman's script expects httpbin to echo 'https://httpbin.org/get'; the SDK builds the path from
    # ["", "get"], so the request line holds '//get' (verified with postman-collection + url-encoder);
    # the echoed URL depends on the server collapsing '//'.
    structured = parts(("httpbin", "org"), protocol="https", path=("", "get"))
    assert newman_url(structured) == "https://httpbin.org//get"
    assert parse_url("  ") == UrlParts(None, None, (), None, (), (), None)


def test_newman_double_backslash_in_protocol() -> None:
    assert build_url(parse_url("https:\\\\postman-echo.com/get")) == "https://postman-echo.com/get"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://postman-echo.com/get???&hl=en&src=api&x=2&y=2&z=3&s=",
            "https://postman-echo.com/get???&hl=en&src=api&x=2&y=2&z=3&s=",
        ),
        ("https://postman-echo.com/get?foo=bar&&&bar=baz", "https://postman-echo.com/get?foo=bar&&&bar=baz"),
        ("https://postman-echo.com/get?", "https://postman-echo.com/get?"),
        ("https://postman-echo.com/get?&", "https://postman-echo.com/get?&"),
        ("https://postman-echo.com/get?&&", "https://postman-echo.com/get?&&"),
        ("https://postman-echo.com/get?&foo", "https://postman-echo.com/get?&foo"),
        ("https://postman-echo.com/get?foo&", "https://postman-echo.com/get?foo&"),
        ("https://postman-echo.com/get?get&=bar&=&baz=&&", "https://postman-echo.com/get?get&=bar&=&baz=&&"),
    ],
)
def test_newman_query_shapes_are_kept(raw: str, expected: str) -> None:
    assert newman_url(parse_url(raw)) == expected


def test_newman_query_params_parse_like_the_sdk() -> None:
    assert parse_url("https://postman-echo.com/get???&hl=en&s=").query == (
        ("??", None),
        ("hl", "en"),
        ("s", ""),
    )
    assert parse_url("http://x/get?foo=bar&&&bar=baz").query == (
        ("foo", "bar"),
        ("", None),
        ("", None),
        ("bar", "baz"),
    )
    assert parse_url("http://x/get?get&=bar&=&baz=&&").query == (
        ("get", None),
        ("", "bar"),
        ("", ""),
        ("baz", ""),
        ("", None),
        ("", None),
    )


def test_newman_multiple_colon_and_at_in_auth() -> None:
    parsed = parse_url("https://us@r:p@ssword@postman-echo.com/get")
    assert parsed.auth == ("us@r", "p@ssword")
    url = build_url(parsed)
    assert url == "https://us%40r:p%40ssword@postman-echo.com/get"
    split = urlsplit(url)
    credentials = f"{unquote(split.username or '')}:{unquote(split.password or '')}"
    assert (
        "Basic " + base64.b64encode(credentials.encode()).decode()
        == "Basic " + base64.b64encode(b"us@r:p@ssword").decode()
    )
    assert request_line(url) == "GET /get"


def test_newman_params_with_ampersand_and_hash() -> None:
    structured = parts(
        ("postman-echo", "com"),
        protocol="https",
        path=("get",),
        query=(("q", "%23{{foo&bar}}%23"), ("x%26y", "{{#foo#}}"), ("b#a&r", None)),
    )
    assert (
        unparse_url(structured)
        == "https://postman-echo.com/get?q=%23{{foo&bar}}%23&x%26y={{#foo#}}&b%23a%26r"
    )
    url = newman_url(structured, {"foo&bar": "1", "#foo#": "2"})
    assert url == "https://postman-echo.com/get?q=%231%23&x%26y=2&b%23a%26r"


def test_newman_disabled_query_param() -> None:
    # UrlParts carries enabled parameters only: one disabled parameter leaves no '?'
    assert newman_url(parts(("postman-echo", "com"), protocol="https", path=("get",))) == (
        "https://postman-echo.com/get"
    )


# --------------------------------------------------------------------------- Newman: Encoding folder


def test_newman_ip_shorthand() -> None:
    parsed = parse_url("127.1:4041")
    assert parsed.host == ("127", "1") and parsed.port == "4041" and parsed.protocol is None
    assert build_host(parsed) == "127.0.0.1:4041"
    assert build_url(parsed) == "http://127.0.0.1:4041/"


def test_newman_path_encoding() -> None:
    segments = [
        " ",
        *(chr(i) for i in range(33, 47)),
        "",
        "",
        *(chr(i) for i in range(48, 127) if chr(i) not in "?\\"),
    ]
    segments.remove("#")
    url = build_url(parts(("localhost",), port="4041", path=tuple(segments)))
    expected = (
        "GET /%20/!/%22/$/%/&/'/(/)/*/+/,/-/.///0/1/2/3/4/5/6/7/8/9/:/;/%3C/=/%3E/@/A/B/C/D/E/F/G/H/I/J/K/L/M"
        "/N/O/P/Q/R/S/T/U/V/W/X/Y/Z/[/]/^/_/%60/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/%7B/|/%7D/~"
    )
    assert request_line(url) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://localhost:4041/𝌆/й/你/ス/🍪", "GET /%F0%9D%8C%86/%D0%B9/%E4%BD%A0/%E3%82%B9/%F0%9F%8D%AA"),
        ("http://localhost:4041/foo/%2a/%F0%9F%8D%AA", "GET /foo/%2a/%F0%9F%8D%AA"),
        ("http://localhost:4041?q=𝌆й你ス🍪", "GET /?q=%F0%9D%8C%86%D0%B9%E4%BD%A0%E3%82%B9%F0%9F%8D%AA"),
        ("http://localhost:4041/?q=%F0%9F%8D%AA", "GET /?q=%F0%9F%8D%AA"),
    ],
)
def test_newman_unicode_and_pre_encoded(raw: str, expected: str) -> None:
    url = newman_url(parse_url(raw))
    assert request_line(url) == expected
    assert url.startswith("http://localhost:4041/")


def test_newman_redirect_first_hop() -> None:
    # Newman skips the assertions after the redirect (pm.test.skip); the first request is ours.
    query = (("url", "https://postman-echo.com/get?q={abc}"),)
    url = build_url(parts(("httpbin", "org"), protocol="https", path=("redirect-to",), query=query))
    assert url == "https://httpbin.org/redirect-to?url=https://postman-echo.com/get?q={abc}"
    query = (("url", 'https://postman-echo.com/get?q={"abc"}'),)
    structured = parts(("httpbin", "org"), protocol="https", path=("redirect-to",), query=query)
    assert (
        build_url(structured)
        == "https://httpbin.org/redirect-to?url=https://postman-echo.com/get?q={%22abc%22}"
    )
    assert build_url(structured, disable_encoding=True).endswith(
        '?url=https://postman-echo.com/get?q={"abc"}'
    )


# --------------------------------------------------------------------------- Newman: Disabled Encoding folder


def test_newman_disabled_encoding_path() -> None:
    segments = [
        *(chr(i) for i in range(33, 47)),
        "",
        "",
        *(chr(i) for i in range(48, 127) if chr(i) not in "?\\"),
    ]
    segments.remove("#")
    url = newman_url(parts(("localhost",), port="4041", path=tuple(segments)), disable=True)
    expected = (
        "GET /!/\"/$/%/&/'/(/)/*/+/,/-/.///0/1/2/3/4/5/6/7/8/9/:/;/</=/>/@/A/B/C/D/E/F/G/H/I/J/K/L/M/N/O/P/Q"
        "/R/S/T/U/V/W/X/Y/Z/[/]/^/_/`/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/{/|/}/~"
    )
    assert request_line(url) == expected


def test_newman_disabled_encoding_query() -> None:
    value = "\"'<=>!$%()*+,-./0123456789:;?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    raw = "http://localhost:4041?q=" + value
    assert parse_url(raw).query == (("q", value),)
    assert request_line(build_url(parse_url(raw), disable_encoding=True)) == "GET /?q=" + value
    encoded = "/?q=%22%27%3C=%3E" + value[5:]  # only " ' < > change; '%(' is no escape, so it stays
    assert build_url(parse_url(raw)) == "http://localhost:4041" + encoded


def test_disabled_encoding_refuses_what_node_refuses() -> None:
    with pytest.raises(ResolveError):
        build_url(parts(path=("a b",)), disable_encoding=True)
    with pytest.raises(ResolveError):
        build_url(parts(query=(("q", "你"),)), disable_encoding=True)
    assert build_url(parts(host=("😎", "cool")), disable_encoding=True) == "http://xn--s28h.cool/"


# expected request lines, by item name, for the corpus test below (variables from its pre-request scripts)
NEWMAN_ITEMS: dict[str, tuple[dict[str, str], str]] = {
    "nested variables": ({"one": "1", "host.1": "postman-echo.com"}, "https://postman-echo.com/get"),
    "reserved chars in variables": (
        {"p://": "https", "@": "root", "###": "password", "host.name": "postman-echo.com", ":p": "443"}
        | {"f/o/o": "get", "?": "foo", "&": "bar"},
        "https://root:password@postman-echo.com:443/get?foo=bar",
    ),
    "newlines": ({}, "https://postman-echo.com/get?foo=%0Abar%0A"),
    "\\\\ in path": ({}, "https://httpbin.org//get"),
    "// in protocol": ({}, "https://postman-echo.com/get"),
    "multiple ???": ({}, "https://postman-echo.com/get???&hl=en&src=api&x=2&y=2&z=3&s="),
    "multiple &&&": ({}, "https://postman-echo.com/get?foo=bar&&&bar=baz"),
    "multiple : and @ in auth": ({}, "https://us%40r:p%40ssword@postman-echo.com/get"),
    "retain ? in empty query param": ({}, "https://postman-echo.com/get?"),
    "retain & in empty query params": ({}, "https://postman-echo.com/get?&"),
    "retain && in empty query params": ({}, "https://postman-echo.com/get?&&"),
    "retain &foo in query param": ({}, "https://postman-echo.com/get?&foo"),
    "retain foo& in query param": ({}, "https://postman-echo.com/get?foo&"),
    "params with & and #": (
        {"foo&bar": "1", "#foo#": "2"},
        "https://postman-echo.com/get?q=%231%23&x%26y=2&b%23a%26r",
    ),
    "disabled query param": ({}, "https://postman-echo.com/get"),
    "params with empty key or value": ({}, "https://postman-echo.com/get?get&=bar&=&baz=&&"),
    "IP shorthands": ({}, "http://127.0.0.1:4041/"),
    "path unicode characters": (
        {},
        "http://localhost:4041/%F0%9D%8C%86/%D0%B9/%E4%BD%A0/%E3%82%B9/%F0%9F%8D%AA",
    ),
    "path pre-encoded": ({}, "http://localhost:4041/foo/%2a/%F0%9F%8D%AA"),
    "query unicode characters": (
        {},
        "http://localhost:4041/?q=%F0%9D%8C%86%D0%B9%E4%BD%A0%E3%82%B9%F0%9F%8D%AA",
    ),
    "query pre-encoded": ({}, "http://localhost:4041/?q=%F0%9F%8D%AA"),
    "encoding": ({}, "https://httpbin.org/redirect-to?url=https://postman-echo.com/get?q={abc}"),
    "with disable encoding": (
        {},
        'https://httpbin.org/redirect-to?url=https://postman-echo.com/get?q={"abc"}',
    ),
}


def _structured(url: dict[str, object]) -> UrlParts:
    """A v2.1 url object as UrlParts (enabled query parameters only)."""
    auth = url.get("auth")
    query = tuple(
        (q.get("key") or "", q.get("value"))
        for q in url.get("query", [])  # type: ignore[union-attr]
        if not q.get("disabled")
    )
    return UrlParts(
        url.get("protocol"),  # type: ignore[arg-type]
        (auth["user"], auth.get("password")) if isinstance(auth, dict) else None,
        tuple(url.get("host", [])),  # type: ignore[arg-type]
        url.get("port"),  # type: ignore[arg-type]
        tuple(url.get("path", [])),  # type: ignore[arg-type]
        query,
        url.get("hash"),  # type: ignore[arg-type]
    )


def _items(node: dict[str, object]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for item in node.get("item", []):  # type: ignore[union-attr]
        found.extend(_items(item) if "item" in item else [item])
    return found


def test_newman_corpus_collection_end_to_end() -> None:
    if not CORPUS.exists():
        pytest.skip("corpus absent")
    collection = json.loads(CORPUS.read_text(encoding="utf-8"))
    seen = set()
    for item in _items(collection):
        name = str(item["name"])
        if name in ("path encoding", "query encoding"):
            continue  # checked above segment by segment
        variables, expected = NEWMAN_ITEMS[name]
        disable = bool(item.get("protocolProfileBehavior", {}).get("disableUrlEncoding"))  # type: ignore[union-attr]
        structured = _structured(item["request"]["url"])  # type: ignore[index]
        assert newman_url(structured, variables, disable=disable) == expected, name
        seen.add(name)
    assert seen == set(NEWMAN_ITEMS)


# --------------------------------------------------------------------------- postman-url-encoder unit tests


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("😎.cool", "xn--s28h.cool"),
        ("postman.com", "postman.com"),
        ("郵便屋さん.com", "xn--48jwgn17gdel797d.com"),
        ("中文.com", "xn--fiq228c.com"),
        ("🍪.example.com", "xn--hj8h.example.com"),
        ("0", "0.0.0.0"),
        ("1234", "0.0.4.210"),
        ("127.1", "127.0.0.1"),
        ("255.255.255", "255.255.0.255"),
        ("8.8", "8.0.0.8"),
        ("0x7f.1", "127.0.0.1"),
        ("xn--48jwgn17gdel797d.com", "xn--48jwgn17gdel797d.com"),
        ("255.255.255.0", "255.255.255.0"),
        ("EXAMPLE.COM", "example.com"),
        ("xn--iñvalid.com", "xn--iñvalid.com"),
        ("99999999999", "99999999999"),
        ("xn:", "xn:"),
        ("postman.com%60f.society.org", "postman.com`f.society.org"),
        ("[::1]", "[::1]"),
        ("[1080:0:0:0:8:800:200C:417A]", "[1080::8:800:200c:417a]"),
        ("[::ffff:1.2.3.4]", "[::ffff:102:304]"),
        ("ß.de", "xn--zca.de"),
        ("ẞ.de", "xn--zca.de"),  # lower-cased first, as toNodeUrl does: ẞ -> ß
        ("ｅｘａｍｐｌｅ．ｃｏｍ", "example.com"),
        ("例え。テスト", "xn--r8jz45g.xn--zckzah"),
        ("⚡️.com", "xn--57h.com"),
        ("a\u00adb.com", "ab.com"),
        ("{{host}}", "{{host}}"),
        ("_x.com", "_x.com"),
        ("a b", "a b"),
        ("a..b", "a..b"),
        ("\u00ad", "\u00ad"),
        ("a\u200db.com", "a\u200db.com"),
        ("مثال.إختبار", "xn--mgbh0fb.xn--kgbechtv"),
        ("\u05d0a.com", "\u05d0a.com"),
        ("\u0915\u094d\u200d.com", "xn--11b6iy14e.com"),
        ("\u0628\u200c\u0628.com", "xn--ngba799q.com"),
        ("1.2.3.4.5", "1.2.3.4.5"),
        ("a.0x1g", "a.0x1g"),
    ],
)
def test_encode_host(host: str, expected: str) -> None:
    assert encode_host(host) == expected


def test_encode_host_follows_the_hostname_setter() -> None:
    # Node >= 18 (ada): '#', '?', '/' and '\' end the host, tabs and newlines vanish
    assert encode_host("example#com") == "example"
    assert encode_host("{{x#y}}c") == "{{x"
    assert encode_host("a\tb\n") == "ab"
    assert encode_host("a:b") == "a:b"
    assert encode_host("") == ""


def test_encode_path_sets() -> None:
    changed = {
        chr(i): encode_path([chr(i)])[1:] for i in range(32, 127) if encode_path([chr(i)])[1:] != chr(i)
    }
    assert changed == {
        " ": "%20",
        '"': "%22",
        "<": "%3C",
        ">": "%3E",
        "`": "%60",
        "#": "%23",
        "?": "%3F",
        "{": "%7B",
        "}": "%7D",
    }
    assert all(encode_path([chr(i)]) == f"/%{i:02X}" for i in [*range(32), 127])
    assert encode_path(["𝌆", "й", "你", "ス"]) == "/%F0%9D%8C%86/%D0%B9/%E4%BD%A0/%E3%82%B9"
    assert encode_path(["foo", "bar", "(bàz)"]) == "/foo/bar/(b%C3%A0z)"
    assert encode_path(["foo", "%2a", "%F0%9F%8D%AA"]) == "/foo/%2a/%F0%9F%8D%AA"
    assert encode_path(["foo", "+", "(b%C3%A0r)"]) == "/foo/+/(b%C3%A0r)"
    assert encode_path(["foo", "bar", ' "<>`#?{}']) == "/foo/bar/%20%22%3C%3E%60%23%3F%7B%7D"
    assert encode_path(["path "]) == "/path%20"
    assert encode_path([]) == "/"
    assert encode_path(["\ud83c\udf6a", "\ud800"]) == "/%F0%9F%8D%AA/%EF%BF%BD"


def test_encode_userinfo_set() -> None:
    assert (
        encode_userinfo('info~ "<>`#?{}/:;=@[\\]^|')
        == "info~%20%22%3C%3E%60%23%3F%7B%7D%2F%3A%3B%3D%40%5B%5C%5D%5E%7C"
    )
    assert encode_userinfo("𝌆й你ス") == "%F0%9D%8C%86%D0%B9%E4%BD%A0%E3%82%B9"
    assert encode_userinfo("username_%F0%9F%8D%AA") == "username_%F0%9F%8D%AA"


def test_encode_query_sets() -> None:
    changed = {
        chr(i): encode_query([(chr(i), None)])
        for i in range(32, 127)
        if encode_query([(chr(i), None)]) != chr(i)
    }
    assert changed == {
        " ": "%20",
        '"': "%22",
        "#": "%23",
        "&": "%26",
        "'": "%27",
        "<": "%3C",
        "=": "%3D",
        ">": "%3E",
    }
    values = {chr(i): encode_query([("k", chr(i))])[2:] for i in range(32, 127)}
    assert {c: e for c, e in values.items() if e != c} == {
        " ": "%20",
        '"': "%22",
        "#": "%23",
        "&": "%26",
        "'": "%27",
        "<": "%3C",
        ">": "%3E",
    }
    assert encode_query([("q", "(🚀)")]) == "q=(%F0%9F%9A%80)"
    assert encode_query([("", "bar")]) == "=bar"
    assert encode_query([("foo", None)]) == "foo"
    assert encode_query([("foo", "")]) == "foo="
    assert encode_query([("", "")]) == "="
    assert encode_query([("foo=𝌆й你ス", "bar")]) == "foo%3D%F0%9D%8C%86%D0%B9%E4%BD%A0%E3%82%B9=bar"
    assert encode_query([("foo", '"𝌆й你ス"')]) == "foo=%22%F0%9D%8C%86%D0%B9%E4%BD%A0%E3%82%B9%22"
    assert encode_query([("foo%20bar", "%25")]) == "foo%20bar=%25"
    assert encode_query([("%25", "%25")]) == "%25=%25"
    assert encode_query([("q", "(A & B)")]) == "q=(A%20%26%20B)"
    assert (
        encode_query([("q1", "(1 2)"), ("q2", "𝌆й你ス")])
        == "q1=(1%202)&q2=%F0%9D%8C%86%D0%B9%E4%BD%A0%E3%82%B9"
    )
    assert encode_query([("q1", "v1 \t\r\n\v\f")]) == "q1=v1%20%09%0D%0A%0B%0C"
    assert encode_query([("☝🏻", "v1"), ("✌🏻", "v2")]) == "%E2%98%9D%F0%9F%8F%BB=v1&%E2%9C%8C%F0%9F%8F%BB=v2"
    assert encode_query([("q1", "𝌆+й"), ("q1", "你-ス"), ("q2", "")]) == (
        "q1=%F0%9D%8C%86+%D0%B9&q1=%E4%BD%A0-%E3%82%B9&q2="
    )
    assert encode_query([("get", None), ("", "bar"), ("", ""), ("baz", ""), ("", None), ("", None)]) == (
        "get&=bar&=&baz=&&"
    )


def test_unparse_query_keeps_variables_whole() -> None:
    assert unparse_query([('("foo")', None), ("", '"bar"'), ("", ""), ("BAZ", ""), ("", "{qux}")]) == (
        '("foo")&="bar"&=&BAZ=&={qux}'
    )
    assert unparse_query([("a&b", "c&d#e=f")]) == "a%26b=c%26d%23e=f"
    assert unparse_query([("{{k=v}}", "{{a&b}}&{{c}}")]) == "{{k=v}}={{a&b}}%26{{c}}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "protocol://user:password@host.com:port/p/a/t/h?q=query#hash",
            UrlParts(
                "protocol",
                ("user", "password"),
                ("host", "com"),
                "port",
                ("p", "a", "t", "h"),
                (("q", "query"),),
                "hash",
            ),
        ),
        (
            "http://{{hostname}}.com/{{path}}#",
            UrlParts("http", None, ("{{hostname}}", "com"), None, ("{{path}}",), (), ""),
        ),
        (
            "protocol://{{user}}:{{p@ssw?rd}}@{{host.name}}.com:{{#port}}/p/a/t/h?q=query#",
            UrlParts(
                "protocol",
                ("{{user}}", "{{p@ssw?rd}}"),
                ("{{host.name}}", "com"),
                "{{#port}}",
                ("p", "a", "t", "h"),
                (("q", "query"),),
                "",
            ),
        ),
        ("    http://postman.com", UrlParts("http", None, ("postman", "com"), None, (), (), None)),
        ("http://postman.com    ", UrlParts("http", None, ("postman", "com    "), None, (), (), None)),
        ("://:@:/?#", UrlParts("", ("", ""), (), "", ("",), (("", None),), "")),
        (
            "http://\n:\r@\r.\n:\n/\n/\n?\n=\r#\n",
            UrlParts("http", ("\n", "\r"), ("\r", "\n"), "\n", ("\n", "\n"), (("\n", "\r"),), "\n"),
        ),
        (
            "http://localhost\\foo\\bar",
            UrlParts("http", None, ("localhost",), None, ("foo", "bar"), (), None),
        ),
        (
            "http://postman.com:80\\@evil.com/#foo\\bar",
            UrlParts("http", None, ("postman", "com"), "80", ("@evil.com", ""), (), "foo\\bar"),
        ),
        ("http://[::1]/path", UrlParts("http", None, ("[::1]",), None, ("path",), (), None)),
        ("http://[::1]:8080", UrlParts("http", None, ("[::1]",), "8080", (), (), None)),
        (
            "http://user:password@[1080:0:0:0:8:800:200C:417A]:8080",
            UrlParts("http", ("user", "password"), ("[1080:0:0:0:8:800:200C:417A]",), "8080", (), (), None),
        ),
        (
            " \n\t\rhttp://localhost/path\n/name\n ",
            UrlParts("http", None, ("localhost",), None, ("path\n", "name\n "), (), None),
        ),
        (
            "http://user:p:a:s:s@localhost",
            UrlParts("http", ("user", "p:a:s:s"), ("localhost",), None, (), (), None),
        ),
        ("http://root@localhost", UrlParts("http", ("root", None), ("localhost",), None, (), (), None)),
        ("http:\\\\localhost", UrlParts("http", None, ("localhost",), None, (), (), None)),
        ("http:////localhost/foo", UrlParts("http", None, ("localhost",), None, ("foo",), (), None)),
        ("http:\\\\\\\\localhost", UrlParts("http", None, ("localhost",), None, (), (), None)),
        ("file://host/foo", UrlParts("file", None, ("host",), None, ("foo",), (), None)),
        ("file:///foo/bar", UrlParts("file", None, (), None, ("foo", "bar"), (), None)),
        ("file://///foo/bar", UrlParts("file", None, (), None, ("foo", "bar"), (), None)),
        ("", UrlParts(None, None, (), None, (), (), None)),
        ("example.com/x", UrlParts(None, None, ("example", "com"), None, ("x",), (), None)),
        (
            "{{base}}/a?b={{c?d}}",
            UrlParts(None, None, ("{{base}}",), None, ("a",), (("b", "{{c?d}}"),), None),
        ),
        (
            "http://localhost/p/q=foo@bar???&hl=en",
            UrlParts(
                "http", None, ("localhost",), None, ("p", "q=foo@bar"), (("??", None), ("hl", "en")), None
            ),
        ),
    ],
)
def test_parse_url(raw: str, expected: UrlParts) -> None:
    assert parse_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            'cooper@郵便屋さん.com:399/foo&bar/{baz}?q=("foo")#`hash`',
            "http://cooper@xn--48jwgn17gdel797d.com:399/foo&bar/%7Bbaz%7D?q=(%22foo%22)",
        ),
        ("example.com", "http://example.com/"),
        ("HTTP://example.com", "http://example.com/"),
        ("POSTMAN://example.com", "postman://example.com/"),
        ("UsEr:PaSsWoRd@example.com", "http://UsEr:PaSsWoRd@example.com/"),
        ("`user`:pâ$$@example.com", "http://%60user%60:p%C3%A2$$@example.com/"),
        ("%22user%22:p%C3%A2$$@example.com", "http://%22user%22:p%C3%A2$$@example.com/"),
        ("http://user:p:a:s:s@localhost", "http://user:p%3Aa%3As%3As@localhost/"),
        ("http://:secret@example.com", "http://:secret@example.com/"),
        ("http://@localhost", "http://@localhost/"),
        ("http://:@localhost", "http://:@localhost/"),
        ("http://localhost:", "http://localhost:/"),
        ("http://localhost#", "http://localhost/"),
        ("example.com?UPPER=CASE&lower=case", "http://example.com/?UPPER=CASE&lower=case"),
        ("example.com?q1=(1%202)&q2=f%C3%B2%C3%B3", "http://example.com/?q1=(1%202)&q2=f%C3%B2%C3%B3"),
        ("example.com/foo/你ス/(⚡️)", "http://example.com/foo/%E4%BD%A0%E3%82%B9/(%E2%9A%A1%EF%B8%8F)"),
        ("example.com/foo/%E4%BD%A0%E3%82%B9/(bar)/", "http://example.com/foo/%E4%BD%A0%E3%82%B9/(bar)/"),
        (
            "ròót@郵便屋さん.com/[⚡️]?q1=(1 2)#%foo%",
            "http://r%C3%B2%C3%B3t@xn--48jwgn17gdel797d.com/[%E2%9A%A1%EF%B8%8F]?q1=(1%202)",
        ),
        (
            "%22user%22:p%C3%A2$$@xn--48jwgn17gdel797d.com/%E4%BD?q1=(1%202)#(%F0%9F)",
            "http://%22user%22:p%C3%A2$$@xn--48jwgn17gdel797d.com/%E4%BD?q1=(1%202)",
        ),
        ("https://localhost/p/a/t/h?q=a&&b??c#123#321", "https://localhost/p/a/t/h?q=a&&b??c"),
        ("http://xn--iñvalid.com", "http://xn--iñvalid.com/"),
        ("http://192.168.0.1:8080", "http://192.168.0.1:8080/"),
        ("xn:", "http://xn:/"),
        ("localhost?&", "http://localhost/?&"),
    ],
)
def test_build_url_matches_to_node_url(raw: str, expected: str) -> None:
    assert build_url(parse_url(raw)) == expected


def test_build_url_from_structured_parts() -> None:
    structured = parts(("127", "1"), protocol="postman", path=("f00", "#", "bär"), query=(("q", "(A & B)"),))
    assert build_url(structured) == "postman://127.0.0.1/f00/%23/b%C3%A4r?q=(A%20%26%20B)"
    assert build_url(parts(auth=("", "🔒"))) == "http://:%F0%9F%94%92@example.com/"
    assert build_url(parts(auth=("root@domain.com", None))) == "http://root%40domain.com@example.com/"
    assert build_url(parts(auth=("", "secret#123"))) == "http://:secret%23123@example.com/"
    assert build_url(parts(auth=("", None))) == "http://@example.com/"
    assert build_url(parts(protocol=None, host=(), path=("p", "a", "t", "h"))) == "http:///p/a/t/h"
    query = (
        (" ", None),
        ('"', None),
        ("#", None),
        ("&", None),
        ("'", None),
        ("<", None),
        ("=", None),
        (">", None),
    )
    assert build_url(parts(query=query)) == "http://example.com/?%20&%22&%23&%26&%27&%3C&%3D&%3E"
    path = (" ", '"', "<", ">", "`", "#", "?", "{", "}")
    assert build_url(parts(path=path)) == "http://example.com/%20/%22/%3C/%3E/%60/%23/%3F/%7B/%7D"


def test_build_url_with_disabled_encoding() -> None:
    raw = 'r@@t:b:a:r@郵便屋さん.com:399/foo&bar/{baz}?q=("foo")#`hash`'
    assert build_url(parse_url(raw), disable_encoding=True) == (
        'http://r@@t:b:a:r@xn--48jwgn17gdel797d.com:399/foo&bar/{baz}?q=("foo")'
    )
    assert build_url(parse_url("http://localhost?"), disable_encoding=True) == "http://localhost/?"
    assert build_url(parse_url("localhost?&"), disable_encoding=True) == "http://localhost/?&"


def test_unparse_url_is_url_to_string() -> None:
    structured = UrlParts("https", ("u", "p"), ("a", "b"), "1", ("x", "y"), (("k", "v&w"), ("n", None)), "h")
    assert unparse_url(structured) == "https://u:p@a.b:1/x/y?k=v%26w&n#h"
    assert unparse_url(parts(protocol="http://", path=())) == "http://example.com"
    assert parse_url(unparse_url(structured)) == UrlParts(
        "https", ("u", "p"), ("a", "b"), "1", ("x", "y"), (("k", "v%26w"), ("n", None)), "h"
    )


def test_resolve_path_variables() -> None:
    values = {"id": "42", "empty": "", "fmt": "json"}
    assert resolve_path_variables(
        [":id", ":id.json", ":missing", ":empty", ":", "x:id", ":fmt.x.y"], values
    ) == (
        "42",
        "42.json",
        ":missing",
        ":empty",
        ":",
        "x:id",
        "json.x.y",
    )


# --------------------------------------------------------------------------- urlencoded bodies


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("foo", "bar"), ("alpha", "beta"), ("alpha", "gama")], "foo=bar&alpha=beta&alpha=gama"),
        ([("extraChars", "!'()*")], "extraChars=%21%27%28%29%2A"),
        ([("a b", "!*()~ é")], "a%20b=%21%2A%28%29~%20%C3%A9"),
        ([("b", "1"), ("1", "x"), ("b", "2"), ("__proto__", "z")], "1=x&b=1&b=2"),
        (
            [
                ("z", "1"),
                ("4294967295", "a"),
                ("4294967294", "b"),
                ("01", "c"),
                ("0", "d"),
                ("-1", "e"),
                ("10", "f"),
            ],
            "0=d&10=f&4294967294=b&z=1&4294967295=a&01=c&-1=e",
        ),
        ([("k", "%20+&="), ("{{v}}", "\r\n")], "k=%2520%2B%26%3D&%7B%7Bv%7D%7D=%0D%0A"),
        ([("k", ""), ("", "v")], "k=&=v"),
        ([("emoji", "🍪"), ("pair", "\ud83c\udf6a")], "emoji=%F0%9F%8D%AA&pair=%F0%9F%8D%AA"),
        ([], ""),
    ],
)
def test_encode_form(pairs: list[tuple[str, str]], expected: str) -> None:
    assert encode_form(pairs) == expected


def test_encode_form_refuses_lone_surrogates() -> None:
    with pytest.raises(ResolveError):
        encode_form([("k", "\ud800")])


# --------------------------------------------------------------------------- properties

texts = st.text(st.characters(codec="utf-8"), max_size=30)


def _assert_wire_safe(encoded: str) -> None:
    assert encoded.isascii()
    assert not set(encoded) & {" ", "\r", "\n", "#"}


@given(st.lists(texts, max_size=5))
def test_path_is_ascii_round_trips_and_is_idempotent(segments: list[str]) -> None:
    encoded = encode_path(segments)
    _assert_wire_safe(encoded)
    assert encode_path(encoded[1:].split("/")) == encoded
    if not any("%" in s for s in segments):
        assert unquote(encoded, errors="strict") == "/" + "/".join(segments)


params = st.lists(st.tuples(texts, st.none() | texts), max_size=5)


@given(params)
def test_query_is_ascii_round_trips_and_is_idempotent(query: list[tuple[str, str | None]]) -> None:
    encoded = encode_query(query)
    _assert_wire_safe(encoded)
    assert encode_query(parse_url("?" + encoded).query) == encoded if query else encoded == ""
    plain = not any("%" in k or "{{" in k or "%" in (v or "") or "{{" in (v or "") for k, v in query)
    if plain and query:
        pieces = encoded.split("&")
        assert len(pieces) == len(query)
        for piece, (key, value) in zip(pieces, query, strict=True):
            expected = key if value is None else f"{key}={value}"
            assert unquote(piece, errors="strict") == expected


@given(st.lists(st.tuples(texts, texts), max_size=6))
def test_form_round_trips_through_parse_qsl(pairs: list[tuple[str, str]]) -> None:
    pairs = [(k, v) for k, v in pairs if k != "__proto__" and not (k.isascii() and k.isdigit())]
    body = encode_form(pairs)
    assert body.isascii() and not set(body) - set(string.ascii_letters + string.digits + "-._~%&=")
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    expected = [(k, v) for k, vs in grouped.items() for v in vs]
    assert parse_qsl(body, keep_blank_values=True, strict_parsing=bool(body)) == expected


labels = st.text(st.sampled_from(string.ascii_letters + string.digits + "-_"), min_size=1, max_size=10)


no_backslash = st.text(st.characters(codec="utf-8", exclude_characters="\\"), max_size=30)


@given(
    st.lists(labels, min_size=1, max_size=3),
    st.none() | st.text(st.sampled_from(string.digits), min_size=1, max_size=5),
    st.lists(no_backslash, max_size=4),  # the parser reads a path "\\" as "/"
    params,
    st.none() | st.tuples(texts, st.none() | texts),
)
def test_build_url_reparses_to_itself(
    host: list[str],
    port: str | None,
    path: list[str],
    query: list[tuple[str, str | None]],
    auth: tuple[str, str | None] | None,
) -> None:
    url = build_url(UrlParts("https", auth, tuple(host), port, tuple(path), tuple(query), "frag"))
    _assert_wire_safe(url)
    assert build_url(parse_url(url)) == url


@given(texts)
def test_encode_host_is_ascii_or_the_host_as_typed(host: str) -> None:
    result = encode_host(host)
    assert result.isascii() or result == host.lower()
