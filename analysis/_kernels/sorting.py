"""Sorts on packed integer keys, and numbering within sorted groups.

Sorting on several integer keys with ``np.lexsort`` makes one pass per key; where the keys
fit in 63 bits together they are packed into one int64 and sorted once (a stable sort, quick
on the already sorted runs a join produces).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def sort_by_block_and_day(block: np.ndarray, day: np.ndarray, *, n_blocks: int) -> np.ndarray:
    """The permutation that sorts rows by (``block``, ``day``), ties in row order (stable).

    ``block``: integer codes 0..``n_blocks``-1; ``day``: integers. When ``day`` is already
    sorted (as event tables usually come), a stable sort by ``block`` alone suffices, on
    int16 keys when they fit.

    >>> sort_by_block_and_day(np.array([1, 0, 1, 0]), np.array([1, 2, 3, 4]), n_blocks=2).tolist()
    [1, 3, 0, 2]
    >>> sort_by_block_and_day(np.array([1, 0, 1, 0]), np.array([4, 3, 2, 1]), n_blocks=2).tolist()
    [3, 1, 2, 0]
    """
    if len(day) < 2 or bool((day[1:] >= day[:-1]).all()):
        return np.argsort(block.astype(np.int16) if n_blocks < 1 << 15 else block, kind="stable")
    return np.lexsort((day, block))


def order_pairs(row: np.ndarray, group: np.ndarray, day: np.ndarray, n_groups: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (``row[i]``, ``group[i]``) sorted by group, then ``day[row]``, then row.

    ``row``: positions into ``day`` (int64, each once per group); ``group``: codes
    0..``n_groups``-1; ``day``: an integer per row position. Returns the two arrays in the new
    order. The three keys are packed into one int64 when they fit (one sort), else sorted
    apart with ``np.lexsort``: the order is the same.

    >>> r, g = order_pairs(np.array([2, 0, 1, 0]), np.array([0, 1, 0, 0]),
    ...                    np.array([5, 3, 5]), 2)
    >>> r.tolist(), g.tolist()
    ([1, 0, 2, 0], [0, 0, 0, 1])
    """
    if len(row) == 0:
        return row, group
    days = day[row].astype(np.int64) - int(day.min())
    bits = [int(n).bit_length() for n in (len(day), days.max() + 1, n_groups)]
    if sum(bits) > 62:  # a date range of centuries with billions of rows: sort the keys apart
        order = np.lexsort((row, days, group))
        return row[order], group[order]
    key = (group.astype(np.int64) << (bits[0] + bits[1])) | (days << bits[0]) | row
    key.sort(kind="stable")
    return key & ((1 << bits[0]) - 1), key >> (bits[0] + bits[1])


def number_within_groups(group: np.ndarray, row: np.ndarray, keep: np.ndarray, *,
                         day: np.ndarray, ids: pd.Series
                         ) -> tuple[pd.arrays.IntegerArray, pd.arrays.IntegerArray]:
    """Number the kept items 1..n within each group, and their distinct days 1..n.

    Items come sorted by (``group``, ``day[row]``) (see :func:`order_pairs`). ``row``: each
    item's position in ``day`` and ``ids``; ``keep``: which items are numbered. Within a
    group, items are numbered in their order, except that items of one day are numbered in
    the order of their ``ids`` (text, compared by code point); the day number counts the
    distinct days of the group's kept items. Returns two Int64 arrays, blank (NA) where not
    kept.

    Only days with several kept items whose ids are out of order are sorted (Arrow, on those
    items alone).

    >>> n, d = number_within_groups(np.array([0, 0, 0, 1]), np.array([0, 1, 2, 3]),
    ...                             np.array([True, True, False, True]),
    ...                             day=np.array([1, 1, 2, 1]), ids=pd.Series(["b", "a", "c", "d"]))
    >>> n.tolist(), d.tolist()
    ([2, 1, <NA>, 1], [1, 1, <NA>, 1])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    number = np.zeros(len(group), dtype=np.int64)  # 0 = blank
    day_number = np.zeros(len(group), dtype=np.int64)
    pos = np.flatnonzero(keep)
    if len(pos):
        g = group[pos]
        d = day[row[pos]]
        same_day = (g[1:] == g[:-1]) & (d[1:] == d[:-1])
        tie = np.flatnonzero(same_day)
        if len(tie):
            text = pa.array(pd.array(ids, dtype=pd.StringDtype(na_value=np.nan)))
            unsorted = pc.less(text.take(row[pos[tie + 1]]), text.take(row[pos[tie]]))
            unsorted = unsorted.to_numpy(zero_copy_only=False)
            if unsorted.any():
                run = np.cumsum(np.r_[True, ~same_day])
                sel = np.flatnonzero(np.isin(run, run[tie[unsorted] + 1]))
                sub = pa.table({"group": run[sel], "id": text.take(row[pos[sel]])})
                pos = pos.copy()
                pos[sel] = pos[sel][pc.sort_indices(sub, [("group", "ascending"),
                                                          ("id", "ascending")]).to_numpy()]
        new_group = np.r_[True, g[1:] != g[:-1]]
        starts = np.flatnonzero(new_group)
        lengths = np.diff(np.r_[starts, len(pos)])
        number[pos] = np.arange(1, len(pos) + 1) - np.repeat(starts, lengths)
        day_count = np.cumsum(new_group | np.r_[True, ~same_day])
        day_number[pos] = day_count - np.repeat(day_count[starts] - 1, lengths)
    return (pd.arrays.IntegerArray(number, number == 0),
            pd.arrays.IntegerArray(day_number, day_number == 0))
