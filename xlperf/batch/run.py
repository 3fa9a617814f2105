"""Run a batch: find the workbooks, review them in worker processes, collect compact records.

Files go to the workers in chunks (one pickled round trip per chunk, not per
file) and come back as small ``FileRecord``s; only a few chunks are in flight at
a time. Results are put back in sorted file order at the end, so the output does
not depend on which worker finished first or on ``jobs``. A worker that dies
(a crash inside a reader) costs only its chunk, whose files are then retried
one by one in a fresh process to find the one to blame.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from xlperf.batch.discover import discover, natural_key
from xlperf.batch.narratives import Audits, audit_reports, find_reports
from xlperf.batch.record import FileRecord
from xlperf.batch.result import BatchResult
from xlperf.batch.reports import finalise_reports
from xlperf.batch.review import init_worker, reason_of, review_chunk
from xlperf.batch.spool import FindingSpool
from xlperf.errors import XlperfError

MAX_WORKERS = 61 if os.name == "nt" else 256  # Windows cannot wait on more processes
MAX_CHUNK = 16  # files per worker call
CHUNKS_PER_WORKER = 4  # aim for at least this many chunks per worker, for balance
IN_FLIGHT_PER_WORKER = 2  # chunks submitted ahead per worker
CRASH_REASON = "程序内部错误：读取此文件时工作进程意外退出（文件可能已损坏，或内存不足）"

ProgressFn = Callable[[int, int], None]


def cores() -> int:
    """The cores this process may use (os.cpu_count(), narrowed by CPU affinity where the OS has it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def chunk_size(files: int, workers: int) -> int:
    return max(1, min(MAX_CHUNK, math.ceil(files / (workers * CHUNKS_PER_WORKER))))


def _chunks(rels: list[str], size: int) -> list[list[str]]:
    return [rels[i : i + size] for i in range(0, len(rels), size)]


def _warm_up(reports: bool) -> None:
    """Import the reader (and report writer) before forking, so workers start warm."""
    import xlperf.checks  # noqa: F401
    from xlperf.profile import PROFILE_IDS, load_profile

    for profile_id in PROFILE_IDS:
        load_profile(profile_id)
    try:
        import python_calamine  # noqa: F401  (imported by the reader on first use; here once, before forking)

        import xlperf.ooxml.package  # noqa: F401
        import xlperf.workbook.reader  # noqa: F401
    except ImportError:
        pass  # reported per file by evaluate_file
    if reports:  # a missing report layer stops the batch before it starts
        try:
            from xlperf.report import write_report  # noqa: F401
        except XlperfError:
            raise
        except ImportError as exc:
            raise XlperfError(f"无法生成自评报告：报告模块不可用（{exc}）；请重新安装 xlperf") from None


def _in_process(root: Path, rels: list[str], reports_dir: str | None) -> Iterator[list[FileRecord]]:
    for rel in rels:
        yield review_chunk(str(root), [rel], reports_dir)


def _isolated(root: Path, rel: str, reports_dir: str | None) -> FileRecord:
    """Review one file in a process of its own; a crash there is blamed on this file."""
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=init_worker) as pool:
            return pool.submit(review_chunk, str(root), [rel], reports_dir).result()[0]
    except BrokenProcessPool:
        return FileRecord(rel, failure=CRASH_REASON)
    except Exception as exc:
        return FileRecord(rel, failure=reason_of(exc))


def _in_pool(root: Path, rels: list[str], reports_dir: str | None, workers: int) -> Iterator[list[FileRecord]]:
    pending = deque(_chunks(rels, chunk_size(len(rels), workers)))
    suspects: list[str] = []
    while pending:
        with ProcessPoolExecutor(max_workers=workers, initializer=init_worker) as pool:
            in_flight: dict[Future, list[str]] = {}
            broken = False
            try:
                while pending or in_flight:
                    while pending and not broken and len(in_flight) < workers * IN_FLIGHT_PER_WORKER:
                        chunk = pending.popleft()
                        in_flight[pool.submit(review_chunk, str(root), chunk, reports_dir)] = chunk
                    if not in_flight:
                        break
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        chunk = in_flight.pop(future)
                        try:
                            records = future.result()
                        except BrokenProcessPool:
                            broken = True
                            suspects.extend(chunk)
                            continue
                        except Exception:  # e.g. a result that would not unpickle
                            suspects.extend(chunk)
                            continue
                        yield records
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    for rel in suspects:
        yield [_isolated(root, rel, reports_dir)]


def review_all(
    root: Path, rels: list[str], *, jobs: int | None = None, reports_dir: Path | None = None
) -> Iterator[list[FileRecord]]:
    """Review ``rels`` under ``root``, yielding records in batches as they finish (any order)."""
    workers = max(1, min(jobs or cores(), len(rels), MAX_WORKERS))
    reports = str(reports_dir) if reports_dir is not None else None
    _warm_up(reports is not None)
    if workers == 1:
        return _in_process(root, rels, reports)
    return _in_pool(root, rels, reports, workers)


def run_batch(
    root: Path,
    *,
    jobs: int | None = None,
    reports_dir: Path | None = None,
    progress: ProgressFn | None = None,
    exclude: Iterable[Path] = (),
    audit: bool = True,
) -> BatchResult:
    """Review every xlperf workbook under ``root``; the originals are only read.

    ``jobs``: worker processes (default: all cores; 1 runs in this process).
    ``reports_dir``: also write each project's Word report there, mirroring the folders.
    ``progress``: called as ``progress(done, total)``. ``exclude``: files or folders
    to leave out (the summary being written). ``audit``: also audit the 自评报告 found beside
    the workbooks (``batch.narratives``).
    Raises ``XlperfError`` when the folder is missing or holds no workbook.
    """
    root = Path(root)
    if not root.exists():
        raise XlperfError("文件夹不存在，请检查路径", path=str(root))
    if not root.is_dir():
        raise XlperfError("不是文件夹；批量评审请给出存放工作簿的文件夹", path=str(root))
    if jobs is not None and jobs < 1:
        raise XlperfError(f"并行进程数 {jobs} 无效，请填写 1 或更大的整数")
    reports = Path(reports_dir).absolute() if reports_dir is not None else None
    found = discover(root, [*exclude, *([reports] if reports else [])])
    rels = found.files
    if not rels and not found.problems and not (audit and find_reports(root, [*exclude, *([reports] if reports else [])])):
        raise XlperfError("文件夹（含子文件夹）中没有找到 .xlsx、.xlsm、.xls、.ods 或 .et 表格文件", path=str(root))
    if reports is not None:
        reports.mkdir(parents=True, exist_ok=True)

    total = len(rels)
    done = 0
    if progress:
        progress(0, total)
    spool = FindingSpool()
    records: list[FileRecord] = [FileRecord(rel, failure=reason) for rel, reason in found.problems]
    for record in records:
        spool.put(record.rel, ())
    try:
        for batch in ([] if not rels else review_all(root.absolute(), rels, jobs=jobs, reports_dir=reports)):
            for record in batch:
                spool.put(record.rel, record.findings)
                record.findings = ()
                records.append(record)
            done += len(batch)
            if progress:
                progress(done, total)
    except BaseException:
        spool.close()
        raise
    records.sort(key=lambda r: natural_key(r.rel))
    if reports is not None:
        finalise_reports(records, reports)
    audits = Audits(audit_reports(root, records, [*exclude, *([reports] if reports else [])]) if audit else [])
    return BatchResult(root=root, records=records, reports_dir=reports, spool=spool, audits=audits)
