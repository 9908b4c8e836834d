"""Deprecated: the chart data helpers moved to :mod:`analysis.charts.data`. This module
re-exports them for one release and warns on import; see CHANGELOG.md."""

import warnings

from analysis.charts.data import (
    NO_CATEGORY,
    category_rows,
    date_window,
    events_in_window,
    period_days,
    pretty_labels,
    rolling_window,
    violation_status,
)

__all__ = ["NO_CATEGORY", "category_rows", "date_window", "events_in_window", "period_days",
           "pretty_labels", "rolling_window", "violation_status"]

warnings.warn("analysis.charts.tables is deprecated: import from analysis.charts.data",
              DeprecationWarning, stacklevel=2)
