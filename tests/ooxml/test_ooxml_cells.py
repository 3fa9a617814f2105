"""Cell references, value text and the formula-injection guard."""

from decimal import Decimal

import pytest

from xlperf.ooxml.cells import col_index, col_letter, parse_range, parse_ref, ref, safe_text
from xlperf.ooxml.cellvalue import CellValueError, Formula, cell_content, clean_text, number_text


@pytest.mark.parametrize("n, letters", [(1, "A"), (26, "Z"), (27, "AA"), (28, "AB"), (702, "ZZ"), (703, "AAA"), (16384, "XFD")])
def test_column_letters_round_trip(n, letters):
    assert col_letter(n) == letters
    assert col_index(letters) == n
    assert col_index(letters.lower()) == n


def test_every_column_round_trips():
    assert all(col_index(col_letter(n)) == n for n in range(1, 16385))


@pytest.mark.parametrize("bad", [0, 16385, -1])
def test_column_number_out_of_range(bad):
    with pytest.raises(ValueError):
        col_letter(bad)


@pytest.mark.parametrize("bad", ["", "XFE", "A1", "ÄB", "ABCD"])
def test_bad_column_letters(bad):
    with pytest.raises(ValueError):
        col_index(bad)


def test_refs():
    assert ref(3, 2) == "B3"
    assert parse_ref("B3") == (3, 2)
    assert parse_ref("$AB$12") == (12, 28)
    assert parse_ref("xfd1048576") == (1048576, 16384)
    assert parse_range("C3:A1") == ((1, 1), (3, 3))
    assert parse_range("B2") == ((2, 2), (2, 2))


@pytest.mark.parametrize("bad", ["B0", "B1048577", "3B", "B", "绩效!B3", "B3:C4"])
def test_bad_refs(bad):
    with pytest.raises(ValueError):
        parse_ref(bad)


@pytest.mark.parametrize("text, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1"),
    ("正常文本", "正常文本"), ("a=b", "a=b"), ("", ""),
])
def test_safe_text(text, expected):
    assert safe_text(text) == expected


@pytest.mark.parametrize("value, text", [
    (0, "0"), (-7, "-7"), (10**20, "100000000000000000000"), (0.1, "0.1"), (1e-5, "0.00001"),
    (1.5e16, "15000000000000000"), (3.0, "3"), (-0.0, "0"), (2 / 3, "0.6666666666666666"),
    (Decimal("87.50"), "87.5"), (Decimal("1E+2"), "100"), (Decimal("-0.000"), "0"),
    (Decimal("0.00000000012"), "0.00000000012"),
])
def test_number_text_has_no_exponent(value, text):
    assert number_text(value) == text


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), Decimal("1E+400")])
def test_unstorable_numbers(bad):
    with pytest.raises(CellValueError):
        number_text(bad)


def test_clean_text():
    assert clean_text("a\x00b\x1fc\ufffe") == "abc"
    assert clean_text("一\r\n二\r三") == "一\n二\n三"
    assert clean_text("tab\tok") == "tab\tok"
    # Excel decodes _xHHHH_ in strings; a literal one must be escaped to survive.
    assert clean_text("id_x0041_") == "id_x005F_x0041_"


def test_cell_content_forms():
    assert cell_content(None) == (None, "")
    assert cell_content(True) == ("b", "<v>1</v>")
    assert cell_content(12.5) == (None, "<v>12.5</v>")
    assert cell_content("a<b & c") == ("inlineStr", '<is><t xml:space="preserve">a&lt;b &amp; c</t></is>')
    assert cell_content("=1+1") == ("inlineStr", '<is><t xml:space="preserve">=1+1</t></is>')
    assert cell_content("x", "x:") == ("inlineStr", '<x:is><x:t xml:space="preserve">x</x:t></x:is>')
    link = Formula('=HYPERLINK("#\'绩效指标\'!G12","绩效指标!G12")', "绩效指标!G12")
    assert cell_content(link) == (
        "str", "<f>HYPERLINK(\"#'绩效指标'!G12\",\"绩效指标!G12\")</f><v>绩效指标!G12</v>")
    assert cell_content(Formula("A1>0", True)) == ("b", "<f>A1&gt;0</f><v>1</v>")
    assert cell_content(Formula("SUM(A1:A3)", 6)) == (None, "<f>SUM(A1:A3)</f><v>6</v>")
    assert cell_content(Formula("NOW()")) == (None, "<f>NOW()</f>")


def test_cell_content_limits():
    with pytest.raises(CellValueError):
        cell_content("长" * 32768)
    with pytest.raises(CellValueError):
        cell_content(Formula("="))
    with pytest.raises(TypeError):
        cell_content([1, 2])  # type: ignore[arg-type]
