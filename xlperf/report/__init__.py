"""The narrative self-evaluation report (自评报告): Word, Markdown and PDF.

``write_report`` builds the context from the evaluation and its Results
(``context``), renders it into the profile's template (``docx`` / ``markdown``) and
writes the file atomically; ``convert_to_pdf`` hands a .docx to LibreOffice.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from xlperf.errors import FileLockedError, ProfileError, XlperfError
from xlperf.model import Evaluation
from xlperf.profile import Profile, load_profile
from xlperf.report.context import build_context, report_basename
from xlperf.report.pdf import convert_to_pdf
from xlperf.results import Results

FORMATS = ("docx", "md")
SUFFIX = {"docx": ".docx", "md": ".md"}
MAX_NAME = 120
_ILLEGAL = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

__all__ = ["build_context", "convert_to_pdf", "default_output", "report_profile", "safe_filename", "write_report"]


def report_profile(evaluation: Evaluation, results: Results) -> Profile:
    """The profile the results were scored with (settings applied when they are valid): the one ``score`` carried."""
    if results.applied is not None:
        return results.applied
    try:
        return load_profile(evaluation.profile, evaluation.settings)
    except ProfileError:
        return load_profile(evaluation.profile)  # the workbook's own profile, without its 设置


def template_id(profile: Profile) -> str:
    """Which shipped template fits a profile: its own, or the one of its framework."""
    from xlperf.report.outline import FRAMEWORK_TEMPLATE, OUTLINES

    return profile.id if profile.id in OUTLINES else FRAMEWORK_TEMPLATE[profile.framework]


def safe_filename(name: str) -> str:
    """A file name Windows, macOS and Linux all accept."""
    name = _ILLEGAL.sub("_", name).strip().rstrip(". ")
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME].rstrip(". ")
    if not name or name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    return name


def default_output(evaluation: Evaluation, source: Path | None, fmt: str = "docx") -> Path:
    """项目名称_年度绩效自评报告.docx, in the input's folder."""
    folder = Path(source).parent if source else Path.cwd()
    return folder / (safe_filename(report_basename(evaluation)) + SUFFIX[fmt])


def render(evaluation: Evaluation, results: Results, *, fmt: str = "docx", template: str | os.PathLike | None = None,
           charts: bool = True, findings: bool = True) -> bytes:
    """The report file's bytes, without writing anything; ``findings=False`` leaves the findings annex out."""
    if fmt not in FORMATS:
        raise XlperfError(f"不支持的报告格式“{fmt}”；可选 {'、'.join(FORMATS)}")
    profile = report_profile(evaluation, results)
    context = build_context(evaluation, results, profile)
    if not findings:
        context["findings"] = []
    if fmt == "docx":
        from xlperf.report import docx

        path = Path(template) if template else docx.default_template(template_id(profile))
        _exists(path)
        return docx.render_docx(context, path, charts=charts)
    from xlperf.report import markdown

    path = Path(template) if template else markdown.default_template(template_id(profile))
    _exists(path)
    return markdown.render_markdown(context, path).encode("utf-8")


def write_report(evaluation: Evaluation, results: Results, out_path: str | os.PathLike, *, fmt: str = "docx",
                 template: str | os.PathLike | None = None, charts: bool = True, findings: bool = True) -> Path:
    """Render and write the report; on any failure nothing is left at ``out_path``."""
    from xlperf.ooxml.atomic import atomic_write
    from xlperf.ooxml.lock import ensure_unlocked

    data = render(evaluation, results, fmt=fmt, template=template, charts=charts, findings=findings)
    out = Path(out_path)
    ensure_unlocked(str(out))
    try:
        atomic_write(out, lambda f: f.write(data))
    except PermissionError:
        if out.exists():  # Windows: Word holds the old report open
            raise FileLockedError("报告文件正在被 Word 或其他程序打开，请关闭后再试；文件未作任何修改", path=str(out)) from None
        raise
    return out


def _exists(path: Path) -> None:
    from xlperf.errors import TemplateError

    if not path.is_file():
        raise TemplateError(f"找不到报告模板“{path}”")
