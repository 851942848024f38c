"""Every escaping rule of code generation, as pure functions registered once as Jinja filters.

Templates never write ``{{ }}`` inside quote characters: each filter returns the WHOLE
literal or expression, quotes included, so a template cannot get quoting wrong and a
value from a collection can never break out of its literal (or out of a comment).

Strings may carry placeholder tokens (see ``postman_gen.resolution.placeholders``); the ``*_expr``
filters turn them into the language's run-time lookup (``mode="env"``) or back into
the text the collection wrote (``mode="keep"``).
"""

from __future__ import annotations

import json
import keyword
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from postman_gen.errors import ResolveError, UsageError
from postman_gen.resolution.placeholders import Placeholder, PlaceholderKind, has_tokens, restore, split

MODES = ("env", "keep")

# --------------------------------------------------------------------------- Python


def _ruff_quote(double_quotes: int, single_quotes: int) -> str:
    """The quote ``ruff format`` keeps: double, unless the text holds more double quotes than single."""
    return "'" if double_quotes > single_quotes else '"'


_PY_SHORT = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _py_numeric_escape(ch: str) -> str:
    """``\\xNN`` / ``\\uNNNN`` / ``\\UNNNNNNNN``, lower-case hex as ``ruff format`` normalises it."""
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _py_escape_char(ch: str, quote: str) -> str:
    if ch in _PY_SHORT:
        return _PY_SHORT[ch]
    if ch == quote:
        return "\\" + ch
    return ch if ch.isprintable() else _py_numeric_escape(ch)


def py_str(s: str) -> str:
    """A Python ``str`` literal: ``ast.literal_eval`` reads back ``s``; ``ruff format`` leaves it alone.

    Printable characters stay as they are (readable code); control characters, line and
    paragraph separators, invisible format characters and lone surrogates become escapes.
    """
    quote = _ruff_quote(s.count('"'), s.count("'"))
    if s.isprintable() and "\\" not in s and quote not in s:
        return quote + s + quote
    # The short escapes by whole-string replacement (backslash first): the same text as escaping each
    # character, many times faster for long bodies. Other unprintable characters need the slow path.
    text = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if text.isprintable():
        return quote + text.replace(quote, "\\" + quote) + quote
    return quote + "".join(_py_escape_char(ch, quote) for ch in s) + quote


def _py_escape_byte(byte: int, quote: int) -> str:
    ch = chr(byte)
    if ch in _PY_SHORT:
        return _PY_SHORT[ch]
    if byte == quote:
        return "\\" + ch
    return ch if 0x20 <= byte < 0x7F else f"\\x{byte:02x}"


def py_bytes(b: bytes) -> str:
    """A Python ``bytes`` literal: printable ASCII kept, everything else ``\\xNN``."""
    quote = _ruff_quote(b.count(b'"'), b.count(b"'"))
    return "b" + quote + "".join(_py_escape_byte(byte, ord(quote)) for byte in b) + quote


# --------------------------------------------------------------------------- shell


# Generated shell scripts put this right after the shebang: literal "$" and a backslash before a
# closing quote are intended inside single quotes, and these two "did you mean" hints say otherwise.
SHELLCHECK_DIRECTIVE = "# shellcheck disable=SC1003,SC2016"

_SH_BARE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def sh_quote(s: str) -> str:
    """POSIX single-quoting (``'`` becomes ``'\\''``); always quoted, ``''`` for the empty string.

    A shell argument cannot hold NUL, so a NUL raises ``ResolveError`` rather than
    silently truncating the value.
    """
    if "\x00" in s:
        raise ResolveError(
            "a NUL character cannot be passed to a shell command; the value cannot be generated"
        )
    return "'" + s.replace("'", "'\\''") + "'"


def sh_needs_quote(s: str) -> bool:
    """Whether ``s`` must be quoted; only plain words of ``[A-Za-z0-9_@%+=:,./-]`` may go bare.

    A leading ``=`` is quoted too (zsh expands ``=cmd``), so output pasted into zsh still works.
    """
    return _SH_BARE.fullmatch(s) is None or s.startswith("=")


def sh_word(s: str) -> str:
    """``s`` bare when it is a plain word, else single-quoted: the readable form for arguments."""
    return sh_quote(s) if sh_needs_quote(s) else s


_SH_ANSI_SHORT = {"\\": "\\\\", "'": "\\'", "\r": "\\r", "\t": "\\t"}


def _sh_ansi_char(ch: str) -> str:
    if ch in _SH_ANSI_SHORT:
        return _SH_ANSI_SHORT[ch]
    if ch == "\n" or ch.isprintable():
        return ch
    code = ord(ch)
    if code < 0x80:
        return f"\\x{code:02x}"
    return "".join(f"\\x{byte:02x}" for byte in ch.encode("utf-8", "surrogatepass"))


def sh_text(s: str) -> str:
    """One bash word for text that may hold CR or other control characters.

    Plain text (newlines and tabs included) is single-quoted by ``sh_quote``; text with a
    CR or another invisible character becomes an ANSI-C ``$'...'`` word, so the script
    holds no raw control character (shellcheck SC1017) yet the value keeps every byte.
    Newlines stay real newlines inside ``$'...'``, so multi-line bodies stay readable.
    """
    if all(ch in "\n\t" or ch.isprintable() for ch in s):
        return sh_quote(s)
    if "\x00" in s:
        sh_quote(s)  # raises: a shell word cannot hold NUL
    return "$'" + "".join(_sh_ansi_char(ch) for ch in s) + "'"


def sh_text_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """``sh_expr`` whose literal runs are quoted by ``sh_text`` (bash: ``$'...'`` where needed)."""
    return "".join(
        sh_text(part) if isinstance(part, str) else _sh_runtime(part) for part in segments(s, table, mode)
    )


# A bash function generated scripts define when a multipart part's name or filename is read at run time:
# it escapes it as run does (HTML5: '"' as %22, CR as %0D, LF as %0A), so no quote ends the parameter.
SH_PART_PARAM = """part_param() {
  local text=${1//\\"/%22}
  text=${text//$'\\r'/%0D}
  printf '%s' "${text//$'\\n'/%0A}"
}"""


