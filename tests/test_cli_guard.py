"""The top-level guard (issue 17): an unexpected exception becomes a Chinese message naming the
file, the details go to a log file, and the exit code is 3 (not 1 findings, not 2 bad input)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import xlperf.sources
from xlperf.cli import cli
from xlperf.cli.guard import EXIT_INTERNAL, LOG_NAME, guarded
from xlperf.examples import example_workbook


@pytest.fixture
def book(tmp_path) -> Path:
    path = tmp_path / "绩效自评.xlsx"
    shutil.copyfile(example_workbook(), path)
    return path


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyError("x"), type("PanicException", (BaseException,), {})("rust")])
def test_an_unexpected_exception_is_a_message_a_log_and_exit_3(book, tmp_path, monkeypatch, capsys, exc):
    logs = tmp_path / "logs"
    monkeypatch.setenv("XLPERF_LOG_DIR", str(logs))

    def broken(*_args, **_kwargs):
        raise exc

    monkeypatch.setattr(xlperf.sources, "evaluate_source", broken)
    with pytest.raises(SystemExit) as done:
        guarded(cli, ["check", str(book)], prog_name="xlperf")
    assert done.value.code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("错误：") and str(book) in err and "内部错误" in err and "Traceback" not in err
    log = logs / LOG_NAME
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and type(exc).__name__ in text


def test_main_is_guarded(tmp_path):
    """``python -m xlperf`` goes through the guard: a broken import inside a command is exit 3."""
    env = {**os.environ, "XLPERF_LOG_DIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[1])}
    code = ("import sys, xlperf.sources as s\n"
            "def boom(*a, **k): raise ZeroDivisionError('x')\n"
            "s.evaluate_source = boom\n"
            "sys.argv = ['xlperf', 'check', sys.argv[1]]\n"
            "from xlperf.cli import main\nmain()\n")
    (tmp_path / "a.xlsx").write_bytes(example_workbook().read_bytes())
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "a.xlsx")], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == EXIT_INTERNAL, done.stderr
    assert "a.xlsx" in done.stderr and "ZeroDivisionError" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / LOG_NAME).exists()


def test_known_errors_keep_their_exit_codes(book, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("XLPERF_LOG_DIR", str(tmp_path / "logs"))
    with pytest.raises(SystemExit) as done:
        guarded(cli, ["check", str(tmp_path / "none.xlsx")], prog_name="xlperf")
    assert done.value.code == 2
    assert not (tmp_path / "logs").exists()
