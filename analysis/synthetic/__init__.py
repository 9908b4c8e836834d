"""Synthetic data for tests, calibration and benchmarks. Every table made here is labelled
``dataset="synthetic"`` (events) or documented as simulated; none of it is ever shipped as data.

Two kinds of tables are made here, all SYNTHETIC:

* :func:`simulate_daily_counts`: a daily count series for the calibration of the statistical
  tests (``benchmarks/calibration.py``).
* :func:`synthetic_events`, :func:`synthetic_aliases`, :func:`synthetic_truces` and
  :func:`synthetic_key_dates`: an ACLED-like event table of any size with the alias, truce and
  key-date tables that go with it, for the benchmarks (``benchmarks/run.py``) and tests.

The invented world
------------------
The countries (50, invented names), their first-level regions (8-12 each), places, and the 40
armed groups with their alias spellings are the same for every seed (built once from a fixed
seed), so truces, aliases and events made with different seeds fit together. The groups'
names follow the patterns of real group names (``Kataib ...``, ``Saraya ...``) and each has
transliteration variants, an English name and an abbreviation; none of them is a real group.
URLs point to ``https://example.org/synthetic/``.
"""

from analysis.synthetic.events import (
    ATTRIBUTION_SHARES,
    PRECISION_SHARES,
    synthetic_aliases,
    synthetic_events,
)
from analysis.synthetic.tables import simulate_daily_counts, synthetic_key_dates, synthetic_truces
from analysis.synthetic.world import EVENT_TYPES, SYNTHETIC_URL, TARGET_TYPES

__all__ = ["ATTRIBUTION_SHARES", "EVENT_TYPES", "PRECISION_SHARES", "SYNTHETIC_URL", "TARGET_TYPES",
           "simulate_daily_counts", "synthetic_aliases", "synthetic_events", "synthetic_key_dates",
           "synthetic_truces"]