def sh_part_param_text(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """``sh_text_expr`` for a Content-Disposition line: run-time values (a part's name or filename) go
    through ``part_param``."""
    return "".join(
        sh_text(part) if isinstance(part, str) else f'"$(part_param {_sh_runtime(part)})"'
        for part in segments(s, table, mode)
    )


def sh_part_param_needed(s: str, table: tuple[Placeholder, ...], mode: str) -> bool:
    """Whether ``sh_part_param_text`` calls ``part_param`` (the script then defines it)."""
    return any(isinstance(part, Placeholder) for part in segments(s, table, mode))


def curl_form_quote(s: str) -> str:
    """A value as curl's ``--form`` parser reads it back: double-quoted, ``\\`` and ``"`` escaped.

    Inside the quotes ``;`` and ``,`` lose their meaning (type=, filename=, several files)
    and a leading ``@`` or ``<`` no longer reads a file.
    """
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def curl_form_name(s: str) -> str:
    """A curl ``--form`` field name, unchanged; one holding ``=`` is refused: curl ends the name at the
    first ``=`` and would parse the rest as the part's data (``a=@file`` reads a file)."""
    if "=" in s:
        raise ResolveError(f"curl --form cannot send the field name {s!r}: it holds '='")
    return s


def curl_form_name_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """``curl_form_name`` for the literal runs of ``s`` (the script checks run-time values itself)."""
    for part in segments(s, table, mode):
        if isinstance(part, str):
            curl_form_name(part)
    return s


def curl_form_text(s: str) -> str:
    """One shell word for the data of a curl ``--form`` text part: ``"..."`` as curl reads it back."""
    return sh_text(curl_form_quote(s))


def _has_runtime(parts: list[str | Placeholder]) -> bool:
    return any(isinstance(p, Placeholder) for p in parts)


def curl_form_text_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """``curl_form_text`` for text with run-time values: read by curl from a process substitution
    (``<file``), so the value's bytes are never parsed by curl's form syntax (``"``, ``;type=``)."""
    parts = segments(s, table, mode)
    if not _has_runtime(parts):
        return curl_form_text("".join(parts))  # type: ignore[arg-type]
    return "'<'<(printf '%s' " + sh_text_expr(s, table, mode) + ")"


def curl_part_type(s: str) -> str:
    """The ``;headers=`` parameter giving a curl form part this Content-Type, quoted: curl's ``type=``
    would end at a ``;`` and take what follows as parameters (``;headers=@file`` reads a file)."""
    return sh_text(";headers=" + curl_form_quote("Content-Type: " + s))


def curl_part_type_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """``curl_part_type`` for a content type read at run time: a header file from a process substitution."""
    parts = segments(s, table, mode)
    if not _has_runtime(parts):
        return curl_part_type("".join(parts))  # type: ignore[arg-type]
    return "';headers=@'<(printf 'Content-Type: %s\\r\\n' " + sh_text_expr(s, table, mode) + ")"


def multipart_param(s: str) -> str:
    """A part's name or filename as it goes inside ``name="..."`` of a Content-Disposition header.

    The form-data encoders of browsers and Node write ``"``, CR and LF as ``%22``, ``%0D``, ``%0A`` so a
    value cannot end the quoted string or the header line.
    """
    return s.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


_HTTPIE_VALUE_SEPARATORS = ("=", "@")  # after ":" or "=" they would make ":=", ":@", "==", "=@"...


def httpie_item(key: str, value: str) -> str:
    """One shell word for an HTTPie request item: ``key`` ends with its separator (``Name:``, ``field=``);
    a value starting with ``=`` or ``@`` gets a backslash, so it is never read as another separator
    (``:@file`` would read a file)."""
    escape = "\\" if value.startswith(_HTTPIE_VALUE_SEPARATORS) else ""
    return sh_quote(key + escape + value)


def httpie_item_expr(key: str, table: tuple[Placeholder, ...], mode: str, value: str) -> str:
    """``httpie_item`` with run-time values: a value read at run time that starts with ``=`` or ``@``
    gets its backslash when the script runs (``${NAME/#[@=]/\\${NAME:0:1}}``)."""
    parts = segments(value, table, mode)
    first = parts[0] if parts else ""
    if isinstance(first, str):
        if first.startswith(_HTTPIE_VALUE_SEPARATORS):
            parts[0] = "\\" + first
        lead = ""
    elif first.name in DYNAMIC_EXPRESSIONS:  # digits, a UUID or a timestamp: never a separator
        lead = ""
    else:
        name = first.env_name
        lead = '"${' + name + "/#[@=]/\\\\${" + name + ':0:1}}"'
        parts = parts[1:]
    rest = "".join(sh_quote(p) if isinstance(p, str) else _sh_runtime(p) for p in parts if p != "")
    return sh_expr(key, table, mode) + lead + rest


def httpie_method(s: str) -> str:
    """A method as HTTPie takes it; one not made of letters only is refused: HTTPie would read it as the
    URL (and the URL as a request item), sending the request elsewhere."""
    if not s.isascii() or not s.isalpha():
        raise ResolveError(f"HTTPie cannot send the method {s!r}: it takes methods made of letters only")
    return s


def httpie_key(s: str) -> str:
    """A field or header name in HTTPie's item syntax: its separators ``: = @ ;`` backslash-escaped."""
    return s.replace(":", "\\:").replace("=", "\\=").replace("@", "\\@").replace(";", "\\;")


# --------------------------------------------------------------------------- JavaScript and JSON


_JS_SHORT = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _js_numeric_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\u{{{code:x}}}"


def _js_escape_char(ch: str, quote: str) -> str:
    if ch in _JS_SHORT:
        return _JS_SHORT[ch]
    if ch == quote:
        return "\\" + ch
    return ch if ch.isprintable() else _js_numeric_escape(ch)


def js_str(s: str, quote: str = '"') -> str:
    """A JavaScript string literal quoted with ``quote`` (``"`` or ``'``), valid in Node 18+.

    Escapes backslash, the quote, control characters, U+2028/U+2029, invisible format
    characters and lone surrogates; printable text (emoji included) stays readable.
    """
    if quote not in ("'", '"'):
        raise ValueError(f"js_str quote must be ' or \", not {quote!r}")
    return quote + "".join(_js_escape_char(ch, quote) for ch in s) + quote


_JSON_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _json_escape_char(ch: str) -> str:
    if ch in _JSON_SHORT:
        return _JSON_SHORT[ch]
    if ch.isprintable():
        return ch
    units = ch.encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2))


def json_str(s: str) -> str:
    """A JSON string literal; readable like ``py_str`` and always encodable as UTF-8.

    JSON counts UTF-16 code units, so two lone surrogates that form a pair read back as
    the one astral character they encode.
    """
    return '"' + "".join(_json_escape_char(ch) for ch in s) + '"'


# --------------------------------------------------------------------------- comments and names


_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_PY_CODING = re.compile(r"(coding)([:=])", re.IGNORECASE)


