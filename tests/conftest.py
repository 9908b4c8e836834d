"""Shared fixtures. Real third-party data are read from ../shared/data/real when present."""

from pathlib import Path

import pytest

from analysis.paths import REAL_DATA


@pytest.fixture
def real_data() -> Path:
    """The folder of real third-party data beside the project, or skip with the reason."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data not present at {REAL_DATA} (set TRUCE_TIMELINE_SHARED or "
                    "place ../shared beside the project)")
    return REAL_DATA


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium under playwright, or skip saying what is missing (nothing is
    downloaded: .ci/run installs the Debian package)."""
    import shutil

    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("no chromium on PATH (Debian package 'chromium'); the test installs nothing")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()
