"""Reading 指标值: what a cell holds (``≥57人``, ``3.12万件``, ``12月底前``, ``达成``) as a Value.

``parse`` never raises: what it cannot read becomes ``Kind.UNREADABLE`` with a short
Chinese ``note``, and the original text is always kept in ``Value.text``. Numbers are
Decimal throughout; multipliers (万, 亿, 千) are applied at parse time, so
``3.12万件`` is ``Decimal('31200')`` 件 and ``318.91万元`` is ``3189100`` 元.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import numbers
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import Enum
from functools import cached_property

Raw = str | int | float | Decimal | _dt.date | _dt.datetime | bool | None

MAX_MAGNITUDE = Decimal(10) ** 15  # larger numbers are typing errors, not 指标值

LEVEL_TEXT = {
    "met": "达成年度指标",
    "partial": "部分达成年度指标并具有一定效果",
    "missed": "未达成年度指标且效果较差",
}


class Kind(str, Enum):
    """What sort of 指标值 a cell holds."""

    NUMBER = "number"
    DEADLINE = "deadline"
    SERVICE = "service"
    QUALITATIVE = "qualitative"
    YESNO = "yesno"
    EMPTY = "empty"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Value:
    """One 指标值 or 实际完成值 as read; ``text`` always keeps the original."""

    kind: Kind
    text: str
    op: str | None = None
    number: Decimal | None = None
    unit: str = ""
    deadline: tuple[int | None, int, int | None] | None = None
    level: str | None = None
    note: str = ""
    scale: int = 0  # the power of ten a multiplier in the text applied (万 → 4, 亿 → 8)

    @cached_property
    def shown(self) -> str:
        """The value as the person typed it, without its comparison sign (``rules.show``).

        Kept on the (frozen, parse-cached) Value, not one of its fields: explanations quote
        the same target and actual texts on line after line, file after file.
        """
        text = self.text.strip().rstrip("。；;")
        if text[:1] in _OP_FIRST:
            text = _LEADING_OP.sub("", text)
        if self.kind is Kind.NUMBER and self.number is not None:
            # the quantity only, never the target's wording: 不低于98% → 98%, 8次以上 → 8次
            core = _clean(text).replace(" ", "")
            m = _FIRST_NUMBER.search(core)
            if m:
                text = _SUFFIX_TAIL.sub("", core[m.start():]) or text
        if self.kind is Kind.NUMBER and self.unit and self.unit not in text and text == fmt_plain(self.number or Decimal(0)):
            text += "个月" if self.unit == "月" else self.unit  # 6月 would read as June
        return text or fmt_plain(self.number or Decimal(0)) + self.unit


_LEADING_OP = re.compile(r"^(>=|<=|≥|≧|＞|>|=|＝|═|﹦|≤|≦|＜|<)\s*")
_OP_FIRST = frozenset(">≥≧＞=＝═﹦≤≦＜<")
_FIRST_NUMBER = re.compile(r"(?<![0-9A-Za-z])-?[0-9]|[0-9]")
_SUFFIX_TAIL = re.compile(r"(?:\(含\))?[及或]?(?:以上|以下|以内|之内|内)(?:\(含\))?.*$")  # the first characters _LEADING_OP can match


# ---------------------------------------------------------------- vocabulary

_TABLE: dict[int, str | int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE.update({0x3000: " ", 0xA0: " "})
_TABLE.update(
    {
        ord(k): v
        for k, v in {
            "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤", "═": "=", "﹦": "=", "﹥": ">", "﹤": "<", "≒": "=", "−": "-", "﹪": "%",
            "│": None, "|": None, "┃": None, "｜": None,
            "㎡": "平方米", "㎞": "公里", "㎏": "公斤",
        }.items()
    }
)

_NOT_APPLICABLE = {"不适用", "不涉及", "N/A", "NA"}
_DASHES = re.compile(r"^[-—―–─/\\]+$")
_YESNO = {"TRUE": "yes", "FALSE": "no", "是": "yes", "有": "yes", "√": "yes", "✓": "yes", "✔": "yes",
          "否": "no", "无": "no", "×": "no", "✗": "no", "✘": "no"}
_LEVEL_WORDS = {
    "met": "达成年度指标 好 优 优秀 达到预期 达成 已达成 完成 已完成 全部完成 按时完成 有效 效果明显 显著 达标 合格 "
           "达成预期指标 达成预期目标 达到预期目标 达到预期效果 已达到预期 完全达到 全面完成 圆满完成 已全部完成 "
           "按期完成 已按期完成 如期完成 已如期完成 按时完成 已按时完成 提前完成 已提前完成 按计划完成 已按计划完成",
    "partial": "部分达成年度指标并具有一定效果 部分达成年度指标 基本达成年度指标 较好 良 良好 部分达成 基本达成 "
               "基本完成 部分完成 较明显 基本达到 基本达到预期 基本达成预期 基本达成预期指标 部分达成预期指标 部分达成预期目标 "
               "基本实现 部分实现 基本按期完成",
    "missed": "未达成年度指标且效果较差 未达成年度指标 一般 差 较差 未达成 未完成 不明显 无效 不达标 不合格 "
              "未达成预期指标 未达成预期目标 未达到预期 未达到 未实现 未按期完成 未按时完成 延期完成 逾期完成 未如期完成",
}
_LEVELS = {w: lvl for lvl, words in _LEVEL_WORDS.items() for w in words.split()}
# the three official phrases, also when embedded in a longer sentence (order matters)
_LEVEL_PHRASES = (("未达成年度指标", "missed"), ("部分达成年度指标", "partial"),
                  ("基本达成年度指标", "partial"), ("达成年度指标", "met"),
                  ("未达成预期", "missed"), ("部分达成预期", "partial"), ("基本达成预期", "partial"), ("达成预期", "met"))

_SIGNS = {
    "≥": "≥ >= => 大于或等于 大于等于 不低于 不少于 不小于 达到 达",
    "≤": "≤ <= =< 小于或等于 小于等于 不高于 不超过 不大于 不多于",
    ">": "> 大于 高于 超过 多于",
    "<": "< 小于 低于 少于",
    "=": "= == 等于",
}
_SIGN_OF = {w: op for op, words in _SIGNS.items() for w in words.split()}
_PREFIX_OP = re.compile("(?:" + "|".join(map(re.escape, sorted(_SIGN_OF, key=len, reverse=True))) + ")$")
_SUFFIX_OP = re.compile(r"^(?:\(含\))?[及或]?(以上|以下|以内|之内|内(?=$|完成|\(含\)))(?:\(含\))?")
_SUFFIX_OP_OF = {"以上": "≥", "以下": "≤", "以内": "≤", "之内": "≤", "内": "≤"}
_SUFFIX_OP_ANYWHERE = re.compile(r"[及或]?(?:以上|以下|以内|之内)")

_MULTIPLIERS = (("万亿", 12), ("千万", 7), ("百万", 6), ("亿", 8), ("万", 4), ("千", 3))
_PERCENT = (("个百分点", 0), ("百分点", 0), ("百分比", 0), ("%", 0), ("‰", -1))
_UNIT_ALIASES = {
    "个工作日": "工作日", "工作日": "工作日", "个小时": "小时", "小时": "小时", "个月": "月",
    "日": "天", "天": "天", "周": "周", "星期": "周", "个星期": "周", "分钟": "分钟", "秒": "秒",
    "台(套)": "台套", "台/套": "台套", "台套": "台套", "平米": "平方米", "平方米": "平方米",
    "平方公里": "平方公里", "立方米": "立方米", "公顷": "公顷", "公里": "公里", "千米": "公里",
    "米": "米", "厘米": "厘米", "毫米": "毫米", "公分": "厘米", "公斤": "公斤", "千克": "公斤", "克": "克", "斤": "斤", "吨": "吨", "亩": "亩",
    "人次": "人次", "人天": "人天", "人日": "人天", "批次": "批次", "架次": "架次", "学时": "学时",
    "课时": "课时", "季度": "季度", "千瓦时": "千瓦时", "千瓦": "千瓦", "瓦": "瓦", "升": "升",
    "兆": "M",
}
_UNIT_ALIASES.update({c: c for c in "人件份场期次个条家户项篇台套元月年粒册分辆艘座所栋处块张本部株棵头只"
                      "匹袋箱瓶盒包支根片幅组类种门节课堂班届轮批宗笔单票例位名村镇乡站度倍"})
_UNIT_KEYS = sorted(_UNIT_ALIASES, key=len, reverse=True)


def _by_first(words):
    """Words grouped by their first character, each group keeping the order given (longest first)."""
    index: dict[str, list] = {}
    for item in words:
        index.setdefault((item[0] if isinstance(item, tuple) else item)[0], []).append(item)
    return {c: tuple(group) for c, group in index.items()}


# Only words starting with the text's first character can match: look those up instead
# of trying every word with startswith (the first match in the full list is the first here).
_UNIT_INDEX = _by_first(_UNIT_KEYS)
_MULTIPLIER_INDEX = _by_first(_MULTIPLIERS)
_PERCENT_INDEX = _by_first(_PERCENT)
_LATIN = re.compile(r"[A-Za-z]+(?:/[A-Za-z]+)?")
_DIGIT = re.compile("[0-9]")
_LATIN_ALIASES = {"h": "小时", "hr": "小时", "min": "分钟", "km": "公里", "kg": "公斤"}
_DATA_UNIT = re.compile(r"^(?:[KMGTmg]|(?i:[kmgt](?:b|bps|bit|bit/s|b/s)))$")
_DATA_FACTOR = {"K": 1, "M": 10**3, "G": 10**6, "T": 10**9}
_FAMILIES = {
    "分钟": ("time", 1), "小时": ("time", 60), "天": ("time", 1440), "周": ("time", 10080),
    "月": ("month", 1), "季度": ("month", 3), "年": ("month", 12),
    "毫米": ("length", 1), "厘米": ("length", 10), "米": ("length", 1000), "公里": ("length", 10**6),
    "平方米": ("area", 1), "公顷": ("area", 10**4), "平方公里": ("area", 10**6),
    "克": ("mass", 1), "斤": ("mass", 500), "公斤": ("mass", 1000), "吨": ("mass", 10**6),
}

_NUM = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+")
_RANGE_OR_SUM = re.compile(r"^(?:(?P<range>[-~至到—–])|[*×xX/÷+=≥≤<>])[0-9.]")
_JUNK_AFTER = re.compile(r"^[$#@&^~`=<>≥≤|\\_?!]")  # 290$: a symbol where a unit should be
_JUNK_BEFORE = re.compile(r"(?:^|[^0-9A-Za-z])[A-Za-z]{1,2}[.\-]?$|\.$")  # M.8万元, .8 after a letter: a fragment
_SERVICE = re.compile(
    r"(?<![0-9.])(?P<d>[0-9]+)[*×xX✕](?P<h>[0-9]+(?:\.[0-9]+)?)(?![0-9.])(?P<hunit>个?小时|h|H|时)?"
)
_WEEKLY = re.compile(r"(?<![0-9.])(?P<n>[0-9]+(?:\.[0-9]+)?)(?:个?小时/周|小时每周)")
_CJK_DATE = re.compile(
    r"(?<![0-9])(?:(?P<y>[0-9]{4})年度?)?(?P<m>[0-9]{1,2})月份?(?:(?P<d>[0-9]{1,2})[日号])?"
)
_YEAR_END = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})年度?(?P<w>年底|年末|底|末|全年)")
_DATE_TAIL = re.compile(r"(?P<end>底|末|上旬|中旬|下旬)?(?P<before>[之以]?前)?")
_ISO_DATE = re.compile(
    r"(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?:(?P=s)(?P<d>[0-9]{1,2}))?"
    r"(?:T?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?(?P<before>[之以]?前)?(?:已?完成)?$"
)
_NO_YEAR_END = re.compile(
    r"^(?:[当本]?年度?(?:底|末)|[当本]年度?内?|年内|年度内)(?P<before>[之以]?前)?(?:已?完成)?$"
)
# 2023年第三季度(末)(前), 第4季度, 上半年, 2023年下半年前完成
_PERIOD = re.compile(
    r"^(?P<lead>≤|<|<=|不晚于|不迟于)?(?:(?P<y>[0-9]{4})年度?)?(?:第?(?P<q>[一二三四1-4])季度|(?P<h>[上下])半年)"
    r"(?:度)?(?:末|底)?(?P<before>[之以]?前)?(?:内)?(?:已?完成)?$"
)
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DEADLINE_BEFORE = re.compile(r"(?:≤|<|<=|不晚于|不迟于)$")
_LEADING_BEFORE = re.compile(r"<=|≤|<|不晚于|不迟于")
_DEADLINE_REFUSE = re.compile(r"(?:≥|>|>=|大于|高于|超过|不低于|不少于)$")
_TRAILING = " 。；;，,、.!?"
# Comparison + number + the rest, where the rest (multiplier, unit, 以上…) holds nothing
# _service or _deadline reads: no digit (a second number: 7*24, a date), no 月 (a month),
# 底/末/全 (年底, 全年), 周 (小时/周). The first _NUM match of such a text is the number.
_SIMPLE = re.compile(
    "(" + "|".join(map(re.escape, sorted(_SIGN_OF, key=len, reverse=True))) + ")?([0-9]+(?:\\.[0-9]+)?)([^0-9月底末全周]*)"
)
_DOTTED_YEAR = re.compile(r"(?:19[5-9][0-9]|20[0-9]{2})\.(?:0?[1-9]|1[0-2])")  # 2018.12 may be a month: left to _deadline


# 指标性质 as printed in its own column: signs in any glyph, words, and the codes of the
# provincial systems (1 ≥, 2 ＞, 3 ＝, 4 ＜, 5 ≤, 6 定性, 9 定量（其他）).
_NATURE_CODES = {"1": "≥", "2": ">", "3": "=", "4": "<", "5": "≤", "6": "定性", "9": "其他"}
_NATURE_WORDS = {
    "定性": "定性", "定性指标": "定性", "定量(其他)": "其他", "其他": "其他", "定量其他": "其他",
    "正向": "≥", "正向指标": "≥", "反向": "≤", "反向指标": "≤", "逆向指标": "≤", "返向指标": "≤",
}


def nature_op(nature: object) -> str | None:
    """The sign a 指标性质 cell states (≥ > = ≤ <, 定性, 其他), or None when blank or unknown."""
    if nature is None:
        return None
    s = _clean(_safe_text(nature)).replace(" ", "")
    if not s:
        return None
    if s.endswith(".0") and s[:-2] in _NATURE_CODES:
        s = s[:-2]
    if s in _NATURE_CODES:
        return _NATURE_CODES[s]
    s = s.replace("（", "(").replace("）", ")")
    if s in _NATURE_WORDS:
        return _NATURE_WORDS[s]
    s = s.removesuffix("指标值").removesuffix("指标")
    if s in _SIGN_OF:
        return _SIGN_OF[s]
    if s in ("=<", "≤="):
        return "≤"
    if s in ("=>", "≥="):
        return "≥"
    return None


# 一级 labels as printed: 产出指标(50分), 产出指标（50分）, 產出指標 (traditional characters).
_TRADITIONAL = str.maketrans(
    "產標滿預執過決績數質時間經濟會態續響務對項總額資據設組織實與滿環護費據門員",
    "产标满预执过决绩数质时间经济会态续响务对项总额资据设组织实与满环护费据门员",
)
_POINTS_TAIL = re.compile(r"[(（\[【]\s*[0-9０-９.．]+\s*分?\s*[)）\]】]$|[0-9.]+分$")


def label_name(raw: object) -> str:
    """A category label without its printed points and in simplified characters: 產出指標（50分） → 产出指标."""
    s = _safe_text(raw).strip()
    if not s:
        return ""
    s = _POINTS_TAIL.sub("", s.translate(_TRADITIONAL)).strip()
    return s.replace(" ", "").replace("\u3000", "")


# ---------------------------------------------------------------- helpers


def _safe_text(raw: object) -> str:
    """The input as text, whatever it is."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    try:
        return str(raw)
    except Exception:
        try:
            if isinstance(raw, int):
                return str(Decimal(raw))
            return repr(raw)
        except Exception:
            return "<无法显示的值>"


