"""申报: the quality of 绩效目标, as a reviewer of targets checks them before approval.

Developer notes: each check takes one indicator (or the whole tree) and returns
findings at the 指标值/名称 location. Values are read with ``xlperf.values``; the
weight sums reuse ``xlperf.checks`` through ``xlperf.scoring.score`` (a fact
computed once). The word lists below are the reviewers' published examples
(cycle.md) generalised: hollow wording is any phrase of degree without a
number; a percentage needs a ratio to measure (名称 with 率/度/比例/…);
a 数量指标 about money paid out restates budget execution, not output.
"""

from __future__ import annotations

import re

from xlperf.findings import Finding, error, warning
from xlperf.model import Evaluation, Indicator
from xlperf.lines import text
from xlperf.stages.matching import norm
from xlperf.values import Kind, comparable, parse

HOLLOW = re.compile(
    r"成效显著|效果显著|成效明显|效果明显|作用明显|明显(?:提升|提高|改善|增强|加强)|显著(?:提升|提高|改善|增强)"
    r"|有所(?:提升|提高|改善|增强)|进一步(?:提升|提高|改善|完善|加强|增强)|大幅(?:提升|提高|度)|不断(?:提升|提高|完善)"
    r"|逐步(?:提升|提高|完善)|稳步(?:提升|提高)|有效(?:提升|提高|改善|促进|保障)|得到(?:提升|提高|改善|加强)"
    r"|充分发挥|积极(?:作用|影响)|持续(?:提升|改善)|良好(?:效果|效益)?$|较好$|较大(?:提升|提高)"
)
RATE_WORDS = re.compile(r"率|度|比例|占比|比重|百分比|指数|份额|增幅|降幅|幅度|覆盖")
PAYMENT = re.compile(
    r"(?:资金|经费|预算|款项|补助|补贴|奖补|专项)[^，,；;]{0,6}(?:拨付|支付|发放|到位|执行|使用|支出|兑付)"
    r"|(?:拨付|支付|支出|执行|兑付)(?:率|进度|金额|资金)|执行率|支出进度"
)
MONEY_UNITS = ("元", "%")
COST_WORDS = re.compile(r"成本|费用|单价|造价")
SAVING = re.compile(r"节约|节省|降低|下降|压减|减少|控制率")


def _loc(ind: Indicator, i: int, name: str):
    return ind.where(name, f"indicators[{i}].")


def _name(ind: Indicator, i: int) -> str:
    return text(ind.name) or f"第{i + 1}行"


def _nature(ind: Indicator) -> str:
    return text(ind.nature).replace("＞", ">").replace("＜", "<").replace("＝", "=")


def check_measurable(ind: Indicator, i: int) -> list[Finding]:
    """指标值 empty, unreadable, without a unit, hollow, or a % on what cannot be measured."""
    name, raw = _name(ind, i), text(ind.target)
    unit = text(ind.unit)
    target = parse(ind.target, unit or None)
    where = _loc(ind, i, "target")
    if not raw:
        return [error("target.empty", where, f"{name}：没有填写年度指标值")]
    found: list[Finding] = []
    if HOLLOW.search(raw):
        found.append(warning("target.hollow", where,
                             f"{name}：指标值“{raw}”是“显著、明显、进一步”一类的空泛表述，无法考核；请改为可计量的数值或明确的完成标准"))
    if target.kind is Kind.UNREADABLE:
        found.append(error("target.unreadable", where, f"{name}：指标值“{raw}”无法识别（{target.note}）；请写成如“≥100人”“≤50万元”“2025年12月底前”"))
    elif target.kind is Kind.NUMBER:
        if not target.unit and _nature(ind) != "定性":
            found.append(warning("target.no_unit", where, f"{name}：指标值“{raw}”没有计量单位，请在指标值或计量单位中写明（人、件、%、万元等）"))
        if target.unit == "%" and (not RATE_WORDS.search(text(ind.name)) or HOLLOW.search(text(ind.name))):
            found.append(warning("target.unmeasurable_percent", where,
                                 f"{name}：指标值为百分比“{raw}”，但指标名称不是可计算的比率（如××率、××比例），无法考核；请改写指标名称或指标值"))
    elif target.kind is Kind.QUALITATIVE and target.level is None and not HOLLOW.search(raw):
        found.append(warning("target.not_measurable", where,
                             f"{name}：指标值“{raw}”不是数值、时限或定性分档，无法考核；请改为可计量的指标值"))
    if "数量" in text(ind.level2) and target.kind in (Kind.QUALITATIVE, Kind.YESNO):
        found.append(warning("target.quantity_qualitative", where, f"{name}：数量指标应为定量的数值，指标值“{raw}”不是数值"))
    return found


