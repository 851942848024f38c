"""``load``: the selected items as a Locust load test, each virtual user one Newman run.

Locust monkey-patches the process it is imported in (gevent), so every run is a subprocess
(``python -m postman_gen load``) and marked slow; the checks of the command line itself run in this process
and stop before Locust would be imported. Runs are stopped by events, never by the clock: the test waits
until the echo server has seen what it needs (each worker's requests, say) and then interrupts the run as
Ctrl-C does; Locust then writes its reports and exits.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from postman_gen.cli import main
from postman_gen.devserver.echo import EchoServer
from postman_gen.errors import ExitStatus
from tests.servers import free_port, refused_port

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 120  # an upper bound for a stuck run, never reached by a working one


def _test(*lines: str) -> dict[str, Any]:
    return {"listen": "test", "script": {"type": "text/javascript", "exec": list(lines)}}


def _collection(tmp_path: Path, items: list[dict[str, Any]]) -> str:
    path = tmp_path / "load.postman_collection.json"
    path.write_text(json.dumps({"info": {"name": "load", "schema": SCHEMA}, "item": items}), encoding="utf-8")
    return str(path)


def _flow(tmp_path: Path) -> str:
    """A folder item that sets a cookie and a variable, an item that checks both (chaining and cookies per
    user), and an item whose pm.test always fails."""
    return _collection(
        tmp_path,
        [
            {
                "name": "Users",
                "item": [
                    {
                        "name": "Log in",
                        "event": [
                            _test("pm.environment.set('token', 'tok-' + pm.iterationData.get('user'));")
                        ],
                        "request": {
                            "method": "GET",
                            "url": "{{base}}/cookies/set?session={{user}}&who={{who}}",
                        },
                    }
                ],
            },
            {
                "name": "Profile",
                "event": [
                    _test(
                        "const sent = pm.response.json().headers;",
                        "pm.test('token chained', () =>",
                        "  pm.expect(sent['x-token']).to.match(/^tok-(ann|bob)$/));",
                        "pm.test('cookie kept', () => pm.expect(sent.cookie).to.include('session='));",
                    )
                ],
                "request": {
                    "method": "POST",
                    "url": "{{base}}/anything/profile?who={{who}}",
                    "header": [{"key": "X-Token", "value": "{{token}}"}],
                    "body": {"mode": "raw", "raw": "{{user}}"},
                },
            },
            {
                "name": "Broken",
                "event": [_test("pm.test('always fails', () => pm.expect(1).to.equal(2));")],
                "request": {"method": "DELETE", "url": "{{base}}/anything/broken?who={{who}}"},
            },
        ],
    )


def _rows(tmp_path: Path) -> str:
    path = tmp_path / "users.csv"
    path.write_text("user\nann\nbob\n", encoding="utf-8")
    return str(path)


class _Seen:
    """What the echo server received: its request lines, and a way to wait for one."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.changed = threading.Condition()

    def log(self, line: str) -> None:
        with self.changed:
            self.lines.append(line)
            self.changed.notify_all()

    def wait_for(self, what: Callable[[list[str]], bool], process: subprocess.Popen[str]) -> None:
        deadline = time.monotonic() + WAIT_S
        with self.changed:
            while not what(self.lines):
                assert process.poll() is None, "the load test ended before the server saw what it waited for"
                assert time.monotonic() < deadline, "the server never saw what the test waited for"
                self.changed.wait(0.2)


@pytest.fixture
def echo() -> Iterator[tuple[EchoServer, _Seen]]:
    seen = _Seen()
    with EchoServer(log=seen.log, httpbin=True) as server:
        yield server, seen