def _clean(text: str) -> str:
    """Full-width to ASCII; noise, control characters and trailing 。 out; whitespace collapsed."""
    s = text.translate(_TABLE)
    if not s.isprintable():
        out = []
        for c in s:
            cat = unicodedata.category(c)
            if cat in ("Cc", "Zs", "Zl", "Zp"):
                out.append(" ")
            elif not cat.startswith("C"):
                out.append(c)
        s = "".join(out)
    return " ".join(s.split()).rstrip(_TRAILING)


# Private contexts instead of ``localcontext()`` (a context copy on every call): the
# default context with the precision raised. Nothing in xlperf changes the thread's context.
_PREC60 = Context(prec=60)
_ONE = Decimal(1)


def _canon(d: Decimal) -> Decimal:
    """Same value, canonical form: integers without exponent or trailing zeros."""
    if d == 0:
        return Decimal(0)
    if d == d.to_integral_value(context=_PREC60):
        return d.quantize(_ONE, context=_PREC60)
    return d.normalize(_PREC60)


def _scaled(d: Decimal, power: int) -> Decimal:
    """d × 10^power, exactly."""
    return d.scaleb(power, _PREC60)


def _too_big(d: Decimal) -> bool:
    return d != 0 and (d.adjusted() > 15 or abs(d) > MAX_MAGNITUDE)


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _unreadable(text: str, note: str) -> Value:
    return Value(Kind.UNREADABLE, text, note=note)


