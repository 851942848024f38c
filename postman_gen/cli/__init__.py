"""The command line: the only place that prints, exits, and maps errors to exit statuses.

Exit statuses (``postman_gen.errors.ExitStatus``): 0 success; 1 a failed request or test, or stale
generated code; 2 bad input or usage; 70 an internal error (a bug of ours); 130 interrupted. Every
``PostmanGenError`` becomes one line on stderr, and so does an internal error; ``--debug`` (or
``POSTMAN_GEN_DEBUG=1``) adds the traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback

import click

from postman_gen import __version__
from postman_gen.errors import ExitStatus, PostmanGenError

DEBUG_ENV = "POSTMAN_GEN_DEBUG"

# Every command: the module that defines it (importing it registers the command on ``cli``) and its
# one-line help for ``postman-gen --help``. Kept here so that running one command imports only its own
# module: ``render`` never loads requests, jsonschema or the replay machinery. tests/test_cli_lazy.py
# checks that each line is the first sentence of the command's own docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "postman_gen.cli.inspect",
        "Check collections, folders, items, environments and globals files; list every problem.",
    ),
    "list": (
        "postman_gen.cli.inspect",
        "The tree of folders and items, with each item's method and URL as written.",
    ),
    "show": (
        "postman_gen.cli.inspect",
        "Print each selected request exactly as it would go on the wire, without sending it.",
    ),
    "run": (
        "postman_gen.cli.replay",
        "Send the selected requests (all by default) in collection order, as Newman would.",
    ),
    "load": (
        "postman_gen.cli.load",
        "Load-test the selected requests on Locust: every virtual user runs them as Newman iterations.",
    ),
    "echo": (
        "postman_gen.cli.replay",
        "A local server that answers every request with a JSON description of what it received.",
    ),
    "render": (
        "postman_gen.cli.codegen",
        "Print the code of TARGET that sends each selected request (locust: one file for them all).",
    ),
    "generate": (
        "postman_gen.cli.codegen",
        "One file per item per target under OUTPUT/<collection>/<target>/..., plus an index per collection.",
    ),
    "diff": (
        "postman_gen.cli.review",
        "The change from OLD to NEW: per request what changes on the wire, then the generated code's diff.",
    ),
    "targets": ("postman_gen.cli.codegen", "The available targets, with their descriptions."),
    "verify": (
        "postman_gen.cli.verify",
        "Run TARGET's code for each selected item against a local echo server and compare it with `run`.",
    ),
    "convert": (
        "postman_gen.cli.convert",
        "Convert a v2 JSON collection or environment to Postman v3 YAML, or a v3 tree or YAML file to JSON.",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported only when one of them runs (or its own help is asked for).

    Why: start-up time of a one-item ``render`` is dominated by imports; the group's ``--help`` lists
    every command from ``COMMANDS`` without importing any of them.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        available = {name for name, (module, _help) in COMMANDS.items() if _installed(module)}
        return sorted(available | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = COMMANDS[cmd_name][0]
            if _installed(module):
                importlib.import_module(module)  # registers its commands on ``cli``
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As ``click.Group.format_commands``, with each line from ``COMMANDS`` instead of an import."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is not None:
                if command.hidden:
                    continue
                text = command.get_short_help_str(limit)
            else:
                # A stand-in command gives click's own shortening (its helper is private from click 8.5).
                text = click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _installed(module: str) -> bool:
    """Whether a command module exists, found without importing it (a slimmed install may omit some)."""
    return module in sys.modules or importlib.util.find_spec(module) is not None


@click.group(
    cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="postman-gen")
@click.option(
    "--debug",
    is_flag=True,
    help=f"Print the traceback of an error (also {DEBUG_ENV}=1).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Replay Postman collections and render client code for them, from one resolved request."""
    # ``debug`` is read by ``main`` (``_debugging``), which must know it also when parsing failed.
    if ctx.invoked_subcommand in CONFIGURED:
        from postman_gen.cli import config

        found = config.find()
        if found is not None:  # the repository's settings are these commands' defaults
            ctx.default_map = {name: found.defaults(name) for name in CONFIGURED}


# Commands whose defaults come from ``[tool.postman-gen]`` / ``.postman-gen.toml`` (cli/config.py).
CONFIGURED = ("generate", "diff")


def _register() -> None:
    """Import every command module now (tests and tools that walk all commands); the CLI itself is lazy."""
    for module in dict.fromkeys(module for module, _help in COMMANDS.values()):
        if _installed(module):
            importlib.import_module(module)


def _debugging(argv: list[str] | None) -> bool:
    """--debug before the command, or POSTMAN_GEN_DEBUG set to a true value (known even if parsing failed)."""
    args = sys.argv[1:] if argv is None else argv
    value = os.environ.get(DEBUG_ENV, "").strip().lower()
    return value in ("1", "true", "yes", "on") or "--debug" in args[: _command_index(args)]


def _command_index(args: list[str]) -> int:
    """Where the command name is in ``args`` (global options come before it)."""
    return next((i for i, arg in enumerate(args) if not arg.startswith("-")), len(args))


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``postman-gen`` and ``python -m postman_gen``."""
    try:
        status = cli.main(args=argv, prog_name="postman-gen", standalone_mode=False)
    except PostmanGenError as exc:
        if _debugging(argv):
            traceback.print_exc()
        from postman_gen.cli.terminal import echo_line

        echo_line(f"postman-gen: {exc}")
        sys.exit(exc.exit_status)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("postman-gen: interrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitStatus.USAGE if isinstance(exc, click.UsageError) else exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(ExitStatus.OK)
    except Exception as exc:  # a bug of ours: one line (the traceback with --debug), its own status
        if _debugging(argv):
            traceback.print_exc()
        hint = "" if _debugging(argv) else f" (--debug or {DEBUG_ENV}=1 shows the traceback)"
        from postman_gen.cli.terminal import echo_line

        echo_line(f"postman-gen: internal error ({type(exc).__name__}: {exc}); please report it{hint}")
        sys.exit(ExitStatus.INTERNAL)
    sys.exit(status if isinstance(status, int) else ExitStatus.OK)
