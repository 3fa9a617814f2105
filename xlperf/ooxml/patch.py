"""Writing computed values into a user's workbook in place, keeping everything else as it was.

Only the worksheets that receive values are rewritten, and inside them only the edited
``<c>`` elements (plus ``<dimension>`` when it must grow).  workbook.xml changes only
in ``calcPr`` (``fullCalcOnLoad="1"`` when the workbook has formulas, so Excel and
LibreOffice recompute what depends on our cells).  When a formula cell receives a plain
value, Excel's calculation cache xl/calcChain.xml is dropped with its relationship and
content-type entry, because Excel reports a damaged file when the cache names a cell
that no longer holds a formula.  Every other member is copied as raw compressed bytes.
"""

from __future__ import annotations

import hashlib
import io
import numbers
import os
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import BinaryIO

from xlperf.errors import FileLockedError, WorkbookError
from xlperf.ooxml.atomic import AtomicWriteRefused, atomic_write, clean_orphans, fcntl
from xlperf.ooxml.cells import parse_ref
from xlperf.ooxml.cellvalue import CellValue, Formula
from xlperf.ooxml.limits import DEFAULT_LIMITS, ZipLimits
from xlperf.ooxml.lock import LOCKED_MESSAGE, denied_by_windows, ensure_unlocked
from xlperf.ooxml.package import CONTENT_TYPES_PART, Package, open_package
from xlperf.ooxml.sheetpatch import Position, grow_rows, patch_sheet
from xlperf.ooxml.sheetscan import SheetScanError, contains_formula
from xlperf.ooxml.workbookxml import full_calc_on_load, without_element
from xlperf.ooxml.oserrors import os_reason
from xlperf.ooxml.zipwrite import ZipWriteError, write_package

Edits = Mapping[str, Mapping[str, CellValue]]
Heights = Mapping[str, Mapping[int, float]]  # sheet → 1-based row → at least this many points
_VALUE_TYPES = (type(None), bool, int, float, Decimal, str, Formula)


def _positions(edits: Edits) -> dict[str, dict[Position, CellValue]]:
    """Sheet → {(row, col): value}; rejects malformed references and unsupported values."""
    result: dict[str, dict[Position, CellValue]] = {}
    for sheet, cells in edits.items():
        positions: dict[Position, CellValue] = {}
        for where, value in cells.items():
            if isinstance(value, numbers.Integral) and not isinstance(value, (bool, int)):
                value = int(value)  # numpy and similar integer types
            elif isinstance(value, numbers.Real) and not isinstance(value, (bool, int, float)):
                value = float(value)
            if not isinstance(value, _VALUE_TYPES):
                raise TypeError(f"{sheet}!{where}: cannot write {type(value).__name__} into a cell")
            position = parse_ref(where)
            if position in positions:
                raise ValueError(f"{sheet}!{where}: the same cell is given twice")
            positions[position] = value
        if positions:
            result[sheet] = positions
    return result


class _Plan:
    """What changes in the package: new bytes for some members, members to drop."""

    def __init__(self, package: Package):
        self.package = package
        self.replace: dict[str, bytes] = {}
        self.remove: set[str] = set()
        self.opened = os.fstat(package.archive_file.fileno())

    @property
    def unchanged(self) -> bool:
        return not self.replace and not self.remove

    def build(self, positions: dict[str, dict[Position, CellValue]], heights: Heights | None = None) -> None:
        removed_formula = self.patch_sheets(positions, heights or {})
        if self.replace:
            self.recalculate_on_load()
            if removed_formula:
                self.drop_calc_chain()

    def write(self, src: BinaryIO, out: BinaryIO) -> None:
        """Write the patched package; ``src`` is the original file (opened again if need be)."""
        try:
            write_package(src, self.package.infos, out, self.replace, self.remove, self.package.comment)
        except ZipWriteError as exc:
            raise WorkbookError(f"{exc}；文件未作任何修改", path=self.package.path) from None

    def patch_sheets(self, positions: dict[str, dict[Position, CellValue]], heights: Heights) -> bool:
        """Patch each sheet; True if some formula cell now holds a plain value."""
        removed_formula = False
        pkg = self.package
        seen: set[str] = set()
        for sheet, cells in positions.items():
            part = pkg.sheet_part(sheet)
            if part in seen:
                raise ValueError(f"sheet {sheet!r} is given twice (sheet names are case-insensitive)")
            seen.add(part)
            if not pkg.is_worksheet(sheet):
                raise WorkbookError(f"“{sheet}”不是普通工作表（例如图表工作表），不能写入单元格", path=pkg.path)
            original = pkg.read(part)
            try:
                result = patch_sheet(original, cells)
                data = grow_rows(result.data, heights.get(sheet, {}))
            except SheetScanError as exc:
                raise WorkbookError(f"{exc}；文件未作任何修改", path=pkg.path, where=f"工作表“{sheet}”") from None
            if data != original:
                self.replace[part] = data
            removed_formula |= result.removed_formula
        return removed_formula

    def recalculate_on_load(self) -> None:
        pkg = self.package
        patched = set(self.replace)
        if any(contains_formula(data) for data in self.replace.values()) or pkg.has_formulas(skip=patched):
            original = pkg.read(pkg.workbook_part)
            updated = full_calc_on_load(original)
            if updated != original:
                self.replace[pkg.workbook_part] = updated

    def drop_calc_chain(self) -> None:
        pkg = self.package
        chains = [part for part in pkg.workbook_related("calcChain") if pkg.has_part(part)]
        if not chains:
            return
        self.remove.update(chains)
        names = {"/" + part for part in chains}
        types = pkg.read(CONTENT_TYPES_PART)
        self.replace[CONTENT_TYPES_PART] = without_element(types, b"Override", b"PartName", names.__contains__)
        rels_part = pkg.workbook_rels_part
        rels = self.replace.get(rels_part) or pkg.read(rels_part)
        self.replace[rels_part] = without_element(
            rels, b"Relationship", b"Type", lambda kind: kind.rsplit("/", 1)[-1] == "calcChain"
        )


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as fp:
            return fp.read() == data
    except OSError:
        return False


