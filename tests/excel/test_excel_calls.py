"""Calls into Excel do not grow with the number of indicators: one read per sheet, one write per block."""

from __future__ import annotations

import xlhelpers as h

from xlperf.layout import layout_for
from xlperf.workbook.reader import load_workbook


def run_counted(monkeypatch, path, entry):
    import xlperf.excel

    book = h.open_book(path)  # opened outside the count: the client sent it
    with h.engine_calls(monkeypatch) as counts:
        assert getattr(xlperf.excel, entry)(book) is not None
    return dict(counts), book


def test_score_makes_the_same_calls_for_10_and_200_indicators(remote, monkeypatch, cz10, cz200):
    small, small_book = run_counted(monkeypatch, cz10, "score")
    large, large_book = run_counted(monkeypatch, cz200, "score")
    assert small == large
    # reads: one bulk value read per sheet the layout needs (not the help sheet, not xlwings.conf)
    read = [s.name for s in layout_for("cz2020").sheets if s.role != "help"]
    assert small["Range.raw_value"] == len(read) + 1  # and the hidden sheet holding the embedded profile
    # writes: one per output block, each one setValues action
    writes = h.actions(large_book, "setValues")
    assert small["Range.raw_value="] == len(writes) == len(h.actions(small_book, "setValues"))
    # the 200 indicators went out in the same single write as the 10
    first_data_row = load_workbook(cz200).placement.spans["xlperf_indicators"].first + 1
    points = [a for a in writes if a["start_row"] == first_data_row and a["start_column"] == 8]
    assert len(points) == 1 and points[0]["row_count"] >= 200


def test_check_makes_the_same_calls_for_10_and_200_indicators(remote, monkeypatch, cz10, cz200):
    small, _ = run_counted(monkeypatch, cz10, "check")
    large, _ = run_counted(monkeypatch, cz200, "check")
    assert small == large
    assert small["Range.raw_value="] == 2  # the 校验结果 summary and its table
