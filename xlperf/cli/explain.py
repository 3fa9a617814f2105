"""Failures said in Chinese with the fix: one mapping for every command.

``explain(exc)`` turns an ``XlperfError`` or an ``OSError`` (missing file or folder, no
permission, file open in Excel/WPS, disk full, read-only place…) into one Chinese line. The
operating system's English text (``strerror``) and xlperf's own temp-file names never reach
the user: a temp file is named by its folder.
"""

from __future__ import annotations

import errno
import os

from xlperf.errors import XlperfError
from xlperf.ooxml.atomic import TEMP_PREFIX

_BY_ERRNO = {
    errno.ENOENT: "找不到该文件或文件夹，请检查路径是否写对",
    errno.EACCES: "没有读写权限；文件可能正在 Excel 或 WPS 中打开，请关闭后重试，或换一个有写入权限的文件夹",
    errno.EPERM: "没有读写权限；文件可能正在 Excel 或 WPS 中打开，请关闭后重试，或换一个有写入权限的文件夹",
    errno.ENOSPC: "磁盘空间不足，请清理磁盘或换一个位置后重试",
    errno.EROFS: "该位置只读（如光盘或只读共享），请换一个可写入的文件夹",
    errno.EISDIR: "这是一个文件夹，这里需要一个文件名",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹，请检查路径",
    errno.ENAMETOOLONG: "文件名或路径太长，请换一个短一些的名称或文件夹",
    errno.EEXIST: "文件已存在",
    errno.EBUSY: "文件正被其他程序使用，请关闭后重试",
    errno.EINVAL: "文件名无效（可能含有 \\ / : * ? \" < > | 等字符），请改名后重试",
}
if hasattr(errno, "EDQUOT"):
    _BY_ERRNO[errno.EDQUOT] = "磁盘配额已用完，请清理后重试"


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
    reason = _BY_ERRNO.get(exc.errno or -1)
    if reason is None:
        reason = f"无法读写文件（系统错误号 {exc.errno}），请检查文件和磁盘后重试" if exc.errno else "无法读写文件，请检查文件和磁盘后重试"
    where = shown_path(getattr(exc, "filename", None))
    return f"{where}：{reason}" if where else reason


def explain(exc: BaseException) -> str:
    """One Chinese line for the user (without the 错误： prefix)."""
    if isinstance(exc, XlperfError):
        return str(exc)
    if isinstance(exc, OSError):
        return explain_os_error(exc)
    raise TypeError(type(exc).__name__)
