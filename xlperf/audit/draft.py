"""A draft evaluation built from a narrative alone (``xlperf audit --extract``).

Every value put into the draft carries a ``Note``: the paragraph it was read from and whether it was
stated with its label in the report (摘自报告) or inferred (推测: the profile, a heading taken as
一级/二级指标, a 计分规则 taken from the profile's item of the same name, a project name taken from
the title). Figures the audit finds contradicted in the report are marked 待核实 as well. Nothing
here writes files; ``draftbook`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from xlperf.audit.extract import Extraction, IndicatorStatement, ScoreStatement
from xlperf.audit.findings import AuditFinding
from xlperf.audit.names import best_match
from xlperf.model import Evaluation, Indicator, RubricItem
from xlperf.profile import PROFILE_IDS, Profile, load_profile

STATED, GUESSED, DISPUTED = "摘自报告", "推测，待核实", "报告前后不一致，待核实"


@dataclass
class Note:
    """Where one draft value came from: ``path`` is (section, index, field), e.g. ("indicators", 2, "target")."""

    path: tuple
    label: str  # Chinese: what the value is (指标“X”的目标值)
    value: object
    status: str
    para: int | None
    detail: str = ""  # the text it was read from, or why it was guessed

    @property
    def doubtful(self) -> bool:
        return self.status != STATED


@dataclass
class Draft:
    evaluation: Evaluation
    profile: Profile
    notes: list[Note]
    profile_note: str


# ---------------------------------------------------------------- profile

def choose_profile(ex: Extraction, profile_id: str | None = None) -> tuple[Profile, str]:
    """The profile named, or the one whose 一级指标, their full marks, 预算执行率 and grade words best fit the report."""
    if profile_id:
        return load_profile(profile_id), f"按 --profile 指定的评分方案“{profile_id}”。"
    stated = {(c.name, c.full) for c in ex.categories}
    names = {c.name for c in ex.categories}
    grades = {g for _, g in ex.grades}
    rubric = sum(1 for st in ex.items if not st.table) > sum(1 for st in ex.indicators if "weight" in st.figs)
    best, best_score = None, -1.0
    for pid in PROFILE_IDS:
        prof = load_profile(pid)
        cats = {(c.name, c.weight) for c in prof.categories}
        s = 3 * len(stated & cats) + len(names & {c.name for c in prof.categories})
        execution = next((c.full for c in ex.categories if c.name in ("预算执行率", "执行率")), None)
        if execution is not None:
            s += 2 if execution == prof.execution_weight else -2
        s += 0.5 * len(grades & {g.label for g in prof.grades})
        s += 1 if (prof.framework == "rubric") == rubric else 0
        if s > best_score:
            best, best_score = prof, s
    why = "、".join(sorted(names)) or "无"
    return best, (f"报告未写明评分方案，按报告中的一级指标（{why}）及分值、等级用语推测为“{best.id}”（{best.title}），"
                  "请核对；也可用 --profile 指定。")


# ---------------------------------------------------------------- project facts

_TITLE = re.compile(r"^(?P<unit>.*?)关于(?P<name>.+?)(?:项目)?(?:支出)?的?(?:绩效)?自评(?:价)?报告")
_FACTS = (
    ("unit", re.compile(r"项目单位为([^，。；,]{2,40})")),
    ("department", re.compile(r"主管部门为([^，。；,]{2,40})")),
    ("implementer", re.compile(r"项目实施单位为([^，。；,]{2,40})")),
    ("period", re.compile(r"项目起止时间为([^，。；,]{4,40})")),
    ("attribute", re.compile(r"属于(经常性|一次性)项目")),
    ("name", re.compile(r"项目名称[为：:]\s*([^，。；,]{2,60})")),
)
_PROJECT_WORDS = {"unit": "单位名称", "department": "主管部门", "implementer": "实施单位", "period": "起止时间",
                  "attribute": "项目属性", "name": "项目名称", "year": "年度"}


def _project(ex: Extraction, ev: Evaluation, notes: list[Note]) -> None:
    pj = ev.project
    for p in ex.paragraphs[:8]:
        m = _TITLE.search(p.text)
        if m:
            name = m.group("name").strip()
            unit = m.group("unit").strip()
            if not unit and p.no > 1:
                unit = ex.paragraphs[p.no - 2].text.strip()
            if name:
                pj.name = name
                notes.append(Note(("project", 0, "name"), "项目名称", name, GUESSED, p.no, f"由标题“{p.text}”推测"))
            if unit and len(unit) <= 40:
                pj.unit = unit
                notes.append(Note(("project", 0, "unit"), "单位名称", unit, GUESSED, p.no, f"由标题推测：{unit}"))
            break
    for p in ex.paragraphs:
        for key, rx in _FACTS:
            m = rx.search(p.text)
            if m and (getattr(pj, key) is None or any(n.path == ("project", 0, key) and n.doubtful for n in notes)):
                setattr(pj, key, m.group(1).strip())
                notes[:] = [n for n in notes if n.path != ("project", 0, key)]
                notes.append(Note(("project", 0, key), _PROJECT_WORDS[key], getattr(pj, key), STATED, p.no, m.group(0)))
    if pj.name:
        y = re.match(r"(\d{4})年", str(pj.name))
        if y:
            pj.year = int(y.group(1))
            notes.append(Note(("project", 0, "year"), "年度", pj.year, GUESSED, None, "由项目名称开头的年份推测"))
    if pj.implementer is None and pj.unit is not None:
        pass  # not guessed: the form shows it empty and ``check`` says so


# ---------------------------------------------------------------- funds and goal

def _funds(ex: Extraction, ev: Evaluation, notes: list[Note]) -> None:
    from xlperf.audit.checks import _part_of_total

    row = ev.funds.rows[0]
    words = {"budget": "全年预算数（万元）", "initial": "年初预算数（万元）", "spent": "全年执行数（万元）", "received": "到位资金（万元）"}
    for para, pos, role, label, value, text in ex.funds:
        if role not in words or getattr(row, role) is not None or _part_of_total(ex, (para, pos)):
            continue
        if role == "spent" and any(r[0] == para and r[2] == "goal" for r in ex.funds):
            continue  # a paragraph about one part (…目标值…实际支出…)
        setattr(row, role, float(value))
        notes.append(Note(("funds", 0, role), words[role], float(value), STATED, para, text))
    rates = [r for r in ex.funds if r[2] == "use_rate" and not _part_of_total(ex, (r[0], r[1]))]
    if rates:
        ev.funds.claimed_rate = f"{rates[0][4]}%"
        notes.append(Note(("funds", 0, "claimed_rate"), "填报的执行率", ev.funds.claimed_rate, STATED, rates[0][0], rates[0][5]))
    if row.received is None and row.budget is not None:
        full = next((r for r in ex.funds if r[2] == "received_rate" and r[4] == 100), None)
        if full is not None:
            row.received = row.budget
            notes.append(Note(("funds", 0, "received"), words["received"], row.budget, GUESSED, full[0],
                              f"报告写“{full[5]}”，按全年预算数填写"))
    if row.timely is None and row.received is not None:
        timely = next((r for r in ex.funds if r[2] == "timely_rate" and r[4] == 100), None)
        if timely is not None:
            row.timely = row.received
            notes.append(Note(("funds", 0, "timely"), "及时到位资金（万元）", row.received, GUESSED, timely[0],
                              f"报告写“{timely[5]}”，按到位资金填写"))
    for p in ex.paragraphs:
        for key, rx in (("expected", r"^(?:年度总体目标|年度绩效目标|总体目标|年度目标)[：:]\s*(.+)$"),
                        ("achieved", r"^(?:实际完成情况|总体目标完成情况)[：:]\s*(.+)$")):
            m = re.match(rx, p.text)
            if m and getattr(ev.goal, key) is None:
                setattr(ev.goal, key, m.group(1).strip())
                notes.append(Note(("goal", 0, key), "预期目标" if key == "expected" else "实际完成情况", m.group(1)[:40],
                                  STATED, p.no, m.group(0)[:60]))


# ---------------------------------------------------------------- indicators and items

_LEVEL2 = re.compile(r"[（(][0-9一二三四五六七八九十]+[）)]\s*([^：:（()）①②③]{2,16})[：:]")


def _level2(ex: Extraction, st: IndicatorStatement) -> str:
    text = ex.text(st.para)
    at = text.find(st.name)
    heads = list(_LEVEL2.finditer(text, 0, at if at >= 0 else len(text)))
    return heads[-1].group(1).strip() if heads else ""


def _fit_level(name: str, options) -> str:
    """A heading (投入时效目标, 产出目标) in the profile's words (时效目标, 产出) where one fits."""
    options = [o for o in options if o]
    if name in options:
        return name
    for o in sorted(options, key=len, reverse=True):
        if o in name or name in o:
            return o
    stripped = re.sub(r"(?:指标|目标)$", "", name)
    for o in options:
        if re.sub(r"(?:指标|目标)$", "", o) == stripped:
            return o
    return name


