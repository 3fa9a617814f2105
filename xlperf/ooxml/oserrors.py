"""Chinese reasons for operating-system errors while reading or writing a user's file."""

from __future__ import annotations

import errno
import os

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "所在磁盘或文件夹是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EIO: "读写出错（磁盘、U 盘或网络盘故障）",
    errno.EMFILE: "同时打开的文件过多",
    errno.ELOOP: "符号链接循环",
    errno.EXDEV: "不能跨磁盘替换文件",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "超出磁盘配额"


def os_reason(exc: OSError) -> str:
    """``无法读写文件（磁盘空间不足）``: what went wrong, in Chinese, without the file name."""
    reason = _REASONS.get(exc.errno or -1) or exc.strerror or type(exc).__name__
    return f"无法读写文件（{reason}）"


def os_error_message(exc: OSError, path: str | os.PathLike[str] | None = None) -> str:
    """The message for an OSError: the file (from the error, else ``path``) and the reason; never ``：：``."""
    name = exc.filename or path
    name = os.fsdecode(name) if name is not None else ""
    return f"{name}：{os_reason(exc)}" if name else os_reason(exc)
