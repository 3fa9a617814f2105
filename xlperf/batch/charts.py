"""The 图表 sheet: grade counts, 10-point score bands and 执行率 against 总分, as native Excel charts.

The counts are written as small tables on the sheet and the charts point at
them; the scatter points at the 执行率 and 总分 columns of 汇总, so filtering
or editing the summary in Excel updates it.
"""

from __future__ import annotations

import math

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from xlperf.batch.result import BatchResult
from xlperf.batch.table import summary_columns


def _count_unit(counts: list[tuple[str, int]]) -> int:
    """Whole-number gridlines for counts, about eight of them."""
    return max(1, math.ceil(max((n for _, n in counts), default=1) / 8))


CHART_ROWS = 20  # each chart starts a printed page of its own (page breaks every CHART_ROWS rows)
CHART_SIZE = {"x_scale": 1.2, "y_scale": 1.3}  # 576 × 374 px: with the tables beside it, one landscape A4 page


def _count_chart(wb: Workbook, ws, counts: list[tuple[str, int]], col: int, title: str, x_name: str, anchor: str,
                 gap: int | None = None, first: int = 0) -> None:
    """A column chart of the (label, 项目数) table under row ``first`` at ``col`` of the 图表 sheet, placed at ``anchor``."""
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "项目数",
        "categories": ["图表", first + 1, col, first + len(counts), col],
        "values": ["图表", first + 1, col + 1, first + len(counts), col + 1],
        **({"gap": gap} if gap is not None else {}),
        "data_labels": {"value": True},
    })
    chart.set_title({"name": title})
    chart.set_x_axis({"name": x_name})
    chart.set_y_axis({"name": "项目数", "min": 0, "major_unit": _count_unit(counts), "num_format": "0"})
    chart.set_legend({"none": True})
    ws.insert_chart(anchor, chart, CHART_SIZE)


def write_charts(wb: Workbook, result: BatchResult, n: int, header: Format) -> None:
    """Grade counts, 10-point score bands and 执行率 against 总分, each a native chart."""
    ws = wb.add_worksheet("图表")
    ws.set_column(0, 0, 10)
    ws.set_column(3, 3, 10)
    ws.write_row(0, 0, ["等级", "项目数"], header)
    ws.write_row(0, 3, ["分数段", "项目数"], header)
    if n == 0:
        ws.write_string(1, 0, "没有可评分的项目，未绘制图表")
        return
    by_profile = result.grade_counts_by_profile()
    bands = result.band_counts()
    cells: dict[int, list[tuple[int, object, Format | None]]] = {}  # the workbook streams rows: write in order
    for i, (label, count) in enumerate(bands):
        cells.setdefault(i + 1, []).extend([(3, label, None), (4, count, None)])
    firsts, row = [], 0
    for k, (profile_id, grades) in enumerate(by_profile):
        if k:  # a second profile: its own table, with its own grade words
            cells.setdefault(row, []).extend([(0, f"等级（{profile_id}）", header), (1, "项目数", header)])
        for i, (label, count) in enumerate(grades):
            cells.setdefault(row + i + 1, []).extend([(0, label, None), (1, count, None)])
        firsts.append(row)
        row += len(grades) + 2
    for r in sorted(cells):
        for col, value, fmt in sorted(cells[r], key=lambda c: c[0]):
            if isinstance(value, str):
                ws.write_string(r, col, value, fmt)
            else:
                ws.write_number(r, col, value, fmt)
    anchors = []
    for (profile_id, grades), first in zip(by_profile, firsts):
        title = "等级分布" if len(by_profile) == 1 else f"等级分布（{profile_id}）"
        anchor_row = len(anchors) * CHART_ROWS
        _count_chart(wb, ws, grades, 0, title, "等级", f"G{anchor_row + 2}", first=first)
        anchors.append(anchor_row)
    band_row = len(anchors) * CHART_ROWS
    _count_chart(wb, ws, bands, 3, "总分分布（每 10 分一段）", "总分", f"G{band_row + 2}", gap=10)
    anchors.append(band_row)
    scatter_row = len(anchors) * CHART_ROWS
    anchors.append(scatter_row)
    _print_charts(ws, anchors)

    columns = summary_columns(result)
    rate_col = next(i for i, c in enumerate(columns) if c.title == "执行率")
    total_col = next(i for i, c in enumerate(columns) if c.title == "总分")
    scatter = wb.add_chart({"type": "scatter"})
    scatter.add_series({
        "name": "项目",
        "categories": ["汇总", 1, rate_col, max(n, 1), rate_col],
        "values": ["汇总", 1, total_col, max(n, 1), total_col],
        "marker": {"type": "circle", "size": 6},
    })
    scatter.set_title({"name": "执行率与总分"})
    scatter.set_x_axis({"name": "执行率", "num_format": "0%", "min": 0})
    top = max(float(r.project.total) for r in result.projects)
    scatter.set_y_axis({"name": "总分", "min": 0, **({"max": 100} if top <= 100 else {})})
    scatter.set_legend({"none": True})
    ws.insert_chart(f"G{scatter_row + 2}", scatter, CHART_SIZE)


def _print_charts(ws, anchors: list[int]) -> None:
    """Landscape, one chart per page: a page break above each chart, the chart area as print area."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_h_pagebreaks([a for a in anchors if a > 0])
    ws.print_area(0, 6, anchors[-1] + CHART_ROWS - 1, 15)  # the charts only (G to G + 576 px); the tables feed them
    # At 100 %, not fit-to-page: Excel ignores manual page breaks under fit-to-page.
