"""What the HTTP clients of the compiled-language targets do to a request: facts templates must not compute.

Each function answers one question about one client library (Go's net/http, Java's HttpClient...) for a
resolved request: how to group its headers, whether the client keeps the URL, and which differences the
generated file must declare as "not sent exactly" in its header comment. Pure functions of the request; no
Jinja here (``engine`` registers them as template globals).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from postman_gen.resolution.placeholders import has_tokens, replace_tokens
from postman_gen.resolution.request import Header, MultipartBody, ResolvedRequest

# --------------------------------------------------------------------------- URLs


@dataclass(frozen=True, slots=True)
class UrlParts:
    """A URL cut where clients take it apart: ``origin`` (scheme and authority), ``path``, ``query``.

    ``query`` is None when the URL has no ``?``; empty when it ends with one.
    """

    origin: str
    path: str
    query: str | None


def url_parts(url: str) -> UrlParts | None:
    """``url`` cut into origin, path and query; None when no literal ``/`` follows the authority.

    A URL that starts with a variable (``{{base_url}}/users``) has that variable as its origin.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
        head = url.split("/", 1)[0]
        if not head or not has_tokens(head) or replace_tokens(head, ""):
            return None
    if "/" not in rest:
        return None
    slash = rest.index("/")
    if "?" in rest[:slash]:
        return None
    target = rest[slash:]
    path, mark, query = target.partition("?")
    return UrlParts((scheme + "://" if sep else "") + rest[:slash], path, query if mark else None)


def _plain(text: str) -> str:
    """``text`` with each run-time value as a plain word (generated code inserts them as they are)."""
    return replace_tokens(text, "x") if has_tokens(text) else text


# RFC 3986 path characters Go's url.URL.EscapedPath keeps as they are (validEncoded).
_GO_PATH_KEPT = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]/]|%[0-9A-Fa-f]{2})*")


def go_keeps_path(url: str) -> bool:
    """Whether ``http.NewRequest(method, url, ...)`` sends the URL's path as written.

    Go re-encodes a path holding a character outside RFC 3986's path set (or refuses a ``%`` that
    starts no escape); the query is always sent as written. Run-time values count as plain words.
    """
    parts = url_parts(url)
    return parts is None or _GO_PATH_KEPT.fullmatch(_plain(parts.path)) is not None


# --------------------------------------------------------------------------- headers


def has_control(value: str) -> bool:
    """Whether a header value holds a control character other than tab (Go and Java refuse the header)."""
    return any((ch < " " and ch != "\t") or ch == "\x7f" for ch in value)


def control_notes(client: str, headers: Sequence[Header]) -> list[str]:
    """A "not sent exactly" note per header ``client`` refuses for a control character in its value."""
    return [
        f"not sent exactly: {client} refuses the control characters in the value of header {h.name}: "
        "the header is left out"
        for h in headers
        if has_control(h.value)
    ]


@dataclass(frozen=True, slots=True)
class HeaderGroup:
    """All values of one exact header name, in order; ``canonical``: the client's spelling is the same."""

    name: str
    values: tuple[Header, ...]
    canonical: bool


def go_canonical(name: str) -> str:
    """Go's ``textproto.CanonicalMIMEHeaderKey``: ``x-api-key`` becomes ``X-Api-Key``."""
    out = []
    upper = True
    for original in name:
        ch = original
        if upper and "a" <= ch <= "z":
            ch = ch.upper()
        elif not upper and "A" <= ch <= "Z":
            ch = ch.lower()
        out.append(ch)
        upper = original == "-"
    return "".join(out)


_GO_OWN = frozenset({"host", "user-agent", "content-length", "transfer-encoding", "trailer"})


