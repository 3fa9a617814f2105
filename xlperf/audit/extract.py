"""Figures with their meaning, found in numbered paragraphs.

Indicator statements (①名称，参考标准X，绩效目标值Y，实际完成值Z，目标完成比值R%[，分值W分，得分S分]),
score statements (N.一级-二级-三级。…得满分W分…实际…得S分), category lines (第一是投入（30%）满分30分，
实际得分30分 / 产出指标满分50分，得分50分), totals and grades, funds (总投入, 到位, 支出, 使用率, 结余,
listed components) and table rows (评分表 / 自评表). Nothing here judges; ``checks`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from xlperf.audit.narrative import Paragraph
from xlperf.audit.numerals import arabic
from xlperf.values import Kind, Value, parse

NUM = r"(\d+(?:\.\d+)?)"
UNITS = ("个百分点|%|％|万元|亿元|元|人次|人|件|份|场|期|次|个|条|户|亩|天|小时|台|套|篇|项|家|所|名|M|G|公斤|吨|"
         "公里|平方米|米|辆|本|册|批|棵|株|座|处|部|张|期|分钟|工作日")
FIGURE = re.compile(r"(?<![\d.])" + NUM + r"\s*(万|亿|千)?\s*(" + UNITS + r")(?![\d])")
SCORE_LABEL = re.compile(r"得(?:分)?\s*" + NUM + r"\s*分")
FULL = re.compile(r"得满分\s*" + NUM + r"\s*分")
FULL_BARE = re.compile(r"(?<![得])满分\s*" + NUM + r"\s*分")
DEDUCT = re.compile(r"扣(?:除)?\s*" + NUM + r"\s*分")
ITEM_HEAD = re.compile(r"^\s*(\d+)\s*[.．、]\s*([^-—–。，]{1,12})[-—–]([^-—–。，]{1,14})[-—–]([^。]{1,60}?)[。.](.*)$")
CATEGORY_LINE = re.compile(r"第[一二三四五六七八九十]+(?:是|，|、)?\s*([^（(，。\d]{1,10})[（(]" + NUM + r"%[）)]\s*满分\s*" + NUM
                           + r"\s*分(?:[（(][^）)]*[）)])?[，,]?\s*实际得分\s*" + NUM + r"\s*分")
CATEGORY_INLINE = re.compile(r"([^\s，；。、（）()0-9]{2,10}?)满分\s*" + NUM + r"\s*分[，,]\s*得分\s*" + NUM + r"\s*分")
CATEGORY_PERCENTS = re.compile(r"其中\s*((?:[^（(，、。]{1,10}[（(]\d+(?:\.\d+)?%[）)][、，,和及]?\s*){2,})")
PERCENT_PART = re.compile(r"([^（(，、。]{1,10})[（(]" + NUM + r"%[）)]")
FULL_MARKS = re.compile(r"总分值?为\s*" + NUM + r"\s*分")
TOTAL = re.compile(r"(?:实际自评得分|自评得分为|项目自评|自评总分|项目得分|总得分|综合得分|自评得分)(?:为|是)?\s*" + NUM + r"\s*分")
GRADE = re.compile(r"(?:自评等级|评价等级|评定等级|等级)(?:为|是|：|:)?\s*(优秀|良好|合格|不合格|优|良|中|差)")
SECTION_STOP = re.compile(r"校验发现的问题")
SEGMENT = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")
_CLAUSE_START = r"(?<=[，,；;：:])\s*"  # a paraphrased label counts only where a clause begins (not inside 项目完成率)
LABELS = (
    ("reference", r"参考(?:标准|值)"),
    ("ratio", r"目标(?:值)?完成比(?:值|例)|" + _CLAUSE_START + r"(?:目标|指标)?完成(?:比值|比例|比率|率|程度)"),
    ("target", r"(?:绩效目标值|年度指标值|年度目标值|目标值|计划值|预期值)(?:标准)?"),
    ("actual", r"实际完成值(?:标准)?|" + _CLAUSE_START + r"实际(?:完成数|完成|达到|值)"),
    ("weight", r"分值|权重|" + _CLAUSE_START + r"满分"),
    ("score", r"(?:自评)?得分"),
)
ACTUAL_LABEL = re.compile(dict(LABELS)["actual"])
LABEL_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in LABELS))
AMOUNT = NUM + r"\s*(万元|亿元|元)"
FUND_LABELS = (
    ("budget", r"(?:总投入|年度资金总额|全年预算数|项目总预算|预算总额|投入专项经费|专项经费|投入资金|资金总额)(?:为|共|合计|是)?\s*"),
    ("initial", r"年初预算数(?:为)?\s*"),
    ("goal", r"(?:绩效)?目标值\s*"),
    ("received", r"(?:实际到位资金|到位资金)(?:为)?\s*"),
    ("spent", r"(?:实际支出|全年执行数|实际使用资金|支出)(?:资金)?(?:为|了)?\s*"),
    ("balance", r"(?P<blabel>结余|结转|未使用|节约[^\d，。；、]{0,8}?)(?:资金)?(?:为)?\s*"),
)
RATE_LABELS = (
    ("use_rate", r"(?:资金使用率|预算执行率|实际使用率)(?:为|达到|达)?\s*"),
    ("received_rate", r"资金到位率(?:为|达到|达)?\s*"),
    ("timely_rate", r"(?:资金)?到位及时率(?:为|达到|达)?\s*"),
)
COMPONENTS = re.compile(r"(?:其中[：:，,]?|主要是|主要为|主要包括|包括|分别为|分别是)([^。；]*)")
OPS = (("≥", r"达到|达|不低于|不少于|以上|≥|>="), (">", r"大于|高于|超过|多于|>"), ("≤", r"小于等于|不超过|不高于|以内|≤|<="),
       ("<", r"小于|低于|少于|<"))


@dataclass
class Fig:
    """One figure: where, what it is, the text and the parsed value."""

    para: int
    name: str
    role: str
    text: str
    value: Value

    @property
    def number(self) -> Decimal | None:
        return self.value.number if self.value.kind is Kind.NUMBER else None


@dataclass
class IndicatorStatement:
    para: int
    name: str
    category: str = ""
    figs: dict[str, Fig] = field(default_factory=dict)


@dataclass
class ScoreStatement:
    para: int
    level1: str
    level2: str
    name: str
    weight: Decimal | None = None
    score: Decimal | None = None
    deduction: Decimal | None = None
    criterion: str = ""
    situation: str = ""
    threshold: Fig | None = None
    threshold_op: str = "≥"
    actual: Fig | None = None
    table: bool = False


@dataclass
class CategoryLine:
    para: int
    name: str
    full: Decimal | None
    score: Decimal | None
    percent: Decimal | None = None


@dataclass
class Extraction:
    paragraphs: list[Paragraph]
    indicators: list[IndicatorStatement] = field(default_factory=list)
    items: list[ScoreStatement] = field(default_factory=list)  # paragraph items, then table rows
    categories: list[CategoryLine] = field(default_factory=list)
    percents: list[tuple[int, list[tuple[str, Decimal]]]] = field(default_factory=list)
    full_marks: list[tuple[int, Decimal]] = field(default_factory=list)
    totals: list[tuple[int, Decimal, str]] = field(default_factory=list)
    grades: list[tuple[int, str]] = field(default_factory=list)
    funds: list[tuple[int, int, str, str, Decimal, str]] = field(default_factory=list)  # para, pos, role, label, 万元 or %, text
    components: list[tuple[int, Decimal, str, list[tuple[str, Decimal]], bool]] = field(default_factory=list)
    table_totals: list[tuple[int, Decimal | None, Decimal | None]] = field(default_factory=list)
    item_category: dict[int, str] = field(default_factory=dict)  # id(ScoreStatement) → category name
    prose: list[tuple[str, str, Fig]] = field(default_factory=list)  # (role, the words before, figure) in 总体目标 prose

    def text(self, para: int) -> str:
        return self.paragraphs[para - 1].text


def _dec(s: str | None) -> Decimal | None:
    return None if s is None else Decimal(s)


def _wan(number: str, unit: str) -> Decimal:
    d = Decimal(number)
    return d * 10000 if unit == "亿元" else (d / 10000 if unit == "元" else d)


def _digits(p: Paragraph) -> Paragraph:
    """The paragraph with Chinese-numeral figures in digits (一百二十场 → 120场); the anchor stays the original's."""
    text = arabic(p.text, UNITS)
    if text == p.text:
        return p
    return Paragraph(p.no, text, p.table, tuple(arabic(c, UNITS) for c in p.cells), p.anchor)


