"""Every check, each on its passing and its failing side."""

import copy
from decimal import Decimal as D

import pytest

from xlperf.findings import Severity
from xlperf.model import Evaluation, Indicator, Location, RubricItem
from xlperf.scoring import score


def clean() -> Evaluation:
    """A cz2020 evaluation with no findings at all."""
    ev = Evaluation(
        profile="cz2020",
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="培训人数", target="≥100人", actual="110人", weight=30),
            Indicator(level1="产出指标", level2="时效指标", name="完成时间", target="2020年12月底前", actual="2020年11月", weight=20),
            Indicator(level1="效益指标", level2="社会效益指标", name="覆盖率", target="≥90%", actual="95%", weight=30),
            Indicator(level1="满意度指标", level2="服务对象满意度指标", name="满意度", target="≥90%", actual="96%", weight=10),
        ],
    )
    ev.project.year = 2020
    total = ev.funds.rows[0]
    total.initial, total.budget, total.spent = 100, 100, 98
    ev.funds.rows[1].initial, ev.funds.rows[1].budget, ev.funds.rows[1].spent = 100, 100, 98
    return ev


def codes(ev):
    return [f.code for f in score(ev).findings]


def test_clean_evaluation_has_no_findings():
    res = score(clean())
    assert res.findings == []
    assert res.total == D("99.80")
    assert res.grade == "优"


def test_level1_weights_must_add_up():
    ev = clean()
    ev.indicators[0].weight = 31
    found = [f for f in score(ev).findings if f.code == "weights.level1_sum"]
    assert found and "51" in found[0].message and "50" in found[0].message
    assert "weights.total" in codes(ev)


def test_unknown_level1_is_an_error():
    ev = clean()
    ev.indicators[0].level1 = "投入"
    assert "weights.unknown_level1" in codes(ev)


def test_no_indicators_is_an_error():
    assert "evaluation.empty" in codes(Evaluation())


def test_claimed_score_over_weight():
    ev = clean()
    ev.indicators[3].nature = "定性"
    ev.indicators[3].actual = "达成年度指标"
    ev.indicators[3].claimed_score = 12
    found = [f for f in score(ev).findings if f.code == "score.over_weight"]
    assert found and "12" in found[0].message and "10" in found[0].message


def test_claimed_score_differs_from_computed():
    ev = clean()
    ev.indicators[0].claimed_score = 29
    assert "score.claimed_differs" in codes(ev)
    ev.indicators[0].claimed_score = 30
    assert "score.claimed_differs" not in codes(ev)


def test_claimed_total_and_grade_differ():
    ev = clean()
    ev.claimed_total, ev.claimed_grade = 95, "良"
    assert {"total.claimed_differs", "grade.claimed_differs"} <= set(codes(ev))
    ev.claimed_total, ev.claimed_grade = 99.8, "优"
    assert not {"total.claimed_differs", "grade.claimed_differs"} & set(codes(ev))


def test_missed_target_needs_a_reason():
    ev = clean()
    ev.indicators[0].actual = "80人"
    found = [f for f in score(ev).findings if f.code == "reason.missing"]
    assert found and found[0].severity is Severity.WARNING
    ev.indicators[0].reason = "疫情影响，下半年补训"
    assert "reason.missing" not in codes(ev)


def test_low_execution_needs_a_reason():
    ev = clean()
    ev.funds.rows[0].spent = ev.funds.rows[1].spent = 80
    assert "reason.funds" in codes(ev)
    ev.funds.reason = "项目延期"
    assert "reason.funds" not in codes(ev)


def test_execution_reason_threshold_configurable():
    ev = clean()
    ev.funds.rows[0].spent = ev.funds.rows[1].spent = 92
    assert "reason.funds" not in codes(ev)
    ev.settings = {"偏差说明阈值": "95"}
    assert "reason.funds" in codes(ev)


def test_over_completion_needs_a_remark():
    ev = clean()
    ev.indicators[0].actual = "130人"
    assert "remark.over_completion" in codes(ev)
    ev.indicators[0].actual = "129人"
    assert "remark.over_completion" not in codes(ev)
    ev.indicators[0].actual = "130人"
    ev.indicators[0].reason = "年初指标值设定偏低"
    assert "remark.over_completion" not in codes(ev)


def test_quantitative_needs_readable_target_and_actual():
    ev = clean()
    ev.indicators[0].actual = None
    assert "value.actual_missing" in codes(ev)
    ev.indicators[0].actual = "很多"
    assert "value.actual_unreadable" in codes(ev)
    ev.indicators[0].actual = "110人"
    ev.indicators[0].target = None
    assert "value.target_missing" in codes(ev)


