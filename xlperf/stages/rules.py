"""The ``[monitoring]`` table of a profile: traffic-light bands and thresholds, validated.

Developer notes: ``xlperf.profile`` ignores tables it does not know, so this
module reads the same TOML file again and validates only ``[monitoring]``; a
profile without the table (fj2018, a unit's own file) uses cz2020's, so the
numbers live in one data file, not in code. Bands are read as "below": a ratio
of exactly 60 is not ``below = 60`` and falls into the next band.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path

from xlperf.errors import ProfileError

BUILTIN = ("cz2020", "fj2018")
DEFAULT_SOURCE = "cz2020"


@dataclass(frozen=True)
class Band:
    below: Decimal | None  # exclusive upper bound; None for the last (open) band
    light: str


@dataclass(frozen=True)
class MonitoringRules:
    month: int
    order: tuple[str, ...]  # worst first
    project_includes_budget: bool
    prorate_percent: bool
    forecast_tolerance: Decimal  # percent
    budget: tuple[Band, ...]
    indicator: tuple[Band, ...]
    qualitative: dict[str, str]  # met / partial / missed → light
    reverse: dict[str, str]  # within / over → light
    src: str = ""

    def band_light(self, bands: tuple[Band, ...], ratio: Decimal) -> str:
        for band in bands:
            if band.below is None or ratio < band.below:
                return band.light
        return bands[-1].light  # unreachable after validation: the last band is open

    def worst(self, lights: list[str]) -> str | None:
        present = [x for x in lights if x]
        if not present:
            return None
        return min(present, key=self.order.index)

    def rank(self, light: str) -> int:
        """0 for the worst light; larger is better."""
        return self.order.index(light)


def _read(name_or_path: str | Path) -> tuple[dict, str]:
    name = str(name_or_path)
    try:
        if name in BUILTIN:
            src = f"profiles/{name}.toml"
            raw = (resources.files("xlperf") / "profiles" / f"{name}.toml").read_text(encoding="utf-8")
        else:
            src = name
            raw = Path(name).read_text(encoding="utf-8")
        return tomllib.loads(raw), src
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"无法读取评分方案的监控设置：{exc}", path=name) from None


def _dec(value, where: str, src: str) -> Decimal:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
        return number
    except (InvalidOperation, ValueError):
        raise ProfileError(f"[monitoring] 的“{where}”应为数字，实际为“{value}”", path=src) from None


def _bool(value, where: str, src: str) -> bool:
    if not isinstance(value, bool):
        raise ProfileError(f"[monitoring] 的“{where}”应为 true 或 false，实际为“{value}”", path=src)
    return value


def _bands(data, where: str, order: tuple[str, ...], src: str) -> tuple[Band, ...]:
    if not isinstance(data, list) or not data:
        raise ProfileError(f"[monitoring] 的“{where}”应为分档列表，如 [{{below = 60, light = \"红\"}}, {{light = \"绿\"}}]", path=src)
    bands: list[Band] = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or "light" not in entry:
            raise ProfileError(f"[monitoring] 的“{where}”第{i + 1}档缺少 light", path=src)
        light = str(entry["light"])
        if light not in order:
            raise ProfileError(f"[monitoring] 的“{where}”第{i + 1}档的灯“{light}”不在 order（{'、'.join(order)}）中", path=src)
        below = _dec(entry["below"], f"{where}第{i + 1}档的 below", src) if "below" in entry else None
        bands.append(Band(below, light))
    for i, band in enumerate(bands):
        last = i == len(bands) - 1
        if last != (band.below is None):
            raise ProfileError(f"[monitoring] 的“{where}”只有最后一档不写 below，其余各档都要写", path=src)
        if i and band.below is not None and band.below <= bands[i - 1].below:
            raise ProfileError(f"[monitoring] 的“{where}”各档 below 应由小到大", path=src)
    return tuple(bands)


def _mapping(data, where: str, keys: tuple[str, ...], order: tuple[str, ...], src: str) -> dict[str, str]:
    if not isinstance(data, dict) or set(data) != set(keys):
        raise ProfileError(f"[monitoring] 的“{where}”应给出 {'、'.join(keys)} 各自的灯", path=src)
    for key, light in data.items():
        if light not in order:
            raise ProfileError(f"[monitoring] 的“{where}.{key}”的灯“{light}”不在 order 中", path=src)
    return {k: str(v) for k, v in data.items()}


def rules_from_dict(data: dict, src: str) -> MonitoringRules:
    """Validate a ``[monitoring]`` table."""
    if not isinstance(data, dict):
        raise ProfileError("[monitoring] 应为表", path=src)
    known = {"month", "order", "project_includes_budget", "prorate_percent", "forecast_tolerance",
             "budget", "indicator", "qualitative", "reverse"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ProfileError(f"[monitoring] 中有未知的设置“{unknown[0]}”", path=src)
    order = data.get("order")
    if not isinstance(order, list) or not order or len(set(map(str, order))) != len(order):
        raise ProfileError("[monitoring] 的 order 应为不重复的灯名列表，由差到好，如 [\"红\", \"黄\", \"绿\"]", path=src)
    order_t = tuple(str(x) for x in order)
    month = _dec(data.get("month", 7), "month", src)
    if month != month.to_integral_value() or not 1 <= month <= 12:
        raise ProfileError(f"[monitoring] 的 month 应为 1 到 12 的整数，实际为 {month}", path=src)
    tolerance = _dec(data.get("forecast_tolerance", 10), "forecast_tolerance", src)
    if tolerance < 0:
        raise ProfileError("[monitoring] 的 forecast_tolerance 不能为负数", path=src)
    return MonitoringRules(
        month=int(month),
        order=order_t,
        project_includes_budget=_bool(data.get("project_includes_budget", True), "project_includes_budget", src),
        prorate_percent=_bool(data.get("prorate_percent", False), "prorate_percent", src),
        forecast_tolerance=tolerance,
        budget=_bands(data.get("budget"), "budget", order_t, src),
        indicator=_bands(data.get("indicator"), "indicator", order_t, src),
        qualitative=_mapping(data.get("qualitative"), "qualitative", ("met", "partial", "missed"), order_t, src),
        reverse=_mapping(data.get("reverse"), "reverse", ("within", "over"), order_t, src),
        src=src,
    )


@lru_cache(maxsize=32)
def _load(key: str) -> MonitoringRules:
    data, src = _read(key)
    table = data.get("monitoring")
    if table is None:
        if key == DEFAULT_SOURCE:
            raise ProfileError("缺少 [monitoring]", path=src)
        return _load(DEFAULT_SOURCE)
    return rules_from_dict(table, src)


def monitoring_rules(profile: str | Path = DEFAULT_SOURCE) -> MonitoringRules:
    """The monitoring rules of a profile (id or path); cz2020's when it has none."""
    key = str(profile)
    if key not in BUILTIN and not Path(key).is_file():
        key = DEFAULT_SOURCE  # an unknown id is reported by the scoring profile loader, not twice
    return _load(key)
