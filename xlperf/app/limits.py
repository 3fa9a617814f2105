"""How much the page accepts: sizes and counts, checked before anything is read."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1 << 20


@dataclass(frozen=True)
class AppLimits:
    max_request: int = 256 * MIB  # one request, all files together
    max_file: int = 50 * MIB  # one workbook (or one .zip) as uploaded
    max_files: int = 1000  # files in one batch (uploaded or inside the .zip files)
    max_unzipped: int = 1024 * MIB  # everything unpacked from the .zip files of one batch
    max_member: int = 50 * MIB  # one workbook inside a .zip
    max_ratio: int = 200  # uncompressed ÷ compressed, per workbook inside a .zip
    kept_results: int = 40  # results kept for download before the oldest is removed


DEFAULT = AppLimits()


def mib(size: int) -> str:
    return f"{size / MIB:.0f} MB"
