

def test_a_cell_in_the_wrong_row_or_out_of_order_is_refused_by_the_reader_as_by_the_writer():
    """Fuzz mutants 67 and 560 (seed 2026): ``check`` read what ``score`` refused; calamine guessed the cell's place."""
    import pytest

    from xlperf.errors import WorkbookError
    from xlperf.ooxml.gate import vet_sheet

    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    good = head + b'<row r="5"><c r="A5"><v>1</v></c><c r="B5"><v>2</v></c></row>' + tail
    vet_sheet(good, "x.xlsx", "绩效目标")
    for bad in (b'<row r="5"><c r="B5"><v>1</v></c><c r="A5"><v>2</v></c></row>', b'<row r="12"><c r="K92"><v>1</v></c></row>'):
        with pytest.raises(WorkbookError, match="单元格的位置无法确定"):
            vet_sheet(head + bad + tail, "x.xlsx", "绩效目标")
