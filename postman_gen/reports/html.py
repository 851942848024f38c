"""The HTML report: one self-contained file (inline CSS and SVG, no scripts, no external assets).

Top to bottom: the totals, a chart of response times, the failures (first, because that is what a person
opens the report for), then every request with its status and time, request and response details folded
in ``<details>``. Rows are spooled to a temporary file as the run goes; the chart keeps at most
``CHART_POINTS`` bars (neighbouring requests merged, keeping the slowest) so memory stays flat.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from html import escape

from postman_gen.atomic import AtomicFile
from postman_gen.replay.outcome import Execution, RunInfo, RunSummary
from postman_gen.reports.cli import timing_text
from postman_gen.reports.files import Spool

CHART_POINTS = 600
MAX_FAILURE_DETAILS = 200  # failed executions shown in full at the top; the rest are listed by line

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;
padding:0 1em;color:#1d2330;background:#fafbfc}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .5em}
.muted{color:#5f6b7a}.totals{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0}
.totals div{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:.5em .9em}
.totals b{display:block;font-size:1.25em}
.bad{color:#b42318}.good{color:#067647}
details{background:#fff;border:1px solid #dde2e8;border-radius:6px;margin:.35em 0;padding:.35em .7em}
details.failed{border-left:4px solid #d92d20}details.ok{border-left:4px solid #17b26a}
summary{cursor:pointer}summary .st{display:inline-block;min-width:3.2em;font-weight:600}
summary .t{float:right;color:#5f6b7a}
ul.tests{list-style:none;padding-left:.4em;margin:.4em 0}ul.tests li{margin:.1em 0}
details.skipped{border-left:4px solid #98a2b3}
pre{background:#f2f4f7;padding:.6em;border-radius:4px;overflow:auto;white-space:pre-wrap;word-break:break-all;
max-height:28em}
table{border-collapse:collapse}td,th{text-align:left;padding:.15em .8em .15em 0;vertical-align:top}
svg{background:#fff;border:1px solid #dde2e8;border-radius:6px;width:100%;height:auto}
"""


class _Chart:
    """At most ``CHART_POINTS`` bars: when full, neighbours merge pairwise (slower wins, failed if either)."""

    def __init__(self) -> None:
        self.points: list[tuple[float, bool]] = []
        self.bucket = 1
        self._pending: list[tuple[float, bool]] = []

    @staticmethod
    def _merge(group: list[tuple[float, bool]]) -> tuple[float, bool]:
        return max(v for v, _ in group), any(f for _, f in group)

    def add(self, value: float, failed: bool) -> None:
        self._pending.append((value, failed))
        if len(self._pending) < self.bucket:
            return
        self.points.append(self._merge(self._pending))
        self._pending = []
        if len(self.points) >= CHART_POINTS:
            self.points = [self._merge(self.points[i : i + 2]) for i in range(0, len(self.points), 2)]
            self.bucket *= 2

    def svg(self) -> str:
        points = self.points + ([self._merge(self._pending)] if self._pending else [])
        if not points:
            return ""
        width, height, pad = 1000, 220, 30
        top = max(v for v, _ in points) or 1.0
        bar = (width - pad) / len(points)
        bars = []
        for i, (value, failed) in enumerate(points):
            h = max(value / top * (height - pad - 10), 1)
            x = pad + i * bar
            colour = "#d92d20" if failed else "#2e90fa"
            bars.append(
                f'<rect x="{x:.2f}" y="{height - pad - h:.2f}" '
                f'width="{max(bar - 0.5, 0.5):.2f}" height="{h:.2f}" '
                f'fill="{colour}"><title>{value:.1f} ms</title></rect>'
            )
        per = f"{self.bucket} requests per bar (slowest shown)" if self.bucket > 1 else "one bar per request"
        return (
            f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="response times">'
            f'<text x="{pad}" y="14" font-size="12" fill="#5f6b7a">{top:.1f} ms</text>'
            f'<line x1="{pad}" y1="{height - pad}" x2="{width}" y2="{height - pad}" stroke="#98a2b3"/>'
            + "".join(bars)
            + f'<text x="{pad}" y="{height - 10}" font-size="12" fill="#5f6b7a">'
            + f"requests in order; {per}</text></svg>"
        )


def _headers_table(headers: tuple[tuple[str, str], ...]) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in headers)
    return f"<table>{rows}</table>" if rows else '<p class="muted">no headers</p>'


def _scripts_html(e: Execution) -> str:
    """The request's tests (✓/✗/-), script errors and console output."""
    parts = []
    if e.tests or e.script_errors:
        items = []
        for t in e.tests:
            if t.skipped:
                items.append(f'<li class="muted">- {escape(t.name)} (skipped)</li>')
            elif t.passed:
                items.append(f'<li class="good">✓ {escape(t.name)}</li>')
            else:
                items.append(f'<li class="bad">✗ {escape(t.name)}: {escape(t.error or "failed")}</li>')
        items += [f'<li class="bad">✗ {escape(x.text())}</li>' for x in e.script_errors]
        parts.append('<h3>Tests</h3><ul class="tests">' + "".join(items) + "</ul>")
    if e.console:
        text = "\n".join(f"{c.level}: {c.text}" for c in e.console)
        parts.append(f"<h3>Console</h3><pre>{escape(text)}</pre>")
    return "".join(parts)


def _timings_html(timings: Mapping[str, float] | None) -> str:
    text = timing_text(timings)
    return f'<p class="muted">{escape(text)}</p>' if text else ""


