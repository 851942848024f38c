"""``run --parallel N``: iterations at once, each as a sequential run makes it, reported in iteration order.

Against servers on 127.0.0.1. That requests really overlap is shown without timing: a server that answers
only when two requests are in flight at once (a barrier; a sequential run would wait for it in vain).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from postman_gen.cli import main
from postman_gen.devserver.echo import EchoServer
from postman_gen.errors import ExitStatus

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
ROWS = [{"user": f"user-{n}", "n": n} for n in range(8)]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def _test(*lines: str) -> dict[str, Any]:
    return {"listen": "test", "script": {"type": "text/javascript", "exec": list(lines)}}


def _write(tmp_path: Path, items: list[dict[str, Any]], name: str = "p") -> str:
    path = tmp_path / f"{name}.postman_collection.json"
    path.write_text(json.dumps({"info": {"name": name, "schema": SCHEMA}, "item": items}), encoding="utf-8")
    return str(path)


def _data(tmp_path: Path, rows: list[dict[str, Any]] = ROWS) -> str:
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoServer]:
    with EchoServer() as server:
        yield server


def _flow(tmp_path: Path) -> str:
    """Per iteration: a POST of the row, a test script that sets a variable, a GET that sends it."""
    return _write(
        tmp_path,
        [
            {
                "name": "Post row",
                "event": [
                    _test(
                        "pm.environment.set('seen', pm.response.json().json.user);",
                        "const sent = String(pm.response.json().json.n);",
                        "const row = String(pm.iterationData.get('n'));",
                        "pm.test('row echoed', () => pm.expect(sent).to.equal(row));",
                    )
                ],
                "request": {
                    "method": "POST",
                    "url": "{{base}}/rows/{{n}}",
                    "header": [{"key": "Content-Type", "value": "application/json"}],
                    "body": {"mode": "raw", "raw": '{"user": "{{user}}", "n": {{n}}, "r": {{$randomInt}}}'},
                },
            },
            {
                "name": "Get seen",
                "event": [
                    _test(
                        "const seen = pm.environment.get('seen');",
                        "const user = pm.iterationData.get('user');",
                        "pm.test('own row seen', () => pm.expect(seen).to.equal(user));",
                    )
                ],
                "request": {"method": "GET", "url": "{{base}}/seen?u={{seen}}"},
            },
        ],
    )


_TIMING = {"timings", "started_at", "total_ms", "min_ms", "avg_ms", "max_ms", "date", "Date"}


def _stable(value: Any) -> Any:
    """A report without what depends on the clock (durations, dates)."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in _TIMING}
    if isinstance(value, list):
        if len(value) == 2 and isinstance(value[0], str) and value[0].lower() == "date":
            return [value[0], "<date>"]
        return [_stable(v) for v in value]
    return value


@pytest.mark.needs_extra("scripts")
def test_a_parallel_run_reports_what_independent_sequential_iterations_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: EchoServer
) -> None:
    collection, data = _flow(tmp_path), _data(tmp_path)
    common = ["--var", f"base={echo.url}", "-d", data, "--seed", "7", "-r", "cli,json,junit"]
    reports = {}
    outputs = {}
    for label, extra in (("parallel", ["--parallel", "4"]), ("again", ["--parallel", "3"])):
        report = tmp_path / f"{label}.json"
        status, out, err = run_cli(
            capsys, "run", collection, *common, *extra, "--reporter-json-export", str(report),
            "--reporter-junit-export", str(tmp_path / f"{label}.xml"),
        )  # fmt: skip
        assert status == 0, out + err
        reports[label] = json.loads(report.read_text(encoding="utf-8"))
        outputs[label] = [line for line in out.splitlines() if line.startswith("[")]
    parallel = reports["parallel"]
    # in iteration order, numbered as a sequential run numbers them, whatever finished first
    assert [(e["index"], e["iteration"], e["item"]) for e in parallel["executions"]] == [
        (2 * n + k, n, [name]) for n in range(8) for k, name in enumerate(("Post row", "Get seen"))
    ]
    assert [line.split(" (")[0] for line in outputs["parallel"]] == [
        line.split(" (")[0] for line in outputs["again"]
    ]
    assert [line.split("]")[0] + "]" for line in outputs["parallel"]] == [
        f"[{n:>2}/16]" for n in range(1, 17)
    ]
    # the same seed gives each iteration the same values, whatever worker ran it
    assert _stable(parallel) == _stable(reports["again"])
    summary = parallel["summary"]
    assert (summary["requests"], summary["tests"]["passed"], summary["tests"]["failed"]) == (16, 16, 0)
    # each iteration saw only its own variables
    assert [e["request"]["url"].rsplit("=", 1)[1] for e in parallel["executions"][1::2]] == [
        row["user"] for row in ROWS
    ]


def test_a_parallel_report_has_the_shape_of_a_sequential_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, echo: EchoServer
) -> None:
    collection = _write(tmp_path, [{"name": "One", "request": {"method": "GET", "url": "{{base}}/x/{{n}}"}}])
    data = _data(tmp_path)
    shapes = []
    for extra in ((), ("--parallel", "5")):
        report = tmp_path / "r.json"
        status, out, err = run_cli(
            capsys, "run", collection, "--var", f"base={echo.url}", "-d", data, "--no-scripts",
            "--reporter-json-export", str(report), *extra,
        )  # fmt: skip
        assert status == 0, err
        shapes.append(_stable(json.loads(report.read_text(encoding="utf-8"))))
    sequential, parallel = shapes
    assert parallel == sequential


