"""Axes-level overlays on a date axis: truce periods, key dates, change points, labels above
the plot staggered so that they never overlap; the date ticks, and all the overlays of a
chart placed in one pass (:func:`add_overlays`).

Each helper takes the table first and ``ax`` keyword-only, draws only on that Axes and
returns it. Draw the data and set the x limits first: open-ended truces are shaded to the
right edge of the axis, and labels are placed against the axis as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from analysis.charts.data import Window, key_date_labels, truce_label_text
from analysis.charts.style import (
    DATE_LINE_COLOR,
    KEY_DATE_COLOR,
    LABEL_SIZE,
    TRUCE_COLOR,
    TRUCE_TEXT_COLOR,
    TRUCE_TINT,
    axes_or_new,
    axes_pixels,
    day_month_year,
    fit_text,
    frame_figure,
    place_labels,
    stagger_levels,
    text_width,
)
from analysis.schema import require_columns

TOP_LABEL_GIDS = ("key-date-label", "changepoint-label", "interruption-label")
_BASE_PT, _STEP_PT = 4.0, LABEL_SIZE * 1.25 + 2


def _x_window(ax: Axes) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The x limits of a date axis as timestamps."""
    from matplotlib.dates import num2date

    lo, hi = ax.get_xlim()
    return (pd.Timestamp(num2date(lo)).tz_localize(None),
            pd.Timestamp(num2date(hi)).tz_localize(None))


def add_top_labels(
    dates: pd.Series,
    texts: pd.Series,
    *,
    ax: Axes,
    gid: str | Sequence[str],
    color: str | Sequence[str] = KEY_DATE_COLOR,
    max_levels: int = 3,
) -> np.ndarray:
    """Write ``texts`` above the plot at ``dates``, each on the lowest free level, with a
    thin leader line down to the axis. Returns a mask of the labels that found no free
    level (not drawn; list them in a note). ``gid`` and ``color``: one for all labels, or
    one per label. Place all the labels of a chart in one call: each is placed knowing
    where the others hang.

    A label runs right of its date, or left of it when that covers fewer other dates or
    the right edge is near. Labels already above the axes (any gid in
    :data:`TOP_LABEL_GIDS`) are respected, and no leader line crosses a label.
    """
    fig = ax.get_figure(root=True)
    assert fig is not None  # an axes always belongs to a figure
    px = axes_pixels(ax, dates)
    widths = np.array([text_width(t, LABEL_SIZE, dpi=fig.dpi) for t in texts])  # a handful
    levels, flip = place_labels(px, widths, bounds=(ax.bbox.x0 - 2, ax.bbox.x1 + 2),
                                taken=_taken_levels(ax), max_levels=max_levels)
    n = len(widths)
    gids = [gid] * n if isinstance(gid, str) else list(gid)
    colors = [color] * n if isinstance(color, str) else list(color)
    for date, text, level, to_left, g, c in zip(dates, texts, levels, flip, gids, colors,
                                                strict=True):
        if level < 0:
            continue
        ax.annotate(text, xy=(date, 1), xycoords=("data", "axes fraction"),
                    xytext=(0, _BASE_PT + level * _STEP_PT), textcoords="offset points",
                    ha="right" if to_left else "left", va="bottom", fontsize=LABEL_SIZE,
                    color=c, gid=g, annotation_clip=False,
                    arrowprops=dict(arrowstyle="-", color=c, lw=0.6, shrinkA=0, shrinkB=0,
                                    relpos=(1 if to_left else 0, 0)))
    return levels < 0


def _taken_levels(ax: Axes) -> list[tuple[int, float, float]]:
    """(level, left px, right px) of the labels already above ``ax``."""
    fig = ax.get_figure(root=True)
    assert fig is not None  # an axes always belongs to a figure
    taken = []
    for text in ax.texts:  # the labels of a chart: a handful
        if text.get_gid() not in TOP_LABEL_GIDS:
            continue
        t = cast(Annotation, text)  # top labels are drawn by add_top_labels (ax.annotate)
        x = ax.transData.transform((ax.convert_xunits(t.xy[0]), 0))[0]
        width = text_width(t.get_text(), LABEL_SIZE, dpi=fig.dpi)
        left = x - width if t.get_horizontalalignment() == "right" else x
        level = round((t.xyann[1] - _BASE_PT) / _STEP_PT)
        taken.append((level, left, left + width))
        taken += [(lv, x - 1, x + 1) for lv in range(level)]  # its leader line
    return taken


