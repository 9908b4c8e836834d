"""Truces as data, and every event flagged against them.

A truce table has one row per truce (see :func:`read_truces` and ``data/README.md``):
who announced it and when, when it took effect and ended (blank end = still in force), the
actor groups bound by it (``parties``), and optional scope (target types, countries, admin1
regions, event types; blank = any).

:func:`flag_violations` joins events to truces. An event that falls in several truces (a
local truce inside a national one) appears **once per truce**; an event in no truce appears
once with a blank ``truce_id``. :func:`one_row_per_event` folds the result back to one row
per event.

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

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.events import alias_key
from analysis.io import read_text_table
from analysis.schema import DATE_DTYPE, STR_DTYPE, DataError

TIERS = ("claimed", "attributed", "suspected")
TIER_DTYPE = pd.CategoricalDtype(list(TIERS), ordered=True)
TRUCE_COLUMNS = ("truce_id", "name", "label", "announced_on", "start", "end", "announced_by", "parties",
                 "target_types", "countries", "admin1", "event_types", "conditions",
                 "source_url", "notes")
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
    Optional: ``name, label`` (short name for charts), ``announced_on, end`` (blank =
    open-ended), ``announced_by``, scope lists
    ``target_types; countries; admin1; event_types`` (blank = any), ``conditions``,
    ``source_url``, ``notes``. A truce ending before it starts, an unreadable date or a
    duplicate id raises :class:`DataError` with the row (as a spreadsheet shows it).
    """
    rows = np.arange(2, 2 + len(raw)) if rows is None else np.asarray(rows)
    missing = [c for c in ("truce_id", "start", "parties") if c not in raw.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(map(repr, missing))}", source=source,
                        expected="a truce table with columns " + ", ".join(TRUCE_COLUMNS))
    t = pd.DataFrame({c: raw[c] if c in raw.columns else np.nan for c in TRUCE_COLUMNS},
                     index=raw.index).astype(STR_DTYPE)
    t = t.apply(lambda s: s.str.strip().replace("", np.nan))
    t = t.assign(**{c: _split_list(t[c]) for c in ("parties", *SCOPE)})
    extras = raw[[c for c in raw.columns if c not in TRUCE_COLUMNS]]

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
    for col in ("announced_on", "start", "end"):
        parsed = pd.to_datetime(t[col], errors="coerce", format="ISO8601")
        fail(t[col].notna() & parsed.isna(), col, "date could not be read",
             "an ISO date (YYYY-MM-DD) that exists in the calendar")
        t[col] = parsed.dt.normalize().astype(DATE_DTYPE)
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


def _membership(truces: pd.DataFrame, column: str, values: pd.Series) -> np.ndarray:
    """Boolean matrix [truce, row of ``values``]: is the value in the truce's ``;`` list?

    A truce whose list is blank matches everything. Matching ignores case, apostrophes and
    hyphens (:func:`analysis.events.alias_key`). Vectorised over rows; loops over truces only.
    """
    keys = alias_key(values).fillna("")
    codes, uniques = pd.factorize(keys)
    lists = truces[column].str.split("; ")
    table = np.zeros((len(truces), len(uniques)), dtype=bool)
    lookup = pd.Index(uniques)
    for i, items in enumerate(lists):
        if not isinstance(items, list):
            table[i, :] = True
            continue
        hit = lookup.get_indexer(alias_key(pd.Series(items)).to_numpy())
        table[i, hit[hit >= 0]] = True
    return table, codes


