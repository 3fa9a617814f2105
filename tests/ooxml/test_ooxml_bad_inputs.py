"""Files that are not workbooks xlperf can read: each gets a Chinese WorkbookError naming it."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter

from xlperf.errors import WorkbookError
from xlperf.ooxml import ZipLimits, open_package, patch_workbook
from xlperf.ooxml.cfb import CFB_MAGIC

CORPUS = Path(__file__).parent / "corpus"
CJK = re.compile("[\u4e00-\u9fff]")
MIB = 1 << 20


def workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.add_worksheet("表1").write("A1", "文本")
    wb.close()
    return buffer.getvalue()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def stored_zip(members: list[tuple[str, bytes, int | None, int]]) -> bytes:
    """A zip written by hand: (name, data, declared size or None, flag bits); lets headers lie."""
    out, central = io.BytesIO(), []
    for name, data, declared, flags in members:
        raw, size, crc, offset = name.encode(), len(data) if declared is None else declared, zlib.crc32(data), out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 0, 0, 0x21, crc, len(data), size, len(raw), 0) + raw + data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, 0, 0, 0x21, crc, len(data), size,
                                   len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
                             for i in range(1, 10))
                  + b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>')
XXE = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&e;</workbook>')


def with_member(name: str, data: bytes) -> bytes:
    members = members_of(workbook_bytes())
    members[name] = data
    return zip_of(members)


def without_member(name: str) -> bytes:
    members = members_of(workbook_bytes())
    del members[name]
    return zip_of(members)


def streamed_bomb(path: Path) -> None:
    """A 300 MiB member of zeros, compressed while streaming (about 1.3 MB on disk)."""
    zeros = bytes(MIB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in members_of(workbook_bytes()).items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(300):
                member.write(zeros)


def fake_encrypted_cfb() -> bytes:
    """A compound file whose directory cannot be walked, but which names the encryption streams."""
    names = b"".join(n.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for n in ("EncryptionInfo", "EncryptedPackage"))
    return CFB_MAGIC + b"\0" * 504 + names


def many_members() -> bytes:
    return zip_of({"[Content_Types].xml": b"<Types/>", **{f"x/{i}.bin": b"" for i in range(10_001)}})


def word_document() -> bytes:
    rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r"'
            b' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
            b' Target="word/document.xml"/></Relationships>')
    return zip_of({"[Content_Types].xml": b"<Types/>", "_rels/.rels": rels, "word/document.xml": b"<w/>"})


def lying_sizes() -> bytes:
    """[Content_Types].xml inflates past the size its headers declare."""
    members = members_of(workbook_bytes())
    parts = [(name, data, 40 if name == "[Content_Types].xml" else None, 0) for name, data in members.items()]
    return stored_zip(parts)


CASES = {
    # name: (file name, content maker or bytes, expected message fragment)
    "empty": ("空.xlsx", b"", "文件为空"),
    "truncated zip": ("截断.xlsx", lambda: workbook_bytes()[: len(workbook_bytes()) // 2], "文件已损坏（压缩包不完整）"),
    "zip header only": ("头.xlsx", b"PK\x03\x04" + b"\x00" * 40, "文件已损坏（压缩包不完整）"),
    "real xls": ("旧版.xlsx", (CORPUS / "legacy-libreoffice.xls").read_bytes(), "是旧版 Excel 97-2003 (.xls) 文件"),
    "encrypted (msoffcrypto)": ("加密.xlsx", (CORPUS / "encrypted-msoffcrypto.xlsx").read_bytes(), "文件已加密"),
    "encrypted (damaged directory)": ("加密2.xlsx", fake_encrypted_cfb, "文件已加密"),
    "csv utf-8": ("表.xlsx", "指标,分值\n产出数量,10\n".encode(), "看起来是文本/CSV 文件"),
    "csv gbk": ("表gbk.xlsx", "指标,分值\n产出数量,10\n".encode("gbk"), "看起来是文本/CSV 文件"),
    "csv with bom": ("表bom.xlsx", "\ufeff指标,分值\n".encode("utf-8"), "看起来是文本/CSV 文件"),
    "html export": ("网页.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
    "random bytes": ("乱码.xlsx", bytes(range(256)) * 4, "无法识别"),
    "zip bomb (declared)": ("炸弹.xlsx", None, "压缩炸弹"),
    "ratio bomb": ("比率.xlsx", lambda: with_member("xl/media/zeros.bin", bytes(2 * MIB)), "压缩比"),
    "too many members": ("多.xlsx", many_members, "超过上限 10000"),
    "header lies about size": ("谎报.xlsx", lying_sizes, "文件已损坏（部件 [Content_Types].xml 无法解压）"),
    "billion laughs": ("实体.xlsx", lambda: with_member("xl/workbook.xml", BILLION_LAUGHS), "不安全的 XML 内容（实体扩展）"),
    "external entity": ("外部实体.xlsx", lambda: with_member("xl/workbook.xml", XXE), "不安全的 XML 内容"),
    "entities in content types": ("类型.xlsx", lambda: with_member("[Content_Types].xml", BILLION_LAUGHS), "实体扩展"),
    "zip, not a workbook": ("压缩包.xlsx", lambda: zip_of({"说明.txt": "你好".encode()}), "不是 Excel 工作簿"),
    "no workbook part": ("缺.xlsx", lambda: without_member("xl/workbook.xml"), "不是 Excel 工作簿（压缩包中没有 xl/workbook.xml）"),
    "word document": ("文档.xlsx", word_document, "是 Word 文档"),
    "broken workbook xml": ("坏.xlsx", lambda: with_member("xl/workbook.xml", b"<workbook><sheets>"), "不是有效的 XML"),
    "password-protected zip": ("密码.xlsx", lambda: stored_zip([("[Content_Types].xml", b"<Types/>", None, 1)]), "压缩包设置了密码"),
    "duplicate members": ("重名.xlsx", lambda: stored_zip([("a.xml", b"1", None, 0), ("a.xml", b"2", None, 0)]), "重名"),
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def bad_file(request, tmp_path) -> tuple[Path, str]:
    name, content, fragment = CASES[request.param]
    path = tmp_path / name
    if content is None:
        streamed_bomb(path)
    else:
        path.write_bytes(content() if callable(content) else content)
    return path, fragment


def assert_refused(path: Path, fragment: str, action) -> None:
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as caught:
        action()
    message = str(caught.value)
    assert fragment in message
    assert str(path) in message and CJK.search(caught.value.message)
    assert path.read_bytes() == before


def test_open_package_refuses(bad_file):
    path, fragment = bad_file
    assert_refused(path, fragment, lambda: open_package(path))


def test_patch_workbook_refuses_and_changes_nothing(bad_file):
    path, fragment = bad_file
    assert_refused(path, fragment, lambda: patch_workbook(path, {"表1": {"A1": 1}}))
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_bomb_stays_small_on_disk(tmp_path):
    path = tmp_path / "bomb.xlsx"
    streamed_bomb(path)
    assert path.stat().st_size < 3 * MIB


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(WorkbookError, match="文件不存在") as caught:
        open_package(tmp_path / "无.xlsx")
    assert "无.xlsx" in str(caught.value)
    with pytest.raises(WorkbookError, match="不是文件"):
        open_package(tmp_path)


def test_total_size_limit(tmp_path):
    path = tmp_path / "大.xlsx"
    path.write_bytes(with_member("xl/media/a.bin", bytes(range(256)) * 4096))
    with pytest.raises(WorkbookError, match="解压后共"):
        open_package(path, ZipLimits(max_total=MIB // 2))


def test_limit_is_enforced_while_reading(tmp_path):
    """Headers that understate a member's size do not get past the reader's own cap."""
    path = tmp_path / "读.xlsx"
    path.write_bytes(workbook_bytes())
    with open_package(path, ZipLimits(max_member=MIB, max_total=2 * MIB)) as pkg:
        pkg._limits = ZipLimits(max_member=100, max_total=100)  # as if the directory had lied
        with pytest.raises(WorkbookError, match="压缩炸弹"):
            pkg.read("xl/styles.xml")
