"""URLs and urlencoded bodies, turned into the exact characters Newman puts on the wire.

Newman (postman-runtime) does not send the URL a user typed: it stringifies the request's
``Url`` (``Url#toString``), substitutes variables in that one string, re-parses it with
postman-url-encoder's parser (``Url.parse``) and then builds the request target with
``toNodeUrl``, which percent-encodes each part with its own WHATWG encode set and punycodes
the host. Urlencoded bodies take a different road (Node's ``querystring`` through
postman-request). Each of those steps is one small pure function here, so the replay and
every template see the same bytes. Nothing here does I/O.

Encode sets (besides C0 controls, U+007F and every non-ASCII byte, always encoded):

* path:     space ``"`` ``#`` ``<`` ``>`` ``?`` `````` ``{`` ``}``
* query:    space ``"`` ``#`` ``'`` ``<`` ``>`` (``&``/``#`` in values and ``&``/``#``/``=`` in keys
            are escaped earlier, when the query string is unparsed)
* userinfo: the path set and ``/`` ``:`` ``;`` ``=`` ``@`` ``[`` ``\\`` ``]`` ``^`` ``|``

An existing ``%XX`` (two hex digits, either case) is kept as is in all three, so encoding is
idempotent. A urlencoded body escapes everything but ``A-Z a-z 0-9 - . _ ~`` (space is ``%20``,
never ``+``; ``%`` is always ``%25``).
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from postman_gen.errors import ResolveError

if TYPE_CHECKING:
    from postman_gen.collection.model import Url

__all__ = [
    "FRAGMENT_ENCODE_SET",
    "PATH_ENCODE_SET",
    "QUERY_ENCODE_SET",
    "USERINFO_ENCODE_SET",
    "UrlParts",
    "build_host",
    "build_url",
    "encode_form",
    "encode_host",
    "encode_path",
    "encode_query",
    "encode_userinfo",
    "parse_url",
    "percent_encode",
    "resolve_path_variables",
    "unparse_query",
    "unparse_url",
]


@dataclass(frozen=True, slots=True)
class UrlParts:
    """A URL as Postman's SDK holds it: split into parts, nothing encoded, variables kept."""

    protocol: str | None
    auth: tuple[str, str | None] | None
    host: tuple[str, ...]
    port: str | None
    path: tuple[str, ...]
    query: tuple[tuple[str, str | None], ...]
    hash: str | None


# --------------------------------------------------------------------------- encode sets

_C0_CONTROLS: frozenset[int] = frozenset(range(0x20)) | {0x7F}
FRAGMENT_ENCODE_SET: frozenset[int] = _C0_CONTROLS | frozenset(b' "<>`')
PATH_ENCODE_SET: frozenset[int] = FRAGMENT_ENCODE_SET | frozenset(b"#?{}")
USERINFO_ENCODE_SET: frozenset[int] = PATH_ENCODE_SET | frozenset(b"/:;=@[\\]^|")
QUERY_ENCODE_SET: frozenset[int] = _C0_CONTROLS | frozenset(b" \"#'<>")

_HEX_DIGITS: frozenset[int] = frozenset(b"0123456789ABCDEFabcdef")


def _js_utf8(value: str) -> bytes:
    """UTF-8 bytes the way Node's ``Buffer.from(string)`` makes them.

    A Python ``str`` may hold surrogate code points (JSON ``"\\ud83c\\udf6a"`` decoded oddly, or
    a lone one); JavaScript pairs adjacent surrogates and turns a lone one into U+FFFD.
    """
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        paired = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return paired.encode("utf-8")


@functools.cache
def _needs_encoding(encode_set: frozenset[int]) -> Callable[[str], re.Match[str] | None]:
    """A search for the first character ``percent_encode`` would change (ASCII text only).

    Why: nearly every URL part is plain ASCII that needs no escape; one regex search tells so at C speed.
    ``%`` is never in an encode set (an existing escape is kept, a bare ``%`` goes as it is).
    """
    return re.compile("[" + "".join(re.escape(chr(byte)) for byte in sorted(encode_set)) + "]").search