def _canonical_unit(unit: str) -> str:
    return _UNIT_ALIASES.get(unit, unit)


@dataclass(frozen=True)
class _Unit:
    """A unit as read from text: multiplier and percent scale as powers of ten."""

    power: int = 0
    unit: str = ""
    rest: str = ""
    long_word: bool = False  # an unknown CJK word, not a unit (e.g. 热线呼叫前台服务)


_UNITS_READ: dict[str, _Unit] = {}  # the few suffixes (人, %, 万元, 以上) recur; _Units are frozen


def _read_unit(u: str) -> _Unit:
    """Read multiplier + unit at the start of u; the rest is returned unread."""
    found = _UNITS_READ.get(u)
    if found is None:
        found = _read_unit_uncached(u)
        if len(_UNITS_READ) < 4096:
            _UNITS_READ[u] = found
    return found


def _read_unit_uncached(u: str) -> _Unit:
    power = 0
    for word, p in _MULTIPLIER_INDEX.get(u[:1], ()):
        if u.startswith(word):
            power, u = p, u[len(word):]
            break
    if u[:1] in ("余", "多"):
        u = u[1:]  # 300余人, 5万多人: read as the stated number
    first = u[:1]
    for word, p in _PERCENT_INDEX.get(first, ()):
        if u.startswith(word):
            return _Unit(power + p, "%", u[len(word):])
    for key in _UNIT_INDEX.get(first, ()):
        if u.startswith(key):
            return _per(power, _UNIT_ALIASES[key], u[len(key):])
    m = _LATIN.match(u)
    if m:
        word = m.group()
        unit = word.upper() if _DATA_UNIT.match(word) else _LATIN_ALIASES.get(word, word)
        return _Unit(power, unit, u[m.end():])
    run = 0
    while run < len(u) and _is_cjk(u[run]):
        run += 1
    if run == 0:
        return _Unit(power, "", u)
    cut = _SUFFIX_OP_ANYWHERE.search(u, 0, run)
    if cut:
        run = cut.start()
    if run == 0 or u[0] in "万亿千百":  # 5万万: a typing slip, not a unit
        return _Unit(power, "", u, long_word=run > 1)
    if run == 1:
        return _per(power, u[0], u[1:])
    return _Unit(power, u[0], u[1:], long_word=True)


