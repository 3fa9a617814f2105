"""A fact is computed once, in scoring, and carried in the results: fund totals and the applied profile.

The batch row, the report context and the local page take them from the results, so a
total row left at 0 while its breakdown is filled reads the same everywhere.
"""

from decimal import Decimal as D

from xlperf.batch.record import project_of
from xlperf.model import Evaluation, Indicator
from xlperf.report import build_context, report_profile
from xlperf.scoring import score


def zero_total() -> Evaluation:
    ev = Evaluation(profile="cz2020", indicators=[
        Indicator(level1="产出指标", level2="数量指标", name="培训人数", target="≥100人", actual="110人", weight=50),
        Indicator(level1="效益指标", level2="社会效益指标", name="覆盖率", target="≥90%", actual="95%", weight=30),
        Indicator(level1="满意度指标", level2="服务对象满意度指标", name="满意度", target="≥90%", actual="96%", weight=10),
    ])
    ev.project.year = 2020
    total, own, carried = ev.funds.rows[0], ev.funds.rows[1], ev.funds.rows[2]
    total.initial, total.budget, total.spent = 0, 0, 0  # left at 0 …
    own.initial, own.budget, own.spent = 80, 80, 76  # … while the breakdown is filled
    carried.initial, carried.budget, carried.spent = 20, 20, 20
    ev.settings = {"执行率分值": "20", "产出指标分值": "40"}
    return ev


def test_fund_totals_are_carried_in_the_results():
    results = score(zero_total())
    assert results.funds.rate == D("96.00")
    assert results.funds.totals["budget"] == 100 and results.funds.totals["spent"] == 96 and results.funds.totals["initial"] == 100


def test_batch_takes_the_totals_from_the_results():
    ev = zero_total()
    project = project_of(ev, score(ev))
    assert (project.budget, project.spent, project.rate) == (100, 96, D("96.00"))  # not the 0 of the total row


def test_report_takes_the_totals_and_the_profile_from_the_results():
    ev = zero_total()
    results = score(ev)
    profile = report_profile(ev, results)
    assert profile is results.applied and profile.execution_weight == 20  # 设置 applied once, in scoring
    context = build_context(ev, results, profile)
    assert context["funds"]["amounts"]["budget"] and "0" != context["funds"]["amounts"]["budget"]
    assert "100" in context["funds"]["amounts"]["budget"] and "96" in context["funds"]["amounts"]["spent"]


def test_the_local_page_shows_the_spent_amount_as_scored(tmp_path):
    from xlperf.app.scorepage import Outcome, view

    ev = zero_total()
    rows = view(Outcome(ev, score(ev), tmp_path / "x.json", None))["rows"]
    assert rows[0]["kind"] == "funds" and rows[0]["actual"] == "96"
