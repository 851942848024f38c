"""``diff``: review a change to a collection: what changes on the wire, then the generated code's diff."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from typing import Any

import click

from postman_gen.cli import cli
from postman_gen.cli.codegen import _VARS, _templates_option
from postman_gen.cli.common import Inputs, Warnings, load_inputs, resolve_options, warnings_option
from postman_gen.errors import Diagnostic, ExitStatus, Level, PostmanGenError, UsageError
from postman_gen.resolution.request import VarMode


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--git", "git_rev", metavar="REV", help="Compare PATH as committed in REV with the working tree."
)
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    default=("python-requests",),
    show_default=True,
    help="Target of the code diff; repeatable.",
)
@click.option(
    "--vars", "var_mode", type=_VARS, default="env", show_default=True, help="How variables are written."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="markdown: a pull-request comment; json: for tools.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when anything differs (as git diff --exit-code).")
@_templates_option
@resolve_options
@warnings_option
def diff(
    paths: Sequence[str],
    git_rev: str | None,
    targets: Sequence[str],
    var_mode: str,
    fmt: str,
    exit_code: bool,
    template_dirs: Sequence[str],
    **resolve_args: Any,
) -> int:
    """The change from OLD to NEW: per request what changes on the wire, then the generated code's diff.

    OLD and NEW are collection files or v3 folders (one of them may be - for standard input); with
    --git REV, one PATH is compared as committed in REV with the working tree. Exit 0, or with --exit-code
    1 when anything differs.
    """
    from postman_gen.views import review

    if git_rev is not None:
        if len(paths) != 1:
            raise UsageError("--git REV takes one PATH (a collection file or v3 folder in a git work tree)")
        with tempfile.TemporaryDirectory(prefix="postman-gen-diff-") as scratch:
            old = _git_version(paths[0], git_rev, scratch)
            result = _review(old, paths[0], targets, var_mode, template_dirs, resolve_args)
    else:
        if len(paths) != 2:
            raise UsageError("diff takes OLD and NEW (or --git REV PATH)")
        if paths[0] == "-" and paths[1] == "-":
            raise UsageError("only one of OLD and NEW can be - (standard input)")
        result = _review(paths[0], paths[1], targets, var_mode, template_dirs, resolve_args)
    rendered = {"text": review.text, "markdown": review.markdown, "json": review.as_json}[fmt](result)
    click.echo(rendered, nl=False)
    return ExitStatus.FAILED if exit_code and result.changed else ExitStatus.OK


def _review(
    old: str,
    new: str,
    targets: Sequence[str],
    var_mode: str,
    template_dirs: Sequence[str],
    resolve_args: dict[str, Any],
) -> Any:
    import postman_gen
    from postman_gen.render.engine import renderer
    from postman_gen.render.generate import diff_items
    from postman_gen.views import review

    after = load_inputs(new, mode=VarMode(var_mode), **resolve_args)
    before = Inputs(postman_gen.load(old), after.values, after.options)  # same -e/-g/--var for both
    warnings = Warnings()
    sides = [_resolved(inputs, warnings) for inputs in (before, after)]
    warnings.flush()
    chunks = []
    for target in dict.fromkeys(targets):
        codes = []
        for inputs, resolved in zip((before, after), sides, strict=True):
            make = renderer(target, template_dirs=template_dirs, base_dir=inputs.collection.base_dir)
            codes.append([(" / ".join(r.path), make(r)) for _, r in resolved])
        chunks.append(diff_items(codes[0], codes[1], target if len(targets) > 1 else ""))
    wires = [
        [review.wire(inputs.collection, s, r) for s, r in resolved]
        for inputs, resolved in zip((before, after), sides, strict=True)
    ]
    return review.compare(wires[0], wires[1], "".join(chunks))


def _resolved(inputs: Inputs, warnings: Warnings) -> list[tuple[Any, Any]]:
    from postman_gen.cli.common import resolve_selected

    out = []
    for selected, request in resolve_selected(inputs, ()):
        if isinstance(request, PostmanGenError):
            warnings.emit([Diagnostic(Level.WARNING, request.message, request.file, request.where)])
            continue
        out.append((selected, request))
    return out


def _git(args: Sequence[str], cwd: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120, check=False)
    except OSError as exc:
        raise UsageError(f"--git needs git: {exc.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return done.stdout


def _git_version(path: str, rev: str, scratch: str) -> str:
    """``path`` (file or folder) as committed in ``rev``, extracted under ``scratch``; its new path."""
    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file or folder in the working tree")
    full = os.path.abspath(path)
    here = full if os.path.isdir(full) else os.path.dirname(full)
    top = _git(["rev-parse", "--show-toplevel"], here).decode().strip()
    rel = os.path.relpath(full, top).replace(os.sep, "/")
    archive = _git(["archive", "--format=tar", rev, "--", rel], top)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if not member.isfile() or member.name.startswith("/") or ".." in parts:
                continue  # only regular files inside the extracted path
            target = os.path.join(scratch, *parts)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                with open(target, "wb") as handle:
                    handle.write(source.read())
    extracted = os.path.join(scratch, *rel.split("/"))
    if not os.path.exists(extracted):
        raise UsageError(f"{path} is not in {rev}")
    return extracted
