"""Arrow-backed columns: scans of their buffers, numbers parsed in one pass, tables to pandas.

Text columns of the event table are pandas ``str`` columns stored in Arrow. Reading an
Arrow string array's offsets and bytes answers some questions about every value without
copying or decoding any; Arrow's casts parse a whole column at C speed where every value is
plain; and joining each column's chunks once, as a table comes from Arrow, spares every
later ``take`` from doing it again.
"""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor, as_completed

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis._kernels.memory import give_back_memory

# ---------------------------------------------------------------- buffer scans

#: bytes that may begin or end white space: ASCII white space (as ``str.isspace`` has it)
#: and any byte of a non-ASCII character (Unicode white space, invisible characters)
MAY_BE_SPACE = np.zeros(256, dtype=bool)
MAY_BE_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
MAY_BE_SPACE[128:] = True


def text_ends(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each value's length in bytes and its first and last byte, read from an Arrow string
    array's buffers (``string`` or ``large_string``, chunked or not): no value is copied or
    decoded. The bytes of a value of length 0 (empty or missing) mean nothing: mask them
    with ``length > 0``.

    >>> length, first, last = text_ends(pa.array(["ab", "", None, "é"]))
    >>> length.tolist(), first[[0, 3]].tolist(), last[[0, 3]].tolist()
    ([2, 0, 0, 2], [97, 195], [98, 169])
    """
    lengths, firsts, lasts = [], [], []
    for chunk in getattr(values, "chunks", [values]):
        _, offsets, data = chunk.buffers()[:3]
        width: type[np.signedinteger] = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
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


def may_have_edge_space(text: pd.Series) -> bool:
    """Whether any value may start or end with white space (or an invisible character), from
    the first and last bytes of each value. False is certain: then ``text.str.strip()`` would
    change nothing. Always True for text not stored in Arrow (nothing to read cheaply).

    >>> may_have_edge_space(pd.Series(["a", "b c"], dtype="str"))
    False
    >>> may_have_edge_space(pd.Series(["a", "b\\u00a0"], dtype="str"))
    True
    """
    if not isinstance(text.array, pd.arrays.ArrowStringArray):
        return True
    length, first, last = text_ends(pa.array(text.array))
    return bool(((length > 0) & (MAY_BE_SPACE[first] | MAY_BE_SPACE[last])).any())


def regex_matches(text: pd.Series, pattern: str, *, missing: bool) -> np.ndarray:
    """Where each value of an Arrow-backed text column matches the regex ``pattern`` (RE2
    syntax, searched anywhere in the value unless anchored), as a NumPy bool array;
    ``missing``: the answer for a missing value.

    >>> regex_matches(pd.Series(["ab", None, "b"], dtype="str"), "^a", missing=True).tolist()
    [True, True, False]
    """
    found = pc.match_substring_regex(pa.array(text.array), pattern).fill_null(missing)
    return found.to_numpy(zero_copy_only=False)


def strictly_monotonic(text: pd.Series) -> bool:
    """Whether an Arrow-backed column has two values or more, no missing one, and every value
    strictly greater (or every value strictly smaller) than the one before: then no two are
    equal, told in one pass with no hashing.

    >>> strictly_monotonic(pd.Series(["a", "b", "c"], dtype="str")), strictly_monotonic(
    ...     pd.Series(["a", "c", "b"], dtype="str"))
    (True, False)
    """
    arr = pa.array(text.array)
    if arr.null_count == 0 and len(arr) > 1:
        head, tail = arr[:-1], arr[1:]
        if pc.all(pc.less(head, tail)).as_py() or pc.all(pc.greater(head, tail)).as_py():
            return True
    return False


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
    each column decides). ``nulls``: whether a missing cell counts as a match.

    >>> columns_that_may_match(pd.DataFrame({"a": ["x"]}), "y").tolist()
    [True]
    """
    n_rows, n_cols = frame.shape
    keep = np.ones(n_cols, dtype=bool)
    if n_cols <= WIDE or frame.size > STACKED_CELLS or n_rows == 0:
        return keep
    text = [i for i, (_, values) in enumerate(frame.items())
            if pd.api.types.is_string_dtype(values.dtype)]  # (categoricals: few, kept)
    if not text:
        return keep
    cells = pa.chunked_array([pa.array(frame.iloc[:, i].array).cast(pa.large_string())
                              for i in text])
    hits = pc.match_substring_regex(cells, pattern).fill_null(nulls)
    keep[text] = hits.to_numpy().reshape(-1, n_rows).any(axis=1)
    return keep


# ---------------------------------------------------------------- numbers in one pass


def _blank_as_null(text: pa.Array) -> pa.Array:
    """Empty strings as nulls (a blank cell is missing, not a number)."""
    blank = pc.equal(pc.binary_length(text), 0)
    return pc.if_else(blank, pa.scalar(None, text.type), text) if pc.any(blank).as_py() else text


def plain_floats(raw: pd.Series) -> pd.Series | None:
    """Arrow-backed text that holds only numbers and blanks, as ``Float64`` (blank = NA) in
    one cast; None when any value needs a careful reading (white space, text that is no
    number, "nan") or the text is not stored in Arrow.

    What Arrow's cast reads, ``pd.to_numeric`` reads to the same double (decimal forms with
    any number of digits, ``1e1``, ``+5``, ``.5``, ``inf``); what the cast refuses (``1,5``,
    ``0x1A``, padded values ...) gives None.

    >>> plain_floats(pd.Series(["1.5", "", "-2"], dtype="str")).tolist()
    [1.5, <NA>, -2.0]
    >>> plain_floats(pd.Series([" 1.5"], dtype="str")) is None
    True
    """
    if not isinstance(raw.array, pd.arrays.ArrowStringArray):
        return None
    text = _blank_as_null(pa.array(raw.array))
    try:
        numbers = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        return None
    if pc.any(pc.is_nan(numbers)).as_py():  # "nan" is no number to the careful path
        return None
    values = numbers.to_numpy(zero_copy_only=False)  # blank = NaN, masked below
    return pd.Series(pd.arrays.FloatingArray(values, np.isnan(values)), index=raw.index)


def plain_integers(raw: pd.Series) -> pd.Series | None:
    """Arrow-backed text that holds only whole numbers (digits, an optional sign) and blanks,
    as ``Int64`` in one cast, exactly; None when any value needs a careful reading (a
    range, white space, "5.0", a number beyond int64 ...) or the text is not stored in Arrow.

    >>> plain_integers(pd.Series(["5", "", "-3"], dtype="str")).tolist()
    [5, <NA>, -3]
    >>> plain_integers(pd.Series(["5.0"], dtype="str")) is None
    True
    """
    if not isinstance(raw.array, pd.arrays.ArrowStringArray):
        return None
    text = _blank_as_null(pa.array(raw.array))
    try:
        numbers = pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(int64_array(numbers), index=raw.index)


def int64_array(values: pa.Array | pa.ChunkedArray) -> pd.arrays.IntegerArray:
    """Arrow int64 as pandas Int64, exactly (``pd.array`` goes through float64 when there are
    nulls, rounding numbers beyond 2**53).

    >>> int64_array(pa.array([2**53 + 1, None])).tolist()
    [9007199254740993, <NA>]
    """
    return pd.array(values.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get),
                    dtype="Int64")