def _indicators(ex: Extraction, prof: Profile, ev: Evaluation, notes: list[Note], disputed: dict) -> None:
    level1s = [c.name for c in prof.categories] + list(prof.goal_levels)
    seen = set()
    for st in ex.indicators:
        if not st.name or st.name in seen:
            continue
        seen.add(st.name)
        i = len(ev.indicators)
        level1 = _fit_level(re.sub(r"完成情况$", "", st.category), level1s) if st.category else None
        raw2 = _level2(ex, st)
        if level1 and raw2.startswith(level1) and len(raw2) > len(level1):
            raw2 = raw2[len(level1):]
        level2 = _fit_level(raw2, [x for c in prof.categories if c.name == level1 for x in c.subcategories]
                            + list(prof.goal_levels.get(level1 or "", ()))) if raw2 else None
        ind = Indicator(level1=level1, level2=level2, name=st.name)
        ev.indicators.append(ind)
        where = f"指标“{st.name}”"
        notes.append(Note(("indicators", i, "name"), f"{where}的名称", st.name, STATED, st.para, ""))
        if level1:
            notes.append(Note(("indicators", i, "level1"), f"{where}的一级指标", level1, GUESSED, st.para,
                              f"由小标题“{st.category}”推测"))
        if level2:
            notes.append(Note(("indicators", i, "level2"), f"{where}的二级指标", level2, GUESSED, st.para,
                              f"由小标题“{raw2}”推测"))
        for role, attr, word in (("reference", "reference", "参考标准"), ("target", "target", "目标值"),
                                 ("actual", "actual", "实际完成值"), ("weight", "weight", "分值"), ("score", "claimed_score", "自评得分")):
            fig = st.figs.get(role)
            if fig is None:
                continue
            value = fig.text
            if role in ("weight", "score"):
                if fig.number is None:
                    continue
                value = float(fig.number) if fig.number != fig.number.to_integral_value() else int(fig.number)
            setattr(ind, attr, value)
            dispute = disputed.get((st.para, fig.text))
            notes.append(Note(("indicators", i, attr), f"{where}的{word}", value, DISPUTED if dispute else STATED, st.para,
                              dispute or f"原文：{fig.text}"))
    # a 自评表 given only as a table (10号 style): its rows are the indicators
    for row in (r for r in ex.items if r.table):
        if row.name in seen or not row.name or (row.threshold is None and row.actual is None) or re.match(r"预算执行率", row.name):
            continue
        if prof.framework == "rubric":
            continue
        seen.add(row.name)
        i = len(ev.indicators)
        ind = Indicator(level1=row.level1 or None, level2=row.level2 or None, name=row.name,
                        target=row.threshold.text if row.threshold else None, actual=row.actual.text if row.actual else None,
                        weight=_num(row.weight), claimed_score=_num(row.score))
        ev.indicators.append(ind)
        for attr in ("name", "level1", "level2", "target", "actual", "weight", "claimed_score"):
            if getattr(ind, attr) not in (None, ""):
                notes.append(Note(("indicators", i, attr), f"指标“{row.name}”的{attr}", getattr(ind, attr), STATED, row.para, "表格行"))


