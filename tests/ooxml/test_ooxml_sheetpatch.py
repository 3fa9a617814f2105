"""Splicing values into worksheet XML: the expected XML is written out in each test."""

from __future__ import annotations

import pytest

from xlperf.ooxml.cells import parse_ref
from xlperf.ooxml.cellvalue import Formula
from xlperf.ooxml.sheetpatch import patch_sheet
from xlperf.ooxml.sheetscan import SheetScanError
from xlperf.ooxml.workbookxml import full_calc_on_load
from xlperf.ooxml.xmlsafe import check_well_formed, local_name, parse

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'


def sheet(rows: str, dimension: str = "A1:C3", before: str = "", after: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{HEAD}{dim}{before}<sheetData>{rows}</sheetData>{after}</worksheet>".encode()


def patch(xml: bytes, edits: dict) -> bytes:
    return patch_sheet(xml, {parse_ref(k): v for k, v in edits.items()}).data


ROWS = ('<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2"><v>5</v></c></row>'
        '<row r="3" spans="1:3"><c r="B3" s="3" t="s"><v>4</v></c></row>')


def test_number_replaces_shared_string_and_keeps_style():
    out = patch(sheet(ROWS), {"B3": 7})
    assert out == sheet(ROWS.replace('<c r="B3" s="3" t="s"><v>4</v></c>', '<c r="B3" s="3"><v>7</v></c>'))


def test_text_is_an_inline_string_even_when_it_looks_like_a_formula():
    out = patch(sheet(ROWS), {"C1": "=SUM(A1) <&>"})
    expected = '<c r="C1" s="2" t="inlineStr"><is><t xml:space="preserve">=SUM(A1) &lt;&amp;&gt;</t></is></c>'
    assert out == sheet(ROWS.replace('<c r="C1" s="2"><v>5</v></c>', expected))


def test_none_clears_value_and_formula_but_keeps_cell_and_style():
    rows = '<row r="1"><c r="A1" s="4" t="str"><f>B1&amp;"x"</f><v>x</v></c></row>'
    result = patch_sheet(sheet(rows), {(1, 1): None})
    assert result.data == sheet('<row r="1"><c r="A1" s="4"/></row>')
    assert result.removed_formula


def test_none_on_a_missing_cell_changes_nothing():
    xml = sheet(ROWS)
    assert patch(xml, {"B2": None, "Z9": None}) == xml


def test_bool_and_decimal():
    out = patch(sheet(ROWS), {"A1": True, "C1": 0.1 + 0.2})
    assert b'<c r="A1" t="b"><v>1</v></c>' in out
    assert b'<c r="C1" s="2"><v>0.30000000000000004</v></c>' in out


def test_self_closing_cell_and_attributes_in_any_order():
    rows = """<row r="1"><c s='5' r='A1'/><c t="s" s="6" r="B1"><v>1</v></c></row>"""
    out = patch(sheet(rows), {"A1": 1, "B1": "文本"})
    assert out == sheet(
        """<row r="1"><c s='5' r='A1'><v>1</v></c>"""
        '<c s="6" r="B1" t="inlineStr"><is><t xml:space="preserve">文本</t></is></c></row>'
    )


def test_new_cells_go_in_column_order():
    out = patch(sheet(ROWS), {"B1": 1, "D1": 2, "A3": 3, "C3": 4, "E3": 5})
    assert out == sheet(
        '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c><c r="C1" s="2"><v>5</v></c>'
        '<c r="D1"><v>2</v></c></row>'
        '<row r="3" spans="1:3"><c r="A3"><v>3</v></c><c r="B3" s="3" t="s"><v>4</v></c><c r="C3"><v>4</v></c>'
        '<c r="E3"><v>5</v></c></row>',
        dimension="A1:E3",
    )


def test_new_rows_go_in_row_order_and_dimension_grows():
    xml = sheet('<row r="2"><c r="B2"><v>1</v></c></row><row r="4"><c r="B4"><v>1</v></c></row>', "B2:B4")
    out = patch(xml, {"A1": 1, "C3": 2, "B9": 3, "AA10": 4})
    assert out == sheet(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>1</v></c></row>'
        '<row r="3"><c r="C3"><v>2</v></c></row><row r="4"><c r="B4"><v>1</v></c></row>'
        '<row r="9"><c r="B9"><v>3</v></c></row><row r="10"><c r="AA10"><v>4</v></c></row>',
        "A1:AA10",
    )


def test_dimension_never_shrinks_and_is_left_alone_inside():
    xml = sheet(ROWS, "A1:H20")
    assert b'<dimension ref="A1:H20"/>' in patch(xml, {"B2": 1})


def test_empty_sheet_gets_the_exact_dimension():
    xml = f'{HEAD}<dimension ref="A1" /><sheetData /></worksheet>'.encode()
    out = patch(xml, {"C4": 1, "B2": "x"})
    assert out == (
        f'{HEAD}<dimension ref="B2:C4" /><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t xml:space="preserve">'
        'x</t></is></c></row><row r="4"><c r="C4"><v>1</v></c></row></sheetData></worksheet>'
    ).encode()


def test_self_closing_row_keeps_its_attributes():
    xml = sheet('<row r="4" ht="30" customHeight="1" />')
    assert patch(xml, {"B4": 1}) == sheet('<row r="4" ht="30" customHeight="1"><c r="B4"><v>1</v></c></row>', "A1:C4")


def test_new_cell_takes_the_row_style_then_the_column_style():
    cols = '<cols><col min="2" max="3" width="9" style="7" customWidth="1"/></cols>'
    xml = sheet('<row r="1" s="9" customFormat="1"><c r="A1" s="9"/></row><row r="2"><c r="A2"/></row>', before=cols)
    out = patch(xml, {"D1": 1, "B2": 2, "D2": 3})
    assert b'<c r="D1" s="9"><v>1</v></c>' in out
    assert b'<c r="B2" s="7"><v>2</v></c>' in out
    assert b'<c r="D2"><v>3</v></c>' in out


def test_namespace_prefix_is_used_for_new_elements():
    xml = (f'<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1"/><x:sheetData><x:row r="1">'
           '<x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>').encode()
    out = patch(xml, {"A1": "a", "B1": 2, "A2": 3})
    assert out == (
        f'<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:B2"/><x:sheetData><x:row r="1">'
        '<x:c r="A1" t="inlineStr"><x:is><x:t xml:space="preserve">a</x:t></x:is></x:c><x:c r="B1"><x:v>2</x:v></x:c>'
        '</x:row><x:row r="2"><x:c r="A2"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    ).encode()


def test_rows_and_cells_without_r_take_their_implied_position():
    xml = sheet("<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>")
    out = patch(xml, {"B1": 20, "B2": 30})
    assert out == sheet('<row><c><v>1</v></c><c><v>20</v></c></row><row><c><v>3</v></c><c r="B2"><v>30</v></c></row>')


def test_comments_and_cdata_are_skipped():
    rows = '<!-- <row r="5"><c r="A5"/></row> --><row r="1"><c r="A1" t="str"><v><![CDATA[</c></row>]]></v></c></row>'
    out = patch(sheet(rows), {"A1": 1, "A5": 5})
    assert out == sheet('<!-- <row r="5"><c r="A5"/></row> --><row r="1"><c r="A1"><v>1</v></c></row>'
                        '<row r="5"><c r="A5"><v>5</v></c></row>', "A1:C5")


def test_pretty_printed_sheet():
    xml = sheet('\n  <row r="1">\n    <c r="A1">\n      <v>1</v>\n    </c>\n  </row>\n')
    assert patch(xml, {"A1": 2, "B1": 3}) == sheet(
        '\n  <row r="1">\n    <c r="A1"><v>2</v></c><c r="B1"><v>3</v></c>\n  </row>\n')


def test_value_metadata_is_dropped_and_cell_extensions_kept():
    rows = ('<row r="1"><c r="A1" s="1" t="e" vm="1"><v>#VALUE!</v></c>'
            '<c r="B1" cm="1" ph="1"><f t="array" ref="B1">SEQUENCE(1)</f><v>1</v><extLst><ext uri="{X}"/></extLst></c></row>')
    out = patch(sheet(rows), {"A1": 1, "B1": 2})
    assert out == sheet('<row r="1"><c r="A1" s="1"><v>1</v></c>'
                        '<c r="B1" ph="1"><v>2</v><extLst><ext uri="{X}"/></extLst></c></row>')


def test_illegal_characters_are_stripped():
    out = patch(sheet(ROWS), {"A1": "a\x00b\x0bc\ud800"})
    check_well_formed(out)
    assert b'<t xml:space="preserve">abc</t>' in out


def test_second_identical_patch_changes_nothing():
    edits = {"A1": "x", "B2": 2.5, "F9": Formula("A1&\"!\"", "x!"), "C1": None, "B1": True}
    once = patch(sheet(ROWS), edits)
    assert patch(once, edits) == once


SHARED = (
    '<row r="2"><c r="D2"><f t="shared" ref="D2:D5" si="0">MIN(B2,C2)&amp;""</f><v>3</v></c></row>'
    '<row r="3"><c r="D3"><f t="shared" si="0"/><v>6</v></c></row>'
    '<row r="4"><c r="D4"><f t="shared" si="0"/><v>9</v></c></row>'
    '<row r="5"><c r="D5"><f t="shared" si="0"/><v>10</v></c><c r="E5"><f t="shared" ref="E5:E6" si="1">D5</f><v>10</v></c></row>'
)


def test_overwriting_a_shared_formula_master_gives_dependents_their_own_formula():
    out = patch(sheet(SHARED, "D2:E5"), {"D2": 1, "D4": 2})
    assert out == sheet(
        '<row r="2"><c r="D2"><v>1</v></c></row>'
        '<row r="3"><c r="D3"><f>MIN(B3,C3)&amp;""</f><v>6</v></c></row>'
        '<row r="4"><c r="D4"><v>2</v></c></row>'
        '<row r="5"><c r="D5"><f>MIN(B5,C5)&amp;""</f><v>10</v></c><c r="E5"><f t="shared" ref="E5:E6" si="1">D5</f>'
        "<v>10</v></c></row>",
        "D2:E5",
    )


def test_overwriting_a_shared_formula_dependent_leaves_the_group_alone():
    out = patch(sheet(SHARED, "D2:E5"), {"D3": 1})
    assert out == sheet(SHARED.replace('<c r="D3"><f t="shared" si="0"/><v>6</v></c>', '<c r="D3"><v>1</v></c>'), "D2:E5")


def test_cells_inside_a_multi_cell_array_formula_are_refused():
    rows = '<row r="1"><c r="A1"><f t="array" ref="A1:A2">B1:B2*2</f><v>2</v></c></row><row r="2"><c r="A2"><v>4</v></c></row>'
    for target in ("A1", "A2"):
        with pytest.raises(SheetScanError, match="数组公式 A1:A2"):
            patch(sheet(rows), {target: 1})
    assert b"<v>9</v>" in patch(sheet(rows), {"B1": 9})


def test_rows_out_of_order_are_refused():
    with pytest.raises(SheetScanError, match="顺序"):
        patch(sheet('<row r="3"/><row r="2"/>'), {"A5": 1})


def test_rows_are_scanned_only_as_far_as_the_edits_need():
    # Disorder below the last edited row does not matter and is not even read.
    assert b'<row r="1"><c r="A1"><v>1</v></c></row><row r="3"/>' in patch(sheet('<row r="3"/><row r="2"/>'), {"A1": 1})


def test_malformed_or_unsafe_sheet_is_refused():
    with pytest.raises(SheetScanError, match="不是有效的 XML"):
        patch(sheet('<row r="1"><c r="A1"><v>1</v></row>'), {"A1": 2})
    with pytest.raises(SheetScanError, match="不是有效的 XML"):
        patch(sheet("") + b"<row r='1' " * 2000, {"A1": 2})
    with pytest.raises(SheetScanError, match="实体扩展"):
        patch(b'<!DOCTYPE w [<!ENTITY a "b">]>' + sheet(""), {"A1": 2})


def test_missing_sheet_data_is_refused():
    with pytest.raises(SheetScanError, match="sheetData"):
        patch(f"{HEAD}</worksheet>".encode(), {"A1": 1})


# -- workbook.xml calcPr ------------------------------------------------------------------

WB = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}">'
SHEETS = '<sheets><sheet name="a" sheetId="1"/></sheets>'


def children(xml: bytes) -> list[str]:
    return [local_name(child.tag) for child in parse(xml)]


@pytest.mark.parametrize("before, after", [
    ('<calcPr calcId="191029"/>', '<calcPr calcId="191029" fullCalcOnLoad="1"/>'),
    ('<calcPr fullCalcOnLoad="0" calcId="1"></calcPr>', '<calcPr fullCalcOnLoad="1" calcId="1"></calcPr>'),
    ("<calcPr/>", '<calcPr fullCalcOnLoad="1"/>'),
])
def test_existing_calc_pr_gets_the_attribute(before, after):
    assert full_calc_on_load(f"{WB}{SHEETS}{before}</workbook>".encode()) == f"{WB}{SHEETS}{after}</workbook>".encode()


def test_calc_pr_already_set_is_untouched():
    xml = f'{WB}{SHEETS}<calcPr calcId="1" fullCalcOnLoad="1"/></workbook>'.encode()
    assert full_calc_on_load(xml) is xml


@pytest.mark.parametrize("middle, tail", [
    (SHEETS, ""),
    (SHEETS + '<definedNames><definedName name="x">a!$A$1</definedName></definedNames>', ""),
    (SHEETS + "<definedNames />", '<pivotCaches><pivotCache cacheId="1"/></pivotCaches><extLst><ext uri="{1}"/></extLst>'),
    (SHEETS, '<fileRecoveryPr repairLoad="1"/>'),
])
def test_missing_calc_pr_is_inserted_in_schema_order(middle, tail):
    out = full_calc_on_load(f"{WB}<bookViews><workbookView/></bookViews>{middle}{tail}</workbook>".encode())
    assert out == f'{WB}<bookViews><workbookView/></bookViews>{middle}<calcPr fullCalcOnLoad="1"/>{tail}</workbook>'.encode()
    names = children(out)
    assert names.index("calcPr") == names.index("sheets") + 1 + ("definedNames" in names)


def test_missing_calc_pr_with_prefix():
    xml = f'<x:workbook xmlns:x="{MAIN}"><x:sheets/><x:extLst/></x:workbook>'.encode()
    assert full_calc_on_load(xml) == f'<x:workbook xmlns:x="{MAIN}"><x:sheets/><x:calcPr fullCalcOnLoad="1"/><x:extLst/></x:workbook>'.encode()
