"""The traffic-light arithmetic against hand-computed values, at each band edge (cz2020 [monitoring])."""

from decimal import Decimal as D

import pytest

from xlperf.errors import ProfileError
from xlperf.stages.lights import budget_light, indicator_light, project_light
from xlperf.stages.rules import monitoring_rules, rules_from_dict
from xlperf.values import parse

RULES = monitoring_rules("cz2020")


# Budget 100万元 at the end of July: time progress 7/12 = 58.33%.
# ratio = 执行率 ÷ 58.33% × 100 = spent × 1200 ÷ 700; so spent 35 → 60, spent 46.6667 → 80.
@pytest.mark.parametrize(
    ("spent", "light", "ratio"),
    [
        ("0", "红", "0"),
        ("34.99", "红", "59.98285714"),  # 34.99 × 12/7 = 59.982857…
        ("35", "黄", "60"),  # exactly 60: not below 60
        ("46.66", "黄", "79.98857143"),
        ("46.6667", "绿", "80.00005714"),
        ("100", "绿", "171.4285714"),
    ],
)
def test_budget_light_edges(spent, light, ratio):
    result = budget_light(D(spent), D(100), 7, RULES)
    assert result.light == light
    assert abs(result.ratio - D(ratio)) < D("0.00001")


def test_budget_light_hand_computed_text_and_month():
    # June: time progress 50%; 执行率 40% → ratio 80 → green
    result = budget_light(D(80), D(200), 6, RULES)
    assert (result.light, result.ratio) == ("绿", D(80))
    assert "执行率40.00%" in result.explanation and "应为50.00%" in result.explanation
    # the same money in December (time progress 100%) is red: 40 < 60
    assert budget_light(D(80), D(200), 12, RULES).light == "红"


def test_budget_light_cannot_be_computed_without_amounts():
    assert budget_light(None, D(100), 7, RULES).light is None
    assert budget_light(D(5), None, 7, RULES).light is None
    assert budget_light(D(5), D(0), 7, RULES).light is None


# Target ≥120件 at July: due 120 ÷ 12 × 7 = 70件. ratio = actual ÷ 70 × 100.
@pytest.mark.parametrize(
    ("actual", "light", "ratio"),
    [
        ("41.99", "红", "59.98571"),
        ("42", "黄", "60"),
        ("55.99", "黄", "79.98571"),
        ("56", "绿", "80"),
        ("83.99", "绿", "119.98571"),
        ("84", "蓝", "120"),  # ahead of plan
    ],
)
def test_positive_indicator_edges(actual, light, ratio):
    result = indicator_light("≥", parse("≥120件"), parse(actual, "件"), parse(None), 7, RULES)
    assert result.light == light
    assert abs(result.ratio - D(ratio)) < D("0.00001")


def test_positive_indicator_units_reconcile_and_explain():
    # 3.6万人 target, 2.1万人 by July: 21000 ÷ (36000 ÷ 12 × 7 = 21000) = 100% → green
    result = indicator_light("", parse("≥3.6万人"), parse("2.1万人"), parse(None), 7, RULES)
    assert (result.light, result.ratio) == ("绿", D(100))
    assert "按进度应完成21000.00人" in result.explanation


def test_percent_indicator_is_not_prorated_by_default():
    # 满意度 ≥95%: 76% is 80% of the target → green at the edge; 75.9% → yellow
    assert indicator_light("≥", parse("≥95%"), parse("76%"), parse(None), 7, RULES).light == "绿"
    assert indicator_light("≥", parse("≥95%"), parse("75.9%"), parse(None), 7, RULES).light == "黄"
    prorated = rules_from_dict({**_table(), "prorate_percent": True}, "test")
    # prorated: 76 ÷ (95 ÷ 12 × 7 = 55.4167) = 137.14 → blue
    assert indicator_light("≥", parse("≥95%"), parse("76%"), parse(None), 7, prorated).light == "蓝"


