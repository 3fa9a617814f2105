"""Evaluations and readers shared by the report tests."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

from docx import Document

from xlperf import jsonio
from xlperf.model import (
    Evaluation,
    FundRow,
    Funds,
    Goal,
    Indicator,
    ProjectInfo,
    RubricItem,
)
from xlperf.profile import load_profile
from xlperf.scoring import score

EXAMPLE = Path(__file__).resolve().parents[2] / "xlperf" / "examples" / "ningde2018.json"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BAD_FRAGMENTS = ("None", "nan", "NaN", "null", "，，", "。。", "（）", "()", "，。", "；。", "：。", "、、", "，；", "。，")


def ningde() -> tuple[Evaluation, object]:
    evaluation = jsonio.load(EXAMPLE)
    return evaluation, score(evaluation)


def cz2020_evaluation() -> Evaluation:
    """A small, realistic 单位自评 (财预〔2020〕10号): every 一级 weight adds up, one target missed."""
    ev = Evaluation(profile="cz2020")
    ev.project = ProjectInfo(
        unit="某县农业农村局", department="某县人民政府", implementer="某县农业农村局",
        name="高标准农田建设", year=2021, attribute="一次性", period="2021年1月至2021年12月",
        duties="某县农业农村局负责全县农业农村发展规划、农田建设管理和农业技术推广。",
        overview="项目在全县5个乡镇新建高标准农田，配套灌溉、排水和田间道路设施。",
        filled_on="2022年3月15日",
    )
    ev.funds = Funds(rows=[
        FundRow("年度资金总额", initial=500, budget=480, spent=456.3),
        FundRow("当年财政拨款", initial=420, budget=400, spent=380.5),
        FundRow("上年结转资金", initial=80, budget=80, spent=75.8),
        FundRow("其他资金"),
    ], reason="部分工程尾款待竣工审计后支付。")
    ev.goal = Goal(expected="新建高标准农田1万亩，改善灌溉条件，提高粮食产量。",
                   achieved="新建高标准农田10250亩，灌溉条件明显改善。")
    rows = [
        ("产出指标", "数量指标", "新建高标准农田面积", "≥", "10000亩", "10250亩", 15, None, None),
        ("产出指标", "质量指标", "工程验收合格率", "＝", "100%", "100%", 10, None, None),
        ("产出指标", "时效指标", "项目完工时间", None, "2021年12月底前", "2021年11月", 10, None, None),
        ("产出指标", "成本指标", "亩均投资", "≤", "1500元", "1480元", 15, None, None),
        ("效益指标", "经济效益指标", "粮食亩产增加", "≥", "50公斤", "42公斤", 10, None, "受夏季持续降雨影响，部分地块晚播减产"),
        ("效益指标", "社会效益指标", "受益农户数", "≥", "3000户", "3120户", 10, None, None),
        ("效益指标", "可持续影响指标", "工程设施管护机制", "定性", "健全", "达成年度指标", 10, 9, None),
        ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥", "90%", "93.5%", 10, None, None),
    ]
    ev.indicators = [
        Indicator(level1=l1, level2=l2, name=n, nature=nat, target=t, actual=a, weight=w, claimed_score=c, reason=r)
        for l1, l2, n, nat, t, a, w, c, r in rows
    ]
    ev.problems = ["粮食亩产增加未达到年度指标值，主要受天气影响。"]
    ev.measures = ["加强项目前期论证，合理设定绩效指标值。", "及时办理竣工审计，加快资金支付进度。"]
    return ev


def blank_evaluation(profile_id: str) -> Evaluation:
    """Only what scoring needs to run; every optional text, amount and reason left blank."""
    ev = Evaluation(profile=profile_id)
    ev.project = ProjectInfo(name=None, year=None)
    ev.indicators = [
        Indicator(level1="产出指标" if profile_id == "cz2020" else "产出", level2=None, name="培训人次",
                  target="≥100人次", actual=None, weight=10 if profile_id == "cz2020" else None, reason=float("nan")),
        Indicator(level1=None, level2="质量指标", name=None, target="100%", actual="98%", weight=None, reason="None"),
    ]
    if profile_id == "fj2018":
        ev.items = [RubricItem(**{k: v for k, v in item.items() if k in RubricItem.__dataclass_fields__})
                    for item in load_profile("fj2018").items]
    ev.problems = ["", "无"]
    ev.suggestions = [None]
    return ev


def docx_text(path_or_bytes) -> str:
    """All paragraph text of a .docx (body, tables, footers), one paragraph a line."""
    import io

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    doc = Document(source)
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def part(path_or_bytes, name: str) -> str:
    import io

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with zipfile.ZipFile(source) as z:
        return z.read(name).decode("utf-8")


def decimal_variants(value: Decimal) -> set[str]:
    from xlperf.values import fmt_number, fmt_plain

    return {fmt_plain(value), fmt_number(value, 2), fmt_plain(Decimal(fmt_number(value, 2)))}


NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