def go_header_groups(headers: Sequence[Header]) -> list[HeaderGroup]:
    """The headers Go's ``req.Header`` map holds: one entry per exact name (Host goes to ``req.Host``)."""
    groups: dict[str, list[Header]] = {}
    for h in headers:
        if h.name.lower() != "host" and not has_control(h.value):
            groups.setdefault(h.name, []).append(h)
    return [HeaderGroup(name, tuple(values), go_canonical(name) == name) for name, values in groups.items()]


def _go_wire(request: ResolvedRequest) -> list[tuple[str, str]]:
    """The collection's headers in the order net/http writes them (Request.write)."""
    headers = [h for h in request.headers if not has_control(h.value)]
    wire: list[tuple[str, str]] = []
    host = next((h for h in headers if h.name.lower() == "host"), None)
    if host is not None:
        wire.append(("Host", host.value))
    agent = next((h for h in headers if h.name == "User-Agent"), None)
    if agent is not None:
        wire.append(("User-Agent", agent.value))
    length = next((h for h in headers if h.name.lower() == "content-length"), None)
    if length is not None and request.body.kind != "none":
        wire.append(("Content-Length", length.value))
    rest = [g for g in go_header_groups(headers) if g.name not in ("User-Agent", "Content-Length")]
    for group in sorted(rest, key=lambda g: g.name):
        if group.canonical and group.name.lower() in _GO_OWN:
            continue
        wire.extend((h.name, h.value) for h in group.values)
    return wire


def go_notes(request: ResolvedRequest) -> list[str]:
    """What net/http cannot send exactly for ``request`` ("not sent exactly: ..." lines)."""
    notes = control_notes("net/http", request.headers)
    want = [(h.name, h.value) for h in request.headers if not has_control(h.value)]
    wire = _go_wire(request)
    if sorted(want) != sorted(wire):
        lost = [h.name for h in request.headers if (h.name, h.value) not in wire]
        notes.append(
            "not sent exactly: net/http writes Host, User-Agent and Content-Length itself (one value each, "
            "canonical spelling): " + ", ".join(dict.fromkeys(lost))
        )
    elif want != wire:
        notes.append(
            "not sent exactly: net/http writes Host and User-Agent first and the other headers sorted by "
            "name, not in the collection's order"
        )
    return notes


# --------------------------------------------------------------------------- Ruby's Net::HTTP

# A URL Ruby's URI() (RFC 3986 parser) accepts: path and query of RFC 3986 characters and escapes only.
_RFC3986_TARGET = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")

RUBY_METHODS = {
    "GET": ("Get", False),
    "HEAD": ("Head", False),
    "POST": ("Post", True),
    "PUT": ("Put", True),
    "DELETE": ("Delete", False),
    "OPTIONS": ("Options", False),
    "TRACE": ("Trace", False),
    "PATCH": ("Patch", True),
    "PROPFIND": ("Propfind", True),
    "PROPPATCH": ("Proppatch", True),
    "MKCOL": ("Mkcol", True),
    "COPY": ("Copy", False),
    "MOVE": ("Move", False),
    "LOCK": ("Lock", True),
    "UNLOCK": ("Unlock", True),
}


def rfc3986_target(url: str) -> bool:
    """Whether the URL's path and query hold only RFC 3986 characters and escapes (URI() parses it)."""
    parts = url_parts(url)
    if parts is None:
        return True
    target = parts.path + ("?" + parts.query if parts.query is not None else "")
    return _RFC3986_TARGET.fullmatch(_plain(target)) is not None


def _ruby_capitalize(name: str) -> str:
    """The name as Net::HTTP writes it: ``name.split('-').map(&:capitalize).join('-')``, where Ruby's
    split drops trailing empty fields (``x-`` goes as ``X``, ``-`` as an empty name)."""
    parts = name.split("-")
    while parts and not parts[-1]:
        parts.pop()
    return "-".join(part.capitalize() for part in parts)


