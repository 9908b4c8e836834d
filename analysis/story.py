"""A story is data: a folder under ``data/`` with its events and a ``story.toml``.

The folder holds the events (or ``events`` in ``story.toml`` points to a provider file
elsewhere), and optionally the story's truces, key dates and actor aliases. ``story.toml``
says how to word and scope everything the notebooks print and draw::

    [story]
    title = "Protests in Sudan, 2022-2023"   # the index's and the notebooks' heading
    subject = "protests"        # the noun for the rows, plural ("attacks", "clashes")
    one = "protest"             # the same noun for one row (default: subject less its "s")
    what = "Protests in Sudan"  # what the data are: the charts' subject line
    place = "Sudan"             # where (for sentences: "in Sudan")
    period = ["2022-01-01", "2023-12-31"]   # the period the data cover (blank: first to last event)
    source = "ACLED"            # the source line's provider
    intro = "..."               # Markdown shown at the top of the story notebook
    truce_question = "..."      # and of the truce, anniversary and trend notebooks
    anniversary_question = "..."
    trend_question = "..."

    [data]
    events = "events.csv"       # relative to the folder, an absolute path, or "shared:..."
                                # (the third-party data beside the project, never copied)
    events_sha256 = "..."       # pins a third-party file kept out of the project (a provider
                                # export whose terms forbid sharing it): an absent file skips
                                # the build here; another file is an error (raw/SOURCE.md
                                # says where to get it)
    format = "acled"            # or auto / incidents / ucdp / gdelt / sigacts
    truces = "truces.csv"       # "" or missing: the story has no truces
    key_dates = "key_dates.csv"
    aliases = "actor_aliases.csv"

    # or, for official daily tallies instead of one row per event:
    # counts = "alarms.csv"     # a table with one row per day
    # date_column = "date"      # its day column (YYYY-MM-DD, every day present)
    # count_columns = ["a", "b"]  # the columns summed into the day's count

    [analysis]                  # all optional
    chart_period = ["2022-06-01", "2022-12-31"]   # the window of the timeline chart
    story_event = "SDN12345"    # the event the story is about (highlighted)
    key_date_ids = ["KD-A"]     # the anniversaries to test (default: every recurring one)
    religious_ids = []          # recurring dates to compare with (Hijri holidays ...)
    category = "event_type"     # rows of the timeline chart
    trend_freq = "W"            # the trend model's unit (D / W / MS)
    anniversary_weeks = []      # weeks to mark on the trend chart

Nothing of one story applies to another: every path and word comes from the story's own
folder. An unknown key, a missing file, a date that is not a whole day, or a table in the
folder that cannot be read is a :class:`~analysis.schema.DataError` naming the file and key.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.paths import BUILD, DATA, FIGURES, SHARED
from analysis.schema import DataError, require_columns
from analysis.story_toml import (
    FORMATS,
    TREND_FREQS,
    checked_tables,
    closest_hint,
    header_only,
    singular,
    toml_day,
    toml_period,
)

#: a path in ``story.toml`` that starts so is read from the third-party data beside the
#: project (``../shared``; never copied into it)
SHARED_PREFIX = "shared:"


class MissingDataFile(DataError):
    """A story's third-party file, kept out of the project, is absent here: one in the data
    beside the project (``shared:``, a machine without ``../shared``) or one pinned by its
    checksum (``events_sha256``; where to get it is in the story's ``raw/SOURCE.md``). The
    story cannot be built on this machine."""


NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class TrendPlan:
    """The interrupted series a story's truce calls for: the ``interruptions`` (``{label:
    date}``: the truce's start, and the day after its end when it ended inside the counts,
    for a truce that lapsed is no lasting change), the ``changes`` to fit (a level and a slope
    after an open-ended truce; a level only around one that ended), the truce's ``label``, and
    a sentence for each truce ``skipped`` (too near an end of the counts, or too short)."""

    interruptions: dict[str, pd.Timestamp]
    changes: str
    label: str | None
    skipped: list[str]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Story:
    """One story's settings, paths resolved; see the module docstring for the keys."""

    name: str
    folder: Path
    title: str
    subject: str
    what: str
    one: str = ""
    place: str = ""
    period: tuple[str | None, str | None] = (None, None)
    source: str = ""
    intro: str = ""
    truce_question: str = ""
    anniversary_question: str = ""
    trend_question: str = ""
    events: Path | None = None
    format: str = "auto"
    counts: Path | None = None
    date_column: str = "date"
    count_columns: list[str] = field(default_factory=list)
    truces: Path | None = None
    key_dates: Path | None = None
    aliases: Path | None = None
    chart_period: tuple[str | None, str | None] = (None, None)
    story_event: str | None = None
    key_date_ids: list[str] | None = None
    religious_ids: list[str] = field(default_factory=list)
    category: str = "event_type"
    trend_freq: str = "W"
    anniversary_weeks: list[str] = field(default_factory=list)

    @property
    def figures_dir(self) -> Path:
        """Where the story's figures go: ``figures/<name>/``."""
        return FIGURES / self.name

    @property
    def build_dir(self) -> Path:
        """Where the executed notebooks and their HTML go: ``build/<name>/``."""
        return BUILD / self.name

    @property
    def processed_dir(self) -> Path:
        """Where the story's processed tables go: ``<folder>/processed/``."""
        return self.folder / "processed"

    def count(self, n: int, noun: str | None = None) -> str:
        """``"1 attack"``, ``"0 attacks"``, ``"2,345 attacks"`` (or of another ``noun``, given
        as its singular and plural with a bar between: ``"week|weeks"``)."""
        one, many = noun.split("|") if noun else (self.one, self.subject)
        return f"{n:,} {one if n == 1 else many}"

    @property
    def Subject(self) -> str:
        """The subject with a capital, to start a title."""
        return self.subject[:1].upper() + self.subject[1:]

    @property
    def kind(self) -> str:
        """``"events"`` (one row per event) or ``"counts"`` (daily tallies)."""
        return "counts" if self.counts is not None else "events"

    #: what a story of daily tallies cannot do, for the notebooks to say
    COUNTS_CANNOT = ("number violations, tell who committed them or how sure the attribution "
                     "is (that needs one row per event with its actor)")

    def daily_counts(self) -> pd.DataFrame:
        """A count story's tallies as ``date, count`` per day (the ``count_columns`` summed),
        checked: every day once, none missing, every count a whole number >= 0; a fault is a
        :class:`DataError` naming the file, rows, column and value."""
        from analysis.io import read_text_table

        if self.counts is None:
            raise DataError("this story has events, not daily counts", source=self.name,
                            expected="counts = FILE under [data] in story.toml")
        raw, rows = read_text_table(self.counts)
        source = str(self.counts)
        columns = self.count_columns or [c for c in raw.columns if c != self.date_column]
        require_columns(raw, [self.date_column, *columns], source=source,
                        expected="the daily tallies story.toml names")
        text = raw[self.date_column].astype(str).str.strip()
        dates = pd.to_datetime(text.where(text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")),
                               format="%Y-%m-%d", errors="coerce")
        bad = dates.isna().to_numpy()
        if bad.any():
            raise DataError("not a day", source=source, column=self.date_column,
                            rows=rows[bad], values=text[bad].tolist()[:5],
                            expected="a day written YYYY-MM-DD, one per row")
        twice = dates.duplicated(keep=False).to_numpy()
        if twice.any():
            raise DataError("a day given twice", source=source, column=self.date_column,
                            rows=rows[twice], values=text[twice].tolist()[:5],
                            expected="each day once")
        total = pd.Series(0.0, index=raw.index)
        for col in columns:
            value = pd.to_numeric(raw[col].astype(str).str.strip(), errors="coerce")
            wrong = (value.isna() | (value < 0) | (value % 1 != 0)).to_numpy()
            if wrong.any():
                raise DataError("not a count", source=source, column=col, rows=rows[wrong],
                                values=raw[col][wrong].tolist()[:5],
                                expected="a whole number >= 0 on every day (a day with no "
                                "tally is not a day with none: leave it out of the story's "
                                "period instead)")
            total += value
        out = pd.DataFrame({"date": dates.astype("datetime64[ns]"),
                            "count": total.astype("int64")}).sort_values("date")
        every = pd.date_range(out["date"].min(), out["date"].max(), freq="D")
        gaps = every.difference(pd.DatetimeIndex(out["date"]))
        if len(gaps):
            raise DataError(f"{len(gaps)} day(s) missing: "
                            + ", ".join(f"{d:%Y-%m-%d}" for d in gaps[:5])
                            + (" ..." if len(gaps) > 5 else ""), source=source,
                            column=self.date_column,
                            expected="every day from the first to the last (a missing day is "
                            "not a day with none)")
        start, end = self.span(out)
        return out[out["date"].between(start, end)].reset_index(drop=True)

    def load_events(self, **options):
        """The story's events as :func:`analysis.io.load_events` reads them (a
        :class:`~analysis.io.LoadResult`, with the rows set aside and the notes)."""
        from analysis.io import load_events

        if self.events is None:
            raise DataError("this story is daily counts, not events", source=self.name,
                            expected="story.daily_counts() (notebook 05_count_series)")
        return load_events(self.events, format=self.format, **options)

    def grouped(self, events: pd.DataFrame) -> pd.DataFrame:
        """The events with ``actor_group`` (and ``target_group``) from the story's alias
        table; with no alias table, every actor is its own group (as the names are written)."""
        from analysis.events import normalize_actors, read_aliases

        aliases = (read_aliases(self.aliases) if self.aliases else
                   pd.DataFrame({"alias": pd.Series(dtype=str), "actor_group": pd.Series(dtype=str)}))
        return normalize_actors(events, aliases)

    def truce_table(self) -> pd.DataFrame:
        """The story's truces, checked (:func:`analysis.truces.read_truces`); an empty table
        when the story has none, or its table has a header and no rows yet."""
        from analysis.truces import TRUCE_COLUMNS, read_truces, validate_truces

        if self.truces is None or header_only(self.truces):
            return validate_truces(pd.DataFrame(columns=list(TRUCE_COLUMNS), dtype=str),
                                   source=str(self.truces or "no truce table"))
        return read_truces(self.truces)

    def key_date_table(self) -> pd.DataFrame:
        """The story's key dates, checked; an empty table when it has none (yet)."""
        from analysis.key_dates import KEY_DATE_COLUMNS, read_key_dates, validate_key_dates

        if self.key_dates is None or header_only(self.key_dates):
            return validate_key_dates(pd.DataFrame(columns=list(KEY_DATE_COLUMNS), dtype=str),
                                      source=str(self.key_dates or "no key-date table"))
        return read_key_dates(self.key_dates)

    def tested_key_dates(self, key_dates: pd.DataFrame) -> pd.DataFrame:
        """The key dates whose anniversaries the story tests: those ``key_date_ids`` names
        (an id the table lacks is an error naming the closest), else every recurring one."""
        if not self.key_date_ids:
            return key_dates[key_dates["recurs"] != "none"]
        unknown = [k for k in self.key_date_ids if k not in set(key_dates["key_date_id"])]
        if unknown:
            raise DataError(f"[analysis] key_date_ids names {unknown[0]!r}, which the key-date "
                            "table does not have", source=str(self.folder / "story.toml"),
                            column="key_date_ids", expected="ids from "
                            + str(self.key_dates) + closest_hint(unknown[0], key_dates["key_date_id"]))
        return key_dates[key_dates["key_date_id"].isin(self.key_date_ids)]

    def trend_interruptions(self, counts: pd.DataFrame, truces: pd.DataFrame, *,
                            truce_id: str | None = None) -> TrendPlan:
        """What the interrupted series tests (see :class:`TrendPlan`): the truce ``truce_id``,
        else the first truce with enough periods of ``counts`` before, during and after it
        (:data:`~analysis.stats.MIN_SIDE`); the truces passed over are said, with why."""
        from analysis.stats import MIN_SIDE, interruption_sides

        last = counts["date"].max()
        skipped: list[str] = []
        candidates = truces if truce_id is None else truces[truces["truce_id"] == truce_id]
        for truce in candidates.itertuples(index=False):  # a handful of truces
            label = truce.label if isinstance(truce.label, str) and truce.label else None
            name = f"the {label}" if label else f"truce {truce.truce_id}"
            ended = pd.notna(truce.end) and truce.end < last
            dates = ({f"{name} began": truce.start,
                      f"{name} ended": truce.end + pd.Timedelta(days=1)}
                     if ended else {"the truce took effect": truce.start})
            short = (interruption_sides(counts, list(dates.values())) < MIN_SIDE).any()
            if not short:
                return TrendPlan(dates, "level" if ended else "level+slope", label, skipped)
            skipped.append(f"{name[:1].upper()}{name[1:]} ({truce.start:%-d %B %Y}) is not "
                           f"modelled: the counts need at least {MIN_SIDE} periods before, "
                           "during and after it" + (" (it lasted too short a time for them)"
                                                     if ended else "") + ".")
        return TrendPlan({}, "level+slope", None, skipped)

    def category_of(self, events: pd.DataFrame) -> str:
        """The column the charts draw rows by: the story's ``category`` when the events fill
        it, else ``event_type``."""
        column = self.category
        return column if column in events.columns and events[column].notna().any() else "event_type"

    def span(self, events: pd.DataFrame, *, chart: bool = False) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The period to count over (``chart``: the window of the timeline chart): the
        story's, each open end filled from the events' first or last date."""
        start, end = self.chart_period if chart and any(self.chart_period) else self.period
        return (pd.Timestamp(start) if start else events["date"].min(),
                pd.Timestamp(end) if end else events["date"].max())

    def within(self, events: pd.DataFrame) -> tuple[pd.DataFrame, str]:
        """The events inside the story's period, and a sentence on those left out (``""``
        when none is)."""
        start, end = self.span(events)
        inside = events["date"].between(start, end)
        out = int((~inside).sum())
        note = (f"{self.count(out)} in the file fall outside the story's period "
                f"({start:%-d %B %Y} to {end:%-d %B %Y}) and {'is' if out == 1 else 'are'} left "
                "out." if out else "")
        return events[inside], note

    @property
    def in_place(self) -> str:
        """``"in Sudan"`` (or ``""`` when the story names no place)."""
        return f"in {self.place}" if self.place else ""


def story_folder(name_or_path: str | Path | None, *, root: Path = DATA) -> Path:
    """A story's folder: ``data/<name>/``, or the folder given as a path (None: the seed
    story's, for a notebook opened without parameters)."""
    if name_or_path is None:
        from analysis.paths import SEED_STORY

        name_or_path = SEED_STORY
    path = Path(name_or_path)
    if path.is_dir() and (path / "story.toml").is_file():
        return path.resolve()
    folder = Path(root) / str(name_or_path)
    if not (folder / "story.toml").is_file():
        known = sorted(p.parent.name for p in Path(root).glob("*/story.toml"))
        raise DataError(
            f"no story called {str(name_or_path)!r}", source=str(folder / "story.toml"),
            expected=("a folder under data/ with a story.toml" + closest_hint(str(name_or_path), known)
                      + (f"; the stories are: {', '.join(known)}" if known else "")
                      + "; start one with: python -m analysis new NAME --events FILE"))
    return folder.resolve()


