"""Find the workbooks to review under a folder, in a stable order.

Skipped: Excel's lock files (``~$表.xlsx``, left while a file is open), hidden
files and folders (``.git``, ``.~lock…``, macOS ``._`` copies), and the files
the batch itself writes when they lie inside the folder.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

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


def find_workbooks(root: Path, exclude: Iterable[Path] = ()) -> list[str]:
    """Every spreadsheet (``.xlsx``/``.xlsm``, and foreign forms ``.xls``/``.ods``/``.et``) under ``root``, as posix paths relative to it, naturally sorted.

    ``exclude`` names files (the summary) or folders (the reports) to leave out.
    """
    root = Path(root)
    excluded = {_norm(p) for p in exclude}
    found: list[str] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable folder: nothing to review there
        for entry in entries:
            if _hidden(entry.name, entry) or _norm(entry.path) in excluded:
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif (
                not entry.name.startswith("~$")
                and entry.name.lower().endswith(SHEET_SUFFIXES)
                and entry.is_file()
            ):
                found.append(Path(entry.path).relative_to(root).as_posix())
    found.sort(key=natural_key)
    return found
