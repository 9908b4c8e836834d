"""Columns as codes into their distinct values: every text value is parsed or checked once.

A 10M-row column of dates holds a few thousand distinct days; of place names, a few hundred.
The readers and :mod:`analysis.schema` parse the distinct values and take the results back
to the rows with these helpers.
"""

from __future__ import annotations

import re

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
    if values.dtype == object and values.isna().all():  # (a column of nulls: no hashing)
        return np.full(len(values), -1, dtype=np.intp), pd.Index([], dtype=object)
    return pd.factorize(values, use_na_sentinel=True)


def distinct_text(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``values`` as (codes, distinct values trimmed, blank = NaN); a blank value has code -1."""
    codes, uniq = value_codes(values)
    text = pd.Series(uniq).astype(STR_DTYPE).str.strip(EDGES)
    return codes, text.where(text != "", np.nan)


#: bytes that may begin or end white space: ASCII white space (as ``str.isspace`` has it)
#: and any byte of a non-ASCII character (Unicode white space, invisible characters)
MAY_BE_SPACE = np.zeros(256, dtype=bool)
MAY_BE_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
MAY_BE_SPACE[128:] = True


def text_ends(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each value's length in bytes and its first and last byte, read from an Arrow string
    array's buffers: no value is copied or decoded. The bytes of a value of length 0 (empty
    or missing) mean nothing: mask them with ``length > 0``."""
    import pyarrow as pa

    lengths, firsts, lasts = [], [], []
    for chunk in getattr(values, "chunks", [values]):
        _, offsets, data = chunk.buffers()[:3]
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        if offsets is None:  # an array of nulls only
            ends = np.zeros(len(chunk) + 1, width)
        else:
            ends = np.frombuffer(offsets, width)[chunk.offset:chunk.offset + len(chunk) + 1]
        start, stop = ends[:-1], ends[1:]
        length = stop - start
        if chunk.null_count:  # a missing value may still own bytes: it has none
            length = np.where(chunk.is_null().to_numpy(zero_copy_only=False), 0, length)
        data = (np.frombuffer(data, np.uint8) if data is not None and data.size
                else np.zeros(1, np.uint8))
        lengths.append(length)
        firsts.append(data.take(start, mode="clip"))
        lasts.append(data.take(stop - 1, mode="clip"))
    if not lengths:
        return np.zeros(0, np.int64), np.zeros(0, np.uint8), np.zeros(0, np.uint8)
    return np.concatenate(lengths), np.concatenate(firsts), np.concatenate(lasts)


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


#: a table with more columns than this is "wide": one pass over all its cells at once is
#: cheaper than one pass per column (up to :data:`STACKED_CELLS` cells)
WIDE = 256
STACKED_CELLS = 4_000_000


def columns_that_may_match(frame: pd.DataFrame, pattern: str, *, nulls: bool = False
                           ) -> np.ndarray:
    """Which columns may hold a text value matching the regex ``pattern`` (a mask, by
    position). A cheap filter for a wide table with few rows, where passes made column by
    column cost more than the data: its text cells are searched in one pass. Every column of
    any other table, and every column that is not text, is kept (the caller's own pass over
    each column decides). ``nulls``: whether a missing cell counts as a match."""
    n_rows, n_cols = frame.shape
    keep = np.ones(n_cols, dtype=bool)
    if n_cols <= WIDE or frame.size > STACKED_CELLS or n_rows == 0:
        return keep
    import pyarrow as pa
    import pyarrow.compute as pc

    text = [i for i, (_, values) in enumerate(frame.items())
            if pd.api.types.is_string_dtype(values.dtype)]  # (categoricals: few, kept)
    if not text:
        return keep
    cells = pa.chunked_array([pa.array(frame.iloc[:, i].array).cast(pa.large_string())
                              for i in text])
    hits = pc.match_substring_regex(cells, pattern).fill_null(nulls)
    keep[text] = hits.to_numpy().reshape(-1, n_rows).any(axis=1)
    return keep


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
