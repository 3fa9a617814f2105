"""The summary workbook (XlsxWriter): 汇总, 问题清单, 无法读取 and 图表 with native Excel charts.

Written row by row in XlsxWriter's constant-memory mode, so memory stays flat
however many findings there are. Every field that could vary between runs is
fixed: the creation date is a parameter, so the same batch gives the same bytes.
User text goes in with ``write_string`` and is never taken for a formula.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_col_to_name

from xlperf.batch.charts import write_charts
from xlperf.batch.result import BatchResult
from xlperf.batch.review import SUMMARY_MARK
from xlperf.batch.stagework import write_stage_sheets
from xlperf.batch.table import (
    FINDING_COLUMNS,
    UNREADABLE_COLUMNS,
    Column,
    severity_label,
    summary_columns,
    summary_values,
)

MAX_LINKS = 65_000  # Excel keeps at most 65,530 hyperlinks per worksheet
MAX_CELL_LINKS = 10_000  # links to finding cells: XlsxWriter keeps each (~1 KB) in memory until the end
MAX_URL = 2_000  # Excel's limit is 2,079 characters
MAX_ROWS = 1_048_576
FIRST_IN_SHEET = 100_000  # findings listed in the workbook when all of them go to a CSV beside it
MAX_TEXT = 32_767
FALLBACK_CREATED = dt.datetime(2000, 1, 1)


def default_created(result: BatchResult) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the newest source file's time: stable for the same input."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = float(epoch) if epoch and epoch.isdigit() else result.latest_mtime
    if stamp <= 0:
        return FALLBACK_CREATED
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.timezone.utc).replace(tzinfo=None)


def file_link(path: str, sheet: str | None = None, cell: str | None = None) -> str:
    """An ``external:`` link to a file (relative or absolute), optionally to one of its cells."""
    escaped = path.replace("%", "%25").replace("#", "%23").replace(" ", "%20")
    if sheet and cell:
        return f"external:{escaped}#'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}"
    return f"external:{escaped}"


class _Links:
    """Relative links from the summary's folder to the reviewed files, up to Excel's limit."""

    def __init__(self, base: Path | None, root: Path) -> None:
        self.base = base
        self.root = Path(root).absolute()

    def target(self, rel: str, under: Path | None = None) -> str:
        path = Path(under or self.root, *rel.split("/"))
        if self.base is None:
            return str(path)
        try:
            return Path(os.path.relpath(path, self.base)).as_posix()
        except ValueError:  # another drive on Windows
            return str(path)


class _Sheet:
    """A worksheet written top to bottom, with a link budget."""

    def __init__(self, book: "_Book", name: str, columns: list[Column], max_links: int = MAX_LINKS) -> None:
        self.book = book
        self.max_links = max_links
        self.ws = book.wb.add_worksheet(name)
        self.columns = columns
        self.links = 0
        for i, col in enumerate(columns):
            self.ws.set_column(i, i, col.width, book.fmt["wrap"] if col.width >= 60 else None)
        for i, col in enumerate(columns):
            self.ws.write_string(0, i, col.title, book.fmt["header"])
        self.ws.freeze_panes(1, 0)
        print_table(self.ws)

    def text(self, row: int, col: int, value, fmt=None) -> None:
        if value is None or value == "":
            return
        self.ws.write_string(row, col, str(value)[:MAX_TEXT], fmt)

    def link(self, row: int, col: int, url: str, label: str, fmt=None) -> None:
        """A hyperlink while the sheet's budget lasts and the address fits; plain text otherwise."""
        if self.links < self.max_links and len(url) <= MAX_URL and len(label) <= MAX_URL:
            if self.ws.write_url(row, col, url, fmt or self.book.fmt["link"], string=label) == 0:
                self.links += 1
                return
        self.text(row, col, label, fmt)

    def finish(self, last_row: int) -> None:
        self.ws.autofilter(0, 0, max(last_row, 0), len(self.columns) - 1)


