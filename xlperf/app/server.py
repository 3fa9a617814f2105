"""The Flask application: pages, uploads, downloads and Chinese error pages.

Routes are thin: uploads go through ``uploads``, files live in the ``Workspace``,
numbers come from the library (``scorepage``, ``batchjob``, the builder,
``carryover``, ``report``). Any failure is a Chinese message on the page, never
a traceback; the server log keeps the details of unexpected ones.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from flask import (
    Flask,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from xlperf import __version__
from xlperf.app import batchjob
from xlperf.app.limits import DEFAULT, AppLimits, mib
from xlperf.app.uploads import (
    BATCH_SUFFIXES,
    INPUT_SUFFIXES,
    Budget,
    UploadError,
    extract_zip,
    save_upload,
    unique,
)
from xlperf.app.workspace import Workspace
from xlperf.errors import MissingDependency, XlperfError
from xlperf.ooxml.oserrors import os_reason

log = logging.getLogger("xlperf.app")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAGE_FORMS = {"自评": "绩效自评表", "申报": "绩效目标申报表", "监控": "绩效运行监控表"}  # stage → the blank form's name
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
HTTP_MESSAGES = {
    400: "请求不完整或格式有误，请返回重新操作",
    403: "拒绝访问：此页面只接受本机浏览器的请求",
    404: "找不到此页面或文件；结果只保留一段时间，请重新上传",
    405: "不支持此操作，请从页面上的按钮进入",
}


def create_app(*, limits: AppLimits = DEFAULT, jobs: int = 1, workspace: Workspace | None = None, loopback_only: bool = True) -> Flask:
    app = Flask("xlperf.app", static_folder=str(Path(__file__).with_name("static")), template_folder=str(Path(__file__).with_name("templates")))
    app.config.update(MAX_CONTENT_LENGTH=limits.max_request, MAX_FORM_MEMORY_SIZE=1 << 20, MAX_FORM_PARTS=limits.max_files + 20,
                      SEND_FILE_MAX_AGE_DEFAULT=0, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    space = workspace or Workspace(keep=limits.kept_results)
    app.extensions["xlperf_workspace"] = space

    @app.context_processor
    def _globals():
        return {"version": __version__, "max_file": mib(limits.max_file), "max_file_bytes": limits.max_file,
                "max_request_bytes": limits.max_request}

    @app.before_request
    def _only_this_pc():
        """Refuse requests for another host name (DNS rebinding) and posts from other sites."""
        if loopback_only and request.host.rsplit(":", 1)[0] not in LOOPBACK_NAMES:
            abort(403)
        origin = request.headers.get("Origin")
        if request.method == "POST" and origin and origin != "null" and origin.split("://", 1)[-1] != request.host:
            abort(403)

    # ------------------------------------------------------------------ errors
    @app.errorhandler(UploadError)
    @app.errorhandler(XlperfError)
    def _xlperf_error(exc: XlperfError):
        return _error_page(_message(exc), 400 if isinstance(exc, UploadError) else 422)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_exc):
        return _error_page(f"上传的文件合计超过 {mib(limits.max_request)}，文件过大，未处理；单个文件不能超过 {mib(limits.max_file)}", 413)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return _error_page(HTTP_MESSAGES.get(exc.code, "请求无法完成，请返回重新操作"), exc.code or 500)

    @app.errorhandler(OSError)
    def _os_error(exc: OSError):
        log.exception("file error")
        return _error_page(f"读写临时文件失败：{os_reason(exc)}", 500)

    @app.errorhandler(Exception)
    def _internal(exc: Exception):
        log.exception("unexpected error")
        return _error_page("程序内部错误，未能完成；请把文件和出错时间告诉管理员（详情见运行 xlperf app 的窗口）", 500)

    # ------------------------------------------------------------------ 评分与校验
    @app.get("/")
    def index():
        from xlperf.report.pdf import find_soffice

        return render_template("score.html", page="score", pdf=find_soffice() is not None)

    @app.post("/score")
    def score_post():
        from xlperf.app.scorepage import score_upload

        storage = _one_file()

        def work(job) -> None:
            job.data["outcome"] = score_upload(save_upload(storage, job.folder, limits, INPUT_SUFFIXES), job.folder)

        return _upload_job("score", work, "score_result")

    @app.get("/score/<token>")
    def score_result(token: str):
        from xlperf.app.scorepage import view
        from xlperf.report.pdf import find_soffice

        job = _job(token, "score")
        return render_template("score.html", page="score", result=view(job.data["outcome"]), token=token, pdf=find_soffice() is not None)

    @app.get("/score/<token>/workbook")
    def score_workbook_download(token: str):
        outcome = _job(token, "score").data["outcome"]
        if outcome.scored is None:
            abort(404)
        return send_file(outcome.scored, as_attachment=True, download_name=outcome.scored.name)

    @app.get("/score/<token>/results.json")
    def score_json(token: str):
        from xlperf.app.scorepage import results_json

        outcome = _job(token, "score").data["outcome"]
        response = jsonify(results_json(outcome))
        response.headers["Content-Disposition"] = _attachment(Path(outcome.source.name).stem + "_评分结果.json")
        return response

    @app.get("/score/<token>/report.<fmt>")
    def score_report(token: str, fmt: str):
        if fmt not in ("docx", "pdf"):
            abort(404)
        job = _job(token, "score")
        path = _report(job, fmt)
        return send_file(path, as_attachment=True, download_name=path.name)

    # ------------------------------------------------------------------ 新建
    @app.get("/new")
    def new_page():
        from xlperf.profile import PROFILE_IDS, load_profile

        profiles = [(pid, load_profile(pid).title) for pid in PROFILE_IDS]
        return render_template("new.html", page="new", profiles=profiles)

    @app.post("/new/blank")
    def new_blank():
        from xlperf.profile import PROFILE_IDS

        from xlperf.stages.advance import at_stage

        profile_id = request.form.get("profile", "cz2020")
        if profile_id not in PROFILE_IDS:
            raise UploadError(f"没有评分方案“{profile_id}”，请从列表中选择")
        stage = request.form.get("stage") or "自评"
        if stage not in STAGE_FORMS:
            raise UploadError(f"没有“{stage}”阶段，请从列表中选择")
        evaluation = None if stage == "自评" else at_stage(None, stage, profile_id)
        return _xlsx(_build(profile_id, evaluation), f"{STAGE_FORMS[stage]}_{profile_id}.xlsx")

    @app.post("/new/advance")
    def new_advance():
        """The page's ``xlperf advance``: the next stage's sheets added to a copy of the uploaded workbook."""
        from xlperf.stages.inplace import advance_workbook

        storage = _one_file()
        to = request.form.get("to", "")
        if to not in ("监控", "自评"):
            raise UploadError("请选择要转到的阶段：监控或自评")
        job = space.new_job("new")
        try:
            source = save_upload(storage, job.folder, limits, BATCH_SUFFIXES)
            out = job.folder / "advanced" / source.name
            out.parent.mkdir()
            advance_workbook(source, to, out)
            data = out.read_bytes()
        finally:
            space.drop(job)
        mimetype = XLSX_TYPE if source.suffix.lower() == ".xlsx" else "application/vnd.ms-excel.sheet.macroEnabled.12"
        return send_file(io.BytesIO(data), as_attachment=True, download_name=source.name, mimetype=mimetype)

    @app.post("/new/next-year")
    def new_next_year():
        from xlperf.carryover import next_year
        from xlperf.lines import text
        from xlperf.report import safe_filename
        from xlperf.sources import load_evaluation

        storage = _one_file()
        job = space.new_job("new")
        try:
            source = save_upload(storage, job.folder, limits, INPUT_SUFFIXES)
            evaluation = next_year(load_evaluation(source)[0])
            data = _build(evaluation.profile, evaluation)
        finally:
            space.drop(job)
        name = text(evaluation.project.name) or "绩效自评表"
        year = text(evaluation.project.year)
        return _xlsx(data, safe_filename(f"{name}_{year}年度绩效自评表" if year else f"{name}_下年度绩效自评表") + ".xlsx")

    # ------------------------------------------------------------------ 批量评审
    @app.get("/batch")
    def batch_page():
        return render_template("batch.html", page="batch")

    @app.post("/batch")
    def batch_post():
        files = [f for f in request.files.getlist("files") if f and f.filename]
        if not files:
            raise UploadError("请先选择要评审的工作簿或 .zip 压缩包")
        reports = request.form.get("reports") == "1"

        def work(job) -> None:
            inputs = job.folder / "input"
            inputs.mkdir()
            notes = _save_batch(files, inputs)
            if not any(p.suffix.lower() in BATCH_SUFFIXES for p in inputs.rglob("*")):
                raise UploadError("上传的文件（含压缩包内）中没有 .xlsx 或 .xlsm 工作簿" + (f"：{'；'.join(notes)}" if notes else ""))
            job.data["state"] = batchjob.start(job.folder, inputs, reports=reports, jobs=jobs, upload_notes=notes)

        return _upload_job("batch", work, "batch_result")

    @app.get("/batch/<token>")
    def batch_result(token: str):
        state = _job(token, "batch").data["state"]
        return render_template("batch.html", page="batch", token=token, state=state.as_dict(), result=state.view or None)

    @app.get("/batch/<token>/status")
    def batch_status(token: str):
        return jsonify(_job(token, "batch").data["state"].as_dict())

    @app.get("/batch/<token>/<any('summary.xlsx', 'reports.zip'):what>")
    def batch_download(token: str, what: str):
        job = _job(token, "batch")
        if job.data["state"].status != "done":
            abort(404)
        name = batchjob.SUMMARY_NAME if what == "summary.xlsx" else batchjob.REPORTS_ZIP
        path = job.folder / name
        if not path.is_file():
            abort(404)
        return send_file(path, as_attachment=True, download_name=name)

    # ------------------------------------------------------------------ helpers
    def _job(token: str, kind: str):
        job = space.get(token, kind)
        if job is None:
            abort(404)
        return job

    def _upload_job(kind: str, work, result_view: str):
        """The one upload handler: a new job folder, ``work(job)`` saves and processes the upload;
        on any failure the folder is dropped (nothing half-made is kept), else the result page."""
        job = space.new_job(kind)
        try:
            work(job)
        except BaseException:
            space.drop(job)
            raise
        return redirect(url_for(result_view, token=job.token), 303)

    def _one_file():
        storage = request.files.get("file")
        if storage is None or not storage.filename:
            raise UploadError("请先选择要上传的文件")
        return storage

    def _save_batch(files, inputs: Path) -> list[str]:
        budget = Budget(limits)
        notes: list[str] = []
        for storage in files:
            try:
                path = save_upload(storage, inputs, limits, BATCH_SUFFIXES + (".zip",))
            except UploadError as exc:
                notes.append(exc.message)
                continue
            if path.suffix.lower() == ".zip":
                folder = unique(inputs, path.stem)
                folder.mkdir()
                try:
                    notes += extract_zip(path, folder, budget)
                finally:
                    path.unlink(missing_ok=True)
            else:
                budget.take_file()
        return notes

    def _report(job, fmt: str) -> Path:
        from xlperf.report import convert_to_pdf, default_output, write_report

        from xlperf.app.stagepage import StageOutcome, stage_report

        outcome = job.data["outcome"]
        folder = job.folder / "report"
        folder.mkdir(exist_ok=True)
        staged = isinstance(outcome, StageOutcome)
        docx = None if staged else default_output(outcome.evaluation, folder / "x", "docx")
        with job_lock(job):
            if staged:
                docx = stage_report(outcome, folder)  # the 监控报告
            elif not docx.is_file():
                write_report(outcome.evaluation, outcome.results, docx)
            if fmt == "docx":
                return docx
            pdf = docx.with_suffix(".pdf")
            if not pdf.is_file():
                try:
                    convert_to_pdf(docx, pdf)
                except MissingDependency:
                    raise XlperfError("本机没有安装 LibreOffice，无法生成 PDF；请下载 Word 格式的报告，或安装 LibreOffice 后重试") from None
            return pdf

    def _error_page(message: str, status: int):
        if request.accept_mimetypes.best == "application/json" or request.path.endswith("/status"):
            return jsonify({"error": message}), status
        return render_template("error.html", page="", message=message), status

    return app


def _build(profile_id: str, evaluation) -> bytes:
    from xlperf.stages.sheets import add_stage_sheets
    from xlperf.workbook.builder import build_workbook

    buffer = io.BytesIO()
    extra = add_stage_sheets(evaluation) if evaluation is not None and evaluation.stages is not None else None
    build_workbook(profile_id, evaluation, buffer, extra=extra)
    return buffer.getvalue()


def _xlsx(data: bytes, name: str):
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=XLSX_TYPE)


def _message(exc: XlperfError) -> str:
    """The library's message without the server's temporary path: the file's own name instead."""
    if exc.path:
        name = Path(exc.path).name
        return f"{name}{f'（{exc.where}）' if exc.where else ''}：{exc.message}"
    return str(exc)


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"


def job_lock(job):
    import threading

    return job.data.setdefault("lock", threading.Lock())
