"""Truces as data, and every event flagged against them.

A truce table has one row per truce (see :func:`read_truces` and ``data/iraq_2019_2021/README.md``):
who announced it and when, when it took effect and ended (blank end = still in force), the
actor groups bound by it (``parties``), and optional scope (target types, countries, admin1
regions, event types; blank = any).

:func:`flag_violations` joins events to truces. An event that falls in several truces (a
local truce inside a national one) appears **once per truce**; an event in no truce is not in
the result (it is in the event table, and cannot violate anything). The result grows with
the (event, truce) pairs, not with the whole table: flagging 10M events against a few local
truces gives a small table. :func:`one_row_per_event` joins the result back to the event
table, one row per event.

Counting units
--------------
``violation_number`` counts **incidents**: the 1st, 2nd, 3rd ... counted violation of the
truce, by date (ties by ``event_id``). ``violation_day`` counts **violation days**: incidents
of one truce on the same day are one episode (the two convoy bombs of 10 December 2020 are one
violation day, as the reporter counted them). Both number only the tiers in ``count_tiers``
(default claimed and attributed: the violations a reporter can stand behind); suspected
violations are flagged but not numbered unless asked for.

Tiers
-----
``claimed``: a truce party (or a front or alias of one) claimed it. ``attributed``: officials
blamed a truce party. ``suspected``: the attack is in scope but nobody claimed it and no
official named a party, or the blame is hedged.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.events import alias_key
from analysis.io import read_text_table
from analysis.io.countries import country_key_of
from analysis.schema import (
    DATE_DTYPE,
    STR_DTYPE,
    DataError,
    DataWarning,
    take_rows,
    text_table,
)
from analysis.values import value_codes

TIERS = ("claimed", "attributed", "suspected")
TIER_DTYPE = pd.CategoricalDtype(list(TIERS), ordered=True)
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
_DAY = np.timedelta64(1, "D")


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

    def fail(mask, column, problem, expected, values=None):
        if np.asarray(mask).any():
            pos = np.flatnonzero(np.asarray(mask))
            shown = (values if values is not None else t[column]).to_numpy()[pos][:10]
            raise DataError(problem, source=source, column=column, rows=rows[pos],
                            values=[str(v) for v in shown], expected=expected)

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
    for col in ("announced_on", "start", "end"):
        whole_day = t[col].isna() | t[col].str.fullmatch(r"\d{4}-\d{2}-\d{2}").eq(True)
        fail(~whole_day, col, "not a whole date", "a day as YYYY-MM-DD (2020-10 names only "
             "a month; a truce starts and ends on a day: give the day the sources report)")
        parsed = pd.to_datetime(t[col], errors="coerce", format="%Y-%m-%d")
        fail(t[col].notna() & parsed.isna(), col, "date could not be read",
             "an ISO date (YYYY-MM-DD) that exists in the calendar")
        t[col] = parsed.astype(DATE_DTYPE)
    for col in ("start_time", "end_time"):  # a truce that starts or ends part-way through a day
        fail(t[col].notna() & ~t[col].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d").eq(True), col,
             "not a time of day", "HH:MM, 24-hour local time (19:00), or blank: the whole day")
    fail(t["start"].isna(), "start", "missing start date", "the date the truce took effect")
    fail((t["end"] < t["start"]).fillna(False), "end", "truce ends before it starts",
         "end on or after start (blank = still in force)",
         values=t["start"].dt.strftime("start %Y-%m-%d") + t["end"].dt.strftime(", end %Y-%m-%d"))
    return pd.concat([t, extras], axis=1).reset_index(drop=True)


def _split_list(values: pd.Series) -> pd.Series:
    """``"a; b ;c"`` -> ``"a; b; c"`` (trimmed, in order, blank -> missing)."""
    parts = values.str.split(";").map(
        lambda xs: "; ".join(x.strip() for x in xs if x.strip()) if isinstance(xs, list) else np.nan)
    return parts.replace("", np.nan).astype(STR_DTYPE)


def _codes(values: pd.Series, key=alias_key,
           given: pd.Series | None = None) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Each row's value code (-1 = blank), a lookup from value code to key, and the keys
    (``key`` of each distinct value, :func:`alias_key` by default; blank = ""):
    ``lookup[codes]`` is each row's key. A categorical's own codes are used (no pass over the
    rows), and the string work is done once per distinct value; look up only the rows needed
    (``lookup[codes[rows]]``). ``given``: keys the rows carry already (an event's
    ``country_iso3``), which take precedence."""
    codes, uniques = value_codes(values)
    keys = key(pd.Series(uniques, dtype=object))
    if given is not None and len(codes):  # the code each value's rows carry, where they do
        given_codes, given_values = value_codes(given)
        carried = np.full(len(uniques), -1, dtype=np.int64)
        both = (codes >= 0) & (given_codes >= 0)
        carried[codes[both]] = given_codes[both]  # one code per value: any row's
        has = carried >= 0
        keys[has] = pd.Series(given_values, dtype=object).astype(str).str.lower().to_numpy()[
            carried[has]]
    keys = keys.fillna("").to_numpy(object)
    lookup, key_index = pd.factorize(np.append(keys, ""))  # code -1 reads the blank, last
    return codes, lookup.astype(np.int32), pd.Index(key_index)


def _membership(truces: pd.DataFrame, column: str, keys: pd.Index, key=alias_key) -> np.ndarray:
    """Boolean matrix [truce, key]: is the key in the truce's ``;`` list? A truce whose list is
    blank matches everything. Vectorised over the exploded lists (one string pass)."""
    table = np.zeros((len(truces), len(keys)), dtype=bool)
    lists = truces[column].reset_index(drop=True)
    table[lists.isna().to_numpy(), :] = True
    items = lists.str.split("; ").explode().dropna()
    hit = keys.get_indexer(key(items).fillna("").to_numpy())
    found = hit >= 0
    table[items.index.to_numpy()[found], hit[found]] = True
    return table


