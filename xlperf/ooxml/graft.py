"""Adding new worksheets to a user's workbook, changing nothing that is already there.

``graft_sheets`` takes worksheets from a *donor* package (a small workbook xlperf
has just built with xlsxwriter, e.g. the 运行监控 sheet) and adds them after the
user's sheets.  Every existing member is copied as raw compressed bytes, except
four that must name the new sheets, and only by insertion:

* ``workbook.xml`` gains one ``<sheet>`` per new sheet at the end of ``<sheets>``
  (so ``localSheetId`` of the user's defined names still points at the same sheets);
* its relationships part gains one ``Relationship`` per sheet;
* ``[Content_Types].xml`` gains one ``Override`` per sheet;
* ``styles.xml`` gains the donor's fonts, fills, borders, number formats and cell
  formats, appended after the user's (the user's indexes do not move; the new
  sheets' ``s=`` attributes are renumbered to the appended formats).

The donor's shared strings become inline strings in the new sheets, so the
user's ``sharedStrings.xml`` is not touched.  Cell edits on existing sheets (the
stage marker) go through ``sheetpatch`` as in ``patch``.  The write is the same
as ``patch_workbook``'s: atomic, under a lock, and only if the file still holds
the bytes that were read; file mode and metadata are kept.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from xlperf.errors import WorkbookError
from xlperf.ooxml.atomic import clean_orphans
from xlperf.ooxml.cellvalue import CellValue
from xlperf.ooxml.limits import DEFAULT_LIMITS
from xlperf.ooxml.package import CONTENT_TYPES_PART, Package, open_package
from xlperf.ooxml.patch import (
    CHANGED_MESSAGE,
    _Plan,
    _positions,
    _replace_in_place,
    _same_bytes,
    _write,
)
from xlperf.ooxml.zipwrite import ZipWriteError, write_package

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_REL = REL_NS + "/worksheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLE_COLLECTIONS = ("numFmts", "fonts", "fills", "borders", "cellXfs")
_CHILD = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf"}


class _Donor:
    """The donor package (xlsxwriter output): its sheets, styles and shared strings, by name."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        ns = {"m": MAIN_NS, "r": REL_NS}
        workbook = ElementTree.fromstring(self.zip.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        self.sheets: dict[str, tuple[str, str | None]] = {}  # name → (part, state)
        for sheet in workbook.find("m:sheets", ns):
            part = "xl/" + targets[sheet.get(f"{{{REL_NS}}}id")].lstrip("/").removeprefix("xl/")
            self.sheets[sheet.get("name")] = (part, sheet.get("state"))
        self.strings: list[str] = []
        if "xl/sharedStrings.xml" in self.zip.namelist():
            for si in ElementTree.fromstring(self.zip.read("xl/sharedStrings.xml")):
                self.strings.append("".join(t.text or "" for t in si.iter(f"{{{MAIN_NS}}}t")))
        self.styles = self.zip.read("xl/styles.xml").decode("utf-8")

    def children(self, collection: str) -> list[str]:
        """The raw XML of the children of a styles collection (xlsxwriter writes no prefixes)."""
        m = re.search(rf"<{collection}\b[^>]*?(?:/>|>(.*?)</{collection}>)", self.styles, re.DOTALL)
        if not m or not m.group(1):
            return []
        child = _CHILD[collection]
        return re.findall(rf"<{child}\b[^>]*/>|<{child}\b(?:[^>]*[^/>])?>.*?</{child}>", m.group(1), re.DOTALL)


def _attr(xml: str, name: str) -> str | None:
    m = re.search(rf'\b{name}="([^"]*)"', xml)
    return m.group(1) if m else None


def _set_attr(xml: str, name: str, value: str) -> str:
    return re.sub(rf'\b{name}="[^"]*"', f'{name}="{value}"', xml, count=1)


def _prefixed(xml: str, prefix: str) -> str:
    """Give the elements of a fragment the namespace prefix the user's part uses (``x:``), if any."""
    return re.sub(r"<(/?)(?=[A-Za-z])", rf"<\1{prefix}", xml) if prefix else xml


class _Styles:
    """Appends the donor's formats to the user's styles.xml; maps donor xf index → user xf index."""

    def __init__(self, user: str, donor: _Donor):
        self.xml = user
        m = re.search(r"<(\w+:)?styleSheet\b", user)
        if m is None:
            raise WorkbookError("工作簿的样式部件（styles.xml）无法识别；文件未作任何修改")
        self.prefix = m.group(1) or ""
        self.donor = donor
        self.xf_map: dict[int, int] = {0: 0}  # donor default → the user's default look

    def _collection(self, name: str) -> re.Match | None:
        p = re.escape(self.prefix)
        return re.search(rf"<{p}{name}\b([^>]*?)(/?)>", self.xml)

    def _count(self, name: str) -> int:
        m = self._collection(name)
        if m is None:
            return 0
        if m.group(2):  # <fonts count="0"/>
            return 0
        end = self.xml.index(f"</{self.prefix}{name}>", m.end())
        child = re.escape(self.prefix + _CHILD[name])
        return len(re.findall(rf"<{child}\b[^>]*?(?:/>|>)", self.xml[m.end():end])) if name != "numFmts" else \
            len(re.findall(rf"<{child}\b", self.xml[m.end():end]))

    def _append(self, name: str, fragments: list[str]) -> None:
        if not fragments:
            return
        body = "".join(_prefixed(f, self.prefix) for f in fragments)
        total = self._count(name) + len(fragments)
        m = self._collection(name)
        tag = self.prefix + name
        if m is None:  # only numFmts may be missing; it is the first child of styleSheet
            root = re.search(r"<(\w+:)?styleSheet\b[^>]*>", self.xml)
            self.xml = self.xml[:root.end()] + f'<{tag} count="{total}">{body}</{tag}>' + self.xml[root.end():]
            return
        attrs = m.group(1)
        attrs = _set_attr(attrs, "count", str(total)) if _attr(attrs, "count") is not None else attrs
        if m.group(2):
            self.xml = self.xml[:m.start()] + f"<{tag}{attrs}>{body}</{tag}>" + self.xml[m.end():]
            return
        end = self.xml.index(f"</{tag}>", m.end())
        self.xml = self.xml[:m.start()] + f"<{tag}{attrs}>" + self.xml[m.end():end] + body + self.xml[end:]

    def _user_font_name(self) -> str | None:
        m = self._collection("fonts")
        if m is None or m.group(2):
            return None
        name = re.search(rf'<{re.escape(self.prefix)}name\s+val="([^"]*)"', self.xml[m.end():])
        return name.group(1) if name else None

    def merge(self) -> None:
        donor = self.donor
        base = {name: self._count(name) for name in ("fonts", "fills", "borders", "cellXfs")}
        used_fmt_ids = [int(x) for x in re.findall(r'numFmtId="(\d+)"', self.xml)]
        next_fmt = max([163, *used_fmt_ids]) + 1
        fmt_map, numfmts = {}, []
        for fmt in donor.children("numFmts"):
            old = int(_attr(fmt, "numFmtId"))
            fmt_map[old] = next_fmt
            numfmts.append(_set_attr(fmt, "numFmtId", str(next_fmt)))
            next_fmt += 1
        font_name = self._user_font_name()
        fonts = donor.children("fonts")
        if font_name:  # the new sheets in the workbook's own typeface, not xlsxwriter's Calibri
            fonts = [re.sub(r'<name val="[^"]*"/>', f"<name val={quoteattr(font_name)}/>",
                            re.sub(r"<(family|scheme) [^>]*/>", "", f)) for f in fonts]
        xfs = []
        for i, xf in enumerate(donor.children("cellXfs")):
            if i == 0:
                continue
            for attr, key in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
                xf = _set_attr(xf, attr, str(base[key] + int(_attr(xf, attr) or 0)))
            fmt = int(_attr(xf, "numFmtId") or 0)
            xf = _set_attr(xf, "numFmtId", str(fmt_map.get(fmt, fmt)))
            xf = _set_attr(xf, "xfId", "0")
            self.xf_map[i] = base["cellXfs"] + len(xfs)
            xfs.append(xf)
        self._append("numFmts", numfmts)
        self._append("fonts", fonts)
        self._append("fills", donor.children("fills"))
        self._append("borders", donor.children("borders"))
        self._append("cellXfs", xfs)


def _sheet_xml(xml: str, donor: _Donor, xf_map: Mapping[int, int]) -> str:
    """A donor sheet made self-contained: inline strings, the user's style indexes, not tab-selected."""
    if "<conditionalFormatting" in xml or "<drawing" in xml or "<legacyDrawing" in xml:
        raise ValueError("graft_sheets: donor sheets with conditional formats or drawings are not supported")

    def inline(m: re.Match) -> str:
        text = donor.strings[int(m.group(3))]
        return f'<c{m.group(1)}t="inlineStr"{m.group(2)}><is><t xml:space="preserve">{escape(text)}</t></is></c>'

    xml = re.sub(r'<c\b([^>]*?)t="s"([^>]*)><v>(\d+)</v></c>', inline, xml)
    remap = lambda m: f'{m.group(1)}{xf_map.get(int(m.group(2)), 0)}"'
    xml = re.sub(r'(<c\b[^>]*?\bs=")(\d+)"', remap, xml)
    xml = re.sub(r'(<row\b[^>]*?\bs=")(\d+)"', remap, xml)
    xml = re.sub(r'(<col\b[^>]*?\bstyle=")(\d+)"', remap, xml)
    return xml.replace(' tabSelected="1"', "")


def _free_name(taken: set[str], pattern: str) -> str:
    n = 1
    while pattern.format(n).lower() in taken:
        n += 1
    return pattern.format(n)


class _GraftPlan(_Plan):
    """``patch``'s plan plus new members."""

    def __init__(self, package: Package):
        super().__init__(package)
        self.add: dict[str, bytes] = {}
        self.added: list[str] = []  # names of the sheets added

    @property
    def unchanged(self) -> bool:
        return super().unchanged and not self.add

    def write(self, src, out) -> None:
        try:
            write_package(src, self.package.infos, out, self.replace, self.remove, self.package.comment, add=self.add)
        except ZipWriteError as exc:
            raise WorkbookError(f"{exc}；文件未作任何修改", path=self.package.path) from None

    def graft(self, donor: _Donor, names: list[str]) -> None:
        pkg = self.package
        existing = {n.casefold() for n in pkg.sheet_names()}
        names = [n for n in names if n.casefold() not in existing]
        if not names:
            return
        self.added = names
        wb_part, rels_part = pkg.workbook_part, pkg.workbook_rels_part
        workbook = (self.replace.get(wb_part) or pkg.read(wb_part)).decode("utf-8")
        if "purl.oclc.org/ooxml" in workbook:
            raise WorkbookError("工作簿是“严格 Open XML”格式，无法添加工作表；请在 Excel 中另存为普通 .xlsx 后再试", path=pkg.path)
        rels = (pkg.read(rels_part) if pkg.has_part(rels_part) else b"").decode("utf-8")
        types = pkg.read(CONTENT_TYPES_PART).decode("utf-8")
        styles_part = next((p for p in pkg.workbook_related("styles") if pkg.has_part(p)), None)
        if styles_part is None:
            raise WorkbookError("工作簿没有样式部件（styles.xml），无法添加工作表；请在 Excel 中打开并另存后再试", path=pkg.path)
        styles = _Styles(pkg.read(styles_part).decode("utf-8"), donor)
        styles.merge()

        taken = {info.filename.lower() for info in pkg.infos}
        ids = set(re.findall(r'\bId="([^"]+)"', rels))
        sheet_ids = [int(x) for x in re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bsheetId="(\d+)"', workbook)]
        next_id = max(sheet_ids, default=0) + 1
        root = re.search(r"<(?:\w+:)?workbook\b[^>]*>", workbook)
        bound = re.search(r'xmlns:(\w+)="' + re.escape(REL_NS) + '"', root.group(0) if root else "")
        rel_attr = f"{bound.group(1)}:id" if bound else f'xmlns:r="{REL_NS}" r:id'
        close = re.search(r"</(\w+:)?sheets>", workbook)
        if close is None:
            raise WorkbookError("工作簿的 workbook.xml 没有工作表列表，无法添加工作表", path=pkg.path)
        prefix = close.group(1) or ""
        folder = os.path.dirname(wb_part)
        new_sheets, new_rels, new_types = [], [], []
        for name in names:
            part, state = donor.sheets[name]
            full = _free_name(taken, f"{folder}/worksheets/sheet{{}}.xml" if folder else "worksheets/sheet{}.xml")
            target = full[len(folder) + 1:] if folder else full
            taken.add(full.lower())
            rid = _free_name({i.lower() for i in ids}, "rIdX{}")
            ids.add(rid)
            self.add[full] = _sheet_xml(donor.zip.read(part).decode("utf-8"), donor, styles.xf_map).encode("utf-8")
            hidden = f' state="{state}"' if state else ""
            new_sheets.append(f'<{prefix}sheet name={quoteattr(name)} sheetId="{next_id}"{hidden} {rel_attr}="{rid}"/>')
            next_id += 1
            new_rels.append(f'<Relationship Id="{rid}" Type="{WORKSHEET_REL}" Target="{target}"/>')
            new_types.append(f'<Override PartName="/{full}" ContentType="{WORKSHEET_TYPE}"/>')
        workbook = workbook[:close.start()] + "".join(new_sheets) + workbook[close.start():]
        self.replace[wb_part] = workbook.encode("utf-8")
        self.replace[rels_part] = _insert_before_close(rels, "Relationships", new_rels)
        self.replace[CONTENT_TYPES_PART] = _insert_before_close(types, "Types", new_types)
        self.replace[styles_part] = styles.xml.encode("utf-8")


def _insert_before_close(xml: str, root: str, fragments: list[str]) -> bytes:
    m = None
    for m in re.finditer(rf"</(\w+:)?{root}>", xml):
        pass
    if m is None:
        raise WorkbookError(f"工作簿的 {root} 部件无法识别；文件未作任何修改")
    body = "".join(_prefixed(f, m.group(1) or "") for f in fragments)
    return (xml[:m.start()] + body + xml[m.start():]).encode("utf-8")


def graft_sheets(
    src: str | os.PathLike[str],
    donor: bytes,
    names: list[str],
    edits: Mapping[str, Mapping[str, CellValue]] | None = None,
    dst: str | os.PathLike[str] | None = None,
    *,
    expect: str | None = None,
) -> list[str]:
    """Add the donor's sheets ``names`` that ``src`` lacks (in that order, after the user's), and write ``edits``.

    With ``dst`` None ``src`` is replaced atomically (lock, unchanged-bytes check, mode kept);
    otherwise ``dst`` is written and ``src`` left alone. Returns the names of the sheets added.
    ``expect``: the SHA-256 of ``src`` when the caller read it; nothing is written if it has changed since.
    """
    source = os.fspath(src)
    target = os.fspath(dst) if dst is not None else source
    in_place = target == source or os.path.exists(target) and os.path.samefile(source, target)
    clean_orphans(os.path.dirname(os.path.abspath(os.path.realpath(target))))
    donated = _Donor(donor)
    with open_package(source, DEFAULT_LIMITS) as pkg:
        if expect is not None and pkg.digest != expect:
            raise WorkbookError(CHANGED_MESSAGE, path=source)
        expect = pkg.digest
        plan = _GraftPlan(pkg)
        plan.patch_sheets(_positions(edits or {}), {})
        plan.graft(donated, names)
        added = plan.added
        if not in_place:
            buffer = io.BytesIO()
            if plan.unchanged:
                pkg.archive_file.seek(0)
                buffer.write(pkg.archive_file.read())
            else:
                plan.write(pkg.archive_file, buffer)
            output = buffer.getvalue()
    if in_place:
        if not plan.unchanged:
            _replace_in_place(source, plan, expect)
        return added
    if not _same_bytes(target, output):
        _write(target, lambda out: out.write(output))
    return added


__all__ = ["CHANGED_MESSAGE", "graft_sheets"]
