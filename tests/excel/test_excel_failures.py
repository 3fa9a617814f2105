"""Failures end in a Chinese message box, never a traceback; Excel's settings come back even then."""

from __future__ import annotations

import subprocess
import sys

import pytest
import xlhelpers as h

from xlperf.workbook.reader import NOT_A_TEMPLATE

#: The Office.js add-in client also sends the calculation mode; with it the remote
#: engine records the switch to manual and back, so the restore can be seen.
AUTOMATIC = {"calculation": "Automatic"}


def foreign_book(xw, **book):
    return xw.Book(json={
        "client": h.OFFICE_SCRIPTS, "version": xw.__version__,
        "book": {"name": "别人的表.xlsx", "active_sheet_index": 0, "selection": "A1", **book},
        "names": [], "sheets": [{"name": "Sheet1", "values": [["项目", "金额"], ["运维", 12.5]], "pictures": [], "tables": []}],
    })


def funcs(book):
    return [(a["func"], a["args"]) for a in h.actions(book) if a["func"] != "alert"]


@pytest.mark.parametrize(("entry", "action"), [("score", "评分"), ("check", "校验")])
def test_a_foreign_workbook_gets_the_chinese_message_and_settings_restored(remote, entry, action):
    import xlperf.excel

    book = foreign_book(remote, **AUTOMATIC)
    assert getattr(xlperf.excel, entry)(book) is None  # no exception escapes
    (alert,) = h.actions(book, "alert")
    assert alert["args"][:4] == [f"{action}未完成：{NOT_A_TEMPLATE}", f"xlperf {action}", "ok", "critical"]
    # switched off on the way in, back on the way out, nothing written
    assert funcs(book) == [
        ("setScreenUpdating", [False]),
        ("setCalculation", ["Manual"]),
        ("setCalculation", ["Automatic"]),
        ("setScreenUpdating", [True]),
    ]
    assert h.actions(book)[-1]["func"] == "alert"


def test_an_unexpected_error_mid_write_restores_and_points_to_the_log(remote, ningde, logdir, monkeypatch):
    from xlwings.pro import _xlremote

    import xlperf.excel

    book = h.open_book(ningde, **AUTOMATIC)
    real = _xlremote.Range.raw_value
    written = []

    def failing(self, value):
        if len(written) == 3:
            raise RuntimeError("连接中断 connection lost")
        written.append(value)
        real.fset(self, value)

    monkeypatch.setattr(_xlremote.Range, "raw_value", property(real.fget, failing))
    assert xlperf.excel.score(book) is None
    (alert,) = h.actions(book, "alert")
    log = logdir / "excel.log"
    assert alert["args"][0] == (
        "评分未完成，程序出错：RuntimeError: 连接中断 connection lost\n\n"
        f"详细信息已记录在：{log}\n请把该文件发给技术支持人员。"
    )
    assert alert["args"][3] == "critical"
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: 连接中断 connection lost" in text and str(ningde.name) in text
    calls = funcs(book)
    assert [f for f, _ in calls].count("setValues") == 3
    assert calls[-2:] == [("setCalculation", ["Automatic"]), ("setScreenUpdating", [True])]
    assert not h.actions(book, "activateSheet") and not h.actions(book, "calculate")


def test_an_xlperf_error_shows_its_message_without_the_path(remote, ningde):
    import xlperf.excel

    data = h.payload(ningde, name=str(ningde))
    index = [s["name"] for s in data["sheets"]].index("评分表")  # staff deleted a required sheet
    del data["sheets"][index]
    data["names"] = [dict(n, sheet_index=n["sheet_index"] - (n["sheet_index"] > index)) for n in data["names"] if n["sheet_index"] != index]
    book = remote.Book(json=data)
    assert xlperf.excel.score(book) is None
    (alert,) = h.actions(book, "alert")
    assert alert["args"][0] == "评分未完成：缺少工作表“评分表”（可能被删除或改名）；请把工作表名称改回“评分表”，或从 xlperf new 生成的模板中复制该表"


def test_import_without_xlwings_gives_the_install_hint():
    code = (
        "import sys; sys.modules['xlwings'] = None\n"
        "try:\n    import xlperf.excel\n"
        "except ImportError as exc:\n"
        "    from xlperf.errors import MissingDependency\n"
        "    print(type(exc).__name__, isinstance(exc, MissingDependency)); print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert out == 'MissingDependency True\n需要安装 Excel 支持：pip install "xlperf[excel]"\n'


def test_the_cli_never_imports_the_excel_adapter(tmp_path):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from xlperf.cli import cli\n"
        f"book = {str(tmp_path / '表.xlsm')!r}\n"
        "for args in (['new', '--xlsm', '-o', book], ['check', book], ['score', book], ['dump', book]):\n"
        "    result = CliRunner().invoke(cli, args)\n"
        "    assert result.exit_code in (0, 1), result.output\n"
        "print(sorted(m for m in sys.modules if m.startswith('xlperf.excel')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert out == "[]\n"


def test_a_report_that_cannot_be_written_says_which_file(remote, ningde, monkeypatch):
    import xlperf.excel
    import xlperf.report

    def refuse(evaluation, results, out_path, **kwargs):
        raise PermissionError(13, "Permission denied", str(out_path))

    monkeypatch.setattr(xlperf.report, "write_report", refuse)
    book = h.open_book(ningde, name=str(ningde))
    assert xlperf.excel.export_report(book) is None
    prompt = h.actions(book, "alert")[0]["args"][0]
    assert prompt.startswith(f"生成报告未完成：{ningde.parent}") and "无法读写文件（没有读写权限" in prompt and "Permission denied" not in prompt