def _per(power: int, unit: str, rest: str) -> _Unit:
    """Extend a unit with '/年'-style denominators (次/年, 人/天)."""
    if rest.startswith("/") and len(rest) > 1 and not rest[1].isdigit():
        for key in _UNIT_INDEX.get(rest[1], ()):
            if rest.startswith(key, 1):
                return _Unit(power, f"{unit}/{_UNIT_ALIASES[key]}", rest[1 + len(key):])
        if _is_cjk(rest[1]):
            return _Unit(power, f"{unit}/{rest[1]}", rest[2:])
    return _Unit(power, unit, rest)


_HINTS: dict[object, tuple[_Unit, str]] = {}  # 度量单位 texts are few; _Units are frozen


def _hint(unit_hint: object) -> tuple[_Unit, str]:
    """The 度量单位 column as (multiplier + unit, cleaned text)."""
    try:
        return _HINTS[unit_hint]
    except KeyError:
        found = _read_hint(unit_hint)
        if len(_HINTS) < 4096 and type(unit_hint) in (str, type(None)):
            _HINTS[unit_hint] = found
        return found
    except TypeError:  # unhashable
        return _read_hint(unit_hint)


def _read_hint(unit_hint: object) -> tuple[_Unit, str]:
    if unit_hint is None:
        return _Unit(), ""
    h = _clean(_safe_text(unit_hint)).replace(" ", "")
    if not h or h == "无" or _DASHES.match(h) or h.upper() in _NOT_APPLICABLE:
        return _Unit(), ""
    u = _read_unit(h)
    if u.rest or u.long_word:
        return _Unit(0, h), h  # kept as typed
    return u, h


