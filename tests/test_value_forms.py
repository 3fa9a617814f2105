"""A corpus of printed 指标值 / 实际完成值 pairs (tests/data/value_forms.csv), scored as one indicator each.

Each row gives what a reviewer reads: the status (met / missed / unreadable), the completion ratio
in percent, the points out of 10, and a finding code that must be among the findings. Every row
must also keep the invariants of "no silent wrong number": no traceback, points never above the
weight, and no ratio above 10,000 % without a finding on the row.
"""

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from xlperf.model import Evaluation, Indicator, ProjectInfo
from xlperf.scoring import score

ROWS = list(csv.DictReader((Path(__file__).parent / "data" / "value_forms.csv").open(encoding="utf-8")))


def test_corpus_is_large_and_distinct():
    pairs = {(r["target"], r["actual"], r["nature"], r["unit"]) for r in ROWS}
    assert len(pairs) == len(ROWS) >= 300


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['target']}|{r['actual']}|{r['nature']}|{r['unit']}" for r in ROWS])
def test_value_form(row):
    indicator = Indicator(level1="产出指标", level2="数量指标", name="指标", target=row["target"], actual=row["actual"],
                          nature=row["nature"] or None, unit=row["unit"] or None, weight=10)
    results = score(Evaluation(project=ProjectInfo(year=2023), indicators=[indicator]))
    s = results.indicators[0]
    mine = [f for f in results.findings if f.location.field.startswith("indicators[0].")]
    codes = {f.code for f in mine}
    # the invariants
    assert s.points is None or D(0) <= s.points <= D(10)
    if s.ratio is not None and s.ratio > 10000:
        assert mine, f"ratio {s.ratio}% without a finding"
    # the expected reading
    if row["finding"]:
        assert row["finding"] in codes, (codes, s.explanation)
    if row["status"] == "unreadable":
        assert s.points is None and s.status == "unreadable", s
        found = [f for f in mine if f.code == row["finding"]]
        assert found and found[0].severity == "error"
        if row["finding"].endswith("_unreadable"):
            side = row["target"] if "target" in row["finding"] else row["actual"]
            assert side in found[0].message  # the original text, never a fragment
        return
    assert s.status == row["status"], s
    if row["ratio"]:
        assert s.ratio == D(row["ratio"]), s
    assert s.points == D(row["points"]), s
    assert not [f for f in mine if f.severity == "error" and not f.code.startswith("weights.")], mine
