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



def made_up_ids() -> tuple[str, ...]:
    """Shipped profiles with a made-up filled example (fj2018's example is the 宁德 sample)."""
    from xlperf.profile import PROFILE_IDS

    return tuple(p for p in PROFILE_IDS if p != "fj2018")


def made_up_json(profile_id: str) -> Path:
    return Path(str(resources.files("xlperf") / "examples" / f"{profile_id}.json"))


def made_up_workbook(profile_id: str) -> Path:
    return Path(str(resources.files("xlperf") / "examples" / f"{profile_id}.xlsx"))


def build_made_up(profile_id: str, json_path: Path, workbook_path: Path) -> None:
    """Write the made-up example of a shipped profile as JSON and as a filled workbook."""
    import json

    from xlperf import jsonio
    from xlperf.examples.made_up import example_data
    from xlperf.profile import load_profile
    from xlperf.workbook.builder import build_workbook

    json_path.write_text(json.dumps(example_data(load_profile(profile_id)), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    build_workbook(profile_id, jsonio.load(json_path), workbook_path)
