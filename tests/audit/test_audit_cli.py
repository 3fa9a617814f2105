"""``xlperf audit`` on the command line: terminal list, --json with paragraph numbers, -o, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from audithelpers import SEED


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xlperf", "audit", *map(str, args)], capture_output=True, text=True)


@pytest.mark.skipif(not SEED.is_file(), reason="seed report not present")
def test_cli_json_and_copy(tmp_path):
    r = _run(SEED, "--json", "-o", tmp_path / "审核稿.docx")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert data["errors"] > 0 and all(f["paragraphs"] for f in data["findings"])
    assert any("192场" in f["message"] for f in data["findings"])
    assert (tmp_path / "审核稿.docx").is_file()


def test_cli_clean_report_exits_0(reports):
    r = _run(reports[("cz2020", "md")], "--against", reports[("cz2020", "json")])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "未发现" in r.stdout


def test_cli_bad_input_is_a_chinese_message(tmp_path):
    bad = tmp_path / "报告.docx"
    bad.write_bytes(b"not a zip")
    r = _run(bad)
    assert r.returncode == 2 and "错误" in r.stderr and "Traceback" not in r.stderr
    r = _run(tmp_path / "无.txt")
    assert r.returncode == 2 and "找不到" in r.stderr