def percent_encode(value: str, encode_set: frozenset[int]) -> str:
    """Percent-encode ``value`` like postman-url-encoder: per UTF-8 byte, keeping existing ``%XX``."""
    if value.isascii() and _needs_encoding(encode_set)(value) is None:
        return value
    data = _js_utf8(value)
    out: list[str] = []
    i, size = 0, len(data)
    while i < size:
        byte = data[i]
        if byte == 0x25 and i < size - 2 and data[i + 1] in _HEX_DIGITS and data[i + 2] in _HEX_DIGITS:
            out.append(data[i : i + 3].decode("ascii"))
            i += 3
            continue
        out.append(f"%{byte:02X}" if byte >= 0x80 or byte in encode_set else chr(byte))
        i += 1
    return "".join(out)


def encode_path(segments: Sequence[str]) -> str:
    """The request path Newman sends: ``/`` + segments joined by ``/``, path-encoded."""
    return percent_encode("/" + "/".join(segments), PATH_ENCODE_SET)


def encode_userinfo(value: str) -> str:
    """A URL user name or password, userinfo-encoded (``@`` and ``:`` become ``%40``/``%3A``)."""
    return percent_encode(value, USERINFO_ENCODE_SET)


# --------------------------------------------------------------------------- query strings

_VARIABLE_WITH_QUERY_DELIMITER = re.compile(r"\{\{[^{}]*[&#=][^{}]*\}\}")


def _escape_delimiters(text: str, *, is_key: bool) -> str:
    """Escape ``&`` and ``#`` (and ``=`` in keys) outside ``{{variables}}``, as ``QueryParam.unparse`` does.

    Without this a value holding ``&`` would split into two parameters when the string is parsed
    again. A ``{{variable}}`` whose name holds one of those characters is left whole so that it
    can still be substituted later.
    """
    delimiters = "&#=" if is_key else "&#"
    if not any(ch in text for ch in delimiters):
        return text

    def escape(chunk: str) -> str:
        chunk = chunk.replace("&", "%26").replace("#", "%23")
        return chunk.replace("=", "%3D") if is_key else chunk

    out: list[str] = []
    pointer = 0
    for match in _VARIABLE_WITH_QUERY_DELIMITER.finditer(text):
        out.append(escape(text[pointer : match.start()]) + match.group(0))
        pointer = match.end()
    out.append(escape(text[pointer:]))
    return "".join(out)


def unparse_query(params: Sequence[tuple[str, str | None]]) -> str:
    """The query string before percent-encoding (``Url#getQueryString``): what Newman sends with
    ``disableUrlEncoding``. A ``None`` value gives a bare key, ``""`` gives ``key=``."""
    parts: list[str] = []
    for key, value in params:
        text = _escape_delimiters(key, is_key=True)
        if value is not None:
            text += "=" + _escape_delimiters(value, is_key=False)
        parts.append(text)
    return "&".join(parts)


def encode_query(params: Sequence[tuple[str, str | None]]) -> str:
    """The query string Newman sends, without the leading ``?`` (``a=1&b&c=``)."""
    return percent_encode(unparse_query(params), QUERY_ENCODE_SET)


# --------------------------------------------------------------------------- parsing

# JavaScript's String#trimStart removes WhiteSpace and LineTerminator, a different set from str.isspace.
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_JS_WHITESPACE += "\u2028\u2029\u202f\u205f\u3000\ufeff"
_ANY_VARIABLE = re.compile(r"\{\{[^{}]*\}\}")


@dataclass(frozen=True, slots=True)
class _Masked:
    """A URL string whose ``{{variables}}`` each stand as one ``_``, and what each position restores to.

    ``originals`` is None when the text holds no variable: every position restores to itself.
    """

    text: str
    originals: tuple[str, ...] | None

    def restore(self, start: int, end: int) -> str:
        if self.originals is None:
            return self.text[start:end]
        return "".join(self.originals[start:end])

    def restore_split(self, start: int, end: int, separator: str) -> tuple[str, ...]:
        pieces: list[str] = []
        begin = start
        while True:
            found = self.text.find(separator, begin, end)
            if found == -1:
                pieces.append(self.restore(begin, end))
                return tuple(pieces)
            pieces.append(self.restore(begin, found))
            begin = found + 1


