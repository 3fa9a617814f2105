"""Where an output goes: the extension decides the format, a missing folder is created.

``output_path(path, formats, what=…)`` checks ``-o``/``--output`` before any work is done:
the suffix must be one the command can write (else a Chinese message naming the allowed
ones), the path must not be a folder, and a missing parent folder is created (as ``batch``
always did). It returns the format key for the suffix.
"""

from __future__ import annotations

from pathlib import Path

from xlperf.errors import XlperfError


def output_path(path: Path, formats: dict[str, str], *, what: str = "输出文件") -> str:
    """The format for ``path``'s suffix (``formats`` maps ".docx" → "docx"); creates its folder."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise XlperfError(f"这是一个文件夹；{what}请写出文件名，例如 {path / ('结果' + next(iter(formats)))}", path=str(path))
    if suffix not in formats:
        allowed = "、".join(formats)
        now = f"“{path.suffix}”" if path.suffix else "没有扩展名"
        raise XlperfError(f"{what}的扩展名应为 {allowed}（现在{now}），扩展名决定写出的格式", path=str(path))
    ensure_folder(path)
    return formats[suffix]


def ensure_folder(path: Path) -> None:
    """Create the folder ``path`` goes into, or say in Chinese why it cannot be."""
    parent = path.absolute().parent
    if parent.is_dir():
        return
    for ancestor in (parent, *parent.parents):
        if ancestor.exists() and not ancestor.is_dir():
            raise XlperfError(f"“{ancestor}”是文件而不是文件夹，无法在其中创建输出文件", path=str(path))
    parent.mkdir(parents=True, exist_ok=True)
