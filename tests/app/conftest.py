"""Fixtures for the local page: one real server per test module, one headless Chromium."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# --import-mode=importlib puts no test folder on sys.path: make ``import apphelpers`` work.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import apphelpers


@pytest.fixture(scope="module")
def server():
    srv = apphelpers.start_server()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    why = apphelpers.browser_available()
    if why:
        if os.environ.get("CI"):  # .ci/run installs them: missing there is a failure, not a skip
            pytest.fail(why)
        pytest.skip(why)
    base = tmp_path_factory.mktemp("chromium")
    downloads = base / "downloads"
    downloads.mkdir()
    driver = apphelpers.start_browser(base / "profile", downloads)
    driver.downloads = downloads
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the browser tests save their screenshots: XLPERF_SCREENSHOTS (docs/images/app) or a temp folder."""
    folder = os.environ.get("XLPERF_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
