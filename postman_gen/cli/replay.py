"""``run`` (replay selected items, Newman-style, with reports) and ``echo`` (the local echo server).

``run`` is a thin caller: its options (``run_options.py``) become one ``RunConfig``, ``postman_gen.run``
runs it with the console (``console.py``) as hook and reporter, and the outcome's status is the exit status.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from postman_gen.cli import cli
from postman_gen.cli.run_options import run_config, run_options
from postman_gen.errors import ExitStatus, UsageError

if TYPE_CHECKING:
    from postman_gen.devserver.echo import EchoServer


@cli.command()
@click.argument("file", type=click.Path(allow_dash=True))
@run_options
@click.pass_context
def run(ctx: click.Context, file: str, **params: Any) -> int:
    """Send the selected requests (all by default) in collection order, as Newman would."""
    if params["no_warnings"]:
        from postman_gen.cli.common import NO_WARNINGS

        ctx.meta[NO_WARNINGS] = True  # also for --dry-run's show
    config = run_config(file, params)
    if params["dry_run"]:
        from postman_gen.cli.inspect import show

        if isinstance(config.iteration_data, str):  # a broken data file fails the dry run as it fails a run
            from postman_gen.collection.iteration import load_iteration_data

            load_iteration_data(config.iteration_data)

        shared = (
            "environment",
            "globals_",
            "vars_",
            "path_vars",
            "strict",
            "seed",
            "working_dir",
            "insecure_file_read",
        )
        return int(
            ctx.invoke(
                show,
                file=file,
                items=config.items,
                show_secrets=config.show_secrets,
                as_json=False,
                **{name: params[name] for name in shared},
            )
        )
    import postman_gen
    from postman_gen.cli.common import Warnings, scope_file
    from postman_gen.cli.console import Console, Look
    from postman_gen.collection.loader import is_url
    from postman_gen.reports import parse_names

    collection = postman_gen.load(file, keep_document=bool(config.exports.collection))
    Warnings().emit(collection.warnings)
    config = replace(
        config,
        collection=collection,
        # loaded here, the collection no longer says it came from stdin or a URL: keep what that implies
        insecure_file_read=False
        if (file == "-" or is_url(file)) and config.insecure_file_read is None
        else config.insecure_file_read,
        environment=scope_file(config.environment, collection, "environment"),
        globals=scope_file(config.globals, collection, "globals"),
    )

    look = Look(
        color={"on": True, "off": False}.get(params["color"]),
        unicode=not params["disable_unicode"],
        summary=not params["reporter_cli_no_summary"],
        success_assertions=not params["reporter_cli_no_success_assertions"],
        failures=not params["reporter_cli_no_failures"],
    )
    console = Console(
        verbose=params["verbose"],
        show_secrets=config.show_secrets,
        enabled="cli" in parse_names(params["reports__reporters"]),
        quiet=params["silent"],
        insecure=config.tls.insecure,
        no_warnings=params["no_warnings"],
        look=look,
    )
    status = postman_gen.run(config, hooks=[console], reporters=[console]).exit_status
    if params["suppress_exit_code"] and status == ExitStatus.FAILED:
        return ExitStatus.OK  # Newman's -x: failed requests and tests do not fail the command
    return status


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
@click.option(
    "--httpbin",
    is_flag=True,
    help="Answer postman-echo/httpbin routes as they do: /get, /post, /status/{code}, /delay/{s}...",
)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def echo(
    host: str,
    port: int,
    tls: bool,
    cert: str | None,
    key: str | None,
    quiet: bool,
    httpbin: bool,
    command: tuple[str, ...],
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

    server = EchoServer(
        host, port, tls=tls, certfile=cert, keyfile=key, log=None if quiet else log, httpbin=httpbin
    )
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
    return ExitStatus.OK


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
        return ExitStatus.INTERRUPTED
    finally:
        server.shutdown()
