"""评分与校验 of a 申报 or 监控 file: the same library calls as ``xlperf check``/``score``/``report --stage 监控``.

A 监控 workbook gets its lights written into a copy (``light_edits`` through
``ooxml.patch``, as ``xlperf score`` does), so the download is what the command
writes; the 监控报告 is the command's Word file. A 申报 file shows the
target-quality findings (``check_declaration``); it has no report. Any other
file returns None from ``stage_upload`` and takes the 自评 path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xlperf.model import Evaluation


@dataclass
class StageOutcome:
    evaluation: Evaluation
    stage: str  # 申报 or 监控
    findings: list
    source: Path
    scored: Path | None = None  # 监控 workbook with the lights written
    monitoring: object | None = None  # MonitoringResult
    notes: list[str] = field(default_factory=list)


def stage_upload(path: Path, folder: Path) -> StageOutcome | None:
    """A 申报/监控 outcome for ``path``, or None for a file at the 自评 stage."""
    from xlperf.sources import WORKBOOK_SUFFIXES, load_evaluation
    from xlperf.stages import stage_of
    from xlperf.stages.sheets import has_stage_sheets

    suffix = path.suffix.lower()
    if not (suffix == ".json" or (suffix in WORKBOOK_SUFFIXES and has_stage_sheets(path))):
        return None
    evaluation, file_findings = load_evaluation(path)
    stage = stage_of(evaluation)
    if stage == "申报":
        from xlperf.stages.targets import check_declaration

        return StageOutcome(evaluation, stage, [*file_findings, *check_declaration(evaluation)], path)
    if stage != "监控":
        return None
    from xlperf.stages.monitoring import assess_monitoring

    result = assess_monitoring(evaluation)
    result.findings[:0] = file_findings
    scored = None
    if suffix in WORKBOOK_SUFFIXES:
        from xlperf.ooxml.patch import patch_workbook
        from xlperf.stages.sheets import light_edits

        scored = folder / "scored" / path.name
        scored.parent.mkdir(exist_ok=True)
        if not patch_workbook(path, light_edits(evaluation, result), dst=scored):
            scored.write_bytes(path.read_bytes())  # the lights were already there
    return StageOutcome(evaluation, stage, result.findings, path, scored, result)


def stage_view(outcome: StageOutcome) -> dict:
    """Plain data for the results page of a 申报 or 监控 file."""
    from xlperf.app.scorepage import cell_text, number
    from xlperf.findings import Severity, count
    from xlperf.lines import text

    ev = outcome.evaluation
    findings = [
        {"severity": f.severity.value, "label": f.severity.label, "location": str(f.location), "code": f.code, "message": f.message}
        for f in outcome.findings
    ]
    errors, warnings = count(outcome.findings, Severity.ERROR), count(outcome.findings, Severity.WARNING)
    view = {
        "stage": outcome.stage,
        "file": outcome.source.name,
        "project": text(ev.project.name) or "（未填项目名称）",
        "unit": text(ev.project.unit),
        "year": cell_text(ev.project.year),
        "profile": ev.profile,
        "errors": errors,
        "warnings": warnings,
        "infos": len(findings) - errors - warnings,
        "findings": findings,
        "scored": outcome.scored is not None,
        "notes": outcome.notes,
        "targets": [{"level1": cell_text(i.level1), "level2": cell_text(i.level2), "name": cell_text(i.name),
                     "target": cell_text(i.target), "unit": cell_text(i.unit), "weight": cell_text(i.weight)}
                    for i in ev.indicators],
    }
    m = outcome.monitoring
    if m is not None:
        rows = ev.stages.monitoring.indicators
        view.update({
            "month": m.month,
            "project_light": m.project or "无法判断",
            "budget_light": m.budget.light or "无法判断",
            "budget_explanation": m.budget.explanation,
            "rate": number(m.rate),
            "lights": [{"name": cell_text(r.name), "target": cell_text(r.target), "progress": cell_text(r.progress),
                        "forecast": cell_text(r.forecast), "likelihood": cell_text(r.likelihood),
                        "light": light.light or "无法判断", "ratio": number(light.ratio), "explanation": light.explanation}
                       for r, light in zip(rows, m.indicators)],
        })
    return view


def stage_json(outcome: StageOutcome) -> dict:
    """What ``xlperf check --json`` prints for the file, with the uploaded file's name."""
    if outcome.monitoring is not None:
        from xlperf.stages.monitoring import result_to_dict

        return {"file": outcome.source.name, **result_to_dict(outcome.monitoring, outcome.evaluation.stages.monitoring)}
    view = stage_view(outcome)
    return {"file": outcome.source.name, "stage": outcome.stage, "errors": view["errors"], "warnings": view["warnings"],
            "findings": [f.to_dict() for f in outcome.findings]}


def stage_report(outcome: StageOutcome, folder: Path) -> Path:
    """The 监控报告 (Word) under ``folder``; a 申报 has none."""
    from xlperf.errors import XlperfError
    from xlperf.ooxml.atomic import atomic_write
    from xlperf.report import safe_filename
    from xlperf.stages.monitor_doc import render_docx
    from xlperf.stages.report import monitoring_report

    if outcome.monitoring is None:
        raise XlperfError("申报阶段没有报告；页面上列出了绩效目标的问题")
    ctx = monitoring_report(outcome.evaluation, outcome.monitoring)
    target = folder / (safe_filename(ctx["title"]) + ".docx")
    if not target.is_file():
        data = render_docx(ctx)
        atomic_write(target, lambda handle: handle.write(data))
    return target