def _neutralise_comment_end(text: str, prefix: str) -> str:
    """Break every sequence that would end (or re-interpret) a comment opened by ``prefix``."""
    if "*" in prefix:  # "/*", "/**", " *": a block comment ends at "*/"
        text = text.replace("*/", "* /")
    if "<!--" in prefix:  # XML/HTML comments may not contain "--"
        while "--" in text:
            text = text.replace("--", "- -")
    # A "coding:" comment on line 1-2 changes how Python decodes the file. Searched first: a
    # substitution with a template costs several times a search, and almost no text holds one.
    if "#" in prefix and _PY_CODING.search(text) is not None:
        text = _PY_CODING.sub(r"\1 \2", text)
    if "?>" in text:  # PHP leaves PHP mode at "?>", even inside a line comment
        text = text.replace("?>", "? >")
    if "\\u" in text:  # javac reads \u000a as a line break, also inside a comment
        text = text.replace("\\u", "\\ u")
    return text


def comment_text(s: str, prefix: str = "#") -> str:
    """``s`` made safe as the text of a one-line comment that starts with ``prefix``.

    Line breaks (of every language) become one space, other invisible or control
    characters become U+FFFD, and the comment's terminator is broken up. Returns the
    text only: the template writes ``{{ prefix }} {{ s|comment_text(prefix) }}``.
    """
    if s.isprintable():  # the common case: no line break, tab or control character to replace
        text = s
    else:
        text = _LINE_BREAKS.sub(" ", s).replace("\t", " ")
        text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    text = _neutralise_comment_end(text, prefix).strip()
    # "# @name" / "// @name" is a directive in .http files (httpyac, JetBrains): never start with "@".
    if text.startswith("@"):
        text = "'" + text + "'"
    # a backslash (or the trigraph ??/) at the end of a C line comment continues it on the next line
    return text + " ." if text.endswith(("\\", "??/")) else text


_JS_RESERVED = frozenset(
    (
        "arguments",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "eval",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "undefined",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "NaN",
        "Infinity",
    )
)
_RESERVED = _JS_RESERVED | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
_STYLES = ("snake", "camel", "pascal", "upper")


