"""The figures: Chinese labels that render, deterministic PNG bytes."""

from __future__ import annotations

import io
import warnings

from xlperf.report import charts

ROWS = [{"label": "市委市政府云移动平台使用人数", "value": 103.51}, {"label": "全年资金使用率", "value": 59.93}]
SCORES = [{"label": "投入", "weight": 30.0, "points": 29.0}, {"label": "产出与效益", "weight": 40.0, "points": 40.0}]


def test_a_cjk_font_is_found():
    font = charts.cjk_font()
    assert font in charts.CJK_FONTS


def test_charts_render_chinese_without_missing_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        for png in (charts.completion_chart(ROWS), charts.score_chart(SCORES)):
            assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_charts_are_deterministic_and_carry_no_software_stamp():
    first = charts.completion_chart(ROWS)
    assert charts.completion_chart(ROWS) == first
    assert b"matplotlib" not in first.lower()
    assert charts.score_chart(SCORES) == charts.score_chart(SCORES)


def test_no_data_no_chart():
    assert charts.completion_chart([]) is None
    assert charts.score_chart([]) is None


def test_fixed_dpi():
    from PIL import Image

    image = Image.open(io.BytesIO(charts.score_chart(SCORES)))
    assert round(image.info["dpi"][0]) == charts.DPI
    assert image.size[0] == round(charts.WIDTH_IN * charts.DPI)
