"""Bauer's Iraq SIGACT table (declassified CENTCOM reports): columns ``time, event_type,
target, city``.

The source has no ids: ``event_id`` is ``SIGACT-<row>`` (the row number in the file).
``time`` keeps the time of day; ``date`` is its day. Other columns pass through. Rows that repeat the PDF's table header
(``Attack Type``, ``Target``, ``City``) are set aside, listed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.dates import DateRules
from analysis.io.format import Format, Mapped, rest
from analysis.schema import EVENT_COLUMNS

HEADER_LABELS = {"time": "Date/Time", "event_type": "Attack Type", "target": "Target",
                 "city": "City"}


def to_events(raw: pd.DataFrame, rows: np.ndarray) -> Mapped:
    """SIGACT records as the canonical event table (``rows``: each row's line in the file)."""
    table = pd.DataFrame({
        "event_id": "SIGACT-" + pd.Series(rows, index=raw.index).astype("str").str.zfill(6),
        "date": raw["time"],
        "country": "Iraq",
        "country_iso3": "IRQ",
        "location": raw["city"],
        "target": raw["target"],
        "event_type": raw["event_type"],
        "source": "CENTCOM SIGACT reports (declassified), compiled by V. Bauer",
        "dataset": "iraq_sigacts",
    }, index=raw.index)
    extra, notes = rest(raw, {"event_type", "target", "city"}, set(EVENT_COLUMNS))
    return Mapped(pd.concat([table, extra], axis=1), rows, notes=notes)


FORMAT = Format(
    name="sigacts",
    title="Iraq SIGACT table",
    columns=("time", "event_type", "target", "city"),
    required=("time", "event_type", "target", "city"),
    to_events=to_events,
    header_labels=HEADER_LABELS,
    dates=DateRules(dayfirst=None, partial=False),
)
