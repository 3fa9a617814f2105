"""The sentence builders: the sample's wording, blanks left out, numbers formatted one way."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from xlperf.model import Indicator, RubricItem
from xlperf.report import safe_filename
from xlperf.report import sentences as s
from xlperf.results import Score, Subtotal

LABELS = {"reference": "参考标准", "target": "绩效目标值", "actual": "实际完成值"}


def score(ratio=None, status="met", points=None, weight=None, rule="positive", explanation=""):
    return Score(points, weight, ratio, rule, "", explanation, status)


@pytest.mark.parametrize("raw", [None, float("nan"), float("inf"), "None", "nan", "  ", Decimal("NaN")])
def test_blank_raw_values_show_as_nothing(raw):
    assert s.raw_text(raw) == ""


def test_raw_values_keep_what_was_typed():
    assert s.raw_text(57, "人") == "57人"
    assert s.raw_text("57人", "人") == "57人"
    assert s.raw_text(318.91) == "318.91"
    assert s.raw_text(2018.0) == "2018"
    assert s.raw_text(Decimal("3.120")) == "3.12"
    assert s.raw_text("a\x07b\r\nc ") == "ab\nc"


def test_placeholders_count_as_blank_notes():
    for raw in ("无", "/", "—", "N/A", None):
        assert s.note_text(raw) == ""


def test_punctuation_never_doubles():
    assert s.end("已完成。") == "已完成。"
    assert s.end("已完成；") == "已完成。"
    assert s.end("") == ""
    assert s.clauses("甲", "", "乙。", "，") == "甲，乙"


def test_circled_numbers_and_chinese_numbers():
    assert [s.circled(n) for n in (1, 20, 21, 35, 36, 50)] == ["①", "⑳", "㉑", "㉟", "㊱", "㊿"]
    assert s.circled(51) == "(51)"
    assert [s.chinese_number(n) for n in (1, 9, 10, 12, 20, 23)] == ["一", "九", "十", "十二", "二十", "二十三"]


def test_typed_numbering_is_replaced():
    assert s.strip_numbering("1.财务管理制度不够健全。") == "财务管理制度不够健全。"
    assert s.strip_numbering("（二）建议增加人员") == "建议增加人员"
    assert s.strip_numbering("三、加快支出") == "加快支出"
    assert s.strip_numbering("12345热线") == "12345热线"


def test_goal_line_in_the_sample_style():
    ind = Indicator(name="市委市政府云移动平台使用人数", reference="55人", target="57人", actual="59人")
    line = s.goal_line("①", ind, score(Decimal("103.51")), scored=False, labels=LABELS)
    assert line == "①市委市政府云移动平台使用人数，参考标准55人，绩效目标值57人，实际完成值59人，目标完成比值103.51%"


def test_missed_goal_carries_its_reason_and_blank_fields_drop_out():
    ind = Indicator(name="全年资金使用率", target="100%", actual="59.93%", reason="主要原因是电费节约。")
    line = s.goal_line("①", ind, score(Decimal("59.93"), "missed"), scored=False, labels=LABELS)
    assert line == "①全年资金使用率，绩效目标值100%，实际完成值59.93%，目标完成比值59.93%，未达到目标值，主要原因是电费节约"
    ind = Indicator(name="培训人次", target="100人次", reason="天气影响")
    line = s.goal_line("②", ind, score(status="unreadable", explanation="未填写实际完成值"), scored=True, labels=LABELS)
    assert line == "②培训人次，绩效目标值100人次，未填写实际完成值，未计算目标完成比值，偏差原因：天气影响"


def test_subgroup_closes_with_a_full_stop():
    assert s.subgroup_text(1, "数量目标", ["①甲", "②乙；"]) == "（1）数量目标：①甲；②乙。"


def test_rubric_item_uses_the_computed_metric_not_the_typed_situation():
    item = RubricItem(level1="投入", level2="资金落实", name="资金使用率", criterion="资金使用率大于95%得满分2分。",
                      situation="实际资金使用率为99.40%。", actual="99.40%")
    sc = score(status="missed", points=Decimal("0.00"), weight=Decimal(2), rule="threshold")
    assert s.item_label(7, item) + s.item_body(item, sc, Decimal("59.93")) == (
        "7.投入-资金落实-资金使用率。资金使用率大于95%得满分2分。实际资金使用率为59.93%，此项得0分。"
    )


def test_rubric_item_deduction_reason_is_not_repeated():
    item = RubricItem(name="管理制度健全性", criterion="有办法得满分2分。", situation="无专门办法，扣1分。", reason="无专门办法，扣1分")
    sc = score(status="manual", points=Decimal("1.00"), weight=Decimal(2), rule="manual")
    assert s.item_body(item, sc, None) == "有办法得满分2分。无专门办法，扣1分，此项得1分。"


def test_category_heading_states_both_weights_when_they_differ():
    assert s.category_heading(1, Subtotal("投入", Decimal(31), Decimal("29.00"), Decimal(30)), Decimal(100)) == (
        "第一是投入（30%）满分30分（各项分值合计31分），实际得分29分。"
    )
    assert s.category_heading(2, Subtotal("过程", Decimal(30), Decimal("24.84"), Decimal(30)), Decimal(100)) == (
        "第二是过程（30%）满分30分，实际得分24.84分。"
    )
    assert "（）" not in s.category_heading(3, Subtotal("（未填一级指标）", Decimal(5), Decimal(1), None), Decimal(100))


def test_funds_sentence_only_states_what_it_has():
    full = s.funds_sentence(
        {"basis": Decimal("318.91"), "received": Decimal("318.91"), "spent": Decimal("191.12"), "balance": Decimal("127.79")},
        {"rate": Decimal("59.93"), "received": Decimal("100.00"), "timely": None}, "总投入")
    assert full == "项目总投入318.91万元，实际到位资金318.91万元，资金到位率100.00%；实际支出191.12万元，资金使用率59.93%；结余127.79万元。"
    assert s.funds_sentence({"basis": None, "received": None, "spent": None, "balance": None},
                            {"rate": None, "received": None, "timely": None}, "总投入") == ""


def test_formats():
    assert s.pct(Decimal("103.505")) == "103.51%"
    assert s.wan(Decimal("318.9")) == "318.90万元"
    assert s.pts(Decimal("2.840")) == "2.84"
    assert s.pts(Decimal("3.00")) == "3"
    assert s.share(Decimal(30), Decimal(100)) == "30%"
    assert not math.isnan(float(s.pts(Decimal(0))))


def test_safe_filename():
    assert safe_filename('政务网/运维:费*"?<>|x') == "政务网_运维_费" + "_" * 6 + "x"
    assert safe_filename("CON") == "_CON"
    assert safe_filename("报告. ") == "报告"
    assert len(safe_filename("长" * 300)) <= 120
