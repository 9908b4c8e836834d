"""The canonical event table: column names, dtypes, and validation with errors a journalist can act on.

Every reader in :mod:`analysis.io` returns this table, and every transform downstream
(``count_events``, ``flag_violations``, ``add_anniversary_window`` ...) expects it.

Columns
-------
=================  ==============  ===============================================================
column             dtype           meaning
=================  ==============  ===============================================================
event_id           str             unique identifier (the source's own id where it has one)
date               datetime64      the day the event is counted on (the source's own date)
date_start         datetime64      earliest possible date (= ``date`` for day precision)
date_end           datetime64      latest possible date (= ``date`` for day precision)
date_precision     category        day / week / month / year / range
country            text cat        country name (as the source writes it; GDELT's FIPS codes become names)
country_iso3       text cat        ISO 3166-1 alpha-3 code of the country (``XKX`` for Kosovo), from the
                                   reader's codes or the country vocabulary; blank when unknown
admin1             text cat        first-level region (governorate, province, state)
location           text cat        place name as given by the source
latitude           Float64         WGS84 degrees, blank when the source gives none
longitude          Float64         WGS84 degrees
actor              text cat        the perpetrator as named by the source
actor_group        text cat        the group the actor belongs to (see ``normalize_actors``)
attribution        category        claimed / attributed / suspected / unknown
target             text cat        what was hit, as described
target_type        text cat        coded target (e.g. diplomatic, military_base, logistics_convoy)
event_type         text cat        coded kind of event (e.g. rocket attack, IED attack)
killed             Int64           people killed, the best figure (blank = not reported; 0 = none
                                   reported): the source's own best estimate where it gives one
                                   (UCDP ``best``), else the low end of a range or of "at least N"
killed_low         Int64           the lowest figure reported (= ``killed`` for a single figure)
killed_high        Int64           the highest figure reported (blank for "at least N": no upper bound)
wounded            Int64           people wounded (best figure, as ``killed``)
wounded_low        Int64           the lowest figure reported
wounded_high       Int64           the highest figure reported
source             text cat        outlet(s) or dataset the row was coded from
source_url         str             link to the source (http/https)
notes              str             short description
dataset            text cat        which dataset the row came from (e.g. ``ucdp_ged``)
=================  ==============  ===============================================================

"text cat" columns are categoricals of text (see :data:`CATEGORY_COLUMNS`); "str" is pandas'
text dtype. Any other column passes through unchanged, after the canonical ones.

Date ranges: ``date_start <= date <= date_end`` always holds. A source that reports only a
week gives ``date`` ± 3 days; a month gives that calendar month; UCDP's ``date_start`` /
``date_end`` are kept as they are. Counting uses ``date``; truce logic uses the range to
mark *possible* violations.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.dates import (
    TIME_ONLY_EXPECTED,
    AmbiguousDates,
    DateReading,
    DateRules,
    decide_convention,
    read_dates,
)
from analysis.values import (
    EDGES,
    INVISIBLE,
    MAY_BE_SPACE,
    STR_DTYPE,
    distinct_text,
    take,
    take_mask,
    text_ends,
)

PRECISIONS = ("day", "week", "month", "year", "range")
ATTRIBUTIONS = ("claimed", "attributed", "suspected", "unknown")

PRECISION_DTYPE = pd.CategoricalDtype(list(PRECISIONS))
ATTRIBUTION_DTYPE = pd.CategoricalDtype(list(ATTRIBUTIONS), ordered=True)
DATE_DTYPE = "datetime64[ns]"

#: canonical column -> dtype, in table order
EVENT_COLUMNS: dict[str, object] = {
    "event_id": STR_DTYPE,
    "date": DATE_DTYPE,
    "date_start": DATE_DTYPE,
    "date_end": DATE_DTYPE,
    "date_precision": PRECISION_DTYPE,
    "country": "category",
    "country_iso3": "category",
    "admin1": "category",
    "location": "category",
    "latitude": "Float64",
    "longitude": "Float64",
    "actor": "category",
    "actor_group": "category",
    "attribution": ATTRIBUTION_DTYPE,
    "target": "category",
    "target_type": "category",
    "event_type": "category",
    "killed": "Int64",
    "killed_low": "Int64",
    "killed_high": "Int64",
    "wounded": "Int64",
    "wounded_low": "Int64",
    "wounded_high": "Int64",
    "source": "category",
    "source_url": STR_DTYPE,
    "notes": STR_DTYPE,
    "dataset": "category",
}
REQUIRED_COLUMNS = ("event_id", "date")
DATE_COLUMNS = ("date", "date_start", "date_end")
#: text columns whose values repeat (a few hundred places, groups or types in millions of rows),
#: held as pandas categoricals of trimmed text: a 10M-row table stays small, and joins, filters
#: and ``take`` work on integer codes. They read like any text column (``==``, ``.isin``,
#: ``.str``); to put a new value in one, add it first (``.cat.add_categories``) or use ``.astype(str)``.
CATEGORY_COLUMNS = tuple(c for c, d in EVENT_COLUMNS.items() if isinstance(d, str) and d == "category")
#: columns read from text into dates, numbers or fixed categories (the others stay text)
PARSED_COLUMNS = tuple(c for c, d in EVENT_COLUMNS.items()
                       if d is not STR_DTYPE and c not in CATEGORY_COLUMNS)
_MAX_LISTED = 10



class DataError(ValueError):
    """Bad input data. The message names the file, rows, column, bad values and what was expected.

    Attributes
    ----------
    source : str or None
        File (or description of the table) the data came from.
    column : str or None
        Column at fault (of the first problem, when there are several).
    rows : list of int
        Row numbers as a spreadsheet shows them (header = row 1) for files, or index labels
        for an in-memory table.
    values : list
        The offending values, in the order of ``rows`` (at most the first ten).
    expected : str
        What the column should hold.
    problems : list of Problem
        Every problem found (a file with several kinds of fault reports them all at once).
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        column: str | None = None,
        rows: Sequence[int] = (),
        values: Sequence[object] = (),
        expected: str = "",
        problems: Sequence[Problem] = (),
    ) -> None:
        self.problem = problem
        self.source = source
        self.column = column
        self.rows = [int(r) for r in rows]
        self.values = list(values)
        self.expected = expected
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.source}: " if self.source else ""
        first = describe(self.problem, self.column, self.rows, self.values, self.expected)
        if len(self.problems) <= 1:
            return where + first
        lines = [f"{where}{len(self.problems)} problems found"]
        lines += [f"  - {p.describe()}" for p in self.problems]
        return "\n".join(lines)


