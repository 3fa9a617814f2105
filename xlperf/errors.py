"""One exception per kind of failure; each carries a Chinese message for the user."""

from __future__ import annotations


class XlperfError(Exception):
    """Base: a failure the user can act on; ``str()`` is the Chinese message."""

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None):
        self.message = message
        self.path = path
        self.where = where
        super().__init__(self.__str__())

    def __str__(self) -> str:
        prefix = ""
        if self.path:
            prefix = f"{self.path}"
            if self.where:
                prefix += f"（{self.where}）"
            prefix += "："
        elif self.where:
            prefix = f"{self.where}："
        return prefix + self.message


class ProfileError(XlperfError):
    """A scoring profile file or a workbook override is invalid."""


class WorkbookError(XlperfError):
    """A file is not a workbook xlperf can read (damaged, foreign, encrypted, too large)."""


class FileLockedError(XlperfError):
    """The file is open in another program (Excel) and must not be written now."""


class TemplateError(XlperfError):
    """A report template is broken or unsafe."""


class DataError(XlperfError):
    """A JSON evaluation file does not follow the schema."""


class MissingDependency(XlperfError, ImportError):
    """An optional extra is not installed."""
