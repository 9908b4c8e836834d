"""The one writer into ``figures/`` (the source line it needs is built by
:func:`analysis.charts.provenance.source_line`).

:func:`save_figure` writes a chart with everything a newsroom needs beside it: the alt text,
the chart's data as a formula-safe CSV (ready for Datawrapper), and a JSON record that a
build step turns into the story's ``figures/NAME/README.md``. Output is deterministic: two runs on the same
machine give byte-identical files.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import plotly.graph_objects as go
from matplotlib.figure import Figure

from analysis.charts.export import safe_table
from analysis.charts.style import house_style, printable_texts
from analysis.io import write_csv
from analysis.io.write import write_atomic
from analysis.values import printable

STATIC_FORMATS = ("svg", "png", "pdf")
PNG_DPI = 200               # 2x the 100-dpi screen layout: 1280 px wide, sharp on any display
SVG_HASHSALT = "truce-timeline"
#: metadata that would change from run to run (dates, software versions), cleared
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "png": {"Software": None},
}
#: a click on a mark opens its source (http/https only) in a new tab
_CLICK_TO_SOURCE = (
    "var gd = document.getElementById('{plot_id}');"
    "gd.on('plotly_click', function (ev) {"
    " var url = ev.points[0].customdata;"
    " if (typeof url === 'string' && /^https?:\\/\\//i.test(url)) {"
    " window.open(url, '_blank', 'noopener'); } });"
)


def save_figure(
    fig: Figure | go.Figure,
    name: str,
    *,
    formats: Sequence[str] | None = None,
    source: str,
    alt_text: str,
    data: pd.DataFrame | None = None,
    title: str | None = None,
    out_dir: str | Path | None = None,
    notebook: str | None = None,
) -> list[Path]:
    """Write ``fig`` as ``<out_dir>/<name>.<format>`` with its sidecars; return the paths.

    matplotlib figures: ``formats`` default ``svg, png, pdf``, at the figure's own size
    (PNG at :data:`PNG_DPI`), in the house style, with a fixed ``svg.hashsalt`` and the
    date / software metadata cleared, so two runs give byte-identical files.

    plotly figures: one self-contained ``<name>.html`` (``formats`` default ``html``; no
    other format is offered). plotly.js is embedded (``include_plotlyjs=True``): the page
    opens offline and in ten years, at a cost of about 4.7 MB per file. The div id is
    fixed (from ``name``) so the file does not change between runs; a click on a mark
    opens its source link (http/https only).

    Beside the figure: ``<name>.alt.txt`` (``alt_text``), ``<name>.csv`` (``data``, when
    given: formula-safe, ISO dates; also the Datawrapper-ready CSV) and ``<name>.json``
    (name, title, alt_text, source, notebook, files; sorted keys). ``source`` and
    ``alt_text`` are required and must not be blank. ``out_dir`` defaults to ``figures/``
    in the current folder (the caller's, never the installed package's).
    """
    _check_inputs(name, source=source, alt_text=alt_text)
    alt_text, source = printable(alt_text).strip(), printable(source).strip()
    out = Path(out_dir) if out_dir is not None else Path.cwd() / "figures"
    out.mkdir(parents=True, exist_ok=True)
    if isinstance(fig, Figure):
        written = _save_matplotlib(fig, name, out, formats or STATIC_FORMATS)
        kind = "matplotlib"
    elif isinstance(fig, go.Figure):
        written = _save_plotly(fig, name, out, formats or ("html",))
        kind = "plotly"
    else:
        raise TypeError(f"save_figure takes a matplotlib Figure or a plotly Figure, "
                        f"not {type(fig).__name__}")
    written.append(write_atomic(out / f"{name}.alt.txt", alt_text + "\n"))
    if data is not None:
        written.append(write_csv(safe_table(data), out / f"{name}.csv"))
    meta = {"name": name, "title": printable(title or figure_title(fig)), "alt_text": alt_text,
            "source": source, "notebook": notebook, "kind": kind,
            "data": f"{name}.csv" if data is not None else None,
            "files": [p.name for p in written] + [f"{name}.json"]}
    meta_path = write_atomic(out / f"{name}.json",
                             json.dumps(meta, sort_keys=True, indent=2, ensure_ascii=False) + "\n")
    return [*written, meta_path]


def _check_inputs(name: str, *, source: str, alt_text: str) -> None:
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise ValueError(f"figure name {name!r} must be letters, digits, '-' and '_' only "
                         "(no folders, no extension), e.g. '02_truce_timeline'")
    if not isinstance(source, str) or not source.strip():
        raise ValueError("source is required: the source line readers see under the chart, "
                         "e.g. source_line(events)")
    if not isinstance(alt_text, str) or not alt_text.strip():
        raise ValueError("alt_text is required: one or two sentences saying what the chart "
                         "shows, for readers who cannot see it")


def _save_matplotlib(fig: Figure, name: str, out: Path, formats: Sequence[str]) -> list[Path]:
    unknown = [f for f in formats if f not in STATIC_FORMATS]
    if unknown:
        raise ValueError(f"matplotlib figures are saved as {', '.join(STATIC_FORMATS)}, "
                         f"not {', '.join(unknown)}")
    written = []
    engine = fig.get_layout_engine()
    printable_texts(fig)
    with house_style(), mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        _settle_layout(fig)
        fig.set_layout_engine("none")  # the same layout in every format and every run
        try:
            for fmt in formats:  # three formats at most
                buf = io.BytesIO()
                fig.savefig(buf, format=fmt, dpi=PNG_DPI if fmt == "png" else 72,
                            metadata=METADATA[fmt])
                written.append(write_atomic(out / f"{name}.{fmt}", buf.getvalue()))
        finally:
            fig.set_layout_engine(engine)
    return written


def _settle_layout(fig: Figure) -> None:
    """Run the layout from the grid's own positions, so that it does not depend on earlier
    draws (constrained layout started from its last result drifts in the 7th digit)."""
    engine = fig.get_layout_engine()
    if engine is None or not hasattr(engine, "execute"):
        return
    for ax in fig.axes:  # a handful of panels
        spec = ax.get_subplotspec()
        if spec is not None:
            # private: the public set_position would also take the axes out of the layout
            ax._set_position(spec.get_position(fig), which="both")  # type: ignore[attr-defined]
    engine.execute(fig)


def _save_plotly(fig: go.Figure, name: str, out: Path, formats: Sequence[str]) -> list[Path]:
    if list(formats) != ["html"]:
        raise ValueError("plotly figures are saved as one self-contained html file "
                         "(formats=('html',)); use the matplotlib builders for svg/png/pdf")
    page = fig.to_html(include_plotlyjs=True, full_html=True, div_id=div_id(name),
                       config={"responsive": True}, post_script=_CLICK_TO_SOURCE)
    return [write_atomic(out / f"{name}.html", page)]


def div_id(name: str) -> str:
    """The fixed HTML id of a saved plotly figure."""
    return "figure-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def figure_title(fig: Figure | go.Figure) -> str | None:
    """The title drawn on a figure (plain text), if any."""
    if isinstance(fig, Figure):
        titles = [t.get_text() for t in fig.texts if t.get_gid() == "chart-title"]
        return " ".join(titles[0].split()) if titles else None
    text = fig.layout.title.text
    if not text:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())
