"""``run`` (replay selected items, Newman-style, with reports) and ``echo`` (the local echo server)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from postman_gen.cli import EXIT_INTERRUPTED, EXIT_OK, cli
from postman_gen.cli.common import Warnings, item_option, load_inputs, resolve_options
from postman_gen.collection.model import Variable
from postman_gen.errors import InputError, UsageError
from postman_gen.reports.cli import execution_line, failure_lines, script_lines, summary_table
from postman_gen.reports.model import Execution, Failure, RunInfo, RunSummary
from postman_gen.resolution.request import ResolvedRequest

if TYPE_CHECKING:
    from postman_gen.devserver.echo import EchoServer


class _Console:
    """The ``cli`` reporter and the run's hooks: what a person sees while the run goes.

    One request in the run: its status code, then its body (``-v`` adds the request as sent and the response
    headers). More: a live status line on a terminal (plain lines otherwise), then the summary table.
    """

    def __init__(self, *, total: int, verbose: bool, show_secrets: bool, enabled: bool, quiet: bool) -> None:
        self.total = total
        self.single = total == 1
        self.verbose = verbose
        self.show_secrets = show_secrets
        self.enabled = enabled  # "cli" among the reporters
        self.quiet = quiet  # --silent
        self.live = enabled and not quiet and not self.single and sys.stderr.isatty()
        self.warnings = Warnings()

    # ---------------------------------------------------------------- hooks

    def before_request(self, step: Any, state: Any) -> None:
        if self.live:
            click.echo(
                f"\r\x1b[K[{step.index + 1}/{self.total}] {' / '.join(step.path)} ...", nl=False, err=True
            )

    def after_response(
        self, step: Any, request: ResolvedRequest | None, response: Any, failure: Failure | None, state: Any
    ) -> None:
        if request is not None and not self.quiet:
            self.warnings.emit(request.warnings)
        if not self.single or self.quiet or not self.enabled:
            return
        if self.verbose and request is not None:
            from postman_gen.views.wire import request_text

            click.echo(request_text(request, show_secrets=self.show_secrets))
        if response is not None:
            self._print_response(request, response)
        if failure is not None:
            click.echo(f"postman-gen: {failure.line()}", err=True)

    def _print_response(self, request: ResolvedRequest | None, response: Any) -> None:
        from postman_gen.replay.records import redact, secrets_of

        click.echo(str(response.status))
        if self.verbose:
            for name, value in response.headers:
                click.echo(f"{name}: {value}")
            click.echo()
        try:
            text = response.body.decode("utf-8")
        except UnicodeDecodeError:
            click.echo(response.body, nl=False)
            return
        if request is not None and not self.show_secrets:
            text = redact(text, secrets_of(request))
        click.echo(text, nl=not text.endswith("\n") and bool(text))

    # ---------------------------------------------------------------- reporter

    def start(self, info: RunInfo) -> None:
        return None

    def add(self, e: Execution) -> None:
        if self.quiet or not self.enabled:
            return
        extra = script_lines(e, verbose=self.verbose)
        if self.single:
            if e.skipped:
                click.echo(execution_line(e, self.total), err=True)
            for text in extra:
                click.echo(text, err=True)
            return
        line = execution_line(e, self.total)
        if self.live:
            click.echo("\r\x1b[K", nl=False, err=True)
            if not e.ok or extra or e.skipped:
                click.echo("\n".join([line, *extra]), err=True)
        else:
            click.echo("\n".join([line, *extra]))

    def finish(self, summary: RunSummary) -> None:
        if self.live:
            click.echo("\r\x1b[K", nl=False, err=True)
        if self.quiet or not self.enabled:
            return
        if self.single:
            if summary.interrupted:
                click.echo("postman-gen: interrupted", err=True)
            for failure in summary.failures:
                if failure.index < 0:  # not tied to the request (the loop guard)
                    click.echo(f"postman-gen: {failure.line()}", err=True)
            return
        click.echo(summary_table(summary))
        for note in summary.notes:
            click.echo(f"note: {note}")
        if summary.failures:
            click.echo("failures:")
            for line in failure_lines(summary):
                click.echo(line)


def _environment_name(path: str | None, default: str = "environment") -> str:
    if path:
        try:
            with open(path, encoding="utf-8-sig") as handle:
                name = json.load(handle).get("name")
            if isinstance(name, str) and name:
                return name
        except (OSError, ValueError, AttributeError):
            pass
        return os.path.splitext(os.path.basename(path))[0]
    return default


def _export_scope(
    path: str, name: str, scope: str, values: dict[str, Any] | None, variables: Sequence[Variable]
) -> None:
    """Write an environment or globals file: ``values`` as scripts left them, else the input's variables."""
    from postman_gen.reports.files import write_atomic
    from postman_gen.scripts.runner_hooks import scope_document

    if values is None:
        values = {v.key: v.value or "" for v in variables if not v.disabled}
    write_atomic(path, scope_document(name, scope, values, variables))