def check_cost(ind: Indicator, i: int) -> list[Finding]:
    """A cost indicator must be an upper bound (≤), never ≥."""
    cost = "成本" in text(ind.level2) or ("产出" in text(ind.level1) and COST_WORDS.search(text(ind.name)))
    if not cost or SAVING.search(text(ind.name)):
        return []  # 成本节约率 ≥5% is a saving, rightly a lower bound
    target = parse(ind.target, text(ind.unit) or None)
    op = _nature(ind) if _nature(ind) in ("≥", ">", "=", "≤", "<") else target.op
    if op in ("≥", ">"):
        return [error("target.cost_lower_bound", _loc(ind, i, "target"),
                      f"{_name(ind, i)}：成本指标写成“{text(ind.target)}”（不低于），等于鼓励多花钱；成本指标应写上限，如“≤{target.shown}”")]
    return []


def check_payment(ind: Indicator, i: int) -> list[Finding]:
    """A 数量指标 that only restates fund payment or budget execution."""
    if "数量" not in text(ind.level2):
        return []
    name = text(ind.name)
    target = parse(ind.target, text(ind.unit) or None)
    money = target.unit in MONEY_UNITS or re.search(r"(?:率|金额|进度|数额|资金)$", name)
    if PAYMENT.search(name) and money:
        return [warning("target.restates_payment", _loc(ind, i, "name"),
                        f"“{name}”只是复述资金拨付或预算执行，不是产出数量；请改为项目实际提供的产品或服务的数量（人数、件数、场次等）")]
    return []


def check_last_year(ind: Indicator, i: int) -> list[Finding]:
    """指标值设定偏低: a target easier than last year's actual (参考标准)."""
    unit = text(ind.unit) or None
    target, last = parse(ind.target, unit), parse(ind.reference, unit)
    if target.kind is not Kind.NUMBER or last.kind is not Kind.NUMBER:
        return []
    pair = comparable(target, last)
    if pair is None:
        return []
    t, a = pair
    op = _nature(ind) if _nature(ind) in ("≥", ">", "=", "≤", "<") else (target.op or "≥")
    name, where = _name(ind, i), _loc(ind, i, "target")
    if op in ("≥", ">", "=") and t < a:
        return [warning("target.below_last_year", where,
                        f"{name}：指标值“{text(ind.target)}”低于上年实际完成值“{last.shown}”，指标值设定偏低；请说明理由或提高指标值")]
    if op in ("≤", "<") and t > a:
        return [warning("target.below_last_year", where,
                        f"{name}：上限“{text(ind.target)}”高于上年实际“{last.shown}”，指标值设定偏宽松；请说明理由或收紧指标值")]
    return []


def check_tree(indicators: list[Indicator]) -> list[Finding]:
    """The same indicator under both 产出 and 效益, or twice in one 一级."""
    found: list[Finding] = []
    seen: dict[tuple[str, str], int] = {}
    output: dict[str, int] = {}
    for i, ind in enumerate(indicators):
        key = norm(ind.name)
        if not key:
            continue
        level1 = norm(ind.level1)
        if (level1, key) in seen:
            found.append(warning("target.duplicate", _loc(ind, i, "name"), f"指标“{text(ind.name)}”在“{text(ind.level1)}”下重复出现"))
            continue
        seen[(level1, key)] = i
        if "产出" in level1:
            output.setdefault(key, i)
    for i, ind in enumerate(indicators):
        key = norm(ind.name)
        if "效益" in norm(ind.level1) and key in output:
            found.append(warning("target.output_as_benefit", _loc(ind, i, "name"),
                                 f"指标“{text(ind.name)}”同时列在产出指标和效益指标下；效益指标应写项目带来的效果，而不是重复产出"))
    return found


PER_INDICATOR = (check_measurable, check_cost, check_payment, check_last_year)
WEIGHT_CODES = ("weights.", "evaluation.empty")


def check_declaration(evaluation: Evaluation) -> list[Finding]:
    """Every target-quality finding of a 申报, weights included."""
    from xlperf.findings import SEVERITY_ORDER
    from xlperf.scoring import score

    found: list[Finding] = []
    for i, ind in enumerate(evaluation.indicators):
        for check in PER_INDICATOR:
            found.extend(check(ind, i))
    found.extend(check_tree(evaluation.indicators))
    found.extend(f for f in score(evaluation).findings if f.code.startswith(WEIGHT_CODES))
    found.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return found
