"""Benchmark ``run_batch``: wall time, time per file against a bare python-calamine read, memory.

    python benchmarks/bench_batch.py [N ...] [--jobs J] [--distinct K]

For each N (default 1000) it builds N cz2020 workbooks of 60 indicators each with
the workbook builder in a temporary folder (K distinct ones, copied round-robin,
when --distinct is given), then

* runs ``run_batch`` with all cores (or J) in a fresh interpreter and reports its
  wall time and the peak RSS of that parent and of its largest worker
  (``getrusage`` RUSAGE_SELF / RUSAGE_CHILDREN), so N=100 and N=1000 can be compared;
* times, on a sample, one file at a time in this process: ``CalamineWorkbook.from_path``
  plus ``to_python()`` of every sheet, the workbook reader alone (``read_workbook``),
  ``evaluate_file`` (read + score + checks) and the batch's ``review_file`` (that plus
  the compact record), and prints the ratios;
* times a floor: calamine on the sheets the reader reads plus the least scoring work in
  Python, to show how much of the 1.5x goal any implementation has left for the rest;
* profiles ``evaluate_file`` when the ratio is above 1.5 and prints where the time goes.

Printed only; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from xlperf.model import Evaluation, Indicator  # noqa: E402

CATEGORIES = [("产出指标", "数量指标", 30, 50), ("效益指标", "社会效益指标", 20, 30), ("满意度指标", "服务对象满意度指标", 10, 10)]
PER_FOLDER = 25
SAMPLE = 100
GOAL_RATIO = 1.5


def evaluation(seed: int) -> Evaluation:
    """A cz2020 evaluation with 60 indicators whose values vary with ``seed``."""
    indicators = []
    for level1, level2, n, weight in CATEGORIES:
        weights = [weight // n] * n
        for i in range(weight - sum(weights)):
            weights[i] += 1
        for i in range(n):
            shift = (seed + i) % 7 - 2
            indicators.append(Indicator(
                level1=level1, level2=level2, name=f"{level2}{i + 1}", nature="≥",
                target=f"≥{100 + i}", unit="人", actual=f"{100 + i + shift}", weight=weights[i],
                reason="受疫情影响，已调整计划" if shift < 0 and seed % 3 else None,  # every third file: warnings
            ))
    ev = Evaluation(profile="cz2020", indicators=indicators)
    ev.project.name, ev.project.unit, ev.project.year = f"专项项目{seed:04d}", f"某县单位{seed % 17:02d}", 2023
    total, grant = ev.funds.rows[0], ev.funds.rows[1]
    total.initial = total.budget = grant.initial = grant.budget = 500 + seed % 100
    total.spent = grant.spent = 440 + seed % 60
    if total.spent / total.budget < 0.9:
        ev.funds.reason = "部分合同尚未结算"
    return ev


def _build(args: tuple[int, str]) -> None:
    from xlperf.workbook.builder import build_workbook

    seed, path = args
    build_workbook("cz2020", evaluation(seed), path)


def generate(root: Path, n: int, distinct: int | None) -> list[Path]:
    paths = [root / f"单位{i // PER_FOLDER:03d}" / f"项目{i:04d}.xlsx" for i in range(n)]
    for folder in {p.parent for p in paths}:
        folder.mkdir(parents=True, exist_ok=True)
    built = paths[: distinct or n]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_build, [(i, str(p)) for i, p in enumerate(built)], chunksize=8))
    for i, path in enumerate(paths[len(built):], start=len(built)):
        shutil.copyfile(built[i % len(built)], path)
    return paths


def child(root: str, jobs: int | None, out: str) -> None:
    """Run in a fresh interpreter, so its RSS is the batch's alone."""
    import resource

    from xlperf.batch import run_batch, write_summary

    start = time.perf_counter()
    result = run_batch(Path(root), jobs=jobs)
    reviewed = time.perf_counter() - start
    review_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    write_summary(result, Path(out))
    written = time.perf_counter() - start - reviewed
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "files": len(result.records),
        "review_s": reviewed,
        "summary_s": written,
        "parent_maxrss_kb": self_rss,
        "parent_review_maxrss_kb": review_rss,
        "worker_maxrss_kb": children_rss,
        "exit_code": result.exit_code,
        "findings": sum(1 for _ in result.findings()),
    }))
    result.close()


