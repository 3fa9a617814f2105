"""A private temporary folder per server, one sub-folder per upload, removed afterwards.

Each upload gets a random token; its folder holds the uploaded file and what the
page offers for download. The oldest results are removed once more than
``keep`` are held, and everything goes when the server stops.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@dataclass
class Job:
    token: str
    folder: Path
    kind: str  # score | batch | new
    data: dict[str, Any] = field(default_factory=dict)


class Workspace:
    def __init__(self, keep: int = 40, parent: str | None = None):
        self.root = Path(tempfile.mkdtemp(prefix="xlperf-app-", dir=parent))  # mode 0700
        self.keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def new_job(self, kind: str) -> Job:
        token = secrets.token_urlsafe(12)
        folder = self.root / token
        folder.mkdir()
        job = Job(token, folder, kind)
        with self._lock:
            self._jobs[token] = job
            old = [self._jobs.popitem(last=False)[1] for _ in range(max(0, len(self._jobs) - self.keep))]
        for stale in old:
            shutil.rmtree(stale.folder, ignore_errors=True)
        return job

    def get(self, token: str, kind: str) -> Job | None:
        if not token or not set(token) <= _TOKEN_CHARS:
            return None
        with self._lock:
            job = self._jobs.get(token)
        return job if job is not None and job.kind == kind else None

    def drop(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop(job.token, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            self._jobs.clear()
        shutil.rmtree(self.root, ignore_errors=True)
