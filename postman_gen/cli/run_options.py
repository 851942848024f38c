"""The options of ``postman-gen run``, declared once (as httpie's ``cli/definition.py``): each row is a
click option and the ``RunConfig`` field it sets, so the command is built from this table and the config
from the parsed values, with no option named twice.

Numbers are not range-checked here: ``RunConfig`` checks every value once, for the command line and for
Python callers alike, and names the flag in its message.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import click

from postman_gen.cli.common import item_option, pairs, resolve_options
from postman_gen.errors import UsageError
from postman_gen.replay.config import (
    DEFAULT_BODY_LIMIT,
    DEFAULT_MAX_JUMPS,
    ExportConfig,
    ReportConfig,
    RunConfig,
    ScriptConfig,
    Timeouts,
    TlsConfig,
)
from postman_gen.replay.transport import DEFAULT_MAX_RESPONSE_SIZE
from postman_gen.reports import parse_names


def _not(value: bool) -> bool:
    return not value


BAIL_MODIFIERS = ("folder", "failure")


def _bail(value: str) -> bool:
    """Newman's ``--bail [folder,failure]``: no modifier means both; stop at failures unless only folder."""
    given = [m.strip() for m in value.split(",") if m.strip()]
    unknown = [m for m in given if m not in BAIL_MODIFIERS]
    if unknown:
        raise UsageError(f"--bail takes folder and/or failure, comma-separated, not {unknown[0]!r}")
    return "failure" in given or not given