def test_unit_mismatch_is_a_finding_not_a_crash():
    ev = clean()
    ev.indicators[0].actual = "110场"
    res = score(ev)
    assert any(f.code == "value.unit_mismatch" and "人" in f.message and "场" in f.message for f in res.findings)
    assert res.indicators[0].points is None


def test_actual_copying_the_target_is_flagged():
    ev = clean()
    ev.indicators[0].actual = "≥100人"
    assert "value.actual_copies_target" in codes(ev)


def test_funds_breakdown_must_add_up():
    ev = clean()
    ev.funds.rows[2].budget = 5
    assert "funds.breakdown" in codes(ev)


def test_funds_spent_over_budget():
    ev = clean()
    ev.funds.rows[0].spent = ev.funds.rows[1].spent = 101
    assert "funds.overspent" in codes(ev)


def test_typed_rate_differs_from_amounts():
    ev = clean()
    ev.funds.claimed_rate = "99.40%"
    assert "funds.claimed_rate" in codes(ev)
    ev.funds.claimed_rate = "98%"
    assert "funds.claimed_rate" not in codes(ev)


def test_item_below_full_marks_needs_reason_and_links_are_checked():
    ev = Evaluation(profile="fj2018")
    ev.indicators = [Indicator(level1="产出", level2="数量目标", name="视频会议场次数量", target="155场", actual="162场")]
    ev.items = [RubricItem(level1="产出与效益", level2="产出数量", name="视频会议场次", weight=3, rule="正向", target="155场", actual="192场", source="指标:视频会议场次数量")]
    found = codes(ev)
    assert "item.indicator_differs" in found
    ev.items[0].actual = "162场"
    assert "item.indicator_differs" not in codes(ev)


def test_findings_carry_the_cell_once_read_from_a_workbook():
    ev = clean()
    ev.indicators[0].actual = "80人"
    ev.indicators[0].loc = {"reason": Location(field="indicators[0].reason", sheet="自评表", cell="J14")}
    found = [f for f in score(ev).findings if f.code == "reason.missing"][0]
    assert str(found.location) == "自评表!J14"
    assert "80" in found.message


RAW_INPUTS = ["", "—", "/", "abc", "３１８．９１", "1,234.5万元", -1, 0, 1e308, float("nan"), True, None]


@pytest.mark.parametrize("raw", RAW_INPUTS)
def test_anything_typed_into_any_cell_never_raises(raw):
    import datetime

    for value in (raw, datetime.date(2020, 1, 1)):
        ev = copy.deepcopy(clean())
        for ind in ev.indicators:
            for name in ("target", "actual", "weight", "claimed_score", "nature", "rule", "not_applicable", "unit"):
                setattr(ind, name, value)
        for row in ev.funds.rows:
            row.budget = row.spent = value
        ev.claimed_total = ev.funds.claimed_rate = value
        res = score(ev)
        assert res.grade


def test_reverse_over_completion_says_the_target_was_too_loose():
    ev = clean()
    ev.indicators[0].target, ev.indicators[0].actual = "≤100万元", "60万元"
    found = [f for f in score(ev).findings if f.code == "remark.over_completion"]
    assert found and "偏高" in found[0].message and "偏低" not in found[0].message


def test_not_applicable_row_keeping_its_weight_gives_no_weight_error():
    ev = clean()
    ev.indicators.insert(1, Indicator(level1="产出指标", level2="质量指标", name="合格率", target="≥95%", actual="不适用", weight=10, not_applicable="不适用"))
    ev.indicators[0].weight = 20
    res = score(ev)
    assert not [f for f in res.findings if f.code.startswith("weights.")], res.findings
    assert res.total == D("99.78")  # (20 + 20 + 30 + 10 + 9.8) ÷ 90 × 100
    ev.indicators[0].weight = 25  # now the weights as set add up to 55 under 产出 (50)
    assert {"weights.level1_sum", "weights.total"} <= set(codes(ev))