# ---------------------------------------------------------------- tables to pandas


def arrow_to_pandas(table: pa.Table, *, chunked: Collection[str] = ()) -> pd.DataFrame:
    """``table.to_pandas()``, with each text and dictionary column in one piece and the
    table's memory given back column by column.

    Arrow columns come in one chunk per block or row group. pandas keeps text as it comes,
    and taking rows from a chunked column joins its chunks on every call; dictionary columns
    become categoricals faster from one piece (their dictionaries unified once). So both are
    joined here, two columns at a time (Arrow works without the GIL), except the text columns
    named in ``chunked`` (about to be parsed: a copy would be wasted). The table is consumed:
    the caller must hand over its only reference (else nothing can be freed as each column
    is joined).

    >>> arrow_to_pandas(pa.table({"a": pa.chunked_array([["x"], ["y"]])}))["a"].tolist()
    ['x', 'y']
    """
    def joins(field: pa.Field) -> bool:
        text = pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
        return pa.types.is_dictionary(field.type) or (text and field.name not in chunked)

    todo = [i for i, field in enumerate(table.schema)
            if joins(field) and table.column(i).num_chunks > 1]
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = {pool.submit(pa.ChunkedArray.combine_chunks, table.column(i)): i for i in todo}
        for job in as_completed(jobs):
            i = jobs.pop(job)
            table = table.set_column(i, table.schema.field(i), job.result())
            del job
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    give_back_memory()
    return frame
