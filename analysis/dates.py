"""Dates written as text: one parser for every reader, deciding the convention per file.

Forms read (English month names, any case; a time of day and a UTC offset after the date are
allowed and the date is kept as written, in the local time of the report):

==============================  ==============================================  =========
form                            examples                                        precision
==============================  ==============================================  =========
ISO, year first                 ``2020-12-20``, ``2020/12/20``, ``2020-12-20T23:10:00+03:00``  day
compact                         ``20201220`` (GDELT's SQLDATE)                  day
ISO month, ISO year             ``2020-12``, ``2020``                           month, year
day, month name, year           ``20 December 2020``, ``20-Dec-20``, ``01-January-2015``   day
month name, day, year           ``December 20, 2020``, ``Sunday, Dec 20 2020``  day
numbers, year last              ``20/12/2020``, ``12/20/2020``, ``31-12-19``, ``3.5.2020``   day
Excel serial day number         ``44185`` (= 2020-12-20; 1900 date system)      day
==============================  ==============================================  =========

Day first or month first (``3/5/2020``) is decided once for the whole file, never value by
value: a first number above 12 (``31/12/2020``) can only be day-first, a second number above 12
(``12/31/2020``) only month-first. A file with both raises :class:`~analysis.schema.DataError`
naming examples of each; a file in which every such date reads both ways raises one that
explains the choice (``dayfirst=True`` or ``dayfirst=False``; CLI ``--dayfirst`` /
``--monthfirst``), unless the format's rules settle it. With ``dayfirst`` given, a date that
cannot be read that way is unreadable (reported, never read the other way).

Two-digit years: ``00``–``68`` are 2000–2068 and ``69``–``99`` are 1969–1999 (the POSIX and
Python rule, :data:`PIVOT`). Where the file has a year column (ACLED's ``year``), every
two-digit year is checked against it and a disagreement is reported row by row.

Excel serial numbers (five digits, 10000–99999, i.e. 1927–2173) count days from 1899-12-30,
Excel's 1900 date system (the Mac 1904 system cannot be told from a CSV; the ``.xlsx`` reader
reads real date cells itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.values import distinct_text, take, take_category, take_mask

#: two-digit years below this are 20yy, others 19yy
PIVOT = 69
EXCEL_EPOCH = np.datetime64("1899-12-30")

MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
     ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
     ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for name in names}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:(?:[T ]|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?)?"
_ZONE = r"(?:\s*(?:z|utc|gmt)?\s*(?:[+-]\d{2}(?::?\d{2})?)?)?"
_END = _TIME + _ZONE + r"$"
_MON = r"(?P<mon>[a-z]{3,9})\.?"

#: (name, regex) for each form; groups y (year), m or mon (month), d (day), or a and b
#: (the two numbers of a numeric date, order to be decided)
FORMS: list[tuple[str, re.Pattern]] = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in [
    ("iso", r"^(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})" + _END),
    ("compact", r"^(?P<y>(?:1[89]|2[01])\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)$"),
    ("iso_month", r"^(?P<y>\d{4})-(?P<m>\d{2})$"),
    ("iso_year", r"^(?P<y>\d{4})$"),
    ("day_month_name", r"^" + _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+" + _MON
     + r",?[\s\-/.]+(?P<y>\d{4}|\d{2})" + _END),
    ("month_name_day", r"^" + _WEEKDAY + _MON + r"[\s\-/.]+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?"
     r"[\s\-/.]+(?P<y>\d{4}|\d{2})" + _END),
    ("numeric", r"^(?P<a>\d{1,2})([-/.])(?P<b>\d{1,2})\2(?P<y>\d{4}|\d{2})" + _END),
    ("excel_serial", r"^(?P<serial>\d{5})(?:\.\d+)?$"),
]]
PRECISION = {"iso_month": "month", "iso_year": "year"}
#: a time of day alone (``00:00.0``, ``12:30:00``): what a spreadsheet saves when a date
#: cell's display format shows only the time
TIME_ONLY = r"\s*\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*(?:[ap]\.?m\.?)?\s*"
TIME_ONLY_EXPECTED = ("the date itself: the spreadsheet that saved this file showed only the "
                      "time part of the date cells; format the column as yyyy-mm-dd before "
                      "saving, or use the original export")


@dataclass(frozen=True)
class DateRules:
    """How a format's dates are read where the text alone does not settle it.

    ``dayfirst``: True (``3/5/2020`` is 3 May), False (5 March), or None (decide from the
    file, and raise when it cannot be decided). ``year_column``: a column holding each
    row's year, against which two-digit years are checked. ``partial``: whether ``2020-12``
    and ``2020`` are dates of month and year precision (the project's own format) or
    unreadable.
    """

    dayfirst: bool | None = None
    year_column: str | None = None
    partial: bool = True


@dataclass(frozen=True)
class DateReading:
    """What :func:`read_dates` made of one column.

    ``dates``: datetime64[ns], NaT where blank or unreadable; ``precision``: the precision the
    form implies (``month``/``year`` for ISO partial dates, else NaN); ``unreadable``: a
    mask of values that are not blank but could not be read; ``expected``: what the column
    should hold, for messages; ``year_clash``: a mask of dates written with a two-digit
    year that the file's year column contradicts (their date is blank); ``time_only``: a
    mask of values that are a time of day with no date (``00:00.0``: a spreadsheet showed
    only the time part of a date cell and saved that), not counted in ``unreadable``.
    """

    dates: pd.Series
    precision: pd.Series  # categorical
    unreadable: np.ndarray
    expected: str
    year_clash: np.ndarray
    time_only: np.ndarray


@dataclass(frozen=True)
class Convention:
    """The file's day/month order for numeric dates, and how it was decided (one sentence)."""

    dayfirst: bool | None
    how: str


class AmbiguousDates(ValueError):
    """The day/month order cannot be decided (raised as a ``DataError`` by the schema)."""

    def __init__(self, problem: str, column: str, rows: list, values: list, expected: str):
        self.problem, self.column, self.rows, self.values, self.expected = (
            problem, column, rows, values, expected)
        super().__init__(problem)


def classify(uniq: pd.Series) -> pd.DataFrame:
    """One row per distinct value: its form, and its parts as text (y, m, mon, d, a, b,
    serial; NaN where the form has no such part)."""
    found = []
    todo = uniq.notna().to_numpy(bool).copy()
    for name, pattern in FORMS:
        if not todo.any():
            break
        got = uniq[todo].str.extract(pattern).astype(object)
        got = got[got.notna().any(axis=1)]
        if got.empty:
            continue
        found.append(got.drop(columns=[c for c in got.columns if isinstance(c, int)])
                     .assign(form=name))
        todo[uniq.index.get_indexer(got.index)] = False
    columns = ["form", "y", "m", "mon", "d", "a", "b", "serial"]
    parts = pd.concat([pd.DataFrame(columns=columns, dtype=object), *found])
    return parts.reindex(uniq.index)[columns]


def decide_convention(columns: dict[str, pd.Series], rules: DateRules) -> Convention:
    """Decide day-first or month-first once for every date column of a file.

    ``columns``: column name -> its distinct values (see :func:`distinct_text`). Raises
    :class:`AmbiguousDates` when the file mixes both orders, or when every numeric date reads
    both ways and ``rules.dayfirst`` is None.
    """
    first_big, second_big, ambiguous = [], [], []
    for column, uniq in columns.items():
        parts = classify(uniq)
        numeric = parts[parts["form"] == "numeric"]
        if numeric.empty:
            continue
        a, b = numeric["a"].astype(int), numeric["b"].astype(int)
        first_big += [(column, uniq[i]) for i in numeric.index[(a > 12) & (b <= 12)]]
        second_big += [(column, uniq[i]) for i in numeric.index[(b > 12) & (a <= 12)]]
        ambiguous += [(column, uniq[i]) for i in numeric.index[(a <= 12) & (b <= 12) & (a != b)]]
    if rules.dayfirst is not None:
        order = "day-first" if rules.dayfirst else "month-first"
        return Convention(rules.dayfirst, f"numeric dates read {order}, as asked")
    if first_big and second_big:
        column = first_big[0][0]
        raise AmbiguousDates(
            f"dates are written both day-first ({first_big[0][1]!r}) and month-first "
            f"({second_big[0][1]!r}) in the same file",
            column, [], [v for _, v in first_big[:3] + second_big[:3]],
            "one order for every date of a file: pass dayfirst=True (CLI --dayfirst) to read "
            "day-first and set aside the dates that cannot be, or dayfirst=False (--monthfirst)")
    if first_big:
        return Convention(True, f"numeric dates read day-first (e.g. {first_big[0][1]!r} can "
                                "only be read that way)")
    if second_big:
        return Convention(False, f"numeric dates read month-first (e.g. {second_big[0][1]!r} "
                                 "can only be read that way)")
    if ambiguous:
        column, example = ambiguous[0]
        raise AmbiguousDates(
            f"every numeric date can be read day-first or month-first (e.g. {example!r}), "
            "and none has a day above 12 to settle it", column, [],
            [v for _, v in ambiguous[:5]],
            "dayfirst=True (CLI --dayfirst) if 3/5/2020 means 3 May 2020, or dayfirst=False "
            "(--monthfirst) if it means 5 March 2020; check a date you know in the file")
    return Convention(None, "")


def read_dates(values: pd.Series, convention: Convention, rules: DateRules,
               *, year: pd.Series | None = None,
               distinct: tuple[np.ndarray, pd.Series] | None = None) -> DateReading:
    """Parse one column of dates written as text (or Excel serial numbers).

    Each distinct value is parsed once. ``year``: the file's year column, if it has one;
    ``distinct``: the column's :func:`~analysis.values.distinct_text`, if the caller has it.
    """
    codes, uniq = distinct or distinct_text(values)
    parts = classify(uniq)
    form = parts["form"]
    y = pd.to_numeric(parts["y"], errors="coerce")
    month = pd.to_numeric(parts["m"], errors="coerce")
    month = month.fillna(parts["mon"].str.lower().map(MONTHS))
    day = pd.to_numeric(parts["d"], errors="coerce")
    numeric = form == "numeric"
    if numeric.any():
        a, b = pd.to_numeric(parts["a"]), pd.to_numeric(parts["b"])
        if convention.dayfirst is False:
            month, day = month.mask(numeric, a), day.mask(numeric, b)
        else:  # day-first, or every numeric date reads the same both ways (a == b)
            month, day = month.mask(numeric, b), day.mask(numeric, a)
        if convention.dayfirst is None:  # only dates whose numbers are equal, or above 12
            month = month.mask(numeric & (a != b), np.nan)
    two_digit = parts["y"].str.len().eq(2).fillna(False).to_numpy(bool)
    y = y.mask(pd.Series(two_digit, index=y.index), np.where(y < PIVOT, 2000 + y, 1900 + y))
    partial = form.isin(["iso_month", "iso_year"])
    if not rules.partial:
        y = y.mask(partial)
    month = month.mask(form == "iso_year", 1)
    day = day.mask(partial, 1)
    frame = pd.DataFrame({"year": y, "month": month, "day": day})
    ok = frame.notna().all(axis=1) & y.between(1678, 2261)
    parsed = pd.Series(pd.NaT, index=uniq.index, dtype="datetime64[ns]")
    if ok.any():
        parsed[ok] = pd.to_datetime(frame[ok].astype("int64"), errors="coerce")
    serial = form == "excel_serial"
    if serial.any():
        days = pd.to_numeric(parts.loc[serial, "serial"]).astype("int64").to_numpy()
        parsed[serial] = (EXCEL_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[ns]")
    precision = form.map(PRECISION).where(partial & rules.partial)
    unreadable_u = uniq.notna() & parsed.isna()
    time_u = unreadable_u & uniq.str.fullmatch(TIME_ONLY).fillna(False).astype(bool)
    dates = take(parsed, codes, values.index)
    bad = take_mask(unreadable_u & ~time_u, codes)
    clash = np.zeros(len(values), bool)
    two = take_mask(two_digit & parsed.notna().to_numpy(), codes)
    if year is not None and two.any():
        stated = pd.to_numeric(year, errors="coerce").to_numpy("float64", na_value=np.nan)
        written = dates.dt.year.to_numpy("float64", na_value=np.nan)
        clash = two & ~np.isnan(stated) & (written != stated)
        dates = dates.mask(clash)
    return DateReading(dates, take_category(precision, codes, values.index), bad,
                       expected(convention, rules), clash, take_mask(time_u, codes))


def expected(convention: Convention, rules: DateRules) -> str:
    """What a date column should hold, in words, for error messages."""
    numeric = {True: ", or day-first numbers (20/12/2020) as in the rest of the file",
               False: ", or month-first numbers (12/20/2020) as in the rest of the file",
               None: ""}[convention.dayfirst]
    partial = " (or 2020-12 / 2020 for month / year)" if rules.partial else ""
    return (f"a date that exists in the calendar, such as 2020-12-20{partial} or 20 December "
            f"2020{numeric}")
