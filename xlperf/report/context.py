"""The report context: plain dicts, lists and strings built from Evaluation + Results + Profile.

Pure: no Word, no files. The Word and Markdown templates receive exactly this
dictionary (plus ``figures``, filled in by the Word adapter), so both show the
same narrative. Paragraph lists are ready to print; each structured entry also
carries its parts, so an office may reword a sentence in its own template.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from xlperf.findings import SEVERITY_ORDER, Severity
from xlperf.model import Evaluation, Indicator, RubricItem
from xlperf.profile import Profile
from xlperf.report import sentences as s
from xlperf.report.title import name_pieces, title_lines
from xlperf.results import Results, Score

CONTEXT_KEYS = (
    "profile", "title", "project", "unit_info", "overview", "basics", "organisation", "finance", "method",
    "finance_typed", "method_typed",
    "funds", "budget", "goal", "goal_groups", "categories", "total", "problems", "measures",
    "suggestions", "suggestions_typed", "table", "findings", "signature", "chart_data", "figures", "monitoring",
)
FUND_SOURCES = ("资金使用率", "执行率", "资金到位率", "到位及时率")
NO_LEVEL1 = "（未填一级指标）"  # the group name scoring gives rows without 一级指标
CHART_LABEL_CHARS = 16

LABELS = {
    "rubric": {"reference": "参考标准", "target": "绩效目标值", "actual": "实际完成值"},
    "indicators": {"reference": "参考标准", "target": "年度指标值", "actual": "实际完成值"},
}


def build_context(evaluation: Evaluation, results: Results, profile: Profile) -> dict:
    """Everything the report templates print, as plain data."""
    framework = profile.framework
    project = _project(evaluation)
    funds = _funds(evaluation, results, profile)
    groups = _goal_groups(evaluation, results, framework)
    return {
        "profile": profile.id,
        "title": _title(project),
        "project": project,
        "unit_info": _unit_info(evaluation, project),
        "overview": _overview(evaluation, project),
        "basics": _basics(evaluation, project),
        "organisation": s.paragraphs(evaluation.project.organisation) or [s.NEUTRAL],
        "finance": _finance(evaluation, funds) or [s.NEUTRAL],
        "method": s.paragraphs(evaluation.project.method),
        # cz2020: the 报告材料 texts as typed (the amounts have their own section, 三、预算执行情况)
        "finance_typed": s.paragraphs(evaluation.project.finance) or [s.NEUTRAL],
        "method_typed": s.paragraphs(evaluation.project.method) or [s.NEUTRAL],
        "funds": funds,
        "budget": _budget(evaluation, results, profile, funds),
        "goal": _goal(evaluation, groups),
        "goal_groups": groups,
        "categories": _categories(evaluation, results, profile),
        "total": _total(results, profile),
        "problems": _problems(evaluation, results, framework),
        "measures": s.numbered(_typed_list(evaluation.measures)) or [s.NEUTRAL],
        "suggestions": s.numbered(_typed_list(evaluation.suggestions), "chinese") or [s.NEUTRAL],
        "suggestions_typed": s.numbered(_typed_list(evaluation.suggestions), "chinese"),
        "table": _rubric_table(evaluation, results) if framework == "rubric" else _indicator_table(evaluation, results),
        "findings": _findings(results),
        "signature": [line for line in (project["unit"], project["filled_on"]) if line],
        "chart_data": _chart_data(evaluation, results),
        "figures": {"ratios": None, "scores": None},
        "monitoring": _monitoring(evaluation),
    }


def _monitoring(evaluation: Evaluation) -> list[str]:
    """运行监控及纠偏情况 (xlperf.stages.report); empty for a file without 监控 data."""
    from xlperf.stages.report import monitoring_paragraphs

    return monitoring_paragraphs(evaluation)


def report_basename(evaluation: Evaluation) -> str:
    """项目名称_年度绩效自评报告 (not yet sanitised for the file system)."""
    name = s.raw_text(evaluation.project.name)
    year = s.raw_text(evaluation.project.year)
    tail = f"{year}年度绩效自评报告" if year else "绩效自评报告"
    return f"{name}_{tail}" if name else tail


# ---------------------------------------------------------------- 项目概况


def _project(evaluation: Evaluation) -> dict[str, str]:
    p = evaluation.project
    fields = ("unit", "department", "implementer", "name", "year", "attribute", "period", "filled_by", "phone", "filled_on")
    return {name: s.raw_text(getattr(p, name)).replace("\n", "") for name in fields}


def _title(project: dict[str, str]) -> dict:
    name, year = project["name"], project["year"]
    prefix = f"{year}年度" if year and not name.startswith(f"{year}年") else ""
    suffix = "" if name.endswith("项目") else "项目"
    second = f"关于{prefix}{name}{suffix}支出的绩效自评报告"
    lines = title_lines([name_pieces(project["unit"])]) if project["unit"] else []
    lines += title_lines([
        [f"关于{prefix}"] + name_pieces(name),  # 关于 never ends a line
        [f"{suffix}支出的"],
        ["绩效自评报告"],
    ])
    return {"lines": lines, "text": project["unit"] + second}


def _unit_info(evaluation: Evaluation, project: dict[str, str]) -> list[str]:
    typed = s.paragraphs(evaluation.project.duties)
    if typed:
        return typed
    built = s.clauses(
        f"项目单位为{project['unit']}" if project["unit"] else "",
        f"主管部门为{project['department']}" if project["department"] else "",
    )
    return [s.end(built)] if built else [s.NEUTRAL]


def _basics(evaluation: Evaluation, project: dict[str, str]) -> list[str]:
    """项目概况 for the 单位自评 outline: duties and overview together, one neutral line if both are blank."""
    duties = s.paragraphs(evaluation.project.duties)
    overview = [p for p in _overview(evaluation, project, with_goal=False) if p != s.NEUTRAL]  # the goal has its own section
    if not duties and project["unit"]:
        duties = [p for p in _unit_info(evaluation, project) if p != s.NEUTRAL]
    return duties + overview or [s.NEUTRAL]


def _overview(evaluation: Evaluation, project: dict[str, str], with_goal: bool = True) -> list[str]:
    typed = s.paragraphs(evaluation.project.overview)
    if not typed:
        attribute = project["attribute"].removesuffix("项目")
        built = s.end(s.clauses(
            f"项目起止时间为{project['period']}" if project["period"] else "",
            f"项目实施单位为{project['implementer']}" if project["implementer"] else "",
        )) + (f"该项目属于{attribute}项目。" if attribute else "")
        typed = [built] if built else []
    expected = s.raw_text(evaluation.goal.expected).replace("\n", "")
    if with_goal and expected and s.bare(expected) not in "".join(typed):
        typed.append(s.end(f"年度绩效目标：{expected}"))
    return typed or [s.NEUTRAL]


# ---------------------------------------------------------------- 资金


def _fund_total(evaluation: Evaluation, name: str) -> Decimal | None:
    """The 年度资金总额 figure, or the sum of its parts when the total row is blank (as scoring does)."""
    funds = evaluation.funds
    value = s.amount(getattr(funds.total, name))
    if value is not None:
        return value
    parts = [v for v in (s.amount(getattr(row, name)) for row in funds.parts) if v is not None]
    return sum(parts, Decimal(0)) if parts else None


def _funds(evaluation: Evaluation, results: Results, profile: Profile) -> dict:
    fr = results.funds
    values = {name: _fund_total(evaluation, name) for name in ("initial", "budget", "spent", "received", "timely")}
    basis = values["initial"] if fr.basis_label == "年初预算数" else values["budget"]
    figures = {"basis": basis, "spent": values["spent"], "received": values["received"], "balance": fr.balance}
    rates = {"rate": fr.rate, "received": fr.received_rate, "timely": fr.timely_rate}
    invest = "总投入" if fr.basis_label == "全年预算数" else "年初预算"
    sentence = s.funds_sentence(figures, rates, invest)
    reason = s.note_text(evaluation.funds.reason).replace("\n", "")
    return {
        "sentence": sentence,
        "reason": s.end(reason),
        "composition": [_composition(evaluation, values) or s.NEUTRAL],
        "rate": s.pct(fr.rate) if fr.rate is not None else "",
        "basis_label": fr.basis_label,
        "amounts": {k: s.wan(v) if v is not None else "" for k, v in values.items()},
        "balance": s.balance_clause(fr.balance),
    }


def _composition(evaluation: Evaluation, values: dict[str, Decimal | None]) -> str:
    """年度资金总额及其构成（全年预算数）."""
    head = s.clauses(
        f"项目年初预算数{s.wan(values['initial'])}" if values["initial"] is not None else "",
        f"全年预算数{s.wan(values['budget'])}" if values["budget"] is not None else "",
    )
    parts = []
    for row in evaluation.funds.parts:
        budget = s.amount(row.budget)
        if budget is not None:
            parts.append(f"{row.label}{s.wan(budget)}")
    text = head
    if parts:
        text = f"{text}，其中：{'、'.join(parts)}" if text else f"项目资金包括{'、'.join(parts)}"
    return s.end(text)


def _finance(evaluation: Evaluation, funds: dict) -> list[str]:
    typed = s.paragraphs(evaluation.project.finance)
    computed = funds["sentence"]
    if computed:
        typed.append(f"经核算，{computed}{funds['reason']}")
    return typed


def _budget(evaluation: Evaluation, results: Results, profile: Profile, funds: dict) -> list[str]:
    """三、预算执行情况 (cz2020): amounts, 执行率 and its score, the reason."""
    fr = results.funds
    amounts = funds["amounts"]
    first = s.clauses(
        f"项目全年预算数{amounts['budget']}" if amounts["budget"] else "",
        f"年初预算数{amounts['initial']}" if amounts["initial"] else "",
        f"全年执行数{amounts['spent']}" if amounts["spent"] else "",
        f"预算执行率{funds['rate']}（全年执行数÷{fr.basis_label}）" if funds["rate"] else "",
        funds["balance"],
    )
    out = [s.end(first)] if first else []
    parts = []
    for row in evaluation.funds.parts:
        budget, spent = s.amount(row.budget), s.amount(row.spent)
        pair = s.clauses(
            f"全年预算数{s.wan(budget)}" if budget is not None else "",
            f"全年执行数{s.wan(spent)}" if spent is not None else "",
        )
        if pair:
            parts.append(f"{row.label}{pair}")
    if parts:
        out.append(s.end(f"其中：{'；'.join(parts)}"))
    score = fr.score
    if score is not None and score.points is not None:
        out.append(f"预算执行率分值{s.pts(score.weight)}分，得分{s.pts(score.points)}分。")
    if funds["reason"]:
        out.append(funds["reason"])
    return out or [s.NEUTRAL]


# ---------------------------------------------------------------- 绩效目标


def _goal(evaluation: Evaluation, groups: list[dict]) -> dict:
    expected = s.raw_text(evaluation.goal.expected).replace("\n", "")
    achieved = s.paragraphs(evaluation.goal.achieved)
    overall = []
    if expected:
        overall.append(s.end(f"年度总体目标：{expected}"))
    if achieved:
        overall.append(s.end(f"实际完成情况：{''.join(s.end(a) for a in achieved)}"))
    return {"expected": expected, "achieved": achieved, "overall": overall or [s.NEUTRAL]}


def _level(raw, fallback: str = "") -> str:
    return s.raw_text(raw).replace("\n", "") or fallback


def _goal_groups(evaluation: Evaluation, results: Results, framework: str) -> list[dict]:
    scored = framework == "indicators"
    labels = LABELS[framework]
    tree: OrderedDict[str, OrderedDict[str, list[tuple[Indicator, Score]]]] = OrderedDict()
    for indicator, score in zip(evaluation.indicators, results.indicators):
        if not any(s.raw_text(getattr(indicator, f)) for f in ("name", "target", "actual")):
            continue
        level1 = _level(indicator.level1, "其他")
        tree.setdefault(level1, OrderedDict()).setdefault(_level(indicator.level2), []).append((indicator, score))
    groups = []
    for n, (level1, subs) in enumerate(tree.items(), 1):
        subgroups, k = [], 0
        for level2, members in subs.items():
            lines = [s.goal_line(s.circled(i), ind, sc, scored=scored, labels=labels) for i, (ind, sc) in enumerate(members, 1)]
            k += 1 if level2 else 0
            subgroups.append({"level2": level2, "lines": lines, "text": s.subgroup_text(k if level2 else None, level2, lines)})
        head = s.level1_heading(n, level1)
        body = "".join(sub["text"] for sub in subgroups)
        groups.append({"level1": level1, "head": head, "body": body, "text": head + body, "subgroups": subgroups})
    return groups


# ---------------------------------------------------------------- 评分表


def _metric(item: RubricItem, results: Results) -> Decimal | None:
    source = s.raw_text(item.source)
    fr = results.funds
    return {"资金使用率": fr.rate, "执行率": fr.rate, "资金到位率": fr.received_rate, "到位及时率": fr.timely_rate}.get(source)


def _group_of(record) -> str:
    return _level(record.level1, NO_LEVEL1)


def _categories(evaluation: Evaluation, results: Results, profile: Profile) -> list[dict]:
    """三、（三）: per 一级 its subtotal sentence and each item's sentence (rubric profiles)."""
    if not evaluation.items:
        return []
    out = []
    ordinal = 0
    for subtotal in results.subtotals:
        members = [(it, sc) for it, sc in zip(evaluation.items, results.items) if _group_of(it) == subtotal.level1]
        if not members:
            continue
        ordinal += 1
        items = []
        for n, (item, score) in enumerate(members, 1):
            label = s.item_label(n, item)
            body = s.item_body(item, score, _metric(item, results))
            items.append({"label": label, "body": body, "text": label + body, "points": _pts(score.points), "weight": _pts(score.weight)})
        out.append({
            "name": subtotal.level1,
            "heading": s.category_heading(ordinal, subtotal, profile.total),
            "weight": s.pts(subtotal.weight),
            "points": s.pts(subtotal.points),
            "entries": items,
        })
    return out


