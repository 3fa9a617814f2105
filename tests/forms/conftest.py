"""Fixtures for the foreign-form tests; the builders live in ``foreign`` beside this file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workbook"))


@pytest.fixture(scope="session")
def soffice_profile(tmp_path_factory) -> Path:
    """A private LibreOffice profile, so a running LibreOffice does not swallow the job."""
    return tmp_path_factory.mktemp("lo_profile")