def extract(paragraphs: list[Paragraph]) -> Extraction:
    paragraphs = [_digits(p) for p in paragraphs]
    ex = Extraction(paragraphs)
    category = ""
    header: list[str] | None = None
    carry: list[str] = []
    for p in paragraphs:
        if SECTION_STOP.search(p.text) and not p.table:
            break
        if p.table:
            header, carry = _table_row(ex, p, header, carry)
            continue
        header = None
        t = p.text
        m = re.match(r"^\s*\d+\s*[.．、]\s*(\S{2,10}?)完成情况", t)
        if m:
            category = m.group(1)
        m = CATEGORY_LINE.search(t)
        if m:
            category = m.group(1).strip()
            ex.categories.append(CategoryLine(p.no, category, _dec(m.group(3)), _dec(m.group(4)), _dec(m.group(2))))
        elif "满分" in t and "得分" in t and not ITEM_HEAD.match(t):
            for m in CATEGORY_INLINE.finditer(t):
                name = re.sub(r"^(?:其中|经自评)[，,]?", "", m.group(1))
                ex.categories.append(CategoryLine(p.no, name, _dec(m.group(2)), _dec(m.group(3))))
        for m in CATEGORY_PERCENTS.finditer(t):
            parts = [(n.strip("、，, 及和"), Decimal(v)) for n, v in PERCENT_PART.findall(m.group(1))]
            ex.percents.append((p.no, parts))
        for m in FULL_MARKS.finditer(t):
            ex.full_marks.append((p.no, Decimal(m.group(1))))
        for m in TOTAL.finditer(t):
            ex.totals.append((p.no, Decimal(m.group(1)), m.group(0)))
        for m in GRADE.finditer(t):
            ex.grades.append((p.no, m.group(1)))
        _indicators(ex, p, category)
        _item(ex, p, category)
        _funds(ex, p)
        _prose(ex, p)
    return ex


