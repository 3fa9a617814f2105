"""The buttons on a workbook built from a profile file written here: the profile travels in the workbook.

The profile (declared 二级 weights, no 分值 column) is written by the test, the macro workbook made
with ``xlperf new --xlsm --profile``, the file deleted; the buttons then score, check and report with
the embedded profile, write the same cells as ``xlperf score``, and never show a traceback.
"""

from __future__ import annotations

import json
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlhelpers as h

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layout"))

from test_declared_columns import EXPECTED, SUBWEIGHTS  # noqa: E402

from xlperf.examples.made_up import example_data  # noqa: E402
from xlperf.profile import load_profile  # noqa: E402


@pytest.fixture(scope="module")
def custom(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("custom")
    profile_path = folder / "二级定分.toml"
    profile_path.write_text(SUBWEIGHTS.replace("erji_test", "erji_excel"), encoding="utf-8")
    data = folder / "数据.json"
    data.write_text(json.dumps(example_data(load_profile(profile_path)), ensure_ascii=False), encoding="utf-8")
    book = folder / "自评表.xlsm"
    h.run_cli("new", "--xlsm", "--profile", profile_path, "--data", data, "-o", book)
    profile_path.unlink()  # from here on only the workbook knows the profile
    return book


def test_the_button_scores_a_custom_profile_workbook_as_the_cli_does(remote, custom):
    import xlperf.excel

    book = h.open_book(custom)
    results = xlperf.excel.score(book)
    assert results is not None, h.actions(book, "alert")
    assert results.profile == "erji_excel" and results.total == EXPECTED == Decimal("97.37")
    assert not [f for f in results.findings if f.severity == "error"], results.findings
    ours = h.apply_actions(custom, book)
    theirs = h.cli_view(h.cli_scored(custom))
    assert h.differences(ours, theirs) == []
    (alert,) = h.actions(book, "alert")
    assert "Traceback" not in alert["args"][0] and "97.37" in alert["args"][0]


def test_check_and_report_buttons_on_a_custom_profile(remote, custom):
    import xlperf.excel

    book = h.open_book(custom)
    results = xlperf.excel.check(book)
    assert results is not None and results.total == EXPECTED
    book = h.open_book(custom, name=str(custom))
    path = xlperf.excel.export_report(book)
    assert path is not None and "word/document.xml" in zipfile.ZipFile(path).namelist()
    for action in h.actions(book, "alert"):
        assert "Traceback" not in json.dumps(action, ensure_ascii=False)
