"""The project's own incident log (CSV, Excel or Parquet): the canonical columns themselves.

The format is documented in ``data/iraq_2019_2021/README.md``: required columns ``event_id`` and ``date``
(ISO ``YYYY-MM-DD``, ``YYYY-MM`` for month precision, or any form of :mod:`analysis.dates`),
the other canonical columns optional, extra columns passed through. Common other names for a
column are read as it (:data:`ALIASES`), with a note.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.dates import DateRules
from analysis.io.format import Format, Mapped
from analysis.schema import CATEGORY_COLUMNS, EVENT_COLUMNS, PARSED_COLUMNS

#: columns too varied to read as dictionaries (nearly one value per row)
COORDINATES = ("latitude", "longitude")
#: other names for the canonical columns (normalised) -> the canonical name
ALIASES = {
    "fatalities": "killed", "deaths": "killed", "dead": "killed", "injured": "wounded",
    "lat": "latitude", "lon": "longitude", "lng": "longitude", "long": "longitude",
    "url": "source_url", "link": "source_url", "iso3": "country_iso3",
}


def to_events(raw: pd.DataFrame, rows: np.ndarray) -> Mapped:
    """The incident log is written in the canonical columns already: taken as it is."""
    return Mapped(raw, rows)


FORMAT = Format(
    name="incidents",
    title="incident log",
    columns=tuple(EVENT_COLUMNS),
    required=("event_id", "date"),
    to_events=to_events,
    aliases=ALIASES,
    dates=DateRules(dayfirst=None, partial=True),
    # dates, counts and the repeated text come as dictionaries: few distinct values (the
    # days of a decade), parsed and checked once each; coordinates are too varied
    repeated=tuple(c for c in CATEGORY_COLUMNS + PARSED_COLUMNS if c not in COORDINATES),
    parsed=PARSED_COLUMNS,
    numbers=COORDINATES,
)
