"""Text from collections, servers and scripts, made harmless for a terminal.

A collection, a server or a script chooses item names, error messages, console output and bodies; raw, their
control characters would act on the terminal (``\\x1b]0;title\\x07`` sets the window title, ``\\r`` overwrites
the line, ``\\x1b[2J`` clears the screen). On a terminal they are shown as escapes (``\\x1b``); into a pipe or
a file, output stays byte for byte what was received. Error and warning lines are always one line.
"""

from __future__ import annotations

import re
import sys

import click

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators; \t and \n kept in multi-line text
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROLS_AND_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def visible(text: str) -> str:
    """Control characters as escapes, line breaks and tabs kept."""
    return _CONTROLS.sub(_escape, text)


def one_line(text: str) -> str:
    """Every control character as an escape, line breaks included: one line whatever the text holds."""
    return _CONTROLS_AND_BREAKS.sub(_escape, text)


def is_terminal(err: bool = False) -> bool:
    stream = sys.stderr if err else sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def echo(text: str, *, err: bool = False, nl: bool = True, single_line: bool = False) -> None:
    """Print text that holds data (names, bodies, console output): escaped on a terminal, as is elsewhere.

    ``single_line``: on a terminal, line breaks are escaped too (a name must not start a line of its own).
    """
    if is_terminal(err):
        text = one_line(text) if single_line else visible(text)
    click.echo(text, err=err, nl=nl, color=True)  # color: click would strip escapes from piped data


def echo_line(text: str, *, err: bool = True) -> None:
    """Print an error or warning line: always one line (its control characters escaped)."""
    click.echo(one_line(text), err=err)
