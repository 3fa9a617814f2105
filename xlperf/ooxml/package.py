"""Opening a user's workbook package safely and reading only the parts asked for."""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from xlperf.errors import WorkbookError
from xlperf.ooxml import cfb
from xlperf.ooxml.limits import (
    DEFAULT_LIMITS,
    ZipLimits,
    bomb_message,
    declared_violation,
)
from xlperf.ooxml.oserrors import os_reason
from xlperf.ooxml.sheetscan import contains_formula
from xlperf.ooxml.sniff import HEAD_SIZE, FileKind, sniff
from xlperf.ooxml.xmlsafe import UNSAFE_XML_MESSAGE, BadXml, Item, UnsafeXml, items

CONTENT_TYPES_PART = "[Content_Types].xml"
DEFAULT_WORKBOOK_PART = "xl/workbook.xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
CORRUPT_MESSAGE = "文件已损坏（压缩包不完整）"
NOT_A_WORKBOOK = "不是 Excel 工作簿"

_CHUNK = 1 << 20
_SMALL = 4 << 20  # members declared this small are read in one piece (Package._small)
_IN_MEMORY = 16 << 20  # files this small are read in one go and their members taken from memory
_PLAIN_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_SPECIAL_FLAGS = 0x1 | 0x20 | 0x40  # encrypted, patched, strongly encrypted: left to zipfile, which refuses them
_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")  # signature, flags, name length, extra length
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError,
               NotImplementedError, RuntimeError, OSError)

_KIND_MESSAGES = {
    FileKind.TEXT: "不是 Excel 工作簿（看起来是文本/CSV 文件）",
    FileKind.HTML: "不是 Excel 工作簿（看起来是网页/HTML 文件），请在 Excel 中另存为 .xlsx 后再试",
    FileKind.SPREADSHEET_XML: "是 Excel 2003 XML 表格，请在 Excel 中另存为 .xlsx 后再试",
    FileKind.UNKNOWN: "不是 Excel 工作簿（无法识别的文件格式）",
}
_OTHER_OFFICE = {"word/": "是 Word 文档", "ppt/": "是 PowerPoint 演示文稿"}
_WORKBOOK_ITEMS = frozenset({"sheet", "definedName"})  # what workbook.xml is read for, wherever they are
_PARSED: dict[tuple, list[Item]] = {}  # (part bytes, what was asked) → Items, see Package._items
_PARSED_MAX, _PARSED_MAX_BYTES = 128, 64 * 1024


def _in_one_piece(info: zipfile.ZipInfo) -> bool:
    """Is this member read by ``Package._small`` (rather than streamed through ``zipfile``)?"""
    return info.file_size <= _SMALL and info.compress_type in _PLAIN_METHODS and not info.flag_bits & _SPECIAL_FLAGS


def _rel_type(attrib: dict[str, str]) -> str:
    return attrib.get("Type", "").rsplit("/", 1)[-1]


