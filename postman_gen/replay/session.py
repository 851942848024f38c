"""One whole run of a collection from a ``RunConfig``, as Newman's ``lib/run``: the library's entry point.

It loads what the config names (collection, environment, globals, iteration data, cookie jar), selects the
items, opens one HTTP session, runs the scripts when there are any, drives the ``Runner`` and writes the
exports (environment, globals, cookie jar) at the end, also after --bail, --timeout or Ctrl-C. What a
person sees is not decided here: the caller passes its own hooks and reporters (the command line passes its
console; a load engine passes its statistics; a Python program may pass none).

Report files are reporters like any other: ``postman_gen.run`` adds those ``config.reports`` names (the
reports package consumes the run and is not imported by replay).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from postman_gen.collection.model import AS_TEXT, Collection, Variable, script_values
from postman_gen.collection.selection import Selected, select
from postman_gen.errors import InputError, PostmanGenError, SendError
from postman_gen.replay.config import RunConfig
from postman_gen.replay.outcome import RunOutcome
from postman_gen.replay.runner import Hooks, Reporter, Runner, data_rows, iteration_count
from postman_gen.replay.transport import Transport
from postman_gen.resolution.resolver import Values

if TYPE_CHECKING:
    from requests.cookies import RequestsCookieJar

    from postman_gen.scripts.engine import ScriptEngine
    from postman_gen.scripts.runner_hooks import ScriptHooks


def load_collection(config: RunConfig) -> Collection:
    """The config's collection: as given, or read from its path (its document kept for
    --export-collection)."""
    if isinstance(config.collection, Collection):
        return config.collection
    from postman_gen import load

    return load(config.collection, keep_document=bool(config.exports.collection))


def load_values(config: RunConfig) -> Values:
    """Globals, environment and ``--var`` values as the config names them (iteration data comes per row)."""
    from postman_gen import load_variables

    return Values(
        globals=_set(load_variables(config.globals) if config.globals else (), config.global_variables),
        environment=_set(
            load_variables(config.environment) if config.environment else (), config.environment_variables
        ),
        cli=dict(config.variables),
    )


def _set(variables: Sequence[Variable], values: Mapping[str, str]) -> tuple[Variable, ...]:
    """``--env-var``/``--global-var``: a value replaces the file's (enabled, type kept), or is added."""
    if not values:
        return tuple(variables)
    kept = [
        replace(v, value=values[v.key], disabled=False, typed=AS_TEXT) if v.key in values else v
        for v in variables
    ]
    known = {v.key for v in variables}
    return (*kept, *(Variable(key=k, value=v) for k, v in values.items() if k not in known))


def run(config: RunConfig, *, hooks: Sequence[Hooks] = (), reporters: Sequence[Reporter] = ()) -> RunOutcome:
    """Run ``config``: every hook sees each request before and after it is sent (after the scripts' own
    hooks), every reporter gets ``start``, one ``add`` per request and ``finish``.

    Bad input raises ``UsageError``/``InputError`` before anything is sent; request and test failures are
    in the outcome's summary, never raised.
    """
    collection = load_collection(config)
    values = load_values(config)
    selected = select(collection, config.items)
    config = replace(config, iteration_data=data_rows(config))
    if config.parallel > 1 and iteration_count(config, data_rows(config)) > 1:
        return _run_parallel(collection, selected, values, config, hooks, reporters)
    transport = open_transport(config, _cookies(config))
    scripts: ScriptHooks | None = None
    try:
        scripts = script_hooks(collection, selected, values, config, transport)
        runner = Runner(
            collection,
            selected,
            values,
            config,
            reporters=reporters,
            hooks=[*([scripts] if scripts is not None else []), *hooks],
            transport=transport,
        )
        summary = runner.run()
    finally:
        transport.close()
    environment = _scope(scripts, "environment", values.environment)
    globals_ = _scope(scripts, "globals", values.globals)
    collection_values = _scope(scripts, "collection", collection.variables)
    _write_exports(config, environment, globals_, values, transport, collection, collection_values)
    return RunOutcome(summary=summary, environment=environment, globals=globals_)


