"""The JUnit XML report: one ``testcase`` per request, for CI systems that show test results.

A request that failed (or got a 4xx/5xx under --fail-on-status) is a ``failure`` with the reason; the
suite's counts are only known at the end, so the test cases are spooled to a temporary file meanwhile.
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape, quoteattr

from postman_gen.reports.files import AtomicFile, Spool
from postman_gen.reports.model import Execution, RunInfo, RunSummary

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

    def start(self, info: RunInfo) -> None:
        self._info = info
        self._spool = Spool(os.path.dirname(os.path.abspath(self.path)) or ".")

    def add(self, e: Execution) -> None:
        assert self._spool is not None and self._info is not None
        name = e.path[-1] if e.path else ""
        if self._info.iterations > 1:
            name += f" [iteration {e.iteration + 1}]"
        classname = ".".join([self._info.collection, *e.path[:-1]])
        seconds = f"{e.duration_ms / 1000:.3f}"
        out = f'    <testcase name={_attr(name)} classname={_attr(classname)} time="{seconds}">\n'
        if e.failure is not None:
            f = e.failure
            text = escape(_clean(f.line()))
            out += f"      <failure type={_attr(f.kind.value)} message={_attr(f.message)}>{text}</failure>\n"
        if e.request is not None:
            line = f"{e.request.method} {e.request.url}"
            if e.response is not None:
                r = e.response
                line += f" -> {r.status} {r.reason} ({e.duration_ms:.0f} ms, {r.size} B)"
            out += f"      <system-out>{escape(_clean(line))}</system-out>\n"
        self._spool.write(out + "    </testcase>\n")

    def finish(self, summary: RunSummary) -> None:
        assert self._spool is not None and self._info is not None
        info = self._info
        out = AtomicFile(self.path)
        seconds = f"{summary.total_ms / 1000:.3f}"
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(
            f"<testsuites name={_attr(info.collection)} "
            f'tests="{summary.requests}" failures="{summary.failed}" '
            f'errors="0" time="{seconds}">\n'
        )
        out.write(
            f"  <testsuite name={_attr(info.collection)} "
            f'tests="{summary.requests}" failures="{summary.failed}" '
            f'errors="0" skipped="0" time="{seconds}" timestamp={_attr(info.started_at)}>\n'
        )
        self._spool.copy_to(out)
        out.write("  </testsuite>\n</testsuites>\n")
        out.commit()
