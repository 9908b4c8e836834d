"""Every path the project uses, in one place (the library never hard-codes a path elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
#: reference tables the library ships (country vocabulary ...), inside the package
REFERENCE = Path(__file__).resolve().parent / "reference"
DATA = PROJECT_ROOT / "data"  # one folder per story (see analysis/story.py)
FIGURES = PROJECT_ROOT / "figures"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
BUILD = PROJECT_ROOT / "build"

#: the seed story (Iraq 2019-2021) and its curated tables (see data/iraq_2019_2021/README.md):
#: the CLI's defaults when no file is given
SEED_STORY = "iraq_2019_2021"
INCIDENTS = DATA / SEED_STORY / "incidents.csv"
TRUCES = DATA / SEED_STORY / "truces.csv"
KEY_DATES = DATA / SEED_STORY / "key_dates.csv"
ACTOR_ALIASES = DATA / SEED_STORY / "actor_aliases.csv"

#: third-party real data beside the project (never copied into it); may be absent.
#: Override with the TRUCE_TIMELINE_SHARED environment variable.
SHARED = Path(os.environ.get("TRUCE_TIMELINE_SHARED", PROJECT_ROOT.parent / "shared"))
REAL_DATA = SHARED / "data" / "real"
