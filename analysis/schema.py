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
country            text cat        country name
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
killed             Int64           people killed (blank = not reported; 0 = none reported)
wounded            Int64           people wounded
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
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

PRECISIONS = ("day", "week", "month", "year", "range")
ATTRIBUTIONS = ("claimed", "attributed", "suspected", "unknown")

PRECISION_DTYPE = pd.CategoricalDtype(list(PRECISIONS))
ATTRIBUTION_DTYPE = pd.CategoricalDtype(list(ATTRIBUTIONS), ordered=True)
DATE_DTYPE = "datetime64[ns]"
STR_DTYPE = pd.StringDtype(na_value=np.nan)  # pandas' default "str" dtype

#: canonical column -> dtype, in table order
EVENT_COLUMNS: dict[str, object] = {
    "event_id": STR_DTYPE,
    "date": DATE_DTYPE,
    "date_start": DATE_DTYPE,
    "date_end": DATE_DTYPE,
    "date_precision": PRECISION_DTYPE,
    "country": "category",
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
    "wounded": "Int64",
    "source": "category",
    "source_url": STR_DTYPE,
    "notes": STR_DTYPE,
    "dataset": "category",
}
REQUIRED_COLUMNS = ("event_id", "date")
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
                        [_plain(v) for v in self.values[:_MAX_LISTED]], self.expected)

    def error(self, *, source: str | None, problems: Sequence[Problem] = ()) -> DataError:
        return DataError(self.problem, source=source, column=self.column,
                         rows=self.rows.tolist(),
                         values=[_plain(v) for v in self.values[:_MAX_LISTED]],
                         expected=self.expected, problems=problems)


