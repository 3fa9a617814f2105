"""Start next year's evaluation from this year's: same project and indicators, new actuals.

Last year's actual values become this year's 参考标准 (the historical standard the
sample report evaluates against); actuals, scores and reasons are cleared.
"""

from __future__ import annotations

import copy

from xlperf.model import Evaluation, Funds, Goal
from xlperf.lines import text
from xlperf.values import to_decimal


def next_year(last: Evaluation, year: int | None = None) -> Evaluation:
    """A new evaluation for the following year, carried over from ``last``."""
    new = copy.deepcopy(last)
    new.source = None
    last_year = to_decimal(last.project.year)
    if year is None and last_year is not None:
        year = int(last_year) + 1
    project = new.project
    project.year = year
    project.period = None
    project.filled_on = None
    for record in new.indicators:
        record.reference = record.actual if text(record.actual) else record.reference
        record.actual = None
        record.claimed_score = None
        record.reason = None
        record.not_applicable = None
    for item in new.items:
        item.actual = None
        item.situation = None
        item.claimed_score = None
        item.reason = None
        item.not_applicable = None
    new.funds = Funds()
    new.goal = Goal(expected=last.goal.expected)
    new.claimed_total = None
    new.claimed_grade = None
    new.problems = []
    new.measures = []
    new.suggestions = []
    for record in [new.project, *new.indicators, *new.items]:
        record.loc = {}
    new.settings_loc = {}
    new.total_loc = None
    return new

