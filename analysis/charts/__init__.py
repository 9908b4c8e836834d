"""Charts you can stand behind: house style, static and interactive builders, one writer.

Importing this package changes no global state: the matplotlib style is applied inside each
builder (``plt.style.context``) and the plotly template is passed to each figure.

Modules, imported one way (each only from those above it): :mod:`~analysis.charts.style`
(palette, frame, text measurement) and :mod:`~analysis.charts.escape`;
:mod:`~analysis.charts.data` (the frames the charts draw) and
:mod:`~analysis.charts.provenance` (source line, default titles); the renderers
:mod:`~analysis.charts.annotate`, :mod:`~analysis.charts.timeline`,
:mod:`~analysis.charts.counts`, :mod:`~analysis.charts.results` (matplotlib) and
:mod:`~analysis.charts.interactive` (plotly); then :mod:`~analysis.charts.export` and
:mod:`~analysis.charts.save`.

>>> from analysis.charts import plot_timeline, save_figure, source_line

=============================  ===========================================================
function                       what
=============================  ===========================================================
:func:`plot_timeline`          events along time by category; truces, key dates, numbered
                               violations
:func:`plot_counts`            counts per day / week / month, rolling mean, annotations
:func:`plot_event_study`       mean around anniversaries with confidence and placebo bands
:func:`plot_trend_model`       observed, fitted and counterfactual series of a trend model
:func:`plot_truce_durability`  days each truce held; Kaplan–Meier curve
:func:`timeline_figure`        interactive timeline (plotly), escaped hover, range slider
:func:`counts_figure`          interactive counts (plotly)
:func:`save_figure`            the one writer into ``figures/`` (+ alt text, CSV, JSON)
:func:`source_line`            the source line, from the events' provenance
:func:`to_datawrapper_csv`     chart data for Datawrapper
:func:`to_timelinejs`          events as a Knight Lab TimelineJS spreadsheet
=============================  ===========================================================
"""

from analysis.charts.annotate import (
    add_changepoints,
    add_date_lines,
    add_key_dates,
    add_truce_spans,
)
from analysis.charts.counts import draw_counts, plot_counts
from analysis.charts.escape import escape_html, http_urls
from analysis.charts.export import TIMELINEJS_COLUMNS, to_datawrapper_csv, to_timelinejs
from analysis.charts.interactive import counts_figure, hover_text, timeline_figure
from analysis.charts.provenance import source_line
from analysis.charts.results import (
    draw_durability,
    draw_event_study,
    draw_survival_curve,
    draw_trend_model,
    plot_event_study,
    plot_trend_model,
    plot_truce_durability,
)
from analysis.charts.save import PNG_DPI, save_figure
from analysis.charts.style import (
    CATEGORY_COLORS,
    OKABE_ITO,
    STYLE_PATH,
    house_style,
    plotly_template,
)
from analysis.charts.timeline import add_violation_numbers, draw_events, plot_timeline

__all__ = [
    "CATEGORY_COLORS",
    "OKABE_ITO",
    "PNG_DPI",
    "STYLE_PATH",
    "TIMELINEJS_COLUMNS",
    "add_changepoints",
    "add_date_lines",
    "add_key_dates",
    "add_truce_spans",
    "add_violation_numbers",
    "counts_figure",
    "draw_counts",
    "draw_durability",
    "draw_event_study",
    "draw_events",
    "draw_survival_curve",
    "draw_trend_model",
    "escape_html",
    "hover_text",
    "house_style",
    "http_urls",
    "plot_counts",
    "plot_event_study",
    "plot_timeline",
    "plot_trend_model",
    "plot_truce_durability",
    "plotly_template",
    "save_figure",
    "source_line",
    "timeline_figure",
    "to_datawrapper_csv",
    "to_timelinejs",
]
