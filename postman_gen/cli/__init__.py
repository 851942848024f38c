"""The command line: the only place that prints, exits, and maps errors to exit statuses.

Exit statuses: 0 success; 1 a failed request or test, or stale generated code; 2 bad input or usage;
130 interrupted. Every ``PostmanGenError`` becomes one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys

import click

from postman_gen import __version__
from postman_gen.errors import PostmanGenError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="postman-gen")
def cli() -> None:
    """Replay Postman collections and render client code for them, from one resolved request."""


def _register() -> None:
    from postman_gen.cli import inspect  # noqa: F401  (commands register themselves on ``cli``)

    for optional in ("replay", "codegen"):
        try:
            __import__(f"postman_gen.cli.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"postman_gen.cli.{optional}":
                raise


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``postman-gen`` and ``python -m postman_gen``."""
    _register()
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
