"""Validation of the event table: every rule a row must keep, each broken one reported.

:func:`check_events` coerces any table to the canonical one (see :mod:`analysis.schema`)
and lists every broken rule; :func:`validate_events` raises them all at once as one
:class:`~analysis.schema.DataError`. The rules, each reported with its rows (as a
spreadsheet shows them), column, values and what was expected:

* the columns ``event_id`` and ``date`` exist (else the whole table is refused);
* every value reads as its column's type: dates (any form :mod:`analysis.dates` reads, one
  day/month order per file), numbers (``latitude``, ``longitude``), one of the fixed words
  (``date_precision``: day / week / month / year / range; ``attribution``: claimed /
  attributed / suspected / unknown; any case), casualty figures (:mod:`analysis.casualties`);
* a date written with a two-digit year agrees with the file's year column; a time of day
  alone is no date;
* a partial date (``2020-12``, ``2020``) agrees with ``date_precision``;
* ``event_id`` is present, holds no invisible character, and appears once;
* ``date`` is present, and ``date_start <= date <= date_end``;
* ``latitude`` lies within -90..90 and ``longitude`` within -180..180;
* ``source_url`` is blank or an http(s) address without spaces;
* casualty figures are not negative, and a file's low and high columns agree with a range
  written in the figure itself.

Text is trimmed (white space and invisible characters at the edges) and a blank cell is
missing. A blank ``date_start`` / ``date_end`` follows from ``date`` and its precision: a week
is ``date`` ± 3 days, a month or year the whole calendar month or year. Notes, not faults:
how the day/month order was decided, figures outside their own low-high range.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis._kernels.arrow import (
    may_have_edge_space,
    plain_floats,
    regex_matches,
    strictly_monotonic,
)
from analysis._kernels.threads import background
from analysis.casualties import outside_range_notes, read_casualties
from analysis.dates import (
    TIME_ONLY_EXPECTED,
    AmbiguousDates,
    DateReading,
    DateRules,
    decide_convention,
    read_dates,
)
from analysis.schema import (
    CASUALTY_COLUMNS,
    CATEGORY_COLUMNS,
    DATE_COLUMNS,
    DATE_DTYPE,
    EVENT_COLUMNS,
    PRECISION_DTYPE,
    PRECISIONS,
    REQUIRED_COLUMNS,
    DataError,
    Problem,
    text_category,
    warn_notes,
)
from analysis.values import EDGES, INVISIBLE, STR_DTYPE, distinct_text, take, take_mask

#: how dates are read when the caller gives no rules (any form; partial dates allowed)
DEFAULT_DATES = DateRules()
#: every column :func:`~analysis.casualties.read_casualties` fills: the figures and their ranges
_CASUALTY_FIGURES = frozenset(f"{c}{side}" for c in CASUALTY_COLUMNS for side in ("", "_low", "_high"))


class Checked(NamedTuple):
    """What :func:`check_events` made of a table: the canonical table (unreadable values
    blank), every broken rule, and notes on how ambiguous text was read (one sentence each)."""

    table: pd.DataFrame
    problems: list[Problem]
    notes: list[str]


def check_events(
    df: pd.DataFrame,
    *,
    source: str | None = None,
    rows: Sequence[int] | np.ndarray | None = None,
    dates: DateRules = DEFAULT_DATES,
) -> Checked:
    """Coerce ``df`` to the canonical table and list every broken rule, without raising.

    Values that cannot be converted become blank in the returned table and are listed as
    problems. Only a fault of the whole table raises: a missing required column, or dates
    whose day/month order cannot be decided (see :mod:`analysis.dates`; ``dates`` gives the
    format's rules). ``rows`` gives the row numbers to report (default: the index labels).
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(
            f"missing required column(s) {', '.join(map(repr, missing))}",
            source=source,
            expected=f"a header with at least {', '.join(REQUIRED_COLUMNS)} "
            f"(found: {', '.join(map(str, df.columns)) or 'no columns'})",
        )
    labels = np.asarray(df.index) if rows is None else np.asarray(rows)
    problems: list[Problem] = []
    n = len(df)

    def add(mask, column: str, problem: str, expected: str, raw: pd.Series | None = None) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            pos = np.flatnonzero(mask)
            vals = (raw if raw is not None else table[column]).iloc[pos].to_numpy()
            problems.append(Problem(problem, column, pos, vals, expected, labels[pos]))

    readings, notes = _read_date_columns(df, dates, source)
    out, pending = {}, {}
    # the two costly whole-column checks run beside the conversions, so their columns come
    # first (text columns: they cannot hold an unreadable value, so the problems are listed
    # in table order all the same)
    first = ["event_id", "source_url"]
    with background(workers=2) as meanwhile:
        for col in [*first, *(c for c in EVENT_COLUMNS if c not in first)]:
            raw = df[col] if col in df.columns else pd.Series(np.nan, index=df.index, dtype=object)
            if col in readings:
                out[col], bad, expected = (readings[col].dates, readings[col].unreadable,
                                           readings[col].expected)
            elif col in _CASUALTY_FIGURES:
                continue  # below, each figure with its low and high
            else:
                out[col], bad, expected = _coerce_column(raw, EVENT_COLUMNS[col],
                                                         category=col in CATEGORY_COLUMNS)
            add(bad, col, "value could not be read", expected, raw)
            if col in readings:
                add(readings[col].year_clash, col, "two-digit year disagrees with the year column",
                    f"the year given in column {dates.year_column!r}", raw)
                add(readings[col].time_only, col, "a time with no date", TIME_ONLY_EXPECTED, raw)
            if col == "event_id":
                pending["unique"] = meanwhile(_all_different, out[col])
                pending["invisible"] = meanwhile(_invisible, out[col])
            elif col == "source_url":
                pending["web"] = meanwhile(_web_addresses, out[col])
        for col in CASUALTY_COLUMNS:
            for problem in read_casualties(df, col, out):
                add(*problem)
            notes += outside_range_notes(out, col, labels)
        ids_unique, web = pending["unique"].result(), pending["web"].result()
        invisible = pending["invisible"].result()
    partial = readings["date"].precision if "date" in readings else None
    out["date_precision"], clash = _precision_from_partial_dates(df, out["date_precision"], partial)
    add(clash, "date_precision", "date is partial but date_precision says otherwise",
        "month for a YYYY-MM date, year for a YYYY date (or blank)", df.get("date_precision"))
    table = _derive_ranges(pd.DataFrame({c: out[c] for c in EVENT_COLUMNS}, index=df.index,
                                        copy=False))
    extras = [c for c in df.columns if c not in EVENT_COLUMNS]
    if extras:
        table = pd.concat([table, df[extras]], axis=1)

    read_ok = np.ones(n, dtype=bool)
    read_ok[_positions(problems)] = False
    add(table["event_id"].isna() & read_ok, "event_id", "missing event id", "a non-empty id")
    add(invisible, "event_id", "id holds an invisible character (zero-width space, "
        "byte-order mark, soft hyphen or the like)",
        "an id of visible characters (two ids that look the same must be the same)")
    if not ids_unique:
        dup = table["event_id"].duplicated(keep=False) & table["event_id"].notna()
        add(dup, "event_id", "duplicate event id", "each event_id to appear once")
    date_ok = np.ones(n, dtype=bool)
    date_ok[_positions(problems, "date")] = False
    add(table["date"].isna() & date_ok, "date", "missing date", "a date, such as 2020-12-20")
    add((table["date_start"] > table["date"]).fillna(False), "date_start",
        "date_start after date", "date_start <= date")
    add((table["date_end"] < table["date"]).fillna(False), "date_end",
        "date_end before date", "date_end >= date")
    for col, lim in (("latitude", 90), ("longitude", 180)):
        add((table[col].abs() > lim).fillna(False), col, f"{col} out of range",
            f"a number between -{lim} and {lim}")
    add(~web, "source_url", "not a web address", "a URL starting with http:// or https://")
    return Checked(table, problems, notes)


def _read_date_columns(df: pd.DataFrame, rules: DateRules, source: str | None):
    """Parse every date column written as text, with one day/month order for all of them."""
    text = [c for c in DATE_COLUMNS
            if c in df.columns and not pd.api.types.is_datetime64_any_dtype(df[c])]
    distinct = {c: distinct_text(df[c]) for c in text}
    try:
        convention = decide_convention({c: u for c, (_, u) in distinct.items()}, rules)
    except AmbiguousDates as exc:
        raise DataError(exc.problem, source=source, column=exc.column, values=exc.values,
                        expected=exc.expected) from None
    year = df[rules.year_column] if rules.year_column in df.columns else None
    readings = {c: read_dates(df[c], convention, rules, year=year, distinct=distinct[c])
                for c in text}
    for c in DATE_COLUMNS:
        if c not in readings:
            readings[c] = _datetimes(df[c] if c in df.columns
                                     else pd.Series(pd.NaT, index=df.index, dtype=DATE_DTYPE))
    return readings, [f"dates: {convention.how}"] if convention.how else []


def _datetimes(raw: pd.Series) -> DateReading:
    """A column that holds datetimes already: its day (a time of day, or a zone, is dropped)."""
    raw = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
    if not pd.DatetimeIndex(raw).is_normalized:  # a time of day: keep the day
        raw = raw.dt.normalize()
    none = np.zeros(len(raw), bool)
    return DateReading(raw.astype(DATE_DTYPE), pd.Series(np.nan, index=raw.index), none,
                       "a date", none, none)


def _all_different(ids: pd.Series) -> bool:
    """Whether no id repeats (blanks aside). Ids in strictly increasing or decreasing order
    (as many exports are) are told apart without hashing."""
    return strictly_monotonic(ids) or not ids.dropna().duplicated().any()


def _invisible(ids: pd.Series) -> np.ndarray:
    """True where an id holds an invisible formatting character (inside it: the edges are
    trimmed like white space)."""
    return regex_matches(ids, f"[{INVISIBLE}]", missing=False)


def _web_addresses(url: pd.Series) -> np.ndarray:
    """True where the value is blank or an http(s) address without spaces."""
    return regex_matches(url, r"^https?://\S+$", missing=True)


def _positions(problems: Sequence[Problem], column: str | None = None) -> np.ndarray:
    found = [p.positions for p in problems if column is None or p.column == column]
    return np.concatenate(found) if found else np.array([], dtype=int)


def validate_events(
    df: pd.DataFrame,
    *,
    source: str | None = None,
    rows: Sequence[int] | np.ndarray | None = None,
) -> pd.DataFrame:
    """Check an event table and return it in canonical column order and dtypes.

    Requires the columns ``event_id`` and ``date``; any other canonical column that is
    missing is added empty. A value that cannot be converted, a duplicate id, a negative
    count, ``date_end`` before ``date`` and the like raise :class:`DataError` naming
    ``source``, the rows (``rows`` gives the row numbers to report, e.g. spreadsheet rows;
    default: the index labels), the column, the values and the expectation. Every problem is
    reported at once. Extra columns pass through after the canonical ones. The input is not
    modified.

    Examples
    --------
    >>> t = validate_events(pd.DataFrame({"event_id": ["a", "b"], "date": ["2020-12-20", "2020-11"]}))
    >>> t["date_precision"].tolist(), t["date_end"].dt.strftime("%Y-%m-%d").tolist()
    (['day', 'month'], ['2020-12-20', '2020-11-30'])
    >>> validate_events(pd.DataFrame({"event_id": ["a", "a"], "date": ["2020-12-20", "2020-02-31"]}))
    Traceback (most recent call last):
    ...
    analysis.schema.DataError: 2 problems found
      - value could not be read; column 'date'; 1 row(s): row 1 ('2020-02-31'); expected a date that exists in the calendar, such as 2020-12-20 (or 2020-12 / 2020 for month / year) or 20 December 2020
      - duplicate event id; column 'event_id'; 2 row(s): row 0 ('a'), row 1 ('a'); expected each event_id to appear once
    """
    table, problems, notes = check_events(df, source=source, rows=rows)
    if problems:
        raise problems[0].error(source=source, problems=problems)
    warn_notes(notes, source)
    return table


def _coerce_column(raw: pd.Series, dtype, *, category: bool = False,
                   ) -> tuple[pd.Series, np.ndarray, str]:
    """Convert one column of numbers, fixed categories or text (dates and casualty figures
    have their own readers); return the values, a mask of unconvertible entries, and the
    expectation.

    Text is parsed once per distinct value, and ``category`` columns come back as
    categoricals with trimmed categories.
    """
    none = np.zeros(len(raw), bool)
    if dtype == "Float64":
        expected = "a number or blank"
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            return raw.astype("Float64"), none, expected
        if (plain := plain_floats(raw)) is not None:
            return plain, none, expected
        codes, uniq = distinct_text(raw)
        parsed_u = pd.to_numeric(uniq, errors="coerce").astype("Float64")
        return (take(parsed_u, codes, raw.index).astype("Float64"),
                take_mask(uniq.notna() & parsed_u.isna(), codes), expected)
    if isinstance(dtype, pd.CategoricalDtype):
        expected = "one of " + ", ".join(dtype.categories) + " (or blank)"
        codes, uniq = distinct_text(raw)
        uniq = uniq.str.lower()
        bad_u = uniq.notna() & ~uniq.isin(dtype.categories)
        default = "day" if dtype is PRECISION_DTYPE else "unknown"
        known = dtype.categories.get_indexer(uniq.mask(bad_u).fillna(default))
        new_codes = np.append(known, dtype.categories.get_loc(default))[codes]
        return (pd.Series(pd.Categorical.from_codes(new_codes, dtype=dtype), index=raw.index),
                take_mask(bad_u, codes), expected)
    if category:
        return text_category(raw), none, ""
    text = raw.astype(STR_DTYPE)
    if may_have_edge_space(text):
        text = text.str.strip(EDGES)
    blank = text == ""
    return (text.where(~blank, np.nan) if blank.any() else text), none, ""


def _precision_from_partial_dates(df: pd.DataFrame, precision: pd.Series,
                                  implied: pd.Series | None):
    """``2019-11`` means month precision and ``2019`` year precision; a contradiction is flagged.
    ``implied``: the precision each date's written form implies (see :mod:`analysis.dates`)."""
    none = np.zeros(len(df), bool)
    if implied is None or not implied.notna().any():
        return precision, none
    stated = df["date_precision"] if "date_precision" in df.columns else pd.Series(np.nan, index=df.index)
    stated = stated.astype(STR_DTYPE).str.strip().str.lower()
    stated = stated.where(stated != "", np.nan)
    implied = implied.astype(STR_DTYPE)
    clash = (implied.notna() & stated.notna() & (stated != implied) & (stated != "range")).to_numpy()
    fill = (implied.notna() & stated.isna()).to_numpy()
    return precision.where(~fill, implied.astype(PRECISION_DTYPE)), clash


def _derive_ranges(table: pd.DataFrame) -> pd.DataFrame:
    """Fill blank ``date_start`` / ``date_end`` from ``date`` and ``date_precision``."""
    given_start, given_end = table["date_start"].to_numpy(), table["date_end"].to_numpy()
    if not (np.isnat(given_start).any() or np.isnat(given_end).any()):
        return table  # every range given (as in a table read back from Parquet)
    date = table["date"].to_numpy("datetime64[D]")
    prec = table["date_precision"].cat.codes.to_numpy()
    start, end = date.copy(), date.copy()
    week = prec == PRECISIONS.index("week")
    start[week] -= 3
    end[week] += 3
    for label, unit in (("month", "M"), ("year", "Y")):
        sel = prec == PRECISIONS.index(label)
        period = date[sel].astype(f"datetime64[{unit}]")
        start[sel] = period.astype("datetime64[D]")
        end[sel] = (period + 1).astype("datetime64[D]") - 1
    return table.assign(
        date_start=np.where(np.isnat(given_start), start.astype(DATE_DTYPE), given_start),
        date_end=np.where(np.isnat(given_end), end.astype(DATE_DTYPE), given_end),
    )
