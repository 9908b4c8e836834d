"""The key-date table: symbolic dates (the Gregorian date of the original event, or of one
known occurrence of a religious date), the calendar each recurs in, whether it recurs every
year, its default window, and the countries it belongs to; read and checked like the events,
every problem named with its row.

:mod:`analysis.anniversaries` turns the table into occurrences and windows.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io import read_text_table
from analysis.io.countries import closest_country, country_key_of, iso3_of_names
from analysis.schema import DATE_DTYPE, STR_DTYPE, DataError, DataWarning, ProblemList, text_table

CALENDARS = ("gregorian", "hijri")
#: annual = anniversaries of an event, from the event on; observance = a recurring date (Ashura)
#: in both directions from the occurrence given; none = one-off
RECURS = ("annual", "observance", "none")
DEFAULT_BEFORE, DEFAULT_AFTER = 21, 7
HIJRI_RANGE = (pd.Timestamp("1924-08-01"), pd.Timestamp("2077-11-16"))
KEY_DATE_COLUMNS = ("key_date_id", "name", "label", "date", "calendar", "recurs", "before",
                    "after", "countries", "source_url", "notes")


def read_key_dates(path: str | Path) -> pd.DataFrame:
    """Read and validate a key-date table (CSV); see :func:`validate_key_dates`."""
    raw, rows = read_text_table(path)
    return validate_key_dates(raw, source=str(path), rows=rows)


#: windows of two yearly occurrences must not overlap: before + after stays under the
#: shortest year of either calendar (a Hijri year has 354 or 355 days)
MAX_WINDOW = 354
WINDOW_EXPECTED = (f"before + after under {MAX_WINDOW} days, so that the windows of two "
                   "yearly occurrences never overlap (a window is weeks, not a year)")


def check_window(before: int | None, after: int | None, *, source: str) -> None:
    """Refuse a window override that is not whole days >= 0, or so long that yearly windows
    would overlap (``1e20`` days is not a window)."""
    for name, value in (("before", before), ("after", after)):
        if value is not None and (isinstance(value, bool) or not float(value).is_integer()
                                  or value < 0 or value >= MAX_WINDOW):
            raise DataError(f"{name} = {value!r} days is not a window", source=source,
                            column=name, values=[value], expected="whole days >= 0; "
                            + WINDOW_EXPECTED)
    if before is not None and after is not None and before + after >= MAX_WINDOW:
        raise DataError(f"before + after = {before + after} days", source=source,
                        column="after", values=[after], expected=WINDOW_EXPECTED)


def validate_key_dates(raw: pd.DataFrame, *, source: str = "key-date table", rows=None) -> pd.DataFrame:
    """Check a key-date table; return it with parsed dates, windows and the Hijri date.

    Required: ``key_date_id`` (unique), ``date`` (Gregorian ISO date of the original event),
    ``calendar`` (gregorian / hijri). Optional: ``name``, ``recurs`` (annual: anniversaries
    from the event on; observance: a recurring date such as Ashura, in both directions from the
    occurrence given; none: one-off; default annual), ``before`` / ``after`` (whole days >= 0;
    blank = 21 / 7), ``countries`` (where the date matters, names or ISO3 codes separated by
    ``;``; blank = anywhere; a name the country vocabulary does not know is an error naming
    the closest), ``source_url``, ``notes``. Adds ``hijri_date`` (``YYYY-MM-DD`` in Umm
    al-Qura) and ``country_iso3`` (the ``countries`` as ISO3 codes, ``;``-separated).

    Examples
    --------
    >>> kd = validate_key_dates(pd.DataFrame({"key_date_id": ["S"], "date": ["2020-01-03"],
    ...                                       "calendar": ["hijri"]}))
    >>> kd.loc[0, "hijri_date"], kd.loc[0, "recurs"], int(kd.loc[0, "before"])
    ('1441-05-08', 'annual', 21)
    """
    rows = np.arange(2, 2 + len(raw)) if rows is None else np.asarray(rows)
    kd = text_table(raw, KEY_DATE_COLUMNS, ("key_date_id", "date", "calendar"), source=source,
                    what="key-date table")

    found = ProblemList(source, rows)

    def fail(mask, column, problem, expected):
        cells = (raw[column].astype(object).to_numpy() if column in raw.columns
                 else np.full(len(raw), None))
        found.check(mask, column, problem, expected, [str(v) for v in cells])

    fail(kd["key_date_id"].isna(), "key_date_id", "missing key date id", "a non-empty id")
    fail(kd["key_date_id"].duplicated(keep=False) & kd["key_date_id"].notna(), "key_date_id",
         "duplicate key date id", "each key_date_id once")
    whole = kd["date"].isna() | kd["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").eq(True)
    fail(~whole, "date", "not a whole date", "the Gregorian day (YYYY-MM-DD) of the original event: "
         "an anniversary falls on a day (2020-01 names only a month)")
    date = pd.to_datetime(kd["date"], errors="coerce", format="%Y-%m-%d")
    fail(date.isna() & whole, "date", "date missing or could not be read",
         "the Gregorian date (YYYY-MM-DD) of the original event")
    kd["calendar"] = kd["calendar"].str.lower()
    fail(~kd["calendar"].isin(CALENDARS), "calendar", "unknown calendar", "gregorian or hijri")
    kd["recurs"] = kd["recurs"].str.lower().fillna("annual")
    fail(~kd["recurs"].isin(RECURS), "recurs", "unknown recurrence", "annual or none")
    for col, default in (("before", DEFAULT_BEFORE), ("after", DEFAULT_AFTER)):
        num = pd.to_numeric(kd[col], errors="coerce")
        fail((kd[col].notna() & (num.isna() | (num < 0) | (num % 1 != 0))).to_numpy(), col,
             "window is not a whole number of days >= 0", f"days (blank = {default})")
        fail((num >= MAX_WINDOW).fillna(False).to_numpy(bool), col, "window too long",
             WINDOW_EXPECTED)
        kd[col] = num.fillna(default).astype("int64")
    fail((kd["before"] + kd["after"] >= MAX_WINDOW).to_numpy(bool), "after",
         "window too long (before + after)", WINDOW_EXPECTED)
    kd["date"] = date.dt.normalize().astype(DATE_DTYPE)
    hijri = kd["calendar"] == "hijri"
    fail(hijri & ~kd["date"].between(*HIJRI_RANGE), "date",
         "date outside the range of the Umm al-Qura calendar",
         "a date between 1924-08-01 and 2077-11-16 for a Hijri key date")
    kd["country_iso3"] = _country_codes(kd["countries"], fail)
    found.raise_all()
    kd["hijri_date"] = [hijri_iso(d) if HIJRI_RANGE[0] <= d <= HIJRI_RANGE[1] else np.nan
                        for d in kd["date"]]  # one conversion per key date
    return kd


def _country_codes(countries: pd.Series, fail) -> pd.Series:
    """``"Iraq; SYR"`` -> ``"IRQ; SYR"``; an unknown name fails with the closest known."""
    items = countries.astype(STR_DTYPE).str.split(";").explode().dropna().astype(STR_DTYPE)
    items = items.str.strip().replace("", np.nan).dropna()
    if items.empty:
        return pd.Series(np.nan, index=countries.index, dtype=STR_DTYPE)
    codes = iso3_of_names(items)
    unknown = codes.isna()
    if unknown.any():
        name = items[unknown].iloc[0]
        near = closest_country(name)
        fail(countries.index.isin(items[unknown].index), "countries",
             f"country not known: {name!r}", "country names or ISO3 codes separated by ';'"
             + (f" (closest known: {near})" if near else ""))
        codes = codes.dropna()  # (reported: the table is refused once every rule is checked)
    return codes.groupby(level=0).agg("; ".join).reindex(countries.index).astype(STR_DTYPE)


def warn_unmatched_countries(events: pd.DataFrame, key_dates: pd.DataFrame) -> list[str]:
    """Warn (:class:`~analysis.schema.DataWarning`) about key dates scoped to countries in
    which no event took place: their anniversaries concern another story. Returns the
    messages."""
    if "country_iso3" not in key_dates.columns or "country" not in events.columns:
        return []
    scoped = key_dates.dropna(subset=["country_iso3"])
    if scoped.empty:
        return []
    have = set(country_key_of(pd.Series(events["country"].dropna().unique(), dtype=object)))
    if "country_iso3" in events.columns:
        have |= {str(c).lower() for c in events["country_iso3"].dropna().unique()}
    found = []
    for kd_id, codes in scoped[["key_date_id", "country_iso3"]].to_numpy():
        if not {c.lower() for c in codes.split("; ")} & have:
            found.append(f"key date {kd_id} concerns {codes}, where none of the events took "
                         "place: its anniversaries belong to another story")
    for message in found:
        warnings.warn(message, DataWarning, stacklevel=3)
    return found


def hijri_iso(date: pd.Timestamp) -> str:
    """A Gregorian day as its Umm al-Qura Hijri date, ``YYYY-MM-DD`` (``hijridate``)."""
    from hijridate import Gregorian

    return Gregorian(date.year, date.month, date.day).to_hijri().isoformat()
