"""The OOXML layer: opening user workbooks safely and patching cells without losing anything.

It knows zip parts and SpreadsheetML, nothing of scoring.
"""

from xlperf.ooxml.atomic import atomic_write
from xlperf.ooxml.cells import col_index, col_letter, parse_ref, ref, safe_text
from xlperf.ooxml.cellvalue import CellValue, Formula
from xlperf.ooxml.limits import DEFAULT_LIMITS, ZipLimits
from xlperf.ooxml.package import Package, open_package
from xlperf.ooxml.patch import patch_workbook

__all__ = [
    "CellValue", "DEFAULT_LIMITS", "Formula", "Package", "ZipLimits", "atomic_write", "col_index",
    "col_letter", "open_package", "parse_ref", "patch_workbook", "ref", "safe_text",
]
