"""Statistics a reviewer can trust: blank templates are 未填写 (not 0 分, not averaged),
the same project submitted twice is flagged."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import clean  # noqa: E402

from xlperf.batch.formats import write_summary
from xlperf.batch.run import run_batch
from xlperf.scoring import score
from xlperf.workbook.builder import build_workbook


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "收到"
    root.mkdir()
    build_workbook("cz2020", None, root / "空白模板.xlsx")
    build_workbook("cz2020", clean(), root / "饮水工程.xlsx")
    shutil.copyfile(root / "饮水工程.xlsx", root / "饮水工程（重发）.xlsx")
    build_workbook("cz2020", clean("乡村道路养护", "某县交通运输局"), root / "道路.xlsx")
    return root


def test_blank_template_is_unfilled_not_averaged(folder, tmp_path):
    with run_batch(folder, jobs=1) as result:
        assert result.unfilled == ["空白模板.xlsx"]
        stats = result.statistics()
        assert stats.count == 3
        expected = score(clean()).total
        assert stats.mean_total == expected  # three equal scores; a 0 for the blank would lower it
        assert any(rel == "空白模板.xlsx" and reason.startswith("未填写") for rel, reason in result.unreadable)
        out = tmp_path / "汇总.json"
        write_summary(result, out, "json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["statistics"]["unfilled"] == 1
    assert [u["file"] for u in data["unfilled"]] == ["空白模板.xlsx"]


def test_same_project_twice_is_flagged(folder):
    with run_batch(folder, jobs=1) as result:
        assert result.duplicates == {"饮水工程.xlsx": ("饮水工程（重发）.xlsx",), "饮水工程（重发）.xlsx": ("饮水工程.xlsx",)}
        assert "道路.xlsx" not in result.duplicates
