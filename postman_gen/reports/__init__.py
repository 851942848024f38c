"""Reporters over one run-result type (``postman_gen.replay.outcome``): cli text, JSON, JUnit XML, HTML.

File reporters write atomically and stream: each gets ``start(info)``, ``add(execution)`` per request and
``finish(summary)``; none keeps the run's records in memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from postman_gen.errors import UsageError
from postman_gen.replay.outcome import Execution, Failure, FailureKind, RunInfo, RunSummary
from postman_gen.reports.html import HtmlReporter
from postman_gen.reports.json_report import JsonReporter
from postman_gen.reports.junit import JunitReporter

FILE_REPORTERS: dict[str, type[JsonReporter | JunitReporter | HtmlReporter]] = {
    "json": JsonReporter,
    "junit": JunitReporter,
    "html": HtmlReporter,
}
DEFAULT_PATHS = {
    "json": "postman-gen-report.json",
    "junit": "postman-gen-report.xml",
    "html": "postman-gen-report.html",
}
NAMES = ("cli", *FILE_REPORTERS)

__all__ = [
    "Execution",
    "Failure",
    "FailureKind",
    "HtmlReporter",
    "JsonReporter",
    "JunitReporter",
    "RunInfo",
    "RunSummary",
    "file_reporters",
    "parse_names",
]


def parse_names(text: Sequence[str]) -> list[str]:
    """``-r cli,json -r html`` as a list of known names, each once, in order."""
    names: list[str] = []
    for chunk in text:
        for name in chunk.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name not in NAMES:
                raise UsageError(f"unknown reporter {name!r} (known: {', '.join(NAMES)})")
            if name not in names:
                names.append(name)
    return names


def file_reporters(paths: Mapping[str, str | None]) -> list[JsonReporter | JunitReporter | HtmlReporter]:
    """A file reporter for each name of ``paths`` (``ReportConfig.paths()``), writing to its path or, for
    None, to its default path."""
    return [FILE_REPORTERS[n](path or DEFAULT_PATHS[n]) for n, path in paths.items()]
