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

    grade_chart = wb.add_chart({"type": "column"})
    grade_chart.add_series({
        "name": "项目数",
        "categories": ["图表", 1, 0, len(grades), 0],
        "values": ["图表", 1, 1, len(grades), 1],
        "data_labels": {"value": True},
    })
    grade_chart.set_title({"name": "等级分布"})
    grade_chart.set_x_axis({"name": "等级"})
    grade_chart.set_y_axis({"name": "项目数", "min": 0, "major_unit": _count_unit(grades), "num_format": "0"})
    grade_chart.set_legend({"none": True})
    ws.insert_chart("G2", grade_chart)

    band_chart = wb.add_chart({"type": "column"})
    band_chart.add_series({
        "name": "项目数",
        "categories": ["图表", 1, 3, len(bands), 3],
        "values": ["图表", 1, 4, len(bands), 4],
        "gap": 10,
        "data_labels": {"value": True},
    })
    band_chart.set_title({"name": "总分分布（每 10 分一段）"})
    band_chart.set_x_axis({"name": "总分"})
    band_chart.set_y_axis({"name": "项目数", "min": 0, "major_unit": _count_unit(bands), "num_format": "0"})
    band_chart.set_legend({"none": True})
    ws.insert_chart("G18", band_chart)

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
