"""Checks inside the text: every figure against the others it must agree with."""

from __future__ import annotations

import re
from decimal import Decimal

from xlperf.audit.extract import Extraction, Fig, IndicatorStatement, ScoreStatement
from xlperf.audit.findings import AuditFinding
from xlperf.audit.names import best_match
from xlperf.findings import Severity
from xlperf.values import Kind, fmt_plain

E, W = Severity.ERROR, Severity.WARNING
REVERSE_WORDS = re.compile(r"时间|时长|用时|成本|费用|投资|单价|电费|减少|缩短|降低|差错|投诉|事故|超支")
MONTHLY = re.compile(r"每月|月均|月度|每个月")
HUNDRED = Decimal(100)


def f(d: Decimal | None) -> str:
    return "" if d is None else fmt_plain(d.quantize(Decimal("0.01")) if d != d.to_integral_value() else d)


def _tol(text: str) -> Decimal:
    m = re.search(r"\.(\d+)", text)
    places = len(m.group(1)) if m else 0
    return Decimal(5) / (Decimal(10) ** (places + 1)) + Decimal("0.0001")


def _same(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= max(abs(a), abs(b)) * Decimal("0.0005") + Decimal("0.005")


def check_text(ex: Extraction, profile: str | None = None) -> list[AuditFinding]:
    out: list[AuditFinding] = []
    for st in ex.indicators:
        _indicator(st, out)
    for st in ex.items:
        if not st.table:
            _item_rule(st, out)
    _same_indicator(ex, out)
    _prose_vs_indicators(ex, out)
    _tables_vs_text(ex, out)
    _categories(ex, out)
    _totals(ex, out, profile)
    _funds(ex, out)
    return out


# ---------------------------------------------------------------- one indicator statement

def _indicator(st: IndicatorStatement, out: list[AuditFinding]) -> None:
    t, a, r = st.figs.get("target"), st.figs.get("actual"), st.figs.get("ratio")
    for x, y in ((st.figs.get("reference"), t), (t, a)):
        if x and y and x.number is not None and y.number is not None and _unit_clash(x, y):
            out.append(_unit_finding(st.para, st.name, x, y))
    tn, an = _measured(t), _measured(a)
    if not (t and a and r) or tn is None or an is None or r.number is None or r.value.unit != "%":
        _score_vs_ratio(st, out)
        return
    if _unit_clash(t, a) or t.value.kind is not a.value.kind or tn == 0 or an == 0:
        return
    stated = r.number
    forward = an / tn * HUNDRED
    reverse = tn / an * HUNDRED
    candidates = [forward, min(forward, HUNDRED)]
    if t.value.op in ("≤", "<") or REVERSE_WORDS.search(st.name):
        candidates += [reverse, min(reverse, HUNDRED)]
    if not any(abs(stated - c) <= _tol(r.text) for c in candidates):
        use = reverse if t.value.op in ("≤", "<") else forward
        arith = (f"{t.text}÷{a.text}" if use is reverse else f"{a.text}÷{t.text}") + f"={f(use)}%"
        out.append(AuditFinding(E, "audit.ratio", (st.para,),
                                f"“{st.name}”的目标完成比值写作{r.text}，按实际完成值和目标值计算为{arith}；请核对。", r.text))
    _score_vs_ratio(st, out)


def _measured(fig: Fig | None) -> Decimal | None:
    """The number of a figure that has one: 52万份, 95%, also 7*24小时 (168 hours a week)."""
    if fig is None or fig.value.kind not in (Kind.NUMBER, Kind.SERVICE):
        return None
    return fig.value.number


def _score_vs_ratio(st: IndicatorStatement, out: list[AuditFinding]) -> None:
    w, s, r = st.figs.get("weight"), st.figs.get("score"), st.figs.get("ratio")
    if not (w and s) or w.number is None or s.number is None:
        return
    if s.number > w.number:
        out.append(AuditFinding(E, "audit.score", (st.para,), f"“{st.name}”得分{s.text}分超过分值{w.text}分。", s.text))
        return
    if r and r.number is not None and r.value.unit == "%":
        expected = (w.number * min(r.number, HUNDRED) / HUNDRED).quantize(Decimal("0.01"))
        if abs(expected - s.number) > Decimal("0.011"):
            out.append(AuditFinding(E, "audit.score", (st.para,),
                                    f"“{st.name}”得分写作{s.text}分，按完成比值计算应为{w.text}×{f(min(r.number, HUNDRED))}%={f(expected)}分；请核对。",
                                    s.text))


def _unit_clash(x: Fig, y: Fig) -> bool:
    ux, uy = x.value.unit, y.value.unit
    return bool(ux and uy and ux != uy)


def _unit_finding(para: int, name: str, x: Fig, y: Fig) -> AuditFinding:
    note = ""
    if ("万" in x.text) != ("万" in y.text) or ("亿" in x.text) != ("亿" in y.text):
        note = "，且数量级不同（一个带“万/亿”，一个不带）"
    return AuditFinding(W, "audit.unit", (para,),
                        f"“{name}”的计量单位前后不一致：{x.text}与{y.text}{note}；请统一单位后再计算完成比值。", y.text)


# ---------------------------------------------------------------- one score statement against its rule

def _item_rule(st: ScoreStatement, out: list[AuditFinding]) -> None:
    w, s = st.weight, st.score
    if w is None or s is None:
        return
    label = f"{st.level1}-{st.level2}-{st.name}" if st.level2 else st.name
    if s > w:
        out.append(AuditFinding(E, "audit.score", (st.para,), f"“{label}”得{f(s)}分，超过满分{f(w)}分。", f"得{f(s)}分"))
        return
    if st.deduction is not None and w - st.deduction != s:
        out.append(AuditFinding(E, "audit.score", (st.para,),
                                f"“{label}”满分{f(w)}分，扣{f(st.deduction)}分应得{f(w - st.deduction)}分，文中写得{f(s)}分。", f"得{f(s)}分"))
        return
    met = _rule_met(st)
    if met is True and s < w and st.deduction is None:
        out.append(AuditFinding(E, "audit.rule", (st.para,),
                                f"“{label}”的评分标准是{_rule_text(st)}得满分{f(w)}分，文中情况已满足（{_situation_text(st)}），却只得{f(s)}分；"
                                "请核对得分或说明扣分原因。", f"得{f(s)}分"))
    elif met is False and s >= w:
        out.append(AuditFinding(E, "audit.rule", (st.para,),
                                f"“{label}”的评分标准是{_rule_text(st)}得满分{f(w)}分，文中实际为{st.actual.text}，未达到，却得满分{f(s)}分；请核对。",
                                f"得{f(s)}分"))


def _rule_text(st: ScoreStatement) -> str:
    if st.threshold is not None:
        return f"{st.threshold_op}{st.threshold.text}"
    m = re.search(r"无[^，。、；得]{1,3}?(?=差异|得|，|。|$)", st.criterion)
    return m.group(0) if m else "条件满足"


def _situation_text(st: ScoreStatement) -> str:
    return st.actual.text if st.actual is not None else _rule_text(st)


def _rule_met(st: ScoreStatement) -> bool | None:
    t, a = st.threshold, st.actual
    if t is not None and a is not None and t.number is not None and a.number is not None:
        if t.value.unit and a.value.unit and t.value.unit != a.value.unit:
            return None
        if re.search(r"每(?:减少|降低|少)", st.criterion) and a.number < t.number:
            return None
        op, tv, av = st.threshold_op, t.number, a.number
        return {"≥": av >= tv, ">": av > tv, "≤": av <= tv, "<": av < tv}.get(op)
    m = re.search(r"无[^，。、；得]{1,3}?(?=差异|得|，|。|$)", st.criterion)
    if m and t is None:
        phrase = m.group(0)
        if phrase in st.situation and not re.search(r"未|不|但|存在|有差异|扣", st.situation):
            return True
    return None


# ---------------------------------------------------------------- the same indicator in two places

def _subject(st: ScoreStatement) -> str:
    crit = st.criterion
    if st.threshold is not None:
        crit = crit[:crit.find(st.threshold.text)] if st.threshold.text in crit else crit
    return re.sub(r"(?:达到|达|大于|高于|超过|不低于|小于等于|小于|以上|得满分.*)$", "", crit.strip(" ，,。"))


def _same_indicator(ex: Extraction, out: list[AuditFinding]) -> None:
    names = [st.name for st in ex.indicators]
    if not names:
        return
    for it in ex.items:
        if it.table:
            continue
        kind = _percent(it.actual or it.threshold)
        allowed = [j for j, st in enumerate(ex.indicators)
                   if kind is None or _percent(st.figs.get("actual") or st.figs.get("target")) in (None, kind)]
        j = best_match([it.name, _subject(it)], [names[k] for k in allowed])
        i = None if j is None else allowed[j]
        if i is None:
            continue
        ind = ex.indicators[i]
        label = it.name if MONTHLY.search(it.name) or not MONTHLY.search(_subject(it)) else _subject(it)
        for role, fig in (("target", it.threshold), ("actual", it.actual)):
            other = ind.figs.get(role)
            if fig is None or other is None or fig.number is None or other.number is None:
                continue
            if role == "target":
                if it.threshold_op in (">", "<"):
                    continue  # 大于95%得满分: a scoring threshold, not the indicator's target
                ref = ind.figs.get("reference")
                if ref is not None and ref.number == fig.number:
                    continue  # the rule's threshold is the 参考标准
            _compare(out, role, ind.name, other, label, fig)


def _prose_vs_indicators(ex: Extraction, out: list[AuditFinding]) -> None:
    """A figure in the 总体目标 / 实际完成情况 sentences against the indicator it names (管网126公里 vs 实际完成值126公里)."""
    for role, words, fig in ex.prose:
        if fig.number is None:
            continue
        pool = [st for st in ex.indicators if (other := st.figs.get(role)) is not None and other.number is not None
                and other.value.unit == fig.value.unit]
        if not pool:
            continue
        ind = _named_in(words, pool)
        if ind is None:
            continue
        other = ind.figs[role]
        if not _same(other.number, fig.number):
            what = {"target": "目标值", "actual": "实际完成值"}[role]
            out.append(AuditFinding(E, "audit.same", (fig.para, ind.para),
                                    f"“{words}{fig.text}”（第{fig.para}段）与第{ind.para}段“{ind.name}”的{what}{other.text}不一致；请核对。",
                                    fig.text))


def _named_in(words: str, pool: list[IndicatorStatement]) -> IndicatorStatement | None:
    """The one indicator whose name holds most of ``words`` (管网 → 新建及改造供水管网长度); None when unclear."""
    from xlperf.audit.names import grams

    mine = grams(words)
    if not mine:
        return None
    scored = sorted(((len(mine & grams(st.name)) / len(mine), k) for k, st in enumerate(pool)), reverse=True)
    if scored[0][0] < 0.6 or (len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.1):
        return None
    return pool[scored[0][1]]


def _percent(fig: Fig | None) -> bool | None:
    if fig is None or fig.number is None:
        return None
    return fig.value.unit == "%"


def _compare(out, role, name_a, a: Fig, name_b, b: Fig, code="audit.same") -> None:
    what = {"target": "目标值", "actual": "实际完成值"}[role]
    monthly_a, monthly_b = bool(MONTHLY.search(name_a)), bool(MONTHLY.search(name_b))
    if monthly_a != monthly_b:
        m, y = (a, b) if monthly_a else (b, a)
        yearly = m.number * 12
        if not _same(yearly, y.number):
            out.append(AuditFinding(W, "audit.monthly", (b.para, a.para),
                                    f"“{name_b}”的{what}{b.text}（第{b.para}段）与“{name_a}”的{what}{a.text}（第{a.para}段）一个按月、一个按年："
                                    f"{m.text}×12={f(yearly / _scale(y))}{_unit_word(y)}，与{y.text}不符；请核对口径。", b.text))
        return
    if a.value.unit and b.value.unit and a.value.unit != b.value.unit:
        if a.number == b.number:
            out.append(AuditFinding(W, "audit.unit", (b.para, a.para),
                                    f"“{name_b}”的{what}写作{b.text}，第{a.para}段“{name_a}”写作{a.text}：数字相同、单位不同；请统一单位。", b.text))
            return
    if not _same(a.number, b.number):
        out.append(AuditFinding(E, code, (b.para, a.para),
                                f"“{name_b}”的{what}写作{b.text}，第{a.para}段同一指标“{name_a}”写作{a.text}，二者不一致；请核对。", b.text))


def _scale(fig: Fig) -> Decimal:
    return Decimal(10000) if "万" in fig.text else (Decimal(10) ** 8 if "亿" in fig.text else Decimal(1))


def _unit_word(fig: Fig) -> str:
    return ("万" if "万" in fig.text else "亿" if "亿" in fig.text else "") + fig.value.unit


def _tables_vs_text(ex: Extraction, out: list[AuditFinding]) -> None:
    """A table row (评分表 / 自评表) against the paragraph that states the same item."""
    texts = [st for st in ex.items if not st.table]
    table = [st for st in ex.items if st.table]
    for row in table:
        match = next((st for st in texts if st.name == row.name and (not row.level2 or not st.level2 or st.level2 == row.level2)), None)
        if match is not None:
            for what, x, y in (("分值", match.weight, row.weight), ("得分", match.score, row.score)):
                if x is not None and y is not None and x != y:
                    out.append(AuditFinding(E, "audit.table", (match.para, row.para),
                                            f"“{row.name}”的{what}：正文写{f(x)}分，第{row.para}段表格写{f(y)}分；请核对。", f"{f(x)}分"))
            continue
        ind = next((st for st in ex.indicators if st.name == row.name), None)
        if ind is None:
            continue
        for role, fig in (("target", row.threshold), ("actual", row.actual)):
            other = ind.figs.get(role)
            if fig is None or other is None:
                continue
            if fig.number is not None and other.number is not None:
                _compare(out, role, row.name, fig, ind.name, other, code="audit.table")
            elif fig.text.lstrip("≥≤＝=><＞＜") != other.text.lstrip("≥≤＝=><＞＜"):
                out.append(AuditFinding(E, "audit.table", (ind.para, row.para),
                                        f"“{ind.name}”正文写{other.text}，第{row.para}段表格写{fig.text}；请核对。", other.text))
        for role, x in (("weight", row.weight), ("score", row.score)):
            fig = ind.figs.get(role)
            if fig is not None and fig.number is not None and x is not None and fig.number != x:
                what = {"weight": "分值", "score": "得分"}[role]
                out.append(AuditFinding(E, "audit.table", (ind.para, row.para),
                                        f"“{ind.name}”的{what}：正文写{fig.text}分，第{row.para}段表格写{f(x)}分；请核对。", fig.text))


# ---------------------------------------------------------------- categories, totals, grade

def _members(ex: Extraction, name: str, table: bool):
    items = [st for st in ex.items if st.table == table and ex.item_category.get(id(st)) == name]
    inds = [st for st in ex.indicators if st.category == name and "weight" in st.figs] if not table else []
    return items, inds


def _categories(ex: Extraction, out: list[AuditFinding]) -> None:
    for cat in ex.categories:
        if cat.name in ("预算执行率", "执行率"):
            continue
        for table in (False, True):
            items, inds = _members(ex, cat.name, table)
            weights = [st.weight for st in items if st.weight is not None] + [st.figs["weight"].number for st in inds if st.figs["weight"].number is not None]
            scores = [st.score for st in items if st.score is not None] + [st.figs["score"].number for st in inds if "score" in st.figs and st.figs["score"].number is not None]
            where = "表格" if table else "正文"
            if weights and cat.full is not None and sum(weights) != cat.full:
                out.append(AuditFinding(E, "audit.sum", (cat.para,),
                                        f"“{cat.name}”满分{f(cat.full)}分，但{where}各项分值相加为{'+'.join(f(w) for w in weights)}={f(sum(weights))}分；请核对分值。",
                                        f"满分{f(cat.full)}分"))
            if scores and cat.score is not None and sum(scores) != cat.score:
                out.append(AuditFinding(E, "audit.sum", (cat.para,),
                                        f"“{cat.name}”得分写作{f(cat.score)}分，但{where}各项得分相加为{'+'.join(f(s) for s in scores)}={f(sum(scores))}分；请核对。",
                                        f"{f(cat.score)}分"))
    for para, parts in ex.percents:
        total = sum(v for _, v in parts)
        if total != HUNDRED:
            out.append(AuditFinding(E, "audit.sum", (para,), f"各一级指标所占比例相加为{'+'.join(f(v) for _, v in parts)}={f(total)}%，应为100%。", ""))
        full = ex.full_marks[0][1] if ex.full_marks else HUNDRED
        for name, pct in parts:
            cat = next((c for c in ex.categories if c.name == name and c.full is not None), None)
            if cat is not None and cat.full != full * pct / HUNDRED:
                out.append(AuditFinding(E, "audit.sum", (cat.para, para),
                                        f"“{name}”占{f(pct)}%，按总分{f(full)}分应为{f(full * pct / HUNDRED)}分，文中满分写作{f(cat.full)}分。", ""))


def _profile_for(ex: Extraction, name: str | None):
    """The profile named, or the one the report's 一级指标 (with their full marks), grade words and style fit best."""
    from xlperf.audit.draft import choose_profile
    from xlperf.profile import PROFILE_IDS, load_profile

    if name:
        return load_profile(name)
    cats = {c.name for c in ex.categories}
    labels = {g for _, g in ex.grades}
    known = any(cats & {c.name for c in load_profile(pid).categories} or labels & {g.label for g in load_profile(pid).grades}
                for pid in PROFILE_IDS)
    return choose_profile(ex)[0] if known else None


def _totals(ex: Extraction, out: list[AuditFinding], profile: str | None) -> None:
    stated = [(p, v, t) for p, v, t in ex.totals] + [(p, s, f"合计{f(s)}") for p, _, s in ex.table_totals if s is not None]
    if not stated:
        return
    first_para, total, first_text = stated[0]
    for para, value, text in stated[1:]:
        if value != total:
            out.append(AuditFinding(E, "audit.total", (para, first_para),
                                    f"总分写作{f(value)}分，第{first_para}段写作{f(total)}分，前后不一致。", text))
    cats = [c for c in ex.categories if c.score is not None]
    seen: dict[str, Decimal] = {}
    for c in cats:
        seen.setdefault(c.name, c.score)
    if seen:
        s = sum(seen.values())
        if s != total:
            out.append(AuditFinding(E, "audit.total", (first_para,),
                                    f"总分写作{f(total)}分，但各一级指标得分相加为{'+'.join(f(v) for v in seen.values())}={f(s)}分。", first_text))
    text_items = [st.score for st in ex.items if not st.table and st.score is not None]
    text_items += [st.figs["score"].number for st in ex.indicators if "score" in st.figs and st.figs["score"].number is not None]
    if text_items and ex.categories:
        execution = next((c.score for c in ex.categories if c.name in ("预算执行率", "执行率") and c.score is not None), Decimal(0))
        s = sum(text_items) + execution
        if s != total:
            out.append(AuditFinding(E, "audit.total", (first_para,),
                                    f"总分写作{f(total)}分，但正文各项得分相加为{f(s)}分（相差{f(s - total)}分）。", first_text))
    for p, wsum, ssum in ex.table_totals:
        rows = [st for st in ex.items if st.table]
        if ssum is not None and rows and sum(st.score or 0 for st in rows) != ssum:
            out.append(AuditFinding(E, "audit.total", (p,), f"表格合计得分{f(ssum)}分，但各行得分相加为{f(sum(st.score or 0 for st in rows))}分。", ""))
        if wsum is not None and rows and sum(st.weight or 0 for st in rows) != wsum:
            out.append(AuditFinding(E, "audit.total", (p,), f"表格合计分值{f(wsum)}分，但各行分值相加为{f(sum(st.weight or 0 for st in rows))}分。", ""))
    prof = _profile_for(ex, profile)
    if prof is None:
        return
    expected = prof.grade_for(total)
    labels = {g.label for g in prof.grades}
    for para, grade in ex.grades:
        if grade not in labels:
            continue
        if grade != expected:
            bands = "，".join(f"{g.label}≥{f(g.min)}" for g in prof.grades)
            out.append(AuditFinding(E, "audit.grade", (para,),
                                    f"自评等级写作“{grade}”，但总分{f(total)}分按评分方案（{bands}）应为“{expected}”。", grade))


# ---------------------------------------------------------------- funds

_PART_NAMES = re.compile(r"拨款|结转资金|结余资金|其他资金|自筹|配套资金|单位资金|上级补助|上级资金|本级资金")
_CLAUSE = re.compile(r"[。；;：:]")


def _part_of_total(ex: Extraction, row) -> bool:
    """An amount of one source of funds (当年财政拨款全年预算数400万元，全年执行数380.5万元), not the project's."""
    text = ex.text(row[0])
    start = max((m.end() for m in _CLAUSE.finditer(text, 0, row[1])), default=0)
    return bool(_PART_NAMES.search(text[start:row[1]]))


def _funds(ex: Extraction, out: list[AuditFinding]) -> None:
    by_para: dict[int, list] = {}
    for row in ex.funds:
        by_para.setdefault(row[0], []).append(row)
    for para, rows in by_para.items():
        for i, (_, pos, role, label, value, text) in enumerate(rows):
            before = rows[:i]
            budget = next((r for r in reversed(before) if r[2] == "budget"), None)
            spent = next((r for r in reversed(before) if r[2] == "spent"), None)
            if role == "use_rate" and budget and spent and budget[4]:
                calc = spent[4] / budget[4] * HUNDRED
                if abs(calc - value) > _tol(text):
                    out.append(AuditFinding(E, "audit.funds", (para,),
                                            f"{text}，但{spent[5]}÷{budget[5]}={f(calc)}%；请核对。", text))
            if role == "balance":
                base = next((r for r in reversed(before) if r[2] in ("budget", "goal")), None)
                if base and spent and spent[1] > base[1]:
                    calc = base[4] - spent[4]
                    if abs(calc - value) > Decimal("0.005"):
                        out.append(AuditFinding(E, "audit.funds", (para,),
                                                f"{text}，但{base[5]}−{spent[5]}={f(calc)}万元，相差{f(calc - value)}万元；请核对。", text))
    # the same rate or total stated twice
    for role, what in (("use_rate", "资金使用率"), ("received_rate", "资金到位率"), ("timely_rate", "到位及时率"), ("budget", "项目总投入")):
        rows = [r for r in ex.funds if r[2] == role and not (role == "received_rate" and r[3] == "资金全部到位")
                and not _part_of_total(ex, r)]
        if rows:
            first = rows[0]
            for r in rows[1:]:
                if r[0] != first[0] and not _same(r[4], first[4]):
                    unit = "万元" if role == "budget" else "%"
                    out.append(AuditFinding(E, "audit.same", (r[0], first[0]),
                                            f"{what}写作{f(r[4])}{unit}，第{first[0]}段写作{f(first[4])}{unit}，前后不一致。", r[5]))
    balances: dict[str, tuple] = {}
    for r in ex.funds:
        if r[2] != "balance":
            continue
        prev = balances.setdefault(r[3], r)
        if prev is not r and prev[0] != r[0] and not _same(prev[4], r[4]):
            out.append(AuditFinding(W, "audit.same", (r[0], prev[0]),
                                    f"“{r[5]}”与第{prev[0]}段“{prev[5]}”名称相同、金额不同；请核对是否同一笔资金。", r[5]))
    for para, total, text, parts, hedged in ex.components:
        s = sum(v for _, v in parts)
        if not _same(s, total):
            sev = W if hedged else E
            note = "（原文为“主要是……等”，可能未列全）" if hedged else ""
            out.append(AuditFinding(sev, "audit.parts", (para,),
                                    f"{text}，但列出的组成部分{'+'.join(t for t, _ in parts)}={f(s)}万元，相差{f(total - s)}万元{note}；请核对。", text))
