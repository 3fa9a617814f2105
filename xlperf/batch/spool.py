"""Findings kept off the heap: a temporary file, read back file by file in order.

Thousands of files with dozens of findings each would otherwise sit in memory
until the summary is written; here memory holds only an offset per file.
"""

from __future__ import annotations

import pickle
import tempfile

from xlperf.batch.record import FindingRow

IN_MEMORY_LIMIT = 4 * 1024 * 1024  # small batches never touch the disk


class FindingSpool:
    """Append the findings of one file at a time; read them back by file."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_LIMIT)
        self._index: dict[str, tuple[int, int]] = {}
        self.count = 0  # findings put, all files

    def put(self, rel: str, findings: tuple[FindingRow, ...]) -> None:
        if not findings:
            return
        self.count += len(findings)
        data = pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL)
        offset = self._file.seek(0, 2)
        self._file.write(data)
        self._index[rel] = (offset, len(data))

    def get(self, rel: str) -> tuple[FindingRow, ...]:
        where = self._index.get(rel)
        if where is None:
            return ()
        self._file.seek(where[0])
        return pickle.loads(self._file.read(where[1]))

    def close(self) -> None:
        self._file.close()