def _words(s: str) -> list[str]:
    """ASCII words of ``s``: accents folded, camelCase and ``HTTPServer`` split, punctuation dropped."""
    folded = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", folded)
    spaced = re.sub(r"([A-Z0-9]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [word.lower() for word in re.findall(r"[A-Za-z0-9]+", spaced)] or ["unnamed"]


def ident(s: str, style: str = "snake") -> str:
    """A safe identifier (Python, JavaScript and shell alike) from a display name.

    ``style``: ``snake`` (``get_user_v2``), ``camel`` (``getUserV2``), ``pascal``
    (``GetUserV2``) or ``upper`` (``GET_USER_V2``). Keywords get a trailing ``_``; a
    leading digit gets a leading ``_``. Distinct names may map to the same identifier:
    making them unique is the caller's job.
    """
    words = _words(s)
    if style == "snake":
        name = "_".join(words)
    elif style == "upper":
        name = "_".join(words).upper()
    elif style == "camel":
        name = words[0] + "".join(word.capitalize() for word in words[1:])
    elif style == "pascal":
        name = "".join(word.capitalize() for word in words)
    else:
        raise ValueError(f"ident style must be one of {', '.join(_STYLES)}, not {style!r}")
    if name[0].isdigit():
        name = "_" + name
    return name + "_" if name in _RESERVED else name


# --------------------------------------------------------------------------- placeholders


@dataclass(frozen=True, slots=True)
class DynamicExpr:
    """How each language produces a fresh value for one Postman dynamic variable."""

    py: str
    py_import: str
    sh: str
    js: str
    js_import: str = ""


_UUID = DynamicExpr(
    "str(uuid.uuid4())",
    "uuid",
    '"$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)"',
    "crypto.randomUUID()",
    "node:crypto",
)

DYNAMIC_EXPRESSIONS: dict[str, DynamicExpr] = {
    "$guid": _UUID,
    "$randomUUID": _UUID,
    "$timestamp": DynamicExpr(
        "str(int(time.time()))", "time", '"$(date +%s)"', "String(Math.floor(Date.now() / 1000))"
    ),
    "$isoTimestamp": DynamicExpr(
        'time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())',
        "time",
        '"$(date -u +%Y-%m-%dT%H:%M:%S.000Z)"',
        "new Date().toISOString()",
    ),
    "$randomInt": DynamicExpr(
        "str(random.randint(0, 1000))",
        "random",
        '"$((RANDOM % 1001))"',
        "String(Math.floor(Math.random() * 1001))",
    ),
}

# Other Postman dynamic variables are faker-generated; generated code uses one fixed,
# plausible sample (reserved documentation values where one exists). Unlisted ones
# are read from the environment like ordinary variables.
DYNAMIC_SAMPLES: dict[str, str] = {
    "$randomAlphaNumeric": "a",
    "$randomBoolean": "true",
    "$randomColor": "teal",
    "$randomHexColor": "#1f77b4",
    "$randomIP": "192.0.2.1",
    "$randomIPV6": "2001:db8::1",
    "$randomMACAddress": "00:00:5e:00:53:01",
    "$randomPassword": "Example-Passw0rd",
    "$randomLocale": "en",
    "$randomUserAgent": "postman-gen",
    "$randomProtocol": "https",
    "$randomSemver": "1.0.0",
    "$randomFirstName": "Ada",
    "$randomLastName": "Lovelace",
    "$randomFullName": "Ada Lovelace",
    "$randomUserName": "ada",
    "$randomEmail": "ada@example.com",
    "$randomExampleEmail": "ada@example.com",
    "$randomUrl": "https://example.com",
    "$randomDomainName": "example.com",
    "$randomPhoneNumber": "555-0100",
    "$randomCity": "Springfield",
    "$randomCountry": "Utopia",
    "$randomCountryCode": "UT",
    "$randomCompanyName": "Example Inc",
    "$randomJobTitle": "Engineer",
    "$randomWord": "lorem",
    "$randomWords": "lorem ipsum",
    "$randomLoremWord": "lorem",
    "$randomPrice": "9.99",
    "$randomCurrencyCode": "XTS",
}

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise UsageError(f"variable mode must be one of {', '.join(MODES)}, not {mode!r}")


def _check_env_name(placeholder: Placeholder) -> None:
    """Generated code in every language reads the same, portable, variable name."""
    if _ENV_NAME.fullmatch(placeholder.env_name) is None:
        raise ResolveError(
            f"{placeholder.literal} maps to {placeholder.env_name!r}, which is not a portable "
            "environment variable name"
        )


def _as_sample(part: str | Placeholder) -> str | Placeholder:
    """A dynamic variable with a fixed sample becomes literal text; others stay placeholders."""
    if isinstance(part, Placeholder) and part.kind is PlaceholderKind.DYNAMIC:
        return DYNAMIC_SAMPLES.get(part.name, part)
    return part


def segments(s: str, table: tuple[Placeholder, ...], mode: str) -> list[str | Placeholder]:
    """``s`` as literal runs and run-time placeholders, adjacent literals merged, never empty.

    ``keep`` mode (or no tokens) gives one literal run with the placeholders as written.
    """
    _check_mode(mode)
    if mode == "keep" or not has_tokens(s):
        return [restore(s, table) if table else s]
    merged: list[str | Placeholder] = []
    for part in map(_as_sample, split(s, table)):
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            if isinstance(part, Placeholder) and part.name not in DYNAMIC_EXPRESSIONS:
                _check_env_name(part)
            merged.append(part)
    return merged or [""]


def _placeholders(strings: Iterable[str], table: tuple[Placeholder, ...], mode: str) -> list[Placeholder]:
    return [p for s in strings for p in segments(s, table, mode) if isinstance(p, Placeholder)]


def _py_runtime(placeholder: Placeholder) -> str:
    dynamic = DYNAMIC_EXPRESSIONS.get(placeholder.name)
    return dynamic.py if dynamic else f"os.environ[{py_str(placeholder.env_name)}]"


def py_operands(s: str, table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """The operands of ``py_expr(s)`` (literals and run-time values), for templates that lay out lines."""
    return [py_str(part) if isinstance(part, str) else _py_runtime(part) for part in segments(s, table, mode)]


def py_line_operands(s: str, table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """``py_operands`` with every literal run cut after each newline: one operand per source line."""
    out: list[str] = []
    for part in segments(s, table, mode):
        if isinstance(part, str):
            out.extend(py_str(line) for line in part.splitlines(keepends=True) if line)
        else:
            out.append(_py_runtime(part))
    return out


def _form_pairs(encoded: str) -> list[tuple[str, str]]:
    """``a=1&b=2`` as its encoded ``(key, value)`` pairs, in order."""
    return [pair.partition("=")[::2] for pair in encoded.split("&")] if encoded else []


def _form_value_is_runtime(value: str, table: tuple[Placeholder, ...], mode: str) -> bool:
    return (
        mode == "env"
        and has_tokens(value)
        and any(isinstance(p, Placeholder) for p in segments(unquote(value), table, mode))
    )


def _form_pieces(encoded: str, table: tuple[Placeholder, ...], mode: str) -> list[tuple[str, bool]]:
    """``encoded`` as literal runs ``(text, False)`` and run-time keys or values ``(decoded text, True)``.

    A key or value that holds a variable read at run time must be percent-encoded when the code runs,
    keys as much as values: an unencoded ``&``, ``=`` or leading ``@`` would change the body.
    """
    out: list[tuple[str, bool]] = []
    literal = ""
    for index, (key, value) in enumerate(_form_pairs(encoded)):
        literal += "&" if index else ""
        for text, separator in ((key, "="), (value, "")):
            if _form_value_is_runtime(text, table, mode):
                if literal:
                    out.append((literal, False))
                out.append((unquote(text), True))
                literal = separator
            else:
                literal += text + separator
    if literal or not out:
        out.append((literal, False))
    return out


_PY_MULTIPART_PARAM = """.replace('"', "%22").replace("\\r", "%0D").replace("\\n", "%0A")"""


def py_multipart_name(s: str) -> list[str]:
    """The operands of a multipart part's name for a client that writes it as it is (``multipart_param``)."""
    return [py_str(multipart_param(s))]


def py_multipart_name_operands(s: str, table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """``py_multipart_name`` whose run-time values are encoded when the code runs."""
    parts = segments(s, table, mode)
    ops = [py_str(multipart_param(p)) if isinstance(p, str) else _py_runtime(p) for p in parts]
    if not any(isinstance(p, Placeholder) for p in parts):
        return ops
    return ["(" + " + ".join(ops) + ")" + _PY_MULTIPART_PARAM]


def py_form_operands(encoded: str, table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """Operands of a urlencoded body whose run-time keys and values are percent-encoded when the code runs.

    ``encoded`` is the exact wire string (``FormBody.encoded``). Literal text stays as encoded at
    generation time; a key or value holding a variable becomes ``quote(<expr>, safe="")``, which encodes
    exactly as the resolver does (only ``A-Z a-z 0-9 - . _ ~`` kept). Needs ``from urllib.parse
    import quote`` when ``py_form_needs_quote`` says so.
    """
    out: list[str] = []
    for text, runtime in _form_pieces(encoded, table, mode):
        if runtime:
            out.append(f'quote({py_expr(text, table, mode)}, safe="")')
        else:
            out.extend(py_operands(text, table, mode))
    return out


def py_form_needs_quote(encoded: str, table: tuple[Placeholder, ...], mode: str) -> bool:
    """Whether ``py_form_operands`` calls ``quote`` (the template then imports it)."""
    return any(
        _form_value_is_runtime(k, table, mode) or _form_value_is_runtime(v, table, mode)
        for k, v in _form_pairs(encoded)
    )


# A bash function generated scripts define when a urlencoded value is read at run time: it encodes
# exactly as the resolver does (only A-Z a-z 0-9 - . _ ~ kept), byte by byte.
SH_FORM_ENCODE = """form_encode() {
  local LC_ALL=C text=$1 out='' char i
  for ((i = 0; i < ${#text}; i++)); do
    char=${text:i:1}
    case $char in
      [A-Za-z0-9._~-]) out+=$char ;;
      *)
        printf -v char '%%%02X' "'$char"
        out+=$char
        ;;
    esac
  done
  printf '%s' "$out"
}"""


def sh_form_word(encoded: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """One shell word for a urlencoded body; run-time keys and values go through ``form_encode``."""
    return "".join(
        '"$(form_encode ' + sh_expr(text, table, mode) + ')"' if runtime else sh_expr(text, table, mode)
        for text, runtime in _form_pieces(encoded, table, mode)
    )


def sh_form_needs_encode(encoded: str, table: tuple[Placeholder, ...], mode: str) -> bool:
    """Whether ``sh_form_word`` calls ``form_encode`` (the script then defines it)."""
    return py_form_needs_quote(encoded, table, mode)


def py_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """A Python expression for ``s``: literals and run-time values joined with ``+``.

    Unparenthesised: wrap it before calling a method on it. Modules it needs come from
    ``py_imports_for``.
    """
    return " + ".join(py_operands(s, table, mode))


def py_imports_for(strings: Iterable[str], table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """Sorted module names (``os``, ``uuid``, ``time``...) that ``py_expr`` of ``strings`` needs."""
    modules = set()
    for placeholder in _placeholders(strings, table, mode):
        dynamic = DYNAMIC_EXPRESSIONS.get(placeholder.name)
        modules.add(dynamic.py_import if dynamic else "os")
    return sorted(modules)


def _sh_runtime(placeholder: Placeholder) -> str:
    dynamic = DYNAMIC_EXPRESSIONS.get(placeholder.name)
    return dynamic.sh if dynamic else '"${' + placeholder.env_name + '}"'


def sh_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """One shell word for ``s``: single-quoted literal runs next to double-quoted expansions.

    ``'https://'"${AUTH0_DOMAIN}"'/api'``. Needs bash (``$RANDOM``) for ``$randomInt``.
    """
    return "".join(
        sh_quote(part) if isinstance(part, str) else _sh_runtime(part) for part in segments(s, table, mode)
    )


def _js_runtime(placeholder: Placeholder) -> str:
    dynamic = DYNAMIC_EXPRESSIONS.get(placeholder.name)
    return dynamic.js if dynamic else f"env({js_str(placeholder.env_name)})"


def js_expr(s: str, table: tuple[Placeholder, ...], mode: str, quote: str = '"') -> str:
    """A JavaScript expression for ``s``: literals and run-time values joined with ``+``.

    A variable is read with ``env(NAME)``, which the script defines (``JS_ENV_FUNCTION``) to fail on an
    unset variable; modules it needs come from ``js_imports_for``.
    """
    return " + ".join(
        js_str(part, quote) if isinstance(part, str) else _js_runtime(part)
        for part in segments(s, table, mode)
    )


def js_imports_for(strings: Iterable[str], table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """Sorted module specifiers (``node:crypto``) that ``js_expr`` of ``strings`` needs.

    The template binds each to its last path part: ``const crypto = require("node:crypto");``.
    """
    modules = set()
    for placeholder in _placeholders(strings, table, mode):
        dynamic = DYNAMIC_EXPRESSIONS.get(placeholder.name)
        if dynamic and dynamic.js_import:
            modules.add(dynamic.js_import)
    return sorted(modules)


def json_dumps(value: object, indent: int | None = 2) -> str:
    """A JSON document for ``value`` with ``json_str``'s readability (non-ASCII kept)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return "".join(ch if ch.isprintable() or ch in "\n " else _json_escape_char(ch) for ch in text)


# =========================================================================== compiled and scripting languages
# String literals and run-time expressions of Go, Ruby, PHP, Java, C and C# (targets go-native,
# ruby-net-http, php-curl, php-guzzle, java-httpclient, c-libcurl, csharp-httpclient). Each ``*_str``
# returns the whole literal, quotes included; the language's own compiler or interpreter reads back
# exactly ``s`` (tests/test_filters_languages.py runs each one). NUL is allowed everywhere but C,
# where the template passes an explicit length.


def _refuse_surrogates(s: str, language: str) -> None:
    if any("\ud800" <= ch <= "\udfff" for ch in s):
        raise ResolveError(f"a lone surrogate cannot be written in a {language} string")


def _escaped(
    s: str, short: dict[str, str], numeric: Callable[[str], str], keep: Callable[[str], bool]
) -> str:
    """``s`` with the ``short`` escapes, kept characters as they are and every other one ``numeric``."""
    return "".join(short[ch] if ch in short else ch if keep(ch) else numeric(ch) for ch in s)


_GO_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _go_numeric(ch: str) -> str:
    code = ord(ch)
    if code < 0x80:
        return f"\\x{code:02x}"  # \x is one byte: only ASCII may use it in a UTF-8 string
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def go_str(s: str) -> str:
    """A Go interpreted string literal (UTF-8 bytes of ``s``); ``gofmt`` leaves it alone."""
    if s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    _refuse_surrogates(s, "Go")
    return '"' + _escaped(s, _GO_SHORT, _go_numeric, str.isprintable) + '"'


def go_text(s: str) -> str:
    """A Go literal for a body: a raw string in backquotes for multi-line text that allows it, else go_str.

    Raw strings keep every character but the backquote and CR (which Go drops from them).
    """
    if "\n" in s and "`" not in s and all(ch in "\n\t" or ch.isprintable() for ch in s):
        return "`" + s + "`"
    return go_str(s)


def go_text_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """``go_expr`` whose literal runs are written by ``go_text``."""
    runtime = RUNTIMES["go"]
    return " + ".join(
        go_text(part) if isinstance(part, str) else _runtime_operand(runtime, part)
        for part in segments(s, table, mode)
    )


_RB_SHORT = {
    "\\": "\\\\",
    '"': '\\"',
    "#": "\\#",  # no #{...}, #$var or #@var interpolation
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\x1b": "\\e",
}


def _braced_numeric(ch: str) -> str:
    """``\\xNN`` for ASCII, ``\\u{...}`` above (Ruby and PHP double-quoted strings)."""
    code = ord(ch)
    return f"\\x{code:02X}" if code < 0x80 else f"\\u{{{code:X}}}"


def rb_str(s: str) -> str:
    """A Ruby string literal: single-quoted for plain text (RuboCop's default), else double-quoted.

    The double-quoted form escapes ``#`` so no ``#{}`` interpolation can happen; non-ASCII
    control and format characters become ``\\u{...}`` (the string stays valid UTF-8).
    """
    if s.isprintable() and "\\" not in s and "'" not in s:
        return "'" + s + "'"
    _refuse_surrogates(s, "Ruby")
    return '"' + _escaped(s, _RB_SHORT, _braced_numeric, str.isprintable) + '"'


_PHP_SHORT = {
    "\\": "\\\\",
    '"': '\\"',
    "$": "\\$",  # no $var or {$...} interpolation
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\x1b": "\\e",
}


def php_str(s: str) -> str:
    """A PHP string literal: single-quoted for printable text, double-quoted with escapes otherwise.

    In single quotes only ``\\`` and ``'`` are special; the double-quoted form escapes ``$`` so
    nothing is interpolated, and writes control characters as ``\\xNN`` / ``\\u{...}``.
    """
    if s.isprintable():
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"
    _refuse_surrogates(s, "PHP")
    return '"' + _escaped(s, _PHP_SHORT, _braced_numeric, str.isprintable) + '"'


_JAVA_SHORT = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _java_numeric(ch: str) -> str:
    code = ord(ch)
    if code < 0x80:
        # never \\u for ASCII: javac turns \\u000a into a line break before reading the literal
        return f"\\{code:03o}"
    units = ch.encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2))


def _printable_ascii(ch: str) -> bool:
    return " " <= ch <= "~"


def java_str(s: str) -> str:
    """A Java string literal in pure ASCII (javac reads it whatever the platform encoding).

    Non-ASCII characters become ``\\uXXXX`` (UTF-16 units), ASCII control characters octal
    escapes; a backslash is always doubled, so ``\\u`` in the text is never a Unicode escape.
    """
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    _refuse_surrogates(s, "Java")
    return '"' + _escaped(s, _JAVA_SHORT, _java_numeric, _printable_ascii) + '"'


_CS_SHORT = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\x00": "\\0",
}


def _cs_numeric(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def cs_str(s: str) -> str:
    """A C# regular string literal; control, format and separator characters as ``\\uXXXX``."""
    if s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    _refuse_surrogates(s, "C#")
    return '"' + _escaped(s, _CS_SHORT, _cs_numeric, str.isprintable) + '"'


_C_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _c_numeric(ch: str) -> str:
    # octal escapes stop after three digits (\\x would swallow the hex digits that follow)
    return "".join(f"\\{byte:03o}" for byte in ch.encode("utf-8"))


def c_str(s: str) -> str:
    """A C string literal of the UTF-8 bytes of ``s`` (printable non-ASCII text kept as it is).

    A ``?`` after a ``?`` is escaped, so no trigraph forms (gcc -Wall warns about them).
    """
    _refuse_surrogates(s, "C")
    text = _escaped(s, _C_SHORT, _c_numeric, str.isprintable)
    return '"' + text.replace("??", "?\\?").replace("??", "?\\?") + '"'


def c_length(s: str) -> int:
    """The number of bytes of ``s`` in UTF-8: the length C code passes for a body that may hold NUL."""
    return len(s.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Runtime:
    """How a language writes a run-time value: an environment lookup or a fresh dynamic value.

    ``env`` is a format with ``{name}`` (the variable's name as a literal); ``needs`` and the second
    element of each ``dynamic`` entry name imports or helper functions (``helper:...``) the template
    must provide. ``join`` is the concatenation operator, empty for C (a ``concat(..., NULL)`` call).
    """

    literal: Callable[[str], str]
    env: str
    needs: tuple[str, ...]
    dynamic: dict[str, tuple[str, tuple[str, ...]]]
    join: str


_UUID_NAMES = ("$guid", "$randomUUID")


def _dynamic(
    uuid: tuple[str, tuple[str, ...]],
    timestamp: tuple[str, tuple[str, ...]],
    iso: tuple[str, tuple[str, ...]],
    integer: tuple[str, tuple[str, ...]],
) -> dict[str, tuple[str, tuple[str, ...]]]:
    table = dict.fromkeys(_UUID_NAMES, uuid)
    table.update({"$timestamp": timestamp, "$isoTimestamp": iso, "$randomInt": integer})
    return table


RUNTIMES: dict[str, Runtime] = {
    "go": Runtime(
        go_str,
        "mustEnv({name})",
        ("os", "log", "helper:mustEnv"),
        _dynamic(
            ("newUUID()", ("crypto/rand", "fmt", "log", "helper:newUUID")),
            ("strconv.FormatInt(time.Now().Unix(), 10)", ("strconv", "time")),
            ('time.Now().UTC().Format("2006-01-02T15:04:05.000Z")', ("time",)),
            ("strconv.Itoa(mathrand.Intn(1001))", ("math/rand", "strconv")),
        ),
        " + ",
    ),
    "ruby": Runtime(
        rb_str,
        "ENV.fetch({name})",
        (),
        _dynamic(
            ("SecureRandom.uuid", ("securerandom",)),
            ("Time.now.to_i.to_s", ()),
            ("Time.now.utc.strftime('%Y-%m-%dT%H:%M:%S.%LZ')", ()),
            ("rand(0..1000).to_s", ()),
        ),
        " + ",
    ),
    "php": Runtime(
        php_str,
        "env({name})",
        ("helper:env",),
        _dynamic(
            ("uuid4()", ("helper:uuid4",)),
            ("(string) time()", ()),
            ("gmdate('Y-m-d\\TH:i:s.v\\Z')", ()),
            ("(string) random_int(0, 1000)", ()),
        ),
        " . ",
    ),
    "java": Runtime(
        java_str,
        "env({name})",
        ("helper:env",),
        _dynamic(
            ("UUID.randomUUID().toString()", ("java.util.UUID",)),
            ("String.valueOf(Instant.now().getEpochSecond())", ("java.time.Instant",)),
            (
                "DateTimeFormatter.ofPattern(\"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\")"
                ".withZone(ZoneOffset.UTC).format(Instant.now())",
                ("java.time.Instant", "java.time.ZoneOffset", "java.time.format.DateTimeFormatter"),
            ),
            (
                "String.valueOf(ThreadLocalRandom.current().nextInt(1001))",
                ("java.util.concurrent.ThreadLocalRandom",),
            ),
        ),
        " + ",
    ),
    "csharp": Runtime(
        cs_str,
        "Env({name})",
        ("helper:env",),
        _dynamic(
            ("Guid.NewGuid().ToString()", ()),
            ("DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString()", ()),
            (
                "DateTime.UtcNow.ToString(\"yyyy-MM-dd'T'HH:mm:ss.fff'Z'\", CultureInfo.InvariantCulture)",
                ("System.Globalization",),
            ),
            ("new Random().Next(0, 1001).ToString()", ()),
        ),
        " + ",
    ),
    "c": Runtime(
        c_str,
        "env({name})",
        ("helper:env",),
        _dynamic(
            ("dynamic_uuid()", ("helper:dynamic_uuid",)),
            ("dynamic_timestamp()", ("helper:dynamic_timestamp",)),
            ("dynamic_iso_timestamp()", ("helper:dynamic_iso_timestamp",)),
            ("dynamic_random_int()", ("helper:dynamic_random_int",)),
        ),
        "",
    ),
}


def _runtime_operand(runtime: Runtime, placeholder: Placeholder) -> str:
    dynamic = runtime.dynamic.get(placeholder.name)
    return dynamic[0] if dynamic else runtime.env.format(name=runtime.literal(placeholder.env_name))


def lang_operands(language: str, s: str, table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """The literals and run-time values that make up ``s`` in ``language`` (a key of ``RUNTIMES``)."""
    runtime = RUNTIMES[language]
    return [
        runtime.literal(part) if isinstance(part, str) else _runtime_operand(runtime, part)
        for part in segments(s, table, mode)
    ]


def lang_expr(language: str, s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """One expression of ``language`` for ``s``; C joins several operands with ``concat(..., NULL)``."""
    return lang_join(language, lang_operands(language, s, table, mode))


def lang_needs(language: str, strings: Iterable[str], table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """Sorted imports and ``helper:NAME`` functions that ``lang_expr`` of ``strings`` needs."""
    runtime = RUNTIMES[language]
    needs: set[str] = set()
    for s in strings:
        parts = segments(s, table, mode)
        placeholders = [p for p in parts if isinstance(p, Placeholder)]
        if language == "c" and len(parts) > 1:
            needs.add("helper:concat")
        for placeholder in placeholders:
            dynamic = runtime.dynamic.get(placeholder.name)
            needs.update(dynamic[1] if dynamic else runtime.needs)
    return sorted(needs)


def has_runtime_values(s: str, table: tuple[Placeholder, ...], mode: str) -> bool:
    """Whether generated code computes part of ``s`` when it runs (an environment value, a dynamic one)."""
    return any(isinstance(part, Placeholder) for part in segments(s, table, mode))


def lang_join(language: str, operands: list[str]) -> str:
    """Operands joined into one expression of ``language`` (C: a ``concat(..., NULL)`` call)."""
    if len(operands) == 1:
        return operands[0]
    runtime = RUNTIMES[language]
    if not runtime.join:
        return "concat(" + ", ".join(operands) + ", NULL)"
    return runtime.join.join(operands)


def lang_form_operands(
    language: str, encoded: str, table: tuple[Placeholder, ...], mode: str, encode: str
) -> list[str]:
    """Operands of a urlencoded body whose run-time keys and values are encoded when the code runs.

    Like ``py_form_operands``: literal text stays as the resolver encoded it; a key or value holding a
    variable becomes ``encode`` (a format with ``{}``, e.g. ``formEncode({})``) around its expression,
    a helper that keeps only ``A-Z a-z 0-9 - . _ ~`` as the resolver does. Keys as much as values: an
    unencoded ``&`` or ``=`` in a key read at run time would change the body.
    """
    out: list[str] = []
    for text, runtime in _form_pieces(encoded, table, mode):
        if runtime:
            out.append(encode.format(lang_expr(language, text, table, mode)))
        else:
            out.extend(lang_operands(language, text, table, mode))
    return out


def go_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    return lang_expr("go", s, table, mode)


def rb_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    return lang_expr("ruby", s, table, mode)


def php_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    return lang_expr("php", s, table, mode)


def java_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    return lang_expr("java", s, table, mode)


def cs_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    return lang_expr("csharp", s, table, mode)


def c_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    return lang_expr("c", s, table, mode)


LANGUAGE_FILTERS: dict[str, Callable[..., object]] = {
    "go_str": go_str,
    "go_text": go_text,
    "rb_str": rb_str,
    "php_str": php_str,
    "java_str": java_str,
    "cs_str": cs_str,
    "c_str": c_str,
    "c_length": c_length,
}
# =========================================================================== end of compiled languages

FILTERS: dict[str, Callable[..., object]] = {
    "py_str": py_str,
    "py_bytes": py_bytes,
    "py_expr": py_expr,
    "py_form_operands": py_form_operands,
    "py_form_needs_quote": py_form_needs_quote,
    "sh_form_word": sh_form_word,
    "sh_form_needs_encode": sh_form_needs_encode,
    "py_operands": py_operands,
    "py_line_operands": py_line_operands,
    "py_imports_for": py_imports_for,
    "sh_quote": sh_quote,
    "sh_word": sh_word,
    "sh_needs_quote": sh_needs_quote,
    "sh_expr": sh_expr,
    "sh_text": sh_text,
    "sh_text_expr": sh_text_expr,
    "curl_form_quote": curl_form_quote,
    "multipart_param": multipart_param,
    "httpie_key": httpie_key,
    "httpie_method": httpie_method,
    "js_str": js_str,
    "js_expr": js_expr,
    "js_imports_for": js_imports_for,
    "json_str": json_str,
    "json_dumps": json_dumps,
    "comment_text": comment_text,
    "ident": ident,
    **LANGUAGE_FILTERS,
}


# --------------------------------------------------------------------------- targets added for issue 10
# node-axios, node-native (JavaScript that fails loudly on a missing variable) and http-file (.http files).

# The function JavaScript targets define when they read the environment: a missing variable is an error
# naming it, before anything is sent (``process.env.X`` alone would send "undefined").
JS_ENV_FUNCTION = """function env(name) {
  const value = process.env[name];
  if (value === undefined) {
    throw new Error("environment variable " + name + " is not set");
  }
  return value;
}"""


def js_required_expr(s: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """``js_expr``: environment reads go through ``env(NAME)`` (JS_ENV_FUNCTION), which throws when the
    variable is not set; dynamic variables stay fresh values. Kept as the name the added targets use."""
    return js_expr(s, table, mode)


# .http files (JetBrains HTTP Client, VS Code REST Client, httpyac). Text is written as it is where the
# format reads it back unchanged; anything else (``{{`` that would start an expression, control characters,
# CR, a line the format would read as syntax) becomes ONE ``{{ JavaScript string expression }}`` that httpyac
# evaluates to the exact text. Its result is never read again, so a value cannot start an expression.

# httpyac's forms of the dynamic variables that have one; others are fresh JavaScript values.
HTTP_DYNAMIC = {
    "$guid": "{{$guid}}",
    "$randomUUID": "{{$guid}}",
    "$timestamp": "{{$timestamp}}",
    "$randomInt": "{{$randomInt 0 1001}}",
}
_HTTP_LINE_START = ("###", "<", "#", "//", "{{", "@", ">", "--")


def _http_js_char(ch: str) -> str:
    if ch in "{}":
        return f"\\u{ord(ch):04x}"
    if ord(ch) > 0xFFFF and not ch.isprintable():  # as a surrogate pair: no "\\u{...}" with its braces
        units = ch.encode("utf-16-be")
        return "".join(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in (0, 2))
    return _js_escape_char(ch, '"')


def http_js_literal(s: str) -> str:
    """A JavaScript string literal that can sit inside ``{{ }}``: no brace at all (``\\u007b``, ``\\u007d``),
    so nothing in it ends the expression early or reads as another one, and no line break."""
    return '"' + "".join(map(_http_js_char, s)) + '"'


def _http_parts(s: str, table: tuple[Placeholder, ...], mode: str) -> list[str | Placeholder]:
    if mode == "keep":  # placeholders stay variables, written as the collection writes them
        return [part if isinstance(part, str) else part.literal for part in split(s, table)] or [""]
    return segments(s, table, mode)


def _http_plain(text: str, multiline: bool, whole_lines: bool) -> bool:
    """Whether ``text`` (placeholders already written as ``{{NAME}}``) reads back as itself in an .http file;
    ``whole_lines``: it starts its line(s), which must not read as syntax."""
    if text != text.strip(" \t") or "\r" in text or "{{{" in text or text.endswith(","):
        return False  # (a value ending with "," continues on the next line for httpyac)
    lines = text.split("\n")
    if len(lines) > 1 and (not multiline or not lines[0] or not lines[-1]):
        return False
    if whole_lines and any(line.lstrip().startswith(_HTTP_LINE_START) for line in lines):
        return False
    if text.startswith("@"):  # "< @path" would read as "<@" (a file with variables)
        return False
    return all(line.isprintable() for line in lines)


def _http_runtime(placeholder: Placeholder, plain: bool) -> str:
    """A run-time value: httpyac's own form of a dynamic variable where it has one, else (inside an
    expression) a fresh JavaScript value or ``process.env["NAME"]``, whose text is never read again."""
    if plain:
        return HTTP_DYNAMIC[placeholder.name]
    dynamic = DYNAMIC_EXPRESSIONS.get(placeholder.name)
    return dynamic.js if dynamic else f"process.env[{js_str(placeholder.env_name)}]"


def _http_value(s: str, table: tuple[Placeholder, ...], mode: str, multiline: bool, whole_lines: bool) -> str:
    parts = _http_parts(s, table, mode) if table and has_tokens(s) else [s]
    runtime = [part for part in parts if isinstance(part, Placeholder)]
    if all(part.name in HTTP_DYNAMIC for part in runtime):
        plain = "".join(part if isinstance(part, str) else _http_runtime(part, True) for part in parts)
        literal_braces = any("{{" in part for part in parts if isinstance(part, str))
        if not literal_braces and _http_plain(plain, multiline, whole_lines):
            return plain
    expression = " + ".join(
        http_js_literal(part) if isinstance(part, str) else _http_runtime(part, False) for part in parts
    )
    return "{{ " + expression + " }}"


def http_js(s: str, table: tuple[Placeholder, ...] = (), mode: str = "keep") -> str:
    """``s`` as a JavaScript expression for inside ``{{ }}`` of an .http file (variables as bare names)."""
    parts = segments(s, table, mode) if table and has_tokens(s) else [s]
    return " + ".join(
        http_js_literal(part) if isinstance(part, str) else _http_runtime(part, False) for part in parts
    )


def http_value(s: str, table: tuple[Placeholder, ...] = (), mode: str = "keep") -> str:
    """A one-line value of an .http file (URL, header value, multipart line): plain when it reads back as
    itself, else one ``{{ JavaScript }}`` expression. ``env``: environment variables are read inside an
    expression (``process.env["NAME"]``): httpyac would expand a ``{{name}}`` in the value of a variable."""
    return _http_value(s, table, mode, multiline=False, whole_lines=False)


def http_line(s: str, table: tuple[Placeholder, ...] = (), mode: str = "keep") -> str:
    """``http_value`` for text that is a whole line of its own (a multipart part's header or value)."""
    return _http_value(s, table, mode, multiline=False, whole_lines=True)


# Checks of a value read from the environment, made by an .http file when it runs: httpyac reads a multipart
# body's text again after evaluating it (a "{{" in a value would run as code), and sends a header value's
# characters up to U+00FF as UTF-8 but refuses others (a non-ASCII value cannot go as run sends it). Such a
# value is refused: the request is not sent. No "}}" may appear in these (they sit inside {{ }}).
def _http_guard(test: str, message: str) -> str:
    return f'((v) => {{ if ({test}) throw new Error("cannot send: {message}"); return v; }})'


_HTTP_PART_GUARD = _http_guard(
    'v.includes("{" + "{")',
    "httpyac would run the double braces of a multipart part read from the environment",
)
_HTTP_HEADER_GUARD = _http_guard(
    "/[^\\x00-\\x7f]/.test(v)",
    "httpyac cannot send a non-ASCII header value read from the environment as UTF-8",
)
# a part name or filename is escaped as run escapes it (HTML5: %22, %0D, %0A)
_HTTP_PART_PARAM = '.replace(/"/g, "%22").replace(/\\r/g, "%0D").replace(/\\n/g, "%0A")'


def http_header_value(s: str, table: tuple[Placeholder, ...] = (), mode: str = "keep") -> str:
    """``http_value`` for a header value: a value read from the environment is refused when not ASCII."""
    parts = _http_parts(s, table, mode) if table and has_tokens(s) else [s]
    if mode != "env" or not any(isinstance(p, Placeholder) and p.name not in HTTP_DYNAMIC for p in parts):
        return http_value(s, table, mode)
    return "{{ " + _HTTP_HEADER_GUARD + "(" + http_js(s, table, mode) + ") }}"


def http_part_line(
    s: str, table: tuple[Placeholder, ...] = (), mode: str = "keep", param: bool = False
) -> str:
    """``http_line`` for a line of a multipart body (``param``: the Content-Disposition line, whose run-time
    values are a part name or filename): each value read from the environment is checked for ``{{`` when
    the code runs (``_HTTP_PART_GUARD``) and, in a name or filename, escaped as run escapes it."""
    parts = _http_parts(s, table, mode) if table and has_tokens(s) else [s]
    if mode != "env" or not any(isinstance(p, Placeholder) and p.name not in HTTP_DYNAMIC for p in parts):
        return http_line(s, table, mode)
    operands = []
    for part in parts:
        if isinstance(part, str):
            operands.append(http_js_literal(part))
            continue
        value = _http_runtime(part, False)
        if part.name not in HTTP_DYNAMIC:
            value = _HTTP_PART_GUARD + f"({value})"
        operands.append(value + (_HTTP_PART_PARAM if param else ""))
    return "{{ " + " + ".join(operands) + " }}"


def http_body(s: str, table: tuple[Placeholder, ...] = (), mode: str = "keep") -> str:
    """A body of an .http file: its lines as they are (sent joined with LF) when that reads back as the same
    bytes, else one ``{{ JavaScript }}`` expression (CR, a final line break, a line the format reads as
    syntax)."""
    if not s:
        return ""
    return _http_value(s, table, mode, multiline=True, whole_lines=True)


def http_form(encoded: str, table: tuple[Placeholder, ...] = (), mode: str = "keep") -> str:
    """A urlencoded body whose run-time keys and values are percent-encoded by httpyac as the resolver
    encodes."""
    if not py_form_needs_quote(encoded, table, mode):
        return http_value(encoded, table, mode)
    pieces: list[str] = []
    for text, runtime in _form_pieces(encoded, table, mode):
        if not runtime:
            pieces.append(http_js_literal(text))
            continue
        inner = " + ".join(
            http_js_literal(part) if isinstance(part, str) else _http_runtime(part, False)
            for part in segments(text, table, mode)
        )
        pieces.append(
            f"encodeURIComponent({inner})"
            '.replace(/[!\'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())'
        )
    return "{{ " + " + ".join(p for p in pieces if p != http_js_literal("")) + " }}"


def http_env_names(strings: Iterable[str], table: tuple[Placeholder, ...], mode: str) -> list[str]:
    """Sorted environment variable names an .http file in ``env`` mode reads (dynamic variables aside)."""
    if mode != "env":
        return []
    names = {p.env_name for p in _placeholders(strings, table, mode) if p.name not in DYNAMIC_EXPRESSIONS}
    return sorted(names)


FILTERS.update(
    {
        f.__name__: f
        for f in (
            js_required_expr,
            http_js_literal,
            http_js,
            http_value,
            http_body,
            http_form,
            http_env_names,
        )
    }
)
