"""Truces as data, and the rules by which an event violates one.

A truce table has one row per truce (read and checked by :mod:`analysis.truce_table`;
``read_truces`` and ``validate_truces`` are importable from here too): who announced it and
when, when it took effect and ended (blank end = still in force), the actor groups bound by
it (``parties``), and optional scope (target types, countries, admin1 regions, event types;
blank = any).

When an event violates a truce
------------------------------
:func:`flag_violations` applies these rules to every event and every truce. Each rule is a
column of its result, so a count can be checked row by row. Names (groups, types, regions)
are matched ignoring case, apostrophes, hyphens and underscores; countries by name or by the
events' ISO3 code.

1. **Dates.** The event's possible dates (``date_start`` to ``date_end``: one day for an
   event dated to the day) overlap the truce's days (``start`` to ``end``, both included;
   blank ``end``: still in force). ``in_truce``: the event's own ``date`` is one of them.
2. **Territory.** The event happened in the truce's ``countries`` and ``admin1`` regions
   (a blank list: anywhere). Only events that pass rules 1 and 2 are in the result.
3. **Scope** (``in_scope``). Its ``target_type`` is in the truce's ``target_types`` and its
   ``event_type`` in its ``event_types`` (a blank list: any; a blank type is in no list); it
   did not hit a group the truce leaves out (``excluded``); and for a truce limited to
   fighting ``between_parties``, it hit one of the parties (a blank target group cannot be
   shown to be one).
4. **Party** (``is_party``). Its ``actor_group`` is one of the truce's ``parties`` (run
   :func:`analysis.events.normalize_actors` first, so fronts and spellings map to them).
5. **Tier** (``violation_tier``). By a party: ``claimed`` if the party (or a front or alias
   of it) claimed the attack, ``attributed`` if officials blamed it, else ``suspected``
   (hedged blame, unknown attribution). With no named actor (blank ``actor_group``):
   ``suspected``, unless ``include_unattributed=False``. By a named group that is no party:
   no tier, never a violation.
6. **Violation** (``is_violation``). In scope, with a tier, dated inside the truce, not in
   its first ``grace_days`` days (time for the order to reach fighters), and none of its
   possible days is one the truce began or lapsed part-way through (rule 7b).
7. **Possible violation** (``is_possible_violation``): flagged, never counted. In scope and
   with a tier, and (a) its possible dates straddle the truce's start or end and reach past
   the grace days: it may or may not fall inside (an event dated inside the truce whose
   range reaches outside is both a violation and a possible one); or (b) the truce began
   (``start_time``) or lapsed (``end_time``) part-way through a day the event may fall on,
   and it is dated inside the truce after the grace days: dated no closer than that day,
   it may have come before the start (after the end). An event dated only 24 November
   cannot be shown to break a truce that began at 07:00 that day.
8. **Counted** (``counted``). A violation of a tier in ``count_tiers`` (default claimed and
   attributed: the violations a reporter can stand behind; suspected violations are
   flagged but not counted unless asked for). ``violation_tier`` is blank for events that
   are neither violations nor possible ones.

Counting units
--------------
``violation_number`` counts **incidents**: the 1st, 2nd, 3rd ... counted violation of the
truce, by date (ties by ``event_id``). ``violation_day`` counts **violation days**: counted
incidents of one truce on the same day are one episode (the two convoy bombs of 10 December
2020 are one violation day, as the reporter counted them). ``days_into_truce``: the event's
date minus the truce's start, in days.

An event that falls in several truces (a local truce inside a national one) is in the result
**once per truce**; an event in no truce is not in it (it cannot violate anything).
Summaries, the funnel of these rules per truce, durability and the list of violations are
in :mod:`analysis.truce_reports` (importable from here too), among them
:func:`~analysis.truce_reports.one_row_per_event`, which joins the result back to the event
table.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence, Sized
from typing import cast

import numpy as np
import pandas as pd

from analysis._kernels.codes import joint_codes
from analysis._kernels.intervals import day_bounds, day_numbers, overlapping_pairs
from analysis._kernels.sorting import number_within_groups, order_pairs
from analysis._kernels.threads import background, take_columns
from analysis.events import alias_key
from analysis.io.countries import country_key_of
from analysis.schema import STR_DTYPE, DataError, DataWarning, require_columns
from analysis.truce_table import SCOPE
from analysis.truce_table import TRUCE_COLUMNS as TRUCE_COLUMNS
from analysis.truce_table import YES_NO as YES_NO
from analysis.truce_table import read_truces as read_truces
from analysis.truce_table import validate_truces as validate_truces
from analysis.values import closest, value_codes

TIERS = ("claimed", "attributed", "suspected")
TIER_DTYPE = pd.CategoricalDtype(list(TIERS), ordered=True)


def flag_violations(
    events: pd.DataFrame,
    truces: pd.DataFrame,
    *,
    grace_days: int = 0,
    include_unattributed: bool = True,
    count_tiers: Sequence[str] = ("claimed", "attributed"),
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Flag every event against every truce it falls in, by the rules of the module notes.

    Requires: events ``[event_id, date, actor_group, attribution]``, ``date_start`` and
    ``date_end`` for dates known only to a week, month or range, and the columns the truces'
    scope limits (``target_type, country, admin1, event_type``; ``target_group`` for truces
    between parties or with excluded groups) — run :func:`analysis.events.normalize_actors`
    first so fronts and spellings map to the parties; truces as from :func:`read_truces`.

    Adds: ``truce_id``, ``in_truce``, ``in_scope``, ``is_party``, ``violation_tier``,
    ``is_violation``, ``is_possible_violation``, ``counted`` (rules 1 to 8),
    ``violation_number``, ``violation_day`` and ``days_into_truce`` (the counting units).
    ``grace_days`` (rule 6), ``include_unattributed`` (rule 5) and ``count_tiers`` (rule 8)
    as there. ``columns``: the event columns to carry into the result (default: all;
    ``event_id`` and ``date`` always).

    One row per (event, truce) pair; events in no truce are left out (see
    :func:`~analysis.truce_reports.one_row_per_event` for every event). Sorted by truce (in
    the truce table's order) and date; rows of one day keep the events' order.
    ``result.attrs["record_end"]`` is the events' latest date (ISO text), the default end of
    the record for the reports. No cross join of events and truces is made. Inputs are not
    modified.

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
    # rules 1 and 2, in the result's order: by truce, date, and the events' order
    rows, truce = order_pairs(*_pairs_in_territory(ev, days, truces), days["date"], len(truces))
    with background() as meanwhile:
        taken = meanwhile(take_columns, ev[keep], rows)  # the event columns, copied meanwhile
        flags = _pair_flags(ev, days, truces, rows, truce, grace_days=grace_days,
                            include_unattributed=include_unattributed, count_tiers=count_tiers)
        # counting units: incidents by date (ties by event_id), and violation days
        flags["violation_number"], flags["violation_day"] = number_within_groups(
            truce, rows, flags["counted"], day=days["date"], ids=ev["event_id"])
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
        group_list = truce_col in ("parties", "excluded")
        for (truce_id, item), alone in zip(missing[["truce_id", "item"]].to_numpy(),
                                           none_matched[~matched], strict=True):
            near = closest(item, known, cutoff=0.8 if group_list else 0.6)
            if group_list and not near and not (alone and truce_col == "parties"):
                continue  # a group with no event of its own: no sign of a typo
            found.append(f"truce {truce_id}: {truce_col} {item!r} matches no event's "
                         f"{event_col}" + (f" (did you mean {near!r}?)" if near else
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
    require_columns(events, need, source="flag_violations", expected="a validated event table")
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
    """Each event's day and its earliest and latest possible days (``date``, ``lo``, ``hi``:
    days since 1970); a blank ``date_start`` or ``date_end`` is the event's date."""
    def day(col):
        return day_numbers(ev[col].fillna(ev["date"]) if ev[col].hasnans else ev[col])
    return {"date": day("date"), "lo": day("date_start"), "hi": day("date_end")}


