"""The JSON report: run info, every request and response (bodies cut at a limit), what its scripts did
(tests, errors, console), every failure, totals.

Written as the run goes (one execution at a time into the draft file), so a long run does not hold its
records in memory; the file appears complete at ``finish``. Keys are in a fixed order.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from postman_gen.atomic import AtomicFile
from postman_gen.replay.outcome import Execution, Failure, RunInfo, RunSummary

FORMAT_VERSION = 1


def execution_dict(e: Execution) -> dict[str, Any]:
    return {
        "index": e.index,
        "iteration": e.iteration,
        "item": list(e.path),
        "id": e.item_id,
        "request": _request(e),
        "response": _response(e),
        "timings": {
            "total_ms": round(e.duration_ms, 3),
            **((e.response.timings or {}) if e.response is not None else {}),
        },
        "redirects": e.redirects,
        "failure": failure_dict(e.failure) if e.failure else None,
        "skipped": e.skipped,
        "tests": [
            {"name": t.name, "event": t.event, "passed": t.passed, "skipped": t.skipped, "error": t.error}
            for t in e.tests
        ],
        "script_errors": [
            {
                "event": x.event,
                "script": x.level,
                "name": x.name,
                "message": x.message,
                "line": x.line,
                "column": x.column,
            }
            for x in e.script_errors
        ],
        "console": [{"level": c.level, "event": c.event, "text": c.text} for c in e.console],
    }


def _request(e: Execution) -> dict[str, Any] | None:
    r = e.request
    if r is None:
        return None
    return {
        "method": r.method,
        "url": r.url,
        "headers": [list(h) for h in r.headers],
        "body": r.body,
        "body_size": r.body_size,
    }


def _response(e: Execution) -> dict[str, Any] | None:
    r = e.response
    if r is None:
        return None
    return {
        "status": r.status,
        "reason": r.reason,
        "http_version": r.http_version,
        "headers": [list(h) for h in r.headers],
        "body": r.body,
        "body_encoding": r.body_encoding,
        "body_truncated": r.body_truncated,
        "size": r.size,
    }


def failure_dict(f: Failure) -> dict[str, Any]:
    return {
        "kind": f.kind.value,
        "message": f.message,
        "item": list(f.path),
        "iteration": f.iteration,
        "index": f.index,
    }


def summary_dict(s: RunSummary) -> dict[str, Any]:
    return {
        "requests": s.requests,
        "failed": s.failed,
        "total_ms": round(s.total_ms, 3),
        "min_ms": round(s.min_ms, 3),
        "avg_ms": round(s.avg_ms, 3),
        "max_ms": round(s.max_ms, 3),
        "bytes_received": s.bytes_received,
        "status_counts": {str(code): n for code, n in s.status_counts},
        "interrupted": s.interrupted,
        "bailed": s.bailed,
        "timed_out": s.timed_out,
        "skipped": s.skipped,
        "scripts_run": s.scripts_run,
        "script_errors": s.script_errors,
        "tests": {
            "total": s.tests,
            "passed": s.tests - s.tests_failed - s.tests_skipped,
            "failed": s.tests_failed,
            "skipped": s.tests_skipped,
        },
        "notes": list(s.notes),
        "exit_status": int(s.exit_status),
    }


class JsonReporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self._out: AtomicFile | None = None
        self._count = 0

    def start(self, info: RunInfo) -> None:
        self._out = AtomicFile(self.path, what="JSON report")
        head = {"format": "postman-gen-run", "version": FORMAT_VERSION, "run": asdict(info)}
        text = json.dumps(head, indent=2, ensure_ascii=False)
        self._out.write(text[: text.rindex("}")].rstrip() + ',\n  "executions": [')

    def add(self, execution: Execution) -> None:
        assert self._out is not None
        sep = "," if self._count else ""
        self._out.write(sep + "\n    " + json.dumps(execution_dict(execution), ensure_ascii=False))
        self._count += 1

    def finish(self, summary: RunSummary) -> None:
        assert self._out is not None
        failures = json.dumps([failure_dict(f) for f in summary.failures], ensure_ascii=False, indent=4)
        totals = json.dumps(summary_dict(summary), ensure_ascii=False, indent=4)
        self._out.write(
            ("\n  ],\n" if self._count else "],\n")
            + '  "failures": '
            + failures.replace("\n", "\n  ")
            + ",\n"
            + '  "summary": '
            + totals.replace("\n", "\n  ")
            + "\n}\n"
        )
        self._out.commit()
