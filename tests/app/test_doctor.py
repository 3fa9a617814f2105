"""``xlperf doctor``: the checks and the command's Chinese output."""

from __future__ import annotations

import json
import subprocess
import sys

from apphelpers import ROOT

from xlperf import doctor


def test_excel_registration_is_told_apart():
    assert doctor.classify_excel_server(r'"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE" /automation') == "excel"
    assert doctor.classify_excel_server(r"C:\Users\u\AppData\Local\Kingsoft\WPS Office\12.1.0\office6\et.exe /automation") == "wps"
    assert doctor.classify_excel_server(r"C:\Program Files\WPS Office\ksolaunch.exe /et") == "wps"
    assert doctor.classify_excel_server(None) == "none"
    assert doctor.classify_excel_server(r"C:\x\other.exe") == "unknown"


def test_linux_recommends_the_page():
    check = doctor.check_excel("Linux")
    assert check.status == doctor.NOTE and "xlwings 无法运行" in check.detail and "xlperf app" in check.fix


def test_checks_name_their_fix():
    checks = doctor.run_checks()
    assert [c.topic for c in checks][:2] == ["Python", "软件包"]
    assert all(c.fix for c in checks if c.status != doctor.OK)
    assert "xlperf app" in doctor.recommendation(checks)


def test_command_output():
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "xlperf", "doctor"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0 and "[正常] Python" in out.stdout and "推荐" in out.stdout and "Traceback" not in out.stderr
    data = json.loads(subprocess.run([sys.executable, "-m", "xlperf", "doctor", "--json"], capture_output=True, text=True, cwd=ROOT, env=env).stdout)
    assert {c["topic"] for c in data["checks"]} >= {"Python", "软件包", "报告字体"}
