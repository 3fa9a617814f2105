"""Traffic lights of 运行监控: budget progress, indicator progress, the project's light.

Developer notes. The arithmetic, with the bands from ``[monitoring]`` of the profile:

* budget: 执行率 = 执行数 ÷ 预算数 × 100; ratio = 执行率 ÷ (month ÷ 12 × 100) × 100,
  computed as 执行数 × 12 × 100 ÷ (预算数 × month) so no intermediate rounding moves
  a ratio across a band edge; the band is chosen on the unrounded ratio;
* positive (≥ ＞ ＝) numeric indicator: ratio = 1–7月完成值 ÷ (指标值 ÷ 12 × month) × 100;
  percentages (满意度, 合格率) are rates, not amounts that accrue over the year, so
  unless ``prorate_percent`` they are compared directly: ratio = 完成值 ÷ 指标值 × 100;
* reverse (≤ ＜): ``within`` if the 全年预计完成情况 (else the 1–7月 value) keeps within
  the 指标值, else ``over``;
* qualitative, deadline and yes/no targets: the 1–7月 value read as 达成 / 部分达成 /
  未达成 (a completion date on or before the deadline is 达成; 是 is 达成, 否 部分达成);
* project: the worst light of its indicators (and of the budget, if configured).

A light that cannot be computed is ``None`` with the reason, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from xlperf.stages.rules import MonitoringRules
from xlperf.values import Kind, Value, comparable, fmt_number, fmt_plain

LEVEL_WORD = {"met": "达成", "partial": "部分达成", "missed": "未达成"}


@dataclass(frozen=True)
class Light:
    light: str | None  # 红/黄/绿/蓝 … ; None: cannot be computed
    ratio: Decimal | None  # progress ratio in percent, unrounded
    explanation: str


def _div(a: Decimal, b: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return a / b


def months(month: int) -> str:
    return f"1–{month}月" if month > 1 else "1月"


def budget_light(spent: Decimal | None, budget: Decimal | None, month: int, rules: MonitoringRules) -> Light:
    """Budget progress: 执行率 against the time elapsed."""
    if budget is None or spent is None:
        missing = "预算数" if budget is None else f"{months(month)}执行数"
        return Light(None, None, f"未填{missing}，无法计算预算执行进度")
    if budget <= 0:
        return Light(None, None, f"预算数为{fmt_plain(budget)}，无法计算执行率")
    rate = _div(spent * 100, budget)
    ratio = _div(spent * 12 * 100, budget * month)
    light = rules.band_light(rules.budget, ratio)
    expected = _div(Decimal(month) * 100, Decimal(12))
    return Light(light, ratio, f"执行率{fmt_number(rate)}%，按时间进度应为{fmt_number(expected)}%，进度比值{fmt_number(ratio)}%，{light}灯")


def _direction(nature: str, target: Value) -> str:
    nature = nature.strip().replace("＞", ">").replace("＜", "<").replace("＝", "=")
    if nature == "定性":
        return "qualitative"
    op = nature if nature in ("≥", ">", "=", "≤", "<") else target.op
    if target.kind in (Kind.QUALITATIVE, Kind.DEADLINE, Kind.YESNO):
        return "qualitative"
    if op in ("≤", "<"):
        return "reverse"
    return "positive"


def _level(target: Value, progress: Value) -> str | None:
    """达成/部分达成/未达成 of a non-numeric indicator at monitoring time."""
    if progress.kind is Kind.QUALITATIVE:
        return progress.level
    if progress.kind is Kind.YESNO:
        return "met" if progress.level == "yes" else "partial"
    if progress.kind is Kind.DEADLINE and target.kind is Kind.DEADLINE and progress.deadline and target.deadline:
        done, due = progress.deadline, target.deadline
        if done[0] is not None and due[0] is not None and done[0] != due[0]:
            return "met" if done[0] < due[0] else "missed"
        return "met" if (done[1], done[2] or 1) <= (due[1], due[2] or 31) else "missed"
    return None


def indicator_light(nature: str, target: Value, progress: Value, forecast: Value, month: int,
                    rules: MonitoringRules) -> Light:
    """The light of one indicator at monitoring time."""
    if target.kind in (Kind.EMPTY, Kind.UNREADABLE):
        return Light(None, None, f"年度指标值“{target.text}”无法识别，无法判断进度" if target.text else "未填年度指标值")
    direction = _direction(nature, target)
    if direction == "qualitative":
        level = _level(target, progress)
        if level is None:
            shown = progress.text or "（空）"
            return Light(None, None, f"{months(month)}完成情况“{shown}”无法判断为达成、部分达成或未达成")
        light = rules.qualitative[level]
        return Light(light, None, f"{months(month)}{LEVEL_WORD[level]}，{light}灯")
    if direction == "reverse":
        value, label = (forecast, "全年预计") if forecast.kind is Kind.NUMBER else (progress, months(month))
        pair = comparable(target, value) if value.kind is Kind.NUMBER else None
        if pair is None:
            return Light(None, None, f"{label}完成情况“{value.text or '（空）'}”不是与指标值同单位的数值，无法判断")
        t, a = pair
        strict = (nature.strip() in ("<", "＜")) or target.op == "<"
        within = a < t if strict else a <= t
        light = rules.reverse["within" if within else "over"]
        word = "未超过" if within else "超过"
        return Light(light, None, f"{label}{fmt_plain(value.number)}{value.unit}，{word}指标值{target.shown}，{light}灯")
    pair = comparable(target, progress) if progress.kind is Kind.NUMBER else None
    if pair is None:
        shown = progress.text or "（空）"
        return Light(None, None, f"{months(month)}完成情况“{shown}”不是与指标值同单位的数值，无法计算进度")
    t, a = pair
    if t <= 0:
        return Light(None, None, f"指标值为{fmt_plain(t)}，无法按进度计算")
    if target.unit == "%" and not rules.prorate_percent:
        ratio = _div(a * 100, t)
        how = f"{months(month)}达到{fmt_plain(a)}%，指标值{fmt_plain(t)}%"
    else:
        ratio = _div(a * 12 * 100, t * month)
        due = _div(t * month, Decimal(12))
        how = f"{months(month)}完成{fmt_plain(a)}{target.unit}，按进度应完成{fmt_number(due)}{target.unit}（{fmt_plain(t)}÷12×{month}）"
    light = rules.band_light(rules.indicator, ratio)
    return Light(light, ratio, f"{how}，进度比值{fmt_number(ratio)}%，{light}灯")


def project_light(indicators: list[Light], budget: Light | None, rules: MonitoringRules) -> str | None:
    """The worst of the indicator lights (and the budget light, if the profile says so)."""
    lights = [x.light for x in indicators if x.light]
    if rules.project_includes_budget and budget is not None and budget.light:
        lights.append(budget.light)
    return rules.worst(lights)
