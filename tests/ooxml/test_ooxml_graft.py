"""ooxml.graft: new sheets added to a workbook written by another program, every existing part kept."""

import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
import xlsxwriter

from xlperf.ooxml.graft import graft_sheets

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# A workbook as the Open XML SDK writes it: prefixed main namespace (x:), no numFmts, r: bound only on <x:sheet>.
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml" Id="R1"/></Relationships>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml" Id="rId1"/>'
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml" Id="rId2"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="utf-8"?><x:workbook xmlns:x="{MAIN}"><x:sheets>'
    f'<x:sheet xmlns:r="{REL}" name="数据" sheetId="1" r:id="rId1"/></x:sheets>'
    '<x:definedNames><x:definedName name="合计" localSheetId="0">数据!$B$1</x:definedName></x:definedNames></x:workbook>',
    "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
    '<x:row r="1"><x:c r="A1" t="inlineStr" s="1"><x:is><x:t>省平台导出</x:t></x:is></x:c><x:c r="B1"><x:v>42</x:v></x:c></x:row>'
    '</x:sheetData></x:worksheet>',
    "xl/styles.xml": f'<?xml version="1.0" encoding="utf-8"?><x:styleSheet xmlns:x="{MAIN}">'
    '<x:fonts count="2"><x:font><x:sz val="11"/><x:name val="宋体"/></x:font><x:font><x:b/><x:sz val="11"/><x:name val="宋体"/></x:font></x:fonts>'
    '<x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill><x:fill><x:patternFill patternType="gray125"/></x:fill></x:fills>'
    '<x:borders count="1"><x:border><x:left/><x:right/><x:top/><x:bottom/><x:diagonal/></x:border></x:borders>'
    '<x:cellStyleXfs count="1"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></x:cellStyleXfs>'
    '<x:cellXfs count="2"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><x:xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></x:cellXfs>'
    '<x:cellStyles count="1"><x:cellStyle name="Normal" xfId="0" builtinId="0"/></x:cellStyles></x:styleSheet>',
}


def sdk_workbook(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in PARTS.items():
            z.writestr(name, text.encode("utf-8"))
    return path


def donor() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("新表")
    ws.write_string(0, 0, "标题 & <说明>", book.add_format({"bold": True, "bg_color": "#DDEBF7", "num_format": "0.0%", "border": 1}))
    ws.write_number(1, 0, 0.5, book.add_format({"num_format": "0.0%"}))
    hidden = book.add_worksheet("隐藏")
    hidden.write_string(0, 0, "x")
    hidden.hide()
    book.close()
    return buffer.getvalue()


def test_graft_into_a_prefixed_workbook(tmp_path):
    path = sdk_workbook(tmp_path / "sdk.xlsx")
    with zipfile.ZipFile(path) as z:
        before = {n: z.read(n) for n in z.namelist()}
    assert graft_sheets(path, donor(), ["新表", "隐藏"]) == ["新表", "隐藏"]
    with zipfile.ZipFile(path) as z:
        after = {n: z.read(n) for n in z.namelist()}
    assert {n for n in before if before[n] != after[n]} == {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}
    assert after["xl/worksheets/sheet1.xml"] == before["xl/worksheets/sheet1.xml"]
    assert "<x:cellXfs count=" in after["xl/styles.xml"].decode() and "<x:numFmts count=\"1\">" in after["xl/styles.xml"].decode()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["数据", "新表", "隐藏"] and wb["隐藏"].sheet_state == "hidden"
    assert wb["数据"]["A1"].value == "省平台导出" and wb["数据"]["A1"].font.b  # the user's own style, same index
    assert wb["数据"].defined_names["合计"].attr_text == "数据!$B$1"  # the sheet-scoped name still on its sheet
    cell = wb["新表"]["A1"]
    assert cell.value == "标题 & <说明>" and cell.font.b and cell.font.name == "宋体"  # the workbook's own typeface
    assert cell.fill.fgColor.rgb.endswith("DDEBF7") and cell.number_format == "0.0%" and cell.border.left.style == "thin"
    assert wb["新表"]["A2"].value == 0.5 and wb["新表"]["A2"].number_format == "0.0%"
    assert graft_sheets(path, donor(), ["新表"]) == []  # already there: nothing is written
    with zipfile.ZipFile(path) as z:
        assert {n: z.read(n) for n in z.namelist()} == after
    if shutil.which("soffice"):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "xlsx",
                        "--outdir", str(tmp_path / "lo-out"), str(path)], check=True, capture_output=True, timeout=300)
        reopened = openpyxl.load_workbook(tmp_path / "lo-out" / "sdk.xlsx")
        assert reopened.sheetnames == ["数据", "新表", "隐藏"]
        assert reopened["数据"]["A1"].value == "省平台导出" and reopened["新表"]["A1"].value == "标题 & <说明>"


def test_graft_into_a_copy_keeps_the_source(tmp_path):
    path = sdk_workbook(tmp_path / "sdk.xlsx")
    original = path.read_bytes()
    copy = tmp_path / "copy.xlsx"
    assert graft_sheets(path, donor(), ["新表"], dst=copy) == ["新表"]
    assert path.read_bytes() == original
    assert openpyxl.load_workbook(copy).sheetnames == ["数据", "新表"]


def test_strict_open_xml_is_refused(tmp_path):
    from xlperf.errors import WorkbookError

    path = tmp_path / "strict.xlsx"
    parts = dict(PARTS)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(MAIN, "http://purl.oclc.org/ooxml/spreadsheetml/main")
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
    original = path.read_bytes()
    with pytest.raises(WorkbookError) as caught:
        graft_sheets(path, donor(), ["新表"])
    assert "严格" in caught.value.message and path.read_bytes() == original
