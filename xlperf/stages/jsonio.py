"""The stage keys of the evaluation JSON: ``stage``, ``declared``, ``monitoring``, ``adjustments``.

Developer notes: they are written only when an evaluation has stage data, so a
plain 自评 file keeps exactly the keys of ``xlperf.jsonio.TOP_KEYS``; a file with
``"stage": "监控"`` is read by ``from_json`` there, which calls ``read_stages``.
Values follow the same canonical form and validation (``_raw``/``_fill``).
"""

from __future__ import annotations

from typing import Any

from xlperf.errors import DataError
from xlperf.model import Indicator, Location, field_names
from xlperf.stages import STAGES
from xlperf.stages.model import Adjustment, MonitoredFunds, MonitoredIndicator, Monitoring, StageData

STAGE_KEYS = ("stage", "declared", "monitoring", "adjustments")
MONITORING_KEYS = ("month", "funds", "goal_progress", "indicators", "rectify", "rectify_request", "rectify_result")


def _record(record) -> dict:
    from xlperf.jsonio import _out

    return {name: _out(getattr(record, name)) for name in field_names(type(record))}


def stages_to_json(stages: StageData) -> dict:
    from xlperf.jsonio import _out

    data: dict[str, Any] = {"stage": stages.stage, "declared": [_record(x) for x in stages.declared]}
    m = stages.monitoring
    data["monitoring"] = None if m is None else {
        "month": _out(m.month),
        "funds": _record(m.funds),
        "goal_progress": _out(m.goal_progress),
        "indicators": [_record(x) for x in m.indicators],
        "rectify": _out(m.rectify),
        "rectify_request": _out(m.rectify_request),
        "rectify_result": _out(m.rectify_result),
    }
    data["adjustments"] = [_record(x) for x in stages.adjustments]
    return data


def read_stages(data: dict) -> StageData | None:
    """The stage data of a parsed JSON evaluation; None when it has no stage keys."""
    from xlperf.jsonio import _fill, _list, _object, _raw

    if not any(k in data for k in STAGE_KEYS):
        return None
    stage = data.get("stage", "自评")
    if stage not in STAGES:
        raise DataError(f"stage 应为 {'、'.join(STAGES)} 之一，实际为“{stage}”")
    stages = StageData(stage=stage)
    for i, raw in enumerate(_list(data.get("declared"), "declared")):
        record = _fill(Indicator(), raw, f"declared[{i}]", skip_blank=())
        if record is not None:
            stages.declared.append(record)
    for i, raw in enumerate(_list(data.get("adjustments"), "adjustments")):
        record = _fill(Adjustment(), raw, f"adjustments[{i}]", skip_blank=())
        if record is not None:
            stages.adjustments.append(record)
    if data.get("monitoring") is not None:
        raw = _object(data["monitoring"], "monitoring", MONITORING_KEYS)
        m = Monitoring()
        for name in ("month", "goal_progress", "rectify", "rectify_request", "rectify_result"):
            setattr(m, name, _raw(raw.get(name), f"monitoring.{name}", dates=False))
            m.loc[name] = Location(field=f"monitoring.{name}")
        if raw.get("funds") is not None:
            _fill(m.funds, raw["funds"], "monitoring.funds")
        else:
            m.funds = MonitoredFunds()
        for i, row in enumerate(_list(raw.get("indicators"), "monitoring.indicators")):
            record = _fill(MonitoredIndicator(), row, f"monitoring.indicators[{i}]", skip_blank=())
            if record is not None:
                m.indicators.append(record)
        stages.monitoring = m
    return stages
