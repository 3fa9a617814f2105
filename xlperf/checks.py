"""Consistency checks: what a careful reviewer at the 主管部门 would catch.

Each check looks at the scored lines and the results and returns findings that
quote the value, state the rule and say how to fix it.
"""

from __future__ import annotations

from decimal import Decimal

from xlperf.findings import Finding, error, info, warning
from xlperf.model import Evaluation, Location
from xlperf.profile import Profile
from xlperf.results import Results
from xlperf.lines import Line, quantize, text
from xlperf.values import Kind, fmt_number, fmt_plain, to_decimal

TOLERANCE = Decimal("0.01")
FRACTION_MAX = Decimal("1.5")  # a rate at most this, where percent is meant, was written as a fraction
SIGNS = frozenset(("≥", ">", "≤", "<"))  # comparison signs a 实际完成值 should not carry
_NUMBER = Kind.NUMBER  # a global: Python 3.11 looks Kind.NUMBER up through EnumType.__getattr__
FUND_FIELDS = {"initial": "年初预算数", "budget": "全年预算数", "spent": "全年执行数", "received": "到位资金", "timely": "及时到位资金"}


def _p(value: Decimal) -> str:
    return fmt_plain(quantize(value, 2).normalize())


def check_weights(evaluation: Evaluation, profile: Profile, results: Results, lines: list[Line]) -> list[Finding]:
    found: list[Finding] = []
    scored_kind = "indicator" if profile.framework == "indicators" else "item"
    scored = [ln for ln in lines if ln.kind == scored_kind]
    groups: dict[str, list[Line]] = {}  # 一级 → its lines, in order: one pass, not one per subtotal
    for ln in scored:
        groups.setdefault(ln.level1 or "（未填一级指标）", []).append(ln)
    declared_total = Decimal(0)
    for sub in results.subtotals:
        if sub.level1 == "预算执行率":
            declared_total += sub.weight
            continue
        members = groups.get(sub.level1, [])
        first = members[0].where("weight") if members else Location(field="subtotals")
        if sub.expected_weight is None:
            names = "、".join(c.name for c in profile.categories)
            for ln in members:
                found.append(error("weights.unknown_level1", ln.where("level1"), f"一级指标“{ln.level1 or '（空）'}”不在评分方案中，应为 {names} 之一"))
            continue
        # 不适用 rows keep the weight they were given: the score is rescaled (折算), the weights as set must add up
        declared = _declared(members, sub.weight)
        declared_total += declared
        if members and declared != sub.expected_weight:
            found.append(error(
                "weights.level1_sum", first,
                f"“{sub.level1}”各项分值之和为{_p(declared)}分，应等于该一级指标的{_p(sub.expected_weight)}分；请调整分值",
            ))
        if not members:
            found.append(warning("weights.level1_empty", Location(field=f"subtotals.{sub.level1}"), f"一级指标“{sub.level1}”（{_p(sub.expected_weight)}分）下没有任何指标，请补充"))
    if not any(ln.not_applicable for ln in scored):
        declared_total = results.total_weight
    if scored and declared_total != profile.total:
        found.append(error(
            "weights.total", evaluation.total_loc or Location(field="total"),
            f"全部分值之和为{_p(declared_total)}分，应为{_p(profile.total)}分；请调整各项分值",
        ))
    if not scored:
        what = "绩效指标" if profile.framework == "indicators" else "评分表评分项"
        found.append(error("evaluation.empty", Location(field="indicators" if scored_kind == "indicator" else "items"), f"没有任何{what}，请填写"))
    return found


def _declared(members: list[Line], applicable: Decimal) -> Decimal:
    """The weights as set in the form: the applicable ones plus those of rows marked 不适用."""
    return applicable + sum((ln.weight or Decimal(0) for ln in members if ln.not_applicable), Decimal(0))


def places_of(value: Decimal) -> int:
    """Decimal places a number was written with (1.9 → 1, 99 → 0, 1.946 → 3)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agrees(claimed: Decimal, computed: Decimal, places: int) -> bool:
    """A claim agrees with the computed value at the claim's printed precision (99% for 99.10%)."""
    return abs(claimed - computed) < TOLERANCE or claimed == quantize(computed, places)


