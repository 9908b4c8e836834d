"""Chart-ready views of the tables: the period to draw, rows by category, violation status,
the spacing of a count series, the counts in wide form, the labels of truces and key dates.

One source of the numbers and labels that the static (matplotlib) and interactive (plotly)
charts draw, and the exports write: each renderer takes these frames and only draws them.
Nothing here draws or imports a renderer.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from analysis.charts.escape import first_non_blank
from analysis.charts.style import shorten
from analysis.schema import DataError, require_columns

NO_CATEGORY = "not recorded"
#: the period a chart draws, as (first, last) timestamps; None: nothing to place in time
Window = tuple[pd.Timestamp, pd.Timestamp] | None
#: the most violation days a timeline numbers (beyond, numbers would cover the marks)
MAX_NUMBERED = 20
#: the unit word of a count series, by its spacing in days (:func:`period_days`)
PERIOD_UNITS = {1: "day", 7: "week", 30: "month"}


class TrendLike(Protocol):
    """What :func:`analysis.charts.plot_trend_model` needs (``analysis.stats.TrendResult``
    has it)."""

    fitted: pd.DataFrame
    interruptions: pd.DataFrame


class SurvivalLike(Protocol):
    """What :func:`analysis.charts.plot_truce_durability` takes as its ``curve``
    (``analysis.truce_reports.SurvivalCurve`` has it)."""

    curve: pd.DataFrame


def date_window(
    dates: pd.Series,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> Window:
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


def events_in_window(events: pd.DataFrame, window: Window) -> pd.DataFrame:
    """The events dated inside ``window`` (all of them when it is None and they are none)."""
    if events["date"].isna().any():
        rows = np.flatnonzero(events["date"].isna().to_numpy())
        raise DataError("events without a date cannot be placed on a timeline",
                        source="charts", column="date", rows=rows[:10].tolist(),
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
        require_columns(events, [category], source="plot_timeline",
                        expected=f"an event table with the category column {category!r}")
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
                    source="violation markers", expected="the output of flag_violations")
    numbered = flagged["violation_day"].notna()
    violation = flagged["is_violation"].fillna(False).astype(bool)
    counted = events["event_id"].isin(flagged.loc[numbered, "event_id"])
    suspected = events["event_id"].isin(flagged.loc[violation & ~numbered, "event_id"])
    status = np.select([counted.to_numpy(), suspected.to_numpy()], ["counted", "suspected"],
                       "none")
    return pd.Series(status, index=events.index, dtype=object)


def violation_days(events: pd.DataFrame, flagged: pd.DataFrame) -> pd.Series:
    """The violation day of each event (its lowest, if it broke several truces).

    Parameters
    ----------
    events : pandas.DataFrame
        Requires ``event_id``.
    flagged : pandas.DataFrame
        The output of :func:`analysis.truces.flag_violations`; requires ``event_id`` and
        ``violation_day`` (blank for events that are not counted violations).

    Returns
    -------
    pandas.Series
        Aligned with ``events``: the violation day (a float), NaN for events that are not
        counted violations.

    Examples
    --------
    >>> flagged = pd.DataFrame({"event_id": ["a", "b", "b"], "violation_day": [None, 3, 2]})
    >>> violation_days(pd.DataFrame({"event_id": ["a", "b", "c"]}), flagged).tolist()
    [nan, 2.0, nan]
    """
    day = (flagged.loc[flagged["violation_day"].notna()].sort_values("violation_day")
           .drop_duplicates("event_id").set_index("event_id")["violation_day"])
    return events["event_id"].map(day)


def first_violations(rows: pd.DataFrame, flagged: pd.DataFrame) -> pd.DataFrame:
    """The first event of each violation day of each truce: where its number goes.

    Parameters
    ----------
    rows : pandas.DataFrame
        The events as drawn: ``event_id, date, row`` (``row``: where the renderer draws
        the event, a position or a category label).
    flagged : pandas.DataFrame
        The output of :func:`analysis.truces.flag_violations`; requires ``event_id,
        truce_id, violation_day``.

    Returns
    -------
    pandas.DataFrame
        A new table ``event_id, truce_id, violation_day, date, row``: one row per truce and
        violation day (its earliest event, ties by ``event_id``), sorted by date (ties by
        truce, violation day and event). More than :data:`MAX_NUMBERED` rows: too many to
        number.

    Examples
    --------
    >>> rows = pd.DataFrame({"event_id": ["a", "b", "c"], "row": [0, 1, 0],
    ...                      "date": pd.to_datetime(["2020-01-03", "2020-01-02", "2020-01-05"])})
    >>> flagged = pd.DataFrame({"event_id": ["a", "b", "c"], "truce_id": "T",
    ...                         "violation_day": [1, 1, 2]})
    >>> first_violations(rows, flagged)[["event_id", "violation_day", "row"]].values.tolist()
    [['b', 1, 1], ['c', 2, 0]]
    """
    counted = flagged.loc[flagged["violation_day"].notna(), ["event_id", "truce_id",
                                                             "violation_day"]]
    return (counted.merge(rows[["event_id", "date", "row"]], on="event_id")
            .sort_values(["date", "truce_id", "violation_day", "event_id"], kind="stable")
            .drop_duplicates(["truce_id", "violation_day"]))


def period_days(dates: pd.Series) -> int:
    """The spacing of a count series in days: 1, 7 or 30 (months)."""
    d = pd.to_datetime(pd.Series(dates)).drop_duplicates().sort_values()
    if len(d) < 2:
        return 1
    gap = float(d.diff().dt.days.median())
    return 1 if gap < 4 else 7 if gap < 20 else 30


def period_unit(days: int) -> str:
    """The unit word of a count series spaced ``days`` apart: ``day``, ``week`` or ``month``.

    Parameters
    ----------
    days : int
        The spacing, as :func:`period_days` returns it.

    Returns
    -------
    str
        From :data:`PERIOD_UNITS`; ``month`` for any other spacing.

    Examples
    --------
    >>> [period_unit(d) for d in (1, 7, 30)]
    ['day', 'week', 'month']
    """
    return PERIOD_UNITS.get(days, "month")


def rolling_window(dates: pd.Series, rolling: int | None) -> int:
    """Rolling-mean window in periods: ``rolling`` if given, else 7 days / 4 weeks / 3 months."""
    if rolling is not None:
        if rolling < 0:
            raise ValueError(f"rolling must be 0 (no line) or a positive window, not {rolling}")
        return int(rolling)
    return {1: 7, 7: 4}.get(period_days(dates), 3)


def wide_counts(counts: pd.DataFrame, category: str | None) -> pd.DataFrame:
    """A count table in wide form: one row per period, one column per category.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``date, count`` (and ``category``), as :func:`analysis.events.count_events`
        returns it.
    category : str or None
        The column to spread into columns; None (or ``""``): one column, ``count``.

    Returns
    -------
    pandas.DataFrame
        Float counts indexed by the period start; with a category, the columns ordered
        largest total first (drawn at the bottom of a stack; ties by name), missing
        combinations 0.

    Examples
    --------
    >>> long = pd.DataFrame({"date": ["2020-01-06", "2020-01-06", "2020-01-13"],
    ...                      "kind": ["b", "a", "a"], "count": [1, 2, 3]})
    >>> wide_counts(long, "kind").to_numpy().tolist()
    [[2.0, 1.0], [3.0, 0.0]]
    """
    dates = pd.to_datetime(counts["date"])
    if not category:
        return pd.DataFrame({"count": counts["count"].to_numpy(float)}, index=dates.to_numpy())
    wide = (counts.assign(date=dates)
            .pivot_table(index="date", columns=category, values="count", aggfunc="sum",
                         fill_value=0, observed=True))
    totals = wide.sum()
    order = sorted(wide.columns, key=lambda c: (-totals[c], str(c)))  # largest at the bottom
    return wide[order].astype(float)


def trend_tables(result: TrendLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of a fitted trend model, checked.

    Parameters
    ----------
    result : TrendLike
        An object with ``fitted`` (``date, count, fitted, fitted_low, fitted_high,
        counterfactual, counterfactual_low, counterfactual_high``) and ``interruptions``
        (``date``), as :func:`analysis.models.fit_interrupted_series` returns.

    Returns
    -------
    tuple of pandas.DataFrame
        ``result.fitted`` and ``result.interruptions`` (not copied).

    Raises
    ------
    DataError
        When ``result`` lacks either table or a table lacks a column.
    """
    if not hasattr(result, "fitted") or not hasattr(result, "interruptions"):
        raise DataError("expected a fitted trend model", source="plot_trend_model",
                        expected="an object with .fitted and .interruptions tables "
                        "(analysis.models.fit_interrupted_series)")
    require_columns(result.fitted, ["date", "count", "fitted", "fitted_low", "fitted_high",
                                    "counterfactual", "counterfactual_low",
                                    "counterfactual_high"],
                    source="plot_trend_model", expected="result.fitted")
    require_columns(result.interruptions, ["date"], source="plot_trend_model",
                    expected="result.interruptions")
    return result.fitted, result.interruptions


