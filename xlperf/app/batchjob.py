"""批量评审 on the page: ``batch.run.run_batch`` in a background thread, with progress to poll.

The summary workbook is ``batch.formats.write_summary``'s; the page's table and
charts are read from the same ``BatchResult``, so the page and the 汇总 agree.
"""

from __future__ import annotations

import logging
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from xlperf.errors import XlperfError

log = logging.getLogger("xlperf.app")
SUMMARY_NAME = "汇总.xlsx"
REPORTS_ZIP = "自评报告.zip"
INTERNAL = "程序内部错误，批量评审未完成；请把这批文件和出错时间告诉管理员"


@dataclass
class BatchState:
    status: str = "running"  # running | done | failed
    done: int = 0
    total: int = 0
    message: str = ""
    view: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def progress(self, done: int, total: int) -> None:
        with self.lock:
            self.done, self.total = done, total

    def as_dict(self) -> dict:
        with self.lock:
            return {"status": self.status, "done": self.done, "total": self.total, "message": self.message}


def start(folder: Path, inputs: Path, *, reports: bool, jobs: int, upload_notes: list[str]) -> BatchState:
    from xlperf.app.uploads import BATCH_SUFFIXES

    state = BatchState(total=sum(1 for p in inputs.rglob("*") if p.suffix.lower() in BATCH_SUFFIXES and p.is_file()))
    thread = threading.Thread(target=_run, args=(state, folder, inputs, reports, jobs, upload_notes), daemon=True, name="xlperf-batch")
    thread.start()
    return state


def _run(state: BatchState, folder: Path, inputs: Path, reports: bool, jobs: int, upload_notes: list[str]) -> None:
    try:
        view = review(folder, inputs, reports=reports, jobs=jobs, progress=state.progress)
        view["failures"] = [{"file": "（上传）", "reason": note} for note in upload_notes] + view["failures"]
        with state.lock:
            state.view, state.status = view, "done"
    except XlperfError as exc:
        with state.lock:
            state.status, state.message = "failed", str(exc.message if exc.path else exc)
    except Exception:  # never a traceback on the page; the server log keeps it
        log.exception("batch failed")
        with state.lock:
            state.status, state.message = "failed", INTERNAL


def review(folder: Path, inputs: Path, *, reports: bool, jobs: int, progress=None) -> dict:
    """Run the batch over ``inputs``; write the summary (and the reports' zip) into ``folder``."""
    from xlperf.batch.formats import write_summary
    from xlperf.batch.run import run_batch
    from xlperf.batch.stagework import stage_summary
    from xlperf.batch.table import summary_columns, summary_values

    reports_dir = folder / "reports" if reports else None
    result = run_batch(inputs, jobs=jobs, reports_dir=reports_dir, progress=progress)
    with result:
        write_summary(result, folder / SUMMARY_NAME)
        columns = summary_columns(result)
        keep = [i for i, c in enumerate(columns) if c.kind not in ("report",) and c.title not in ("全年预算数", "全年执行数")]
        rows = []
        for n, record in enumerate(result.projects, start=1):
            values = summary_values(result, n, record)
            rows.append([_cell(values[i], columns[i].kind) for i in keep])
        stats = result.statistics()
        view = {
            "columns": [{"title": columns[i].title, "kind": columns[i].kind} for i in keep],
            "rows": rows,
            "count": len(result.records),
            "scored": stats.count,
            "with_errors": result.with_errors,
            "mean_total": f"{stats.mean_total:.2f}" if stats.mean_total is not None else "",
            "mean_rate": f"{stats.mean_rate:.2f}" if stats.mean_rate is not None else "",
            "charts": [bar_chart("等级分布", result.grade_counts()), bar_chart("总分分布", result.band_counts())],
            "failures": [{"file": rel, "reason": reason} for rel, reason in result.unreadable],
            "skipped": [{"file": rel, "reason": reason} for rel, reason in result.skipped],
            "reports": False,
            "stages": stage_summary(result),  # 监控 lights per project and unit, 申报 findings counts
        }
    if reports_dir is not None and any(reports_dir.rglob("*.docx")):
        _zip_folder(reports_dir, folder / REPORTS_ZIP)
        view["reports"] = True
    return view


CHART_WIDTH, CHART_BARS_TOP, CHART_BARS_BOTTOM = 400, 18, 120


def bar_chart(title: str, counts: list[tuple[str, int]]) -> dict:
    """An inline SVG bar chart's geometry: one bar per (label, count), scaled to the largest count."""
    top = max((n for _, n in counts), default=0) or 1
    slot = CHART_WIDTH / max(len(counts), 1)
    bars = []
    for i, (label, n) in enumerate(counts):
        height = round((CHART_BARS_BOTTOM - CHART_BARS_TOP) * n / top, 1)
        bars.append({"label": label, "count": n, "x": round(i * slot + slot * 0.2, 1), "width": round(slot * 0.6, 1),
                     "y": round(CHART_BARS_BOTTOM - height, 1), "height": height, "centre": round(i * slot + slot / 2, 1)})
    return {"title": title, "width": CHART_WIDTH, "bottom": CHART_BARS_BOTTOM, "bars": bars}


def _cell(value, kind: str) -> dict:
    """A table cell: the text shown and the key it sorts by."""
    if value is None:
        return {"text": "", "sort": ""}
    if kind in ("rate", "score", "amount"):
        return {"text": f"{value:.2f}", "sort": float(value)}
    if kind in ("index", "count"):
        return {"text": str(value), "sort": int(value)}
    return {"text": str(value), "sort": str(value)}


def _zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
