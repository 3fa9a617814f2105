"""Made-up but realistic filled examples for the shipped profiles (``python -m xlperf.examples`` writes them).

Two projects: a 10号-style indicator form (农村饮水安全巩固提升工程) whose weights follow each
profile's 一级 split, and a rubric form (乡镇卫生院基本公共卫生服务项目) whose items follow the
profile's categories. Every figure is invented; the expected scores are computed by hand in
``tests/test_examples.py``.
"""

from __future__ import annotations

from decimal import Decimal

from xlperf.profile import Profile

# (level1 index, level2, name, nature, target, unit, actual, share of the category weight)
WATER_INDICATORS = (
    (0, "数量指标", "新建及改造供水管网长度", "≥", "120", "公里", "126", Decimal("0.3")),
    (0, "质量指标", "水质检测合格率", "≥", "95", "%", "93", Decimal("0.3")),
    (0, "时效指标", "工程当年完工率", "≥", "100", "%", "100", Decimal("0.2")),
    (0, "成本指标", "管网单位造价", "≤", "35", "万元/公里", "36.4", Decimal("0.2")),
    (1, "社会效益指标", "巩固提升受益人口", "≥", "3.2", "万人", "3.3", Decimal("0.5")),
    (1, "可持续影响指标", "农村集中供水保证率", "≥", "95", "%", "96", Decimal("0.5")),
    (2, "服务对象满意度指标", "受益群众满意度", "≥", "90", "%", "85", Decimal("1")),
)
WATER_FUNDS = (Decimal("3200"), Decimal("2944"))  # 全年预算数, 全年执行数 (万元): 执行率 92%


def _project(name: str, unit: str, department: str) -> dict:
    return {
        "unit": unit,
        "department": department,
        "implementer": unit,
        "name": name,
        "year": 2023,
        "attribute": "一次性",
        "period": "2023年1月1日至2023年12月31日",
        "filled_by": "李明",
        "phone": "0951-1234567",
        "filled_on": "2024-03-15",
    }


def _funds(budget: Decimal, spent: Decimal, reason: str) -> dict:
    rows = [{"label": "年度资金总额", "initial": float(budget), "budget": float(budget), "spent": float(spent), "received": float(budget), "timely": float(budget)}]
    rows += [{"label": label} for label in ("当年财政拨款", "上年结转资金", "其他资金")]
    return {"rows": rows, "reason": reason}


def _as_the_form_shows(row: dict, profile: Profile) -> dict:
    """A row as staff type it into the profile's form: sign and unit inside 指标值 when the form has no
    column for them; no 分值 when the profile gives the weights (equal shares of the 一级 here)."""
    if profile.form.unit == "value":
        unit = row.pop("unit")
        row["target"] += unit
        row["actual"] += unit
    if profile.form.nature == "value":
        row["target"] = row.pop("nature") + row["target"]
    if profile.form.implied:
        del row["weight"]
    return row


def water_project(profile: Profile) -> dict:
    """The indicator-form example: weights are the profile's 一级 weights split by fixed shares (or the profile's own)."""
    indicators = []
    for level1, level2, name, nature, target, unit, actual, share in WATER_INDICATORS:
        category = profile.categories[level1]
        row = {
            "level1": category.name,
            "level2": level2,
            "name": name,
            "nature": nature,
            "target": target,
            "unit": unit,
            "actual": actual,
            "weight": float(category.weight * share),
            "reason": "个别村水源水质季节性波动，已增设消毒设备" if name == "水质检测合格率" else (
                "管材价格上涨" if name == "管网单位造价" else ("部分用户反映水压偏低，已调整加压泵站运行时段" if name == "受益群众满意度" else None)
            ),
        }
        indicators.append(_as_the_form_shows(row, profile))
    budget, spent = WATER_FUNDS
    return {
        "format": "xlperf-evaluation",
        "version": 1,
        "profile": profile.id,
        "project": _project("2023年农村饮水安全巩固提升工程", "某县水利局", "某县水利局"),
        "funds": _funds(budget, spent, "部分管网工程尾款待竣工决算审计后支付。"),
        "goal": {"expected": "新建及改造供水管网120公里，巩固提升3.2万农村人口供水保障水平。", "achieved": "完成管网126公里，受益人口3.3万人，水质合格率93%。"},
        "indicators": indicators,
        "problems": ["个别水源地水质季节性波动，检测合格率未达目标。"],
        "measures": ["增设消毒设备，加密水质检测频次。"],
    }


# (category index, level2, name, weight share of what the profile's defaults leave, rule, target, actual, claimed)
HEALTH_ITEMS = (
    (-2, "产出数量", "居民电子健康档案建档率", Decimal("0.5"), "正向", "90%", "92%", None),
    (-2, "产出质量", "高血压患者规范管理率", Decimal("0.5"), "正向", "70%", "63%", None),
    (-1, "项目效益", "群众满意度", Decimal("1"), "正向", "90%", "81%", None),
)
HEALTH_FUNDS = (Decimal("860"), Decimal("817"))  # 执行率 95%


