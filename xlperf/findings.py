"""Findings: what a check says about an evaluation, with where and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from xlperf.model import Location


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One problem: severity, a stable code, a location and a Chinese message."""

    severity: Severity
    code: str
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.severity.label} {self.location}：{self.message}"

    def at(self, location: Location) -> "Finding":
        return replace(self, location=location)

    def to_dict(self) -> dict:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "field": self.location.field,
            "sheet": self.location.sheet,
            "cell": self.location.cell,
            "location": str(self.location),
            "message": self.message,
        }


def error(code: str, location: Location, message: str) -> Finding:
    return Finding(Severity.ERROR, code, location, message)


def warning(code: str, location: Location, message: str) -> Finding:
    return Finding(Severity.WARNING, code, location, message)


def info(code: str, location: Location, message: str) -> Finding:
    return Finding(Severity.INFO, code, location, message)


def count(findings: list[Finding], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


class Counted:
    """Mixin for a result that holds ``findings``: how many errors and warnings it has."""

    findings: list[Finding]

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)
