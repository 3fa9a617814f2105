"""The outcome of a batch: one compact record per file, the findings spooled, the statistics."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xlperf.batch.narratives import Audits
from xlperf.batch.record import FileRecord, FindingRow, Project
from xlperf.batch.spool import FindingSpool
from xlperf.errors import XlperfError
from xlperf.profile import PROFILE_IDS, load_profile


@dataclass(frozen=True)
class Statistics:
    count: int
    mean_total: Decimal | None
    mean_rate: Decimal | None  # percent
    level1_means: dict[str, Decimal]


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _duplicates(records: list[FileRecord]) -> dict[str, tuple[str, ...]]:
    """rel → the other files with the same 单位, 项目名称 and 年度 (the same project submitted twice)."""
    groups: dict[tuple, list[str]] = {}
    for r in records:
        p = r.project
        if p is not None and p.name:
            key = (p.unit.strip(), "".join(p.name.split()), str(p.year or ""))
            groups.setdefault(key, []).append(r.rel)
    return {rel: tuple(o for o in rels if o != rel) for rels in groups.values() if len(rels) > 1 for rel in rels}


def _profile_order(profile_id: str) -> tuple[int, str]:
    return (PROFILE_IDS.index(profile_id) if profile_id in PROFILE_IDS else len(PROFILE_IDS), profile_id)


def _profile_names(profile_id: str) -> tuple[list[str], list[str]]:
    """The 一级 columns (预算执行率 first where scored) and the grade labels a profile defines."""
    try:
        profile = load_profile(profile_id)
    except XlperfError:
        return [], []
    level1 = (["预算执行率"] if profile.execution_weight > 0 else []) + [c.name for c in profile.categories]
    return level1, [g.label for g in profile.grades]


@dataclass
class BatchResult:
    """Every file reviewed, sorted by relative path; ``close()`` frees the findings spool."""

    root: Path
    records: list[FileRecord]
    reports_dir: Path | None = None
    spool: FindingSpool = field(default_factory=FindingSpool, repr=False)
    audits: Audits = field(default_factory=Audits)  # the 自评报告 found beside the workbooks (batch.narratives)

    def __post_init__(self) -> None:
        profiles = sorted({r.project.profile for r in self.projects}, key=_profile_order)
        level1: list[str] = []
        grades: list[str] = []
        for profile_id in profiles:
            names, labels = _profile_names(profile_id)
            level1 += [n for n in names if n not in level1]
            grades += [g for g in labels if g not in grades]
        for record in self.projects:  # 一级 names a profile does not know, in file order
            level1 += [n for n, _ in record.project.level1 if n not in level1]
            if record.project.grade not in grades:
                grades.append(record.project.grade)
        self.level1_columns: tuple[str, ...] = tuple(level1)
        self.duplicates: dict[str, tuple[str, ...]] = _duplicates(self.projects)
        self.grades: tuple[str, ...] = tuple(grades)

    @property
    def projects(self) -> list[FileRecord]:
        return [r for r in self.records if r.project is not None]

    @property
    def unreadable(self) -> list[tuple[str, str]]:
        """(file, reason) for every file that could not be read or whose report failed."""
        rows = []
        for r in self.records:
            if r.unfilled:
                rows.append((r.rel, r.unfilled))
            if r.failure:
                rows.append((r.rel, r.failure))
            if r.report_failure:
                rows.append((r.rel, r.report_failure))
        return rows + self.audits.unreadable

    @property
    def unfilled(self) -> list[str]:
        """Files that are blank templates (未填写)."""
        return [r.rel for r in self.records if r.unfilled]

    @property
    def skipped(self) -> list[tuple[str, str]]:
        return [(r.rel, r.skipped) for r in self.records if r.skipped]

    def findings(self) -> Iterator[tuple[str, FindingRow]]:
        """(file, finding) in file order, then in the order the checks gave them."""
        for record in self.records:
            if record.project is None and record.stage_row is None:
                continue
            for row in self.spool.get(record.rel):
                yield record.rel, row
        yield from self.audits.rows()  # then each report's audit findings, by paragraph

    def findings_of(self, rel: str) -> tuple[FindingRow, ...]:
        return self.spool.get(rel)

    def statistics(self) -> Statistics:
        rows: list[Project] = [r.project for r in self.projects]
        level1 = {}
        for name in self.level1_columns:
            level1[name] = _mean([p for row in rows for n, p in row.level1 if n == name])
        return Statistics(
            count=len(rows),
            mean_total=_mean([row.total for row in rows]),
            mean_rate=_mean([row.rate for row in rows if row.rate is not None]),
            level1_means={k: v for k, v in level1.items() if v is not None},
        )

    def grade_counts_by_profile(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """(profile, [(grade, 项目数)]) per profile present: one grade vocabulary per chart."""
        out = []
        for profile_id in sorted({r.project.profile for r in self.projects}, key=_profile_order):
            labels = _profile_names(profile_id)[1]
            mine = [r.project.grade for r in self.projects if r.project.profile == profile_id]
            labels = labels + [g for g in dict.fromkeys(mine) if g not in labels]
            out.append((profile_id, [(g, mine.count(g)) for g in labels]))
        return out

    def grade_counts(self) -> list[tuple[str, int]]:
        counts = {g: 0 for g in self.grades}
        for record in self.projects:
            counts[record.project.grade] += 1
        return list(counts.items())

    def band_counts(self) -> list[tuple[str, int]]:
        """Projects per 10-point band of 总分: 0–10, …, 90–100 (lower bound included, 100 in the last)."""
        counts = [0] * 10
        for record in self.projects:
            counts[min(max(int(record.project.total // 10), 0), 9)] += 1
        return [(f"{10 * i}–{10 * i + 10}", n) for i, n in enumerate(counts)]

    @property
    def latest_mtime(self) -> float:
        return max((r.mtime for r in self.records), default=0.0)

    @property
    def with_errors(self) -> int:
        return sum(1 for r in self.projects if r.project.errors)

    @property
    def exit_code(self) -> int:
        """0 when no file has errors; 1 when some file has error findings or could not be read."""
        return 1 if any(r.has_errors for r in self.records) or self.audits.has_errors else 0

    def close(self) -> None:
        self.spool.close()

    def __enter__(self) -> BatchResult:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
