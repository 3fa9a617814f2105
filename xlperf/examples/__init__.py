"""The bundled example: the 2018 宁德 self-evaluation, as JSON and as a workbook."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

NAME = "ningde2018"


def example_json() -> Path:
    return Path(str(resources.files("xlperf") / "examples" / f"{NAME}.json"))


def example_workbook() -> Path:
    return Path(str(resources.files("xlperf") / "examples" / f"{NAME}.xlsx"))


def build_example_workbook(path: Path) -> None:
    """Rebuild the example workbook from its JSON (``python -m xlperf.examples``)."""
    from xlperf import jsonio
    from xlperf.workbook.builder import build_workbook

    evaluation = jsonio.load(example_json())
    build_workbook(evaluation.profile, evaluation, path)

