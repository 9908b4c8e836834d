"""Reference implementations for the benchmarks: row-wise pandas and DuckDB SQL.

Each operation of the library timed by ``benchmarks/run.py`` has two independent equivalents
here, written only to time the library against and to check its results:

* ``rowwise_*``: the straightforward implementation a reporter might write first: one Python
  iteration per row (``DataFrame.iterrows``), dictionaries and ``re``; a loop over the truces
  or key-date occurrences inside the loop over rows.
* ``duck_*``: the same operation as DuckDB SQL on tables inside a DuckDB connection: a join
  to the alias table, ``date_trunc`` + ``GROUP BY`` on a complete calendar, an interval join
  for truces, and a join to the key-date occurrence table for anniversary windows.

The anniversary occurrences (Gregorian and Umm al-Qura dates of each key date in the period)
come from :func:`analysis.anniversaries.anniversary_occurrences` in all three versions: it
is a calendar conversion over a few hundred dates, not a per-row operation.

``project_*`` and ``compare`` reduce results to the columns that must agree and compare them
exactly (as sets of rows; row order is not part of the contract).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.anniversaries import anniversary_occurrences
from analysis.events import UNIDENTIFIED
from analysis.schema import ATTRIBUTIONS, CATEGORY_COLUMNS, EVENT_COLUMNS, PRECISIONS, text_category

OPEN_END = pd.Timestamp.max.normalize()  # what flag_violations takes a blank truce end to be
SCOPE = {"target_types": "target_type", "countries": "country", "admin1": "admin1",
         "event_types": "event_type"}
TERRITORY = ("countries", "admin1")  # an event falls in a truce only inside its territory
KIND = ("target_types", "event_types")  # in_scope: what was attacked and how

# --------------------------------------------------------------------------------------
# Row-wise pandas


_APOSTROPHES = re.compile(r"['’ʼ‘`]")
_DASHES = re.compile(r"[-_]")
_SPACES = re.compile(r"\s+")
_URL = re.compile(r"^https?://\S+$")
_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def key(name) -> str | None:
    """One name in the form aliases are matched in (case-folded, no apostrophes, - _ as space)."""
    if _missing(name):
        return None
    text = _DASHES.sub(" ", _APOSTROPHES.sub("", str(name).casefold()))
    return _SPACES.sub(" ", text).strip()


def _text(value) -> str | None:
    if _missing(value):
        return None
    text = str(value).strip()
    return text or None


def _day(value) -> tuple[pd.Timestamp | None, str | None, bool]:
    """(date, precision implied by a partial date, readable) for one cell."""
    if _missing(value):
        return None, None, True
    if isinstance(value, pd.Timestamp | dt.date):
        return pd.Timestamp(value).normalize(), None, True
    text = str(value).strip()
    if not text:
        return None, None, True
    implied = "month" if _YEAR_MONTH.fullmatch(text) else "year" if _YEAR.fullmatch(text) else None
    try:
        if implied == "month":
            return pd.Timestamp(int(text[:4]), int(text[5:7]), 1), implied, True
        if implied == "year":
            return pd.Timestamp(int(text), 1, 1), implied, True
        return pd.Timestamp(dt.date.fromisoformat(text[:10])), None, len(text) == 10
    except ValueError:
        return None, None, False


def _number(value, whole: bool) -> tuple[float | None, bool]:
    if _missing(value):
        return None, True
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        if not text:
            return None, True
        try:
            number = float(text)
        except ValueError:
            return None, False
    if number != number or (whole and not (abs(number) < 2**53 and number % 1 == 0)):
        return None, False  # "nan", or no whole number a double holds exactly
    return number, True


def _choice(value, allowed: tuple[str, ...], default: str) -> tuple[str, bool]:
    text = _text(value)
    if text is None:
        return default, True
    text = text.lower()
    return (text, True) if text in allowed else (default, False)


def _row(values: dict, label, problems: list) -> dict:
    """One row converted to canonical values; problems appended as (row, column, problem)."""
    out = {}
    for col, dtype in EVENT_COLUMNS.items():
        raw = values.get(col)
        if col in ("date", "date_start", "date_end"):
            out[col], implied, ok = _day(raw)
            if col == "date":
                out["_implied"] = implied
        elif dtype in ("Int64", "Float64"):
            out[col], ok = _number(raw, whole=dtype == "Int64")
        elif col == "date_precision":
            out[col], ok = _choice(raw, PRECISIONS, "day")
        elif col == "attribution":
            out[col], ok = _choice(raw, ATTRIBUTIONS, "unknown")
        else:
            out[col], ok = _text(raw), True
        if not ok:
            problems.append((label, col, "value could not be read"))
    implied, stated = out.pop("_implied"), _text(values.get("date_precision"))
    if implied and stated is None:
        out["date_precision"] = implied
    elif implied and stated.lower() not in (implied, "range"):
        problems.append((label, "date_precision", "date is partial but date_precision says otherwise"))
    date, precision = out["date"], out["date_precision"]
    if date is not None:
        start = end = date
        if precision == "week":
            start, end = date - pd.Timedelta(days=3), date + pd.Timedelta(days=3)
        elif precision == "month":
            start = date.replace(day=1)
            end = start + pd.offsets.MonthEnd(0)
        elif precision == "year":
            start, end = date.replace(month=1, day=1), date.replace(month=12, day=31)
        out["date_start"] = out["date_start"] if out["date_start"] is not None else start
        out["date_end"] = out["date_end"] if out["date_end"] is not None else end
    return out


def _checks(records: list[dict], labels: list, problems: list) -> None:
    """The rules between cells and between rows, one row at a time."""
    seen: Counter = Counter(r["event_id"] for r in records if r["event_id"] is not None)
    unread = {(label, col) for label, col, _ in problems}
    for r, label in zip(records, labels, strict=True):
        if r["event_id"] is None and (label, "event_id") not in unread:
            problems.append((label, "event_id", "missing event id"))
        if r["event_id"] is not None and seen[r["event_id"]] > 1:
            problems.append((label, "event_id", "duplicate event id"))
        if r["date"] is None and (label, "date") not in unread:
            problems.append((label, "date", "missing date"))
        if r["date"] is not None and r["date_start"] is not None and r["date_start"] > r["date"]:
            problems.append((label, "date_start", "date_start after date"))
        if r["date"] is not None and r["date_end"] is not None and r["date_end"] < r["date"]:
            problems.append((label, "date_end", "date_end before date"))
        for col in ("killed", "wounded"):
            if r[col] is not None and r[col] < 0:
                problems.append((label, col, "negative count"))
        for col, limit in (("latitude", 90), ("longitude", 180)):
            if r[col] is not None and abs(r[col]) > limit:
                problems.append((label, col, f"{col} out of range"))
        if r["source_url"] is not None and not _URL.match(r["source_url"]):
            problems.append((label, "source_url", "not a web address"))


def _table(records: list[dict], index) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(EVENT_COLUMNS), index=index)
    for col in ("date", "date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col])
    return frame.astype(EVENT_COLUMNS).apply(
        lambda s: text_category(s) if s.name in CATEGORY_COLUMNS else s)


def rowwise_validate(df: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple]]:
    """Row-wise :func:`analysis.schema.check_events`: (canonical table, problems).

    Problems are ``(row label, column, problem)``; extra columns are not carried.
    """
    records, labels, problems = [], [], []
    for label, row in df.iterrows():
        records.append(_row(row.to_dict(), label, problems))
        labels.append(label)
    _checks(records, labels, problems)
    return _table(records, df.index), problems


def rowwise_read_csv(path: str | Path, nrows: int | None = None) -> tuple[pd.DataFrame, list]:
    """Row-wise reading of an incident CSV (``csv`` module, one dict per row) and checking.

    Reads the first ``nrows`` data rows; rows are labelled as a spreadsheet shows them.
    """
    records, labels, problems = [], [], []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(itertools.islice(csv.DictReader(fh), nrows), start=2):
            records.append(_row(row, number, problems))
            labels.append(number)
    _checks(records, labels, problems)
    return _table(records, pd.RangeIndex(len(records))), problems


def rowwise_normalize(events: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Row-wise :func:`analysis.events.normalize_actors`: a dict lookup per row."""
    lookup = {key(a): g for a, g in zip(aliases["alias"], aliases["actor_group"], strict=True)}
    groups, matched = [], []
    for _, row in events.iterrows():
        found = lookup.get(key(row["actor"]))
        if found is None:
            found = row.get("actor_group")
            if _missing(found):
                found = (None if _missing(row["actor"])
                         or re.match(UNIDENTIFIED, key(row["actor"])) else str(row["actor"]).strip())
        groups.append(found)
        matched.append(lookup.get(key(row["actor"])) is not None)
    return events.assign(actor_group=text_category(pd.Series(groups, index=events.index, dtype=object)),
                         actor_matched=matched)