def _tests_badge(e: Execution) -> str:
    if not e.tests:
        return ""
    failed = sum(1 for t in e.tests if not (t.passed or t.skipped))
    cls = "bad" if failed else "good"
    return f' <span class="{cls}">{len(e.tests) - failed}/{len(e.tests)} tests</span>'


def execution_html(e: Execution, iterations: int) -> str:
    status = str(e.response.status) if e.response else ("skipped" if e.skipped else "—")
    cls = "skipped" if e.skipped and e.ok else ("ok" if e.ok else "failed")
    name = escape(" / ".join(e.path)) + (
        f' <span class="muted">#{e.iteration + 1}</span>' if iterations > 1 else ""
    )
    method = escape(e.request.method) if e.request else ""
    parts = [
        f'<details class="{cls}" id="r{e.index}"><summary><span class="st">{status}</span> {method} {name}'
        f'{_tests_badge(e)}<span class="t">{e.duration_ms:.1f} ms</span></summary>'
    ]
    if e.failure:
        parts.append(f'<p class="bad">{escape(e.failure.kind.value)}: {escape(e.failure.message)}</p>')
    parts.append(_scripts_html(e))
    if e.request:
        r = e.request
        parts.append(
            f"<h3>Request</h3><pre>{escape(r.method)} {escape(r.url)}</pre>{_headers_table(r.headers)}"
        )
        if r.body is not None:
            parts.append(f"<pre>{escape(r.body)}</pre>")
    if e.response:
        r2 = e.response
        parts.append(
            f"<h3>Response</h3><p>{escape(r2.http_version)} {r2.status} {escape(r2.reason)} · {r2.size} bytes"
            f"{' · redirected ' + str(e.redirects) + '×' if e.redirects else ''}</p>"
            f"{_timings_html(r2.timings)}{_headers_table(r2.headers)}"
        )
        if r2.body:
            note = " (base64)" if r2.body_encoding == "base64" else ""
            cut = '<p class="muted">body cut at the report limit</p>' if r2.body_truncated else ""
            parts.append(f"<pre>{escape(r2.body)}{note}</pre>{cut}")
    parts.append("</details>\n")
    return "".join(parts)


class HtmlReporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self._info: RunInfo | None = None
        self._spool: Spool | None = None
        self._chart = _Chart()
        self._failed: list[Execution] = []

    def start(self, info: RunInfo) -> None:
        self._info = info
        self._spool = Spool(os.path.dirname(os.path.abspath(self.path)) or ".")

    def add(self, e: Execution) -> None:
        assert self._spool is not None and self._info is not None
        if e.response is not None:
            self._chart.add(e.duration_ms, not e.ok)
        if not e.ok and len(self._failed) < MAX_FAILURE_DETAILS:
            self._failed.append(e)
        self._spool.write(execution_html(e, self._info.iterations))

    def _totals(self, s: RunSummary) -> str:
        cells = [
            ("requests", str(s.requests)),
            ("failed", f'<span class="{"bad" if s.failed else "good"}">{s.failed}</span>'),
            ("total", f"{s.total_ms / 1000:.2f} s"),
            ("min / avg / max", f"{s.min_ms:.1f} / {s.avg_ms:.1f} / {s.max_ms:.1f} ms"),
            ("received", f"{s.bytes_received:,} B"),
        ]
        if s.status_counts:
            cells.append(("statuses", ", ".join(f"{code}×{n}" for code, n in s.status_counts)))
        if s.skipped:
            cells.append(("skipped", str(s.skipped)))
        if s.tests or s.scripts_run:
            passed = s.tests - s.tests_failed - s.tests_skipped
            cls = "bad" if s.tests_failed or s.script_errors else "good"
            cells.append(("tests passed / failed", f'<span class="{cls}">{passed} / {s.tests_failed}</span>'))
            cells.append(("script errors", f'<span class="{cls}">{s.script_errors}</span>'))
        return '<div class="totals">' + "".join(f"<div>{k}<b>{v}</b></div>" for k, v in cells) + "</div>"

    def finish(self, summary: RunSummary) -> None:
        assert self._spool is not None and self._info is not None
        info = self._info
        out = AtomicFile(self.path, what="HTML report")
        title = escape(info.collection)
        notes = [
            n
            for n, on in (
                ("interrupted", summary.interrupted),
                ("stopped at the first failure (--bail)", summary.bailed),
                ("--timeout ran out", summary.timed_out),
            )
            if on
        ]
        out.write(
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{title} · postman-gen run</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{CSS}</style></head><body>\n"
            f'<h1>{title}</h1><p class="muted">{escape(info.file)} · started {escape(info.started_at)} · '
            f"{info.items} item(s) × {info.iterations} iteration(s)"
            + (f' · <span class="bad">{escape(", ".join(notes))}</span>' if notes else "")
            + "</p>\n"
            + self._totals(summary)
            + "<h2>Response times</h2>"
            + self._chart.svg()
            + "\n"
        )
        if summary.notes:
            out.write("".join(f'<p class="muted">note: {escape(n)}</p>' for n in summary.notes) + "\n")
        out.write(f"<h2>Failures ({len(summary.failures)})</h2>\n")
        if summary.failures:
            out.write(
                "<ul>"
                + "".join(f'<li class="bad">{escape(f.line())}</li>' for f in summary.failures)
                + "</ul>\n"
            )
            for e in self._failed:
                out.write(execution_html(e, info.iterations))
        else:
            out.write('<p class="good">none</p>\n')
        out.write(f"<h2>Requests ({summary.requests})</h2>\n")
        self._spool.copy_to(out)
        out.write("</body></html>\n")
        out.commit()