def health_project(profile: Profile) -> dict:
    """The rubric-form example: the profile's default items (手工 ones given a score), then 产出/效益 items.

    A category's weight not taken by default items goes to the made-up items of the last two categories.
    """
    items = []
    for item in profile.items:
        row = dict(item)
        if row.get("rule") == "手工":
            row["claimed_score"] = float(Decimal(str(row["weight"])) - (1 if row["weight"] >= 4 else 0))
            if row["weight"] >= 4:
                row["reason"] = "个别环节资料不完整"
        items.append(row)
    taken = {c.name: sum((Decimal(str(i["weight"])) for i in profile.items if i.get("level1") == c.name), Decimal(0)) for c in profile.categories}
    free = {c.name: c.weight - taken[c.name] for c in profile.categories}
    placed: dict[str, list[tuple]] = {}
    for index, *rest in HEALTH_ITEMS:
        category = profile.categories[index]
        if not free[category.name]:
            category = profile.categories[-1]
        placed.setdefault(category.name, []).append(tuple(rest))
    for category in profile.categories:
        rows = placed.get(category.name)
        if not rows and free[category.name]:  # nothing made up for it: one manual item takes its weight
            items.append({"level1": category.name, "level2": category.subcategories[0] if category.subcategories else None, "name": f"{category.name}综合评价",
                          "weight": float(free[category.name]), "rule": "手工", "claimed_score": float(free[category.name])})
            continue
        for level2, name, share, rule, target, actual, claimed in rows or ():
            weight = free[category.name] * share / sum((r[2] for r in rows), Decimal(0))
            items.append({"level1": category.name, "level2": level2, "name": name, "weight": float(weight), "rule": rule, "target": target, "actual": actual,
                          "situation": f"实际{actual}", "reason": "部分村医随访不到位" if actual < target else None, "claimed_score": claimed})
    for row in items:
        if row.get("source"):
            row["reason"] = "年末部分绩效补助待考核后拨付"
    items = [i for i in items if i["weight"]]
    budget, spent = HEALTH_FUNDS
    return {
        "format": "xlperf-evaluation",
        "version": 1,
        "profile": profile.id,
        "project": _project("2023年基本公共卫生服务项目", "某镇卫生院", "某县卫生健康局"),
        "funds": _funds(budget, spent, "年末部分绩效补助待考核后拨付。"),
        "goal": {"expected": "为辖区居民提供基本公共卫生服务，建档率90%以上。", "achieved": "建档率92%，高血压规范管理率63%。"},
        "items": items,
        "problems": ["慢病随访质量不高。"],
        "measures": ["开展村医随访培训，纳入考核。"],
    }


# 部门整体支出: (年度主要任务, 主要内容, 预算数, 执行数, 说明) of a made-up 县农业农村局
FARM_TASKS = (
    ("高标准农田建设", "新建高标准农田2万亩，配套灌排渠系和田间道路", Decimal("2400"), Decimal("2310"), None),
    ("动物疫病防控", "重大动物疫病强制免疫、监测和应急处置", Decimal("380"), Decimal("376.5"), None),
    ("农村人居环境整治", "农村户厕改造1200户，村庄生活垃圾收运", Decimal("620"), Decimal("548"), "部分改厕项目年末验收，尾款待结算"),
    ("机关运行保障", "人员经费和日常公用经费", Decimal("1600"), Decimal("1595.3"), None),
)
# (level1 index, level2, name, nature, target, unit, actual, weight)
FARM_INDICATORS = (
    (0, "数量指标", "新建高标准农田面积", "≥", "2", "万亩", "2.05", 10),
    (0, "数量指标", "农村户厕改造数", "≥", "1200", "户", "1080", 10),
    (0, "质量指标", "重大动物疫病强制免疫密度", "≥", "90", "%", "95", 10),
    (0, "时效指标", "高标准农田项目当年完工率", "≥", "100", "%", "100", 10),
    (0, "成本指标", "“三公”经费预算控制率", "≤", "100", "%", "92", 10),
    (1, "社会效益指标", "农村卫生厕所普及率", "≥", "85", "%", "86", 15),
    (1, "可持续影响指标", "耕地质量等级提升", "≥", "0.5", "等", "0.5", 15),
    (2, "服务对象满意度指标", "农户满意度", "≥", "90", "%", "92", 10),
)


def department_project(profile: Profile) -> dict:
    """The 部门整体支出 example: a 县农业农村局's 年度主要任务 and its whole-部门 indicators."""
    tasks = [{"name": n, "content": c, "budget": float(b), "spent": float(s), "note": note} for n, c, b, s, note in FARM_TASKS]
    budget = sum((t[2] for t in FARM_TASKS), Decimal(0))
    spent = sum((t[3] for t in FARM_TASKS), Decimal(0))
    indicators = []
    for level1, level2, name, nature, target, unit, actual, weight in FARM_INDICATORS:
        row = {"level1": profile.categories[level1].name, "level2": level2, "name": name, "nature": nature, "target": target, "unit": unit,
               "actual": actual, "weight": weight, "reason": "部分村组群众改厕意愿不足，已顺延至次年实施" if name == "农村户厕改造数" else None}
        indicators.append(_as_the_form_shows(row, profile))
    return {
        "format": "xlperf-evaluation",
        "version": 1,
        "profile": profile.id,
        "project": _project("某县农业农村局2023年度部门整体支出", "某县农业农村局", "某县人民政府"),
        "funds": _funds(budget, spent, "农村人居环境整治部分改厕项目年末验收，尾款待结算。"),
        "goal": {"expected": "建成高标准农田2万亩，完成农村户厕改造1200户，重大动物疫病免疫密度保持90%以上。",
                 "achieved": "建成高标准农田2.05万亩，完成户厕改造1080户，免疫密度95%。"},
        "tasks": tasks,
        "indicators": indicators,
        "problems": ["农村户厕改造进度滞后于计划。"],
        "measures": ["提前开展改厕意愿摸排，按月调度进度。"],
    }


def example_data(profile: Profile) -> dict:
    if profile.framework == "rubric":
        return health_project(profile)
    return department_project(profile) if "tasks" in profile.form.blocks else water_project(profile)