def _ms(value: int | None, flag: str) -> int | None:
    if value is not None and value < 0:
        raise UsageError(f"{flag} takes a number of milliseconds >= 0")
    return value or None


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@item_option
@click.option(
    "--folder",
    "folders",
    multiple=True,
    metavar="NAME",
    help="Run only this folder (same as -i); repeatable.",
)
@resolve_options
@click.option(
    "-d",
    "--iteration-data",
    type=click.Path(dir_okay=False),
    help="CSV (header row) or JSON array of objects.",
)
@click.option(
    "-n", "--iteration-count", type=click.IntRange(min=0), help="Iterations (default: data rows, else 1)."
)
@click.option("--delay-request", type=int, default=0, metavar="MS", help="Wait between requests.")
@click.option("--timeout-request", type=int, metavar="MS", help="Connect and read timeout of each request.")
@click.option("--timeout", "timeout_run", type=int, metavar="MS", help="Time limit of the whole run.")
@click.option(
    "--bail", is_flag=True, help="Stop at the first failed request (summary and reports still written)."
)
@click.option("--fail-on-status", is_flag=True, help="A 4xx or 5xx response counts as a failure (exit 1).")
@click.option("-k", "--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option(
    "--ssl-client-cert", type=click.Path(exists=True, dir_okay=False), help="Client certificate (PEM)."
)
@click.option(
    "--ssl-client-key", type=click.Path(exists=True, dir_okay=False), help="Client certificate key (PEM)."
)
@click.option("--ssl-client-passphrase", metavar="TEXT", help="Passphrase of the client key.")
@click.option(
    "--ssl-extra-ca-certs",
    type=click.Path(exists=True, dir_okay=False),
    help="Trust these CA certificates too.",
)
@click.option(
    "--ignore-redirects", is_flag=True, help="Do not follow redirects (a request's followRedirects wins)."
)
@click.option("--no-proxy", is_flag=True, help="Ignore HTTP_PROXY/HTTPS_PROXY/NO_PROXY.")
@click.option(
    "--export-environment",
    type=click.Path(dir_okay=False),
    help="Write the environment here, as the run's scripts left it.",
)
@click.option(
    "--export-globals",
    type=click.Path(dir_okay=False),
    help="Write the globals here, as the scripts left them.",
)
@click.option("--no-scripts", is_flag=True, help="Do not run pre-request and test scripts.")
@click.option(
    "--timeout-script",
    type=int,
    metavar="MS",
    help="CPU time limit of each script (default 5000).",
)
@click.option(
    "--max-jumps",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    metavar="N",
    help="Backward setNextRequest jumps allowed in one run before it is stopped.",
)
@click.option(
    "--cookie-jar", type=click.Path(exists=True, dir_okay=False), help="Start with these cookies (JSON)."
)
@click.option(
    "--export-cookie-jar", type=click.Path(dir_okay=False), help="Write the run's cookies here (JSON)."
)
@click.option(
    "-r", "--reporters", multiple=True, default=("cli",), show_default=True, help="cli,json,junit,html"
)
@click.option("--reporter-json-export", type=click.Path(dir_okay=False), help="JSON report path.")
@click.option("--reporter-junit-export", type=click.Path(dir_okay=False), help="JUnit XML report path.")
@click.option("--reporter-html-export", type=click.Path(dir_okay=False), help="HTML report path.")
@click.option(
    "--report-body-limit",
    type=click.IntRange(min=0),
    default=64 * 1024,
    show_default=True,
    metavar="BYTES",
    help="Body bytes kept per request and response in reports.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Show the request as sent, the response headers and the scripts' console output.",
)
@click.option("--silent", is_flag=True, help="Print nothing (reports are still written).")
@click.option(
    "--show-secrets", is_flag=True, help="Print tokens, passwords and keys instead of masking them."
)
@click.option("--dry-run", is_flag=True, help="Print what would be sent (as `show`), send nothing.")
@click.pass_context
def run(ctx: click.Context, file: str, items: Sequence[str], folders: Sequence[str], **kw: Any) -> int:
    """Send the selected requests (all by default) in collection order, as Newman would."""
    resolve_args = {
        k: kw.pop(k)
        for k in ("environment", "globals_", "vars_", "path_vars", "strict", "seed", "working_dir")
    }
    selectors = tuple(items) + tuple(folders)
    if kw["dry_run"]:
        from postman_gen.cli.inspect import show

        return int(
            ctx.invoke(
                show,
                file=file,
                items=selectors,
                show_secrets=kw["show_secrets"],
                as_json=False,
                **resolve_args,
            )
        )
    return _run(file, selectors, resolve_args, kw)


