"""Memory handed back to the system."""

from __future__ import annotations

import pyarrow as pa


def give_back_memory() -> None:
    """Return the memory Arrow has freed to the system.

    Arrow's allocator keeps the pages it frees for its own reuse, where NumPy and pandas
    cannot use them: after a large read, call this once the Arrow table is gone.

    >>> give_back_memory()
    """
    pa.default_memory_pool().release_unused()
