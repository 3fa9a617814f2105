"""Where an evaluation comes from: a workbook or a JSON file, chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from xlperf.errors import XlperfError
from xlperf.model import Evaluation
from xlperf.results import Results

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_evaluation(path: Path) -> tuple[Evaluation, list]:
    """Read a workbook or JSON file; return the evaluation and the findings about the file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        from xlperf import jsonio

        return jsonio.load(path), []
    if suffix in WORKBOOK_SUFFIXES:
        from xlperf.stages.sheets import attach_stages
        from xlperf.workbook.reader import read_workbook

        evaluation, findings = read_workbook(path)
        attach_stages(evaluation, path)  # 申报/监控 sheets, if xlperf added them
        return evaluation, findings
    if suffix == ".xls":
        raise XlperfError("是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中另存为 .xlsx 后再试", path=str(path))
    raise XlperfError("不支持的文件类型，请给出 .xlsx、.xlsm 或 .json 文件", path=str(path))


def evaluate_file(path: Path) -> tuple[Evaluation, Results]:
    """Read and score a file; findings about the file itself come first."""
    from xlperf.scoring import score

    evaluation, file_findings = load_evaluation(path)
    results = score(evaluation)
    results.findings[:0] = file_findings
    return evaluation, results


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
