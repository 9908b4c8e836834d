"""Interactive charts (plotly): the timeline and the counts, with the annotations of the
static charts, hover details and a range slider.

Every piece of text taken from the data (notes, targets, places, actors, truce and key-date
names) is HTML-escaped before plotly sees it, and links are made only for http(s)
addresses: a note such as ``<img src=x onerror=alert(1)>`` shows as text. Save with
:func:`analysis.charts.save_figure` (one self-contained HTML file).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts.data import (
    MAX_NUMBERED,
    Window,
    category_rows,
    date_window,
    events_in_window,
    first_violations,
    key_date_labels,
    period_days,
    period_unit,
    rolling_window,
    truce_label_text,
    violation_days,
    violation_status,
    wide_counts,
)
from analysis.charts.escape import escape_html, escape_text, http_urls, link_html, wrap_lines
from analysis.charts.provenance import (
    counts_subtitle,
    default_source,
    timeline_subtitle,
    timeline_title,
)
from analysis.charts.style import (
    BAR_COLOR,
    CATEGORY_COLORS,
    DATE_LINE_COLOR,
    ESTIMATE_COLOR,
    GREY,
    INK,
    KEY_DATE_COLOR,
    MUTED,
    TRUCE_COLOR,
    TRUCE_TEXT_COLOR,
    VIOLATION_COLOR,
    day_month_year,
    fit_text,
    place_labels,
    plotly_template,
    text_width,
)
from analysis.events import casualty_text
from analysis.schema import STR_DTYPE, require_columns

_LEVEL_PX = 17
_FONT_PT = 13 * 0.75   # plotly sizes are CSS pixels; text_width takes points
_WRAP_CHARS = 68       # subtitle and source lines fit a 640 px page
_Span = tuple[pd.Timestamp, pd.Timestamp]  # a Window that is not None
#: labels above the plot are placed for a plot this wide (on a 640 px page); on wider
#: pages they only have more room. Every key date also has a hover marker.
NOMINAL_WIDTH = 480


def timeline_figure(
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
) -> go.Figure:
    """Interactive version of :func:`analysis.charts.plot_timeline` (same inputs).

    Hover shows the date, target, place, killed / wounded, attribution, the note and a
    link to the source (a click on a mark opens it, once saved with ``save_figure``).
    A range slider and zoom work on the date axis.
    """
    require_columns(events, ["event_id", "date"], source="timeline_figure",
                    expected="an event table (analysis.io.read_events)")
    window = date_window(events["date"], start, end)
    shown = events_in_window(events, window).reset_index(drop=True)
    labels, order = category_rows(shown, category)
    status = violation_status(shown, flagged)
    hover = hover_text(shown, flagged)
    urls = http_urls(shown["source_url"]) if "source_url" in shown else pd.Series("", index=shown.index)
    fig = go.Figure()
    for i, cat in enumerate(order):  # a handful of categories
        sel = (labels == cat).to_numpy()
        st = status[sel].to_numpy()
        base = CATEGORY_COLORS[i % len(CATEGORY_COLORS)] if flagged is None else GREY
        face = np.where(st == "counted", VIOLATION_COLOR, np.where(st == "suspected", "white",
                                                                   base))
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(shown.loc[sel, "date"]), y=labels[sel], mode="markers",
            name=escape_text(cat), hovertext=hover[sel], hoverinfo="text",
            customdata=urls[sel], meta="event-marks",
            marker=dict(size=np.where(st == "none", 9, 12), color=face,
                        line=dict(width=np.where(st == "none", 0.5, 2),
                                  color=np.where(st == "none", "white", VIOLATION_COLOR)))))
    if flagged is not None and len(shown):
        _violation_number_trace(fig, shown, labels, flagged)
    levels = _overlays(fig, window, truces=truces, occurrences=occurrences)
    _frame(fig, window, title=title or timeline_title(shown, window),
           subtitle=subtitle or timeline_subtitle(truces, occurrences, flagged),
           source=source if source is not None else default_source(events), levels=levels)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order[::-1],
                     showgrid=False, selector=dict(overlaying=None))
    fig.update_xaxes(showgrid=True)
    if shown.empty:
        _empty(fig, "No events in this period")
    return fig


def hover_text(events: pd.DataFrame, flagged: pd.DataFrame | None = None) -> pd.Series:
    """The hover label of each event: date, target, place, killed / wounded, attribution
    (actor), violation status, note and source link — every field HTML-escaped."""
    blank = pd.Series(pd.NA, index=events.index, dtype=STR_DTYPE)

    def col(name: str) -> pd.Series:
        return events[name].astype(STR_DTYPE) if name in events.columns else blank

    date = day_month_year(events["date"])
    precision = col("date_precision").fillna("day")
    date = date + np.where(precision != "day", " (approximate: " + precision + ")", "")
    target = col("target").fillna(col("target_type")).fillna("Event")
    toll = "Killed: " + casualty_text(events, "killed") + ", wounded: " + casualty_text(
        events, "wounded")
    who = "Attribution: " + col("attribution").fillna("unknown") + np.where(
        col("actor").notna(), " (" + col("actor") + ")", "")
    note = escape_html(wrap_lines(col("notes"), 60)).str.replace("\n", "<br>", regex=False)
    link = link_html(col("source_url"), col("source").fillna("source"))
    parts = ["<b>" + escape_html(target) + "</b>", escape_html(date),
             "Place: " + escape_html(col("location").fillna("not recorded")),
             escape_html(toll), escape_html(who)]
    if flagged is not None:
        parts.append(escape_html(_violation_words(events, flagged)))
    text = parts[0]
    for part in parts[1:]:
        text = text + "<br>" + part
    text = text + np.where(note != "", "<br>" + note, "")
    text = text + np.where(link != "", "<br>Source: " + link, "")
    return pd.Series(np.asarray(text, dtype=object), index=events.index)


def _violation_words(events: pd.DataFrame, flagged: pd.DataFrame) -> pd.Series:
    status = violation_status(events, flagged)
    number = violation_days(events, flagged).astype("Int64").astype(STR_DTYPE)
    words = status.map({"counted": "Counted truce violation, violation day ",
                        "suspected": "Suspected truce violation (not counted)",
                        "none": "Not a truce violation"}).astype(STR_DTYPE)
    return words + number.where(status == "counted", "").fillna("")


def _violation_number_trace(fig: go.Figure, shown: pd.DataFrame, labels: pd.Series,
                            flagged: pd.DataFrame) -> None:
    rows = shown[["event_id", "date"]].assign(row=labels.to_numpy())
    firsts = (first_violations(rows, flagged)
              .sort_values(["truce_id", "violation_day"], kind="stable"))  # by truce and day
    if len(firsts) > MAX_NUMBERED:  # as the static chart: no wall of numbers
        return
    alternate = firsts.groupby("row").cumcount() % 2 == 1
    fig.add_trace(go.Scatter(
        x=pd.to_datetime(firsts["date"]), y=firsts["row"], mode="text",
        text=firsts["violation_day"].astype("int64").astype(str), hoverinfo="skip",
        textposition=np.where(alternate, "bottom center", "top center"),
        textfont=dict(size=13, color=INK, weight="bold"), showlegend=False,
        meta="violation-number"))


def counts_figure(
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
) -> go.Figure:
    """Interactive version of :func:`analysis.charts.plot_counts` (same inputs)."""
    require_columns(counts, ["date", "count"] + ([category] if category else []),
                    source="counts_figure", expected="a count table (analysis.events.count_events)")
    window = date_window(counts["date"], start, end)
    c = counts if window is None else counts[pd.to_datetime(counts["date"]).between(*window)]
    period = period_days(c["date"])
    unit = period_unit(period)
    wide = wide_counts(c, category)
    fig = go.Figure()
    when = ("Day: " if unit == "day" else f"{unit.capitalize()} starting ") + day_month_year(
        pd.Series(wide.index))
    for i, col in enumerate(wide.columns):  # a handful of categories
        name = escape_text(str(col).replace("_", " "))
        text = (escape_html(when) + "<br>" + (name + ": " if category else "")
                + wide[col].astype(int).astype(str) + " " + escape_text(what))
        fig.add_trace(go.Bar(x=wide.index, y=wide[col], name=name, hovertext=text.to_numpy(),
                             hoverinfo="text", marker_color=BAR_COLOR if not category
                             else CATEGORY_COLORS[i % 8], meta="count-bars"))
    window_n = rolling_window(c["date"], rolling)
    if window_n and len(wide):
        mean = wide.sum(axis=1).rolling(window_n, min_periods=window_n).mean()
        fig.add_trace(go.Scatter(x=wide.index, y=mean, mode="lines", name=f"{window_n}-{unit} "
                                 "average", line=dict(color=ESTIMATE_COLOR, width=2.5),
                                 hovertemplate="%{y:.1f}<extra>average</extra>",
                                 meta="rolling-mean"))
    levels = _overlays(fig, window, truces=truces, occurrences=occurrences,
                       changepoints=changepoints, truce_label="top")
    _frame(fig, window, title=title or f"{what.capitalize()} per {unit}",
           subtitle=subtitle or counts_subtitle(c, rolling, unit, what), source=source,
           levels=levels)
    fig.update_layout(barmode="stack", bargap=0.15, showlegend=bool(category))
    top = float(wide.sum(axis=1).max()) if len(wide) else 1.0
    fig.update_yaxes(range=[0, max(top, 1.0) * (1.25 if truces is not None else 1.08)],
                     selector=dict(overlaying=None))
    if c.empty:
        _empty(fig, "No events in this period")
    return fig


def _frame(fig: go.Figure, window: Window, *, title: str, subtitle: str | None, source: str | None,
           levels: int = 0) -> None:
    """House template, title and subtitle (escaped, wrapped), source line, range slider;
    the top margin makes room for ``levels`` rows of labels above the plot."""
    sub_lines = wrap_lines(pd.Series([subtitle or ""]), _WRAP_CHARS).iloc[0].split("\n")
    top = 46 + 19 * len(sub_lines) + _LEVEL_PX * levels + (8 if levels else 0)
    fig.update_layout(
        template=plotly_template(), height=480 + top,
        margin=dict(t=top, b=125, l=10, r=20), showlegend=False,
        title=dict(text=f"<b>{escape_text(title)}</b>", y=1, yref="container", yanchor="top",
                   pad=dict(t=12, l=10),
                   subtitle=dict(text="<br>".join(escape_text(x) for x in sub_lines))))
    if source:
        text = "<br>".join(escape_text(x) for x in
                           wrap_lines(pd.Series([source]), _WRAP_CHARS + 8).iloc[0].split("\n"))
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, yshift=-95,
                           xanchor="left", yanchor="top", showarrow=False, align="left",
                           font=dict(size=12, color=MUTED), name="source")
    xaxis: dict[str, Any] = dict(type="date", rangeslider=dict(visible=True, thickness=0.08))
    if window is not None:
        xaxis["range"] = [window[0], window[1]]
        xaxis["rangeslider"]["range"] = [window[0], window[1]]
    fig.update_xaxes(**xaxis)


def _empty(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font=dict(size=15, color=MUTED), name="empty-note")


def _overlays(fig: go.Figure, window: Window, *, truces: pd.DataFrame | None = None,
              occurrences: pd.DataFrame | None = None,
              changepoints: pd.DataFrame | None = None, truce_label: str = "bottom") -> int:
    """Truce rectangles (labelled inside, bottom left), key-date and change-point lines
    labelled above the plot; every key date also gets a hover marker (▼) at the top.
    Returns the number of label rows used above the plot."""
    if window is None:
        return 0
    if truces is not None:
        _truce_rects(fig, truces, window, top=truce_label == "top")
    pending = []
    if changepoints is not None:
        pending.append(_change_lines(fig, changepoints, window))
    if occurrences is not None:
        pending.append(_key_date_lines(fig, occurrences, window))
    if not pending:
        return 0
    return _top_labels(fig, pd.concat(pending, ignore_index=True), window)


def _px(dates: pd.Series, window: _Span) -> np.ndarray:
    """Position in pixels on a plot :data:`NOMINAL_WIDTH` wide."""
    lo, hi = window
    span = max((hi - lo).total_seconds(), 1.0)
    return ((pd.to_datetime(dates) - lo).dt.total_seconds() / span * NOMINAL_WIDTH).to_numpy()


def _truce_rects(fig: go.Figure, truces: pd.DataFrame, window: _Span, *, top: bool) -> None:
    require_columns(truces, ["truce_id", "start"], source="timeline_figure",
                    expected="a truce table (analysis.truces.read_truces)")
    lo, hi = window
    t = truces.reset_index(drop=True)
    end = pd.to_datetime(t["end"] if "end" in t else pd.Series(pd.NaT, index=t.index))
    end = end.fillna(hi).clip(upper=hi)
    start = pd.to_datetime(t["start"]).clip(lower=lo)
    label = truce_label_text(t).astype(str)
    room = _px(end, window) - _px(start, window) - 8
    for s, e, text, width in zip(start, end, label, room, strict=True):  # a handful
        if s > hi or e < lo:
            continue
        fig.add_vrect(x0=s, x1=e, fillcolor=TRUCE_COLOR, opacity=0.13, line_width=0,
                      layer="below", name="truce-span")
        fitted = fit_text(text, _FONT_PT, width, dpi=96)
        if fitted:
            fig.add_annotation(x=s, y=1 if top else 0, xref="x", yref="paper",
                               xanchor="left", yanchor="top" if top else "bottom", xshift=4,
                               yshift=-4 if top else 4, showarrow=False,
                               text=escape_text(fitted), hovertext=escape_text(text),
                               font=dict(size=13, color=TRUCE_TEXT_COLOR), name="truce-label")


def _change_lines(fig: go.Figure, changepoints: pd.DataFrame, window: _Span) -> pd.DataFrame:
    require_columns(changepoints, ["date"], source="counts_figure", expected="change points")
    rows = changepoints.assign(date=pd.to_datetime(changepoints["date"]))
    rows = rows[rows["date"].between(*window)]
    for d in rows["date"].drop_duplicates():  # a handful
        fig.add_vline(x=d, line=dict(color=DATE_LINE_COLOR, width=1.3, dash="dash"),
                      name="changepoint")
    label = rows["label"].astype(str) if "label" in rows else pd.Series("", index=rows.index)
    return pd.DataFrame({"date": rows["date"], "label": label, "color": DATE_LINE_COLOR,
                         "hover": label})


def _key_date_lines(fig: go.Figure, occurrences: pd.DataFrame, window: _Span) -> pd.DataFrame:
    require_columns(occurrences, ["occurrence", "name"], source="timeline_figure",
                    expected="key-date occurrences")
    occ = key_date_labels(occurrences, 30)
    occ = occ[occ["occurrence"].between(*window)].drop_duplicates(["occurrence", "label"])
    for d in occ["occurrence"].drop_duplicates():  # a handful of key dates
        fig.add_vline(x=d, line=dict(color=KEY_DATE_COLOR, width=1, dash="dot"),
                      name="key-date-line")
    hover = (escape_html(occ["name"].fillna(occ["label"])) + "<br>"
             + escape_html(day_month_year(occ["occurrence"])))
    if len(occ):
        fig.add_trace(go.Scatter(
            x=occ["occurrence"], y=np.ones(len(occ)), yaxis="y2", mode="markers",
            marker=dict(symbol="triangle-down", size=10, color=KEY_DATE_COLOR),
            hovertext=hover.to_numpy(), hoverinfo="text", cliponaxis=False,
            showlegend=False, name="Key dates", meta="key-dates"))
        fig.update_layout(yaxis2=dict(overlaying="y", range=[0, 1], visible=False,
                                      fixedrange=True))
    return pd.DataFrame({"date": occ["occurrence"], "label": occ["label"],
                         "color": KEY_DATE_COLOR, "hover": occ["name"]})


def _top_labels(fig: go.Figure, labels: pd.DataFrame, window: _Span) -> int:
    """Place labels above the plot for a :data:`NOMINAL_WIDTH` plot; no two overlap there."""
    labels = labels[labels["label"].astype(str) != ""].reset_index(drop=True)
    if labels.empty:
        return 0
    widths = np.array([text_width(t, _FONT_PT - 1, dpi=96) for t in labels["label"]])
    levels, flip = place_labels(_px(labels["date"], window), widths,
                                bounds=(0, NOMINAL_WIDTH + 10), max_levels=3)
    for row, level, left in zip(labels.itertuples(index=False), levels, flip,
                                strict=True):  # a handful of labels
        if level < 0:
            continue
        fig.add_annotation(x=row.date, y=1, xref="x", yref="paper", yanchor="bottom",
                           xanchor="right" if left else "left", text=escape_text(row.label),
                           showarrow=False, yshift=4 + level * _LEVEL_PX,
                           font=dict(size=12, color=row.color), name="top-label",
                           hovertext=escape_text(row.hover) if isinstance(row.hover, str)
                           else None)
    return int(levels.max()) + 1 if (levels >= 0).any() else 0
