"""A provider format as data: its columns, historical header names, null tokens and date
rules, and the function that maps its columns onto the canonical table.

Every format module (:mod:`analysis.io.acled`, :mod:`~analysis.io.ucdp` ...) defines one
:class:`Format`; :mod:`analysis.io.load` reads any of them the same way:

1. headers matched ignoring case, spaces and byte-order marks (:func:`normalise_header`),
   through the format's ``aliases`` (the names older releases used);
2. null tokens (``NA``, ``N/A``, ``NULL`` ...) read as blank and counted; spreadsheet error
   values (``#DIV/0!``) set aside, never read as blank;
3. header rows repeated inside the data set aside;
4. ``to_events`` maps the columns; :func:`analysis.schema.check_events` checks the result
   with the format's date rules.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis._kernels.arrow import MAY_BE_SPACE, columns_that_may_match, text_ends
from analysis.dates import DateRules
from analysis.io.files import SPREADSHEET_ERRORS
from analysis.io.text import RawText, normalise_header
from analysis.schema import DataError, Problem
from analysis.values import EDGES, STR_DTYPE

#: cells that mean "no value", compared after trimming and ignoring case: blank, R's ``NA``,
#: Excel's ``#N/A``, database exports' ``NULL``, Python's ``None``, a lone dash
NULL_TOKENS = frozenset({"", "na", "n/a", "#n/a", "null", "none", "-", "--"})


@dataclass(frozen=True)
class Mapped:
    """What a format's ``to_events`` returns: the table in canonical column names (others
    pass through), the row numbers of its rows, notes for the reader's report, rows set
    aside, and how many rows were folded into others (an ACLED monadic export's second
    actor rows)."""

    table: pd.DataFrame
    rows: np.ndarray
    notes: list[str] = field(default_factory=list)
    set_aside: list[Problem] = field(default_factory=list)
    folded: int = 0


@dataclass(frozen=True)
class Format:
    """One provider layout.

    ``columns``: the format's own header (its spelling) for detection and messages;
    ``required``: the columns without which nothing can be read (``"id|relid"``: one of
    them); ``aliases``: other header
    names (as :func:`normalise_header` writes them) for the same columns; ``layouts``: for
    header-less files, the column names by number of fields; ``repeated`` / ``parsed`` /
    ``numbers``: hints for the text engine (see :func:`analysis.io.text.read_delimited`);
    ``header_labels``: the labels a PDF export prints instead of the column names (to spot
    repeated header rows).
    """

    name: str
    title: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    to_events: Callable[[pd.DataFrame, np.ndarray], Mapped]
    aliases: Mapping[str, str] = field(default_factory=dict)
    null_tokens: frozenset[str] = NULL_TOKENS
    dates: DateRules = DateRules(partial=False)
    sep: str = ","
    layouts: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    header_labels: Mapping[str, str] = field(default_factory=dict)
    repeated: tuple[str, ...] = ()
    parsed: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()

    def lookup(self) -> dict[str, str]:
        """Normalised header -> the format's column name."""
        found = {normalise_header(c): c for c in self.columns}
        found.update({normalise_header(a): c for a, c in self.aliases.items()})
        return found

    def missing(self, header: list[str]) -> list[str]:
        """The required columns the header lacks (``"id|relid"``: either will do)."""
        have = set(resolve_names(header, self))
        return [c for c in self.required if not any(a in have for a in c.split("|"))]

    def overlap(self, header: list[str]) -> int:
        """How many of the header's columns the format knows."""
        return len(set(resolve_names(header, self)) & set(self.columns))


def resolve_names(header: list[str], fmt: Format) -> list[str]:
    """The header with every name the format knows in the format's spelling; other names
    trimmed, as written."""
    lookup = fmt.lookup()
    return [lookup.get(normalise_header(h), str(h).strip(EDGES)) for h in header]


