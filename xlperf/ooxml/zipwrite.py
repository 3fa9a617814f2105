"""Writing a new zip package from an old one: untouched members are copied as raw bytes.

Every member keeps its place in the order, its local header, compressed data, data
descriptor and central-directory fields (timestamps included), so copying a package
twice gives the same bytes.  Replaced members keep their header fields and
compression method; only CRC and sizes change.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Mapping
from typing import BinaryIO

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DESCRIPTOR_SIGNATURE = b"PK\x07\x08"
_DESCRIPTOR_FLAG = 0x08
_ZIP64_EXTRA = 0x0001
_LIMIT_32 = 0xFFFFFFFF
_CHUNK = 1 << 20


class ZipWriteError(Exception):
    """The source package cannot be copied faithfully."""


def _without_zip64(extra: bytes) -> bytes:
    """Drop the Zip64 extra field: sizes and offsets are written in the 32-bit fields."""
    kept, i = [], 0
    while i + 4 <= len(extra):
        field_id, size = struct.unpack_from("<HH", extra, i)
        if field_id != _ZIP64_EXTRA:
            kept.append(extra[i:i + 4 + size])
        i += 4 + size
    kept.append(extra[i:])
    return b"".join(kept)


def _has_zip64(extra: bytes) -> bool:
    i = 0
    while i + 4 <= len(extra):
        field_id, size = struct.unpack_from("<HH", extra, i)
        if field_id == _ZIP64_EXTRA:
            return True
        i += 4 + size
    return False


def _dos_time(info: zipfile.ZipInfo) -> tuple[int, int]:
    year, month, day, hour, minute, second = info.date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    return info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")


def _compress(data: bytes, method: int) -> tuple[int, bytes]:
    if method == zipfile.ZIP_STORED:
        return method, data
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zipfile.ZIP_DEFLATED, packer.compress(data) + packer.flush()


class _Writer:
    def __init__(self, out: BinaryIO):
        self.out = out
        self.offset = 0

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.offset += len(data)


def _copy_raw(src: BinaryIO, info: zipfile.ZipInfo, writer: _Writer) -> None:
    src.seek(info.header_offset)
    header = src.read(_LOCAL.size)
    if len(header) != _LOCAL.size or not header.startswith(_LOCAL_SIGNATURE):
        raise ZipWriteError(f"部件 {info.filename} 的本地文件头损坏")
    name_len, extra_len = _LOCAL.unpack(header)[-2:]
    rest = src.read(name_len + extra_len)
    writer.write(header + rest)
    remaining = info.compress_size
    while remaining:
        chunk = src.read(min(remaining, _CHUNK))
        if not chunk:
            raise ZipWriteError(f"部件 {info.filename} 的数据不完整")
        writer.write(chunk)
        remaining -= len(chunk)
    if info.flag_bits & _DESCRIPTOR_FLAG:
        size_len = 16 if _has_zip64(rest[name_len:]) else 8
        head = src.read(4)
        descriptor = head + src.read(size_len + (4 if head == _DESCRIPTOR_SIGNATURE else 0))
        crc_at = 4 if head == _DESCRIPTOR_SIGNATURE else 0
        if struct.unpack_from("<L", descriptor, crc_at)[0] != info.CRC:
            raise ZipWriteError(f"部件 {info.filename} 的数据描述符与目录不一致")
        writer.write(descriptor)


def _write_replaced(src: BinaryIO, info: zipfile.ZipInfo, data: bytes, writer: _Writer) -> tuple[int, int, int, int, int]:
    """Write a member with new content; returns (flags, method, crc, compressed size, size)."""
    src.seek(info.header_offset)
    header = src.read(_LOCAL.size)
    if len(header) != _LOCAL.size or not header.startswith(_LOCAL_SIGNATURE):
        raise ZipWriteError(f"部件 {info.filename} 的本地文件头损坏")
    _sig, version, flags, method, time, date, _crc, _cs, _us, name_len, extra_len = _LOCAL.unpack(header)
    name = src.read(name_len)
    extra = _without_zip64(src.read(extra_len))
    method, packed = _compress(data, method)
    flags &= ~_DESCRIPTOR_FLAG
    crc = zlib.crc32(data)
    writer.write(_LOCAL.pack(_LOCAL_SIGNATURE, max(version, 20 if method else 10), flags, method, time, date,
                             crc, len(packed), len(data), len(name), len(extra)) + name + extra)
    writer.write(packed)
    return flags, method, crc, len(packed), len(data)


def _write_new(name: str, data: bytes, writer: _Writer) -> bytes:
    """Write a new deflated member (UTF-8 name, 1980 timestamp); returns its central-directory record."""
    raw = name.encode("utf-8")
    flags = 0x800 if not raw.isascii() else 0
    method, packed = _compress(data, zipfile.ZIP_DEFLATED)
    crc = zlib.crc32(data)
    offset = writer.offset
    if max(offset, len(packed), len(data)) >= _LIMIT_32:
        raise ZipWriteError("压缩包超过 4 GiB，无法写入")
    time, date = 0, 1 << 5 | 1  # 1980-01-01 00:00, so writing twice gives the same bytes
    writer.write(_LOCAL.pack(_LOCAL_SIGNATURE, 20, flags, method, time, date, crc, len(packed), len(data), len(raw), 0) + raw)
    writer.write(packed)
    return _CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, flags, method, time, date, crc, len(packed), len(data),
                         len(raw), 0, 0, 0, 0, 0, offset) + raw


def write_package(
    src: BinaryIO,
    infos: list[zipfile.ZipInfo],
    out: BinaryIO,
    replace: Mapping[str, bytes] | None = None,
    remove: set[str] | frozenset[str] = frozenset(),
    comment: bytes = b"",
    add: Mapping[str, bytes] | None = None,
) -> None:
    """Copy the members ``infos`` of ``src`` to ``out`` in order, replacing or dropping some.

    ``add``: new members (name → bytes), deflated and written after the copied ones.
    """
    replace = replace or {}
    writer = _Writer(out)
    central: list[bytes] = []
    for info in infos:
        if info.filename in remove:
            continue
        offset = writer.offset
        flags, method, crc = info.flag_bits, info.compress_type, info.CRC
        compressed, size = info.compress_size, info.file_size
        extract_version = info.extract_version
        if info.filename in replace:
            flags, method, crc, compressed, size = _write_replaced(src, info, replace[info.filename], writer)
            extract_version = max(extract_version, 20 if method else 10)
        else:
            _copy_raw(src, info, writer)
        if max(offset, compressed, size) >= _LIMIT_32:
            raise ZipWriteError("压缩包超过 4 GiB，无法按原样写回")
        extra = _without_zip64(info.extra) if _has_zip64(info.extra) else info.extra
        time, date = _dos_time(info)
        name = _raw_name(info)
        central.append(_CENTRAL.pack(
            b"PK\x01\x02", info.create_version, info.create_system, extract_version, info.reserved,
            flags, method, time, date, crc, compressed, size, len(name), len(extra), len(info.comment),
            0, info.internal_attr, info.external_attr, offset,
        ) + name + extra + info.comment)
    for name, data in (add or {}).items():
        central.append(_write_new(name, data, writer))
    directory_offset = writer.offset
    for record in central:
        writer.write(record)
    directory_size = writer.offset - directory_offset
    if len(central) > 0xFFFF or directory_offset >= _LIMIT_32:
        raise ZipWriteError("压缩包部件过多或过大，无法按原样写回")
    comment = comment[:0xFFFF]
    writer.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), directory_size,
                           directory_offset, len(comment)) + comment)
