"""The canonical event table: column names, dtypes, and the errors a journalist can act on.

Every reader in :mod:`analysis.io` returns this table, and every transform downstream
(``count_events``, ``flag_violations``, ``add_anniversary_window`` ...) expects it. The rules
a table must keep are checked by :func:`~analysis.validate.check_events` and
:func:`~analysis.validate.validate_events` (importable from here too), which report each
broken one as a :class:`Problem` inside a :class:`DataError`.

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

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# moved to analysis._kernels.threads and analysis.casualties; importable from here as before
from analysis._kernels.threads import take_columns as take_rows  # noqa: F401
from analysis.casualties import COUNT_EXPECTED as COUNT_EXPECTED
from analysis.casualties import read_counts as read_counts
from analysis.values import STR_DTYPE, closest, distinct_text

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
#: text columns whose values repeat (few places, groups or types beside the rows), held as
#: pandas categoricals of trimmed text: a large table stays small, and joins, filters and
#: ``take`` work on integer codes. They read like any text column (``==``, ``.isin``,
#: ``.str``); to put a new value in one, add it first (``.cat.add_categories``) or use ``.astype(str)``.
CATEGORY_COLUMNS = tuple(c for c, d in EVENT_COLUMNS.items() if isinstance(d, str) and d == "category")
#: columns read from text into dates, numbers or fixed categories (the others stay text)
PARSED_COLUMNS = tuple(c for c, d in EVENT_COLUMNS.items()
                       if d is not STR_DTYPE and c not in CATEGORY_COLUMNS)
#: casualty columns, each with a ``_low`` and a ``_high`` beside it (see :mod:`analysis.casualties`)
CASUALTY_COLUMNS = ("killed", "wounded")
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
        rows: Sequence[int] | np.ndarray = (),
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
        """The problem as one line: what, where (column, rows), the values, what was expected."""
        return describe(self.problem, self.column, self.rows.tolist(),
                        [plain_value(v) for v in self.values[:_MAX_LISTED]], self.expected)

    def error(self, *, source: str | None, problems: Sequence[Problem] = ()) -> DataError:
        """The problem as a :class:`DataError` naming the file; ``problems``: every problem found
        in the table, which the error carries."""
        return DataError(self.problem, source=source, column=self.column,
                         rows=self.rows.tolist(),
                         values=[plain_value(v) for v in self.values[:_MAX_LISTED]],
                         expected=self.expected, problems=problems)


class DataWarning(UserWarning):
    """Something in the data was read in a way worth knowing (a date order decided from the
    file, figures outside their own range, names not in a vocabulary): the table is right,
    but say so in the story's methods."""


def require_columns(table: object, columns: Sequence[str], *, source: str | None,
                    expected: str) -> None:
    """Raise :class:`DataError` unless ``table`` is a DataFrame holding every one of ``columns``:
    the error names the missing columns, the table expected (``expected``, e.g. "daily counts
    from count_events"), the columns found and the closest one to the first missing.

    >>> require_columns(pd.DataFrame({"Date": [], "count": []}), ["date", "count"],
    ...                 source="trend model", expected="counts from count_events")
    Traceback (most recent call last):
    ...
    analysis.schema.DataError: trend model: missing column(s) 'date'; expected counts from count_events with columns date, count (found: Date, count; did you mean 'Date'?)
    """
    if not isinstance(table, pd.DataFrame):
        raise DataError(f"expected a table (DataFrame), got {type(table).__name__}",
                        source=source, expected=expected)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        found = [str(c) for c in table.columns]
        near = closest(missing[0], found)
        shown = ", ".join(found[:12]) + (" ..." if len(found) > 12 else "") or "none"
        raise DataError(f"missing column(s) {', '.join(map(repr, missing))}", source=source,
                        expected=f"{expected} with columns {', '.join(columns)} (found: {shown}"
                        + (f"; did you mean {near!r}?)" if near else ")"))


class ProblemList:
    """Every broken rule of a hand-kept table, collected, then raised at once, as
    :func:`~analysis.validate.validate_events` reports an event file: :meth:`check` for each
    rule, then :meth:`raise_all`. A single problem reads as before; several are listed one a
    line, each with its column, rows (as a spreadsheet shows them) and values.

    >>> found = ProblemList("truces.csv", rows=np.array([2, 3]))
    >>> found.check([True, False], "truce_id", "missing truce id", "a non-empty id", ["", "T2"])
    >>> found.check([False, True], "start", "not a whole date", "YYYY-MM-DD", ["x", "2020-10"])
    >>> found.raise_all()
    Traceback (most recent call last):
    ...
    analysis.schema.DataError: truces.csv: 2 problems found
      - missing truce id; column 'truce_id'; 1 row(s): row 2 (''); expected a non-empty id
      - not a whole date; column 'start'; 1 row(s): row 3 ('2020-10'); expected YYYY-MM-DD
    """

    def __init__(self, source: str | None, rows: np.ndarray) -> None:
        self.source = source
        self.rows = np.asarray(rows)
        self.found: list[Problem] = []

    def check(self, mask: object, column: str, problem: str, expected: str,
              values: object) -> None:
        """Record the rule broken where ``mask`` is true (``values``: the cells, one a row)."""
        where = np.asarray(mask, dtype=bool)
        if where.any():
            pos = np.flatnonzero(where)
            cells = np.asarray(values, dtype=object)[pos]
            self.found.append(Problem(problem, column, pos, cells, expected, rows=self.rows[pos]))

    def raise_all(self) -> None:
        """Raise every problem found as one :class:`DataError` (nothing when none was)."""
        if self.found:
            raise self.found[0].error(source=self.source, problems=self.found)


def warn_notes(notes: Sequence[str], source: str | None = None, *, stacklevel: int = 3) -> None:
    """Emit each note as a :class:`DataWarning` naming the source. ``stacklevel``: as for
    :func:`warnings.warn`, counted from the caller of this function (3: its caller's caller)."""
    for note in notes:
        warnings.warn(f"{source}: {note}" if source else note, DataWarning,
                      stacklevel=stacklevel)


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
    require_columns(raw, required, source=source, expected=f"a {what}")
    table = pd.DataFrame({c: raw[c] if c in raw.columns else np.nan for c in columns},
                         index=raw.index).astype(STR_DTYPE)
    return table.apply(lambda s: s.str.strip().replace("", np.nan)).reset_index(drop=True)


def empty_events() -> pd.DataFrame:
    """An event table with no rows and every canonical column (handy for tests and charts)."""
    no_text = pd.CategoricalDtype(pd.Index([], dtype=STR_DTYPE))  # text categories, none yet
    return pd.DataFrame({c: pd.Series(dtype=no_text if c in CATEGORY_COLUMNS else d)
                         for c, d in EVENT_COLUMNS.items()})


#: names of analysis.validate, importable from here as before (loaded on first use: that
#: module imports this one)
_VALIDATE = ("Checked", "DEFAULT_DATES", "check_events", "validate_events")


def __getattr__(name: str):
    if name not in _VALIDATE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from analysis import validate

    return getattr(validate, name)
