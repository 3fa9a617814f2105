"""Score an evaluation: every indicator and rubric item, the funds, subtotals, total and grade.

``score(evaluation)`` is the one entry point every adapter calls (the command
line, the Excel button, the batch review, the report), so all of them give the
same numbers. It is plain Python over the model: no files, no Excel, no Word.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from functools import lru_cache

from xlperf import rules
from xlperf.errors import ProfileError
from xlperf.checks import run_checks
from xlperf.findings import SEVERITY_ORDER, Finding, error, warning
from xlperf.lines import Line, is_marked, quantize, text
from xlperf.model import Evaluation, Indicator, Location
from xlperf.profile import Profile, load_profile
from xlperf.results import FundsResult, Results, Score, Subtotal
from xlperf.rules import Outcome, RuleSpec, parse_rule
from xlperf.values import MEASURE_WORDS, Kind, Value, bare_with_multiplier, comparable, fmt_number, fmt_plain, measure_words, nature_op, parse, to_decimal

FUND_SOURCES = ("资金使用率", "执行率", "资金到位率", "到位及时率")
# snags that still give a score the reader can trust: warnings, not errors
WARNING_PROBLEMS = frozenset(("qualitative.default_top", "value.unit_assumed", "value.measure_word", "value.rate_fraction"))
ZERO, ONE = Decimal(0), Decimal(1)
FRACTION_MAX = Decimal("1.5")  # a bare number at most this, against a percent target, is a fraction  # Decimals are immutable: one of each serves every line


def default_spec(nature: str, target: Value, profile: Profile) -> RuleSpec:
    """The rule an indicator gets from its 指标性质, or else from its target's sign."""
    return _default_spec(nature, target.kind, target.op, profile.reverse_variant)


@lru_cache(maxsize=1024)
def _default_spec(nature: str, kind: Kind, target_op: str | None, reverse_variant: str) -> RuleSpec:
    # RuleSpecs are frozen, so lines may share one; a batch asks the same few questions thousands of times.
    sign = nature_op(nature)
    if sign == "定性":
        return RuleSpec("qualitative", "定性")
    op = sign if sign in ("≥", ">", "=", "≤", "<") else target_op
    if kind is Kind.DEADLINE:
        return RuleSpec("deadline", "按期")
    if kind is Kind.YESNO:
        return RuleSpec("yesno", "是否")
    if kind is Kind.QUALITATIVE:
        return RuleSpec("qualitative", "定性")
    if op in ("≤", "<"):
        return RuleSpec("reverse_linear" if reverse_variant == "线性" else "reverse_ratio", "反向")
    if op == "=":
        return RuleSpec("equal", "等于")
    return RuleSpec("positive", "正向")


def resolve_spec(spec: RuleSpec, profile: Profile) -> RuleSpec:
    if spec.kind == "reverse":
        return RuleSpec("reverse_linear" if profile.reverse_variant == "线性" else "reverse_ratio", spec.text)
    return spec


# Python 3.11's EnumType.__getattr__ makes each ``Kind.X`` several times dearer than a global:
# the per-line paths below use these (the very same members).
_EMPTY = Kind.EMPTY
_NUMERIC = (Kind.NUMBER, Kind.SERVICE)  # the kinds that carry a number to score with


def _number_of(value: Value) -> Decimal | None:
    return value.number if value.kind in _NUMERIC else None


# Rules that compare two numbers; nearly every indicator has one, so apply_rule tries them first.
COMPARED = frozenset(("positive", "reverse_ratio", "reverse_linear", "equal", "step"))
_MISSING_ACTUAL = Outcome(None, None, "unreadable", "未填写实际完成值", ("value.actual_missing", "请填写实际完成值"))


