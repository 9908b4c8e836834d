"""The truce table: one row per truce, as a reporter keeps it, checked as strictly as events.

Columns (see :func:`validate_truces`; ``data/iraq_2019_2021/README.md`` has a datasheet):
who announced the truce and when, when it took effect and ended (blank end = still in
force), the actor groups bound by it (``parties``), and optional scope (target types,
countries, admin1 regions, event types; blank = any). What a truce means for each event is
in :mod:`analysis.truces`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io import read_text_table
from analysis.schema import DATE_DTYPE, STR_DTYPE, ProblemList, text_table

TRUCE_COLUMNS = ("truce_id", "name", "label", "announced_on", "start", "start_time", "end",
                 "end_time", "announced_by", "parties",
                 "between_parties", "excluded", "target_types", "countries", "admin1",
                 "event_types", "conditions", "source_url", "notes")
#: how ``between_parties`` may be written (blank = no)
YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False,
          "false": False, "0": False}
#: truce scope column -> event column it restricts
SCOPE = {"target_types": "target_type", "countries": "country", "admin1": "admin1",
         "event_types": "event_type"}


def read_truces(path: str | Path) -> pd.DataFrame:
    """Read and validate a truce table (CSV); see :func:`validate_truces`."""
    raw, rows = read_text_table(path)
    return validate_truces(raw, source=str(path), rows=rows)


def validate_truces(raw: pd.DataFrame, *, source: str = "truce table", rows=None) -> pd.DataFrame:
    """Check a truce table and return it with parsed dates and tidy lists.

    Required: ``truce_id`` (unique), ``start``, ``parties`` (actor groups, separated by ``;``).
    Optional: ``name, label`` (short name for charts), ``announced_on, end`` (the last day
    in force; blank = open-ended), ``start_time, end_time`` (HH:MM local, when the truce
    took effect or lapsed part-way through that day; blank = the whole day), ``announced_by``, ``between_parties`` (yes: only attacks by one party on
    another count; blank = no), ``excluded`` (groups the truce does not protect: an attack on
    them is no violation), scope lists ``target_types; countries; admin1; event_types``
    (blank = any), ``conditions``, ``source_url``, ``notes``.

    Checked as strictly as events, each fault a :class:`DataError` naming the row (as a
    spreadsheet shows it), the column and the value: a duplicate or blank id; a date that is
    not a whole day (``2020-10`` names a month, not the day a truce took effect); a truce
    ending before it starts; lists separated by commas instead of ``;`` (write ``a; b``; a
    single name holding a comma is written with a ``;`` after it); a ``between_parties``
    other than yes/no; a time that is not HH:MM.
    """
    rows = np.arange(2, 2 + len(raw)) if rows is None else np.asarray(rows)
    t = text_table(raw, TRUCE_COLUMNS, ("truce_id", "start", "parties"), source=source,
                   what="truce table")
    extras = raw[[c for c in raw.columns if c not in TRUCE_COLUMNS]].reset_index(drop=True)

    found = ProblemList(source, rows)

    def fail(mask, column, problem, expected, values=None):
        shown = (values if values is not None else t[column]).astype(object).to_numpy()
        found.check(mask, column, problem, expected, [str(v) for v in shown])

    fail(t["truce_id"].isna(), "truce_id", "missing truce id", "a non-empty id")
    fail(t["truce_id"].duplicated(keep=False) & t["truce_id"].notna(), "truce_id",
         "duplicate truce id", "each truce_id once")
    fail(t["parties"].isna(), "parties", "no parties named",
         "the actor groups bound by the truce, separated by ';'")
    for col in ("parties", "excluded", *SCOPE):
        commas = (t[col].str.contains(",", regex=False).eq(True)
                  & ~t[col].str.contains(";", regex=False).eq(True))
        fail(commas, col, "names separated by commas",
             "names separated by ';' (a single name that holds a comma: end it with ';')")
        t[col] = _split_list(t[col])
    flag = t["between_parties"].str.lower().map(YES_NO)
    fail(t["between_parties"].notna() & flag.isna(), "between_parties",
         "not yes or no", "yes (only attacks by one party on another count) or no (blank = no)")
    t["between_parties"] = flag.eq(True).to_numpy(bool)  # blank = no
    blank_start = t["start"].isna().to_numpy()  # (a start that cannot be read is said below)
    for col in ("announced_on", "start", "end"):
        whole_day = t[col].isna() | t[col].str.fullmatch(r"\d{4}-\d{2}-\d{2}").eq(True)
        fail(~whole_day, col, "not a whole date", "a day as YYYY-MM-DD (2020-10 names only "
             "a month; a truce starts and ends on a day: give the day the sources report)")
        parsed = pd.to_datetime(t[col], errors="coerce", format="%Y-%m-%d")
        fail(t[col].notna() & parsed.isna() & whole_day, col, "date could not be read",
             "an ISO date (YYYY-MM-DD) that exists in the calendar")
        t[col] = parsed.astype(DATE_DTYPE)
    for col in ("start_time", "end_time"):  # a truce that starts or ends part-way through a day
        fail(t[col].notna() & ~t[col].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d").eq(True), col,
             "not a time of day", "HH:MM, 24-hour local time (19:00), or blank: the whole day")
    fail(blank_start, "start", "missing start date", "the date the truce took effect")
    fail((t["end"] < t["start"]).fillna(False), "end", "truce ends before it starts",
         "end on or after start (blank = still in force)",
         values=t["start"].dt.strftime("start %Y-%m-%d") + t["end"].dt.strftime(", end %Y-%m-%d"))
    found.raise_all()
    return pd.concat([t, extras], axis=1).reset_index(drop=True)


def _split_list(values: pd.Series) -> pd.Series:
    """``"a; b ;c"`` -> ``"a; b; c"`` (trimmed, in order, blank -> missing)."""
    parts = values.str.split(";").map(
        lambda xs: "; ".join(x.strip() for x in xs if x.strip()) if isinstance(xs, list) else np.nan)
    return parts.replace("", np.nan).astype(STR_DTYPE)
