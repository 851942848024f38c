"""``render``, ``generate``, ``diff`` and ``targets``: client code from resolved requests."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from postman_gen.cli import cli
from postman_gen.cli.common import (
    Inputs,
    Warnings,
    item_option,
    load_inputs,
    resolve_options,
    warnings_option,
)
from postman_gen.errors import ExitStatus, PostmanGenError
from postman_gen.resolution.var_mode import VarMode

if TYPE_CHECKING:
    from postman_gen.resolution.request import ResolvedRequest

_VARS = click.Choice([m.value for m in VarMode])


def _templates_option(func: Any) -> Any:
    return click.option(
        "--templates",
        "template_dirs",
        multiple=True,
        type=click.Path(file_okay=False, exists=True),
        metavar="DIR",
        help="A folder of targets that adds or overrides built-in ones (down to one file); repeatable.",
    )(func)


def _option_flag(func: Any) -> Any:
    return click.option(
        "-O",
        "--option",
        "target_options",
        multiple=True,
        metavar="[TARGET:]KEY=VALUE",
        help="Target option (see `targets -v`), for every target that has it or for TARGET; repeatable.",
    )(func)


def _targets_flag(text: str) -> Any:
    """``-t, --target``, repeatable, python-requests by default (render and diff)."""
    return click.option(
        "-t", "--target", "targets", multiple=True, default=("python-requests",), show_default=True, help=text
    )


def _target_options(specs: Sequence[Any], given: Sequence[str]) -> dict[str, dict[str, str]]:
    from postman_gen.render.engine import options_by_target

    return options_by_target(specs, given, "-O/--option")


def _resolve_each(inputs: Inputs, selectors: Sequence[str]) -> list[ResolvedRequest | PostmanGenError]:
    """Each selected item resolved, or the error that kept it from resolving, in collection order."""
    from postman_gen.cli.common import resolve_selected

    return [request for _selected, request in resolve_selected(inputs, selectors)]


@cli.command()
@click.argument("file", type=click.Path(allow_dash=True))
@item_option
@_targets_flag("Target (see `targets`); repeatable: the code of each, in turn.")
@click.option(
    "--vars",
    "var_mode",
    type=_VARS,
    default="inline",
    show_default=True,
    help="inline: values written in; keep: {{name}} as written; env: read from the environment.",
)
@_option_flag
@click.option("-o", "old_options", multiple=True, hidden=True, metavar="KEY=VALUE")
@_templates_option
@resolve_options
@warnings_option
def render(
    file: str,
    items: Sequence[str],
    targets: Sequence[str],
    var_mode: str,
    target_options: Sequence[str],
    old_options: Sequence[str],
    template_dirs: Sequence[str],
    **resolve_args: Any,
) -> int:
    """Print the code of TARGET that sends each selected request (locust: one file for them all)."""
    from postman_gen.render.engine import get_target
    from postman_gen.render.gcpause import paused

    if old_options:
        click.echo(
            "postman-gen: warning: -o KEY=VALUE of render is deprecated: use -O/--option "
            "(the same flag in render, generate and diff; -o is generate's output folder)",
            err=True,
        )
    specs = [get_target(t, template_dirs) for t in dict.fromkeys(targets)]
    by_target = _target_options(specs, [*old_options, *target_options])
    with paused():  # no cyclic garbage collection while the model is built and rendered (gcpause.py)
        return _render_all(file, items, specs, by_target, var_mode, template_dirs, resolve_args)


def _render_all(
    file: str,
    items: Sequence[str],
    specs: Sequence[Any],
    by_target: Mapping[str, Mapping[str, str]],
    var_mode: str,
    template_dirs: Sequence[str],
    resolve_args: Mapping[str, Any],
) -> int:
    """render's work: load, resolve the selected items, print each target's code."""
    from postman_gen.render.engine import renderer

    inputs = load_inputs(file, mode=VarMode(var_mode), **resolve_args)
    makers = [
        renderer(
            spec.name,
            options=by_target[spec.name],
            template_dirs=template_dirs,
            base_dir=inputs.collection.base_dir,
        )
        for spec in specs
    ]
    warnings = Warnings()
    results = _resolve_each(inputs, items)
    requests = []
    for request in results:
        if isinstance(request, PostmanGenError):
            raise request
        warnings.emit(request.warnings, " / ".join(request.path))
        requests.append(request)
    warnings.flush()
    # a collection-level target (locust) writes one file for all the items, the others one per item
    texts = (
        [make.many(requests)] if make.target.collection_level else [make(r) for r in requests]
        for make in makers
    )
    for n, text in enumerate(t for group in texts for t in group):
        click.echo(("\n" if n else "") + text, nl=False)
    return ExitStatus.OK


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option(
    "-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder."
)
@click.option("-t", "--target", "targets", multiple=True, required=True, help="Target; repeatable.")
@click.option(
    "--vars",
    "var_mode",
    type=_VARS,
    default="env",
    show_default=True,
    help="env (the default here) keeps secrets and machine paths out of committed code.",
)
@click.option(
    "--check", "check", is_flag=True, help="Write nothing; exit 1 with a diff if anything is stale."
)
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print the diff (exit 0).")
@_option_flag
@_templates_option
@resolve_options
@warnings_option
def generate(
    paths: Sequence[str],
    out_dir: str,
    targets: Sequence[str],
    var_mode: str,
    check: bool,
    show_diff: bool,
    target_options: Sequence[str],
    template_dirs: Sequence[str],
    **resolve_args: Any,
) -> int:
    """One file per item per target under OUTPUT/<collection>/<target>/..., plus an index per collection."""
    from postman_gen.errors import UsageError
    from postman_gen.render import generate as gen
    from postman_gen.render import manifest

    if check and show_diff:
        raise UsageError("--check and --diff exclude each other")
    mode = gen.WriteMode.CHECK if check else gen.WriteMode.DIFF if show_diff else gen.WriteMode.WRITE
    sources = gen.find_collections(paths)
    if not sources:
        raise UsageError("no collection files found in " + ", ".join(paths))
    gen.check_unique_slugs(sources)
    warnings = Warnings()
    fingerprint = functools.partial(
        manifest.fingerprint,
        {
            "paths": list(paths),
            "out": os.path.abspath(out_dir),
            "targets": list(dict.fromkeys(targets)),
            "var_mode": var_mode,
            "target_options": list(target_options),
            "template_dirs": [os.path.abspath(d) for d in template_dirs],
            **resolve_args,
        },
        sources,
        (resolve_args["environment"], resolve_args["globals_"]),
    )
    code = manifest.code_key(template_dirs)
    key = fingerprint(code)
    previous = manifest.read(out_dir) if key is not None else None
    if previous is not None and previous.key == key and manifest.current(out_dir, previous):
        # nothing changed since the last run that left out_dir as planned: nothing loaded or rendered
        for line in previous.warnings:
            warnings.say(line)
        if mode is gen.WriteMode.WRITE:
            click.echo(f"{len(previous.files)} files: 0 written, 0 removed", err=True)
        return ExitStatus.OK
    rendered: dict[str, str] = {}  # item_key -> SHA-256 of its code, for the next run
    from postman_gen.render.engine import get_target, renderer
    from postman_gen.render.gcpause import paused

    specs = [get_target(t, template_dirs) for t in dict.fromkeys(targets)]
    by_target = _target_options(specs, target_options)
    plans: list[gen.CollectionPlan] = []
    names: list[str] = []
    with paused():  # no cyclic garbage collection while the model is built and rendered (gcpause.py)
        for source in sources:
            inputs = load_inputs(source, mode=VarMode(var_mode), warnings=warnings, **resolve_args)
            renderers = {
                s.name: renderer(
                    s.name,
                    options=by_target[s.name],
                    template_dirs=template_dirs,
                    base_dir=inputs.collection.base_dir,
                )
                for s in specs
            }
            resolved = _resolve_each(inputs, ())
            for request in resolved:
                if not isinstance(request, PostmanGenError):
                    warnings.emit(request.warnings, f"{source}: {' / '.join(request.path)}")
            render_one: Callable[[ResolvedRequest, str], str] = functools.partial(_render_with, renderers)
            if key is not None and code is not None:  # only requests that changed are rendered again
                render_one = manifest.reusing(
                    render_one, code, by_target, inputs.collection.base_dir, out_dir, previous, rendered
                )
            plan, problems = gen.plan_collection(
                inputs.collection, source, resolved, [(s.name, s.extension) for s in specs], render_one
            )
            warnings.emit(problems)
            plans.append(plan)
            names.append(inputs.collection.name)
    if "-" in sources:
        gen.check_unique_slugs(sources, names)  # standard input's folder is known once it is read
    warnings.flush()
    result = gen.apply(Path(out_dir), plans, mode)
    # an item left out (it did not resolve, or a target refused it) is never a success: with --check
    # it would otherwise pass with files missing
    skipped = sum(plan.skipped for plan in plans)
    status = ExitStatus.OK
    if key is not None and not skipped and (mode is gen.WriteMode.WRITE or not result.changes):
        if fingerprint(manifest.code_key(template_dirs)) == key:  # no input changed while this run read it
            files = {p.path: manifest.digest(p.text) for p in result.planned}
            manifest.write(out_dir, manifest.Manifest(key, files, tuple(warnings.printed), rendered))
    if mode is gen.WriteMode.WRITE:
        click.echo(
            f"{len(result.planned)} files: {len(result.written)} written, {len(result.removed)} removed",
            err=True,
        )
    elif result.changes:
        click.echo(result.diff, nl=False)
        summary = ", ".join(f"{c.kind} {c.path}" for c in result.changes[:20])
        more = f" and {len(result.changes) - 20} more" if len(result.changes) > 20 else ""
        click.echo(f"postman-gen: generated code is not current: {summary}{more}", err=True)
        status = ExitStatus.FAILED if mode is gen.WriteMode.CHECK else ExitStatus.OK
    if skipped:
        click.echo(f"postman-gen: {skipped} files not generated (see the warnings above)", err=True)
        return ExitStatus.USAGE
    return status


@cli.command()
@_templates_option
@click.option("-v", "--verbose", is_flag=True, help="Also list each target's options and known limits.")
def targets(template_dirs: Sequence[str], verbose: bool) -> int:
    """The available targets, with their descriptions."""
    from postman_gen.render.engine import load_targets

    found = load_targets(template_dirs)
    width = max((len(name) for name in found), default=0)
    for name, spec in found.items():
        click.echo(f"{name:<{width}}  {spec.language:<10}  {spec.description}")
        if verbose:
            for option in spec.options:
                click.echo(f"{'':<{width}}    -O {option.name}={option.default!r}: {option.description}")
            for limit in spec.limits:
                click.echo(f"{'':<{width}}    limit: {limit}")
    return ExitStatus.OK


def _render_with(
    renderers: Mapping[str, Callable[[ResolvedRequest], str]], request: ResolvedRequest, name: str
) -> str:
    return renderers[name](request)