def describe(problem: str, column, rows: Sequence[int], values: Sequence[object], expected) -> str:
    """One readable sentence for a problem: what, which column, which rows and values, expected."""
    parts = [problem]
    if column is not None:
        parts.append(f"column {column!r}")
    if len(rows):
        shown = ", ".join(
            f"row {r} ({v!r})" if i < len(values) else f"row {r}"
            for i, r, v in zip(range(_MAX_LISTED), rows, list(values) + [None] * len(rows),
                               strict=False)
        )
        more = f" and {len(rows) - _MAX_LISTED} more" if len(rows) > _MAX_LISTED else ""
        parts.append(f"{len(rows)} row(s): {shown}{more}")
    if expected:
        parts.append(f"expected {expected}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One broken rule: the 0-based positions of the rows, the column, and the raw values."""

    problem: str
    column: str
    positions: np.ndarray
    values: np.ndarray
    expected: str
    rows: np.ndarray = field(default_factory=lambda: np.array([], dtype=int))

    def describe(self) -> str:
        return describe(self.problem, self.column, self.rows.tolist(),
                        [plain_value(v) for v in self.values[:_MAX_LISTED]], self.expected)

    def error(self, *, source: str | None, problems: Sequence[Problem] = ()) -> DataError:
        return DataError(self.problem, source=source, column=self.column,
                         rows=self.rows.tolist(),
                         values=[plain_value(v) for v in self.values[:_MAX_LISTED]],
                         expected=self.expected, problems=problems)


#: how dates are read when the caller gives no rules (any form; partial dates allowed)
DEFAULT_DATES = DateRules()


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
    # the two costly whole-column checks run beside the conversions (Arrow releases the GIL),
    # so their columns come first (text columns: they cannot hold an unreadable value, so the
    # problems are listed in table order all the same)
    first = ["event_id", "source_url"]
    with ThreadPoolExecutor(max_workers=2) as pool:
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
                pending["unique"] = pool.submit(_all_different, out[col])
                pending["invisible"] = pool.submit(_invisible, out[col])
            elif col == "source_url":
                pending["web"] = pool.submit(_web_addresses, out[col])
        for col in CASUALTY_COLUMNS:
            for problem in _casualties(df, col, out):
                add(*problem)
            notes += _outside_range(out, col, labels)
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
    (as many exports are) are told apart in one pass; otherwise by hashing."""
    arr = pa.array(ids.array)
    if arr.null_count == 0 and len(arr) > 1:
        head, tail = arr[:-1], arr[1:]
        if pc.all(pc.less(head, tail)).as_py() or pc.all(pc.greater(head, tail)).as_py():
            return True
    return not ids.dropna().duplicated().any()


def _invisible(ids: pd.Series) -> np.ndarray:
    """True where an id holds an invisible formatting character (inside it: the edges are
    trimmed like white space)."""
    found = pc.match_substring_regex(pa.array(ids.array), f"[{INVISIBLE}]")
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def _web_addresses(url: pd.Series) -> np.ndarray:
    """True where the value is blank or an http(s) address without spaces."""
    ok = pc.match_substring_regex(pa.array(url.array), r"^https?://\S+$").fill_null(True)
    return ok.to_numpy(zero_copy_only=False)


def _positions(problems: Sequence[Problem], column: str | None = None) -> np.ndarray:
    found = [p.positions for p in problems if column is None or p.column == column]
    return np.concatenate(found) if found else np.array([], dtype=int)


#: casualty columns, each with a ``_low`` and a ``_high`` beside it
CASUALTY_COLUMNS = ("killed", "wounded")
#: every column :func:`_casualties` fills: the figures and their ranges
_CASUALTY_FIGURES = frozenset(f"{c}{side}" for c in CASUALTY_COLUMNS for side in ("", "_low", "_high"))
COUNT_EXPECTED = ("a whole number (5), a range (3-14), 'at least 5' (or '5+', 'more than 5'), "
                  "or blank for not reported")
#: the written forms of a casualty figure: (regex, how the low and high follow from n / lo, hi)
_COUNT_FORMS = [
    re.compile(r"^(?P<n>-?\d+)(?:\.0*)?$"),
    re.compile(r"^(?P<lo>\d+)\s*(?:-|\u2013|\u2014|to)\s*(?P<hi>\d+)$", re.IGNORECASE),
    re.compile(r"^(?:(?:at\s+least|min(?:imum)?\.?|>=|\u2265)\s*(?P<atleast>\d+)"
               r"|(?P<plus>\d+)\s*(?:\+|or\s+more))$", re.IGNORECASE),
    re.compile(r"^(?:more\s+than|over|>)\s*(?P<over>\d+)$", re.IGNORECASE),
]


def read_counts(raw: pd.Series | None, index: pd.Index
                ) -> tuple[pd.Series, pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """A casualty column as (best, low, high, written as a range, unreadable), each Int64.

    ``5`` gives 5, 5, 5; ``3-14`` gives 3, 3, 14 (the best figure of a range is its low end);
    ``at least 5`` and ``5+`` give 5, 5, blank; ``more than 5`` gives 6, 6, blank. Numbers
    must be whole and are read exactly (no rounding through floating point).
    """
    none = np.zeros(len(index), bool)
    if raw is None:
        blank = pd.Series(pd.array([pd.NA] * len(index), dtype="Int64"), index=index)
        return blank, blank, blank, none, none
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        best, bad = _whole_numbers(raw)
        return best, best, best, none, bad
    if (plain := _plain_integers(raw)) is not None:
        return plain, plain, plain, none, none
    codes, uniq = distinct_text(raw)
    parts = pd.concat([uniq.str.extract(form) for form in _COUNT_FORMS], axis=1)
    n = _exact_int(parts["n"])
    lo, hi = _exact_int(parts["lo"]), _exact_int(parts["hi"])
    open_low = _exact_int(parts["atleast"]).fillna(_exact_int(parts["plus"]))
    open_low = open_low.fillna(_exact_int(parts["over"]) + 1)
    ordered = lo.isna() | (lo <= hi)
    low = n.fillna(lo.where(ordered)).fillna(open_low)
    high = n.fillna(hi.where(ordered))
    ranged_u = lo.notna() | open_low.notna()
    bad_u = uniq.notna() & low.isna()
    low = take(low, codes, index)  # (the best figure is the low one: one column for both)
    return (low, low, take(high, codes, index), take_mask(ranged_u, codes),
            take_mask(bad_u, codes))


def _exact_int(digits: pd.Series) -> pd.Series:
    """Digit strings as Int64, exactly; more than 18 digits is unreadable (blank)."""
    text = digits.astype(object).where(digits.notna() & (digits.str.lstrip("-").str.len() <= 18),
                                       None)
    arr = pa.array(text.to_numpy(), pa.string()).cast(pa.int64())
    return pd.Series(_int64(arr), index=digits.index)


def _whole_numbers(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A numeric column as Int64: integers as they are; floats only when whole and held
    exactly (``inf``, ``1e30`` or ``2.5`` are unreadable, never wrapped round or rounded)."""
    if pd.api.types.is_integer_dtype(raw):
        return raw.astype("Int64"), np.zeros(len(raw), bool)
    value = raw.astype("Float64").to_numpy("float64", na_value=0.0)
    odd = (np.abs(value) >= 2**53) | (np.floor(value) != value)
    return raw.astype("Float64").mask(odd).astype("Int64"), odd


def _plain_integers(raw: pd.Series) -> pd.Series | None:
    """Arrow-backed text that holds only whole numbers and blanks, as Int64 in one pass
    (exact); None when any value needs the careful path (a range, white space, "5.0" ...)."""
    if not isinstance(raw.array, pd.arrays.ArrowStringArray):
        return None
    text = pa.array(raw.array)
    blank = pc.equal(pc.binary_length(text), 0)
    if pc.any(blank).as_py():
        text = pc.if_else(blank, pa.scalar(None, text.type), text)
    try:
        numbers = pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(_int64(numbers), index=raw.index)


def _int64(values: pa.Array | pa.ChunkedArray) -> pd.arrays.IntegerArray:
    """Arrow int64 as pandas Int64, exactly (``pd.array`` goes through float64 when there
    are nulls, rounding numbers beyond 2**53)."""
    return pd.array(values.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get),
                    dtype="Int64")


