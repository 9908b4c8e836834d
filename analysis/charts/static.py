"""Static charts (matplotlib) in the house style: timeline, counts, event study, trend model,
truce durability.

Figure builders (``plot_*``) take the table first, options keyword-only, and return a new
:class:`matplotlib.figure.Figure` (not registered with pyplot: end a notebook cell with it to
show it, pass it to :func:`analysis.charts.save_figure` to publish it). Axes-level helpers
(``draw_*``, and the ``add_*`` overlays in :mod:`analysis.charts.annotate`) take ``ax=None``
and return the Axes, drawing nothing outside it.

Artists carry a ``gid`` (``event-marks``, ``truce-span``, ``violation-number``,
``conf-band`` ...) so that tests and later styling can find them.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from analysis.charts.annotate import (
    _axes,
    add_date_lines,
    add_top_labels,
    add_truce_spans,
    date_lines,
    key_date_lines,
    key_date_overflow,
    require_columns,
    truce_label_text,
)
from analysis.charts.save import source_line
from analysis.charts.style import (
    CATEGORY_COLORS,
    GREY,
    LABEL_SIZE,
    VIOLATION_COLOR,
    axes_pixels,
    empty_note,
    frame_figure,
    house_style,
    new_figure,
    shorten,
    text_width,
)
from analysis.charts.tables import (
    category_rows,
    date_window,
    events_in_window,
    period_days,
    pretty_labels,
    rolling_window,
    violation_status,
)
from analysis.schema import DataError

EVENT_SIZE, VIOLATION_SIZE = 30, 46     # marker areas in pt^2
Window = tuple[pd.Timestamp, pd.Timestamp] | None


class TrendLike(Protocol):
    """What :func:`plot_trend_model` needs (``analysis.models.TrendResult`` has it)."""

    fitted: pd.DataFrame
    interruptions: pd.DataFrame


# --------------------------------------------------------------------------------------
# Timeline


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
    require_columns(events, ["event_id", "date"], who="plot_timeline",
                    what="an event table (analysis.io.read_events)")
    window = date_window(events["date"], start, end)
    shown = events_in_window(events, window)
    with house_style():
        fig = new_figure(figsize)
        ax = fig.axes[0]
        draw_events(shown, ax=ax, category=category, flagged=flagged)
        format_date_axis(ax, window)
        frame = dict(title=title or _timeline_title(shown, window),
                     subtitle=subtitle or _timeline_subtitle(truces, occurrences, flagged),
                     source=source if source is not None else _default_source(events))
        if truces is not None:
            ax.set_ylim(bottom=ax.get_ylim()[0] - 0.8)  # room for the truce label
        if flagged is not None:
            ax.set_ylim(top=ax.get_ylim()[1] + 0.4)  # room for numbers above the top row
        frame_figure(fig, **frame)
        if shown.empty:
            empty_note(ax)
        _overlays(ax, fig, frame, truces=truces, occurrences=occurrences, truce_label="bottom")
        if flagged is not None and not shown.empty:
            fig.get_layout_engine().execute(fig)  # final axes size before placing numbers
            add_violation_numbers(shown, flagged, ax=ax, category=category)
    return fig


def _overlays(ax: Axes, fig: Figure, frame: dict, *, truces: pd.DataFrame | None = None,
              occurrences: pd.DataFrame | None = None,
              changepoints: pd.DataFrame | None = None, truce_label: str = "top") -> None:
    """Truce spans, then change-point and key-date lines with all their labels placed in one
    pass (after the layout); unlabelled key dates get a note, which re-frames the figure."""
    if truces is not None:
        add_truce_spans(truces, ax=ax, where=truce_label)
    pending = []
    if changepoints is not None:
        pending.append(date_lines(changepoints, ax=ax, gid="changepoint"))
    if occurrences is not None:
        pending.append(key_date_lines(occurrences, ax=ax))
    if not pending:
        return
    labels = pd.concat(pending, ignore_index=True)
    missed = add_top_labels(labels["date"], labels["label"], ax=ax, gid=labels["gid"].tolist(),
                            color=labels["color"].tolist())
    skipped = labels[missed & (labels["gid"] == "key-date-label").to_numpy()]
    note = key_date_overflow(skipped.rename(columns={"date": "occurrence"}))
    if note:
        frame_figure(fig, **frame, note=note)


def _timeline_title(shown: pd.DataFrame, window: Window) -> str:
    if window is None:
        return "No events"
    dates = pd.to_datetime(shown["date"])
    lo, hi = (dates.min(), dates.max()) if len(shown) else window
    noun = "event" if len(shown) == 1 else "events"
    when = f"{lo:%b %Y}" if (lo.year, lo.month) == (hi.year, hi.month) else (
        f"{lo:%b %Y} to {hi:%b %Y}")
    return f"{len(shown)} {noun}, {when}"


def _timeline_subtitle(truces: pd.DataFrame | None, occurrences: pd.DataFrame | None,
                       flagged: pd.DataFrame | None) -> str:
    parts = ["Each dot is one event"]
    if flagged is not None:
        parts.append("numbered: counted truce violations, by violation day; "
                     "rings: suspected violations")
    if truces is not None:
        parts.append("shaded: truce in force")
    if occurrences is not None:
        parts.append("dotted: key dates")
    return "; ".join(parts)


def _default_source(events: pd.DataFrame) -> str | None:
    try:
        return source_line(events)
    except DataError:
        return None


def format_date_axis(ax: Axes, window: Window) -> Axes:
    """Concise date ticks (``2020``, ``Apr``, ``Jul`` ...; ``05 Dec`` for days, the year or
    month at the right end when the period is short) over ``window`` (None: no ticks)."""
    if window is None:
        ax.set_xticks([])
        return ax
    ax.set_xlim(*window)
    locator = AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(
        locator, formats=["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%b", "%d %b", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", "%b %Y", "%b %Y", "%d %b %Y", "%d %b %Y"]))
    return ax


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
    ax = _axes(ax)
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
               edgecolors=list(edge[rank]), linewidths=np.where(status == "none", 0.5, 1.3)[rank],
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
    ax = _axes(ax)
    require_columns(flagged, ["event_id", "truce_id", "violation_day"],
                    who="add_violation_numbers", what="the output of flag_violations")
    labels, order = category_rows(events, category)
    rows = events.assign(_row=labels.map({c: len(order) - 1 - i for i, c in enumerate(order)}))
    counted = flagged.loc[flagged["violation_day"].notna(), ["event_id", "truce_id",
                                                             "violation_day"]]
    firsts = (counted.merge(rows[["event_id", "date", "_row"]], on="event_id")
              .sort_values(["date", "truce_id", "violation_day", "event_id"], kind="stable")
              .drop_duplicates(["truce_id", "violation_day"]))
    if len(firsts) > MAX_NUMBERED:  # a wall of numbers: the marks alone say it, the text counts
        return ax
    texts = firsts["violation_day"].astype("int64").astype(str).tolist()
    offsets = _free_slots(ax, firsts["date"], firsts["_row"].to_numpy(float), texts)
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for date, row, text, offset in zip(firsts["date"], firsts["_row"], texts, offsets,
                                       strict=True):  # one per violation day
        ax.annotate(text, xy=(date, float(row)), xytext=(0, offset), textcoords="offset points",
                    ha="center", va="bottom" if offset > 0 else "top", fontsize=LABEL_SIZE,
                    fontweight="bold", color="#111111", gid="violation-number",
                    path_effects=halo, zorder=4)
    return ax


#: the most violation days a timeline numbers (beyond, numbers would cover the marks)
MAX_NUMBERED = 20


def _free_slots(ax: Axes, dates: pd.Series, rows: np.ndarray, texts: list[str]) -> list[float]:
    """For each number, the first slot offset (points) whose box stays inside the axes and
    overlaps no placed box."""
    dpi = ax.get_figure(root=True).dpi
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


# --------------------------------------------------------------------------------------
# Counts


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
    require_columns(counts, ["date", "count"], who="plot_counts",
                    what="a count table (analysis.events.count_events)")
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
        unit = {1: "day", 7: "week"}.get(period, "month")
        frame = dict(title=title or f"{what.capitalize()} per {unit}",
                     subtitle=subtitle or _counts_subtitle(c, rolling, unit, what),
                     source=source)
        frame_figure(fig, **frame)
        if c.empty or c["count"].sum() == 0:
            empty_note(ax)
        _overlays(ax, fig, frame, truces=truces, occurrences=occurrences,
                  changepoints=changepoints)
    return fig


def _counts_subtitle(counts: pd.DataFrame, rolling: int | None, unit: str, what: str) -> str:
    window = rolling_window(counts["date"], rolling)
    text = f"Bars: {what} per {unit}"
    if window:
        text += f"; line: {window}-{unit} average"
    return text


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
    ax = _axes(ax)
    cols = ["date", "count"] + ([category] if category else [])
    require_columns(counts, cols, who="draw_counts", what="a count table")
    period = period_days(counts["date"])
    wide = _wide_counts(counts, category)
    bottom = np.zeros(len(wide))
    single = wide.shape[1] == 1
    for i, col in enumerate(wide.columns):  # a handful of categories
        ax.bar(wide.index, wide[col].to_numpy(), width=period * 0.85, bottom=bottom,
               align="edge", color="#56B4E9" if single else CATEGORY_COLORS[i % 8],
               label=pretty_labels(pd.Series([col])).iloc[0], gid="count-bars", zorder=2)
        bottom = bottom + wide[col].to_numpy()
    window = rolling_window(counts["date"], rolling)
    if window and len(wide):
        total = pd.Series(bottom, index=wide.index)
        mean = total.rolling(window, min_periods=window).mean()
        mid = wide.index + pd.Timedelta(days=period / 2)
        ax.plot(mid, mean.to_numpy(), color="#0072B2" if single else "#000000", lw=2,
                zorder=3, gid="rolling-mean")
    if not single:
        below = ax.transAxes + ScaledTranslation(0, -26 / 72, ax.get_figure(root=True).dpi_scale_trans)
        ax.legend(loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below,
                  ncols=min(3, wide.shape[1]), fontsize=LABEL_SIZE, handlelength=1,
                  columnspacing=1.2, borderaxespad=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(bottom=0)
    return ax


def _wide_counts(counts: pd.DataFrame, category: str | None) -> pd.DataFrame:
    dates = pd.to_datetime(counts["date"])
    if not category:
        return pd.DataFrame({"count": counts["count"].to_numpy(float)}, index=dates.to_numpy())
    wide = (counts.assign(date=dates)
            .pivot_table(index="date", columns=category, values="count", aggfunc="sum",
                         fill_value=0, observed=True))
    totals = wide.sum()
    order = sorted(wide.columns, key=lambda c: (-totals[c], str(c)))  # largest at the bottom
    return wide[order].astype(float)


# --------------------------------------------------------------------------------------
# Event study


def plot_event_study(
    study: pd.DataFrame,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    what: str = "events",
    occasion: str = "anniversary",
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Mean events per day around the key dates, its confidence band, the placebo band.

    Requires ``study[relative_day, mean, conf_low, conf_high, placebo_mean, placebo_low,
    placebo_high, occurrences]`` (the output of :func:`analysis.anniversaries.event_study`).
    """
    with house_style():
        fig = new_figure(figsize)
        ax = draw_event_study(study, ax=fig.axes[0], occasion=occasion)
        ax.set_ylabel(f"{what.capitalize()} per day (mean)")
        n = int(study["occurrences"].iloc[0]) if len(study) else 0
        frame_figure(fig, title=title or f"{what.capitalize()} around the {occasion}",
                     subtitle=subtitle or (f"Mean over {n} {_plural(occasion, n)} (blue band: "
                                           "confidence interval); grey: the same mean on "
                                           "random days"),
                     source=source)
        if study.empty:
            empty_note(ax, "No data")
    return fig


