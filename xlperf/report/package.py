"""Byte-stable .docx packages: the same parts always give the same zip.

``write_members`` writes the zip itself, byte for byte what ``zipfile`` writes for
the same members (deflate level 6, one timestamp, MS-DOS attributes 0600), so that
the deflated form of a part seen before (styles, theme, numbering, the footers: the
same in every report from one template) is reused instead of compressed again.
"""

from __future__ import annotations

import datetime as _dt
import io
import struct
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterable

LEVEL = 6
VERSION = 20  # 2.0: deflate
EXTERNAL_ATTR = 0o600 << 16
DEFLATED_SIZE = 64  # parts remembered in deflated form
_DEFLATED: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()  # data -> (crc32, deflated)


def _deflate(data: bytes) -> tuple[int, bytes]:
    found = _DEFLATED.get(data)
    if found is not None:
        _DEFLATED.move_to_end(data)
        return found
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    found = (zlib.crc32(data), packer.compress(data) + packer.flush())
    _DEFLATED[data] = found
    if len(_DEFLATED) > DEFLATED_SIZE:
        _DEFLATED.popitem(last=False)
    return found


def write_members(members: Iterable[tuple[str, bytes]], when: _dt.datetime) -> bytes:
    """A zip of ``(name, bytes)`` in the given order, with one fixed timestamp and fixed compression."""
    year = max(when.year, 1980)
    dos_time = when.hour << 11 | when.minute << 5 | when.second // 2
    dos_date = (year - 1980) << 9 | when.month << 5 | when.day
    out = io.BytesIO()
    directory = []
    for name, data in members:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        crc, packed = _deflate(data)
        if len(data) >= 0xFFFFFFFF or out.tell() >= 0xFFFFFFFF:
            raise ValueError("package too large for a zip without ZIP64")
        fields = (flags, zipfile.ZIP_DEFLATED, dos_time, dos_date, crc, len(packed), len(data), len(encoded))
        directory.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", VERSION, 0, VERSION, 0, *fields, 0, 0, 0, 0,
                                     EXTERNAL_ATTR, out.tell()) + encoded)
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", VERSION, 0, *fields, 0))
        out.write(encoded)
        out.write(packed)
    start = out.tell()
    for entry in directory:
        out.write(entry)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), out.tell() - start, start, 0))
    return out.getvalue()


def zipfile_members(members: Iterable[tuple[str, bytes]], when: _dt.datetime) -> bytes:
    """The same zip written by ``zipfile``: the reference ``write_members`` matches byte for byte."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members:
            member = zipfile.ZipInfo(name, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = EXTERNAL_ATTR
            member.create_system = 0
            dst.writestr(member, data, compresslevel=LEVEL)
    return out.getvalue()


def deterministic_zip(data: bytes, when: _dt.datetime) -> bytes:
    """Rewrite a zip package with one fixed timestamp and fixed compression, members in their order."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return write_members(((info.filename, src.read(info.filename)) for info in src.infolist()), when)


def package_bytes(package, when: _dt.datetime) -> bytes:
    """A python-docx package written straight into the byte-stable zip.

    The members and their order are python-docx's own (``OpcPackage.save``): content
    types, package rels, then each part followed by its rels; so this gives the same
    bytes as saving and passing the result through ``deterministic_zip``, compressing once.
    Raises ImportError if python-docx no longer has the content-types writer.
    """
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    parts = package.parts
    for part in parts:
        part.before_marshal()
    members = [
        (CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob),
        (PACKAGE_URI.rels_uri.membername, package.rels.xml),
    ]
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if len(part.rels):
            members.append((part.partname.rels_uri.membername, part.rels.xml))
    return write_members(members, when)