def _casualties(df: pd.DataFrame, col: str, out: dict) -> list[tuple]:
    """Read ``col`` with its ``_low`` and ``_high`` into ``out``; return the problems as
    ``add`` arguments. A low or high column in the file is used where given; it must agree
    with a range written in ``col`` itself, and low <= best <= high must hold."""
    raw = df[col] if col in df.columns else None
    best, low, high, ranged, bad = read_counts(raw, df.index)
    found = [(bad, col, "value could not be read", COUNT_EXPECTED, raw)]
    for side, written in (("low", low), ("high", high)):
        name = f"{col}_{side}"
        if name not in df.columns:
            out[name] = written
            continue
        given, given_bad = _whole_numbers(df[name]) if pd.api.types.is_numeric_dtype(
            df[name]) else _given_counts(df[name])
        found.append((given_bad, name, "value could not be read", "a whole number or blank",
                      df[name]))
        differ = ranged & (given != written).fillna(False).to_numpy(bool)
        found.append((differ, name, f"disagrees with the range written in {col!r}",
                      f"the same figure as the range in {col!r} (or blank)", df[name]))
        gaps = (given.isna() & written.notna()).to_numpy(bool)
        out[name] = given.fillna(written) if gaps.any() else given
    out[col] = best
    for name in (col, f"{col}_low", f"{col}_high"):
        if name == col or name in df.columns:  # a figure derived from another is not re-told
            negative = (out[name] < 0).fillna(False).to_numpy(bool)
            found.append((negative, name, "negative count", "a whole number >= 0 or blank",
                          out[name]))
    return found