def rowwise_count(events: pd.DataFrame, by: str) -> pd.DataFrame:
    """Row-wise daily :func:`analysis.events.count_events` by one column: a Counter per row,
    then every (group, day) of the complete calendar."""
    counter: Counter = Counter()
    first = last = None
    for _, row in events.iterrows():
        day = row["date"].normalize()
        group = None if _missing(row[by]) else row[by]
        counter[(group, day)] += 1
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    groups = sorted({g for g, _ in counter}, key=lambda g: (g is None, g or ""))
    days = pd.date_range(first, last, freq="D")
    rows = [(g, d, counter.get((g, d), 0)) for g in groups for d in days]
    return pd.DataFrame(rows, columns=[by, "date", "count"])


def _truce_rules(truces: pd.DataFrame) -> list[dict]:
    """Each truce's dates and key sets (a loop over truces, not rows)."""
    rules = []
    for t in truces.itertuples(index=False):
        def keys(value):
            return None if _missing(value) else {key(x) for x in str(value).split("; ")}
        rules.append({"truce_id": t.truce_id, "start": t.start,
                      "end": OPEN_END if pd.isna(t.end) else t.end,
                      "parties": keys(t.parties),
                      **{col: keys(getattr(t, col)) for col in SCOPE}})
    return rules


def rowwise_flag(
    events: pd.DataFrame,
    truces: pd.DataFrame,
    *,
    grace_days: int = 0,
    include_unattributed: bool = True,
    count_tiers=("claimed", "attributed"),
) -> pd.DataFrame:
    """Row-wise :func:`analysis.truces.flag_violations`: for each event, for each truce.

    Returns the flag columns only (``event_id, date, truce_id`` and the flags): one row per
    (event, truce) whose dates overlap with the event inside the truce's territory
    (``countries`` / ``admin1``, blank = anywhere); an event in no truce gives no row.
    ``in_scope`` is about target and event types.
    """
    rules = _truce_rules(truces)
    out = []
    for _, ev in events.iterrows():
        date = ev["date"]
        lo = ev["date_start"] if not _missing(ev.get("date_start")) else date
        hi = ev["date_end"] if not _missing(ev.get("date_end")) else date
        group = ev.get("actor_group")
        no_actor = _missing(group)
        attribution = "unknown" if _missing(ev.get("attribution")) else str(ev["attribution"])
        for t in rules:
            if not (lo <= t["end"] and hi >= t["start"]):
                continue
            if not all(t[col] is None or (key(ev.get(SCOPE[col])) or "") in t[col]
                       for col in TERRITORY):
                continue
            in_truce = t["start"] <= date <= t["end"]
            straddles = (lo < t["start"] <= hi) or (lo <= t["end"] < hi)
            in_scope = all(t[col] is None or (key(ev.get(SCOPE[col])) or "") in t[col]
                           for col in KIND)
            is_party = not no_actor and key(group) in t["parties"]
            if is_party and attribution in ("claimed", "attributed"):
                tier = attribution
            elif is_party or (no_actor and include_unattributed):
                tier = "suspected"
            else:
                tier = None
            grace_end = t["start"] + pd.Timedelta(days=grace_days)
            candidate = in_scope and tier is not None
            violation = candidate and in_truce and date >= grace_end
            possible = candidate and straddles and hi >= grace_end
            tier = tier if violation or possible else None
            out.append({"event_id": ev["event_id"], "date": date, "truce_id": t["truce_id"],
                        "is_violation": violation, "violation_tier": tier,
                        "is_possible_violation": possible,
                        "counted": violation and tier in count_tiers, "in_truce": in_truce,
                        "in_scope": in_scope, "is_party": is_party,
                        "days_into_truce": (date - t["start"]).days})
    out.sort(key=lambda r: (r["truce_id"], r["date"], r["event_id"]))
    number: Counter = Counter()
    days: dict = {}
    for r in out:
        r["violation_number"] = r["violation_day"] = None
        if r["counted"]:
            number[r["truce_id"]] += 1
            seen = days.setdefault(r["truce_id"], set())
            seen.add(r["date"])
            r["violation_number"], r["violation_day"] = number[r["truce_id"]], len(seen)
    return pd.DataFrame(out)