def ruby_notes(request: ResolvedRequest) -> list[str]:
    """What Net::HTTP cannot send exactly for ``request`` ("not sent exactly: ..." lines)."""
    notes = []
    headers = request.headers
    respelled = [h.name for h in headers if _ruby_capitalize(h.name) != h.name]
    if respelled:
        names = ", ".join(dict.fromkeys(respelled))
        notes.append(f"not sent exactly: Net::HTTP writes header names capitalized: {names}")
    lowers = [h.name.lower() for h in headers]
    repeated = [name for name in dict.fromkeys(lowers) if lowers.count(name) > 1]
    if repeated:
        names = ", ".join(repeated)
        notes.append(f"not sent exactly: Net::HTTP joins a repeated header's values into one line: {names}")
    sends_body = request.body.kind != "none" or RUBY_METHODS.get(request.method, ("", True))[1]
    if sends_body and request.body.kind != "formdata" and request.header("Content-Type") is None:
        notes.append(
            "not sent exactly: Net::HTTP adds Content-Type: application/x-www-form-urlencoded to a body sent "
            "without one"
        )
    return notes


# --------------------------------------------------------------------------- Java's java.net.http.HttpClient

# Headers HttpClient refuses unless the jdk.httpclient.allowRestrictedHeaders property names them.
JAVA_RESTRICTED = frozenset({"connection", "content-length", "expect", "host", "upgrade"})


def java_notes(request: ResolvedRequest) -> list[str]:
    """What HttpClient cannot send exactly: it sends headers sorted by name, a repeated one under its first
    spelling (a TreeMap ignoring case), and refuses a URL java.net.URI cannot parse."""
    notes = control_notes("HttpClient", request.headers)
    sent = [h for h in request.headers if not has_control(h.value)]
    groups: dict[str, list[Header]] = {}
    for h in sent:
        groups.setdefault(h.name.lower(), []).append(h)
    spelled = {key: values[0].name for key, values in groups.items()}
    wire = [(spelled[key], h.value) for key in sorted(groups) for h in groups[key]]
    want = [(h.name, h.value) for h in sent]
    if sorted(want) != sorted(wire):
        names = ", ".join(h.name for h in request.headers if (h.name, h.value) not in wire)
        notes.append(
            f"not sent exactly: HttpClient sends a repeated header under its first spelling: {names}"
        )
    elif want != wire:
        notes.append(
            "not sent exactly: HttpClient sends headers sorted by name, not in the collection's order"
        )
    non_ascii = [h.name for h in sent if not h.value.isascii()]
    if non_ascii:
        notes.append(
            "not sent exactly: HttpClient writes each non-ASCII character of a header value as '?': "
            + ", ".join(non_ascii)
        )
    if not rfc3986_target(request.url):
        notes.append(
            "not sent exactly: java.net.URI refuses characters of this URL: the code sends them "
            "percent-encoded"
        )
    return notes


_URI_REFUSED = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]|%(?![0-9A-Fa-f]{2})")


def java_uri(url: str) -> str:
    """``url`` with what java.net.URI refuses percent-encoded (run-time values are left alone)."""
    parts = url_parts(url)
    if parts is None or rfc3986_target(url):
        return url
    target = parts.path + ("?" + parts.query if parts.query is not None else "")
    encoded = _URI_REFUSED.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), target)
    return parts.origin + encoded


# --------------------------------------------------------------------------- .NET's System.Net.Http (Mono)

# Headers .NET keeps on the body (HttpContent.Headers): written after all the others.
CSHARP_CONTENT_HEADERS = frozenset(
    {
        "allow",
        "content-disposition",
        "content-encoding",
        "content-language",
        "content-length",
        "content-location",
        "content-md5",
        "content-range",
        "content-type",
        "expires",
        "last-modified",
    }
)


