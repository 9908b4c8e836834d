"""``python -m analysis new NAME FILE``: start a story folder from an event file, with a
``story.toml`` worded from the data, a first alias table, empty truce and key-date tables and a
README datasheet. An existing story is never overwritten."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.paths import DATA
from analysis.schema import DataError
from analysis.story import NAME

if TYPE_CHECKING:
    from analysis.io import LoadResult

#: the source line's provider, by format (what ``new`` writes into ``story.toml``)
PROVIDERS = {"acled": "ACLED (acleddata.com)",
             "ucdp": "UCDP Georeferenced Event Dataset (ucdp.uu.se), CC BY 4.0",
             "gdelt": "The GDELT Project (gdeltproject.org)",
             "sigacts": "US military significant-activity reports (SIGACTs)",
             "incidents": "the reporter's own incident log"}


@dataclass(frozen=True)
class NewStory:
    """What :func:`new_story` wrote and found: the folder, the events as read, and the
    settings it proposed (for the CLI to print)."""

    folder: Path
    result: LoadResult  # the events as read
    period: tuple[str, str]
    places: list[str]
    groups: pd.Series  # events per actor as written, most first


def new_story(name: str, events: str | Path, *, format: str = "auto", root: Path = DATA,
              **options) -> NewStory:
    """Start a story: ``root/<name>/`` with ``story.toml`` (worded from the data: its period,
    places and provider; a neutral title to edit), the actors found as a first alias table
    (each its own group: group fronts and spellings by editing it), and empty truce and
    key-date tables (their header; the README there shows an example row of each). The event
    file is pointed to, not copied. An existing story is never overwritten."""
    from analysis.io import load_events, write_csv
    from analysis.io.write import write_atomic
    from analysis.key_dates import KEY_DATE_COLUMNS
    from analysis.truces import TRUCE_COLUMNS

    if not NAME.match(name):
        raise DataError(f"story name {name!r} is not a folder name", source="new",
                        expected="lower-case letters, digits, '-' and '_', starting with a letter "
                        "or digit (e.g. syria_2016_2017)")
    folder = Path(root) / name
    if (folder / "story.toml").exists():
        raise DataError(f"story {name!r} exists already", source=str(folder / "story.toml"),
                        expected="a new name (a story is never overwritten: edit its story.toml)")
    events = Path(events).resolve()
    result = load_events(events, format=format, errors="collect", **options)
    table = result.events
    if table.empty:
        raise DataError("no event could be read", source=str(events),
                        expected="an event file with at least one valid row (see "
                        "python -m analysis validate FILE)")
    period = (f"{table['date'].min():%Y-%m-%d}", f"{table['date'].max():%Y-%m-%d}")
    places = table["country"].value_counts()
    places = places[places > 0].index.astype(str).tolist()
    groups = table["actor"].value_counts()
    groups = groups[groups > 0]  # (a categorical keeps names no event has any more)
    place = ", ".join(places[:3]) if 0 < len(places) <= 3 else ""
    category = "target_type" if table["target_type"].notna().any() else "event_type"
    where = f" in {place}" if place else ""
    relative = Path(os.path.relpath(events, folder.resolve()))
    folder.mkdir(parents=True, exist_ok=True)
    toml = f'''# Written by `python -m analysis new {name}`: edit every line to fit the story.
# The keys are explained in analysis/story.py; the tables beside this file in README.md.

[story]
title = {_toml(f"Events{where}, {table['date'].min():%B %Y} to {table['date'].max():%B %Y}")}
subject = "events"          # the noun for the rows: "attacks", "protests", "clashes" ...
what = {_toml(f"Events{where} recorded by {PROVIDERS.get(result.format, result.format)}")}
place = {_toml(place)}
period = {_toml(list(period))}   # proposed from the data: first and last event
source = {_toml(PROVIDERS.get(result.format, ""))}
intro = ""                   # the story's claim, in Markdown, for the story notebook

[data]
events = {_toml(relative.as_posix())}
format = {_toml(result.format)}    # recognised: {result.recognised}
truces = "truces.csv"        # header only: add the story's truces, each with its source_url
key_dates = "key_dates.csv"  # header only: add the dates to test, each with its source_url
aliases = "actor_aliases.csv"

[analysis]
category = {_toml(category)}
'''
    write_atomic(folder / "story.toml", toml)
    write_atomic(folder / "truces.csv", ",".join(TRUCE_COLUMNS) + "\n")
    write_atomic(folder / "key_dates.csv", ",".join(KEY_DATE_COLUMNS) + "\n")
    write_csv(pd.DataFrame({
        "alias": groups.index.astype(str), "actor_group": groups.index.astype(str),
        "relation": "canonical", "source_url": "",
        "reason": [f"proposed by `new`: the name as the event file writes it ({n:,} events); "
                   "edit to group fronts and spellings" for n in groups.to_numpy()]}),
        folder / "actor_aliases.csv")
    write_atomic(folder / "README.md", _readme(name, events, result, period, places, groups))
    return NewStory(folder, result, period, places, groups)


def _toml(value: object) -> str:
    """A value as TOML (strings with escapes, lists of strings)."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


