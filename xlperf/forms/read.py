"""Turn a recognised 自评表 (``locate.Match``) into an Evaluation, with a finding for whatever
could not be placed. Printed 分值 are weights; printed 得分 and 总分 are the unit's claims.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from xlperf.findings import Finding, info, warning
from xlperf.forms import vocabulary as V
from xlperf.forms.grid import shown
from xlperf.forms.locate import Header, Match, View
from xlperf.layout import a1 as _a1
from xlperf.model import Evaluation, FundRow, Funds, Indicator, Location
from xlperf.profile import load_profile

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
a1 = lru_cache(maxsize=65536)(_a1)  # the same cells recur in every form of a batch
FIELDS = ("level1", "level2", "name", "nature", "target", "unit", "actual", "weight", "claimed_score", "reason", "not_applicable")


class _Reader:
    def __init__(self, match: Match, profile_id: str, source: str | None):
        self.m = match
        self.view: View = match.view
        self.sheet = match.sheet
        self.profile = load_profile(profile_id)
        self.evaluation = Evaluation(profile=profile_id, funds=Funds(rows=[]), source=source)
        self.findings: list[Finding] = []
        self.used: set[tuple[int, int]] = set()
        self.category_points: dict[str, tuple[float, str]] = {}

    def loc(self, path: str, row: int, col: int) -> Location:
        return Location(path, self.sheet, a1(row, col))

    def note(self, code: str, row: int, col: int, message: str, severity=info) -> None:
        self.findings.append(severity(code, self.loc("form", row, col), message))

    # -- values -----------------------------------------------------------------------

    def value(self, row: int, col: int) -> Any:
        self.used.add((row, col))
        return shown(self.view.at(row, col))

    def read(self) -> tuple[Evaluation, list[Finding]]:
        self.project()
        self.funds()
        self.goal()
        self.indicators()
        if "weight" not in self.m.indicators.columns:
            self.implied_weights()
        self.total()
        self.weights()
        if not self.evaluation.funds.rows:
            self.evaluation.funds.rows = Funds().rows
        return self.evaluation, self.findings

    # -- project header ---------------------------------------------------------------

    def _labelled(self, top: int, stop: int):
        """(row, col, label field, value col or None, inline value) for each project label in rows top..stop."""
        view = self.view
        for row in range(top, stop):
            for col, label in view.row_texts(row):
                if view.owner.get((row, col)):
                    continue
                key = V.project_field(label)
                inline = None
                if key is None:
                    head, sep, rest = V.fold(label).partition(":")
                    if sep and V.project_field(head):
                        key, inline = V.project_field(head), rest.strip() or None
                if key is None:
                    continue
                yield row, col, key, inline

    def _right(self, row: int, col: int) -> int | None:
        """The column of the value beside a label: the next filled cell that is not another label."""
        view = self.view
        c = col + 1
        top = view.owner.get((row, col))
        while c < view.width:
            if view.owner.get((row, c)) == (top or (row, col)):
                c += 1
                continue
            value = view.at(row, c)
            if value is not None:
                if isinstance(value, str) and (V.project_field(value) or V.is_one_of(value, V.GOAL_LABELS)):
                    return None
                return c
            if view.owner.get((row, c)) is None and c > col + 12:
                return None
            c += 1
        return None

    def project(self) -> None:
        project = self.evaluation.project
        m = self.m
        for row, col, key, inline in self._labelled(m.top, m.indicators.first):
            if getattr(project, key) is not None:
                continue
            self.used.add((row, col))
            if inline is not None:
                setattr(project, key, shown(inline))
                project.loc[key] = self.loc(f"project.{key}", row, col)
                continue
            vcol = self._right(row, col)
            if vcol is not None:
                setattr(project, key, self.value(row, vcol))
                project.loc[key] = self.loc(f"project.{key}", row, vcol)
        if project.year is None:  # 「项目支出绩效自评表（2020年度）」
            for row in range(m.top, m.indicators.first):
                for col, label in self.view.row_texts(row):
                    if "自评" in label or "年度" in label:
                        found = _YEAR.search(V.fold(label))
                        if found:
                            project.year = int(found[1])
                            project.loc["year"] = self.loc("project.year", row, col)
                            self.used.add((row, col))
                            break
                if project.year is not None:
                    break

    # -- funds ------------------------------------------------------------------------

    def funds(self) -> None:
        header = self.m.funds
        if header is None:
            self.note("form.funds_missing", self.m.indicators.first, 0, "未找到项目资金表（年初预算数、全年预算数、全年执行数），预算执行率无法计算", warning)
            return
        view = self.view
        first_value_col = min(header.columns.values())
        funds = self.evaluation.funds
        for row in range(header.last + 1, min(header.last + 12, self.m.indicators.first)):
            label_col, kind = None, None
            for col, label in view.row_texts(row):
                if col >= first_value_col:
                    break
                kind = V.fund_row(label)
                if kind is not None:
                    label_col = col
                    break
            if kind is None:
                numbers = [c for c in header.columns.values() if isinstance(view.at(row, c), (int, float))]
                if numbers:
                    first = view.first_text(row)
                    what = f"“{first[1]}”" if first else ""
                    self.note("form.fund_row_unknown", row, numbers[0], f"资金表中的行{what}不是可识别的资金来源（年度资金总额、当年财政拨款、上年结转资金、其他资金），未读入", warning)
                    continue
                if any(V.is_one_of(t, V.GOAL_LABELS) for _c, t in view.row_texts(row)):
                    break
                continue
            self.used.add((row, label_col))
            record = FundRow(label=kind)
            index = len(funds.rows)
            record.loc["label"] = self.loc(f"funds.rows[{index}].label", row, label_col)
            for key in ("initial", "budget", "spent", "received", "timely"):
                col = header.columns.get(key)
                if col is not None:
                    setattr(record, key, self.value(row, col))
                    record.loc[key] = self.loc(f"funds.rows[{index}].{key}", row, col)
            if index == 0:
                self._execution_claims(header, row)
            funds.rows.append(record)
        if funds.rows and funds.rows[0].label != "年度资金总额":
            self.note("form.funds_total_missing", header.first, first_value_col, "资金表中没有“年度资金总额”行，已按各资金来源合计计算", info)
            funds.rows.insert(0, FundRow(label="年度资金总额"))

    def _execution_claims(self, header: Header, row: int) -> None:
        funds = self.evaluation.funds
        col = header.columns.get("rate")
        if col is not None:
            rate = self.value(row, col)
            if isinstance(rate, (int, float)) and not isinstance(rate, bool) and 0 <= rate <= 1.5:
                rate = f"{Decimal(str(rate)) * 100:f}".rstrip("0").rstrip(".") + "%"  # a percent cell
            funds.claimed_rate = rate
            funds.loc["claimed_rate"] = self.loc("funds.claimed_rate", row, col)
        col = header.columns.get("weight")
        if col is not None:
            weight = self.value(row, col)
            if isinstance(weight, (int, float)) and Decimal(str(weight)) != self.profile.execution_weight:
                self.evaluation.settings["执行率分值"] = str(weight)
                self.evaluation.settings_loc["执行率分值"] = self.loc("settings.执行率分值", row, col)
        col = header.columns.get("points")
        if col is not None and self.value(row, col) is not None:
            self.note("form.execution_claim", row, col, f"表中填报的预算执行率得分为 {self.view.at(row, col)}，xlperf 按资金数重新计算")

    # -- goal -------------------------------------------------------------------------

    def goal(self) -> None:
        view, m, goal = self.view, self.m, self.evaluation.goal
        for row in range(m.top, m.indicators.first):
            for col, label in view.row_texts(row):
                if not V.is_one_of(label, V.GOAL_LABELS) or view.owner.get((row, col)):
                    continue
                self.used.add((row, col))
                heads = {}
                for r in (row, row + 1):
                    for c, t in view.row_texts(r):
                        if c > col and V.is_one_of(t, V.GOAL_EXPECTED) and "expected" not in heads:
                            heads["expected"] = (r, c)
                        elif c > col and V.is_one_of(t, V.GOAL_ACHIEVED) and "achieved" not in heads:
                            heads["achieved"] = (r, c)
                if heads:
                    for key, (r, c) in heads.items():
                        self.used.add((r, c))
                        for below in range(r + 1, min(r + 4, m.indicators.first)):
                            if view.at(below, c) is not None:
                                setattr(goal, key, self.value(below, c))
                                goal.loc[key] = self.loc(f"goal.{key}", below, c)
                                break
                else:
                    c = self._right(row, col)
                    if c is not None:
                        goal.expected = self.value(row, c)
                        goal.loc["expected"] = self.loc("goal.expected", row, c)
                        c2 = self._right(row, c)
                        if c2 is not None:
                            goal.achieved = self.value(row, c2)
                            goal.loc["achieved"] = self.loc("goal.achieved", row, c2)
                return

    # -- indicators -------------------------------------------------------------------

    def _category(self, raw: Any, key: str, row: int, col: int) -> Any:
        if not isinstance(raw, str):
            return raw
        points = V.printed_points(raw)
        name = re.sub(r"[（(][^）)]*[）)]", "", V.fold(raw)).strip() or raw
        if key == "level1":
            for category in self.profile.categories:
                stem = category.name.removesuffix("指标")
                if name in (category.name, stem) or (name.startswith(stem) and len(name) <= len(category.name) + 2):
                    name = category.name
                    break
            if points is not None:
                self.category_points.setdefault(name, (points, a1(row, col)))
        return name

    def indicators(self) -> None:
        m, view = self.m, self.view
        cols = m.indicators.columns
        indicators = self.evaluation.indicators
        current = {"level1": None, "level2": None}
        data_cols = [cols[k] for k in ("name", "target", "actual", "weight", "claimed_score", "nature", "unit", "reason") if k in cols]
        for row in range(m.indicators.last + 1, m.end):
            values = {}
            for key in FIELDS:
                col = cols.get(key)
                if col is None:
                    continue
                value = self.value(row, col)
                if value is None and key in current and view.merged_down(row, col):
                    value = current[key]
                values[key] = value
            for key in ("level1", "level2"):
                if values.get(key) is not None:
                    values[key] = self._category(values[key], key, row, cols[key])
                    current[key] = values[key]
                    if key == "level1":
                        current["level2"] = values.get("level2")
            if all(view.at(row, c) is None for c in data_cols):
                if view.blank(row) or any(values.get(k) is not None for k in ("level1", "level2")):
                    continue  # a blank row, or a category heading row (产出指标（50分）)
                first = view.first_text(row)
                if first:
                    self.note("form.row_unplaced", row, first[0], f"表格中的“{first[1][:30]}”不是指标行，未读入", warning)
                continue
            name = values.get("name")
            level1 = values.get("level1") or current["level1"]
            if any(V.is_one_of(str(x or ""), V.EXECUTION_NAMES) for x in (name, level1)):
                at = cols.get("claimed_score", cols.get("weight", 0))
                self.note("form.execution_row", row, at, "“预算执行率”行按项目资金计算，不作为三级指标读入；表中填报的分值、得分作为对照")
                continue
            if values.get("level1") is None:
                values["level1"] = current["level1"]
            if values.get("level2") is None and "level2" in cols:
                values["level2"] = current["level2"]
            nature = values.get("nature")
            if isinstance(nature, (str, int)) and not isinstance(nature, bool):
                read = V.nature_of(str(nature))
                if read is False:
                    self.note("form.nature_unknown", row, cols["nature"], f"指标性质“{nature}”无法识别，按年度指标值中的符号判断", warning)
                    values["nature"] = None
                else:
                    values["nature"] = read
            self._percent_cell(values, row, cols)
            index = len(indicators)
            record = Indicator(**{k: v for k, v in values.items() if k in FIELDS})
            for key in values:
                col = cols[key]
                r = row
                top = view.owner.get((row, col))
                if top is not None and key in current:
                    r = top[0]
                record.loc[key] = self.loc(f"indicators[{index}].{key}", r, col)
            indicators.append(record)
        self._unread_columns()

    def _percent_cell(self, values: dict, row: int, cols: dict) -> None:
        """A 实际完成值 cell formatted as a percent reads as 0.9995 where the form shows 99.95%: say so."""
        actual, target = values.get("actual"), values.get("target")
        if (isinstance(actual, float) and 0 < actual < 1.5 and isinstance(target, str) and ("%" in target or "％" in target)):
            shown_as = f"{Decimal(str(actual)) * 100:f}".rstrip("0").rstrip(".")
            self.note("form.percent_cell", row, cols["actual"],
                      f"实际完成值读出为 {actual}，而年度指标值是百分数；若表中显示的是 {shown_as}%，请把该单元格改为文本“{shown_as}%”后再评分",
                      warning)

    def _unread_columns(self) -> None:
        m, view = self.m, self.view
        for col, label in m.indicators.unread.items():
            filled = [row for row in range(m.indicators.last + 1, m.end) if view.at(row, col) is not None]
            if not filled:
                continue
            where = f"{a1(filled[0], col)}:{a1(filled[-1], col)}"
            self.note("form.column_unread", m.indicators.first, col, f"列“{label}”（{where}，{len(filled)} 个单元格）不在评分方案的字段中，未读入")

    # -- total ------------------------------------------------------------------------

    def total(self) -> None:
        m, view = self.m, self.view
        row = m.total_row
        cols = m.indicators.columns
        if row is None:
            return
        col = cols.get("claimed_score")
        value = self.value(row, col) if col is not None else None
        if value is None:
            numbers = [(c, v) for c, v in enumerate(view.grid[row]) if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if numbers and "claimed_score" not in cols:
                col, value = numbers[-1]
                value = shown(value)
        if value is not None:
            self.evaluation.claimed_total = value
            self.evaluation.total_loc = self.loc("claimed_total", row, col)
        for r in range(row, min(row + 4, view.height)):
            for c, label in view.row_texts(r):
                if V.is_one_of(label, V.GRADE_LABELS):
                    vc = self._right(r, c)
                    if vc is not None:
                        self.evaluation.claimed_grade = self.value(r, vc)
                    return

    def implied_weights(self) -> None:
        """A form with no 分值 column: each 一级's weight (printed in its label, else the profile's)
        split equally over its indicators, said in one warning."""
        from xlperf.forms.frame import category_of

        declared = getattr(self.profile, "implied_weights", None)  # a profile's own rule, where it declares one
        groups: dict[str, list[Indicator]] = {}
        for indicator in self.evaluation.indicators:
            groups.setdefault(str(indicator.level1 or ""), []).append(indicator)
        parts, unplaced = [], []
        places = Decimal(1).scaleb(-self.profile.rounding_places)
        for name, members in groups.items():
            category = category_of(self.profile, name) if name else None
            printed = self.category_points.get(name)
            total = Decimal(str(printed[0])) if printed else (category.weight if category is not None else None)
            if total is None:
                unplaced.append(name or "（无一级指标）")
                continue
            share = (total / len(members)).quantize(places)
            for indicator in members[:-1]:
                indicator.weight = _plain(share)
            members[-1].weight = _plain(total - share * (len(members) - 1))  # the category adds up exactly
            parts.append(f"{name} {_plain(total)} 分÷{len(members)} 项")
        if not self.evaluation.indicators:
            return
        how = "评分方案的一级指标分值" if declared is None else "评分方案规定的分值"
        message = f"表中没有“分值”列，各指标分值按{how}（表中印有的以表中为准）在该一级指标下平均分配：{'；'.join(parts)}"
        if unplaced:
            message += f"；一级指标“{'、'.join(unplaced)}”不在评分方案 {self.profile.id} 中，其指标没有分值"
        self.findings.append(warning("form.weights_implied", Location("form", self.sheet, a1(self.m.indicators.first, 0)), message))

    def weights(self) -> None:
        """Category weights printed in the form (产出指标（40分）) against the profile's."""
        for name, (points, cell) in self.category_points.items():
            category = self.profile.category(name)
            if category is not None and Decimal(str(points)) != category.weight:
                self.findings.append(warning(
                    "form.category_weight", Location("form", self.sheet, cell),
                    f"表中“{name}”为 {points:g} 分，评分方案 {self.profile.id} 为 {category.weight} 分；请核对或选择相应的评分方案（--profile）",
                ))


def read_form(match: Match, profile_id: str = "cz2020", source: str | None = None) -> tuple[Evaluation, list[Finding]]:
    """The Evaluation in one recognised table, and the findings about reading it."""
    return _Reader(match, profile_id, source).read()


def _plain(value: Decimal) -> int | float:
    """A weight in the model's raw form: 10 → 10, 16.67 → 16.67."""
    return int(value) if value == value.to_integral_value() else float(value)
