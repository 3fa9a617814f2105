"""Helpers for the Excel-button tests: workbooks made by the CLI, remote-engine payloads, an action applier.

xlwings' remote-interpreter engine (``xlwings/pro/_xlremote.py``) builds a real
``xw.Book`` from the JSON an Excel client sends (``xw.Book(json=payload)``) and
records what it would send back (``book.json()["actions"]``). The payload here is
what the Office Scripts client shipped with xlwings sends (``xlwings/js/xlwings.ts``,
``runPython``): ``client``, ``version``, ``book`` {name, active_sheet_index,
selection}, ``names`` [{name, sheet_index, address, scope_sheet_name,
scope_sheet_index, book_scope}], ``sheets`` [{name, values (from A1 to the last
used cell, "" for empty, dates as ISO text), pictures, tables}].
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from xlperf import jsonio
from xlperf.cli import cli
from xlperf.model import Evaluation, FundRow, Funds, Indicator, ProjectInfo
from xlperf.ooxml.package import open_package
from xlperf.workbook.reader import parse_name

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "xlperf" / "examples" / "ningde2018.json"
MACROS = ROOT / "xlperf" / "macros" / "xlperf.bas"
OFFICE_SCRIPTS = "Microsoft Office Scripts"
_ADDRESS = re.compile(r"^=?(?:'(?:[^']|'')+'|[^'!:]+)!(.+)$")


# ---------------------------------------------------------------------------
# Workbooks, made and scored by the command line
# ---------------------------------------------------------------------------


def run_cli(*args) -> Any:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result


def new_workbook(tmp_path: Path, data: Path, name: str = "自评表.xlsm") -> Path:
    """``xlperf new --xlsm --data DATA -o NAME``: the macro-enabled workbook staff get."""
    path = tmp_path / name
    run_cli("new", "--xlsm", "--data", data, "-o", path)
    return path


def cz_evaluation(n: int) -> Evaluation:
    """A cz2020 evaluation with ``n`` indicators over the three 一级 (weights 50/30/10), a date and awkward values."""
    plan = [("产出指标", "数量指标", 50), ("效益指标", "社会效益指标", 30), ("满意度指标", "服务对象满意度指标", 10)]
    sizes = [max(1, n * w // 90) for _l1, _l2, w in plan]
    sizes[0] += n - sum(sizes)
    indicators = []
    for (level1, level2, weight), size in zip(plan, sizes):
        weights = [weight // size] * size
        for i in range(weight - sum(weights)):
            weights[i] += 1
        for i in range(size):
            actual: Any = 100 + i + (i % 5) - 2
            if i % 7 == 3:
                actual = f"{actual}人"
            indicators.append(Indicator(level1=level1, level2=level2, name=f"{level2}{i + 1}", nature="≥", target=f"≥{100 + i}人",
                                        unit="人", actual=actual, weight=weights[i], reason="受疫情影响" if i % 5 < 2 else None))
    return Evaluation(
        profile="cz2020",
        project=ProjectInfo(unit="某某市大数据中心", department="某某市政务服务数据管理局", name=f"政务云运维（{n} 个指标）", year=2020,
                            attribute="经常性", filled_by="张三", phone="0593-1234567", filled_on=dt.date(2021, 1, 15)),
        funds=Funds(rows=[FundRow("年度资金总额", 200, 180.5, 170.25, 180.5, 170), FundRow("当年财政拨款", 150, 150, 145.5),
                          FundRow("上年结转资金", 50, 30.5, 24.75), FundRow("其他资金")], claimed_rate="94.32%"),
        indicators=indicators,
        claimed_total=96,
        claimed_grade="优",
    )


def cz_workbook(tmp_path: Path, n: int) -> Path:
    data = tmp_path / f"cz{n}.json"
    data.write_text(jsonio.dumps(cz_evaluation(n)), encoding="utf-8")
    return new_workbook(tmp_path, data, f"cz{n}.xlsm")


def cli_scored(path: Path) -> Path:
    """A copy of the workbook scored by ``xlperf score``."""
    copy = path.with_name(path.stem + "_cli" + path.suffix)
    shutil.copyfile(path, copy)
    run_cli("score", copy)
    return copy


# ---------------------------------------------------------------------------
# Payload and actions
# ---------------------------------------------------------------------------


def calamine_grids(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    finally:
        book.close()


def _js(value: Any) -> Any:
    """A cell as the Office Scripts client sends it: JS numbers (whole ones come back as ints), dates as ISO text."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.time):
        return dt.datetime.combine(dt.date(1899, 12, 30), value).isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def payload(path: Path, *, name: str | None = None, grids: dict[str, list[list]] | None = None, **book_extra) -> dict:
    """The remote-engine payload for the workbook at ``path`` (cell values from ``grids`` if given)."""
    import xlwings as xw

    with open_package(str(path)) as package:
        sheet_names = package.sheet_names()
        defined = package.defined_names()
    grids = grids if grids is not None else calamine_grids(path)
    names = []
    for key, formula in defined.items():
        scope, _, local = key.rpartition("!")
        ref = parse_name(formula)
        if ref is None or local.startswith("_xlnm."):  # the client sends named ranges only, not print areas
            continue
        names.append({"name": local, "sheet_index": sheet_names.index(ref[0]), "address": _ADDRESS.match(formula)[1].replace("$", ""),
                      "scope_sheet_name": scope or None, "scope_sheet_index": sheet_names.index(scope) if scope else None,
                      "book_scope": not scope})
    sheets = [{"name": sheet, "values": [[_js(v) for v in row] for row in grids[sheet]] or [[""]], "pictures": [], "tables": []}
              for sheet in sheet_names]
    book = {"name": name or path.name, "active_sheet_index": 0, "selection": "A1", **book_extra}
    return {"client": OFFICE_SCRIPTS, "version": xw.__version__, "book": book, "names": names, "sheets": sheets}


