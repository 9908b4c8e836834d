"""The timeline (matplotlib): events as marks along time by category, with truces, key
dates and numbered violations.

Figure builders (``plot_*``) take the table first, options keyword-only, and return a new
:class:`matplotlib.figure.Figure` (not registered with pyplot: end a notebook cell with it to
show it, pass it to :func:`analysis.charts.save_figure` to publish it). Axes-level helpers
(``draw_*``, and the ``add_*`` overlays in :mod:`analysis.charts.annotate`) take ``ax=None``
and return the Axes, drawing nothing outside it. The same holds in
:mod:`analysis.charts.counts` and :mod:`analysis.charts.results`.

Artists carry a ``gid`` (``event-marks``, ``truce-span``, ``violation-number``,
``conf-band`` ...) so that tests and later styling can find them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.charts.annotate import add_overlays, format_date_axis
from analysis.charts.data import (
    MAX_NUMBERED,
    category_rows,
    date_window,
    events_in_window,
    first_violations,
    violation_status,
)
from analysis.charts.provenance import default_source, timeline_subtitle, timeline_title
from analysis.charts.style import (
    CATEGORY_COLORS,
    GREY,
    INK,
    LABEL_SIZE,
    VIOLATION_COLOR,
    axes_or_new,
    axes_pixels,
    empty_note,
    frame_figure,
    house_style,
    new_figure,
    text_width,
)
from analysis.schema import require_columns

EVENT_SIZE, VIOLATION_SIZE = 30, 46     # marker areas in pt^2


def plot_timeline(
    events: pd.DataFrame,
    *,
    category: str | None = "target_type",
    truces: pd.DataFrame | None = None,
    occurrences: pd.DataFrame | None = None,
    flagged: pd.DataFrame | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Events as marks along time, one row per ``category`` value, with truces, key dates
    and numbered violations.

    Requires ``events[event_id, date]`` and the ``category`` column (``None``: one row).
    ``truces``: from :func:`analysis.truces.read_truces` (shaded, labelled; open-ended ones
    to the right edge). ``occurrences``: from
    :func:`analysis.anniversaries.anniversary_occurrences` (dotted lines labelled above the
    plot; an optional ``label`` column sets the text). ``flagged``: from
    :func:`analysis.truces.flag_violations` (``event_id, truce_id, is_violation,
    violation_day``): counted violations are filled vermillion and numbered 1, 2, 3 ... by
    violation day; suspected ones are hollow rings. Events with a date range (week or month
    precision) get a bar from ``date_start`` to ``date_end``. ``start``/``end`` limit the
    period (default: the events' dates, padded). ``source`` defaults to
    :func:`analysis.charts.source_line` of the events.
    """
    require_columns(events, ["event_id", "date"], source="plot_timeline",
                    expected="an event table (analysis.io.read_events)")
    window = date_window(events["date"], start, end)
    shown = events_in_window(events, window)
    with house_style():
        fig = new_figure(figsize)
        ax = fig.axes[0]
        draw_events(shown, ax=ax, category=category, flagged=flagged)
        format_date_axis(ax, window)
        frame = dict(title=title or timeline_title(shown, window),
                     subtitle=subtitle or timeline_subtitle(truces, occurrences, flagged),
                     source=source if source is not None else default_source(events))
        if truces is not None:
            ax.set_ylim(bottom=ax.get_ylim()[0] - 0.8)  # room for the truce label
        if flagged is not None:
            ax.set_ylim(top=ax.get_ylim()[1] + 0.4)  # room for numbers above the top row
        frame_figure(fig, **frame)
        if shown.empty:
            empty_note(ax)
        add_overlays(ax, fig, frame, truces=truces, occurrences=occurrences,
                     truce_label="bottom")
        if flagged is not None and not shown.empty:
            engine = fig.get_layout_engine()
            assert engine is not None  # new_figure lays out with constrained layout
            engine.execute(fig)  # final axes size before placing numbers
            add_violation_numbers(shown, flagged, ax=ax, category=category)
    return fig


DENSE = 300  # above this many events a timeline drops the marks' white rims


