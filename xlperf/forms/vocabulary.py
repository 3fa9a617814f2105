"""The labels printed on published 自评表, with their variants, and how a label is normalised.

A label is matched after ``norm``: spaces, colons and bracketed notes (``(A)``, ``（50分）``,
``(万元)``) removed, full-width forms folded, a few traditional characters made simplified.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TRADITIONAL = str.maketrans(  # the traditional characters seen in form labels → simplified
    "產標質時數滿設資預執評價際實單項總體經濟會態續響務對績級據說額撥結轉況來門稱計進當財決與應達準內屬號",
    "产标质时数满设资预执评价际实单项总体经济会态续响务对绩级据说额拨结转况来门称计进当财决与应达准内属号",
)
_BRACKETED = re.compile(r"[（(\[【<《][^）)\]】>》]*[）)\]】>》]")
_NOISE = re.compile(r"[\s\u3000:：*＊·、,，。.;；\"'“”‘’_\-—/／\\]+")
_LEAD_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)[、.．)）]")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Full-width to half-width (NFKC), traditional to simplified for the characters forms use."""
    return unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """A printed label in its comparable form: ``产出指标（50分）`` → ``产出指标``, ``年初预算数(A)`` → ``年初预算数``."""
    text = fold(text).strip()
    text = _LEAD_NUMBER.sub("", text)
    text = _BRACKETED.sub("", text)
    return _NOISE.sub("", text)


_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[）)]")


@lru_cache(maxsize=65536)
def printed_points(text: str) -> float | None:
    """The weight printed in a category label: ``产出指标（50分）`` → 50."""
    match = _POINTS.search(unicodedata.normalize("NFKC", text))
    return float(match[1]) if match else None


# Indicator table columns: field → printed variants (normalised). Order matters where one label
# contains another: the first field whose variant matches wins.
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标", "一级", "一级指标名称"),
    "level2": ("二级指标", "二级", "二级指标名称"),
    "name": ("三级指标", "三级", "三级指标名称", "指标名称", "绩效指标名称"),
    "nature": ("指标性质", "指标方向", "指标方向性", "指标类型", "计算符号", "符号"),
    "target": ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "年度预期指标值", "绩效目标值", "预期目标值", "计划指标值"),
    "unit": ("度量单位", "计量单位", "单位"),
    "actual": ("实际完成值", "全年实际完成值", "实际完成情况", "实际值", "完成值", "全年完成值", "实际完成指标值"),
    "weight": ("分值", "权重", "指标分值", "标准分值", "分值权重"),
    "claimed_score": ("得分", "自评得分", "实际得分", "评分", "单位自评得分"),
    "reason": ("偏差原因分析及改进措施", "偏差原因分析", "未完成原因分析", "未完成原因分析及改进措施", "偏差原因及改进措施",
               "偏差大或目标未完成原因分析", "原因分析", "偏差原因", "未完成原因及改进措施"),
    "not_applicable": ("不适用",),
}
# When a form has both (得分 computed, 自评得分 typed: an xlperf workbook saved as .xls), these win.
PREFERRED = {"claimed_score": ("自评得分", "单位自评得分")}
# Columns known but not carried into the model: reported once per column, not per cell.
KNOWN_UNREAD = ("得分计算方法", "评分标准", "计分方法", "指标解释", "数据来源", "佐证材料", "备注", "完成比值", "完成率",
                "改进措施及结果应用方案", "改进措施", "指标值说明", "序号", "评(扣)分标准", "评扣分标准", "扣分原因")

FUND_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数", "年初预算", "年初预算金额", "预算数"),
    "budget": ("全年预算数", "调整后预算数", "全年预算", "全年预算金额", "调整预算数"),
    "spent": ("全年执行数", "全年执行", "执行数", "实际支出数", "实际执行数", "全年实际支出"),
    "weight": ("分值",),
    "rate": ("执行率", "预算执行率", "资金执行率"),
    "points": ("得分",),
    "received": ("到位资金", "实际到位资金"),
    "timely": ("及时到位资金",),
}

# Fund row labels → the model's label.
FUND_ROWS: dict[str, tuple[str, ...]] = {
    "年度资金总额": ("年度资金总额", "资金总额", "合计", "年度资金合计", "项目资金总额"),
    "当年财政拨款": ("当年财政拨款", "其中当年财政拨款", "本年一般公共预算拨款", "其中本年一般公共预算拨款", "财政拨款",
                  "本年财政拨款", "一般公共预算拨款", "其中财政拨款"),
    "上年结转资金": ("上年结转资金", "上年结转", "上年结余结转资金", "上年结转结余资金", "结转结余资金"),
    "其他资金": ("其他资金", "其他"),
}

