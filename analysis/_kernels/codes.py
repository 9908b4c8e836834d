"""Integer codes for combinations of values."""

from __future__ import annotations

import numpy as np
import pandas as pd


def joint_codes(a: np.ndarray, b: np.ndarray, *, n_a: int, n_b: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One code per distinct (``a``, ``b``) pair that occurs, and the pair of each code.

    ``a``: integer codes -1..``n_a``-1, ``b``: -1..``n_b``-1 (-1 = blank, a value like any
    other here). Returns ``code`` (each row's pair, 0..K-1), ``a_of`` and ``b_of`` (each
    code's ``a`` and ``b``): ``a_of[code] == a`` and ``b_of[code] == b``. With a dense table of
    every possible pair when it is small beside the rows, else by hashing the pairs; the
    codes number the pairs in sorted order in the first case and in order of appearance in
    the second (only the contract above is promised).

    >>> code, a_of, b_of = joint_codes(np.array([0, -1, 0]), np.array([1, 0, 1]), n_a=1, n_b=2)
    >>> code.tolist(), a_of.tolist(), b_of.tolist()
    ([1, 0, 1], [-1, 0], [0, 1])
    """
    width_b = n_b + 1  # codes -1..n_b-1 shifted to 0..n_b
    size = (n_a + 1) * width_b
    wide: type[np.signedinteger] = np.int32 if size < 1 << 31 else np.int64
    combined = (a.astype(wide) + 1) * width_b + (b.astype(wide) + 1)
    if size <= max(4 * len(combined), 1 << 20):
        used = np.flatnonzero(np.bincount(combined, minlength=size))
        number = np.zeros(size, dtype=np.int32)
        number[used] = np.arange(len(used), dtype=np.int32)
        code, pairs = number[combined], used
    else:  # very many possible pairs: hash the pairs instead of a dense table
        code, pairs = pd.factorize(combined)
    return code, pairs // width_b - 1, pairs % width_b - 1
