"""The unit's own 执行率 得分 has an input cell in every form, is read back, and is checked."""

import pytest
from wbhelpers import build, cz_sample, example

from xlperf.layout import layout_for
from xlperf.scoring import score
from xlperf.workbook.reader import read_workbook


@pytest.mark.parametrize("profile", ["cz2020", "fj2018"])
def test_every_form_has_an_input_cell_for_the_claimed_execution_score(profile):
    slots = [s for _sheet, b in layout_for(profile).blocks() for s in getattr(b, "slots", ()) if s.key == "funds.claimed_score"]
    assert len(slots) == 1 and slots[0].role == "input"


def test_claimed_execution_score_is_read_and_checked_cz2020(tmp_path):
    evaluation = cz_sample()
    evaluation.funds.claimed_score = 3  # computed: 170.25 of 180.5 = 94.32% → 9.43 of 10
    read, _ = read_workbook(build(tmp_path, "cz2020", evaluation))
    assert read.funds.claimed_score == 3
    found = [f for f in score(read).findings if f.code == "score.claimed_differs" and f.location.field == "funds.claimed_score"]
    assert found and found[0].location.cell  # blamed on its cell


def test_claimed_execution_score_round_trips_fj2018(tmp_path):
    evaluation = example()
    evaluation.funds.claimed_score = 4.5
    read, _ = read_workbook(build(tmp_path, "fj2018", evaluation))
    assert read.funds.claimed_score == 4.5
