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

import datetime as dt
import difflib
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.paths import BUILD, DATA, FIGURES, SHARED
from analysis.schema import DataError

#: a path in ``story.toml`` that starts so is read from the third-party data beside the
#: project (``../shared``; never copied into it)
SHARED_PREFIX = "shared:"


class MissingDataFile(DataError):
    """A story's third-party file, kept out of the project, is absent here: one in the data
    beside the project (``shared:``, a machine without ``../shared``) or one pinned by its
    checksum (``events_sha256``; where to get it is in the story's ``raw/SOURCE.md``). The
    story cannot be built on this machine."""


#: the keys ``story.toml`` may hold, per table, with their type
KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "story": {"title": str, "subject": str, "one": str, "what": str, "place": str,
              "period": list, "source": str, "intro": str, "truce_question": str,
              "anniversary_question": str, "trend_question": str},
    "data": {"events": str, "events_sha256": str, "counts": str, "counts_sha256": str,
             "format": str, "date_column": str,
             "count_columns": list, "truces": str, "key_dates": str, "aliases": str},
    "analysis": {"chart_period": list, "story_event": str, "key_date_ids": list,
                 "religious_ids": list, "category": str, "trend_freq": str,
                 "anniversary_weeks": list},
}
REQUIRED = {"story": ("title", "subject", "what")}
FORMATS = ("auto", "incidents", "acled", "ucdp", "gdelt", "sigacts")
TREND_FREQS = ("D", "W", "MS")
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
        missing = [c for c in [self.date_column, *columns] if c not in raw.columns]
        if missing:
            raise DataError(f"missing column(s) {', '.join(map(repr, missing))}", source=source,
                            expected="the columns story.toml names (found: "
                            + ", ".join(raw.columns) + ")" + _closest(missing[0], raw.columns))
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

        if self.truces is None or _header_only(self.truces):
            return validate_truces(pd.DataFrame(columns=list(TRUCE_COLUMNS), dtype=str),
                                   source=str(self.truces or "no truce table"))
        return read_truces(self.truces)

    def key_date_table(self) -> pd.DataFrame:
        """The story's key dates, checked; an empty table when it has none (yet)."""
        from analysis.anniversaries import KEY_DATE_COLUMNS, read_key_dates, validate_key_dates

        if self.key_dates is None or _header_only(self.key_dates):
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
                            + str(self.key_dates) + _closest(unknown[0], key_dates["key_date_id"]))
        return key_dates[key_dates["key_date_id"].isin(self.key_date_ids)]

    def trend_interruptions(self, counts: pd.DataFrame, truces: pd.DataFrame, *,
                            truce_id: str | None = None) -> TrendPlan:
        """What the interrupted series tests (see :class:`TrendPlan`): the truce ``truce_id``,
        else the first truce with enough periods of ``counts`` before, during and after it
        (:data:`~analysis.models.MIN_SIDE`); the truces passed over are said, with why."""
        from analysis.models import MIN_SIDE, interruption_sides

        last = counts["date"].max()
        skipped = []
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
            expected=("a folder under data/ with a story.toml" + _closest(name_or_path, known)
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
    values = _checked(settings, source)
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
                        + _closest(fmt, FORMATS))
    freq = analysis.get("trend_freq", "W")
    if freq not in TREND_FREQS:
        raise DataError(f"[analysis] trend_freq = {freq!r} is not a unit", source=str(source),
                        column="trend_freq", expected="D (days), W (weeks) or MS (months)"
                        + _closest(freq, TREND_FREQS))
    return Story(
        name=folder.name, folder=folder,
        title=story["title"], subject=story["subject"], what=story["what"],
        one=story.get("one") or _singular(story["subject"]), place=story.get("place", ""),
        period=_period(story.get("period"), "[story] period", source),
        source=story.get("source", ""), intro=story.get("intro", "").strip(),
        truce_question=story.get("truce_question", "").strip(),
        anniversary_question=story.get("anniversary_question", "").strip(),
        trend_question=story.get("trend_question", "").strip(),
        events=path("events"), format=fmt, counts=path("counts"),
        date_column=data.get("date_column", "date"),
        count_columns=[str(c) for c in data.get("count_columns", [])],
        truces=path("truces"), key_dates=path("key_dates"), aliases=path("aliases"),
        chart_period=_period(analysis.get("chart_period"), "[analysis] chart_period", source),
        story_event=analysis.get("story_event") or None,
        key_date_ids=analysis.get("key_date_ids"),
        religious_ids=list(analysis.get("religious_ids", [])),
        category=analysis.get("category", "event_type"),
        trend_freq=freq,
        anniversary_weeks=[_day(d, "[analysis] anniversary_weeks", source)
                           for d in analysis.get("anniversary_weeks", [])],
    )