def truce_label_text(truces: pd.DataFrame) -> pd.Series:
    """Each truce's label: the ``label`` column, else ``name``, else ``truce_id``."""
    present = [truces[c] for c in ("label", "name", "truce_id") if c in truces.columns]
    return first_non_blank(*present)


def truce_names(durability: pd.DataFrame, truces: pd.DataFrame | None) -> list[str]:
    """The name of each truce of a durability table, shortened for an axis label.

    Parameters
    ----------
    durability : pandas.DataFrame
        Requires ``truce_id`` (the output of :func:`analysis.truces.truce_durability`).
    truces : pandas.DataFrame or None
        A truce table; its :func:`truce_label_text` names the truces it has. Without it
        (or for truces it lacks) the ``truce_id`` is the name.

    Returns
    -------
    list of str
        One name per row of ``durability``, at most 28 characters.

    Examples
    --------
    >>> truce_names(pd.DataFrame({"truce_id": ["T1", "T2"]}),
    ...             pd.DataFrame({"truce_id": ["T1"], "name": ["Christmas truce"]}))
    ['Christmas truce', 'T2']
    """
    names = durability["truce_id"].astype(str)
    if truces is not None and "truce_id" in truces.columns:
        named = pd.Series(truce_label_text(truces).to_numpy(), index=truces["truce_id"])
        names = durability["truce_id"].map(named).fillna(names).astype(str)
    return [shorten(n, 28) for n in names]  # a handful of truces


def key_date_labels(occurrences: pd.DataFrame, max_chars: int = 30) -> pd.DataFrame:
    """Occurrences sorted by date with a ``label`` column: the given ``label``, else the
    name without its closing parenthesis, shortened to ``max_chars``, plus " (Hijri)" for
    a Hijri-calendar occurrence (so the two anniversaries of one event differ)."""
    occ = occurrences.assign(occurrence=pd.to_datetime(occurrences["occurrence"]))
    name = first_non_blank(*[occ[c] for c in ("name", "key_date_id") if c in occ.columns])
    base = name.str.replace(r"\s*\([^()]*\)\s*$", "", regex=True)
    short = base.map(lambda n: shorten(n, max_chars), na_action="ignore")  # a handful
    if "calendar" in occ.columns:
        short = short + np.where(occ["calendar"].astype(str) == "hijri", " (Hijri)", "")
    label = occ["label"].fillna(short) if "label" in occ.columns else short
    return occ.assign(label=label.fillna("").astype(str)).sort_values("occurrence",
                                                                      kind="stable")
