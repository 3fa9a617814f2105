"""Failures said in Chinese with the fix: one mapping for every command.

``explain(exc)`` turns an ``XlperfError`` or an ``OSError`` (missing file or folder, no
permission, file open in Excel/WPS, disk full, read-only place…) into one Chinese line. The
operating system's English text (``strerror``) and xlperf's own temp-file names never reach
the user: a temp file is named by its folder.
"""

from __future__ import annotations

import os

from xlperf.errors import XlperfError
from xlperf.ooxml.atomic import TEMP_PREFIX
from xlperf.ooxml.oserrors import os_reason


def shown_path(name) -> str:
    """A path to show: xlperf's temp file is shown as the folder it was written in."""
    if not name:
        return ""
    text = os.fspath(name)
    base = os.path.basename(text)
    if base.startswith(TEMP_PREFIX):
        return os.path.dirname(text) or "."
    return text


def explain_os_error(exc: OSError) -> str:
    """The file (a temp file shown as its folder) and the reason from the one table in ``ooxml.oserrors``."""
    where = shown_path(getattr(exc, "filename", None))
    return f"{where}：{os_reason(exc)}" if where else os_reason(exc)


def explain(exc: BaseException) -> str:
    """One Chinese line for the user (without the 错误： prefix)."""
    if isinstance(exc, XlperfError):
        return str(exc)
    if isinstance(exc, OSError):
        return explain_os_error(exc)
    raise TypeError(type(exc).__name__)
