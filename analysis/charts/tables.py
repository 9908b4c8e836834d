"""Chart-ready views of the tables: the period to draw, rows by category, violation status,
the spacing of a count series. Shared by the static and interactive charts and the exports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.charts.annotate import require_columns
from analysis.schema import DataError

NO_CATEGORY = "not recorded"

def date_window(
    dates: pd.Series,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The period to draw: ``start``/``end`` as given, else the dates' range padded by 2 %
    (at least 7 days). None when there is nothing to place on a time axis."""
    dates = pd.to_datetime(dates)
    lo = pd.Timestamp(start) if start is not None else dates.min()
    hi = pd.Timestamp(end) if end is not None else dates.max()
    if pd.isna(lo) or pd.isna(hi):
        return None
    if hi < lo:
        raise ValueError(f"end ({hi:%Y-%m-%d}) is before start ({lo:%Y-%m-%d})")
    pad = pd.Timedelta(days=max(7.0, (hi - lo).days * 0.02))
    return (lo if start is not None else lo - pad, hi if end is not None else hi + pad)



def events_in_window(events: pd.DataFrame,
                     window: tuple[pd.Timestamp, pd.Timestamp] | None) -> pd.DataFrame:
    """The events dated inside ``window`` (all of them when it is None and they are none)."""
    if events["date"].isna().any():
        rows = np.flatnonzero(events["date"].isna().to_numpy())
        raise DataError("events without a date cannot be placed on a timeline",
                        source="charts", column="date", rows=rows[:10],
                        expected="validated events (analysis.schema.validate_events)")
    if window is None:
        return events.iloc[0:0]
    dates = pd.to_datetime(events["date"])
    return events[dates.between(*window)]



def category_rows(events: pd.DataFrame, category: str | None) -> tuple[pd.Series, list[str]]:
    """Row label for each event and the rows from top to bottom (most events first, ties
    alphabetical). ``logistics_convoy`` is shown as ``Logistics convoy``."""
    if category is None:
        labels = pd.Series("Events", index=events.index, dtype=object)
    else:
        require_columns(events, [category], who="plot_timeline",
                        what=f"an event table with the category column {category!r}")
        labels = pretty_labels(events[category])
    counts = labels.value_counts()
    order = sorted(counts.index, key=lambda c: (-counts[c], c))
    return labels, order



def pretty_labels(values: pd.Series) -> pd.Series:
    """Category codes as readers see them: ``logistics_convoy`` -> ``Logistics convoy``;
    blank -> ``Not recorded``."""
    raw = values.astype(object).where(values.notna(), NO_CATEGORY)
    text = raw.astype(str).str.replace("_", " ", regex=False)
    return (text.str[:1].str.upper() + text.str[1:]).astype(object)


def violation_status(events: pd.DataFrame, flagged: pd.DataFrame | None) -> pd.Series:
    """``counted`` / ``suspected`` / ``none`` for each event (``none`` without ``flagged``).

    Counted = has a ``violation_day`` for some truce; suspected = ``is_violation`` without
    a number (the tiers not counted).
    """
    if flagged is None:
        return pd.Series("none", index=events.index, dtype=object)
    require_columns(flagged, ["event_id", "is_violation", "violation_day"],
                    who="violation markers", what="the output of flag_violations")
    numbered = flagged["violation_day"].notna()
    violation = flagged["is_violation"].fillna(False).astype(bool)
    counted = events["event_id"].isin(flagged.loc[numbered, "event_id"])
    suspected = events["event_id"].isin(flagged.loc[violation & ~numbered, "event_id"])
    status = np.select([counted.to_numpy(), suspected.to_numpy()], ["counted", "suspected"],
                       "none")
    return pd.Series(status, index=events.index, dtype=object)



def period_days(dates: pd.Series) -> int:
    """The spacing of a count series in days: 1, 7 or 30 (months)."""
    d = pd.to_datetime(pd.Series(dates)).drop_duplicates().sort_values()
    if len(d) < 2:
        return 1
    gap = float(d.diff().dt.days.median())
    return 1 if gap < 4 else 7 if gap < 20 else 30



def rolling_window(dates: pd.Series, rolling: int | None) -> int:
    """Rolling-mean window in periods: ``rolling`` if given, else 7 days / 4 weeks / 3 months."""
    if rolling is not None:
        if rolling < 0:
            raise ValueError(f"rolling must be 0 (no line) or a positive window, not {rolling}")
        return int(rolling)
    return {1: 7, 7: 4}.get(period_days(dates), 3)

