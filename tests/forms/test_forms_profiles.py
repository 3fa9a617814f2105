"""The profile of a foreign 自评表 is chosen from what the form shows (printed 一级 weights, the 执行率's
weight or its absence, a 分值 column or none); each shipped 三级指标 framework's form, written by openpyxl
and saved again by LibreOffice (.xls, .ods), reads to the same evaluation and scores as the xlperf
workbook of that profile holding the same data."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
from foreign import Style, joined, sample, write_form
from click.testing import CliRunner
from openpyxl import Workbook
from wbhelpers import build

from xlperf import jsonio
from xlperf.cli import cli
from xlperf.errors import WorkbookError
from xlperf.forms.identify import read_any
from xlperf.profile import load_profile
from xlperf.scoring import score
from xlperf.workbook.reader import read_workbook

NO_WEIGHT = ("level1", "level2", "name", "target", "actual", "claimed_score", "reason")

# name → (profile expected, 一级 weights printed, the indicators' weights, funds 分值, Style changes)
CASES = {
    "cz2020_printed": ("cz2020", {"产出指标": 50, "效益指标": 30, "满意度指标": 10}, (20, 15, 15, 30, 10), 10, {"level1_points": True}),
    "cz2020_summed": ("cz2020", {"产出指标": 50, "效益指标": 30, "满意度指标": 10}, (20, 15, 15, 30, 10), 10, {}),
    "adjusted": ("cz2020_adjusted", {"产出指标": 40, "效益指标": 30, "满意度指标": 20}, (15, 15, 10, 30, 20), 10, {"level1_points": True}),
    "adjusted_rows": ("cz2020_adjusted", {"产出指标": 40, "效益指标": 30, "满意度指标": 20}, (15, 15, 10, 30, 20), 10, {"category_rows": True}),
    # the true 湖北 form: no 分值 column, equal shares within each 一级 (the profile's [form] weights = "equal")
    "hubei": ("hubei2020", {"产出指标": 50, "效益指标": 20, "满意度指标": 10}, (16.67, 16.67, 16.66, 20, 10), 20,
              {"level1_points": True, "order": NO_WEIGHT}),
    "ningxia": ("ningxia2022", {"产出指标": 40, "效益指标": 40, "满意度指标": 20}, (15, 15, 10, 40, 20), None, {"level1_points": True}),
    "no_weight_column": ("cz2020", {"产出指标": 50, "效益指标": 30, "满意度指标": 10}, (16.67, 16.67, 16.66, 30, 10), 10,
                         {"level1_points": True, "order": NO_WEIGHT}),
    "ningxia_no_weight_column": ("ningxia2022", {"产出指标": 40, "效益指标": 40, "满意度指标": 20}, (13.33, 13.33, 13.34, 40, 20), None,
                                 {"category_rows": True, "order": NO_WEIGHT}),
}


def _case(name: str):
    profile, points, weights, fund_weight, changes = CASES[name]
    evaluation = joined(sample())
    evaluation.profile = profile
    for indicator, weight in zip(evaluation.indicators, weights):
        indicator.weight = weight
        indicator.claimed_score = weight
    evaluation.indicators[3].claimed_score = round(weights[3] * 0.9, 2)  # a 定性 row scored inside its band
    evaluation.claimed_total = 95.5
    style = Style(points=points, fund_weight=fund_weight, **changes)
    return profile, style, evaluation


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("profiles")
    out = {}
    for name in CASES:
        profile, style, evaluation = _case(name)
        foreign = write_form(evaluation, folder / f"{name}.xlsx", style)
        mine = copy.deepcopy(evaluation)
        if load_profile(profile).form.weights != "column":  # weights implied by the profile: the xlperf form has no 分值 cell
            for indicator in mine.indicators:
                indicator.weight = None
        out[name] = (foreign, build(folder, profile, mine, f"{name}-xlperf.xlsx"))
    return out


def _same(foreign: Path, xlperf_book: Path, profile: str) -> None:
    got, findings, how = read_any(foreign)
    assert how.foreign and how.profile == profile, (how, [str(f) for f in findings])
    assert not [f for f in findings if f.code == "form.profile_ambiguous"], findings
    assert not [f for f in findings if f.severity.value == "error"], findings
    want, _ = read_workbook(xlperf_book)
    if load_profile(profile).form.weights != "column":
        # weights implied by the profile: the foreign reader states the equal shares it used, the xlperf
        # form has no 分值 cell; the scored weights below must still agree
        got_json, want_json = copy.deepcopy(got), copy.deepcopy(want)
        for evaluation in (got_json, want_json):
            for indicator in evaluation.indicators:
                indicator.weight = None
        assert jsonio.to_json(got_json) == jsonio.to_json(want_json)
    else:
        assert jsonio.to_json(got) == jsonio.to_json(want)
    a, b = score(got), score(want)
    assert (a.total, a.grade) == (b.total, b.grade)
    assert [(s.points, s.weight) for s in a.indicators] == [(s.points, s.weight) for s in b.indicators]
    assert a.funds.rate == b.funds.rate
    assert (a.funds.score is None) == (b.funds.score is None)
    if a.funds.score is not None:
        assert (a.funds.score.points, a.funds.score.weight) == (b.funds.score.points, b.funds.score.weight)


@pytest.mark.parametrize("name", list(CASES))
def test_openpyxl_form_is_read_under_the_profile_it_shows(forms, name):
    _same(*forms[name], CASES[name][0])


@pytest.fixture(scope="module")
def converted(forms, tmp_path_factory, soffice_profile) -> dict[tuple[str, str], Path]:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    out = {}
    for fmt in ("xls", "ods"):
        folder = tmp_path_factory.mktemp(f"lo-{fmt}")
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{soffice_profile}", "--headless", "--convert-to", fmt, "--outdir", str(folder),
             *(str(forms[name][0]) for name in CASES)],
            capture_output=True, timeout=300, check=True,
        )
        for name in CASES:
            out[(name, fmt)] = folder / f"{name}.{fmt}"
    return out


@pytest.mark.parametrize("fmt", ["xls", "ods"])
@pytest.mark.parametrize("name", list(CASES))
def test_libreoffice_saved_form_is_read_under_the_profile_it_shows(forms, converted, name, fmt):
    _same(converted[(name, fmt)], forms[name][1], CASES[name][0])


def test_the_choice_and_its_sureness_are_said(forms):
    _got, findings, how = read_any(forms["adjusted"][0])
    chosen = [f for f in findings if f.code == "form.profile_chosen"]
    assert len(chosen) == 1 and "cz2020_adjusted" in chosen[0].message and "产出40" in chosen[0].message
    assert "评分方案 cz2020_adjusted" in how.label


def test_implied_weights_are_said_in_a_warning(forms):
    _got, findings, _how = read_any(forms["no_weight_column"][0])
    implied = [f for f in findings if f.code == "form.weights_implied"]
    assert len(implied) == 1 and "没有“分值”列" in implied[0].message and "产出指标 50 分÷3 项" in implied[0].message


def test_a_form_that_cannot_tell_two_profiles_apart_says_so_and_profile_overrides(tmp_path):
    evaluation = joined(sample())
    path = write_form(evaluation, tmp_path / "plain.xlsx", Style(order=NO_WEIGHT))  # no 分值, no printed weights
    got, findings, how = read_any(path)
    ambiguous = [f for f in findings if f.code == "form.profile_ambiguous"]
    assert how.profile == "cz2020" and len(ambiguous) == 1 and "cz2020_adjusted" in ambiguous[0].message
    assert how.profile_confidence <= 60
    got, findings, how = read_any(path, profile="cz2020_adjusted")
    assert how.profile == got.profile == "cz2020_adjusted"
    assert not [f for f in findings if f.code.startswith("form.profile_")]
    assert [i.weight for i in got.indicators] == [13.33, 13.33, 13.34, 30, 20]


def test_printed_weights_beat_the_profile_when_splitting(tmp_path):
    """产出指标（60分） printed under a 10号 form: the split uses 60, and the difference is flagged."""
    evaluation = joined(sample())
    path = write_form(evaluation, tmp_path / "sixty.xlsx",
                      Style(order=NO_WEIGHT, level1_points=True, points={"产出指标": 60, "效益指标": 20, "满意度指标": 10}))
    got, findings, _how = read_any(path)
    assert [i.weight for i in got.indicators][:3] == [20, 20, 20]
    assert any(f.code == "form.category_weight" for f in findings)


def test_a_rubric_frame_is_recognised_and_refused_with_the_fix(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["项目名称", "某项目"])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分"])
    for row in (["决策（10分）", "项目立项", "立项依据充分性", 5, "充分", "充分", 5],
                ["过程（25分）", "资金管理", "预算执行率", 10, "100%", "95%", 9.5],
                ["产出（30分）", "产出数量", "完成数量", 30, "10", 10, 30],
                ["效益（35分）", "项目效益", "社会效益", 35, "明显", "明显", 35]):
        ws.append(row)
    ws.append(["总分", None, None, 100, None, None, 89.5])
    path = tmp_path / "部门评价.xlsx"
    wb.save(path)
    with pytest.raises(WorkbookError) as caught:
        read_any(path)
    assert "bumen_pingjia" in caught.value.message and "xlperf new --profile bumen_pingjia" in caught.value.message


def test_an_xlperf_workbook_saved_again_by_libreoffice_reads_as_the_xlsx(tmp_path, soffice_profile):
    """.xls/.ods keep no defined names: the claims (总分, 等级, 执行率) are still found, by the layout's texts."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    for profile in ("cz2020", "fj2018"):
        evaluation = copy.deepcopy(joined(sample())) if profile == "cz2020" else None
        book = build(tmp_path, profile, evaluation, f"{profile}.xlsx")
        want, _ = read_workbook(book)
        if profile == "fj2018":
            from xlperf.examples import example_json

            want = jsonio.load(example_json())
            book = build(tmp_path, profile, want, f"{profile}.xlsx")
            want, _ = read_workbook(book)
        for fmt in ("ods", "xls"):
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{soffice_profile}", "--headless", "--convert-to", fmt, "--outdir", str(tmp_path / fmt), str(book)],
                capture_output=True, timeout=300, check=True,
            )
            got, findings, how = read_any(tmp_path / fmt / f"{profile}.{fmt}")
            assert not how.foreign and how.label == f"xlperf 工作簿（另存为 .{fmt}）"
            assert want.claimed_total is not None
            assert jsonio.to_json(got) == jsonio.to_json(want), (profile, fmt)
            assert score(got).total == score(want).total
            assert [f.code for f in findings] == ["workbook.resaved"], [str(f) for f in findings]
            resaved = tmp_path / fmt / f"{profile}.{fmt}"
            before = resaved.read_bytes()
            ran = CliRunner().invoke(cli, ["score", str(resaved)])
            assert ran.exit_code == 2 and "另存为 .xlsx" in ran.output and "xlperf import" not in ran.output, ran.output
            ran = CliRunner().invoke(cli, ["check", str(resaved)])
            assert ran.exit_code in (0, 1) and "Traceback" not in ran.output
            assert resaved.read_bytes() == before
