"""Tell what kind of file a user handed us from its first bytes."""

from __future__ import annotations

import codecs
from enum import Enum

from xlperf.ooxml.cfb import CFB_MAGIC

HEAD_SIZE = 8192


class FileKind(Enum):
    EMPTY = "empty"
    ZIP = "zip"
    CFB = "cfb"  # OLE compound file: .xls, or an encrypted OOXML package
    HTML = "html"
    SPREADSHEET_XML = "spreadsheet-xml"  # Excel 2003 XML
    TEXT = "text"
    UNKNOWN = "unknown"


_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_TEXT_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def sniff(head: bytes) -> FileKind:
    """Classify a file from its first ``HEAD_SIZE`` bytes."""
    if not head:
        return FileKind.EMPTY
    if head.startswith(_ZIP_MAGICS):
        return FileKind.ZIP
    if head.startswith(CFB_MAGIC):
        return FileKind.CFB
    text = _as_text(head)
    if text is None:
        return FileKind.UNKNOWN
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered and lowered.startswith("<?xml"):
        return FileKind.SPREADSHEET_XML
    if lowered.startswith(("<!doctype html", "<html", "<table", "<meta")) or "<html" in lowered[:512]:
        return FileKind.HTML
    return FileKind.TEXT


def _as_text(head: bytes) -> str | None:
    """Decode ``head`` as text if it plausibly is text (the end may cut a character)."""
    if head.startswith(_TEXT_BOMS[1:]):
        return head.decode("utf-16", "replace")
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text
    return None


def _mostly_printable(text: str) -> bool:
    if not text:
        return False
    control = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f")
    return control <= len(text) // 100
