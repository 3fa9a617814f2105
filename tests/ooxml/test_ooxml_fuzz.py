"""Property test (issue 17): mutated workbooks through check and score raise only xlperf errors.

Kept small enough for the suite (``COUNT`` mutants, a few seconds); ``benchmarks/bench_fuzz.py``
runs thousands.
"""

from __future__ import annotations

import os

import pytest
from ooxmlmutants import mutants, run_one

from xlperf.examples import example_workbook

COUNT = int(os.environ.get("XLPERF_FUZZ_COUNT", "40"))
SEED = 17


@pytest.fixture(scope="module")
def source() -> bytes:
    return example_workbook().read_bytes()


def test_mutated_workbooks_raise_only_xlperf_errors(tmp_path, source):
    outcomes = []
    for n, what, data in mutants(SEED, COUNT, source):
        path = tmp_path / f"mutant{n}.xlsx"
        path.write_bytes(data)
        try:
            outcomes.append(run_one(path, what))
        except Exception as exc:  # noqa: BLE001 - the property: nothing but XlperfError
            pytest.fail(f"mutant {n} ({what}, seed {SEED}): {type(exc).__name__}: {exc}")
    refused = sum(o.check != "ok" for o in outcomes)
    assert 0 < refused < len(outcomes)  # the mutants reach both outcomes: the test tests something