def _plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def draw_event_study(study: pd.DataFrame, *, ax: Axes | None = None,
                     occasion: str = "anniversary") -> Axes:
    """Placebo band (gid ``placebo-band``) and mean (``placebo-mean``) in grey, confidence
    band (``conf-band``), mean line (``mean``), and a line at day 0 (``day-zero``)."""
    ax = _axes(ax)
    require_columns(study, ["relative_day", "mean", "conf_low", "conf_high", "placebo_mean",
                            "placebo_low", "placebo_high", "occurrences"],
                    who="plot_event_study", what="the output of analysis.anniversaries.event_study")
    s = study.sort_values("relative_day")
    x = s["relative_day"].to_numpy(float)
    ax.fill_between(x, s["placebo_low"], s["placebo_high"], color="#BBBBBB", alpha=0.45,
                    lw=0, zorder=1, gid="placebo-band")
    ax.plot(x, s["placebo_mean"], color=GREY, lw=1.2, ls=(0, (3, 2)), zorder=2,
            gid="placebo-mean")
    ax.fill_between(x, s["conf_low"], s["conf_high"], color="#0072B2", alpha=0.18, lw=0,
                    zorder=2, gid="conf-band")
    ax.plot(x, s["mean"], color="#0072B2", lw=2, marker="o", ms=3, zorder=3, gid="mean")
    ax.axvline(0, color="#111111", lw=1, zorder=4, gid="day-zero")
    ax.annotate(f"Day of the {occasion}", xy=(0, 1), xycoords=("data", "axes fraction"),
                xytext=(4, 2), textcoords="offset points", ha="left", va="bottom",
                fontsize=LABEL_SIZE, color="#111111", annotation_clip=False)
    ax.set_xlabel(f"Days before (−) and after (+) the {occasion}")
    ax.set_ylim(bottom=0)
    return ax