# Header names .NET knows and writes in its own spelling (HttpHeaders' known headers).
CSHARP_KNOWN = {
    name.lower(): name
    for name in (
        "Accept",
        "Accept-Charset",
        "Accept-Encoding",
        "Accept-Language",
        "Accept-Patch",
        "Accept-Ranges",
        "Access-Control-Allow-Credentials",
        "Access-Control-Allow-Headers",
        "Access-Control-Allow-Methods",
        "Access-Control-Allow-Origin",
        "Access-Control-Expose-Headers",
        "Access-Control-Max-Age",
        "Age",
        "Allow",
        "Alt-Svc",
        "Authorization",
        "Cache-Control",
        "Connection",
        "Content-Disposition",
        "Content-Encoding",
        "Content-Language",
        "Content-Length",
        "Content-Location",
        "Content-MD5",
        "Content-Range",
        "Content-Security-Policy",
        "Content-Type",
        "Cookie",
        "Cookie2",
        "Date",
        "ETag",
        "Expect",
        "Expires",
        "From",
        "Host",
        "If-Match",
        "If-Modified-Since",
        "If-None-Match",
        "If-Range",
        "If-Unmodified-Since",
        "Keep-Alive",
        "Last-Modified",
        "Link",
        "Location",
        "Max-Forwards",
        "Origin",
        "P3P",
        "Pragma",
        "Proxy-Authenticate",
        "Proxy-Authorization",
        "Proxy-Connection",
        "Proxy-Support",
        "Public-Key-Pins",
        "Range",
        "Referer",
        "Retry-After",
        "Sec-WebSocket-Accept",
        "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Key",
        "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Version",
        "Server",
        "Set-Cookie",
        "Set-Cookie2",
        "Strict-Transport-Security",
        "TE",
        "TSV",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Upgrade-Insecure-Requests",
        "User-Agent",
        "Vary",
        "Via",
        "WWW-Authenticate",
        "Warning",
        "X-AspNet-Version",
        "X-Content-Duration",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "X-MSEdge-Ref",
        "X-Powered-By",
        "X-Request-ID",
        "X-UA-Compatible",
    )
}


def csharp_sendable(h: Header) -> bool:
    """Whether HttpClient can send the header: it refuses non-ASCII and control characters in values."""
    return h.value.isascii() and not has_control(h.value)


def csharp_notes(request: ResolvedRequest) -> list[str]:
    """What HttpClient cannot send exactly: request headers first, then the body's (Content-Type...), a
    repeated header as one line under its first spelling, no non-ASCII or control characters in values."""
    notes = [
        "not sent exactly: HttpClient refuses non-ASCII or control characters in the value of header "
        f"{h.name}: the header is left out"
        for h in request.headers
        if not csharp_sendable(h)
    ]
    sent = [h for h in request.headers if csharp_sendable(h)]
    wire: list[tuple[str, str]] = []
    for content in (False, True):
        groups: dict[str, list[Header]] = {}
        for h in sent:
            if (h.name.lower() in CSHARP_CONTENT_HEADERS) is content:
                groups.setdefault(h.name.lower(), []).append(h)
        for key, values in groups.items():
            wire.append((CSHARP_KNOWN.get(key, values[0].name), ", ".join(h.value for h in values)))
    want = [(h.name, h.value) for h in sent]
    lowers = [h.name.lower() for h in sent]
    repeated = [name for name in dict.fromkeys(lowers) if lowers.count(name) > 1]
    respelled = [h.name for h in sent if CSHARP_KNOWN.get(h.name.lower(), h.name) != h.name]
    if repeated:
        names = ", ".join(repeated)
        notes.append(f"not sent exactly: HttpClient joins a repeated header's values into one line: {names}")
    if respelled:
        names = ", ".join(dict.fromkeys(respelled))
        notes.append(f"not sent exactly: HttpClient writes these header names in its own spelling: {names}")
    if not repeated and not respelled and want != wire:
        notes.append(
            "not sent exactly: HttpClient sends the body's headers (Content-Type...) after the others, "
            "not in the collection's order"
        )
    if not csharp_keeps_url(request.url):
        notes.append("not sent exactly: System.Uri percent-encodes or normalises characters of this URL")
    return notes


