"""What scoring produces: scores with their explanations, subtotals, total, grade, findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xlperf.findings import Counted, Finding


@dataclass(frozen=True)
class Score:
    """The score of one indicator or rubric item, and how it was reached.

    ``ratio`` is the completion ratio in percent, uncapped (125.00 for 40÷32);
    ``points`` is capped at ``weight``. ``points`` is None for an indicator that
    carries no weight (fj2018 绩效目标) or is 不适用.
    """

    points: Decimal | None
    weight: Decimal | None
    ratio: Decimal | None
    rule: str  # rule id, e.g. "positive"
    rule_label: str  # 正向指标（比例计分）
    explanation: str  # 59÷57=103.51%，达到目标值，得满分2分
    status: str  # met | missed | manual | not_applicable | unscored | unreadable

    @property
    def full_marks(self) -> bool:
        return self.points is not None and self.weight is not None and self.points >= self.weight


@dataclass(frozen=True)
class FundsResult:
    """执行率 and the other money ratios, in percent, from the 年度资金总额 row."""

    rate: Decimal | None  # 执行率 = 全年执行数 ÷ basis (全年预算数 by default)
    basis_label: str  # 全年预算数 / 年初预算数
    received_rate: Decimal | None  # 资金到位率
    timely_rate: Decimal | None  # 到位及时率
    balance: Decimal | None  # 结余 = basis − 全年执行数 (万元)
    score: Score | None  # 预算执行率 score (cz2020); None where the profile does not score it
    # The 年度资金总额 figures the rates were computed from (initial, budget, spent, received, timely; 万元):
    # the total row, or its breakdown where the total is blank or left at 0. Batch and the report take them from here.
    totals: dict[str, Decimal | None] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Subtotal:
    level1: str
    weight: Decimal
    points: Decimal
    expected_weight: Decimal | None  # what the profile says the category is worth


@dataclass
class Results(Counted):
    profile: str
    indicators: list[Score]  # aligned with Evaluation.indicators
    items: list[Score]  # aligned with Evaluation.items
    funds: FundsResult
    subtotals: list[Subtotal]
    total: Decimal
    total_weight: Decimal
    grade: str
    findings: list[Finding] = field(default_factory=list)
    tasks: list = field(default_factory=list)  # xlperf.tasks.TaskResult per 年度主要任务 (部门整体支出)
    # The profile the results were scored with, 设置 applied (None: results not made by ``score``).
    # Computed once in ``scoring.score``; the report, batch and the app take it from here.
    applied: Any = field(default=None, compare=False, repr=False)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def score_to_dict(score: Score) -> dict:
    return {
        "points": _num(score.points),
        "weight": _num(score.weight),
        "ratio": _num(score.ratio),
        "rule": score.rule,
        "rule_label": score.rule_label,
        "explanation": score.explanation,
        "status": score.status,
    }


def results_to_dict(results: Results) -> dict:
    """Results as plain JSON-ready data (numbers as floats, percent values in percent)."""
    funds = results.funds
    return {
        "profile": results.profile,
        "total": _num(results.total),
        "total_weight": _num(results.total_weight),
        "grade": results.grade,
        "errors": results.errors,
        "warnings": results.warnings,
        "subtotals": [
            {"level1": s.level1, "weight": _num(s.weight), "points": _num(s.points), "expected_weight": _num(s.expected_weight)}
            for s in results.subtotals
        ],
        "funds": {
            "rate": _num(funds.rate),
            "basis": funds.basis_label,
            "received_rate": _num(funds.received_rate),
            "timely_rate": _num(funds.timely_rate),
            "balance": _num(funds.balance),
            "score": score_to_dict(funds.score) if funds.score else None,
        },
        "indicators": [score_to_dict(s) for s in results.indicators],
        "items": [score_to_dict(s) for s in results.items],
        "findings": [f.to_dict() for f in results.findings],
    }