def _run(file: str, selectors: Sequence[str], resolve_args: dict[str, Any], kw: dict[str, Any]) -> int:
    from postman_gen.collection.iteration import load_iteration_data
    from postman_gen.collection.selection import select
    from postman_gen.replay import Runner, RunOptions, SendError, Transport, TransportOptions
    from postman_gen.reports import file_reporters, parse_names

    names = parse_names(kw["reporters"])
    exports = {n: kw[f"reporter_{n}_export"] for n in ("json", "junit", "html")}
    for name, path in exports.items():
        if path and name not in names:
            names.append(name)
    inputs = load_inputs(file, **resolve_args)
    selected = select(inputs.collection, selectors)
    rows = tuple(load_iteration_data(kw["iteration_data"])) if kw["iteration_data"] else ()
    transport_options = TransportOptions(
        timeout_ms=_ms(kw["timeout_request"], "--timeout-request"),
        insecure=kw["insecure"],
        extra_ca_certs=kw["ssl_extra_ca_certs"],
        client_cert=kw["ssl_client_cert"],
        client_key=kw["ssl_client_key"],
        client_passphrase=kw["ssl_client_passphrase"],
        follow_redirects=not kw["ignore_redirects"],
        use_proxy_env=not kw["no_proxy"],
    )
    options = RunOptions(
        iterations=kw["iteration_count"],
        data=rows,
        delay_ms=_ms(kw["delay_request"], "--delay-request") or 0,
        timeout_ms=_ms(kw["timeout_run"], "--timeout"),
        bail=kw["bail"],
        fail_on_status=kw["fail_on_status"],
        show_secrets=kw["show_secrets"],
        body_limit=kw["report_body_limit"],
        transport=transport_options,
        max_jumps=kw["max_jumps"],
    )
    total = len(selected) * options.iteration_count()
    console = _Console(
        total=total,
        verbose=kw["verbose"],
        show_secrets=kw["show_secrets"],
        enabled="cli" in names,
        quiet=kw["silent"],
    )
    cookies = None
    if kw["cookie_jar"]:
        from postman_gen.replay.cookies import load_cookie_jar

        cookies = load_cookie_jar(kw["cookie_jar"])
    try:
        transport = Transport(transport_options, cookies)
    except SendError as exc:
        raise InputError(exc.message) from None
    try:
        scripts = _script_hooks(inputs, selected, options, transport, kw)
        reporters = [console, *file_reporters(names, exports)]
        runner = Runner(
            inputs.collection,
            selected,
            inputs.values,
            inputs.options,
            options,
            reporters=reporters,
            hooks=[console] if scripts is None else [scripts, console],
            transport=transport,
        )
        result = runner.run()
    finally:
        transport.close()
    _exports(kw, resolve_args, inputs, scripts)
    if kw["export_cookie_jar"]:
        from postman_gen.replay.cookies import save_cookie_jar

        save_cookie_jar(transport.cookies, kw["export_cookie_jar"])
    if result.summary.interrupted:
        return EXIT_INTERRUPTED
    return result.exit_status


