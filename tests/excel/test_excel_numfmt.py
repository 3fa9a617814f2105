"""The Excel button reads a cell's number format as the file reader does: 0.9 shown as 90% is 90%."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
import xlhelpers as h

from xlperf import jsonio
from xlperf.workbook.reader import evaluation_of, load_workbook


def file_formats(path) -> dict[str, dict[tuple[int, int], str]]:
    """Each cell's number format code as Excel holds it (openpyxl: a second, independent reading of styles.xml)."""
    book = openpyxl.load_workbook(path)
    try:
        return {sheet.title: {(c.row, c.column): c.number_format for row in sheet.iter_rows() for c in row} for sheet in book.worksheets}
    finally:
        book.close()


@pytest.fixture
def excel_formats(monkeypatch):
    """Let the remote engine answer ``Range.NumberFormat`` as Excel does over COM: the code, or None when the cells differ.

    The Office Scripts client sends no formats and the engine's synchronous
    number_format raises NotImplementedError.
    """
    from xlwings.pro import _xlremote

    formats: dict[str, dict[tuple[int, int], str]] = {}
    asked: list[tuple] = []

    def number_format(self):
        (r1, c1), (r2, c2) = (self.arg1, self.arg2 or self.arg1)
        asked.append((self.sheet.name, r1, c1, r2, c2))
        codes = {formats.get(self.sheet.name, {}).get((r, c), "General") for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        return codes.pop() if len(codes) == 1 else None

    monkeypatch.setattr(_xlremote.Range, "number_format", property(number_format, _xlremote.Range.number_format.fset))
    return formats, asked


def pasted(cz10, tmp_path):
    """The cz2020 workbook with numbers pasted from a system export under percent formats."""
    path = tmp_path / "粘贴.xlsm"
    shutil.copyfile(cz10, path)
    first = load_workbook(path).placement.spans["xlperf_indicators"].first + 2  # first indicator row, 1-based
    book = openpyxl.load_workbook(path, keep_vba=True)
    sheet = book["自评表"]
    target, actual = sheet.cell(first, 5), sheet.cell(first, 7)
    target.value, target.number_format = 0.9, "0%"
    actual.value, actual.number_format = 0.88, "0.00%"
    other = sheet.cell(first + 1, 7)
    other.value, other.number_format = 0.95, '0.00"%"'  # a literal % sign: not a percent format
    book.save(path)
    return path, first


def test_percent_formatted_numbers_read_as_the_file_reader_reads_them(remote, cz10, tmp_path, excel_formats):
    from xlperf.excel.book import evaluate, load

    path, _first = pasted(cz10, tmp_path)
    formats, asked = excel_formats
    formats.update(file_formats(path))
    live = load(h.open_book(path))  # the client sends 0.9 and 0.88, as Excel's Value does
    evaluation, results = evaluate(live)
    file_evaluation, _ = evaluation_of(load_workbook(path, with_findings_sheet=True))
    assert (evaluation.indicators[0].target, evaluation.indicators[0].actual) == ("90%", "88%")
    assert evaluation.indicators[1].actual == 0.95
    assert jsonio.dumps(evaluation) == jsonio.dumps(file_evaluation)
    assert results.indicators[0].ratio is not None and results.indicators[0].ratio < 100  # 88% of 90%, not 9777.78%
    assert len(asked) < 40


def test_without_formats_the_button_would_misread(remote, cz10, tmp_path):
    """The case above is a real difference: an engine that says nothing about formats reads the bare numbers."""
    from xlperf.excel.book import evaluate, load

    path, _first = pasted(cz10, tmp_path)
    evaluation, _results = evaluate(load(h.open_book(path)))
    assert evaluation.indicators[0].target != "90%"


def test_a_date_serial_under_a_date_format_is_a_date(remote, cz10, tmp_path, excel_formats):
    from xlperf.excel.book import evaluate, load

    path, first = pasted(cz10, tmp_path)
    book = openpyxl.load_workbook(path, keep_vba=True)
    cell = book["自评表"].cell(first + 2, 7)
    cell.value, cell.number_format = dt.datetime(2020, 11, 30), 'yyyy"年"m"月"d"日"'
    book.save(path)
    formats, _asked = excel_formats
    formats.update(file_formats(path))
    grids = h.calamine_grids(path)
    grids["自评表"][first + 1][6] = 44165.0  # an engine that sends the serial (Value2), not a date
    evaluation, _ = evaluate(load(h.open_book(path, grids=grids)))
    assert evaluation.indicators[2].actual == dt.date(2020, 11, 30)


def test_format_reads_do_not_grow_with_the_indicators(remote, monkeypatch, cz10, cz200, excel_formats):
    formats, asked = excel_formats
    counts = []
    for path in (cz10, cz200):
        formats.clear()
        formats.update(file_formats(path))
        asked.clear()
        from xlperf.excel.book import load

        load(h.open_book(path))
        counts.append(len(asked))
    assert counts[0] == counts[1] > 0
