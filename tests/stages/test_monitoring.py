"""The 监控 form: lights from the example, and each form check on its failing side."""

from decimal import Decimal as D

import pytest

from xlperf.stages.monitoring import assess_monitoring, result_to_dict


def codes(ev):
    return [f.code for f in assess_monitoring(ev).findings]


def test_example_lights_hand_computed(monitored):
    result = assess_monitoring(monitored)
    assert result.findings == []
    assert result.month == 7
    # 160 ÷ 300 = 53.33%; ÷ 58.33% = 91.43% → 绿
    assert result.budget.light == "绿" and abs(result.budget.ratio - D("91.428571")) < D("0.0001")
    lights = [x.light for x in result.indicators]
    assert lights == ["绿", "绿", "绿", "绿", "绿", "黄", "绿"]
    # 780 ÷ (1200 ÷ 12 × 7 = 700) = 111.43%
    assert abs(result.indicators[0].ratio - D("111.428571")) < D("0.0001")
    assert result.project == "黄"  # the worst light
    data = result_to_dict(result, monitored.stages.monitoring)
    assert data["project_light"] == "黄" and data["indicators"][5]["light"] == "黄"


def test_month_changes_the_lights(monitored):
    monitored.stages.monitoring.month = 12  # the same numbers judged at year end
    result = assess_monitoring(monitored)
    assert result.budget.light == "红"  # 53.33 < 60
    assert result.project == "红"


def row(ev, i=0):
    return ev.stages.monitoring.indicators[i]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda ev: setattr(row(ev), "progress", "300"), "monitor.cause_missing"),  # 300 of 700: red
        (lambda ev: setattr(row(ev), "progress", "300"), "monitor.likelihood_inconsistent"),  # red yet 确定能
        (lambda ev: setattr(row(ev), "progress", "300"), "monitor.correction_missing"),
        (lambda ev: setattr(row(ev), "progress", None), "monitor.light_unknown"),
        (lambda ev: setattr(row(ev), "likelihood", "应该能"), "monitor.likelihood"),
        (lambda ev: setattr(row(ev), "likelihood", None), "monitor.likelihood_missing"),
        (lambda ev: setattr(row(ev), "likelihood", "完全不可能"), "monitor.correction_missing"),
        (lambda ev: setattr(row(ev), "name", "服务老人数"), "monitor.unknown_indicator"),
        (lambda ev: setattr(row(ev), "name", "服务老人数"), "monitor.indicator_missing"),
        (lambda ev: setattr(row(ev), "target", "≥1000"), "stage.target_changed"),
        (lambda ev: setattr(ev.stages.monitoring, "month", "十三"), "monitor.month"),
        (lambda ev: setattr(ev.stages.monitoring.funds, "spent", 400), "monitor.overspent"),
        (lambda ev: setattr(ev.stages.monitoring.funds, "forecast", 100), "monitor.forecast_below_spent"),
        (lambda ev: setattr(ev.stages.monitoring.funds, "forecast", 320), "monitor.forecast_over_budget"),
        (lambda ev: setattr(ev.stages.monitoring.funds, "claimed_rate", "60%"), "monitor.claimed_rate"),
        (lambda ev: setattr(ev.stages.monitoring.funds, "spent", "一百万"), "monitor.funds_unreadable"),
        (lambda ev: setattr(ev.stages.monitoring.funds, "spent", 60), "monitor.budget_reason"),  # 60/300 → 34% ratio
        (lambda ev: ev.stages.monitoring.indicators.clear(), "monitor.empty"),
        (lambda ev: setattr(ev.stages, "monitoring", None), "monitor.missing"),
    ],
)
def test_each_form_check_fires(monitored, change, code):
    change(monitored)
    assert code in codes(monitored)


def test_adjustment_record_explains_a_changed_target(monitored):
    from xlperf.stages.model import Adjustment

    row(monitored).target = "≥1000"
    monitored.stages.adjustments.append(Adjustment(name="服务老年人数", field="指标值", before="≥1200", after="≥1000",
                                                   reason="年中追加预算调减"))
    assert "stage.target_changed" not in codes(monitored)


def test_budget_falls_back_to_the_declared_funds(monitored):
    monitored.stages.monitoring.funds.budget = None  # the 申报 funds still say 300
    assert assess_monitoring(monitored).budget.light == "绿"
    monitored.funds.rows[0].budget = None
    result = assess_monitoring(monitored)
    assert result.budget.light is None and "monitor.budget_light" in [f.code for f in result.findings]
