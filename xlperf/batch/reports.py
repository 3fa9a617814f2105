"""Name the reports a batch wrote: 项目名称（年度）自评报告.docx, mirroring the source folders.

Workers write each report under a temporary name; the parent renames them here in
the sorted file order, so two projects with the same name and year get the same
names (the second with （2）) whatever the number of workers.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from xlperf.batch.record import FileRecord
from xlperf.ooxml.oserrors import os_reason

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 80


def safe_stem(text: str) -> str:
    """A file name stem that Windows and Linux both accept."""
    stem = _UNSAFE.sub("_", text).strip().rstrip(". ")
    stem = stem[:MAX_STEM].rstrip(". ")
    if stem.upper().split(".")[0] in _RESERVED:
        stem = f"_{stem}"
    return stem


def report_stem(record: FileRecord) -> str:
    """项目名称（2018年度）自评报告, or the workbook's name when the project has none."""
    project = record.project
    name = project.name if project and project.name else PurePosixPath(record.rel).stem
    year = str(project.year).removesuffix("年度").removesuffix("年") if project and project.year else ""
    return safe_stem(f"{name}（{year}年度）自评报告" if year else f"{name}自评报告")


def finalise_reports(records: list[FileRecord], reports_dir: Path) -> None:
    """Rename every temporary report to its final name, in the order of ``records``."""
    taken: set[str] = set()
    for record in records:
        if record.report is None:
            continue
        temporary = reports_dir / record.report
        folder = temporary.parent
        stem, suffix = report_stem(record), temporary.suffix
        final, n = folder / f"{stem}{suffix}", 1
        while os.path.normcase(str(final)).casefold() in taken:
            n += 1
            final = folder / f"{stem}（{n}）{suffix}"
        taken.add(os.path.normcase(str(final)).casefold())
        try:
            os.replace(temporary, final)
            record.report = final.relative_to(reports_dir).as_posix()
        except OSError as exc:
            record.report = None
            record.report_failure = f"自评报告未能保存为 {final.name}：{os_reason(exc)}"
            temporary.unlink(missing_ok=True)
