"""Columns as codes into their distinct values: every text value is parsed or checked once.

A 10M-row column of dates holds a few thousand distinct days; of place names, a few hundred.
The readers and :mod:`analysis.schema` parse the distinct values and take the results back
to the rows with these helpers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def take_mask(mask: pd.Series | np.ndarray, codes: np.ndarray) -> np.ndarray:
    """A mask over distinct values as a mask over rows (blank rows: False)."""
    return np.append(np.asarray(mask, dtype=bool), False)[codes]