def run_child(root: Path, jobs: int | None) -> dict:
    out = root.parent / "汇总.xlsx"
    cmd = [sys.executable, __file__, "--child", str(root), str(jobs or 0), str(out)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data["summary_bytes"] = out.stat().st_size
    return data


def per_file(paths: list[Path], root: Path) -> dict:
    """One file at a time, interleaved so caches favour neither side."""
    from python_calamine import CalamineWorkbook

    from xlperf.batch.review import review_file
    from xlperf.sources import evaluate_file
    from xlperf.workbook.reader import read_workbook

    def calamine(path: Path) -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    step = max(1, len(paths) // SAMPLE)
    sample = paths[::step][:SAMPLE]
    for path in sample[:3]:  # warm up imports and profiles
        calamine(path), evaluate_file(path)
    times = {"calamine": [], "read_workbook": [], "evaluate_file": [], "review_file": []}
    for path in sample:
        for name, fn in (("calamine", calamine), ("read_workbook", read_workbook), ("evaluate_file", evaluate_file),
                         ("review_file", lambda p: review_file(root, p.relative_to(root).as_posix()))):
            start = time.perf_counter()
            fn(path)
            times[name].append(time.perf_counter() - start)
    return {"sample": len(sample), **{k: statistics.fmean(v) for k, v in times.items()},
            **{f"{k}_median": statistics.median(v) for k, v in times.items()}}


def stages(paths: list[Path]) -> dict:
    """Where one file's time goes, stage by stage, without a profiler (mean ms over a sample).

    Each stage is timed on its own on the same file, one after the other: a bare calamine
    read of every sheet (the yardstick), calamine reading only the sheets the reader reads,
    the safe package open (zip directory, size limits, structural XML), ``load_workbook``
    (open + calamine + placement + the formula scan), grid → Evaluation, scoring
    (``assess``) and the checks (``run_checks``).
    """
    from python_calamine import CalamineWorkbook

    from xlperf.checks import run_checks
    from xlperf.ooxml.package import open_package
    from xlperf.profile import load_profile
    from xlperf.scoring import assess
    from xlperf.workbook.reader import evaluation_of, load_workbook

    def calamine(path: Path, names=None) -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in names or book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    def timed(fn) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    step = max(1, len(paths) // SAMPLE)
    times: dict[str, list[float]] = {}
    for path in paths[::step][:SAMPLE]:
        loaded = load_workbook(path)
        evaluation = evaluation_of(loaded)[0]
        profile_ = load_profile(evaluation.profile, evaluation.settings)
        results, lines = assess(evaluation, profile_)
        runs = {
            "calamine, every sheet": lambda: calamine(path),
            "calamine, sheets read": lambda: calamine(path, list(loaded.grids)),
            "safety open": lambda: open_package(path).close(),
            "load_workbook": lambda: load_workbook(path),
            "grid -> evaluation": lambda: evaluation_of(loaded),
            "scoring (assess)": lambda: assess(evaluation, profile_),
            "checks": lambda: run_checks(evaluation, profile_, results, lines),
        }
        for name, fn in runs.items():
            times.setdefault(name, []).append(timed(fn))
    means = {name: statistics.fmean(v) for name, v in times.items()}
    means["placement, formula scan, names"] = max(
        0.0, means["load_workbook"] - means["safety open"] - means["calamine, sheets read"])
    return means


def floor(paths: list[Path]) -> dict:
    """A lower bound for any reader-and-scorer written in Python, against the same yardstick.

    Per file: open the zip, read with calamine only the sheets the reader reads, and for
    each indicator row do the least that scoring needs: two numbers out of ``≥100`` and
    ``98``, a Decimal ratio and points rounded half up, the explanation text and a cell
    reference. No package checks, no placement, no model, no checks, no findings.
    Its ratio to the bare calamine read shows how much of the 1.5x goal is left for them.
    """
    import re
    import zipfile
    from decimal import ROUND_HALF_UP, Decimal

    from python_calamine import CalamineWorkbook

    from xlperf.layout import layout_for
    from xlperf.workbook.reader import load_workbook

    layout = layout_for("cz2020")
    table = layout.tables("indicators")[0]
    indicator_sheet = layout.sheet_of(table.name).name
    t_col, a_col, w_col = (table.column(key).col for key in ("target", "actual", "weight"))
    number = re.compile(r"[-+]?\d+(?:\.\d+)?")
    cent = Decimal("0.01")

    def calamine(path: Path) -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    def bare(path: Path, sheets: list[str]) -> int:
        zipfile.ZipFile(path).close()
        book = CalamineWorkbook.from_path(str(path))
        grids = [book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in sheets]
        scored = []
        for r, row in enumerate(grids[0]):
            target = row[t_col] if len(row) > w_col else None
            if not (isinstance(target, str) and target.startswith("≥")):
                continue
            t, a = Decimal(number.search(target)[0]), Decimal(number.search(str(row[a_col]))[0])
            w = Decimal(str(row[w_col] or 1))
            ratio = (a / t * 100).quantize(cent, ROUND_HALF_UP)
            points = min(w, w * a / t).quantize(cent, ROUND_HALF_UP)
            scored.append((ratio, points, f"{row[a_col]}÷{target}={ratio}%，得{points}分", f"E{r + 1}"))
        return len(scored)

    step = max(1, len(paths) // SAMPLE)
    sample = paths[::step][:SAMPLE]
    # the sheets the reader reads, the indicators' first
    sheets = {path: list(dict.fromkeys((indicator_sheet, *load_workbook(path).grids))) for path in sample}
    for path in sample[:3]:
        calamine(path), bare(path, sheets[path])
    times: dict[str, list[float]] = {"calamine": [], "floor": []}
    counted = 0
    for path in sample:
        start = time.perf_counter()
        calamine(path)
        middle = time.perf_counter()
        counted = bare(path, sheets[path])
        times["calamine"].append(middle - start)
        times["floor"].append(time.perf_counter() - middle)
    return {"indicators": counted, **{k: statistics.fmean(v) for k, v in times.items()}}


def print_stages(means: dict, review: float) -> None:
    print("  per stage, timed one at a time (mean ms; share of review_file):")
    for name in ("calamine, every sheet", "safety open", "calamine, sheets read", "placement, formula scan, names",
                 "grid -> evaluation", "scoring (assess)", "checks"):
        print(f"    {name:<32} {1000 * means[name]:7.2f}   {100 * means[name] / review:5.1f}%")


def profile(paths: list[Path]) -> None:
    """Where evaluate_file spends its time, by the functions that mark the layers."""
    from xlperf.sources import evaluate_file

    sample = paths[: min(len(paths), 50)]
    prof = cProfile.Profile()
    prof.enable()
    for path in sample:
        evaluate_file(path)
    prof.disable()
    stats = pstats.Stats(prof)
    marks = [
        ("xlperf/sources.py", "evaluate_file", "everything"),
        ("xlperf/workbook/reader.py", "read_workbook", "reader: read_workbook"),
        ("xlperf/workbook/reader.py", "load_workbook", "  load_workbook (package checks + calamine)"),
        ("xlperf/ooxml/package.py", "open_package", "    open_package (zip/XML safety checks)"),
        ("~", "<method 'get_sheet_by_name' of 'builtins.CalamineWorkbook' objects>", "    calamine get_sheet_by_name"),
        ("~", "<method 'to_python' of 'builtins.CalamineSheet' objects>", "    calamine to_python"),
        ("xlperf/workbook/reader.py", "evaluation_from_grid", "  evaluation_from_grid (grid -> model, cell locations)"),
        ("xlperf/scoring.py", "score", "scoring: score"),
        ("xlperf/values.py", "parse", "  values.parse (指标值 text)"),
        ("xlperf/checks.py", "run_checks", "  checks.run_checks"),
    ]
    print(f"\ncProfile of evaluate_file over {len(sample)} files (cumulative ms per file; profiling inflates all):")
    for file, func, label in marks:
        cumulative = sum(row[3] for (f, _line, fn), row in stats.stats.items() if fn == func and f.replace("\\", "/").endswith(file))
        print(f"  {label:<58} {1000 * cumulative / len(sample):7.2f}")
    print("\n  top functions by own time:")
    stats.sort_stats("tottime").print_stats(12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--distinct", type=int, default=None, help="build only K distinct workbooks and copy them")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        root, jobs, out = args.child
        child(root, int(jobs) or None, out)
        return

    from importlib.metadata import version

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, python-calamine {version('python-calamine')}")
    worst = 0.0
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="xlperf-bench-") as tmp:
            root = Path(tmp) / "自评表"
            start = time.perf_counter()
            paths = generate(root, n, args.distinct)
            built = time.perf_counter() - start
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            run = run_child(root, args.jobs)
            timing = per_file(paths, root)
            stage_means = stages(paths)
            bound = floor(paths)
        ratio = timing["review_file"] / timing["calamine"]
        worst = max(worst, ratio)
        cores = args.jobs or os.cpu_count()
        print(f"\nN = {n} workbooks, 60 indicators each (built in {built:.1f} s{f', {args.distinct} distinct' if args.distinct else ''}; "
              f"load average before the run {load:.2f})")
        print(f"  run_batch, {cores} workers: {run['review_s']:.2f} s wall ({1000 * run['review_s'] / n:.2f} ms/file, "
              f"{1000 * run['review_s'] * cores / n:.2f} ms/file/core); write_summary {run['summary_s']:.2f} s, "
              f"{run['summary_bytes'] / 1024:.0f} KiB; {run['findings']} findings, exit code {run['exit_code']}")
        print(f"  peak RSS: parent {run['parent_maxrss_kb'] / 1024:.1f} MiB ({run['parent_review_maxrss_kb'] / 1024:.1f} MiB "
              f"before write_summary), largest worker {run['worker_maxrss_kb'] / 1024:.1f} MiB")
        print(f"  one file at a time ({timing['sample']} files, mean / median ms):")
        for key in ("calamine", "read_workbook", "evaluate_file", "review_file"):
            print(f"    {key:<14} {1000 * timing[key]:7.2f} / {1000 * timing[key + '_median']:7.2f}")
        print(f"  review_file / calamine = {ratio:.1f}x (goal <= {GOAL_RATIO}x); read_workbook alone / calamine = "
              f"{timing['read_workbook'] / timing['calamine']:.1f}x; "
              f"batch overhead over evaluate_file = {100 * (timing['review_file'] / timing['evaluate_file'] - 1):.1f}%")
        print_stages(stage_means, timing["review_file"])
        print(f"  floor (calamine on the sheets read + the least scoring work for {bound['indicators']} indicators, "
              f"no checks): {1000 * bound['floor']:.2f} ms = {bound['floor'] / bound['calamine']:.2f}x calamine")
    if worst > GOAL_RATIO:
        with tempfile.TemporaryDirectory(prefix="xlperf-prof-") as tmp:
            paths = generate(Path(tmp) / "p", 50, None)
            profile(paths)


if __name__ == "__main__":
    main()
