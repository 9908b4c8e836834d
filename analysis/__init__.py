"""truce-timeline: dated event tables, truce violations, anniversary tests and charts for reporters.

Importing the package has no side effects (no styles set, no files read) and loads nothing
heavy: the names below are imported on first use, so ``python -m analysis`` owns a Ctrl-C from
its first moment.

>>> from analysis import read_events, count_events
"""

from importlib import import_module

#: the package's top-level names and the modules they come from
_EXPORTS = {
    "EVENT_COLUMNS": "analysis.schema",
    "DataError": "analysis.schema",
    "LoadResult": "analysis.io",
    "count_events": "analysis.events",
    "load_events": "analysis.io",
    "normalize_actors": "analysis.events",
    "read_acled": "analysis.io",
    "read_aliases": "analysis.events",
    "read_events": "analysis.io",
    "read_gdelt_events": "analysis.io",
    "read_sigacts": "analysis.io",
    "read_ucdp_ged": "analysis.io",
    "rounded": "analysis.io",
    "validate_events": "analysis.schema",
    "write_csv": "analysis.io",
}
__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
