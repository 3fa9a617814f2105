"""评分与校验: score one uploaded file through the library and shape the results for the page.

An xlperf workbook is scored with ``sources.score_workbook`` into a copy, so the
download is byte for byte what ``xlperf score`` writes. Any other file goes
through ``sources.load_evaluation`` (via ``evaluate_file``): JSON, and the
foreign forms the readers recognise; those are shown and reported, never written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xlperf.errors import WorkbookError
from xlperf.model import Evaluation
from xlperf.results import Results, Score

FOREIGN_NOTE = "此文件不是 xlperf 自评表，已按原样读取并评分；原表不会被改写，因此不提供“评分后的工作簿”下载。"


@dataclass
class Outcome:
    evaluation: Evaluation
    results: Results
    source: Path
    scored: Path | None  # the scored copy, when the file is an xlperf workbook
    notes: list[str] = field(default_factory=list)


def score_upload(path: Path, folder: Path) -> Outcome:
    """Read, score and (for xlperf workbooks) write a scored copy under ``folder``; 申报/监控 files: ``stagepage``."""
    from xlperf.app.stagepage import stage_upload
    from xlperf.sources import WORKBOOK_SUFFIXES, evaluate_file, score_workbook

    staged = stage_upload(path, folder)
    if staged is not None:
        return staged

    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        scored = folder / "scored" / path.name
        scored.parent.mkdir(exist_ok=True)
        try:
            evaluation, results, _ = score_workbook(path, scored)
            return Outcome(evaluation, results, path, scored)
        except WorkbookError:
            scored.unlink(missing_ok=True)
            evaluation, results = evaluate_file(path)  # a form another reader knows, or the same error again
            return Outcome(evaluation, results, path, None, [FOREIGN_NOTE])
    evaluation, results = evaluate_file(path)
    return Outcome(evaluation, results, path, None)


def number(value) -> str:
    """A score or ratio as the page shows it: two decimals, empty for none."""
    if value is None:
        return ""
    return f"{Decimal(value):.2f}"


def cell_text(raw) -> str:
    from xlperf.lines import text

    if isinstance(raw, Decimal):
        raw = raw.normalize()
    return text(raw)


def _row(kind: str, record, score: Score, target_field: str = "target") -> dict:
    loc = record.where("actual")
    return {
        "kind": kind,
        "level1": cell_text(record.level1),
        "level2": cell_text(record.level2),
        "name": cell_text(record.name),
        "target": cell_text(getattr(record, target_field)),
        "actual": cell_text(record.actual) or cell_text(getattr(record, "situation", None)),
        "weight": number(score.weight),
        "ratio": number(score.ratio),
        "points": number(score.points),
        "explanation": score.explanation,
        "status": score.status,
        "rule": score.rule_label,
        "cell": str(loc) if loc.cell else "",
    }


def view(outcome: Outcome) -> dict:
    """Plain data for the results page: project, rows, subtotals, total, grade, findings."""
    from xlperf.app.stagepage import StageOutcome, stage_view
    from xlperf.lines import text

    if isinstance(outcome, StageOutcome):
        return stage_view(outcome)

    ev, res = outcome.evaluation, outcome.results
    rows = []
    if res.funds.score is not None:
        total = ev.funds.total
        rows.append({
            "kind": "funds", "level1": "预算执行率", "level2": "", "name": f"执行率（{res.funds.basis_label}）",
            "target": "", "actual": cell_text(total.spent), "weight": number(res.funds.score.weight),
            "ratio": number(res.funds.score.ratio), "points": number(res.funds.score.points),
            "explanation": res.funds.score.explanation, "status": res.funds.score.status,
            "rule": res.funds.score.rule_label, "cell": "",
        })
    rows += [_row("indicator", r, s) for r, s in zip(ev.indicators, res.indicators)]
    rows += [_row("item", r, s) for r, s in zip(ev.items, res.items)]
    findings = [
        {"severity": f.severity.value, "label": f.severity.label, "location": str(f.location), "code": f.code, "message": f.message}
        for f in res.findings
    ]
    return {
        "file": outcome.source.name,
        "project": text(ev.project.name) or "（未填项目名称）",
        "unit": text(ev.project.unit),
        "year": cell_text(ev.project.year),
        "profile": res.profile,
        "rate": number(res.funds.rate),
        "rows": rows,
        "subtotals": [
            {"level1": s.level1, "points": number(s.points), "weight": number(s.weight),
             "expected": number(s.expected_weight), "mismatch": s.expected_weight is not None and s.expected_weight != s.weight}
            for s in res.subtotals
        ],
        "total": number(res.total),
        "total_weight": number(res.total_weight),
        "grade": res.grade,
        "errors": res.errors,
        "warnings": res.warnings,
        "infos": len(findings) - res.errors - res.warnings,
        "findings": findings,
        "scored": outcome.scored is not None,
        "notes": outcome.notes,
    }


def results_json(outcome: Outcome) -> dict:
    """What ``xlperf check --json`` prints, with the uploaded file's name."""
    from xlperf.app.stagepage import StageOutcome, stage_json
    from xlperf.results import results_to_dict

    if isinstance(outcome, StageOutcome):
        return stage_json(outcome)

    return {"file": outcome.source.name, **results_to_dict(outcome.results)}
