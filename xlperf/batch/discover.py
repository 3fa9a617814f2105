"""Find the workbooks to review under a folder, in a stable order.

Skipped: Excel's lock files (``~$表.xlsx``, left while a file is open), hidden
files and folders (``.git``, ``.~lock…``, macOS ``._`` copies), and the files
the batch itself writes when they lie inside the folder. Entries that cannot be
looked at are not dropped: ``discover`` lists them with a Chinese reason, for the
summary's 无法读取 sheet.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from xlperf.ooxml.oserrors import os_reason
from xlperf.sources import SHEET_SUFFIXES

_DIGITS = re.compile(r"(\d+)")


def natural_key(rel: str) -> tuple:
    """Sort key for a relative posix path: folder by folder, numbers by value (2 before 10)."""
    key = []
    for part in PurePosixPath(rel).parts:
        pieces = _DIGITS.split(part)
        key.append(tuple((0, int(p), p) if p.isdigit() else (1, p.casefold(), p) for p in pieces if p))
    return tuple(key)


def _hidden(name: str, entry: os.DirEntry | None = None) -> bool:
    if name.startswith("."):
        return True
    if entry is not None and os.name == "nt":  # Windows marks hidden files by an attribute
        try:
            attributes = entry.stat(follow_symlinks=False).st_file_attributes
        except OSError:
            return False
        return bool(attributes & stat.FILE_ATTRIBUTE_HIDDEN)
    return False


def _norm(path: Path | str) -> str:
    return os.path.normcase(os.path.abspath(path))


_KINDS = (
    (stat.S_ISFIFO, "命名管道 FIFO"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
)


def _special(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "特殊文件")


def _reason(exc: OSError, what: str) -> str:
    if exc.errno == errno.ELOOP:
        return f"{what}是循环的符号链接（链接最终指向自身），已跳过"
    if isinstance(exc, PermissionError):
        return f"{what}无法读取（没有权限），已跳过"
    if isinstance(exc, FileNotFoundError):
        return f"{what}是指向不存在位置的符号链接（或已被删除），已跳过"
    return f"{what}无法读取，已跳过：{os_reason(exc)}"


@dataclass
class Discovery:
    """What a batch will review (``files``) and the entries it cannot, with their reasons (``problems``)."""

    files: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def discover(root: Path, exclude: Iterable[Path] = ()) -> Discovery:
    """Every spreadsheet (``.xlsx``/``.xlsm``, foreign ``.xls``/``.ods``/``.et``) under ``root`` (posix paths relative to it, naturally sorted), and
    every entry that could not be looked at: unreadable folders, symbolic-link loops, broken or
    unreadable links, FIFOs and other special files named like a workbook.

    Symbolic links to folders are followed once (a folder reached again through a link is
    listed as a loop); ``exclude`` names files (the summary) or folders (the reports) to leave out.
    Nothing here opens a file, so a FIFO cannot block the batch.
    """
    root = Path(root)
    excluded = {_norm(p) for p in exclude}
    found = Discovery()
    try:
        top = os.stat(root)
        seen = {(top.st_dev, top.st_ino)}
    except OSError:
        seen = set()
    stack = [root]

    def rel(path: str) -> str:
        return Path(path).relative_to(root).as_posix()

    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            where = "." if folder == root else rel(str(folder))
            found.problems.append((where + "/", _reason(exc, "文件夹")))
            continue
        for entry in entries:
            try:
                if _hidden(entry.name, entry) or _norm(entry.path) in excluded or entry.name.startswith("~$"):
                    continue
                workbook = entry.name.lower().endswith(SHEET_SUFFIXES)
                link = entry.is_symlink()
                try:
                    status = os.stat(entry.path) if link else entry.stat(follow_symlinks=False)
                except OSError as exc:
                    if workbook or link:
                        found.problems.append((rel(entry.path), _reason(exc, "链接" if link else "文件")))
                    continue
                if stat.S_ISDIR(status.st_mode):
                    key = (status.st_dev, status.st_ino)
                    if key in seen:
                        if link:
                            found.problems.append((rel(entry.path) + "/", "符号链接指向已评审过的文件夹（链接循环），已跳过"))
                        continue
                    seen.add(key)
                    stack.append(Path(entry.path))
                elif not workbook:
                    continue
                elif stat.S_ISREG(status.st_mode):
                    found.files.append(rel(entry.path))
                else:
                    found.problems.append((rel(entry.path), f"不是普通文件（是{_special(status.st_mode)}），已跳过"))
            except OSError as exc:  # anything else about one entry costs only that entry
                found.problems.append((rel(entry.path), _reason(exc, "文件")))
    found.files.sort(key=natural_key)
    found.problems.sort(key=lambda item: natural_key(item[0]))
    return found


def find_workbooks(root: Path, exclude: Iterable[Path] = ()) -> list[str]:
    """Every ``.xlsx``/``.xlsm`` under ``root``, as posix paths relative to it, naturally sorted (see ``discover``)."""
    return discover(root, exclude).files
