"""Patching a rich workbook in place: nothing the user made is lost."""

from __future__ import annotations

import csv
import errno
import os
import re
import shutil
import stat
import struct
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xlperf.errors import FileLockedError, WorkbookError
from xlperf.ooxml import Formula, open_package, patch_workbook
from xlperf.ooxml.atomic import TEMP_PREFIX

# The sheets of the ``rich_workbook`` fixture (conftest.py).
SHEET = "绩效指标"
NOTES = "说明"
SHEET_PART = "xl/worksheets/sheet1.xml"

LINK = Formula(f"HYPERLINK(\"#'{SHEET}'!G12\",\"{SHEET}!G12\")", f"{SHEET}!G12")
EDITS = {
    SHEET: {
        "C3": 95,  # D3, D12 and 说明!C2 depend on it
        "C4": Decimal("87.50"),
        "E3": "=不是公式 <&>",  # replaces a shared string; text, never a formula
        "E4": None,  # cleared, keeps its style
        "F6": True,  # new cell inside an existing row
        "H5": LINK,  # beyond the used columns: dimension grows
        "A20": "新行",  # new row
    }
}
CHANGED = {SHEET_PART, "xl/workbook.xml"}


def strip_cells(xml: bytes, refs: list[str]) -> bytes:
    """Remove the ``<c>`` elements ``refs``, rows left empty by that, and ``<dimension>``."""
    for where in refs:
        xml = re.sub(rb'<c r="' + where.encode() + rb'"(?=[\s/>])[^>]*?(?:/>|>.*?</c>)', b"", xml, flags=re.S)
    xml = re.sub(rb'<row r="\d+"></row>', b"", xml)
    return re.sub(rb"<dimension [^>]*/>", b"", xml)


