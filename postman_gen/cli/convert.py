"""``convert``: Postman v2.0/2.1 JSON <-> v3 YAML trees (collections, environments, globals)."""

from __future__ import annotations

import click

from postman_gen.cli import cli
from postman_gen.cli.common import warnings_option
from postman_gen.errors import ExitStatus


@cli.command()
@click.argument("source", type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(),
    help="The v3 collection folder, or the JSON/YAML file, to write.",
)
@click.option("--force", is_flag=True, help="Replace an existing output.")
@warnings_option
def convert(source: str, output: str, force: bool) -> int:
    """Convert a v2 JSON collection or environment to Postman v3 YAML, or a v3 tree or YAML file to JSON."""
    import os

    from postman_gen.atomic import PUBLIC, write_atomic, write_tree
    from postman_gen.cli.common import Warnings
    from postman_gen.collection.v3.convert import convert as run_conversion
    from postman_gen.errors import Diagnostic, Level, UsageError

    result = run_conversion(source, output)
    warnings = Warnings()
    warnings.emit(result.warnings)
    warnings.emit([Diagnostic(Level.WARNING, f"not converted: {note}", source) for note in result.notes])
    if result.is_tree:
        write_tree(output, result.files, replace=force, what="v3 collection")
        click.echo(f"{output}: {len(result.files)} files (v3 collection)", err=True)
    else:
        if os.path.exists(output) and not force:
            raise UsageError(f"{output} exists (--force replaces it)")
        write_atomic(output, result.files[""], mode=PUBLIC, what=result.kind)
        click.echo(f"{output}: {result.kind.replace('-', ' ')}", err=True)
    return ExitStatus.OK
