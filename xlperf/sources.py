"""Where an evaluation comes from: an xlperf workbook, a foreign 自评表 (recognised by its labels,
``xlperf.forms``) or a JSON file. JSON is told by its suffix, spreadsheets by their content."""

from __future__ import annotations

from pathlib import Path

from xlperf.errors import XlperfError
from xlperf.model import Evaluation
from xlperf.results import Results

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # what xlperf writes (and ``score`` writes back into)
FOREIGN_SUFFIXES = (".xls", ".ods", ".et")  # read-only: forms made by other programs
SHEET_SUFFIXES = WORKBOOK_SUFFIXES + FOREIGN_SUFFIXES


def read_source(path: Path, profile: str | None = None, table: int = 1):
    """Read a workbook (xlperf's or foreign) or JSON file: the evaluation, findings about the file, and
    how it was read (``xlperf.forms.identify.HowRead``; None for JSON)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        from xlperf import jsonio

        return jsonio.load(path), [], None
    if suffix in SHEET_SUFFIXES:
        from xlperf.forms.identify import read_any

        evaluation, findings, how = read_any(path, profile, table)
        evaluation.read_as = how
        if suffix in WORKBOOK_SUFFIXES and not how.foreign:
            from xlperf.stages.sheets import attach_stages

            attach_stages(evaluation, path)  # 申报/监控 sheets, if xlperf added them
        return evaluation, findings, how
    raise XlperfError("不支持的文件类型，请给出 .xlsx、.xlsm、.xls、.ods、.et 或 .json 文件", path=str(path))


def load_evaluation(path: Path) -> tuple[Evaluation, list]:
    """Read a workbook (xlperf's or foreign) or JSON file; return the evaluation and the findings about the file."""
    evaluation, findings, _how = read_source(path)
    return evaluation, findings


def evaluate_file(path: Path, profile: str | None = None):
    """Read and score a file; findings about the file itself come first."""
    evaluation, results, _how = evaluate_source(path, profile)
    return evaluation, results


def evaluate_source(path: Path, profile: str | None = None):
    """Read and score a file: the evaluation, the results (file findings first) and how it was read."""
    from xlperf.scoring import score

    evaluation, file_findings, how = read_source(path, profile)
    results = score(evaluation)
    results.findings[:0] = file_findings
    return evaluation, results, how


def write_scores(path: Path, evaluation: Evaluation, results: Results, output: Path | None = None) -> bool:
    """Write computed cells into the workbook (or a copy); False when nothing changed."""
    from xlperf.workbook.writer import write_results

    return write_results(path, evaluation, results, dst=output)


def score_workbook(path: Path, output: Path | None = None) -> tuple[Evaluation, Results, bool]:
    """Read, score and write back a workbook, reading the file once."""
    from xlperf.workbook.reader import load_workbook
    from xlperf.workbook.writer import write_results

    loaded = load_workbook(path, with_findings_sheet=True)
    evaluation, results = score_loaded(loaded)
    return evaluation, results, write_results(path, evaluation, results, dst=output, loaded=loaded)


def score_loaded(loaded) -> tuple[Evaluation, Results]:
    """Score a workbook already read into grids (from a file or from Excel); findings about the file first."""
    from xlperf.scoring import score
    from xlperf.workbook.reader import evaluation_of

    from xlperf.stages.sheets import attach_stages

    evaluation, file_findings = evaluation_of(loaded)
    attach_stages(evaluation, loaded.path)  # 申报/监控 sheets, if xlperf added them
    results = score(evaluation)
    results.findings[:0] = file_findings
    return evaluation, results