def test_claims_agree_at_their_printed_precision():
    ev = clean()
    ev.funds.claimed_rate = "98%"  # 98.00 computed
    ev.indicators[0].target, ev.indicators[0].actual = "≥100人", "97.3人"  # 29.19 of 30
    ev.indicators[0].reason = "部分学员未到"
    for ind, claim in zip(ev.indicators, ("29.2", "20", "30", "10")):
        ind.claimed_score = claim
    ev.claimed_total = "99"  # 29.19 + 20 + 30 + 10 + 9.8 = 98.99
    found = codes(ev)
    assert "score.claimed_differs" not in found and "total.claimed_differs" not in found and "funds.claimed_rate" not in found
    ev.indicators[0].claimed_score = "29.3"
    assert "score.claimed_differs" in codes(ev)
    ev.funds.claimed_rate = "97%"
    assert "funds.claimed_rate" in codes(ev)


def test_the_units_own_addition_is_checked():
    ev = Evaluation(profile="fj2018", items=[
        RubricItem(level1="投入", name="a", weight=30, claimed_score=28),
        RubricItem(level1="过程", name="b", weight=30, claimed_score=30),
        RubricItem(level1="产出与效益", name="c", weight=40, claimed_score=36),
    ])
    ev.claimed_total = 94
    assert "total.claimed_sum" not in codes(ev)
    ev.claimed_total = 96  # 28 + 30 + 36 = 94: the unit's own addition is off
    assert "total.claimed_sum" in codes(ev)
    cz = clean()  # cz2020 without the unit's 执行率 score: its total lies between 90 and 90 + 10
    for ind, claim in zip(cz.indicators, (30, 20, 30, 10)):
        ind.claimed_score = claim
    cz.claimed_total = 95
    assert "total.claimed_sum" not in codes(cz)
    for off in (101, 88):
        cz.claimed_total = off
        assert "total.claimed_sum" in codes(cz), off
    cz.funds.claimed_score = "9.8"  # now the unit's addition can be redone exactly: 90 + 9.8
    cz.claimed_total = "99.8"
    assert "total.claimed_sum" not in codes(cz)
    cz.claimed_total = 95
    assert "total.claimed_sum" in codes(cz)


def test_the_claimed_execution_score_is_checked():
    ev = clean()  # 98 of 100 spent: 9.8 of 10
    ev.funds.claimed_score = "9.8"
    assert not {"score.claimed_differs", "score.over_weight", "score.unreadable"} & set(codes(ev))
    ev.funds.claimed_score = "10"  # printed without decimals: 9.8 shows as 10
    assert "score.claimed_differs" not in codes(ev)
    ev.funds.claimed_score = "9"
    found = score(ev).findings
    differs = [f for f in found if f.code == "score.claimed_differs"]
    assert differs and "预算执行率" in differs[0].message and "9.8" in differs[0].message
    ev.funds.claimed_score = "11"
    assert "score.over_weight" in codes(ev)
    ev.funds.claimed_score = "九分"
    assert "score.unreadable" in codes(ev)
    fj = Evaluation(profile="fj2018", items=[RubricItem(level1="投入", name="a", weight=30, claimed_score=28)])
    fj.funds.claimed_score = 5  # fj2018 does not score 执行率 on its own
    assert "funds.claimed_score_unscored" in codes(fj)


def test_rate_written_as_a_fraction_is_read_by_context():
    ev = clean()
    ev.funds.claimed_rate = 0.98
    found = score(ev).findings
    assert [f.code for f in found] == ["value.rate_fraction"] and "98%" in found[0].message
    ev = clean()
    ev.indicators[2].actual = 0.95  # against ≥90%
    res = score(ev)
    assert res.indicators[2].ratio == D("105.56") and "value.rate_fraction" in {f.code for f in res.findings}


def test_total_row_left_at_zero_is_scored_from_its_breakdown():
    ev = clean()
    total = ev.funds.rows[0]
    total.initial, total.budget, total.spent = 0, 0, 0
    res = score(ev)
    assert res.funds.rate == D("98.00")
    found = [f for f in res.findings if f.code.startswith("funds.")]
    assert [f.code for f in found] == ["funds.total_zero"] and "全年预算数" in found[0].message


def test_missing_funds_message_names_only_the_empty_cells():
    ev = clean()
    ev.funds.rows[0].spent = ev.funds.rows[1].spent = None
    found = [f for f in score(ev).findings if f.code == "funds.missing"]
    assert found and "全年执行数" in found[0].message and "全年预算数" not in found[0].message


@pytest.mark.parametrize("label", ["产出指标(50分)", "产出指标（50分）", "產出指標", "产出指标 (50分)"])
def test_level1_labels_as_printed(label):
    ev = clean()
    ev.indicators[0].level1 = ev.indicators[1].level1 = label
    assert codes(ev) == []
