"""The house style: one matplotlib style file, one plotly template, the palette and the frame.

Every colour the charts use is named here (the other chart modules hold no colour
literals), as are the text measurements and the label placement both renderers share.

Nothing here changes global state: the matplotlib style is applied with
:func:`house_style` (a ``plt.style.context``) by every builder, and the plotly template is
passed to each figure, never registered in ``plotly.io.templates``.

The frame follows the newsroom convention (BBC bbplot and others): a left-aligned title that
states the finding, a subtitle that says what is drawn, and the source line at the bottom
left. Figures are 6.4 x 4 in, laid out for 640 px at 100 dpi, with text of 10 pt or more.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine

STYLE_PATH = Path(__file__).with_name("truce.mplstyle")

#: Okabe & Ito (2008) colour-blind-safe palette
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
#: colours for categories, in order (yellow late: it is faint on white)
CATEGORY_COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                   "#F0E442", "#000000")
TRUCE_COLOR = OKABE_ITO["bluish_green"]
VIOLATION_COLOR = OKABE_ITO["vermillion"]
TRUCE_TEXT_COLOR = "#00664A"  # a darker bluish green, readable as text
TRUCE_TINT = "#DEF2ED"        # the shading (bluish green at 13 % on white), behind the label
BAR_COLOR = OKABE_ITO["sky_blue"]     # the bars of a count series not split by category
ESTIMATE_COLOR = OKABE_ITO["blue"]    # means, fitted trends, survival curves, their bands
BLACK = OKABE_ITO["black"]            # the rolling mean over stacked bars
COUNTERFACTUAL_COLOR = OKABE_ITO["orange"]   # the counterfactual band
COUNTERFACTUAL_LINE_COLOR = "#B36B00"        # its line: a darker orange
#: greys, darkest first
INK = "#111111"               # titles, violation numbers, the day-zero line
TEXT_COLOR = "#222222"        # body text, value labels
DARK_GREY = "#333333"         # subtitles, notes
DATE_LINE_COLOR = DARK_GREY   # change points and interruptions
KEY_DATE_COLOR = "#444444"
AXIS_COLOR = "#555555"
MUTED = "#666666"             # source lines, empty-chart notes
GREY = "#999999"
LIGHT_GREY = "#BBBBBB"        # the placebo band
BAR_GREY = "#CCCCCC"          # observed counts behind a fitted trend
GRID_COLOR = "#DDDDDD"

FIGSIZE = (6.4, 4.0)   # inches: 640 x 400 px at SCREEN_DPI
SCREEN_DPI = 100
FONT = "DejaVu Sans"
TITLE_SIZE, SUBTITLE_SIZE, LABEL_SIZE, SOURCE_SIZE = 14, 11, 10, 10
_PAD_PT = 8.0          # margin around the frame, in points
_LINE = 1.25           # line height, as a multiple of the font size
FRAME_GIDS = ("chart-title", "chart-subtitle", "chart-source", "chart-note")


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house matplotlib style inside a ``with`` block (global rcParams untouched)."""
    with plt.style.context(STYLE_PATH):
        yield


def printable_texts(fig: Figure) -> None:
    r"""Show control characters in every text of ``fig`` as ``\x1b``-style codes (in place).

    A value read from a file can hold an escape sequence; drawn as it is, it makes an SVG that
    no XML parser (nor a browser) opens. Labels set from data (``set_yticks(..., labels)``)
    are fixed by their formatter at each draw, so the formatters are fixed too."""
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter

    from analysis.values import has_control, printable

    for text in fig.findobj(Text):
        if has_control(text.get_text()):
            text.set_text(printable(text.get_text()))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, FixedFormatter) and any(map(has_control, formatter.seq)):
                formatter.seq = [printable(v) for v in formatter.seq]


class ChartFigure(Figure):
    """A matplotlib figure that shows itself in notebooks (JupyterLab, the executed copies
    and their HTML renderings) as the PNG it is saved as, without pyplot or global state."""

    def _repr_png_(self) -> bytes:
        import io

        buffer = io.BytesIO()
        printable_texts(self)
        with house_style():
            self.savefig(buffer, format="png", dpi=2 * SCREEN_DPI, metadata={"Software": None})
        return buffer.getvalue()


def new_figure(figsize: tuple[float, float] | None = None, *, nrows: int = 1) -> Figure:
    """A figure in the house style, with constrained layout and ``nrows`` stacked axes.

    Not registered with pyplot (no global figure list); a notebook shows it when it is the
    last expression of a cell (:class:`ChartFigure`). Call inside :func:`house_style`.
    """
    fig = ChartFigure(figsize=figsize or FIGSIZE, dpi=SCREEN_DPI, layout="constrained")
    fig.subplots(nrows, 1, squeeze=False)
    return fig


def axes_or_new(ax: Axes | None) -> Axes:
    """``ax`` itself, or the axes of a new house-style figure when it is None.

    Lets every axes-level helper (``draw_*``, ``add_*``) take ``ax=None``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or None
        The axes to draw on, if the caller has one.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, or the single axes of :func:`new_figure` at :data:`FIGSIZE`.
    """
    if ax is not None:
        return ax
    with house_style():
        return new_figure(FIGSIZE).axes[0]


