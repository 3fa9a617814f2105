"""The body of a shipped Word template, written from an ``outline`` onto ``style.base_document``.

Each outline block becomes styled paragraphs with docxtpl tags: a loop is a
``{%p for … %}`` paragraph, its body, and ``{%p endfor %}``; a table gets a repeated
header row, one ``{%tr for … %}`` row and a 合计 row. Offices then edit the .docx in Word.
"""

from __future__ import annotations

import copy
import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from xlperf.report import outline as o
from xlperf.report.package import deterministic_zip
from xlperf.report.style import FIXED_TIME, TABLE_STYLE_ID, base_document, landscape
from xlperf.report.style import style_by_id as _style_by_id


class _Writer:
    def __init__(self, doc):
        self.doc = doc
        self.landscape = False  # the annexes from the first landscape one on are in a landscape section

    def para(self, text: str = "", style: str = o.BODY):
        p = self.doc.add_paragraph(text)
        p.style = _style_by_id(self.doc, style)
        return p

    def tag(self, text: str) -> None:
        self.para(text)

    def write(self, blocks) -> None:
        for block in blocks:
            getattr(self, f"_{type(block).__name__.lower()}")(block)

    def _title(self, block: o.Title) -> None:
        self.tag("{%p for line in title.lines %}")
        self.para("{{ line }}", o.TITLE)
        self.tag("{%p endfor %}")
        self.para("")  # GB/T 9704 7.3.1: one blank line between the title and what follows

    def _heading(self, block: o.Heading) -> None:
        self.para(block.text, {1: o.H1, 2: o.H2, 3: o.H3}[block.level])

    def _para(self, block: o.Para) -> None:
        self.para(block.text, block.style)

    def _each(self, block: o.Each) -> None:
        self.tag(f"{{%p for {block.var} in {block.seq} %}}")
        self.para(f"{{{{ {block.var} }}}}", block.style)
        self.tag("{%p endfor %}")

    def _runins(self, block: o.RunIns) -> None:
        self.tag(f"{{%p for {block.var} in {block.seq} %}}")
        p = self.para("")
        head = p.add_run(f"{{{{ {block.var}.head }}}}")
        head.style = _style_by_id(self.doc, o.RUN_IN)
        p.add_run(f"{{{{ {block.var}.body }}}}")
        self.tag("{%p endfor %}")

    def _loop(self, block: o.Loop) -> None:
        self.tag(f"{{%p for {block.var} in {block.seq} %}}")
        self.write(block.body)
        self.tag("{%p endfor %}")

    def _when(self, block: o.When) -> None:
        self.tag(f"{{%p if {block.test} %}}")
        self.write(block.body)
        self.tag("{%p endif %}")

    def _figure(self, block: o.Figure) -> None:
        self.tag(f"{{%p if figures.{block.key} %}}")
        self.para(f"{{{{ figures.{block.key}.image }}}}", o.FIGURE)
        self.para(f"{{{{ figures.{block.key}.caption }}}}", o.CAPTION)
        self.tag("{%p endif %}")

    def _annex(self, block: o.Annex) -> None:
        if block.landscape and not self.landscape:
            self.landscape = True
            end = self.para("")  # ends the portrait section: a copy of the body's page setup in its pPr
            end._p.get_or_add_pPr().append(copy.deepcopy(self.doc.element.body.find(qn("w:sectPr"))))
            mark = self.para(block.mark, o.ANNEX_MARK)
            mark.paragraph_format.page_break_before = False  # the section starts a new page already
        else:
            self.para(block.mark, o.ANNEX_MARK)
        self.para(block.title, o.ANNEX_TITLE)

    def _signature(self, block: o.Signature) -> None:
        self.para("")
        self.tag("{%p for line in signature %}")
        self.para("{{ line }}", o.SIGNATURE)
        self.tag("{%p endfor %}")

    def _table(self, block: o.Table) -> None:
        cols = block.columns
        table = self.doc.add_table(rows=3 + block.header + (block.total_label is not None), cols=len(cols))
        table.style = _style_by_id(self.doc, TABLE_STYLE_ID)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        texts = [
            *([[c.header for c in cols]] if block.header else []),
            [f"{{%tr for r in {block.seq}.rows %}}"] + [""] * (len(cols) - 1),
            [f"{{{{ r.{c.field} }}}}" for c in cols],
            ["{%tr endfor %}"] + [""] * (len(cols) - 1),
        ]
        if block.total_label is not None:
            texts.append([block.total_label] + [f"{{{{ {block.total[c.field]} }}}}" if c.field in block.total else "" for c in cols[1:]])
        for r, row in enumerate(table.rows):
            head = block.header and r == 0
            _row_props(row, header=head)
            for c, cell in enumerate(row.cells):
                cell.width = Mm(cols[c].width_mm)
                p = cell.paragraphs[0]
                p.text = texts[r][c]
                p.style = _style_by_id(self.doc, o.TABLE_HEAD if head else o.TABLE_TEXT)
                if not head and cols[c].align == "center":
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fixed_layout(table, [c.width_mm for c in cols])


def _row_props(row, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _fixed_layout(table, widths_mm: list[float]) -> None:
    tblpr = table._tbl.tblPr  # python-docx set tblLayout fixed (autofit = False)
    width = tblpr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(round(Mm(w).twips) for w in widths_mm)))
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(round(Mm(w).twips)))


def build_template(profile_id: str) -> bytes:
    """The Word template of one profile, as deterministic bytes."""
    doc = base_document()
    sect = doc.element.body.find(qn("w:sectPr"))
    writer = _Writer(doc)
    writer.write(o.OUTLINES[profile_id])
    body = doc.element.body
    body.remove(sect)
    body.append(sect)
    if writer.landscape:
        landscape(sect)
    out = io.BytesIO()
    doc.save(out)
    return deterministic_zip(out.getvalue(), FIXED_TIME)
