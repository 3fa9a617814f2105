"""The one layout of the xlperf workbooks, derived from a profile.

The builder lays a workbook out from it, the reader finds the values with it and
the writer finds the computed cells with it, so moving a column is one edit here.

- ``vocab``: the block vocabulary (Label, Slot, Form, Column, Table, Sheet, Layout);
- ``blocks``: blocks and sheets every form shares (设置, 校验结果, narrative, lists);
- ``forms``: one generic builder: sheet plans as data (a profile's ``framework`` picks one:
  indicators, the 10号 自评表; rubric, 评分表 blocks per 一级 as in the 宁德 sample), block
  definitions by name, and the columns a profile's ``[form]`` shows;
- ``geometry``: where blocks land (``plan``, ``Span``, ``data_rows``) and sanity checks.

A sheet is a stack of blocks. A ``Form`` is a fixed group of labels and single
cells; a ``Table`` is a header row, repeating rows and (usually) a closing row.
Each block gets a workbook-level defined name (``xlperf_indicators``) covering
its rows from the header to the closing row, so a row staff insert anywhere
between them grows the name, and the reader and writer follow it.
"""

from __future__ import annotations

from xlperf.layout.blocks import BUTTON_CAPTION, FINDINGS_COLUMNS, HINT_ADD_ROWS
from xlperf.layout.forms import BLOCKS, SHEET_PLANS, build_form, indicator_form, rubric_form
from xlperf.layout.geometry import Span, _check, data_rows, plan, title_text
from xlperf.layout.vocab import (
    CATEGORY,
    COMPUTED,
    EXECUTION_ROW,
    FIXED,
    FUND_SOURCES,
    INPUT,
    NOTE,
    PROFILE_CHUNK,
    PROFILE_SHEET,
    RULE_NAMES,
    SERIAL,
    TEMPLATE_PREFIX,
    TEMPLATE_VERSION,
    Block,
    Button,
    Choice,
    Column,
    Form,
    Label,
    Layout,
    Sheet,
    Slot,
    Table,
    a1,
)
from xlperf.profile import PROFILE_IDS, Profile, load_profile

FORMS = {framework: build_form for framework in SHEET_PLANS}  # profile.framework → the one generic builder (kept for callers)
LAYOUT_IDS = PROFILE_IDS  # every shipped profile has a layout

_CACHE: dict[str, Layout] = {}


def build_layout(profile: Profile) -> Layout:
    """The layout of any valid profile: its framework picks the form family, its data fills it."""
    layout = build_form(profile)
    _check(layout)
    return layout


def layout_for(profile: str | Profile) -> Layout:
    """The workbook layout of a profile: a shipped id, a registered key, a .toml path, or a Profile."""
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    layout = _CACHE.get(profile.key or profile.id)
    if layout is None:
        layout = _CACHE[profile.key or profile.id] = build_layout(profile)
    return layout


def layout_for_template(template_id: str) -> Layout | None:
    """The layout a template id (``xlperf-cz2020``) names, or None if this program does not ship it."""
    if not template_id.startswith(TEMPLATE_PREFIX):
        return None
    profile_id = template_id[len(TEMPLATE_PREFIX):]
    return layout_for(profile_id) if profile_id in PROFILE_IDS else None


__all__ = [
    "BUTTON_CAPTION", "CATEGORY", "COMPUTED", "EXECUTION_ROW", "FINDINGS_COLUMNS", "FIXED", "FORMS", "FUND_SOURCES",
    "HINT_ADD_ROWS", "INPUT", "LAYOUT_IDS", "NOTE", "PROFILE_CHUNK", "PROFILE_SHEET", "RULE_NAMES", "SERIAL", "TEMPLATE_PREFIX", "TEMPLATE_VERSION",
    "Block", "Button", "Choice", "Column", "Form", "Label", "Layout", "Sheet", "Slot", "Span", "Table", "a1",
    "BLOCKS", "SHEET_PLANS", "build_form", "build_layout", "data_rows", "layout_for", "layout_for_template", "plan", "title_text",
]
