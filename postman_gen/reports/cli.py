"""Text for the terminal: one line per request, the summary table, the failure list.

Only formats; the command line prints (and draws the live progress bar on a terminal).
"""

from __future__ import annotations

from collections.abc import Mapping

from postman_gen.replay.outcome import Execution, RunSummary


def size_text(n: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def ms_text(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"


def execution_line(e: Execution, total: int) -> str:
    """``[3/29] 200 POST Bodies / Raw JSON (3.2 ms, 512 B)`` or the failure reason."""
    width = len(str(total))
    # setNextRequest may run more requests than planned: past the plan, the counter stands alone
    head = f"[{e.index + 1:>{width}}/{total}]" if e.index < total else f"[{e.index + 1}]"
    method = e.request.method if e.request else "-"
    if e.skipped:
        return f"{head} SKIPPED {e.name} (a pre-request script skipped it)"
    if e.failure is not None and e.response is None:
        return f"{head} FAILED {method} {e.failure.line()}"
    assert e.response is not None
    r = e.response
    line = f"{head} {r.status} {method} {e.name} ({ms_text(e.duration_ms)}, {size_text(r.size)})"
    if e.failure is not None:
        line += f" FAILED: {e.failure.kind.value}: {e.failure.message}"
    return line


def timing_text(timings: Mapping[str, float] | None) -> str:
    """``dns 0.1 ms · connect 0.2 ms · tls 3.0 ms · first byte 5.2 ms · download 0.4 ms`` (empty without)."""
    if not timings:
        return ""
    names: tuple[tuple[str, str], ...] = (("dns", "dns_ms"), ("connect", "connect_ms"), ("tls", "tls_ms"))
    names += (("first byte", "first_byte_ms"), ("download", "download_ms"))
    return " · ".join(f"{label} {timings.get(key, 0.0):.1f} ms" for label, key in names)


def verbose_lines(e: Execution) -> list[str]:
    """``-v`` under a request's line: the request as sent (client-added headers included), the response
    headers and where the time went, indented, secrets masked as in the reports."""
    lines = []
    if e.request is not None:
        lines.append(f"    > {e.request.method} {e.request.url}")
        lines += [f"    > {name}: {value}" for name, value in e.request.headers]
    if e.response is not None:
        r = e.response
        lines.append(f"    < {r.http_version} {r.status} {r.reason}".rstrip())
        lines += [f"    < {name}: {value}" for name, value in r.headers]
        if r.timings:
            lines.append(f"    timing: {timing_text(r.timings)}")
    return lines


def script_lines(e: Execution, *, verbose: bool = False) -> list[str]:
    """What the scripts of one request said, indented under its line, as Newman lists them: console
    output (with ``verbose``), then each ``pm.test`` (✓ passed, ✗ failed, - skipped), then script errors."""
    lines = []
    if verbose:
        for c in e.console:
            for i, text in enumerate(c.text.split("\n") or [""]):
                lines.append(f"    {'│' if i else c.level + ':'} {text}")
    for t in e.tests:
        if t.skipped:
            lines.append(f"    - {t.name} (skipped)")
        elif t.passed:
            lines.append(f"    ✓ {t.name}")
        else:
            lines.append(f"    ✗ {t.name}: {t.error or 'failed'}")
    for error in e.script_errors:
        lines.append(f"    ✗ {error.text()}")
    return lines


def summary_table(s: RunSummary) -> str:
    rows = [
        ("requests", str(s.requests)),
        ("failed", str(s.failed)),
        ("total time", ms_text(s.total_ms)),
        ("min / avg / max", f"{ms_text(s.min_ms)} / {ms_text(s.avg_ms)} / {ms_text(s.max_ms)}"),
        ("received", size_text(s.bytes_received)),
    ]
    if s.status_counts:
        rows.append(("statuses", ", ".join(f"{code}×{n}" for code, n in s.status_counts)))
    if s.skipped:
        rows.append(("skipped requests", str(s.skipped)))
    if s.scripts_run or s.tests:
        passed = s.tests - s.tests_failed - s.tests_skipped
        text = f"{passed} passed, {s.tests_failed} failed" + (
            f", {s.tests_skipped} skipped" if s.tests_skipped else ""
        )
        rows.append(("tests", text))
        rows.append(("scripts run / errors", f"{s.scripts_run} / {s.script_errors}"))
    left = max(len(k) for k, _ in rows)
    right = max(len(v) for _, v in rows)
    rule = "─" * (left + right + 5)
    body = [f"│ {k:<{left}} │ {v:>{right}} │" for k, v in rows]
    lines = [
        "┌" + rule[: left + 2] + "┬" + rule[: right + 2] + "┐",
        *body,
        "└" + rule[: left + 2] + "┴" + rule[: right + 2] + "┘",
    ]
    notes = []
    if s.interrupted:
        notes.append("interrupted (Ctrl-C): later requests were not sent")
    if s.bailed:
        notes.append("stopped at the first failure (--bail)")
    if s.timed_out:
        notes.append("stopped: --timeout ran out")
    return "\n".join(lines + notes)


def failure_lines(s: RunSummary, limit: int = 50) -> list[str]:
    lines = [
        f"  {i}. {f.line()}" + (f" (iteration {f.iteration + 1})" if s.info.iterations > 1 else "")
        for i, f in enumerate(s.failures[:limit], 1)
    ]
    if len(s.failures) > limit:
        lines.append(f"  ... and {len(s.failures) - limit} more (see the json or html report)")
    return lines