def _pairs_in_territory(ev, days, truces) -> tuple[np.ndarray, np.ndarray]:
    """Rules 1 and 2: (event position, truce position) of every event whose possible dates
    overlap a truce's days, in the truce's territory."""
    if len(ev) == 0 or len(truces) == 0:
        none = np.array([], dtype=np.int64)
        return none, none
    place, covers = _places(ev, truces)
    start, end = day_bounds(truces["start"], truces["end"])
    return overlapping_pairs(place, covers, days["date"], days["lo"], days["hi"], start, end)


def _places(ev, truces) -> tuple[np.ndarray, np.ndarray]:
    """Each event's place (its (country, admin1) pair, coded 0..P-1) and the boolean matrix
    [truce, place]: does the truce's territory (``countries`` and ``admin1``; blank = any)
    cover the place?"""
    country, country_key, country_keys = _codes(ev["country"], country_key_of,
                                                ev.get("country_iso3"))
    admin1, admin1_key, admin1_keys = _codes(ev["admin1"])
    place, country_of, admin1_of = joint_codes(country, admin1, n_a=len(country_key) - 1,
                                               n_b=len(admin1_key) - 1)
    covers = (_membership(truces, "countries", country_keys, country_key_of)[
                  :, country_key[country_of]]
              & _membership(truces, "admin1", admin1_keys)[:, admin1_key[admin1_of]])
    return place, covers


