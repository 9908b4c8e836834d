"""Deprecated: the matplotlib builders moved to :mod:`analysis.charts.timeline`,
:mod:`analysis.charts.counts` and :mod:`analysis.charts.results` (all importable from
:mod:`analysis.charts`). This module re-exports their public names for one release and warns
on import; see CHANGELOG.md."""

import warnings

from analysis.charts.annotate import format_date_axis
from analysis.charts.counts import draw_counts, plot_counts
from analysis.charts.data import MAX_NUMBERED, TrendLike
from analysis.charts.results import (
    draw_durability,
    draw_event_study,
    draw_survival_curve,
    draw_trend_model,
    plot_event_study,
    plot_trend_model,
    plot_truce_durability,
)
from analysis.charts.timeline import DENSE, add_violation_numbers, draw_events, plot_timeline

__all__ = ["DENSE", "MAX_NUMBERED", "TrendLike", "add_violation_numbers", "draw_counts",
           "draw_durability", "draw_event_study", "draw_events", "draw_survival_curve",
           "draw_trend_model", "format_date_axis", "plot_counts", "plot_event_study",
           "plot_timeline", "plot_trend_model", "plot_truce_durability"]

warnings.warn("analysis.charts.static is deprecated: import from analysis.charts",
              DeprecationWarning, stacklevel=2)