def _pts(value: Decimal | None) -> str:
    return s.pts(value) if value is not None else ""


# ---------------------------------------------------------------- total


def _total(results: Results, profile: Profile) -> dict:
    shares = [f"{c.name}（{s.share(c.weight, profile.total)}）" for c in profile.categories]
    if profile.execution_weight:
        shares.insert(0, f"预算执行率（{s.share(profile.execution_weight, profile.total)}）")
    breakdown = "；".join(f"{st.level1}满分{s.pts(st.weight)}分，得分{s.pts(st.points)}分" for st in results.subtotals)
    points = s.pts(results.total)
    return {
        "points": points,
        "weight": s.pts(profile.total),
        "grade": results.grade,
        "shares": "、".join(shares),
        "breakdown": s.end(f"其中，{breakdown}") if breakdown else "",
        "sentence": f"项目自评{points}分，自评等级{results.grade}。",
    }


# ---------------------------------------------------------------- 问题、措施、建议


def _typed_list(items) -> list[str]:
    out = []
    for item in items or []:
        text = s.strip_numbering(s.raw_text(item).replace("\n", ""))
        if text and text.lower() not in s.PLACEHOLDERS:
            out.append(s.end(text))
    return out


def _problems(evaluation: Evaluation, results: Results, framework: str) -> list[str]:
    typed = _typed_list(evaluation.problems)
    if typed:
        return s.numbered(typed)
    found = []
    for indicator, score in zip(evaluation.indicators, results.indicators):
        if score.status == "missed" or _short(score):
            name = s.raw_text(indicator.name) or "该指标"
            ratio = f"（目标完成比值{s.pct(score.ratio)}）" if score.ratio is not None else ""
            found.append(s.end(s.clauses(f"{name}未达到{LABELS[framework]['target']}{ratio}", s.reason_clause(s.note_text(indicator.reason)))))
    for item, score in zip(evaluation.items, results.items):
        if _short(score):
            name = s.raw_text(item.name) or "该评分项"
            found.append(s.end(s.clauses(f"{name}满分{s.pts(score.weight)}分，得{s.pts(score.points)}分", s.note_text(item.reason))))
    return s.numbered(found) or [s.NEUTRAL]