def _pair_flags(ev, days, truces, rows, truce, *, grace_days, include_unattributed,
                count_tiers) -> dict[str, np.ndarray]:
    """Rules 1 and 3 to 8 for every (event, truce) pair, as arrays (from integer codes: no
    per-pair strings)."""
    first, last = day_bounds(truces["start"], truces["end"])
    start, end = first[truce], last[truce]
    date, lo, hi = days["date"][rows], days["lo"][rows], days["hi"][rows]
    after_grace = date >= start + grace_days
    in_truce = (date >= start) & (date <= end)  # 1
    in_scope = _in_scope(ev, truces, rows, truce)  # 3
    is_party, tier = _party_and_tier(ev, truces, rows, truce,  # 4, 5
                                     include_unattributed=include_unattributed)
    candidate = in_scope & (tier >= 0)
    straddles = ((((lo < start) & (hi >= start)) | ((lo <= end) & (hi > end)))  # 7a
                 & (hi >= start + grace_days))
    part_day = _on_a_part_day(truces, truce, lo, hi, start, end)  # 7b
    is_violation = candidate & in_truce & after_grace & ~part_day  # 6
    possible = candidate & (straddles | (part_day & in_truce & after_grace))  # 7
    tier[~(is_violation | possible)] = -1
    counted = is_violation & np.isin(tier, [TIERS.index(t) for t in count_tiers])  # 8
    return {"in_truce": in_truce, "in_scope": in_scope, "is_party": is_party, "tier": tier,
            "is_violation": is_violation, "counted": counted,
            "is_possible_violation": possible, "days_into_truce": date - start}


def _in_scope(ev, truces, rows, truce) -> np.ndarray:
    """Rule 3 per pair: target type and event type in the truce's lists (blank list = any),
    and the attack not against a group the truce does not protect."""
    in_scope = np.ones(len(rows), dtype=bool)
    for truce_col in ("target_types", "event_types"):
        if truces[truce_col].notna().any():  # blank everywhere = any: nothing to test
            codes, key, keys = _codes(ev[SCOPE[truce_col]])
            # [truce, value code]; code -1 (blank) reads the last column, the blank key's
            in_scope &= _membership(truces, truce_col, keys)[:, key][truce, codes[rows]]
    return in_scope & _against_protected(ev, truces, rows, truce)


def _party_and_tier(ev, truces, rows, truce, *, include_unattributed
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Rules 4 and 5 per pair: whether the actor group is a party, and the tier code (index
    into :data:`TIERS`; -1: none). An attribution other than claimed or attributed (hedged,
    unknown, blank) makes a party's attack suspected."""
    codes, key, group_keys = _codes(ev["actor_group"])
    party = _membership(truces, "parties", group_keys)
    party[:, group_keys.get_loc("")] = False  # _codes always lists the blank key
    group = codes[rows]
    is_party = party[:, key][truce, group]
    said, stated = value_codes(ev["attribution"])
    suspected = TIERS.index("suspected")
    by_word = pd.Index(TIERS).get_indexer(pd.Index(stated, dtype=object))
    by_word = np.append(np.where(by_word >= 0, by_word, suspected), suspected).astype(np.int8)
    tier = np.where(is_party, by_word[said[rows]], -1).astype(np.int8)
    if include_unattributed:
        blank = key == group_keys.get_loc("")  # by value code (-1 reads the last entry)
        tier[blank[group]] = suspected
    return is_party, tier


def _on_a_part_day(truces, truce, lo, hi, start, end) -> np.ndarray:
    """Rule 7b per pair: the truce began (``start_time``) or lapsed (``end_time``) part-way
    through a day the event may fall on."""
    late = truces["start_time"].notna().to_numpy()[truce]
    early = truces["end_time"].notna().to_numpy()[truce]
    return (late & (lo <= start) & (hi >= start)) | (early & (lo <= end) & (hi >= end))


def _against_protected(ev, truces, rows, truce) -> np.ndarray:
    """Rule 3 per pair: may the attack violate the truce by whom it hit? Not when the
    target's group is excluded from the truce, nor, for a truce between its parties only,
    when the target is not a party (an attack whose target group is blank cannot be shown to
    be between parties and is left out)."""
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
        carried = np.full(len(cast("Sized", uniques)), -1, dtype=np.int64)
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


#: the reports on flagged truces live in analysis.truce_reports; their names stay importable
#: from here (loaded on first use: that module imports this one)
_REPORTS = ("SurvivalCurve", "explain_truces", "kaplan_meier", "one_row_per_event", "truce_count_summary",
            "truce_durability", "violation_summary", "violation_table", "why_not_counted")


def __getattr__(name: str):
    if name not in _REPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from analysis import truce_reports

    return getattr(truce_reports, name)