def _mask_variables(text: str) -> _Masked:
    """Hide ``{{...}}`` so a ``?``, ``#``, ``@``, ``:``, ``/`` or ``.`` in its name cannot split the URL."""
    if "{{" not in text or _ANY_VARIABLE.search(text) is None:
        return _Masked(text, None)
    masked: list[str] = []
    originals: list[str] = []
    pointer = 0
    for match in _ANY_VARIABLE.finditer(text):
        for ch in text[pointer : match.start()]:
            masked.append(ch)
            originals.append(ch)
        masked.append("_")
        originals.append(match.group(0))
        pointer = match.end()
    for ch in text[pointer:]:
        masked.append(ch)
        originals.append(ch)
    return _Masked("".join(masked), tuple(originals))


def _with_forward_slashes(masked: _Masked, end: int) -> _Masked:
    """Turn ``\\`` into ``/`` before the query, as the parser does (``http:\\\\host\\path``)."""
    if "\\" not in masked.text[:end]:
        return masked
    head = masked.text[:end].replace("\\", "/")
    if masked.originals is None:
        return _Masked(head + masked.text[end:], None)
    originals = tuple(
        "/" if i < end and masked.text[i] == "\\" else original for i, original in enumerate(masked.originals)
    )
    return _Masked(head + masked.text[end:], originals)


def _parse_query_param(param: str, index: int, count: int) -> tuple[str, str | None]:
    """``QueryParam.parseSingle``: ``k=v`` -> (k, v); ``k`` -> (k, None); an inner empty param has no key."""
    if param == "" and index != count - 1:
        return ("", None)
    key, sep, value = param.partition("=")
    return (key, value if sep else None)


def object_parts(url: Url) -> UrlParts:
    """A v2 object URL's parts as Newman joins them: enabled query parameters, no userinfo, no hash."""
    return UrlParts(
        protocol=url.protocol,
        auth=None,
        host=url.host or (),
        port=url.port,
        path=url.path or (),
        query=tuple((q.key, q.value) for q in url.query if not q.disabled),
        hash=None,
    )


def parse_url(raw: str) -> UrlParts:
    """Split a raw URL string like Postman's ``Url.parse`` (postman-url-encoder's parser).

    Works from both ends: the hash is cut at the first ``#``, the query at the first ``?``, the
    protocol at ``://``, the path at the first ``/``, the userinfo at the last ``@`` (user and
    password at its first ``:``), the port at the last ``:`` unless a ``]`` follows it. Only
    leading white space is trimmed. A missing scheme stays ``None``.
    """
    masked = _mask_variables(raw.lstrip(_JS_WHITESPACE))
    text = masked.text
    start, end = 0, len(text)

    hash_value: str | None = None
    found = text.find("#")
    if found != -1:
        hash_value = masked.restore(found + 1, end)
        end = found

    query: tuple[tuple[str, str | None], ...] = ()
    found = text.find("?", 0, end)
    if found != -1:
        params = masked.restore_split(found + 1, end, "&")
        query = tuple(_parse_query_param(p, i, len(params)) for i, p in enumerate(params))
        end = found

    masked = _with_forward_slashes(masked, end)
    text = masked.text

    protocol: str | None = None
    found = text.find("://", 0, end)
    if found != -1:
        protocol = masked.restore(0, found)
        start = found + 3
        slashes = len(text[start:end]) - len(text[start:end].lstrip("/"))
        keep_one = text[:found].lower() == "file" and slashes > 0
        start += slashes - 1 if keep_one else slashes

    path: tuple[str, ...] = ()
    found = text.find("/", start, end)
    if found != -1:
        path = masked.restore_split(found + 1, end, "/")
        end = found

    auth: tuple[str, str | None] | None = None
    found = text.rfind("@", start, end)
    if found != -1:
        colon = text.find(":", start, found)
        if colon == -1:
            auth = (masked.restore(start, found), None)
        else:
            auth = (masked.restore(start, colon), masked.restore(colon + 1, found))
        start = found + 1

    port: str | None = None
    found = text.rfind(":", start, end)
    if found != -1 and "]" not in text[found + 1 : end]:
        port = masked.restore(found + 1, end)
        end = found

    host = masked.restore_split(start, end, ".") if start < end else ()
    return UrlParts(protocol, auth, host, port, path, query, hash_value)