def frame_figure(
    fig: Figure,
    *,
    title: str | None,
    subtitle: str | None = None,
    source: str | None = None,
    note: str | None = None,
) -> Figure:
    """Add the title (top left), subtitle, note and source line (bottom left) to ``fig``.

    Text is wrapped to the figure width (measured, not guessed), and the axes are laid out
    in the space left between header and footer. Runs the layout once so that later
    label placement (:func:`stagger_levels`) sees the final axes width. Calling it again
    replaces the frame (to add a note). Returns ``fig``.
    """
    for old in [t for t in fig.texts if t.get_gid() in FRAME_GIDS]:  # re-framing: start afresh
        old.remove()
    width_pt, height_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
    usable = width_pt - 2 * _PAD_PT
    top = _PAD_PT
    for text, size, weight, color, gid in ((title, TITLE_SIZE, "bold", INK, "chart-title"),
                                           (subtitle, SUBTITLE_SIZE, "normal", DARK_GREY,
                                            "chart-subtitle")):
        if text:
            wrapped = wrap_text(text, size, usable, weight=weight)
            fig.text(_PAD_PT / width_pt, 1 - top / height_pt, wrapped, ha="left", va="top",
                     fontsize=size, fontweight=weight, color=color, gid=gid,
                     linespacing=_LINE)
            top += _block_height(wrapped, size) + 3
    bottom = _PAD_PT
    for text, color, gid in ((source, MUTED, "chart-source"), (note, DARK_GREY, "chart-note")):
        if text:
            wrapped = wrap_text(text, SOURCE_SIZE, usable)
            fig.text(_PAD_PT / width_pt, bottom / height_pt, wrapped, ha="left", va="bottom",
                     fontsize=SOURCE_SIZE, color=color, gid=gid, linespacing=_LINE)
            bottom += _block_height(wrapped, SOURCE_SIZE) + 2
    lo, hi = (bottom + 2) / height_pt, 1 - (top + 2) / height_pt
    # the figures of new_figure are laid out with constrained layout
    engine = cast(ConstrainedLayoutEngine, fig.get_layout_engine())
    engine.set(rect=(0, lo, 1, max(hi - lo, 0.1)))
    engine.execute(fig)
    return fig


def _block_height(wrapped: str, size: float) -> float:
    return (wrapped.count("\n") + 1) * size * _LINE


@lru_cache(maxsize=1024)
def text_width(text: str, size: float, *, weight: str = "normal", dpi: float = 72) -> float:
    """Width of one line of ``text`` in the house font: points at ``dpi=72``, else pixels.

    Measured at 200 dpi or more and scaled: at 72 dpi glyph advances are rounded and long
    lines come out several percent too short.
    """
    measure_dpi = max(float(dpi), 200.0)
    renderer = _renderer(measure_dpi)
    prop = FontProperties(family=FONT, size=size, weight=weight)
    width, _, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
    return float(width) * dpi / measure_dpi


@lru_cache(maxsize=4)
def _renderer(dpi: float) -> RendererAgg:
    return RendererAgg(10, 10, dpi)


def wrap_text(text: str, size: float, width_pt: float, *, weight: str = "normal") -> str:
    """Wrap ``text`` (existing line breaks kept) so that each line fits ``width_pt`` points."""
    lines = []
    for paragraph in str(text).split("\n"):
        words, line = paragraph.split(" "), ""
        for word in words:  # words of a title: a handful
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, weight=weight) > width_pt:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def fit_text(text: str, size: float, max_width: float, *, dpi: float = 72,
             weight: str = "normal") -> str:
    """``text`` cut at a word boundary (ending in '…') so that it fits ``max_width``
    (pixels at ``dpi``; points at 72); ``""`` when not even one word fits."""
    text = " ".join(str(text).split())
    if text_width(text, size, weight=weight, dpi=dpi) <= max_width:
        return text
    words = text.split(" ")
    for n in range(len(words) - 1, 0, -1):  # the words of a label: a handful
        candidate = " ".join(words[:n]).rstrip(",;:") + "…"
        if text_width(candidate, size, weight=weight, dpi=dpi) <= max_width:
            return candidate
    return ""


def shorten(text: str, max_chars: int) -> str:
    """Cut ``text`` at a word boundary to at most ``max_chars`` characters, ending in '…'."""
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    cut = textwrap.shorten(text, width=max_chars, placeholder="…")
    return cut if cut != "…" else text[: max_chars - 1] + "…"


