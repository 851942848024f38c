"""The code-generation settings of a repository: ``[tool.postman-gen]`` in ``pyproject.toml`` or a
``.postman-gen.toml``, so that pre-commit hooks and CI run ``postman-gen generate collections --check``.

Searched from the working folder up to the file system's root; the first folder holding either file wins
(``.postman-gen.toml`` before ``pyproject.toml``, whose ``[tool.postman-gen]`` table must exist to count).
Keys: ``targets`` (list), ``output`` (folder, relative to the file), ``vars`` (inline, keep or env) and
``options`` (a table of ``KEY = value`` for every target that has the option, or of ``TARGET = {KEY =
value}``). They are the defaults of ``generate`` and ``diff``; a flag on the command line wins.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postman_gen.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILES = (".postman-gen.toml", "pyproject.toml")
KEYS = ("targets", "output", "vars", "options")
VAR_MODES = ("inline", "keep", "env")


@dataclass(frozen=True, slots=True)
class Config:
    file: str
    targets: tuple[str, ...] = ()
    output: str | None = None
    vars: str | None = None
    options: tuple[str, ...] = ()  # as -O takes them: KEY=VALUE or TARGET:KEY=VALUE

    def defaults(self, command: str) -> dict[str, Any]:
        """Click parameter defaults for ``command`` (``generate`` or ``diff``)."""
        out: dict[str, Any] = {}
        if self.targets:
            out["targets"] = list(self.targets)
        if self.vars:
            out["var_mode"] = self.vars
        if self.options:
            out["target_options"] = list(self.options)
        if self.output and command == "generate":
            out["out_dir"] = self.output
        return out


def find(start: str | os.PathLike[str] | None = None) -> Config | None:
    """The settings that apply in ``start`` (default: the working folder), or None."""
    folder = Path(start or os.getcwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in FILES:
            path = candidate / name
            if not path.is_file():
                continue
            table = _table(path)
            if table is not None:
                return _config(path, table)
    return None


def _table(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the settings: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("postman-gen")
        return table if isinstance(table, dict) else None
    return data


def _bad(path: Path, key: str, what: str) -> UsageError:
    where = "tool.postman-gen." if path.name == "pyproject.toml" else ""
    return UsageError(f"{path}: {where}{key} must be {what}")


def _config(path: Path, table: dict[str, Any]) -> Config:
    for key in table:
        if key not in KEYS:
            raise _bad(path, key, f"one of the known keys ({', '.join(KEYS)}), not an unknown one")
    targets = table.get("targets", [])
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, list) or not all(isinstance(t, str) and t for t in targets):
        raise _bad(path, "targets", "a list of target names")
    output = table.get("output")
    if output is not None and (not isinstance(output, str) or not output):
        raise _bad(path, "output", "a folder name")
    mode = table.get("vars")
    if mode is not None and mode not in VAR_MODES:
        raise _bad(path, "vars", "one of " + ", ".join(VAR_MODES))
    return Config(
        file=str(path),
        targets=tuple(targets),
        output=None if output is None else str(path.parent / output),
        vars=mode,
        options=tuple(_options(path, table.get("options", {}))),
    )


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _options(path: Path, options: Any) -> list[str]:
    if not isinstance(options, dict):
        raise _bad(path, "options", "a table of KEY = value (or TARGET = { KEY = value })")
    out = []
    for key, value in options.items():
        if isinstance(value, dict):
            for name, inner in value.items():
                text = _scalar(inner)
                if text is None:
                    raise _bad(path, f"options.{key}.{name}", "a string, number or boolean")
                out.append(f"{key}:{name}={text}")
            continue
        text = _scalar(value)
        if text is None:
            raise _bad(path, f"options.{key}", "a string, number, boolean or a table for one target")
        out.append(f"{key}={text}")
    return out
