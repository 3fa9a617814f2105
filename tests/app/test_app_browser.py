"""The local page in a real browser: upload, read the results, download, compare with the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apphelpers import ROOT, batch_folder, build, evaluation, foreign_form, screenshot, wait_for_download

pytestmark = pytest.mark.browser


def _by(kind):
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def _wait(driver, css: str, timeout: float = 120):
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((_by("CSS_SELECTOR"), css)))


def _upload(driver, server, path: Path):
    driver.get(server.url)
    driver.find_element(_by("ID"), "file").send_keys(str(path))
    driver.find_element(_by("ID"), "score-submit").click()
    _wait(driver, "#result, #error-message")


def _table(driver, table_id: str) -> list[list[str]]:
    rows = driver.find_elements(_by("CSS_SELECTOR"), f"#{table_id} tbody tr")
    return [[td.text for td in row.find_elements(_by("TAG_NAME"), "td")] for row in rows]


def _cli_score(path: Path) -> bytes:
    """What ``xlperf score FILE`` leaves in FILE."""
    subprocess.run([sys.executable, "-m", "xlperf", "score", str(path)], cwd=ROOT, capture_output=True, check=False,
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return path.read_bytes()


def test_example_upload_results_and_downloads(server, browser, tmp_path, screenshots):
    from xlperf.examples import example_workbook
    from xlperf.scoring import text
    from xlperf.sources import evaluate_file

    upload = tmp_path / "宁德2018.xlsx"
    shutil.copyfile(example_workbook(), upload)
    evaluation_, results = evaluate_file(upload)

    _upload(browser, server, upload)
    assert browser.find_element(_by("ID"), "total").text == f"{results.total:.2f}"
    assert browser.find_element(_by("ID"), "grade").text == results.grade
    assert int(browser.find_element(_by("ID"), "errors").text) == results.errors
    rows = _table(browser, "indicators")
    expected = [s for s in ([results.funds.score] if results.funds.score else []) + results.indicators + results.items]
    assert len(rows) == len(expected)
    for row, score in zip(rows, expected):
        assert row[7] == ("" if score.points is None else f"{score.points:.2f}")
        assert row[6] == ("" if score.ratio is None else f"{score.ratio:.2f}")
        assert row[8] == score.explanation
    names = [r[2] for r in rows[len(rows) - len(results.items) - len(results.indicators):][: len(results.indicators)]]
    assert names == [text(i.name) for i in evaluation_.indicators]
    subtotals = _table(browser, "subtotals")
    assert [(r[0], r[1]) for r in subtotals[:-1]] == [(s.level1, f"{s.points:.2f}") for s in results.subtotals]
    findings = _table(browser, "findings")
    assert [(r[1], r[2]) for r in findings] == [(str(f.location), f.message) for f in results.findings]
    screenshot(browser, screenshots / "评分结果.png")

    # the severity filter hides the warnings and keeps the errors
    browser.find_element(_by("CSS_SELECTOR"), "#severity-filter input[value=warning]").click()
    shown = [r for r in browser.find_elements(_by("CSS_SELECTOR"), "#findings tbody tr") if r.is_displayed()]
    assert len(shown) == len(results.findings) - results.warnings
    browser.find_element(_by("CSS_SELECTOR"), "#severity-filter input[value=warning]").click()

    # the scored workbook is byte for byte what `xlperf score` writes
    browser.find_element(_by("ID"), "dl-workbook").click()
    downloaded = wait_for_download(browser.downloads, upload.name)
    cli_copy = tmp_path / "cli" / upload.name
    cli_copy.parent.mkdir()
    shutil.copyfile(upload, cli_copy)
    assert downloaded.read_bytes() == _cli_score(cli_copy)
    downloaded.unlink()

    # the report and the JSON
    browser.find_element(_by("ID"), "dl-docx").click()
    from xlperf.report import default_output

    report = wait_for_download(browser.downloads, default_output(evaluation_, None).name)
    assert report.read_bytes()[:2] == b"PK"
    browser.find_element(_by("ID"), "dl-json").click()
    import json

    data = json.loads(wait_for_download(browser.downloads, "宁德2018_评分结果.json").read_text(encoding="utf-8"))
    assert data["total"] == float(results.total) and len(data["findings"]) == len(results.findings)


def test_sixty_indicators_and_json(server, browser, tmp_path):
    from xlperf import jsonio
    from xlperf.sources import evaluate_file

    ev = evaluation(indicators=60, shortfall=30)
    path = build(ev, tmp_path / "六十项指标.xlsx")
    _, results = evaluate_file(path)
    _upload(browser, server, path)
    assert len(_table(browser, "indicators")) == 1 + 60
    assert browser.find_element(_by("ID"), "total").text == f"{results.total:.2f}"

    data = tmp_path / "数据.json"
    data.write_text(jsonio.dumps(ev), encoding="utf-8")
    _upload(browser, server, data)
    assert browser.find_element(_by("ID"), "total").text == f"{results.total:.2f}"
    assert not browser.find_elements(_by("ID"), "dl-workbook")  # JSON is never written back


def test_foreign_form_as_the_library_reads_it(server, browser, tmp_path, screenshots):
    """The page reads a foreign form exactly as the library's own entry point does (sources.evaluate_file).

    Today the library refuses a form xlperf did not make, with a Chinese message; when a
    recogniser for foreign forms lands in ``sources.load_evaluation`` the page shows its scores
    and offers no scored workbook (a foreign form is never written).
    """
    from xlperf.errors import XlperfError
    from xlperf.sources import evaluate_file

    path = foreign_form(tmp_path / "省平台导出的自评表.xlsx")
    before = path.read_bytes()
    try:
        _, results = evaluate_file(path)
    except XlperfError as exc:
        expected_error, results = exc.message, None
    _upload(browser, server, path)
    if results is None:
        message = browser.find_element(_by("ID"), "error-message").text
        assert expected_error in message and path.name in message
        assert "Traceback" not in browser.page_source
    else:
        assert browser.find_element(_by("ID"), "total").text == f"{results.total:.2f}"
        assert not browser.find_elements(_by("ID"), "dl-workbook")
    assert path.read_bytes() == before
    screenshot(browser, screenshots / "外来表格.png")


def test_new_pages(server, browser, tmp_path, screenshots):
    from xlperf.examples import example_workbook
    from xlperf.sources import load_evaluation

    browser.get(server.url + "new")
    screenshot(browser, screenshots / "新建.png")
    browser.find_element(_by("ID"), "blank-submit").click()
    blank = wait_for_download(browser.downloads, "绩效自评表_cz2020.xlsx")
    assert load_evaluation(blank)[0].profile == "cz2020"

    last = tmp_path / "2018.xlsx"
    shutil.copyfile(example_workbook(), last)
    browser.find_element(_by("CSS_SELECTOR"), "#next-form input[type=file]").send_keys(str(last))
    browser.find_element(_by("ID"), "next-submit").click()
    old = load_evaluation(last)[0]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not [p for p in browser.downloads.glob("*2019年度绩效自评表.xlsx")]:
        time.sleep(0.2)
    made = wait_for_download(browser.downloads, next(browser.downloads.glob("*2019年度绩效自评表.xlsx")).name)
    new = load_evaluation(made)[0]
    assert new.project.year == 2019 and len(new.indicators) == len(old.indicators)
    assert all(i.actual is None for i in new.indicators)


def test_batch_of_thirty_with_three_damaged(server, browser, tmp_path, screenshots):
    from xlperf.sources import evaluate_file

    folder, good, damaged = batch_folder(tmp_path / "自评表")
    browser.get(server.url + "batch")
    screenshot(browser, screenshots / "批量评审上传.png")
    paths = [str(folder / n) for n in good + damaged]
    browser.find_element(_by("ID"), "files").send_keys("\n".join(paths))
    browser.find_element(_by("ID"), "batch-submit").click()
    _wait(browser, "#progress-card, #batch-result, #error-message")
    import json

    from apphelpers import get

    status, body = get(browser.current_url.split("#")[0] + "/status")  # what the progress bar polls
    state = json.loads(body)
    assert status == 200 and state["total"] == 30 and 0 <= state["done"] <= 30
    if browser.find_elements(_by("ID"), "progress"):
        assert browser.find_element(_by("ID"), "progress").get_attribute("max") in ("1", "30")
    _wait(browser, "#batch-result", timeout=600)
    assert browser.find_element(_by("ID"), "count").text == "30"
    assert browser.find_element(_by("ID"), "scored").text == "27"
    failures = _table(browser, "failures")
    assert sorted(r[0] for r in failures) == sorted(damaged)
    assert all(r[1] for r in failures)
    header = [th.text for th in browser.find_elements(_by("CSS_SELECTOR"), "#summary thead th")]
    total_col, file_col = header.index("总分"), header.index("文件")
    rows = _table(browser, "summary")
    assert len(rows) == 27
    for row in rows:
        assert row[total_col] == f"{evaluate_file(folder / row[file_col])[1].total:.2f}"
    screenshot(browser, screenshots / "批量评审结果.png")

    # sortable: a click on 总分 sorts ascending, a second click descending
    th = browser.find_elements(_by("CSS_SELECTOR"), "#summary thead th")[total_col]
    th.click()
    totals = [float(r[total_col]) for r in _table(browser, "summary")]
    assert totals == sorted(totals)
    th.click()
    totals = [float(r[total_col]) for r in _table(browser, "summary")]
    assert totals == sorted(totals, reverse=True)
    assert len(browser.find_elements(_by("CSS_SELECTOR"), ".chart svg rect")) >= 2

    browser.find_element(_by("ID"), "dl-summary").click()
    summary = wait_for_download(browser.downloads, "汇总.xlsx", timeout=120)
    import openpyxl

    wb = openpyxl.load_workbook(summary, read_only=True)
    assert wb["汇总"].max_row >= 28
    wb.close()
    browser.find_element(_by("ID"), "dl-reports").click()
    import zipfile

    with zipfile.ZipFile(wait_for_download(browser.downloads, "自评报告.zip", timeout=120)) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".docx")]) == 27


def _stage_workbook(tmp_path: Path, name: str, example: str, stage: str, change=None) -> Path:
    from click.testing import CliRunner

    from xlperf import jsonio
    from xlperf.cli import cli

    ev = jsonio.load(ROOT / "xlperf" / "examples" / example)
    if change:
        change(ev)
    data = tmp_path / f"{name}.json"
    jsonio.dump(ev, data)
    out = tmp_path / f"{name}.xlsx"
    assert CliRunner().invoke(cli, ["new", "--stage", stage, "--data", str(data), "-o", str(out)]).exit_code == 0
    return out


def test_monitoring_and_declaration_uploads(server, browser, tmp_path, screenshots):
    """A 监控 workbook shows the lights (as the one core computes them) and the downloads are the commands';
    a 申报 workbook shows the target-quality findings."""
    import json

    from xlperf.sources import load_evaluation
    from xlperf.stages.monitoring import assess_monitoring
    from xlperf.stages.targets import check_declaration

    def behind(ev):  # 300 of ≥1200 by July: 300 ÷ (1200 ÷ 12 × 7) = 42.9% → 红
        ev.stages.monitoring.indicators[0].progress = "300"

    upload = _stage_workbook(tmp_path, "养老监控", "jiankong2024.json", "监控", behind)
    before = upload.read_bytes()
    core = assess_monitoring(load_evaluation(upload)[0])
    assert core.project == "红"
    _upload(browser, server, upload)
    assert browser.find_element(_by("ID"), "stage").text == "监控"
    assert browser.find_element(_by("ID"), "project-light").text == "红"
    assert browser.find_element(_by("ID"), "budget-light").text == core.budget.light
    lights = _table(browser, "lights")
    assert [r[5] for r in lights] == [x.light for x in core.indicators]
    assert lights[0][6] == f"{core.indicators[0].ratio:.2f}"
    assert int(browser.find_element(_by("ID"), "errors").text) == core.errors
    screenshot(browser, screenshots / "运行监控结果.png")

    # the workbook with the lights is byte for byte what `xlperf score` writes; the upload is untouched
    browser.find_element(_by("ID"), "dl-workbook").click()
    downloaded = wait_for_download(browser.downloads, upload.name)
    cli_copy = tmp_path / "cli" / upload.name
    cli_copy.parent.mkdir()
    cli_copy.write_bytes(before)
    assert downloaded.read_bytes() == _cli_score(cli_copy) != before
    downloaded.unlink()
    assert upload.read_bytes() == before
    browser.find_element(_by("ID"), "dl-docx").click()
    from xlperf.report import safe_filename
    from xlperf.stages.report import monitoring_report

    report = wait_for_download(browser.downloads, safe_filename(monitoring_report(load_evaluation(upload)[0])["title"]) + ".docx")
    assert report.read_bytes()[:2] == b"PK"
    browser.find_element(_by("ID"), "dl-json").click()
    data = json.loads(wait_for_download(browser.downloads, "养老监控_评分结果.json").read_text(encoding="utf-8"))
    assert data["project_light"] == "红" and [x["light"] for x in data["indicators"]] == [x.light for x in core.indicators]

    def cost_with_ge(ev):
        ev.indicators[3].target, ev.indicators[3].nature = "≥1500", "≥"

    declared = _stage_workbook(tmp_path, "养老申报", "shenbao2024.json", "申报", cost_with_ge)
    expected = check_declaration(load_evaluation(declared)[0])
    _upload(browser, server, declared)
    assert browser.find_element(_by("ID"), "stage").text == "申报"
    assert int(browser.find_element(_by("ID"), "target-count").text) == 7
    findings = _table(browser, "findings")
    assert [r[3] for r in findings] == [f.code for f in expected] and "target.cost_lower_bound" in [r[3] for r in findings]
    assert not browser.find_elements(_by("ID"), "dl-docx") and not browser.find_elements(_by("ID"), "dl-workbook")
    browser.find_element(_by("ID"), "dl-json").click()
    data = json.loads(wait_for_download(browser.downloads, "养老申报_评分结果.json").read_text(encoding="utf-8"))
    assert data["stage"] == "申报" and data["errors"] >= 1


def test_batch_of_mixed_stages(server, browser, tmp_path):
    """A batch upload mixing 监控, 申报 and 自评 workbooks: the lights per project and unit on the page and in the 汇总."""
    import openpyxl

    def behind(ev):
        ev.stages.monitoring.indicators[0].progress = "300"
        ev.project.name = "老年助餐补助"

    def cost_with_ge(ev):
        ev.indicators[3].target, ev.indicators[3].nature = "≥1500", "≥"

    files = [
        _stage_workbook(tmp_path, "监控一", "jiankong2024.json", "监控"),
        _stage_workbook(tmp_path, "监控二", "jiankong2024.json", "监控", behind),
        _stage_workbook(tmp_path, "申报", "shenbao2024.json", "申报", cost_with_ge),
        build(evaluation(), tmp_path / "自评.xlsx"),
    ]
    browser.get(server.url + "batch")
    browser.find_element(_by("ID"), "files").send_keys("\n".join(str(p) for p in files))
    browser.find_element(_by("ID"), "batch-submit").click()
    _wait(browser, "#batch-result", timeout=600)
    assert browser.find_element(_by("ID"), "count").text == "4"
    assert browser.find_element(_by("ID"), "scored").text == "1"  # only the 自评 is scored
    lights = {r[-1]: r for r in _table(browser, "monitor-lights")}
    assert lights["监控一.xlsx"][2:5] == ["黄", "绿", "黄"] and lights["监控二.xlsx"][2] == "红"
    units = _table(browser, "monitor-units")
    assert units[0][:2] == ["某区民政局", "2"]
    declared = _table(browser, "declared")
    assert declared[0][-1] == "申报.xlsx" and int(declared[0][3]) >= 1
    (browser.downloads / "汇总.xlsx").unlink(missing_ok=True)  # an earlier test's summary
    browser.find_element(_by("ID"), "dl-summary").click()
    summary = openpyxl.load_workbook(wait_for_download(browser.downloads, "汇总.xlsx"))
    assert {"监控灯", "监控灯（按单位）", "申报审核"} <= set(summary.sheetnames)
    (browser.downloads / "汇总.xlsx").unlink()


def test_new_stage_forms_and_advance_on_the_page(server, browser, tmp_path):
    """新建: a blank 申报 form; 转到下一阶段: the uploaded workbook comes back with the 运行监控 sheet added,
    every part of the upload kept (the page's ``xlperf advance``)."""
    import zipfile

    import openpyxl
    from selenium.webdriver.support.ui import Select

    from xlperf.sources import load_evaluation
    from xlperf.stages import stage_of

    browser.get(server.url + "new")
    Select(browser.find_element(_by("ID"), "stage")).select_by_value("申报")
    browser.find_element(_by("ID"), "blank-submit").click()
    blank = wait_for_download(browser.downloads, "绩效目标申报表_cz2020.xlsx")
    assert stage_of(load_evaluation(blank)[0]) == "申报"

    declared = _stage_workbook(tmp_path, "养老申报", "shenbao2024.json", "申报")
    wb = openpyxl.load_workbook(declared)
    wb.create_sheet("我的底稿")["A1"] = "内部底稿"
    wb.save(declared)
    with zipfile.ZipFile(declared) as z:
        before = {n: z.read(n) for n in z.namelist()}
    browser.find_element(_by("CSS_SELECTOR"), "#advance-form input[type=file]").send_keys(str(declared))
    Select(browser.find_element(_by("ID"), "advance-to")).select_by_value("监控")
    browser.find_element(_by("ID"), "advance-submit").click()
    advanced = wait_for_download(browser.downloads, declared.name)
    ev = load_evaluation(advanced)[0]
    assert stage_of(ev) == "监控" and [r.name for r in ev.stages.monitoring.indicators] == [i.name for i in ev.indicators]
    with zipfile.ZipFile(advanced) as z:
        after = {n: z.read(n) for n in z.namelist()}
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed <= {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"} | \
        {n for n in before if n.startswith("xl/worksheets/sheet")} and len(changed) <= 5
    assert openpyxl.load_workbook(advanced)["我的底稿"]["A1"].value == "内部底稿"
    advanced.unlink()
