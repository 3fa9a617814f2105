"""What the reports say about 运行监控: plain data, no Word or files.

Developer notes: ``monitoring_paragraphs`` is the short 自评报告 section on
monitoring and correction (the report context carries it as ``monitoring``; an
empty list for a file without 监控 data). ``monitoring_report`` is the whole
context of the 监控报告 that ``xlperf report`` writes for a file at the 监控
stage (``monitor_docx`` / ``monitor_markdown`` render it). Every number comes from
``assess_monitoring``; nothing is recomputed here.
"""

from __future__ import annotations

from xlperf.model import Evaluation
from xlperf.lines import text
from xlperf.stages.model import CAUSES
from xlperf.stages.monitoring import MonitoringResult, assess_monitoring
from xlperf.stages.rules import monitoring_rules
from xlperf.values import fmt_number, to_decimal


def _counts(result: MonitoringResult, order: tuple[str, ...]) -> str:
    tally = {light: 0 for light in order}
    unknown = 0
    for light in result.indicators:
        if light.light:
            tally[light.light] += 1
        else:
            unknown += 1
    parts = [f"{light}灯{n}项" for light, n in tally.items() if n]
    if unknown:
        parts.append(f"无法判断{unknown}项")
    return "、".join(parts)


def _lagging(evaluation: Evaluation, result: MonitoringResult, good_rank: int, rank) -> list[dict]:
    rows = evaluation.stages.monitoring.indicators
    lagging = []
    for row, light in zip(rows, result.indicators):
        if light.light is None or rank(light.light) >= good_rank:
            continue
        causes = "；".join(f"{label}：{text(getattr(row, name))}" for name, label in CAUSES.items() if text(getattr(row, name)))
        lagging.append({"name": text(row.name), "light": light.light, "explanation": light.explanation,
                        "causes": causes, "likelihood": text(row.likelihood), "correction": text(row.correction)})
    return lagging


def monitoring_paragraphs(evaluation: Evaluation) -> list[str]:
    """The 自评报告's paragraphs on 运行监控 and 纠偏 (empty without 监控 data)."""
    stages = evaluation.stages
    if stages is None or stages.monitoring is None:
        return []
    rules = monitoring_rules(evaluation.profile)
    result = assess_monitoring(evaluation, rules)
    good = rules.rank(rules.qualitative["met"])
    first = f"本项目按要求开展了绩效运行监控，数据截至{result.month}月底。"
    if result.budget.light:
        first += f"预算执行进度为{result.budget.light}灯（{result.budget.explanation.rsplit('，', 1)[0]}）；"
    counts = _counts(result, rules.order)
    if counts:
        first += f"{len(result.indicators)}项绩效指标中{counts}"
    first += f"，项目总体为{result.project}灯。" if result.project else "。"
    paragraphs = [first.replace("；，", "；").replace("；。", "。")]
    for row in _lagging(evaluation, result, good, rules.rank):
        sentence = f"“{row['name']}”为{row['light']}灯（{row['explanation'].rsplit('，', 1)[0]}）"
        if row["causes"]:
            sentence += f"，偏差原因为{row['causes']}"
        sentence += f"，采取的纠偏措施为：{row['correction'].rstrip('。')}。" if row["correction"] else "，未填写纠偏措施。"
        paragraphs.append(sentence)
    if stages.adjustments:
        items = "；".join(
            f"“{text(a.name)}”{text(a.field) or '指标值'}由{text(a.before) or '（空）'}调整为{text(a.after) or '（空）'}"
            + (f"（{text(a.reason).rstrip('。')}）" if text(a.reason) else "")
            for a in stages.adjustments
        )
        paragraphs.append(f"年度中共调整绩效目标{len(stages.adjustments)}项：{items}。")
    return paragraphs


def monitoring_report(evaluation: Evaluation, result: MonitoringResult | None = None) -> dict:
    """The context of the 监控报告."""
    rules = monitoring_rules(evaluation.profile)
    result = result or assess_monitoring(evaluation, rules)
    project = evaluation.project
    monitoring = evaluation.stages.monitoring if evaluation.stages else None
    name = text(project.name) or "（未填项目名称）"
    year = text(project.year)
    funds = monitoring.funds if monitoring else None
    amounts = {}
    if funds is not None:
        for key in ("budget", "spent", "forecast"):
            value = to_decimal(getattr(funds, key))
            amounts[key] = f"{fmt_number(value)}万元" if value is not None else "未填"
    rows = []
    if monitoring is not None:
        for row, light in zip(monitoring.indicators, result.indicators):
            rows.append({
                "level1": text(row.level1), "level2": text(row.level2), "name": text(row.name),
                "target": text(row.target), "progress": text(row.progress), "forecast": text(row.forecast),
                "likelihood": text(row.likelihood), "light": light.light or "—",
            })
    good = rules.rank(rules.qualitative["met"])
    return {
        "title": f"{name}{f'{year}年度' if year else ''}绩效运行监控报告",
        "unit": text(project.unit) or text(project.implementer),
        "month": result.month,
        "project_light": result.project or "无法判断",
        "summary": monitoring_paragraphs(evaluation)[:1] if monitoring else [],
        "funds": amounts,
        "budget": result.budget.explanation,
        "goal_progress": text(monitoring.goal_progress) if monitoring else "",
        "rows": rows,
        "lagging": _lagging(evaluation, result, good, rules.rank) if monitoring else [],
        "findings": [str(f) for f in result.findings],
    }