def test_reverse_indicator_within_and_over():
    target = parse("≤50万元")
    assert indicator_light("≤", target, parse("20万元"), parse("50万元"), 7, RULES).light == "绿"  # forecast = limit
    assert indicator_light("≤", target, parse("20万元"), parse("50.01万元"), 7, RULES).light == "红"
    assert indicator_light("≤", target, parse("51万元"), parse(None), 7, RULES).light == "红"  # no forecast: to date
    assert indicator_light("＜", parse("＜50万元"), parse("1"), parse("50万元"), 7, RULES).light == "红"  # strict


def test_qualitative_deadline_and_yesno_indicators():
    assert indicator_light("定性", parse("达成年度指标"), parse("达成"), parse(None), 7, RULES).light == "绿"
    assert indicator_light("定性", parse("达成年度指标"), parse("部分达成"), parse(None), 7, RULES).light == "黄"
    assert indicator_light("定性", parse("达成年度指标"), parse("未达成"), parse(None), 7, RULES).light == "红"
    deadline = parse("2024年6月底前")
    assert indicator_light("", deadline, parse("2024年6月20日"), parse(None), 7, RULES).light == "绿"
    assert indicator_light("", deadline, parse("2024年7月5日"), parse(None), 7, RULES).light == "红"
    assert indicator_light("", parse("是"), parse("否"), parse(None), 7, RULES).light == "黄"


def test_indicator_light_not_guessed():
    assert indicator_light("≥", parse("≥120件"), parse(None), parse(None), 7, RULES).light is None
    assert indicator_light("≥", parse("≥120件"), parse("42场"), parse(None), 7, RULES).light is None  # 件 vs 场
    assert indicator_light("≥", parse("≥0件"), parse("4件"), parse(None), 7, RULES).light is None
    assert indicator_light("定性", parse("达成年度指标"), parse("正在推进"), parse(None), 7, RULES).light is None


def test_project_light_is_the_worst():
    g, y, b = (indicator_light("≥", parse("≥120件"), parse(x, "件"), parse(None), 7, RULES) for x in ("70", "50", "90"))
    red_budget = budget_light(D(10), D(100), 7, RULES)
    assert project_light([g, b], None, RULES) == "绿"
    assert project_light([g, y, b], None, RULES) == "黄"
    assert project_light([g, b], red_budget, RULES) == "红"
    no_budget = rules_from_dict({**_table(), "project_includes_budget": False}, "test")
    assert project_light([g, b], red_budget, no_budget) == "绿"
    assert project_light([], None, RULES) is None


def _table():
    import tomllib
    from importlib import resources

    return tomllib.loads((resources.files("xlperf") / "profiles" / "cz2020.toml").read_text(encoding="utf-8"))["monitoring"]


def test_thresholds_are_profile_data():
    strict = rules_from_dict({**_table(), "budget": [{"below": 90, "light": "红"}, {"light": "绿"}]}, "test")
    assert budget_light(D(50), D(100), 7, strict).light == "红"  # ratio 85.71 < 90
    assert budget_light(D(50), D(100), 7, RULES).light == "绿"
    assert monitoring_rules("fj2018") == RULES  # a profile without [monitoring] uses cz2020's


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"budget": [{"below": 80, "light": "红"}, {"below": 60, "light": "黄"}, {"light": "绿"}]}, "由小到大"),
        ({"budget": [{"below": 60, "light": "红"}]}, "最后一档"),
        ({"budget": [{"below": 60, "light": "紫"}, {"light": "绿"}]}, "不在 order"),
        ({"month": 13}, "1 到 12"),
        ({"qualitative": {"met": "绿"}}, "met、partial、missed"),
        ({"speed": 1}, "未知"),
        ({"prorate_percent": "yes"}, "true 或 false"),
    ],
)
def test_invalid_monitoring_tables_are_refused(change, message):
    with pytest.raises(ProfileError, match=message):
        rules_from_dict({**_table(), **change}, "test")


def test_staff_doc_examples():
    """The numbers quoted in docs/运行监控红绿灯.md."""
    assert budget_light(D(160), D(300), 7, RULES).light == "绿"
    assert budget_light(D(105), D(300), 7, RULES).ratio == D(60)
    assert budget_light(D(105), D(300), 7, RULES).light == "黄"
    assert budget_light(D("104.99"), D(300), 7, RULES).light == "红"
