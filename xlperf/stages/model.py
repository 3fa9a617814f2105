"""The 申报 and 监控 stages as staff enter them: plain data, raw values kept as typed.

Like ``xlperf.model``, every field keeps the raw cell value (``Raw``); reading and
arithmetic happen in ``lights``/``monitoring``. Indicators of the 监控 form are
matched to ``Evaluation.indicators`` by (一级, 二级, 三级) name, so a row added or
removed between stages is noticed rather than shifting every row below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlperf.model import Indicator, Located, Location, Raw

# 偏差原因分析: the five columns of the provincial 监控表, field name → heading
CAUSES = {
    "cause_funding": "经费保障",
    "cause_rules": "制度保障",
    "cause_staff": "人员保障",
    "cause_hardware": "硬件条件保障",
    "cause_other": "其他",
}
LIKELIHOODS = ("确定能", "有可能", "完全不可能")  # 完成目标可能性


def _loc() -> dict[str, Location]:
    return field(default_factory=dict, repr=False, compare=False)


@dataclass
class MonitoredFunds(Located):
    """项目资金 on the 监控表 (万元), the 年度资金总额 row."""

    initial: Raw = None  # 年初预算数
    budget: Raw = None  # 全年预算数
    spent: Raw = None  # 1–7月执行数 (to the end of the monitoring month)
    claimed_rate: Raw = None  # 执行率 as typed (checked against the amounts)
    forecast: Raw = None  # 全年预计执行数
    reason: Raw = None  # 执行偏差原因及纠偏措施
    loc: dict[str, Location] = _loc()


@dataclass
class MonitoredIndicator(Located):
    """One indicator row of the 监控表."""

    level1: Raw = None  # 一级指标
    level2: Raw = None  # 二级指标
    name: Raw = None  # 三级指标
    target: Raw = None  # 年度指标值 (as it stood at monitoring time)
    progress: Raw = None  # 1–7月完成情况
    forecast: Raw = None  # 全年预计完成情况
    cause_funding: Raw = None  # 偏差原因：经费保障
    cause_rules: Raw = None  # 偏差原因：制度保障
    cause_staff: Raw = None  # 偏差原因：人员保障
    cause_hardware: Raw = None  # 偏差原因：硬件条件保障
    cause_other: Raw = None  # 偏差原因：其他
    likelihood: Raw = None  # 完成目标可能性：确定能 / 有可能 / 完全不可能
    correction: Raw = None  # 纠偏措施
    remark: Raw = None  # 备注
    loc: dict[str, Location] = _loc()


@dataclass
class Monitoring(Located):
    """The 绩效运行监控表: data to the end of ``month`` (7 by default)."""

    month: Raw = None  # 监控月份 (empty: the profile's, 7)
    funds: MonitoredFunds = field(default_factory=MonitoredFunds)
    goal_progress: Raw = None  # 年度总体目标执行情况
    indicators: list[MonitoredIndicator] = field(default_factory=list)
    rectify: Raw = None  # 财政: 是否需要整改
    rectify_request: Raw = None  # 财政: 整改要求和建议
    rectify_result: Raw = None  # 财政: 整改结果和结论
    loc: dict[str, Location] = _loc()


@dataclass
class Adjustment(Located):
    """调整记录: an approved change of a target (or weight) after 申报."""

    name: Raw = None  # 三级指标 changed
    field: Raw = None  # 指标值 / 分值 / 新增 / 删除
    before: Raw = None  # 调整前
    after: Raw = None  # 调整后
    reason: Raw = None  # 调整原因
    approved: Raw = None  # 批准文号或日期
    loc: dict[str, Location] = _loc()


@dataclass
class StageData:
    """What the 申报 and 监控 stages add to an evaluation."""

    stage: str = "自评"
    declared: list[Indicator] = field(default_factory=list)  # targets as approved at 申报
    monitoring: Monitoring | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
