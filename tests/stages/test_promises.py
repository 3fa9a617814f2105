"""自评 against 运行监控: every promise check on its failing side; kept promises stay quiet."""

import pytest

from xlperf.scoring import score
from xlperf.stages.model import Adjustment


def promise_codes(ev):
    return [f.code for f in score(ev).findings if f.code.startswith(("promise.", "stage."))]


def test_kept_promises_give_no_findings(final):
    assert promise_codes(final) == []


def test_plain_evaluation_without_stage_data_is_untouched(final):
    final.stages = None
    assert promise_codes(final) == []


def test_certain_but_not_completed_without_correction(final):
    final.indicators[0].actual = "1150人"  # 确定能 and green in July; 1150 < 1200
    found = [f for f in score(final).findings if f.code == "promise.not_kept"]
    assert len(found) == 1
    assert found[0].location.field == "indicators[0].actual" and "确定能" in found[0].message


def test_green_but_not_completed_is_also_a_broken_promise(final):
    final.stages.monitoring.indicators[1].likelihood = "有可能"  # green light still promised
    final.indicators[1].actual = "90%"
    assert "promise.not_kept" in promise_codes(final)


def test_a_recorded_correction_explains_the_miss(final):
    final.indicators[0].actual = "1150人"
    final.stages.monitoring.indicators[0].correction = "下半年增设两个服务站点"
    assert "promise.not_kept" not in promise_codes(final)


def test_red_in_summer_full_marks_now_without_explanation(final):
    row = final.stages.monitoring.indicators[0]
    row.progress, row.cause_other, row.likelihood = "300", "服务站点未建成", "有可能"  # red: 300 of 700
    assert "promise.red_to_full" in promise_codes(final)
    final.indicators[0].reason = "8月起三个新站点投入运营，下半年服务量翻番"
    assert "promise.red_to_full" not in promise_codes(final)


def test_impossible_in_summer_full_marks_now(final):
    final.stages.monitoring.indicators[4].likelihood = "完全不可能"
    assert "promise.red_to_full" in promise_codes(final)


@pytest.mark.parametrize(("spent", "fires"), [(295, False), (266, False), (265, True), (200, True)])
def test_forecast_spending_far_from_actual(final, spent, fires):
    # forecast 295; tolerance 10%: |spent − 295| > 29.5 fires (265.5 is the edge)
    final.funds.rows[0].spent = spent
    final.funds.rows[1].spent = spent
    assert ("promise.forecast_funds" in promise_codes(final)) is fires


def test_forecast_indicator_far_from_actual(final):
    final.indicators[0].actual = "1500人"  # forecast 1250: +20%
    assert "promise.forecast_indicator" in promise_codes(final)


def test_target_changed_since_declaration_without_adjustment(final):
    final.indicators[0].target = "≥1100"
    found = [f for f in score(final).findings if f.code == "stage.target_changed"]
    assert found and found[0].location.field == "indicators[0].target"
    final.stages.adjustments.append(Adjustment(name="服务老年人数", field="指标值", before="≥1200", after="≥1100"))
    assert "stage.target_changed" not in promise_codes(final)


def test_equivalent_spellings_are_not_a_change(final):
    final.indicators[1].target = "≥ 95 ％"
    assert promise_codes(final) == []


def test_weight_added_and_removed_indicators(final):
    final.indicators[0].weight = 15
    final.indicators[1].weight = 15
    assert "stage.weight_changed" in promise_codes(final)
    final.indicators.pop(2)
    assert "stage.indicator_removed" in promise_codes(final)
    from xlperf.model import Indicator

    final.indicators.append(Indicator(level1="产出指标", level2="数量指标", name="新增站点数", target="≥3", unit="个", weight=0))
    assert "stage.indicator_added" in promise_codes(final)