def flag_violations(
    events: pd.DataFrame,
    truces: pd.DataFrame,
    *,
    grace_days: int = 0,
    include_unattributed: bool = True,
    count_tiers: Sequence[str] = ("claimed", "attributed"),
) -> pd.DataFrame:
    """Flag every event against every truce it falls in.

    Requires: events ``[event_id, date, date_start, date_end, actor_group, attribution]`` and
    the scope columns (``target_type, country, admin1, event_type``) — run
    :func:`analysis.events.normalize_actors` first so fronts and spellings map to the
    parties; truces as from :func:`read_truces`.

    Adds: ``truce_id``, ``in_truce`` (``start <= date <= end``), ``in_scope``,
    ``is_party`` (the actor group is bound by the truce), ``violation_tier`` (claimed /
    attributed / suspected, see the module notes; blank when not a violation),
    ``is_violation``, ``counted`` (tier in ``count_tiers``), ``violation_number`` (incidents)
    and ``violation_day`` (violation days), both 1..n among counted violations,
    ``days_into_truce``, and ``is_possible_violation`` — the event's possible date range
    straddles the truce's start or end, so it may or may not fall inside.

    ``grace_days``: events in the first ``grace_days`` days of a truce are not violations
    (time for the order to reach fighters). ``include_unattributed``: an in-scope attack with
    no named actor is a suspected violation (default) or not flagged at all.

    One row per (event, truce); an event in no truce appears once with blank ``truce_id``.
    Sorted by truce, date, event id. Inputs are not modified.

    Examples
    --------
    >>> ev = pd.DataFrame({"event_id": ["a", "b"], "date": pd.to_datetime(["2020-10-05", "2020-11-17"]),
    ...                    "actor_group": ["KH", "KH"], "attribution": ["claimed", "attributed"]})
    >>> tr = validate_truces(pd.DataFrame({"truce_id": ["T1"], "start": ["2020-10-10"], "parties": ["KH"]}))
    >>> flag_violations(ev, tr)[["event_id", "truce_id", "is_violation", "violation_number"]].to_numpy().tolist()
    [['b', 'T1', True, 1], ['a', nan, False, <NA>]]
    """
    ev = _prepare_events(events)
    ev_pos, tr_pos = _overlapping_pairs(ev, truces)
    pairs = _pair_flags(ev, truces, ev_pos, tr_pos, grace_days=grace_days,
                        include_unattributed=include_unattributed, count_tiers=count_tiers)
    pairs = _number_violations(pairs)
    outside = np.setdiff1d(np.arange(len(ev)), ev_pos)
    alone = ev.iloc[outside].assign(
        truce_id=pd.Series(np.nan, index=ev.index[outside], dtype=STR_DTYPE),
        in_truce=False, in_scope=False, is_party=False, is_violation=False, counted=False,
        is_possible_violation=False)
    out = pd.concat([pairs, alone], ignore_index=True) if len(alone) else pairs
    out = out.sort_values(["truce_id", "date", "event_id"], na_position="last", kind="stable",
                          ignore_index=True)
    out["violation_tier"] = out["violation_tier"].astype(TIER_DTYPE)
    for col in ("violation_number", "violation_day", "days_into_truce"):
        out[col] = out[col].astype("Int64")
    lead = ["event_id", "date", "truce_id", "is_violation", "violation_tier", "violation_number",
            "violation_day", "days_into_truce", "is_possible_violation", "counted", "in_truce",
            "in_scope", "is_party"]
    return out[lead + [c for c in ev.columns if c not in lead]]


def _prepare_events(events: pd.DataFrame) -> pd.DataFrame:
    need = ["event_id", "date"]
    missing = [c for c in need if c not in events.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(map(repr, missing))}",
                        source="flag_violations", expected="a validated event table")
    ev = events.reset_index(drop=True)
    defaults = {"date_start": ev["date"], "date_end": ev["date"], "actor_group": np.nan,
                "attribution": "unknown", **{c: np.nan for c in SCOPE.values()}}
    return ev.assign(**{c: v for c, v in defaults.items() if c not in ev.columns})


