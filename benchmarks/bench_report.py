"""Benchmark the Word report against python-docx opening and saving the same template.

    python benchmarks/bench_report.py [--repeat N]

In one process, median of N rounds (default 15) after one warm-up each; a round runs
the baseline and both reports once each, so load from other processes shifts all three
alike instead of skewing the ratios:

* baseline: ``docx.Document(template)`` then ``save`` to memory;
* the example's report (ningde2018, fj2018) written with ``write_report``, without charts;
* the same with both charts (native Word charts: two ``word/charts/chartN.xml`` parts).

The first report with charts is also timed cold (imports of docxtpl and jinja2, the
template read and its tag check, all once per process). Ratios are printed; the goal
is at most 3× the baseline. Printed only; nothing here is a timed test.

Measured on the development container (2 CPUs, Python 3.11). Before: PNG figures drawn with
matplotlib, median of 9 in blocks. After: native charts, 15 interleaved rounds, quiet machine:

============================  =================  ===================
                              before (PNG)       after (chart parts)
============================  =================  ===================
baseline open+save template   7.6 ms             4.8 ms
report without charts         31.1 ms (4.08×)    10.9-12.7 ms (2.3-2.4×)
report with charts            372.6 ms (48.84×)  11.3-13.6 ms (2.3-2.6×)
drawing / building charts     396 ms             0.2-0.5 ms
first report, cold            1315 ms            64 ms
============================  =================  ===================
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

GOAL = 3.0


def median_time(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(fns, repeat: int) -> list[tuple[float, float]]:
    """(median, best) time of each function, the functions taking turns within every round."""
    for fn in fns:
        fn()  # warm-up
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [(statistics.median(spent), min(spent)) for spent in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from docx import Document

    from xlperf import jsonio
    from xlperf.report import write_report
    from xlperf.report.docx import default_template
    from xlperf.scoring import score

    evaluation = jsonio.load(REPO / "xlperf" / "examples" / "ningde2018.json")
    results = score(evaluation)
    template = default_template("fj2018")
    folder = Path(tempfile.mkdtemp(prefix="xlperf-bench-"))

    start = time.perf_counter()
    write_report(evaluation, results, folder / "cold.docx", charts=True)
    cold = time.perf_counter() - start

    def baseline():
        Document(str(template)).save(io.BytesIO())

    def plain():
        write_report(evaluation, results, folder / "plain.docx", charts=False)

    def charted():
        write_report(evaluation, results, folder / "charts.docx", charts=True)

    from xlperf.report import charts, render, report_profile
    from xlperf.report.context import build_context

    def in_memory():
        render(evaluation, results, charts=True)

    profile = report_profile(evaluation, results)
    context = build_context(evaluation, results, profile)

    def figures():
        charts.completion_chart(context["chart_data"]["ratios"])
        charts.score_chart(context["chart_data"]["scores"])

    heavy = sorted(m for m in ("matplotlib", "numpy", "PIL") if m in sys.modules)

    (base, base_best), (without, without_best), (with_charts, with_best), (memory, memory_best) = interleaved(
        [baseline, plain, charted, in_memory], args.repeat)
    ctx_time = median_time(lambda: build_context(evaluation, results, profile), args.repeat)
    chart_time = median_time(figures, args.repeat)
    print("                                   median          best")
    print(f"python-docx open+save template : {base * 1000:8.1f} ms     {base_best * 1000:8.1f} ms")
    for label, med, best in (
        ("report without charts         ", without, without_best),
        ("report with charts            ", with_charts, with_best),
        ("  the same, in memory (render)", memory, memory_best),
    ):
        print(f"{label} : {med * 1000:8.1f} ms {med / base:5.2f}×  {best * 1000:8.1f} ms {best / base_best:5.2f}×")
    print(f"  of which: context {ctx_time * 1000:.1f} ms, building both chart parts {chart_time * 1000:.2f} ms;"
          " write_report adds the atomic write (two fsyncs)")
    print(f"report with charts, cold start : {cold * 1000:8.1f} ms  (imports, template read and tag check included)")
    print(f"plotting libraries imported    : {', '.join(heavy) or 'none'}")
    print(f"goal ≤ {GOAL:g}× (medians): without charts {'met' if without / base <= GOAL else 'NOT met'}, "
          f"with charts {'met' if with_charts / base <= GOAL else 'NOT met'}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
