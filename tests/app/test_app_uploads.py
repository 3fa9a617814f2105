"""Upload handling without a server: names, sizes, safe .zip extraction, the workspace."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from xlperf.app.limits import AppLimits
from xlperf.app.uploads import Budget, UploadError, extract_zip, safe_name, save_upload
from xlperf.app.workspace import Workspace


class Storage:
    def __init__(self, filename: str, data: bytes):
        self.filename, self.stream = filename, io.BytesIO(data)


@pytest.mark.parametrize("given, expected", [
    ("自评表.xlsx", "自评表.xlsx"),
    ("C:\\Users\\张三\\桌面\\自评表.xlsx", "自评表.xlsx"),
    ("../../etc/passwd", "passwd"),
    ("a<b>c:d|e?.xlsx", "a_b_c_d_e_.xlsx"),
    ("CON.xlsx", "_CON.xlsx"),
    ("..", "工作簿.xlsx"),
    ("", "工作簿.xlsx"),
    ("名" * 300 + ".xlsx", "名" * 120 + ".xlsx"),
    ("自评表", "自评表"),
    (".hidden.xlsx", "hidden.xlsx"),
])
def test_safe_name(given, expected):
    assert safe_name(given) == expected


def test_save_upload_limits(tmp_path):
    limits = AppLimits(max_file=1000)
    assert save_upload(Storage("../表.xlsx", b"x" * 1000), tmp_path, limits).parent == tmp_path
    assert save_upload(Storage("表.xlsx", b"y"), tmp_path, limits).name == "表（2）.xlsx"
    with pytest.raises(UploadError, match="过大"):
        save_upload(Storage("大.xlsx", b"x" * 1001), tmp_path, limits)
    with pytest.raises(UploadError, match="空文件"):
        save_upload(Storage("空.xlsx", b""), tmp_path, limits)
    with pytest.raises(UploadError, match="不支持"):
        save_upload(Storage("脚本.exe", b"MZ"), tmp_path, limits)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表.xlsx", "表（2）.xlsx"]


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def test_extract_zip_stays_inside(tmp_path):
    archive = _zip(tmp_path / "a.zip", {"../x.xlsx": b"1", "..\\..\\y.xlsx": b"2", "/abs/z.xlsx": b"3", "d/ok.xlsx": b"4",
                                        "d/~$ok.xlsx": b"5", "readme.txt": b"6", "d/sub/": b""})
    out = tmp_path / "out"
    out.mkdir()
    skipped = extract_zip(archive, out, Budget(AppLimits()))
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["abs/z.xlsx", "d/ok.xlsx"]
    assert len(skipped) == 2 and all("压缩包以外" in s for s in skipped)
    assert not (tmp_path / "x.xlsx").exists()


def test_extract_zip_counts_files_and_bytes(tmp_path):
    archive = _zip(tmp_path / "a.zip", {f"{i}.xlsx": b"x" for i in range(5)})
    with pytest.raises(UploadError, match="超过 3 个"):
        extract_zip(archive, tmp_path, Budget(AppLimits(max_files=3)))
    big = _zip(tmp_path / "b.zip", {"big.xlsx": b"\0" * (4 << 20)})
    with pytest.raises(UploadError, match="zip 炸弹"):
        extract_zip(big, tmp_path, Budget(AppLimits(max_ratio=2)))
    assert not (tmp_path / "big.xlsx").exists()
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UploadError, match="不是有效的 .zip"):
        extract_zip(tmp_path / "bad.zip", tmp_path, Budget(AppLimits()))


def test_workspace_is_private_and_removed():
    space = Workspace(keep=2)
    root = space.root
    assert root.stat().st_mode & 0o077 == 0
    jobs = [space.new_job("score") for _ in range(3)]
    assert not jobs[0].folder.exists() and space.get(jobs[0].token, "score") is None
    assert space.get(jobs[2].token, "score") is jobs[2]
    assert space.get(jobs[2].token, "batch") is None
    assert space.get("../..", "score") is None
    space.close()
    assert not root.exists()
