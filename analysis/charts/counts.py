"""Counts per day / week / month (matplotlib): bars, stacked by category, a rolling mean,
and the truce, key-date and change-point annotations of the timeline.

Builders and helpers follow :mod:`analysis.charts.timeline`: ``plot_counts`` returns a new
figure, ``draw_counts`` takes ``ax=None`` and returns the Axes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from analysis.charts.annotate import add_overlays, format_date_axis
from analysis.charts.data import (
    date_window,
    period_days,
    period_unit,
    pretty_labels,
    rolling_window,
    wide_counts,
)
from analysis.charts.provenance import counts_subtitle
from analysis.charts.style import (
    BAR_COLOR,
    BLACK,
    CATEGORY_COLORS,
    ESTIMATE_COLOR,
    LABEL_SIZE,
    axes_or_new,
    empty_note,
    frame_figure,
    house_style,
    new_figure,
)
from analysis.schema import require_columns


def plot_counts(
    counts: pd.DataFrame,
    *,
    rolling: int | None = None,
    category: str | None = None,
    truces: pd.DataFrame | None = None,
    occurrences: pd.DataFrame | None = None,
    changepoints: pd.DataFrame | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    what: str = "events",
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Counts per day / week / month as bars, with a trailing rolling mean and the truce,
    key-date and change-point annotations of :func:`plot_timeline`.

    Requires ``counts[date, count]`` (the output of :func:`analysis.events.count_events`;
    with ``by=``, pass that column as ``category`` for stacked bars). ``rolling``: window
    in periods (default 7 days, 4 weeks or 3 months; 0 = no line). ``changepoints``: a
    table with ``date`` (optional ``label``), drawn dashed.
    """
    require_columns(counts, ["date", "count"], source="plot_counts",
                    expected="a count table (analysis.events.count_events)")
    window = date_window(counts["date"], start, end)
    c = counts if window is None else counts[pd.to_datetime(counts["date"]).between(*window)]
    period = period_days(c["date"])
    window = None if window is None else (window[0], window[1] + pd.Timedelta(days=period))
    with house_style():
        fig = new_figure(figsize)
        ax = fig.axes[0]
        draw_counts(c, ax=ax, rolling=rolling, category=category)
        format_date_axis(ax, window)
        if truces is not None:
            ax.set_ylim(top=ax.get_ylim()[1] * 1.2)  # headroom for the truce label
        unit = period_unit(period)
        frame = dict(title=title or f"{what.capitalize()} per {unit}",
                     subtitle=subtitle or counts_subtitle(c, rolling, unit, what),
                     source=source)
        frame_figure(fig, **frame)
        if c.empty or c["count"].sum() == 0:
            empty_note(ax)
        add_overlays(ax, fig, frame, truces=truces, occurrences=occurrences,
                     changepoints=changepoints)
    return fig


def draw_counts(
    counts: pd.DataFrame,
    *,
    ax: Axes | None = None,
    rolling: int | None = None,
    category: str | None = None,
) -> Axes:
    """Bars of ``counts[count]`` at ``counts[date]`` (period starts; gid ``count-bars``),
    stacked by ``category`` when given (largest at the bottom, legend below the plot), and
    a trailing rolling mean of the total (gid ``rolling-mean``)."""
    ax = axes_or_new(ax)
    cols = ["date", "count"] + ([category] if category else [])
    require_columns(counts, cols, source="draw_counts", expected="a count table")
    period = period_days(counts["date"])
    wide = wide_counts(counts, category)
    bottom = np.zeros(len(wide))
    single = wide.shape[1] == 1
    for i, col in enumerate(wide.columns):  # a handful of categories
        ax.bar(wide.index, wide[col].to_numpy(), width=period * 0.85, bottom=bottom,
               align="edge", color=BAR_COLOR if single else CATEGORY_COLORS[i % 8],
               label=pretty_labels(pd.Series([col])).iloc[0], gid="count-bars", zorder=2)
        bottom = bottom + wide[col].to_numpy()
    window = rolling_window(counts["date"], rolling)
    if window and len(wide):
        total = pd.Series(bottom, index=wide.index)
        mean = total.rolling(window, min_periods=window).mean()
        mid = wide.index + pd.Timedelta(days=period / 2)
        ax.plot(mid, mean.to_numpy(), color=ESTIMATE_COLOR if single else BLACK, lw=2,
                zorder=3, gid="rolling-mean")
    if not single:
        fig = ax.get_figure(root=True)
        assert fig is not None  # an axes always belongs to a figure
        below = ax.transAxes + ScaledTranslation(0, -26 / 72, fig.dpi_scale_trans)
        ax.legend(loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below,
                  ncols=min(3, wide.shape[1]), fontsize=LABEL_SIZE, handlelength=1,
                  columnspacing=1.2, borderaxespad=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(bottom=0)
    return ax


__all__ = ["draw_counts", "plot_counts"]
