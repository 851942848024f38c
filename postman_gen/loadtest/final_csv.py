"""Locust's CSV statistics as they stand when the test ends.

Locust rewrites ``PREFIX_stats.csv``, ``PREFIX_failures.csv`` and ``PREFIX_exceptions.csv`` once a second
while the test runs and only closes them at the end, so they may miss the last second. Written again here
when Locust quits (each file atomically, in Locust's own columns), they hold the final figures.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from locust.env import Environment
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

from postman_gen.atomic import write_atomic


class FinalCsv:
    """Listeners for Locust's ``init`` (to learn the environment) and ``quit`` (to write the files)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.environment: Environment | None = None

    def on_init(self, environment: Environment, **_: Any) -> None:
        self.environment = environment

    def on_quit(self, **_: Any) -> None:
        if self.environment is None:
            return
        stats = StatsCSV(self.environment, PERCENTILES_TO_REPORT)
        self._write("stats", stats.requests_csv)
        self._write("failures", stats.failures_csv)
        self._write("exceptions", stats.exceptions_csv)

    def _write(self, name: str, rows: Callable[[Any], None]) -> None:
        text = io.StringIO()
        rows(csv.writer(text))
        write_atomic(f"{self.prefix}_{name}.csv", text.getvalue(), what=f"Locust {name} CSV")