def _indicators(ex: Extraction, p: Paragraph, category: str) -> None:
    pieces = SEGMENT.split(p.text)
    for seg in pieces[1:] if len(pieces) > 1 else pieces:
        if not ACTUAL_LABEL.search(seg):
            continue
        marks = list(LABEL_RE.finditer(seg))
        if not marks:
            continue
        name = seg[:marks[0].start()].strip(" ，,：:；;")
        st = IndicatorStatement(p.no, name, category)
        for i, m in enumerate(marks):
            role = m.lastgroup
            end = marks[i + 1].start() if i + 1 < len(marks) else len(seg)
            raw = seg[m.end():end]
            raw = re.split(r"[，,；;。]", raw, maxsplit=1)[0].strip()
            raw = re.sub(r"^(?:为|是|：|:)\s*|^(?:达到|达|了)(?=\s*[\d≥≤><])", "", raw)
            if not raw or role in st.figs:
                continue
            if role in ("weight", "score"):
                mm = re.match(NUM + r"\s*分", raw)
                if not mm:
                    continue
                raw = mm.group(1)
            st.figs[role] = Fig(p.no, name, role, raw, parse(raw))
        ex.indicators.append(st)


PROSE = (("target", re.compile(r"^(?:年度总体目标|年度绩效目标|总体目标|年度目标)[：:]")),
         ("actual", re.compile(r"^(?:实际完成情况|总体目标完成情况|年度目标完成情况)[：:]")))


def _prose(ex: Extraction, p: Paragraph) -> None:
    """Figures in the 总体目标 / 实际完成情况 sentences, with the words that say what they count."""
    role = next((r for r, rx in PROSE if rx.match(p.text)), None)
    if role is None:
        return
    t = p.text
    for m in FIGURE.finditer(t):
        start = max((i for i in (t.rfind(c, 0, m.start()) for c in "，,；;：:。、") if i >= 0), default=-1) + 1
        words = re.sub(r"^(?:新建及改造|新建|改造|完成|实现|达到|全年|累计|共)", "", t[start:m.start()]).strip()
        if len(words) >= 2:
            raw = m.group(0).strip()
            ex.prose.append((role, words, Fig(p.no, words, role, raw, parse(raw))))


def _op_before(text: str, pos: int) -> str:
    before = text[max(0, pos - 6):pos]
    for op, words in OPS:
        if re.search(f"(?:{words})\\s*$", before):
            return op
    return "≥"


def _figures(text: str, para: int, name: str, role: str) -> list[Fig]:
    out = []
    for m in FIGURE.finditer(text):
        raw = m.group(0).strip()
        out.append(Fig(para, name, role, raw, parse(raw)))
    return out


