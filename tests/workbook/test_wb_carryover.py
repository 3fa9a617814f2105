"""Year two: ``xlperf new --from last-year.xlsx`` works for every shipped profile."""

import pytest
from click.testing import CliRunner
from wbhelpers import build, cz_sample, example

from xlperf.cli import cli
from xlperf.lines import text
from xlperf.workbook.reader import read_workbook


@pytest.mark.parametrize("profile, sample", [("cz2020", cz_sample), ("fj2018", example)])
def test_new_from_last_year_keeps_tree_targets_and_last_actuals(tmp_path, profile, sample):
    last = sample()
    path = build(tmp_path, profile, last)
    out = tmp_path / "next.xlsx"
    result = CliRunner().invoke(cli, ["new", "--from", str(path), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    new, _ = read_workbook(out)
    assert new.profile == profile
    assert [(i.level1, i.level2, i.name, i.target) for i in new.indicators] == [
        (i.level1, i.level2, i.name, i.target) for i in last.indicators]
    # last year's actuals stay visible (参考标准 / 上年实际完成值), this year's are blank
    assert [text(i.reference) for i in new.indicators] == [text(i.actual) or text(i.reference) for i in last.indicators]
    assert all(i.actual is None for i in new.indicators)
