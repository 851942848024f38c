"""Options shared by every command that resolves requests, and turning them into inputs."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from postman_gen.cli.terminal import echo_line
from postman_gen.errors import Diagnostic, Level, UsageError
from postman_gen.resolution.var_mode import VarMode

if TYPE_CHECKING:  # imported where used: generate's fast path (render/manifest.py) loads no model
    from postman_gen.collection.model import Collection
    from postman_gen.collection.selection import Selected
    from postman_gen.resolution.resolver import ResolveOptions, Values


def pairs(values: Sequence[str], flag: str) -> dict[str, str]:
    """``KEY=VALUE`` arguments of ``flag`` as a dict (a later key wins)."""
    out: dict[str, str] = {}
    for text in values:
        key, sep, value = text.partition("=")
        if not sep or not key:
            raise UsageError(f"{flag} takes KEY=VALUE, got {text!r}")
        out[key] = value
    return out


def item_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-i",
        "--item",
        "items",
        multiple=True,
        metavar="ITEM",
        help="Item or folder by name, folder path (Users/Update a user) or id; repeatable. Default: all.",
    )(func)


NO_WARNINGS = "postman_gen.no_warnings"  # key of ``click.Context.meta`` (shared by nested contexts)


def _silence(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[NO_WARNINGS] = True
    return value


def warnings_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--no-warnings``: every ``Warnings`` of the command prints nothing (collection-level ones too)."""
    return click.option(
        "--no-warnings",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_silence,
        help="Print no warnings (skipped v3 kinds, unresolved variables...); the output is unchanged.",
    )(func)


