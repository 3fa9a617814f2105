"""Batch review: score and check every workbook in a folder, and summarise them.

``run_batch(root)`` reviews the files (read-only, in parallel) and returns a
``BatchResult``; ``write_summary(result, path, fmt)`` writes it as an xlsx
workbook with charts, as CSV or as JSON. ``xlperf batch`` is the command.
"""

from xlperf.batch.formats import write_summary
from xlperf.batch.result import BatchResult
from xlperf.batch.run import run_batch

__all__ = ["run_batch", "write_summary", "BatchResult"]
