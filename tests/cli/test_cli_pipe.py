"""Output piped into a program that stops reading (`xlperf check 表.xlsx | head`): no error message."""

from __future__ import annotations

import os
import subprocess
import sys

from xlperf.examples import example_workbook


def test_a_closed_pipe_ends_quietly(tmp_path):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before xlperf writes its first line
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-m", "xlperf", "check", str(example_workbook())], stdout=write,
                          stderr=subprocess.PIPE, text=True, timeout=120, env=env, cwd=tmp_path)
    os.close(write)
    assert done.returncode == 141
    assert done.stderr == ""  # not "错误：无法读写文件（系统错误号 32…）", not a traceback
