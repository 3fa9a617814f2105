"""申报 target-quality checks: each on its failing side, and a clean declaration passing."""

import copy
from importlib import resources

import pytest

from xlperf import jsonio
from xlperf.model import Indicator
from xlperf.stages.targets import check_declaration


def declaration():
    path = resources.files("xlperf") / "examples" / "shenbao2024.json"
    return jsonio.from_json(__import__("json").loads(path.read_text(encoding="utf-8")))


def codes(ev):
    return [f.code for f in check_declaration(ev)]


def test_the_example_declaration_is_clean():
    assert check_declaration(declaration()) == []


def _with(index=0, **fields):
    ev = declaration()
    for name, value in fields.items():
        setattr(ev.indicators[index], name, value)
    return ev


@pytest.mark.parametrize(
    ("index", "fields", "code"),
    [
        (0, {"target": None}, "target.empty"),
        (0, {"target": "≥1200", "unit": None}, "target.no_unit"),
        (0, {"target": "≥-_-"}, "target.unreadable"),
        (4, {"target": "成效显著"}, "target.hollow"),
        (4, {"target": "≥95%成效显著"}, "target.hollow"),
        (4, {"target": "明显提升", "nature": "定性"}, "target.hollow"),
        (4, {"name": "社会效益显著", "target": "≥95%"}, "target.unmeasurable_percent"),
        (4, {"name": "群众获得感", "target": "≥95%"}, "target.unmeasurable_percent"),
        (5, {"target": "推动养老事业发展"}, "target.not_measurable"),
        (0, {"target": "服务全覆盖", "nature": None}, "target.quantity_qualitative"),
        (3, {"target": "≥1500", "nature": "≥"}, "target.cost_lower_bound"),
        (3, {"target": "≥1500元", "nature": None}, "target.cost_lower_bound"),
        (0, {"name": "补助资金拨付率", "target": "≥100%", "unit": "%"}, "target.restates_payment"),
        (0, {"name": "补助资金发放金额", "target": "≥300万元", "unit": None}, "target.restates_payment"),
        (0, {"name": "预算执行率", "target": "≥90%", "unit": "%"}, "target.restates_payment"),
        (0, {"target": "≥1000", "reference": "1100人"}, "target.below_last_year"),
        (3, {"target": "≤1500", "reference": "1300元"}, "target.below_last_year"),  # a cap looser than last year
        (0, {"weight": 25}, "weights.level1_sum"),
    ],
)
def test_each_check_fires_on_its_failing_side(index, fields, code):
    ev = _with(index, **fields)
    found = check_declaration(ev)
    assert code in [f.code for f in found]
    hit = next(f for f in found if f.code == code)
    assert hit.location.field.startswith(f"indicators[{index}].")  # the finding points at the row
    assert any("\u4e00" <= c <= "\u9fff" for c in hit.message)


def test_passing_sides_stay_quiet():
    # a saving is rightly a lower bound; a count of people paid is output, not a payment restated
    assert codes(_with(3, name="成本节约率", target="≥5%", unit="%", nature="≥")) == []
    assert codes(_with(0, name="补贴发放人数", target="≥1200")) == []
    assert codes(_with(0, target="≥1100", reference="1100人")) == []  # equal to last year is not lower
    assert codes(_with(0, target="≥1.2万人", reference="11000人")) == []  # units reconcile


def test_same_indicator_under_output_and_benefit():
    ev = declaration()
    twin = copy.deepcopy(ev.indicators[0])
    twin.level1, twin.level2, twin.weight, twin.loc = "效益指标", "社会效益指标", 0, {}
    ev.indicators.append(twin)
    found = [f for f in check_declaration(ev) if f.code == "target.output_as_benefit"]
    assert len(found) == 1 and found[0].location.field == f"indicators[{len(ev.indicators) - 1}].name"


def test_duplicate_indicator_in_one_category():
    ev = declaration()
    ev.indicators.append(Indicator(level1="产出指标", level2="数量指标", name="服务老年人数", target="≥1", unit="人", weight=0))
    assert "target.duplicate" in codes(ev)


def test_total_weight_must_add_up():
    ev = declaration()
    ev.indicators.pop()  # 满意度 gone: 90 of 100
    assert "weights.total" in codes(ev)
