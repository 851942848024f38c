"""``verify``: the code of a target, run against the local echo server, compared with what ``run`` sends."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from postman_gen.cli import cli
from postman_gen.cli.codegen import _resolve_each, _templates_option
from postman_gen.cli.common import (
    Inputs,
    Warnings,
    item_option,
    load_inputs,
    pairs,
    resolve_options,
    resolve_selected,
    warnings_option,
)
from postman_gen.errors import ExitStatus, PostmanGenError
from postman_gen.resolution.request import ResolvedRequest, VarMode

if TYPE_CHECKING:
    from postman_gen.verify.runner import Job


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@item_option
@click.option("-t", "--target", required=True, help="Target (see `targets`), built-in or from --templates.")
@click.option(
    "-o", "--option", "target_options", multiple=True, metavar="KEY=VALUE", help="Target option; repeatable."
)
@click.option(
    "--vars",
    "var_mode",
    type=click.Choice(["inline", "env"]),
    default="inline",
    show_default=True,
    help="inline: values written in the code; env: read from the environment, set as run resolves them.",
)
@click.option(
    "--run-timeout", type=float, default=60, show_default=True, help="Seconds each item's code may run."
)
@_templates_option
@resolve_options
@warnings_option
def verify(
    file: str,
    items: Sequence[str],
    target: str,
    target_options: Sequence[str],
    var_mode: str,
    run_timeout: float,
    template_dirs: Sequence[str],
    **resolve_args: Any,
) -> int:
    """Run TARGET's code for each selected item against a local echo server and compare it with `run`."""
    from postman_gen.render.engine import renderer
    from postman_gen.verify.runner import Job, Outcome, Result
    from postman_gen.verify.runner import verify as run_verify

    inputs = load_inputs(file, mode=VarMode.INLINE, **resolve_args)
    make = renderer(
        target,
        options=pairs(target_options, "-o/--option"),
        template_dirs=template_dirs,
        base_dir=inputs.collection.base_dir,
    )
    warnings = Warnings()
    outcomes: list[Outcome] = []
    requests: list[ResolvedRequest | Job] = []
    symbolic = _env_mode(inputs, items) if var_mode == "env" else None
    for index, request in enumerate(_resolve_each(inputs, items)):
        if isinstance(request, PostmanGenError):
            outcomes.append(Outcome(("?",), Result.FAILED, str(request)))
            continue
        warnings.emit(request.warnings)
        if symbolic is None:
            requests.append(request)
            continue
        rendered = symbolic[index]
        if isinstance(rendered, PostmanGenError):
            outcomes.append(Outcome(request.path, Result.FAILED, str(rendered)))
        else:
            requests.append(Job(request, rendered[0], rendered[1]))
    cwd = inputs.collection.base_dir or "."
    outcomes += run_verify(requests, make.target, make, cwd=cwd, timeout=run_timeout)
    width = max((len(" / ".join(o.path)) for o in outcomes), default=4)
    click.echo(f"{'item':<{width}}  result")
    for outcome in outcomes:
        line = f"{' / '.join(outcome.path):<{width}}  {outcome.result.value}"
        click.echo(line + (f": {outcome.detail}" if outcome.detail else ""))
    counts = {result: sum(o.result is result for o in outcomes) for result in Result}
    click.echo(", ".join(f"{n} {result.value}" for result, n in counts.items()) + f" ({make.target.name})")
    bad = counts[Result.DIFFERS] + counts[Result.FAILED]
    return ExitStatus.FAILED if bad else ExitStatus.OK


def _env_mode(
    inputs: Inputs, items: Sequence[str]
) -> list[tuple[ResolvedRequest, dict[str, str]] | PostmanGenError]:
    """Each selected item resolved with ``--vars env``, with the environment its code must be given (the
    values ``run`` substitutes), in the order of ``_resolve_each``."""
    from postman_gen.verify.environment import runtime_values

    env_inputs = dataclasses.replace(inputs, options=dataclasses.replace(inputs.options, mode=VarMode.ENV))
    out: list[tuple[ResolvedRequest, dict[str, str]] | PostmanGenError] = []
    for selected, request in resolve_selected(env_inputs, items):
        if isinstance(request, PostmanGenError):
            out.append(request)
        else:
            out.append(
                (request, runtime_values(inputs.collection, selected, inputs.values, inputs.options, request))
            )
    return out