def occurrences(key_dates: pd.DataFrame, dates: pd.Series, *, before=None, after=None,
                include_original: bool = False) -> pd.DataFrame:
    """The key-date occurrence table ``add_anniversary_window`` uses (same period, same order),
    with ``before`` / ``after`` overriding every key date's window when given."""
    reach = pd.Timedelta(days=400)
    occ = anniversary_occurrences(key_dates, dates.min() - reach, dates.max() + reach,
                                  include_original=include_original)
    occ = occ.assign(before=before if before is not None else occ["before"],
                     after=after if after is not None else occ["after"])
    return occ.reset_index(drop=True)


def rowwise_windows(events: pd.DataFrame, key_dates: pd.DataFrame, *, before=None, after=None,
                    include_original: bool = False) -> pd.DataFrame:
    """Row-wise :func:`analysis.anniversaries.add_anniversary_window`: every occurrence per row.

    Returns ``event_id, key_date_id, occurrence, days_to_anniversary, in_window``.
    """
    occ = occurrences(key_dates, events["date"], before=before, after=after,
                      include_original=include_original)
    table = list(occ[["key_date_id", "occurrence", "before", "after"]].itertuples(index=False))
    out = []
    for _, ev in events.iterrows():
        date = ev["date"].normalize()
        best = None
        for i, (kd, when, b, a) in enumerate(table):
            diff = (date - when).days
            inside = -b <= diff <= a
            rank = (not inside, 2 * abs(diff) + (diff > 0), i)
            if best is None or rank < best[0]:
                best = (rank, kd, when, diff, inside)
        out.append({"event_id": ev["event_id"], "key_date_id": best[1], "occurrence": best[2],
                    "days_to_anniversary": best[3], "in_window": best[4]})
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------
# DuckDB SQL