def check_scores(evaluation: Evaluation, profile: Profile, results: Results, lines: list[Line]) -> list[Finding]:
    found: list[Finding] = []
    scored_kind = "indicator" if profile.framework == "indicators" else "item"
    # the precision the unit printed its table in: the most decimals any of its claimed scores shows
    claims = [ln.claimed for ln in lines if ln.kind == scored_kind and ln.claimed is not None]
    table_places = max((places_of(c) for c in claims), default=2)
    for ln in lines:
        if ln.kind != scored_kind or ln.not_applicable or ln.score is None:
            continue
        s = ln.score
        if ln.claimed is not None and ln.weight is not None and ln.claimed > ln.weight:
            found.append(error(
                "score.over_weight", ln.where("claimed_score"),
                f"{ln.name}：自评得分{_p(ln.claimed)}超过分值{_p(ln.weight)}，请改为不超过{_p(ln.weight)}的数",
            ))
        discretionary = ln.spec is not None and ln.spec.kind in ("manual", "qualitative")
        if not discretionary and ln.claimed is not None and s.points is not None and not agrees(ln.claimed, s.points, table_places):
            found.append(warning(
                "score.claimed_differs", ln.where("claimed_score"),
                f"{ln.name}：自评得分{_p(ln.claimed)}与按规则计算的{_p(s.points)}分不一致（{s.explanation}）；请核对",
            ))
        if s.points is not None and s.weight is not None and s.points < s.weight and not text(ln.record.reason):
            label = "扣分原因" if ln.kind == "item" else "偏差原因分析及改进措施"
            found.append(warning(
                "reason.missing", ln.where("reason"),
                f"{ln.name}：{s.explanation}，低于满分{_p(s.weight)}分；请在“{label}”中说明原因",
            ))
    found.extend(_execution_claim(evaluation, results, max((places_of(c) for c in claims), default=0)))
    found.extend(_claimed_addition(evaluation, profile, lines, scored_kind, claims))
    claimed_total = to_decimal(evaluation.claimed_total)
    if claimed_total is not None and not agrees(claimed_total, results.total, places_of(claimed_total)):
        found.append(warning(
            "total.claimed_differs", evaluation.total_loc or Location(field="claimed_total"),
            f"自评总分{_p(claimed_total)}与计算的总分{_p(results.total)}不一致；请以计算结果为准并核对各项得分",
        ))
    claimed_grade = text(evaluation.claimed_grade)
    if claimed_grade and claimed_grade != results.grade:
        found.append(warning(
            "grade.claimed_differs", evaluation.total_loc or Location(field="claimed_grade"),
            f"自评等级“{claimed_grade}”与按总分{_p(results.total)}确定的等级“{results.grade}”不一致",
        ))
    return found


def _execution_claim(evaluation: Evaluation, results: Results, table_places: int) -> list[Finding]:
    """The unit's own 执行率 得分 against the one computed from the amounts, at the table's printed precision."""
    funds = evaluation.funds
    raw = getattr(funds, "claimed_score", None)
    claimed = to_decimal(raw)
    where = funds.where("claimed_score", "funds.")
    if claimed is None:
        return [error("score.unreadable", where, f"自评执行率得分“{text(raw)}”不是数字，请填写数字")] if text(raw) else []
    score = results.funds.score
    if score is None or score.weight is None:
        return [info("funds.claimed_score_unscored", where, f"评分方案不对预算执行率单独计分，所填执行率得分{_p(claimed)}未计入总分")]
    if not 0 <= claimed <= score.weight:
        return [error("score.over_weight", where, f"预算执行率：自评得分{_p(claimed)}不在0到分值{_p(score.weight)}分之间，请改为不超过{_p(score.weight)}的数")]
    places = max(table_places, places_of(claimed))
    if score.points is not None and not agrees(claimed, score.points, places):
        return [warning("score.claimed_differs", where, f"预算执行率：自评得分{_p(claimed)}与按金额计算的{_p(score.points)}分不一致（{score.explanation}）；请核对")]
    return []


def _claimed_addition(evaluation: Evaluation, profile: Profile, lines: list[Line], scored_kind: str, claims: list[Decimal]) -> list[Finding]:
    """The unit's own addition: its item scores (and its 执行率 score) add up to its total, as a reviewer adds them.

    Where the 执行率 score is scored but the unit did not write its own, the total must lie
    between the item scores' sum and that sum plus the 执行率 分值.
    """
    claimed_total = to_decimal(evaluation.claimed_total)
    scored = [ln for ln in lines if ln.kind == scored_kind]
    if claimed_total is None or not claims or len(claims) != len(scored) or any(ln.not_applicable for ln in scored):
        return []
    where = evaluation.total_loc or Location(field="claimed_total")
    places = places_of(claimed_total)
    added = sum(claims, Decimal(0))
    claimed_execution = to_decimal(getattr(evaluation.funds, "claimed_score", None))
    if claimed_execution is not None and profile.execution_weight > 0:
        added += claimed_execution
    elif profile.execution_weight > 0:
        low, high = quantize(added, places), quantize(added + profile.execution_weight, places)
        if low - TOLERANCE <= claimed_total <= high + TOLERANCE:
            return []
        return [warning(
            "total.claimed_sum", where,
            f"自评总分{_p(claimed_total)}与所填各项自评得分之和{_p(added)}对不上：加上预算执行率（{_p(profile.execution_weight)}分）"
            f"应在{_p(added)}到{_p(added + profile.execution_weight)}分之间；请核对加总",
        )]
    if agrees(claimed_total, added, places):
        return []
    return [warning("total.claimed_sum", where, f"自评总分{_p(claimed_total)}不等于所填各项自评得分之和{_p(added)}；请核对加总")]


