"""Regenerate every shipped report asset: ``python -m xlperf.report.build [FOLDER]``.

Writes ``xlperf/templates/report_<profile>.docx`` (page and styles from ``style``, body from
``wordtemplate``) and ``report_<profile>.md.j2`` (from ``outline`` through ``markdown``) for
each profile outline. The output is byte-for-byte the same on every run. This module is the
only one that imports the builders together; the runtime modules do not import it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from xlperf.report import outline as o
from xlperf.report.markdown import outline_to_markdown
from xlperf.report.style import TEMPLATES
from xlperf.report.wordtemplate import build_template


def build_all(folder: Path = TEMPLATES) -> list[Path]:
    """Regenerate the shipped Word and Markdown templates into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for profile_id, blocks in o.OUTLINES.items():
        docx_path = folder / f"report_{profile_id}.docx"
        docx_path.write_bytes(build_template(profile_id))
        md_path = folder / f"report_{profile_id}.md.j2"
        md_path.write_text(outline_to_markdown(blocks), encoding="utf-8", newline="\n")
        written += [docx_path, md_path]
    return written


def main(argv: list[str] | None = None) -> int:
    folder = Path(argv[0]) if argv else TEMPLATES
    for path in build_all(folder):
        print(f"已生成 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
