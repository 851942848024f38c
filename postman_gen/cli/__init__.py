"""The command line: the only place that prints, exits, and maps errors to exit statuses.

Exit statuses: 0 success; 1 a failed request or test, or stale generated code; 2 bad input or usage;
130 interrupted. Every ``PostmanGenError`` becomes one line on stderr, never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from postman_gen import __version__
from postman_gen.errors import PostmanGenError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

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
    "echo": (
        "postman_gen.cli.replay",
        "A local server that answers every request with a JSON description of what it received.",
    ),
    "render": ("postman_gen.cli.codegen", "Print the code of TARGET that sends each selected request."),
    "generate": (
        "postman_gen.cli.codegen",
        "One file per item per target under OUTPUT/<collection>/<target>/..., plus an index per collection.",
    ),
    "diff": (
        "postman_gen.cli.codegen",
        "The change from OLD to NEW as a unified diff of generated code: items added, removed, changed.",
    ),
    "targets": ("postman_gen.cli.codegen", "The available targets, with their descriptions."),
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
                text = click.utils.make_default_short_help(COMMANDS[name][1], limit)
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
def cli() -> None:
    """Replay Postman collections and render client code for them, from one resolved request."""


def _register() -> None:
    """Import every command module now (tests and tools that walk all commands); the CLI itself is lazy."""
    for module in dict.fromkeys(module for module, _help in COMMANDS.values()):
        if _installed(module):
            importlib.import_module(module)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``postman-gen`` and ``python -m postman_gen``."""
    try:
        status = cli.main(args=argv, prog_name="postman-gen", standalone_mode=False)
    except PostmanGenError as exc:
        click.echo(f"postman-gen: {exc}", err=True)
        sys.exit(exc.exit_status)
    except click.exceptions.Abort:
        click.echo("postman-gen: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("postman-gen: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE if isinstance(exc, click.UsageError) else exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        click.echo(f"postman-gen: internal error ({type(exc).__name__}: {exc}); please report it", err=True)
        sys.exit(EXIT_FAILED)
    sys.exit(status if isinstance(status, int) else EXIT_OK)
