"""Move an evaluation to the next stage, keeping every value typed so far.

Developer notes: 申报 → 监控 snapshots the approved targets (``declared``) and
starts the 监控表 with one row per indicator (names and 指标值 copied, so staff
type only the progress), and the funds with the approved budget; 监控 → 自评
keeps the 监控表 for the promise checks. Moving backwards is refused: a stage's
data is never dropped, except that 自评 → 申报 starts the next year
(``next_declaration``). ``new_stage`` starts a blank evaluation at a stage.
"""

from __future__ import annotations

import copy

from xlperf.errors import XlperfError
from xlperf.model import Evaluation, Indicator
from xlperf.stages import STAGES, stage_of
from xlperf.stages.model import MonitoredFunds, MonitoredIndicator, Monitoring, StageData

DECLARED_FIELDS = ("level1", "level2", "name", "nature", "reference", "target", "unit", "weight", "rule")


def new_stage(stage: str, profile: str = "cz2020") -> Evaluation:
    if stage not in STAGES:
        raise XlperfError(f"阶段应为 {'、'.join(STAGES)} 之一，实际为“{stage}”")
    return Evaluation(profile=profile, stages=StageData(stage=stage))


def _declared(indicators: list[Indicator]) -> list[Indicator]:
    return [Indicator(**{name: getattr(ind, name) for name in DECLARED_FIELDS}) for ind in indicators]


def start_monitoring(evaluation: Evaluation) -> Monitoring:
    total = evaluation.funds.total
    rows = [MonitoredIndicator(level1=ind.level1, level2=ind.level2, name=ind.name, target=ind.target)
            for ind in evaluation.indicators]
    return Monitoring(funds=MonitoredFunds(initial=total.initial, budget=total.budget), indicators=rows)


def next_declaration(last: Evaluation) -> Evaluation:
    """Next year's 申报 from this year's 自评: same tree, last year's actuals as 参考标准.

    The 参考标准 is what ``targets.check_last_year`` compares the new 指标值 with
    (指标值设定偏低); this year's stage data is not carried over.
    """
    from xlperf.carryover import next_year

    new = next_year(last)
    new.stages = StageData(stage="申报")
    return new


def advance(evaluation: Evaluation, to: str) -> Evaluation:
    """A copy of ``evaluation`` at stage ``to`` (监控 or 自评); 申报 from a 自评 starts next year."""
    if to not in STAGES:
        raise XlperfError(f"目标阶段应为 {'、'.join(STAGES)} 之一，实际为“{to}”")
    now = stage_of(evaluation)
    if to == "申报" and now == "自评":
        return next_declaration(evaluation)
    if STAGES.index(to) <= STAGES.index(now):
        raise XlperfError(f"工作已在“{now}”阶段，不能转到“{to}”（只能向后：申报 → 监控 → 自评）")
    new = copy.deepcopy(evaluation)
    new.source = None
    stages = new.stages if new.stages is not None else StageData(stage=now)
    if not stages.declared:
        stages.declared = _declared(new.indicators)
    if to == "监控" and stages.monitoring is None:
        stages.monitoring = start_monitoring(new)
    stages.stage = to
    new.stages = stages
    return new


def at_stage(evaluation: Evaluation | None, stage: str, profile: str, carried_over: bool = False) -> Evaluation:
    """What ``xlperf new --stage`` builds: a blank form, given data, or last year's carried over, at ``stage``."""
    if stage not in STAGES:
        raise XlperfError(f"阶段应为 {'、'.join(STAGES)} 之一，实际为“{stage}”")
    if evaluation is None:
        new = new_stage(stage, profile)
        if stage != "申报":
            new.stages.monitoring = start_monitoring(new) if stage == "监控" else None
        return new
    if carried_over:  # next_year copied this year's stage data: next year starts afresh at 申报
        evaluation.stages = StageData(stage="申报")
    now = stage_of(evaluation)
    if now == stage:
        if evaluation.stages is None:
            evaluation.stages = StageData(stage=stage)
        return evaluation
    if evaluation.stages is None and stage != "自评":
        evaluation.stages = StageData(stage="申报")  # plain data (no stage): its indicators are the declaration
        if stage == "申报":
            return evaluation
    return advance(evaluation, stage)