def _run_parallel(
    collection: Collection,
    selected: Sequence[Selected],
    values: Values,
    config: RunConfig,
    hooks: Sequence[Hooks],
    reporters: Sequence[Reporter],
) -> RunOutcome:
    """``--parallel``: workers with a session and a script engine each (``postman_gen.replay.parallel``)."""
    from postman_gen.replay.parallel import ParallelRun

    def make_scripts(transport: Transport) -> Callable[[], Hooks] | None:
        first = script_hooks(collection, selected, values, config, transport)
        if first is None:
            return None
        engine = first.engine  # one script engine per worker, fresh scopes per iteration

        def fresh() -> Hooks:
            hooks = script_hooks(collection, selected, values, config, transport, engine=engine)
            assert hooks is not None  # the selection has scripts, or ``first`` would be None
            return hooks

        return fresh

    result = ParallelRun(
        collection,
        selected,
        values,
        config,
        make_transport=lambda: open_transport(config, None),
        make_scripts=make_scripts,
        cookies=_cookies(config),
        hooks=hooks,
        reporters=reporters,
    ).run()
    environment, globals_ = result.scopes or (
        _scope(None, "environment", values.environment),
        _scope(None, "globals", values.globals),
    )
    return RunOutcome(summary=result.summary, environment=environment, globals=globals_)


def _cookies(config: RunConfig) -> RequestsCookieJar | None:
    if not config.cookie_jar:
        return None
    from postman_gen.replay.cookies import load_cookie_jar

    return load_cookie_jar(config.cookie_jar)


def open_transport(config: RunConfig, cookies: RequestsCookieJar | None) -> Transport:
    try:
        return Transport(config.transport_options(), cookies)
    except SendError as exc:  # an unusable certificate or key: bad input, before anything is sent
        raise InputError(exc.message) from None


def script_hooks(
    collection: Collection,
    selected: Sequence[Selected],
    values: Values,
    config: RunConfig,
    transport: Transport,
    *,
    engine: ScriptEngine | None = None,
) -> ScriptHooks | None:
    """The hooks that run the selection's scripts, or None (scripts off, or no script to run).

    Raises UsageError (exit 2) when there are scripts and the JavaScript engine is not installed.
    """
    from postman_gen.scripts.runner_hooks import ScriptHooks, has_scripts

    if not config.scripts.enabled or not has_scripts(collection, selected):
        return None
    return ScriptHooks(
        collection,
        values,
        transport=transport,
        timeout_ms=config.timeouts.script_ms,
        iteration_count=iteration_count(config, data_rows(config)),
        bail=config.bail,
        engine=engine,
    )


def _scope(scripts: ScriptHooks | None, name: str, variables: Sequence[Variable]) -> dict[str, Any]:
    """A scope as the run left it: as the scripts left it, else the input's enabled variables."""
    if scripts is not None:
        return dict(getattr(scripts.scopes, name))
    return script_values(variables)


def _write_exports(
    config: RunConfig,
    environment: Mapping[str, Any],
    globals_: Mapping[str, Any],
    values: Values,
    transport: Transport,
    collection: Collection,
    collection_values: Mapping[str, Any],
) -> None:
    """--export-environment, --export-globals, --export-collection and --export-cookie-jar, each written
    atomically, 0600."""
    from postman_gen.atomic import write_atomic
    from postman_gen.collection.export import collection_document, scope_document

    exports = config.exports
    if exports.environment:
        name = _file_name(config.environment, "environment")
        text = scope_document(name, "environment", environment, values.environment)
        write_atomic(exports.environment, text, what="environment export")
    if exports.globals:
        name = _file_name(config.globals, "globals")
        text = scope_document(name, "globals", globals_, values.globals)
        write_atomic(exports.globals, text, what="globals export")
    if exports.collection:
        text = collection_document(collection, collection_values)
        write_atomic(exports.collection, text, what="collection export")
    if exports.cookie_jar:
        from postman_gen.replay.cookies import save_cookie_jar

        save_cookie_jar(transport.cookies, exports.cookie_jar)


def _file_name(path: str | None, default: str) -> str:
    """The ``name`` an environment or globals file gives itself, else its file name, else ``default``."""
    if path:
        try:
            if path.lower().endswith((".yaml", ".yml")):
                from postman_gen.collection.v3.yaml_load import load_file

                name = load_file(path, path).get("name")
            else:
                with open(path, encoding="utf-8-sig") as handle:
                    name = json.load(handle).get("name")
            if isinstance(name, str) and name:
                return str(name)
        except (OSError, ValueError, AttributeError, PostmanGenError):
            pass
        return os.path.splitext(os.path.basename(path))[0]
    return default