PROJECT_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称",),
    "department": ("主管部门", "主管部门及代码", "主管单位"),
    "implementer": ("实施单位", "项目实施单位"),
    "unit": ("单位名称", "预算单位", "填报单位", "项目单位"),
    "attribute": ("项目属性",),
    "period": ("起止时间", "项目起止时间", "实施期限"),
    "year": ("年度", "评价年度", "预算年度"),
    "filled_by": ("填报人", "联系人"),
    "phone": ("联系电话",),
    "filled_on": ("填报日期",),
}

GOAL_LABELS = ("年度总体目标", "总体目标", "年度绩效目标", "年度目标")
GOAL_EXPECTED = ("预期目标", "年度预期目标", "目标")
GOAL_ACHIEVED = ("实际完成情况", "实际完成", "完成情况", "年度总体目标完成情况", "目标完成情况")
TOTAL_LABELS = ("总分", "合计", "总计", "合计得分", "总得分", "自评总分")
GRADE_LABELS = ("自评等级", "评价等级", "等级", "单位自评等级", "绩效等级")
FUNDS_CAPTION = ("项目资金", "项目资金情况", "资金情况")
# Rows below a table that end it.
NOTE_STARTS = ("注", "说明", "备注", "填表说明", "填报说明", "单位负责人", "填报人", "审核人", "财务负责人", "附", "本表")
EXECUTION_NAMES = ("预算执行率", "执行率", "预算执行情况", "资金执行率")

# 指标性质 codes used by provincial systems (1 ≥, 2 ＞, 3 ＝, 4 ＜, 5 ≤, 6 定性, 9 定量（其他）) and words.
NATURE_CODES = {"1": "≥", "2": "＞", "3": "＝", "4": "＜", "5": "≤", "6": "定性"}
NATURE_WORDS = {
    "≥": "≥", ">=": "≥", "≧": "≥", "大于等于": "≥", "不低于": "≥", "正向": "≥", "正向指标": "≥",
    ">": "＞", "＞": "＞", "大于": "＞",
    "=": "＝", "＝": "＝", "═": "＝", "等于": "＝",
    "≤": "≤", "<=": "≤", "≦": "≤", "小于等于": "≤", "不高于": "≤", "反向": "≤", "反向指标": "≤",
    "<": "＜", "＜": "＜", "小于": "＜",
    "定性": "定性", "定性指标": "定性",
}
NATURE_NEUTRAL = ("定量", "定量指标", "定量其他", "9")  # no sign: the target's own sign decides


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, variants in table.items():
        for variant in variants:
            out.setdefault(norm(variant), key)
    return out


INDICATOR_INDEX = _index(INDICATOR_COLUMNS)
FUND_INDEX = _index(FUND_COLUMNS)
FUND_ROW_INDEX = _index(FUND_ROWS)
PROJECT_INDEX = _index(PROJECT_LABELS)
UNREAD_INDEX = {norm(x) for x in KNOWN_UNREAD}


def indicator_field(label: str) -> str | None:
    return INDICATOR_INDEX.get(norm(label))


def fund_field(label: str) -> str | None:
    return FUND_INDEX.get(norm(label))


def fund_row(label: str) -> str | None:
    return FUND_ROW_INDEX.get(norm(label))


def project_field(label: str) -> str | None:
    return PROJECT_INDEX.get(norm(label))


def is_one_of(label: str, variants: tuple[str, ...]) -> bool:
    return norm(label) in _normed(variants)


@lru_cache(maxsize=64)
def _normed(variants: tuple[str, ...]) -> frozenset[str]:
    return frozenset(norm(v) for v in variants)


def starts_with_one_of(label: str, variants: tuple[str, ...]) -> bool:
    text = norm(label)
    return any(text.startswith(v) for v in _normed(variants))


def nature_of(text: str) -> str | None | bool:
    """A printed 指标性质 → ≥ ＞ ＝ ≤ ＜ 定性; None for a neutral word (定量); False if unknown."""
    folded = fold(text).strip()
    key = folded.rstrip("指标") if folded not in NATURE_WORDS else folded
    if folded in NATURE_CODES:
        return NATURE_CODES[folded]
    for candidate in (folded, key, norm(text)):
        if candidate in NATURE_WORDS:
            return NATURE_WORDS[candidate]
    if norm(text) in {norm(x) for x in NATURE_NEUTRAL}:
        return None
    return False
