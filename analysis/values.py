"""Columns as codes into their distinct values: every text value is parsed or checked once.

A long column of dates holds far fewer distinct days than rows, and a column of place names
fewer distinct names still. The readers and :mod:`analysis.validate` parse the distinct values
and take the results back to the rows with these helpers.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# moved to analysis._kernels.arrow (speed mechanics); importable from here as before
from analysis._kernels.arrow import MAY_BE_SPACE as MAY_BE_SPACE
from analysis._kernels.arrow import STACKED_CELLS as STACKED_CELLS
from analysis._kernels.arrow import WIDE as WIDE
from analysis._kernels.arrow import columns_that_may_match as columns_that_may_match
from analysis._kernels.arrow import text_ends as text_ends

STR_DTYPE = pd.StringDtype(na_value=np.nan)  # pandas' default "str" dtype

#: characters trimmed from the edges of every text value: white space (as ``str.strip``
#: has it, no-break space included) and the invisible formatting characters that spreadsheets
#: and web copies leave behind (zero-width space, word joiner, byte-order mark, soft hyphen);
#: zero-width (non-)joiners are trimmed at the edges only (inside Persian or Arabic text they
#: are meaningful)
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"
EDGES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005" \
        "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" + INVISIBLE


def value_codes(values: pd.Series) -> tuple[np.ndarray, object]:
    """Each row's code into the column's distinct values (-1 = blank), and those values: a
    categorical's own codes and categories (no pass over the rows), else ``pd.factorize``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    if values.dtype == object and values.isna().all():  # (a column of nulls: no hashing)
        return np.full(len(values), -1, dtype=np.intp), pd.Index([], dtype=object)
    return pd.factorize(values, use_na_sentinel=True)


def distinct_text(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``values`` as (codes, distinct values trimmed, blank = NaN); a blank value has code -1."""
    codes, uniq = value_codes(values)
    text = pd.Series(uniq).astype(STR_DTYPE).str.strip(EDGES)
    return codes, text.where(text != "", np.nan)


def take(values: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``values[codes]`` as a column; code -1 gives a blank."""
    filled = pd.concat([values.reset_index(drop=True), pd.Series([None], dtype=values.dtype)],
                       ignore_index=True)
    return pd.Series(filled.array.take(codes), index=index)


def take_category(values: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``values[codes]`` as a categorical column (sorted categories; code -1 or a blank value
    gives a blank): no text is copied per row."""
    merged, names = pd.factorize(values.astype(STR_DTYPE), sort=True)
    cats = pd.Categorical.from_codes(np.append(merged, -1)[codes],
                                     categories=pd.Index(names, dtype=STR_DTYPE), validate=False)
    return pd.Series(cats, index=index)


def take_mask(mask: pd.Series | np.ndarray, codes: np.ndarray) -> np.ndarray:
    """A mask over distinct values as a mask over rows (blank rows: False)."""
    return np.append(np.asarray(mask, dtype=bool), False)[codes]


# ---------------------------------------------------------------- text to show
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def has_control(text: object) -> bool:
    """Whether ``text`` holds a control character that :func:`printable` would show as a code."""
    return bool(_CONTROL.search(str(text)))


def printable(text: object) -> str:
    r"""Text safe to print to a terminal: control characters (an ANSI escape sequence that
    recolours or clears the screen, a carriage return that overwrites the line) are shown as
    ``\x1b``-style codes; line breaks and tabs are kept.

    Examples
    --------
    >>> print(printable("row 3: '\x1b[2Jred'\r"))
    row 3: '\x1b[2Jred'\x0d
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def closest(word: object, choices, *, cutoff: float = 0.6) -> str | None:
    """The choice closest to ``word``, ignoring case, as the choice is written; None when none
    is close (``difflib``'s ratio below ``cutoff``): for "did you mean ...?".

    >>> closest("date", ["Date", "count"]), closest("xyz", ["Date"])
    ('Date', None)
    """
    import difflib

    written = {str(c).lower(): str(c) for c in choices}
    near = difflib.get_close_matches(str(word).lower(), list(written), n=1, cutoff=cutoff)
    return written[near[0]] if near else None
