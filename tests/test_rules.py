"""Every scoring rule, each on its met and its failing side, through the public score()."""

from decimal import Decimal as D

import pytest

from xlperf.errors import ProfileError
from xlperf.model import Evaluation, Indicator, RubricItem
from xlperf.profile import load_profile
from xlperf.rules import parse_rule
from xlperf.scoring import score


def one(target, actual, weight=10, nature=None, rule=None, claimed=None, unit=None, settings=None):
    ev = Evaluation(
        profile="cz2020",
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="指标", nature=nature, target=target, unit=unit,
                      actual=actual, weight=weight, rule=rule, claimed_score=claimed)
        ],
        settings=settings or {},
    )
    return score(ev).indicators[0]


# The sample's own figures (2018 宁德): completion ratio, uncapped, two decimals.
@pytest.mark.parametrize(
    "target, actual, ratio",
    [
        ("57人", "59人", "103.51"),
        ("52万", "60.2万", "115.77"),
        ("155场", "162场", "104.52"),
        ("8500件", "9567件", "112.55"),
        ("3万件", "3.12万件", "104.00"),
        ("32期", "40期", "125.00"),
        ("620件", "695件", "112.10"),
        ("2.1万", "2.25万", "107.14"),
        ("318.91万元", "191.12万元", "59.93"),
    ],
)
def test_sample_completion_ratios(target, actual, ratio):
    s = one(target, actual)
    assert s.ratio == D(ratio)


def test_ratio_uncapped_score_capped():
    s = one("32期", "40期", weight=3)
    assert s.ratio == D("125.00")
    assert s.points == D(3)
    assert s.status == "met"


def test_explanation_states_the_arithmetic():
    s = one("57人", "59人", weight=2)
    assert s.explanation == "59人÷57人=103.51%，达到目标值，得满分2分"


def test_positive_missed_is_proportional():
    s = one("≥50个", "40个", weight=10)
    assert s.points == D("8.00")
    assert s.status == "missed"
    assert "40个÷50个=80.00%" in s.explanation and "=8分" in s.explanation


def test_positive_negative_actual_scores_zero():
    assert one("≥50", "-5").points == D(0)


@pytest.mark.parametrize("target, actual", [("≤3天", "2.5天"), ("≤1天", "0.5天")])
def test_reverse_met_gets_full_marks(target, actual):
    s = one(target, actual, weight=4)
    assert s.points == D(4)
    assert s.status == "met"


def test_reverse_ratio_variant_missed():
    s = one("≤3天", "4天", weight=4)
    assert s.points == D("3.00")  # 4 × 3 ÷ 4
    assert s.ratio == D("75.00")


def test_reverse_linear_variant_missed_and_zero_at_twice():
    s = one("≤3天", "4天", weight=6, settings={"反向计分": "线性"})
    assert s.points == D("4.00")  # (1 − 1/3) × 6
    assert one("≤3天", "6天", weight=6, settings={"反向计分": "线性"}).points == D(0)


@pytest.mark.parametrize("target, actual", [("≤-5", "0"), ("≤-5", "-1"), ("≤0", "3"), ("≤-2", "4")])
def test_reverse_ratio_target_at_or_below_zero_exceeded_scores_zero(target, actual):
    s = one(target, actual, weight=4)  # once divided by the actual (0 here): DivisionByZero
    assert (s.points, s.ratio, s.status) == (D(0), None, "missed")
    assert s.explanation == f"目标{target[1:]}以内，实际{actual}，未达到目标值，得0分"


def test_reverse_by_nature_column():
    assert one("3", "4", weight=4, nature="≤", unit="天").points == D("3.00")


def test_reverse_hours_and_days_reconcile():
    assert one("≤1天", "12小时", weight=2).points == D(2)


def test_equal_positive_target_and_zero_target():
    assert one("=100%", "100%", weight=5).points == D(5)
    assert one("=100%", "98%", weight=5).points == D("4.90")
    assert one("=0", "0", weight=5).points == D(5)
    assert one("=0", "1", weight=5).points == D(0)


