"""Replacing the user's workbook (issue 17): another program's save is never overwritten, the
file keeps its owner, group, mode and extended attributes, read-only and hard-linked files are
refused, orphan temp files are cleaned, and interrupts and OS errors are reported truthfully."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import xlperf.ooxml.atomic as atomic
import xlperf.ooxml.patch as patch_module
from xlperf.errors import WorkbookError
from xlperf.examples import example_workbook
from xlperf.ooxml.atomic import TEMP_PATTERN, clean_orphans
from xlperf.ooxml.oserrors import os_error_message
from xlperf.sources import score_loaded
from xlperf.workbook.reader import load_workbook
from xlperf.workbook.writer import write_results

POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX owners, links and locks")


@pytest.fixture
def book(tmp_path) -> Path:
    path = tmp_path / "绩效自评.xlsx"
    shutil.copyfile(example_workbook(), path)
    return path


def other_program_saves(path: Path, in_place: bool = False) -> bytes:
    """What Excel or WPS does on save: new bytes, by replace (a new file) or in place."""
    data = path.read_bytes() + b"\0" if in_place else example_workbook().read_bytes()[::-1][::-1] + b"  "
    if in_place:
        with open(path, "r+b") as fp:
            fp.write(data)
    else:
        temp = path.with_name("excel-save.tmp")
        temp.write_bytes(data)
        os.replace(temp, path)
    return path.read_bytes()


@pytest.mark.parametrize("in_place", [False, True])
def test_a_save_between_read_and_write_is_not_overwritten(book, in_place):
    loaded = load_workbook(book, with_findings_sheet=True)
    evaluation, results = score_loaded(loaded)
    saved = other_program_saves(book, in_place)
    with pytest.raises(WorkbookError, match="被其他程序修改并保存过"):
        write_results(book, evaluation, results, loaded=loaded)
    assert book.read_bytes() == saved


def test_a_save_while_writing_is_detected_just_before_the_replace(book, monkeypatch):
    loaded = load_workbook(book, with_findings_sheet=True)
    evaluation, results = score_loaded(loaded)
    original = patch_module.write_package
    saved = {}

    def slow_write(*args, **kwargs):
        original(*args, **kwargs)
        with open(book, "r+b") as fp:  # another program writes while we render the new package
            fp.seek(0, os.SEEK_END)
            fp.write(b"edit")
        saved["bytes"] = book.read_bytes()

    monkeypatch.setattr(patch_module, "write_package", slow_write)
    with pytest.raises(WorkbookError, match="被其他程序修改并保存过"):
        write_results(book, evaluation, results, loaded=loaded)
    assert book.read_bytes() == saved["bytes"]
    assert not [p for p in book.parent.iterdir() if TEMP_PATTERN.match(p.name)]


@POSIX
def test_owner_group_mode_and_xattrs_are_kept(book):
    os.chmod(book, 0o640)
    if os.geteuid() == 0:
        os.chown(book, 1234, 2345)
    xattr = hasattr(os, "setxattr")
    if xattr:
        try:
            os.setxattr(book, "user.xlperf-test", b"kept")
        except OSError:
            xattr = False
    before = os.stat(book)
    assert write_results(book, *score_loaded(load_workbook(book, with_findings_sheet=True)))
    after = os.stat(book)
    assert after.st_ino != before.st_ino  # replaced, not written in place
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid, before.st_gid)
    if xattr:
        assert os.getxattr(book, "user.xlperf-test") == b"kept"


def test_a_read_only_file_is_refused(book):
    os.chmod(book, 0o444)
    data = book.read_bytes()
    with pytest.raises(WorkbookError, match="只读"):
        write_results(book, *score_loaded(load_workbook(book, with_findings_sheet=True)))
    assert book.read_bytes() == data
    os.chmod(book, 0o644)


@POSIX
def test_a_hard_linked_file_is_refused_not_split(book):
    other = book.with_name("link.xlsx")
    os.link(book, other)
    data = book.read_bytes()
    with pytest.raises(WorkbookError, match="硬链接"):
        write_results(book, *score_loaded(load_workbook(book, with_findings_sheet=True)))
    assert book.read_bytes() == data and os.path.samefile(book, other)


@POSIX
def test_orphan_temp_files_are_cleaned_at_the_next_write_but_not_live_ones(book):
    orphan = book.with_name(".xlperf-0123456789abcdef.tmp")
    orphan.write_bytes(b"half a zip")
    live = book.with_name(".xlperf-fedcba9876543210.tmp")
    live.write_bytes(b"being written")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl,sys,time;f=open(sys.argv[1],'rb');fcntl.flock(f,fcntl.LOCK_EX);print('ok',flush=True);time.sleep(30)", str(live)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        unrelated = book.with_name(".xlperf-notes.tmp")
        unrelated.write_bytes(b"not ours")
        assert write_results(book, *score_loaded(load_workbook(book, with_findings_sheet=True)))
        assert not orphan.exists() and live.exists() and unrelated.exists()
    finally:
        holder.kill()
        holder.wait()
    assert clean_orphans(str(book.parent)) == [live.name]


def test_interrupt_after_the_replace_does_not_say_nothing_changed(book, monkeypatch):
    from xlperf.cli import cli

    def interrupted(_folder):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "_sync_folder", interrupted)
    monkeypatch.setattr(atomic, "_REPLACED", [])
    data = book.read_bytes()
    result = CliRunner().invoke(cli, ["score", str(book)])
    assert result.exit_code == 130
    assert book.read_bytes() != data
    assert "文件未作修改" not in result.output and "中断前已完整写入" in result.output and str(book) in result.output


def test_interrupt_before_any_replace_says_nothing_changed(book, monkeypatch):
    from xlperf.cli import cli

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(patch_module, "write_package", interrupted)
    monkeypatch.setattr(atomic, "_REPLACED", [])
    data = book.read_bytes()
    result = CliRunner().invoke(cli, ["score", str(book)])
    assert result.exit_code == 130 and "文件未作修改" in result.output
    assert book.read_bytes() == data


def test_disk_full_names_the_file_in_chinese(book, monkeypatch):
    from xlperf.cli import cli

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(patch_module, "write_package", full)
    result = CliRunner().invoke(cli, ["score", str(book)])
    assert result.exit_code == 2
    assert "磁盘空间不足" in result.output and str(book) in result.output and "：：" not in result.output


def test_os_errors_without_a_file_name_have_no_empty_name():
    message = os_error_message(OSError(errno.ENOSPC, "No space left on device"))
    assert message.startswith("无法读写文件（磁盘空间不足") and "：" not in message.split("（")[0]


def test_an_unknown_os_error_names_its_number_not_the_english_text():
    message = os_error_message(OSError(errno.ENOTCONN, "Transport endpoint is not connected", "/x/表.xlsx"))
    assert f"系统错误号 {errno.ENOTCONN}" in message and "Transport" not in message
    assert os_error_message(OSError(errno.EACCES, "denied", "/x/表.xlsx")).startswith("/x/表.xlsx：")


@POSIX
def test_orphans_are_cleaned_at_the_next_run_even_when_nothing_is_written(book):
    from xlperf.sources import score_workbook

    score_workbook(book)
    orphan = book.with_name(".xlperf-00112233445566aa.tmp")
    orphan.write_bytes(b"left by a kill")
    assert score_workbook(book)[2] is False
    assert not orphan.exists()