def add_truce_spans(
    truces: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label: bool = True,
    where: str = "top",
) -> Axes:
    """Shade each truce period (gid ``truce-span``) and label it in the top (``where=
    "bottom"``: bottom) left corner of its shading (gid ``truce-label``), shortened to fit
    the shaded width.

    Requires ``truces[truce_id, start]``; optional ``end`` (blank = still in force: shaded
    to the right edge of the axis), ``label`` or ``name`` (the label text; default the
    name, else the id). Truces outside the x range are skipped. Leave some room above (or
    below) the data for the label (the timeline and counts builders do).
    """
    if where not in ("top", "bottom"):
        raise ValueError(f"where must be 'top' or 'bottom', not {where!r}")
    ax = axes_or_new(ax)
    require_columns(truces, ["truce_id", "start"], source="add_truce_spans",
                    expected="a truce table (analysis.truces.read_truces)")
    lo, hi = _x_window(ax)
    t = _truce_labels(truces)
    end = pd.to_datetime(t["end"]).fillna(hi).clip(upper=hi)
    start = pd.to_datetime(t["start"]).clip(lower=lo)
    shown = (start <= hi) & (end >= lo)
    for s, e in zip(start[shown], end[shown], strict=True):  # a handful of truces
        ax.axvspan(s, e, color=TRUCE_COLOR, alpha=0.13, lw=0, zorder=0, gid="truce-span")
    if label and shown.any():
        _label_spans(start[shown], end[shown], t.loc[shown, "label"], ax, where)
    return ax


def _label_spans(start: pd.Series, end: pd.Series, text: pd.Series, ax: Axes,
                 where: str) -> None:
    """Labels inside the spans, fitted to their width; nested truces stack downwards."""
    fig = ax.get_figure(root=True)
    assert fig is not None  # an axes always belongs to a figure
    dpi = fig.dpi
    left, right = axes_pixels(ax, start) + 3, axes_pixels(ax, end) - 3
    fitted = [fit_text(s, LABEL_SIZE, r - lo, dpi=dpi)
              for s, lo, r in zip(text, left, right, strict=True)]  # a handful
    widths = np.array([text_width(f, LABEL_SIZE, dpi=dpi) for f in fitted])
    levels = stagger_levels(left, left + widths, max_levels=len(fitted))
    top = where == "top"
    for date, label, level in zip(start, fitted, levels, strict=True):
        if label:
            shift = 3 + level * _STEP_PT
            ax.annotate(label, xy=(date, 1 if top else 0), xycoords=("data", "axes fraction"),
                        xytext=(2, -shift if top else shift), textcoords="offset points",
                        ha="left", va="top" if top else "bottom", fontsize=LABEL_SIZE,
                        color=TRUCE_TEXT_COLOR,
                        gid="truce-label", zorder=5,
                        bbox=dict(boxstyle="square,pad=0.1", fc=TRUCE_TINT, ec="none"))


def _truce_labels(truces: pd.DataFrame) -> pd.DataFrame:
    t = truces.reset_index(drop=True)
    if "end" not in t.columns:
        t = t.assign(end=pd.NaT)
    return t.assign(label=truce_label_text(t).astype(str))


def add_key_dates(
    occurrences: pd.DataFrame,
    *,
    ax: Axes | None = None,
    max_levels: int = 3,
    max_chars: int = 30,
) -> Axes:
    """Draw key dates / anniversaries as dotted vertical lines labelled above the plot.

    Requires ``occurrences[occurrence, name]`` (the output of
    :func:`analysis.anniversaries.anniversary_occurrences`); an optional ``label`` column
    overrides the name (default: the name shortened to ``max_chars``). Lines whose label
    finds no free level are drawn unlabelled (gid ``key-date-line``); see
    :func:`key_date_overflow` for a note listing them.
    """
    ax = axes_or_new(ax)
    pending = key_date_lines(occurrences, ax=ax, max_chars=max_chars)
    add_top_labels(pending["date"], pending["label"], ax=ax, gid=pending["gid"].tolist(),
                   color=pending["color"].tolist(), max_levels=max_levels)
    return ax