def _script_hooks(
    inputs: Any, selected: Sequence[Any], options: Any, transport: Any, kw: dict[str, Any]
) -> Any:
    """The hooks that run the selection's scripts, or None (--no-scripts, or no script to run).

    Raises UsageError (exit 2) when there are scripts and the JavaScript engine is not installed.
    """
    from postman_gen.scripts.runner_hooks import DEFAULT_SCRIPT_TIMEOUT_MS, ScriptHooks, has_scripts

    if kw["no_scripts"] or not has_scripts(inputs.collection, selected):
        return None
    timeout = kw["timeout_script"]
    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout-script takes a number of milliseconds > 0")
    return ScriptHooks(
        inputs.collection,
        inputs.values,
        transport=transport,
        timeout_ms=timeout or DEFAULT_SCRIPT_TIMEOUT_MS,
        iteration_count=options.iteration_count(),
        bail=options.bail,
    )


def _exports(kw: dict[str, Any], resolve_args: dict[str, Any], inputs: Any, scripts: Any) -> None:
    """--export-environment and --export-globals: the scopes as the scripts left them."""
    if kw["export_environment"]:
        _export_scope(
            kw["export_environment"],
            _environment_name(resolve_args["environment"]),
            "environment",
            scripts.scopes.environment if scripts is not None else None,
            inputs.values.environment,
        )
    if kw["export_globals"]:
        _export_scope(
            kw["export_globals"],
            _environment_name(resolve_args["globals_"], "globals"),
            "globals",
            scripts.scopes.globals if scripts is not None else None,
            inputs.values.globals,
        )


@cli.command(context_settings={"allow_interspersed_args": False})
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port."
)
@click.option("--tls", is_flag=True, help="Serve HTTPS with a self-signed certificate made now.")
@click.option(
    "--cert", type=click.Path(exists=True, dir_okay=False), help="Serve HTTPS with this certificate (PEM)."
)
@click.option("--key", type=click.Path(exists=True, dir_okay=False), help="Key of --cert (PEM).")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def echo(
    host: str, port: int, tls: bool, cert: str | None, key: str | None, quiet: bool, command: tuple[str, ...]
) -> int:
    """A local server that answers every request with a JSON description of what it received.

    With a COMMAND after ``--``, serves only while that command runs and exits with its status; in its
    arguments ``{url}``, ``{host}``, ``{port}`` and ``{ca}`` (the certificate of --tls) are replaced.
    """
    from postman_gen.devserver.echo import EchoServer

    if key and not cert:
        raise UsageError("--key needs --cert")

    def log(line: str) -> None:
        click.echo(line, err=True)

    server = EchoServer(host, port, tls=tls, certfile=cert, keyfile=key, log=None if quiet else log)
    if command:
        return _serve_while(server, command, ca=server.ca_file or cert or "")
    click.echo(f"echo server listening on {server.url}  (Ctrl-C stops it)")
    if server.ca_file:
        click.echo(f"CA certificate: {server.ca_file}  (trust it with --ssl-extra-ca-certs, or use -k)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return EXIT_OK


def _serve_while(server: EchoServer, command: tuple[str, ...], *, ca: str) -> int:
    """Run ``command`` against the server (in the background), then stop it; the command's status is ours."""
    import subprocess

    fields = {"url": server.url, "host": server.host, "port": str(server.port), "ca": ca}
    argv = [arg.format_map(fields) if "{" in arg else arg for arg in command]
    server.start()
    try:
        return subprocess.run(argv, check=False).returncode
    except FileNotFoundError:
        raise UsageError(f"echo: command not found: {argv[0]}") from None
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        server.shutdown()
