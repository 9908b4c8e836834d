"""Work on other threads while this one goes on.

NumPy and Arrow release the GIL while they copy, compare or parse, so a second thread does
real work beside the first on a machine with two cores or more.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
import pandas as pd


@contextmanager
def background(workers: int = 1) -> Iterator[Callable[..., Future]]:
    """A ``with`` block whose calls may run on ``workers`` other threads meanwhile.

    Yields ``submit(fn, *args, **kwargs)``, which starts ``fn`` on a worker thread and
    returns a :class:`~concurrent.futures.Future` (``.result()`` waits for it and returns its
    value or raises its exception). Leaving the block waits for every call.

    >>> with background() as meanwhile:
    ...     total = meanwhile(sum, [1, 2, 3])
    ...     product = 2 * 3
    >>> total.result(), product
    (6, 6)
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield pool.submit


def take_columns(table: pd.DataFrame, positions: np.ndarray) -> dict[str, object]:
    """The columns of ``table`` at row ``positions`` (0-based, each may repeat), as arrays by
    name, in the table's column order (names must be unique).

    The columns are taken side by side on every core, and nothing is consolidated into
    blocks: build the result with ``pd.DataFrame(columns, copy=False)``. Equal to
    ``table.take(positions)`` column by column.

    >>> t = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    >>> {k: pd.Series(v).tolist() for k, v in take_columns(t, np.array([2, 0, 2])).items()}
    {'a': [3, 1, 3], 'b': ['z', 'x', 'z']}
    """
    names = list(table.columns)
    with ThreadPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1) or 1) as pool:
        taken = pool.map(lambda i: table.iloc[:, i].array.take(positions), range(len(names)))
        return dict(zip(names, taken, strict=True))
