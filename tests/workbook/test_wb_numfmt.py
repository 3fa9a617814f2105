"""A cell's number format is part of its value: 0.9 shown as 90% is 90%, in the file reader."""

import datetime as dt
from decimal import Decimal as D

import openpyxl
from wbhelpers import build, cz_sample

from xlperf.scoring import score
from xlperf.workbook.reader import read_workbook


def test_percent_formatted_numbers_read_as_the_percentages_they_show(tmp_path):
    path = build(tmp_path, "cz2020", cz_sample())
    book = openpyxl.load_workbook(path)
    sheet = book["自评表"]
    # 系统可用率: target and actual pasted from an export as numbers with percent formats
    sheet["E16"], sheet["E16"].number_format = 0.999, "0.0%"
    sheet["G16"], sheet["G16"].number_format = 0.9995, "0.00%"
    # 用户满意度: 88% against a target of 90% shown as 0%
    sheet["E19"], sheet["E19"].number_format = 0.9, "0%"
    sheet["G19"], sheet["G19"].number_format = 0.88, '0.00"%"'  # a literal % sign: not a percent format
    sheet["J11"], sheet["J11"].number_format = 0.9432, "0.00%"  # 单位填报执行率
    sheet["G17"], sheet["G17"].number_format = 1.5, "0.0"  # a plain number stays a number
    book.save(path)
    evaluation, _ = read_workbook(path)
    ind = evaluation.indicators
    assert (ind[1].target, ind[1].actual) == ("99.9%", "99.95%")
    assert ind[4].target == "90%" and ind[4].actual == 0.88
    assert ind[2].actual == 1.5
    assert evaluation.funds.claimed_rate == "94.32%"
    results = score(evaluation)
    assert results.indicators[1].ratio == D("100.05")
    # 0.88 under a non-percent format against 90%: not 0.88 ÷ 90 read as 9777 %, nor 97.78 % silently
    assert results.indicators[4].ratio is None or results.indicators[4].ratio < 10000


def test_date_formatted_serials_read_as_dates(tmp_path):
    path = build(tmp_path, "cz2020", cz_sample())
    book = openpyxl.load_workbook(path)
    sheet = book["自评表"]
    sheet["G17"] = dt.datetime(2020, 11, 30)
    sheet["G17"].number_format = "yyyy-mm-dd"
    sheet["E17"] = "2020年12月底前"
    book.save(path)
    evaluation, _ = read_workbook(path)
    assert evaluation.indicators[2].actual in (dt.date(2020, 11, 30), dt.datetime(2020, 11, 30))
    assert score(evaluation).indicators[2].status == "met"
