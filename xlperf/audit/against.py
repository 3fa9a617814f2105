"""Checks against the workbook: every extracted figure beside the workbook's value for the same indicator.

Indicators and 评分表 items are matched by name, also when the report renames them (``names``);
the workbook side is read and scored by the core (``xlperf.sources.evaluate_file``), so the figures
compared are the ones ``xlperf score`` shows.
"""

from __future__ import annotations

from decimal import Decimal

from xlperf.audit.checks import E, W, _same, f
from xlperf.audit.extract import Extraction, Fig
from xlperf.audit.findings import AuditFinding
from xlperf.audit.names import best_match
from xlperf.model import Evaluation
from xlperf.results import Results
from xlperf.lines import text
from xlperf.values import Kind, parse, to_decimal

ROLE_WORD = {"reference": "参考标准", "target": "目标值", "actual": "实际完成值"}


def _cmp(out, para: int, label: str, what: str, fig: Fig, raw, cell: str, unit_hint=None) -> None:
    wb = parse(raw, unit_hint) if not isinstance(raw, Decimal) else None
    if raw is None or (wb is not None and wb.kind is Kind.EMPTY):
        return
    if wb is None:
        number, shown, unit = raw, f(raw), ""
    else:
        if wb.kind is not Kind.NUMBER or fig.number is None:
            if wb.kind is not fig.value.kind and wb.kind is not Kind.NUMBER and fig.value.kind is not Kind.NUMBER:
                return
            if fig.value.text.lstrip("≥≤＝=><＞＜") != text(raw).lstrip("≥≤＝=><＞＜") and fig.value.kind is not wb.kind:
                out.append(AuditFinding(E, "audit.against", (para,), f"“{label}”的{what}报告写{fig.text}，自评表（{cell}）为{text(raw)}。", fig.text))
            return
        number, shown, unit = wb.number, text(raw), wb.unit
    if fig.number is None:
        return
    if unit and fig.value.unit and unit != fig.value.unit:
        out.append(AuditFinding(W, "audit.against", (para,),
                                f"“{label}”的{what}报告写{fig.text}，自评表（{cell}）为{shown}，计量单位不同。", fig.text))
        return
    if not _same(number, fig.number):
        out.append(AuditFinding(E, "audit.against", (para,),
                                f"“{label}”的{what}报告写{fig.text}，自评表（{cell}）为{shown}，二者不一致。", fig.text))


def _num_cmp(out, para: int, label: str, what: str, stated: Decimal | None, wb: Decimal | None, quote: str, unit="分") -> None:
    if stated is None or wb is None:
        return
    if abs(stated - wb) > Decimal("0.011"):
        out.append(AuditFinding(E, "audit.against", (para,), f"“{label}”的{what}报告写{f(stated)}{unit}，按自评表计算为{f(wb)}{unit}。", quote))


def check_against(ex: Extraction, evaluation: Evaluation, results: Results) -> list[AuditFinding]:
    out: list[AuditFinding] = []
    names = [text(i.name) for i in evaluation.indicators]
    for st in ex.indicators:
        i = best_match([st.name], names) if names else None
        if i is None:
            out.append(AuditFinding(W, "audit.unmatched", (st.para,), f"报告中的指标“{st.name}”在自评表中找不到对应的指标。", st.name))
            continue
        ind, sc = evaluation.indicators[i], results.indicators[i]
        label = st.name if st.name == names[i] else f"{st.name}（自评表：{names[i]}）"
        for role in ("reference", "target", "actual"):
            fig = st.figs.get(role)
            if fig is not None:
                _cmp(out, st.para, label, ROLE_WORD[role], fig, getattr(ind, role), str(ind.where(role, f"indicators[{i}].")),
                     ind.unit)
        r = st.figs.get("ratio")
        if r is not None and r.number is not None and sc.ratio is not None and abs(r.number - sc.ratio) > Decimal("0.011"):
            capped = min(sc.ratio, Decimal(100))
            if abs(r.number - capped) > Decimal("0.011"):
                out.append(AuditFinding(E, "audit.against", (st.para,),
                                        f"“{label}”的目标完成比值报告写{r.text}，按自评表计算为{f(sc.ratio)}%。", r.text))
        for role, value in (("weight", sc.weight), ("score", sc.points)):
            fig = st.figs.get(role)
            if fig is not None and fig.number is not None:
                _num_cmp(out, st.para, label, {"weight": "分值", "score": "得分"}[role], fig.number, value, fig.text)
    item_names = [text(i.name) for i in evaluation.items]
    for st in ex.items:
        if st.table or not item_names:
            continue
        exact = [k for k, it in enumerate(evaluation.items)
                 if text(it.name) == st.name and (not st.level2 or text(it.level2) in ("", st.level2))]
        k = exact[0] if exact else best_match([st.name], item_names)
        if k is None:
            continue
        item, sc = evaluation.items[k], results.items[k]
        label = st.name
        _num_cmp(out, st.para, label, "分值", st.weight, sc.weight, f"{f(st.weight)}分" if st.weight is not None else "")
        _num_cmp(out, st.para, label, "得分", st.score, sc.points, f"得{f(st.score)}分" if st.score is not None else "")
        if st.actual is not None and item.actual is not None:
            _cmp(out, st.para, label, "实际值", st.actual, item.actual, str(item.where("actual", f"items[{k}].")))
    total = results.total
    for para, value, quote in ex.totals:
        _num_cmp(out, para, "总分", "数值", value, total, quote)
    for para, grade in ex.grades:
        if results.grade and grade != results.grade:
            out.append(AuditFinding(E, "audit.against", (para,), f"自评等级报告写“{grade}”，按自评表计算为“{results.grade}”。", grade))
    for cat in ex.categories:
        sub = next((s for s in results.subtotals if s.level1 == cat.name), None)
        if sub is not None:
            _num_cmp(out, cat.para, cat.name, "得分", cat.score, sub.points, f"{f(cat.score)}分" if cat.score is not None else "")
        elif cat.name in ("预算执行率", "执行率") and results.funds.score is not None:
            _num_cmp(out, cat.para, cat.name, "得分", cat.score, results.funds.score.points, "")
    total_row = evaluation.funds.total
    wb_funds = {"budget": to_decimal(total_row.budget), "spent": to_decimal(total_row.spent),
                "received": to_decimal(total_row.received), "use_rate": results.funds.rate,
                "received_rate": results.funds.received_rate, "timely_rate": results.funds.timely_rate}
    from xlperf.audit.checks import _part_of_total

    for para, _pos, role, label, value, quote in ex.funds:
        if role not in wb_funds or _part_of_total(ex, (para, _pos)) or label == "资金全部到位":
            continue
        if role == "spent" and label != "全年执行数" and "实际支出" not in label:
            continue
        wb = wb_funds[role]
        unit = "%" if role.endswith("rate") else "万元"
        what = {"budget": "项目资金", "spent": "实际支出", "received": "到位资金", "use_rate": "资金使用率（执行率）",
                "received_rate": "资金到位率", "timely_rate": "到位及时率"}[role]
        if role in ("budget", "spent") and wb is not None and value is not None and not _same(value, wb):
            # a paragraph may speak of one part (数据机房电费实际支出42.89万元): only the project's totals count
            if role == "spent" and any(r[0] == para and r[2] == "goal" for r in ex.funds):
                continue
        if wb is not None and value is not None and not _same(value, wb):
            out.append(AuditFinding(E, "audit.against", (para,), f"{what}报告写{quote}，自评表为{f(wb)}{unit}。", quote))
    return out