def prepare(raw: RawText, fmt: Format, source: str) -> tuple[RawText, dict[str, int], list[str]]:
    """Rename the columns, read null tokens as blank (counting them) and set aside rows with
    spreadsheet error values or that repeat the header. Returns the table, the cells read as
    missing per column (blank cells included), and notes."""
    frame, notes = _rename(raw.frame, fmt, source)
    for col in fmt.repeated:  # as the fast text path reads them, whatever the file's kind
        if col not in frame.columns or isinstance(frame[col].dtype, pd.CategoricalDtype):
            continue
        if col in fmt.parsed and _typed(frame[col]):
            continue  # numbers or dates (Parquet, a spreadsheet): read as they are, not as text
        frame[col] = _as_category(frame[col])
    tokens: dict[str, int]
    missing, errors, tokens = {}, [], {}
    maybe = columns_that_may_match(frame, _CANDIDATE, nulls=True)
    for col in frame.columns[maybe]:
        frame[col], n_missing, found, bad = _blank_nulls(frame[col], fmt.null_tokens)
        if n_missing:
            missing[col] = n_missing
        for token, n in found.items():
            tokens[token] = tokens.get(token, 0) + n
        if bad.any():
            errors.append(Problem("spreadsheet error value (a formula that failed)", col,
                                  np.flatnonzero(bad), frame[col].iloc[np.flatnonzero(bad)]
                                  .astype(object).to_numpy(), "a value: fix the formula in the "
                                  "spreadsheet, or blank the cell if there is no value",
                                  raw.rows[bad]))
    own = [c for c in frame.columns if c in fmt.columns]  # the extra columns cannot tell
    header = _repeated_header(frame[own] if len(own) >= 2 else frame, fmt.header_labels)
    if header.any():
        errors.append(_header_problem(header, frame, raw.rows))
    bad_rows = np.zeros(len(frame), bool)
    for p in errors:
        bad_rows[p.positions] = True
    if bad_rows.any():
        frame, rows = frame[~bad_rows].reset_index(drop=True), raw.rows[~bad_rows]
    else:
        rows = raw.rows
    if tokens:
        shown = sorted(tokens.items(), key=lambda kv: (-kv[1], kv[0]))
        notes.append(f"{sum(tokens.values()):,} cells read as missing for a null token: "
                     + ", ".join(f"{t!r} {n:,}" for t, n in shown[:6])
                     + f" (and {sum(missing.values()) - sum(tokens.values()):,} blank cells)")
    return RawText(frame, rows, [*raw.set_aside, *errors]), missing, notes


def _typed(values: pd.Series) -> bool:
    """Whether a column holds numbers, booleans or datetimes (not text, not mixed objects)."""
    return (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
            or pd.api.types.is_datetime64_any_dtype(values))


def _as_category(values: pd.Series) -> pd.Categorical:
    """A column as a categorical of its text, categories in the order first seen; each
    distinct value is written as text once (not each row: formatting every date of a long
    column is slow)."""
    codes, uniques = pd.factorize(values)
    names = pd.Index(uniques).astype(STR_DTYPE)
    if names.has_duplicates:  # distinct values that read alike (1 and 1.0): by their text
        codes, names = pd.factorize(values.astype(STR_DTYPE))
    return pd.Categorical.from_codes(codes, categories=names)


def _rename(frame: pd.DataFrame, fmt: Format, source: str) -> tuple[pd.DataFrame, list[str]]:
    """Give the columns the format's names; refuse two columns that mean the same; name
    blank header cells (or drop them when their column is empty, with a note)."""
    header = [str(c) for c in frame.columns]
    names = resolve_names(header, fmt)
    notes = []
    blank = [i for i, n in enumerate(names) if n == ""]
    if blank:
        empty = [i for i in blank if not frame.iloc[:, i].astype(STR_DTYPE).str.strip().fillna("").ne("").any()]
        keep = [i for i in range(len(names)) if i not in empty]
        if empty:
            notes.append(f"{len(empty)} column(s) with no name and no values left out "
                         f"(column {', '.join(_letters(i) for i in empty)})")
        for i in blank:
            if i not in empty:
                names[i] = f"column_{_letters(i)}"
                notes.append(f"column {_letters(i)} has no name; kept as {names[i]!r}")
        frame, names = frame.iloc[:, keep], [names[i] for i in keep]
        header = [header[i] for i in keep]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        key = name.lower()
        if key in seen:
            j = seen[key]
            raise DataError(
                f"two columns mean the same: {header[j]!r} (column {_letters(j)}) and "
                f"{header[i]!r} (column {_letters(i)})", source=source, column=name,
                expected="each column once: delete or rename one of them")
        seen[key] = i
    frame = frame.set_axis(names, axis=1)
    renamed = [f"{h!r} as {n!r}" for h, n in zip(header, names, strict=True)
               if h.strip(EDGES) != n and n in fmt.columns]
    if renamed:
        notes.append("columns matched by name: " + ", ".join(renamed[:8])
                     + (f" and {len(renamed) - 8} more" if len(renamed) > 8 else ""))
    return frame, notes


