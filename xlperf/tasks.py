"""部门整体支出 自评: the 年度主要任务 table (年度主要任务 / 主要内容 / 预算数 / 执行数 per task).

Plain Python over the model: each task's 执行率, and findings on what does not add up (an amount
that is no number, a task over its budget, a low rate without a word of why, task totals that
differ from the 年度资金总额 by more than a reviewer's ±0.1 万元).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlperf.findings import Finding, error, warning
from xlperf.lines import quantize, text
from xlperf.model import Evaluation, Task
from xlperf.profile import Profile
from xlperf.results import FundsResult
from xlperf.values import fmt_number, to_decimal

TOLERANCE = Decimal("0.1")  # 万元: what reviewers allow between the task totals and the 年度资金总额


@dataclass(frozen=True)
class TaskResult:
    """One task's 执行率 (percent, two decimals), None when an amount is missing."""

    rate: Decimal | None


def assess_tasks(evaluation: Evaluation, profile: Profile, funds: FundsResult, problems: list[Finding]) -> list[TaskResult]:
    """The 执行率 of each task (aligned with ``evaluation.tasks``); findings go to ``problems``."""
    results: list[TaskResult] = []
    budgets: list[Decimal] = []
    spents: list[Decimal] = []
    for i, task in enumerate(evaluation.tasks):
        name = text(task.name) or f"第{i + 1}项任务"
        if not text(task.name):
            problems.append(error("task.name_missing", task.where("name", f"tasks[{i}]."), f"{name}没有填写任务名称，请填写年度主要任务"))
        budget = _amount(task, i, "budget", "预算数", problems)
        spent = _amount(task, i, "spent", "执行数", problems)
        rate = None
        if budget is not None and spent is not None and budget > 0:
            rate = quantize(spent / budget * 100, 2)
            if spent > budget:
                problems.append(warning("task.over_budget", task.where("spent", f"tasks[{i}]."), f"{name}：执行数{fmt_number(spent)}万元超过预算数{fmt_number(budget)}万元，请核对或说明"))
            elif rate < profile.deviation_rate and not text(task.note):
                problems.append(warning("task.low_rate", task.where("note", f"tasks[{i}]."), f"{name}：执行率{fmt_number(rate)}%低于{fmt_number(profile.deviation_rate)}%，请在“说明”中写明原因"))
        elif budget is not None and budget <= 0 and spent:
            problems.append(error("task.budget_zero", task.where("budget", f"tasks[{i}]."), f"{name}：预算数为0而执行数为{fmt_number(spent)}万元，请核对"))
        if budget is not None:
            budgets.append(budget)
        if spent is not None:
            spents.append(spent)
        results.append(TaskResult(rate))
    if evaluation.tasks:
        _totals(evaluation, budgets, spents, problems)
    return results


def _amount(task: Task, i: int, name: str, label: str, problems: list[Finding]) -> Decimal | None:
    value = to_decimal(getattr(task, name))
    if value is None and text(getattr(task, name)):
        problems.append(error("task.unreadable", task.where(name, f"tasks[{i}]."), f"{label}“{text(getattr(task, name))}”不是数字，请填写以万元为单位的数字"))
    elif value is None:
        problems.append(error("task.missing", task.where(name, f"tasks[{i}]."), f"{text(task.name) or f'第{i + 1}项任务'}没有填写{label}，请填写（万元）"))
    return value


def _totals(evaluation: Evaluation, budgets: list[Decimal], spents: list[Decimal], problems: list[Finding]) -> None:
    """The tasks' amounts against the 年度资金总额: a whole 部门's money is the sum of its tasks."""
    total = evaluation.funds.total if evaluation.funds.rows else None
    if total is None:
        return
    for values, field_name, label in ((budgets, "budget", "全年预算数"), (spents, "spent", "全年执行数")):
        whole = to_decimal(getattr(total, field_name))
        if whole is None or len(values) != len(evaluation.tasks):
            continue
        tasks_sum = sum(values, Decimal(0))
        if abs(tasks_sum - whole) > TOLERANCE:
            word = "预算数" if field_name == "budget" else "执行数"
            problems.append(warning(
                f"task.{field_name}_sum", total.where(field_name, "funds.rows[0]."),
                f"各项年度主要任务的{word}合计{fmt_number(tasks_sum)}万元，与年度资金总额的{label}{fmt_number(whole)}万元相差{fmt_number(abs(tasks_sum - whole))}万元，请核对",
            ))
