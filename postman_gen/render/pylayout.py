"""Line layout of Python expressions the way ``ruff format`` lays them out, for templates.

Why: generated Python must pass ``ruff format --check`` without running ruff (it is not a runtime
dependency, and output must be the same bytes on every machine). Templates only produce a few shapes:
statements ``name = a + b + c`` and elements ``key: a + b + c,`` inside brackets that always end with a
magic trailing comma. For those shapes ruff's choices are simple and reproduced here: keep the line flat
when it fits, else (statements only) wrap the right-hand side in parentheses on one line, else one
operand per line with a leading ``+``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 88  # ruff's default line length: generated files are checked with the user's defaults
INDENT = "    "


def width(text: str) -> int:
    """Display width as ruff counts it: East Asian wide characters 2, combining marks 0."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def statement(target: str, operands: Sequence[str], broken: Sequence[str] | None = None) -> str:
    """``target = operands joined by +``: flat, parenthesised on one line, or one operand per line.

    ``broken`` is the operand list to use when the expression has to be split over lines (for
    example a body literal cut after each newline); it defaults to ``operands``.
    """
    flat = f"{target} = " + " + ".join(operands)
    if width(flat) <= WIDTH:
        return flat
    inner = INDENT + " + ".join(operands)
    if len(operands) == 1:
        if width(inner) <= WIDTH:
            return f"{target} = (\n{inner}\n)"
        if not broken or len(broken) < 2:
            return flat  # one literal too long even alone: ruff leaves the atom as it is
        return _broken_statement(target, broken, implicit=True)
    if width(inner) <= WIDTH:
        return f"{target} = (\n{inner}\n)"
    return _broken_statement(target, broken or operands, implicit=False)


def _broken_statement(target: str, operands: Sequence[str], *, implicit: bool) -> str:
    """One operand per line inside parentheses; literal-only text uses implicit concatenation."""
    joiner = "" if implicit else "+ "
    lines = [INDENT + operands[0]] + [INDENT + joiner + op for op in operands[1:]]
    return f"{target} = (\n" + "\n".join(lines) + "\n)"


def element(prefix: str, operands: Sequence[str], indent: int, suffix: str = ",") -> str:
    """An element inside brackets (``"Key": value,`` or ``value,``) at ``indent`` levels.

    Flat when it fits or when it is one operand (ruff cannot split an atom); otherwise the first
    operand stays on the prefix line and each further one gets its own ``+ `` line.
    """
    pad = INDENT * indent
    flat = pad + prefix + " + ".join(operands) + suffix
    if len(operands) == 1 or width(flat) <= WIDTH:
        return flat
    lines = [pad + prefix + operands[0]] + [pad + "+ " + op for op in operands[1:]]
    return "\n".join(lines) + suffix


@dataclass(frozen=True, slots=True)
class Group:
    """A bracketed list of arguments: a call (``func`` is its name), or a tuple (``func`` empty).

    Each argument is either a list of operands joined by ``+`` or another ``Group``.
    """

    func: str
    args: tuple[Sequence[str] | Group, ...]
    open: str = "("
    close: str = ")"
    tail: str = ""  # after the closing bracket: ".read_bytes()"


def group(func: str, args: Sequence[Sequence[str] | Group], brackets: str = "()", tail: str = "") -> Group:
    """Template helper: ``group("f", [[path], ['"rb"']])``; ``brackets="{}"`` for a dict display."""
    return Group(func, tuple(args), brackets[0], brackets[1], tail)


def _flat(node: Sequence[str] | Group) -> str:
    if isinstance(node, Group):
        return node.func + node.open + ", ".join(_flat(a) for a in node.args) + node.close + node.tail
    return " + ".join(node)


def lay(node: Sequence[str] | Group, indent: int, prefix: str = "", suffix: str = ",") -> str:
    """``node`` at ``indent`` levels as ruff lays it out: flat, its arguments on one inner line, or exploded.

    Exploded arguments get one line each and a trailing comma; a ``+`` chain that does not fit is cut
    as ``element`` cuts it.
    """
    if not isinstance(node, Group):
        return element(prefix, node, indent, suffix)
    pad = INDENT * indent
    flat = pad + prefix + _flat(node) + suffix
    suffix = node.close + node.tail + suffix
    if width(flat) <= WIDTH:
        return flat
    head = pad + prefix + node.func + node.open
    body = INDENT * (indent + 1) + ", ".join(_flat(a) for a in node.args)
    if width(body) <= WIDTH:
        return f"{head}\n{body}\n{pad}{suffix}"
    if len(node.args) == 1:  # a sole argument gets no trailing comma: it is split in turn
        return f"{head}\n{lay(node.args[0], indent + 1, suffix='')}\n{pad}{suffix}"
    inner = [lay(a, indent + 1) for a in node.args]
    return head + "\n" + "\n".join(inner) + f"\n{pad}{suffix}"


def kw(name: str, operands: Sequence[str]) -> list[str]:
    """A keyword argument (``name=``) or dict entry (``"key": ``) in front of its operands."""
    return [name + operands[0], *operands[1:]]