def flag_violations(
    events: pd.DataFrame,
    truces: pd.DataFrame,
    *,
    grace_days: int = 0,
    include_unattributed: bool = True,
    count_tiers: Sequence[str] = ("claimed", "attributed"),
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Flag every event against every truce it falls in.

    Requires: events ``[event_id, date, date_start, date_end, actor_group, attribution]`` and
    the scope columns (``target_type, country, admin1, event_type``) — run
    :func:`analysis.events.normalize_actors` first so fronts and spellings map to the
    parties; truces as from :func:`read_truces`.

    An event falls in a truce when its possible dates overlap the truce and it happened in
    the truce's territory (``countries``/``admin1``; blank = anywhere). Adds: ``truce_id``,
    ``in_truce`` (``start <= date <= end``), ``in_scope`` (target and event type within the
    truce's scope), ``is_party`` (the actor group is bound by the truce), ``violation_tier``
    (claimed / attributed / suspected, see the module notes; blank when not a violation),
    ``is_violation``, ``counted`` (tier in ``count_tiers``), ``violation_number``
    (incidents) and ``violation_day`` (violation days), both 1..n among counted violations,
    ``days_into_truce``, and ``is_possible_violation`` — the event's possible date range
    straddles the truce's start or end, so it may or may not fall inside. A truce with a
    ``start_time`` (``end_time``) starts (ends) part-way through its first (last) day: an
    event dated no closer than that day may have come before the start (after the end), so it
    is a possible violation, not a counted one (an event dated only 24 November cannot be
    shown to break a truce that began at 07:00 that day).

    ``grace_days``: events in the first ``grace_days`` days of a truce are not violations
    (time for the order to reach fighters). ``include_unattributed``: an in-scope attack with
    no named actor is a suspected violation (default) or not flagged at all. ``columns``:
    the event columns to carry into the result (default: all; ``event_id`` and ``date``
    always).

    One row per (event, truce) pair; events in no truce are left out (see
    :func:`one_row_per_event` for every event). Sorted by truce (in the truce table's order)
    and date; rows of one day keep the events' order. Violations of one day are numbered by
    ``event_id``. ``result.attrs["record_end"]`` is the events' latest date (ISO text), the
    default end of the record for :func:`violation_summary`. Vectorised: the join is a sorted
    ``searchsorted`` on (place, day), never a cross join. Inputs are not modified.

    Examples
    --------
    >>> ev = pd.DataFrame({"event_id": ["a", "b"], "date": pd.to_datetime(["2020-10-05", "2020-11-17"]),
    ...                    "actor_group": ["KH", "KH"], "attribution": ["claimed", "attributed"]})
    >>> tr = validate_truces(pd.DataFrame({"truce_id": ["T1"], "start": ["2020-10-10"], "parties": ["KH"]}))
    >>> flag_violations(ev, tr)[["event_id", "truce_id", "is_violation", "violation_number"]].to_numpy().tolist()
    [['b', 'T1', True, 1]]
    """
    unknown_tiers = set(count_tiers) - set(TIERS)
    if unknown_tiers:
        raise ValueError(f"count_tiers must be among {TIERS}, not {sorted(unknown_tiers)}")
    truces = _with_defaults(truces.reset_index(drop=True))
    _check_columns(events, truces)
    ev, keep = _prepare_events(events, columns)
    warn_unmatched_scope(ev, truces)
    days = _event_days(ev)
    rows, truce = _output_order(*_overlapping_pairs(ev, days, truces), days["date"], len(truces))
    with ThreadPoolExecutor(max_workers=1) as pool:  # the event columns are copied meanwhile
        taken = pool.submit(take_rows, ev[keep], rows)
        flags = _pair_flags(ev, days, truces, rows, truce, grace_days=grace_days,
                            include_unattributed=include_unattributed, count_tiers=count_tiers)
        flags["violation_number"], flags["violation_day"] = _number_violations(
            ev["event_id"], days["date"], rows, truce, flags["counted"])
        out = _assemble(taken.result(), truces, truce, flags)
    out.attrs["record_end"] = pd.Timestamp(ev["date"].max()).isoformat()  # text: files keep it
    return out


def _with_defaults(truces: pd.DataFrame) -> pd.DataFrame:
    """A truce table made before ``between_parties`` and ``excluded`` existed reads as
    neither."""
    defaults = {"between_parties": False, "excluded": np.nan}
    return truces.assign(**{c: v for c, v in defaults.items() if c not in truces.columns})


def _check_columns(events: pd.DataFrame, truces: pd.DataFrame) -> None:
    """A truce that limits its scope by a column the events lack would match no event: a
    silent zero. Raise instead, naming the truce, the column and the way out."""
    needs = dict(SCOPE)
    for truce_col, event_col in needs.items():
        limited = truces.loc[truces[truce_col].notna(), "truce_id"].astype(str).tolist()
        if limited and event_col not in events.columns:
            raise DataError(
                f"truce(s) {', '.join(limited[:5])} limit {truce_col} but the events have no "
                f"{event_col} column", source="flag_violations", column=event_col,
                expected=f"events with a {event_col} column, or a blank {truce_col} for "
                "those truces (blank = any)")
    dyad = truces.loc[truces["between_parties"] | truces["excluded"].notna(), "truce_id"]
    if len(dyad) and "target_group" not in events.columns:
        raise DataError(
            f"truce(s) {', '.join(map(str, dyad[:5]))} count only attacks between parties or "
            "name excluded groups, which needs the group of who was hit, and the events have "
            "no target_group column", source="flag_violations", column="target_group",
            expected="events with a target (ACLED actor2, UCDP side_b) put through "
            "analysis.events.normalize_actors, which adds target_group")


def warn_unmatched_scope(events: pd.DataFrame, truces: pd.DataFrame) -> list[str]:
    """Warn (:class:`~analysis.schema.DataWarning`) about truce values that match no event,
    where a typo or another spelling would otherwise narrow the truce, and its count, to a
    silent zero. Returns the messages.

    Every scope value (country, region, target type, event type) that no event has is
    warned about (countries match by name or ISO3 code). A party or excluded group that no
    event names is often just a group that did not attack (or was not attacked): it is
    warned about when it reads like a group the events do name (a likely typo, "did you
    mean"), or when none of the truce's parties is named by any event (every count of the
    truce would be zero)."""
    found = []
    named = {"parties": "actor_group", "excluded": "target_group", **SCOPE}
    for truce_col, event_col in named.items():
        if event_col not in events.columns or truces[truce_col].isna().all():
            continue
        key = country_key_of if truce_col == "countries" else alias_key
        _, _, keys = _codes(events[event_col], key,
                            events.get("country_iso3") if truce_col == "countries" else None)
        items = truces[["truce_id", truce_col]].dropna()
        items = items.assign(item=items[truce_col].str.split("; ")).explode("item")
        matched = key(items["item"]).fillna("").isin(keys)
        none_matched = ~matched.groupby(level=0).transform("any")  # per truce
        missing = items[~matched]
        known = sorted({str(v) for v in pd.Series(events[event_col]).dropna().unique()})
        lowered = {k.lower(): k for k in known}
        group_list = truce_col in ("parties", "excluded")
        for (truce_id, item), alone in zip(missing[["truce_id", "item"]].to_numpy(),
                                           none_matched[~matched], strict=True):
            near = difflib.get_close_matches(item.lower(), list(lowered), n=1,
                                             cutoff=0.8 if group_list else 0.6)
            if group_list and not near and not (alone and truce_col == "parties"):
                continue  # a group with no event of its own: no sign of a typo
            found.append(f"truce {truce_id}: {truce_col} {item!r} matches no event's "
                         f"{event_col}" + (f" (did you mean {lowered[near[0]]!r}?)" if near else
                                           f" (the events have: {', '.join(known[:5])}"
                                           + (" ..." if len(known) > 5 else "") + ")" if known
                                           else f" (no event has a {event_col})")
                         + "; " + _UNMATCHED[truce_col if truce_col in _UNMATCHED else "scope"])
    for message in found:
        warnings.warn(message, DataWarning, stacklevel=3)
    return found


#: what a truce value that matches no event means for the count
_UNMATCHED = {"parties": "no attack by it can be counted as a violation",
              "excluded": "attacks on it are not set apart",
              "scope": "events outside the scope cannot violate the truce"}


def _prepare_events(events: pd.DataFrame, columns: Sequence[str] | None):
    need = ["event_id", "date"]
    missing = [c for c in need if c not in events.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(map(repr, missing))}",
                        source="flag_violations", expected="a validated event table")
    ev = events.reset_index(drop=True)
    named = ev["actor"].notna().any() if "actor" in ev.columns else False
    if named and ("actor_group" not in ev.columns or ev["actor_group"].isna().all()):
        # not through the alias table: match the parties against the names as written rather
        # than read every named attacker as unknown (a silent zero of counted violations)
        warnings.warn(
            "the events have no actor_group (they have not been through "
            "analysis.events.normalize_actors and the story's alias table): truce parties are "
            "matched against the actor names as written, so a front or another spelling of a "
            "party is not counted", DataWarning, stacklevel=3)
        from analysis.events import normalize_actors  # no aliases: each name its own group

        no_aliases = pd.DataFrame({"alias": [], "actor_group": []}, dtype=object)
        ev = ev.assign(actor_group=normalize_actors(ev[["actor"]], no_aliases)["actor_group"])
    defaults = {"date_start": ev["date"], "date_end": ev["date"], "actor_group": np.nan,
                "attribution": "unknown", **{c: np.nan for c in SCOPE.values()}}
    ev = ev.assign(**{c: v for c, v in defaults.items() if c not in ev.columns})
    # the flags need the full table; ``columns`` only trims what is carried into the result
    keep = list(ev.columns) if columns is None else list(dict.fromkeys(
        [*need, *[c for c in columns if c in ev.columns]]))
    return ev, keep


def _event_days(ev: pd.DataFrame) -> dict[str, np.ndarray]:
    """Dates as whole days since 1970 (int32): the date, the earliest and latest possible,
    and ``exact``: the event's possible range is its one date."""
    def day(col):
        values = ev[col].fillna(ev["date"]) if ev[col].hasnans else ev[col]
        nanoseconds = values.to_numpy("datetime64[ns]").view(np.int64)
        return (nanoseconds // (86_400 * 10**9)).astype(np.int32)  # floor: right before 1970
    days = {"date": day("date"), "lo": day("date_start"), "hi": day("date_end")}
    days["exact"] = (days["lo"] == days["date"]) & (days["hi"] == days["date"])
    return days


def _truce_days(truces: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Start and end as days since 1970 (int32; open end = the int32 maximum)."""
    start = truces["start"].to_numpy("datetime64[D]").astype(np.int32)
    end = truces["end"].to_numpy("datetime64[D]")
    end = np.where(np.isnat(end), np.iinfo(np.int32).max, end.astype(np.int64)).astype(np.int32)
    return start, end


def _overlapping_pairs(ev, days, truces) -> tuple[np.ndarray, np.ndarray]:
    """(event position, truce position) for every event whose possible dates touch a truce in
    the truce's territory.

    A place is a (country, admin1) pair; each truce covers the places inside its territory (a
    truce with no country or admin1 list covers every country or region). Events are sorted
    once by (block, day): events dated to one day in block ``place``, events with a date
    range (month or year precision) in block ``place + P``. Each (truce, place) is then one
    ``searchsorted`` key range per block: in the first, exactly the place's events inside the
    truce; in the second, the window widened by the longest date range, the candidates kept
    if ``[date_start, date_end]`` overlaps ``[start, end]``."""
    none = np.array([], dtype=np.int64)
    if len(days["date"]) == 0 or len(truces) == 0:
        return none, none
    place, covers = _places(ev, truces)
    n_places = covers.shape[1]
    t_idx, p_idx = np.nonzero(covers)
    start, end = _truce_days(truces)
    start, end = start[t_idx].astype(np.int64), end[t_idx].astype(np.int64)
    date, exact = days["date"], days["exact"]
    ranged = not exact.all()
    block = place if not ranged else np.where(exact, place, place + n_places)
    # events usually come sorted by date: then a stable (radix) sort by block suffices
    if len(date) < 2 or bool((date[1:] >= date[:-1]).all()):
        order = np.argsort(block.astype(np.int16) if 2 * n_places < 1 << 15 else block,
                           kind="stable")
    else:
        order = np.lexsort((date, block))
    sizes = np.bincount(block, minlength=2 * n_places)
    sorted_key = (np.repeat(np.arange(len(sizes), dtype=np.int64), sizes) << 32) + date[order]
    del block
    found = [_key_ranges(sorted_key, p_idx, start, end, reach=0)]
    if ranged:
        reach = int(max((date - days["lo"]).max(), (days["hi"] - date).max()))  # exact: 0
        cand, tr_pos = _key_ranges(sorted_key, p_idx + n_places, start, end, reach=reach)
        rows = order[cand]
        overlap = (days["lo"][rows] <= end[tr_pos]) & (days["hi"][rows] >= start[tr_pos])
        found.append((cand[overlap], tr_pos[overlap]))
    cand, tr_pos = (np.concatenate(part) for part in zip(*found, strict=True)) if ranged else found[0]
    return order[cand], t_idx[tr_pos]


def _key_ranges(sorted_key, blocks, start, end, *, reach: int):
    """Positions in ``sorted_key`` of each block's days in ``[start - reach, end + reach]``
    (one range per block, runs of consecutive positions), and the range each came from."""
    base = blocks.astype(np.int64) << 32
    lo = np.searchsorted(sorted_key, base + start - reach, side="left")
    hi = np.searchsorted(sorted_key, base + np.minimum(end + reach, (1 << 31) - 1), side="right")
    sizes = np.maximum(hi - lo, 0)
    which = np.repeat(np.arange(len(blocks)), sizes)
    return np.arange(sizes.sum()) + np.repeat(lo - (np.cumsum(sizes) - sizes), sizes), which


def _places(ev, truces) -> tuple[np.ndarray, np.ndarray]:
    """Each event's place code (0..P-1) and the boolean matrix [truce, place]: does the
    truce's territory cover the place?"""
    country, country_key, country_keys = _codes(ev["country"], country_key_of,
                                                ev.get("country_iso3"))
    admin1, admin1_key, admin1_keys = _codes(ev["admin1"])
    n_admin1 = len(admin1_key)  # value codes -1..n-1, shifted to 0..n below
    size = len(country_key) * n_admin1
    wide = np.int32 if size < 1 << 31 else np.int64
    combined = (country.astype(wide) + 1) * n_admin1 + (admin1.astype(wide) + 1)
    if size <= max(4 * len(combined), 1 << 20):
        used = np.flatnonzero(np.bincount(combined, minlength=size))
        number = np.zeros(size, dtype=np.int32)
        number[used] = np.arange(len(used), dtype=np.int32)
        place, pairs = number[combined], used
    else:  # very many regions: hash the pairs instead of a dense table
        place, pairs = pd.factorize(combined)
    covers = (_membership(truces, "countries", country_keys, country_key_of)[
                  :, country_key[pairs // n_admin1 - 1]]
              & _membership(truces, "admin1", admin1_keys)[:, admin1_key[pairs % n_admin1 - 1]])
    return place, covers


def _pair_flags(ev, days, truces, rows, truce, *, grace_days, include_unattributed,
                count_tiers) -> dict[str, np.ndarray]:
    """Every per-(event, truce) flag as arrays, from integer codes (no per-pair strings).
    Pairs of events dated to one day lie inside the truce by construction; only the pairs of
    events with a date range are tested for lying inside, or straddling a boundary."""
    n = len(rows)
    start, end = _truce_days(truces)
    start = start[truce]
    date = days["date"][rows]
    in_truce = np.ones(n, dtype=bool)
    straddles = np.zeros(n, dtype=bool)
    ranged = np.flatnonzero(~days["exact"][rows])
    if len(ranged):
        r_rows, r_start, r_end = rows[ranged], start[ranged], end[truce[ranged]]
        r_date, lo_d, hi_d = date[ranged], days["lo"][r_rows], days["hi"][r_rows]
        in_truce[ranged] = (r_date >= r_start) & (r_date <= r_end)
        straddles[ranged] = (((lo_d < r_start) & (hi_d >= r_start))
                             | ((lo_d <= r_end) & (hi_d > r_end))) & (hi_d >= r_start + grace_days)
    in_scope = np.ones(n, dtype=bool)
    for truce_col in ("target_types", "event_types"):
        if truces[truce_col].notna().any():  # blank everywhere = any: nothing to test
            codes, key, keys = _codes(ev[SCOPE[truce_col]])
            # [truce, value code]; code -1 (blank) reads the last column, the blank key's
            in_scope &= _membership(truces, truce_col, keys)[:, key][truce, codes[rows]]
    codes, key, group_keys = _codes(ev["actor_group"])
    party = _membership(truces, "parties", group_keys)
    party[:, group_keys.get_loc("")] = False  # _codes always lists the blank key
    group = codes[rows]
    is_party = party[:, key][truce, group]
    in_scope &= _against_protected(ev, truces, rows, truce)
    tier = np.where(is_party, _party_tier(ev["attribution"], rows), -1).astype(np.int8)
    if include_unattributed:
        blank = key == group_keys.get_loc("")  # by value code (-1 reads the last entry)
        tier[blank[group]] = TIERS.index("suspected")
    candidate = in_scope & (tier >= 0)
    # a truce that starts (ends) at a time of day: an event that may fall on that day, dated
    # no closer than the day, may come before the start (after the end), so it is possible
    lo, hi = days["lo"][rows], days["hi"][rows]
    late = truces["start_time"].notna().to_numpy()[truce]
    early = truces["end_time"].notna().to_numpy()[truce]
    edge = ((late & (lo <= start) & (hi >= start))
            | (early & (lo <= end[truce]) & (hi >= end[truce])))
    is_violation = candidate & in_truce & (date >= start + grace_days) & ~edge
    possible = candidate & (straddles | (edge & in_truce & (date >= start + grace_days)))
    tier[~(is_violation | possible)] = -1
    counts = np.zeros(len(TIERS) + 1, dtype=bool)  # by tier code; -1 reads the last, False
    counts[[TIERS.index(t) for t in count_tiers]] = True
    counted = is_violation & counts[tier]
    return {"in_truce": in_truce, "in_scope": in_scope, "is_party": is_party, "tier": tier,
            "is_violation": is_violation, "counted": counted,
            "is_possible_violation": possible, "days_into_truce": date - start}


def _against_protected(ev, truces, rows, truce) -> np.ndarray:
    """Per pair: may the attack violate the truce by whom it hit? Not when the target's group
    is excluded from the truce, nor, for a truce between its parties only, when the target is
    not a party (an attack whose target group is blank cannot be shown to be between parties
    and is left out)."""
    ok = np.ones(len(rows), dtype=bool)
    limited = truces["between_parties"].to_numpy(bool)
    excluding = truces["excluded"].notna().to_numpy(bool)
    if not (limited.any() or excluding.any()):
        return ok
    codes, key, keys = _codes(ev["target_group"])
    target = codes[rows]
    excluded = _membership(truces, "excluded", keys)
    excluded[~excluding, :] = False  # blank = none excluded (not "matches everything")
    ok &= ~excluded[:, key][truce, target]
    party = _membership(truces, "parties", keys)
    party[:, keys.get_loc("")] = False
    ok &= ~limited[truce] | party[:, key][truce, target]
    return ok


def _party_tier(attribution: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Tier code of the events at ``rows`` if their actor is a truce party: 0 claimed,
    1 attributed, else 2 (suspected: hedged blame, unknown or blank attribution)."""
    codes, uniques = value_codes(attribution)
    tier = pd.Index(TIERS).get_indexer(pd.Index(uniques, dtype=object))
    suspected = TIERS.index("suspected")
    table = np.append(np.where(tier >= 0, tier, suspected), suspected).astype(np.int8)
    return table[codes[rows]]


def _output_order(ev_pos, tr_pos, date, n_truces) -> tuple[np.ndarray, np.ndarray]:
    """(event position, truce position) of every pair in the result's order: by truce, date
    and the events' order. The three keys are packed into one int64 when they fit (one sort,
    quick on the already sorted runs the join produces)."""
    if len(ev_pos) == 0:
        return ev_pos, tr_pos
    day = date[ev_pos].astype(np.int64) - int(date.min())
    bits = [int(n).bit_length() for n in (len(date), day.max() + 1, n_truces)]
    if sum(bits) > 62:  # a date range of centuries with billions of rows: sort the keys apart
        order = np.lexsort((ev_pos, day, tr_pos))
        return ev_pos[order], tr_pos[order]
    key = (tr_pos.astype(np.int64) << (bits[0] + bits[1])) | (day << bits[0]) | ev_pos
    key.sort(kind="stable")
    return key & ((1 << bits[0]) - 1), key >> (bits[0] + bits[1])


def _assemble(out: dict, truces, truce, flags) -> pd.DataFrame:
    """The result table: the event columns ``out`` (taken at the pairs' rows) with the pairs'
    flags and numbers."""
    flag_cols = {
        "truce_id": pd.Categorical.from_codes(truce, categories=pd.Index(truces["truce_id"],
                                                                       dtype=STR_DTYPE)),
        "is_violation": flags["is_violation"],
        "violation_tier": pd.Categorical.from_codes(flags["tier"], dtype=TIER_DTYPE),
        "violation_number": flags["violation_number"], "violation_day": flags["violation_day"],
        "days_into_truce": pd.arrays.IntegerArray(flags["days_into_truce"].astype(np.int64),
                                                  np.zeros(len(truce), dtype=bool)),
        "is_possible_violation": flags["is_possible_violation"], "counted": flags["counted"],
        "in_truce": flags["in_truce"], "in_scope": flags["in_scope"], "is_party": flags["is_party"],
    }
    rest = {c: v for c, v in out.items() if c not in ("event_id", "date", *flag_cols)}
    return pd.DataFrame({"event_id": out["event_id"], "date": out["date"], **flag_cols, **rest},
                        copy=False)


def _number_violations(event_id: pd.Series, day_of_event, rows, truce, counted):
    """violation_number (incidents) and violation_day (distinct days), 1..n per truce, over the
    counted rows only; violations of one day are ordered by event_id.

    The rows come sorted by truce and date (``_output_order``), so only days with several
    violations whose ids are out of order need sorting (Arrow, on those rows alone)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    number = np.zeros(len(truce), dtype=np.int64)  # 0 = blank
    day = np.zeros(len(truce), dtype=np.int64)
    pos = np.flatnonzero(counted)
    if len(pos):
        t = truce[pos]
        d = day_of_event[rows[pos]]
        same_day = (t[1:] == t[:-1]) & (d[1:] == d[:-1])
        tie = np.flatnonzero(same_day)
        if len(tie):
            ids = pa.array(pd.array(event_id, dtype=STR_DTYPE))
            unsorted = pc.less(ids.take(rows[pos[tie + 1]]), ids.take(rows[pos[tie]]))
            unsorted = unsorted.to_numpy(zero_copy_only=False)
            if unsorted.any():
                group = np.cumsum(np.r_[True, ~same_day])
                sel = np.flatnonzero(np.isin(group, group[tie[unsorted] + 1]))
                sub = pa.table({"group": group[sel], "id": ids.take(rows[pos[sel]])})
                pos = pos.copy()
                pos[sel] = pos[sel][pc.sort_indices(sub, [("group", "ascending"),
                                                          ("id", "ascending")]).to_numpy()]
        new_truce = np.r_[True, t[1:] != t[:-1]]
        starts = np.flatnonzero(new_truce)
        lengths = np.diff(np.r_[starts, len(pos)])
        number[pos] = np.arange(1, len(pos) + 1) - np.repeat(starts, lengths)
        day_count = np.cumsum(new_truce | np.r_[True, ~same_day])
        day[pos] = day_count - np.repeat(day_count[starts] - 1, lengths)
    return pd.arrays.IntegerArray(number, number == 0), pd.arrays.IntegerArray(day, day == 0)


def one_row_per_event(events: pd.DataFrame, flagged: pd.DataFrame) -> pd.DataFrame:
    """Every event of ``events`` once, with its rows of :func:`flag_violations` folded in.

    Keeps the event's columns and adds ``truce_ids`` (``;``-joined truces it falls in),
    ``violates`` (``;``-joined truces it violates), ``is_violation`` (of any truce),
    ``is_possible_violation`` and the strongest ``violation_tier`` across truces. An event in
    no truce has blank lists, no tier and both flags False.
    """
    f = flagged
    grouped = f.groupby("event_id", sort=False)
    agg = pd.DataFrame({
        "truce_ids": _join_per_event(f["event_id"], f["truce_id"]),
        "violates": _join_per_event(f["event_id"], f["truce_id"].where(f["is_violation"])),
        "is_violation": grouped["is_violation"].any(),
        "is_possible_violation": grouped["is_possible_violation"].any(),
        "violation_tier": grouped["violation_tier"].min(),
    })
    base = events.drop(columns=[c for c in agg.columns if c in events.columns])
    out = base.merge(agg, left_on="event_id", right_index=True, how="left")
    for col in ("is_violation", "is_possible_violation"):
        out[col] = out[col].fillna(False).astype(bool)
    return out.sort_values(["date", "event_id"], ignore_index=True)


def _join_per_event(event_id: pd.Series, values: pd.Series) -> pd.Series:
    """``;``-join the non-blank values of each event. Only events with several values (events
    in overlapping truces, rare) go through the slow string join; the rest are taken as is."""
    present = values.notna()
    ids, vals = event_id[present], values[present].astype(str)
    several = ids.duplicated(keep=False)
    single = pd.Series(vals[~several].to_numpy(), index=ids[~several].to_numpy())
    multi = vals[several].groupby(ids[several].to_numpy()).agg(lambda s: "; ".join(sorted(s)))
    return pd.concat([single, multi]).reindex(event_id.unique())


# --------------------------------------------------------------------------------------
# Per-truce summaries and durability


def violation_summary(
    flagged: pd.DataFrame,
    truces: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per truce: violations by tier, first violation, pace, parties responsible.

    ``as_of`` is the date the record runs to (default: the latest date of the events that
    were flagged, ``flagged.attrs["record_end"]``); an open-ended truce is taken to be in
    force until then, and every count, rate and first violation stops at it (events after
    ``as_of`` are left out). A truce with no counted violation is right-censored:
    ``days_to_first_violation`` is then the days it has held so far and ``censored`` is True.

    Columns: ``truce_id, name, start, end, in_force_until, days_in_force, events_in_truce,
    violations`` (all tiers), ``claimed, attributed, suspected, counted_violations``
    (incidents), ``violation_days`` (days with at least one counted violation),
    ``possible_violations`` (date range straddles a boundary), ``first_violation,
    days_to_first_violation, censored, median_days_between`` (between counted violation
    days), ``violations_per_30_days`` (counted incidents per 30 days in force),
    ``parties_responsible``.
    """
    as_of = _record_end(flagged) if as_of is None else pd.Timestamp(as_of)
    t = truces.set_index("truce_id")
    until = t["end"].where(t["end"].notna() & (t["end"] <= as_of), as_of)
    days_in_force = ((until - t["start"]).dt.days + 1).clip(lower=0)
    f = _up_to(flagged, as_of)
    g = f.groupby("truce_id")
    viol = f[f["is_violation"]]
    counted = f[f["counted"]].sort_values(["truce_id", "date"])
    first = counted.groupby("truce_id")["date"].min()
    day_gaps = (counted.drop_duplicates(["truce_id", "date"])
                .assign(gap=lambda d: d.groupby("truce_id")["date"].diff().dt.days)
                .groupby("truce_id")["gap"].median())
    tiers = viol.groupby(["truce_id", "violation_tier"], observed=False).size().unstack(fill_value=0)
    out = pd.DataFrame({
        "name": t["name"], "start": t["start"], "end": t["end"], "in_force_until": until,
        "days_in_force": days_in_force,
        "events_in_truce": g["in_truce"].sum(),
        "violations": viol.groupby("truce_id").size(),
    }).reindex(t.index)
    for tier in TIERS:
        out[tier] = tiers[tier] if tier in tiers else 0
    out["counted_violations"] = counted.groupby("truce_id").size()
    out["violation_days"] = counted.groupby("truce_id")["date"].nunique()
    out["possible_violations"] = g["is_possible_violation"].sum()
    count_cols = ["events_in_truce", "violations", *TIERS, "counted_violations",
                  "violation_days", "possible_violations"]
    out[count_cols] = out[count_cols].fillna(0).astype("int64")
    out["first_violation"] = first
    out["censored"] = out["first_violation"].isna()
    held = (out["in_force_until"] - out["start"]).dt.days.clip(lower=0)
    out["days_to_first_violation"] = ((out["first_violation"] - out["start"]).dt.days
                                      .fillna(held)).astype("Int64")
    out["median_days_between"] = day_gaps
    per_30 = out["counted_violations"] / out["days_in_force"].where(out["days_in_force"] > 0) * 30
    out["violations_per_30_days"] = per_30.round(2)
    out["parties_responsible"] = (counted.drop_duplicates(["truce_id", "actor_group"])
                                  .groupby("truce_id")["actor_group"]
                                  .agg(lambda s: "; ".join(sorted(s.dropna().astype(str)))))
    return out.reset_index()


def explain_truces(events: pd.DataFrame, truces: pd.DataFrame, flagged: pd.DataFrame, *,
                   as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """The funnel a reporter checks before trusting a count, one row per truce.

    ``events_in_period`` (any place, dated inside the truce), ``in_territory`` (also in its
    countries and regions), ``in_scope`` (also of the kinds of target and attack it covers,
    and against whom it protects), ``by_party`` (also by an actor group bound by it), then
    ``edge_of_truce`` (of those, dated only to the first or last day of a truce that began
    or lapsed part-way through it: possible violations, not counted),
    the violations by tier (``claimed``, ``attributed``, ``suspected``: in scope with no
    named actor) and ``counted``. A zero shows at which step the events fall away. The
    record stops at ``as_of`` (default: the events' latest date).
    """
    as_of = _record_end(flagged) if as_of is None else pd.Timestamp(as_of)
    t = truces.reset_index(drop=True)
    dates = np.sort(events["date"].to_numpy("datetime64[ns]"))
    until = t["end"].where(t["end"].notna() & (t["end"] <= as_of), as_of)
    period = (np.searchsorted(dates, until.to_numpy("datetime64[ns]"), side="right")
              - np.searchsorted(dates, t["start"].to_numpy("datetime64[ns]"), side="left"))
    f = _up_to(flagged, as_of)
    steps = {"in_territory": f["in_truce"], "in_scope": f["in_truce"] & f["in_scope"],
             "by_party": f["in_truce"] & f["in_scope"] & f["is_party"]}
    out = pd.DataFrame({"truce_id": t["truce_id"].astype(str), "until": until,
                        "events_in_period": np.maximum(period, 0)})
    ids = f["truce_id"].astype(str)
    for name, mask in steps.items():
        out[name] = out["truce_id"].map(mask.groupby(ids).sum()).fillna(0).astype("int64")
    by_party = steps["by_party"]
    edge = by_party & f["is_possible_violation"] & ~f["is_violation"]
    out["edge_of_truce"] = out["truce_id"].map(edge.groupby(ids).sum()).fillna(0).astype("int64")
    for tier in TIERS:
        hit = f["is_violation"] & (f["violation_tier"] == tier)
        out[tier] = out["truce_id"].map(hit.groupby(ids).sum()).fillna(0).astype("int64")
    out["counted"] = out["truce_id"].map(f["counted"].groupby(ids).sum()).fillna(0).astype("int64")
    return out


def why_not_counted(flagged: pd.DataFrame) -> pd.Series:
    """For each row of :func:`flag_violations`' result that is not a counted violation, why
    (blank for the counted ones), in the order the funnel of :func:`explain_truces` applies:
    outside the truce's days, or on a day it began or ended part-way through (possible);
    out of its scope; not by a party; inside the grace days; a tier not counted.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"in_truce": [True, True], "in_scope": [True, False],
    ...                   "is_party": [True, True], "is_possible_violation": [False, False],
    ...                   "is_violation": [True, False], "counted": [True, False],
    ...                   "violation_tier": ["claimed", None]})
    >>> why_not_counted(f).tolist()
    ['', "not in the truce's scope (place, kind of attack, or whom it protects)"]
    """
    tier = flagged["violation_tier"].astype("string").fillna("")
    reason = np.select(
        [flagged["counted"].to_numpy(bool),
         flagged["is_possible_violation"].to_numpy(bool),
         ~flagged["in_truce"].to_numpy(bool),
         ~flagged["in_scope"].to_numpy(bool),
         (tier == "suspected").to_numpy(bool) & flagged["is_violation"].to_numpy(bool),
         ~flagged["is_party"].to_numpy(bool),
         flagged["is_violation"].to_numpy(bool)],
        ["",
         "possible: dated no closer than a day (or a range) that may fall before the truce "
         "began or after it ended",
         "outside the truce's days",
         "not in the truce's scope (place, kind of attack, or whom it protects)",
         "suspected: in scope, but nobody claimed it and no official named a truce party",
         "not by a truce party",
         "a violation of a tier not counted: " + tier],
        default="inside the grace days")
    return pd.Series(reason, index=flagged.index, name="reason", dtype="string")


def _up_to(flagged: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The flagged events dated on or before ``as_of``: the record as it stood that day (a
    count as of a date never includes what happened after it)."""
    later = flagged["date"] > as_of
    return flagged[~later] if later.any() else flagged


def _record_end(flagged: pd.DataFrame) -> pd.Timestamp:
    """The last date the flagged events cover, as :func:`flag_violations` recorded it. The
    result holds only events inside truces, so its own latest date can fall short."""
    end = flagged.attrs.get("record_end")
    if end is None:
        raise ValueError("as_of not given, and the table does not say the date its events run "
                         "to (flag_violations records it in .attrs['record_end']): pass "
                         "as_of= the last date your event table covers")
    return pd.Timestamp(end)


def truce_durability(
    flagged: pd.DataFrame,
    truces: pd.DataFrame,
    *,
    nth: int = 1,
    unit: str = "incident",
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Days from each truce's start to its ``nth`` counted violation, or to censoring.

    ``unit="incident"`` counts incidents (``violation_number``), ``unit="day"`` violation days
    (``violation_day``). A truce that ended, or that is still in force at ``as_of`` (default:
    the latest date of the flagged events, as in :func:`violation_summary`), without an ``nth`` violation is right-censored
    (``violated=False``) at the days it held. Feed the result to :func:`kaplan_meier`.
    """
    column = {"incident": "violation_number", "day": "violation_day"}.get(unit)
    if column is None:
        raise ValueError("unit must be 'incident' or 'day'")
    if nth < 1:
        raise ValueError("nth must be 1 or more")
    as_of = _record_end(flagged) if as_of is None else pd.Timestamp(as_of)
    summary = violation_summary(flagged, truces, as_of=as_of).set_index("truce_id")
    flagged = _up_to(flagged, as_of)
    hits = flagged[flagged[column] == nth].groupby("truce_id")["date"].min()
    out = pd.DataFrame({"start": summary["start"], "nth_violation": hits.reindex(summary.index)})
    out["violated"] = out["nth_violation"].notna()
    held = (summary["in_force_until"] - summary["start"]).dt.days.clip(lower=0)
    out["days"] = (out["nth_violation"] - out["start"]).dt.days.fillna(held).astype("int64")
    out["nth"] = nth
    out["unit"] = unit
    return out.reset_index()


def kaplan_meier(durability: pd.DataFrame, *, alpha: float = 0.05) -> tuple[pd.DataFrame, dict]:
    """Kaplan–Meier curve of truce survival (share of truces not yet violated) by day.

    Uses statsmodels' ``SurvfuncRight`` (right-censoring for truces still holding). Returns
    the curve (``days, at_risk, violated, survival, conf_low, conf_high``; log-log pointwise
    intervals from Greenwood's variance) and a dict with the median survival and its interval
    (``None`` where the curve never falls to one half — "more than N days").
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    if len(durability) < 2:
        raise DataError("a survival curve needs at least two truces", source="kaplan_meier",
                        expected="a durability table from truce_durability with 2+ truces")
    sf = SurvfuncRight(durability["days"].to_numpy(float),
                       durability["violated"].to_numpy(int))
    s, se = sf.surv_prob, sf.surv_prob_se
    z = _z(alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        ll_se = se / (s * np.abs(np.log(s)))
        low = s ** np.exp(z * ll_se)
        high = s ** np.exp(-z * ll_se)
    inside = (s > 0) & (s < 1)
    curve = pd.DataFrame({"days": sf.surv_times.astype(int), "at_risk": sf.n_risk.astype(int),
                          "violated": sf.n_events.astype(int), "survival": s,
                          "conf_low": np.where(inside, low, s), "conf_high": np.where(inside, high, s)})
    median = sf.quantile(0.5)
    lo, hi = sf.quantile_ci(0.5, alpha=alpha)
    stats = {"truces": len(durability), "violated": int(durability["violated"].sum()),
             "median_days": None if np.isnan(median) else float(median),
             "median_conf_low": None if np.isnan(lo) else float(lo),
             "median_conf_high": None if np.isnan(hi) else float(hi)}
    return curve, stats


def _z(alpha: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(1 - alpha / 2))


def violation_table(flagged: pd.DataFrame, *, include_suspected: bool = True) -> pd.DataFrame:
    """The violations as a reporter would paste them into copy: one line per incident.

    Columns: ``truce_id``, ``no`` (incident number), ``day_no`` (violation-day number),
    ``date``, ``tier``, ``actor`` (as reported), ``actor_group``, ``target``, ``location``,
    ``killed``, ``wounded``, ``source_url``. Suspected violations (not numbered) are listed
    after a blank number when ``include_suspected``.
    """
    rows = flagged[flagged["is_violation"]]
    if not include_suspected:
        rows = rows[rows["counted"]]
    cols = {"truce_id": "truce_id", "violation_number": "no", "violation_day": "day_no",
            "date": "date", "violation_tier": "tier", "actor": "actor",
            "actor_group": "actor_group", "target": "target", "location": "location",
            "killed": "killed", "wounded": "wounded", "event_id": "event_id",
            "source_url": "source_url"}
    present = {k: v for k, v in cols.items() if k in rows.columns}
    out = rows[list(present)].rename(columns=present)
    return out.sort_values(["truce_id", "date", "event_id"], ignore_index=True)


def truce_count_summary(counts: pd.DataFrame, truces: pd.DataFrame) -> pd.DataFrame:
    """For daily tallies (``date, count``, every day present): per truce, the days it was in
    force within the data and the count on them, beside the count on as many days just before
    and just after. Observed totals only: whether the difference is more than chance is for
    the trend model (notebook 04). A truce's first day is counted as in force (daily tallies
    cannot split a day); ``end`` is its last day in force (blank: to the end of the data)."""
    c = counts.set_index("date")["count"].sort_index()
    first, last = c.index.min(), c.index.max()
    rows = []
    for t in truces.itertuples(index=False):
        end = min(t.end if pd.notna(t.end) else last, last)
        start = max(t.start, first)
        if start > end:  # the truce lies outside the data
            continue
        days = int((end - start).days) + 1
        span = pd.Timedelta(days=days)
        before = c[(c.index >= start - span) & (c.index < start)]
        after = c[(c.index > end) & (c.index <= end + span)]
        rows.append({"truce_id": t.truce_id, "label": t.label if pd.notna(t.label) else t.name,
                     "start": start, "end": end, "days_in_force": days,
                     "count_in_force": int(c[start:end].sum()),
                     "days_before": len(before), "count_before": int(before.sum()),
                     "days_after": len(after), "count_after": int(after.sum())})
    return pd.DataFrame(rows, columns=["truce_id", "label", "start", "end", "days_in_force",
                                       "count_in_force", "days_before", "count_before",
                                       "days_after", "count_after"])