def _checked(settings: dict, source: Path) -> dict[str, dict]:
    """The three tables, every key known and of its type, the required keys present."""
    unknown = [t for t in settings if t not in KEYS]
    if unknown:
        raise DataError(f"unknown table [{unknown[0]}]", source=str(source),
                        expected="the tables [story], [data] and [analysis]"
                        + _closest(unknown[0], KEYS))
    out = {}
    for table, keys in KEYS.items():
        given = settings.get(table, {})
        if not isinstance(given, dict):
            raise DataError(f"{table} is not a table", source=str(source),
                            expected=f"a [{table}] table of key = value lines")
        for key, value in given.items():
            if key not in keys:
                raise DataError(f"[{table}] has an unknown key {key!r}", source=str(source),
                                column=key, expected="one of " + ", ".join(keys)
                                + _closest(key, keys))
            if not isinstance(value, keys[key]):
                raise DataError(f"[{table}] {key} is a {type(value).__name__}", source=str(source),
                                column=key, values=[value],
                                expected=f"a {keys[key].__name__} (see analysis/story.py)")
        for key in REQUIRED.get(table, ()):
            if not str(given.get(key, "")).strip():
                raise DataError(f"[{table}] {key} is missing", source=str(source), column=key,
                                expected=f"{key} = \"...\" under [{table}]")
        out[table] = dict(given)
    return out


def _day(value: object, where: str, source: Path) -> str:
    """A whole day as ``YYYY-MM-DD`` (a TOML date, or text that reads as one)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat() if re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", str(value)) else _bad_day(value, where, source)
    except ValueError:
        return _bad_day(value, where, source)


def _bad_day(value: object, where: str, source: Path):
    raise DataError(f"{where}: {value!r} is not a day", source=str(source), values=[value],
                    expected="a day written YYYY-MM-DD that exists in the calendar (a month "
                    "alone, 2020-10, is not a day)")


def _period(value: list | None, where: str, source: Path) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if len(value) != 2:
        raise DataError(f"{where} has {len(value)} value(s)", source=str(source), values=value,
                        expected='two days: ["YYYY-MM-DD", "YYYY-MM-DD"] ("" for open)')
    start, end = (None if v in ("", None) else _day(v, where, source) for v in value)
    if start and end and start > end:
        raise DataError(f"{where} starts after it ends", source=str(source), values=value,
                        expected="the first day, then the last")
    return start, end


def _header_only(path: Path) -> bool:
    """Whether a CSV table holds a header and no data row yet (a table ``new`` wrote)."""
    with Path(path).open(encoding="utf-8-sig") as fh:
        return not any(line.strip() for line in list(fh)[1:])


def _singular(plural: str) -> str:
    """A plural noun's singular, for the regular English forms (``clashes`` -> ``clash``)."""
    if re.search(r"(ss|sh|ch|x|z)es$", plural):
        return plural[:-2]
    if plural.endswith("ies") and len(plural) > 4:
        return plural[:-3] + "y"
    return plural[:-1] if plural.endswith("s") and not plural.endswith("ss") else plural


def _closest(word: str, choices) -> str:
    near = difflib.get_close_matches(str(word), list(choices), n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


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
    result: object  # the LoadResult of the events
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
    from analysis.anniversaries import KEY_DATE_COLUMNS
    from analysis.io import load_events, write_csv
    from analysis.io.write import write_atomic
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
    from analysis.anniversaries import KEY_DATE_COLUMNS
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
