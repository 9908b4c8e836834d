"""Reports on flagged truces: one row per event, per-truce summaries, the funnel of the
rules, durability and survival, and the violations as a reporter would list them.

Each takes the result of :func:`analysis.truces.flag_violations` (the rules are stated in
:mod:`analysis.truces`); every name here is importable from :mod:`analysis.truces` too.
A count "as of" a date never includes what happened after it: by default the record runs
to the latest date of the events that were flagged (``flagged.attrs["record_end"]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from analysis.results import Result
from analysis.schema import DataError
from analysis.truces import TIERS


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


@dataclass(frozen=True)
class SurvivalCurve(Result):
    """How long truces held before their first violation (see :func:`kaplan_meier`).

    ``curve``: ``days, at_risk, violated, survival, conf_low, conf_high``; ``median_days``
    and its interval are None where the curve never falls to one half.
    """

    title: ClassVar[str] = "Truce survival (Kaplan–Meier)"
    curve: pd.DataFrame
    truces: int
    violated: int
    median_days: float | None
    median_conf_low: float | None
    median_conf_high: float | None
    alpha: float = 0.05

    def to_frame(self) -> pd.DataFrame:
        """The curve, one row per day with a violation or a truce still holding."""
        return self.curve

    def facts(self) -> list[tuple[str, object]]:
        """How many truces, how many violated, the median and the confidence level."""
        return [("truces", self.truces), ("violated", self.violated),
                ("still holding (censored)", self.truces - self.violated),
                ("confidence level", f"{round(100 * (1 - self.alpha))}%")]

    @property
    def stats(self) -> dict:
        """The counts and the median with its interval, as a dict."""
        return {"truces": self.truces, "violated": self.violated,
                "median_days": self.median_days, "median_conf_low": self.median_conf_low,
                "median_conf_high": self.median_conf_high}

    @property
    def sentences(self) -> list[str]:
        """The median time to a first violation, with its interval, or that half held."""
        level = round(100 * (1 - self.alpha))
        if self.median_days is None:
            last = int(self.curve["days"].max()) if len(self.curve) else 0
            return [f"More than half of the {self.truces} truces were not violated within the "
                    f"days observed (up to {last}): the median time to a first violation "
                    "cannot be estimated."]
        low = "?" if self.median_conf_low is None else f"{self.median_conf_low:.0f}"
        high = ("more than the days observed" if self.median_conf_high is None
                else f"{self.median_conf_high:.0f}")
        return [f"Half of the {self.truces} truces were first violated within "
                f"{self.median_days:.0f} days ({level}% CI {low} to {high} days); "
                f"{self.violated} of them were violated in all."]


def kaplan_meier(durability: pd.DataFrame, *, alpha: float = 0.05) -> SurvivalCurve:
    """Kaplan–Meier curve of truce survival (share of truces not yet violated) by day.

    Uses statsmodels' ``SurvfuncRight`` (right-censoring for truces still holding). Returns a
    :class:`SurvivalCurve`: the curve (``days, at_risk, violated, survival, conf_low,
    conf_high``; log-log pointwise intervals from Greenwood's variance) and the median
    survival with its interval (None where the curve never falls to one half: "more than N
    days").
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
    return SurvivalCurve(curve, len(durability), int(durability["violated"].sum()),
                         None if np.isnan(median) else float(median),
                         None if np.isnan(lo) else float(lo),
                         None if np.isnan(hi) else float(hi), alpha)


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