def _resolve(folder: str, target: str) -> str:
    """Resolve a relationship target against the folder of the part that owns the relationship."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    """An opened .xlsx/.xlsm: its zip directory, workbook structure and bounded part reads.

    Use as a context manager (or call ``close()``); batch runs open thousands of these.
    """

    def __init__(self, path: str, fp: BinaryIO, archive: zipfile.ZipFile, limits: ZipLimits, source: BinaryIO | None = None):
        self.path = path
        self.archive_file = fp  # the raw file, for copying compressed members unchanged
        self._source = fp if source is None else source  # where members are read from: the file, or its bytes in memory
        self._zip = archive
        self._limits = limits
        self.infos: list[zipfile.ZipInfo] = archive.infolist()
        self.comment: bytes = archive.comment
        self._by_name = {info.filename: info for info in self.infos}
        self._read_sizes: dict[str, int] = {}  # part → decompressed size, for the total budget
        self._read_total = 0  # sum of _read_sizes
        self._formulas: bool | None = None
        self._content_types: list[Item] = []  # [Content_Types].xml's elements, checked in _load
        self._types: tuple[dict[str, str], dict[str, str]] | None = None  # (defaults, overrides), see _type_index
        self.workbook_part = DEFAULT_WORKBOOK_PART
        self._sheets: list[tuple[str, str, str]] = []  # (name, part, relationship type)
        self._workbook_rels: dict[str, tuple[str, str]] = {}  # id → (part, relationship type)
        self._defined: list[tuple[str, str | None, str]] = []  # workbook.xml definedName: name, localSheetId, text
        self._digest: str | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._zip.close()
        self.archive_file.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def content(self) -> bytes:
        """The whole file as it was opened (the bytes every part here was read from)."""
        if isinstance(self._source, io.BytesIO):
            return self._source.getvalue()
        self._source.seek(0)
        return self._source.read()

    @property
    def digest(self) -> str:
        """SHA-256 of the file as opened: ``score`` compares it with the file just before replacing it."""
        if self._digest is None:
            self._digest = hashlib.sha256(self.content()).hexdigest()
        return self._digest

    # -- structure -------------------------------------------------------------------------

    def _load(self) -> None:
        """Read content types, the main relationship, workbook.xml and its relationships."""
        if CONTENT_TYPES_PART not in self._by_name:
            raise self._error(f"{NOT_A_WORKBOOK}（压缩包中没有 {CONTENT_TYPES_PART}）")
        self._content_types = self._items(CONTENT_TYPES_PART, depth=1)  # read and checked now, indexed when asked
        if "_rels/.rels" in self._by_name:
            for rel in self._items("_rels/.rels", depth=1):
                if _rel_type(rel.attrib) == "officeDocument" and rel.attrib.get("TargetMode") != "External":
                    self.workbook_part = _resolve("", rel.attrib.get("Target", ""))
                    break
        main = self.workbook_part
        for prefix, what in _OTHER_OFFICE.items():
            if main.startswith(prefix):
                raise self._error(f"{NOT_A_WORKBOOK}（{what}）")
        if main.endswith(".bin"):
            raise self._error("是二进制工作簿 (.xlsb)，请在 Excel 中另存为 .xlsx 后再试")
        if main not in self._by_name:
            raise self._error(f"{NOT_A_WORKBOOK}（压缩包中没有 {main}）")
        workbook = self._items(main, names=_WORKBOOK_ITEMS)
        rels = self._workbook_rels
        rels_part = _rels_part(main)
        if rels_part in self._by_name:
            folder = posixpath.dirname(main)
            for rel in self._items(rels_part, depth=1):
                if rel.attrib.get("TargetMode") != "External":
                    rels[rel.attrib.get("Id", "")] = (_resolve(folder, rel.attrib.get("Target", "")), _rel_type(rel.attrib))
        for element in workbook:
            if element.name == "definedName":
                self._defined.append((element.attrib.get("name", ""), element.attrib.get("localSheetId"), element.text or ""))
                continue
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            part, kind = rels.get(rid, ("", ""))
            self._sheets.append((element.attrib.get("name", ""), part, kind))

    @property
    def workbook_rels_part(self) -> str:
        return _rels_part(self.workbook_part)

    def workbook_related(self, kind: str) -> list[str]:
        """Parts the workbook relates to with relationship type ``kind`` (e.g. "calcChain")."""
        return [part for part, rel_kind in self._workbook_rels.values() if rel_kind == kind]

    def sheet_names(self) -> list[str]:
        """Sheet names in workbook (tab) order."""
        return [name for name, _part, _kind in self._sheets]

    def _sheet(self, name: str) -> tuple[str, str, str] | None:
        """The sheet named ``name``; like Excel, case-insensitively if there is no exact match."""
        for entry in self._sheets:
            if entry[0] == name:
                return entry
        folded = name.casefold()
        return next((entry for entry in self._sheets if entry[0].casefold() == folded), None)

    def sheet_part(self, name: str) -> str:
        """The zip member holding sheet ``name``, e.g. ``xl/worksheets/sheet2.xml``."""
        entry = self._sheet(name)
        if entry is not None:
            sheet, part, _kind = entry
            if part not in self._by_name:
                raise self._error(f"工作表“{sheet}”的内容缺失（压缩包中没有 {part or '对应部件'}）")
            return part
        raise self._error(f"没有名为“{name}”的工作表；现有工作表：{'、'.join(self.sheet_names())}")

    def is_worksheet(self, name: str) -> bool:
        """True for a grid worksheet (not a chart sheet, dialog or macro sheet)."""
        entry = self._sheet(name)
        return entry is not None and entry[2] == "worksheet"

    def worksheet_parts(self) -> list[str]:
        return [part for _name, part, kind in self._sheets if kind == "worksheet" and part in self._by_name]

    def defined_names(self) -> dict[str, str]:
        """Defined names → formula text; sheet-scoped names are keyed ``Sheet!name``."""
        names: dict[str, str] = {}
        sheets = self.sheet_names()
        for name, local, text in self._defined:
            if local is not None and local.isdigit() and int(local) < len(sheets):
                name = f"{sheets[int(local)]}!{name}"
            names[name] = text
        return names

    def content_type(self, part: str) -> str:
        defaults, overrides = self._type_index()
        if part in overrides:
            return overrides[part]
        return defaults.get(posixpath.splitext(part)[1].lstrip(".").lower(), "")

    def _type_index(self) -> tuple[dict[str, str], dict[str, str]]:
        """Content types by extension (Default) and by part (Override); built on first use,
        as reading a workbook's cells never asks for them."""
        if self._types is None:
            defaults: dict[str, str] = {}
            overrides: dict[str, str] = {}
            for item in self._content_types:
                if item.name == "Default":
                    defaults[item.attrib.get("Extension", "").lower()] = item.attrib.get("ContentType", "")
                elif item.name == "Override":
                    overrides[item.attrib.get("PartName", "").lstrip("/")] = item.attrib.get("ContentType", "")
            self._types = defaults, overrides
        return self._types

    @property
    def has_vba(self) -> bool:
        """The package carries a VBA project (vbaProject.bin)."""
        return any(self.content_type(info.filename) == VBA_CONTENT_TYPE for info in self.infos)

    @property
    def has_macro_content_type(self) -> bool:
        """The workbook part is declared macro-enabled (what Excel expects of an .xlsm)."""
        return "macroEnabled" in self.content_type(self.workbook_part)

    def has_formulas(self, skip: frozenset[str] | set[str] = frozenset()) -> bool:
        """True if any worksheet (other than ``skip``) holds a cell formula; stops at the first."""
        if not skip and self._formulas is not None:
            return self._formulas
        found = any(self._part_has_formula(part) for part in self.worksheet_parts() if part not in skip)
        if not skip:
            self._formulas = found
        return found

    def formula_xml(self, part: str) -> bytes | None:
        """The XML of worksheet ``part`` if it holds a cell formula, else None.

        A part read in one piece (see ``_small``) is decompressed once, for the test and
        for the caller; a larger one is scanned in chunks, as ``has_formulas`` does, and
        read whole only if it has a formula.
        """
        info = self._by_name.get(part)
        if info is not None and _in_one_piece(info):
            data = self.read(part)
            return data if contains_formula(data) else None
        return self.read(part) if self._part_has_formula(part) else None

    def _part_has_formula(self, part: str) -> bool:
        tail = b""
        for chunk in self._chunks(part):
            if contains_formula(tail + chunk):
                return True
            tail = chunk[-8:]
        return False

    # -- reading ---------------------------------------------------------------------------

    def has_part(self, part: str) -> bool:
        return part in self._by_name

    def read(self, part: str) -> bytes:
        """The decompressed bytes of ``part``, refusing to inflate past the size limits."""
        return b"".join(self._chunks(part))

    def _chunks(self, part: str) -> Iterator[bytes]:
        info = self._by_name.get(part)
        if info is None:
            raise self._error(f"文件已损坏（缺少部件 {part}）")
        others = self._read_total - self._read_sizes.get(part, 0)  # a part read again counts once
        budget = min(self._limits.max_member, self._limits.max_total - others)
        if _in_one_piece(info):
            data = self._small(info, part, budget)
            if data:
                yield data
            self._count(part, len(data))
            return
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > budget:
                        raise self._error(bomb_message(f"部件 {part} 解压后超过上限"))
                    yield chunk
        except _ZIP_ERRORS:
            raise self._error(f"文件已损坏（部件 {part} 无法解压）") from None
        self._count(part, size)

    def _count(self, part: str, size: int) -> None:
        self._read_total += size - self._read_sizes.get(part, 0)
        self._read_sizes[part] = size

    def _small(self, info: zipfile.ZipInfo, part: str, budget: int) -> bytes:
        """A small stored or deflated member in one piece, checked as ``zipfile`` checks it.

        ``ZipFile.open`` costs more than inflating a few KiB: it wraps the file, builds a
        stream object and reads in steps. This reads the local header (signature, name),
        inflates at most the declared size + 1 (never past the budget + 1), and then, like
        ``zipfile``, keeps the declared size and requires the CRC-32 of the directory.
        """
        fp = self._source
        try:
            fp.seek(info.header_offset)
            header = fp.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size:
                raise EOFError
            signature, flags, name_size, extra_size = _LOCAL_HEADER.unpack(header)
            if signature != b"PK\x03\x04":
                raise zipfile.BadZipFile("Bad magic number for file header")
            raw_name = fp.read(name_size)
            # As zipfile: decoded as the local flag says. ASCII reads the same in both codecs (and
            # the ascii codec is much cheaper than the cp437 one), so it is decoded as ASCII.
            name = raw_name.decode("ascii" if raw_name.isascii() else "utf-8" if flags & 0x800 else "cp437")
            if name != info.orig_filename:
                raise zipfile.BadZipFile("File name in directory and header differ")
            fp.seek(extra_size, os.SEEK_CUR)
            raw = fp.read(info.compress_size)
            cap = max(0, min(budget, info.file_size)) + 1
            out = zlib.decompressobj(-15).decompress(raw, cap) if info.compress_type == zipfile.ZIP_DEFLATED else raw[:cap]
        except _ZIP_ERRORS:
            raise self._error(f"文件已损坏（部件 {part} 无法解压）") from None
        if len(out) > budget:
            raise self._error(bomb_message(f"部件 {part} 解压后超过上限"))
        data = out[: info.file_size]
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise self._error(f"文件已损坏（部件 {part} 无法解压）")
        return data

    def _items(self, part: str, **which) -> list[Item]:
        """The elements of a structural part that ``_load`` needs (see ``xmlsafe.items``), checked whole.

        The part is always read (sizes, CRC); its parse is shared between packages whose
        part has the very same bytes, as the structural parts of a batch made from one
        template mostly do. Only parses that succeeded are kept, and their Items only read.
        """
        data = self.read(part)
        key = (data, tuple(sorted(which.items())))
        found = _PARSED.get(key)
        if found is not None:
            return found
        try:
            found = items(data, **which)
        except UnsafeXml:
            raise self._error(UNSAFE_XML_MESSAGE) from None
        except BadXml as exc:
            raise self._error(f"文件已损坏（{part} 不是有效的 XML：{exc}）") from None
        if len(data) <= _PARSED_MAX_BYTES:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[key] = found
        return found

    def _error(self, message: str) -> WorkbookError:
        return WorkbookError(message, path=self.path)