def print_table(ws) -> None:
    """A submittable printout: A4 landscape, all columns on one page width, header row on every page."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")


class _Book:
    def __init__(self, target: str | BinaryIO, created: dt.datetime) -> None:
        self.wb = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_urls": False})
        self.wb.set_properties({
            "title": "项目支出绩效自评批量评审汇总",
            "subject": "项目支出绩效自评",
            "author": "xlperf",
            "keywords": SUMMARY_MARK,
            "comments": "由 xlperf batch 生成",
            "created": created,
        })
        add = self.wb.add_format
        self.fmt = {
            "header": add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter", "align": "center"}),
            "wrap": add({"text_wrap": True, "valign": "top"}),
            "link": add({"font_color": "#0563C1", "underline": 1}),
            "amount": add({"num_format": "0.00"}),
            "score": add({"num_format": "0.00"}),
            "rate": add({"num_format": "0.00%"}),
            "int": add({"num_format": "0"}),
            "error": add({"font_color": "#C00000", "bold": True}),
            "warning": add({"font_color": "#C65911"}),
            "bold": add({"bold": True, "top": 1}),
            "stat_score": add({"num_format": "0.00", "bold": True, "top": 1}),
            "stat_rate": add({"num_format": "0.00%", "bold": True, "top": 1}),
            "stat_int": add({"num_format": "0", "bold": True, "top": 1}),
            "stat_count": add({"num_format": '"共 "0" 个项目"', "bold": True, "top": 1}),
            "note": add({"italic": True, "font_color": "#595959", "top": 1}),
        }


def _write_projects(book: _Book, result: BatchResult, links: _Links) -> tuple[_Sheet, int]:
    columns = summary_columns(result)
    sheet = _Sheet(book, "汇总", columns)
    sheet.ws.freeze_panes(1, 3)  # keep 序号, 单位 and 项目名称 in view
    fmt = book.fmt
    n = 0
    for n, record in enumerate(result.projects, start=1):
        for col, (column, value) in enumerate(zip(columns, summary_values(result, n, record))):
            if value is None:
                continue
            kind = column.kind
            if kind in ("index", "count"):
                sheet.ws.write_number(n, col, value, fmt["int"])
            elif kind == "year":
                if isinstance(value, int):
                    sheet.ws.write_number(n, col, value, fmt["int"])
                else:
                    sheet.text(n, col, value)
            elif kind in ("amount", "score"):
                sheet.ws.write_number(n, col, round(float(value), 6 if kind == "amount" else 2), fmt[kind])
            elif kind == "rate":
                sheet.ws.write_number(n, col, round(float(value) / 100, 4), fmt["rate"])  # stored as shown: 98.24%
            elif kind == "file":
                sheet.link(n, col, file_link(links.target(value)), value)
            elif kind == "report":
                sheet.link(n, col, file_link(links.target(value, result.reports_dir)), value)
            else:
                sheet.text(n, col, value)
    sheet.finish(n)
    _write_statistics(sheet, result, columns, n)
    return sheet, n


def _write_statistics(sheet: _Sheet, result: BatchResult, columns: list[Column], n: int) -> None:
    """Below the table after a blank row: count and means, as SUBTOTAL so a filter narrows them."""
    stats = result.statistics()
    row = n + 2
    fmt = sheet.book.fmt
    ws = sheet.ws
    ws.write_string(row, 0, "统计", fmt["bold"])
    ws.write_formula(row, 1, f"=SUBTOTAL(102,A2:A{n + 1})" if n else "=0", fmt["stat_count"], stats.count)
    ws.write_string(row, 2, "执行率、各项得分、总分为平均值；错误数、警告数为合计；筛选后只计显示的行", fmt["note"])
    means = {"执行率": stats.mean_rate, "总分": stats.mean_total, **stats.level1_means}
    for col, column in enumerate(columns):
        letter = xl_col_to_name(col)
        cells = f"{letter}2:{letter}{n + 1}"
        if column.kind in ("rate", "score") and n:
            mean = means.get(column.title)
            if mean is None:
                continue
            value = float(mean) / 100 if column.kind == "rate" else float(mean)
            ws.write_formula(row, col, f"=SUBTOTAL(101,{cells})", fmt["stat_rate" if column.kind == "rate" else "stat_score"], value)
        elif column.kind == "count" and n:
            key = "errors" if column.title == "错误数" else "warnings"
            total = sum(getattr(r.project, key) for r in result.projects)
            ws.write_formula(row, col, f"=SUBTOTAL(109,{cells})", fmt["stat_int"], total)


def findings_fit(result: BatchResult) -> bool:
    """Whether every finding fits on one 问题清单 sheet (a header, the rows, a note)."""
    return result.spool.count <= MAX_ROWS - 2


def _write_findings(book: _Book, result: BatchResult, links: _Links, findings_csv: str | None = None) -> None:
    """问题清单, continued on 问题清单2, 问题清单3 … when the findings exceed one sheet's rows;
    the last row of each full sheet names the sheet that continues it. With ``findings_csv`` (all
    findings written beside the workbook), the sheet lists the first ``FIRST_IN_SHEET`` and names the CSV."""
    title = "问题清单"
    sheet = _Sheet(book, title, FINDING_COLUMNS, MAX_CELL_LINKS)
    fmt = book.fmt
    row = 0
    part = 1
    for rel, (location, sheet_name, cell, severity, code, message) in result.findings():
        if findings_csv is not None and row >= FIRST_IN_SHEET:
            sheet.text(row + 1, 0, f"共 {result.spool.count} 条问题，超过一张工作表的行数；此处列出前 {row} 条，"
                                   f"全部问题见同一文件夹中的“{findings_csv}”", fmt["note"])
            break
        if row + 1 >= MAX_ROWS - 1:
            part += 1
            following = f"{title}{part}"
            sheet.text(row + 1, 0, f"问题超过一张工作表的行数，续见工作表“{following}”", fmt["note"])
            sheet.finish(row)
            sheet = _Sheet(book, following, FINDING_COLUMNS, MAX_CELL_LINKS)
            row = 0
        row += 1
        sheet.text(row, 0, rel)
        if sheet_name and cell:
            sheet.link(row, 1, file_link(links.target(rel), sheet_name, cell), location)
        else:
            sheet.text(row, 1, location)
        sheet.text(row, 2, severity_label(severity), fmt.get(severity))
        sheet.text(row, 3, code)
        sheet.text(row, 4, message, fmt["wrap"])
    sheet.finish(row)


def _write_unreadable(book: _Book, result: BatchResult, links: _Links) -> None:
    sheet = _Sheet(book, "无法读取", UNREADABLE_COLUMNS)
    row = 0
    for row, (rel, reason) in enumerate(result.unreadable, start=1):
        sheet.link(row, 0, file_link(links.target(rel)), rel)
        sheet.text(row, 1, reason, book.fmt["wrap"])
    sheet.finish(row)


def write_xlsx(
    result: BatchResult,
    target: str | Path | BinaryIO,
    *,
    created: dt.datetime | None = None,
    link_base: Path | None = None,
    findings_csv: str | None = None,
) -> None:
    """Write the summary workbook to a path or binary stream.

    Links to the files are relative to ``link_base`` (default: the target's folder;
    for a stream, absolute unless given).
    """
    if link_base is None and isinstance(target, (str, Path)):
        link_base = Path(target).absolute().parent
    links = _Links(link_base, result.root)
    book = _Book(str(target) if isinstance(target, Path) else target, created or default_created(result))
    _, n = _write_projects(book, result, links)
    write_stage_sheets(book, result, links)  # 监控灯, 申报审核 for the 申报/监控 files, if any
    _write_findings(book, result, links, findings_csv)
    _write_unreadable(book, result, links)
    write_charts(book.wb, result, n, book.fmt["header"])
    try:
        book.wb.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc
        raise cause from None  # an OSError: the command says 无法读写文件 with the file name