def _prefix_op(prefix: str) -> str | None:
    m = _PREFIX_OP.search(prefix)
    return _SIGN_OF[m.group()] if m else None


def _valid_date(y: int | None, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12 or (y is not None and not 1 <= y <= 9999):
        return False
    return d is None or 1 <= d <= calendar.monthrange(y or 2000, m)[1]


# ---------------------------------------------------------------- parse


def parse(raw: Raw, unit_hint: str | None = None) -> Value:
    """Read one 指标值 / 实际完成值 cell; never raises.

    ``unit_hint`` is the 度量单位 column: its unit (and multiplier, e.g. 万元) is used
    when the cell has none. Excel keeps a cell typed as 95.67% as the float 0.9567: only
    when the raw value is a float, the hint is exactly '%' and |value| ≤ 1.5 is it
    multiplied by 100; int, Decimal and text are never rescaled.
    """
    try:
        return _parse_cached(raw, unit_hint)
    except TypeError:  # unhashable input: read it without the cache
        pass
    try:
        return _parse(raw, unit_hint)
    except Exception:  # a bug here must not stop a whole workbook from being read
        return _unreadable(_safe_text(raw), "无法识别")


@functools.lru_cache(maxsize=65536, typed=True)
def _parse_cached(raw: Raw, unit_hint: object) -> Value:
    # Values are frozen, and the same texts (100%, ≥95%, 是) recur across rows and files.
    try:
        return _parse(raw, unit_hint)
    except Exception:
        return _unreadable(_safe_text(raw), "无法识别")


def _parse(raw: Raw, unit_hint: object) -> Value:
    if raw.__class__ is str:  # most cells: skip the type tests below (two of them are ABC checks)
        return _from_text(raw, unit_hint)
    text = _safe_text(raw)
    if raw is None:
        return Value(Kind.EMPTY, "")
    if isinstance(raw, bool):
        return Value(Kind.YESNO, text, level="yes" if raw else "no")
    if isinstance(raw, _dt.datetime):
        return Value(Kind.DEADLINE, text, deadline=(raw.year, raw.month, raw.day))
    if isinstance(raw, _dt.date):
        return Value(Kind.DEADLINE, text, deadline=(raw.year, raw.month, raw.day))
    if isinstance(raw, (int, float, Decimal)):
        return _from_number(raw, text, unit_hint)
    if isinstance(raw, numbers.Integral):  # numpy and friends
        return _from_number(int(raw), text, unit_hint)
    if isinstance(raw, numbers.Real):
        return _from_number(float(raw), text, unit_hint)
    if isinstance(raw, str):
        return _from_text(raw, unit_hint)
    return _unreadable(text, "无法识别的单元格内容")


def _from_number(raw: int | float | Decimal, text: str, unit_hint: object) -> Value:
    if isinstance(raw, float):
        if raw != raw:
            return Value(Kind.EMPTY, text)
        if raw in (float("inf"), float("-inf")):
            return _unreadable(text, "数值无效")
        d = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        if raw.is_nan():
            return Value(Kind.EMPTY, text)
        if raw.is_infinite():
            return _unreadable(text, "数值无效")
        d = raw
    else:
        d = Decimal(raw)
    if _too_big(d):
        return _unreadable(text, "数值过大")
    hint, hint_text = _hint(unit_hint)
    if isinstance(raw, float) and hint_text == "%" and abs(d) <= Decimal("1.5"):
        d = _scaled(d, 2)
    else:
        d = _scaled(d, hint.power)
    if _too_big(d):
        return _unreadable(text, "数值过大")
    return Value(Kind.NUMBER, text, number=_canon(d), unit=hint.unit)


_EXCEL_ERROR = re.compile(  # as _clean leaves them: a trailing ! is cut like a trailing 。
    r"#(?:DIV/0|N/A|NAME\?|NULL|NUM|REF|VALUE|SPILL|CALC|GETTING_DATA|FIELD|BLOCKED|CONNECT|BUSY|UNKNOWN)!?", re.IGNORECASE)
_PARENTHESISED = re.compile(r"\(-?[0-9][0-9.,]*\)")


def _from_text(text: str, unit_hint: object) -> Value:
    s = _clean(text)
    t = s.replace(" ", "")
    if not t:
        return Value(Kind.EMPTY, text)
    if _DASHES.match(t) or t.upper() in _NOT_APPLICABLE:
        return Value(Kind.EMPTY, text, note="不适用")
    if t[0] == "#" and _EXCEL_ERROR.fullmatch(t):  # #DIV/0! is no 0, #N/A no text to judge
        return _unreadable(text, "是 Excel 的错误值（公式出错），请改为实际的数值")
    if t[0] == "(" and _PARENTHESISED.match(t):  # (20) is −20 in accounting notation: never 20
        return _unreadable(text, "括号中的数按会计记法是负数，请直接填写数值")
    if t.upper() in _YESNO:
        return Value(Kind.YESNO, text, level=_YESNO[t.upper()])
    if t in _LEVELS:
        return Value(Kind.QUALITATIVE, text, level=_LEVELS[t])
    for phrase, level in _LEVEL_PHRASES:
        if phrase in t:
            return Value(Kind.QUALITATIVE, text, level=level)
    period = _PERIOD.match(t)
    if period:
        month = 3 * _QUARTER[period["q"]] if period["q"] else (6 if period["h"] == "上" else 12)
        year = int(period["y"]) if period["y"] else None
        if year is not None and not _valid_date(year, month, None):
            return _unreadable(text, "日期无效")
        # a quarter or half-year is a period to finish within: by its last month
        return Value(Kind.DEADLINE, text, op="≤", deadline=(year, month, None))
    simple = _SIMPLE.fullmatch(t)
    if simple is not None and not _DOTTED_YEAR.fullmatch(simple[2]):
        # The common shape, ≥57人 or 3.12万件: straight to the number, which is what the
        # general path below ends in, since neither _service nor _deadline can read it.
        found = _number_at(t, text, unit_hint, simple.start(2), simple.end(2), simple[2])
        if found is not None:
            return found
    if not _DIGIT.search(t):
        m = _NO_YEAR_END.match(t)
        if m:
            return Value(Kind.DEADLINE, text, op="≤" if m["before"] or "内" in t or "完成" in t else None, deadline=(None, 12, None))
        if any(c.isalpha() for c in t):
            return Value(Kind.QUALITATIVE, text)
        return _unreadable(text, "无法识别数值")
    found = _service(t, text)
    if found is None:
        # with a 度量单位 such as 万元, 2018.12 is an amount rather than a month
        found = _deadline(t, text, dotted=not _hint(unit_hint)[1])
    return found if found is not None else _number(t, text, unit_hint)


def _service(t: str, text: str) -> Value | None:
    """7*24小时 (days × hours) or N小时/周, as hours per week."""
    m = _WEEKLY.search(t)
    if m:
        hours = Decimal(m["n"])
    else:
        m = _SERVICE.search(t)
        if not m:
            return None
        days, per_day = int(m["d"]), Decimal(m["h"])
        if not (1 <= days <= 7 and 0 < per_day <= 24):
            return None
        hours = days * per_day
    prefix, suffix = t[: m.start()], t[m.end():]
    if _DIGIT.search(prefix + suffix):
        return None
    if m.re is _SERVICE and not m["hunit"]:
        after = _read_unit(suffix)
        if after.unit and not after.long_word:
            return None  # 3*5米 is a size, not a service time
    return Value(Kind.SERVICE, text, op=_prefix_op(prefix), number=_canon(hours), unit="小时/周")


def _deadline(t: str, text: str, dotted: bool = True) -> Value | None:
    """2018年12月底前, 当年度5月份, 2023年6月30日前, 2018-12-31, 2018.12, 2020年全年."""
    lead = _LEADING_BEFORE.match(t)
    m = _ISO_DATE.match(t, lead.end()) if lead else _ISO_DATE.match(t)
    if m and m["s"] == "." and m["d"] is None:
        if not (dotted and 1900 <= int(m["y"]) <= 2199 and 1 <= int(m["m"]) <= 12):
            m = None  # 2018.13 is a number
    if m:
        y, mo, d = int(m["y"]), int(m["m"]), (int(m["d"]) if m["d"] else None)
        if not _valid_date(y, mo, d):
            return _unreadable(text, "日期无效")
        op = "≤" if m["before"] or lead else None
        return Value(Kind.DEADLINE, text, op=op, deadline=(y, mo, d))
    end = _YEAR_END.search(t)
    m = _CJK_DATE.search(t)
    if end and (not m or end.start() <= m.start()):
        y, mo = int(end["y"]), 12
        d = 31 if end["w"] == "全年" else None
        start, stop = end.start(), end.end()
        tail = _DATE_TAIL.match(t, stop)
        before = tail["before"] if d is None else None
    elif m:
        y, mo = (int(m["y"]) if m["y"] else None), int(m["m"])
        d = int(m["d"]) if m["d"] else None
        start, stop = m.start(), m.end()
        tail = _DATE_TAIL.match(t, stop)
        if d is None and tail["end"] in ("上旬", "中旬"):
            d = 10 if tail["end"] == "上旬" else 20
        before = tail["before"]
    else:
        return None
    prefix, rest = t[:start], t[tail.end():]
    if _DEADLINE_REFUSE.search(prefix):
        return _unreadable(text, "无法识别日期")
    if _DIGIT.search(prefix + rest):
        return Value(Kind.QUALITATIVE, text)  # a sentence with a date and other numbers
    if not _valid_date(y, mo, d):
        return _unreadable(text, "日期无效")
    op = "≤" if before or _DEADLINE_BEFORE.search(prefix) else None
    return Value(Kind.DEADLINE, text, op=op, deadline=(y, mo, d))


def _number(t: str, text: str, unit_hint: object) -> Value:
    """The first comparison + number + unit in t; a number embedded in prose is skipped."""
    for i, m in enumerate(_NUM.finditer(t)):
        if i >= 20:
            break
        found = _number_at(t, text, unit_hint, m.start(), m.end(), m.group())
        if found is not None:
            return found
    return Value(Kind.QUALITATIVE, text)


def _number_at(t: str, text: str, unit_hint: object, start: int, end: int, digits: str) -> Value | None:
    """The value read at the number t[start:end]; None when that number is part of a name (read on)."""
    prefix, suffix = t[:start], t[end:]
    before = prefix[-2:-1]
    negative = prefix.endswith("-") and not (before.isascii() and before.isalnum())
    if negative:  # -5, ≥-5, 结余率-5%; not A-5
        prefix = prefix[:-1]
    op = _prefix_op(prefix)
    if op is None and _JUNK_BEFORE.search(prefix) and not _is_cjk(prefix[:1] or "a"):
        if _DIGIT.search(suffix):
            return None  # PM2.5浓度≤35: a name; the value follows
        return _unreadable(text, "数值前有无法识别的字符")
    try:
        d = Decimal(digits.replace(",", ""))
    except Exception:
        return _unreadable(text, "数值过大")
    if _too_big(d):
        return _unreadable(text, "数值过大")
    bad = _RANGE_OR_SUM.match(suffix)
    if bad:
        return _unreadable(text, "数值为区间，无法识别" if bad["range"] else "含算式，无法识别")
    if _JUNK_AFTER.match(suffix):
        return _unreadable(text, "数值后有无法识别的符号")
    u = _read_unit(suffix)
    if u.long_word and op is None:
        return None  # 12345热线呼叫前台服务: a name, not a quantity
    rest = u.rest
    if rest:
        bad = _RANGE_OR_SUM.match(rest)
        if bad and u.unit:
            return _unreadable(text, "数值为区间，无法识别" if bad["range"] else "含算式，无法识别")
        if _JUNK_AFTER.match(rest) or (u.unit and _is_cjk(u.unit[-1]) and rest[0].isascii() and rest[0].isalpha()):
            return _unreadable(text, "数值后有无法识别的符号")
        after = _SUFFIX_OP.match(rest)
        if op is None and after:
            op = _SUFFIX_OP_OF[after.group(1)]
    power, unit = u.power, u.unit
    if not unit:
        hint = _hint(unit_hint)[0]
        unit = hint.unit
        if u.power == 0:  # 3.12万 with 度量单位 万件: 万 is not applied twice
            power += hint.power
    if negative:
        d = d.copy_negate()
    d = _scaled(d, power)
    if _too_big(d):
        return _unreadable(text, "数值过大")
    return Value(Kind.NUMBER, text, op, _canon(d), unit, scale=power if unit != "%" else 0)


# ---------------------------------------------------------------- writing back


def format_value(v: Value) -> str:
    """Canonical text that ``parse`` reads back to an equal Value (``text`` aside)."""
    op = v.op or ""
    if v.kind is Kind.NUMBER and v.number is not None:
        num = fmt_plain(v.number)
        unit = v.unit
        if unit == "月":
            unit = "个月"  # 5月 would read as May
        elif not unit and re.fullmatch(r"-?[0-9]{4}\.[0-9]{1,2}", num):
            num += "0" * (3 - len(num.split(".")[1]))  # 2018.12 would read as a date
        return f"{op}{num}{unit}"
    if v.kind is Kind.SERVICE and v.number is not None:
        n = v.number
        if n > 0 and n <= 168 and n == n.to_integral_value() and n % 7 == 0:
            return f"{op}7*{fmt_plain(n / 7)}小时"
        return f"{op}{fmt_plain(n)}小时/周"
    if v.kind is Kind.DEADLINE and v.deadline is not None:
        y, m, d = v.deadline
        before = v.op in ("≤", "<")
        year = f"{y:04d}年" if y is not None else ""
        if d is None:
            return f"{year}{m}月{'底前' if before else ''}"
        return f"{year}{m}月{d}日{'前' if before else ''}"
    if v.kind is Kind.QUALITATIVE:
        return LEVEL_TEXT.get(v.level or "", v.text)
    if v.kind is Kind.YESNO:
        return "是" if v.level == "yes" else "否"
    if v.kind is Kind.EMPTY:
        return ""
    return v.text


# ---------------------------------------------------------------- comparing


def _family(unit: str) -> tuple[str, int] | None:
    unit = _canonical_unit(unit)
    if unit in _FAMILIES:
        return _FAMILIES[unit]
    if _DATA_UNIT.match(unit):
        return "data", _DATA_FACTOR[unit[0].upper()]
    return None


# Measure words that count the same kind of thing: a ratio can be taken, with a warning that the
# wording differs. A profile may add groups of its own (e.g. 次/场).
MEASURE_WORDS = (frozenset("件份个条项"),)


def measure_words(a: Value, b: Value, groups: tuple[frozenset, ...] = MEASURE_WORDS) -> bool:
    """True if a's and b's units are different measure words of one group (件 and 份)."""
    ua, ub = _canonical_unit(a.unit), _canonical_unit(b.unit)
    return ua != ub and any(ua in g and ub in g for g in groups)


def bare_with_multiplier(target: Value, actual: Value) -> Value | None:
    """The side without unit, read in the other side's unit and multiplier (≤90万元 against 90).

    Returns the rescaled side, or None when both sides carry a unit or neither has a multiplier.
    """
    if target.number is None or actual.number is None:
        return None
    if target.unit and not actual.unit and target.scale and not actual.scale:
        return Value(actual.kind, actual.text, actual.op, _canon(_scaled(actual.number, target.scale)), target.unit,
                     note=actual.note, scale=target.scale)
    if actual.unit and not target.unit and actual.scale and not target.scale:
        return Value(target.kind, target.text, target.op, _canon(_scaled(target.number, actual.scale)), actual.unit,
                     note=target.note, scale=actual.scale)
    return None


def same_unit(a: Value, b: Value) -> bool | None:
    """True if a and b are in units that reconcile, False if not (件 vs 场), None if either has none."""
    if not a.unit or not b.unit:
        return None
    ua, ub = _canonical_unit(a.unit), _canonical_unit(b.unit)
    if ua == ub:
        return True
    fa, fb = _family(ua), _family(ub)
    return fa is not None and fb is not None and fa[0] == fb[0]


def comparable(target: Value, actual: Value) -> tuple[Decimal, Decimal] | None:
    """(target, actual) in one unit — the finer of the two, so 1天 vs 12小时 gives (24, 12) — or None."""
    if target.number is None or actual.number is None:
        return None
    if not target.unit or not actual.unit or target.unit == actual.unit:
        # the common case, answered as below would: a side without a unit, or the very same unit
        return target.number, actual.number
    same = same_unit(target, actual)
    if same is False:
        return None
    if same is None or _canonical_unit(target.unit) == _canonical_unit(actual.unit):
        return target.number, actual.number
    ft, fa = _family(target.unit), _family(actual.unit)
    if ft is None or fa is None:
        return None
    finer = min(ft[1], fa[1])
    with localcontext() as ctx:
        ctx.prec = 60
        return _canon(target.number * (ft[1] // finer)), _canon(actual.number * (fa[1] // finer))


# ---------------------------------------------------------------- plain amounts

_AMOUNT = re.compile(
    r"^(?P<sign>[-+])?[¥$]?(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE][-+]?[0-9]+)?)(?P<unit>[%‰]|[A-Za-z\u4e00-\u9fff()/]{1,6})?$"
)


def to_decimal(raw: Raw) -> Decimal | None:
    """A plain amount, weight or score in the cell's own unit (318.91万元 -> 318.91), else None."""
    if raw is None:  # an empty cell, the commonest of all
        return None
    if raw.__class__ is int and -_MAX_INT <= raw <= _MAX_INT:
        return Decimal(raw)  # a whole-number 分值 that _too_big passes (bool is a subclass, never int itself)
    try:
        if isinstance(raw, bool):
            return None
        if isinstance(raw, float):
            d = Decimal(repr(raw)) if raw == raw and raw not in (float("inf"), float("-inf")) else None
        elif isinstance(raw, int):
            d = Decimal(raw)
        elif isinstance(raw, Decimal):
            d = raw if raw.is_finite() else None
        elif isinstance(raw, str):
            m = _AMOUNT.match(_clean(raw).replace(" ", "").replace("￥", "¥"))
            d = Decimal(m["num"].replace(",", "")) if m else None
            if d is not None and m["sign"] == "-":
                d = d.copy_negate()
        elif isinstance(raw, numbers.Integral):
            d = Decimal(int(raw))
        elif isinstance(raw, numbers.Real):
            return to_decimal(float(raw))
        else:
            return None
        if d is None or _too_big(d):
            return None
        return d
    except Exception:
        return None


_MAX_INT = int(MAX_MAGNITUDE)  # for an int, _too_big(Decimal(i)) is exactly abs(i) > _MAX_INT
_PREC28 = Context(prec=28)  # the default precision, enough for |d| < 10^23 at two places
_STEPS = {places: Decimal(1).scaleb(-places) for places in range(0, 7)}


def fmt_number(d: Decimal, places: int = 2) -> str:
    """Fixed decimal places, 四舍五入 (ROUND_HALF_UP): Decimal('103.505') -> '103.51'."""
    if not isinstance(d, Decimal):
        d = Decimal(repr(d)) if isinstance(d, float) else Decimal(d)
    if not d.is_finite():
        return str(d)
    prec = d.adjusted() + places + 3
    step = _STEPS.get(places)
    if prec <= 28 and step is not None:
        q = d.quantize(step, ROUND_HALF_UP, _PREC28)  # positional: keyword arguments cost more than the rounding
        # exponent -places (0..6) makes str() plain notation, the same text as format(q, "f"), only cheaper
        return str(q.copy_abs() if not q else q)
    with localcontext() as ctx:
        ctx.prec = max(28, prec)
        q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(q.copy_abs() if q == 0 else q, "f")


def fmt_plain(d: Decimal) -> str:
    """Shortest faithful text, no exponent: Decimal('3.120') -> '3.12', Decimal('1E+4') -> '10000'."""
    if not isinstance(d, Decimal):
        d = Decimal(repr(d)) if isinstance(d, float) else Decimal(d)
    if not d.is_finite():
        return str(d)
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s
