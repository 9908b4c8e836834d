"""How every analysis result prints itself (statsmodels' habit).

A result object (an escalation test, an interrupted series, change points, a truce's
durability, a load report) answers four calls the same way:

- ``summary()``: plain text, a heading, the facts of the run (method, sizes, level), the
  table and the quotable sentences;
- ``_repr_html_()``: the same as a compact table in JupyterLab;
- ``to_frame()``: the result as a tidy table, for a CSV or a chart;
- ``sentences``: the findings a reporter can quote, generated from the same numbers as the
  chart titles.

A class takes part by subclassing :class:`Result` and defining ``title``, ``facts()``,
``to_frame()`` and ``sentences``.
"""

from __future__ import annotations

import html
import textwrap
from typing import ClassVar

import pandas as pd

#: the width of :meth:`Result.summary`, in characters
WIDTH = 78
#: rows of the table shown by :meth:`Result._repr_html_` and :meth:`Result.summary`
SHOWN_ROWS = 20


class Result:
    """Base of every analysis result: ``summary()``, ``_repr_html_()``, ``to_frame()`` and
    ``sentences`` (see the module docstring)."""

    #: the heading of the summary and of the table in JupyterLab
    title: ClassVar[str] = "Result"
    #: what the summary says in place of an empty table
    nothing: ClassVar[str] = "(no rows)"

    def facts(self) -> list[tuple[str, object]]:
        """The facts of the run, as (label, value) pairs: method, sizes, level."""
        return []

    def to_frame(self) -> pd.DataFrame:
        """The result as a tidy table."""
        raise NotImplementedError

    def shown(self) -> pd.DataFrame:
        """The part of :meth:`to_frame` that :meth:`summary` and the JupyterLab table show
        (all of it unless a result says otherwise: the facts are listed above it)."""
        return self.to_frame()

    @property
    def sentences(self) -> list[str]:
        """The findings a reporter can quote."""
        return []

    def summary(self) -> str:
        """The result as plain text: heading, facts, table and sentences."""
        rule = "=" * WIDTH
        out = [rule, self.title.center(WIDTH).rstrip(), rule]
        facts = [(label, _shown(value)) for label, value in self.facts()]
        if facts:
            width = max(len(label) for label, _ in facts)
            out += [f"{label + ':':<{width + 1}} {value}" for label, value in facts]
            out.append("-" * WIDTH)
        table = self.shown()
        with pd.option_context("display.width", WIDTH, "display.max_columns", None,
                               "display.max_rows", SHOWN_ROWS, "display.precision", 3):
            out.append(table.to_string(index=False, max_rows=SHOWN_ROWS) if len(table)
                       else self.nothing)
        if self.sentences:
            out.append("-" * WIDTH)
            for sentence in self.sentences:
                out += textwrap.wrap(sentence, WIDTH)
        out.append(rule)
        return "\n".join(out)

    def _repr_html_(self) -> str:
        facts = "".join(f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
                        f"<td style='text-align:left'>{html.escape(_shown(value))}</td></tr>"
                        for label, value in self.facts())
        table = self.shown()
        with pd.option_context("display.precision", 3):
            rows = (table.to_html(index=False, max_rows=SHOWN_ROWS, escape=True, border=0)
                    if len(table) else f"<p>{html.escape(self.nothing)}</p>")
        said = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences)
        return (f"<div class='tt-result'><strong>{html.escape(self.title)}</strong>"
                f"<table>{facts}</table>{rows}"
                + (f"<ul>{said}</ul>" if said else "") + "</div>")


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value)) or "none"
    return str(value)