def check_targets(evaluation: Evaluation, profile: Profile, results: Results, lines: list[Line]) -> list[Finding]:
    """Reasons for missed targets, remarks for large over-completion, copied targets."""
    found: list[Finding] = []
    for ln in lines:
        if ln.not_applicable or ln.score is None:
            continue
        s = ln.score
        # Each cell's text is read only when a check below needs it.
        missed_unscored = s.weight is None and s.status == "missed"
        over = s.ratio is not None and s.ratio >= profile.over_completion
        reason = text(ln.record.reason) if missed_unscored or over else ""
        if missed_unscored and not reason:
            found.append(warning("reason.missing", ln.where("reason"), f"{ln.name}：未达到目标值（{s.explanation}），请说明偏差原因和改进措施"))
        if over and not reason:
            found.append(warning(
                "remark.over_completion", ln.where("reason"),
                f"{ln.name}：完成比值{fmt_number(s.ratio)}%，超过目标值{_p(profile.over_completion - 100)}%以上；请说明原因"
                f"（{'是否年初指标值设定偏高（上限过宽）' if s.rule.startswith('reverse') else '是否年初指标值设定偏低'}）",
            ))
        signed_target = ln.target.op in SIGNS
        signed_actual = ln.actual.kind is _NUMBER and ln.actual.op in SIGNS
        if not (signed_target or signed_actual):
            continue
        target_text = text(ln.record.target)
        actual_text = text(ln.record.actual)
        if signed_target and actual_text and actual_text == target_text:
            found.append(warning(
                "value.actual_copies_target", ln.where("actual"),
                f"{ln.name}：实际完成值“{actual_text}”照抄了指标值，请填写实际达到的数值",
            ))
        if signed_actual and actual_text != target_text:
            found.append(info("value.actual_has_sign", ln.where("actual"), f"{ln.name}：实际完成值“{actual_text}”带有比较符号，请填写实际达到的数值"))
    return found


def check_funds(evaluation: Evaluation, profile: Profile, results: Results, lines: list[Line]) -> list[Finding]:
    found: list[Finding] = []
    funds = evaluation.funds
    total = funds.total
    # each amount read once, row by row (the checks below look at each one several times)
    amounts = [{name: to_decimal(getattr(row, name)) for name in FUND_FIELDS} for row in funds.rows]
    for name, label in FUND_FIELDS.items():
        whole = amounts[0][name]  # the 年度资金总额 row
        parts = [row[name] for row in amounts[1:]]
        present = [p for p in parts if p is not None]
        if whole is not None and whole != 0 and present and abs(sum(present, Decimal(0)) - whole) >= TOLERANCE:
            found.append(error(
                "funds.breakdown", total.where(name, "funds.rows[0]."),
                f"{label}：年度资金总额{fmt_number(whole)}万元，但当年财政拨款、上年结转资金、其他资金合计{fmt_number(sum(present, Decimal(0)))}万元；请核对",
            ))
    for i, row in enumerate(funds.rows):
        budget, spent = amounts[i]["budget"], amounts[i]["spent"]
        if budget is not None and spent is not None and spent > budget + TOLERANCE:
            found.append(error(
                "funds.overspent", row.where("spent", f"funds.rows[{i}]."),
                f"{row.label}：全年执行数{fmt_number(spent)}万元超过全年预算数{fmt_number(budget)}万元；请核对",
            ))
        for name, label in FUND_FIELDS.items():
            value = amounts[i][name]
            if value is not None and value < 0:
                found.append(error("funds.negative", row.where(name, f"funds.rows[{i}]."), f"{row.label}：{label}为负数（{fmt_number(value)}），请核对"))
    rate = results.funds.rate
    claimed = to_decimal(funds.claimed_rate)
    if claimed is not None and rate is not None and 0 < claimed <= FRACTION_MAX < rate:
        # 1 for 100 %, 0.9932 for 99.32 %: a rate written as a fraction, read by its context
        found.append(warning(
            "value.rate_fraction", funds.where("claimed_rate", "funds."),
            f"填报的执行率“{text(funds.claimed_rate)}”按{fmt_plain(claimed * 100)}%理解；请填写百分数，如 {fmt_plain(claimed * 100)}%",
        ))
        claimed = claimed * 100
    if claimed is not None and rate is not None and not agrees(claimed, rate, places_of(claimed)):
        found.append(warning(
            "funds.claimed_rate", funds.where("claimed_rate", "funds."),
            f"填报的执行率{fmt_number(claimed)}%与金额计算的{fmt_number(rate)}%（{results.funds.basis_label}口径）不一致；请改为{fmt_number(rate)}%",
        ))
    if rate is not None and rate < profile.deviation_rate and not text(funds.reason):
        found.append(warning(
            "reason.funds", funds.where("reason", "funds."),
            f"执行率{fmt_number(rate)}%低于{_p(profile.deviation_rate)}%，请说明执行率偏低的原因",
        ))
    return found


from xlperf.stages.promises import check_promises  # noqa: E402  (自评 against 运行监控; silent without stage data)

CHECKS = (check_weights, check_scores, check_targets, check_funds, check_promises)


def run_checks(evaluation: Evaluation, profile: Profile, results: Results, lines: list[Line]) -> list[Finding]:
    """Every check, in a stable order."""
    found: list[Finding] = []
    for check in CHECKS:
        found.extend(check(evaluation, profile, results, lines))
    return found