# Escapes System.Uri (Mono) decodes: unreserved characters; with a non-ASCII escape in the URL (IRI
# parsing) also ! ' ( ) * and :. It upper-cases the hex digits of every escape.
_CS_DECODED = re.compile(r"%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9]|2[DdEe]|5[Ff]|7[Ee])")
_CS_DECODED_IRI = re.compile(r"%(?:2[1789Aa]|3[Aa])")
_NON_ASCII_ESCAPE = re.compile(r"%[89A-Fa-f][0-9A-Fa-f]")
_LOWER_HEX_ESCAPE = re.compile(r"%(?:[0-9A-Fa-f][a-f]|[a-f][0-9A-Fa-f])")


def csharp_keeps_url(url: str) -> bool:
    """Whether ``new Uri(url)`` keeps the request target byte for byte (Mono's System.Uri normalises)."""
    parts = url_parts(url)
    if parts is None:
        return True
    target = _plain(parts.path + ("?" + parts.query if parts.query is not None else ""))
    if _RFC3986_TARGET.fullmatch(target) is None or _DOT_SEGMENT.search(target.split("?", 1)[0]):
        return False
    if _CS_DECODED.search(target) or _LOWER_HEX_ESCAPE.search(target):
        return False
    return not (_NON_ASCII_ESCAPE.search(target) and _CS_DECODED_IRI.search(target))


_DOT_SEGMENT = re.compile(r"/\.\.?(/|$)|/%2e", re.IGNORECASE)


# ------------------------------------------------------------------------- PHP's Guzzle (PSR-7 over libcurl)


def guzzle_headers(request: ResolvedRequest) -> list[HeaderGroup]:
    """The headers Guzzle's request holds: one entry per name (case ignored, first spelling), in order.

    A multipart Content-Type without a boundary is left to Guzzle, which adds it with its boundary.
    """
    groups: dict[str, list[Header]] = {}
    multipart = request.body.kind == "formdata"
    for h in request.headers:
        boundless = multipart and h.name.lower() == "content-type" and "boundary=" not in h.value
        if boundless or has_control(h.value):
            continue
        groups.setdefault(h.name.lower(), []).append(h)
    return [HeaderGroup(values[0].name, tuple(values), True) for values in groups.values()]


def guzzle_notes(request: ResolvedRequest) -> list[str]:
    """What Guzzle cannot send exactly: PSR-7 groups a repeated header under its first spelling, its Uri
    percent-encodes what RFC 3986 does not allow, and its multipart writer does not escape quotes."""
    notes = control_notes("Guzzle (PSR-7)", request.headers)
    groups = guzzle_headers(request)
    kept = [h for group in groups for h in group.values]
    want = [(h.name, h.value) for h in request.headers if h in kept]
    wire = [(group.name, h.value) for group in groups for h in group.values]
    if sorted(want) != sorted(wire):
        names = ", ".join(h.name for h in request.headers if h in kept and (h.name, h.value) not in wire)
        notes.append(f"not sent exactly: Guzzle sends a repeated header under its first spelling: {names}")
    elif want != wire:
        notes.append(
            "not sent exactly: Guzzle sends a repeated header's lines together, not in the given order"
        )
    dropped = [h for h in request.headers if h not in kept and not has_control(h.value)]
    if dropped and request.headers[-1] is not dropped[-1]:
        notes.append("not sent exactly: Guzzle adds the multipart Content-Type (with its boundary) last")
    if isinstance(request.body, MultipartBody):
        texts = [t or "" for part in request.body.parts for t in (part.name, part.filename)]
        if any(ch in text for text in texts for ch in '"\r\n\\'):
            notes.append(
                "not sent exactly: Guzzle writes quotes and line breaks of multipart names unescaped"
            )
    if not rfc3986_target(request.url):
        notes.append("not sent exactly: Guzzle's Uri percent-encodes characters of this URL")
    return notes
