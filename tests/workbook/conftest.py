"""Fixtures for the workbook tests; the helpers live in ``wbhelpers`` beside this file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# --import-mode=importlib puts no test folder on sys.path: make ``import wbhelpers`` work.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def soffice_profile(tmp_path_factory) -> Path:
    """A private LibreOffice profile, so a running LibreOffice does not swallow the job."""
    return tmp_path_factory.mktemp("lo_profile")
