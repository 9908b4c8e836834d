"""Readers: files from the newsroom and from conflict datasets, into the canonical event table.

Every reader returns the table described in :mod:`analysis.schema`. Nothing is dropped
silently: the ``read_*`` functions raise :class:`~analysis.schema.DataError` on the first bad
file (listing every bad row) and give how anything was read that the file did not settle
itself (day/month order, folded rows, null tokens, renamed columns) as a
:class:`~analysis.schema.DataWarning`; :func:`load_events` with ``errors="collect"`` returns
the good rows beside a table of the rows it set aside, each with its reason, and the notes.

=========  =============================================================  =======================
format     what                                                           reader
=========  =============================================================  =======================
auto       recognised from the header (or, without one, the column count)  :func:`load_events`
incidents  the project's own incident log                                  :func:`read_events`
acled      an ACLED export, any era, dyadic or monadic                     :func:`read_acled`
ucdp       a UCDP GED event file (GED 5.0, 17.1 to the latest, candidate)  :func:`read_ucdp_ged`
gdelt      a GDELT event file (1.0: 57/58 columns; 2.0: 61)                :func:`read_gdelt_events`
sigacts    Bauer's Iraq SIGACT table (time, event_type, target, city)      :func:`read_sigacts`
=========  =============================================================  =======================

Every format is read from CSV or tab-separated text, ``.xlsx`` / ``.xls``, Parquet, a
``.gz`` or single-file ``.zip``, or an ``http(s)://`` address. One module per format
(:mod:`analysis.io.acled` ...) holds its column map, header aliases, null tokens and date
rules as data; :mod:`analysis.io.text` is the text engine, :mod:`analysis.io.files` opens what
a path holds, :mod:`analysis.io.load` detects the format and runs the shared steps.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.io.gdelt import GDELT_COLUMNS
from analysis.io.load import FORMAT_CHOICES, FORMATS, LoadResult, load_events
from analysis.io.text import read_delimited, read_text_table
from analysis.io.write import neutralize_formulas, rounded, write_csv
from analysis.schema import warn_notes

PathLike = str | Path

#: notes on how the file was reached, not on how its values were read (not warned; a sheet
#: or zip member left unread is)
_ACCESS_NOTES = re.compile(r"^(downloaded from |decompressed from |read as UTF-16 |read sheet '[^']*'$"
                           r"|read .* from the zip archive$)")


def _events(path: PathLike, format: str, **options) -> pd.DataFrame:
    result = load_events(path, format=format, **options)
    warn_notes([n for n in result.notes if not _ACCESS_NOTES.match(n)], result.source,
               stacklevel=4)  # at the read_* call
    return result.events


def read_events(path: PathLike, *, encoding: str | None = None,
                dayfirst: bool | None = None) -> pd.DataFrame:
    """Read an incident log in the project's own format (CSV, Parquet or Excel).

    The format is documented in ``data/iraq_2019_2021/README.md``: required columns ``event_id`` and
    ``date``, the other canonical columns optional, extra columns passed through. Raises
    :class:`~analysis.schema.DataError` on any bad row.

    Examples
    --------
    >>> from analysis.paths import INCIDENTS
    >>> events = read_events(INCIDENTS)
    >>> events.loc[events["event_id"] == "IRQ-20201220-01", ["date", "target_type"]].to_numpy().tolist()
    [[Timestamp('2020-12-20 00:00:00'), 'diplomatic']]
    """
    return _events(path, "incidents", encoding=encoding, dayfirst=dayfirst)


def read_acled(path: PathLike, *, encoding: str | None = None,
               dayfirst: bool | None = None) -> pd.DataFrame:
    """Read an ACLED export (see :mod:`analysis.io.acled` for the mapping)."""
    return _events(path, "acled", encoding=encoding, dayfirst=dayfirst)


def read_ucdp_ged(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a UCDP GED event file (see :mod:`analysis.io.ucdp` for the mapping)."""
    return _events(path, "ucdp", encoding=encoding)


def read_gdelt_events(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a GDELT 1.0 or 2.0 event file (see :mod:`analysis.io.gdelt` for the mapping)."""
    return _events(path, "gdelt", encoding=encoding)


def read_sigacts(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Read Bauer's Iraq SIGACT table (see :mod:`analysis.io.sigacts`). Rows that repeat the
    PDF's table header are errors here; ``load_events(path, format="sigacts",
    errors="collect")`` sets them aside, listed."""
    return _events(path, "sigacts", encoding=encoding)


__all__ = [
    "FORMATS", "FORMAT_CHOICES", "GDELT_COLUMNS", "LoadResult", "load_events",
    "neutralize_formulas", "read_acled", "read_delimited", "read_events", "read_gdelt_events",
    "read_sigacts", "read_text_table", "read_ucdp_ged", "rounded", "write_csv",
]
