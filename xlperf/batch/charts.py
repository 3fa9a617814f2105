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


def _count_chart(wb: Workbook, ws, counts: list[tuple[str, int]], col: int, title: str, x_name: str, anchor: str, gap: int | None = None) -> None:
    """A column chart of the (label, 项目数) table written at ``col`` of the 图表 sheet, placed at ``anchor``."""
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "项目数",
        "categories": ["图表", 1, col, len(counts), col],
        "values": ["图表", 1, col + 1, len(counts), col + 1],
        **({"gap": gap} if gap is not None else {}),
        "data_labels": {"value": True},
    })
    chart.set_title({"name": title})
    chart.set_x_axis({"name": x_name})
    chart.set_y_axis({"name": "项目数", "min": 0, "major_unit": _count_unit(counts), "num_format": "0"})
    chart.set_legend({"none": True})
    ws.insert_chart(anchor, chart)


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
    grades = result.grade_counts()
    bands = result.band_counts()
    for i in range(max(len(grades), len(bands))):
        if i < len(grades):
            ws.write_string(i + 1, 0, grades[i][0])
            ws.write_number(i + 1, 1, grades[i][1])
        if i < len(bands):
            ws.write_string(i + 1, 3, bands[i][0])
            ws.write_number(i + 1, 4, bands[i][1])

    _count_chart(wb, ws, grades, 0, "等级分布", "等级", "G2")
    _count_chart(wb, ws, bands, 3, "总分分布（每 10 分一段）", "总分", "G18", gap=10)

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
    ws.insert_chart("G34", scatter)
