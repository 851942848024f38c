"""Variables that code generation keeps symbolic (``--vars keep`` and ``--vars env``).

Resolution normally substitutes ``{{name}}`` with its value. When generating code
that must look a variable up at run time (``env``) or show it as written (``keep``),
the resolver substitutes a *token* instead: a run of ASCII letters and digits, unique to the
process (no input can spell one), that passes unchanged through every step of resolution
(percent-encoding, form encoding, JSON and XML bodies, header checks).
A template then splits each string at the
tokens and writes each as its language's expression (``os.environ["AUTH0_DOMAIN"]``,
``"${AUTH0_DOMAIN}"``, ``{{auth0_domain}}``, ``str(uuid.uuid4())``...).

The table of placeholders travels inside the resolved request, so a string is
always split against the request it came from.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass
from enum import Enum

# Lower-case letters and digits: hosts are lower-cased on the way. The middle is drawn afresh by each
# process, so no collection can spell a token: a literal text equal to one would otherwise be taken for a
# variable (an environment variable read in its place, or an index out of the table).
_SALT = "".join(secrets.choice(string.ascii_lowercase) for _ in range(16))
_PREFIX = "zq" + _SALT
_TOKEN = _PREFIX + "x{}xqz"
_TOKEN_RE = re.compile(_PREFIX + r"x(\d+)xqz")


class PlaceholderKind(str, Enum):
    VARIABLE = "variable"  # {{name}}
    DYNAMIC = "dynamic"  # {{$guid}}, {{$timestamp}} ...
    PATH = "path"  # :name in the URL path


@dataclass(frozen=True, slots=True)
class Placeholder:
    kind: PlaceholderKind
    name: str  # as written, without braces or colon: "auth0_domain", "$guid", "id"
    env_name: str  # environment variable generated code reads: "AUTH0_DOMAIN"

    @property
    def literal(self) -> str:
        """The placeholder as the collection writes it."""
        return f":{self.name}" if self.kind is PlaceholderKind.PATH else "{{" + self.name + "}}"


def token(index: int) -> str:
    """The in-string token of placeholder number ``index``."""
    return _TOKEN.format(index)


def has_tokens(text: str) -> bool:
    return _PREFIX in text and _TOKEN_RE.search(text) is not None


def split(text: str, table: tuple[Placeholder, ...]) -> list[str | Placeholder]:
    """Split ``text`` into literal runs and placeholders, in order; no empty literal runs."""
    parts: list[str | Placeholder] = []
    pos = 0
    for match in _TOKEN_RE.finditer(text):
        if match.start() > pos:
            parts.append(text[pos : match.start()])
        parts.append(table[int(match.group(1))])
        pos = match.end()
    if pos < len(text):
        parts.append(text[pos:])
    return parts


def replace_tokens(text: str, replacement: str) -> str:
    """``text`` with every token replaced by the same plain ``replacement`` (to judge its shape)."""
    return _TOKEN_RE.sub(replacement, text)


def respell_tokens(text: str, spelling: str) -> str:
    """``text`` with token number N written as ``spelling.format(N)``: a stable form for snapshots,
    whereas the tokens themselves differ from process to process."""
    return _TOKEN_RE.sub(lambda m: spelling.format(m.group(1)), text)


def restore(text: str, table: tuple[Placeholder, ...]) -> str:
    """``text`` with every token put back as the collection wrote it (``{{name}}``, ``:id``)."""
    return _TOKEN_RE.sub(lambda m: table[int(m.group(1))].literal, text)


def env_name(name: str) -> str:
    """A portable environment-variable name for a Postman variable: ``auth0-domain`` -> ``AUTH0_DOMAIN``."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "_", name.lstrip("$")).strip("_").upper()
    if not cleaned:
        cleaned = "VAR"
    if cleaned[0].isdigit():
        cleaned = "_" + cleaned
    return cleaned
