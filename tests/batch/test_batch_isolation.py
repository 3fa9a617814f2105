"""A batch isolates every entry (issue 17): links that loop or lead nowhere, unreadable folders,
FIFOs and other special files are listed in 无法读取 with their reason, and the batch still ends
with a summary, on one core and on several."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from xlperf.batch import run_batch
from xlperf.batch.discover import discover
from xlperf.examples import example_workbook

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links, FIFOs and modes of POSIX")


def hostile_folder(root: Path) -> Path:
    root.mkdir()
    shutil.copyfile(example_workbook(), root / "good.xlsx")
    (root / "sub").mkdir()
    os.symlink("loop.xlsx", root / "loop.xlsx")  # a link to itself: ELOOP
    os.symlink(root / "nowhere", root / "dangling.xlsx")
    os.symlink("..", root / "sub" / "up")  # a folder link back to the root: a loop
    os.mkfifo(root / "pipe.xlsx")  # opening it would block for ever
    (root / "sub" / "folder.xlsx").mkdir()  # a folder named like a workbook is looked into, not read
    return root


def test_discovery_lists_every_entry_it_cannot_review(tmp_path):
    found = discover(hostile_folder(tmp_path / "in"))
    assert found.files == ["good.xlsx"]
    reasons = dict(found.problems)
    assert "循环" in reasons["loop.xlsx"]
    assert "不存在" in reasons["dangling.xlsx"]
    assert "链接循环" in reasons["sub/up/"]
    assert "FIFO" in reasons["pipe.xlsx"]


def test_an_unreadable_folder_is_listed(tmp_path, monkeypatch):
    root = hostile_folder(tmp_path / "in")
    locked = root / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path) == locked:  # what a folder without read permission does (root ignores modes)
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert dict(discover(root).problems)["locked/"] == "文件夹无法读取（没有权限），已跳过"


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_batch_ends_with_a_summary_listing_them(tmp_path, jobs):
    root = hostile_folder(tmp_path / "in")
    result = run_batch(root, jobs=jobs)
    unreadable = dict(result.unreadable)
    assert {"loop.xlsx", "dangling.xlsx", "sub/up/", "pipe.xlsx"} <= set(unreadable)
    assert [r.rel for r in result.records if r.project] == ["good.xlsx"]
    from xlperf.batch import write_summary

    write_summary(result, tmp_path / "汇总.xlsx")
    assert (tmp_path / "汇总.xlsx").stat().st_size > 0


def test_a_folder_with_only_unreadable_entries_still_gets_a_summary(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    os.symlink("loop.xlsx", root / "loop.xlsx")
    result = run_batch(root, jobs=1)
    assert [rel for rel, _ in result.unreadable] == ["loop.xlsx"]
