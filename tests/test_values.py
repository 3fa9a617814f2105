"""Reading 指标值: the examples of scoring-rules.md §4, the 2018 宁德 report, and properties."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlperf.values import (
    Kind,
    Value,
    comparable,
    fmt_number,
    fmt_plain,
    format_value,
    parse,
    same_unit,
    to_decimal,
)

N, DL, SV, Q, YN, E, U = (Kind.NUMBER, Kind.DEADLINE, Kind.SERVICE, Kind.QUALITATIVE,
                          Kind.YESNO, Kind.EMPTY, Kind.UNREADABLE)

# text -> (kind, op, number, unit)
NUMBERS = {
    # scoring-rules.md §4
    "≥50个": ("≥", "50", "个"),
    ">=28次": ("≥", "28", "次"),
    "≧735": ("≥", "735", ""),
    "10 台套": (None, "10", "台套"),
    "≥95%": ("≥", "95", "%"),
    "≥ │95│ %": ("≥", "95", "%"),
    "≥100百分比": ("≥", "100", "%"),
    "=100%": ("=", "100", "%"),
    "═100": ("=", "100", ""),
    "足额保障率=100%": ("=", "100", "%"),
    "≤90万元": ("≤", "900000", "元"),
    "≤10次": ("≤", "10", "次"),
    "结余率…≤5%": ("≤", "5", "%"),
    "≤1天": ("≤", "1", "天"),
    "15万元。": (None, "150000", "元"),
    "按合同10.5万元。": (None, "105000", "元"),
    "3.12万件": (None, "31200", "件"),
    "550万粒": (None, "5500000", "粒"),
    "辖区企业满意率达95%以上": ("≥", "95", "%"),
    "≥266米": ("≥", "266", "米"),
    # the 2018 宁德 report and the brief
    "≥57人": ("≥", "57", "人"),
    "2.5天": (None, "2.5", "天"),
    "0.5天": (None, "0.5", "天"),
    "≤3天": ("≤", "3", "天"),
    "9567场": (None, "9567", "场"),
    "40万件": (None, "400000", "件"),
    "60.2万件": (None, "602000", "件"),
    "60.2万": (None, "602000", ""),
    "2.1万": (None, "21000", ""),
    "2.25万个": (None, "22500", "个"),
    "318.91万元": (None, "3189100", "元"),
    "95%以上": ("≥", "95", "%"),
    "参考值95%以上": ("≥", "95", "%"),
    "20M": (None, "20", "M"),
    "96.75%": (None, "96.75", "%"),
    "59.93%": (None, "59.93", "%"),
    "52万份": (None, "520000", "份"),
    "28期": (None, "28", "期"),
    "180条": (None, "180", "条"),
    "25.6万次": (None, "256000", "次"),
    "不低于95%": ("≥", "95", "%"),
    "达到57人": ("≥", "57", "人"),
    # full-width, separators, noise
    "≥９５％": ("≥", "95", "%"),
    "＞９５．５％": (">", "95.5", "%"),
    "１２３，４５６．７８万元": (None, "1234567800", "元"),
    "1,234件": (None, "1234", "件"),
    "1，234件": (None, "1234", "件"),
    "≥ 95 %；": ("≥", "95", "%"),
    "| 95 | %": (None, "95", "%"),
    # units and multipliers
    "3亿元": (None, "300000000", "元"),
    "5千元": (None, "5000", "元"),
    "1.5亿": (None, "150000000", ""),
    "5‰": (None, "0.5", "%"),
    "3个百分点": (None, "3", "%"),
    "3个工作日": (None, "3", "工作日"),
    "≤5工作日": ("≤", "5", "工作日"),
    "12人次": (None, "12", "人次"),
    "5台（套）": (None, "5", "台套"),
    "3户": (None, "3", "户"), "4项": (None, "4", "项"), "2篇": (None, "2", "篇"),
    "6台": (None, "6", "台"), "7套": (None, "7", "套"), "8家": (None, "8", "家"),
    "9册": (None, "9", "册"), "1份": (None, "1", "份"), "2日": (None, "2", "天"),
    "3小时": (None, "3", "小时"), "4个月": (None, "4", "月"), "2年": (None, "2", "年"),
    "5公里": (None, "5", "公里"), "266米": (None, "266", "米"), "100平方米": (None, "100", "平方米"),
    "30亩": (None, "30", "亩"), "12吨": (None, "12", "吨"), "85分": (None, "85", "分"),
    "100元": (None, "100", "元"),
    "20Mb": (None, "20", "MB"),
    "1G": (None, "1", "G"),
    "5辆以上": ("≥", "5", "辆"),
    "2次/年": (None, "2", "次/年"),
    "-5%": (None, "-5", "%"),
    "≥-5": ("≥", "-5", ""),
    "3天内完成": ("≤", "3", "天"),
    "95%(含)以上": ("≥", "95", "%"),
    "90%及以下": ("≤", "90", "%"),
    "2018.13": (None, "2018.13", ""),
    "全年召开会议12次以上": ("≥", "12", "次"),
}


@pytest.mark.parametrize("text", NUMBERS)
def test_numbers(text):
    op, number, unit = NUMBERS[text]
    v = parse(text)
    assert (v.kind, v.op, v.number, v.unit) == (N, op, D(number), unit)
    assert v.text == text


def test_multiplier_is_exact():
    v = parse("3.12万")
    assert v.number == D("31200") and str(v.number) == "31200"


SIGNS = [
    ("≥", "≥"), (">=", "≥"), ("≧", "≥"), ("＞", ">"), (">", ">"), ("=", "="), ("＝", "="),
    ("═", "="), ("≤", "≤"), ("<=", "≤"), ("≦", "≤"), ("＜", "<"), ("<", "<"),
    ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("达到", "≥"), ("达", "≥"),
    ("小于等于", "≤"), ("不高于", "≤"), ("不超过", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"), ("等于", "="),
]


@pytest.mark.parametrize("sign,op", SIGNS)
def test_sign_before(sign, op):
    v = parse(f"{sign}95%")
    assert (v.kind, v.op, v.number, v.unit) == (N, op, D(95), "%")


@pytest.mark.parametrize("word,op", [("以上", "≥"), ("及以上", "≥"), ("以下", "≤"),
                                     ("及以下", "≤"), ("以内", "≤")])
def test_word_after(word, op):
    v = parse(f"95%{word}")
    assert (v.kind, v.op, v.number, v.unit) == (N, op, D(95), "%")
    v = parse(f"满意率达到{word}")  # no number: a statement
    assert v.kind is Q


DEADLINES = {
    "2018年12月前": ("≤", (2018, 12, None)),
    "2018年12月底前": ("≤", (2018, 12, None)),
    "2023年12月前": ("≤", (2023, 12, None)),
    "12月底前": ("≤", (None, 12, None)),
    "12月底之前完成": ("≤", (None, 12, None)),
    "当年度5月份": (None, (None, 5, None)),
    "5月份": (None, (None, 5, None)),
    "2018年12月": (None, (2018, 12, None)),
    "2018年12月已完成": (None, (2018, 12, None)),
    "2023年6月30日前": ("≤", (2023, 6, 30)),
    "2018-12-31": (None, (2018, 12, 31)),
    "2018/12/31": (None, (2018, 12, 31)),
    "2018.12": (None, (2018, 12, None)),
    "2020年全年": (None, (2020, 12, 31)),
    "2018年底前": ("≤", (2018, 12, None)),
    "年底前完成": ("≤", (None, 12, None)),
    "计划于2018年12月以前完成": ("≤", (2018, 12, None)),
    "≤2018-12-31": ("≤", (2018, 12, 31)),
}


@pytest.mark.parametrize("text", DEADLINES)
def test_deadlines(text):
    op, deadline = DEADLINES[text]
    v = parse(text)
    assert (v.kind, v.op, v.deadline) == (DL, op, deadline)


def test_date_cells():
    assert parse(dt.date(2018, 12, 31)).deadline == (2018, 12, 31)
    v = parse(dt.datetime(2018, 5, 2, 13, 30))
    assert (v.kind, v.deadline, v.op) == (DL, (2018, 5, 2), None)


@pytest.mark.parametrize("text,hours", [("7*24小时", 168), ("7×24小时", 168), ("7x24", 168),
                                        ("5*8小时", 40), ("７＊２４小时", 168), ("40小时/周", 40)])
def test_service(text, hours):
    v = parse(text)
    assert (v.kind, v.number, v.unit) == (SV, D(hours), "小时/周")


QUALITATIVE = {
    "达成年度指标": "met", "部分达成年度指标并具有一定效果": "partial", "未达成年度指标且效果较差": "missed",
    "好": "met", "优": "met", "优秀": "met", "达到预期": "met", "达成": "met", "完成": "met",
    "已完成": "met", "有效": "met", "效果明显": "met", "显著": "met",
    "较好": "partial", "良": "partial", "良好": "partial", "部分达成": "partial", "基本达成": "partial",
    "基本完成": "partial", "较明显": "partial",
    "一般": "missed", "差": "missed", "较差": "missed", "未达成": "missed", "未完成": "missed",
    "不明显": "missed",
    "优秀。": "met",
    "已达成年度指标，效果明显": "met",
    "严格执行相关制度规定": None,
    "在项目计划完成时间内完成": None,
    "12345热线呼叫前台服务": None,
    "2018年1月1日至2018年12月31日": None,
}


@pytest.mark.parametrize("text", QUALITATIVE)
def test_qualitative(text):
    v = parse(text)
    assert (v.kind, v.level, v.op, v.number) == (Q, QUALITATIVE[text], None, None)


@pytest.mark.parametrize("text,level", [("是", "yes"), ("否", "no"), ("有", "yes"), ("无", "no"),
                                        (True, "yes"), (False, "no")])
def test_yesno(text, level):
    v = parse(text)
    assert (v.kind, v.level) == (YN, level)


@pytest.mark.parametrize("raw,note", [(None, ""), ("", ""), ("   ", ""), ("\t\n", ""),
                                      ("—", "不适用"), ("--", "不适用"), ("-", "不适用"),
                                      ("/", "不适用"), ("／", "不适用"), ("不适用", "不适用"),
                                      ("N/A", "不适用"), ("n/a", "不适用")])
def test_empty(raw, note):
    v = parse(raw)
    assert (v.kind, v.note) == (E, note)
    assert v.text == ("" if raw is None else raw)


@pytest.mark.parametrize("raw,note", [
    ("1e999999", "数值过大"), ("1" * 10_000, "数值过大"), ("80%-90%", "数值为区间，无法识别"),
    ("3*5米", "含算式，无法识别"), ("2018年13月", "日期无效"), (b"95%", "无法识别的单元格内容"),
    (float("inf"), "数值无效"), (D("-Infinity"), "数值无效"), (10**20, "数值过大"), ("≥%", "无法识别数值"),
])
def test_unreadable(raw, note):
    v = parse(raw)
    assert (v.kind, v.note) == (U, note)
    assert v.text


def test_weird_objects_keep_their_text():
    class Bad:
        def __str__(self):
            raise RuntimeError("no")

    assert parse(Bad()).kind is U
    assert parse(object()).text.startswith("<object")
    assert parse("95\x00%\ud800").number == D(95)
    assert parse(float("nan")).kind is E


def test_cell_numbers_and_hints():
    assert (parse(57, "人").number, parse(57, "人").unit) == (D(57), "人")
    assert parse(318.91).number == D("318.91")
    v = parse("318.91", "万元")
    assert (v.number, v.unit) == (D("3189100"), "元")
    v = parse(318.91, "万元")
    assert (v.number, v.unit) == (D("3189100"), "元")
    assert parse("57", "人").unit == "人"
    assert parse("57件", "人").unit == "件"  # the cell's own unit wins
    assert (parse("95", "%").number, parse("95", "%").unit) == (D(95), "%")
    assert parse("3.12万", "件").number == D(31200)
    assert parse("3.12万", "万件").number == D(31200)  # 万 is not applied twice
    assert parse("2018.12", "万元").kind is N
    assert parse("5", "次/年").unit == "次/年"


def test_excel_percent_floats():
    assert parse(0.9567, "%").number == D("95.67")
    assert parse(1.0, "%").number == D(100)
    assert parse(0.9567).number == D("0.9567")  # no hint, no guess
    assert parse(0.9567, "人").number == D("0.9567")
    assert parse(2.0, "%").number == D(2)  # above 1.5: already percent points
    assert parse(1, "%").number == D(1)  # int: never rescaled
    assert parse(D("0.95"), "%").number == D("0.95")


def test_same_unit_and_comparable():
    assert comparable(parse("3.12万件"), parse("30000件")) == (D(31200), D(30000))
    assert comparable(parse("≥8500件"), parse("9567场")) is None
    assert same_unit(parse("8500件"), parse("9567场")) is False
    assert same_unit(parse("57人"), parse("59件")) is False
    assert comparable(parse("1天"), parse("12小时")) == (D(24), D(12))  # the finer unit
    assert comparable(parse("≤1日"), parse("0.5天")) == (D(1), D("0.5"))
    assert same_unit(parse("5工作日"), parse("5天")) is False
    assert comparable(parse("5工作日"), parse("4个工作日")) == (D(5), D(4))
    assert comparable(parse("≤90万元"), parse("898000元")) == (D(900000), D(898000))
    assert comparable(parse("1亿元"), parse("9000万元")) == (D(10**8), D(9 * 10**7))
    assert same_unit(parse("20"), parse("20M")) is None
    assert comparable(parse("20"), parse("20M")) == (D(20), D(20))
    assert comparable(parse("1G"), parse("800M")) == (D(1000), D(800))
    assert comparable(parse("20M"), parse("20Mb")) == (D(20), D(20))
    assert comparable(parse("好"), parse("10件")) is None


@pytest.mark.parametrize("raw,expected", [
    ("318.91", "318.91"), ("３１８．９１", "318.91"), ("1,234.5", "1234.5"), ("  12 ", "12"),
    ("318.91万元", "318.91"), ("5分", "5"), ("95%", "95"), ("-3.5", "-3.5"), (318.91, "318.91"),
    (7, "7"), (D("2.50"), "2.50"), ("1，234", "1234"), ("￥100", "100"),
])
def test_to_decimal(raw, expected):
    assert to_decimal(raw) == D(expected)


@pytest.mark.parametrize("raw", [None, True, False, "", "abc", "≥95%", "1-2", float("nan"),
                                 float("inf"), D("NaN"), "1e999999", b"1", "12345热线呼叫前台服务",
                                 dt.date(2018, 1, 1), "1,23"])
def test_to_decimal_none(raw):
    assert to_decimal(raw) is None


def test_fmt():
    assert fmt_number(D("2.675"), 2) == "2.68"
    assert fmt_number(D("103.505")) == "103.51"
    assert fmt_number(D("103.5"), 0) == "104"
    assert fmt_number(D("5")) == "5.00"
    assert fmt_number(D("-0.001")) == "0.00"
    assert fmt_plain(D("57")) == "57"
    assert fmt_plain(D("3.120")) == "3.12"
    assert fmt_plain(D("1E+4")) == "10000"
    assert fmt_plain(D("0.000")) == "0"
    assert fmt_plain(D("-2.50")) == "-2.5"


@pytest.mark.parametrize("text,canonical", [
    ("3.12万件", "31200件"), ("≥ 95 %", "≥95%"), ("95%以上", "≥95%"), ("≤90万元", "≤900000元"),
    ("12月底之前完成", "12月底前"), ("2023年6月30日前", "2023年6月30日前"), ("2020年全年", "2020年12月31日"),
    ("7×24小时", "7*24小时"), ("5*8小时", "40小时/周"), ("好", "达成年度指标"), ("较好", "部分达成年度指标并具有一定效果"),
    ("有", "是"), ("—", ""), ("严格执行相关制度规定", "严格执行相关制度规定"), ("80%-90%", "80%-90%"),
    ("4个月", "4个月"),
])
def test_format_value(text, canonical):
    assert format_value(parse(text)) == canonical


# ---------------------------------------------------------------- properties


def key(v: Value):
    return v.kind, v.op, v.number, v.unit, v.deadline, v.level


OPS = st.sampled_from([None, "≥", ">", "=", "≤", "<"])
UNITS = ["", "%", "件", "人", "人次", "场", "期", "次", "个", "条", "家", "户", "项", "台套", "天", "小时",
         "月", "年", "元", "公里", "平方米", "吨", "粒", "册", "分", "工作日", "M", "G", "辆"]
CELLS = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.decimals(),
                  st.dates(), st.datetimes(), st.booleans(), st.binary())


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_parse_never_raises_on_text(s):
    v = parse(s)
    assert v.text == s
    assert parse(s, s).text == s


@settings(deadline=None, max_examples=200)
@given(st.text(alphabet="0123456789.,%万亿千≥≤<>=＞＝以上下内前底年月日号份天人件*×x-/ 　｜达不低于"))
def test_parse_never_raises_on_value_like_text(s):
    v = parse(s)
    assert v.text == s
    if v.kind in (N, U):
        assert parse(format_value(v)).text == format_value(v)


@settings(deadline=None, max_examples=200)
@given(CELLS, st.sampled_from([None, "%", "万元", "人", "", "x"]))
def test_parse_never_raises_on_cells(raw, hint):
    v = parse(raw, hint)
    assert isinstance(v.kind, Kind)
    assert to_decimal(raw) is None or isinstance(to_decimal(raw), D)


NUMBER_VALUES = st.builds(
    lambda op, n, unit: Value(N, "", op=op, number=n, unit=unit),
    OPS, st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=0, max_value=10**12),
    st.sampled_from(UNITS),
)
DAYS = st.integers(1, 28)
DEADLINE_VALUES = st.builds(
    lambda y, m, d, op: Value(DL, "", op=op, deadline=(y, m, d)),
    st.one_of(st.none(), st.integers(1900, 2199)), st.integers(1, 12), st.one_of(st.none(), DAYS),
    st.sampled_from([None, "≤"]),
)
SERVICE_VALUES = st.builds(
    lambda op, n: Value(SV, "", op=op, number=n, unit="小时/周"),
    OPS, st.one_of(st.integers(1, 24).map(lambda h: D(7 * h)),
                   st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=168)),
)
OTHER_VALUES = st.one_of(
    st.sampled_from(["met", "partial", "missed"]).map(lambda lvl: Value(Q, "", level=lvl)),
    st.sampled_from(["严格执行相关制度规定", "在项目计划完成时间内完成"]).map(lambda t: Value(Q, t)),
    st.sampled_from(["yes", "no"]).map(lambda lvl: Value(YN, "", level=lvl)),
    st.just(Value(E, "")),
)


@settings(deadline=None, max_examples=300)
@given(st.one_of(NUMBER_VALUES, DEADLINE_VALUES, SERVICE_VALUES, OTHER_VALUES))
def test_format_parse_round_trip(v):
    assert key(parse(format_value(v))) == key(v)


@settings(deadline=None, max_examples=200)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**15), max_value=10**15))
def test_to_decimal_reads_fmt_plain(d):
    assert to_decimal(fmt_plain(d)) == d
    assert D(fmt_number(d, 4)) - d <= D("0.00005")


@settings(deadline=None, max_examples=100)
@given(st.text())
def test_unreadable_round_trip(s):
    v = parse(s)
    if v.kind is U:
        assert parse(format_value(v)).text == v.text


@pytest.mark.parametrize("text, deadline", [
    ("2023年第三季度末前", (2023, 9, None)), ("2023年第三季度", (2023, 9, None)), ("第四季度", (None, 12, None)),
    ("上半年", (None, 6, None)), ("2023年下半年", (2023, 12, None)), ("年底前", (None, 12, None)),
    ("当年完成", (None, 12, None)), ("年内完成", (None, 12, None)), ("2023年第1季度前完成", (2023, 3, None)),
])
def test_periods_are_deadlines(text, deadline):
    v = parse(text)
    assert v.kind is DL and v.deadline == deadline and v.op == "≤"


@pytest.mark.parametrize("text, level", [
    ("达成预期指标", "met"), ("部分达成预期指标", "partial"), ("未达成预期指标", "missed"), ("基本达到", "partial"),
    ("基本完成", "partial"), ("全部完成", "met"), ("已完成", "met"), ("已按期完成", "met"), ("未按期完成", "missed"),
])
def test_common_qualitative_wording(text, level):
    v = parse(text)
    assert v.level == level


@pytest.mark.parametrize("text", ["5=50%", "M.8万元", "290$", "≥10-20人", "300#", "A.5万元", "20平方米x"])
def test_malformed_text_is_unreadable_never_a_fragment(text):
    v = parse(text)
    assert v.kind is U and v.text == text and v.number is None


def test_centimetres_are_a_length_not_a_fragment():
    assert parse("50厘米").unit == "厘米" and comparable(parse("≥0.5米"), parse("50厘米")) == (D(50), D(50))


@pytest.mark.parametrize("nature, op", [("≧", "≥"), ("═", "="), ("﹦", "="), ("≦", "≤"), ("＜", "<"), ("不低于", "≥"),
                                        ("大于等于", "≥"), ("1", "≥"), ("3", "="), ("5", "≤"), ("6", "定性"), ("9", "其他")])
def test_nature_signs(nature, op):
    from xlperf.values import nature_op
    assert nature_op(nature) == op


def test_a_dotted_number_past_any_plausible_year_is_a_number():
    """≤2194.01 was read as January 2194 and the actual 0.00 became unreadable (found by the property test)."""
    from xlperf.values import parse

    assert parse("≤2194.01").number == __import__("decimal").Decimal("2194.01")
    assert parse("2018.12").deadline == (2018, 12, None)
