"""The adapter's pieces: value forms both ways, sheet protection, Excel's settings around the writes.

Protection and the desktop ``quiet`` path exist only with COM: there is no Excel
here, so they run against small stand-ins for the COM worksheet and the App.
Everything that reads and writes cells runs through a real xlwings Book.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import xlhelpers as h

from xlperf.errors import WorkbookError
from xlperf.excel.book import (
    grid_value,
    quiet,
    read_grid,
    unprotected,
    write_blocks,
    xl_value,
)
from xlperf.ooxml.cellvalue import Formula
from xlperf.workbook.writer import CellBlock


@pytest.mark.parametrize(
    ("xlwings", "calamine"),
    [
        (None, ""),
        (2018, 2018.0),
        (318.91, 318.91),
        (True, True),
        ("52万份", "52万份"),
        (dt.datetime(2021, 1, 15), dt.date(2021, 1, 15)),
        (dt.datetime(2021, 1, 15, 10, 30), dt.datetime(2021, 1, 15, 10, 30)),
        (dt.datetime(1899, 12, 30, 10, 30), dt.time(10, 30)),
    ],
)
def test_grid_value_gives_what_calamine_gives(xlwings, calamine):
    value = grid_value(xlwings)
    assert value == calamine and type(value) is type(calamine)


@pytest.mark.parametrize("workbook", ["ningde", "cz10"])
def test_each_sheet_reads_as_calamine_reads_it(remote, workbook, request):
    path = request.getfixturevalue(workbook)
    book = h.open_book(path)

    def trimmed(grid):
        grid = [list(r) for r in grid]
        while grid and all(v == "" for v in grid[-1]):
            grid.pop()
        return grid

    for name, grid in h.calamine_grids(path).items():
        ours, cut = read_grid(book.sheets[name])
        assert cut is None
        assert ours == trimmed(grid), name
        assert [[type(v) for v in r] for r in ours] == [[type(v) for v in r] for r in trimmed(grid)], name


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (None, None),
        (True, True),
        (3, 3),
        (1.0351, 1.0351),
        (Decimal("2.50"), 2.5),
        (Decimal(3), 3),
        ("", None),
        ("优秀", "优秀"),
        ("共 24 条：错误 6 条", "共 24 条：错误 6 条"),
        ("≥95%，得满分", "≥95%，得满分"),
        ("=1+1", "'=1+1"),  # text, not a formula
        ("1/2", "'1/2"),  # not a date
        ("(1)", "'(1)"),  # not -1
        ("TRUE", "'TRUE"),
        ("１２", "'１２"),  # full-width digits become a number when typed
        ("'引号", "''引号"),
        ("value.unit_mismatch", "'value.unit_mismatch"),
        ("第一行\r\n第二\x07行", "第一行\n第二行"),
        (Formula('HYPERLINK("#\'评分表\'!L5","评分表!L5")', cached="评分表!L5"), '=HYPERLINK("#\'评分表\'!L5","评分表!L5")'),
        (Formula("=SUM(A1:A3)"), "=SUM(A1:A3)"),
    ],
)
def test_xl_value_keeps_text_text(value, written):
    assert xl_value(value) == written


# ---------------------------------------------------------------------------
# COM stand-ins
# ---------------------------------------------------------------------------


class Protection:
    AllowFormattingCells = False
    AllowFormattingColumns = True
    AllowFormattingRows = True
    AllowInsertingColumns = False
    AllowInsertingRows = True
    AllowInsertingHyperlinks = False
    AllowDeletingColumns = False
    AllowDeletingRows = True
    AllowSorting = False
    AllowFiltering = False
    AllowUsingPivotTables = False


class ComWorksheet:
    """The few members of Excel's Worksheet object that ``unprotected`` uses."""

    def __init__(self, password=False):
        self.ProtectContents = True
        self.ProtectDrawingObjects = True
        self.ProtectScenarios = True
        self.Protection = Protection()
        self.password = password
        self.log = []

    def Unprotect(self):
        if self.password:
            raise OSError(-2146827284, "密码不正确")
        self.ProtectContents = False
        self.log.append("Unprotect")

    def Protect(self, **options):
        self.ProtectContents = True
        self.log.append(("Protect", options))


