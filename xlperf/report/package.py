"""Byte-stable .docx packages: the same parts always give the same zip."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile


def deterministic_zip(data: bytes, when: _dt.datetime) -> bytes:
    """Rewrite a zip package with one fixed timestamp and fixed compression, members in their order."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            member.create_system = 0
            dst.writestr(member, src.read(info.filename), compresslevel=6)
    return out.getvalue()
