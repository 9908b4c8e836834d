"""Where a chart's words come from: the source line built from the data's provenance, and
the default titles and subtitles that both renderers (matplotlib and plotly) put on a chart.

Every sentence here is built from the data (the events' ``source`` and ``dataset``
columns, the counts' dates), never typed by hand, so the static and the interactive
version of a chart say the same thing.
"""

from __future__ import annotations

import pandas as pd

from analysis.charts.data import Window, rolling_window
from analysis.schema import STR_DTYPE, DataError

#: dataset names (the ``dataset`` column) as a source line names them
DATASET_LABELS = {
    "iraq_2019_2021_factsheet": "news reports compiled in the truce-timeline fact sheet",
    "acled": "ACLED",
    "ucdp_ged": "UCDP GED",
    "gdelt": "GDELT",
    "iraq_sigacts": "Iraq SIGACTs (CENTCOM, compiled by V. Bauer)",
    "synthetic": "synthetic data",
}
#: datasets cited by name only (their ``source`` column is not a list of news outlets)
_DATASET_ONLY = {"acled", "ucdp_ged", "gdelt", "iraq_sigacts", "synthetic"}


def source_line(events: pd.DataFrame, *, max_outlets: int = 3, chart: str = "truce-timeline") -> str:
    """The source line for a chart of ``events``, from their ``source`` and ``dataset``.

    News outlets are listed most frequent first (ties alphabetical; ``;``-separated lists
    are split), up to ``max_outlets``, then "and N other outlets"; datasets are named by
    :data:`DATASET_LABELS`. Raises :class:`DataError` when there is nothing to cite.

    Examples
    --------
    >>> ev = pd.DataFrame({"source": ["Rudaw", "Mehr News", "Rudaw", None],
    ...                    "dataset": ["iraq_2019_2021_factsheet"] * 3 + ["acled"]})
    >>> source_line(ev)
    'Source: Rudaw, Mehr News (news reports compiled in the truce-timeline fact sheet); ACLED · Chart: truce-timeline'
    """
    blank = pd.Series(pd.NA, index=events.index, dtype=STR_DTYPE)
    dataset = _clean(events["dataset"] if "dataset" in events.columns else blank)
    source = _clean(events["source"] if "source" in events.columns else blank)
    news = ~dataset.isin(_DATASET_ONLY)
    parts = []
    outlets = _outlet_list(source[news], max_outlets)
    if outlets:
        named = _ranked(dataset[news].dropna())
        labels = ", ".join(DATASET_LABELS.get(d, d) for d in named)
        parts.append(f"{outlets} ({labels})" if labels else outlets)
    parts += [DATASET_LABELS[d] for d in _ranked(dataset[~news].dropna())]
    if not parts:
        raise DataError("nothing to cite: no row has a source or a dataset", source="source_line",
                        column="source", expected="events with the source and dataset columns "
                        "filled (as the readers in analysis.io return them)")
    return "Source: " + "; ".join(parts) + f" · Chart: {chart}"


def _clean(values: pd.Series) -> pd.Series:
    text = values.astype(STR_DTYPE).str.strip()
    return text.where(text != "")


def _ranked(values: pd.Series) -> list[str]:
    """Distinct values, most frequent first, ties alphabetical."""
    counts = values.value_counts()
    return sorted(counts.index, key=lambda v: (-counts[v], v))


def _outlet_list(source: pd.Series, max_outlets: int) -> str:
    outlets = source.dropna().str.split(";").explode().str.strip()
    ranked = _ranked(outlets[outlets != ""])
    if not ranked:
        return ""
    shown, rest = ranked[:max_outlets], len(ranked) - max_outlets
    if rest > 0:
        return ", ".join(shown) + f" and {rest} other outlet" + ("s" if rest > 1 else "")
    return ", ".join(shown)


def default_source(events: pd.DataFrame) -> str | None:
    """The source line of ``events``, or None when there is nothing to cite.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``source`` and ``dataset`` columns.

    Returns
    -------
    str or None
        :func:`source_line` of the events; None where it would raise :class:`DataError`.

    Examples
    --------
    >>> default_source(pd.DataFrame({"source": [None], "dataset": [None]})) is None
    True
    """
    try:
        return source_line(events)
    except DataError:
        return None


def timeline_title(shown: pd.DataFrame, window: Window) -> str:
    """The default title of a timeline: how many events, over which months.

    Parameters
    ----------
    shown : pandas.DataFrame
        The events drawn (requires ``date``).
    window : Window
        The period drawn (:func:`analysis.charts.data.date_window`); None: no events.

    Returns
    -------
    str
        ``"12 events, Jan 2020 to Mar 2021"`` (one month: ``"1 event, Jan 2020"``).

    Examples
    --------
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2020-01-05", "2021-03-01"])})
    >>> timeline_title(ev, (ev["date"].min(), ev["date"].max()))
    '2 events, Jan 2020 to Mar 2021'
    """
    if window is None:
        return "No events"
    dates = pd.to_datetime(shown["date"])
    lo, hi = (dates.min(), dates.max()) if len(shown) else window
    noun = "event" if len(shown) == 1 else "events"
    when = f"{lo:%b %Y}" if (lo.year, lo.month) == (hi.year, hi.month) else (
        f"{lo:%b %Y} to {hi:%b %Y}")
    return f"{len(shown)} {noun}, {when}"


def timeline_subtitle(truces: pd.DataFrame | None, occurrences: pd.DataFrame | None,
                      flagged: pd.DataFrame | None) -> str:
    """The default subtitle of a timeline: what its marks, shading and lines mean.

    Parameters
    ----------
    truces, occurrences, flagged : pandas.DataFrame or None
        The overlays drawn (only whether each is given matters).

    Returns
    -------
    str
        One clause per kind of mark, joined by ``"; "``.

    Examples
    --------
    >>> timeline_subtitle(pd.DataFrame(), None, None)
    'Each dot is one event; shaded: truce in force'
    """
    parts = ["Each dot is one event"]
    if flagged is not None:
        parts.append("numbered: counted truce violations, by violation day; "
                     "rings: suspected violations")
    if truces is not None:
        parts.append("shaded: truce in force")
    if occurrences is not None:
        parts.append("dotted: key dates")
    return "; ".join(parts)


def counts_subtitle(counts: pd.DataFrame, rolling: int | None, unit: str, what: str) -> str:
    """The default subtitle of a count chart: what the bars and the line show.

    Parameters
    ----------
    counts : pandas.DataFrame
        The counts drawn (requires ``date``).
    rolling : int or None
        The rolling-mean window asked for (:func:`analysis.charts.data.rolling_window`).
    unit : str
        The period of the counts (``day``, ``week``, ``month``).
    what : str
        What is counted (``events``).

    Returns
    -------
    str
        ``"Bars: events per week; line: 4-week average"`` (no line: the first clause).

    Examples
    --------
    >>> weeks = pd.DataFrame({"date": pd.date_range("2020-01-06", periods=3, freq="7D")})
    >>> counts_subtitle(weeks, None, "week", "events")
    'Bars: events per week; line: 4-week average'
    """
    window = rolling_window(counts["date"], rolling)
    text = f"Bars: {what} per {unit}"
    if window:
        text += f"; line: {window}-{unit} average"
    return text