def draw_events(
    events: pd.DataFrame,
    *,
    ax: Axes | None = None,
    category: str | None = "target_type",
    flagged: pd.DataFrame | None = None,
) -> Axes:
    """One mark per event (gid ``event-marks``) in rows by ``category``; date ranges as bars
    (gid ``event-ranges``). Without ``flagged`` marks take the row's colour; with it,
    counted violations are vermillion, suspected ones hollow rings, the rest grey.

    Requires ``events[event_id, date]`` (and ``date_start``/``date_end`` for ranges).
    """
    ax = axes_or_new(ax)
    labels, order = category_rows(events, category)
    y = labels.map({c: len(order) - 1 - i for i, c in enumerate(order)}).to_numpy(float)
    status = violation_status(events, flagged).to_numpy()
    row_color = labels.map({c: CATEGORY_COLORS[i % len(CATEGORY_COLORS)]
                            for i, c in enumerate(order)}).to_numpy(object)
    face = np.where(status == "counted", VIOLATION_COLOR,
                    np.where(status == "suspected", "white",
                             row_color if flagged is None else GREY))
    # white rims separate a few marks; on thousands of marks they would paint the row white
    edge = np.where(status == "none", "white" if len(events) <= DENSE else "none", VIOLATION_COLOR)
    _draw_ranges(events, y, face, ax)
    rank = np.argsort(pd.Series(status).map({"none": 0, "suspected": 1, "counted": 2}),
                      kind="stable")  # violations drawn on top
    dates = pd.to_datetime(events["date"]).to_numpy()
    sizes = np.where(status == "none", EVENT_SIZE, VIOLATION_SIZE)
    ax.scatter(dates[rank], y[rank], s=sizes[rank], c=list(face[rank]),
               edgecolors=list(edge[rank]),
               # an array is fine here: the stub says Sequence[float] only
               linewidths=cast("Sequence[float]", np.where(status == "none", 0.5, 1.3)[rank]),
               zorder=3, gid="event-marks")
    ax.set_yticks(range(len(order)), order[::-1])
    ax.set_ylim(-0.6, max(len(order), 1) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    return ax


def _draw_ranges(events: pd.DataFrame, y: np.ndarray, colors: np.ndarray, ax: Axes) -> None:
    if not {"date_start", "date_end"} <= set(events.columns) or events.empty:
        return
    lo = pd.to_datetime(events["date_start"]).fillna(pd.to_datetime(events["date"]))
    hi = pd.to_datetime(events["date_end"]).fillna(pd.to_datetime(events["date"]))
    ranged = (lo < hi).to_numpy()
    if ranged.any():
        color = np.where(colors[ranged] == "white", VIOLATION_COLOR, colors[ranged])
        ax.hlines(y[ranged], lo[ranged].to_numpy(), hi[ranged].to_numpy(), colors=list(color),
                  lw=3, alpha=0.45, zorder=2, gid="event-ranges")


def add_violation_numbers(
    events: pd.DataFrame,
    flagged: pd.DataFrame,
    *,
    ax: Axes | None = None,
    category: str | None = "target_type",
) -> Axes:
    """Number counted violations ``1``, ``2``, ``3`` ... by violation day (gid
    ``violation-number``) beside the first mark of each violation day; more than
    :data:`MAX_NUMBERED` violation days are not numbered (the filled marks show them). Each
    number takes the first free slot above or below its mark, so that no two numbers (nor a
    truce label) overlap. Use the ``events`` and ``category`` given to
    :func:`draw_events`, and call it last (after the layout and the other labels).

    Requires ``flagged[event_id, truce_id, violation_day]``.
    """
    ax = axes_or_new(ax)
    require_columns(flagged, ["event_id", "truce_id", "violation_day"],
                    source="add_violation_numbers", expected="the output of flag_violations")
    labels, order = category_rows(events, category)
    rows = events.assign(row=labels.map({c: len(order) - 1 - i for i, c in enumerate(order)}))
    firsts = first_violations(rows, flagged)
    if len(firsts) > MAX_NUMBERED:  # a wall of numbers: the marks alone say it, the text counts
        return ax
    texts = firsts["violation_day"].astype("int64").astype(str).tolist()
    offsets = _free_slots(ax, firsts["date"], firsts["row"].to_numpy(float), texts)
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for date, row, text, offset in zip(firsts["date"], firsts["row"], texts, offsets,
                                       strict=True):  # one per violation day
        ax.annotate(text, xy=(date, float(row)), xytext=(0, offset), textcoords="offset points",
                    ha="center", va="bottom" if offset > 0 else "top", fontsize=LABEL_SIZE,
                    fontweight="bold", color=INK, gid="violation-number",
                    path_effects=halo, zorder=4)
    return ax


def _free_slots(ax: Axes, dates: pd.Series, rows: np.ndarray, texts: list[str]) -> list[float]:
    """For each number, the first slot offset (points) whose box stays inside the axes and
    overlaps no placed box."""
    fig = ax.get_figure(root=True)
    assert fig is not None  # an axes always belongs to a figure
    dpi = fig.dpi
    px = dpi / 72
    cx = axes_pixels(ax, dates)
    cy = ax.transData.transform(np.column_stack([np.zeros(len(rows)), rows]))[:, 1]
    placed = _obstacles(ax)
    height = LABEL_SIZE * px
    chosen = []
    for x, y, text in zip(cx, cy, texts, strict=True):  # one per violation day
        half = text_width(text, LABEL_SIZE, weight="bold", dpi=dpi) / 2 + px
        for slot in range(12):
            off = _slot_offset(slot)
            y0 = y + off * px if off > 0 else y + off * px - height
            box = (x - half, y0, x + half, y0 + height)
            inside = y0 >= ax.bbox.y0 and y0 + height <= ax.bbox.y1
            if inside and not any(_boxes_overlap(box, p) for p in placed):
                break
        chosen.append(off)
        placed.append(box)
    return chosen


def _obstacles(ax: Axes) -> list[tuple[float, float, float, float]]:
    """Pixel boxes of the labels already inside the axes that numbers must avoid."""
    from matplotlib.backends.backend_agg import RendererAgg

    fig = ax.get_figure(root=True)
    assert fig is not None  # an axes always belongs to a figure
    renderer = RendererAgg(int(fig.bbox.width), int(fig.bbox.height), fig.dpi)
    boxes = []
    for t in ax.texts:  # a handful of labels
        if t.get_gid() in ("truce-label", "violation-number"):
            b = t.get_window_extent(renderer)
            boxes.append((b.x0, b.y0, b.x1, b.y1))
    return boxes


def _boxes_overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _slot_offset(slot: int) -> float:
    """Offset in points for a slot: +5, -5, +16, -16, then further out alternately."""
    return (1 if slot % 2 == 0 else -1) * (5.0 + 11.0 * (slot // 2))


__all__ = ["add_violation_numbers", "draw_events", "plot_timeline"]