@pytest.mark.parametrize(
    "actual, claimed, points",
    [
        ("达成年度指标", None, "10.00"),
        ("达成年度指标", 8.5, "8.50"),
        ("部分达成年度指标并具有一定效果", None, "7.99"),
        ("部分达成年度指标并具有一定效果", 6, "6.00"),
        ("未达成年度指标且效果较差", 3, "3.00"),
        ("好", None, "10.00"),
        ("较好", 7, "7.00"),
    ],
)
def test_qualitative_bands(actual, claimed, points):
    s = one("达成年度指标", actual, weight=10, nature="定性", claimed=claimed)
    assert s.points == D(points)


def test_qualitative_score_outside_band_is_rejected():
    ev = Evaluation(indicators=[Indicator(level1="产出指标", name="定性", nature="定性", target="有效", actual="达成年度指标", weight=10, claimed_score=5)])
    res = score(ev)
    assert res.indicators[0].points == D(8)  # the nearest band edge, not the rejected 5 nor the top
    assert any(f.code == "qualitative.band" and f.severity == "error" for f in res.findings)


def test_qualitative_score_just_below_band_is_clamped_to_its_edge_not_its_top():
    # 7.9 in the 8–10 band must not become 10 (that flips 良 to 优 on a tight total)
    s = one("有效", "达成年度指标", weight=10, nature="定性", claimed=D("7.9"))
    assert s.points == D(8)
    s = one("有效", "部分达成年度指标并具有一定效果", weight=10, nature="定性", claimed=D("8.5"))
    assert s.points == D("7.99")
    s = one("有效", "未达成年度指标且效果较差", weight=10, nature="定性", claimed=D("7"))
    assert s.points == D("5.99")


def test_qualitative_without_self_score_takes_band_top_with_a_warning():
    ev = Evaluation(indicators=[Indicator(level1="产出指标", name="定性", nature="定性", target="有效", actual="达成年度指标", weight=10)])
    res = score(ev)
    assert res.indicators[0].points == D(10)
    found = [f for f in res.findings if f.code == "qualitative.default_top"]
    assert found and found[0].severity == "warning" and "上限" in found[0].message


def test_qualitative_lower_cut_configurable():
    # With the cut at 50, 5 of 10 is inside 部分达成 (50–80 %).
    s = one("有效", "部分达成年度指标并具有一定效果", weight=10, nature="定性", claimed=5, settings={"定性档下限": "50"})
    assert s.points == D(5)
    ev = Evaluation(indicators=[Indicator(level1="产出指标", name="x", nature="定性", target="有效", actual="部分达成年度指标并具有一定效果", weight=10, claimed_score=5)])
    assert any(f.code == "qualitative.band" for f in score(ev).findings)


def test_deadline_met_and_missed():
    assert one("2018年12月前", "2018年12月", weight=3).points == D(3)
    assert one("12月底前", "2018年11月20日", weight=3).points == D(3)
    late = one("2018年6月底前", "2018年9月", weight=3)
    assert late.points == D(0)
    assert late.status == "missed"


def test_deadline_missed_takes_evaluator_lower_score():
    assert one("2018年6月底前", "2018年9月", weight=3, claimed=1).points == D(1)


def test_service_time_statement():
    assert one("7*24小时", "7*24小时", weight=2).points == D(2)
    assert one("7*24小时", "5*8小时", weight=2).status == "missed"


def test_yes_no():
    assert one("是", "是", weight=2).points == D(2)
    assert one("是", "否", weight=2).points == D(0)


def rubric(rule, target, actual, weight=2, claimed=None, source=None, funds=None):
    ev = Evaluation(profile="fj2018", items=[
        RubricItem(level1="投入", level2="资金落实", name="项", weight=weight, rule=rule, target=target, actual=actual, claimed_score=claimed, source=source)
    ])
    if funds:
        ev.funds.rows[0].budget, ev.funds.rows[0].spent, ev.funds.rows[0].received = funds
    return score(ev)