def apply_rule(line: Line, profile: Profile, year: int | None) -> Outcome:
    """Score one line with its rule; points are unrounded, None when it cannot be scored."""
    spec, tv, av = line.spec, line.target, line.actual
    w = line.weight if line.weight is not None else ONE
    assert spec is not None
    kind = spec.kind
    if kind in COMPARED:  # the checks below are for the other kinds only: the same answer, sooner
        if av.kind is _EMPTY:
            return _MISSING_ACTUAL
        return _compared(spec, tv, av, w, profile.measure_words)
    if kind == "manual":
        if line.claimed is None:
            return Outcome(None, None, "manual", "人工评分项，尚未填写自评得分", ("score.manual_missing", "人工评分项请填写自评得分"))
        claimed = min(max(line.claimed, Decimal(0)), w)
        status = "met" if claimed >= w else "manual"
        return Outcome(claimed, None, status, f"人工评分，得{rules.pts(claimed)}")
    if kind == "qualitative":
        level = av.level if av.kind in (Kind.QUALITATIVE, Kind.YESNO) else None
        if av.kind is Kind.YESNO:
            level = "met" if av.level == "yes" else "missed"
        return rules.qualitative(level, w, line.claimed, profile.qualitative_lower_cut, profile.rounding_places)
    if av.kind is Kind.EMPTY:
        return _MISSING_ACTUAL
    if kind == "deadline":
        if tv.kind is not Kind.DEADLINE:
            return _unreadable("target", tv, "时限（如 2018年12月底前）")
        if av.kind is not Kind.DEADLINE and not (av.kind is Kind.QUALITATIVE and av.level):
            return _unreadable("actual", av, "完成时间（如 2018年12月）")
        return rules.deadline(tv, av, w, line.claimed, year)
    if kind == "yesno":
        if av.kind is not Kind.YESNO:
            return _unreadable("actual", av, "“是”或“否”")
        expected = tv.level if tv.kind is Kind.YESNO else "yes"
        return rules.yesno(av, w, expected or "yes")
    if kind in ("threshold", "tiered"):
        a = _number_of(av)
        if a is None:
            return _unreadable("actual", av, "数值（如 96%）")
        return rules.threshold(spec, a, w, av) if kind == "threshold" else rules.tiered(spec, a, w, av)
    if kind == "execution":
        return Outcome(None, None, "unreadable", "执行率规则只用于项目资金", ("rule.misplaced", "“执行率”规则只用于预算执行率，请改用阈值或正向规则"))
    return _compared(spec, tv, av, w, profile.measure_words)  # any other kind is scored as a step rule, as it always was


def _compared(spec: RuleSpec, tv: Value, av: Value, w: Decimal, groups: tuple = MEASURE_WORDS) -> Outcome:
    """positive, reverse, equal, step: two comparable numbers (the actual is known not to be empty)."""
    kind = spec.kind
    if tv.kind is _EMPTY:
        return Outcome(None, None, "unreadable", "未填写指标值", ("value.target_missing", "请填写年度指标值"))
    if tv.kind not in _NUMERIC or tv.number is None:  # _number_of(tv) is None, without the call
        return _unreadable("target", tv, "数值（如 ≥57人）")
    if av.kind not in _NUMERIC or av.number is None:
        return _unreadable("actual", av, "数值（如 59人）")
    note = None
    if tv.unit == "%" and not av.unit and av.kind is Kind.NUMBER and ZERO < av.number <= FRACTION_MAX < tv.number:
        # 0.98 against ≥95%: a rate written as a fraction, read by its context
        percent = Value(Kind.NUMBER, f"{fmt_plain(av.number * 100)}%", av.op, av.number * 100, "%")
        note = ("value.rate_fraction", f"实际完成值“{av.text}”按{percent.text}理解；请填写百分数，如 {percent.text}")
        av = percent
    rescaled = bare_with_multiplier(tv, av)
    if rescaled is not None:
        target_side = rescaled.text == tv.text and tv.unit != rescaled.unit
        bare, other = (tv, av) if target_side else (av, tv)
        shown = _multiplier_unit(other)
        rescaled = rescaled.__class__(rescaled.kind, f"{bare.text}{shown}", rescaled.op, rescaled.number, rescaled.unit, scale=rescaled.scale)
        if target_side:
            tv = rescaled
        else:
            av = rescaled
        side = "年度指标值" if target_side else "实际完成值"
        note = ("value.unit_assumed", f"{side}“{bare.text}”未写单位，已按“{other.text}”的单位（{shown}）理解；请补写单位")
    pair = comparable(tv, av)
    if pair is None and measure_words(tv, av, groups):
        pair = (tv.number, av.number)
        note = ("value.measure_word", f"指标值“{tv.text}”与实际完成值“{av.text}”的量词不同（{tv.unit}与{av.unit}），已按同一计量单位计算完成比值；请统一用词")
    if pair is None:
        return Outcome(
            None, None, "unreadable", f"单位不一致（{tv.unit}与{av.unit}）",
            ("value.unit_mismatch", f"指标值“{tv.text}”与实际完成值“{av.text}”的单位不一致（{tv.unit}与{av.unit}），无法计算完成比值；请统一单位"),
        )
    t, a = pair
    if kind == "positive":
        out = rules.positive(t, a, w, tv, av)
    elif kind in ("reverse_ratio", "reverse_linear"):
        out = rules.reverse(t, a, w, tv, av, "线性" if kind == "reverse_linear" else "比例")
    elif kind == "equal":
        out = rules.equal(t, a, w, tv, av)
    else:
        out = rules.step(spec, t, a, w, tv, av)
    if note is not None and out.problem is None:
        out = out._replace(problem=note)
    return out