def _short(score: Score) -> bool:
    return score.points is not None and score.weight is not None and score.points < score.weight


# ---------------------------------------------------------------- appendix tables


def _first_only(rows: list[dict], key: str, parent: str | None = None) -> None:
    """Show a repeated 一级/二级 name on its group's first row only."""
    previous = None
    for row in rows:
        current = (row.get(parent, "") if parent else "", row[key])
        if current == previous:
            row[key] = ""
        previous = current


def _rubric_table(evaluation: Evaluation, results: Results) -> dict:
    rows = []
    for item, score in zip(evaluation.items, results.items):
        reason = s.bare(s.note_text(item.reason))
        if not reason and _short(score):
            reason = s.bare(score.explanation)
        rows.append({
            "level1": _level(item.level1), "level2": _level(item.level2), "name": _level(item.name),
            "weight": _pts(score.weight) or s.raw_text(item.weight),
            "points": "不适用" if score.status == "not_applicable" else _pts(score.points),
            "reason": reason,
        })
    _mask(rows)
    return {"rows": rows, "total": {"weight": s.pts(results.total_weight), "points": s.pts(results.total), "grade": results.grade},
            **_form_blocks(evaluation, results)}


def _indicator_table(evaluation: Evaluation, results: Results) -> dict:
    rows = []
    fr = results.funds
    if fr.score is not None:
        rows.append({
            "level1": "预算执行率", "level2": "", "name": f"预算执行率（按{fr.basis_label}）",
            "target": "", "actual": s.pct(fr.rate) if fr.rate is not None else "",
            "weight": _pts(fr.score.weight), "points": _pts(fr.score.points),
            "reason": s.bare(s.note_text(evaluation.funds.reason)),
        })
    for indicator, score in zip(evaluation.indicators, results.indicators):
        unit = s.raw_text(indicator.unit)
        rows.append({
            "level1": _level(indicator.level1), "level2": _level(indicator.level2), "name": _level(indicator.name),
            "target": s.with_operator(s.raw_text(indicator.nature), s.raw_text(indicator.target, unit)).replace("\n", ""),
            "actual": s.raw_text(indicator.actual, unit).replace("\n", ""),
            "weight": _pts(score.weight) or s.raw_text(indicator.weight),
            "points": "不适用" if score.status == "not_applicable" else _pts(score.points),
            "reason": s.bare(s.note_text(indicator.reason)),
        })
    _mask(rows)
    return {"rows": rows, "total": {"weight": s.pts(results.total_weight), "points": s.pts(results.total), "grade": results.grade},
            **_form_blocks(evaluation, results)}


