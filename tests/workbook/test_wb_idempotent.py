"""score is idempotent whatever happened to the defined names, and texts are cut to fit a cell (issue 17)."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from wbhelpers import rewrite_member

from xlperf.examples import example_workbook
from xlperf.ooxml.cellvalue import MAX_TEXT
from xlperf.sources import score_loaded, score_workbook
from xlperf.workbook.reader import load_workbook
from xlperf.workbook.writer import TRUNCATED, write_results

FINDINGS_SHEET = "校验结果"


@pytest.fixture
def book(tmp_path) -> Path:
    path = tmp_path / "绩效自评.xlsx"
    shutil.copyfile(example_workbook(), path)
    return path


def rows_of(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


NAME_DAMAGE = {
    "deleted": lambda d: re.sub(r'<definedName name="xlperf_findings">[^<]*</definedName>', "", d),
    "#REF!": lambda d: re.sub(r'(<definedName name="xlperf_findings">)[^<]*(</definedName>)', r"\1#REF!\2", d),
    "both deleted": lambda d: re.sub(r'<definedName name="xlperf_findings(?:_summary)?">[^<]*</definedName>', "", d),
}


@pytest.mark.parametrize("damage", list(NAME_DAMAGE))
def test_findings_are_not_appended_again_when_the_name_is_lost(book, damage):
    rewrite_member(book, "xl/workbook.xml", NAME_DAMAGE[damage])
    assert score_workbook(book)[2] is True
    first = rows_of(book, FINDINGS_SHEET)
    data = book.read_bytes()
    assert score_workbook(book)[2] is False  # nothing to change the second time
    assert score_workbook(book)[2] is False
    assert book.read_bytes() == data and rows_of(book, FINDINGS_SHEET) == first


def test_an_explanation_longer_than_a_cell_is_cut_with_a_marker_not_refused(book):
    loaded = load_workbook(book, with_findings_sheet=True)
    evaluation, results = score_loaded(loaded)
    long_text = "说明" * 20_000  # 40,000 characters: two legal 16k inputs quoted in one explanation
    results.indicators[0] = dataclasses.replace(results.indicators[0], explanation=long_text)
    assert write_results(book, evaluation, results, loaded=loaded)
    texts = [v for row in rows_of(book, "绩效目标") for v in row if isinstance(v, str) and v.startswith("说明说明")]
    assert len(texts) == 1
    assert len(texts[0]) <= MAX_TEXT and texts[0].endswith(TRUNCATED)
