"""The buttons against real xlwings Books (remote engine): same cells as ``xlperf score``, same view as the file reader."""

from __future__ import annotations

import shutil
import zipfile

import pytest
import xlhelpers as h

from xlperf import jsonio
from xlperf.layout import a1
from xlperf.ooxml.patch import patch_workbook
from xlperf.sources import evaluate_file, load_evaluation


def scored_by_button(path, **kwargs):
    import xlperf.excel

    book = h.open_book(path, **kwargs)
    results = xlperf.excel.score(book)
    assert results is not None, h.actions(book, "alert")
    return book, results


@pytest.mark.parametrize("workbook", ["ningde", "cz10", "cz200"])
def test_button_writes_the_same_cells_as_xlperf_score(remote, workbook, request):
    path = request.getfixturevalue(workbook)
    book, results = scored_by_button(path)
    ours = h.apply_actions(path, book)
    theirs = h.cli_view(h.cli_scored(path))
    assert h.differences(ours, theirs) == []
    assert len(h.differences(ours, h.calamine_grids(path))) > 20  # the comparison is not of two unscored books
    # and the cells are the ones that matter: the total and grade are where the layout says
    from xlperf.workbook.reader import load_workbook

    loaded = load_workbook(path)
    form, slot = loaded.layout.slot("grade") or (None, None)
    if form is not None:
        span = loaded.placement.spans[form.name]
        assert ours[span.sheet][span.first + slot.row][slot.col] == results.grade


def test_the_button_sees_the_workbook_as_the_file_reader_does(remote, cz10):
    """Same placement, same Evaluation, same findings as ``xlperf score`` (load_workbook with 校验结果, evaluation_of)."""
    from xlperf.excel.book import evaluate, load
    from xlperf.scoring import score
    from xlperf.workbook.reader import evaluation_of, load_workbook

    live = load(h.open_book(cz10))
    loaded = load_workbook(cz10, with_findings_sheet=True)
    assert live.placement == loaded.placement
    assert live.loaded.names == loaded.names
    assert live.loaded.findings == loaded.findings
    evaluation, results = evaluate(live)
    file_evaluation, file_findings = evaluation_of(loaded)
    assert jsonio.dumps(evaluation) == jsonio.dumps(file_evaluation)
    assert jsonio.dumps(evaluation) == jsonio.dumps(load_evaluation(cz10)[0])  # and as xlperf check / dump read it
    assert evaluation.project.filled_on.isoformat() == "2021-01-15"  # a date cell, sent as ISO text, read as a date
    file_results = score(file_evaluation)
    assert results.total == file_results.total and results.grade == file_results.grade
    assert [f.to_dict() for f in results.findings] == [f.to_dict() for f in file_findings + file_results.findings]
    # the findings point to the same cells
    assert [loc for ind in evaluation.indicators for loc in ind.loc.values()] == [
        loc for ind in file_evaluation.indicators for loc in ind.loc.values()
    ]


def rewrite_names(path, change):
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, change(data.decode("utf-8")).encode("utf-8") if info.filename == "xl/workbook.xml" else data)


def test_a_lost_name_and_a_sheet_level_copy_are_handled_as_the_file_reader_does(remote, ningde, tmp_path):
    from xlperf.excel.book import evaluate, load

    path = tmp_path / "改过的.xlsm"
    shutil.copyfile(ningde, path)
    rewrite_names(path, lambda xml: xml.replace(
        "<definedName name=\"xlperf_indicators\">'绩效目标'!$A$2:$K$33</definedName>",
        "<definedName name=\"xlperf_indicators\">#REF!$A$2:$K$33</definedName>"
        "<definedName name=\"xlperf_items_1\" localSheetId=\"2\">'绩效目标'!$A$1:$B$3</definedName>",
    ))
    book = h.open_book(path)
    assert any(n.name == "绩效目标!xlperf_items_1" for n in book.names)  # the client sends the sheet-level copy
    evaluation, results = evaluate(load(book))
    file_evaluation, _ = load_evaluation(path)
    assert jsonio.dumps(evaluation) == jsonio.dumps(file_evaluation)
    assert [f.to_dict() for f in results.findings] == [f.to_dict() for f in evaluate_file(path)[1].findings]  # as xlperf check
    assert "workbook.name_lost" in {f.code for f in results.findings}
    import xlperf.excel

    book = h.open_book(path)
    xlperf.excel.score(book)
    assert h.differences(h.apply_actions(path, book), h.cli_view(h.cli_scored(path))) == []


def test_the_message_box_gives_total_grade_and_counts(remote, ningde):
    book, results = scored_by_button(ningde)
    (alert,) = h.actions(book, "alert")
    prompt, title, buttons, mode, _callback = alert["args"]
    assert title == "xlperf 评分" and buttons == "ok" and mode == "info"
    assert prompt == (
        "评分完成，结果已写入工作簿。\n\n"
        "项目：2018年度政务网等运行维护费\n"
        f"总分：{results.total}（满分 {results.total_weight}）\n"
        f"等级：{results.grade}\n\n"
        f"错误 {results.errors} 项，警告 {results.warnings} 项，详见“校验结果”表。"
    )
    assert (str(results.total), results.grade) == ("94.84", "优秀")


