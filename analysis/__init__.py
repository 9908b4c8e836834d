"""truce-timeline: dated event tables, truce violations, anniversary tests and charts for reporters.

Importing the package has no side effects (no styles set, no files read) and loads nothing
heavy: the names below are imported on first use, so ``python -m analysis`` owns a Ctrl-C from
its first moment.

>>> import analysis as tt
>>> tt.flag_violations.__module__.startswith("analysis.")
True
"""

from importlib import import_module

#: the package's top-level names (every verb the README and the notebooks use) and the
#: modules they come from: ``import analysis as tt; tt.flag_violations(...)``
_EXPORTS = {
    "EVENT_COLUMNS": "analysis.schema",
    "DataError": "analysis.schema",
    "DataWarning": "analysis.schema",
    "validate_events": "analysis.validate",
    "LoadResult": "analysis.io",
    "load_events": "analysis.io",
    "read_acled": "analysis.io",
    "read_events": "analysis.io",
    "read_gdelt_events": "analysis.io",
    "read_sigacts": "analysis.io",
    "read_ucdp_ged": "analysis.io",
    "rounded": "analysis.io",
    "write_csv": "analysis.io",
    "count_events": "analysis.events",
    "normalize_actors": "analysis.events",
    "quality_summary": "analysis.events",
    "read_aliases": "analysis.events",
    "SurvivalCurve": "analysis.truce_reports",
    "explain_truces": "analysis.truce_reports",
    "kaplan_meier": "analysis.truce_reports",
    "flag_violations": "analysis.truces",
    "read_truces": "analysis.truce_table",
    "truce_count_summary": "analysis.truce_reports",
    "truce_durability": "analysis.truce_reports",
    "violation_summary": "analysis.truce_reports",
    "violation_table": "analysis.truce_reports",
    "why_not_counted": "analysis.truce_reports",
    "add_anniversary_window": "analysis.anniversaries",
    "anniversary_occurrences": "analysis.anniversaries",
    "event_study": "analysis.anniversaries",
    "read_key_dates": "analysis.key_dates",
    "ChangePoints": "analysis.stats",
    "EscalationResult": "analysis.stats",
    "TrendResult": "analysis.stats",
    "detect_changepoints": "analysis.stats",
    "escalation_test": "analysis.stats",
    "fit_interrupted_series": "analysis.stats",
    "counts_figure": "analysis.charts",
    "plot_counts": "analysis.charts",
    "plot_event_study": "analysis.charts",
    "plot_timeline": "analysis.charts",
    "plot_trend_model": "analysis.charts",
    "plot_truce_durability": "analysis.charts",
    "save_figure": "analysis.charts",
    "source_line": "analysis.charts",
    "timeline_figure": "analysis.charts",
    "to_datawrapper_csv": "analysis.charts",
    "to_timelinejs": "analysis.charts",
    "load_story": "analysis.story",
    "new_story": "analysis.scaffold",
    "build": "analysis.build",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name == "__version__":  # one place: pyproject.toml, through the installed metadata
        from importlib.metadata import version

        return version("truce-timeline")
    if name not in _EXPORTS:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