def _letters(i: int) -> str:
    """A 0-based column position as a spreadsheet's column letters (0 -> A, 26 -> AA)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def missing_columns_error(header: list[str], fmt: Format, source: str) -> DataError:
    """Name the required columns a file lacks, with the closest header in the file."""
    missing = fmt.missing(header)
    near = []
    for col in missing:
        close = difflib.get_close_matches(normalise_header(col),
                                          [normalise_header(h) for h in header], n=1, cutoff=0.7)
        if close:
            near.append(f"{col!r} (closest in the file: "
                        f"{header[[normalise_header(h) for h in header].index(close[0])]!r})")
    found = ", ".join(header[:12]) + (" ..." if len(header) > 12 else "")
    listed = ", ".join(repr(m).replace("|", "' or '") for m in missing)
    return DataError(
        f"missing column(s) {listed} for the {fmt.title} format",
        source=source, expected=f"{'an' if fmt.title[0] in 'AEIOUaeiou' else 'a'} {fmt.title} file with columns {', '.join(fmt.required)}"
        + (f"; {'; '.join(near)}" if near else "") + f" (found: {found})")


def _blank_nulls(values: pd.Series, tokens: frozenset[str]
                 ) -> tuple[pd.Series, int, dict[str, int], np.ndarray]:
    """Null tokens (and blanks) as ``""``; return the column, how many cells are missing,
    the tokens found (as written, with their counts, blanks aside), and where a spreadsheet
    error value stands."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = pd.Series(values.cat.categories).astype(STR_DTYPE)
        key = cats.str.strip(EDGES)
        null = key.str.lower().isin(tokens).to_numpy(bool)
        error_c = key.str.upper().isin(SPREADSHEET_ERRORS).to_numpy(bool)
        codes = values.cat.codes.to_numpy()
        found: dict[str, int]
        n_missing, found = int(np.count_nonzero(codes < 0)), {}
        for i in np.flatnonzero(null):  # (few: the blank, and a token or two)
            n = int(np.count_nonzero(codes == i))
            n_missing += n
            if key[i] != "" and n:  # (" NA" and "NA" are one token)
                found[key[i]] = found.get(key[i], 0) + n
        if (cats[null] != "").any():  # a token, or spaces: made blank
            values = values.cat.remove_categories(values.cat.categories[null])
            values = values.cat.add_categories([""]).fillna("")
        bad = (np.append(error_c, False)[codes] if error_c.any()
               else np.zeros(len(values), bool))
        return values, n_missing, found, bad
    if not pd.api.types.is_string_dtype(values.dtype):
        return values, int(values.isna().sum()), {}, np.zeros(len(values), bool)
    arr = pa.array(values.array)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):  # all blank
        return values, int(values.isna().sum()), {}, np.zeros(len(values), bool)
    # from each value's length and edge bytes: the empty cells, and the few that may be a
    # token (short and starting as one does, or with white space at an edge); a regex looks
    # at those alone, and its matches one by one
    length, first, last = text_ends(arr)
    empty = int(np.count_nonzero(length == 0))
    near = (length > 0) & (((length <= _LONGEST) & _TOKEN_START[first])
                           | MAY_BE_SPACE[first] | MAY_BE_SPACE[last])
    none = np.zeros(len(values), bool)
    if not near.any():
        return values, empty, {}, none
    near = np.flatnonzero(near)
    hits = pc.match_substring_regex(arr.take(near), _CANDIDATE).fill_null(False)
    where = pa.array(near[hits.to_numpy(zero_copy_only=False)])
    if not len(where):
        return values, empty, {}, none
    written = pd.Series(arr.take(where).to_pylist(), dtype=object).fillna("")
    key = written.str.strip(EDGES)
    null = key.str.lower().isin(tokens).to_numpy(bool)
    error = key.str.upper().isin(SPREADSHEET_ERRORS).to_numpy(bool)
    positions = where.to_numpy()
    bad = none.copy()
    bad[positions[error]] = True
    found = key[null & (key != "").to_numpy()].value_counts().to_dict()
    if (written[null] != "").any():
        values = values.copy()
        values.iloc[positions[null]] = ""
    return values, empty + int(null.sum()), {str(k): int(v) for k, v in found.items()}, bad


_EDGE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in EDGES) + "]*"
#: a value that may be a null token or a spreadsheet error once trimmed (any case), or that
#: is only spaces (not an empty cell: those are counted apart)
_CANDIDATE = (f"^(?:{_EDGE_CLASS}(?i:"
              + "|".join(re.escape(t) for t in sorted(NULL_TOKENS) if t) + "|"
              + "|".join(re.escape(t) for t in SPREADSHEET_ERRORS) + f"){_EDGE_CLASS}"
              + f"|{_EDGE_CLASS[:-1]}+)$")

