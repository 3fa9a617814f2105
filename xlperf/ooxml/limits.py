"""Size limits for user zip packages, checked before and while decompressing."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

MIB = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """Caps that keep a zip bomb from exhausting memory or disk."""

    max_total: int = 200 * MIB  # sum of uncompressed sizes
    max_member: int = 100 * MIB  # one member, uncompressed
    max_ratio: int = 200  # uncompressed / compressed, for members above ratio_floor
    ratio_floor: int = 1 * MIB
    max_members: int = 10_000


DEFAULT_LIMITS = ZipLimits()


def _mib(size: int) -> str:
    return f"{size / MIB:g} MiB"


def declared_violation(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> str | None:
    """Return why the central directory breaks ``limits`` (Chinese), or None."""
    if len(infos) > limits.max_members:
        return f"压缩包中有 {len(infos)} 个部件，超过上限 {limits.max_members}"
    total = 0
    for info in infos:
        size = info.file_size
        if size > limits.max_member:
            return f"部件 {info.filename} 解压后 {_mib(size)}，超过单个部件上限 {_mib(limits.max_member)}"
        if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            return f"部件 {info.filename} 的压缩比 {ratio}:1 超过上限 {limits.max_ratio}:1"
        total += size
    if total > limits.max_total:
        return f"解压后共 {_mib(total)}，超过上限 {_mib(limits.max_total)}"
    return None


def bomb_message(reason: str) -> str:
    """The user message for a package refused by a size limit."""
    return f"文件过大或是“压缩炸弹”（{reason}），已拒绝打开"
