"""truce-timeline: dated event tables, truce violations, anniversary tests and charts for reporters.

Importing the package has no side effects (no styles set, no files read).

>>> from analysis import read_events, count_events
"""

from analysis.events import count_events, normalize_actors, read_aliases
from analysis.io import (
    LoadResult,
    load_events,
    read_acled,
    read_events,
    read_gdelt_events,
    read_sigacts,
    read_ucdp_ged,
    rounded,
    write_csv,
)
from analysis.schema import EVENT_COLUMNS, DataError, validate_events

__all__ = [
    "EVENT_COLUMNS",
    "DataError",
    "LoadResult",
    "count_events",
    "load_events",
    "normalize_actors",
    "read_acled",
    "read_aliases",
    "read_events",
    "read_gdelt_events",
    "read_sigacts",
    "read_ucdp_ged",
    "rounded",
    "validate_events",
    "write_csv",
]
__version__ = "0.1.0"