def _form_blocks(evaluation: Evaluation, results: Results) -> dict:
    """What 附件1 shows besides the indicators, as on the 自评表: project, 项目资金, 年度总体目标."""
    p = evaluation.project
    info = [
        {"a": "项目名称", "b": _level(p.name), "c": "年度", "d": _level(p.year)},
        {"a": "主管部门", "b": _level(p.department), "c": "实施单位", "d": _level(p.implementer)},
        {"a": "单位名称", "b": _level(p.unit), "c": "起止时间", "d": _level(p.period)},
    ]
    fr = results.funds
    funds = []
    for i, row in enumerate(evaluation.funds.rows):
        first = i == 0
        funds.append({
            "label": _level(row.label),
            **{k: _money(s.amount(getattr(row, k))) for k in ("initial", "budget", "spent")},
            "weight": _pts(fr.score.weight) if first and fr.score is not None else "",
            "rate": s.pct(fr.rate) if first and fr.rate is not None else "",
            "points": _pts(fr.score.points) if first and fr.score is not None else "",
        })
    goal = [{"expected": s.raw_text(evaluation.goal.expected), "achieved": s.raw_text(evaluation.goal.achieved)}]
    return {"info": {"rows": info}, "funds": {"rows": funds}, "goal": {"rows": goal}}


