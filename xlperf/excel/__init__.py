"""The Excel buttons 评分、校验、生成报告 of the macro-enabled workbook (``xlperf new --xlsm``).

The VBA module ``xlperf/macros/xlperf.bas`` runs, for each button, e.g.
``RunPython "import xlperf.excel; xlperf.excel.score()"``: a new Python per
click, working on the workbook that called it (``xw.Book.caller()``).

- ``score(book=None)`` writes 完成比值、得分、小计、总分、等级 and the 校验结果 sheet;
- ``check(book=None)`` writes only the 校验结果 sheet;
- ``export_report(book=None)`` writes the 自评报告 (.docx) beside the workbook and opens it.

``book`` is an ``xlwings.Book``; None (the VBA path) means ``xw.Book.caller()``.
Each ends with a message box; failures too, in Chinese, never a traceback.
xlwings itself is imported on the first call, not here: RunPython has imported
it already, and other programs importing this module do not pay for it.
"""

from __future__ import annotations

import importlib.util

from xlperf.errors import MissingDependency

EXCEL_EXTRA = '需要安装 Excel 支持：pip install "xlperf[excel]"'


def _xlwings_installed() -> bool:
    try:
        return importlib.util.find_spec("xlwings") is not None
    except ValueError:  # imported already by other means (no __spec__): it is there
        return True


if not _xlwings_installed():
    raise MissingDependency(EXCEL_EXTRA)

from xlperf.excel.buttons import check, export_report, notify, score

__all__ = ["EXCEL_EXTRA", "check", "export_report", "notify", "score"]