def _file_reporters(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(n for n in parse_names(names) if n != "cli")


@dataclass(frozen=True)
class RunOption:
    """One option: its flags, the ``RunConfig`` field it sets (``group.name`` inside a group; None: the
    command line's own), how its value becomes the field's, and click's keyword arguments."""

    flags: tuple[str, ...]
    field: str | None
    click: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    convert: Callable[[Any], Any] | None = None

    @property
    def dest(self) -> str:
        """click's parameter name: the field's path (``timeouts__run_ms``), else the long flag's name."""
        if self.field is not None:
            return self.field.replace(".", "__")
        return self.flags[-1].lstrip("-").replace("-", "_")


def _o(*flags: str, field: str | None, convert: Callable[[Any], Any] | None = None, **kw: Any) -> RunOption:
    return RunOption(flags, field, kw, convert)


_PATH = click.Path(dir_okay=False)
_EXISTING = click.Path(exists=True, dir_okay=False)

# In the order of ``run --help``; -i and the options every resolving command shares come first.
OPTIONS: tuple[RunOption, ...] = (
    _o(
        "--folder",
        field=None,
        multiple=True,
        metavar="NAME",
        help="Run only this folder (same as -i); repeatable.",
    ),
    _o(
        "-d",
        "--iteration-data",
        field="iteration_data",
        type=_PATH,
        help="CSV (header row) or JSON array of objects.",
    ),
    _o(
        "-n",
        "--iteration-count",
        field="iteration_count",
        type=int,
        metavar="N",
        help="Iterations (default: data rows, else 1).",
    ),
    _o("--delay-request", field="delay_ms", type=int, metavar="MS", help="Wait between requests."),
    _o(
        "--parallel",
        field="parallel",
        type=int,
        default=1,
        show_default=True,
        metavar="N",
        help="Run up to N iterations at once (each from the starting values; see the README).",
    ),
    _o(
        "--timeout-request",
        field="timeouts.request_ms",
        type=int,
        metavar="MS",
        help="Connect and read timeout of each request.",
    ),
    _o("--timeout", field="timeouts.run_ms", type=int, metavar="MS", help="Time limit of the whole run."),
    _o(
        "--bail",
        field="bail",
        is_flag=False,
        flag_value="folder,failure",
        convert=_bail,
        metavar="[folder,failure]",
        help="Stop at the first failure (summary and reports still written); as Newman's, 'folder' alone "
        "only refuses an unknown --folder (always the case here).",
    ),
    _o(
        "-x",
        "--suppress-exit-code",
        field=None,
        is_flag=True,
        help="Exit 0 even when a request or test failed (bad input still exits 2).",
    ),
    _o(
        "--fail-on-status",
        field="fail_on_status",
        is_flag=True,
        help="A 4xx or 5xx response counts as a failure (exit 1).",
    ),
    _o(
        "--env-var",
        field="environment_variables",
        multiple=True,
        metavar="KEY=VALUE",
        convert=functools.partial(pairs, flag="--env-var"),
        help="Set an environment variable (over the -e file's value); repeatable.",
    ),
    _o(
        "--global-var",
        field="global_variables",
        multiple=True,
        metavar="KEY=VALUE",
        convert=functools.partial(pairs, flag="--global-var"),
        help="Set a global variable (over the -g file's value); repeatable.",
    ),
    _o("-k", "--insecure", field="tls.insecure", is_flag=True, help="Do not verify TLS certificates."),
    _o("--ssl-client-cert", field="tls.client_cert", type=_EXISTING, help="Client certificate (PEM)."),
    _o("--ssl-client-key", field="tls.client_key", type=_EXISTING, help="Client certificate key (PEM)."),
    _o(
        "--ssl-client-passphrase",
        field="tls.client_passphrase",
        metavar="TEXT",
        envvar="POSTMAN_GEN_SSL_CLIENT_PASSPHRASE",
        help="Passphrase of the client key (default: $POSTMAN_GEN_SSL_CLIENT_PASSPHRASE; a command line is "
        "visible to every user of the machine, prefer the environment).",
    ),
    _o(
        "--ssl-client-passphrase-env",
        field=None,
        metavar="NAME",
        help="Read the passphrase of the client key from the environment variable NAME.",
    ),
    _o(
        "--ssl-client-cert-list",
        field="tls.client_cert_list",
        type=_EXISTING,
        help="JSON list of client certificates by URL pattern ({name, matches, cert, key, passphrase, pfx}); "
        "the first match wins over --ssl-client-cert.",
    ),
    _o(
        "--ssl-extra-ca-certs",
        field="tls.extra_ca_certs",
        type=_EXISTING,
        help="Trust these CA certificates too.",
    ),
    _o(
        "--ignore-redirects",
        field="follow_redirects",
        convert=_not,
        is_flag=True,
        help="Do not follow redirects (a request's followRedirects wins).",
    ),
    _o(
        "--no-proxy",
        field="use_proxy_env",
        convert=_not,
        is_flag=True,
        help="Ignore HTTP_PROXY/HTTPS_PROXY/NO_PROXY.",
    ),
    _o(
        "--export-environment",
        field="exports.environment",
        type=_PATH,
        help="Write the environment here, as the run's scripts left it.",
    ),
    _o(
        "--export-globals",
        field="exports.globals",
        type=_PATH,
        help="Write the globals here, as the scripts left them.",
    ),
    _o(
        "--export-collection",
        field="exports.collection",
        type=_PATH,
        help="Write the collection here (v2.1 JSON), its variables as the scripts left them.",
    ),
    _o(
        "--no-scripts",
        field="scripts.enabled",
        convert=_not,
        is_flag=True,
        help="Do not run pre-request and test scripts.",
    ),
    _o(
        "--timeout-script",
        field="timeouts.script_ms",
        type=int,
        metavar="MS",
        help="CPU time limit of each script (default 5000).",
    ),
    _o(
        "--max-jumps",
        field="scripts.max_jumps",
        type=int,
        default=DEFAULT_MAX_JUMPS,
        show_default=True,
        metavar="N",
        help="Backward setNextRequest jumps allowed in one run before it is stopped.",
    ),
    _o("--cookie-jar", field="cookie_jar", type=_EXISTING, help="Start with these cookies (JSON)."),
    _o(
        "--export-cookie-jar",
        field="exports.cookie_jar",
        type=_PATH,
        help="Write the run's cookies here (JSON).",
    ),
    _o(
        "-r",
        "--reporters",
        field="reports.reporters",
        convert=_file_reporters,
        multiple=True,
        default=("cli",),
        show_default=True,
        help="cli,json,junit,html",
    ),
    _o("--reporter-json-export", field="reports.json", type=_PATH, help="JSON report path."),
    _o("--reporter-junit-export", field="reports.junit", type=_PATH, help="JUnit XML report path."),
    _o("--reporter-html-export", field="reports.html", type=_PATH, help="HTML report path."),
    _o(
        "--report-body-limit",
        field="reports.body_limit",
        type=int,
        default=DEFAULT_BODY_LIMIT,
        show_default=True,
        metavar="BYTES",
        help="Body bytes kept per request and response in reports.",
    ),
    _o(
        "--max-response-size",
        field="max_response_size",
        type=int,
        default=DEFAULT_MAX_RESPONSE_SIZE,
        show_default=True,
        metavar="BYTES",
        help="Largest response body (decoded) read; a larger one fails the request. 0: no limit.",
    ),
    _o(
        "-v",
        "--verbose",
        field=None,
        is_flag=True,
        help="Show the request as sent, the response headers and the scripts' console output.",
    ),
    _o("--silent", field=None, is_flag=True, help="Print nothing (reports are still written)."),
    _o(
        "--color",
        field=None,
        type=click.Choice(["on", "off", "auto"]),
        default="auto",
        show_default=True,
        help="Colour the output: auto colours a terminal unless NO_COLOR is set.",
    ),
    _o("--disable-unicode", field=None, is_flag=True, help="ASCII only: no ✓, ✗ or box drawing."),
    _o("--reporter-cli-no-summary", field=None, is_flag=True, help="No summary table at the end."),
    _o(
        "--reporter-cli-no-success-assertions",
        field=None,
        is_flag=True,
        help="Do not list passed tests (failed ones still are).",
    ),
    _o("--reporter-cli-no-failures", field=None, is_flag=True, help="No list of failures at the end."),
    _o(
        "--no-warnings",
        field=None,
        is_flag=True,
        help="Print no warnings (unresolved variables, strictSSL off...); the run itself is unchanged.",
    ),
    _o(
        "--show-secrets",
        field="show_secrets",
        is_flag=True,
        help="Print tokens, passwords and keys instead of masking them.",
    ),
    _o("--dry-run", field=None, is_flag=True, help="Print what would be sent (as `show`), send nothing."),
)

# The options every resolving command shares (postman_gen.cli.common): click's name -> RunConfig field.
SHARED: dict[str, tuple[str, Callable[[Any], Any] | None]] = {
    "environment": ("environment", None),
    "globals_": ("globals", None),
    "vars_": ("variables", functools.partial(pairs, flag="--var")),
    "path_vars": ("path_variables", functools.partial(pairs, flag="--path-var")),
    "strict": ("strict", None),
    "seed": ("seed", None),
    "working_dir": ("working_dir", None),
    "insecure_file_read": ("insecure_file_read", None),
}
_GROUPS = {
    "timeouts": Timeouts,
    "tls": TlsConfig,
    "reports": ReportConfig,
    "exports": ExportConfig,
    "scripts": ScriptConfig,
}


def run_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Every option of the table (and the shared ones) on a click command, in the table's order."""
    decorators: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [item_option, resolve_options]
    decorators += [click.option(*o.flags, o.dest, **o.click) for o in OPTIONS]
    return functools.reduce(lambda f, d: d(f), reversed(decorators), func)


def run_config(file: str, params: Mapping[str, Any]) -> RunConfig:
    """The ``RunConfig`` that parsed options ask for; an option left unset keeps the field's default."""
    top: dict[str, Any] = {"items": tuple(params["items"]) + tuple(params["folder"])}
    groups: dict[str, dict[str, Any]] = {name: {} for name in _GROUPS}
    for name, (target, convert) in SHARED.items():
        top[target] = convert(params[name]) if convert else params[name]
    for option in OPTIONS:
        value = params[option.dest]
        if option.field is None or value is None:
            continue
        value = option.convert(value) if option.convert else value
        group, _, name = option.field.rpartition(".")
        (groups[group] if group else top)[name] = value
    passphrase_from = params["ssl_client_passphrase_env"]
    if passphrase_from is not None:
        groups["tls"]["client_passphrase"] = _passphrase_from(passphrase_from, groups["tls"])
    return RunConfig(file, **top, **{name: cls(**groups[name]) for name, cls in _GROUPS.items()})


def _passphrase_from(variable: str, tls: Mapping[str, Any]) -> str:
    """The passphrase --ssl-client-passphrase-env names (out of sight of ``ps``, unlike a flag's value)."""
    if tls.get("client_passphrase") is not None:
        raise UsageError("give --ssl-client-passphrase or --ssl-client-passphrase-env, not both")
    value = os.environ.get(variable)
    if value is None:
        raise UsageError(f"--ssl-client-passphrase-env: the environment variable {variable} is not set")
    return value