def _start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "postman_gen", "load", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _interrupt(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Ctrl-C, as a person stops a load test; then its exit status and output."""
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=WAIT_S)
    return process.returncode, out, err


class _Printed:
    """A process's standard output and error, read as they come (a test may wait for a line)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.out: list[str] = []
        self.err: list[str] = []
        self.changed = threading.Condition()
        assert process.stdout is not None and process.stderr is not None
        self.readers = [
            threading.Thread(target=self._pump, args=(stream, lines), daemon=True)
            for stream, lines in ((process.stdout, self.out), (process.stderr, self.err))
        ]
        for reader in self.readers:
            reader.start()

    def _pump(self, stream: Any, lines: list[str]) -> None:
        for line in stream:
            with self.changed:
                lines.append(line)
                self.changed.notify_all()

    def wait_for(self, what: Callable[[str], bool]) -> None:
        deadline = time.monotonic() + WAIT_S
        with self.changed:
            while not what("".join(self.err)):  # Locust prints its statistics on standard error
                assert self.process.poll() is None, "".join(self.err)
                assert time.monotonic() < deadline, "the process never printed what the test waited for"
                self.changed.wait(0.2)

    def finish(self) -> tuple[int, str, str]:
        status = self.process.wait(timeout=WAIT_S)
        for reader in self.readers:
            reader.join(timeout=WAIT_S)
        return status, "".join(self.out), "".join(self.err)


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=WAIT_S)
    return process.returncode, out, err


