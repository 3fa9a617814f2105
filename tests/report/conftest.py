"""Fixtures for the report tests; the evaluations and readers live in ``reporthelpers``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# --import-mode=importlib puts no test folder on sys.path: make ``import reporthelpers`` work.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import reporthelpers


@pytest.fixture(scope="session")
def example():
    """The bundled 2018 宁德 evaluation and its Results."""
    return reporthelpers.ningde()


@pytest.fixture(scope="session")
def example_docx(example, tmp_path_factory) -> Path:
    """The example's Word report with charts, written once per session."""
    from xlperf.report import write_report

    evaluation, results = example
    return write_report(evaluation, results, tmp_path_factory.mktemp("report") / "报告.docx")


@pytest.fixture(scope="session")
def example_md(example) -> str:
    from xlperf.report import render

    evaluation, results = example
    return render(evaluation, results, fmt="md").decode("utf-8")


@pytest.fixture(scope="session")
def cz2020():
    from xlperf.scoring import score

    evaluation = reporthelpers.cz2020_evaluation()
    return evaluation, score(evaluation)