AKEY_MACRO = r"""
CREATE OR REPLACE MACRO akey(s) AS
    trim(regexp_replace(regexp_replace(regexp_replace(lower(s), '[''’ʼ‘`]', '', 'g'),
                                       '[-_]', ' ', 'g'), '\s+', ' ', 'g'));
"""

#: canonical column -> DuckDB type, for reading the incident CSV
CSV_TYPES = {c: ("DATE" if str(t).startswith("datetime") else "BIGINT" if t == "Int64"
                 else "DOUBLE" if t == "Float64" else "VARCHAR") for c, t in EVENT_COLUMNS.items()}


def run(con, sql: str, params=None) -> list:
    """Execute ``sql`` and fetch its result (DuckDB 2 wants every result consumed)."""
    return con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()


def duck_connect(*, memory_limit: str = "6GB", threads: int | None = None,
                 temp_directory: str | None = None):
    """An in-memory DuckDB connection with the ``akey`` macro (the alias-matching form)."""
    import duckdb

    con = duckdb.connect(":memory:")
    run(con, f"SET memory_limit = '{memory_limit}'")
    run(con, "SET preserve_insertion_order = false")
    if threads:
        run(con, f"SET threads = {int(threads)}")
    if temp_directory:
        run(con, f"SET temp_directory = '{temp_directory}'")
    run(con, AKEY_MACRO)
    return con


