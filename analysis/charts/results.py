"""Charts of results (matplotlib): the event study around anniversaries, the trend model
with its counterfactual, how long truces held (with the Kaplan–Meier curve).

Builders and helpers follow :mod:`analysis.charts.timeline`: ``plot_*`` return a new
figure, ``draw_*`` take ``ax=None`` and return the Axes. Artists carry a ``gid``
(``conf-band``, ``fitted``, ``durability-bar`` ...).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis.charts.annotate import add_date_lines, format_date_axis
from analysis.charts.data import (
    SurvivalLike,
    TrendLike,
    date_window,
    period_days,
    period_unit,
    trend_tables,
    truce_names,
)
from analysis.charts.style import (
    BAR_GREY,
    COUNTERFACTUAL_COLOR,
    COUNTERFACTUAL_LINE_COLOR,
    ESTIMATE_COLOR,
    GREY,
    INK,
    LABEL_SIZE,
    LIGHT_GREY,
    TEXT_COLOR,
    TRUCE_COLOR,
    TRUCE_TEXT_COLOR,
    VIOLATION_COLOR,
    axes_or_new,
    empty_note,
    frame_figure,
    house_style,
    new_figure,
)
from analysis.schema import DataError, require_columns

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
    ax = axes_or_new(ax)
    require_columns(study, ["relative_day", "mean", "conf_low", "conf_high", "placebo_mean",
                            "placebo_low", "placebo_high", "occurrences"],
                    source="plot_event_study", expected="the output of analysis.anniversaries.event_study")
    s = study.sort_values("relative_day")
    x = s["relative_day"].to_numpy(float)
    ax.fill_between(x, s["placebo_low"], s["placebo_high"], color=LIGHT_GREY, alpha=0.45,
                    lw=0, zorder=1, gid="placebo-band")
    ax.plot(x, s["placebo_mean"], color=GREY, lw=1.2, ls=(0, (3, 2)), zorder=2,
            gid="placebo-mean")
    ax.fill_between(x, s["conf_low"], s["conf_high"], color=ESTIMATE_COLOR, alpha=0.18, lw=0,
                    zorder=2, gid="conf-band")
    ax.plot(x, s["mean"], color=ESTIMATE_COLOR, lw=2, marker="o", ms=3, zorder=3, gid="mean")
    ax.axvline(0, color=INK, lw=1, zorder=4, gid="day-zero")
    ax.annotate(f"Day of the {occasion}", xy=(0, 1), xycoords=("data", "axes fraction"),
                xytext=(4, 2), textcoords="offset points", ha="left", va="bottom",
                fontsize=LABEL_SIZE, color=INK, annotation_clip=False)
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
    fitted, inter = trend_tables(result)
    window = date_window(fitted["date"])
    period = period_days(fitted["date"])
    with house_style():
        fig = new_figure(figsize)
        ax = draw_trend_model(result, ax=fig.axes[0])
        format_date_axis(ax, window)
        unit = period_unit(period)
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


def draw_trend_model(result: TrendLike, *, ax: Axes | None = None) -> Axes:
    """Observed bars (gid ``observed``), fitted line and band (``fitted``, ``fitted-band``),
    counterfactual line and band after the first interruption (``counterfactual``,
    ``counterfactual-band``)."""
    ax = axes_or_new(ax)
    fitted, inter = trend_tables(result)
    f = fitted.assign(date=pd.to_datetime(fitted["date"])).sort_values("date")
    period = period_days(f["date"])
    ax.bar(f["date"], f["count"], width=period * 0.85, align="edge", color=BAR_GREY,
           zorder=1, gid="observed")
    mid = f["date"] + pd.Timedelta(days=period / 2)
    ax.fill_between(mid, f["fitted_low"], f["fitted_high"], color=ESTIMATE_COLOR, alpha=0.18, lw=0,
                    zorder=2, gid="fitted-band")
    ax.plot(mid, f["fitted"], color=ESTIMATE_COLOR, lw=2, zorder=4, gid="fitted")
    if len(inter):
        after = (f["date"] >= pd.to_datetime(inter["date"]).min()).to_numpy()
        ax.fill_between(mid[after], f.loc[after, "counterfactual_low"],
                        f.loc[after, "counterfactual_high"], color=COUNTERFACTUAL_COLOR, alpha=0.18,
                        lw=0, zorder=2, gid="counterfactual-band")
        ax.plot(mid[after], f.loc[after, "counterfactual"], color=COUNTERFACTUAL_LINE_COLOR, lw=2,
                ls=(0, (4, 2)), zorder=3, gid="counterfactual")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(bottom=0)
    return ax


# --------------------------------------------------------------------------------------
# Truce durability


def plot_truce_durability(
    durability: pd.DataFrame,
    *,
    curve: pd.DataFrame | SurvivalLike | None = None,
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
    ``curve``: what :func:`analysis.truces.kaplan_meier` returns (or its table
    ``curve[days, survival, conf_low, conf_high]``). ``truces`` (optional) gives the names.
    """
    require_columns(durability, ["truce_id", "days", "violated"], source="plot_truce_durability",
                    expected="the output of analysis.truces.truce_durability")
    if durability["days"].isna().any() or durability["violated"].isna().any():
        raise DataError("blank days or violated in the durability table",
                        source="plot_truce_durability", column="days",
                        rows=np.flatnonzero(durability[["days", "violated"]].isna().any(axis=1)
                                            .to_numpy())[:10].tolist(),
                        expected="the output of analysis.truces.truce_durability")
    if curve is not None and not isinstance(curve, pd.DataFrame):
        curve = curve.curve  # a SurvivalCurve result
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
    ax = axes_or_new(ax)
    require_columns(durability, ["truce_id", "days", "violated"], source="draw_durability",
                    expected="the output of analysis.truces.truce_durability")
    d = durability.reset_index(drop=True)
    y = np.arange(len(d))[::-1]
    days = d["days"].to_numpy(float)
    violated = d["violated"].fillna(False).to_numpy(bool)
    ax.barh(y, days, height=0.5, color=TRUCE_COLOR, alpha=0.55, zorder=2, gid="durability-bar")
    ax.scatter(days[violated], y[violated], s=60, color=VIOLATION_COLOR, zorder=3,
               gid="violated-marker")
    ax.scatter(days[~violated], y[~violated], s=70, marker=">", facecolors="white",
               edgecolors=TRUCE_TEXT_COLOR, linewidths=1.5, zorder=3, gid="censored-marker")
    for yi, di, v in zip(y, days, violated, strict=True):  # one label per truce
        ax.annotate(f"{di:.0f} day{'' if round(di) == 1 else 's'}"
                    + ("" if v else ", still holding"), xy=(di, yi),
                    xytext=(8, 0), textcoords="offset points", va="center",
                    fontsize=LABEL_SIZE, color=TEXT_COLOR, gid="durability-label")
    ax.set_yticks(y, truce_names(d, truces))
    ax.set_xlim(0, max(days.max() * 1.35, 1) if len(days) else 1)
    pad = max(0, 3 - len(d)) * 0.5  # one or two truces: keep the bars slim
    ax.set_ylim(-0.7 - pad, max(len(d), 1) - 0.3 + pad)
    ax.set_xlabel("Days since the truce began")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # whole days
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    return ax


