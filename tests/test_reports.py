"""Reporters: JSON loads with every execution and failure, JUnit is valid XML, HTML is self-contained."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

from postman_gen.replay.outcome import (
    ConsoleLine,
    Execution,
    Failure,
    FailureKind,
    ReceivedResponse,
    RunInfo,
    ScriptFailure,
    SentRequest,
    TestRecord,
    Totals,
)
from postman_gen.reports import file_reporters, parse_names
from postman_gen.reports.cli import execution_line, script_lines, summary_table
from postman_gen.reports.html import CHART_POINTS, _Chart

INFO = RunInfo(
    collection="Coll <&>", file="c.json", items=2, iterations=1, started_at="2026-01-01T00:00:00+00:00"
)


def _ok(index: int, ms: float = 5.0) -> Execution:
    request = SentRequest("GET", "http://h/x", (("Authorization", "Bearer ****"),), None, None)
    response = ReceivedResponse(200, "OK", (("Content-Type", "text/plain"),), "hi\x01", "utf-8", False, 3)
    return Execution(index, 0, ("F", f"item {index}"), None, request, response, ms)


def _failed(index: int) -> Execution:
    failure = Failure(FailureKind.REFUSED, "connection refused", ("F", "down"), 0, index)
    return Execution(
        index, 0, ("F", "down"), "id-1", SentRequest("POST", "http://h/y", (), "b", 1), None, 0.0, 0, failure
    )


def _run(tmp_path: Path, executions: list[Execution]) -> Totals:
    assert parse_names(["json,junit", "html"]) == ["json", "junit", "html"]
    reporters = file_reporters(
        {
            "json": str(tmp_path / "r.json"),
            "junit": str(tmp_path / "r.xml"),
            "html": str(tmp_path / "out" / "r.html"),
        },
    )
    totals = Totals()
    for r in reporters:
        r.start(INFO)
    for e in executions:
        totals.add(e)
        for r in reporters:
            r.add(e)
    summary = totals.summary(INFO, 12.5)
    for r in reporters:
        r.finish(summary)
    return totals


def test_reports_parse_and_put_failures_first(tmp_path: Path) -> None:
    _run(tmp_path, [_ok(0), _failed(1), _ok(2, 9.0)])
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [e["index"] for e in doc["executions"]] == [0, 1, 2]
    assert doc["failures"] == [
        {
            "kind": "refused",
            "message": "connection refused",
            "item": ["F", "down"],
            "iteration": 0,
            "index": 1,
        }
    ]
    assert doc["summary"]["requests"] == 3 and doc["summary"]["exit_status"] == 1
    assert doc["summary"]["max_ms"] == 9.0
    root = ET.parse(tmp_path / "r.xml").getroot()
    assert root.get("tests") == "3" and root.get("failures") == "1"
    assert [c.get("name") for c in root.iter("testcase")] == ["item 0", "down", "item 2"]
    html = (tmp_path / "out" / "r.html").read_text()
    assert html.index("Failures (1)") < html.index("Requests (3)") and "Coll &lt;&amp;&gt;" in html
    assert "<svg" in html and "src=" not in html and "<link" not in html and "<script" not in html
    assert sorted(os.listdir(tmp_path)) == ["out", "r.json", "r.xml"]


def test_empty_run_reports_are_valid(tmp_path: Path) -> None:
    _run(tmp_path, [])
    assert json.loads((tmp_path / "r.json").read_text())["executions"] == []
    ET.parse(tmp_path / "r.xml")


def test_chart_stays_bounded() -> None:
    chart = _Chart()
    for i in range(10_000):
        chart.add(float(i % 7), i == 5000)
    assert len(chart.points) < CHART_POINTS
    svg = chart.svg()
    assert svg.count("<rect") <= CHART_POINTS and "#d92d20" in svg


def test_cli_text(tmp_path: Path) -> None:
    totals = Totals()
    totals.add(_ok(0))
    totals.add(_failed(1))
    table = summary_table(totals.summary(INFO, 1500.0))
    assert "requests" in table and "1.50 s" in table
    assert execution_line(_failed(1), 2) == "[2/2] FAILED POST F / down: refused: connection refused"


# --------------------------------------------------------------------------- script results


def _scripted(
    index: int, *tests: TestRecord, errors: tuple[ScriptFailure, ...] = (), skipped: bool = False
) -> Execution:
    base = _ok(index)
    if skipped:
        return Execution(index, 0, base.path, None, None, None, 0.0, skipped=True, script_errors=errors)
    return Execution(
        index, 0, base.path, None, base.request, base.response, 5.0, tests=tests, script_errors=errors
    )


def test_tests_and_script_errors_count_as_failures() -> None:
    error = ScriptFailure("prerequest", "folder 'F'", "TypeError", "x is not a function", 3, 7)
    totals = Totals()
    totals.add(_scripted(0, TestRecord("ok", True), TestRecord("later", False, skipped=True)))
    totals.add(_scripted(1, TestRecord("bad", False, error="expected 1 to equal 2")))
    totals.add(_scripted(2, errors=(error,)))
    totals.add(_scripted(3, skipped=True))
    summary = totals.summary(INFO, 10.0)
    assert (summary.requests, summary.failed, summary.skipped) == (3, 2, 1)
    assert (summary.tests, summary.tests_failed, summary.tests_skipped, summary.script_errors) == (3, 1, 1, 1)
    assert [f.kind for f in summary.failures] == [FailureKind.TEST, FailureKind.SCRIPT]
    assert summary.failures[0].message == "'bad' failed: expected 1 to equal 2"
    assert summary.failures[1].message == (
        "pre-request script (folder 'F'), line 3: TypeError: x is not a function"
    )
    assert summary.exit_status == 1
    table = summary_table(summary)
    assert "1 passed, 1 failed, 1 skipped" in table and "skipped requests" in table


def test_script_lines_and_skipped_line() -> None:
    e = Execution(
        0,
        0,
        ("F", "x"),
        None,
        _ok(0).request,
        _ok(0).response,
        1.0,
        tests=(TestRecord("a", True), TestRecord("b", False, error="nope"), TestRecord("c", False, True)),
        console=(ConsoleLine("log", "one\ntwo"),),
    )
    assert script_lines(e) == ["    ✓ a", "    ✗ b: nope", "    - c (skipped)"]
    assert script_lines(e, verbose=True)[:2] == ["    log: one", "    │ two"]
    assert (
        execution_line(_scripted(4, skipped=True), 3)
        == "[5] SKIPPED F / item 4 (a pre-request script skipped it)"
    )


def test_junit_has_a_testcase_per_test_and_per_script_error(tmp_path: Path) -> None:
    error = ScriptFailure("test", "item", "ReferenceError", "y is not defined", 1, 1)
    [junit] = file_reporters({"junit": str(tmp_path / "r.xml")})
    junit.start(INFO)
    junit.add(_scripted(0, TestRecord("t1", True), TestRecord("t2", False, error="TypeError: boom")))
    junit.add(_scripted(1, errors=(error,)))
    junit.add(_scripted(2, skipped=True))
    totals = Totals()
    junit.finish(totals.summary(INFO, 1.0))
    suite = ET.parse(tmp_path / "r.xml").getroot()[0]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        "6",
        "1",
        "1",
        "1",
    )
    t2 = next(c for c in suite.iter("testcase") if c.get("name") == "t2")
    assert t2.get("classname") == "Coll <&>.F.item 0" and t2.find("failure").get("type") == "TypeError"
    assert any(
        c.get("name") == "item 1 [test script]" and c.find("error") is not None
        for c in suite.iter("testcase")
    )