def test_threshold_rule():
    assert rubric("阈值>95%", "95%", "96%").items[0].points == D(2)
    assert rubric("阈值>95%", "95%", "95%").items[0].points == D(0)  # strictly greater
    assert rubric("阈值≤100%", "100%", "99.40%").items[0].points == D(2)


def test_threshold_with_funds_source_uses_the_amounts():
    res = rubric("阈值>95%", "95%", "99.40%", source="资金使用率", funds=(318.91, 191.12, 318.91))
    item = res.items[0]
    assert item.points == D(0)
    assert "59.93%" in item.explanation
    assert any(f.code == "item.funds_differs" for f in res.findings)


def test_tiered_rule():
    rule = "分档>95%:100%;>80%:80%;其他:0"
    assert rubric(rule, None, "96%", weight=10).items[0].points == D(10)
    assert rubric(rule, None, "90%", weight=10).items[0].points == D(8)
    assert rubric(rule, None, "50%", weight=10).items[0].points == D(0)


def test_step_deduction():
    assert rubric("每减少30扣1", "620件", "695件", weight=3).items[0].points == D(3)
    assert rubric("每减少30扣1", "620件", "590件", weight=3).items[0].points == D(2)
    assert rubric("每减少30扣1", "620件", "589件", weight=3).items[0].points == D(1)  # a started 30 counts
    assert rubric("每减少30扣1", "620件", "100件", weight=3).items[0].points == D(0)  # never below 0


def test_manual_item_needs_score_and_reason():
    res = rubric("手工", None, None, weight=2, claimed=1)
    assert res.items[0].points == D(1)
    assert any(f.code == "reason.missing" for f in res.findings)
    res = rubric("手工", None, None, weight=2)
    assert res.items[0].points is None
    assert any(f.code == "score.manual_missing" for f in res.findings)


def test_execution_rate_proportional_and_tiered():
    ev = Evaluation(indicators=[Indicator(level1="产出指标", name="x", target="1", actual="1", weight=90)])
    ev.funds.rows[0].budget, ev.funds.rows[0].spent, ev.funds.rows[0].initial = 318.91, 191.12, 250
    res = score(ev)
    assert res.funds.rate == D("59.93")
    assert res.funds.score.points == D("5.99")
    tiered = Evaluation(indicators=ev.indicators, funds=ev.funds, settings={"执行率计分": "分档>95%:100%;>50%:50%;其他:0"})
    assert score(tiered).funds.score.points == D(5)
    initial = Evaluation(indicators=ev.indicators, funds=ev.funds, settings={"执行率口径": "年初预算数"})
    assert score(initial).funds.rate == D("76.45")  # 191.12 ÷ 250


def test_execution_capped_at_weight():
    ev = Evaluation(indicators=[Indicator(level1="产出指标", name="x", target="1", actual="1", weight=90)])
    ev.funds.rows[0].budget, ev.funds.rows[0].spent = 100, 120
    assert score(ev).funds.score.points == D(10)


def test_not_applicable_rescales_total_to_100():
    inds = [
        Indicator(level1="产出指标", name="a", target="10", actual="5", weight=50),
        Indicator(level1="效益指标", name="b", target="10", actual="10", weight=30, not_applicable="是"),
        Indicator(level1="满意度指标", name="c", target="10", actual="10", weight=10),
    ]
    ev = Evaluation(indicators=inds)
    ev.funds.rows[0].budget, ev.funds.rows[0].spent = 100, 100
    res = score(ev)
    # (25 + 10 + 10) ÷ 70 × 100
    assert res.total == D("64.29")
    excluded = score(Evaluation(indicators=inds, funds=ev.funds, settings={"不适用处理": "剔除"}))
    assert excluded.total == D(45)


def test_rounding_per_item_then_summed_and_grade_on_unrounded_total():
    inds = [Indicator(level1="产出指标", name=str(i), target="3", actual="1", weight=1) for i in range(3)]
    res = score(Evaluation(indicators=inds))
    assert [s.points for s in res.indicators] == [D("0.33")] * 3
    assert res.subtotals[-3].points == D("0.99")
    summed = score(Evaluation(indicators=inds, settings={"舍入顺序": "汇总"}))
    assert summed.subtotals[-3].points == D("1.00")


