"""Fixtures for the Excel-button tests: xlwings' remote-interpreter engine, workbooks made by the CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# --import-mode=importlib puts no test folder on sys.path: make ``import xlhelpers`` work.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import xlhelpers


@pytest.fixture
def remote(monkeypatch):
    """xlwings with its remote-interpreter engine, which builds Books from JSON: no Excel needed.

    That engine is xlwings PRO code (``xlwings/pro``), dual-licensed; its PolyForm
    Noncommercial 1.0.0 license permits noncommercial use, which testing this
    open-source project is. The key is set here, for the tests only, never in the
    xlperf package: xlperf uses only the open-source part of xlwings with Excel.
    """
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw

    if "remote" not in [engine.name for engine in xw.engines]:
        # xlwings was imported earlier in this session without the key: register the engine now.
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    yield xw
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller


@pytest.fixture
def logdir(tmp_path, monkeypatch) -> Path:
    """Failures are logged under %LOCALAPPDATA%\\xlperf: point it at a temporary folder."""
    folder = tmp_path / "appdata"
    monkeypatch.setenv("LOCALAPPDATA", str(folder))
    return folder / "xlperf"


@pytest.fixture(scope="module")
def ningde(tmp_path_factory) -> Path:
    """The 2018 宁德 example (fj2018), as ``xlperf new --xlsm --data`` writes it."""
    return xlhelpers.new_workbook(tmp_path_factory.mktemp("ningde"), xlhelpers.EXAMPLE, "宁德2018.xlsm")


@pytest.fixture(scope="module")
def cz10(tmp_path_factory) -> Path:
    return xlhelpers.cz_workbook(tmp_path_factory.mktemp("cz10"), 10)


@pytest.fixture(scope="module")
def cz200(tmp_path_factory) -> Path:
    return xlhelpers.cz_workbook(tmp_path_factory.mktemp("cz200"), 200)