def _num(d: Decimal | None):
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def _items(ex: Extraction, prof: Profile, ev: Evaluation, notes: list[Note]) -> None:
    if prof.framework != "rubric":
        return
    defaults = list(prof.items)
    default_names = [d.get("name", "") for d in defaults]
    texts = [st for st in ex.items if not st.table]
    table = [st for st in ex.items if st.table]
    rows = texts or table
    for st in rows:
        if not st.name:
            continue
        twin = next((r for r in table if r is not st and r.name == st.name), None) if texts else None
        k = len(ev.items)
        j = best_match([st.name], default_names, threshold=0.5) if default_names else None
        base = defaults[j] if j is not None else {}
        item = RubricItem(level1=st.level1 or base.get("level1"), level2=st.level2 or base.get("level2"), name=st.name,
                          weight=_num(st.weight), criterion=(st.criterion.strip() or base.get("criterion")) or None,
                          rule=base.get("rule") or "手工", source=base.get("source"),
                          target=st.threshold.text if st.threshold is not None else base.get("target"),
                          actual=st.actual.text if st.actual is not None else None,
                          situation=st.situation.strip(" 。，") or None, claimed_score=_num(st.score))
        ev.items.append(item)
        where = f"评分项“{st.name}”"
        for attr, word in (("weight", "分值"), ("score", "自评得分")):
            if twin is not None and getattr(st, attr) is None and getattr(twin, attr) is not None:
                setattr(item, "claimed_score" if attr == "score" else attr, _num(getattr(twin, attr)))
                notes.append(Note(("items", k, "claimed_score" if attr == "score" else attr), f"{where}的{word}",
                                  _num(getattr(twin, attr)), STATED, twin.para, f"正文未写，取自第{twin.para}段表格"))
        for attr, word in (("name", "名称"), ("weight", "分值"), ("claimed_score", "自评得分"), ("target", "标准值"),
                           ("actual", "实际值"), ("criterion", "评分标准"), ("situation", "实际情况")):
            value = getattr(item, attr)
            if value not in (None, ""):
                notes.append(Note(("items", k, attr), f"{where}的{word}", value, STATED, st.para, ""))
        for attr, word in (("level1", "一级指标"), ("level2", "二级指标")):
            if getattr(item, attr):
                notes.append(Note(("items", k, attr), f"{where}的{word}", getattr(item, attr), STATED if getattr(st, attr) else GUESSED,
                                  st.para, "" if getattr(st, attr) else "取自评分方案的同名评分项"))
        why = (f"按评分方案中同名评分项“{default_names[j]}”的计分规则" if j is not None
               else "报告未给出计分规则，按“手工”（取报告中的得分）")
        notes.append(Note(("items", k, "rule"), f"{where}的计分规则", item.rule, GUESSED, st.para, why))
        if st.threshold is None and base.get("target") is not None:
            notes[:] = [n for n in notes if n.path != ("items", k, "target")]
            notes.append(Note(("items", k, "target"), f"{where}的标准值", base["target"], GUESSED, st.para,
                              "报告未写标准值，取评分方案同名评分项的标准值"))


# ---------------------------------------------------------------- the whole draft

def _disputed(findings: list[AuditFinding]) -> dict:
    """(paragraph, quoted figure) → the audit's message, for figures the report contradicts elsewhere."""
    out = {}
    for f in findings:
        if f.quote and f.paras:
            out.setdefault((f.paras[0], f.quote), f.message)
    return out


def build_draft(ex: Extraction, findings: list[AuditFinding], profile_id: str | None = None) -> Draft:
    prof, why = choose_profile(ex, profile_id)
    ev = Evaluation(profile=prof.id)
    notes: list[Note] = []
    _project(ex, ev, notes)
    _funds(ex, ev, notes)
    _indicators(ex, prof, ev, notes, _disputed(findings))
    _items(ex, prof, ev, notes)
    if ex.totals:
        para, value, text = ex.totals[0]
        ev.claimed_total = _num(value)
        notes.append(Note(("total", 0, "claimed_total"), "自评总分", ev.claimed_total, STATED, para, text))
    if ex.grades:
        para, grade = ex.grades[0]
        ev.claimed_grade = grade
        notes.append(Note(("total", 0, "claimed_grade"), "自评等级", grade, STATED, para, ""))
    return Draft(ev, prof, notes, why)
