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
country            str             country name
admin1             str             first-level region (governorate, province, state)
location           str             place name as given by the source
latitude           Float64         WGS84 degrees, blank when the source gives none
longitude          Float64         WGS84 degrees
actor              str             the perpetrator as named by the source
actor_group        str             the group the actor belongs to (see ``normalize_actors``)
attribution        category        claimed / attributed / suspected / unknown
target             str             what was hit, as described
target_type        str             coded target (e.g. diplomatic, military_base, logistics_convoy)
event_type         str             coded kind of event (e.g. rocket attack, IED attack)
killed             Int64           people killed (blank = not reported; 0 = none reported)
wounded            Int64           people wounded
source             str             outlet(s) or dataset the row was coded from
source_url         str             link to the source (http/https)
notes              str             short description
dataset            str             which dataset the row came from (e.g. ``ucdp_ged``)
=================  ==============  ===============================================================

Any other column passes through unchanged, after the canonical ones.

Date ranges: ``date_start <= date <= date_end`` always holds. A source that reports only a
week gives ``date`` ± 3 days; a month gives that calendar month; UCDP's ``date_start`` /
``date_end`` are kept as they are. Counting uses ``date``; truce logic uses the range to
mark *possible* violations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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
    "country": STR_DTYPE,
    "admin1": STR_DTYPE,
    "location": STR_DTYPE,
    "latitude": "Float64",
    "longitude": "Float64",
    "actor": STR_DTYPE,
    "actor_group": STR_DTYPE,
    "attribution": ATTRIBUTION_DTYPE,
    "target": STR_DTYPE,
    "target_type": STR_DTYPE,
    "event_type": STR_DTYPE,
    "killed": "Int64",
    "wounded": "Int64",
    "source": STR_DTYPE,
    "source_url": STR_DTYPE,
    "notes": STR_DTYPE,
    "dataset": STR_DTYPE,
}
REQUIRED_COLUMNS = ("event_id", "date")
#: text columns whose values repeat (a few hundred places, groups or types in millions of rows):
#: held as pandas categoricals, so a 10M-row table stays small and joins, filters and
#: ``take`` work on integer codes. Their values read like any text (``==``, ``.isin``, ``.str``).
CATEGORY_COLUMNS = ("country", "admin1", "location", "actor", "actor_group", "target",
                    "target_type", "event_type", "source", "dataset")
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

    def add(mask, column: str, problem: str, expected: str, raw: pd.Series | None = None) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            pos = np.flatnonzero(mask)
            vals = (raw if raw is not None else table[column]).to_numpy()[pos]
            problems.append(Problem(problem, column, pos, vals, expected, labels[pos]))

    out = {}
    for col, dtype in EVENT_COLUMNS.items():
        raw = df[col] if col in df.columns else pd.Series(np.nan, index=df.index, dtype=object)
        out[col], bad, expected = _coerce_column(raw, dtype)
        add(bad, col, "value could not be read", expected, raw)
    out["date_precision"], clash = _precision_from_partial_dates(df, out["date_precision"])
    add(clash, "date_precision", "date is partial but date_precision says otherwise",
        "month for a YYYY-MM date, year for a YYYY date (or blank)", df.get("date_precision"))
    table = _derive_ranges(pd.DataFrame(out, index=df.index))
    extras = [c for c in df.columns if c not in EVENT_COLUMNS]
    if extras:
        table = pd.concat([table, df[extras]], axis=1)

    read_ok = ~np.isin(np.arange(len(table)), [p for q in problems for p in q.positions])
    add(table["event_id"].isna() & read_ok, "event_id", "missing event id", "a non-empty id")
    dup = table["event_id"].duplicated(keep=False) & table["event_id"].notna()
    add(dup, "event_id", "duplicate event id", "each event_id to appear once")
    add(table["date"].isna() & ~np.isin(np.arange(len(table)), _positions(problems, "date")),
        "date", "missing date", "an ISO date (YYYY-MM-DD)")
    add((table["date_start"] > table["date"]).fillna(False), "date_start",
        "date_start after date", "date_start <= date")
    add((table["date_end"] < table["date"]).fillna(False), "date_end",
        "date_end before date", "date_end >= date")
    for col in ("killed", "wounded"):
        add((table[col] < 0).fillna(False), col, "negative count", "a whole number >= 0 or blank")
    for col, lim in (("latitude", 90), ("longitude", 180)):
        add((table[col].abs() > lim).fillna(False), col, f"{col} out of range",
            f"a number between -{lim} and {lim}")
    url = table["source_url"]
    add(url.notna() & ~url.str.match(r"^https?://\S+$", na=False), "source_url",
        "not a web address", "a URL starting with http:// or https://")
    return table, problems


