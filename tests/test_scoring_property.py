"""Property test: the score equals a plain, independent implementation of the official formulas.

财预〔2020〕10号 as in scoring-rules.md §1.3–1.5 and §3: met → full marks; not met → w × a ÷ t
(≥ ＞ ＝); reverse → w × t ÷ a (比例) or linear to 0 at 2t (线性); each row 四舍五入 to two
places and capped at its weight; total = Σ rows + 执行率 × 10.
"""

from decimal import ROUND_HALF_UP, Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from xlperf.model import Evaluation, FundRow, Funds, Indicator
from xlperf.scoring import score

CENT = D("0.01")


def official(rule: str, t: D, a: D, w: D) -> D:
    if rule in ("≥", "="):
        s = w if a >= t else w * a / t
    elif rule == "≤比例":
        s = w if a <= t else w * t / a
    else:  # ≤线性
        s = w if a <= t else (w * (1 - (a - t) / t) if a < 2 * t else D(0))
    s = min(max(s, D(0)), w)
    return s.quantize(CENT, ROUND_HALF_UP)


amounts = st.decimals(min_value=D("0.1"), max_value=D("100000"), places=2, allow_nan=False, allow_infinity=False)


def _not_a_month(t: D) -> bool:
    """≤2024.05 is read as a deadline (May 2024) by design; the formulas here are for numbers."""
    whole, frac = divmod(t, 1)
    return not (1950 <= whole <= 2099 and D("0.01") <= frac <= D("0.12") or 1950 <= whole <= 2099 and frac * 10 in range(1, 10))


targets = amounts.filter(_not_a_month)
rows = st.lists(st.tuples(st.sampled_from(["≥", "=", "≤"]), targets, st.decimals(min_value=D(0), max_value=D("200000"), places=2),
                          st.integers(min_value=1, max_value=20)), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(rows, st.sampled_from(["比例", "线性"]), amounts, st.decimals(min_value=D(0), max_value=D("1"), places=4))
def test_score_equals_plain_official_formulas(lines, variant, budget, share):
    spent = (budget * share).quantize(CENT)
    indicators = [
        Indicator(level1="产出指标", name=f"指标{i}", target=f"{sign}{t}", actual=a, weight=w)
        for i, (sign, t, a, w) in enumerate(lines)
    ]
    funds = Funds(rows=[FundRow(label="年度资金总额", budget=budget, spent=spent)])
    results = score(Evaluation(indicators=indicators, funds=funds, settings={"反向计分": variant}))
    expected_total = D(0)
    for (sign, t, a, w), s in zip(lines, results.indicators):
        rule = sign if sign != "≤" else "≤" + variant
        expected = official(rule, t, a, D(w))
        assert s.points == expected, (sign, t, a, w, s.explanation)
        assert s.points <= D(w)
        expected_total += expected
    rate = spent / budget * 100
    execution = (min(D(10), D(10) * rate / 100)).quantize(CENT, ROUND_HALF_UP)
    assert results.funds.score.points == execution
    assert results.total == (expected_total + execution).quantize(CENT, ROUND_HALF_UP)
