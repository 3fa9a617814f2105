"""Print setup derived from the layout: where labels break, which sheets print landscape, what prints."""

from __future__ import annotations

import pytest

from xlperf.layout import LAYOUT_IDS, Table, layout_for, plan
from xlperf.workbook.printsetup import capacity, display_width, fitted_label, landscape, print_area, printed_columns


@pytest.mark.parametrize("text,width,expected", [
    ("项目资金（万元）", 11, "项目资金\n（万元）"),
    ("全年预算数（总投入）", 14, "全年预算数\n（总投入）"),
    ("资金使用率（执行率）", 12, "资金使用率\n（执行率）"),
    ("绩效工作开展情况（评价方法、评价标准）", 20, "绩效工作开展情况\n（评价方法、\n评价标准）"),
    ("全年预算数", 8, "全年预算数"),  # no place to break: the spreadsheet wraps it
    ("年初预算数", 14, "年初预算数"),  # fits
    ("值（留空 = 使用默认值）", 26, "值（留空 = 使用默认值）"),
])
def test_labels_break_before_a_bracket(text, width, expected):
    assert fitted_label(text, width) == expected
    for line in expected.split("\n"):
        assert not line.startswith("）")


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_every_header_and_label_line_fits_or_has_no_break_point(profile):
    layout = layout_for(profile)
    for sheet, block in layout.blocks():
        texts = []
        if isinstance(block, Table):
            texts = [(c.header, sum(sheet.widths[c.col : c.col + c.cols])) for c in block.columns if c.header]
        else:
            texts = [(x.text, sum(sheet.widths[x.col : x.col + x.cols])) for x in block.labels if x.style in ("label", "header")]
        for text, width in texts:
            for line in fitted_label(text, width).split("\n"):
                assert display_width(line) <= capacity(width) or not any(ch in line[1:] for ch in "（、，；"), (profile, text)
                assert not line.startswith(("）", ")")), (profile, text)


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_print_areas_end_with_the_form(profile):
    layout = layout_for(profile)
    spans = plan(layout)
    for sheet in layout.sheets:
        area = print_area(sheet, spans)
        if sheet.role in ("findings", "help"):
            assert area is None  # they grow when scored: print what they hold
            continue
        first_row, first_col, last_row, last_col = area
        assert (first_row, first_col) == (0, 0)
        assert last_col == printed_columns(sheet) - 1 < len(sheet.widths)
        assert last_row == max(spans[b.name].last for b in sheet.blocks) or sheet.print_last
        if sum(sheet.widths[: printed_columns(sheet)]) > 130:
            assert landscape(sheet)
