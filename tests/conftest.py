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
