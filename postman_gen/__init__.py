"""postman-gen: replay Postman collections and render client code from one resolved request.

The public API follows the data flow::

    collection = postman_gen.load("collections/auth0-update-a-user.postman_item.json")
    values = postman_gen.Values(cli={"auth0_domain": "127.0.0.1:8080", "auth0_token": "abc"})
    for selected in postman_gen.select(collection, ["Update a user"]):
        request = postman_gen.resolve(collection, selected.folders, selected.item, values,
                                      postman_gen.ResolveOptions(path_vars={"id": "42"}))
        print(request.method, request.url)

and a whole run, as ``postman-gen run`` (Newman's ``newman.run``)::

    outcome = postman_gen.run(postman_gen.RunConfig("collection.json", environment="env.json"))
    print(outcome.summary.requests, outcome.exit_status)
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from postman_gen.errors import (
    Diagnostic,
    ExitStatus,
    InputError,
    PostmanGenError,
    ResolveError,
    UsageError,
    ValidationError,
)

if TYPE_CHECKING:
    from postman_gen.collection.model import Collection, Folder, Item, Variable
    from postman_gen.collection.selection import Selected, select
    from postman_gen.replay.config import (
        ExportConfig,
        ReportConfig,
        RunConfig,
        ScriptConfig,
        Timeouts,
        TlsConfig,
    )
    from postman_gen.replay.outcome import RunOutcome, RunSummary
    from postman_gen.replay.runner import Hooks, Reporter
    from postman_gen.resolution.request import ResolvedRequest, VarMode
    from postman_gen.resolution.resolver import ResolveOptions, Values, resolve

# Imported on first use, so that ``import postman_gen`` (and every CLI start) stays cheap.
_LAZY = {
    "Collection": "collection.model",
    "Folder": "collection.model",
    "Item": "collection.model",
    "Variable": "collection.model",
    "ResolvedRequest": "resolution.request",
    "VarMode": "resolution.request",
    "ResolveOptions": "resolution.resolver",
    "Values": "resolution.resolver",
    "resolve": "resolution.resolver",
    "Selected": "collection.selection",
    "select": "collection.selection",
    "RunConfig": "replay.config",
    "Timeouts": "replay.config",
    "TlsConfig": "replay.config",
    "ReportConfig": "replay.config",
    "ExportConfig": "replay.config",
    "ScriptConfig": "replay.config",
    "RunOutcome": "replay.outcome",
    "RunSummary": "replay.outcome",
    "Hooks": "replay.runner",
    "Reporter": "replay.runner",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"postman_gen.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'postman_gen' has no attribute {name!r}")


__all__ = [
    "Collection",
    "Diagnostic",
    "ExitStatus",
    "ExportConfig",
    "Folder",
    "Hooks",
    "InputError",
    "Item",
    "PostmanGenError",
    "ReportConfig",
    "Reporter",
    "ResolveError",
    "ResolveOptions",
    "ResolvedRequest",
    "RunConfig",
    "RunOutcome",
    "RunSummary",
    "ScriptConfig",
    "Selected",
    "Timeouts",
    "TlsConfig",
    "UsageError",
    "ValidationError",
    "Values",
    "VarMode",
    "Variable",
    "load",
    "load_variables",
    "resolve",
    "resolve_all",
    "run",
    "select",
]
__version__ = "0.1.0"


def load(
    source: str | os.PathLike[str], *, name: str | None = None, keep_document: bool = False
) -> Collection:
    """Read, validate and model a collection, folder or bare item (``"-"`` reads stdin, an http(s) URL is
    downloaded; relative file paths of such a collection are read from the current directory); a directory
    or a ``*.request.yaml`` file is read as a Postman v3 (YAML) collection. ``keep_document``: a v2
    collection keeps the JSON document read (``Collection.document``, for ``run --export-collection``)."""
    from postman_gen.collection import loader, v3

    path = os.fspath(source)
    if v3.is_v3_path(path):
        return v3.load(path, label=name)
    label = name or ("<stdin>" if path == "-" else path)
    data, kind = loader.load_document(_downloaded(path), name=label)
    if kind in (loader.Kind.ENVIRONMENT, loader.Kind.GLOBALS):
        raise InputError(
            "this is an environment or globals file, not a collection (pass it with -e or -g)", file=label
        )
    local = path != "-" and not loader.is_url(path)
    base_dir = os.path.dirname(os.path.abspath(path)) if local else os.getcwd()
    return loader.to_collection(data, kind, file=label, base_dir=base_dir, keep_document=keep_document)


def _downloaded(path: str) -> str | bytes:
    """An http(s) URL as the bytes it serves (as Newman takes a URL for a collection or environment)."""
    from postman_gen.collection import loader

    if not loader.is_url(path):
        return path
    from postman_gen.replay.fetch import fetch

    return fetch(path, max_bytes=loader.MAX_BYTES)


def load_variables(source: str | os.PathLike[str], *, name: str | None = None) -> tuple[Variable, ...]:
    """An environment or globals file (JSON or v3 YAML) as variables (disabled ones kept, marked so)."""
    from postman_gen.collection import loader, v3
    from postman_gen.collection.model import Variable

    path = os.fspath(source)
    if path.lower().endswith(v3.YAML_SUFFIXES) and not loader.is_url(path):
        rows = v3.read_variables(path, name or path)
        return tuple(Variable(key=k, value=v, disabled=not enabled) for k, v, enabled in rows)
    return tuple(loader.variables_file(_downloaded(path), name=name or path))


def resolve_all(
    collection: Collection,
    selectors: Sequence[str] = (),
    values: Values | None = None,
    options: ResolveOptions | None = None,
) -> list[ResolvedRequest]:
    """Every selected item resolved, in collection order, sharing one stream of dynamic values."""
    from postman_gen.collection.selection import select
    from postman_gen.resolution.dynamic import DynamicValues
    from postman_gen.resolution.resolver import ResolveOptions, resolve

    options = options or ResolveOptions()
    dynamic = DynamicValues(seed=options.seed)
    return [
        resolve(collection, s.folders, s.item, values, options, dynamic=dynamic)
        for s in select(collection, selectors)
    ]


def run(config: RunConfig, *, hooks: Sequence[Hooks] = (), reporters: Sequence[Reporter] = ()) -> RunOutcome:
    """Run a collection as ``postman-gen run`` does (Newman's ``newman.run``) and return the outcome.

    Writes the report files ``config.reports`` names (json, junit, html) and the exports; prints nothing.
    ``hooks`` see each request before and after it is sent, ``reporters`` get every execution: pass your
    own to watch the run (``postman_gen.replay.runner`` defines both protocols). Bad input raises
    ``InputError``/``UsageError``; failed requests and tests are in ``outcome.summary.failures`` and
    ``outcome.exit_status``.
    """
    from postman_gen.replay.session import run as run_session
    from postman_gen.reports import file_reporters

    files = file_reporters(config.reports.paths())
    return run_session(config, hooks=hooks, reporters=[*files, *reporters])
