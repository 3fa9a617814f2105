"""Fixtures for the OOXML layer: a workbook rich in parts openpyxl would lose."""

from __future__ import annotations

import importlib.util
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter

# --import-mode=importlib puts no test folder on sys.path: make ``import ooxmlmutants`` work.
sys.path.insert(0, str(Path(__file__).resolve().parent))

SHEET = "绩效指标"
NOTES = "说明"
SHEET_PART = "xl/worksheets/sheet1.xml"

X14_NS = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM_NS = "http://schemas.microsoft.com/office/excel/2006/main"
# Excel 2010+ writes a list validation whose source is on another sheet like this.
X14_VALIDATION = (
    f'<ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14_NS}">'
    f'<x14:dataValidations count="1" xmlns:xm="{XM_NS}">'
    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
    f"<x14:formula1><xm:f>{NOTES}!$A$2:$A$4</xm:f></x14:formula1>"
    "<xm:sqref>G2:G11</xm:sqref></x14:dataValidation></x14:dataValidations></ext>"
).encode()


def tiny_png() -> bytes:
    """A 2×2 red PNG, built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def vba_project() -> bytes:
    """The Excel-made vbaProject.bin inside xlwings' quickstart_standalone.xlsm."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("xlwings (test extra) is needed for the VBA fixture")
    book = Path(spec.submodule_search_locations[0]) / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(book) as archive:
        return archive.read("xl/vbaProject.bin")


def _rewrite_member(path: Path, name: str, edit) -> None:
    """Replace one member's bytes by ``edit(old)``, keeping names and order."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            archive.writestr(info, edit(data) if info.filename == name else data, compress_type=info.compress_type)


def build_rich_workbook(path: Path, vba: bytes) -> Path:
    """Two sheets with chart, image, text box, button, comments, validation, conditional
    formats, Chinese defined names, formulas with cached values, VBA and an x14 extension."""
    wb = xlsxwriter.Workbook(str(path))
    wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    note = wb.add_format({"italic": True, "font_color": "#7F7F7F"})
    ws = wb.add_worksheet(SHEET)
    notes = wb.add_worksheet(NOTES)
    ws.write_row(0, 0, ["指标名称", "分值", "指标值", "得分", "备注", "", "等级"], bold)
    for i in range(10):
        r = i + 1
        value = 5 + i
        ws.write_string(r, 0, f"产出指标{r}")
        ws.write_number(r, 1, 10)
        ws.write_number(r, 2, value)
        ws.write_formula(r, 3, f"=MIN(B{r + 1},C{r + 1})", None, min(10, value))
        ws.write_string(r, 4, f"备注{r}", note)
    ws.write_string(11, 0, "合计", bold)
    ws.write_formula(11, 3, "=SUM(D2:D11)", bold, sum(min(10, 5 + i) for i in range(10)))
    ws.write_comment("A1", "请勿修改表头")
    ws.write_comment("C3", "指标值由单位填写")
    ws.data_validation("C2:C11", {"validate": "decimal", "criteria": ">=", "value": 0})
    ws.conditional_format("D2:D11", {"type": "cell", "criteria": "<", "value": 6, "format": note})
    ws.conditional_format("C2:C11", {"type": "data_bar", "data_bar_2010": True})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "得分", "categories": f"='{SHEET}'!$A$2:$A$11", "values": f"='{SHEET}'!$D$2:$D$11"})
    ws.insert_chart("I2", chart)
    ws.insert_image("I20", "logo.png", {"image_data": io.BytesIO(tiny_png())})
    ws.insert_textbox("I25", "自评说明：本表由 xlperf 评分", {"width": 240, "height": 60})
    ws.insert_button("G14", {"macro": "Score", "caption": "评分", "width": 80, "height": 30})
    notes.write_column(0, 0, ["等级", "优", "良", "中"])
    notes.write_formula("C1", f"='{SHEET}'!D12", None, 85)
    notes.write_formula("C2", f"='{SHEET}'!C3*2", None, 12)
    wb.define_name("总分", f"='{SHEET}'!$D$12")
    wb.define_name(f"'{SHEET}'!本表指标值", f"='{SHEET}'!$C$2:$C$11")
    wb.close()

    def add_x14_validation(xml: bytes) -> bytes:
        # The worksheet's own extLst is the last one (a data bar rule nests another).
        head, tag, tail = xml.rpartition(b"</extLst></worksheet>")
        assert tag, "XlsxWriter should have written the data bar extension"
        return head + X14_VALIDATION + tag + tail

    def as_saved_by_excel(xml: bytes) -> bytes:
        # Excel writes calcPr without fullCalcOnLoad; XlsxWriter always sets it.
        return xml.replace(b'<calcPr calcId="124519" fullCalcOnLoad="1"/>', b'<calcPr calcId="191029"/>')

    _rewrite_member(path, SHEET_PART, add_x14_validation)
    _rewrite_member(path, "xl/workbook.xml", as_saved_by_excel)
    return path


@pytest.fixture
def rich_workbook(tmp_path: Path, vba_project: bytes) -> Path:
    """The rich workbook, as ``tmp_path/绩效自评.xlsm`` (sheets 绩效指标 and 说明)."""
    return build_rich_workbook(tmp_path / "绩效自评.xlsm", vba_project)


@pytest.fixture
def rewrite_member():
    """``rewrite_member(path, name, edit)``: replace one zip member by ``edit(old bytes)``."""
    return _rewrite_member
