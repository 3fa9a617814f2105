"""Start-up cost of an Excel button click: RunPython starts a new Python for every click.

    python benchmarks/bench_excel_import.py [--runs 5]

Prints, median of ``--runs`` fresh interpreters each:

* wall time of ``python -c "pass"`` (the baseline), ``python -c "import xlperf.excel"``
  (goal: under 0.3 s more than the baseline) and of what a click really imports:
  RunPython's own ``import xlwings.utils`` (xlwings.bas ``ExecuteWindows``) before our command;
* ``python -X importtime -c "import xlperf.excel"``: the slowest modules by cumulative
  and by self time, so a heavy import in the core shows by name;
* which heavy modules each of them loads (numpy, matplotlib, openpyxl, docx, …).

Printed only; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "matplotlib", "matplotlib.pyplot", "pandas", "PIL", "openpyxl", "docx", "docxtpl", "xlsxwriter",
         "python_calamine", "click", "jinja2", "lxml", "xlwings")
COMMANDS = {
    "baseline: pass": "pass",
    "import xlperf.excel": "import xlperf.excel",
    "click: import xlwings.utils; import xlperf.excel": "import xlwings.utils; import xlperf.excel",
    "xlwings alone: import xlwings": "import xlwings",
}
GOAL = 0.3


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def wall(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-B", "-c", code], check=True, env=_env(), stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def loaded(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-B", "-c", probe], check=True, env=_env(), capture_output=True, text=True).stdout
    return out.split()


def importtime(code: str) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) for every module ``code`` imports."""
    err = subprocess.run([sys.executable, "-B", "-X", "importtime", "-c", code], check=True, env=_env(), capture_output=True, text=True).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        rows.append((int(own), int(cumulative), name.rstrip()))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]} ({sys.executable}), median of {args.runs} runs\n")
    results = {label: wall(code, args.runs) for label, code in COMMANDS.items()}
    base = results["baseline: pass"]
    width = max(len(label) for label in results)
    for label, seconds in results.items():
        extra = "" if label.startswith("baseline") else f"   +{seconds - base:.3f} s over the baseline"
        print(f"{label:<{width}}  {seconds:.3f} s{extra}")
    own = results["import xlperf.excel"] - base
    print(f"\nimport xlperf.excel: +{own:.3f} s ({'within' if own < GOAL else 'OVER'} the {GOAL} s goal)")
    print("heavy modules loaded:")
    for label, code in COMMANDS.items():
        if not label.startswith("baseline"):
            print(f"  {label:<{width}}  {' '.join(loaded(code)) or '-'}")

    rows = importtime("import xlperf.excel")
    total = max((c for _o, c, n in rows if n.strip() == "xlperf.excel"), default=0)
    print(f"\n-X importtime, import xlperf.excel: {total / 1e6:.3f} s cumulative (importtime inflates)")
    print("  slowest by cumulative time:")
    for own_us, cumulative, name in sorted(rows, key=lambda r: r[1], reverse=True)[:12]:
        print(f"    {cumulative / 1e3:8.1f} ms  (self {own_us / 1e3:6.1f} ms)  {name}")
    print("  slowest by self time:")
    for own_us, cumulative, name in sorted(rows, key=lambda r: r[0], reverse=True)[:10]:
        print(f"    {own_us / 1e3:8.1f} ms  {name.strip()}")
    core = [r for r in rows if r[2].strip() in ("xlperf.scoring", "xlperf.layout", "xlperf.ooxml", "xlperf.workbook.reader", "xlperf.workbook.writer")]
    print("  core modules (cumulative, as first imported):")
    for own_us, cumulative, name in core:
        print(f"    {cumulative / 1e3:8.1f} ms  {name.strip()}")


if __name__ == "__main__":
    main()
