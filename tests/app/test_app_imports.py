"""The command line and the Excel button never import the web framework (nor the page)."""

from __future__ import annotations

import json
import subprocess
import sys

from apphelpers import ROOT

WEB = ("flask", "werkzeug", "waitress", "xlperf.app")


def _modules(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _web(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in WEB or m.startswith("xlperf.app"))


def test_cli_import_and_commands_do_not_load_the_web_stack():
    assert _web(_modules("import xlperf.cli")) == []
    from xlperf.examples import example_workbook

    run = (
        "import contextlib, io\nfrom xlperf.cli import cli\n"
        "for args in (['check', {p!r}], ['doctor'], ['app', '--help'], ['batch', '--help']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n            cli(args, standalone_mode=False)\n        except SystemExit:\n            pass\n"
    ).format(p=str(example_workbook()))
    assert _web(_modules(run)) == []


def test_excel_button_does_not_load_the_web_stack():
    modules = _modules("import xlperf.excel")
    assert _web(modules) == []
    assert not {"docx", "docxtpl"} & {m.split(".")[0] for m in modules}


def test_the_probe_sees_the_web_stack_when_the_page_is_loaded():
    assert {"flask", "werkzeug", "xlperf"} <= {m.split(".")[0] for m in _modules("import xlperf.app.server")}