def _overlapping_pairs(ev: pd.DataFrame, truces: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(event position, truce position) for every event whose possible dates touch a truce.

    Sorted dates and ``searchsorted``: no cross join. Events are candidates when ``date``
    lies within the truce window widened by the longest date range in the table, then kept if
    ``[date_start, date_end]`` overlaps ``[start, end]``.
    """
    if len(ev) == 0 or len(truces) == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    date = ev["date"].to_numpy("datetime64[D]")
    lo_d = ev["date_start"].fillna(ev["date"]).to_numpy("datetime64[D]")
    hi_d = ev["date_end"].fillna(ev["date"]).to_numpy("datetime64[D]")
    reach = max((date - lo_d).max(), (hi_d - date).max(), np.timedelta64(0, "D"))
    order = np.argsort(date, kind="stable")
    sorted_dates = date[order]
    start = truces["start"].to_numpy("datetime64[D]")
    end = truces["end"].fillna(pd.Timestamp.max.normalize()).to_numpy("datetime64[D]")
    lo = np.searchsorted(sorted_dates, start - reach, side="left")
    hi = np.searchsorted(sorted_dates, end + reach, side="right")
    sizes = np.maximum(hi - lo, 0)
    tr_pos = np.repeat(np.arange(len(truces)), sizes)
    offsets = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    ev_pos = order[np.repeat(lo, sizes) + offsets]
    keep = (lo_d[ev_pos] <= end[tr_pos]) & (hi_d[ev_pos] >= start[tr_pos])
    return ev_pos[keep], tr_pos[keep]


def _pair_flags(ev, truces, ev_pos, tr_pos, *, grace_days, include_unattributed, count_tiers):
    """All per-(event, truce) flags, vectorised over pairs."""
    unknown_tiers = set(count_tiers) - set(TIERS)
    if unknown_tiers:
        raise ValueError(f"count_tiers must be among {TIERS}, not {sorted(unknown_tiers)}")
    pairs = ev.iloc[ev_pos].reset_index(drop=True)
    date = pairs["date"].to_numpy("datetime64[D]")
    start = truces["start"].to_numpy("datetime64[D]")[tr_pos]
    end = truces["end"].fillna(pd.Timestamp.max.normalize()).to_numpy("datetime64[D]")[tr_pos]
    lo_d = pairs["date_start"].fillna(pairs["date"]).to_numpy("datetime64[D]")
    hi_d = pairs["date_end"].fillna(pairs["date"]).to_numpy("datetime64[D]")
    in_truce = (date >= start) & (date <= end)
    straddles = ((lo_d < start) & (hi_d >= start)) | ((lo_d <= end) & (hi_d > end))

    in_scope = np.ones(len(pairs), dtype=bool)
    for truce_col, event_col in SCOPE.items():
        member, codes = _membership(truces, truce_col, pairs[event_col])
        in_scope &= member[tr_pos, codes]
    party, codes = _membership(truces, "parties", pairs["actor_group"])
    no_actor = pairs["actor_group"].isna().to_numpy()
    is_party = party[tr_pos, codes] & ~no_actor

    attribution = pairs["attribution"].astype(STR_DTYPE).fillna("unknown").to_numpy()
    tier = np.where(is_party & np.isin(attribution, ["claimed", "attributed"]), attribution,
                    np.where(is_party | (no_actor & include_unattributed), "suspected", None))
    grace_end = start + grace_days * _DAY
    candidate = in_scope & (tier != None)  # noqa: E711 (elementwise on an object array)
    is_violation = candidate & in_truce & (date >= grace_end)
    possible = candidate & straddles & (hi_d >= grace_end)
    tier = np.where(is_violation | possible, tier, None)
    return pairs.assign(
        truce_id=truces["truce_id"].to_numpy()[tr_pos],
        truce_start=start.astype("datetime64[ns]"),
        in_truce=in_truce, in_scope=in_scope, is_party=is_party,
        violation_tier=tier, is_violation=is_violation,
        counted=is_violation & np.isin(tier.astype(str), list(count_tiers)),
        is_possible_violation=possible,
        days_into_truce=((date - start) // _DAY).astype("int64"),
    )


def _number_violations(pairs: pd.DataFrame) -> pd.DataFrame:
    """violation_number (incidents) and violation_day (distinct days), 1..n per truce."""
    pairs = pairs.sort_values(["truce_id", "date", "event_id"], kind="stable", ignore_index=True)
    counted = pairs.loc[pairs["counted"], ["truce_id", "date"]]
    first_of_day = ~counted.duplicated(["truce_id", "date"])
    return pairs.assign(
        violation_number=counted.groupby("truce_id").cumcount() + 1,
        violation_day=first_of_day.astype("int64").groupby(counted["truce_id"]).cumsum(),
    ).drop(columns="truce_start")


def one_row_per_event(flagged: pd.DataFrame) -> pd.DataFrame:
    """Fold :func:`flag_violations` output to one row per event.

    Keeps the event's columns and adds ``truce_ids`` (``;``-joined truces it falls in),
    ``violates`` (``;``-joined truces it violates), ``is_violation`` (of any truce),
    ``is_possible_violation`` and the strongest ``violation_tier`` across truces.
    """
    f = flagged
    per_truce_cols = ["truce_id", "is_violation", "violation_tier", "violation_number",
                      "violation_day", "days_into_truce", "is_possible_violation", "counted",
                      "in_truce", "in_scope", "is_party"]
    base = f.drop(columns=per_truce_cols).drop_duplicates("event_id").set_index("event_id")
    grouped = f.groupby("event_id", sort=False)
    agg = pd.DataFrame({
        "truce_ids": _join_per_event(f["event_id"], f["truce_id"]),
        "violates": _join_per_event(f["event_id"], f["truce_id"].where(f["is_violation"])),
        "is_violation": grouped["is_violation"].any(),
        "is_possible_violation": grouped["is_possible_violation"].any(),
        "violation_tier": grouped["violation_tier"].min(),
    })
    return base.join(agg).reset_index().sort_values(["date", "event_id"], ignore_index=True)


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

    ``as_of`` is the date the record runs to (default: the latest event date in
    ``flagged``); an open-ended truce is taken to be in force until then. A truce with no
    counted violation is right-censored: ``days_to_first_violation`` is then the days it has
    held so far and ``censored`` is True.

    Columns: ``truce_id, name, start, end, in_force_until, days_in_force, events_in_truce,
    violations`` (all tiers), ``claimed, attributed, suspected, counted_violations``
    (incidents), ``violation_days`` (days with at least one counted violation),
    ``possible_violations`` (date range straddles a boundary), ``first_violation,
    days_to_first_violation, censored, median_days_between`` (between counted violation
    days), ``violations_per_30_days`` (counted incidents per 30 days in force),
    ``parties_responsible``.
    """
    as_of = pd.Timestamp(as_of) if as_of is not None else flagged["date"].max()
    t = truces.set_index("truce_id")
    until = t["end"].where(t["end"].notna() & (t["end"] <= as_of), as_of)
    days_in_force = ((until - t["start"]).dt.days + 1).clip(lower=0)
    f = flagged[flagged["truce_id"].notna()]
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
    the latest event date), without an ``nth`` violation is right-censored
    (``violated=False``) at the days it held. Feed the result to :func:`kaplan_meier`.
    """
    column = {"incident": "violation_number", "day": "violation_day"}.get(unit)
    if column is None:
        raise ValueError("unit must be 'incident' or 'day'")
    if nth < 1:
        raise ValueError("nth must be 1 or more")
    summary = violation_summary(flagged, truces, as_of=as_of).set_index("truce_id")
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
