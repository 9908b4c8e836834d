"""Chart data for other tools: Datawrapper CSV and Knight Lab TimelineJS spreadsheets.

Every file goes through :func:`analysis.io.write_csv` (UTF-8, ISO dates, cells a
spreadsheet would run as a formula prefixed with ``'``); column headers and categorical
columns are made safe here too (``write_csv`` treats only text columns).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.charts.data import violation_days, violation_status
from analysis.charts.escape import escape_html, first_non_blank, link_html
from analysis.events import casualty_text
from analysis.io import neutralize_formulas, write_csv
from analysis.schema import STR_DTYPE, DataError, require_columns

#: the columns of the TimelineJS Google Sheets template, in order
TIMELINEJS_COLUMNS = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
    "Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
    "Media Thumbnail", "Type", "Group", "Background",
)


def safe_table(df: pd.DataFrame) -> pd.DataFrame:
    """A copy ready for :func:`write_csv`: categorical columns as text (so they are checked
    for formulas too) and formula-like column names neutralised."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(STR_DTYPE)
    names = neutralize_formulas(pd.Series([str(c) for c in out.columns], dtype=STR_DTYPE))
    out.columns = names.tolist()
    return out


def to_datawrapper_csv(
    df: pd.DataFrame,
    path: str | Path,
    *,
    category: str | None = None,
    date: str = "date",
    value: str = "count",
) -> Path:
    """Write chart data as a CSV that Datawrapper reads as is.

    Without ``category`` the table is written as it is (tidy: one row per observation).
    With ``category`` a long table (``date``, ``category``, ``value``, as
    :func:`analysis.events.count_events` returns with ``by=``) is made **wide**: one row
    per date, one column per category value (alphabetical), missing combinations 0 —
    the shape Datawrapper's line, area and stacked-bar charts expect. Dates are ISO
    (``YYYY-MM-DD``); text is formula-safe. Returns the path.

    Examples
    --------
    >>> import tempfile, os
    >>> long = pd.DataFrame({"date": pd.to_datetime(["2020-12-14"] * 2 + ["2020-12-21"] * 2),
    ...                      "target_type": ["diplomatic", "logistics_convoy"] * 2,
    ...                      "count": [1, 2, 0, 3]})
    >>> p = to_datawrapper_csv(long, os.path.join(tempfile.mkdtemp(), "w.csv"), category="target_type")
    >>> print(p.read_text())
    date,diplomatic,logistics_convoy
    2020-12-14,1,2
    2020-12-21,0,3
    <BLANKLINE>
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError("expected a table (DataFrame)", source="to_datawrapper_csv",
                        expected="chart data")
    if category is None:
        return write_csv(safe_table(df), path)
    require_columns(df, [date, category, value], source="to_datawrapper_csv",
                    expected="a long table")
    wide = (df.assign(**{category: df[category].astype(object).fillna("not recorded")
                         .astype(str)})
            .pivot_table(index=date, columns=category, values=value, aggfunc="sum",
                         fill_value=0, observed=True)
            .sort_index(axis=1).sort_index())
    wide.columns.name = None
    return write_csv(safe_table(wide.reset_index()), path)


def to_timelinejs(
    events: pd.DataFrame,
    path: str | Path,
    *,
    flagged: pd.DataFrame | None = None,
) -> Path:
    """Write events as a Knight Lab TimelineJS spreadsheet (the Google Sheets template's
    columns, :data:`TIMELINEJS_COLUMNS`, in order): copy it into the template sheet.

    Requires ``events[event_id, date]``; uses ``date_start, date_end, date_precision,
    local_time, target, target_type, location, notes, attribution, actor, killed, wounded,
    source, source_url`` when present.

    * Dates: a day-precision event gives Year/Month/Day (and Time when ``local_time`` is
      ``HH:MM``); a month (year) gives only Year and Month (Year); a week or range gives its
      ``date_start`` and, as End Year/Month/Day, its ``date_end``.
    * Headline: target, place. Text: the notes, attribution (and actor), casualties and a
      link to the source (http/https only) — all HTML-escaped (TimelineJS renders HTML).
    * Group: ``target_type``; with ``flagged`` (from
      :func:`analysis.truces.flag_violations`) the violation status instead ("Counted
      violation", "Suspected violation", "Other event"), and counted violations are
      headed "Violation day N:".

    Every cell is formula-safe. Returns the path.
    """
    require_columns(events, ["event_id", "date"], source="to_timelinejs",
                    expected="an event table (analysis.io.read_events)")
    ev = events.reset_index(drop=True)
    col = _column_getter(ev)
    table = pd.concat([_timeline_dates(ev, col), _timeline_text(ev, col, flagged)], axis=1)
    table = table.reindex(columns=list(TIMELINEJS_COLUMNS))
    text_cols = [c for c in TIMELINEJS_COLUMNS if not c.endswith(("Year", "Month", "Day"))]
    table[text_cols] = table[text_cols].astype(STR_DTYPE).fillna("")
    order = np.lexsort((ev["event_id"].astype(str).to_numpy(),
                        pd.to_datetime(ev["date"]).to_numpy()))
    return write_csv(table.iloc[order].reset_index(drop=True), path)


Getter = Callable[[str], pd.Series]


def _column_getter(ev: pd.DataFrame) -> Getter:
    """``col(name)``: the column, or a blank text column when the table lacks it."""
    blank = pd.Series(pd.NA, index=ev.index, dtype=STR_DTYPE)
    return lambda name: ev[name] if name in ev.columns else blank


def _timeline_dates(ev: pd.DataFrame, col: Getter) -> pd.DataFrame:
    date = pd.to_datetime(ev["date"])
    start = pd.to_datetime(col("date_start")).fillna(date)
    end = pd.to_datetime(col("date_end")).fillna(date)
    precision = col("date_precision").astype(STR_DTYPE).fillna("day").to_numpy()
    ranged = np.isin(precision, ["week", "range"]) | ((precision == "day") & (end > start))
    first = start.where(ranged, date)
    month_ok = ~np.isin(precision, ["year"])
    day_ok = ~np.isin(precision, ["month", "year"])
    time = col("local_time").astype(STR_DTYPE).str.strip()
    time = time.where(time.str.fullmatch(r"\d{1,2}:\d{2}", na=False) & (precision == "day")
                      & ~ranged)
    out = pd.DataFrame({
        "Year": first.dt.year.astype("Int64"),
        "Month": first.dt.month.astype("Int64").where(month_ok),
        "Day": first.dt.day.astype("Int64").where(day_ok),
        "Time": time,
        "End Year": end.dt.year.astype("Int64").where(ranged),
        "End Month": end.dt.month.astype("Int64").where(ranged),
        "End Day": end.dt.day.astype("Int64").where(ranged),
    })
    return out


def _timeline_text(ev: pd.DataFrame, col: Getter, flagged: pd.DataFrame | None) -> pd.DataFrame:
    what = first_non_blank(col("target"), col("event_type"), ev["event_id"])
    where = col("location").astype(STR_DTYPE).fillna(col("admin1")).fillna("")
    headline = escape_html(what) + np.where(where != "", ", " + escape_html(where), "")
    attribution = col("attribution").astype(STR_DTYPE).fillna("unknown")
    actor = col("actor").astype(STR_DTYPE)
    who = "Attribution: " + escape_html(attribution) + np.where(
        actor.notna(), " (" + escape_html(actor) + ")", "")
    toll = ("Killed: " + casualty_text(ev, "killed") + "; wounded: "
            + casualty_text(ev, "wounded"))
    link = link_html(col("source_url"), col("source").astype(STR_DTYPE).fillna("Source"))
    text = ("<p>" + escape_html(col("notes")) + "</p><p>" + who + ". " + toll + ".</p>"
            + np.where(link != "", "<p>" + link + "</p>", ""))
    group = escape_html(col("target_type").astype(STR_DTYPE).str.replace("_", " ", regex=False))
    if flagged is not None:
        group, prefix = _violation_groups(ev, flagged)
        headline = prefix + headline
    return pd.DataFrame({"Headline": headline, "Text": text, "Group": group})


def _violation_groups(ev: pd.DataFrame, flagged: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Group by violation status, and 'Violation day N: ' for counted violations."""
    status = violation_status(ev, flagged)
    group = status.map({"counted": "Counted violation", "suspected": "Suspected violation",
                        "none": "Other event"})
    number = violation_days(ev, flagged)
    prefix = ("Violation day " + number.astype("Int64").astype(STR_DTYPE) + ": ").fillna("")
    return group, prefix