def warnings_silenced() -> bool:
    """Whether the running command was given ``--no-warnings``."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(NO_WARNINGS))


def resolve_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """-e, -g, --var, --path-var, --strict, --seed, --working-dir, --[no-]insecure-file-read."""
    decorators = [
        click.option(
            "-e", "--environment", type=click.Path(dir_okay=False, allow_dash=True), help="Environment file."
        ),
        click.option("-g", "--globals", "globals_", type=click.Path(dir_okay=False), help="Globals file."),
        click.option(
            "--var",
            "vars_",
            multiple=True,
            metavar="KEY=VALUE",
            help="Set a variable (highest scope); repeatable.",
        ),
        click.option(
            "--path-var",
            "path_vars",
            multiple=True,
            metavar="NAME=VALUE",
            help="Set a :path variable; repeatable.",
        ),
        click.option("--strict", is_flag=True, help="An unresolved {{variable}} is an error, not a warning."),
        click.option("--seed", type=int, help="Seed for dynamic variables ({{$guid}}, {{$randomInt}}...)."),
        click.option(
            "--working-dir",
            type=click.Path(file_okay=False),
            help="Folder that relative file paths in bodies are read from (default: the collection's).",
        ),
        click.option(
            "--insecure-file-read/--no-insecure-file-read",
            default=None,
            help="Allow body files outside --working-dir (absolute paths, ../). Default: allowed, except "
            "for a collection read from standard input.",
        ),
    ]
    return functools.reduce(lambda f, d: d(f), reversed(decorators), func)


@dataclass(frozen=True)
class Inputs:
    collection: Collection
    values: Values
    options: ResolveOptions


def load_inputs(
    file: str,
    *,
    environment: str | None,
    globals_: str | None,
    vars_: Sequence[str],
    path_vars: Sequence[str],
    strict: bool,
    seed: int | None,
    working_dir: str | None,
    insecure_file_read: bool | None = None,
    mode: VarMode = VarMode.INLINE,
    data: dict[str, str] | None = None,
    warnings: Warnings | None = None,
) -> Inputs:
    import postman_gen
    from postman_gen.collection.loader import is_url
    from postman_gen.resolution.resolver import ResolveOptions, Values

    collection = postman_gen.load(file)
    (warnings or Warnings()).emit(collection.warnings)
    environment = scope_file(environment, collection, "environment")
    globals_ = scope_file(globals_, collection, "globals")
    values = Values(
        globals=postman_gen.load_variables(globals_) if globals_ else (),
        environment=postman_gen.load_variables(environment) if environment else (),
        data=data or {},
        cli=pairs(vars_, "--var"),
    )
    options = ResolveOptions(
        mode=mode,
        strict=strict,
        seed=seed,
        path_vars=pairs(path_vars, "--path-var"),
        working_dir=working_dir,
        # as Newman's --no-insecure-file-read; a collection from a stream is someone else's by default
        files_inside_working_dir=not insecure_file_read
        if insecure_file_read is not None
        else file == "-" or is_url(file),
    )
    return Inputs(collection, values, options)


def resolve_selected(inputs: Inputs, selectors: Sequence[str]) -> list[tuple[Selected, Any]]:
    """Each selected item with its resolved request, or the error that kept it from resolving, in order."""
    from postman_gen.collection.selection import select
    from postman_gen.errors import PostmanGenError
    from postman_gen.resolution.dynamic import DynamicValues
    from postman_gen.resolution.resolver import resolve

    dynamic = DynamicValues(seed=inputs.options.seed)
    out: list[tuple[Selected, Any]] = []
    for selected in select(inputs.collection, selectors):
        try:
            request: Any = resolve(
                inputs.collection,
                selected.folders,
                selected.item,
                inputs.values,
                inputs.options,
                dynamic=dynamic,
            )
        except PostmanGenError as exc:
            if not exc.where:
                exc.where = selected.item.where
            request = exc
        out.append((selected, request))
    return out


def scope_file(given: str | None, collection: Collection, kind: str) -> str | None:
    """``-e``/``-g`` as given, or, when no such file exists and the collection is a v3 tree, the
    ``postman/environments/NAME.environment.yaml`` (or globals) found next to it."""
    import os

    if not given or given == "-" or os.path.exists(given) or collection.schema_version != "3.0.0":
        return given
    from postman_gen.collection.v3 import find_environment

    found = find_environment(given, collection.base_dir, kind)
    if found is None:
        folder = "globals" if kind == "globals" else "environments"
        raise UsageError(
            f"no {kind} file {given!r}, and no postman/{folder}/{given}.{kind}.yaml near the collection"
        )
    return found


class Warnings:
    """Prints each warning once, on stderr; an unresolved variable once per name and file, at ``flush()``,
    with the number of requests it affects (a 466-request run does not print the same line 466 times).

    ``before`` runs before anything is printed (the console clears its live status line there), and
    ``enabled=False`` prints nothing; by default it prints unless the command was given ``--no-warnings``.
    """

    def __init__(self, *, enabled: bool | None = None, before: Callable[[], None] | None = None) -> None:
        self._seen: set[str] = set()
        self._unresolved: dict[tuple[str, str], tuple[str, set[str]]] = {}
        self.enabled = not warnings_silenced() if enabled is None else enabled
        self._before = before
        self.printed: list[str] = []  # every line, also those --no-warnings kept quiet (generate's manifest)

    def emit(self, diagnostics: Sequence[Diagnostic], subject: str = "") -> None:
        """``subject`` names the request the diagnostics are about (default: each location counts)."""
        from postman_gen.resolution.variables import unresolved_name

        for d in diagnostics:
            name = unresolved_name(d.message)
            if name is not None:
                _first, subjects = self._unresolved.setdefault((d.file, name), (d.where, set()))
                subjects.add(subject or d.where)
                continue
            line = str(d)
            if line not in self._seen:
                self._seen.add(line)
                self._print(f"warning: {line}")

    def flush(self) -> None:
        """The grouped unresolved variables, in the order first met."""
        from postman_gen.resolution.variables import unresolved_message

        for (file, name), (first, subjects) in self._unresolved.items():
            if len(subjects) == 1:
                self._print(f"warning: {Diagnostic(Level.WARNING, unresolved_message(name), file, first)}")
            else:
                where = (
                    f"{len(subjects)} requests, first at {first}" if first else f"{len(subjects)} requests"
                )
                self._print(f"warning: {file}: {unresolved_message(name)} ({where})")
        self._unresolved.clear()

    def say(self, line: str) -> None:
        """A warning line of the caller's own making, under the same rules (``before``, ``enabled``)."""
        self._print(line)

    def _print(self, line: str) -> None:
        self.printed.append(line)
        if not self.enabled:
            return
        if self._before is not None:
            self._before()
        echo_line(line)
