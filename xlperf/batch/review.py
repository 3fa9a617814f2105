"""Review one workbook: read and score it (never write it), optionally write its report.

This is what runs in the worker processes. It returns a ``FileRecord`` and never
raises for a bad file: a damaged or foreign workbook becomes a reason, an
unexpected exception becomes 「程序内部错误：…」 for that file alone.
"""

from __future__ import annotations

import gc
import signal
import zipfile
from pathlib import Path, PurePosixPath

from xlperf.batch.record import FileRecord, finding_row, project_of
from xlperf.batch.unfilled import REASON as UNFILLED
from xlperf.batch.unfilled import is_unfilled
from xlperf.errors import XlperfError
from xlperf.ooxml.oserrors import os_reason
from xlperf.batch.stagework import review_stage
from xlperf.sources import evaluate_file

SUMMARY_MARK = "xlperf-batch-summary"  # keywords of every summary workbook we write
REPORT_SUFFIX = ".xlperf-report.docx"  # a report is written under a hidden temporary name first


def reason_of(exc: BaseException) -> str:
    """The Chinese reason shown for a file that failed."""
    if isinstance(exc, XlperfError):
        return f"{exc.where}：{exc.message}" if exc.where else exc.message
    if isinstance(exc, FileNotFoundError):
        return "文件已不存在（可能在评审过程中被移走或删除）"
    if isinstance(exc, PermissionError):
        return "没有读取此文件的权限，或文件被其他程序独占；请检查权限或关闭占用它的程序"
    if isinstance(exc, OSError):
        return f"无法打开文件：{os_reason(exc)}"
    return f"程序内部错误：{type(exc).__name__}: {exc}"


def _is_failure(exc: BaseException) -> bool:
    # pyo3 (python-calamine) raises PanicException, a BaseException, for a Rust panic.
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def is_own_summary(path: Path) -> bool:
    """Whether a file is a summary this command wrote (by its document keywords)."""
    try:
        with zipfile.ZipFile(path) as package:
            info = package.getinfo("docProps/core.xml")
            if info.file_size > 65536:
                return False
            return SUMMARY_MARK.encode() in package.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def temporary_report(reports_dir: Path, rel: str) -> Path:
    """Where a worker writes a report before the parent gives it its final name."""
    source = PurePosixPath(rel)
    return Path(reports_dir, *source.parent.parts, f".{source.name}{REPORT_SUFFIX}")


def _write_report(record: FileRecord, evaluation, results, reports_dir: Path) -> None:
    from xlperf.report import write_report

    out = temporary_report(reports_dir, record.rel)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        written = Path(write_report(evaluation, results, out, fmt="docx", charts=True))
        record.report = written.relative_to(reports_dir).as_posix()
    except BaseException as exc:
        if not _is_failure(exc):
            raise
        record.report_failure = f"自评报告未能生成：{reason_of(exc)}"
        out.unlink(missing_ok=True)


def review_file(root: Path, rel: str, reports_dir: Path | None = None) -> FileRecord:
    """Read, score and check one workbook under ``root``; the original is only read."""
    path = Path(root, *PurePosixPath(rel).parts)
    record = FileRecord(rel)
    try:
        record.mtime = path.stat().st_mtime
        if review_stage(record, path):  # 申报/监控: their own checks, not scored
            return record
        evaluation, results = evaluate_file(path)
        record.read_as = getattr(evaluation.read_as, "label", "")
        if is_unfilled(evaluation):
            record.unfilled = UNFILLED
            return record
        record.project = project_of(evaluation, results)
        record.findings = tuple(finding_row(f) for f in results.findings)
    except BaseException as exc:
        if not _is_failure(exc):
            raise
        if isinstance(exc, XlperfError) and is_own_summary(path):
            record.skipped = "这是 xlperf 批量评审生成的汇总表，已跳过"
        else:
            record.failure = reason_of(exc)
        return record
    if reports_dir is not None:
        _write_report(record, evaluation, results, Path(reports_dir))
    return record


def review_chunk(root: str, rels: list[str], reports_dir: str | None) -> list[FileRecord]:
    """Review several files in one worker call, so results travel back in batches."""
    reports = Path(reports_dir) if reports_dir else None
    return [review_file(Path(root), rel, reports) for rel in rels]


def init_worker() -> None:
    """Workers leave Ctrl+C to the parent, which stops the batch cleanly.

    Everything imported before the fork lives as long as the worker: ``gc.freeze()``
    keeps it out of every collection, so the collector only looks at what the files
    being reviewed allocate (and the parent's pages stay shared).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