class ComRange:
    def __init__(self, sheet, cell):
        self.sheet, self.cell = sheet, cell

    @property
    def value(self):
        raise AssertionError("not read")

    @value.setter
    def value(self, rows):
        if self.sheet.api.ProtectContents:
            raise OSError("locked cell of a protected sheet")
        self.sheet.api.log.append(("write", self.cell, rows))


class ComSheet:
    def __init__(self, name, api):
        self.name, self.api = name, api

    def range(self, cell):
        return ComRange(self, cell)


EXPECTED_OPTIONS = {
    "DrawingObjects": True, "Contents": True, "Scenarios": True,
    "AllowFormattingCells": False, "AllowFormattingColumns": True, "AllowFormattingRows": True,
    "AllowInsertingColumns": False, "AllowInsertingRows": True, "AllowInsertingHyperlinks": False,
    "AllowDeletingColumns": False, "AllowDeletingRows": True, "AllowSorting": False,
    "AllowFiltering": False, "AllowUsingPivotTables": False,
}


def test_a_protected_sheet_is_unprotected_once_and_protected_again_with_its_options():
    api = ComWorksheet()
    live = type("Live", (), {"sheets": {"评分表": ComSheet("评分表", api)}})()
    blocks = [CellBlock("评分表", 4, 11, ((3,), (5,))), CellBlock("评分表", 14, 11, ((29,),))]
    write_blocks(live, blocks)
    assert api.log == ["Unprotect", ("write", "L5", [[3], [5]]), ("write", "L15", [[29]]), ("Protect", EXPECTED_OPTIONS)]


def test_protection_comes_back_when_a_write_fails():
    api = ComWorksheet()
    with pytest.raises(RuntimeError), unprotected(ComSheet("评分表", api)):
        raise RuntimeError("boom")
    assert api.log == ["Unprotect", ("Protect", EXPECTED_OPTIONS)] and api.ProtectContents


def test_a_sheet_with_a_password_says_what_to_do():
    sheet = ComSheet("评分表", ComWorksheet(password=True))
    with pytest.raises(WorkbookError, match=r"工作表“评分表”设置了保护密码.*审阅 → 撤消工作表保护"), unprotected(sheet):
        pass


def test_engines_without_com_are_written_as_they_are(remote, ningde):
    book = h.open_book(ningde)
    sheet = book.sheets["评分表"]
    assert isinstance(sheet.api, dict)
    with unprotected(sheet):
        sheet.range("L5").value = [[3]]
    assert [a["func"] for a in h.actions(book)] == ["setValues"]


class DesktopApp:
    """What ``app.properties`` needs of a desktop App: readable and writable settings."""

    def __init__(self):
        self.screen_updating, self.enable_events, self.calculation = True, True, "semiautomatic"
        self.seen = []


def test_quiet_switches_off_and_restores_even_on_error():
    app = DesktopApp()
    with pytest.raises(RuntimeError), quiet(app) as restore:
        app.seen.append((app.screen_updating, app.enable_events, app.calculation))
        raise RuntimeError("boom")
    assert app.seen == [(False, False, "manual")]
    assert (app.screen_updating, app.enable_events, app.calculation) == (True, True, "semiautomatic")
    assert restore == [("screen_updating", True), ("enable_events", True), ("calculation", "semiautomatic")]


def test_quiet_on_the_remote_engine_does_what_that_engine_can(remote, ningde):
    """No screen_updating getter (restored to True), no enable_events, calculation only if the client sent it."""
    book = h.open_book(ningde)
    with quiet(book.app) as restore:
        pass
    assert restore == [("screen_updating", True)]
    assert [(a["func"], a["args"]) for a in h.actions(book)] == [("setScreenUpdating", [False]), ("setScreenUpdating", [True])]


# ---------------------------------------------------------------------------
# Merged 一级/二级 cells
# ---------------------------------------------------------------------------


