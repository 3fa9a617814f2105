"""Which files a batch reviews, and in which order."""

from pathlib import Path

from xlperf.batch.discover import find_workbooks, natural_key


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")


def test_finds_workbooks_recursively_in_natural_order(tmp_path):
    touch(tmp_path, "b/项目10.xlsx", "b/项目2.xlsx", "a.XLSX", "c/d/e.xlsm", "notes.txt", "old.xls", "x.json")
    assert find_workbooks(tmp_path) == ["a.XLSX", "b/项目2.xlsx", "b/项目10.xlsx", "c/d/e.xlsm", "old.xls"]


def test_skips_lock_files_hidden_files_and_hidden_folders(tmp_path):
    touch(tmp_path, "~$表.xlsx", "sub/~$表.xlsm", ".hidden.xlsx", "._mac.xlsx", ".git/x.xlsx", "sub/.cache/y.xlsx", "sub/表.xlsx")
    assert find_workbooks(tmp_path) == ["sub/表.xlsx"]


def test_leaves_out_the_outputs(tmp_path):
    touch(tmp_path, "汇总.xlsx", "reports/r.xlsx", "a/表.xlsx")
    assert find_workbooks(tmp_path, [tmp_path / "汇总.xlsx", tmp_path / "reports"]) == ["a/表.xlsx"]


def test_folders_sort_before_their_siblings_deterministically():
    names = ["a-b.xlsx", "a/b.xlsx", "A/c.xlsx", "a/10.xlsx", "a/9.xlsx"]
    assert sorted(names, key=natural_key) == sorted(reversed(names), key=natural_key)
    assert sorted(["a/10.xlsx", "a/9.xlsx"], key=natural_key) == ["a/9.xlsx", "a/10.xlsx"]
