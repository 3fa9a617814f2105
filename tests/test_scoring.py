"""The core never raises on anything a cell can hold, and its numbers are consistent."""

import datetime as dt
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlperf import jsonio
from xlperf.examples import example_json
from xlperf.model import Evaluation, FundRow, Funds, Indicator, RubricItem
from xlperf.scoring import score

cell = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["≥57人", "3.12万件", "≤1天", "12月底前", "达成年度指标", "—", "是", "７*２４小时", "95%以上", "=0"]),
    st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.booleans(),
)


@st.composite
def indicators(draw):
    return Indicator(**{name: draw(cell) for name in (
        "level1", "level2", "name", "nature", "reference", "target", "unit", "actual", "weight", "claimed_score", "reason", "not_applicable", "rule")})


@st.composite
def items(draw):
    return RubricItem(**{name: draw(cell) for name in (
        "level1", "level2", "name", "weight", "criterion", "rule", "source", "target", "actual", "situation", "claimed_score", "reason", "not_applicable")})


@st.composite
def evaluations(draw):
    rows = [FundRow(label=label, **{n: draw(cell) for n in ("initial", "budget", "spent", "received", "timely")})
            for label in ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金")]
    return Evaluation(
        profile=draw(st.sampled_from(["cz2020", "fj2018"])),
        funds=Funds(rows=rows, claimed_rate=draw(cell), reason=draw(cell)),
        indicators=draw(st.lists(indicators(), max_size=6)),
        items=draw(st.lists(items(), max_size=6)),
        claimed_total=draw(cell),
        claimed_grade=draw(cell),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations())
def test_score_never_raises_and_stays_within_weights(ev):
    res = score(ev)
    assert res.grade
    for s in res.indicators + res.items:
        if s.points is not None and s.weight is not None:
            assert D(0) <= s.points <= max(s.weight, D(0))
    for f in res.findings:
        assert f.message and f.code


def test_example_scores_match_its_subtotals():
    res = score(jsonio.load(example_json()))
    assert res.total == sum(s.points for s in res.subtotals)
    assert res.grade == "优秀"
    assert {s.level1: s.weight for s in res.subtotals} == {"投入": 31, "过程": 30, "产出与效益": 41}
    # the funds-derived 资金使用率 is what gets scored, not the typed 99.40 %
    assert res.funds.rate == D("59.93")
    assert res.items[6].points == 0


def test_scoring_is_deterministic():
    a = score(jsonio.load(example_json()))
    b = score(jsonio.load(example_json()))
    assert a == b