def test_grades_and_labels_configurable():
    profile = load_profile("cz2020")
    assert [profile.grade_for(D(x)) for x in (95, 90, 89.99, 80, 60, 59.99)] == ["优", "优", "良", "良", "中", "差"]
    custom = load_profile("cz2020", {"等级": "优秀≥90,良好≥80,合格≥60,不合格"})
    assert custom.grade_for(D(85)) == "良好"


@pytest.mark.parametrize("text", ["", "随便", "阈值95", "分档>95%", "每减少0扣1", "分档abc:1"])
def test_bad_rule_spec_is_a_clear_error(text):
    with pytest.raises(ProfileError) as info:
        parse_rule(text)
    assert "计分规则" in str(info.value) or "分档" in str(info.value) or "条件" in str(info.value) or "差额" in str(info.value)


def test_bad_rule_in_workbook_becomes_a_finding_not_a_crash():
    ev = Evaluation(indicators=[Indicator(level1="产出指标", name="x", target="10", actual="10", weight=100, rule="乱写")])
    res = score(ev)
    assert any(f.code == "rule.unreadable" for f in res.findings)
    assert res.indicators[0].points == D(100)  # fell back to the 指标性质 rule


def test_every_rule_on_small_signed_numbers_scores_within_the_weight():
    """Zeros and negatives on either side, for every rule that compares numbers: no division goes wrong."""
    rules = [None, "正向", "反向", "反向比例", "反向线性", "等于", "阈值>95%", "分档>95%:100%;>80%:80%;其他:0", "每减少1扣0.5分"]
    ops = ["", "≥", "≤", "=", "＜"]
    scored = 0
    for rule in rules:
        for op in ops:
            for t in (-2, -1, 0, 1, 2):
                for a in (-2, -1, 0, 1, 2):
                    s = one(f"{op}{t}", str(a), weight=4, rule=rule)
                    assert s.points is None or D(0) <= s.points <= D(4), (rule, op, t, a, s)
                    scored += s.points is not None
    assert scored > 1000  # nearly all of them are scored, not set aside as unreadable


@pytest.mark.parametrize("nature", ["≤", "≦", "＜", "<", "<=", "不高于", "小于等于", "5", 5, "4", "反向指标"])
def test_reverse_sign_in_its_own_column_in_every_glyph(nature):
    # a met ≦ target (8 against 12) is full marks, not 8÷12 of them
    s = one("12", "8", weight=10, nature=nature)
    assert s.points == D(10) and s.rule.startswith("reverse")


@pytest.mark.parametrize("nature", ["=", "＝", "═", "﹦", "3", "等于"])
def test_equal_sign_in_its_own_column_in_every_glyph(nature):
    assert one("100", "98", weight=10, nature=nature).rule == "equal"


@pytest.mark.parametrize("nature", ["≥", "≧", "＞", ">", "不低于", "大于等于", "1", "2"])
def test_positive_sign_in_its_own_column(nature):
    s = one("12", "8", weight=12, nature=nature)
    assert s.rule == "positive" and s.points == D(8)


def test_nature_code_6_is_qualitative():
    assert one("有效", "达成年度指标", weight=10, nature="6", claimed=9).rule == "qualitative"


def test_explanations_keep_units_and_multipliers_and_never_paste_target_wording():
    s = one("≥3.5万人", "3.32万人", weight=10)
    assert "3.32万人÷3.5万人" in s.explanation
    s = one("不低于98%", "100%", weight=10)
    assert "100%÷98%" in s.explanation and "不低于" not in s.explanation.split("，")[0]
    s = one("8次以上", "4次", weight=10)
    assert "4次÷8次=" in s.explanation
    s = one("≥6", "5", weight=12, unit="月")
    assert "5个月÷6个月" in s.explanation