def test_with_findings_the_findings_sheet_is_brought_forward_after_the_writes(remote, ningde):
    book, _results = scored_by_button(ningde)
    funcs = [a["func"] for a in h.actions(book)]
    position = list(h.calamine_grids(ningde)).index("校验结果")  # calamine lists sheets in tab order
    (activate,) = h.actions(book, "activateSheet")
    assert activate["args"] == [position]
    # writes first (with screen updating off), then recalculation, the sheet, the message
    assert funcs[0] == "setScreenUpdating" and funcs[-4:] == ["setScreenUpdating", "calculate", "activateSheet", "alert"]
    assert set(funcs[1:-4]) == {"setValues"}


def test_the_vba_command_runs_on_the_caller(remote, ningde):
    """The Python half of ``RunPython "import xlperf.excel; xlperf.excel.score()"``, with xw.Book.caller()."""
    commands = h.macro_commands()
    assert set(commands) == {"Score", "Check", "ExportReport"}
    book = h.open_book(ningde)
    book.set_mock_caller()
    exec(commands["Score"], {})
    assert h.actions(book, "setValues") and h.actions(book, "alert")[0]["args"][3] == "info"


def test_a_second_click_after_a_fix_clears_the_old_findings_rows_like_the_cli(remote, ningde, tmp_path):
    # first round: button and CLI on the same file
    book, first = scored_by_button(ningde)
    after_button = h.apply_actions(ningde, book)
    cli_file = h.cli_scored(ningde)
    # staff fix the unit of the 电子证照 indicator (份 → 件) in both
    row = next(i for i, r in enumerate(after_button["绩效目标"]) if r and r[2] == "电子证照系统生成电子证照数量")
    cell = a1(row, 5)
    assert after_button["绩效目标"][row][5] == "52万份"
    after_button["绩效目标"][row][5] = "52万件"
    patch_workbook(cli_file, {"绩效目标": {cell: "52万件"}})
    h.run_cli("score", cli_file)
    # second round on the button side: a new payload from the cells Excel now holds
    import xlperf.excel

    book2 = h.open_book(ningde, grids=after_button)
    second = xlperf.excel.score(book2)
    assert len(second.findings) < len(first.findings)
    assert h.differences(h.apply_actions(ningde, book2, after_button), h.cli_view(cli_file)) == []


def test_check_writes_only_the_findings_sheet(remote, ningde):
    import xlperf.excel

    book = h.open_book(ningde)
    results = xlperf.excel.check(book)
    writes = h.actions(book, "setValues")
    position = list(h.calamine_grids(ningde)).index("校验结果")
    assert writes and {a["sheet_position"] for a in writes} == {position}
    ours = h.apply_actions(ningde, book)
    theirs = h.cli_view(h.cli_scored(ningde))
    assert h.differences({"校验结果": ours["校验结果"]}, {"校验结果": theirs["校验结果"]}) == []
    prompt = h.actions(book, "alert")[0]["args"][0]
    assert prompt.startswith("校验完成（得分和总分未改动）。")
    assert f"错误 {results.errors} 项，警告 {results.warnings} 项，详见“校验结果”表。" in prompt
    assert f"按当前填写计算：总分 {results.total}，等级 {results.grade}。" in prompt


def test_export_report_saves_beside_the_workbook(remote, ningde, tmp_path):
    import xlperf.excel

    book = h.open_book(ningde, name=str(ningde))  # the remote engine's fullname is the name the client sends
    path = xlperf.excel.export_report(book)
    assert path is not None and path.parent == ningde.parent and path.suffix == ".docx"
    assert "word/document.xml" in zipfile.ZipFile(path).namelist()
    (alert,) = h.actions(book, "alert")
    assert alert["args"][0].startswith(f"自评报告已生成：\n{path}")
    assert "建议先点击“校验”改正后再生成报告" in alert["args"][0]
    assert not h.actions(book, "setValues")  # the workbook is left as it is


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("工作簿1", "生成报告未完成：工作簿还没有保存过，报告要保存在工作簿所在的文件夹：请先保存工作簿（文件 → 另存为），再点击“生成报告”"),
        ("https://d.docs.live.net/1234/自评表.xlsm", "生成报告未完成：工作簿是从网络位置打开的（https://d.docs.live.net/1234/自评表.xlsm），"),
    ],
)
def test_export_report_of_an_unsaved_workbook_says_so(remote, ningde, name, expected):
    import xlperf.excel

    book = h.open_book(ningde, name=name)
    assert xlperf.excel.export_report(book) is None
    (alert,) = h.actions(book, "alert")
    assert alert["args"][0].startswith(expected) and alert["args"][3] == "critical"
