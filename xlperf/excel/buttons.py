"""What each button does, and how it tells the user: a Chinese message box, never a traceback.

RunPython shows a failing script's stderr through VBA, which garbles Chinese
(xw#1799), so every failure is caught here: an ``XlperfError`` shows its message,
anything else 「程序出错：类型: 说明」 and the log file that holds the traceback.
"""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlperf.errors import MissingDependency, XlperfError
from xlperf.excel.book import LiveBook, evaluate, load, quiet, show, write_blocks
from xlperf.findings import Severity, count
from xlperf.lines import text
from xlperf.ooxml.oserrors import os_reason
from xlperf.results import Results
from xlperf.workbook.writer import output_blocks

LOG_NAME = "excel.log"
LOG_LIMIT = 1_000_000  # bytes; a longer log starts afresh
LISTED = 10  # findings listed in the message box when the workbook has no 校验结果 sheet


@dataclass
class Outcome:
    """What a button did: the message, the sheet to bring forward, what to return to a Python caller."""

    message: str
    show: Any = None  # xlwings.Sheet
    wrote: bool = False
    value: Any = None


def notify(book, text: str, title: str, mode: str = "info") -> None:
    """The message box: ``app.alert`` (COM: a Unicode MessageBox; remote engine: an ``alert`` action)."""
    book.app.alert(text, title=title, buttons="ok", mode=mode)


def score(book=None) -> Results | None:
    """评分: write 完成比值、得分、小计、总分、等级 and the 校验结果 sheet into the calling workbook."""
    return _run(book, "评分", _score)


def check(book=None) -> Results | None:
    """校验: list the problems on the 校验结果 sheet; scores and totals stay as they are."""
    return _run(book, "校验", _check)


def export_report(book=None) -> Path | None:
    """生成报告: write the 自评报告 (.docx) beside the workbook, open it, and say where it is."""
    return _run(book, "生成报告", _export)


# ---------------------------------------------------------------------------


def _run(book, action: str, work: Callable[[Any], Outcome]):
    if book is None:
        try:
            import xlwings as xw
        except ImportError as exc:  # installed but broken (e.g. pywin32): no message box without it
            from xlperf.excel import EXCEL_EXTRA

            raise MissingDependency(f"{EXCEL_EXTRA}（xlwings 无法导入：{exc}）") from exc
        book = xw.Book.caller()
    title = f"xlperf {action}"
    try:
        with quiet(book.app):
            outcome = work(book)
        if outcome.wrote:
            book.app.calculate()
        if outcome.show is not None:
            show(outcome.show)
    except XlperfError as exc:
        where = f"（{exc.where}）" if exc.where else ""
        notify(book, f"{action}未完成：{where}{exc.message}", title, "critical")
        return None
    except OSError as exc:  # a file the report needs or writes (as the command line words it)
        name = f"{exc.filename}：" if getattr(exc, "filename", None) else ""
        notify(book, f"{action}未完成：{name}{os_reason(exc)}", title, "critical")
        return None
    except Exception as exc:  # anything else: a short message here, the traceback in the log
        log = log_failure(exc, book)
        place = f"详细信息已记录在：{log}" if log else "（日志文件无法写入）"
        notify(book, f"{action}未完成，程序出错：{type(exc).__name__}: {exc}\n\n{place}\n请把该文件发给技术支持人员。", title, "critical")
        return None
    notify(book, outcome.message, title, "info")
    return outcome.value


def _score(book) -> Outcome:
    live = load(book)
    evaluation, results = evaluate(live)
    write_blocks(live, output_blocks(evaluation, results, live.layout, live.placement))
    lines = ["评分完成，结果已写入工作簿。", "", *_summary(evaluation, results), "", *_findings_lines(live, results)]
    return Outcome("\n".join(lines), _findings_sheet(live, results), wrote=True, value=results)


