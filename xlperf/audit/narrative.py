"""A narrative report as numbered paragraphs: .docx (body and table rows), .txt, .md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xlperf.errors import XlperfError

SUFFIXES = (".docx", ".txt", ".md")
_MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|[-*+]\s+|>\s*)|\*\*|__|<[^>]+>|\\(?=[*_#|])")
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\|?\s*:?-{3,}.*)$")


@dataclass
class Paragraph:
    """One numbered paragraph (1-based); ``anchor`` is the python-docx object a comment attaches to."""

    no: int
    text: str
    table: bool = False  # a table row, cells joined by " | "
    cells: tuple[str, ...] = ()  # a table row's cells
    anchor: object = field(default=None, repr=False, compare=False)


def read_narrative(path: Path) -> list[Paragraph]:
    path = Path(path)
    if not path.is_file():
        raise XlperfError("找不到文件", path=str(path))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path)
    if suffix in (".txt", ".md"):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise XlperfError("无法识别文本编码（应为 UTF-8 或 GBK）", path=str(path))
        return _lines(text, markdown=suffix == ".md")
    if suffix == ".doc":
        raise XlperfError("是旧版 Word 97-2003 (.doc) 文件，请在 Word 或 WPS 中另存为 .docx 后再试", path=str(path))
    raise XlperfError("不支持的报告类型，请给出 .docx、.txt 或 .md 文件", path=str(path))


def _lines(text: str, markdown: bool) -> list[Paragraph]:
    out: list[Paragraph] = []
    for line in text.splitlines():
        table, cells = False, ()
        if markdown:
            if _MD_RULE.match(line):
                continue
            if line.lstrip().startswith("|"):
                table = True
                cells = tuple(_MD_MARKUP.sub("", c).strip() for c in line.strip().strip("|").split("|"))
                line = " | ".join(cells)
            line = _MD_MARKUP.sub("", line)
        line = line.strip()
        if line:
            out.append(Paragraph(len(out) + 1, line, table, cells))
    return out


def _docx(path: Path) -> list[Paragraph]:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        doc = Document(str(path))
    except Exception as exc:  # not a Word package, damaged, encrypted
        raise XlperfError(f"无法作为 Word 文档打开（{type(exc).__name__}）", path=str(path)) from None
    out: list[Paragraph] = []
    for block in doc.iter_inner_content():
        if isinstance(block, DocxParagraph):
            text = block.text.strip()
            if text:
                out.append(Paragraph(len(out) + 1, text, False, (), block))
        elif isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(cell.text.strip())
                if any(cells):
                    first = next((p for c in row.cells for p in c.paragraphs if p.runs), None)
                    out.append(Paragraph(len(out) + 1, " | ".join(cells), True, tuple(cells), first))
    return out