def _item(ex: Extraction, p: Paragraph, category: str) -> None:
    m = ITEM_HEAD.match(p.text)
    if not m:
        return
    l1, l2, name, rest = m.group(2).strip(), m.group(3).strip(), m.group(4).strip(), m.group(5)
    wm = FULL.search(rest) or FULL_BARE.search(rest)
    if wm is None:
        labels = list(SCORE_LABEL.finditer(rest))
        if not labels:
            return
        # one 得N分 is the score itself (…得满分。此项得3分); two: the rule's full marks, then the score
        wm = labels[0] if len(labels) > 1 else re.match(r"", rest)
    st = ScoreStatement(p.no, l1, l2, name, weight=_dec(wm.group(1)) if wm.lastindex else None)
    head = rest[:wm.start()]
    tail = rest[wm.end():]
    cut = tail.find("实际")
    st.criterion = head + (tail[:cut] if cut > 0 else "")
    situation = tail[cut:] if cut >= 0 else tail
    scores = list(SCORE_LABEL.finditer(situation))
    if scores:
        st.score = Decimal(scores[-1].group(1))
        situation_body = situation[:scores[-1].start()]
    else:
        situation_body = situation
    st.situation = situation_body
    dm = DEDUCT.search(situation_body)
    if dm:
        st.deduction = Decimal(dm.group(1))
    thresholds = _figures(head, p.no, name, "target")
    if thresholds:
        st.threshold = thresholds[-1]
        st.threshold_op = _op_before(head, head.rfind(st.threshold.text))
    actuals = _figures(situation_body, p.no, name, "actual")
    if actuals:
        st.actual = actuals[-1]
    ex.items.append(st)
    ex.item_category[id(st)] = category or l1


def _funds(ex: Extraction, p: Paragraph) -> None:
    t = p.text
    for role, label in FUND_LABELS:
        for m in re.finditer(f"(?P<label>{label}){AMOUNT}", t):
            lab = m.group("blabel") if role == "balance" else m.group("label").strip()
            ex.funds.append((p.no, m.start(), role, lab, _wan(m.group(len(m.groups()) - 1), m.group(len(m.groups()))),
                             m.group(0)))
    for role, label in RATE_LABELS:
        for m in re.finditer(f"(?P<label>{label}){NUM}\\s*[%％]", t):
            if re.search(r"目标\s*$", t[:m.start()]):
                continue
            ex.funds.append((p.no, m.start(), role, m.group("label").strip(), Decimal(m.group(2)), m.group(0)))
    if "全部到位" in t:
        ex.funds.append((p.no, t.find("全部到位"), "received_rate", "资金全部到位", Decimal(100), "资金全部到位"))
    for m in COMPONENTS.finditer(t):
        before = list(re.finditer(AMOUNT, t[:m.start()]))
        parts = [(pm.group(0), _wan(pm.group(1), pm.group(2))) for pm in re.finditer(AMOUNT, m.group(1))]
        if not before or len(parts) < 2 or not before[-1].end() >= m.start() - 2:
            continue
        head = before[-1]
        if re.search(r"[，,；]", m.group(1)) and re.search(r"(?:全年)?执行数|支出", m.group(1)):
            continue  # 其中：A预算数X万元，执行数Y万元 — pairs, not a list
        hedged = bool(re.search(r"主要|等", m.group(0)))
        ex.components.append((p.no, _wan(head.group(1), head.group(2)), head.group(0), parts, hedged))
    ex.funds.sort(key=lambda f: (f[0], f[1]))


def _table_row(ex: Extraction, p: Paragraph, header: list[str] | None, carry: list[str]):
    cells = list(p.cells) or [c.strip() for c in p.text.split(" | ")]
    if any("三级指标" in c for c in cells) and any(c in ("分值", "得分") for c in cells):
        return cells, []
    if header is None:
        return None, []
    col = {name: i for i, name in enumerate(header)}

    def get(*names):
        for n in names:
            if n in col and col[n] < len(cells):
                return cells[col[n]]
        return ""

    def num(s):
        mm = re.fullmatch(NUM, s.replace("分", "").strip())
        return Decimal(mm.group(1)) if mm else None

    first = cells[0] if cells else ""
    if first in ("合计", "总分", "总计"):
        ex.table_totals.append((p.no, num(get("分值")), num(get("得分"))))
        return header, carry
    l1 = get("一级指标") or (carry[0] if carry else "")
    l2 = get("二级指标") or (carry[1] if len(carry) > 1 and not get("一级指标") else "")
    name = get("三级指标")
    st = ScoreStatement(p.no, l1, l2, name, weight=num(get("分值")), score=num(get("得分")), table=True)
    target, actual = get("年度指标值", "绩效目标值"), get("实际完成值")
    if actual:
        st.actual = Fig(p.no, name, "actual", actual, parse(actual))
    if target:
        st.threshold = Fig(p.no, name, "target", target, parse(target))
        st.threshold_op = st.threshold.value.op or "≥"
    ex.items.append(st)
    ex.item_category[id(st)] = l1
    return header, [l1, l2]
