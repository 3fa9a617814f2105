"""The evaluation as staff enter it: plain data, no file formats.

Every input field keeps what the person typed (``Raw``: text, number, date or
empty); reading 指标值 and scoring happen later, in ``values`` and ``scoring``.
Each record may carry the location of each field (``loc``), set by whichever
adapter read it (a workbook cell, a JSON path), so findings can point there.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlperf.stages.model import StageData

Raw = str | int | float | Decimal | _dt.date | _dt.datetime | bool | None


@dataclass(frozen=True)
class Location:
    """Where a value lives: a model field, and once read from a workbook a sheet and cell."""

    field: str = ""
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet:
            return self.sheet
        return self.field


class Located:
    """Mixin: ``loc`` maps a field name to its Location."""

    loc: dict[str, Location]

    def where(self, name: str, default_prefix: str = "") -> Location:
        found = self.loc.get(name)
        if found is not None:
            return found
        return Location(field=f"{default_prefix}{name}" if default_prefix else name)


def _loc() -> dict[str, Location]:
    return field(default_factory=dict, repr=False, compare=False)


@dataclass
class ProjectInfo(Located):
    """项目基本信息."""

    unit: Raw = None  # 单位名称
    department: Raw = None  # 主管部门
    implementer: Raw = None  # 实施单位
    name: Raw = None  # 项目名称
    year: Raw = None  # 年度
    attribute: Raw = None  # 项目属性: 经常性 / 一次性
    period: Raw = None  # 起止时间
    duties: Raw = None  # 单位职责
    overview: Raw = None  # 项目概况
    organisation: Raw = None  # 项目组织管理情况
    finance: Raw = None  # 项目财务管理情况
    method: Raw = None  # 绩效工作开展情况（评价方法、评价标准）
    filled_by: Raw = None  # 填报人
    phone: Raw = None  # 联系电话
    filled_on: Raw = None  # 填报日期
    loc: dict[str, Location] = _loc()


FUND_ROWS = ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金")


@dataclass
class FundRow(Located):
    """One row of 项目资金（万元）."""

    label: str = "年度资金总额"
    initial: Raw = None  # 年初预算数
    budget: Raw = None  # 全年预算数
    spent: Raw = None  # 全年执行数
    received: Raw = None  # 到位资金
    timely: Raw = None  # 及时到位资金
    loc: dict[str, Location] = _loc()


@dataclass
class Funds(Located):
    """项目资金: the total row first, then its breakdown, and the reasons."""

    rows: list[FundRow] = field(default_factory=lambda: [FundRow(label=label) for label in FUND_ROWS])
    claimed_rate: Raw = None  # 填报的执行率（资金使用率）, checked against the amounts
    claimed_score: Raw = None  # 单位自评的执行率得分, checked against the computed one and in the unit's addition
    reason: Raw = None  # 结余及执行率偏低的原因
    loc: dict[str, Location] = _loc()

    @property
    def total(self) -> FundRow:
        return self.rows[0]

    @property
    def parts(self) -> list[FundRow]:
        return self.rows[1:]


@dataclass
class Goal(Located):
    """年度总体目标."""

    expected: Raw = None  # 预期目标
    achieved: Raw = None  # 实际完成情况
    loc: dict[str, Location] = _loc()


@dataclass
class Indicator(Located):
    """One 三级指标 (cz2020 绩效指标 row, fj2018 绩效目标 row)."""

    level1: Raw = None  # 一级指标
    level2: Raw = None  # 二级指标
    name: Raw = None  # 三级指标
    nature: Raw = None  # 指标性质: ≥ ＞ ＝ ≤ ＜ 定性 (empty: read from the target)
    reference: Raw = None  # 参考标准（历史标准）
    target: Raw = None  # 年度指标值 / 绩效目标值
    unit: Raw = None  # 度量单位
    actual: Raw = None  # 实际完成值
    weight: Raw = None  # 分值 (empty in fj2018 绩效目标, which is not scored itself)
    claimed_score: Raw = None  # 自评得分: the evaluator's score (定性, 手工) or a typed one to check
    reason: Raw = None  # 偏差原因分析及改进措施
    not_applicable: Raw = None  # 不适用
    rule: Raw = None  # 计分规则 override (rule spec text); empty: from 指标性质
    loc: dict[str, Location] = _loc()


@dataclass
class RubricItem(Located):
    """One line of the fj2018 评分表 (投入/过程/产出与效益)."""

    level1: Raw = None  # 一级
    level2: Raw = None  # 二级
    name: Raw = None  # 三级
    weight: Raw = None  # 分值
    criterion: Raw = None  # 评分标准 (text as published)
    rule: Raw = None  # 计分规则 (rule spec text, see ``rules``)
    source: Raw = None  # 数据来源: 资金使用率 / 资金到位率 / 到位及时率 / 指标:NAME / empty
    target: Raw = None  # 标准值
    actual: Raw = None  # 实际值
    situation: Raw = None  # 实际情况 (text)
    claimed_score: Raw = None  # 自评得分
    reason: Raw = None  # 扣分原因
    not_applicable: Raw = None  # 不适用
    loc: dict[str, Location] = _loc()


@dataclass
class Task(Located):
    """One 年度主要任务 of a 部门整体支出 自评 (the ``tasks`` block a profile declares)."""

    name: Raw = None  # 年度主要任务
    content: Raw = None  # 主要内容
    budget: Raw = None  # 预算数（万元）
    spent: Raw = None  # 执行数（万元）
    note: Raw = None  # 说明（执行偏差的原因等）
    loc: dict[str, Location] = _loc()


@dataclass
class Evaluation:
    """A whole self-evaluation: what one workbook or one JSON file holds."""

    profile: str = "cz2020"
    project: ProjectInfo = field(default_factory=ProjectInfo)
    funds: Funds = field(default_factory=Funds)
    goal: Goal = field(default_factory=Goal)
    indicators: list[Indicator] = field(default_factory=list)
    items: list[RubricItem] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)  # 部门整体支出: 年度主要任务 (empty for a project)
    claimed_total: Raw = None  # 自评总分 as typed
    claimed_grade: Raw = None  # 自评等级 as typed
    problems: list[str] = field(default_factory=list)  # 存在的问题
    measures: list[str] = field(default_factory=list)  # 改进措施
    suggestions: list[str] = field(default_factory=list)  # 意见建议
    settings: dict[str, str] = field(default_factory=dict)  # profile overrides from the workbook
    stages: StageData | None = None  # 申报/监控 data (xlperf.stages); None: a plain 自评
    source: str | None = field(default=None, compare=False)  # file it was read from
    settings_loc: dict[str, Location] = _loc()
    total_loc: Location | None = field(default=None, repr=False, compare=False)
    read_as: object = field(default=None, repr=False, compare=False)  # how the file was read (xlperf.forms.identify.HowRead)


def field_names(cls: type) -> list[str]:
    """The input fields of a record class, in declaration order (without ``loc``)."""
    return [f.name for f in fields(cls) if f.name != "loc"]
