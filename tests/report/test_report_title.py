"""The report title laid out in lines between words (GB/T 9704 7.3.1), without a word segmenter."""

from __future__ import annotations

import pytest

from xlperf.report.context import _title
from xlperf.report.title import LINE_CHARS, name_pieces, text_width, title_lines


@pytest.mark.parametrize("unit,name,year,lines", [
    ("某县水利局", "2023年农村饮水安全巩固提升工程", "2023",
     ["某县水利局", "关于2023年农村饮水安全巩固提升工程", "项目支出的绩效自评报告"]),
    ("宁德市数字宁德建设办公室", "2018年度政务网等运行维护费", "2018",
     ["宁德市数字宁德建设办公室", "关于2018年度政务网等运行维护费", "项目支出的绩效自评报告"]),
    ("某市财政局", "全市中小学校舍安全改造与智慧校园建设补助资金（第二批）", "2024",
     ["某市财政局", "关于2024年度全市中小学校舍安全改造", "与智慧校园建设补助资金（第二批）", "项目支出的绩效自评报告"]),
    ("", "高标准农田", "2021", ["关于2021年度高标准农田", "项目支出的绩效自评报告"]),
    ("", "短", "2021", ["关于2021年度短项目支出的绩效自评报告"]),
])
def test_title_lines(unit, name, year, lines):
    title = _title({"unit": unit, "name": name, "year": year})
    assert title["lines"] == lines
    assert all(text_width(line) <= LINE_CHARS for line in title["lines"])


def test_name_pieces_keep_words_and_brackets_whole():
    assert name_pieces("2018年度政务网等运行维护费") == ["2018年度", "政务网等运行", "维护费"]
    assert "（第二批）" in name_pieces("补助资金（第二批）")


def test_a_piece_wider_than_a_line_is_cut_as_a_last_resort():
    lines = title_lines([["某" * 30]])
    assert lines == ["某" * 20, "某" * 10]


def test_digits_count_half():
    assert text_width("2024年") == 3
