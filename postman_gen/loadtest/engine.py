"""Start Locust's own command line in this process, with the plan's ``User`` as its locustfile.

``LoadOptions`` checks the numbers once (one ``UsageError`` naming the flag); ``start`` turns them into
Locust's arguments (``locust_argv``), hands the plan to the locustfile and returns Locust's exit status
mapped to ours: 0, 1 when any request failed, 2 when Locust refused its arguments.
"""

from __future__ import annotations

import math
import os
import re
import socket
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postman_gen.errors import ExitStatus, UsageError

if TYPE_CHECKING:  # the plan imports replay, and so ssl: only after Locust's monkey-patching
    from postman_gen.loadtest.plan import LoadPlan

INSTALL_HINT = "load needs Locust: install it with  python3 -m pip install 'postman-gen[load]'"
LOCUSTFILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locustfile.py")
MAX_USERS = 2**31 - 1
DEFAULT_MASTER_PORT = 5557  # Locust's
_TIMESPAN = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def require_locust() -> None:
    """Import Locust (which monkey-patches the process for gevent: call it before anything opens a
    socket or imports ssl); ``UsageError`` with the install line when it is missing."""
    try:
        import locust  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None


def run_time_seconds(text: str) -> int:
    """Locust's time span: ``90`` (seconds), ``30s``, ``5m``, ``1h30m``; more than zero."""
    spelled = text.strip().replace(" ", "")
    if spelled.isdigit():
        seconds = int(spelled)
    else:
        match = _TIMESPAN.fullmatch(spelled)
        if not spelled or match is None:
            raise UsageError(f"--run-time takes a time such as 90, 30s, 5m or 1h30m, got {text!r}")
        hours, minutes, secs = (int(g or 0) for g in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds <= 0:
        raise UsageError(f"--run-time must be more than zero, got {text!r}")
    return seconds


@dataclass(frozen=True)
class LoadOptions:
    """How Locust runs the plan: users, spawn rate, run time, reports, web UI, master or worker."""

    users: int = 1
    spawn_rate: float = 1.0
    run_time: str | None = None
    headless: bool = False
    csv: str | None = None
    html: str | None = None
    master: bool = False
    worker: bool = False
    master_host: str | None = None
    master_port: int = DEFAULT_MASTER_PORT
    master_bind_host: str = "*"
    expect_workers: int = 1
    master_wait_s: float = 60.0
    locust_args: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.users, bool) or not 1 <= self.users <= MAX_USERS:
            raise UsageError(f"--users takes a number from 1 to {MAX_USERS}, got {self.users!r}")
        if not (math.isfinite(self.spawn_rate) and self.spawn_rate > 0):
            raise UsageError(
                f"--spawn-rate takes a number of users per second above 0, got {self.spawn_rate!r}"
            )
        if self.run_time is not None:
            run_time_seconds(self.run_time)
        if not 1 <= self.master_port <= 65535:
            raise UsageError(f"--master-port takes a port from 1 to 65535, got {self.master_port!r}")
        if not 1 <= self.expect_workers <= MAX_USERS:
            raise UsageError(f"--expect-workers takes a number from 1 up, got {self.expect_workers!r}")
        if not (math.isfinite(self.master_wait_s) and self.master_wait_s >= 0):
            raise UsageError(f"--master-wait takes a number of seconds from 0 up, got {self.master_wait_s!r}")
        if self.master and self.worker:
            raise UsageError("give --master or --worker, not both")
        if self.master_host is not None and not self.worker:
            raise UsageError("--master-host is the address a --worker connects to; add --worker")
        if self.worker and (self.csv or self.html):
            raise UsageError("--csv and --html are written by the master (or a local run), not by a --worker")


def locust_argv(options: LoadOptions) -> list[str]:
    """Locust's command line for ``options`` (what follows ``--`` is passed on as it is)."""
    argv = ["locust", "-f", LOCUSTFILE, "-u", str(options.users), "-r", f"{options.spawn_rate:g}"]
    if options.run_time is not None:
        argv += ["-t", f"{run_time_seconds(options.run_time)}s"]
    if options.headless:
        argv.append("--headless")
    if options.csv:
        argv += ["--csv", options.csv]
    if options.html:
        argv += ["--html", options.html]
    if options.master:
        argv += ["--master", "--master-bind-host", options.master_bind_host]
        argv += [
            "--master-bind-port",
            str(options.master_port),
            "--expect-workers",
            str(options.expect_workers),
        ]
    if options.worker:
        argv += ["--worker", "--master-host", options.master_host or "127.0.0.1"]
        argv += ["--master-port", str(options.master_port)]
    return [*argv, *options.locust_args]


def wait_for_master(host: str, port: int, wait_s: float) -> None:
    """Until the master's port accepts a connection; ``UsageError`` when it did not within ``wait_s``
    (Locust's own worker would retry for five minutes, quietly)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            with socket.create_connection((host, port), timeout=max(min(wait_s, 5.0), 1.0)):
                return
        except OSError as exc:
            if time.monotonic() >= deadline:
                reason = exc.strerror or type(exc).__name__
                raise UsageError(
                    f"load: cannot reach the Locust master at {host}:{port} ({reason}) "
                    f"within --master-wait {wait_s:g} s"
                ) from None
        time.sleep(min(0.5, max(deadline - time.monotonic(), 0.05)))


def start(plan: LoadPlan, options: LoadOptions) -> int:
    """Run Locust with ``plan`` until it ends (run time, Ctrl-C, the web UI or the master stops it)."""
    require_locust()
    if options.worker:
        wait_for_master(options.master_host or "127.0.0.1", options.master_port, options.master_wait_s)
    import locust.main
    from locust import events

    from postman_gen.loadtest.user import set_plan

    set_plan(plan)
    if options.csv:
        from postman_gen.loadtest.final_csv import FinalCsv

        final = FinalCsv(options.csv)
        events.init.add_listener(final.on_init)
        events.quit.add_listener(final.on_quit)
    _interrupt_in_main_greenlet()
    saved = sys.argv
    sys.argv = locust_argv(options)
    try:
        locust.main.main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.argv = saved
    return exit_status(code)


def _interrupt_in_main_greenlet() -> None:
    """Ctrl-C as Locust expects it: a KeyboardInterrupt in the main greenlet (which writes the reports and
    shuts down), never in the user whose script happens to run (a traceback, and a user lost)."""
    import signal

    import gevent

    hub = gevent.get_hub()

    def interrupt() -> None:
        hub.parent.throw(KeyboardInterrupt)

    gevent.signal_handler(signal.SIGINT, interrupt)


def exit_status(code: object) -> int:
    """Locust's exit code as ours: 0; 1 (a request failed); anything else means it refused to start."""
    if code in (None, 0):
        return ExitStatus.OK
    if code == 1:
        return ExitStatus.FAILED
    return ExitStatus.USAGE
