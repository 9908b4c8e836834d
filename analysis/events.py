"""Transforms of the event table: counts on a complete calendar, and actor names to groups."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io import read_text_table
from analysis.schema import STR_DTYPE, DataError, ProblemList, require_columns, text_category

FREQS = {"D": "day", "W": "week (Monday to Sunday)", "MS": "calendar month"}


def period_start(dates: pd.Series | pd.DatetimeIndex, freq: str) -> np.ndarray:
    """The first day of the day / week (Monday) / month each date falls in, as ``datetime64[D]``.

    Examples
    --------
    >>> period_start(pd.Series(pd.to_datetime(["2020-12-20", "2020-12-21"])), "W").astype(str).tolist()
    ['2020-12-14', '2020-12-21']
    """
    days = np.asarray(dates, dtype="datetime64[D]")
    if freq == "D":
        return days
    if freq == "W":
        # 1970-01-01 was a Thursday: shift so that weeks start on Monday
        offset = (days.astype("int64") + 3) % 7
        return days - offset.astype("timedelta64[D]")
    if freq == "MS":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    raise ValueError(f"freq must be one of {', '.join(FREQS)} (not {freq!r})")


def count_events(
    events: pd.DataFrame,
    freq: str = "D",
    by: str | list[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    *,
    value: str | None = None,
) -> pd.DataFrame:
    """Count events per day, week or month on a complete calendar (quiet periods are 0).

    Requires: ``events[date]`` (and the ``by`` columns). Returns a new long table with the
    ``by`` columns, ``date`` (first day of the period: the day, the Monday of the week, the
    1st of the month) and ``count`` — every period from ``start`` to ``end`` (default: the
    first and last event) for every group, zero-filled, so count models see the quiet days.
    Events outside ``[start, end]`` are left out. With ``value="killed"`` the column holds
    the sum of that column instead of the number of events (blank counts as 0): ``killed``
    is each event's best figure (see :mod:`analysis.schema`); ``value="killed_low"`` and
    ``"killed_high"`` sum the lowest and highest figures reported (an open-ended "at least
    N" has no high figure and counts as N there too), so a sum can be given as a range.

    Examples
    --------
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2020-12-10", "2020-12-10", "2020-12-13"])})
    >>> count_events(ev)["count"].tolist()
    [2, 0, 0, 1]
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)} (not {freq!r})")
    by_cols = [by] if isinstance(by, str) else list(by or [])
    require_columns(events, ["date", *by_cols, *([value] if value else [])],
                    source="count_events", expected="an event table")
    dates = events["date"]
    if dates.isna().any():
        raise DataError("events without a date cannot be counted", source="count_events",
                        column="date", rows=np.flatnonzero(dates.isna().to_numpy())[:10],
                        expected="validated events (see validate_events)")
    periods = _calendar(dates, freq, start, end)
    result_cols = [*by_cols, "date", "count"]
    if len(periods) == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "count" else "object")
                             for c in result_cols})
    p = period_start(dates, freq)
    inside = (p >= periods[0]) & (p <= periods[-1])
    rows = events if inside.all() else events.loc[inside]  # no copy when the calendar holds all
    if freq == "MS":
        pcode = np.searchsorted(periods, p[inside])
    else:  # days or weeks: the position is arithmetic
        pcode = (p[inside] - periods[0]).astype(np.int64) // (1 if freq == "D" else 7)
    if by_cols:
        codes, groups = _group_codes(rows[by_cols])
    else:
        codes, groups = np.zeros(int(inside.sum()), dtype=np.int64), None
    n_groups = 1 if groups is None else len(groups)
    weights = None
    if value:
        weights = pd.to_numeric(rows[value], errors="coerce").fillna(0).to_numpy(float)
    counts = np.bincount(codes * len(periods) + pcode, weights=weights,
                         minlength=n_groups * len(periods))
    out = {}
    if groups is not None:
        for col in by_cols:
            out[col] = np.repeat(groups[col].to_numpy(), len(periods))
    out["date"] = np.tile(periods, n_groups).astype("datetime64[ns]")
    out["count"] = counts if value else counts.astype("int64")
    return pd.DataFrame(out)


def _calendar(dates: pd.Series, freq: str, start, end) -> np.ndarray:
    lo = pd.Timestamp(start) if start is not None else dates.min()
    hi = pd.Timestamp(end) if end is not None else dates.max()
    if pd.isna(lo) or pd.isna(hi):
        return np.array([], dtype="datetime64[D]")
    first, last = period_start(pd.Series([lo, hi]), freq)
    if freq == "D":
        return np.arange(first, last + 1, dtype="datetime64[D]")
    if freq == "W":
        return np.arange(first, last + 1, 7, dtype="datetime64[D]")
    months = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1)
    return months.astype("datetime64[D]")