CHANGED_MESSAGE = (
    "文件在读取之后被其他程序修改并保存过；为免覆盖其中的改动，本次未写入，文件保持其他程序保存的样子；请重新运行"
)
_LOCK_WAIT = 10.0  # seconds another xlperf may hold the file before we give up


def _lock(fp: BinaryIO, path: str) -> None:
    """An exclusive advisory lock on the file being replaced, so two xlperf runs cannot interleave."""
    if fcntl is None:
        return
    deadline = time.monotonic() + _LOCK_WAIT
    while True:
        try:
            fcntl.flock(fp.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise FileLockedError("文件正被另一个 xlperf 进程写入，请稍后再试；文件未作任何修改", path=path) from None
            time.sleep(0.05)


def _digest_of(fp: BinaryIO) -> str:
    fp.seek(0)
    digest = hashlib.sha256()
    while chunk := fp.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _write(target: str, render: Callable[[BinaryIO], None], before_replace: Callable[[], None] | None = None) -> None:
    """Atomically write ``target``; map OS problems to messages the user can act on."""
    ensure_unlocked(target)
    try:
        atomic_write(target, render, before_replace=before_replace)
    except AtomicWriteRefused as exc:
        raise WorkbookError(exc.reason, path=target) from None
    except PermissionError:
        if denied_by_windows(target):
            raise FileLockedError(LOCKED_MESSAGE, path=target) from None
        raise WorkbookError("没有权限写入该文件或其所在文件夹；文件未作任何修改", path=target) from None
    except OSError as exc:
        raise WorkbookError(f"{os_reason(exc)}；文件未作任何修改", path=target) from None


def _replace_in_place(source: str, plan: _Plan, expect: str) -> None:
    """Rewrite ``source`` from itself, under our lock, only if it still holds the bytes read (``expect``)."""
    try:
        fp = open(source, "rb")
    except FileNotFoundError:
        raise WorkbookError("文件在处理期间被移走或删除；未写入", path=source) from None
    with fp:
        _lock(fp, source)
        opened = os.fstat(fp.fileno())

        def still_same() -> None:
            try:
                now = os.stat(source)
            except OSError:
                now = None
            # Replaced by another file since (new inode), or written in place (``fp`` sees the new bytes).
            if now is None or (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino) or _digest_of(fp) != expect:
                raise WorkbookError(CHANGED_MESSAGE, path=source)

        still_same()  # before spending time on the render

        def render(out: BinaryIO) -> None:
            plan.write(fp, out)

        _write(source, render, before_replace=still_same)  # and again just before the replace


def _render_copy(plan: _Plan) -> bytes:
    """The bytes ``dst`` should hold: the patched package, or the source itself if nothing changes."""
    fp = plan.package.archive_file
    if plan.unchanged:
        fp.seek(0)
        return fp.read()
    buffer = io.BytesIO()
    plan.write(fp, buffer)
    return buffer.getvalue()


def patch_workbook(
    src: str | os.PathLike[str],
    edits: Edits,
    dst: str | os.PathLike[str] | None = None,
    *,
    limits: ZipLimits = DEFAULT_LIMITS,
    expect: str | None = None,
    heights: Heights | None = None,
) -> bool:
    """Write ``edits`` (sheet name → {cell ref → value}) into the workbook ``src``.

    With ``dst`` None, ``src`` is replaced atomically; otherwise ``dst`` is written and
    ``src`` left alone.  Returns False, writing nothing, when the file written would be
    byte-identical to what is already there.  Raises WorkbookError (unreadable workbook,
    unknown sheet, a cell that cannot be written safely) or FileLockedError (open in Excel).

    ``expect`` is the SHA-256 of ``src`` when the caller read it (``Package.digest``): if
    the file has been saved since, nothing is written (the values were computed from the
    old content). The replace itself re-checks the bytes under a lock just before it.

    ``heights`` (sheet → 1-based row → points) makes rows of edited sheets at least that tall,
    so wrapped text written into them shows whole on screen and in print.
    """
    source = os.fspath(src)
    target = os.fspath(dst) if dst is not None else source
    in_place = target == source or _same_file(source, target)
    positions = _positions(edits)
    clean_orphans(os.path.dirname(os.path.abspath(os.path.realpath(target))))  # left by a killed run, even if nothing is written now
    with open_package(source, limits) as pkg:
        if expect is not None and pkg.digest != expect:
            raise WorkbookError(CHANGED_MESSAGE, path=source)
        expect = pkg.digest
        plan = _Plan(pkg)
        plan.build(positions, heights)
        output = None if in_place else _render_copy(plan)
    if output is None:
        if plan.unchanged:
            return False
        _replace_in_place(source, plan, expect)
        return True
    if _same_bytes(target, output):
        return False
    _write(target, lambda out: out.write(output))
    return True