def stagger_levels(
    left: np.ndarray,
    right: np.ndarray,
    *,
    max_levels: int = 3,
    gap: float = 4.0,
) -> np.ndarray:
    """Give each label (pixel extent ``left``..``right``) the lowest level where it overlaps
    no other label; -1 when no level up to ``max_levels`` is free. Labels are placed in
    order of ``left``; ``gap`` is the minimum free space between two labels on a level.

    Examples
    --------
    >>> stagger_levels(np.array([0, 5, 30]), np.array([10, 15, 40])).tolist()
    [0, 1, 0]
    """
    ends: list[list[tuple[float, float]]] = [[] for _ in range(max_levels)]
    levels = np.full(len(left), -1, dtype=int)
    for i in np.argsort(left, kind="stable"):  # a handful of labels
        for level, spans in enumerate(ends):
            if not any(left[i] < hi + gap and right[i] + gap > lo for lo, hi in spans):
                levels[i] = level
                spans.append((float(left[i]), float(right[i])))
                break
    return levels


def place_labels(
    anchors: np.ndarray,
    widths: np.ndarray,
    *,
    bounds: tuple[float, float],
    taken: Sequence[tuple[int, float, float]] = (),
    max_levels: int = 3,
    gap: float = 4.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Level and side (True = text left of its anchor) for labels hung from ``anchors``.

    Greedy in anchor order: the lowest level with a free side inside ``bounds`` whose
    leader line crosses no lower label; between two free sides, the one covering fewer
    other anchors (then the right). Level -1: no room.

    Examples
    --------
    >>> place_labels(np.array([10.0, 40.0]), np.array([20.0, 20.0]), bounds=(0, 100))
    (array([0, 0]), array([False, False]))
    >>> place_labels(np.array([60.0, 70.0]), np.array([50.0, 20.0]), bounds=(0, 100))
    (array([0, 0]), array([ True, False]))
    """
    placed = list(taken)
    levels, flip = np.full(len(anchors), -1), np.zeros(len(anchors), dtype=bool)
    for i in np.argsort(anchors, kind="stable"):  # a handful of labels
        a, w = float(anchors[i]), float(widths[i])
        for level in range(max_levels):
            leader = [(lv, a - 1, a + 1) for lv in range(level)]
            options = []
            for left_side, (lo, hi) in ((False, (a, a + w)), (True, (a - w, a))):
                wanted = [(level, lo, hi), *leader]
                inside = lo >= bounds[0] and hi <= bounds[1]
                if inside and not any(_overlaps(q, p, gap) for q in wanted for p in placed):
                    covered = int(((anchors > lo) & (anchors < hi)).sum())
                    options.append((covered, left_side, wanted))
            if options:
                levels[i] = level
                _, flip[i], wanted = min(options, key=lambda o: (o[0], o[1]))
                placed += wanted
                break
    return levels, flip


def _overlaps(a: tuple[int, float, float], b: tuple[int, float, float], gap: float) -> bool:
    return a[0] == b[0] and a[1] < b[2] + gap and a[2] + gap > b[1]


def axes_pixels(ax: Axes, dates: pd.Series | np.ndarray) -> np.ndarray:
    """Horizontal pixel position (at the figure dpi) of ``dates`` on a date axis of ``ax``."""
    x = ax.convert_xunits(pd.to_datetime(pd.Series(dates)).to_numpy())
    x = np.asarray(x, dtype=float)
    pts = np.column_stack([x, np.zeros_like(x)])
    return ax.transData.transform(pts)[:, 0] if len(x) else np.array([], dtype=float)


def day_month_year(dates: pd.Series) -> pd.Series:
    """Dates as ``20 Dec 2020`` (no leading zero, on every platform)."""
    d = pd.to_datetime(dates)
    return d.dt.day.astype(str) + d.dt.strftime(" %b %Y")


def empty_note(ax: Axes, text: str = "No events in this period") -> Axes:
    """Write ``text`` in the middle of an empty axes (gid ``empty-note``)."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=LABEL_SIZE + 1, color=MUTED, gid="empty-note")
    return ax


def plotly_template() -> go.layout.Template:
    """A new plotly template in the house style (pass it as ``layout.template``).

    Not registered in ``plotly.io.templates``: importing the package changes nothing.
    """
    axis = dict(showline=True, linecolor=AXIS_COLOR, ticks="outside", tickcolor=AXIS_COLOR,
                gridcolor=GRID_COLOR, zeroline=False, tickfont=dict(size=13), automargin=True,
                title=dict(font=dict(size=13)))
    return go.layout.Template(layout=dict(
        font=dict(family=f"{FONT}, Verdana, Arial, sans-serif", size=13, color=TEXT_COLOR),
        title=dict(x=0, xanchor="left", xref="container", pad=dict(l=10),
                   font=dict(size=20, color=INK), subtitle=dict(font=dict(size=14,
                                                                          color=DARK_GREY))),
        colorway=list(CATEGORY_COLORS), paper_bgcolor="white", plot_bgcolor="white",
        xaxis=dict(axis, showgrid=False), yaxis=dict(axis, showgrid=True),
        hoverlabel=dict(align="left", bgcolor="white", font=dict(size=13, color=TEXT_COLOR)),
        hovermode="closest", margin=dict(l=10, r=20, t=90, b=80),
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.2, yanchor="top"),
    ))