def duck_read_parquet(con, path, table: str = "events") -> None:
    run(con, f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_parquet(?)", [str(path)])


def duck_read_csv(con, path, table: str = "events") -> None:
    columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in CSV_TYPES.items()) + "}"
    run(con, f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM "
                f"read_csv(?, header = true, columns = {columns}, dateformat = '%Y-%m-%d')",
                [str(path)])


def duck_validate(con, table: str = "events") -> dict[tuple[str, str], int]:
    """The checks of ``validate_events`` as one SQL query: (column, problem) -> rows."""
    row = run(con, f"""
        WITH dup AS (SELECT coalesce(sum(n), 0) AS n FROM
                     (SELECT count(*) AS n FROM {table} WHERE event_id IS NOT NULL
                      GROUP BY event_id HAVING count(*) > 1))
        SELECT
          count(*) FILTER (WHERE event_id IS NULL),
          (SELECT n FROM dup),
          count(*) FILTER (WHERE date IS NULL),
          count(*) FILTER (WHERE date_start > date),
          count(*) FILTER (WHERE date_end < date),
          count(*) FILTER (WHERE killed < 0),
          count(*) FILTER (WHERE wounded < 0),
          count(*) FILTER (WHERE abs(latitude) > 90),
          count(*) FILTER (WHERE abs(longitude) > 180),
          count(*) FILTER (WHERE source_url IS NOT NULL
                           AND NOT regexp_full_match(source_url, '^https?://\\S+$'))
        FROM {table}""")[0]
    names = [("event_id", "missing event id"), ("event_id", "duplicate event id"),
             ("date", "missing date"), ("date_start", "date_start after date"),
             ("date_end", "date_end before date"), ("killed", "negative count"),
             ("wounded", "negative count"), ("latitude", "latitude out of range"),
             ("longitude", "longitude out of range"), ("source_url", "not a web address")]
    return {name: int(n) for name, n in zip(names, row, strict=True) if n}


def duck_normalize(con, aliases: pd.DataFrame, source: str = "events", out: str = "norm") -> None:
    """``normalize_actors`` as SQL: each distinct actor name joined to the alias table."""
    register(con, "aliases_df", aliases[["alias", "actor_group"]])
    run(con, f"""
        CREATE OR REPLACE TABLE {out} AS
        WITH a AS (SELECT akey(alias) AS k, actor_group AS g FROM aliases_df),
             names AS (SELECT DISTINCT actor FROM {source} WHERE actor IS NOT NULL),
             m AS (SELECT names.actor, a.g FROM names JOIN a ON akey(names.actor) = a.k)
        SELECT e.* REPLACE (coalesce(m.g, e.actor_group,
                                     CASE WHEN NOT regexp_matches(akey(e.actor), '{UNIDENTIFIED}')
                                          THEN trim(e.actor) END) AS actor_group),
               m.g IS NOT NULL AS actor_matched
        FROM {source} e LEFT JOIN m ON e.actor = m.actor""")
    con.unregister("aliases_df")


def duck_count(con, by: str = "actor_group", source: str = "norm", out: str = "counts") -> None:
    """Daily ``count_events`` by one column: GROUP BY on date_trunc, on a complete calendar."""
    run(con, f"""
        CREATE OR REPLACE TABLE {out} AS
        WITH ev AS (SELECT {by} AS g, CAST(date_trunc('day', date) AS DATE) AS d FROM {source}),
             span AS (SELECT min(d) AS lo, max(d) AS hi FROM ev),
             cal AS (SELECT CAST(unnest(generate_series(lo, hi, INTERVAL 1 DAY)) AS DATE) AS d
                     FROM span),
             grp AS (SELECT DISTINCT g FROM ev),
             c AS (SELECT g, d, count(*) AS n FROM ev GROUP BY g, d)
        SELECT grp.g AS {by}, cal.d AS date, coalesce(c.n, 0) AS count
        FROM grp CROSS JOIN cal
        LEFT JOIN c ON c.g IS NOT DISTINCT FROM grp.g AND c.d = cal.d""")