def members(path: Path) -> list[tuple[zipfile.ZipInfo, bytes, bytes]]:
    """(info, decompressed bytes, raw local header + compressed bytes) per member, in order."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        result = []
        for info in archive.infolist():
            name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
            end = info.header_offset + 30 + name_len + extra_len + info.compress_size
            result.append((info, archive.read(info), data[info.header_offset:end]))
        return result


def directory_fields(info: zipfile.ZipInfo) -> tuple:
    return (info.filename, info.date_time, info.compress_type, info.create_system, info.create_version,
            info.extract_version, info.flag_bits, info.internal_attr, info.external_attr, info.extra,
            info.comment, info.CRC, info.compress_size, info.file_size)


def read_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


@pytest.fixture
def patched(rich_workbook: Path) -> tuple[Path, list, list]:
    before = members(rich_workbook)
    assert patch_workbook(rich_workbook, EDITS) is True
    return rich_workbook, before, members(rich_workbook)


def test_every_other_member_is_byte_identical(patched):
    _path, before, after = patched
    assert [i.filename for i, _, _ in after] == [i.filename for i, _, _ in before]
    for (old, old_data, old_raw), (new, new_data, new_raw) in zip(before, after):
        if old.filename in CHANGED:
            assert new.compress_type == old.compress_type and new.date_time == old.date_time
            continue
        assert new_data == old_data, old.filename
        assert new_raw == old_raw, f"{old.filename}: compressed bytes or local header changed"
        assert directory_fields(new) == directory_fields(old), old.filename


def test_fixture_really_has_what_openpyxl_would_drop(rich_workbook):
    with zipfile.ZipFile(rich_workbook) as archive:
        names = set(archive.namelist())
        sheet = archive.read(SHEET_PART)
    assert {"xl/vbaProject.bin", "xl/charts/chart1.xml", "xl/drawings/drawing1.xml", "xl/media/image1.png",
            "xl/drawings/vmlDrawing1.vml", "xl/comments1.xml"} <= names
    assert b"{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" in sheet and b"<x14:dataBar" in sheet
    assert b'ObjectType="Button"' in read_member(rich_workbook, "xl/drawings/vmlDrawing1.vml")
    assert b"txBody" in read_member(rich_workbook, "xl/drawings/drawing1.xml")  # the text box


def test_workbook_xml_changes_only_in_calc_pr(patched):
    path, before, _after = patched
    old = dict((i.filename, d) for i, d, _ in before)["xl/workbook.xml"]
    new = read_member(path, "xl/workbook.xml")
    calc = re.compile(rb"<calcPr[^>]*/>")
    assert calc.sub(b"", new) == calc.sub(b"", old)
    assert calc.search(new)[0] == b'<calcPr calcId="191029" fullCalcOnLoad="1"/>'


def test_only_the_targeted_cells_change_in_the_sheet(patched):
    path, before, _after = patched
    old = dict((i.filename, d) for i, d, _ in before)[SHEET_PART]
    new = read_member(path, SHEET_PART)
    refs = list(EDITS[SHEET])
    assert strip_cells(new, refs) == strip_cells(old, refs)
    assert b'<dimension ref="A1:H20"/>' in new
    assert b'<c r="E4" s="2"/>' in new  # cleared, style kept
    assert '<c r="E3" s="2" t="inlineStr"><is><t xml:space="preserve">=不是公式 &lt;&amp;&gt;</t></is></c>'.encode() in new
    assert b'<c r="H5" t="str"><f>HYPERLINK(' in new
    assert read_member(path, "xl/sharedStrings.xml") == dict((i.filename, d) for i, d, _ in before)["xl/sharedStrings.xml"]


def test_openpyxl_reads_the_values_back(patched):
    path = patched[0]
    ws = openpyxl.load_workbook(path)[SHEET]
    assert [ws[c].value for c in ("C3", "C4", "E3", "E4", "F6", "A20")] == [95, 87.5, "=不是公式 <&>", None, True, "新行"]
    assert ws["H5"].value == f"={LINK.text}"
    assert ws["E4"].font.i and ws["E5"].font.i  # the cleared cell kept its italic style
    cached = openpyxl.load_workbook(path, data_only=True)[SHEET]
    assert cached["H5"].value == f"{SHEET}!G12"


def test_calamine_reads_the_values_back(patched):
    rows = CalamineWorkbook.from_path(str(patched[0])).get_sheet_by_name(SHEET).to_python()
    assert rows[2][2] == 95 and rows[3][2] == 87.5 and rows[2][4] == "=不是公式 <&>"
    assert rows[3][4] == "" and rows[5][5] is True and rows[4][7] == f"{SHEET}!G12" and rows[19][0] == "新行"
    assert rows[1][4] == "备注1"  # untouched shared string


def test_package_metadata_survives(patched):
    with open_package(patched[0]) as pkg:
        assert pkg.sheet_names() == [SHEET, NOTES]
        assert pkg.has_vba and pkg.has_macro_content_type and pkg.has_formulas()
        assert pkg.defined_names() == {"总分": f"'{SHEET}'!$D$12", f"{SHEET}!本表指标值": f"'{SHEET}'!$C$2:$C$11"}


def test_second_identical_run_changes_nothing(patched):
    path = patched[0]
    data, mtime = path.read_bytes(), path.stat().st_mtime_ns
    assert patch_workbook(path, EDITS) is False
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime


def test_patching_is_deterministic(rich_workbook, tmp_path):
    copy = tmp_path / "copy.xlsm"
    shutil.copy2(rich_workbook, copy)
    patch_workbook(rich_workbook, EDITS)
    patch_workbook(copy, EDITS)
    assert copy.read_bytes() == rich_workbook.read_bytes()


def test_nothing_to_change_writes_nothing(rich_workbook):
    data, mtime = rich_workbook.read_bytes(), rich_workbook.stat().st_mtime_ns
    assert patch_workbook(rich_workbook, {SHEET: {"Z99": None}, NOTES: {}}) is False
    assert rich_workbook.read_bytes() == data and rich_workbook.stat().st_mtime_ns == mtime


def test_dst_leaves_src_untouched(rich_workbook, tmp_path):
    data, mtime = rich_workbook.read_bytes(), rich_workbook.stat().st_mtime_ns
    out = tmp_path / "out" / "评分结果.xlsm"
    out.parent.mkdir()
    assert patch_workbook(rich_workbook, EDITS, dst=out) is True
    assert rich_workbook.read_bytes() == data and rich_workbook.stat().st_mtime_ns == mtime
    assert openpyxl.load_workbook(out)[SHEET]["C3"].value == 95
    out_mtime = out.stat().st_mtime_ns
    assert patch_workbook(rich_workbook, EDITS, dst=out) is False
    assert out.stat().st_mtime_ns == out_mtime


def test_failed_replace_leaves_original_and_no_temp_file(rich_workbook, monkeypatch):
    data = rich_workbook.read_bytes()

    def refuse(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WorkbookError) as caught:
        patch_workbook(rich_workbook, EDITS)
    assert "磁盘空间不足" in str(caught.value) and str(rich_workbook) in str(caught.value)
    assert "：：" not in str(caught.value)
    assert rich_workbook.read_bytes() == data
    assert [p.name for p in rich_workbook.parent.iterdir()] == [rich_workbook.name]


def test_failure_while_writing_leaves_no_temp_file(rich_workbook, monkeypatch):
    import xlperf.ooxml.patch as patch_module

    data = rich_workbook.read_bytes()

    def broken(src, infos, out, *args):
        out.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(patch_module, "write_package", broken)
    with pytest.raises(KeyboardInterrupt):
        patch_workbook(rich_workbook, EDITS)
    assert rich_workbook.read_bytes() == data
    assert not list(rich_workbook.parent.glob(TEMP_PREFIX + "*"))


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_file_mode_is_kept(rich_workbook):
    rich_workbook.chmod(0o640)
    patch_workbook(rich_workbook, EDITS)
    assert stat.S_IMODE(rich_workbook.stat().st_mode) == 0o640


@pytest.mark.parametrize("lock_name", ["~${}", ".~lock.{}#"])
def test_lock_file_refuses_and_changes_nothing(rich_workbook, lock_name):
    (rich_workbook.parent / lock_name.format(rich_workbook.name)).write_bytes(b"owner")
    data = rich_workbook.read_bytes()
    with pytest.raises(FileLockedError) as caught:
        patch_workbook(rich_workbook, EDITS)
    assert "文件正在被 Excel 或其他程序打开" in str(caught.value) and rich_workbook.name in str(caught.value)
    assert rich_workbook.read_bytes() == data


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_symbolic_link_stays_a_link(rich_workbook, tmp_path):
    link = tmp_path / "link.xlsm"
    link.symlink_to(rich_workbook)
    assert patch_workbook(link, {SHEET: {"C2": 9}}) is True
    assert link.is_symlink() and openpyxl.load_workbook(rich_workbook)[SHEET]["C2"].value == 9


def test_numbers_from_numpy_and_fractions(rich_workbook):
    from fractions import Fraction

    numpy = pytest.importorskip("numpy")
    patch_workbook(rich_workbook, {SHEET: {"C2": numpy.int64(7), "C3": numpy.float32(0.5), "C4": Fraction(1, 4)}})
    ws = openpyxl.load_workbook(rich_workbook)[SHEET]
    assert (ws["C2"].value, ws["C3"].value, ws["C4"].value) == (7, 0.5, 0.25)
    with pytest.raises(TypeError):
        patch_workbook(rich_workbook, {SHEET: {"C2": object()}})


def test_sheet_names_match_case_insensitively_like_excel(tmp_path):
    import xlsxwriter

    path = tmp_path / "case.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Summary").write("A1", 1)
    wb.close()
    assert patch_workbook(path, {"summary": {"A1": 2}})
    assert openpyxl.load_workbook(path)["Summary"]["A1"].value == 2
    with pytest.raises(ValueError, match="given twice"):
        patch_workbook(path, {"summary": {"A1": 3}, "SUMMARY": {"B1": 3}})


def test_unknown_sheet_is_a_workbook_error(rich_workbook):
    with pytest.raises(WorkbookError, match="没有名为“不存在”的工作表"):
        patch_workbook(rich_workbook, {"不存在": {"A1": 1}})


def test_calc_pr_is_inserted_when_missing(rich_workbook, rewrite_member):
    rewrite_member(rich_workbook, "xl/workbook.xml", lambda xml: xml.replace(b'<calcPr calcId="191029"/>', b""))
    patch_workbook(rich_workbook, {SHEET: {"C2": 1}})
    xml = read_member(rich_workbook, "xl/workbook.xml")
    assert b'</definedNames><calcPr fullCalcOnLoad="1"/></workbook>' in xml


def test_no_formulas_no_calc_pr_change(tmp_path, rewrite_member):
    import xlsxwriter

    path = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("表").write("A1", 1)
    wb.close()
    rewrite_member(path, "xl/workbook.xml", lambda xml: xml.replace(b' fullCalcOnLoad="1"', b""))
    old = read_member(path, "xl/workbook.xml")
    patch_workbook(path, {"表": {"B1": 2}})
    assert read_member(path, "xl/workbook.xml") == old


def test_calc_chain_goes_when_a_formula_becomes_a_value(rich_workbook, rewrite_member):
    chain = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="D2" i="1"/><c r="D3"/></calcChain>'
    with zipfile.ZipFile(rich_workbook, "a") as archive:
        archive.writestr("xl/calcChain.xml", chain, compress_type=zipfile.ZIP_DEFLATED)
    rewrite_member(rich_workbook, "[Content_Types].xml", lambda xml: xml.replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>'))
    rewrite_member(rich_workbook, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>'))
    assert patch_workbook(rich_workbook, {SHEET: {"C2": 1}}) is True  # not a formula cell: chain stays
    assert "xl/calcChain.xml" in zipfile.ZipFile(rich_workbook).namelist()
    assert patch_workbook(rich_workbook, {SHEET: {"D3": 6}}) is True
    with zipfile.ZipFile(rich_workbook) as archive:
        assert "xl/calcChain.xml" not in archive.namelist()
        assert b"calcChain" not in archive.read("[Content_Types].xml")
        assert b"calcChain" not in archive.read("xl/_rels/workbook.xml.rels")
    assert openpyxl.load_workbook(rich_workbook)[SHEET]["D3"].value == 6


XLWINGS_BOOK = Path(openpyxl.__file__).parents[1] / "xlwings" / "quickstart_standalone.xlsm"


@pytest.mark.skipif(not XLWINGS_BOOK.exists(), reason="xlwings test extra not installed")
def test_patching_a_file_written_by_another_tool(tmp_path):
    """quickstart_standalone.xlsm (xlwings' CI, Aspose): ``<sheetData />``, column styles, spaces before ``/>``."""
    path = tmp_path / "quickstart.xlsm"
    shutil.copy(XLWINGS_BOOK, path)
    before = members(path)
    assert patch_workbook(path, {"Sheet1": {"B2": 3.25}, "_xlwings.conf": {"C3": "值"}}) is True
    after = members(path)
    changed = {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}
    for (old, _, old_raw), (new, _, new_raw) in zip(before, after, strict=True):
        assert old.filename == new.filename
        if old.filename not in changed:
            assert old_raw == new_raw, old.filename
    sheet1 = read_member(path, "xl/worksheets/sheet1.xml")
    assert b'<dimension ref="B2" /><sheetViews>' in sheet1
    assert b'<sheetData><row r="3"' not in sheet1 and b'<sheetData><row r="2"><c r="B2"><v>3.25</v></c></row></sheetData>' in sheet1
    conf = read_member(path, "xl/worksheets/sheet2.xml")
    assert b'<c r="C3" s="1" t="inlineStr">' in conf  # the column's style
    wb = openpyxl.load_workbook(path)
    assert wb["Sheet1"]["B2"].value == 3.25 and wb["_xlwings.conf"]["C3"].value == "值"


def _soffice_profile(root: Path) -> Path:
    """A private LibreOffice profile that recalculates on load and runs no macros."""
    user = root / "profile" / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item>\n"
        '<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" '
        'oor:op="fuse"><value>3</value></prop></item>\n</oor:items>\n',
        encoding="utf-8",
    )
    return root / "profile"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_patched_file_and_recalculates(patched, tmp_path):
    path = patched[0]
    out = tmp_path / "csv"
    profile = _soffice_profile(tmp_path)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    stem = path.stem
    with open(out / f"{stem}-{SHEET}.csv", encoding="utf-8", newline="") as fp:
        grid = list(csv.reader(fp))
    assert grid[2][2] == "95" and grid[3][2] == "87.5" and grid[2][4] == "=不是公式 <&>" and grid[3][4] == ""
    assert grid[5][5] == "TRUE" and grid[4][7] == f"{SHEET}!G12" and grid[19][0] == "新行"
    # Formulas that depend on the patched cells were recomputed, not left at their cache.
    assert grid[2][3] == "10" and grid[3][3] == "10" and grid[11][3] == "92"
    with open(out / f"{stem}-{NOTES}.csv", encoding="utf-8", newline="") as fp:
        notes = list(csv.reader(fp))
    assert notes[0][2] == "92" and notes[1][2] == "190"