_MULTIPLIER_NAMES = {4: "万", 8: "亿", 3: "千", 7: "千万", 6: "百万", 12: "万亿"}


def _multiplier_unit(value: Value) -> str:
    return f"{_MULTIPLIER_NAMES.get(value.scale, '')}{value.unit}"


def _unreadable(which: str, value: Value, expected: str) -> Outcome:
    label = "年度指标值" if which == "target" else "实际完成值"
    return Outcome(
        None, None, "unreadable", f"无法识别{label}",
        (f"value.{which}_unreadable", f"无法识别{label}“{value.text}”，应填写{expected}"),
    )


def _line(kind: str, index: int, record, profile: Profile, problems: list[Finding]) -> Line:
    prefix = f"{'indicators' if kind == 'indicator' else 'items'}[{index}]."
    unit = text(getattr(record, "unit", None)) or None
    target = parse(record.target, unit)
    actual = parse(record.actual, unit)
    weight = to_decimal(record.weight)
    claimed = to_decimal(record.claimed_score)
    line = Line(kind, index, record, prefix, target, actual, weight, claimed, None, is_marked(record.not_applicable))
    rule_text = text(record.rule)
    if rule_text:
        try:
            line.spec = resolve_spec(parse_rule(rule_text), profile)
        except ProfileError as exc:
            problems.append(error("rule.unreadable", line.where("rule"), exc.message))
    if line.spec is None:
        if kind == "item" and target.kind is Kind.EMPTY and actual.kind is Kind.EMPTY:
            line.spec = RuleSpec("manual", "手工")
        else:
            line.spec = default_spec(text(getattr(record, "nature", None)), target, profile)
    # A cell read as a number is never blank: its text is only needed when it could not be read.
    if weight is None and text(record.weight):
        problems.append(error("weight.unreadable", line.where("weight"), f"分值“{text(record.weight)}”不是数字，请填写数字"))
    elif weight is not None and weight < ZERO:
        problems.append(error("weight.negative", line.where("weight"), f"{line.name}：分值{text(record.weight)}为负数，请改为正数"))
        line.weight = None
    if claimed is None and text(record.claimed_score):
        problems.append(error("score.unreadable", line.where("claimed_score"), f"自评得分“{text(record.claimed_score)}”不是数字，请填写数字"))
    return line


def _outcome_score(line: Line, outcome: Outcome, profile: Profile, scored: bool) -> Score:
    spec = line.spec
    assert spec is not None
    points = None
    weight = line.weight
    if scored and outcome.points is not None:
        # min(max(points, 0), weight), spelled out: the same comparisons, without the calls
        points = outcome.points
        if weight is not None:
            if ZERO > points:
                points = ZERO
            if weight < points:
                points = weight
        if profile.rounding_order == "逐项":
            points = quantize(points, profile.rounding_places)
            if weight is not None and weight < points:
                points = weight  # a weight with more decimals than the rounding
    ratio = quantize(outcome.ratio, 2) if outcome.ratio is not None else None
    explanation = outcome.explanation
    if not scored:
        explanation = explanation.split("，得")[0]
        if outcome.ratio is None and outcome.status == "met":
            explanation += "，已完成"
    return _score(points, line.weight if scored else None, ratio, spec.kind, spec.label, explanation, outcome.status)


def _frozen_maker(cls):
    """A positional constructor for the plain frozen dataclass ``cls``, for a hot loop.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``;
    filling a new instance's ``__dict__`` gives the same object (equal, same hash and
    repr) in a third of the time for Score's seven fields. Falls back to ``cls`` itself
    unless ``cls`` is a dataclass without slots, ``__post_init__`` or init-less fields.
    """
    names = tuple(f.name for f in fields(cls))
    if hasattr(cls, "__slots__") or hasattr(cls, "__post_init__") or not all(f.init for f in fields(cls)):
        return cls
    new = object.__new__

    def make(*values):
        obj = new(cls)
        obj.__dict__.update(zip(names, values))
        return obj

    probe = tuple(f"{name}?" for name in names)
    try:
        return make if make(*probe) == cls(*probe) and repr(make(*probe)) == repr(cls(*probe)) else cls
    except Exception:
        return cls