def _key_list(column: str) -> str:
    return (f"CASE WHEN {column} IS NULL THEN NULL "
            f"ELSE list_transform(string_split({column}, '; '), lambda x: akey(x)) END")


def duck_flag(con, truces: pd.DataFrame, *, grace_days: int = 0,
              include_unattributed: bool = True, count_tiers=("claimed", "attributed"),
              source: str = "norm", out: str = "flagged") -> None:
    """``flag_violations`` as SQL: an interval join of events to truces within the truces'
    territory, then the flags and the numbering as window functions."""
    register(con, "truces_df", truces[["truce_id", "start", "end", "parties", *SCOPE]])
    tiers = ", ".join(f"'{t}'" for t in count_tiers) or "NULL"
    run(con, f"""
        CREATE OR REPLACE TABLE {out} AS
        WITH t AS (
            SELECT truce_id, CAST(start AS DATE) AS s,
                   CAST(coalesce("end", TIMESTAMP '{OPEN_END:%Y-%m-%d}') AS DATE) AS e,
                   {_key_list('parties')} AS pk, {_key_list('target_types')} AS tk,
                   {_key_list('countries')} AS ck, {_key_list('admin1')} AS ak,
                   {_key_list('event_types')} AS ek
            FROM truces_df),
        ev AS (
            SELECT *, CAST(date AS DATE) AS _d,
                   CAST(coalesce(date_start, date) AS DATE) AS _lo,
                   CAST(coalesce(date_end, date) AS DATE) AS _hi,
                   coalesce(akey(target_type), '') AS _tt, coalesce(akey(country), '') AS _co,
                   coalesce(akey(admin1), '') AS _a1, coalesce(akey(event_type), '') AS _et,
                   akey(actor_group) AS _gk, actor_group IS NULL AS _no_actor,
                   coalesce(CAST(attribution AS VARCHAR), 'unknown') AS _attr
            FROM {source}),
        p AS (
            SELECT ev.*, t.truce_id, t.s AS _s,
                   ev._d BETWEEN t.s AND t.e AS in_truce,
                   (ev._lo < t.s AND ev._hi >= t.s) OR (ev._lo <= t.e AND ev._hi > t.e) AS _straddles,
                   (t.tk IS NULL OR list_contains(t.tk, ev._tt))
                   AND (t.ek IS NULL OR list_contains(t.ek, ev._et)) AS in_scope,
                   (NOT ev._no_actor) AND list_contains(t.pk, ev._gk) AS is_party
            FROM ev JOIN t ON ev._lo <= t.e AND ev._hi >= t.s
                 AND (t.ck IS NULL OR list_contains(t.ck, ev._co))
                 AND (t.ak IS NULL OR list_contains(t.ak, ev._a1))),
        q AS (
            SELECT *, CASE WHEN is_party AND _attr IN ('claimed', 'attributed') THEN _attr
                           WHEN is_party OR (_no_actor AND {str(include_unattributed).lower()})
                           THEN 'suspected' END AS _tier
            FROM p),
        r AS (
            SELECT *, in_scope AND _tier IS NOT NULL AND in_truce
                      AND _d >= _s + {int(grace_days)} AS is_violation,
                      in_scope AND _tier IS NOT NULL AND _straddles
                      AND _hi >= _s + {int(grace_days)} AS is_possible_violation
            FROM q),
        f AS (
            SELECT *, CASE WHEN is_violation OR is_possible_violation THEN _tier END
                          AS violation_tier,
                      is_violation AND _tier IN ({tiers}) AS counted,
                      datediff('day', _s, _d) AS days_into_truce
            FROM r),
        numbered AS (
            SELECT *,
              CASE WHEN counted THEN row_number() OVER (PARTITION BY truce_id, counted
                                                       ORDER BY _d, event_id) END
                  AS violation_number,
              CASE WHEN counted THEN dense_rank() OVER (PARTITION BY truce_id, counted
                                                       ORDER BY _d) END AS violation_day
            FROM f)
        SELECT * EXCLUDE (_d, _lo, _hi, _tt, _co, _a1, _et, _gk, _no_actor, _attr, _s,
                          _straddles, _tier)
        FROM numbered""")
    con.unregister("truces_df")