def draw_survival_curve(curve: pd.DataFrame, *, ax: Axes | None = None,
                        durability: pd.DataFrame | None = None) -> Axes:
    """Kaplan–Meier step curve (gid ``km-curve``) with its pointwise band (``km-band``).

    With ``durability`` the curve runs on to the longest truce and marks the truces still
    holding (censored) with ``+`` (``km-censored``), as survival plots do.
    """
    ax = axes_or_new(ax)
    require_columns(curve, ["days", "survival", "conf_low", "conf_high"],
                    source="plot_truce_durability", expected="the curve from analysis.truces.kaplan_meier")
    cols = ["days", "survival", "conf_low", "conf_high"]
    c = pd.concat([pd.DataFrame([[0, 1.0, 1.0, 1.0]], columns=cols), curve[cols]],
                  ignore_index=True).sort_values("days", kind="stable")
    if durability is not None and len(durability) and durability["days"].max() > c["days"].max():
        c = pd.concat([c, c.tail(1).assign(days=durability["days"].max())], ignore_index=True)
    ax.fill_between(c["days"], c["conf_low"], c["conf_high"], step="post", color=ESTIMATE_COLOR,
                    alpha=0.18, lw=0, gid="km-band")
    ax.step(c["days"], c["survival"], where="post", color=ESTIMATE_COLOR, lw=2, gid="km-curve")
    if durability is not None:
        held = durability.loc[~durability["violated"].astype(bool), "days"].to_numpy(float)
        at = c["survival"].to_numpy()[np.searchsorted(c["days"].to_numpy(), held, "right") - 1]
        ax.scatter(held, at, marker="+", s=80, color=ESTIMATE_COLOR, linewidths=1.5, zorder=3,
                   gid="km-censored")
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_title("Share of truces not yet violated", loc="left", fontsize=LABEL_SIZE + 1)
    ax.set_xlabel("Days since the truce began")
    return ax


__all__ = [
    "draw_durability", "draw_event_study", "draw_survival_curve", "draw_trend_model",
    "plot_event_study", "plot_trend_model", "plot_truce_durability",
]