def _check(book) -> Outcome:
    live = load(book)
    evaluation, results = evaluate(live)
    sheet = live.findings_sheet
    blocks = [b for b in output_blocks(evaluation, results, live.layout, live.placement) if b.sheet == sheet]
    write_blocks(live, blocks)
    lines = ["校验完成（得分和总分未改动）。", "", *_findings_lines(live, results), "", f"按当前填写计算：总分 {results.total}，等级 {results.grade}。"]
    return Outcome("\n".join(lines), _findings_sheet(live, results), wrote=bool(blocks), value=results)


def _export(book) -> Outcome:
    source = saved_path(book)
    live = load(book)
    evaluation, results = evaluate(live)
    from xlperf.report import default_output, write_report

    path = write_report(evaluation, results, default_output(evaluation, source), fmt="docx", charts=True)
    if book.app.engine.type == "desktop":
        open_file(path)
    lines = ["自评报告已生成：", str(path)]
    if results.errors:
        lines += ["", f"注意：工作簿中还有错误 {results.errors} 项，建议先点击“校验”改正后再生成报告。"]
    return Outcome("\n".join(lines), value=path)


# ---------------------------------------------------------------------------


def _summary(evaluation, results: Results) -> list[str]:
    name = text(evaluation.project.name) or "（未填项目名称）"
    return [f"项目：{name}", f"总分：{results.total}（满分 {results.total_weight}）", f"等级：{results.grade}"]


def _counts(results: Results) -> str:
    parts = [f"错误 {results.errors} 项", f"警告 {results.warnings} 项"]
    infos = count(results.findings, Severity.INFO)
    if infos:
        parts.append(f"提示 {infos} 项")
    return "，".join(parts)


def _findings_lines(live: LiveBook, results: Results) -> list[str]:
    if not results.findings:
        return [f"{_counts(results)}：未发现问题。"]
    if live.findings_sheet:
        return [f"{_counts(results)}，详见“{live.findings_sheet}”表。"]
    listed = [f"{f.severity.label} {f.location}：{f.message}" for f in results.findings[:LISTED]]
    more = len(results.findings) - LISTED
    return [f"{_counts(results)}（工作簿中没有“校验结果”表）：", *listed, *([f"……另有 {more} 项"] if more > 0 else [])]


def _findings_sheet(live: LiveBook, results: Results):
    name = live.findings_sheet
    return live.sheets[name] if results.findings and name else None


def saved_path(book) -> Path:
    """Where the workbook is saved; the report goes beside it (not the current directory)."""
    fullname = book.fullname
    if "://" in fullname:
        raise XlperfError(f"工作簿是从网络位置打开的（{fullname}），找不到本机文件夹来保存报告；请把工作簿另存到本机文件夹后再生成报告")
    path = Path(fullname)
    if not path.is_absolute():
        raise XlperfError("工作簿还没有保存过，报告要保存在工作簿所在的文件夹：请先保存工作簿（文件 → 另存为），再点击“生成报告”")
    return path


def open_file(path: Path) -> None:
    """Open the report in its program (Word or WPS); Linux: leave it (no desktop to assume)."""
    try:
        if sys.platform.startswith("win"):
            os.startfile(str(path))  # type: ignore[attr-defined]
        elif sys.platform == "darwin":
            subprocess.Popen(["open", str(path)])
    except OSError:
        pass  # no program for .docx: the message box still says where it is


def log_path() -> Path:
    """``%LOCALAPPDATA%\\xlperf\\excel.log`` on Windows, else in the temporary folder."""
    base = os.environ.get("LOCALAPPDATA") or tempfile.gettempdir()
    return Path(base) / "xlperf" / LOG_NAME


def log_failure(exc: BaseException, book) -> Path | None:
    """Append the traceback to the log; None if the log cannot be written."""
    path = log_path()
    try:
        name = book.fullname
    except Exception:
        name = "?"
    entry = f"=== {_dt.datetime.now().isoformat(timespec='seconds')} {name}\n" + "".join(traceback.format_exception(exc))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = "w" if path.exists() and path.stat().st_size > LOG_LIMIT else "a"
        with open(path, mode, encoding="utf-8") as handle:
            handle.write(entry)
    except OSError:
        return None
    return path