def merge_cells_in_file(path, sheet_part, ref):
    """Merge ``ref`` (e.g. A4:A7) in the sheet part, as Excel writes it: <mergeCell> in <mergeCells>."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == sheet_part:
                xml = data.decode("utf-8")
                if "<mergeCells" in xml:
                    xml = re.sub(r'<mergeCells count="(\d+)">', lambda m: f'<mergeCells count="{int(m[1]) + 1}"><mergeCell ref="{ref}"/>', xml)
                else:
                    xml = xml.replace("</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>')
                data = xml.encode("utf-8")
            z.writestr(info, data)


@pytest.fixture
def excel_merges(monkeypatch):
    """Let the remote engine answer MergeCells / MergeArea as Excel would, from the file's merged ranges.

    The Office Scripts client sends no merges, and the engine's synchronous
    merge_cells/merge_area raise NotImplementedError; Excel answers these over COM.
    """
    from xlwings.pro import _xlremote

    areas: dict[str, list] = {}
    asked = []

    def covered(sheet, row, col):
        return next((a for a in areas.get(sheet, ()) if a[0][0] <= row <= a[1][0] and a[0][1] <= col <= a[1][1]), None)

    def merge_cells(self):
        asked.append("MergeCells")
        (r1, c1), (r2, c2) = (self.arg1, self.arg2 or self.arg1)
        flags = {covered(self.sheet.name, r - 1, c - 1) is not None for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        return True if flags == {True} else False if flags == {False} else None

    def merge_area(self):
        asked.append("MergeArea")
        area = covered(self.sheet.name, self.arg1[0] - 1, self.arg1[1] - 1)
        if area is None:
            return self
        (r1, c1), (r2, c2) = area
        return _xlremote.Range(sheet=self.sheet, arg1=(r1 + 1, c1 + 1), arg2=(r2 + 1, c2 + 1))

    monkeypatch.setattr(_xlremote.Range, "merge_cells", property(merge_cells))
    monkeypatch.setattr(_xlremote.Range, "merge_area", property(merge_area))
    return areas, asked


def test_merged_level1_cells_are_read_as_the_file_reader_reads_them(remote, cz10, tmp_path, excel_merges):
    import shutil

    from xlperf import jsonio
    from xlperf.excel.book import evaluate, load
    from xlperf.ooxml.package import open_package
    from xlperf.ooxml.patch import patch_workbook
    from xlperf.workbook.reader import evaluation_of, load_workbook

    path = tmp_path / "合并.xlsm"
    shutil.copyfile(cz10, path)
    first = load_workbook(path).placement.spans["xlperf_indicators"].first + 1  # first indicator row, 0-based
    patch_workbook(path, {"自评表": {f"A{first + 2}": None, f"A{first + 3}": None, f"A{first + 4}": None}})
    with open_package(str(path)) as package:
        part = package.sheet_part("自评表")
    merge_cells_in_file(path, part, f"A{first + 1}:A{first + 4}")  # 产出指标 merged over four rows

    loaded = load_workbook(path, with_findings_sheet=True)
    areas, asked = excel_merges
    areas.update({sheet: list(ranges) for sheet, ranges in loaded.merged.items()})
    live = load(h.open_book(path))
    assert ((first, 0), (first + 3, 0)) in live.loaded.merged["自评表"]
    evaluation, _results = evaluate(live)
    file_evaluation, _ = evaluation_of(loaded)
    assert [i.level1 for i in evaluation.indicators[:4]] == ["产出指标"] * 4
    assert jsonio.dumps(evaluation) == jsonio.dumps(file_evaluation)
    assert len(asked) < 40  # a few calls for the merge, not one per row


def test_merged_areas_costs_one_call_when_nothing_is_merged(remote, cz200, excel_merges):
    from xlperf.excel.book import load

    _areas, asked = excel_merges
    live = load(h.open_book(cz200))
    assert live.loaded.merged == {}
    from xlperf.layout import layout_for
    from xlperf.workbook.reader import FILL_DOWN

    tables = [t for _s, t in layout_for("cz2020").blocks() if hasattr(t, "data_columns") and any(c.key in FILL_DOWN for c in t.data_columns)]
    assert asked == ["MergeCells"] * len(tables)  # one per table with 一级/二级 columns, not one per row
