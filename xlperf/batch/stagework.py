"""Batch review of 申报 and 监控 workbooks: target-quality findings, and the lights per project and unit.

Developer notes: ``review.review_file`` hands each file read to ``review_stage``
first; it takes 申报 and 监控 files (their ``阶段`` sheet, or a JSON ``stage``)
and fills ``FileRecord.stage_row`` and the findings, so they never enter the
自评 statistics (总分, 等级); a 自评 file, with or without stage sheets, returns
False and is scored as before. The summary gets one sheet per stage present
(``write_stage_sheets``): 监控灯 (one row per project: 项目灯, 预算执行进度灯,
指标进度灯 — the worst indicator light — and the indicator lights counted),
监控灯（按单位） (projects per unit by light, and indicator lights per unit), and
申报审核 (one row per 申报 with its errors and warnings; the findings themselves
are in 问题清单 with every other file's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xlperf.lines import text

LIGHTS = ("红", "黄", "绿", "蓝")  # the column order of the counts; lights a profile adds come after
NO_LIGHT = "无法判断"


@dataclass(frozen=True, slots=True)
class StageRow:
    """One 申报 or 监控 file of the batch."""

    stage: str  # 申报 or 监控
    unit: str
    name: str
    year: int | str | None
    indicators: int
    errors: int
    warnings: int
    month: int | None = None  # 监控: data to the end of this month
    project_light: str | None = None
    budget_light: str | None = None
    indicator_light: str | None = None  # the worst indicator light
    counts: tuple[tuple[str, int], ...] = ()  # indicator lights → how many (无法判断 for None)


def _year(raw):
    from xlperf.batch.record import _year as year

    return year(raw)


def _monitoring_row(evaluation, findings: list) -> tuple[StageRow, list]:
    from xlperf.stages.monitoring import assess_monitoring
    from xlperf.stages.rules import monitoring_rules

    result = assess_monitoring(evaluation)
    result.findings[:0] = findings
    lights = [lit.light for lit in result.indicators]
    order = monitoring_rules(evaluation.profile).order if lights else LIGHTS
    counts = {}
    for light in lights:
        key = light or NO_LIGHT
        counts[key] = counts.get(key, 0) + 1
    worst = monitoring_rules(evaluation.profile).worst([x for x in lights if x]) if any(lights) else None
    info = evaluation.project
    row = StageRow("监控", text(info.unit), text(info.name), _year(info.year), len(lights), result.errors, result.warnings,
                   result.month, result.project, result.budget.light, worst,
                   tuple(sorted(counts.items(), key=lambda kv: _light_order(kv[0], order))))
    return row, result.findings


def _light_order(light: str, order: Iterable[str]) -> tuple[int, int, str]:
    order = tuple(order)
    if light == NO_LIGHT:
        return (2, 0, light)
    if light in LIGHTS:
        return (0, LIGHTS.index(light), light)
    return (1, order.index(light) if light in order else 0, light)


def _declaration_row(evaluation, findings: list) -> tuple[StageRow, list]:
    from xlperf.findings import Severity, count
    from xlperf.stages.targets import check_declaration

    found = [*findings, *check_declaration(evaluation)]
    info = evaluation.project
    row = StageRow("申报", text(info.unit), text(info.name), _year(info.year), len(evaluation.indicators),
                   count(found, Severity.ERROR), count(found, Severity.WARNING))
    return row, found


def review_stage(record, path: Path) -> bool:
    """Fill ``record`` for a 申报 or 监控 file and return True; False for any other file (scored as before).

    Only workbooks with xlperf's stage sheets (a cheap look at workbook.xml) and JSON files are read
    here, so a plain 自评 workbook is still read once, by the ordinary path.
    """
    from xlperf.batch.record import finding_row
    from xlperf.batch.unfilled import REASON as UNFILLED
    from xlperf.sources import read_source
    from xlperf.stages import stage_of
    from xlperf.stages.sheets import has_stage_sheets

    suffix = path.suffix.lower()
    if not (suffix == ".json" or (suffix in (".xlsx", ".xlsm") and has_stage_sheets(path))):
        return False
    evaluation, file_findings, _how = read_source(path)
    stage = stage_of(evaluation)
    if stage not in ("申报", "监控"):
        return False
    record.read_as = getattr(getattr(evaluation, "read_as", None), "label", "")
    if stage == "申报":
        if not evaluation.indicators:
            record.unfilled = UNFILLED
            return True
        row, findings = _declaration_row(evaluation, file_findings)
    elif stage == "监控":
        monitoring = evaluation.stages.monitoring
        if monitoring is None or not monitoring.indicators:
            record.unfilled = UNFILLED
            return True
        row, findings = _monitoring_row(evaluation, file_findings)
    else:
        return False
    record.stage_row = row
    record.findings = tuple(finding_row(f) for f in findings)
    return True


# -- the summary ------------------------------------------------------------------------------------


def stage_records(result, stage: str) -> list:
    return [r for r in result.records if getattr(r, "stage_row", None) is not None and r.stage_row.stage == stage]


def light_columns(records) -> list[str]:
    """The indicator lights present, in the order 红 黄 绿 蓝, then others, then 无法判断."""
    seen = {light for r in records for light, _n in r.stage_row.counts}
    return [x for x in LIGHTS if x in seen or x != "蓝"] + sorted(seen - set(LIGHTS) - {NO_LIGHT}) + \
        ([NO_LIGHT] if NO_LIGHT in seen else [])


def per_unit(records) -> list[tuple[str, int, dict[str, int], dict[str, int]]]:
    """(unit, projects, project lights → projects, indicator lights → indicators), units in file order."""
    units: dict[str, tuple[list[int], dict[str, int], dict[str, int]]] = {}
    for r in records:
        row = r.stage_row
        n, projects, indicators = units.setdefault(row.unit or "（未填单位）", ([0], {}, {}))
        n[0] += 1
        key = row.project_light or NO_LIGHT
        projects[key] = projects.get(key, 0) + 1
        for light, count in row.counts:
            indicators[light] = indicators.get(light, 0) + count
    return [(unit, n[0], projects, indicators) for unit, (n, projects, indicators) in units.items()]


def stage_dict(n: int, record) -> dict:
    """A 申报/监控 file in the JSON summary."""
    row = record.stage_row
    out = {"seq": n, "file": record.rel, "stage": row.stage, "unit": row.unit, "name": row.name, "year": row.year,
           "indicators": row.indicators, "errors": row.errors, "warnings": row.warnings}
    if row.stage == "监控":
        out.update({"month": row.month, "project_light": row.project_light, "budget_light": row.budget_light,
                    "indicator_light": row.indicator_light, "indicator_lights": dict(row.counts)})
    return out


def write_stage_sheets(book, result, links) -> None:
    """监控灯, 监控灯（按单位） and 申报审核 sheets, for the stages present in the batch."""
    from xlperf.batch.summary import _Sheet, file_link
    from xlperf.batch.table import Column

    fmt = book.fmt
    monitored = stage_records(result, "监控")
    if monitored:
        lights = light_columns(monitored)
        columns = [Column("序号", 6), Column("单位", 20), Column("项目名称", 30), Column("年度", 8), Column("监控月份", 8),
                   Column("项目灯", 8), Column("预算执行进度灯", 10), Column("指标进度灯", 10),
                   *[Column(f"指标{x}灯数" if x != NO_LIGHT else "指标无法判断数", 8) for x in lights],
                   Column("错误", 6), Column("警告", 6), Column("文件", 40)]
        sheet = _Sheet(book, "监控灯", columns)
        n = 0
        for n, record in enumerate(monitored, start=1):
            row = record.stage_row
            counts = dict(row.counts)
            values = [n, row.unit, row.name, row.year, row.month, row.project_light or NO_LIGHT,
                      row.budget_light or NO_LIGHT, row.indicator_light or NO_LIGHT, *[counts.get(x, 0) for x in lights],
                      row.errors, row.warnings]
            for col, value in enumerate(values):
                if isinstance(value, int) and not isinstance(value, bool):
                    sheet.ws.write_number(n, col, value, fmt["int"])
                else:
                    sheet.text(n, col, value)
            sheet.link(n, len(values), file_link(links.target(record.rel)), record.rel)
        sheet.finish(n)
        units = per_unit(monitored)
        seen = [k for _u, _n, p, _i in units for k in p]
        project_lights = [x for x in (*lights, *dict.fromkeys(seen)) if x in LIGHTS[:3] or x in seen]
        project_lights = list(dict.fromkeys(project_lights))
        columns = [Column("单位", 24), Column("项目数", 8), *[Column(f"项目{x}灯" if x != NO_LIGHT else "项目无法判断", 8) for x in project_lights],
                   *[Column(f"指标{x}灯" if x != NO_LIGHT else "指标无法判断", 8) for x in lights]]
        sheet = _Sheet(book, "监控灯（按单位）", columns)
        r = 0
        for r, (unit, count, projects, indicators) in enumerate(units, start=1):
            sheet.text(r, 0, unit)
            for col, value in enumerate([count, *[projects.get(x, 0) for x in project_lights],
                                         *[indicators.get(x, 0) for x in lights]], start=1):
                sheet.ws.write_number(r, col, value, fmt["int"])
        sheet.finish(r)
    declared = stage_records(result, "申报")
    if declared:
        columns = [Column("序号", 6), Column("单位", 20), Column("项目名称", 30), Column("年度", 8), Column("指标数", 8),
                   Column("错误", 6), Column("警告", 6), Column("文件", 40)]
        sheet = _Sheet(book, "申报审核", columns)
        n = 0
        for n, record in enumerate(declared, start=1):
            row = record.stage_row
            for col, value in enumerate([n, row.unit, row.name, row.year, row.indicators, row.errors, row.warnings]):
                if isinstance(value, int) and not isinstance(value, bool):
                    sheet.ws.write_number(n, col, value, fmt["error"] if col == 5 and value else fmt["int"])
                else:
                    sheet.text(n, col, value)
            sheet.link(n, 7, file_link(links.target(record.rel)), record.rel)
        sheet.finish(n)


def stage_summary(result) -> dict:
    """The 申报/监控 part of a batch as plain data (the local page's tables); empty lists when there is none."""
    monitored, declared = stage_records(result, "监控"), stage_records(result, "申报")
    lights = light_columns(monitored) if monitored else []
    units = per_unit(monitored)
    project_lights = list(dict.fromkeys([*lights, *(k for _u, _n, p, _i in units for k in p)]))
    return {
        "lights": lights,
        "project_lights": project_lights,
        "monitored": [
            {"file": r.rel, "unit": r.stage_row.unit, "name": r.stage_row.name, "project": r.stage_row.project_light or NO_LIGHT,
             "budget": r.stage_row.budget_light or NO_LIGHT, "indicator": r.stage_row.indicator_light or NO_LIGHT,
             "counts": [dict(r.stage_row.counts).get(x, 0) for x in lights], "errors": r.stage_row.errors}
            for r in monitored
        ],
        "units": [
            {"unit": unit, "projects": n, "project_lights": [projects.get(x, 0) for x in project_lights],
             "indicator_lights": [indicators.get(x, 0) for x in lights]}
            for unit, n, projects, indicators in units
        ],
        "declared": [
            {"file": r.rel, "unit": r.stage_row.unit, "name": r.stage_row.name, "indicators": r.stage_row.indicators,
             "errors": r.stage_row.errors, "warnings": r.stage_row.warnings}
            for r in declared
        ],
    }


def write_stage_csv(result, path: Path, open_csv, safe) -> list[Path]:
    """汇总.csv → 汇总_监控灯.csv and 汇总_申报审核.csv, for the stages present; the files written."""
    import csv

    summary = stage_summary(result)
    written = []
    if summary["monitored"]:
        target = path.with_name(f"{path.stem}_监控灯.csv")
        with open_csv(target) as f:
            out = csv.writer(f)
            out.writerow(["单位", "项目名称", "项目灯", "预算执行进度灯", "指标进度灯",
                          *[f"指标{x}灯数" if x != NO_LIGHT else "指标无法判断数" for x in summary["lights"]], "错误", "文件"])
            for r in summary["monitored"]:
                out.writerow([safe(r["unit"]), safe(r["name"]), r["project"], r["budget"], r["indicator"], *r["counts"],
                              r["errors"], safe(r["file"])])
        written.append(target)
    if summary["declared"]:
        target = path.with_name(f"{path.stem}_申报审核.csv")
        with open_csv(target) as f:
            out = csv.writer(f)
            out.writerow(["单位", "项目名称", "指标数", "错误", "警告", "文件"])
            for d in summary["declared"]:
                out.writerow([safe(d["unit"]), safe(d["name"]), d["indicators"], d["errors"], d["warnings"], safe(d["file"])])
        written.append(target)
    return written
