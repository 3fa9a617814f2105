"""An audit finding: which paragraphs, what disagrees, and the arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

from xlperf.findings import Severity


@dataclass(frozen=True)
class AuditFinding:
    severity: Severity
    code: str  # audit.ratio, audit.same, audit.sum, audit.score, audit.total, audit.grade, audit.rule, audit.unit, …
    paras: tuple[int, ...]  # 1-based paragraph numbers, the first is where the comment goes
    message: str  # Chinese: the figure, the other figure, the arithmetic
    quote: str = ""  # the figure's text as written at paras[0]

    def __str__(self) -> str:
        where = "、".join(f"第{p}段" for p in self.paras)
        return f"{self.severity.label} {where}：{self.message}"

    def to_dict(self) -> dict:
        return {"severity": self.severity.value, "code": self.code, "paragraphs": list(self.paras),
                "message": self.message, "quote": self.quote}