_score = _frozen_maker(Score)  # one Score per line scored


def _funds(evaluation: Evaluation, profile: Profile, problems: list[Finding]) -> FundsResult:
    funds = evaluation.funds
    total = funds.total

    def amount(row, name):
        value = to_decimal(getattr(row, name))
        if value is None and text(getattr(row, name)):
            problems.append(error("funds.unreadable", row.where(name, f"funds.rows[{funds.rows.index(row)}]."), f"金额“{text(getattr(row, name))}”不是数字，请填写以万元为单位的数字"))
        return value

    zero_total: list[str] = []  # 年度资金总额 left at 0 while its breakdown is filled

    def total_of(name):
        value = amount(total, name)
        if value is not None and value != 0:
            return value
        parts = [amount(row, name) for row in funds.parts]
        present = [p for p in parts if p is not None]
        if value is not None and not any(present):
            return value
        if value is not None and name not in zero_total:
            zero_total.append(name)
        return sum(present, Decimal(0)) if present else None

    basis_name = "budget" if profile.execution_basis == "全年预算数" else "initial"
    initial = total_of("initial")
    budget = total_of("budget")
    basis = budget if basis_name == "budget" else initial
    spent = total_of("spent")
    received = total_of("received")
    timely = total_of("timely")
    rate = rules.ratio_of(spent, basis) if basis is not None and spent is not None else None
    score = None
    if profile.execution_weight > 0:
        w = profile.execution_weight
        if rate is None:
            score = Score(None, w, None, "execution", rules.LABELS["execution"], f"缺少全年执行数或{profile.execution_basis}", "unreadable")
            missing = [label for key, label, value in ((basis_name, profile.execution_basis, basis), ("spent", "全年执行数", spent)) if value is None]
            first = "spent" if spent is None else basis_name
            problems.append(error("funds.missing", total.where(first, "funds.rows[0]."), f"请填写年度资金总额的{'和'.join(missing)}，才能计算预算执行率"))
        else:
            spec = None
            if profile.execution_rule != "比例":
                try:
                    spec = parse_rule(profile.execution_rule)
                except ProfileError as exc:
                    problems.append(error("rule.unreadable", Location(field="settings.执行率计分", sheet="设置"), exc.message))
            out = rules.execution(spec, rate, w, profile.execution_basis, spent, basis)
            points = min(max(out.points or Decimal(0), Decimal(0)), w)
            if profile.rounding_order == "逐项":
                points = quantize(points, profile.rounding_places)
            score = Score(points, w, quantize(rate, 2), "execution", rules.LABELS["execution"], out.explanation, out.status)
    if zero_total:
        labels = {"initial": "年初预算数", "budget": "全年预算数", "spent": "全年执行数", "received": "到位资金", "timely": "及时到位资金"}
        cells = "、".join(labels[n] for n in zero_total)
        problems.append(warning(
            "funds.total_zero", total.where(zero_total[0], "funds.rows[0]."),
            f"年度资金总额的{cells}填为0，但其下分项已填写；已按分项合计计算执行率，请在年度资金总额行填写合计数",
        ))
    return FundsResult(
        rate=quantize(rate, 2) if rate is not None else None,
        basis_label=profile.execution_basis,
        received_rate=quantize(rules.ratio_of(received, budget), 2) if received is not None and budget else None,
        timely_rate=quantize(rules.ratio_of(timely, budget), 2) if timely is not None and budget else None,
        balance=basis - spent if basis is not None and spent is not None else None,
        score=score,
        totals={"initial": initial, "budget": budget, "spent": spent,
                "received": received, "timely": timely},
    )


def _fund_metric(source: str, funds: FundsResult) -> Decimal | None:
    return {"资金使用率": funds.rate, "执行率": funds.rate, "资金到位率": funds.received_rate, "到位及时率": funds.timely_rate}[source]


