"""The JUnit XML report: one ``testcase`` per request, then one per ``pm.test``, for CI systems.

A request that failed (or got a 4xx/5xx under --fail-on-status) is a ``failure`` with the reason, a request
a script skipped is ``skipped``; a failed ``pm.test`` is a ``failure``, a skipped one ``skipped``; a script
that did not run to its end is a test case of its own (``<item> [test script]``) with an ``error``. The
suite's counts are only known at the end, so the test cases are spooled to a temporary file meanwhile.
"""

from __future__ import annotations

import os
import re
from xml.sax.saxutils import escape, quoteattr

from postman_gen.atomic import AtomicFile
from postman_gen.replay.outcome import Execution, RunInfo, RunSummary, ScriptFailure, TestRecord
from postman_gen.reports.files import Spool

_INVALID_XML = dict.fromkeys(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped."""
    return text.translate(_INVALID_XML)


def _attr(text: str) -> str:
    return quoteattr(_clean(text))


class JunitReporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self._info: RunInfo | None = None
        self._spool: Spool | None = None
        self._tests = 0
        self._failures = 0
        self._errors = 0
        self._skipped = 0

    def start(self, info: RunInfo) -> None:
        self._info = info
        self._spool = Spool(os.path.dirname(os.path.abspath(self.path)) or ".")

    def add(self, e: Execution) -> None:
        assert self._spool is not None and self._info is not None
        name = e.path[-1] if e.path else ""
        suffix = f" [iteration {e.iteration + 1}]" if self._info.iterations > 1 else ""
        classname = ".".join([self._info.collection, *e.path[:-1]])
        seconds = f"{e.duration_ms / 1000:.3f}"
        out = f'    <testcase name={_attr(name + suffix)} classname={_attr(classname)} time="{seconds}">\n'
        self._tests += 1
        if e.skipped:
            self._skipped += 1
            out += '      <skipped message="skipped by a pre-request script"/>\n'
        if e.failure is not None:
            f = e.failure
            self._failures += 1
            text = escape(_clean(f.line()))
            out += f"      <failure type={_attr(f.kind.value)} message={_attr(f.message)}>{text}</failure>\n"
        if e.request is not None:
            line = f"{e.request.method} {e.request.url}"
            if e.response is not None:
                r = e.response
                line += f" -> {r.status} {r.reason} ({e.duration_ms:.0f} ms, {r.size} B)"
            out += f"      <system-out>{escape(_clean(line))}</system-out>\n"
        out += "    </testcase>\n"
        item_class = ".".join([self._info.collection, *e.path])
        out += "".join(self._test_case(t, item_class, suffix) for t in e.tests)
        out += "".join(self._error_case(x, name + suffix, classname) for x in e.script_errors)
        self._spool.write(out)

    def _test_case(self, t: TestRecord, classname: str, suffix: str) -> str:
        """One ``pm.test``: its classname is the item's, so CI tools group a request's tests together."""
        self._tests += 1
        head = f'    <testcase name={_attr(t.name + suffix)} classname={_attr(classname)} time="0.000"'
        if t.skipped:
            self._skipped += 1
            return head + ">\n      <skipped/>\n    </testcase>\n"
        if t.passed:
            return head + "/>\n"
        self._failures += 1
        message = t.error or "assertion failed"
        thrown = re.match(r"([A-Z]\w*Error): ", message)
        kind = thrown.group(1) if thrown else "AssertionError"
        text = escape(_clean(message))
        body = f"      <failure type={_attr(kind)} message={_attr(message)}>{text}</failure>\n"
        return head + ">\n" + body + "    </testcase>\n"

    def _error_case(self, x: ScriptFailure, item: str, classname: str) -> str:
        self._tests += 1
        self._errors += 1
        event = "pre-request" if x.event == "prerequest" else x.event
        name = f"{item} [{event} script]"
        text = escape(_clean(x.text()))
        return (
            f'    <testcase name={_attr(name)} classname={_attr(classname)} time="0.000">\n'
            f"      <error type={_attr(x.name)} message={_attr(x.text())}>{text}</error>\n"
            "    </testcase>\n"
        )

    def finish(self, summary: RunSummary) -> None:
        assert self._spool is not None and self._info is not None
        info = self._info
        out = AtomicFile(self.path, what="JUnit report")
        seconds = f"{summary.total_ms / 1000:.3f}"
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(
            f"<testsuites name={_attr(info.collection)} "
            f'tests="{self._tests}" failures="{self._failures}" '
            f'errors="{self._errors}" time="{seconds}">\n'
        )
        out.write(
            f"  <testsuite name={_attr(info.collection)} "
            f'tests="{self._tests}" failures="{self._failures}" '
            f'errors="{self._errors}" skipped="{self._skipped}" time="{seconds}" '
            f"timestamp={_attr(info.started_at)}>\n"
        )
        self._spool.copy_to(out)
        out.write("  </testsuite>\n</testsuites>\n")
        out.commit()
