"""A JSON value as the text Postman substitutes for it: JavaScript's ``String(value)``.

Newman keeps variable values as JavaScript values (a collection variable ``100.0`` is the number 100, a data
file's ``[1, 2]`` an array) and turns them into text only when a ``{{name}}`` is replaced, with the value's
own ``toString``. So a number is written as JavaScript writes it (``100``, ``1e-7``, ``1e+21``,
``0.30000000000000004``), an array as its elements joined by commas (``null`` elements empty), an object as
``[object Object]``, ``null`` as ``null`` and a variable without a value as the empty string. Every source
of values (collection, environment and globals files, iteration data, scripts) goes through this one module,
so the same value is sent the same way wherever it comes from.

A variable may declare a ``type`` (``string``, ``number``, ``boolean``...): postman-collection casts the
value to it before it is substituted (``"10.50"`` as a number is ``10.5``, ``"false"`` as a boolean is
``true``, being a non-empty string); :func:`variable_value` does that cast, giving the value scripts see
(``pm.environment.get``), and :func:`variable_text` gives its text.
"""

from __future__ import annotations

import enum
import json
import math
import re
from typing import Any, Final

__all__ = [
    "UNDEFINED",
    "js_number",
    "js_number_of_text",
    "js_number_text",
    "value_text",
    "variable_text",
    "variable_value",
]


class _Undefined(enum.Enum):
    """JavaScript's ``undefined``: a variable that exists without a value (a script set it to undefined)."""

    UNDEFINED = "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Final = _Undefined.UNDEFINED

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)$")
_RADIX = {"0x": 16, "0b": 2, "0o": 8}
_JS_SPACE = " \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"  # noqa: E501


def value_text(value: Any) -> str:
    """``String(value)`` for a JSON value, as a ``{{variable}}`` holding it is replaced by.

    A lone surrogate in a string (``"\\ud800"`` in the JSON) becomes U+FFFD, as JavaScript's UTF-8 encoder
    sends it.
    """
    if type(value) is str:
        if value.isascii() or _LONE_SURROGATE.search(value) is None:
            return value
        return _LONE_SURROGATE.sub("\ufffd", value)
    if value is None:
        return "null"
    if value is UNDEFINED:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number_text(_as_double(value))
    if isinstance(value, (list, tuple)):
        # Array.prototype.toString: elements joined by commas, null and undefined as empty text
        return ",".join("" if v is None or v is UNDEFINED else value_text(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, str):  # a str subclass
        return value_text(str(value))
    return str(value)


def variable_text(value: Any, type_: object = None) -> str:
    """The text of a variable whose value is ``value`` and declared type ``type_`` (None: no type)."""
    kind = type_.lower() if isinstance(type_, str) else None
    if kind == "number":
        return js_number_text(js_number(value))
    if kind == "string" and value is UNDEFINED:
        return "undefined"  # String(undefined)
    return value_text(variable_value(value, type_))


def variable_value(value: Any, type_: object = None) -> Any:
    """A variable's JSON value as postman-collection's ``Variable.get()`` returns it to scripts: cast to its
    declared type (``string``, ``number``, ``boolean``, ``array``, ``object``); any other type (``default``,
    ``secret``, ``any``, none) keeps the value as the file typed it (``1`` stays the number 1)."""
    kind = type_.lower() if isinstance(type_, str) else None
    if kind == "string":
        return "undefined" if value is UNDEFINED else value_text(value)
    if kind == "number":
        number = js_number(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "boolean":
        return _truthy(value)
    if kind in ("array", "object"):  # text is parsed as JSON; a value of another shape is undefined
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return UNDEFINED
        wanted = list if kind == "array" else dict
        return value if isinstance(value, wanted) else UNDEFINED
    return value


# --------------------------------------------------------------------------- JavaScript numbers


def _as_double(value: int | float) -> float:
    """A JSON number as the double JavaScript holds (integers beyond 2**53 round, beyond 1.8e308 overflow)."""
    if isinstance(value, float):
        return value
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def js_number_text(value: float) -> str:
    """``String(value)`` for a number: the shortest digits that round-trip, with JavaScript's exponent rules
    (plain notation from 1e-6 up to 1e21, ``1e-7`` and ``1e+21`` beyond)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"  # also -0
    sign = "-" if value < 0 else ""
    mantissa, _, exp = repr(abs(value)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    point = len(whole) + (int(exp) if exp else 0)  # position of the decimal point in ``whole+frac``
    if whole == "0":  # 0.00123 -> digits "123", point after leading zeros
        point -= len(frac) - len(frac.lstrip("0")) + 1
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{head}e{'+' if e >= 0 else '-'}{abs(e)}"


def js_number(value: Any) -> float:
    """``Number(value)`` for a JSON value (NaN where JavaScript gives NaN)."""
    if value is None:
        return 0.0
    if value is UNDEFINED:
        return math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return _as_double(value)
    if isinstance(value, str):
        return js_number_of_text(value.strip(_JS_SPACE))
    if isinstance(value, (list, tuple)):  # Number([]) is 0, Number([x]) is Number(String(x))
        return js_number_of_text(value_text(value).strip(_JS_SPACE))
    return math.nan


def js_number_of_text(text: str) -> float:
    """``Number(text)`` for an already-trimmed string."""
    if not text:
        return 0.0
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if _DECIMAL.match(text):
        return float(text)
    radix = _RADIX.get(text[:2].lower())
    if radix is not None and len(text) > 2:
        try:
            return float(int(text[2:], radix))
        except ValueError:
            return math.nan
    return math.nan


def _truthy(value: Any) -> bool:
    """``Boolean(value)``: false only for false, 0, NaN, "", null and undefined."""
    if value is None or value is UNDEFINED:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True
