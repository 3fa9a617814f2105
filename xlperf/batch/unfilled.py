"""Is a workbook an unfilled template? Then the batch lists it as 未填写 instead of scoring it 0.

A template counts as unfilled when nothing that scoring reads as an achievement was typed:
no 实际完成值 on any indicator, no 全年执行数 in the funds table, and no 自评得分. Its 0 分
would otherwise pull every average down.
"""

from __future__ import annotations

from xlperf.model import Evaluation
from xlperf.scoring import text

REASON = "未填写：没有实际完成值、全年执行数或自评得分，未评分，不计入平均"


def is_unfilled(evaluation: Evaluation) -> bool:
    if any(text(row.spent) for row in evaluation.funds.rows):
        return False
    for indicator in evaluation.indicators:
        if text(indicator.actual) or text(indicator.claimed_score):
            return False
    for item in getattr(evaluation, "items", None) or []:
        if text(getattr(item, "claimed_score", None)) or text(getattr(item, "actual", None)):
            return False
    return True
