"""Fixtures for the audit tests: consistent reports written by ``xlperf report`` for three evaluations."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import audithelpers  # noqa: E402

EXAMPLES = audithelpers.EXAMPLES


@pytest.fixture(scope="session")
def reports(tmp_path_factory):
    """{(example, fmt): path} for the consistent reports, plus the evaluation JSON beside each."""
    from xlperf import jsonio
    from xlperf.report import write_report

    folder = tmp_path_factory.mktemp("audit-reports")
    out = {}
    for name, make in EXAMPLES.items():
        evaluation, results = audithelpers.scored(make())
        jsonio.dump(evaluation, folder / f"{name}.json")
        for fmt in ("md", "docx"):
            out[(name, fmt)] = write_report(evaluation, results, folder / f"{name}.{fmt}", fmt=fmt, charts=False)
        out[(name, "json")] = folder / f"{name}.json"
    return out


@pytest.fixture(scope="session")
def shipped_reports(tmp_path_factory):
    """{profile: (workbook, md report, docx report)} for every shipped profile's made-up example."""
    from xlperf.examples import made_up_ids, made_up_workbook
    from xlperf.report import write_report
    from xlperf.sources import evaluate_file

    folder = tmp_path_factory.mktemp("shipped-reports")
    out = {}
    for pid in made_up_ids():
        workbook = made_up_workbook(pid)
        evaluation, results = evaluate_file(workbook)
        md = write_report(evaluation, results, folder / f"{pid}.md", fmt="md", charts=False)
        docx = write_report(evaluation, results, folder / f"{pid}.docx", fmt="docx", charts=False)
        out[pid] = (workbook, md, docx)
    return out
