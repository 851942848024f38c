"""``validate``, ``list`` and ``show``: look at a collection without sending anything."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

import click

from postman_gen.cli import cli
from postman_gen.cli.common import (
    Warnings,
    item_option,
    load_inputs,
    resolve_options,
    warnings_option,
    warnings_silenced,
)
from postman_gen.cli.terminal import echo, echo_line, one_line
from postman_gen.collection.model import Collection, Folder, Item, Node
from postman_gen.errors import Diagnostic, ExitStatus, Level, PostmanGenError, ValidationError
from postman_gen.resolution.request import ResolvedRequest


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@warnings_option
def validate(files: Sequence[str]) -> int:
    """Check collections, folders, items, environments and globals files; list every problem."""
    from postman_gen.collection import loader, v3
    from postman_gen.resolution.check import unsendable

    status = ExitStatus.OK
    for file in files:
        label = "<stdin>" if file == "-" else file
        try:
            if v3.is_v3_path(file) or file.lower().endswith(v3.YAML_SUFFIXES):
                line, problems = _validate_v3(file)
                status = max(status, _report(problems, line))
                continue
            _data, kind = loader.load_document(file, name=label)
        except ValidationError as exc:
            for problem in exc.problems:
                echo_line(f"postman-gen: {problem}")
            status = ExitStatus.USAGE
            continue
        except PostmanGenError as exc:
            echo_line(f"postman-gen: {exc}")
            status = ExitStatus.USAGE
            continue
        problems = loader.version_warnings(_data, file=label)
        if kind in (loader.Kind.COLLECTION, loader.Kind.FOLDER, loader.Kind.ITEM):
            base_dir = os.getcwd() if file == "-" else os.path.dirname(os.path.abspath(file))
            problems += unsendable(loader.to_collection(_data, kind, file=label, base_dir=base_dir))
        status = max(status, _report(problems, f"{label}: ok ({kind.value.lower()})"))
    return status


def _report(problems: Sequence[Diagnostic], ok_line: str) -> ExitStatus:
    """Each problem on stderr (warnings not with --no-warnings); the ok line on stdout only when none is an
    error."""
    quiet = warnings_silenced()
    for problem in problems:
        if quiet and problem.level is Level.WARNING:
            continue
        prefix = "warning" if problem.level is Level.WARNING else "postman-gen"
        click.echo(f"{prefix}: {problem}", err=True)
    if any(problem.level is Level.ERROR for problem in problems):
        return ExitStatus.USAGE
    click.echo(ok_line)
    return ExitStatus.OK


def _validate_v3(file: str) -> tuple[str, list[Diagnostic]]:
    """One v3 tree, request file, or YAML environment/globals: its ok line and its problems (the
    reader's warnings, and what ``show`` would refuse)."""
    import postman_gen
    from postman_gen.collection import v3
    from postman_gen.resolution.check import unsendable

    if not v3.is_v3_path(file):
        rows = v3.read_variables(file)
        return f"{file}: ok (v3 variables, {len(rows)} values)", []
    collection = postman_gen.load(file)
    count = sum(1 for _ in collection.walk())
    return f"{collection.file}: ok (v3 collection, {count} requests)", [
        *collection.warnings,
        *unsendable(collection),
    ]


def _raw_url(item: Item) -> str:
    url = item.request.url
    if url.raw:
        return url.raw
    host = ".".join(url.host or ())
    path = "/".join(url.path or ())
    proto = f"{url.protocol}://" if url.protocol else ""
    port = f":{url.port}" if url.port else ""
    return f"{proto}{host}{port}/{path}"


def _tree_json(nodes: Sequence[Node]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for node in nodes:
        if isinstance(node, Item):
            out.append(
                {
                    "type": "item",
                    "name": node.name,
                    "id": node.id,
                    "method": node.request.method,
                    "url": _raw_url(node),
                }
            )
        else:
            out.append({"type": "folder", "name": node.name, "id": node.id, "items": _tree_json(node.items)})
    return out


def _tree_lines(nodes: Sequence[Node], prefix: str = "") -> list[str]:
    lines = []
    for i, node in enumerate(nodes):
        last = i == len(nodes) - 1
        branch, extend = ("└── ", "    ") if last else ("├── ", "│   ")
        if isinstance(node, Folder):
            lines.append(f"{prefix}{branch}{node.name}/")
            lines.extend(_tree_lines(node.items, prefix + extend))
        else:
            lines.append(f"{prefix}{branch}{node.request.method:<7} {node.name}  {_raw_url(node)}")
    return lines


@cli.command(name="list")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the tree as JSON.")
@warnings_option
def list_(file: str, as_json: bool) -> int:
    """The tree of folders and items, with each item's method and URL as written."""
    import postman_gen

    collection: Collection = postman_gen.load(file)
    Warnings().emit(collection.warnings)
    if as_json:
        doc = {"name": collection.name, "id": collection.id, "items": _tree_json(collection.items)}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        echo(collection.name, single_line=True)
        for line in _tree_lines(collection.items):
            echo(line, single_line=True)
    return ExitStatus.OK


@cli.command()
@click.argument("file", type=click.Path(allow_dash=True))
@item_option
@resolve_options
@warnings_option
@click.option(
    "--show-secrets", is_flag=True, help="Print tokens, passwords and keys instead of masking them."
)
@click.option("--json", "as_json", is_flag=True, help="Print the resolved requests as JSON.")
def show(file: str, items: Sequence[str], show_secrets: bool, as_json: bool, **resolve_args: object) -> int:
    """Print each selected request exactly as it would go on the wire, without sending it."""
    import postman_gen
    from postman_gen.views.snapshot import request_to_dict
    from postman_gen.views.wire import missing_files, request_text

    inputs = load_inputs(file, **resolve_args)  # type: ignore[arg-type]
    requests = postman_gen.resolve_all(inputs.collection, items, inputs.values, inputs.options)
    warnings = Warnings()

    def warn(r: ResolvedRequest) -> None:
        where = " / ".join(r.path)
        missing = (Diagnostic(Level.WARNING, m, inputs.collection.file, where) for m in missing_files(r))
        warnings.emit((*r.warnings, *missing), where)

    if as_json:
        for r in requests:
            warn(r)
        warnings.flush()
        docs = [request_to_dict(r, show_secrets=show_secrets) for r in requests]
        click.echo(json.dumps(docs, indent=2, ensure_ascii=False))
        return ExitStatus.OK
    for index, request in enumerate(requests):
        warn(request)
        if len(requests) > 1:
            echo(("\n" if index else "") + f"### {one_line(' / '.join(request.path))}")
        echo(request_text(request, show_secrets=show_secrets), nl=False)
        if not isinstance(request.body, type(None)) and request.body.kind != "none":
            click.echo()
    warnings.flush()
    return ExitStatus.OK
