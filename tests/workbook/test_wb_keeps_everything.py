"""`xlperf score` on an xlperf workbook that staff decorated: nothing they made is lost.

The workbook is the macro-enabled template (VBA project, three Form Control buttons,
xlwings.conf) to which a chart, an image, a text box, comments and conditional formats
are added, plus an x14 data-validation extension injected the way Excel 2010+ writes it.
After scoring, every zip part other than the patched worksheets is byte-identical, and
inside those worksheets only the computed cells changed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from xlperf import jsonio
from xlperf.cli import _xlsm_macros, cli
from xlperf.examples import example_json
from xlperf.workbook.builder import build_workbook
from xlperf.workbook.reader import load_workbook, read_workbook
from xlperf.workbook.writer import edits_of, output_blocks
from xlperf.scoring import score

X14 = (
    b'<ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>\xe8\xae\xbe\xe7\xbd\xae!$A$2:$A$4</xm:f></x14:formula1>'
    b"<xm:sqref>Z2:Z5</xm:sqref></x14:dataValidation></x14:dataValidations></ext>"
)


def png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\x00\x00\xff\x00\x00" * 2
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def decorated_workbook(path: Path) -> Path:
    evaluation = jsonio.load(example_json())
    macros = _xlsm_macros(evaluation.profile, "python")

    def decorate(workbook, worksheet):
        macros(workbook, worksheet)
        chart = workbook.add_chart({"type": "column"})
        chart.add_series({"name": "得分", "values": "='基本情况'!$B$2:$B$4"})
        worksheet.insert_chart("P8", chart)
        worksheet.insert_image("P25", "logo.png", {"image_data": io.BytesIO(png())})
        worksheet.insert_textbox("P30", "单位备注：本表已经领导审核", {"width": 220, "height": 50})
        worksheet.write_comment("A1", "请按财政局要求填写")
        worksheet.conditional_format("Z2:Z20", {"type": "data_bar", "data_bar_2010": True})

    build_workbook(evaluation.profile, evaluation, path, xlsm=True, macros=decorate)
    # Inject the x14 validation into the first worksheet's own extLst.
    with zipfile.ZipFile(path) as z:
        members = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tag, tail = data.rpartition(b"</extLst></worksheet>")
                assert tag
                data = head + X14 + tag + tail
            z.writestr(info, data, compress_type=info.compress_type)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def row_heights(xml: bytes) -> dict[int, float]:
    return {int(m[1]): float(m[2]) for m in re.finditer(rb'<row r="(\d+)"[^>]*? ht="([0-9.]+)"', xml)}


def strip_cells(xml: bytes, refs: set[str]) -> bytes:
    """The sheet without the given cells (and the dimension, which may grow, and row heights,
    which grow to show computed text whole)."""
    xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
    xml = re.sub(rb"<row [^>]*>", lambda m: re.sub(rb' (?:ht="[^"]*"|customHeight="1")', b"", m[0]), xml)

    def drop(match):
        return b"" if match.group(1).decode() in refs else match.group(0)

    return re.sub(rb'<c r="([A-Z]+[0-9]+)"(?:[^>]*/>|[^>]*>.*?</c>)', drop, xml, flags=re.S)


def test_score_keeps_every_other_part_and_cell(tmp_path):
    book = decorated_workbook(tmp_path / "绩效自评 (1).xlsm")
    before = members(book)
    assert {"xl/vbaProject.bin", "xl/drawings/vmlDrawing1.vml", "xl/charts/chart1.xml", "xl/media/image1.png", "xl/comments1.xml"} <= set(before)
    assert b"x14:dataValidation" in before["xl/worksheets/sheet1.xml"]

    result = CliRunner().invoke(cli, ["score", str(book)])
    assert result.exit_code in (0, 1), result.output
    after = members(book)
    assert list(after) == list(before)  # same parts, same order

    # The cells the writer computes, by sheet part.
    loaded = load_workbook(book, with_findings_sheet=True)
    evaluation, _ = read_workbook(book)
    edits = edits_of(output_blocks(evaluation, score(evaluation), loaded.layout, loaded.placement))
    with zipfile.ZipFile(book) as z:
        from xlperf.ooxml.package import open_package

        with open_package(str(book)) as package:
            part_of = {name: package.sheet_part(name) for name in edits}
    patched = {part_of[name]: set(cells) for name, cells in edits.items()}

    changed = {name for name in before if before[name] != after[name]}
    assert changed - set(patched) <= {"xl/workbook.xml"}
    if "xl/workbook.xml" in changed:
        calc = rb"<calcPr[^>]*/>"
        assert re.sub(calc, b"", before["xl/workbook.xml"]) == re.sub(calc, b"", after["xl/workbook.xml"])
    for part, refs in patched.items():
        assert strip_cells(before[part], refs) == strip_cells(after[part], refs), part
        old, new = row_heights(before[part]), row_heights(after[part])
        assert all(new[r] >= h for r, h in old.items()), part  # rows only grow
    assert b"x14:dataValidation" in after["xl/worksheets/sheet1.xml"]

    # A second run changes nothing at all.
    again = CliRunner().invoke(cli, ["score", str(book)])
    assert "已是最新结果" in again.output
    assert members(book) == after
