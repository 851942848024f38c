"""A small sample of ``bench/fuzz_corpus.py``: mutated corpus collections through every command."""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS


@pytest.mark.slow
def test_mutated_corpus_collections_cause_no_internal_error_and_no_hang() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not present at {CORPUS}")
    from bench.fuzz_corpus import fuzz

    report = fuzz(cases=40, seed=20261207, limit=60.0, real_run_every=8)
    assert report.cases == 40 and report.commands >= 320
    assert report.internal_errors == [] and report.hangs == []
