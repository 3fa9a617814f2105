"""The summary as CSV (three files, UTF-8 with BOM for Excel) or one JSON document, and the dispatcher.

Both are written as the rows come, so the findings never sit in memory as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from xlperf.batch.result import BatchResult
from xlperf.batch.stagework import stage_dict, write_stage_csv
from xlperf.batch.table import FINDING_COLUMNS, UNREADABLE_COLUMNS, as_float, severity_label, summary_columns, summary_values
from xlperf.errors import XlperfError

FORMATS = ("xlsx", "csv", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format asked for, or the one the file name suggests (xlsx by default)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise XlperfError(f"不支持的汇总格式“{fmt}”，请选择 xlsx、csv 或 json")
        if suffix in FORMATS and suffix != fmt:
            raise XlperfError(f"汇总文件的扩展名 .{suffix} 与格式 {fmt} 不符，请改为 .{fmt}，或不写 --format", path=str(path))
        return fmt
    return suffix if suffix in FORMATS else "xlsx"


def csv_paths(path: Path) -> tuple[Path, Path, Path]:
    """汇总.csv → 汇总.csv, 汇总_问题清单.csv, 汇总_无法读取.csv."""
    path = Path(path)
    return path, path.with_name(f"{path.stem}_问题清单.csv"), path.with_name(f"{path.stem}_无法读取.csv")


def _safe(text: str) -> str:
    """Text that Excel will not run as a formula when it opens the CSV."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv_number(value, kind: str) -> str:
    if kind == "rate" or kind == "score":
        return f"{Decimal(value):.2f}"
    return str(value)


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind in ("index", "count") or (kind == "year" and isinstance(value, int)):
        return str(value)
    if kind in ("amount", "rate", "score"):
        return _csv_number(value, kind)
    return _safe(str(value))


def _open_csv(path: Path):
    return open(path, "w", encoding="utf-8-sig", newline="")


def write_csv(result: BatchResult, path: Path) -> list[Path]:
    projects_path, findings_path, unreadable_path = csv_paths(path)
    columns = summary_columns(result)
    with _open_csv(projects_path) as f:
        out = csv.writer(f)
        out.writerow([_safe(f"{c.title}（%）" if c.kind == "rate" else c.title) for c in columns])
        for n, record in enumerate(result.projects, start=1):
            values = summary_values(result, n, record)
            out.writerow([_csv_cell(v, c.kind) for c, v in zip(columns, values)])
    write_findings_csv(result, findings_path)
    with _open_csv(unreadable_path) as f:
        out = csv.writer(f)
        out.writerow([c.title for c in UNREADABLE_COLUMNS])
        for rel, reason in result.unreadable:
            out.writerow([_safe(rel), _safe(reason)])
    return [projects_path, findings_path, unreadable_path]


def write_findings_csv(result: BatchResult, path: Path) -> Path:
    """Every finding, one row each (the csv module writes a million rows in seconds)."""
    with _open_csv(path) as f:
        out = csv.writer(f)
        out.writerow([c.title for c in FINDING_COLUMNS])
        out.writerows(
            [_safe(rel), _safe(location), severity_label(severity), code, _safe(message)]
            for rel, (location, _sheet, _cell, severity, code, message) in result.findings()
        )
    return path


def _project_dict(result: BatchResult, n: int, record) -> dict:
    p = record.project
    data = {
        "index": n,
        "file": record.rel,
        "unit": p.unit,
        "name": p.name,
        "year": p.year,
        "profile": p.profile,
        "budget": as_float(p.budget),
        "spent": as_float(p.spent),
        "rate": None if p.rate is None else round(float(p.rate), 2),
        "level1": {name: float(points) for name, points in p.level1},
        "total": float(p.total),
        "grade": p.grade,
        "errors": p.errors,
        "warnings": p.warnings,
        "duplicate_of": list(result.duplicates.get(record.rel, ())),
        "read_as": record.read_as,
    }
    if result.reports_dir is not None:
        data["report"] = record.report
    if result.audits:
        data["report_audit"] = [{"file": a.rel, "errors": a.errors, "warnings": a.warnings, "paired_by": a.how}
                                for a in result.audits.of(record.rel)]
    return data


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_json(result: BatchResult, path: Path) -> list[Path]:
    """One document: {format, version, level1, statistics, projects, findings, unreadable, skipped}."""
    stats = result.statistics()
    head = {
        "format": "xlperf-batch",
        "version": 1,
        "level1": list(result.level1_columns),
        "statistics": {
            "count": stats.count,
            "mean_total": as_float(stats.mean_total),
            "mean_rate": as_float(stats.mean_rate),
            "with_errors": result.with_errors,
            "unreadable": len(result.unreadable) - len(result.unfilled),
            "unfilled": len(result.unfilled),
        },
    }
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(_dumps(head)[:-1])

        def array(name: str, items) -> None:
            f.write(f', "{name}": [')
            for i, item in enumerate(items):
                f.write(("," if i else "") + "\n  " + _dumps(item))
            f.write("\n]")

        array("projects", (_project_dict(result, n, r) for n, r in enumerate(result.projects, start=1)))
        array("stages", (stage_dict(n, r) for n, r in enumerate((r for r in result.records if r.stage_row is not None), start=1)))
        array("findings", (
            {"file": rel, "location": loc, "sheet": sheet or None, "cell": cell or None, "severity": sev, "code": code, "message": msg}
            for rel, (loc, sheet, cell, sev, code, msg) in result.findings()
        ))
        unfilled = set(result.unfilled)
        array("unreadable", ({"file": rel, "reason": reason} for rel, reason in result.unreadable if rel not in unfilled))
        array("unfilled", ({"file": rel, "reason": reason} for rel, reason in result.unreadable if rel in unfilled))
        array("skipped", ({"file": rel, "reason": reason} for rel, reason in result.skipped))
        if result.audits:
            array("report_audits", ({"file": a.rel, "workbook": a.workbook, "paired_by": a.how or None, "paragraphs": a.paragraphs,
                                     "errors": a.errors, "warnings": a.warnings, "failure": a.failure} for a in result.audits.items))
        f.write("}\n")
    return [Path(path)]


def write_summary(result: BatchResult, path: Path, fmt: str | None = None, *, created: dt.datetime | None = None) -> list[Path]:
    """Write the summary as xlsx (default), csv or json; return the files written."""
    from xlperf.batch.summary import write_xlsx

    path = Path(path)
    fmt = format_for(path, fmt)
    if fmt == "csv":
        return write_csv(result, path) + write_stage_csv(result, path, _open_csv, _safe)
    if fmt == "json":
        return write_json(result, path)
    from xlperf.batch.summary import findings_fit

    if findings_fit(result):
        write_xlsx(result, path, created=created)
        return [path]
    # More findings than one sheet holds: all of them go to a CSV beside the workbook (writing a
    # million rows into a workbook takes minutes); its 问题清单 lists the first ones and says where.
    beside = csv_paths(path)[1]
    write_findings_csv(result, beside)
    write_xlsx(result, path, created=created, findings_csv=beside.name)
    return [path, beside]