def check_events(
    df: pd.DataFrame,
    *,
    source: str | None = None,
    rows: Sequence[int] | np.ndarray | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Coerce ``df`` to the canonical table and list every broken rule, without raising.

    Values that cannot be converted become blank in the returned table and are listed as
    problems. Only a missing required column raises (nothing can be checked without it).
    ``rows`` gives the row numbers to report (default: the index labels).
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

    out, pending = {}, {}
    # the date text is needed twice (to parse it, and to spot partial dates): factorize it once
    dates = None if pd.api.types.is_datetime64_any_dtype(df["date"]) else _distinct_text(df["date"])
    # the two costly whole-column checks run beside the conversions (Arrow releases the GIL),
    # so their columns come first (text columns: they cannot hold an unreadable value, so the
    # problems are listed in table order all the same)
    first = ["event_id", "source_url"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for col in [*first, *(c for c in EVENT_COLUMNS if c not in first)]:
            dtype = EVENT_COLUMNS[col]
            raw = df[col] if col in df.columns else pd.Series(np.nan, index=df.index, dtype=object)
            out[col], bad, expected = _coerce_column(raw, dtype, category=col in CATEGORY_COLUMNS,
                                                     distinct=dates if col == "date" else None)
            add(bad, col, "value could not be read", expected, raw)
            if col == "event_id":
                pending["unique"] = pool.submit(_all_different, out[col])
            elif col == "source_url":
                pending["web"] = pool.submit(_web_addresses, out[col])
        ids_unique, web = pending["unique"].result(), pending["web"].result()
    out["date_precision"], clash = _precision_from_partial_dates(df, out["date_precision"], dates)
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
    if not ids_unique:
        dup = table["event_id"].duplicated(keep=False) & table["event_id"].notna()
        add(dup, "event_id", "duplicate event id", "each event_id to appear once")
    date_ok = np.ones(n, dtype=bool)
    date_ok[_positions(problems, "date")] = False
    add(table["date"].isna() & date_ok, "date", "missing date", "an ISO date (YYYY-MM-DD)")
    add((table["date_start"] > table["date"]).fillna(False), "date_start",
        "date_start after date", "date_start <= date")
    add((table["date_end"] < table["date"]).fillna(False), "date_end",
        "date_end before date", "date_end >= date")
    for col in ("killed", "wounded"):
        add((table[col] < 0).fillna(False), col, "negative count", "a whole number >= 0 or blank")
    for col, lim in (("latitude", 90), ("longitude", 180)):
        add((table[col].abs() > lim).fillna(False), col, f"{col} out of range",
            f"a number between -{lim} and {lim}")
    add(~web, "source_url", "not a web address", "a URL starting with http:// or https://")
    return table, problems


def _all_different(ids: pd.Series) -> bool:
    """Whether no id repeats (blanks aside). Ids in strictly increasing or decreasing order
    (as many exports are) are told apart in one pass; otherwise by hashing."""
    arr = pa.array(ids.array)
    if arr.null_count == 0 and len(arr) > 1:
        head, tail = arr[:-1], arr[1:]
        if pc.all(pc.less(head, tail)).as_py() or pc.all(pc.greater(head, tail)).as_py():
            return True
    return not ids.dropna().duplicated().any()


def _web_addresses(url: pd.Series) -> np.ndarray:
    """True where the value is blank or an http(s) address without spaces."""
    ok = pc.match_substring_regex(pa.array(url.array), r"^https?://\S+$").fill_null(True)
    return ok.to_numpy(zero_copy_only=False)


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
      - value could not be read; column 'date'; 1 row(s): row 1 ('2020-02-31'); expected an ISO date (YYYY-MM-DD) that exists in the calendar
      - duplicate event id; column 'event_id'; 2 row(s): row 0 ('a'), row 1 ('a'); expected each event_id to appear once
    """
    table, problems = check_events(df, source=source, rows=rows)
    if problems:
        raise problems[0].error(source=source, problems=problems)
    return table


def _coerce_column(raw: pd.Series, dtype, *, category: bool = False,
                   distinct: tuple[np.ndarray, pd.Series] | None = None,
                   ) -> tuple[pd.Series, np.ndarray, str]:
    """Convert one column; return the values, a mask of unconvertible entries, and the expectation.

    Text is parsed once per distinct value (a 10M-row column of dates has a few thousand), and
    ``category`` columns come back as categoricals with trimmed categories. ``distinct``: the
    column's :func:`_distinct_text`, when the caller has it already.
    """
    none = np.zeros(len(raw), bool)
    if isinstance(dtype, str) and dtype.startswith("datetime64"):
        expected = "an ISO date (YYYY-MM-DD) that exists in the calendar"
        if pd.api.types.is_datetime64_any_dtype(raw):
            raw = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
            if not pd.DatetimeIndex(raw).is_normalized:  # a time of day: keep the day
                raw = raw.dt.normalize()
            return raw.astype(dtype), none, expected
        codes, uniq = distinct or _distinct_text(raw)
        parsed = pd.to_datetime(uniq, errors="coerce", format="ISO8601").dt.normalize()
        # a year such as "-3" or "0001" parses, but only 1677-2262 fit the table's dates
        parsed = parsed.where(parsed.between(pd.Timestamp.min, pd.Timestamp.max))
        return (_take(parsed.astype(dtype), codes, raw.index),
                _take_mask(uniq.notna() & parsed.isna(), codes), expected)
    if dtype in ("Int64", "Float64"):
        expected = "a whole number or blank" if dtype == "Int64" else "a number or blank"
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            parsed, bad = raw.astype("Float64"), none
        elif (plain := _plain_numbers(raw)) is not None:
            parsed, bad = plain, none
        else:
            codes, uniq = _distinct_text(raw)
            parsed_u = pd.to_numeric(uniq, errors="coerce").astype("Float64")
            parsed = _take(parsed_u, codes, raw.index)
            bad = _take_mask(uniq.notna() & parsed_u.isna(), codes)
        if dtype == "Int64" and not pd.api.types.is_integer_dtype(raw):
            # whole, and held exactly by a double: "inf" or "1e30" must not wrap round to -2**63
            value = parsed.to_numpy("float64", na_value=0.0)
            odd = (np.abs(value) >= 2**53) | (np.floor(value) != value)
            bad = bad | odd
            parsed = parsed.mask(odd)
        return parsed.astype(dtype), bad, expected
    if isinstance(dtype, pd.CategoricalDtype):
        expected = "one of " + ", ".join(dtype.categories) + " (or blank)"
        codes, uniq = _distinct_text(raw)
        uniq = uniq.str.lower()
        bad_u = uniq.notna() & ~uniq.isin(dtype.categories)
        default = "day" if dtype is PRECISION_DTYPE else "unknown"
        value_codes = dtype.categories.get_indexer(uniq.mask(bad_u).fillna(default))
        new_codes = np.append(value_codes, dtype.categories.get_loc(default))[codes]
        return (pd.Series(pd.Categorical.from_codes(new_codes, dtype=dtype), index=raw.index),
                _take_mask(bad_u, codes), expected)
    if category:
        return text_category(raw), none, ""
    text = raw.astype(STR_DTYPE)
    if _may_need_strip(text):
        text = text.str.strip()
    blank = text == ""
    return (text.where(~blank, np.nan) if blank.any() else text), none, ""


#: bytes that may begin or end white space: ASCII white space (as ``str.isspace`` has it)
#: and any byte of a non-ASCII character (Unicode white space)
_MAY_BE_SPACE = np.zeros(256, dtype=bool)
_MAY_BE_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAY_BE_SPACE[128:] = True


def _may_need_strip(text: pd.Series) -> bool:
    """Whether any value may start or end with white space, from the first and last bytes of
    each Arrow value: False spares the copy of the column that ``str.strip`` makes (0.4 GB
    for 10M web addresses)."""
    if not isinstance(text.array, pd.arrays.ArrowStringArray):
        return True
    values = pa.array(text.array)  # a chunked array, or (one piece) an array
    for chunk in getattr(values, "chunks", [values]):
        _, offsets, data = chunk.buffers()
        if data is None or not data.size:
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        ends = np.frombuffer(offsets, width)[chunk.offset:chunk.offset + len(chunk) + 1]
        start, stop = ends[:-1], ends[1:]
        filled = stop > start
        edges = np.frombuffer(data, np.uint8)
        if (_MAY_BE_SPACE[edges[start[filled]]].any()
                or _MAY_BE_SPACE[edges[stop[filled] - 1]].any()):
            return True
    return False


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
    codes, uniq = _distinct_text(values)
    merged, names = pd.factorize(uniq, sort=True)  # trimming can make two values one
    if (isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.dtype == STR_DTYPE
            and (merged == np.arange(len(uniq))).all()):
        return values  # already canonical (trimmed, sorted, no blank): no copy
    cats = pd.Categorical.from_codes(np.append(merged, -1)[codes],
                                     categories=pd.Index(names, dtype=STR_DTYPE), validate=False)
    return pd.Series(cats, index=values.index, name=values.name)


def value_codes(values: pd.Series) -> tuple[np.ndarray, object]:
    """Each row's code into the column's distinct values (-1 = blank), and those values: a
    categorical's own codes and categories (no pass over the rows), else ``pd.factorize``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    return pd.factorize(values, use_na_sentinel=True)


def _distinct_text(raw: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``raw`` as (codes, distinct values trimmed, blank = NaN); a blank value has code -1."""
    codes, uniq = value_codes(raw)
    text = pd.Series(uniq).astype(STR_DTYPE).str.strip()
    return codes, text.where(text != "", np.nan)


def _take(values: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``values[codes]`` as a column; code -1 gives a blank."""
    filled = pd.concat([values.reset_index(drop=True), pd.Series([None], dtype=values.dtype)],
                       ignore_index=True)
    return pd.Series(filled.array.take(codes), index=index)


def _take_mask(mask: pd.Series, codes: np.ndarray) -> np.ndarray:
    return np.append(mask.to_numpy(dtype=bool), False)[codes]


def _precision_from_partial_dates(df: pd.DataFrame, precision: pd.Series,
                                  dates: tuple[np.ndarray, pd.Series] | None):
    """``2019-11`` means month precision and ``2019`` year precision; a contradiction is flagged.
    ``dates``: the date column's :func:`_distinct_text` (None when it holds dates, not text)."""
    none = np.zeros(len(df), bool)
    if dates is None:
        return precision, none
    codes, uniq = dates
    implied_u = pd.Series(np.nan, index=uniq.index, dtype=STR_DTYPE)
    implied_u[uniq.str.fullmatch(r"\d{4}-\d{2}", na=False)] = "month"
    implied_u[uniq.str.fullmatch(r"\d{4}", na=False)] = "year"
    if not implied_u.notna().any():
        return precision, none
    implied = _take(implied_u, codes, df.index)
    stated = df["date_precision"] if "date_precision" in df.columns else pd.Series(np.nan, index=df.index)
    stated = stated.astype(STR_DTYPE).str.strip().str.lower()
    stated = stated.where(stated != "", np.nan)
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


def _plain(value: object) -> object:
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

