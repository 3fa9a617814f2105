"""xlperf: 项目支出绩效自评 — scoring, checks and the self-evaluation report."""

__version__ = "0.1.0"
