"""Interval joins on whole days: which events' dates overlap which truces, place by place.

Days are int32 counts since 1970-01-01. An event has a date and a range of possible dates
``[lo, hi]`` (``lo <= date <= hi``; ``lo == hi == date`` for an event dated to one day); a
truce has ``[start, end]`` (an open end is the int32 maximum). No cross join is made: events
are sorted once, and each (truce, place) reads its events as one ``searchsorted`` range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._kernels.sorting import sort_by_block_and_day

#: an open end: a day later than any date
OPEN_END = np.iinfo(np.int32).max
_NS_PER_DAY = 86_400 * 10**9


def day_numbers(values: pd.Series) -> np.ndarray:
    """Datetimes (no missing value) as whole days since 1970, int32, rounded down (a time
    of day before 1970 falls on the day before, as the calendar has it).

    >>> day_numbers(pd.Series(pd.to_datetime(["1970-01-02 00:00", "1969-12-31 12:00"]))).tolist()
    [1, -1]
    """
    nanoseconds = values.to_numpy("datetime64[ns]").view(np.int64)
    return (nanoseconds // _NS_PER_DAY).astype(np.int32)


def day_bounds(start: pd.Series, end: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """First and last days (inclusive) as int32 days since 1970; a missing end is
    :data:`OPEN_END`.

    >>> s, e = day_bounds(pd.Series(pd.to_datetime(["1970-01-03"])), pd.Series([pd.NaT]))
    >>> s.tolist(), e.tolist() == [OPEN_END]
    ([2], True)
    """
    first = start.to_numpy("datetime64[D]").astype(np.int32)
    last = end.to_numpy("datetime64[D]")
    last = np.where(np.isnat(last), OPEN_END, last.astype(np.int64)).astype(np.int32)
    return first, last


def overlapping_pairs(place: np.ndarray, covers: np.ndarray, date: np.ndarray, lo: np.ndarray,
                      hi: np.ndarray, start: np.ndarray, end: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Every (event, truce) pair such that the truce covers the event's place and the event's
    possible dates overlap the truce: ``covers[t, place[e]]`` and ``lo[e] <= end[t]`` and
    ``hi[e] >= start[t]``.

    ``place``: each event's place code, 0..P-1; ``covers``: boolean [truce, place];
    ``date, lo, hi``: each event's day and its earliest and latest possible day (int32);
    ``start, end``: each truce's first and last day (int32). Returns (event position, truce
    position) as int64 arrays, each pair once, in no particular order (sort them with
    :func:`~analysis._kernels.sorting.order_pairs`).

    How: events are sorted once by (block, day): events dated to one day in block ``place``,
    events with a wider range in block ``place + P``. Each (truce, place) is then one key range
    per block: in the first, exactly the place's events inside the truce; in the second, the
    window widened by the longest range, the candidates kept where their range overlaps.

    >>> pairs = overlapping_pairs(np.array([0, 0, 1]), np.array([[True, False]]),
    ...                           np.array([5, 9, 5], np.int32), np.array([5, 9, 5], np.int32),
    ...                           np.array([5, 9, 5], np.int32), np.array([4], np.int32),
    ...                           np.array([6], np.int32))
    >>> [p.tolist() for p in pairs]
    [[0], [0]]
    """
    none = np.array([], dtype=np.int64)
    if len(date) == 0 or len(start) == 0:
        return none, none
    n_places = covers.shape[1]
    t_idx, p_idx = np.nonzero(covers)
    start, end = start[t_idx].astype(np.int64), end[t_idx].astype(np.int64)
    exact = (lo == date) & (hi == date)
    ranged = not exact.all()
    block = place if not ranged else np.where(exact, place, place + n_places)
    order = sort_by_block_and_day(block, date, n_blocks=2 * n_places)
    sizes = np.bincount(block, minlength=2 * n_places)
    sorted_key = (np.repeat(np.arange(len(sizes), dtype=np.int64), sizes) << 32) + date[order]
    del block
    found = [key_ranges(sorted_key, p_idx, start, end, reach=0)]
    if ranged:
        reach = int(max((date - lo).max(), (hi - date).max()))  # exact: 0
        cand, tr_pos = key_ranges(sorted_key, p_idx + n_places, start, end, reach=reach)
        rows = order[cand]
        overlap = (lo[rows] <= end[tr_pos]) & (hi[rows] >= start[tr_pos])
        found.append((cand[overlap], tr_pos[overlap]))
    cand, tr_pos = (np.concatenate(part) for part in zip(*found, strict=True)) if ranged else found[0]
    return order[cand], t_idx[tr_pos]


def key_ranges(sorted_key: np.ndarray, blocks: np.ndarray, start: np.ndarray, end: np.ndarray,
               *, reach: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``sorted_key`` (sorted ``block << 32 | day``, int64) of each block's days
    in ``[start - reach, end + reach]``, one range per entry of ``blocks``, and the entry each
    position came from. The ranges come one after the other, each in key order.

    >>> key = np.array([0 << 32 | 3, 0 << 32 | 7, 1 << 32 | 3], dtype=np.int64)
    >>> [p.tolist() for p in key_ranges(key, np.array([0, 1]), np.array([3, 0]),
    ...                                  np.array([7, 2]), reach=1)]
    [[0, 1, 2], [0, 0, 1]]
    """
    base = blocks.astype(np.int64) << 32
    lo = np.searchsorted(sorted_key, base + start - reach, side="left")
    hi = np.searchsorted(sorted_key, base + np.minimum(end + reach, (1 << 31) - 1), side="right")
    sizes = np.maximum(hi - lo, 0)
    which = np.repeat(np.arange(len(blocks)), sizes)
    return np.arange(sizes.sum()) + np.repeat(lo - (np.cumsum(sizes) - sizes), sizes), which
