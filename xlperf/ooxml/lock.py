"""Noticing that a workbook is open in Excel (or LibreOffice/WPS) before we overwrite it."""

from __future__ import annotations

import os

from xlperf.errors import FileLockedError

LOCKED_MESSAGE = "文件正在被 Excel 或其他程序打开，请关闭后再试；文件未作任何修改"


def lock_files(path: str) -> list[str]:
    """Owner/lock files next to ``path`` (or the file a link points to) saying it is open."""
    found: list[str] = []
    for place in dict.fromkeys((os.path.abspath(path), os.path.realpath(path))):
        folder, name = os.path.split(place)
        for candidate in ("~$" + name, ".~lock." + name + "#"):  # Excel/WPS owner file; LibreOffice
            lock = os.path.join(folder, candidate)
            if os.path.exists(lock) and lock not in found:
                found.append(lock)
    return found


def denied_by_windows(path: str) -> bool:
    """On Windows, Excel opens workbooks without write sharing: opening for update fails."""
    if os.name != "nt" or not os.path.exists(path):
        return False
    try:
        with open(path, "r+b"):
            return False
    except PermissionError:
        return True
    except OSError:
        return False


def ensure_unlocked(path: str) -> None:
    """Raise FileLockedError if ``path`` looks open in another program."""
    found = lock_files(path)
    if found:
        hint = f"（若确已关闭，可删除残留的锁定文件 {os.path.basename(found[0])}）"
        raise FileLockedError(LOCKED_MESSAGE + hint, path=path)
    if denied_by_windows(path):
        raise FileLockedError(LOCKED_MESSAGE, path=path)