# --------------------------------------------------------------------------- path variables


def resolve_path_variables(segments: Sequence[str], values: Mapping[str, str]) -> tuple[str, ...]:
    """Replace ``:name`` segments like ``Url#getPath``: ``:id.json`` takes ``id``'s value and keeps ``.json``.

    A variable with no value, or an empty one, leaves the segment as written.
    """
    resolved: list[str] = []
    for segment in segments:
        if segment.startswith(":"):
            name = segment[1:].split(".", 1)[0]
            value = values.get(name) if name else None
            if value:
                segment = value + segment[1 + len(name) :]
        resolved.append(segment)
    return tuple(resolved)


# --------------------------------------------------------------------------- hosts

_FORBIDDEN_HOST = frozenset("\x00\t\n\r #/:<>?@[\\]^|")
_FORBIDDEN_DOMAIN = _FORBIDDEN_HOST | frozenset(chr(c) for c in range(0x20)) | {"%", "\x7f"}
# Deviation characters, kept under non-transitional UTS #46 processing.
_DEVIATIONS = frozenset("\u00df\u03c2\u200c\u200d")
_IGNORED = frozenset(
    [0x00AD, 0x034F, 0x180B, 0x180C, 0x180D, 0x180F, 0x200B, 0x2060, 0x2064, 0xFEFF, 0x1BCA0, 0x1BCA1]
    + [0x1BCA2, 0x1BCA3]
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
_FULL_STOPS = frozenset("\u3002\uff0e\uff61")
_VIRAMAS = frozenset(
    [0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C, 0x0D4D, 0x0DCA, 0x0E3A]
    + [0x0EBA, 0x0F84, 0x1039, 0x103A, 0x1714, 0x1734, 0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2]
    + [0x1BF3, 0x2D7F, 0xA806, 0xA82C, 0xA8C4, 0xA953, 0xA9C0, 0xAAF6, 0xABED, 0x10A3F, 0x11046, 0x1107F]
    + [0x110B9, 0x11133, 0x11134, 0x111C0, 0x11235, 0x112EA, 0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F]
    + [0x116B6, 0x1172B, 0x11839, 0x1193D, 0x1193E, 0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F, 0x11D44]
    + [0x11D45, 0x11D97]
)
_DISALLOWED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Cf"})


class _InvalidHost(Exception):
    """Internal: the WHATWG host parser fails, so Newman keeps the host as typed."""


def _percent_decode(text: str) -> str:
    """WHATWG percent-decode of the UTF-8 bytes, then UTF-8 decode with replacement."""
    data = text.encode("utf-8", "surrogatepass")
    out = bytearray()
    i = 0
    while i < len(data):
        if (
            data[i] == 0x25
            and i + 2 < len(data)
            and data[i + 1] in _HEX_DIGITS
            and data[i + 2] in _HEX_DIGITS
        ):
            out.append(int(data[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(data[i])
            i += 1
    return out.decode("utf-8", "replace")


def _uts46_map_char(ch: str) -> str:
    """Approximate the UTS #46 mapping of one code point (NFKC_Casefold, deviations kept, some ignored)."""
    if ord(ch) in _IGNORED:
        return ""
    if ch.isascii():
        return ch.lower()
    if ch in _DEVIATIONS:
        return ch
    if ch in _FULL_STOPS:
        return "."
    if ch in "\ufffc\ufffd" or unicodedata.category(ch) in _DISALLOWED_CATEGORIES:
        raise _InvalidHost(ch)
    mapped = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", ch).casefold())
    if "." in mapped or any(unicodedata.category(c) in _DISALLOWED_CATEGORIES for c in mapped):
        raise _InvalidHost(ch)
    return mapped


def _joiner_ok(label: str, index: int) -> bool:
    """ContextJ for the ZWJ/ZWNJ at ``index``: after a virama; a ZWNJ also between two Arabic-script letters.

    The joining-type part of the ZWNJ rule is approximated by "an AL letter somewhere before and after".
    """
    if index > 0 and ord(label[index - 1]) in _VIRAMAS:
        return True
    if label[index] == "\u200d" or index == 0 or index == len(label) - 1:
        return False

    def arabic_letter(ch: str) -> bool:
        return unicodedata.bidirectional(ch) == "AL" and unicodedata.category(ch) == "Lo"

    return any(map(arabic_letter, label[:index])) and any(map(arabic_letter, label[index + 1 :]))


def _bidi_ok(label: str) -> bool:
    """CheckBidi as Node 20's ada applies it to a label that holds an R, AL or AN character.

    A label starting with L only needs the characters before its last non-NSM one to be
    left-to-right-compatible; any other label must hold only right-to-left-compatible classes,
    not both EN and AN, and end (before trailing NSMs) with R, AL, EN or AN. Newer ada releases
    apply RFC 5893 in full, so a few mixed-direction labels differ between Node versions.
    """
    classes = [unicodedata.bidirectional(ch) for ch in label]
    if not {"R", "AL", "AN"} & set(classes):
        return True
    last = max((i for i, c in enumerate(classes) if c != "NSM"), default=-1)
    if last == -1:
        return False
    if classes[0] == "L":
        return set(classes[:last]) <= {"L", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"}
    significant = set(classes[: last + 1])
    allowed = {"R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"}
    ends_well = classes[last] in {"R", "AL", "EN", "AN"}
    return significant <= allowed and not {"EN", "AN"} <= significant and ends_well


def _check_label(label: str) -> None:
    """UTS #46 validity of one Unicode label (NFC, no leading combining mark, CheckJoiners, CheckBidi)."""
    if not label:
        return
    if unicodedata.normalize("NFC", label) != label or unicodedata.category(label[0]).startswith("M"):
        raise _InvalidHost(label)
    for index, ch in enumerate(label):
        if ch in "\u200c\u200d":
            # ada settles the label at its first joiner, without a bidi check
            if _joiner_ok(label, index):
                return
            raise _InvalidHost(label)
    if not _bidi_ok(label):
        raise _InvalidHost(label)


def _label_to_ascii(label: str) -> str:
    if label.startswith("xn--"):
        if not label.isascii():
            raise _InvalidHost(label)
        try:
            decoded = label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError, IndexError) as exc:
            raise _InvalidHost(label) from exc
        if not decoded or "".join(_uts46_map_char(c) for c in decoded) != decoded:
            raise _InvalidHost(label)
        _check_label(decoded)
        return label
    if label.isascii():
        return label
    _check_label(label)
    return "xn--" + label.encode("punycode").decode("ascii")


def _uts46_to_ascii(domain: str) -> str:
    """UTS #46 ToASCII as the URL standard asks (non-transitional, no hyphen or length checks)."""
    mapped = unicodedata.normalize("NFC", "".join(_uts46_map_char(c) for c in domain))
    return ".".join(_label_to_ascii(label) for label in mapped.split("."))


def _ipv4_number(part: str) -> int | None:
    """One dotted part of a WHATWG IPv4 address: decimal, ``0x`` hex (``0x`` alone is 0) or ``0`` octal."""
    if not part:
        return None
    radix, digits = 10, part
    if part[:2] in ("0x", "0X"):
        radix, digits = 16, part[2:]
    elif len(part) > 1 and part[0] == "0":
        radix, digits = 8, part[1:]
    if not digits:
        return 0
    allowed = {10: "0123456789", 8: "01234567", 16: "0123456789abcdefABCDEF"}[radix]
    if any(c not in allowed for c in digits):
        return None
    return int(digits, radix)


def _ends_in_number(domain: str) -> bool:
    parts = domain.split(".")
    if parts[-1] == "":
        if len(parts) == 1:
            return False
        parts.pop()
    last = parts[-1]
    if last and all(c in "0123456789" for c in last):
        return True
    return bool(last) and _ipv4_number(last) is not None


def _parse_ipv4(domain: str) -> str:
    """WHATWG IPv4 parser: ``127.1`` -> ``127.0.0.1``, ``0x7f.1`` -> ``127.0.0.1``."""
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    numbers = [_ipv4_number(p) for p in parts]
    if len(parts) > 4 or any(n is None for n in numbers):
        raise _InvalidHost(domain)
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise _InvalidHost(domain)
    address = values[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(values[:-1]))
    return ".".join(str((address >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def _serialize_ipv6(text: str) -> str:
    """WHATWG IPv6 serialization: lower-case hex, the first longest run of 2+ zero pieces as ``::``."""
    if any(c not in "0123456789abcdefABCDEF:." for c in text):
        raise _InvalidHost(text)
    try:
        packed = ipaddress.IPv6Address(text).packed
    except ValueError as exc:
        raise _InvalidHost(text) from exc
    pieces = [int.from_bytes(packed[i : i + 2], "big") for i in range(0, 16, 2)]
    best_start, best_len, run_start = -1, 1, -1
    for i, piece in enumerate([*pieces, 1]):
        if piece == 0 and run_start == -1:
            run_start = i
        elif piece != 0 and run_start != -1:
            if i - run_start > best_len:
                best_start, best_len = run_start, i - run_start
            run_start = -1
    hexes = [f"{p:x}" for p in pieces]
    if best_start == -1:
        return "[" + ":".join(hexes) + "]"
    head = ":".join(hexes[:best_start])
    tail = ":".join(hexes[best_start + best_len :])
    return f"[{head}::{tail}]"


def _hostname_setter_input(host: str) -> str:
    """What the WHATWG ``hostname`` setter hands to the host parser (Node's ``domainToASCII`` is that setter).

    Tabs and newlines vanish; ``/``, ``?``, ``#`` or ``\\`` end the host (so ``a#b`` gives ``a``);
    a ``:`` outside brackets or an empty host is a failure.
    """
    text = host.replace("\t", "").replace("\n", "").replace("\r", "")
    inside_brackets = False
    for i, ch in enumerate(text):
        if ch in "/?#\\":
            text = text[:i]
            break
        if ch == ":" and not inside_brackets:
            raise _InvalidHost(host)
        inside_brackets = True if ch == "[" else False if ch == "]" else inside_brackets
    if not text:
        raise _InvalidHost(host)
    return text


def _host_to_ascii(host: str) -> str:
    """Node's ``url.domainToASCII``: the WHATWG host parser for a special scheme."""
    host = _hostname_setter_input(host)
    if host.startswith("["):
        if not host.endswith("]"):
            raise _InvalidHost(host)
        return _serialize_ipv6(host[1:-1])
    domain = _uts46_to_ascii(_percent_decode(host))
    if not domain or any(ch in _FORBIDDEN_DOMAIN for ch in domain):
        raise _InvalidHost(domain)
    return _parse_ipv4(domain) if _ends_in_number(domain) else domain


@functools.lru_cache(maxsize=1024)
def encode_host(host: str) -> str:
    """The host Newman connects to and sends in ``Host:``: lower-cased, then IDNA/punycode and IPv4 shorthands
    normalised (``127.1`` -> ``127.0.0.1``) like WHATWG. A host the WHATWG parser rejects (``a b``, an
    unresolved ``{{var}}`` with ``:``) is sent lower-cased but otherwise as written, as Newman does."""
    lowered = host.lower()
    if not lowered:
        return ""
    try:
        return _host_to_ascii(lowered)
    except _InvalidHost:
        return lowered


# --------------------------------------------------------------------------- whole URLs


def _userinfo(auth: tuple[str, str | None], *, disable_encoding: bool) -> str:
    user, password = auth
    text = user if disable_encoding else encode_userinfo(user)
    if password is not None:
        text += ":" + (password if disable_encoding else encode_userinfo(password))
    return text


def build_host(parts: UrlParts) -> str:
    """What Newman puts in the ``Host:`` header: the encoded host, and ``:port`` when a port is written."""
    host = encode_host(".".join(parts.host))
    return host if parts.port is None else f"{host}:{parts.port}"


def _check_raw_target(target: str) -> None:
    """Node refuses a request path with characters outside U+0021..U+00FF (so Newman does, encoding off)."""
    bad = sorted({ch for ch in target if not 0x21 <= ord(ch) <= 0xFF})
    if bad:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in bad)
        raise ResolveError(
            f"disableUrlEncoding: the URL holds characters Newman cannot send unescaped ({shown})"
        )


def build_url(parts: UrlParts, *, disable_encoding: bool = False) -> str:
    """The URL Newman requests: ``scheme://[user[:pass]@]host[:port]/path[?query]``; the fragment is dropped.

    The scheme is lower-cased and defaults to ``http``; an empty path is ``/``; ``?`` is kept
    whenever a parameter is enabled, even if the query string is empty. With ``disable_encoding``
    (``protocolProfileBehavior.disableUrlEncoding``) path, query and userinfo go as typed (only the
    delimiter escaping of ``&``/``#``/``=`` inside parameters remains); the host is still encoded.
    Raises ``ResolveError`` when such a raw URL holds characters Node would refuse.
    """
    scheme = parts.protocol.lower() if parts.protocol is not None else "http"
    url = scheme + "://"
    if parts.auth is not None:
        url += _userinfo(parts.auth, disable_encoding=disable_encoding) + "@"
    url += build_host(parts)
    raw_path = "/" + "/".join(parts.path)
    target = raw_path if disable_encoding else encode_path(parts.path)
    if parts.query:
        query = unparse_query(parts.query)
        target += "?" + (query if disable_encoding else percent_encode(query, QUERY_ENCODE_SET))
    if disable_encoding:
        _check_raw_target(target)
    return url + target


def unparse_url(parts: UrlParts) -> str:
    """``Url#toString``: the single string Newman substitutes variables in before re-parsing it.

    Feeding this through variable substitution and then ``parse_url`` reproduces Newman's
    handling of structured (v2.1 object) URLs, including a value whose ``&`` or ``#`` re-splits
    the query. Path variables (``:id``) should be resolved first with ``resolve_path_variables``.
    """
    text = ""
    if parts.protocol is not None:
        text += parts.protocol if parts.protocol.endswith("://") else parts.protocol + "://"
    if parts.auth is not None:
        text += _userinfo(parts.auth, disable_encoding=True) + "@"
    text += ".".join(parts.host)
    if parts.port is not None:
        text += ":" + parts.port
    if parts.path:
        text += "/" + "/".join(parts.path)
    if parts.query:
        text += "?" + unparse_query(parts.query)
    if parts.hash is not None:
        text += "#" + parts.hash
    return text


# --------------------------------------------------------------------------- urlencoded bodies


def _is_array_index(key: str) -> bool:
    """JavaScript objects list keys like ``"0"``..``"4294967294"`` first, in numeric order."""
    return key.isascii() and key.isdigit() and str(int(key)) == key and int(key) < 2**32 - 1


def _ordered_groups(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Group values by key the way postman-runtime builds its ``form`` object.

    Duplicates join the first occurrence of their key; integer-like keys move to the front in
    numeric order; ``__proto__`` cannot be an own property and is dropped.
    """
    groups: dict[str, list[str]] = {}
    for key, value in pairs:
        if key != "__proto__":
            groups.setdefault(key, []).append(value)
    indexes = sorted((k for k in groups if _is_array_index(k)), key=int)
    others = [k for k in groups if not _is_array_index(k)]
    return [(k, groups[k]) for k in [*indexes, *others]]


def _form_escape(text: str) -> str:
    """Node's ``querystring.escape`` then postman-request's RFC 3986 pass over ``!'()*``."""
    try:
        paired = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise ResolveError(
            "urlencoded body: a key or value holds a lone surrogate (Node: URI malformed)"
        ) from exc
    return quote(paired, safe="")


def encode_form(pairs: Sequence[tuple[str, str]]) -> str:
    """The ``application/x-www-form-urlencoded`` body Newman sends for enabled ``(key, value)`` pairs.

    Only ``A-Z a-z 0-9 - . _ ~`` stay literal; space is ``%20``; ``%`` is always re-encoded.
    Pairs with the same key are sent together, at the first key's place.
    """
    return "&".join(
        f"{_form_escape(key)}={_form_escape(value)}"
        for key, values in _ordered_groups(pairs)
        for value in values
    )