def duck_windows(con, occ: pd.DataFrame, source: str = "norm", out: str = "windows") -> None:
    """``add_anniversary_window`` as SQL: each event joined to the occurrences whose window
    could hold it and to the nearest occurrence on either side (ASOF joins); the best one kept
    (in a window first, then nearest, then the coming one, then key-date order)."""
    table = occ[["key_date_id", "occurrence", "before", "after"]].reset_index(drop=True)
    register(con, "occ_df", table.assign(idx=np.arange(len(table))))
    max_b, max_a = int(table["before"].max()), int(table["after"].max())
    run(con, f"""
        CREATE OR REPLACE TABLE {out} AS
        WITH o AS (SELECT idx, key_date_id, CAST(occurrence AS DATE) AS od, before AS b,
                          after AS a FROM occ_df),
             od AS (SELECT DISTINCT od FROM o),
             ev AS (SELECT event_id, CAST(date AS DATE) AS d FROM {source}),
             near AS (SELECT ev.event_id, ev.d, od.od FROM ev ASOF JOIN od ON ev.d >= od.od
                      UNION
                      SELECT ev.event_id, ev.d, od.od FROM ev ASOF JOIN od ON ev.d <= od.od
                      UNION
                      SELECT ev.event_id, ev.d, od.od FROM ev JOIN od
                        ON od.od BETWEEN ev.d - {max_a} AND ev.d + {max_b}),
             cand AS (SELECT near.event_id, o.idx, o.key_date_id, o.od,
                             datediff('day', o.od, near.d) AS diff, o.b, o.a
                      FROM near JOIN o ON o.od = near.od),
             best AS (SELECT event_id, key_date_id, od AS occurrence,
                             diff AS days_to_anniversary, diff BETWEEN -b AND a AS in_window
                      FROM cand
                      QUALIFY row_number() OVER (PARTITION BY event_id
                          ORDER BY (diff BETWEEN -b AND a) DESC,
                                   2 * abs(diff) + CAST(diff > 0 AS INTEGER), idx) = 1)
        SELECT e.*, best.key_date_id, best.occurrence, best.days_to_anniversary, best.in_window
        FROM {source} e JOIN best USING (event_id)""")
    con.unregister("occ_df")


# --------------------------------------------------------------------------------------
# What must agree, and the comparison

#: operation -> (column, SQL type) that must agree between implementations
PROJECTIONS = {
    "normalize": [("event_id", "VARCHAR"), ("actor_group", "VARCHAR"),
                  ("actor_matched", "BOOLEAN")],
    "count": [("actor_group", "VARCHAR"), ("date", "DATE"), ("count", "BIGINT")],
    "flag": [("event_id", "VARCHAR"), ("truce_id", "VARCHAR"), ("is_violation", "BOOLEAN"),
             ("violation_tier", "VARCHAR"), ("violation_number", "BIGINT"),
             ("violation_day", "BIGINT"), ("is_possible_violation", "BOOLEAN"),
             ("counted", "BOOLEAN"), ("in_truce", "BOOLEAN"), ("in_scope", "BOOLEAN"),
             ("is_party", "BOOLEAN"), ("days_into_truce", "BIGINT")],
    "windows": [("event_id", "VARCHAR"), ("key_date_id", "VARCHAR"), ("occurrence", "DATE"),
                ("days_to_anniversary", "BIGINT"), ("in_window", "BOOLEAN")],
}


