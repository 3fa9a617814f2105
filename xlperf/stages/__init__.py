"""One project across the year: 绩效目标申报 → 运行监控 → 自评.

Developer notes
---------------
The indicator tree and 指标值 are typed once, in ``Evaluation.indicators``; the
stages add what each later form adds, in ``Evaluation.stages`` (a
``StageData``, None for a plain 自评 file):

* ``declared`` — the targets as approved at 申报 (a snapshot taken when the
  workbook advances to 监控; empty while the file is still at 申报, where the
  indicators themselves are the declaration);
* ``monitoring`` — the mid-year 绩效运行监控表 (``Monitoring``): 1–7月执行数,
  全年预计执行数, per indicator 1–7月完成情况, 全年预计完成情况, 偏差原因 in
  five categories, 完成目标可能性, 纠偏措施;
* ``adjustments`` — 调整记录: a target or weight changed after approval.

Modules, one concept each (plain Python, no file code):

* ``model`` — the dataclasses above;
* ``rules`` — the ``[monitoring]`` table of a profile (light bands, month,
  tolerances), read and validated here so ``xlperf.profile`` stays as it is;
* ``lights`` — the traffic-light arithmetic (budget, indicator, project);
* ``monitoring`` — assess a 监控 form: lights plus findings on the form;
* ``targets`` — 申报 target-quality checks (what a reviewer of 绩效目标 flags);
* ``promises`` — 自评 checks where the year end contradicts the summer;
* ``advance`` — move an evaluation to the next stage, keeping every value;
* ``jsonio`` — the ``stage``/``declared``/``monitoring``/``adjustments`` keys of
  the evaluation JSON;
* ``sheets`` — the stage sheets of a workbook (defined in ``xlperf.layout.stages``):
  built, read, and the lights written;
* ``inplace`` — ``advance`` of a workbook: the new sheets added to the user's file
  (``xlperf.ooxml.graft``), nothing else changed.
"""

from __future__ import annotations

STAGES = ("申报", "监控", "自评")
DEFAULT_STAGE = "自评"


def stage_of(evaluation) -> str:
    """The stage an evaluation is at: 申报, 监控 or 自评 (files without stage data are 自评)."""
    stages = getattr(evaluation, "stages", None)
    return stages.stage if stages is not None else DEFAULT_STAGE
