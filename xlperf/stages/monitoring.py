"""Assess a 绩效运行监控表: the lights, and what a reviewer flags on the form itself.

Developer notes: ``assess_monitoring`` is the one call adapters make for a file at
the 监控 stage (CLI, later the workbook and the local page). It reads raw values
with ``xlperf.values`` and leaves the arithmetic to ``lights``. Findings use the
model's locations (``monitoring.indicators[3].progress`` in JSON, a cell once a
workbook sheet exists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from xlperf.errors import ProfileError
from xlperf.findings import SEVERITY_ORDER, Counted, Finding, error, warning
from xlperf.lines import text
from xlperf.model import Evaluation, Location
from xlperf.results import _num
from xlperf.stages.lights import (
    Light,
    budget_light,
    indicator_light,
    months,
    project_light,
)
from xlperf.stages.matching import match
from xlperf.stages.model import CAUSES, LIKELIHOODS, MonitoredIndicator, Monitoring
from xlperf.stages.rules import MonitoringRules, monitoring_rules
from xlperf.values import fmt_number, parse, to_decimal

TOLERANCE = Decimal("0.01")


@dataclass
class MonitoringResult(Counted):
    month: int
    budget: Light
    rate: Decimal | None  # 执行率 to date, percent
    indicators: list[Light]  # aligned with Monitoring.indicators
    project: str | None
    findings: list[Finding] = field(default_factory=list)


def result_to_dict(result: MonitoringResult, monitoring: Monitoring | None) -> dict:
    rows = monitoring.indicators if monitoring else []
    return {
        "stage": "监控",
        "month": result.month,
        "project_light": result.project,
        "budget": {"light": result.budget.light, "ratio": _num(result.budget.ratio), "rate": _num(result.rate),
                   "explanation": result.budget.explanation},
        "indicators": [
            {"name": text(row.name), "light": light.light, "ratio": _num(light.ratio), "explanation": light.explanation}
            for row, light in zip(rows, result.indicators)
        ],
        "errors": result.errors,
        "warnings": result.warnings,
        "findings": [f.to_dict() for f in result.findings],
    }


def _month(monitoring: Monitoring, rules: MonitoringRules, found: list[Finding]) -> int:
    raw = monitoring.month
    if text(raw) == "":
        return rules.month
    value = to_decimal(text(raw).rstrip("月") if isinstance(raw, str) else raw)
    if value is None or value != value.to_integral_value() or not 1 <= value <= 12:
        found.append(error("monitor.month", monitoring.where("month", "monitoring."),
                           f"监控月份“{text(raw)}”应为 1 到 12 的整数；已按{rules.month}月计算"))
        return rules.month
    return int(value)


def _basis(evaluation: Evaluation) -> str:
    from xlperf.profile import load_profile

    try:
        return load_profile(evaluation.profile, evaluation.settings).execution_basis
    except ProfileError:
        return "全年预算数"


def _budget(evaluation: Evaluation, monitoring: Monitoring, month: int, rules: MonitoringRules,
            found: list[Finding]) -> tuple[Light, Decimal | None]:
    funds = monitoring.funds
    where = lambda name: funds.where(name, "monitoring.funds.")  # noqa: E731
    basis_field = "initial" if _basis(evaluation) == "年初预算数" else "budget"
    basis = to_decimal(getattr(funds, basis_field))
    if basis is None:  # the 监控表 may leave the budget to the 申报/自评 funds
        basis = to_decimal(getattr(evaluation.funds.total, basis_field))
    spent = to_decimal(funds.spent)
    forecast = to_decimal(funds.forecast)
    for name, label in (("spent", f"{months(month)}执行数"), ("forecast", "全年预计执行数"), (basis_field, "预算数")):
        raw = getattr(funds, name)
        if text(raw) and to_decimal(raw) is None:
            found.append(error("monitor.funds_unreadable", where(name), f"{label}“{text(raw)}”不是金额，请填写数字（万元）"))
    light = budget_light(spent, basis, month, rules)
    rate = None if light.ratio is None else spent * 100 / basis
    if light.light is None:
        found.append(warning("monitor.budget_light", where("spent"), light.explanation))
    if basis is not None and spent is not None and spent > basis + TOLERANCE:
        found.append(error("monitor.overspent", where("spent"), f"{months(month)}执行数{fmt_number(spent)}万元超过预算数{fmt_number(basis)}万元"))
    if forecast is not None and spent is not None and forecast < spent - TOLERANCE:
        found.append(error("monitor.forecast_below_spent", where("forecast"),
                           f"全年预计执行数{fmt_number(forecast)}万元小于已执行的{fmt_number(spent)}万元"))
    if forecast is not None and basis is not None and forecast > basis + TOLERANCE:
        found.append(warning("monitor.forecast_over_budget", where("forecast"),
                             f"全年预计执行数{fmt_number(forecast)}万元超过预算数{fmt_number(basis)}万元；请核对或办理预算调整"))
    claimed = to_decimal(funds.claimed_rate)
    if claimed is not None and rate is not None and abs(claimed - rate) >= TOLERANCE:
        found.append(warning("monitor.claimed_rate", where("claimed_rate"),
                             f"填报的执行率{fmt_number(claimed)}%与金额计算的{fmt_number(rate)}%不一致"))
    if light.light is not None and rules.rank(light.light) < rules.rank(rules.budget[-1].light) and not text(funds.reason):
        found.append(warning("monitor.budget_reason", where("reason"),
                             f"预算执行进度为{light.light}灯（{light.explanation}）；请说明执行偏差原因及纠偏措施"))
    return light, rate


def _row_checks(row: MonitoredIndicator, i: int, light: Light, rules: MonitoringRules, found: list[Finding]) -> None:
    prefix = f"monitoring.indicators[{i}]."
    name = text(row.name) or f"第{i + 1}行"
    good = rules.qualitative["met"]  # the light of an indicator on track
    if light.light is None:
        found.append(warning("monitor.light_unknown", row.where("progress", prefix), f"{name}：{light.explanation}"))
    behind = light.light is not None and rules.rank(light.light) < rules.rank(good)
    causes = [label for name_, label in CAUSES.items() if text(getattr(row, name_))]
    if behind and not causes:
        found.append(warning("monitor.cause_missing", row.where("cause_other", prefix),
                             f"{name}：{light.explanation}；请在偏差原因（{'、'.join(CAUSES.values())}）中至少填写一项"))
    likelihood = text(row.likelihood)
    if likelihood and likelihood not in LIKELIHOODS:
        found.append(error("monitor.likelihood", row.where("likelihood", prefix),
                           f"{name}：完成目标可能性“{likelihood}”应为 {'、'.join(LIKELIHOODS)} 之一"))
    elif not likelihood:
        found.append(warning("monitor.likelihood_missing", row.where("likelihood", prefix),
                             f"{name}：请填写完成目标可能性（{'、'.join(LIKELIHOODS)}）"))
    if likelihood == "确定能" and light.light is not None and light.light == rules.order[0]:
        found.append(warning("monitor.likelihood_inconsistent", row.where("likelihood", prefix),
                             f"{name}：进度为{light.light}灯（{light.explanation}），却填“确定能”完成；请说明依据或改为“有可能”"))
    at_risk = likelihood in ("有可能", "完全不可能") or (light.light is not None and light.light == rules.order[0])
    if at_risk and not text(row.correction):
        found.append(warning("monitor.correction_missing", row.where("correction", prefix),
                             f"{name}：{'完成目标可能性为“' + likelihood + '”' if likelihood in LIKELIHOODS[1:] else light.explanation}；请填写纠偏措施"))


def _tree_checks(evaluation: Evaluation, monitoring: Monitoring, found: list[Finding]) -> None:
    pairs = match(monitoring.indicators, evaluation.indicators)
    for i, row in enumerate(monitoring.indicators):
        if i not in pairs:
            found.append(warning("monitor.unknown_indicator", row.where("name", f"monitoring.indicators[{i}]."),
                                 f"监控表的指标“{text(row.name) or f'第{i + 1}行'}”不在绩效指标中；请核对名称，或办理目标调整"))
    matched = set(pairs.values())
    for j, ind in enumerate(evaluation.indicators):
        if j not in matched:
            found.append(warning("monitor.indicator_missing", ind.where("name", f"indicators[{j}]."),
                                 f"绩效指标“{text(ind.name) or f'第{j + 1}行'}”在监控表中没有对应的行"))


def assess_monitoring(evaluation: Evaluation, rules: MonitoringRules | None = None) -> MonitoringResult:
    """Lights and findings of the 监控 form of ``evaluation``."""
    from xlperf.stages.promises import check_target_changes

    rules = rules or monitoring_rules(evaluation.profile)
    stages = evaluation.stages
    monitoring = stages.monitoring if stages is not None else None
    found: list[Finding] = []
    if monitoring is None:
        found.append(error("monitor.missing", Location(field="monitoring"), "没有运行监控数据（1–7月执行数、完成情况等），请填写"))
        return MonitoringResult(rules.month, Light(None, None, "没有监控数据"), None, [], None, found)
    month = _month(monitoring, rules, found)
    budget, rate = _budget(evaluation, monitoring, month, rules, found)
    tree = {id(row): ind for row, ind in _pairs(evaluation, monitoring)}
    lights: list[Light] = []
    for i, row in enumerate(monitoring.indicators):
        ind = tree.get(id(row))
        target_raw = row.target if text(row.target) else (ind.target if ind is not None else None)
        unit = text(ind.unit) if ind is not None else None
        nature = text(ind.nature) if ind is not None else ""
        light = indicator_light(nature, parse(target_raw, unit or None), parse(row.progress, unit or None),
                                parse(row.forecast, unit or None), month, rules)
        lights.append(light)
        _row_checks(row, i, light, rules, found)
    if not monitoring.indicators:
        found.append(error("monitor.empty", Location(field="monitoring.indicators"), "监控表没有任何指标行，请填写各项指标的完成情况"))
    _tree_checks(evaluation, monitoring, found)
    found.extend(check_target_changes(evaluation))
    project = project_light(lights, budget, rules)
    found.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return MonitoringResult(month, budget, rate, lights, project, found)


def _pairs(evaluation: Evaluation, monitoring: Monitoring):
    pairs = match(monitoring.indicators, evaluation.indicators)
    return [(monitoring.indicators[i], evaluation.indicators[j]) for i, j in pairs.items()]