def project(df: pd.DataFrame, op: str) -> pd.DataFrame:
    """The columns of ``df`` that must agree for ``op``, as plain Python values (None for
    blank, ``Timestamp`` for dates)."""
    out = {}
    for col, sql in PROJECTIONS[op]:
        s = df[col]
        present = s.notna().to_numpy()
        if sql == "DATE":
            values = pd.to_datetime(s).dt.normalize().astype("datetime64[ns]").astype(object)
        elif sql == "BIGINT":
            values = s.astype("Float64").astype(object)
            values = values.map(lambda v: None if _missing(v) else int(v))
        elif sql == "BOOLEAN":
            values = s.astype(object).map(lambda v: None if _missing(v) else bool(v))
        else:
            values = s.astype(object).map(lambda v: None if _missing(v) else str(v))
        values = values.to_numpy(dtype=object, copy=True)
        values[~present] = None
        out[col] = values
    return pd.DataFrame(out)


def compare(ours: pd.DataFrame, theirs: pd.DataFrame, op: str) -> str:
    """``"ok"`` when the projections hold the same rows (as a multiset), else a short account
    of the differences."""
    a = Counter(project(ours, op).itertuples(index=False, name=None))
    b = Counter(project(theirs, op).itertuples(index=False, name=None))
    if a == b:
        return "ok"
    only_a, only_b = a - b, b - a
    example = next(iter(only_a or only_b))
    return (f"{sum(only_a.values())} rows only in ours, {sum(only_b.values())} only in the "
            f"reference; e.g. {example} only in {'ours' if only_a else 'the reference'}")


def register(con, name: str, df: pd.DataFrame) -> None:
    """Register a pandas frame with DuckDB through Arrow (pandas' str dtype included)."""
    import pyarrow as pa

    con.register(name, pa.Table.from_pandas(df, preserve_index=False))


def duck_compare(con, ours_parquet: str | Path, table: str, op: str) -> str:
    """Compare a saved projection of our result (Parquet) with a DuckDB table, in DuckDB
    (``EXCEPT ALL`` both ways: every row, with multiplicity)."""
    cols = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in PROJECTIONS[op])
    ours = f"SELECT {cols} FROM read_parquet('{ours_parquet}')"
    theirs = f"SELECT {cols} FROM {table}"
    n_ours = run(con, f"SELECT count(*) FROM read_parquet('{ours_parquet}')")[0][0]
    n_theirs = run(con, f"SELECT count(*) FROM {table}")[0][0]
    only_ours = run(con, f"SELECT count(*) FROM ({ours} EXCEPT ALL {theirs})")[0][0]
    only_theirs = run(con, f"SELECT count(*) FROM ({theirs} EXCEPT ALL {ours})")[0][0]
    if n_ours == n_theirs and only_ours == 0 and only_theirs == 0:
        return "ok"
    return (f"rows {n_ours} vs {n_theirs}; {only_ours} only in ours, "
            f"{only_theirs} only in DuckDB")


def summary(df: pd.DataFrame) -> dict:
    """Totals that a read of the event file must reproduce (rows, ids, dates, casualties)."""
    return {"rows": int(len(df)), "distinct_ids": int(df["event_id"].nunique()),
            "first": str(pd.Timestamp(df["date"].min()).date()),
            "last": str(pd.Timestamp(df["date"].max()).date()),
            "killed": int(df["killed"].sum()), "killed_blank": int(df["killed"].isna().sum()),
            "wounded": int(df["wounded"].sum()),
            "week_precision": int((df["date_precision"].astype(str) == "week").sum()),
            "actors": int(df["actor"].nunique()),
            "latitude": round(float(df["latitude"].astype(float).sum()), 2)}


def duck_summary(con, table: str = "events") -> dict:
    row = run(con, f"""
        SELECT count(*), count(DISTINCT event_id), CAST(min(date) AS DATE)::VARCHAR,
               CAST(max(date) AS DATE)::VARCHAR, sum(killed), count(*) FILTER (WHERE killed IS NULL),
               sum(wounded), count(*) FILTER (WHERE CAST(date_precision AS VARCHAR) = 'week'),
               count(DISTINCT actor), round(sum(latitude), 2)
        FROM {table}""")[0]
    names = ["rows", "distinct_ids", "first", "last", "killed", "killed_blank", "wounded",
             "week_precision", "actors", "latitude"]
    return {k: (float(v) if k == "latitude" else v if isinstance(v, str) else int(v))
            for k, v in zip(names, row, strict=True)}