class _Barrier(BaseHTTPRequestHandler):
    """Answers 200 only when ``server.barrier`` parties are in flight at once, else (after 20 s) 504."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        try:
            self.server.barrier.wait(timeout=20)  # type: ignore[attr-defined]
            status = 200
        except threading.BrokenBarrierError:
            status = 504
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


def test_iterations_are_in_flight_at_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Barrier)
    server.barrier = threading.Barrier(2)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        collection = _write(tmp_path, [{"name": "Meet", "request": {"method": "GET", "url": url + "/meet"}}])
        status, out, err = run_cli(
            capsys, "run", collection, "-n", "4", "--parallel", "2", "--fail-on-status", "--no-proxy"
        )
    finally:
        server.shutdown()
        server.server_close()
    assert status == 0, out + err
    assert out.count(" 200 GET Meet") == 4


class _Gate(BaseHTTPRequestHandler):
    """Answers the first ``server.open`` requests at once and holds every later one until the server closes,
    noting each request's path; a held request ends as a failure by --timeout-request."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        server: Any = self.server
        with server.lock:
            server.paths.append(self.path)
            held = len(server.paths) > server.open
        if held:
            server.closing.wait(timeout=60)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


def test_bail_stops_every_worker_and_reports_are_still_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Rows 0-2 succeed; every later request fails (row 3 is refused, later ones are held past
    --timeout-request). A worker records its failure before taking a row, so each of the 3 workers sends at
    most one request after rows 0-2 whatever the machine's speed: rows 6 and up are never sent."""
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Gate)
    server.daemon_threads = True
    server.open, server.paths, server.lock, server.closing = 3, [], threading.Lock(), threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gate = f"http://127.0.0.1:{server.server_address[1]}"
    rows = [{"base": gate, "n": n} for n in range(24)]
    rows[3]["base"] = "http://127.0.0.1:9"
    collection = _write(
        tmp_path, [{"name": "Call", "request": {"method": "GET", "url": "{{base}}/call/{{n}}"}}]
    )
    report = tmp_path / "r.json"
    try:
        status, out, err = run_cli(
            capsys, "run", collection, "-d", _data(tmp_path, rows), "--parallel", "3", "--bail",
            "--timeout-request", "1000", "--no-proxy", "--reporter-json-export", str(report),
        )  # fmt: skip
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()
    assert status == ExitStatus.FAILED, err
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert summary["bailed"] and 4 <= summary["requests"] <= 6
    assert summary["failed"] == summary["requests"] - 3
    sent = sorted(int(path.rsplit("/", 1)[1]) for path in server.paths)
    assert sent[:3] == [0, 1, 2] and all(n <= 5 for n in sent), sent
    assert "stopped at the first failure (--bail)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--parallel", "0"), "--parallel takes a number from 1 to 256, got 0"),
        (
            ("--parallel", "2", "--export-environment", "e.json"),
            "--export-environment cannot be used with --parallel",
        ),
        (
            ("--parallel", "2", "--export-cookie-jar", "j.json"),
            "--export-cookie-jar cannot be used with --parallel",
        ),
        (
            ("--parallel", "2", "--export-collection", "c.json"),
            "--export-collection cannot be used with --parallel",
        ),
    ],
)
def test_bad_parallel_options_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    collection = _write(
        tmp_path, [{"name": "One", "request": {"method": "GET", "url": "http://127.0.0.1:9/"}}]
    )
    status, out, err = run_cli(capsys, "run", collection, "-n", "2", *args)
    assert status == ExitStatus.USAGE and out == ""
    assert err.startswith(f"postman-gen: {message}") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == [Path(collection)]


def test_the_library_runs_in_parallel(tmp_path: Path, echo: EchoServer) -> None:
    from postman_gen import RunConfig, ScriptConfig, run

    collection = _write(tmp_path, [{"name": "One", "request": {"method": "GET", "url": "{{base}}/x/{{n}}"}}])
    config = RunConfig(
        collection,
        variables={"base": echo.url},
        iteration_data=ROWS,
        parallel=3,
        scripts=ScriptConfig(enabled=False),
    )
    outcome = run(config)
    assert outcome.ok and outcome.summary.requests == len(ROWS)


@pytest.mark.slow
def test_ctrl_c_stops_every_worker_and_reports_are_written(tmp_path: Path) -> None:
    """Two iterations in flight when Ctrl-C comes: both finish, none other starts, exit 130."""
    import os
    import subprocess
    import sys

    from tests.servers import CaptureServer

    collection = _write(tmp_path, [{"name": "Slow", "request": {"method": "GET", "url": "{{u}}/delay/3000"}}])
    report = tmp_path / "r.json"
    root = Path(__file__).resolve().parent.parent
    with CaptureServer() as server:
        command = [sys.executable, "-m", "postman_gen", "run", collection, "--var", f"u={server.url}"]
        command += ["-n", "6", "--parallel", "2", "--reporter-json-export", str(report)]
        env = dict(os.environ, PYTHONPATH=str(root))
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        server.wait_for(2, timeout=20)
        proc.send_signal(2)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == ExitStatus.INTERRUPTED, err
    assert "interrupted" in out and "Traceback" not in err
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert summary["interrupted"] is True and summary["requests"] == 2


def test_timeout_bounds_the_whole_parallel_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.servers import CaptureServer

    collection = _write(tmp_path, [{"name": "Slow", "request": {"method": "GET", "url": "{{u}}/delay/1000"}}])
    report = tmp_path / "r.json"
    with CaptureServer() as server:
        status, out, err = run_cli(
            capsys, "run", collection, "--var", f"u={server.url}", "-n", "8", "--parallel", "2",
            "--timeout", "1500", "--reporter-json-export", str(report),
        )  # fmt: skip
    assert status == ExitStatus.FAILED, out + err
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert summary["timed_out"] is True and summary["requests"] < 8
    assert "stopped: --timeout ran out" in out