def open_book(path: Path, **kwargs):
    """A real xlwings Book (remote engine) over the workbook's payload."""
    import xlwings as xw

    return xw.Book(json=payload(path, **kwargs))


def actions(book, func: str | None = None) -> list[dict]:
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def apply_actions(path: Path, book, grids: dict[str, list[list]] | None = None) -> dict[str, list[list]]:
    """The workbook's cells after Excel carried out the book's setValues actions.

    Like Excel: "" empties a cell, a leading apostrophe marks text and is not part of
    the value, a text starting with "=" is a formula (kept as its text here).
    """
    with open_package(str(path)) as package:
        sheet_names = package.sheet_names()
    grids = {k: [list(r) for r in v] for k, v in (grids or calamine_grids(path)).items()}
    for action in actions(book, "setValues"):
        grid = grids[sheet_names[action["sheet_position"]]]
        for i, line in enumerate(action["values"]):
            for j, value in enumerate(line):
                row, col = action["start_row"] + i, action["start_column"] + j
                while len(grid) <= row:
                    grid.append([])
                while len(grid[row]) <= col:
                    grid[row].append("")
                if isinstance(value, str) and value.startswith("'"):
                    value = value[1:]
                grid[row][col] = value
    return grids


def cli_view(path: Path) -> dict[str, list[list]]:
    """The cells of a file as Excel would show them to the comparison: values, and formula cells as their formula."""
    from openpyxl import load_workbook

    grids = {k: [list(r) for r in v] for k, v in calamine_grids(path).items()}
    book = load_workbook(path, read_only=True)
    try:
        for sheet in book.worksheets:
            grid = grids[sheet.title]
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        grid[cell.row - 1][cell.column - 1] = cell.value
    finally:
        book.close()
    return grids


def _kind(value: Any) -> Any:
    if value is None or value == "":
        return ("empty",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    return (type(value).__name__, value)


def differences(ours: dict[str, list[list]], theirs: dict[str, list[list]]) -> list[str]:
    """Every cell where the two differ, as ``sheet!A1: ours != theirs``."""
    from xlperf.layout import a1

    found = []
    assert set(ours) == set(theirs)
    for sheet, a in ours.items():
        b = theirs[sheet]
        for r in range(max(len(a), len(b))):
            ra = a[r] if r < len(a) else []
            rb = b[r] if r < len(b) else []
            for c in range(max(len(ra), len(rb))):
                va = ra[c] if c < len(ra) else ""
                vb = rb[c] if c < len(rb) else ""
                if _kind(va) != _kind(vb):
                    found.append(f"{sheet}!{a1(r, c)}: {va!r} != {vb!r}")
    return found


# ---------------------------------------------------------------------------
# Counting what the adapter asks of the engine
# ---------------------------------------------------------------------------

ENGINE_CLASSES = ("App", "Book", "Books", "Sheets", "Sheet", "Range", "Names", "Name")


@contextmanager
def engine_calls(monkeypatch):
    """Count every property read/write and method call on the remote engine's impl objects.

    The impl layer is what talks to Excel on the desktop engines (one COM or
    AppleScript round trip per access there), so these counts stand for calls into Excel.
    """
    from xlwings.pro import _xlremote

    counts: Counter[str] = Counter()

    def counted(key, fn):
        def wrapper(*args, **kwargs):
            counts[key] += 1
            return fn(*args, **kwargs)

        return wrapper

    with monkeypatch.context() as m:
        for cls_name in ENGINE_CLASSES:
            cls = getattr(_xlremote, cls_name)
            for attr, obj in list(vars(cls).items()):
                if attr.startswith("_") and attr not in ("__call__", "__iter__", "__len__"):
                    continue
                key = f"{cls_name}.{attr}"
                if isinstance(obj, property):
                    m.setattr(cls, attr, property(obj.fget and counted(key, obj.fget), obj.fset and counted(key + "=", obj.fset)))
                elif callable(obj) and not isinstance(obj, (staticmethod, classmethod, type)):
                    m.setattr(cls, attr, counted(key + "()", obj))
        yield counts


def macro_commands() -> dict[str, str]:
    """Sub name → the Python command its RunPython runs, from the VBA module."""
    text = MACROS.read_text(encoding="ascii")
    return dict(re.findall(r'Sub (\w+)\(\)\s+RunPython "([^"]+)"', text))