def load_story(name_or_path: str | Path | None = None, *, root: Path = DATA) -> Story:
    """Read and check a story's ``story.toml``; paths are resolved against its folder."""
    folder = story_folder(name_or_path, root=root)
    source = folder / "story.toml"
    try:
        settings = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"story.toml cannot be read: {exc}", source=str(source),
                        expected="TOML: [story], [data] and [analysis] tables of key = value"
                        ) from None
    values = checked_tables(settings, source)
    data = values.pop("data")
    story, analysis = values["story"], values["analysis"]

    def path(key: str) -> Path | None:
        text = data.get(key, "")
        if not text:
            return None
        shared = text.startswith(SHARED_PREFIX)
        pinned = data.get(f"{key}_sha256", "").lower()
        found = ((SHARED / text[len(SHARED_PREFIX):]) if shared else folder / text).resolve()
        if not found.is_file():
            raise (MissingDataFile if shared or pinned else DataError)(
                f"[data] {key} = {text!r}: file not found", source=str(source), column=key,
                values=[str(found)],
                expected=("the third-party data beside the project (../shared, or the folder "
                          "TRUCE_TIMELINE_SHARED names)" if shared else
                          f"the third-party file pinned by {key}_sha256: where to get it is in "
                          f"{folder / 'raw' / 'SOURCE.md'}" if pinned else
                          "an existing file (paths are relative to the story folder)"))
        if pinned and (digest := _sha256(found)) != pinned:
            raise DataError(f"[data] {key} = {text!r} is not the file the story pins",
                            source=str(source), column=f"{key}_sha256", values=[digest],
                            expected=f"SHA-256 {pinned} (the file the story was built on: "
                            "a newer export changes every count; check it, then update "
                            f"{key}_sha256)")
        return found

    if bool(data.get("events")) == bool(data.get("counts")):
        raise DataError("[data] needs events or counts, not " + ("both" if data.get("events")
                        else "neither"), source=str(source), column="events",
                        expected='events = "FILE" (one row per event) or counts = "FILE" (one '
                        'row per day, official tallies)')
    fmt = data.get("format", "auto")
    if fmt not in FORMATS:
        raise DataError(f"[data] format = {fmt!r} is not a format", source=str(source),
                        column="format", expected="one of " + ", ".join(FORMATS)
                        + closest_hint(fmt, FORMATS))
    freq = analysis.get("trend_freq", "W")
    if freq not in TREND_FREQS:
        raise DataError(f"[analysis] trend_freq = {freq!r} is not a unit", source=str(source),
                        column="trend_freq", expected="D (days), W (weeks) or MS (months)"
                        + closest_hint(freq, TREND_FREQS))
    return Story(
        name=folder.name, folder=folder,
        title=story["title"], subject=story["subject"], what=story["what"],
        one=story.get("one") or singular(story["subject"]), place=story.get("place", ""),
        period=toml_period(story.get("period"), "[story] period", source),
        source=story.get("source", ""), intro=story.get("intro", "").strip(),
        truce_question=story.get("truce_question", "").strip(),
        anniversary_question=story.get("anniversary_question", "").strip(),
        trend_question=story.get("trend_question", "").strip(),
        events=path("events"), format=fmt, counts=path("counts"),
        date_column=data.get("date_column", "date"),
        count_columns=[str(c) for c in data.get("count_columns", [])],
        truces=path("truces"), key_dates=path("key_dates"), aliases=path("aliases"),
        chart_period=toml_period(analysis.get("chart_period"), "[analysis] chart_period", source),
        story_event=analysis.get("story_event") or None,
        key_date_ids=analysis.get("key_date_ids"),
        religious_ids=list(analysis.get("religious_ids", [])),
        category=analysis.get("category", "event_type"),
        trend_freq=freq,
        anniversary_weeks=[toml_day(d, "[analysis] anniversary_weeks", source)
                           for d in analysis.get("anniversary_weeks", [])],
    )


def __getattr__(name: str):
    """``new_story`` and ``NewStory`` moved to :mod:`analysis.scaffold` (kept here for one
    release, with a warning)."""
    if name in ("new_story", "NewStory"):
        import warnings

        from analysis import scaffold

        warnings.warn(f"analysis.story.{name} is deprecated: import it from analysis.scaffold "
                      "(or analysis)", DeprecationWarning, stacklevel=2)
        return getattr(scaffold, name)
    raise AttributeError(f"module 'analysis.story' has no attribute {name!r}")
