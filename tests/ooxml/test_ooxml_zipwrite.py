"""Copying zip packages member by member, and the atomic file replacement under it."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from xlperf.ooxml.atomic import TEMP_PREFIX, atomic_write
from xlperf.ooxml.zipwrite import write_package


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then uses data descriptors, like Java and .NET writers."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        return len(data)


def _descriptor_zip() -> bytes:
    stream = _Unseekable()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.comment = "包注释".encode()
        archive.writestr("a.xml", b"<a>" + b"x" * 5000 + b"</a>", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("b.bin", bytes(range(256)), compress_type=zipfile.ZIP_STORED)
        info = zipfile.ZipInfo("c/名字.xml", date_time=(2023, 5, 17, 10, 20, 30))
        info.comment = b"member comment"
        info.external_attr = 0o644 << 16
        archive.writestr(info, "内容".encode(), compress_type=zipfile.ZIP_DEFLATED)
    return bytes(stream.buffer)


def _copy(data: bytes, replace=None, remove=frozenset()) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos, comment = archive.infolist(), archive.comment
    out = io.BytesIO()
    write_package(io.BytesIO(data), infos, out, replace or {}, remove, comment)
    return out.getvalue()


def test_plain_copy_is_byte_identical_for_a_compact_zip():
    data = _descriptor_zip()
    assert any(i.flag_bits & 0x08 for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert _copy(data) == data


def test_replacing_one_member_keeps_the_others_and_their_metadata():
    data = _descriptor_zip()
    out = _copy(data, {"a.xml": b"<a>new</a>", "b.bin": b"stored"}, remove={"c/名字.xml"})
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert archive.testzip() is None
        assert archive.comment == "包注释".encode()
        assert archive.namelist() == ["a.xml", "b.bin"]
        assert archive.read("a.xml") == b"<a>new</a>" and archive.read("b.bin") == b"stored"
        kinds = {i.filename: i.compress_type for i in archive.infolist()}
        assert kinds == {"a.xml": zipfile.ZIP_DEFLATED, "b.bin": zipfile.ZIP_STORED}
    out = _copy(data, {"a.xml": b"<a>new</a>"})
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(io.BytesIO(out)) as new:
        for before, after in zip(old.infolist(), new.infolist(), strict=True):
            assert (before.filename, before.date_time, before.comment, before.external_attr) == (
                after.filename, after.date_time, after.comment, after.external_attr)
        assert new.read("c/名字.xml") == "内容".encode()


def test_atomic_write_creates_and_replaces(tmp_path):
    path = tmp_path / "a.bin"
    atomic_write(path, lambda out: out.write(b"one"))
    assert path.read_bytes() == b"one"
    atomic_write(path, lambda out: out.write(b"two"))
    assert path.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["a.bin"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_atomic_write_modes(tmp_path):
    path = tmp_path / "new.bin"
    umask = os.umask(0o022)
    try:
        atomic_write(path, lambda out: out.write(b"x"))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o600)
    atomic_write(path, lambda out: out.write(b"y"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_atomic_write_failure_leaves_original_and_no_temp(tmp_path):
    path = tmp_path / "keep.bin"
    path.write_bytes(b"original")

    def half(out):
        out.write(b"partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic_write(path, half)
    assert path.read_bytes() == b"original"
    assert not list(Path(tmp_path).glob(TEMP_PREFIX + "*"))
    with pytest.raises(RuntimeError):
        atomic_write(tmp_path / "never.bin", half)
    assert sorted(os.listdir(tmp_path)) == ["keep.bin"]
