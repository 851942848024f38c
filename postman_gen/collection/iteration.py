"""Iteration data (``-d``): a CSV file with a header row, or a JSON array of objects, read as Newman reads it.

Newman first tries JSON, then CSV with these csv-parse options: ``columns`` (first row names the
variables), ``bom`` (a leading byte order mark is dropped), ``trim`` (blanks around a field are dropped),
``relax`` (a quote inside an unquoted field is literal), ``relax_column_count`` (short rows just lack the
missing variables) and a cast: an *unquoted* field that looks like an integer or a float becomes a
JavaScript number, quoted fields and everything else (``true``, ``false``, dates) stay text. A number
becomes text again when it is substituted, so ``007`` is sent as ``7``, ``1.50`` as ``1.5`` and ``1e3``
as ``1000``. This module does that conversion for CSV; a JSON row keeps its types for scripts and becomes
text for requests (``row_texts``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from postman_gen.errors import InputError
from postman_gen.resolution.value_text import js_number_of_text, js_number_text, value_text

# A row as the data file types it: text (CSV fields, JSON strings), numbers, booleans, None (JSON null, which
# Newman does not substitute), lists and objects. Scripts see these values (``pm.iterationData.get("a")`` is
# the number 1); requests see each as Newman substitutes it (``row_texts``).
Row = dict[str, Any]

_IS_INT = re.compile(r"^[-+]?[1-9][0-9]*$")  # newman's util.isInt (note: "0" and "007" are not ints)
_FLOAT_PREFIX = re.compile(
    r"^[+-]?(?:Infinity|[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)"
)


# --------------------------------------------------------------------------- JavaScript numbers


def _js_parse_float(text: str) -> float:
    """``parseFloat(text)``: the longest decimal prefix."""
    match = _FLOAT_PREFIX.match(text)
    if not match:
        return math.nan
    token = match.group(0)
    return float(token.replace("Infinity", "inf"))


def cast_csv_value(text: str, quoted: bool) -> str:
    """An unquoted field that Newman casts to a number comes back as that number's text."""
    if quoted or not text:
        return text
    if _IS_INT.match(text):
        return js_number_text(float(int(text)))
    number = js_number_of_text(text)
    parsed = _js_parse_float(text)
    if not math.isnan(number) and not math.isnan(parsed) and number - parsed + 1 >= 0:
        return js_number_text(parsed)
    return text


# --------------------------------------------------------------------------- CSV


def _fields(text: str, file: str = "") -> list[tuple[int, list[tuple[str, bool]]]]:
    """Records of (field, was quoted) with the line each starts on, csv-parse style with trim and relax;
    blank lines are skipped. A quote that is never closed is an error (as csv-parse's "Quote Not Closed")."""
    records: list[tuple[int, list[tuple[str, bool]]]] = []
    record: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    line = start_line = 1
    while i <= n:
        while i < n and text[i] in " \t":
            i += 1
        value, quoted = "", False
        if i < n and text[i] == '"':
            quoted, i, opened = True, i + 1, line
            chunks = []
            closed = False
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        chunks.append('"')
                        i += 2
                        continue
                    i += 1
                    closed = True
                    break
                if text[i] == "\n":
                    line += 1
                chunks.append(text[i])
                i += 1
            if not closed:
                raise InputError("a quoted field is never closed", file=file, where=f"line {opened}")
            value = "".join(chunks)
            start = i
            while i < n and text[i] not in ",\r\n":
                i += 1
            value += text[start:i].strip(" \t")
        else:
            start = i
            while i < n and text[i] not in ",\r\n":
                i += 1
            value = text[start:i].rstrip(" \t")
        record.append((value, quoted))
        if i < n and text[i] == ",":
            i += 1
            continue
        if record != [("", False)]:
            records.append((start_line, record))
        record = []
        if i < n and text[i] == "\r" and i + 1 < n and text[i + 1] == "\n":
            i += 1
        if i < n and text[i] in "\r\n":
            line += 1
        start_line = line
        i += 1
    return records


def parse_csv(text: str, *, file: str = "") -> list[Row]:
    text = text.removeprefix("\ufeff")
    records = _fields(text, file)
    if not records:
        return []
    header = [name for name, _ in records[0][1]]
    rows: list[Row] = []
    for line, record in records[1:]:
        if len(record) != len(header):  # csv-parse (Newman) refuses it too: "Invalid Record Length"
            raise InputError(
                f"this row has {len(record)} fields but the header has {len(header)}",
                file=file,
                where=f"line {line}",
            )
        rows.append({header[j]: cast_csv_value(v, q) for j, (v, q) in enumerate(record)})
    return rows


# --------------------------------------------------------------------------- JSON


def parse_json_rows(data: Any, *, file: str = "") -> list[Row]:
    if not isinstance(data, list):
        raise InputError("iteration data must be a JSON array of objects", file=file)
    rows = []
    for index, entry in enumerate(data):
        if not isinstance(entry, Mapping):
            raise InputError("each iteration must be a JSON object", file=file, where=f"[{index}]")
        rows.append({str(k): v for k, v in entry.items()})
    return rows


def row_texts(row: Mapping[str, Any]) -> dict[str, str | None]:
    """A row as requests use it: each value as Newman substitutes it (``1`` -> ``"1"``, an object ->
    ``"[object Object]"``); a null stays None, as Newman leaves ``{{name}}`` as written for it."""
    return {key: None if value is None else value_text(value) for key, value in row.items()}


def load_iteration_data(path: str) -> list[Row]:
    """The rows of a data file: JSON if it parses as JSON, else CSV (Newman's order)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read iteration data: {exc.strerror}", file=path) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"iteration data is not UTF-8 (byte {exc.start})", file=path) from exc
    try:
        data = json.loads(text.strip())
    except ValueError:
        return parse_csv(text, file=path)
    if isinstance(data, (list, dict)):
        return parse_json_rows(data, file=path)
    return parse_csv(text, file=path)
