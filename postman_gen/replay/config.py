"""``RunConfig``: everything one run is asked to do, frozen and typed; the one input of ``postman_gen.run``.

The command line builds one from its options (``postman_gen/cli/run_options.py``); a Python program or a
load engine builds its own. Related settings are grouped (``Timeouts``, ``TlsConfig``, ``ReportConfig``,
``ExportConfig``, ``ScriptConfig``) so that a caller changes one group with ``dataclasses.replace``. Every
number is checked here, once: a value no run can honour (negative, or beyond what the clock and the socket
layer accept) is a ``UsageError`` naming the command-line flag, never an ``OverflowError`` deep in a send.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from postman_gen.collection.loader import is_url
from postman_gen.collection.model import Collection
from postman_gen.errors import UsageError
from postman_gen.replay.transport import DEFAULT_MAX_RESPONSE_SIZE, TransportOptions
from postman_gen.resolution.resolver import ResolveOptions

# The largest time in milliseconds any option takes: 2**31 - 1 (24.8 days), the limit of Node's timers and
# so of Newman's own options; beyond it the sockets' and the clock's C types overflow.
MAX_MS = 2**31 - 1
MAX_COUNT = 2**31 - 1  # iterations, jumps
MAX_PARALLEL = 256  # iterations at once (--parallel): threads, sessions and script engines of one process
DEFAULT_SCRIPT_TIMEOUT_MS = 5000
DEFAULT_MAX_JUMPS = 1000
DEFAULT_BODY_LIMIT = 64 * 1024  # characters/bytes of a body kept in reports
FILE_REPORTERS = ("json", "junit", "html")


def _check(value: int | None, flag: str, *, low: int = 0, high: int = MAX_MS, unit: str = "") -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        what = f"a number of {unit} " if unit else "a number "
        raise UsageError(f"{flag} takes {what}from {low} to {high}, got {value!r}")


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Time limits: ``run_ms`` the whole run (--timeout), ``request_ms`` the connect and each read of one
    request (--timeout-request), ``script_ms`` the CPU time of each script (--timeout-script)."""

    run_ms: int | None = None
    request_ms: int | None = None
    script_ms: int = DEFAULT_SCRIPT_TIMEOUT_MS

    def __post_init__(self) -> None:
        _check(self.run_ms, "--timeout", unit="milliseconds")
        _check(self.request_ms, "--timeout-request", unit="milliseconds")
        _check(self.script_ms, "--timeout-script", low=1, unit="milliseconds")


@dataclass(frozen=True, slots=True)
class TlsConfig:
    """Certificate checks (-k), a client certificate, a list of them by URL (``client_cert_list``, a JSON
    file: the first entry matching a request's URL wins over ``client_cert``), and CA certificates trusted
    besides certifi's."""

    insecure: bool = False
    client_cert: str | None = None
    client_key: str | None = None
    client_passphrase: str | None = None
    extra_ca_certs: str | None = None
    client_cert_list: str | None = None  # --ssl-client-cert-list (postman_gen.replay.client_certs)

    def __repr__(self) -> str:  # the passphrase is a secret: never in a log or a traceback
        shown = "****" if self.client_passphrase is not None else None
        return (
            f"TlsConfig(insecure={self.insecure!r}, client_cert={self.client_cert!r}, "
            f"client_key={self.client_key!r}, client_passphrase={shown!r}, "
            f"extra_ca_certs={self.extra_ca_certs!r}, client_cert_list={self.client_cert_list!r})"
        )


@dataclass(frozen=True, slots=True)
class ReportConfig:
    """File reporters (``json``, ``junit``, ``html``) and their paths; naming a path turns its reporter on.

    ``body_limit``: body bytes kept per request and response in reports. What a person sees while the run
    goes (the command line's ``cli`` reporter) is not configured here: pass your own reporter to ``run``.
    """

    reporters: tuple[str, ...] = ()
    json: str | None = None
    junit: str | None = None
    html: str | None = None
    body_limit: int = DEFAULT_BODY_LIMIT

    def __post_init__(self) -> None:
        for name in self.reporters:
            if name not in FILE_REPORTERS:
                raise UsageError(f"unknown file reporter {name!r} (known: {', '.join(FILE_REPORTERS)})")
        _check(self.body_limit, "--report-body-limit", high=2**62, unit="bytes")

    def paths(self) -> dict[str, str | None]:
        """Each file reporter that is on, with its path (None: its default path)."""
        exports = {"json": self.json, "junit": self.junit, "html": self.html}
        return {n: exports[n] for n in FILE_REPORTERS if n in self.reporters or exports[n]}


@dataclass(frozen=True, slots=True)
class ExportConfig:
    """Files written at the end of the run (also after --bail, --timeout or Ctrl-C): the environment, the
    globals and the collection (its variables) as the scripts left them, and the cookie jar (tough-cookie
    JSON). Created 0600. A collection given as a ``Collection`` is written from its ``document`` when it
    has one (``load(keep_document=True)``), else as ``convert`` writes v2.1
    (``postman_gen.collection.export``).
    """

    environment: str | None = None
    globals: str | None = None
    cookie_jar: str | None = None
    collection: str | None = None


