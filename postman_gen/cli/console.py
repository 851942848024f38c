"""The ``cli`` reporter: what a person sees while ``run`` goes (the only part of a run that prints).

It is one of the run's hooks (``postman_gen.replay.runner.Hooks``: the live line before a request, the
response of a single request) and one of its reporters (``Reporter``: a line per request, the summary).
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass

import click

from postman_gen.cli.common import Warnings
from postman_gen.cli.terminal import echo, echo_line, is_terminal, one_line
from postman_gen.replay.outcome import Execution, Failure, RunInfo, RunSummary
from postman_gen.replay.runner import RunState, Step
from postman_gen.replay.transport import Response
from postman_gen.reports.cli import (
    execution_line,
    failure_lines,
    script_lines,
    summary_table,
    timing_text,
    verbose_lines,
)
from postman_gen.resolution.request import ResolvedRequest


@dataclass(frozen=True)
class Look:
    """How the cli reporter writes: colour, Unicode symbols, and which parts (Newman's --reporter-cli-no-*).

    ``color`` None: on when standard output is a terminal and ``NO_COLOR`` is not set (``--color auto``).
    """

    color: bool | None = None
    unicode: bool = True
    summary: bool = True
    success_assertions: bool = True
    failures: bool = True

    def colored(self) -> bool:
        if self.color is not None:
            return self.color
        return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_ASCII = str.maketrans(
    {"✓": "+", "✗": "x", "│": "|", "─": "-", "×": "x", "…": "..."} | dict.fromkeys("┌┬┐└┴┘├┤┼", "+")
)
_LINE_STATUS = re.compile(r"^(\[[ \d/]+\] )(\d{3})\b")
_STATUS_COLORS = {"2": "green", "3": "cyan", "4": "yellow", "5": "red"}


def _paint(line: str) -> str:
    """``✓``/``✗``, FAILED and the status code of a request line in colour."""
    line = _LINE_STATUS.sub(
        lambda m: m.group(1) + click.style(m.group(2), fg=_STATUS_COLORS.get(m.group(2)[0], "white")), line
    )
    line = line.replace(" FAILED", " " + click.style("FAILED", fg="red", bold=True), 1)
    if line.lstrip().startswith("✓"):
        return line.replace("✓", click.style("✓", fg="green"), 1)
    if line.lstrip().startswith("✗"):
        return line.replace("✗", click.style("✗", fg="red"), 1)
    return line


def _pretty_json(text: str) -> str:
    """A JSON body indented for a person at a terminal (anything else as it came)."""
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return text
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return text


class Console:
    """One request in the run: its status code, then its body (``-v`` adds the request as sent and the
    response headers). More: a line per request (a live status line on a terminal), then the summary table.

    ``enabled``: "cli" is among the reporters; ``quiet``: --silent.
    """

    def __init__(
        self,
        *,
        verbose: bool,
        show_secrets: bool,
        enabled: bool,
        quiet: bool,
        insecure: bool = False,
        no_warnings: bool = False,
        look: Look = Look(),
    ) -> None:
        self.look = look
        self.color = look.colored()
        self.insecure = insecure  # -k: no warning about strictSSL (nothing more is disabled)
        self._warned_strict_ssl = False
        self.verbose = verbose
        self.show_secrets = show_secrets
        self.enabled = enabled
        self.quiet = quiet
        self.total = 0
        self.single = False
        self.live = False
        self.warnings = Warnings(enabled=not no_warnings, before=self._clear_live_line)

    def _out(self, *lines: str, err: bool = False) -> None:
        """Lines of the report, in ASCII with --disable-unicode, in colour when asked (never otherwise).

        On a terminal each line stays one line, its control characters shown as escapes (names, test
        names and messages come from the collection and its scripts).
        """
        text = "\n".join(one_line(line) for line in lines) if is_terminal(err) else "\n".join(lines)
        if not self.look.unicode:
            text = text.translate(_ASCII)
        elif self.color:
            text = "\n".join(_paint(line) for line in text.split("\n"))
        click.echo(text, err=err, color=self.color)

    def _clear_live_line(self) -> None:
        """Before anything else is printed on stderr: the live line must not glue onto it."""
        if self.live:
            click.echo("\r\x1b[K", nl=False, err=True)

    # ---------------------------------------------------------------- hooks

    def before_request(self, step: Step, state: RunState) -> None:
        if self.live:
            click.echo(
                f"\r\x1b[K[{step.index + 1}/{self.total}] {one_line(' / '.join(step.path))} ...",
                nl=False,
                err=True,
            )

    def after_response(
        self,
        step: Step,
        request: ResolvedRequest | None,
        response: Response | None,
        failure: Failure | None,
        state: RunState,
    ) -> None:
        if request is not None and not self.quiet:
            self.warnings.emit(request.warnings, " / ".join(request.path))
            self._warn_strict_ssl(request)
        if not self.single or self.quiet or not self.enabled:
            return
        if self.verbose and request is not None:
            from postman_gen.replay.records import sent_headers
            from postman_gen.views.wire import request_text

            sent = sent_headers(request, response, self.show_secrets) if response is not None else None
            echo(request_text(request, show_secrets=self.show_secrets, headers=sent))
        if response is not None:
            self._print_response(request, response)
        if failure is not None:
            echo_line(f"postman-gen: {failure.line()}")

    def _warn_strict_ssl(self, request: ResolvedRequest) -> None:
        """Once per run: a collection that turns TLS verification off is not silent about it."""
        if self._warned_strict_ssl or self.insecure or request.settings.strict_ssl is not False:
            return
        self._warned_strict_ssl = True
        self.warnings.say(
            f"warning: {' / '.join(request.path)}: protocolProfileBehavior.strictSSL is false: TLS "
            "certificates are not verified for the requests that set it (warned once per run)"
        )

    def _print_response(self, request: ResolvedRequest | None, response: Response) -> None:
        from postman_gen.replay.records import secrets_of
        from postman_gen.views.masking import mask_text

        status = str(response.status)
        if self.color:  # as the status code of a request line (_paint)
            status = click.style(status, fg=_STATUS_COLORS.get(status[0], "white"))
        click.echo(status, color=self.color)
        if self.verbose:
            for name, value in response.headers:
                echo(f"{name}: {value}", single_line=True)
            click.echo(f"# timing: {timing_text(response.timings.as_dict())}")
            click.echo()
        try:
            text = response.body.decode("utf-8")
        except UnicodeDecodeError:
            if not is_terminal():
                click.echo(response.body, nl=False)  # into a file or a pipe: the bytes received
                return
            text = response.body.decode("utf-8", "backslashreplace")
        if not self.show_secrets:
            text = mask_text(text, secrets_of(request) if request is not None else ())
        if sys.stdout.isatty():
            text = _pretty_json(text)
        echo(text, nl=not text.endswith("\n") and bool(text))

    # ---------------------------------------------------------------- reporter

    def start(self, info: RunInfo) -> None:
        self.total = info.items * info.iterations
        self.single = self.total == 1
        self.live = self.enabled and not self.quiet and not self.single and sys.stderr.isatty()

    def add(self, e: Execution) -> None:
        if self.quiet or not self.enabled:
            return
        extra = script_lines(e, verbose=self.verbose)
        if not self.look.success_assertions:
            extra = [text for text in extra if not text.startswith("    ✓ ")]
        if self.single:
            if e.skipped:
                self._out(execution_line(e, self.total), err=True)
            for text in extra:
                self._out(text, err=True)
            return
        # every finished request leaves its line on standard output, live status line or not (that one is
        # on standard error and cleared first), so a redirected run logs every line
        self._clear_live_line()
        verbose = verbose_lines(e) if self.verbose else []
        self._out(execution_line(e, self.total), *verbose, *extra)

    def finish(self, summary: RunSummary) -> None:
        self._clear_live_line()
        if not self.quiet:
            self.warnings.flush()
        if self.quiet or not self.enabled:
            return
        if self.single:
            if summary.interrupted:
                click.echo("postman-gen: interrupted", err=True)
            for failure in summary.failures:
                if failure.index < 0:  # not tied to the request (the loop guard)
                    echo_line(f"postman-gen: {failure.line()}")
            return
        if self.look.summary:
            self._out(*summary_table(summary).split("\n"))
        for note in summary.notes:
            echo_line(f"note: {note}", err=False)
        if summary.failures and self.look.failures:
            click.echo("failures:")
            for line in failure_lines(summary):
                echo_line(line, err=False)