def open_package(path: str | os.PathLike[str], limits: ZipLimits = DEFAULT_LIMITS) -> Package:
    """Open ``path`` as a workbook package or raise WorkbookError saying, in Chinese, why not."""
    display = os.fspath(path)

    def error(message: str) -> WorkbookError:
        return WorkbookError(message, path=display)

    try:  # one stat for what os.path.exists and os.path.isfile would ask separately
        status = os.stat(display)
    except (OSError, ValueError):  # what os.path.exists reports as "does not exist"
        raise error("文件不存在") from None
    mode, size = status.st_mode, status.st_size
    if not stat.S_ISREG(mode):
        raise error("不是文件（是文件夹或特殊文件）")
    try:
        fp = open(display, "rb")
    except PermissionError:
        raise error("无法读取文件（没有权限，或文件正被其他程序独占打开）") from None
    except OSError as exc:
        raise error(os_reason(exc)) from None
    try:
        return _open(display, fp, limits, error, size)
    except BaseException:
        fp.close()
        raise


def _open(display: str, fp: BinaryIO, limits: ZipLimits, error, size: int) -> Package:
    head = fp.read(HEAD_SIZE)
    kind = sniff(head)
    if kind is FileKind.EMPTY:
        raise error("文件为空（0 字节）")
    if kind is FileKind.CFB:
        names = cfb.directory_names(fp)
        if {"EncryptionInfo", "EncryptedPackage"} & names:
            raise error("文件已加密（设置了打开密码），请在 Excel 中取消密码后再试")
        raise error("是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中另存为 .xlsx 后再试")
    if kind is not FileKind.ZIP:
        raise error(_KIND_MESSAGES[kind])
    # A workbook of a few MiB is read in one go: the directory and the parts read below then
    # cost no seeks and reads of the file each. A larger one is read from the file as needed.
    if size <= _IN_MEMORY and len(head) == min(size, HEAD_SIZE):
        source = io.BytesIO(head + fp.read(size - len(head)))
    else:
        fp.seek(0)
        source = fp
    try:
        archive = zipfile.ZipFile(source)
    except _ZIP_ERRORS:
        raise error(CORRUPT_MESSAGE) from None
    infos = archive.infolist()
    if len({info.filename for info in infos}) != len(infos):
        raise error("文件已损坏（压缩包中有重名的部件）")
    reason = declared_violation(infos, limits)
    if reason:
        raise error(bomb_message(reason))
    if any(info.flag_bits & 0x1 for info in infos):
        raise error(f"{NOT_A_WORKBOOK}（压缩包设置了密码）")
    package = Package(display, fp, archive, limits, source)
    package._load()
    return package
