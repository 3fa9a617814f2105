"""Foreign 自评表 made by openpyxl (as a system export) and by LibreOffice (.xlsx, .xls, .ods) read to
the same evaluation, scores included, as the xlperf workbook holding the same data."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from foreign import Style, joined, sample, write_form
from wbhelpers import build

from xlperf import jsonio
from xlperf.forms.identify import read_any
from xlperf.scoring import score
from xlperf.workbook.reader import read_workbook

STYLES = {
    "plain": (Style(), joined),
    "split_two_row_header": (Style(split_target=True, order=("level1", "level2", "name", "target", "actual", "weight", "claimed_score", "reason")), None),
    "reordered": (Style(order=("name", "level2", "level1", "weight", "target", "claimed_score", "actual", "reason"), merge_level1=False), joined),
    "decorated": (Style(category_rows=True, blank_rows=True, notes=True), joined),
    "variants": (
        Style(
            split_target=True, codes=True, traditional=True,
            order=("level1", "level2", "name", "weight", "target", "actual", "claimed_score", "reason"),
            fund_labels=("年度资金总额", "本年一般公共预算拨款", "上年结转资金", "其他资金"),
            headers={"actual": "全年实际完成值", "reason": "未完成原因分析", "unit": "计量单位", "claimed_score": "自评得分"},
        ),
        None,
    ),
}


def _data(name: str):
    style, change = STYLES[name]
    evaluation = sample()
    return style, (change(evaluation) if change else evaluation)


def _same(foreign_path: Path, xlperf_path: Path) -> None:
    got, findings, how = read_any(foreign_path)
    assert how.foreign and how.confidence >= 80, how
    want, _ = read_workbook(xlperf_path)
    assert jsonio.to_json(got) == jsonio.to_json(want)
    a, b = score(got), score(want)
    assert a.total == b.total and a.grade == b.grade
    assert [(s.points, s.weight) for s in a.indicators] == [(s.points, s.weight) for s in b.indicators]
    assert a.funds.rate == b.funds.rate and a.funds.score.points == b.funds.score.points
    assert not [f for f in findings if f.severity.value == "error"], findings


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """style → (foreign .xlsx written by openpyxl, xlperf workbook with the same data)."""
    folder = tmp_path_factory.mktemp("forms")
    out = {}
    for name in STYLES:
        style, evaluation = _data(name)
        foreign = write_form(evaluation, folder / f"{name}.xlsx", style, lead_sheet=name == "decorated")
        out[name] = (foreign, build(folder, "cz2020", evaluation, f"{name}-xlperf.xlsx"))
    return out


@pytest.mark.parametrize("name", list(STYLES))
def test_openpyxl_export_reads_as_xlperf_workbook(forms, name):
    _same(*forms[name])


@pytest.fixture(scope="module")
def converted(forms, tmp_path_factory, soffice_profile) -> dict[tuple[str, str], Path]:
    """Each form saved again by LibreOffice as .xlsx, .xls and .ods (one soffice run per format)."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    out = {}
    for fmt in ("xls", "ods", "xlsx"):
        folder = tmp_path_factory.mktemp(f"lo-{fmt}")
        sources = [str(forms[name][0]) for name in STYLES]
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{soffice_profile}", "--headless", "--convert-to", fmt, "--outdir", str(folder), *sources],
            capture_output=True, timeout=300, check=True,
        )
        for name in STYLES:
            path = folder / f"{name}.{fmt}"
            assert path.exists(), f"LibreOffice wrote no {path.name}"
            out[(name, fmt)] = path
    return out


@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsx"])
@pytest.mark.parametrize("name", list(STYLES))
def test_libreoffice_saved_form_reads_as_xlperf_workbook(forms, converted, name, fmt):
    _same(converted[(name, fmt)], forms[name][1])