# --------------------------------------------------------------------------------------
# Trend model


def plot_trend_model(
    result: TrendLike,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    what: str = "events",
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Observed counts, the fitted trend with its interval, and the counterfactual (no
    interruption) dashed from the first interruption on.

    ``result`` has ``fitted`` (``date, count, fitted, fitted_low, fitted_high,
    counterfactual, counterfactual_low, counterfactual_high``) and ``interruptions``
    (``date, label``), as :func:`analysis.models.fit_interrupted_series` returns.
    """
    fitted, inter = _trend_tables(result)
    window = date_window(fitted["date"])
    period = period_days(fitted["date"])
    with house_style():
        fig = new_figure(figsize)
        ax = draw_trend_model(result, ax=fig.axes[0])
        format_date_axis(ax, window)
        unit = {1: "day", 7: "week"}.get(period, "month")
        ax.set_ylabel(f"{what.capitalize()} per {unit}")
        frame = dict(title=title or f"{what.capitalize()} per {unit}: trend and counterfactual",
                     subtitle=subtitle or ("Bars: observed; line: fitted trend with interval; "
                                           "dashed: expected without the interruption"),
                     source=source)
        frame_figure(fig, **frame)
        if fitted.empty:
            empty_note(ax, "No data")
        elif len(inter):
            add_date_lines(inter, ax=ax, gid="interruption")
    return fig


def _trend_tables(result: TrendLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not hasattr(result, "fitted") or not hasattr(result, "interruptions"):
        raise DataError("expected a fitted trend model", source="plot_trend_model",
                        expected="an object with .fitted and .interruptions tables "
                        "(analysis.models.fit_interrupted_series)")
    require_columns(result.fitted, ["date", "count", "fitted", "fitted_low", "fitted_high",
                                    "counterfactual", "counterfactual_low",
                                    "counterfactual_high"],
                    who="plot_trend_model", what="result.fitted")
    require_columns(result.interruptions, ["date"], who="plot_trend_model",
                    what="result.interruptions")
    return result.fitted, result.interruptions


def draw_trend_model(result: TrendLike, *, ax: Axes | None = None) -> Axes:
    """Observed bars (gid ``observed``), fitted line and band (``fitted``, ``fitted-band``),
    counterfactual line and band after the first interruption (``counterfactual``,
    ``counterfactual-band``)."""
    ax = _axes(ax)
    fitted, inter = _trend_tables(result)
    f = fitted.assign(date=pd.to_datetime(fitted["date"])).sort_values("date")
    period = period_days(f["date"])
    ax.bar(f["date"], f["count"], width=period * 0.85, align="edge", color="#CCCCCC",
           zorder=1, gid="observed")
    mid = f["date"] + pd.Timedelta(days=period / 2)
    ax.fill_between(mid, f["fitted_low"], f["fitted_high"], color="#0072B2", alpha=0.18, lw=0,
                    zorder=2, gid="fitted-band")
    ax.plot(mid, f["fitted"], color="#0072B2", lw=2, zorder=4, gid="fitted")
    if len(inter):
        after = (f["date"] >= pd.to_datetime(inter["date"]).min()).to_numpy()
        ax.fill_between(mid[after], f.loc[after, "counterfactual_low"],
                        f.loc[after, "counterfactual_high"], color="#E69F00", alpha=0.18,
                        lw=0, zorder=2, gid="counterfactual-band")
        ax.plot(mid[after], f.loc[after, "counterfactual"], color="#B36B00", lw=2,
                ls=(0, (4, 2)), zorder=3, gid="counterfactual")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(bottom=0)
    return ax


# --------------------------------------------------------------------------------------
# Truce durability


def plot_truce_durability(
    durability: pd.DataFrame,
    *,
    curve: pd.DataFrame | None = None,
    truces: pd.DataFrame | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Days each truce held before its nth counted violation (bars), violated vs still
    holding (markers); with ``curve``, a second panel with the Kaplan–Meier curve.

    Requires ``durability[truce_id, days, violated]`` (from
    :func:`analysis.truces.truce_durability`; ``nth``/``unit`` are used in the labels) and
    ``curve[days, survival, conf_low, conf_high]`` (the first element of
    :func:`analysis.truces.kaplan_meier`). ``truces`` (optional) gives the names.
    """
    require_columns(durability, ["truce_id", "days", "violated"], who="plot_truce_durability",
                    what="the output of analysis.truces.truce_durability")
    if durability["days"].isna().any() or durability["violated"].isna().any():
        raise DataError("blank days or violated in the durability table",
                        source="plot_truce_durability", column="days",
                        rows=np.flatnonzero(durability[["days", "violated"]].isna().any(axis=1)
                                            .to_numpy())[:10],
                        expected="the output of analysis.truces.truce_durability")
    panels = 1 if curve is None else 2
    size = figsize or ((6.4, 4.0) if panels == 1 else (6.4, 6.4))
    with house_style():
        fig = new_figure(size, nrows=panels)
        draw_durability(durability, ax=fig.axes[0], truces=truces)
        if curve is not None:
            draw_survival_curve(curve, ax=fig.axes[1], durability=durability)
        nth = _nth_text(durability)
        frame_figure(fig, title=title or f"How long truces held before their {nth}",
                     subtitle=subtitle or ("Days from the start of each truce; dot: violated, "
                                           "arrow: still holding or ended unbroken"
                                           + ("; +: truce still holding" if curve is not None
                                              else "")),
                     source=source)
        if durability.empty:
            empty_note(fig.axes[0], "No truces")
    return fig


def _nth_text(durability: pd.DataFrame) -> str:
    nth = int(durability["nth"].iloc[0]) if "nth" in durability and len(durability) else 1
    unit = durability["unit"].iloc[0] if "unit" in durability and len(durability) else "incident"
    ordinal = {1: "first", 2: "second", 3: "third"}.get(nth, f"{nth}th")
    return f"{ordinal} violation" + (" day" if unit == "day" else "")


def draw_durability(durability: pd.DataFrame, *, ax: Axes | None = None,
                    truces: pd.DataFrame | None = None) -> Axes:
    """Horizontal bars of days held (gid ``durability-bar``); a dot at the end when the
    truce was violated (``violated-marker``), an arrow when censored (``censored-marker``).
    ``truces`` (optional): names the bars from its ``label`` or ``name`` column."""
    ax = _axes(ax)
    require_columns(durability, ["truce_id", "days", "violated"], who="draw_durability",
                    what="the output of analysis.truces.truce_durability")
    d = durability.reset_index(drop=True)
    y = np.arange(len(d))[::-1]
    days = d["days"].to_numpy(float)
    violated = d["violated"].fillna(False).to_numpy(bool)
    ax.barh(y, days, height=0.5, color="#009E73", alpha=0.55, zorder=2, gid="durability-bar")
    ax.scatter(days[violated], y[violated], s=60, color=VIOLATION_COLOR, zorder=3,
               gid="violated-marker")
    ax.scatter(days[~violated], y[~violated], s=70, marker=">", facecolors="white",
               edgecolors="#00664A", linewidths=1.5, zorder=3, gid="censored-marker")
    for yi, di, v in zip(y, days, violated, strict=True):  # one label per truce
        ax.annotate(f"{di:.0f} day{'' if round(di) == 1 else 's'}"
                    + ("" if v else ", still holding"), xy=(di, yi),
                    xytext=(8, 0), textcoords="offset points", va="center",
                    fontsize=LABEL_SIZE, color="#222222", gid="durability-label")
    ax.set_yticks(y, _truce_names(d, truces))
    ax.set_xlim(0, max(days.max() * 1.35, 1) if len(days) else 1)
    pad = max(0, 3 - len(d)) * 0.5  # one or two truces: keep the bars slim
    ax.set_ylim(-0.7 - pad, max(len(d), 1) - 0.3 + pad)
    ax.set_xlabel("Days since the truce began")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # whole days
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    return ax


def _truce_names(d: pd.DataFrame, truces: pd.DataFrame | None) -> list[str]:
    names = d["truce_id"].astype(str)
    if truces is not None and "truce_id" in truces.columns:
        named = pd.Series(truce_label_text(truces).to_numpy(), index=truces["truce_id"])
        names = d["truce_id"].map(named).fillna(names).astype(str)
    return [shorten(n, 28) for n in names]  # a handful of truces


def draw_survival_curve(curve: pd.DataFrame, *, ax: Axes | None = None,
                        durability: pd.DataFrame | None = None) -> Axes:
    """Kaplan–Meier step curve (gid ``km-curve``) with its pointwise band (``km-band``).

    With ``durability`` the curve runs on to the longest truce and marks the truces still
    holding (censored) with ``+`` (``km-censored``), as survival plots do.
    """
    ax = _axes(ax)
    require_columns(curve, ["days", "survival", "conf_low", "conf_high"],
                    who="plot_truce_durability", what="the curve from analysis.truces.kaplan_meier")
    cols = ["days", "survival", "conf_low", "conf_high"]
    c = pd.concat([pd.DataFrame([[0, 1.0, 1.0, 1.0]], columns=cols), curve[cols]],
                  ignore_index=True).sort_values("days", kind="stable")
    if durability is not None and len(durability) and durability["days"].max() > c["days"].max():
        c = pd.concat([c, c.tail(1).assign(days=durability["days"].max())], ignore_index=True)
    ax.fill_between(c["days"], c["conf_low"], c["conf_high"], step="post", color="#0072B2",
                    alpha=0.18, lw=0, gid="km-band")
    ax.step(c["days"], c["survival"], where="post", color="#0072B2", lw=2, gid="km-curve")
    if durability is not None:
        held = durability.loc[~durability["violated"].astype(bool), "days"].to_numpy(float)
        at = c["survival"].to_numpy()[np.searchsorted(c["days"].to_numpy(), held, "right") - 1]
        ax.scatter(held, at, marker="+", s=80, color="#0072B2", linewidths=1.5, zorder=3,
                   gid="km-censored")
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_title("Share of truces not yet violated", loc="left", fontsize=LABEL_SIZE + 1)
    ax.set_xlabel("Days since the truce began")
    return ax


__all__ = [
    "add_violation_numbers", "draw_counts", "draw_durability", "draw_event_study",
    "draw_events", "draw_survival_curve", "draw_trend_model", "format_date_axis",
    "plot_counts", "plot_event_study", "plot_timeline", "plot_trend_model",
    "plot_truce_durability",
]