def _bind_source(line: Line, evaluation: Evaluation, funds: FundsResult, by_name: dict[str, Indicator], problems: list[Finding]) -> None:
    """Take an item's actual (and target) from the funds or the 绩效目标 it names."""
    item = line.record
    source = text(getattr(item, "source", None))
    if not source:
        return
    if source in FUND_SOURCES:
        metric = _fund_metric(source, funds)
        if metric is None:
            return
        computed = Value(kind=Kind.NUMBER, text=f"{fmt_number(metric)}%", number=metric, unit="%")
        typed = line.actual
        if typed.kind is Kind.NUMBER and typed.number is not None and abs(typed.number - metric) >= Decimal("0.01"):
            problems.append(warning(
                "item.funds_differs", line.where("actual"),
                f"{line.name}填写为“{typed.text}”，但按资金表金额计算为{fmt_number(metric)}%；已按{fmt_number(metric)}%计分，请核对并改正",
            ))
        line.actual = computed
        return
    name = source.replace("：", ":").split(":", 1)[-1].strip()
    indicator = by_name.get(name)
    if indicator is None:
        problems.append(warning("item.source_missing", line.where("source"), f"数据来源“{source}”在绩效目标表中找不到同名指标；请核对名称"))
        return
    unit = text(indicator.unit) or None
    ind_actual = parse(indicator.actual, unit)
    if line.actual.kind is Kind.EMPTY:
        line.actual = ind_actual
    elif ind_actual.kind is Kind.NUMBER and line.actual.kind is Kind.NUMBER:
        pair = comparable(ind_actual, line.actual)
        if pair is None or pair[0] != pair[1]:
            problems.append(warning(
                "item.indicator_differs", line.where("actual"),
                f"{line.name}的实际值“{line.actual.text}”与绩效目标表“{name}”的实际完成值“{ind_actual.text}”不一致；请核对，二者应为同一数据",
            ))
    if line.target.kind is Kind.EMPTY:
        line.target = parse(indicator.target, unit)


def assess(evaluation: Evaluation, profile: Profile) -> tuple[Results, list[Line]]:
    """Score everything; return the results (without the checks' findings) and the lines."""
    problems: list[Finding] = []
    year = to_decimal(evaluation.project.year)
    year_int = int(year) if year is not None and 1900 < year < 3000 else None
    funds = _funds(evaluation, profile, problems)
    tasks = []
    if evaluation.tasks:  # 部门整体支出: the 年度主要任务 table
        from xlperf.tasks import assess_tasks

        tasks = assess_tasks(evaluation, profile, funds, problems)
    scored_indicators = profile.framework == "indicators"

    lines: list[Line] = []
    indicator_scores: list[Score] = []
    implied = None
    if profile.form.implied:  # no 分值 column: the profile gives each row its weight
        from xlperf.implied_weights import implied_weights

        implied, unplaced = implied_weights(evaluation.indicators, profile)
        problems.extend(unplaced)
    for i, record in enumerate(evaluation.indicators):
        line = _line("indicator", i, record, profile, problems)
        if implied is not None and line.weight is None:
            line.weight = implied[i]
        indicator_scores.append(_score_line(line, profile, year_int, scored_indicators, problems))
        lines.append(line)

    by_name: dict[str, Indicator] = {}  # 绩效目标 by name, for items whose 数据来源 names one (no items, no need)
    if evaluation.items:
        by_name = {text(ind.name): ind for ind in evaluation.indicators if text(ind.name)}
    item_scores: list[Score] = []
    for i, record in enumerate(evaluation.items):
        line = _line("item", i, record, profile, problems)
        _bind_source(line, evaluation, funds, by_name, problems)
        item_scores.append(_score_line(line, profile, year_int, True, problems))
        lines.append(line)

    scored = [ln for ln in lines if (ln.kind == "item") != scored_indicators]
    subtotals, total, total_weight = _totals(scored, funds, profile)
    results = Results(
        profile=profile.id,
        indicators=indicator_scores,
        items=item_scores,
        funds=funds,
        subtotals=subtotals,
        total=quantize(total, profile.rounding_places),
        total_weight=total_weight,
        grade=profile.grade_for(total),
        findings=problems,
        tasks=tasks,
        applied=profile,
    )
    return results, lines