#: the README's example rows, for shape only (placeholders on example.org, not data)
EXAMPLE_TRUCE = {"truce_id": "T-1", "name": "Two-month nationwide truce", "label": "April truce",
                 "announced_on": "2022-04-01", "start": "2022-04-02", "start_time": "19:00",
                 "end": "2022-06-02", "end_time": "19:00", "announced_by": "UN envoy",
                 "parties": "Group A; Group B", "between_parties": "no", "excluded": "Group C",
                 "countries": "Country", "source_url": "https://example.org/report-of-the-truce"}
EXAMPLE_KEY_DATE = {"key_date_id": "KD-1", "name": "Start of the war (anniversary)",
                    "label": "war anniversary", "date": "2015-03-26", "calendar": "gregorian",
                    "recurs": "annual", "before": "21", "after": "7", "countries": "Country",
                    "source_url": "https://example.org/report-of-the-day"}


def _readme(name, events, result, period, places, groups) -> str:
    from analysis.key_dates import KEY_DATE_COLUMNS
    from analysis.truces import TRUCE_COLUMNS

    top = "\n".join(f"| {g} | {n:,} |" for g, n in groups.head(15).items())
    examples = "\n   ".join(",".join(columns) + "\n   " + ",".join(row.get(c, "") for c in columns)
                             for columns, row in ((TRUCE_COLUMNS, EXAMPLE_TRUCE),
                                                  (KEY_DATE_COLUMNS, EXAMPLE_KEY_DATE)))
    return f"""# Story `{name}`

Started by `python -m analysis new {name} --events {events.name}`. The events are read from
`{events}` ({result.recognised}); {len(result.events):,} events from {period[0]} to {period[1]}
in {len(places)} countr{'y' if len(places) == 1 else 'ies'}.

Next:
1. Edit `story.toml`: the title, the noun for the rows (`subject`), what the data are, the
   period, and the story's claim (`intro`).
2. Add the story's truces to `truces.csv` and its dates to `key_dates.csv`, one row each, with
   the `source_url` that reports it. A truce's `parties` are actor groups (`;` between them).
   The columns are explained in `analysis/truces.py` and `analysis/anniversaries.py`; a row
   of each, for shape only (placeholders, not data):

   ```
   {examples}
   ```
   `start_time`/`end_time` (HH:MM local) say a truce began or lapsed part-way through a day:
   events dated only to that day are then possible violations, not counted ones.
   `between_parties = yes` counts only attacks by one party on another; `excluded` names
   groups the truce does not protect (an attack on them is no violation).
3. Group the actors in `actor_aliases.csv` (each is its own group for now).
4. Build: `python -m analysis build --story {name}` (figures in `figures/{name}/`).

The actors the file names most:

| actor as written | events |
|---|---|
{top}
"""