@dataclass(frozen=True, slots=True)
class ScriptConfig:
    """Whether pre-request and test scripts run, and the guard against setNextRequest loops."""

    enabled: bool = True
    max_jumps: int = DEFAULT_MAX_JUMPS

    def __post_init__(self) -> None:
        _check(self.max_jumps, "--max-jumps", high=MAX_COUNT)


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class RunConfig:
    """One run: which collection and items, with which values, how, and what it writes.

    ``collection``: a path (``"-"`` is stdin, an http(s) URL is downloaded) or a collection already loaded
    with ``postman_gen.load``. ``environment``/``globals``: Postman environment and globals files (or URLs);
    ``environment_variables``/``global_variables``: Newman's ``--env-var``/``--global-var`` values, set in
    those scopes over the files' values. ``variables``: ``--var`` values (the strongest scope);
    ``path_variables``: ``--path-var``. ``iteration_data``: a CSV or JSON data file, or the rows themselves;
    ``iteration_count``: default one per row, else 1. ``cookie_jar``: a tough-cookie JSON file to start with.
    ``max_response_size``: decoded body bytes read per response (0: no limit). ``insecure_file_read``: body
    files outside ``working_dir`` allowed (None: yes, unless the collection comes from standard input,
    ``"-"``, or a URL).
    ``parallel``: iterations run at once (``postman_gen.replay.parallel`` says what differs from a
    sequential run).
    """

    collection: str | os.PathLike[str] | Collection
    items: tuple[str, ...] = ()
    environment: str | None = None
    globals: str | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    environment_variables: Mapping[str, str] = field(default_factory=dict)
    global_variables: Mapping[str, str] = field(default_factory=dict)
    path_variables: Mapping[str, str] = field(default_factory=dict)
    strict: bool = False
    seed: int | None = None
    working_dir: str | None = None
    insecure_file_read: bool | None = None
    iteration_data: str | Sequence[Mapping[str, Any]] | None = None
    iteration_count: int | None = None
    delay_ms: int = 0
    bail: bool = False
    fail_on_status: bool = False
    follow_redirects: bool = True
    use_proxy_env: bool = True
    cookie_jar: str | None = None
    show_secrets: bool = False
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE
    parallel: int = 1
    timeouts: Timeouts = field(default_factory=Timeouts)
    tls: TlsConfig = field(default_factory=TlsConfig)
    reports: ReportConfig = field(default_factory=ReportConfig)
    exports: ExportConfig = field(default_factory=ExportConfig)
    scripts: ScriptConfig = field(default_factory=ScriptConfig)

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "variables", _frozen(self.variables))
        object.__setattr__(self, "environment_variables", _frozen(self.environment_variables))
        object.__setattr__(self, "global_variables", _frozen(self.global_variables))
        object.__setattr__(self, "path_variables", _frozen(self.path_variables))
        if self.iteration_data is not None and not isinstance(self.iteration_data, str):
            object.__setattr__(self, "iteration_data", tuple(self.iteration_data))
        _check(self.iteration_count, "--iteration-count", high=MAX_COUNT)
        _check(self.delay_ms, "--delay-request", unit="milliseconds")
        _check(self.max_response_size, "--max-response-size", high=2**62, unit="bytes")
        _check(self.parallel, "--parallel", low=1, high=MAX_PARALLEL)
        if self.parallel > 1:
            exports = self.exports
            for flag, path in (
                ("--export-environment", exports.environment),
                ("--export-globals", exports.globals),
                ("--export-cookie-jar", exports.cookie_jar),
                ("--export-collection", exports.collection),
            ):
                if path:
                    raise UsageError(
                        f"{flag} cannot be used with --parallel: parallel iterations each start from the "
                        "starting values and leave no single final state to export"
                    )

    def resolve_options(self) -> ResolveOptions:
        """How each request is resolved: values written in (``VarMode.INLINE``), as ``show`` does."""
        return ResolveOptions(
            strict=self.strict,
            seed=self.seed,
            path_vars=dict(self.path_variables),
            working_dir=self.working_dir,
            # as Newman's --no-insecure-file-read; a collection from a stream is someone else's by default
            files_inside_working_dir=not self.insecure_file_read
            if self.insecure_file_read is not None
            else isinstance(self.collection, str) and (self.collection == "-" or is_url(self.collection)),
        )

    def transport_options(self) -> TransportOptions:
        """What the HTTP session is made with: the request time limit travels only this way. Reads the
        --ssl-client-cert-list file (``InputError`` naming the file and entry when it is not usable)."""
        from postman_gen.replay.client_certs import load_client_cert_list

        cert_list = self.tls.client_cert_list
        return TransportOptions(
            timeout_ms=self.timeouts.request_ms or None,
            insecure=self.tls.insecure,
            extra_ca_certs=self.tls.extra_ca_certs,
            client_cert=self.tls.client_cert,
            client_key=self.tls.client_key,
            client_passphrase=self.tls.client_passphrase,
            client_certs=load_client_cert_list(cert_list) if cert_list else (),
            follow_redirects=self.follow_redirects,
            use_proxy_env=self.use_proxy_env,
            max_response_size=self.max_response_size,
        )
