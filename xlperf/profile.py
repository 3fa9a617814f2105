"""Scoring profiles: weights, rule variants, thresholds and grade bands, read from TOML.

A profile ships as ``xlperf/profiles/<id>.toml`` (or any path) and is validated
on load. A workbook may override the parameters in ``SETTINGS`` from its 设置
sheet; those keys are the Chinese names staff see.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from xlperf import profile_schema as _schema
from xlperf.errors import ProfileError


def _shipped_ids() -> tuple[str, ...]:
    folder = resources.files("xlperf") / "profiles"
    names = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))
    first = [n for n in ("cz2020", "fj2018") if n in names]
    return tuple(first + [n for n in names if n not in first])


PROFILE_IDS = _shipped_ids()

NATURES = ("≥", "＞", "＝", "≤", "＜", "定性")
QUALITATIVE_LEVELS = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差")
DEFAULT_GOALS = {  # 绩效目标表 一级 → 二级 when a profile names none (10号 附件 指标体系)
    "产出": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标"),
}
ATTRIBUTES = ("经常性", "一次性")
REVERSE_VARIANTS = ("比例", "线性")
BASES = ("全年预算数", "年初预算数")
NA_MODES = ("折算", "剔除")
ROUNDING_ORDERS = ("逐项", "汇总")


@dataclass(frozen=True)
class Category:
    """一级指标 with its weight and the 二级 names offered in the drop-down.

    ``subweights``: declared 二级 weights (optional; they add up to ``weight``);
    ``indicator_weight``: the weight of each 三级 row when the form has no 分值 column
    and the profile declares ``weights = "fixed"``.
    """

    name: str
    weight: Decimal
    subcategories: tuple[str, ...] = ()
    subweights: tuple[tuple[str, Decimal], ...] = ()
    indicator_weight: Decimal | None = None

    def subweight(self, name: str) -> Decimal | None:
        return dict(self.subweights).get(name)


FORM_PLACES = ("column", "value")  # 指标性质 / 度量单位: a column of its own, or inside the 指标值 text
FORM_WEIGHTS = ("column", "equal", "fixed")  # 分值: a column, or implied by the profile
OPTIONAL_BLOCKS = ("tasks",)  # blocks a profile may add to its form: 部门整体支出 年度主要任务


@dataclass(frozen=True)
class FormSpec:
    """The columns the form shows (``[form]`` in a profile).

    ``nature``/``unit``: ``column`` (own column) or ``value`` (the sign and the unit are typed in
    指标值, as 「≥120公里」). ``weights``: ``column`` (staff type 分值), ``equal`` (each 三级 row gets
    an equal share of its 一级 weight, or of its 二级 weight where the profile declares those) or
    ``fixed`` (each row gets its 一级's ``indicator_weight``). ``blocks``: extra blocks the form has
    (``tasks``: the 部门整体支出 年度主要任务 table).
    """

    nature: str = "column"
    unit: str = "column"
    weights: str = "column"
    blocks: tuple[str, ...] = ()

    @property
    def implied(self) -> bool:
        """No 分值 column: the profile gives each 三级 row its weight."""
        return self.weights != "column"


@dataclass(frozen=True)
class Grade:
    min: Decimal
    label: str


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    version: int
    framework: str  # "indicators" (cz2020: scored 绩效指标) or "rubric" (fj2018: scored 评分表)
    total: Decimal
    categories: tuple[Category, ...]
    grades: tuple[Grade, ...]  # descending by min
    execution_weight: Decimal
    execution_basis: str
    execution_rule: str
    reverse_variant: str
    qualitative_lower_cut: Decimal
    na_mode: str
    rounding_places: int
    rounding_order: str
    deviation_rate: Decimal
    over_completion: Decimal
    items: tuple[dict, ...] = ()  # default 评分表 rows (RubricItem fields)
    goal_levels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 绩效目标 一级 → 二级
    # measure words counting the same kind of thing (件 and 份): a ratio is taken, with a warning
    measure_words: tuple[frozenset, ...] = (frozenset("件份个条项"),)
    name: str = ""  # short name in the domain's words (profile list)
    source: str = ""  # where the framework is published
    text: str = field(default="", compare=False, repr=False)  # the TOML it was read from (embedded in workbooks)
    key: str = ""  # how load_profile finds it again: the id, or id#hash for an embedded variant
    defaults: tuple[tuple[str, Decimal], ...] = ()  # 一级 weights (and 预算执行率) before a workbook's 设置
    form: FormSpec = FormSpec()  # the columns and blocks the form shows

    def default_weight(self, name: str) -> Decimal | None:
        return dict(self.defaults).get(name)

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)

    def grade_for(self, total: Decimal) -> str:
        for band in self.grades:
            if total >= band.min:
                return band.label
        return self.grades[-1].label

    @property
    def scored_total(self) -> Decimal:
        """Weights of the 一级 categories plus 预算执行率."""
        return sum((c.weight for c in self.categories), Decimal(0)) + self.execution_weight


@dataclass(frozen=True)
class Setting:
    """A parameter a unit may override in its workbook's 设置 sheet."""

    key: str  # Chinese name shown in the sheet
    attr: str  # Profile attribute
    help: str  # what the value means, in Chinese


SETTINGS: tuple[Setting, ...] = (
    Setting("执行率分值", "execution_weight", "预算执行率的分值；0 表示不单独评分"),
    Setting("执行率口径", "execution_basis", "执行率的分母：全年预算数 或 年初预算数"),
    Setting("执行率计分", "execution_rule", "比例（执行率×分值，封顶）或分档，如 分档>95%:100%;>80%:80%;其他:0"),
    Setting("反向计分", "reverse_variant", "≤、＜ 指标：比例（目标÷实际×分值）或 线性（实际达目标2倍得0分）"),
    Setting("定性档下限", "qualitative_lower_cut", "定性三档的下限（%），如 60 或 50"),
    Setting("不适用处理", "na_mode", "折算（按适用指标折算为百分制）或 剔除（只剔除不折算）"),
    Setting("小数位数", "rounding_places", "得分保留的小数位数"),
    Setting("舍入顺序", "rounding_order", "逐项（每项先舍入再汇总）或 汇总（汇总后再舍入）"),
    Setting("等级", "grades", "等级分界，如 优≥90,良≥80,中≥60,差"),
    Setting("偏差说明阈值", "deviation_rate", "执行率低于此值（%）须填写原因"),
    Setting("超额说明阈值", "over_completion", "实际值达到目标值的此比例（%）及以上须说明"),
)

SETTING_KEYS = {s.key: s for s in SETTINGS}


def _dec(value, where: str, src: str) -> Decimal:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        text = str(value).strip().rstrip("%％分")
        number = Decimal(text)
        if not number.is_finite():
            raise InvalidOperation
        return number
    except (InvalidOperation, ValueError):
        raise ProfileError(f"“{where}”应为数字，实际为“{value}”", path=src) from None


def _choice(value, options: tuple[str, ...], where: str, src: str) -> str:
    text = str(value).strip()
    if text not in options:
        raise ProfileError(f"“{where}”应为 {'、'.join(options)} 之一，实际为“{value}”", path=src)
    return text


def parse_grades(text: str, src: str = "等级") -> tuple[Grade, ...]:
    """Read ``优≥90,良≥80,中≥60,差`` into grade bands."""
    bands: list[Grade] = []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        for sign in ("≥", ">=", "＞", ">"):
            if sign in part:
                label, _, number = part.partition(sign)
                bands.append(Grade(_dec(number, "等级", src), label.strip()))
                break
        else:
            bands.append(Grade(Decimal(0), part))
    return _check_grades(bands, src)


def _check_grades(bands: list[Grade], src: str) -> tuple[Grade, ...]:
    if not bands:
        raise ProfileError("等级不能为空，例如 优≥90,良≥80,中≥60,差", path=src)
    bands = sorted(bands, key=lambda g: g.min, reverse=True)
    if bands[-1].min != 0:
        raise ProfileError("最低等级的分界应为 0（例如 差≥0，或不写分界）", path=src)
    if any(not g.label for g in bands):
        raise ProfileError("每个等级都需要名称", path=src)
    if len({g.min for g in bands}) != len(bands):
        raise ProfileError("等级分界不能重复", path=src)
    return tuple(bands)


def _require(data: dict, key: str, src: str):
    if key not in data:
        raise ProfileError(f"缺少“{key}”", path=src)
    return data[key]


def from_dict(data: dict, src: str, text: str = "") -> Profile:
    """Build and validate a Profile from parsed TOML."""
    try:
        return _from_dict(data, src, text)
    except ProfileError as exc:
        raise _pointed(exc, text) from None
    except KeyError as exc:
        raise _pointed(ProfileError(f"缺少“{exc.args[0]}”", path=src), text) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ProfileError(f"评分方案内容有误（某项的类型不对，如数字写成了文字、列表写成了单个值）：{exc}", path=src) from None


def _pointed(exc: ProfileError, text: str) -> ProfileError:
    """Add the TOML line the message names (the first quoted name found in the file)."""
    if not text or exc.where:
        return exc
    import re

    names = re.findall(r"“([^”]+)”", exc.message)
    if "一级指标分值之和" in exc.message:
        names = [f"{c}的分值" for c in re.findall(r"[（、]([^、（）]+?)\d", exc.message)] + ["categories"]
    names = [_ALIASES.get(n, n) for n in names] + [n[:-3] for n in names if n.endswith("的分值")]
    for name in names:
        for quoted, needle in ((True, f'"{name}"'), (False, f"{name} ="), (False, f"{name}="), (False, f"[[{name}]]"), (False, f"[{name}]")):
            for i, line in enumerate(text.splitlines(), 1):
                bare = line.lstrip()
                if (needle in line if quoted else bare.startswith(needle)) and not bare.startswith("#"):
                    return ProfileError(exc.message, path=exc.path, where=f"第{i}行")
    return exc


_ALIASES = {"执行率分值": "weight", "定性档下限": "lower_cut", "小数位数": "places", "等级": "grades", "不适用处理": "mode", "舍入顺序": "order", "反向计分": "variant", "执行率口径": "basis"}


def _from_dict(data: dict, src: str, text: str) -> Profile:
    for key, table, index, message in _schema.unknown_keys(data):  # first: a misspelt key is not "missing"
        raise ProfileError(message, path=src, where=_schema.where(text, key, table, index))
    execution = data.get("execution", {})
    checks = data.get("checks", {})
    categories = []
    for i, cat in enumerate(_require(data, "categories", src)):
        name = str(_require(cat, "name", src)).strip()
        if not name:
            raise ProfileError(f"第{i + 1}个一级指标缺少名称", path=src)
        subweights = cat.get("subweights", {})
        if not isinstance(subweights, dict):
            raise ProfileError(f"一级指标“{name}”的 subweights 应写成 {{ 二级指标名 = 分值, … }}", path=src, where=_schema.where(text, "subweights", "categories", i))
        indicator_weight = cat.get("indicator_weight")
        categories.append(
            Category(
                name,
                _dec(_require(cat, "weight", src), f"{name}的分值", src),
                tuple(dict.fromkeys((*cat.get("subcategories", ()), *subweights))),
                tuple((str(k), _dec(v, f"{name}-{k}的分值", src)) for k, v in subweights.items()),
                None if indicator_weight is None else _dec(indicator_weight, f"{name}的每项分值（indicator_weight）", src),
            )
        )
    if len({c.name for c in categories}) != len(categories):
        raise ProfileError("一级指标名称重复", path=src)
    grades = _check_grades([Grade(_dec(g["min"], "等级分界", src), str(g["label"])) for g in _require(data, "grades", src)], src)
    framework = _choice(_require(data, "framework", src), ("indicators", "rubric"), "framework", src)
    form = _form(data.get("form", {}), framework, src, text)
    profile = Profile(
        id=str(_require(data, "id", src)),
        title=str(data.get("title", data["id"])),
        version=int(data.get("version", 1)),
        framework=framework,
        total=_dec(data.get("total", 100), "total", src),
        categories=tuple(categories),
        grades=grades,
        execution_weight=_dec(execution.get("weight", 0), "执行率分值", src),
        execution_basis=_choice(execution.get("basis", "全年预算数"), BASES, "执行率口径", src),
        execution_rule=str(execution.get("rule", "比例")),
        reverse_variant=_choice(data.get("reverse", {}).get("variant", "比例"), REVERSE_VARIANTS, "反向计分", src),
        qualitative_lower_cut=_dec(data.get("qualitative", {}).get("lower_cut", 60), "定性档下限", src),
        na_mode=_choice(data.get("not_applicable", {}).get("mode", "折算"), NA_MODES, "不适用处理", src),
        rounding_places=int(_dec(data.get("rounding", {}).get("places", 2), "小数位数", src)),
        rounding_order=_choice(data.get("rounding", {}).get("order", "逐项"), ROUNDING_ORDERS, "舍入顺序", src),
        deviation_rate=_dec(checks.get("deviation_rate", 90), "偏差说明阈值", src),
        over_completion=_dec(checks.get("over_completion", 130), "超额说明阈值", src),
        items=tuple(dict(item) for item in data.get("items", ())),
        goal_levels={k: tuple(v) for k, v in data.get("goals", {}).items() if k != "levels"} or dict(DEFAULT_GOALS),
        measure_words=tuple(frozenset(str(g)) for g in data.get("units", {}).get("measure_words", ("件份个条项",))),
        name=str(data.get("name", "")),
        source=str(data.get("source", "")),
        text=text,
        form=form,
    )
    if not profile.id.replace("_", "").replace("-", "").isalnum() or not profile.id.isascii():
        raise ProfileError(f"方案编号 id“{profile.id}”只能用英文字母、数字、- 和 _", path=src)
    profile = replace(profile, key=profile.id, defaults=_weights(profile))
    _validate(profile, src)
    _validate_file(data, profile, src, text)
    return profile


def _form(table, framework: str, src: str, text: str) -> FormSpec:
    if not isinstance(table, dict):
        raise ProfileError("[form] 应为一个表，如 [form] 下写 weights = \"equal\"", path=src, where=_schema.where(text, None, "form"))

    def pick(key: str, options: tuple[str, ...], default: str) -> str:
        value = table.get(key, default)
        if value not in options:
            raise ProfileError(f"[form] 的 {key} 应为 {'、'.join(options)} 之一，实际为“{value}”", path=src, where=_schema.where(text, key, "form"))
        return value

    blocks = table.get("blocks", [])
    if not isinstance(blocks, list) or any(b not in OPTIONAL_BLOCKS for b in blocks):
        raise ProfileError(f"[form] 的 blocks 应为列表，可含 {'、'.join(OPTIONAL_BLOCKS)}，实际为“{blocks}”", path=src, where=_schema.where(text, "blocks", "form"))
    spec = FormSpec(pick("nature", FORM_PLACES, "column"), pick("unit", FORM_PLACES, "column"), pick("weights", FORM_WEIGHTS, "column"), tuple(blocks))
    if spec.implied and framework != "indicators":
        raise ProfileError("评分表（framework = \"rubric\"）的评分项须有分值栏：[form] 的 weights 只能为 column", path=src, where=_schema.where(text, "weights", "form"))
    return spec


def _validate_file(data: dict, profile: Profile, src: str, text: str) -> None:
    """What only the file can get wrong: unknown keys, weights that do not fit their 一级, grade order."""

    def fail(message: str, key: str | None, table: str | None = None, index: int | None = None) -> ProfileError:
        return ProfileError(message, path=src, where=_schema.where(text, key, table, index))

    for i, category in enumerate(profile.categories):
        if category.subweights:
            declared = sum((w for _n, w in category.subweights), Decimal(0))
            if declared != category.weight:
                parts = "、".join(f"{n}{_plain(w)}" for n, w in category.subweights)
                raise fail(f"一级指标“{category.name}”下各二级指标的分值（{parts}）之和为{_plain(declared)}，应等于该一级指标的分值{_plain(category.weight)}", "subweights", "categories", i)
        if category.indicator_weight is not None and not 0 < category.indicator_weight <= category.weight:
            raise fail(f"一级指标“{category.name}”的每项分值 indicator_weight 为{_plain(category.indicator_weight)}，应大于 0 且不超过该一级指标的分值{_plain(category.weight)}", "indicator_weight", "categories", i)
        if profile.form.weights == "fixed" and category.indicator_weight is None:
            raise fail(f"[form] weights = \"fixed\" 时，每个一级指标都须写 indicator_weight（每个三级指标的分值）；“{category.name}”没有", "name", "categories", i)
        items = [(j, item) for j, item in enumerate(profile.items) if item.get("level1") == category.name]
        taken = sum((_dec(item.get("weight", 0), "分值", src) for _j, item in items), Decimal(0))
        if taken > category.weight:
            raise fail(f"一级指标“{category.name}”下预置评分项的分值之和为{_plain(taken)}，超过该一级指标的分值{_plain(category.weight)}", "weight", "items", items[-1][0])
        for sub, sub_weight in category.subweights:
            members = [(j, item) for j, item in items if item.get("level2") == sub]
            in_sub = sum((_dec(item.get("weight", 0), "分值", src) for _j, item in members), Decimal(0))
            if in_sub > sub_weight:
                raise fail(f"二级指标“{category.name}-{sub}”下预置评分项的分值之和为{_plain(in_sub)}，超过该二级指标的分值{_plain(sub_weight)}", "weight", "items", members[-1][0])
    written = [g.get("min") for g in data.get("grades", ()) if isinstance(g, dict)]
    try:
        numbers = [Decimal(str(m)) for m in written]
    except (InvalidOperation, ValueError):
        numbers = []
    if numbers and numbers != sorted(numbers, reverse=True):
        raise fail("等级应从高到低排列（如 优 90、良 80、中 60、差 0），分界依次递减", "min", "grades", 0)
    if profile.grades[0].min > profile.total:
        raise fail(f"最高等级“{profile.grades[0].label}”的分界{_plain(profile.grades[0].min)}超过总分{_plain(profile.total)}，没有项目能达到", "min", "grades", 0)
    if not 0 < profile.deviation_rate <= 100:
        raise fail(f"偏差说明阈值 deviation_rate 应在 0 到 100 之间（%），实际为{_plain(profile.deviation_rate)}", "deviation_rate", "checks")
    if profile.over_completion <= 100:
        raise fail(f"超额说明阈值 over_completion 应大于 100（%），实际为{_plain(profile.over_completion)}", "over_completion", "checks")
    _check_tiers(profile.execution_rule, fail, "rule", "execution", None)
    for j, item in enumerate(profile.items):
        if item.get("rule"):
            _check_tiers(str(item["rule"]), fail, "rule", "items", j)


def _check_tiers(rule: str, fail, key: str, table: str, index: int | None) -> None:
    """分档 thresholds from high to low, shares not rising: 分档>95%:100%;>80%:80%;其他:0."""
    if not rule.strip().startswith("分档"):
        return
    from xlperf.rules import parse_rule

    tiers = [(c, share) for c, share in parse_rule(rule).tiers]
    limits = [c.number for c, _s in tiers if c is not None]
    shares = [share for _c, share in tiers]
    if limits != sorted(limits, reverse=True) or len(set(limits)) != len(limits):
        raise fail(f"分档规则“{rule}”的分界应从高到低排列、不重复", key, table, index)
    if shares != sorted(shares, reverse=True):
        raise fail(f"分档规则“{rule}”中较低的档得分比例不应高于较高的档", key, table, index)
    if any(c is None for c, _s in tiers[:-1]):
        raise fail(f"分档规则“{rule}”中“其他”应写在最后", key, table, index)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _weights(profile: Profile) -> tuple[tuple[str, Decimal], ...]:
    return tuple((c.name, c.weight) for c in profile.categories) + (("预算执行率", profile.execution_weight),)


def _validate(profile: Profile, src: str) -> None:
    if profile.scored_total != profile.total:
        parts = "、".join(f"{c.name}{c.weight}" for c in profile.categories)
        extra = f"、预算执行率{profile.execution_weight}" if profile.execution_weight else ""
        raise ProfileError(f"一级指标分值之和（{parts}{extra}）为{profile.scored_total}，应等于总分{profile.total}", path=src)
    if not 0 < profile.qualitative_lower_cut < 80:
        raise ProfileError(f"定性档下限应在 0 到 80 之间，实际为{profile.qualitative_lower_cut}", path=src)
    if not 0 <= profile.rounding_places <= 6:
        raise ProfileError(f"小数位数应在 0 到 6 之间，实际为{profile.rounding_places}", path=src)
    from xlperf.rules import parse_rule  # rules import nothing from here at module level

    parse_rule(profile.execution_rule if profile.execution_rule != "比例" else "执行率", where="执行率计分", src=src)
    for item in profile.items:
        _dec(item.get("weight", 0), f"评分项“{item.get('name', '')}”的分值", src)
        if item.get("rule"):
            parse_rule(str(item["rule"]), where=f"评分项“{item.get('name', '')}”的计分规则", src=src)
        if item.get("level1") and profile.category(str(item["level1"])) is None:
            raise ProfileError(f"评分项“{item.get('name', '')}”的一级指标“{item['level1']}”不在一级指标中", path=src)


def _read(name_or_path: str | Path) -> tuple[dict, str, str]:
    text_name = str(name_or_path)
    if text_name in PROFILE_IDS:
        ref = resources.files("xlperf") / "profiles" / f"{text_name}.toml"
        src = f"profiles/{text_name}.toml"
        raw = ref.read_text(encoding="utf-8")
    else:
        path = Path(text_name)
        if not path.is_file():
            raise ProfileError(f"找不到评分方案“{text_name}”；可用的方案：{'、'.join(PROFILE_IDS)}，或给出 .toml 文件路径")
        src = str(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(f"无法读取评分方案：{exc}", path=src) from None
    return _parse(raw, src), src, raw


def _parse(raw: str, src: str) -> dict:
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        import re

        line = re.search(r"line (\d+)", str(exc))
        raise ProfileError(f"评分方案格式错误（TOML 语法）：{exc}", path=src, where=f"第{line.group(1)}行" if line else None) from None


_CACHE: dict[str, Profile] = {}


def load_profile(name_or_path: str | Path = "cz2020", settings: dict[str, str] | None = None) -> Profile:
    """Load a profile by id or path, then apply a workbook's overrides."""
    key = str(name_or_path)
    base = _CACHE.get(key)
    if base is None:
        data, src, raw = _read(name_or_path)
        base = from_dict(data, src, raw)
        if key in PROFILE_IDS:
            _CACHE[key] = base
        else:
            base = register(base)
    return apply_settings(base, settings or {})


def register(profile: Profile) -> Profile:
    """Make a profile read from a file or a workbook findable by ``load_profile(profile.key)``.

    The key is the id unless a different profile already has it (a workbook embedding an older
    or a local variant of a shipped profile): then ``id#hash`` of its text.
    """
    known = _CACHE.get(profile.id)
    if known is None and profile.id in PROFILE_IDS:
        known = load_profile(profile.id)
    key = profile.id
    if known is not None and known.text.strip() != profile.text.strip():
        key = f"{profile.id}#{hashlib.sha256(profile.text.encode()).hexdigest()[:10]}"
    profile = replace(profile, key=key)
    _CACHE.setdefault(key, profile)
    return _CACHE[key]


def profile_from_text(text: str, src: str = "工作簿内嵌的评分方案") -> Profile:
    """Parse, validate and register a profile's TOML text (as embedded in a workbook)."""
    return register(from_dict(_parse(text, src), src, text))


def apply_settings(profile: Profile, settings: dict[str, str], src: str = "设置") -> Profile:
    """Override profile parameters with the non-empty values of a workbook's 设置 sheet."""
    changes: dict = {}
    for key, value in settings.items():
        if value is None or str(value).strip() == "":
            continue
        setting = SETTING_KEYS.get(str(key).strip())
        category = _category_setting(profile, str(key).strip())
        if category is not None:
            weights = changes.setdefault("categories", list(profile.categories))
            i = next(i for i, c in enumerate(weights) if c.name == category)
            weights[i] = replace(weights[i], weight=_dec(str(value).strip(), key, src))
            continue
        if setting is None:
            raise ProfileError(f"未知的设置项“{key}”；可设置：{'、'.join(setting_keys(profile))}", where=src)
        text = str(value).strip()
        attr = setting.attr
        if attr == "grades":
            changes[attr] = parse_grades(text, src)
        elif attr == "execution_basis":
            changes[attr] = _choice(text, BASES, key, src)
        elif attr == "reverse_variant":
            changes[attr] = _choice(text, REVERSE_VARIANTS, key, src)
        elif attr == "na_mode":
            changes[attr] = _choice(text, NA_MODES, key, src)
        elif attr == "rounding_order":
            changes[attr] = _choice(text, ROUNDING_ORDERS, key, src)
        elif attr == "rounding_places":
            changes[attr] = int(_dec(text, key, src))
        elif attr == "execution_rule":
            changes[attr] = text
        else:
            changes[attr] = _dec(text, key, src)
    if not changes:
        return profile
    if "categories" in changes:
        changes["categories"] = tuple(changes["categories"])
    updated = replace(profile, **changes)
    if "execution_weight" in changes and "categories" not in changes:
        # The 执行率 weight alone moves the total (a unit that stops scoring 执行率 keeps its categories).
        updated = replace(updated, total=updated.scored_total)
    _validate(updated, src)
    return updated


def category_setting_key(category: str) -> str:
    """The 设置 key of a 一级 weight: 「产出指标分值」."""
    return f"{category}分值"


def _category_setting(profile: Profile, key: str) -> str | None:
    return next((c.name for c in profile.categories if category_setting_key(c.name) == key), None)


def setting_keys(profile: Profile) -> tuple[str, ...]:
    """The 设置 rows of a workbook of this profile: the shared parameters, then one per 一级 weight."""
    return tuple(SETTING_KEYS) + tuple(category_setting_key(c.name) for c in profile.categories)


def setting_help(profile: Profile, key: str) -> str:
    category = _category_setting(profile, key)
    if category is not None:
        return f"一级指标“{category}”的分值；各一级指标与执行率分值之和须等于总分{profile.total}"
    return SETTING_KEYS[key].help


def weight_departures(profile: Profile) -> list[tuple[str, Decimal, Decimal]]:
    """(name, default, now) for each 一级 weight (and 预算执行率) a workbook changed from the profile's default."""
    now = dict(_weights(profile))
    return [(name, default, now[name]) for name, default in profile.defaults if name in now and now[name] != default]


def setting_default(profile: Profile, key: str) -> str:
    """The profile's value of a 设置 key, as text for the sheet."""
    category = _category_setting(profile, key)
    if category is not None:
        return str(profile.category(category).weight)
    attr = SETTING_KEYS[key].attr
    value = getattr(profile, attr)
    if attr == "grades":
        return ",".join(f"{g.label}≥{g.min}" if g.min else g.label for g in value)
    return str(value)