def _score_line(line: Line, profile: Profile, year: int | None, scored: bool, problems: list[Finding]) -> Score:
    if line.not_applicable:
        line.score = Score(None, line.weight if scored else None, None, line.spec.kind, line.spec.label, "不适用，不参与评分", "not_applicable")
        return line.score
    if scored and line.weight is None:
        if to_decimal(line.record.weight) is None and not text(line.record.weight) and not profile.form.implied:
            problems.append(error("weight.missing", line.where("weight"), f"{line.name}缺少分值，请填写分值"))
        outcome = apply_rule(line, profile, year)
        line.score = Score(None, None, quantize(outcome.ratio, 2) if outcome.ratio is not None else None, line.spec.kind, line.spec.label, "缺少分值，未计分", "unreadable")
        return line.score
    outcome = apply_rule(line, profile, year)
    if outcome.problem and (scored or outcome.problem[0].startswith("value.")):
        code, message = outcome.problem
        make = warning if code in WARNING_PROBLEMS else error
        field_name = "actual" if "actual" in code or code.startswith("qualitative") else "target" if "target" in code else "claimed_score"
        if code in ("value.unit_mismatch", "value.measure_word", "value.rate_fraction"):
            field_name = "actual"
        elif code == "value.unit_assumed":
            field_name = "actual" if "实际完成值" in message.split("“")[0] else "target"
        if code == "qualitative.default_top":
            field_name = "claimed_score"
        problems.append(make(code, line.where(field_name), f"{line.name}：{message}"))
    line.score = _outcome_score(line, outcome, profile, scored)
    return line.score


def _totals(lines: list[Line], funds: FundsResult, profile: Profile) -> tuple[list[Subtotal], Decimal, Decimal]:
    order = [c.name for c in profile.categories]
    groups: dict[str, list[Line]] = {name: [] for name in order}
    for line in lines:
        groups.setdefault(line.level1 or "（未填一级指标）", []).append(line)
    subtotals: list[Subtotal] = []
    points_sum = Decimal(0)
    weight_sum = Decimal(0)
    applicable_weight = Decimal(0)
    if funds.score is not None:
        subtotals.append(Subtotal("预算执行率", profile.execution_weight, funds.score.points or Decimal(0), profile.execution_weight))
        points_sum += funds.score.points or Decimal(0)
        weight_sum += profile.execution_weight
        applicable_weight += profile.execution_weight
    for name, members in groups.items():
        # both sums in one pass, adding in the same order from the same start as sum() would
        weight = points = ZERO
        for ln in members:
            if ln.not_applicable:
                continue
            weight += ln.weight or ZERO
            if ln.score:
                points += ln.score.points or ZERO
        if profile.rounding_order != "逐项":
            points = quantize(points, profile.rounding_places)
        category = profile.category(name)
        subtotals.append(Subtotal(name, weight, points, category.weight if category else None))
        points_sum += points
        weight_sum += weight
        applicable_weight += weight
    has_na = any(ln.not_applicable for ln in lines)
    total = points_sum
    if has_na and profile.na_mode == "折算" and applicable_weight > 0:
        total = points_sum / applicable_weight * profile.total
    return subtotals, total, weight_sum


def weight_findings(evaluation: Evaluation, profile: Profile) -> list:
    """A warning for each 一级 (or 执行率) weight the 设置 sheet moved from the profile's default."""
    from xlperf.profile import category_setting_key, weight_departures

    found = []
    for name, default, now in weight_departures(profile):
        key = "执行率分值" if name == "预算执行率" else category_setting_key(name)
        location = evaluation.settings_loc.get(key) or Location(field="settings", sheet="设置")
        found.append(warning("settings.weight_changed", location, f"“{name}”的分值改为{now}（评分方案默认{default}），请确认已按规定报批"))
    return found


def score(evaluation: Evaluation, profile: Profile | None = None) -> Results:
    """Score an evaluation and run every check; the one call all adapters make."""
    if profile is None:
        try:
            profile = load_profile(evaluation.profile, evaluation.settings)
        except ProfileError as exc:
            location = next(iter(evaluation.settings_loc.values()), Location(field="settings", sheet="设置"))
            profile = load_profile(evaluation.profile)  # the workbook's own profile, without its 设置
            results, lines = assess(evaluation, profile)
            results.findings.insert(0, error("settings.invalid", location, f"{exc.message}；已按默认评分方案计分"))
            results.findings.extend(run_checks(evaluation, profile, results, lines))
            return results
    results, lines = assess(evaluation, profile)
    results.findings.extend(run_checks(evaluation, profile, results, lines))
    results.findings.extend(weight_findings(evaluation, profile))
    results.findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])  # stable: errors first, then as found
    return results

