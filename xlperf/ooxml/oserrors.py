"""Chinese reasons for operating-system errors while reading or writing a user's file: the one table.

The operating system's own (English) text never reaches the user; an unknown error is named by its number.
"""

from __future__ import annotations

import errno
import os

_NO_PERMISSION = "没有读写权限；文件可能正在 Excel 或 WPS 中打开，请关闭后重试，或换一个有写入权限的文件夹"
_REASONS = {
    errno.ENOENT: "找不到该文件或文件夹，请检查路径是否写对",
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
    errno.ENOSPC: "磁盘空间不足，请清理磁盘或换一个位置后重试",
    errno.EROFS: "该位置只读（如光盘或只读共享），请换一个可写入的文件夹",
    errno.EISDIR: "这是一个文件夹，这里需要一个文件名",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹，请检查路径",
    errno.ENAMETOOLONG: "文件名或路径太长，请换一个短一些的名称或文件夹",
    errno.EEXIST: "文件已存在",
    errno.EBUSY: "文件正被其他程序使用，请关闭后重试",
    errno.EINVAL: "文件名无效（可能含有 \\ / : * ? \" < > | 等字符），请改名后重试",
    errno.EIO: "读写出错（磁盘、U 盘或网络盘故障）",
    errno.EMFILE: "同时打开的文件过多",
    errno.ELOOP: "符号链接循环",
    errno.EXDEV: "不能跨磁盘替换文件",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "磁盘配额已用完，请清理后重试"


def os_reason(exc: OSError) -> str:
    """``无法读写文件（磁盘空间不足…）``: what went wrong, in Chinese, without the file name."""
    reason = _REASONS.get(exc.errno or -1)
    if reason is None:
        reason = f"系统错误号 {exc.errno}，请检查文件和磁盘后重试" if exc.errno else "请检查文件和磁盘后重试"
    return f"无法读写文件（{reason}）"


def os_error_message(exc: OSError, path: str | os.PathLike[str] | None = None) -> str:
    """The message for an OSError: the file (from the error, else ``path``) and the reason; never ``：：``."""
    name = exc.filename or path
    name = os.fsdecode(name) if name is not None else ""
    return f"{name}：{os_reason(exc)}" if name else os_reason(exc)
