"""Which number formats show a percentage, and which cells carry them."""

from decimal import Decimal as D

import pytest

from xlperf.ooxml.numfmt import is_percent_code, percent_styles, percent_text, styled_cells

STYLES = b"""<?xml version="1.0"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.00&quot;%&quot;"/>
<numFmt numFmtId="166" formatCode="[Red]0.00%;-0%"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="166"/></cellXfs>
</styleSheet>"""


def test_percent_styles():
    assert percent_styles(STYLES) == frozenset({1, 2, 5})


@pytest.mark.parametrize("code, percent", [("0%", True), ("0.00%", True), ('0.00"%"', False), ("0.00\\%", False),
                                           ("#,##0.00", False), ("[Red]0%", True), ("yyyy-mm-dd", False)])
def test_is_percent_code(code, percent):
    assert is_percent_code(code) is percent


def test_styled_cells():
    xml = b'<sheetData><row r="2"><c r="B2" s="1"><v>0.9</v></c><c r="C2" s="3"><v>1</v></c><c r="D2" s="2"/></row></sheetData>'
    assert styled_cells(xml, frozenset({1, 2})) == {(1, 1), (1, 3)}


@pytest.mark.parametrize("value, text", [(0.9, "90%"), (0.9567, "95.67%"), (1, "100%"), (0, "0%"), (D("0.001"), "0.1%"), (-0.05, "-5%")])
def test_percent_text(value, text):
    assert percent_text(value) == text


def test_shown_value_is_the_one_rule_for_both_adapters():
    import datetime as dt

    from xlperf.ooxml.numfmt import is_date_code, shown_styles, shown_value

    assert shown_value(0.9, "0%") == "90%"
    assert shown_value(44165.0, 'yyyy"年"m"月"d"日"') == dt.date(2020, 11, 30)
    assert shown_value(44165.5, "yyyy-mm-dd hh:mm") == dt.datetime(2020, 11, 30, 12)
    assert shown_value(1.5, "0.0") == 1.5 and shown_value(1.5, "General") == 1.5 and shown_value("90%", "0%") == "90%"
    assert shown_value(12, '0"个月"') == 12  # a literal m in quotes is no month
    assert not is_date_code("G/通用格式") and not is_date_code("#,##0.00_);[Red](#,##0.00)") and is_date_code("[$-804]yyyy年m月")
    assert shown_styles(STYLES) == {1: "0%", 2: "0.0%", 4: "yyyy/m/d", 5: "[Red]0.00%;-0%"}