def _group_codes(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """One integer per row for its combination of group values, and the sorted combinations."""
    codes = np.zeros(len(frame), dtype=np.int64)
    levels = []
    for col in frame.columns:
        c, uniques = pd.factorize(frame[col], sort=True, use_na_sentinel=False)
        codes = codes * len(uniques) + c
        levels.append(pd.Index(uniques, name=col))
    full = pd.MultiIndex.from_product(levels).to_frame(index=False)
    return codes, full


# --------------------------------------------------------------------------------------
# Actor names


def alias_key(names: pd.Series) -> pd.Series:
    """The form actor names are matched in: case-folded, no apostrophes, hyphens as spaces.

    Examples
    --------
    >>> alias_key(pd.Series(["Kata'ib  Hezbollah", "KATAIB-HEZBOLLAH"])).tolist()
    ['kataib hezbollah', 'kataib hezbollah']
    """
    text = names.astype(STR_DTYPE).str.casefold()
    text = text.str.replace(r"['’ʼ‘`]", "", regex=True).str.replace(r"[-_]", " ", regex=True)
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def casualty_text(events: pd.DataFrame, col: str = "killed") -> pd.Series:
    """A casualty figure as a reader would write it: ``5``, ``3-14`` (a range),
    ``at least 5`` (no upper figure), ``not reported`` (blank).

    Examples
    --------
    >>> ev = pd.DataFrame({"killed": pd.array([5, 3, 5, None], dtype="Int64"),
    ...                    "killed_low": pd.array([5, 3, 5, None], dtype="Int64"),
    ...                    "killed_high": pd.array([5, 14, None, None], dtype="Int64")})
    >>> casualty_text(ev).tolist()
    ['5', '3-14', 'at least 5', 'not reported']
    """
    blank = pd.Series(pd.NA, index=events.index, dtype="Int64")
    best = events[col].astype("Int64") if col in events.columns else blank
    low = events[f"{col}_low"].astype("Int64") if f"{col}_low" in events.columns else best
    high = events[f"{col}_high"].astype("Int64") if f"{col}_high" in events.columns else best
    text = best.astype(STR_DTYPE).fillna("not reported")
    ranged = (low.notna() & high.notna() & (low != high)).fillna(False)
    text = text.mask(ranged, low.astype(STR_DTYPE) + "-" + high.astype(STR_DTYPE))
    open_ended = (best.notna() & high.isna() & low.notna()).fillna(False)
    if f"{col}_high" in events.columns:
        text = text.mask(open_ended, "at least " + low.astype(STR_DTYPE))
    return text.astype(STR_DTYPE)


def read_aliases(path: str | Path) -> pd.DataFrame:
    """Read an actor alias table (``alias, actor_group, relation, source_url, reason``).

    Each alias maps one spelling or front name to an actor group. Every row needs a
    ``source_url`` or a ``reason``; an alias may appear once (after case-folding and
    removing apostrophes and hyphens). Raises :class:`DataError` otherwise.
    """
    raw, rows = read_text_table(path)
    return validate_aliases(raw, source=str(path), rows=rows)


def validate_aliases(raw: pd.DataFrame, *, source: str = "alias table", rows=None) -> pd.DataFrame:
    """Check an alias table; see :func:`read_aliases`."""
    rows = np.arange(2, 2 + len(raw)) if rows is None else np.asarray(rows)
    require_columns(raw, ["alias", "actor_group"], source=source,
                    expected="an alias table (alias, actor_group, relation, source_url, reason)")
    table = raw.copy()
    for col in ("relation", "source_url", "reason"):
        if col not in table.columns:
            table[col] = ""
    table = table.astype({c: STR_DTYPE for c in table.columns})
    for col in table.columns:
        table[col] = table[col].str.strip().replace("", np.nan)
    checks = [
        (table["alias"].isna(), "alias", "missing alias", "a name"),
        (table["actor_group"].isna(), "actor_group", "missing actor group", "a group name"),
        (table["source_url"].isna() & table["reason"].isna(), "source_url",
         "alias without a source or a reason", "a source_url or a reason for the mapping"),
        (alias_key(table["alias"]).duplicated(keep=False) & table["alias"].notna(), "alias",
         "alias listed more than once", "each alias (ignoring case, apostrophes, hyphens) once"),
    ]
    found = ProblemList(source, rows)
    for mask, col, problem, expected in checks:
        found.check(mask.to_numpy(), col, problem, expected, table[col].astype(object).to_numpy())
    found.raise_all()
    return table.reset_index(drop=True)


#: actor names (as :func:`alias_key` gives them) that say the perpetrator is not known
UNIDENTIFIED = r"^(?:unidentified|unknown)\b"


def normalize_actors(events: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Fill ``actor_group`` from an alias table (spellings, front groups, umbrella names).

    Requires: ``events[actor]``; ``aliases[alias, actor_group]`` (see :func:`read_aliases`).
    Returns a new table where ``actor_group`` is the alias table's group for the actor when
    the actor is listed (matched ignoring case, apostrophes and hyphens), else the group the
    source already gave, else the actor's own name, except a name that says the perpetrator
    is not known (:data:`UNIDENTIFIED`: ACLED's "Unidentified Armed Group (Iraq)", "unknown
    gunmen"): that leaves the group blank, so :func:`analysis.truces.flag_violations` treats
    the attack as one with no named actor (a suspected violation when in scope). Adds
    ``actor_matched`` (True when the alias table decided the group), so unlisted names are
    easy to review, and ``target_group`` from ``target`` by the same rules when the table has
    a target (ACLED's actor2, UCDP's side_b): truces limited to fighting between their parties
    need it. Inputs are not modified.

    Examples
    --------
    >>> ev = pd.DataFrame({"actor": ["Kata'ib Hizballah", "Qasem al-Jabbarin", "Someone",
    ...                              "Unidentified Armed Group (Iraq)"]})
    >>> al = pd.DataFrame({"alias": ["Kataib Hizballah", "Qasem al-Jabbarin"],
    ...                    "actor_group": ["Kataib Hezbollah", "Iran-aligned resistance factions"]})
    >>> normalize_actors(ev, al)["actor_group"].tolist()
    ['Kataib Hezbollah', 'Iran-aligned resistance factions', 'Someone', nan]
    """
    require_columns(events, ["actor"], source="normalize_actors", expected="an event table")
    lookup = pd.Series(aliases["actor_group"].to_numpy(), index=alias_key(aliases["alias"]))
    group, matched = _groups(events["actor"], events.get("actor_group"), lookup)
    out = events.assign(actor_group=group, actor_matched=matched)
    if "target" in events.columns:  # who was hit, in the same groups (truces between parties)
        out["target_group"], _ = _groups(events["target"], events.get("target_group"), lookup)
    return out


def _groups(names_of_rows: pd.Series, given_of_rows: pd.Series | None,
            lookup: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Each row's group (the alias table's, else the one given, else the name itself; blank
    for a name that says the actor is not known) and whether the alias table decided it.
    Decided once per distinct name, then spread over the rows as integer codes."""
    index = names_of_rows.index
    actor = text_category(names_of_rows)
    given = text_category(given_of_rows if given_of_rows is not None
                          else pd.Series(np.nan, index=index, dtype=object))
    names = actor.cat.categories
    keys = alias_key(pd.Series(names))
    mapped = lookup.reindex(keys).to_numpy()
    unidentified = keys.str.contains(UNIDENTIFIED).to_numpy(bool)  # no group of their own
    groups = pd.Index(np.concatenate([mapped[pd.notna(mapped)], given.cat.categories,
                                      names[~unidentified]]),
                      dtype=STR_DTYPE).unique().sort_values()

    def codes(values, row_codes: np.ndarray) -> np.ndarray:
        return np.append(groups.get_indexer(values), -1)[row_codes]

    a = actor.cat.codes.to_numpy()
    from_alias = codes(mapped, a)
    from_given = codes(given.cat.categories, given.cat.codes.to_numpy())
    from_own = codes(names.where(~unidentified), a)
    code = np.where(from_alias >= 0, from_alias, np.where(from_given >= 0, from_given, from_own))
    used = np.bincount(code + 1, minlength=len(groups) + 1)[1:] > 0  # only groups present
    code = np.append(np.cumsum(used) - 1, -1)[code]
    group = pd.Categorical.from_codes(code, categories=groups[used], validate=False)
    return pd.Series(group, index=index), from_alias >= 0


def quality_summary(events: pd.DataFrame) -> pd.DataFrame:
    """How complete each canonical column is: filled and blank counts, and the blank share.

    Examples
    --------
    >>> ev = pd.DataFrame({"event_id": ["a", "b"], "killed": pd.array([1, None], dtype="Int64")})
    >>> quality_summary(ev)[["column", "filled", "blank"]].to_numpy().tolist()
    [['event_id', 2, 0], ['killed', 1, 1]]
    """
    blank = events.isna().sum()
    out = pd.DataFrame({"column": events.columns, "filled": len(events) - blank.to_numpy(),
                        "blank": blank.to_numpy()})
    out["share_blank"] = (out["blank"] / max(len(events), 1)).round(3)
    return out


def check_daily_counts(counts: pd.DataFrame, *, who: str) -> pd.DataFrame:
    """Counts must be a complete daily calendar (``date``, ``count``), as count_events gives."""
    require_columns(counts, ["date", "count"], source=who,
                    expected="daily counts from count_events(events, 'D')")
    c = counts.sort_values("date", ignore_index=True)
    gaps = np.diff(c["date"].to_numpy("datetime64[D]")).astype(int)
    if len(c) and (gaps != 1).any():
        bad = np.flatnonzero(gaps != 1)[:10]
        raise DataError("days are missing or repeated in the count table", source=who,
                        column="date", rows=bad,
                        values=c["date"].dt.strftime("%Y-%m-%d").to_numpy()[bad].tolist(),
                        expected="one row per day with quiet days as 0 (count_events(events, 'D'))")
    if (c["count"] < 0).any() or c["count"].isna().any():
        raise DataError("counts must be whole numbers >= 0", source=who, column="count",
                        expected="event counts")
    return c
