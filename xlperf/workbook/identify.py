"""Which xlperf template a workbook holds: the 设置 sheet's 模板 id and version, and the profile the
workbook embeds (its hidden sheet). Works on value grids, so an .xlsx, an .xls/.ods saved again by
another program and a live workbook (xlwings) are identified the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from xlperf.errors import ProfileError, WorkbookError
from xlperf.layout import PROFILE_SHEET, TEMPLATE_PREFIX, TEMPLATE_VERSION, Layout, layout_for, layout_for_template
from xlperf.profile import Profile, profile_from_text, register
from xlperf.raw import canonical
from xlperf.workbook.placement import Grid, NameRef, cell_at, find_text, text_at

NOT_A_TEMPLATE = "不是由 xlperf 模板生成的工作簿，请用 xlperf new 生成模板后填写"


def identify(
    sheet_names: list[str], names: Mapping[str, NameRef | None], grid_of: Callable[[str], Grid], path: str | None = None
) -> Layout:
    """The layout of the workbook's template, from the 设置 sheet; refuses foreign and newer workbooks."""

    def fail(message: str) -> WorkbookError:
        return WorkbookError(message, path=path)

    embedded = _embedded_profile(sheet_names, grid_of, path)

    ref = names.get("xlperf_template")
    sheet = ref[0] if ref and ref[0] in sheet_names else ("设置" if "设置" in sheet_names else None)
    if sheet is None:
        raise fail(NOT_A_TEMPLATE)
    grid = grid_of(sheet)
    row = ref[1] - 1 if ref and ref[0] == sheet and text_at(cell_at(grid, ref[1] - 1, 0)) == "模板" else None
    if row is None:
        row = find_text(grid, "模板", 0, 0, 50)
    template_id = text_at(cell_at(grid, row, 1)) if row is not None else ""
    if not template_id.startswith(TEMPLATE_PREFIX):
        raise fail(NOT_A_TEMPLATE)
    version_cell = canonical(cell_at(grid, row + 1, 1))
    try:
        version = int(version_cell)
    except (TypeError, ValueError):
        raise fail(f"“{sheet}”表中的模板版本“{version_cell}”无法识别，请用 xlperf new 重新生成模板") from None
    if version > TEMPLATE_VERSION:
        raise fail(f"此工作簿由更新版本的 xlperf 生成（模板版本 {version}），请升级：pip install -U xlperf")
    if embedded is not None and template_id == TEMPLATE_PREFIX + embedded.id:
        layout = layout_for(embedded)
    else:
        layout = layout_for_template(template_id)
    if layout is None:
        raise fail(f"此工作簿使用的模板“{template_id}”不是本程序认识的模板，可能由更新版本的 xlperf 生成，请升级：pip install -U xlperf")
    return layout


def _embedded_profile(sheet_names: list[str], grid_of: Callable[[str], Grid], path: str | None) -> Profile | None:
    """The profile a workbook carries in its hidden sheet (None in workbooks made before it did)."""
    if PROFILE_SHEET not in sheet_names:
        return None
    grid = grid_of(PROFILE_SHEET)
    text = "".join(v if isinstance(v := cell_at(grid, row, 0), str) else "" for row in range(len(grid)))
    if not text.strip():
        return None
    known = _EMBEDDED.get(text)
    if known is not None:  # the same template's text, parsed for an earlier workbook of a batch
        return register(known)
    try:
        profile = profile_from_text(text.replace("\r\n", "\n"), src=f"“{PROFILE_SHEET}”表中的评分方案")
    except ProfileError as exc:
        raise WorkbookError(f"工作簿内嵌的评分方案无效：{exc}", path=path) from None
    if len(_EMBEDDED) >= 64:
        _EMBEDDED.clear()
    _EMBEDDED[text] = profile
    return profile


_EMBEDDED: dict[str, Profile] = {}  # embedded TOML text → its Profile (parsing TOML costs more than reading the cells)