_WORDS = [t for t in NULL_TOKENS if t] + list(SPREADSHEET_ERRORS)
#: the longest token in bytes, and the bytes a token may start with (either case)
_LONGEST = max(len(t.encode()) for t in _WORDS)
_TOKEN_START = np.zeros(256, dtype=bool)
_TOKEN_START[[b for t in _WORDS for b in (t.lower().encode()[0], t.upper().encode()[0])]] = True


def _repeated_header(raw: pd.DataFrame, labels: Mapping[str, str] | None = None) -> np.ndarray:
    """Rows that repeat the header (as left by PDF or spreadsheet exports).

    A row counts when at least half its columns (and at least two) hold the column's own
    name, or the label given for it in ``labels``. A column read as numbers holds no name.
    """
    need = math.ceil(max(2, raw.shape[1] / 2))
    names = {col: sorted({str(col).lower(), (labels or {}).get(col, col).lower()})
             for col in raw.columns}
    categorical = [c for c in raw.columns if isinstance(raw[c].dtype, pd.CategoricalDtype)]
    text = categorical + [c for c in raw.columns
                          if c not in categorical and pd.api.types.is_string_dtype(raw[c].dtype)]
    maybe = np.zeros(len(raw), dtype=bool)
    # such a row has a name in one of any (text columns - need + 1) text columns: find the
    # rows that might, with a cheap test, and apply the rule to those rows only. Categoricals
    # are the cheapest to test (once per category), so they are taken first.
    for col in text[: len(text) - need + 1]:
        maybe |= raw[col].str.match(_name_start(names[col])).to_numpy(bool, na_value=False)
    pos = np.flatnonzero(maybe)
    if not len(pos):
        return maybe
    hits = np.zeros(len(pos), dtype=int)
    for col in text:
        cell = raw[col].iloc[pos].str.strip().str.lower()
        # PDF extraction glues the next header onto a cell ("Target   City"): match the start
        glued = "|".join(re.escape(f"{n} ") for n in names[col])
        hits += (cell.isin(names[col]) | cell.str.match(glued)).to_numpy()
    header = np.zeros(len(raw), dtype=bool)
    header[pos] = hits >= need
    return header


#: the non-ASCII characters whose lower case is an ASCII letter (in Python and in pyarrow)
_LOWER_TO_ASCII = {"i": "\u0130", "k": "\u212a"}


def _name_start(names: list[str]) -> str:
    """A regex for the cells that may read as one of ``names`` once stripped and lower-cased.

    It matches more (any cell starting with white space or a non-ASCII character), never less:
    the ASCII start of a name, in any case.
    """
    starts = ["".join(f"[{c}{c.upper()}{_LOWER_TO_ASCII.get(c, '')}]" if c.isalpha()
                      else re.escape(c)
                      for c in cast("re.Match[str]",  # (always matches)
                                    re.match(r"[\x00-\x7f]*", name)).group())
              for name in names]
    return r"[\x00-\x20]|[^\x00-\x7f]|" + "|".join(starts)


def _header_problem(mask: np.ndarray, raw: pd.DataFrame, rows: np.ndarray) -> Problem:
    pos = np.flatnonzero(mask)
    whole_row = (raw.iloc[pos].astype(STR_DTYPE).fillna("").agg(" | ".join, axis=1)
                 .str.replace(r"\s+", " ", regex=True))
    return Problem("repeated header row", "(whole row)", pos, whole_row.to_numpy(),
                   "a data row (header lines repeated inside the data are set aside)", rows[pos])


def text(raw: pd.DataFrame, col: str) -> pd.Series:
    """A column of the raw table, or blanks where the file has none."""
    return raw[col] if col in raw.columns else pd.Series("", index=raw.index, dtype=STR_DTYPE)


def rest(raw: pd.DataFrame, used: set[str], canonical: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """Source columns not mapped onto canonical ones pass through unchanged; one whose name
    is a canonical column's is kept as ``<name>_in_file`` (with a note)."""
    extra = raw[[c for c in raw.columns if c not in used]]
    clash = [c for c in extra.columns if c in canonical]
    if not clash:
        return extra, []
    renamed = {c: f"{c}_in_file" for c in clash}
    return extra.rename(columns=renamed), [
        f"the file's own column(s) {', '.join(map(repr, clash))} kept as "
        f"{', '.join(map(repr, renamed.values()))} (the canonical ones are made from the "
        "format's columns)"]
