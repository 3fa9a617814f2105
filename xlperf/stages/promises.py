"""自评 findings where the year end contradicts the summer's 运行监控.

Developer notes: ``check_promises`` has the signature of the checks in
``xlperf.checks`` and is listed there, so every adapter that scores a 自评 gets
it; it says nothing for a file without monitoring data. ``check_target_changes``
also runs at 监控 (targets retyped since 申报). A change is explained by an
``Adjustment`` naming the indicator; a broken promise is explained by a 纠偏措施
on the 监控表 or a 偏差原因 in the 自评.
"""

from __future__ import annotations

from decimal import Decimal

from xlperf.findings import Finding, info, warning
from xlperf.model import Evaluation, Location
from xlperf.lines import text
from xlperf.stages.matching import match, norm
from xlperf.values import comparable, fmt_number, parse, to_decimal


def _adjusted(evaluation: Evaluation) -> set[str]:
    stages = evaluation.stages
    return {norm(a.name) for a in stages.adjustments if norm(a.name)} if stages else set()


def _same_target(a, b, unit) -> bool:
    va, vb = parse(a, unit or None), parse(b, unit or None)
    return (va.kind, va.op, va.number, va.unit, va.deadline, va.level) == (vb.kind, vb.op, vb.number, vb.unit, vb.deadline, vb.level)


def check_target_changes(evaluation: Evaluation) -> list[Finding]:
    """Targets, weights and indicators that differ from 申报 or 监控 with no 调整记录."""
    stages = evaluation.stages
    if stages is None:
        return []
    found: list[Finding] = []
    adjusted = _adjusted(evaluation)
    current = evaluation.indicators
    if stages.declared:
        pairs = match(stages.declared, current)
        for i, old in enumerate(stages.declared):
            j = pairs.get(i)
            name = text(old.name) or f"第{i + 1}行"
            if j is None:
                if norm(old.name) not in adjusted:
                    found.append(warning("stage.indicator_removed", Location(field=f"declared[{i}].name"),
                                         f"申报时的指标“{name}”已不在绩效指标中，且没有调整记录；请恢复或补录调整记录"))
                continue
            new = current[j]
            if norm(new.name) in adjusted:
                continue
            unit = text(new.unit) or text(old.unit)
            if not _same_target(old.target, new.target, unit):
                found.append(warning("stage.target_changed", new.where("target", f"indicators[{j}]."),
                                     f"{name}：指标值由申报时的“{text(old.target)}”改为“{text(new.target)}”，没有调整记录；请恢复原指标值或补录调整记录"))
            ow, nw = to_decimal(old.weight), to_decimal(new.weight)
            if ow is not None and nw is not None and ow != nw:
                found.append(warning("stage.weight_changed", new.where("weight", f"indicators[{j}]."),
                                     f"{name}：分值由申报时的{fmt_number(ow)}改为{fmt_number(nw)}，没有调整记录"))
        matched = set(pairs.values())
        for j, new in enumerate(current):
            if j not in matched and norm(new.name) not in adjusted:
                found.append(warning("stage.indicator_added", new.where("name", f"indicators[{j}]."),
                                     f"指标“{text(new.name) or f'第{j + 1}行'}”申报时没有，且没有调整记录；请补录调整记录"))
    monitoring = stages.monitoring
    if monitoring is not None:
        pairs = match(monitoring.indicators, current)
        for i, row in enumerate(monitoring.indicators):
            j = pairs.get(i)
            if j is None or not text(row.target):
                continue
            new = current[j]
            if norm(new.name) in adjusted:
                continue
            if not _same_target(row.target, new.target, text(new.unit)):
                found.append(warning("stage.target_changed", new.where("target", f"indicators[{j}]."),
                                     f"{text(new.name)}：指标值为“{text(new.target)}”，运行监控时为“{text(row.target)}”，没有调整记录；请核对或补录调整记录"))
    return found


def _far(expected: Decimal, actual: Decimal, tolerance: Decimal) -> bool:
    if expected == 0:
        return actual != 0
    return abs(actual - expected) * 100 > tolerance * abs(expected)


def check_promises(evaluation: Evaluation, profile, results, lines) -> list[Finding]:
    """Mid-year promises against the year end (nothing when there is no 监控 data)."""
    stages = evaluation.stages
    if stages is None or stages.monitoring is None or stages.stage != "自评":
        return []
    from xlperf.stages.monitoring import assess_monitoring
    from xlperf.stages.rules import monitoring_rules

    rules = monitoring_rules(evaluation.profile)
    monitoring = stages.monitoring
    summer = assess_monitoring(evaluation, rules)
    adjusted = _adjusted(evaluation)
    good = rules.rank(rules.qualitative["met"])
    found: list[Finding] = []
    pairs = match(monitoring.indicators, evaluation.indicators)
    for i, row in enumerate(monitoring.indicators):
        j = pairs.get(i)
        if j is None or j >= len(results.indicators):
            continue
        ind, score = evaluation.indicators[j], results.indicators[j]
        name = text(ind.name) or f"第{j + 1}行"
        light = summer.indicators[i].light
        likelihood = text(row.likelihood)
        corrected = bool(text(row.correction)) or norm(ind.name) in adjusted
        missed = score.status == "missed" or (score.points is not None and score.weight is not None and score.points < score.weight)
        promised = likelihood == "确定能" or (light is not None and rules.rank(light) >= good)
        if promised and missed and not corrected:
            said = "完成目标可能性填“确定能”" if likelihood == "确定能" else f"进度为{light}灯"
            found.append(warning("promise.not_kept", ind.where("actual", f"indicators[{j}]."),
                                 f"{name}：运行监控时{said}，年末未完成（{score.explanation}），监控表也没有纠偏措施；请说明原因"))
        doomed = (light is not None and light == rules.order[0]) or likelihood == "完全不可能"
        if doomed and score.full_marks and not text(row.correction) and not text(ind.reason):
            said = f"为{light}灯" if light == rules.order[0] else "完成目标可能性填“完全不可能”"
            found.append(warning("promise.red_to_full", ind.where("reason", f"indicators[{j}]."),
                                 f"{name}：运行监控时{said}，年末却得满分，既无纠偏措施也无说明；请说明下半年如何完成"))
        forecast = parse(row.forecast, text(ind.unit) or None)
        actual = parse(ind.actual, text(ind.unit) or None)
        pair = comparable(forecast, actual)
        if pair is not None and _far(pair[0], pair[1], rules.forecast_tolerance):
            make = info if text(ind.reason) else warning
            found.append(make("promise.forecast_indicator", ind.where("actual", f"indicators[{j}]."),
                              f"{name}：运行监控时预计全年完成{forecast.shown}，实际完成{actual.shown}，相差超过{fmt_number(rules.forecast_tolerance, 0)}%；请说明原因"))
    forecast = to_decimal(monitoring.funds.forecast)
    spent = to_decimal(evaluation.funds.total.spent)
    if forecast is not None and spent is not None and _far(forecast, spent, rules.forecast_tolerance):
        make = info if text(evaluation.funds.reason) else warning
        found.append(make("promise.forecast_funds", evaluation.funds.total.where("spent", "funds.rows[0]."),
                          f"运行监控时预计全年执行{fmt_number(forecast)}万元，实际全年执行{fmt_number(spent)}万元，"
                          f"相差超过{fmt_number(rules.forecast_tolerance, 0)}%；请说明原因"))
    found.extend(check_target_changes(evaluation))
    return found