def _outside_range(out: dict, col: str, labels: np.ndarray) -> list[str]:
    """A note (not a rejection: sources publish such rows, UCDP among them) on figures that
    lie outside their own low-high range."""
    best, low, high = out[col], out[f"{col}_low"], out[f"{col}_high"]
    outside = ((low > best) | (best > high)).fillna(False).to_numpy(bool)
    if not outside.any():
        return []
    i = np.flatnonzero(outside)[0]
    return [f"{outside.sum():,} events have a {col} figure outside their own {col}_low-"
            f"{col}_high range, kept as the source gives them (e.g. row {labels[i]}: {best.iloc[i]} "
            f"with {low.iloc[i]}-{high.iloc[i]})"]


def _given_counts(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A low or high column written as text: whole numbers only."""
    if (plain := _plain_integers(raw)) is not None:
        return plain, np.zeros(len(raw), bool)
    codes, uniq = distinct_text(raw)
    digits = uniq.str.extract(_COUNT_FORMS[0])["n"]
    values = _exact_int(digits)
    return take(values, codes, raw.index), take_mask(uniq.notna() & values.isna(), codes)


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


class DataWarning(UserWarning):
    """Something in the data was read in a way worth knowing (a date order decided from the
    file, figures outside their own range, names not in a vocabulary): the table is right,
    but say so in the story's methods."""


def warn_notes(notes: Sequence[str], source: str | None = None, *, stacklevel: int = 3) -> None:
    """Emit each note as a :class:`DataWarning` naming the source. ``stacklevel``: as for
    :func:`warnings.warn`, counted from the caller of this function (3: its caller's caller)."""
    for note in notes:
        warnings.warn(f"{source}: {note}" if source else note, DataWarning,
                      stacklevel=stacklevel)


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
        if (plain := _plain_numbers(raw)) is not None:
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
    if _may_need_strip(text):
        text = text.str.strip(EDGES)
    blank = text == ""
    return (text.where(~blank, np.nan) if blank.any() else text), none, ""


def _may_need_strip(text: pd.Series) -> bool:
    """Whether any value may start or end with white space, from the first and last bytes of
    each Arrow value: False spares the copy of the column that ``str.strip`` makes (0.4 GB
    for 10M web addresses)."""
    if not isinstance(text.array, pd.arrays.ArrowStringArray):
        return True
    length, first, last = text_ends(pa.array(text.array))
    return bool(((length > 0) & (MAY_BE_SPACE[first] | MAY_BE_SPACE[last])).any())


def _plain_numbers(raw: pd.Series) -> pd.Series | None:
    """Arrow-backed text that holds only numbers and blanks, as ``Float64`` in one pass; None
    when any value needs the careful path (white space, text that is no number, "nan").

    The careful path parses each distinct value once, which costs a hash of every row: right
    for counts (a few distinct values), 10x slower for coordinates (nearly all distinct).
    What Arrow reads, the careful path's ``pd.to_numeric`` reads to the same double (checked
    on 12M values written with 4 to 20 digits, and on forms such as ``1e1``, ``+5``, ``.5``,
    ``inf``); what it refuses (``1,5``, ``0x1A``, padded values ...) goes the careful way.
    """
    if not isinstance(raw.array, pd.arrays.ArrowStringArray):
        return None
    text = pa.array(raw.array)
    blank = pc.equal(pc.binary_length(text), 0)
    if pc.any(blank).as_py():
        text = pc.if_else(blank, pa.scalar(None, text.type), text)
    try:
        numbers = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        return None
    if pc.any(pc.is_nan(numbers)).as_py():  # "nan" is no number to the careful path
        return None
    values = numbers.to_numpy(zero_copy_only=False)  # blank = NaN, masked below
    return pd.Series(pd.arrays.FloatingArray(values, np.isnan(values)), index=raw.index)


def text_category(values: pd.Series) -> pd.Series:
    """Text as a categorical column of the canonical table: trimmed, blank = NaN, sorted
    categories (those of a categorical input, trimmed; else the distinct values).

    Examples
    --------
    >>> text_category(pd.Series([" Basra", "Basra", "", "Anbar"])).cat.categories.tolist()
    ['Anbar', 'Basra']
    """
    codes, uniq = distinct_text(values)
    merged, names = pd.factorize(uniq, sort=True)  # trimming can make two values one
    if (isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.dtype == STR_DTYPE
            and (merged == np.arange(len(uniq))).all()
            and uniq.equals(pd.Series(values.cat.categories, dtype=STR_DTYPE))):
        return values  # already canonical (trimmed, sorted, no blank): no copy
    cats = pd.Categorical.from_codes(np.append(merged, -1)[codes],
                                     categories=pd.Index(names, dtype=STR_DTYPE), validate=False)
    return pd.Series(cats, index=values.index, name=values.name)


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


def plain_value(value: object) -> object:
    """A value as a journalist would recognise it in an error message."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):  # NA, NaN, NaT
        return ""
    if isinstance(value, pd.Timestamp | np.datetime64):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, np.generic):
        return value.item()
    return value


def text_table(
    raw: pd.DataFrame,
    columns: Sequence[str],
    required: Sequence[str],
    *,
    source: str,
    what: str,
) -> pd.DataFrame:
    """A small hand-kept table (truces, key dates) as trimmed text in ``columns`` order, blank
    cells missing; a missing required column raises :class:`DataError` naming the table."""
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(map(repr, missing))}", source=source,
                        expected=f"a {what} with columns " + ", ".join(columns))
    table = pd.DataFrame({c: raw[c] if c in raw.columns else np.nan for c in columns},
                         index=raw.index).astype(STR_DTYPE)
    return table.apply(lambda s: s.str.strip().replace("", np.nan)).reset_index(drop=True)


def take_rows(table: pd.DataFrame, positions: np.ndarray) -> dict[str, object]:
    """The columns of ``table`` at row ``positions`` (0-based, each may repeat), as arrays by name.

    Columns are taken side by side on every core (NumPy and Arrow release the GIL while they
    copy), and nothing is consolidated: several times faster than ``DataFrame.take`` on a
    10M-row table. Build the result with ``pd.DataFrame(columns, copy=False)``.
    """
    names = list(table.columns)
    with ThreadPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1) or 1) as pool:
        taken = pool.map(lambda i: table.iloc[:, i].array.take(positions), range(len(names)))
        return dict(zip(names, taken, strict=True))


def empty_events() -> pd.DataFrame:
    """An event table with no rows and every canonical column (handy for tests and charts)."""
    no_text = pd.CategoricalDtype(pd.Index([], dtype=STR_DTYPE))  # text categories, none yet
    return pd.DataFrame({c: pd.Series(dtype=no_text if c in CATEGORY_COLUMNS else d)
                         for c, d in EVENT_COLUMNS.items()})

