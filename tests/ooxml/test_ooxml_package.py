"""Package: workbook structure, bounded reads, and opening cheaply."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from xlperf.errors import WorkbookError
from xlperf.ooxml import open_package, patch_workbook
from xlperf.ooxml.package import Package

SHEET, NOTES = "绩效指标", "说明"  # the rich_workbook fixture's sheets


def test_structure_of_the_rich_workbook(rich_workbook):
    with open_package(rich_workbook) as pkg:
        assert pkg.sheet_names() == [SHEET, NOTES]
        assert pkg.sheet_part(SHEET) == "xl/worksheets/sheet1.xml"
        assert pkg.sheet_part(NOTES) == "xl/worksheets/sheet2.xml"
        assert pkg.workbook_part == "xl/workbook.xml"
        assert pkg.defined_names() == {"总分": f"'{SHEET}'!$D$12", f"{SHEET}!本表指标值": f"'{SHEET}'!$C$2:$C$11"}
        assert pkg.has_vba and pkg.has_macro_content_type and pkg.has_formulas()
        assert pkg.read("xl/media/image1.png").startswith(b"\x89PNG")
        with pytest.raises(WorkbookError, match="缺少部件 xl/nothing.xml"):
            pkg.read("xl/nothing.xml")
        with pytest.raises(WorkbookError, match="没有名为“Sheet9”的工作表；现有工作表：绩效指标、说明"):
            pkg.sheet_part("Sheet9")
    assert pkg.archive_file.closed


def test_opening_reads_only_the_structural_parts(rich_workbook, monkeypatch):
    seen: list[str] = []
    original = Package._chunks

    def spy(self, part):
        seen.append(part)
        return original(self, part)

    monkeypatch.setattr(Package, "_chunks", spy)
    with open_package(rich_workbook) as pkg:
        pkg.sheet_names(), pkg.defined_names(), pkg.has_vba, pkg.has_macro_content_type
    assert seen == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]


def _plain(path: Path, with_formula: bool = False, chartsheet: bool = False) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    ws.write("A1", 1)
    ws.data_validation("B1", {"validate": "list", "source": "=$A$1:$A$2"})
    if with_formula:
        ws.write_formula("A2", "=A1+1", None, 2)
    if chartsheet:
        chart = wb.add_chart({"type": "line"})
        chart.add_series({"values": "=表!$A$1:$A$2"})
        wb.add_chartsheet("图").set_chart(chart)
    wb.close()
    return path


def test_has_formulas_is_about_cells(tmp_path):
    with open_package(_plain(tmp_path / "a.xlsx")) as pkg:
        assert not pkg.has_formulas() and not pkg.has_vba and not pkg.has_macro_content_type
    with open_package(_plain(tmp_path / "b.xlsx", with_formula=True)) as pkg:
        assert pkg.has_formulas()


def test_chartsheet_is_not_patched(tmp_path):
    path = _plain(tmp_path / "c.xlsx", chartsheet=True)
    with open_package(path) as pkg:
        assert pkg.sheet_names() == ["表", "图"] and pkg.is_worksheet("表") and not pkg.is_worksheet("图")
    with pytest.raises(WorkbookError, match="不是普通工作表"):
        patch_workbook(path, {"图": {"A1": 1}})


def test_absolute_relationship_targets(tmp_path, rewrite_member):
    path = _plain(tmp_path / "abs.xlsx")
    rewrite_member(path, "xl/_rels/workbook.xml.rels",
                   lambda xml: xml.replace(b'Target="worksheets/sheet1.xml"', b'Target="/xl/worksheets/sheet1.xml"'))
    with open_package(path) as pkg:
        assert pkg.sheet_part("表") == "xl/worksheets/sheet1.xml"


def test_sheet_whose_part_is_missing(tmp_path):
    src = _plain(tmp_path / "src.xlsx")
    path = tmp_path / "missing.xlsx"
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info, old.read(info))
    with open_package(path) as pkg, pytest.raises(WorkbookError, match="工作表“表”的内容缺失"):
        pkg.sheet_part("表")


def test_main_part_found_through_the_package_relationship(tmp_path):
    src = _plain(tmp_path / "src.xlsx")
    path = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            name = info.filename
            if name == "_rels/.rels":
                data = data.replace(b"xl/workbook.xml", b"xl/book.xml")
            if name == "xl/workbook.xml":
                name = "xl/book.xml"
            if name == "xl/_rels/workbook.xml.rels":
                name = "xl/_rels/book.xml.rels"
            new.writestr(name, data)
    with open_package(path) as pkg:
        assert pkg.workbook_part == "xl/book.xml" and pkg.sheet_part("表") == "xl/worksheets/sheet1.xml"
    assert patch_workbook(path, {"表": {"C3": 5}})


def test_opening_a_file_object_error_closes_the_file(tmp_path, monkeypatch):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04broken")
    opened: list[io.BufferedReader] = []
    real_open = open

    def tracking_open(*args, **kwargs):
        handle = real_open(*args, **kwargs)
        opened.append(handle)
        return handle

    monkeypatch.setattr("builtins.open", tracking_open)
    with pytest.raises(WorkbookError):
        open_package(path)
    assert opened and all(handle.closed for handle in opened)
