"""Consistent evaluations (the bundled example with its contradictions removed, a cz2020 one) for the audit tests."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from xlperf import jsonio
from xlperf.model import Evaluation
from xlperf.scoring import score

EXAMPLE = Path(__file__).resolve().parents[2] / "xlperf" / "examples" / "ningde2018.json"
SEED = Path(__file__).resolve().parent / "data" / "2018-ningde-egov-self-evaluation-report.txt"  # the sample report, as published


def ningde_clean() -> Evaluation:
    """The 2018 宁德 example with every contradiction the sample report carries put right."""
    ev = jsonio.load(EXAMPLE)
    ev.project.finance = None
    ev.project.method = "本次评价主要采用比较法，评价标准主要采用往年的历史标准。"
    ev.funds.claimed_rate = None
    ev.funds.reason = "资金使用率低主要原因是关闭暂时无需运行的大型设备。"
    ev.claimed_total = None
    ev.claimed_grade = None
    units = {"电子证照系统生成电子证照数量": ("52万件", "60.2万件", "50万件"), "12345热线呼叫处理信件数": (None, "9567件", None),
             "市政府门户网站政务访谈的期数": (None, "40期", None)}
    for ind in ev.indicators:
        if ind.name in units:
            t, a, r = units[ind.name]
            ind.target = t or ind.target
            ind.actual = a or ind.actual
            ind.reference = r or ind.reference
        if ind.name == "市政府门户网站便民服务数量":
            ind.reference, ind.target, ind.actual = "180件", "200件", "200件"
        if ind.name == "市政府门户网站每月点击数":
            ind.reference, ind.target = "2万个", "2.1万个"
    by_name = {i.name: i for i in ev.indicators}
    for item in ev.items:
        if item.rule != "手工":
            item.claimed_score = None
        src = str(item.source or "")
        if src.startswith("指标:"):
            ind = by_name[src[3:]]
            item.target = ind.target if item.rule != "每减少30扣1" else item.target
            item.actual = ind.actual
            item.target = ind.target
        if item.name == "项目实施时间与计划时间的差异情况":
            item.weight = 2
            item.criterion = "项目实施时间与计划时间无差异得满分2分。"
        if item.name == "市政府网站点击率":  # 每月点击数 in the table: the same monthly figure here
            item.weight = 2
            item.criterion = "市政府门户网站每月点击数达到2.1万个得满分2分。"
            item.situation = "实际市政府门户网站每月点击数2.25万个。"
        if item.name == "公文批转数":
            item.name = "电子证照数量"
            item.criterion = "电子证照系统生成电子证照数量达到52万件的得满分3分。"
            item.situation = "实际生成电子证照60.2万件。"
        if item.name == "政务在线访谈数":
            item.criterion = "市政府门户网站政务访谈期数达到32期得满分3分。"
            item.situation = "实际完成政务访谈40期。"
        if item.name == "电子政务外网信件回复数":
            item.situation = "实际处理电子政务外网信件数695件。"
        if item.name == "视频会议场次":
            item.situation = "实际召开视频会议162场。"
        if item.name == "市政府门户网站便民服务数量":
            item.situation = "实际市政府门户网站便民服务数量200件。"
        if item.name == "市政府门户网站网上办事对网民满意率":
            item.situation = "实际市政府门户网站网上办事对网民满意率86.5%。"
        if item.name == "写信人对信件回复的满意率":
            item.situation = "实际满意率96.75%。"
        if item.name == "资金使用率":
            item.actual = None
            item.situation = None
    return ev


def cz2020() -> Evaluation:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
    import reporthelpers

    return reporthelpers.cz2020_evaluation()


def cz2020_second() -> Evaluation:
    """Another 单位自评: a training project with a reverse cost indicator and a missed satisfaction target."""
    ev = copy.deepcopy(cz2020())
    ev.project.name = "基层干部培训"
    ev.funds.rows[0].budget, ev.funds.rows[0].spent, ev.funds.rows[0].initial = 120, 108.6, 120
    ev.funds.rows[1].budget, ev.funds.rows[1].spent, ev.funds.rows[1].initial = 100, 92.4, 100
    ev.funds.rows[2].budget, ev.funds.rows[2].spent, ev.funds.rows[2].initial = 20, 16.2, 20
    rows = [("培训人次", "≥1200人次", "1350人次"), ("培训合格率", "≥95%", "97.2%"), ("完成时间", "2021年11月底前", "2021年10月"),
            ("人均培训成本", "≤900元", "860元"), ("带动增收", "≥30万元", "27万元"), ("受训人员覆盖乡镇", "≥12个", "12个"),
            ("培训长效机制", "健全", "达成年度指标"), ("学员满意度", "≥90%", "88%")]
    for ind, (name, t, a) in zip(ev.indicators, rows):
        ind.name, ind.target, ind.actual, ind.nature = name, t, a, None if ind.nature == "定性" and False else ind.nature
        ind.reason = "部分学员对课程安排有意见" if name in ("学员满意度", "带动增收") else ind.reason
    return ev


def scored(ev: Evaluation):
    return ev, score(ev)


EXAMPLES = {"ningde": ningde_clean, "cz2020": cz2020, "cz2020b": cz2020_second}