def _stats(prefix: Path) -> dict[str, dict[str, str]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def _count(lines: list[str], needle: str) -> int:
    return sum(needle in line for line in lines)


# ----------------------------------------------------------------------------------- end to end (slow)


@pytest.mark.slow
@pytest.mark.needs_extra("load")
@pytest.mark.needs_extra("scripts")
def test_local_headless_run(tmp_path: Path, echo: tuple[EchoServer, _Seen]) -> None:
    server, seen = echo
    collection = _flow(tmp_path)
    prefix, html = tmp_path / "stats", tmp_path / "report.html"
    process = _start(
        collection,
        "-d", _rows(tmp_path),
        "--var", f"base={server.url}",
        "--var", "who=local",
        "--users", "3", "--spawn-rate", "50", "--run-time", f"{WAIT_S}s", "--headless",
        "--csv", str(prefix), "--html", str(html),
        cwd=tmp_path,
    )  # fmt: skip
    # every user's first iteration done, and both data rows handed out
    seen.wait_for(lambda lines: _count(lines, "/anything/broken") >= 6, process)
    assert _count(seen.lines, "session=ann") and _count(seen.lines, "session=bob")
    status, out, err = _interrupt(process)
    assert status == ExitStatus.FAILED, err  # the failing pm.test fails the run
    stats = _stats(prefix)
    assert {"Users / Log in", "Profile", "Broken"} <= set(stats), stats.keys()
    assert stats["Users / Log in"]["Type"] == "GET" and stats["Broken"]["Type"] == "DELETE"
    failures = Path(f"{prefix}_failures.csv").read_text(encoding="utf-8")
    for name in ("Users / Log in", "Profile"):  # chaining and cookies worked for every user
        assert int(stats[name]["Request Count"]) >= 3 and stats[name]["Failure Count"] == "0", failures
    assert stats["Broken"]["Failure Count"] == stats["Broken"]["Request Count"] != "0"
    assert "always fails" in failures
    assert "Users / Log in" in html.read_text(encoding="utf-8")
    assert "Traceback" not in err


@pytest.mark.slow
@pytest.mark.needs_extra("load")
@pytest.mark.needs_extra("scripts")
def test_master_and_two_workers_on_loopback(tmp_path: Path, echo: tuple[EchoServer, _Seen]) -> None:
    server, seen = echo
    collection = _flow(tmp_path)
    port = free_port()
    prefix = tmp_path / "dist"
    common = ("-d", _rows(tmp_path), "--var", f"base={server.url}", "--master-port", str(port))
    master = _start(
        collection, *common, "--var", "who=master",
        "--master", "--master-bind-host", "127.0.0.1", "--expect-workers", "2",
        "--users", "4", "--spawn-rate", "50", "--run-time", f"{WAIT_S}s", "--headless",
        "--csv", str(prefix),
        cwd=tmp_path,
    )  # fmt: skip
    workers = [
        _start(
            collection, *common, "--var", f"who=w{n}", "--worker", "--master-host", "127.0.0.1", cwd=tmp_path
        )
        for n in (1, 2)
    ]
    printed = _Printed(master)
    try:
        # both workers run users (the master runs none), each user its iterations ...
        seen.wait_for(
            lambda lines: _count(lines, "broken?who=w1") >= 2 and _count(lines, "broken?who=w2") >= 2, master
        )
        # ... and the master has their statistics (workers report every few seconds)
        printed.wait_for(lambda text: re.search(r"^POST +Profile +[1-9]", text, re.M) is not None)
        master.send_signal(signal.SIGINT)
        status, out, err = printed.finish()
        worker_ends = [_finish(worker) for worker in workers]
    finally:
        for process in (master, *workers):
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert _count(seen.lines, "who=master") == 0
    assert status == ExitStatus.FAILED, err
    stats = _stats(prefix)
    # the master's final figures: at least those it printed; a worker's last report may come too late
    assert stats["Profile"]["Failure Count"] == "0" and int(stats["Profile"]["Request Count"]) >= 1
    assert stats["Broken"]["Failure Count"] == stats["Broken"]["Request Count"]
    for worker_status, _out, worker_err in worker_ends:
        assert worker_status in (ExitStatus.OK, ExitStatus.FAILED), worker_err
        assert "Traceback" not in worker_err


@pytest.mark.slow
@pytest.mark.needs_extra("load")
def test_refused_target_fails_and_still_writes_reports(tmp_path: Path) -> None:
    collection = _collection(
        tmp_path,
        [{"name": "Nobody", "request": {"method": "GET", "url": f"http://127.0.0.1:{refused_port()}/"}}],
    )
    prefix, html = tmp_path / "refused", tmp_path / "refused.html"
    process = _start(
        collection, "-u", "1", "-r", "1", "-t", "2s", "--headless", "--csv", str(prefix), "--html", str(html),
        cwd=tmp_path,
    )  # fmt: skip
    status, out, err = _finish(process)
    assert status == ExitStatus.FAILED, err
    stats = _stats(prefix)
    assert stats["Nobody"]["Failure Count"] == stats["Nobody"]["Request Count"] != "0"
    assert "refused" in Path(f"{prefix}_failures.csv").read_text(encoding="utf-8").lower()
    assert html.is_file()


@pytest.mark.slow
@pytest.mark.needs_extra("load")
def test_worker_without_master_is_one_line(tmp_path: Path) -> None:
    collection = _collection(
        tmp_path, [{"name": "One", "request": {"method": "GET", "url": "http://127.0.0.1:9/"}}]
    )
    port = refused_port()
    process = _start(
        collection, "--worker", "--master-host", "127.0.0.1", "--master-port", str(port),
        "--master-wait", "0", cwd=tmp_path,
    )  # fmt: skip
    status, out, err = _finish(process)
    assert status == ExitStatus.USAGE
    lines = err.strip().splitlines()
    assert len(lines) == 1 and f"cannot reach the Locust master at 127.0.0.1:{port}" in lines[0], err


@pytest.mark.slow
@pytest.mark.needs_extra("load")
@pytest.mark.parametrize(
    ("items", "args", "message"),
    [
        ([], (), "no requests selected"),
        ([{"name": "Empty folder", "item": []}], ("-i", "Empty folder"), "no requests selected"),
        ([{"name": "One", "request": "http://127.0.0.1:9/"}], ("-d", "missing.csv"), "missing.csv"),
    ],
)
def test_bad_input_after_locust_is_one_line(
    tmp_path: Path, items: list[dict[str, Any]], args: tuple[str, ...], message: str
) -> None:
    prefix = tmp_path / "none"
    process = _start(_collection(tmp_path, items), *args, "--headless", "--csv", str(prefix), cwd=tmp_path)
    status, out, err = _finish(process)
    assert status == ExitStatus.USAGE
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert not list(tmp_path.glob("none*"))  # nothing half-written


# ----------------------------------------------------------------------------------- the command line (fast)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(["load", *args])
    return int(exc.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--users", "0"), "--users takes a number from 1"),
        (("--users", "-3"), "--users takes a number from 1"),
        (("--spawn-rate", "-1"), "--spawn-rate takes a number of users per second above 0"),
        (("--spawn-rate", "0"), "--spawn-rate takes a number of users per second above 0"),
        (("--spawn-rate", "nan"), "--spawn-rate takes"),
        (("--run-time", "0"), "--run-time must be more than zero"),
        (("--run-time", "soon"), "--run-time takes a time such as"),
        (("--master", "--worker"), "not both"),
        (("--master-host", "127.0.0.1"), "add --worker"),
        (("--worker", "--csv", "x"), "written by the master"),
        (("--master-wait", "-1"), "--master-wait"),
    ],
)
def test_bad_numbers_are_one_line_before_locust(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    collection = _collection(tmp_path, [{"name": "One", "request": "http://127.0.0.1:9/"}])
    status, err = _cli(capsys, collection, *args)
    assert status == ExitStatus.USAGE
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_without_locust_says_how_to_install(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "locust", None)  # as if the extra were not installed
    collection = _collection(tmp_path, [{"name": "One", "request": "http://127.0.0.1:9/"}])
    status, err = _cli(capsys, collection, "--headless", "-u", "2")
    assert status == ExitStatus.USAGE
    assert err.strip().splitlines() == ["postman-gen: load needs Locust: install it with  "
                                        "python3 -m pip install 'postman-gen[load]'"]  # fmt: skip


def test_locust_arguments() -> None:
    from postman_gen.loadtest.engine import LOCUSTFILE, LoadOptions, locust_argv

    local = LoadOptions(users=5, spawn_rate=2.5, run_time="1m30s", headless=True, csv="s", html="r.html")
    assert locust_argv(local) == [
        "locust", "-f", LOCUSTFILE, "-u", "5", "-r", "2.5", "-t", "90s", "--headless",
        "--csv", "s", "--html", "r.html",
    ]  # fmt: skip
    master = LoadOptions(master=True, master_port=6000, master_bind_host="127.0.0.1", expect_workers=2)
    assert locust_argv(master)[7:] == [
        "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", "6000", "--expect-workers", "2"
    ]  # fmt: skip
    worker = LoadOptions(worker=True, master_host="10.0.0.5", locust_args=("--only-summary",))
    assert locust_argv(worker)[7:] == [
        "--worker",
        "--master-host",
        "10.0.0.5",
        "--master-port",
        "5557",
        "--only-summary",
    ]


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("30s", 30), ("5m", 300), ("1h30m", 5400), ("1h 2s", 3602)]
)
def test_run_time(text: str, seconds: int) -> None:
    from postman_gen.loadtest.engine import run_time_seconds

    assert run_time_seconds(text) == seconds


def test_exit_statuses() -> None:
    from postman_gen.loadtest.engine import exit_status

    statuses = [exit_status(code) for code in (None, 0, 1, -1, 2)]
    assert statuses == [ExitStatus.OK, ExitStatus.OK, ExitStatus.FAILED, ExitStatus.USAGE, ExitStatus.USAGE]


@pytest.mark.slow
def test_engine_module_does_not_import_locust_or_ssl() -> None:
    """The CLI checks its numbers with the engine module before Locust's monkey-patching: importing it
    must import neither Locust nor anything that loads ssl."""
    code = (
        "import sys, postman_gen.cli.load, postman_gen.loadtest.engine;"
        "print(sorted(m for m in ('locust', 'gevent', 'ssl', 'requests', 'urllib3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
