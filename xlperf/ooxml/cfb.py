"""Names in an OLE compound file (CFB): enough to tell a .xls from an encrypted .xlsx."""

from __future__ import annotations

import struct
from typing import BinaryIO

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_FREE_OR_END = 0xFFFFFFFA  # sector ids at or above this are markers, not sectors
_MAX_DIRECTORY_SECTORS = 4096  # far beyond any real workbook; stops cyclic chains
_SCAN_CHUNK = 1 << 20
_SCAN_LIMIT = 256 << 20


def directory_names(fp: BinaryIO) -> set[str]:
    """Return every stream and storage name in the compound file ``fp``.

    Reads the header, the FAT sectors the directory chain passes through and the
    directory itself, nothing else.  A damaged directory falls back to searching
    the file for the UTF-16LE names xlperf cares about.
    """
    try:
        return _read_directory(fp)
    except (ValueError, struct.error, OSError):
        return _scan_for_names(fp)


def _read_directory(fp: BinaryIO) -> set[str]:
    fp.seek(0)
    header = fp.read(512)
    if len(header) < 512 or header[:8] != CFB_MAGIC:
        raise ValueError("not a compound file")
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    sector_size = 1 << sector_shift
    first_dir, = struct.unpack_from("<I", header, 0x30)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
    fat_sectors += _difat_sectors(fp, sector_size, first_difat, difat_count)
    fat_sectors = [s for s in fat_sectors if s < _FREE_OR_END]
    per_sector = sector_size // 4

    def read_sector(sector: int) -> bytes:
        fp.seek((sector + 1) * sector_size)
        data = fp.read(sector_size)
        if len(data) != sector_size:
            raise ValueError("truncated sector")
        return data

    def next_sector(sector: int) -> int:
        index, slot = divmod(sector, per_sector)
        if index >= len(fat_sectors):
            raise ValueError("sector outside the FAT")
        return struct.unpack_from("<I", read_sector(fat_sectors[index]), slot * 4)[0]

    names: set[str] = set()
    sector, seen = first_dir, set()
    while sector < _FREE_OR_END:
        if sector in seen or len(seen) >= _MAX_DIRECTORY_SECTORS:
            raise ValueError("cyclic directory chain")
        seen.add(sector)
        data = read_sector(sector)
        for offset in range(0, sector_size, 128):
            name_len, kind = struct.unpack_from("<HB", data, offset + 64)
            if kind in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(data[offset:offset + name_len - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    return names


def _difat_sectors(fp: BinaryIO, sector_size: int, first: int, count: int) -> list[int]:
    sectors: list[int] = []
    sector = first
    for _ in range(min(count, _MAX_DIRECTORY_SECTORS)):
        if sector >= _FREE_OR_END:
            break
        fp.seek((sector + 1) * sector_size)
        data = fp.read(sector_size)
        if len(data) != sector_size:
            raise ValueError("truncated DIFAT")
        entries = struct.unpack(f"<{sector_size // 4}I", data)
        sectors.extend(entries[:-1])
        sector = entries[-1]
    return sectors


_WANTED = ("EncryptionInfo", "EncryptedPackage", "Workbook", "Book")


def _scan_for_names(fp: BinaryIO) -> set[str]:
    patterns = {name: name.encode("utf-16-le") for name in _WANTED}
    overlap = max(len(p) for p in patterns.values())
    found: set[str] = set()
    fp.seek(0)
    tail = b""
    for _ in range(_SCAN_LIMIT // _SCAN_CHUNK):
        chunk = fp.read(_SCAN_CHUNK)
        if not chunk:
            return found
        window = tail + chunk
        found.update(name for name, pattern in patterns.items() if pattern in window)
        tail = window[-overlap:]
    return found