def key_date_lines(occurrences: pd.DataFrame, *, ax: Axes, max_chars: int = 30) -> pd.DataFrame:
    """Draw the dotted lines; return their labels (``date, label, gid, color``) to place."""
    require_columns(occurrences, ["occurrence", "name"], source="add_key_dates",
                    expected="key-date occurrences (analysis.anniversaries.anniversary_occurrences)")
    occ = key_date_labels(occurrences, max_chars)
    lo, hi = _x_window(ax)
    occ = occ[occ["occurrence"].between(lo, hi)]
    for date in occ["occurrence"].drop_duplicates():  # a handful of key dates
        ax.axvline(date, color=KEY_DATE_COLOR, lw=0.9, ls=(0, (1.5, 1.5)), zorder=1,
                   gid="key-date-line")
    labels = occ.drop_duplicates(["occurrence", "label"])
    return pd.DataFrame({"date": labels["occurrence"], "label": labels["label"],
                         "gid": "key-date-label", "color": KEY_DATE_COLOR})


def key_date_overflow(missed: pd.DataFrame, *, max_listed: int = 3) -> str | None:
    """A note on the key-date lines left unlabelled for lack of room (None if none): names
    them when there are at most ``max_listed``, else says how many."""
    if missed.empty:
        return None
    if len(missed) > max_listed:
        return (f"{len(missed)} more key dates are drawn as unlabelled dotted lines "
                "(too close together to label at this size).")
    items = day_month_year(missed["occurrence"]) + ": " + missed["label"]
    return "Unlabelled dotted lines: " + "; ".join(items.str.rstrip(".")) + "."


def add_date_lines(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    gid: str = "changepoint",
    label_column: str | None = "label",
    color: str = DATE_LINE_COLOR,
) -> Axes:
    """Dashed vertical lines at ``table[date]`` (change points, interruptions), labelled
    above the plot from ``label_column`` when that column exists."""
    ax = axes_or_new(ax)
    pending = date_lines(table, ax=ax, gid=gid, label_column=label_column, color=color)
    add_top_labels(pending["date"], pending["label"], ax=ax, gid=f"{gid}-label", color=color)
    return ax


def date_lines(table: pd.DataFrame, *, ax: Axes, gid: str, label_column: str | None = "label",
               color: str = DATE_LINE_COLOR) -> pd.DataFrame:
    """Draw the dashed lines; return their labels (``date, label, gid, color``) to place."""
    require_columns(table, ["date"], source=f"add_date_lines ({gid})", expected="a table of dates")
    lo, hi = _x_window(ax)
    rows = table.assign(date=pd.to_datetime(table["date"]))
    rows = rows[rows["date"].between(lo, hi)].sort_values("date", kind="stable")
    for date in rows["date"].drop_duplicates():  # a handful of change points
        ax.axvline(date, color=color, lw=1.1, ls=(0, (4, 2)), zorder=1, gid=gid)
    if not label_column or label_column not in rows.columns:
        rows = rows.iloc[0:0].assign(label="")
        label_column = "label"
    return pd.DataFrame({"date": rows["date"], "label": rows[label_column].astype(str),
                         "gid": f"{gid}-label", "color": color})


def add_changepoints(changepoints: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Change points (``changepoints[date]``, optional ``label``) as dashed lines."""
    return add_date_lines(changepoints, ax=ax, gid="changepoint")


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


def add_overlays(ax: Axes, fig: Figure, frame: dict, *, truces: pd.DataFrame | None = None,
                 occurrences: pd.DataFrame | None = None,
                 changepoints: pd.DataFrame | None = None, truce_label: str = "top") -> None:
    """Truce spans, then change-point and key-date lines with all their labels placed in one
    pass (after the layout); unlabelled key dates get a note, which re-frames the figure.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The chart's axes, data drawn and x limits set.
    fig : matplotlib.figure.Figure
        The figure of ``ax``, already framed with ``frame``.
    frame : dict
        The keyword arguments given to :func:`analysis.charts.style.frame_figure`
        (``title``, ``subtitle``, ``source``), to re-frame it with the note.
    truces, occurrences, changepoints : pandas.DataFrame or None
        As :func:`add_truce_spans`, :func:`add_key_dates` and :func:`add_changepoints` take
        them.
    truce_label : str
        Where the truce labels go: ``"top"`` or ``"bottom"`` of their shading.
    """
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
