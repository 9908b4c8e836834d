"""Casualty figures as sources write them: one figure, a range, or an open-ended "at least".

=====================================  ========  ========  =========
written                                best      low       high
=====================================  ========  ========  =========
``5``                                  5         5         5
``3-14``, ``3 to 14``                  3         3         14
``at least 5``, ``5+``, ``min. 5``     5         5         blank
``more than 5``, ``over 5``, ``>5``    6         6         blank
blank                                  blank     blank     blank
=====================================  ========  ========  =========

Numbers must be whole and are read exactly (no rounding through floating point); a range
whose low end is above its high end is unreadable. A file's
own ``killed_low`` / ``killed_high`` columns are used where given, and must agree with a range
written in ``killed`` itself; a negative figure is refused; a best figure outside its own
low-high range is kept as the source gives it, with a note.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis._kernels.arrow import int64_array, plain_integers
from analysis.values import distinct_text, take, take_mask

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
    if (plain := plain_integers(raw)) is not None:
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
    return pd.Series(int64_array(arr), index=digits.index)


def _whole_numbers(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A numeric column as Int64: integers as they are; floats only when whole and held
    exactly (``inf``, ``1e30`` or ``2.5`` are unreadable, never wrapped round or rounded)."""
    if pd.api.types.is_integer_dtype(raw):
        return raw.astype("Int64"), np.zeros(len(raw), bool)
    value = raw.astype("Float64").to_numpy("float64", na_value=0.0)
    odd = (np.abs(value) >= 2**53) | (np.floor(value) != value)
    return raw.astype("Float64").mask(odd).astype("Int64"), odd


def read_casualties(df: pd.DataFrame, col: str, out: dict) -> list[tuple]:
    """Read ``col`` with its ``_low`` and ``_high`` into ``out``; return the problems as
    (mask, column, problem, expected, raw values) tuples. A low or high column in the file is used where given; it must agree
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


def outside_range_notes(out: dict, col: str, labels: np.ndarray) -> list[str]:
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
    if (plain := plain_integers(raw)) is not None:
        return plain, np.zeros(len(raw), bool)
    codes, uniq = distinct_text(raw)
    digits = uniq.str.extract(_COUNT_FORMS[0])["n"]
    values = _exact_int(digits)
    return take(values, codes, raw.index), take_mask(uniq.notna() & values.isna(), codes)