def _money(value: Decimal | None) -> str:
    return s.fmt_number(value) if value is not None else ""


def _mask(rows: list[dict]) -> None:
    for row in rows:
        row["group"] = row["level1"]
    _first_only(rows, "level2", "group")
    _first_only(rows, "level1")
    for row in rows:
        del row["group"]


# ---------------------------------------------------------------- findings, charts


def _findings(results: Results) -> list[str]:
    """Errors and warnings, for the appendix 附：校验发现的问题."""
    shown = [f for f in results.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    shown.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    out = []
    for i, f in enumerate(shown, 1):
        where = f"{f.location}：" if f.location.sheet and f.location.cell else ""
        out.append(s.end(f"{i}.（{f.severity.label}）{where}{s.clean(f.message).replace(chr(10), '')}"))
    return out


def _chart_data(evaluation: Evaluation, results: Results) -> dict:
    ratios = []
    for indicator, score in zip(evaluation.indicators, results.indicators):
        if score.ratio is None or score.status == "not_applicable":
            continue
        name = s.raw_text(indicator.name).replace("\n", "") or "（未命名指标）"
        label = name if len(name) <= CHART_LABEL_CHARS else name[: CHART_LABEL_CHARS - 1] + "…"
        ratios.append({"label": label, "value": float(score.ratio)})
    scores = [{"label": st.level1, "weight": float(st.weight), "points": float(st.points)} for st in results.subtotals]
    return {"ratios": ratios, "scores": scores}