def _positions(problems: Sequence[Problem], column: str) -> np.ndarray:
    found = [p.positions for p in problems if p.column == column]
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


def _coerce_column(raw: pd.Series, dtype) -> tuple[pd.Series, np.ndarray, str]:
    """Convert one column; return the values, a mask of unconvertible entries, and the expectation."""
    if isinstance(dtype, str) and dtype.startswith("datetime64"):
        expected = "an ISO date (YYYY-MM-DD) that exists in the calendar"
        if pd.api.types.is_datetime64_any_dtype(raw):
            raw = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
            return raw.dt.normalize().astype(dtype), np.zeros(len(raw), bool), expected
        parsed = pd.to_datetime(raw, errors="coerce", format="ISO8601")
        return parsed.dt.normalize().astype(dtype), _unread(raw, parsed), expected
    if dtype in ("Int64", "Float64"):
        expected = "a whole number or blank" if dtype == "Int64" else "a number or blank"
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            parsed = raw.astype("Float64")
        else:
            text = raw.astype(STR_DTYPE).str.strip()
            parsed = pd.to_numeric(text.where(text != "", np.nan), errors="coerce").astype("Float64")
        bad = _unread(raw, parsed)
        if dtype == "Int64":
            frac = (parsed % 1 != 0).fillna(False).to_numpy()
            bad = bad | frac
            parsed = parsed.mask(frac)
        return parsed.astype(dtype), bad, expected
    if isinstance(dtype, pd.CategoricalDtype):
        expected = "one of " + ", ".join(dtype.categories) + " (or blank)"
        text = raw.astype(STR_DTYPE).str.strip().str.lower()
        text = text.where(text != "", np.nan)
        bad = (text.notna() & ~text.isin(dtype.categories)).to_numpy()
        default = "day" if dtype is PRECISION_DTYPE else "unknown"
        return text.mask(bad).fillna(default).astype(dtype), bad, expected
    text = raw.astype(STR_DTYPE).str.strip()
    return text.where(text != "", np.nan), np.zeros(len(raw), bool), ""


def _unread(raw: pd.Series, parsed: pd.Series) -> np.ndarray:
    """Entries that had a value but could not be converted."""
    present = raw.notna() & (raw.astype(STR_DTYPE).str.strip() != "")
    return (present & parsed.isna()).to_numpy(dtype=bool, copy=True)


def _precision_from_partial_dates(df: pd.DataFrame, precision: pd.Series):
    """``2019-11`` means month precision and ``2019`` year precision; a contradiction is flagged."""
    none = np.zeros(len(df), bool)
    if pd.api.types.is_datetime64_any_dtype(df["date"]):
        return precision, none
    text = df["date"].astype(STR_DTYPE).str.strip()
    implied = pd.Series(np.nan, index=df.index, dtype=STR_DTYPE)
    implied[text.str.fullmatch(r"\d{4}-\d{2}", na=False)] = "month"
    implied[text.str.fullmatch(r"\d{4}", na=False)] = "year"
    if not implied.notna().any():
        return precision, none
    stated = df["date_precision"] if "date_precision" in df.columns else pd.Series(np.nan, index=df.index)
    stated = stated.astype(STR_DTYPE).str.strip().str.lower()
    stated = stated.where(stated != "", np.nan)
    clash = (implied.notna() & stated.notna() & (stated != implied) & (stated != "range")).to_numpy()
    fill = (implied.notna() & stated.isna()).to_numpy()
    return precision.where(~fill, implied.astype(PRECISION_DTYPE)), clash


def _derive_ranges(table: pd.DataFrame) -> pd.DataFrame:
    """Fill blank ``date_start`` / ``date_end`` from ``date`` and ``date_precision``."""
    date, prec = table["date"], table["date_precision"]
    start, end = date.copy(), date.copy()
    week = (prec == "week").to_numpy()
    start[week] = date[week] - pd.Timedelta(days=3)
    end[week] = date[week] + pd.Timedelta(days=3)
    for label, freq in (("month", "M"), ("year", "Y")):
        sel = (prec == label).to_numpy()
        if sel.any():
            periods = date[sel].dt.to_period(freq)
            start[sel] = periods.dt.start_time
            end[sel] = periods.dt.end_time.dt.normalize()
    return table.assign(
        date_start=table["date_start"].fillna(start).astype(DATE_DTYPE),
        date_end=table["date_end"].fillna(end).astype(DATE_DTYPE),
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


def empty_events() -> pd.DataFrame:
    """An event table with no rows and every canonical column (handy for tests and charts)."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in EVENT_COLUMNS.items()})
