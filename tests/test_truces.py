"""Truce tables, flag_violations, summaries and durability."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.schema import DataError, DataWarning
from analysis.truce_reports import (
    explain_truces,
    kaplan_meier,
    one_row_per_event,
    truce_durability,
    violation_summary,
    why_not_counted,
)
from analysis.truce_table import validate_truces
from analysis.truces import flag_violations
from analysis.validate import validate_events

PARTY = "Kataib Hezbollah"


def events(*rows):
    """rows: (event_id, date, actor_group, attribution, **extra) tuples / dicts."""
    frame = pd.DataFrame([r if isinstance(r, dict) else
                          dict(zip(["event_id", "date", "actor_group", "attribution"], r, strict=False))
                          for r in rows])
    for col, default in (("target_type", "diplomatic"), ("country", "Iraq")):
        if col not in frame.columns:
            frame[col] = default
    return validate_events(frame)


def truces(*rows):
    return validate_truces(pd.DataFrame(rows).astype(str).replace("None", ""))


T1 = dict(truce_id="T1", start="2020-10-10", end="2020-12-31", parties=PARTY)


def flags(ev, tr, **kw):
    return flag_violations(ev, tr, **kw).set_index(["event_id", "truce_id"])


def test_start_day_end_day_and_day_after():
    ev = events(("a", "2020-10-10", PARTY, "claimed"), ("b", "2020-12-31", PARTY, "claimed"),
                ("c", "2021-01-01", PARTY, "claimed"), ("d", "2020-10-09", PARTY, "claimed"))
    out = flag_violations(ev, truces(T1))
    got = out.set_index("event_id")
    assert got.loc["a", "is_violation"] and got.loc["a", "days_into_truce"] == 0
    assert got.loc["b", "is_violation"] and got.loc["b", "days_into_truce"] == 82
    assert {"c", "d"}.isdisjoint(got.index)  # outside the truce: not in the result
    assert out.attrs["record_end"] == "2021-01-01T00:00:00"  # the events' last date
    assert got.loc[["a", "b"], "violation_number"].tolist() == [1, 2]


def test_open_ended_truce_runs_on():
    ev = events(("a", "2035-06-01", PARTY, "attributed"))
    out = flag_violations(ev, truces(dict(T1, end=None)))
    assert out["is_violation"].item() and out["violation_tier"].item() == "attributed"


def test_overlapping_truces_give_one_row_per_truce_and_one_row_per_event_view():
    national = dict(T1, truce_id="NAT")
    local = dict(truce_id="LOC", start="2020-11-01", end="2020-11-30", parties=PARTY,
                 admin1="Baghdad")
    ev = events(dict(event_id="a", date="2020-11-17", actor_group=PARTY, attribution="claimed",
                     admin1="Baghdad"),
                dict(event_id="b", date="2020-11-18", actor_group=PARTY, attribution="claimed",
                     admin1="Basra"))
    out = flag_violations(ev, truces(national, local))
    assert len(out) == 3  # a in both truces; b (Basra) lies outside LOC's territory
    pair = out.set_index(["event_id", "truce_id"])
    assert pair.loc[("a", "LOC"), "is_violation"] and pair.loc[("a", "NAT"), "is_violation"]
    assert ("b", "LOC") not in pair.index and pair.loc[("b", "NAT"), "is_violation"]
    folded = one_row_per_event(ev, out).set_index("event_id")
    assert len(folded) == 2
    assert folded.loc["a", "violates"] == "LOC; NAT"
    assert folded.loc["b", "violates"] == "NAT"
    later = events(dict(event_id="z", date="2021-03-01", actor_group=PARTY, attribution="claimed"))
    every = one_row_per_event(pd.concat([ev, later]), out).set_index("event_id")
    assert len(every) == 3 and not every.loc["z", "is_violation"]  # in no truce: kept, blank
    assert pd.isna(every.loc["z", "truce_ids"]) and pd.isna(every.loc["z", "violation_tier"])


def test_date_range_across_the_start_is_a_possible_violation():
    ev = events(dict(event_id="w", date="2020-10-08", date_precision="week", actor_group=PARTY,
                     attribution="claimed"),  # could be 5-11 Oct
                dict(event_id="m", date="2020-12", actor_group=PARTY, attribution="claimed"))
    out = flag_violations(ev, truces(T1)).set_index("event_id")
    assert out.loc["w", "is_possible_violation"] and not out.loc["w", "is_violation"]
    assert out.loc["w", "truce_id"] == "T1"
    assert not out.loc["m", "is_possible_violation"] and out.loc["m", "is_violation"]


def test_a_truce_that_starts_or_ends_part_way_through_a_day():
    """Events dated only to the first or last day of a truce that began (lapsed) at a time of
    day may lie outside it: possible violations, not counted; the days between count."""
    ev = events(("first", "2020-10-10", PARTY, "claimed"), ("mid", "2020-10-11", PARTY, "claimed"),
                ("last", "2020-12-31", PARTY, "claimed"),
                dict(event_id="wk", date="2020-10-08", date_precision="week", actor_group=PARTY,
                     attribution="claimed"))  # 5-11 Oct: straddles the start either way
    timed = flag_violations(ev, truces(dict(T1, start_time="07:00", end_time="19:00")))
    got = timed.set_index("event_id")
    assert got["is_possible_violation"].to_dict() == {"wk": True, "first": True, "mid": False,
                                                      "last": True}
    assert got["counted"].to_dict() == {"wk": False, "first": False, "mid": True, "last": False}
    assert got.loc["mid", "violation_number"] == 1
    whole_days = flag_violations(ev, truces(T1)).set_index("event_id")  # blank: the whole day
    assert whole_days.loc[["first", "mid", "last"], "counted"].all()
    timed_truces = truces(dict(T1, start_time="07:00", end_time="19:00"))
    summary = violation_summary(timed, timed_truces)
    assert summary.loc[0, "counted_violations"] == 1 and summary.loc[0, "possible_violations"] == 3
    funnel = explain_truces(ev, timed_truces, timed).iloc[0]  # where the by-party events went
    assert (funnel["by_party"], funnel["edge_of_truce"], funnel["counted"]) == (3, 2, 1)
    reasons = why_not_counted(timed).set_axis(timed["event_id"])
    assert reasons["mid"] == "" and all(reasons[e].startswith("possible:")
                                        for e in ("first", "last", "wk"))


def test_unattributed_event_is_suspected_or_left_out():
    ev = events(("u", "2020-10-11", None, "unknown"))
    out = flag_violations(ev, truces(T1))
    assert out["violation_tier"].item() == "suspected" and out["is_violation"].item()
    assert pd.isna(out["violation_number"].item())  # not counted by default
    counted = flag_violations(ev, truces(T1), count_tiers=("claimed", "attributed", "suspected"))
    assert counted["violation_number"].item() == 1
    strict = flag_violations(ev, truces(T1), include_unattributed=False)
    assert not strict["is_violation"].item() and pd.isna(strict["violation_tier"].item())


def test_non_party_is_not_a_violation():
    ev = events(("i", "2020-11-01", "Islamic State", "claimed"))
    out = flag_violations(ev, truces(T1))
    assert not out["is_violation"].item() and out["in_truce"].item()


def test_an_attack_by_an_unidentified_armed_group_is_a_suspected_violation():
    from analysis.events import normalize_actors

    raw = events(dict(event_id="u", date="2020-11-01", attribution="unknown"))
    raw["actor"] = "Unidentified Armed Group (Iraq)"  # as ACLED names an unknown perpetrator
    aliases = pd.DataFrame({"alias": ["Qasim al-Jabarin"], "actor_group": [PARTY]})
    out = flag_violations(normalize_actors(raw, aliases), truces(T1))
    assert out["violation_tier"].item() == "suspected" and not out["counted"].item()
    assert not flag_violations(normalize_actors(raw, aliases), truces(T1),
                               include_unattributed=False)["is_violation"].item()


def test_party_named_by_an_alias_counts_after_normalize_actors():
    from analysis.events import normalize_actors

    raw = events(dict(event_id="j", date="2020-12-10", attribution="claimed"))
    raw["actor"] = "Qasim al-Jabarin"
    aliases = pd.DataFrame({"alias": ["Qasim al-Jabarin"], "actor_group": [PARTY]})
    with pytest.warns(DataWarning, match="normalize_actors"):  # said, never a silent zero
        before = flag_violations(raw, truces(T1))
    assert before["violation_tier"].isna().item()  # the front's name as written: no party
    after = flag_violations(normalize_actors(raw, aliases), truces(T1))
    assert after["violation_tier"].item() == "claimed" and after["violation_number"].item() == 1


def test_event_in_another_country_is_out_of_scope():
    ev = events(dict(event_id="s", date="2020-11-01", actor_group=PARTY, attribution="claimed",
                     country="Syria"))
    with pytest.warns(DataWarning, match="countries 'Iraq' matches no event's country"):
        out = flag_violations(ev, truces(dict(T1, countries="Iraq")))
    assert out.empty  # not its territory
    ev_civilian = events(dict(event_id="c", date="2020-11-01", actor_group=PARTY,
                              attribution="claimed", target_type="civilian"))
    out = flag_violations(ev_civilian, truces(dict(T1, countries="Iraq",
                                                   target_types="diplomatic")))
    assert out["in_truce"].item() and not out["in_scope"].item() and not out["is_violation"].item()


@pytest.mark.parametrize("scope", ["Syria", "SYR", "syr", " Syrian Arab Republic "])
def test_a_country_scope_is_a_name_or_an_iso3_code(scope):
    ev = events(dict(event_id="s", date="2020-11-01", actor_group=PARTY, attribution="claimed",
                     country="Syria"), dict(event_id="i", date="2020-11-02", actor_group=PARTY,
                                            attribution="claimed", country="Iraq"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        out = flag_violations(ev, truces(dict(T1, countries=scope)))
    assert out["event_id"].tolist() == ["s"]


def test_events_carrying_only_an_iso3_code_match_a_named_scope():
    # a provider spelling the vocabulary does not know, with the code the provider gave
    ev = events(dict(event_id="s", date="2020-11-01", actor_group=PARTY, attribution="claimed",
                     country="Syrie", country_iso3="SYR"))
    assert flag_violations(ev, truces(dict(T1, countries="Syria")))["event_id"].tolist() == ["s"]


def test_a_misspelt_scope_value_is_warned_about_with_the_closest_event_value():
    ev = events(dict(event_id="s", date="2020-11-01", actor_group=PARTY, attribution="claimed",
                     country="Syria", target_type="diplomatic"))
    with pytest.warns(DataWarning) as caught:
        out = flag_violations(ev, truces(dict(T1, countries="Syira; Syria",
                                              target_types="diplomatc")))
    messages = [str(w.message) for w in caught]
    assert any("countries 'Syira' matches no event's country (did you mean 'Syria'?)" in m
               for m in messages)
    assert any("target_types 'diplomatc' matches no event's target_type (did you mean "
               "'diplomatic'?)" in m for m in messages)
    assert not out["in_scope"].any()  # the typo is reported, and the count stays honest


def test_grace_days():
    ev = events(("a", "2020-10-11", PARTY, "claimed"), ("b", "2020-10-13", PARTY, "claimed"))
    out = flag_violations(ev, truces(T1), grace_days=3).set_index("event_id")
    assert not out.loc["a", "is_violation"] and out.loc["b", "is_violation"]


def test_empty_event_table():
    ev = validate_events(pd.DataFrame({"event_id": [], "date": []}))
    out = flag_violations(ev, truces(T1))
    assert out.empty and "violation_number" in out.columns
    summary = violation_summary(out, truces(T1), as_of="2020-11-01")
    assert summary.loc[0, "counted_violations"] == 0 and summary.loc[0, "censored"]


def test_truce_ending_before_it_starts_is_a_clear_error():
    with pytest.raises(DataError, match=r"ends before it starts.*'end'.*row 2"):
        truces(dict(T1, start="2020-10-10", end="2020-10-01"))
    with pytest.raises(DataError, match=r"duplicate truce id"):
        truces(T1, T1)
    with pytest.raises(DataError, match=r"date could not be read.*2020-02-31"):
        truces(dict(T1, start="2020-02-31"))


def test_two_counting_units_and_summary():
    ev = events(("n17", "2020-11-17", PARTY, "attributed"), ("d10a", "2020-12-10", PARTY, "claimed"),
                ("d10b", "2020-12-10", PARTY, "claimed"), ("d20", "2020-12-20", PARTY, "attributed"),
                ("u", "2020-10-11", None, "unknown"))
    out = flag_violations(ev, truces(dict(T1, end=None))).set_index("event_id")
    assert out.loc[["n17", "d10a", "d10b", "d20"], "violation_number"].tolist() == [1, 2, 3, 4]
    assert out.loc[["n17", "d10a", "d10b", "d20"], "violation_day"].tolist() == [1, 2, 2, 3]
    s = violation_summary(out.reset_index(), truces(dict(T1, end=None)), as_of="2020-12-31").iloc[0]
    assert (s["counted_violations"], s["violation_days"], s["suspected"]) == (4, 3, 1)
    assert (s["claimed"], s["attributed"]) == (2, 2)
    assert s["first_violation"] == pd.Timestamp("2020-11-17")
    assert s["days_to_first_violation"] == 38 and not s["censored"]
    assert s["days_in_force"] == 83
    assert s["violations_per_30_days"] == round(4 / 83 * 30, 2)
    assert s["median_days_between"] == 16.5  # gaps of 23 and 10 days between violation days
    assert s["parties_responsible"] == PARTY


def test_durability_and_kaplan_meier_with_censoring():
    tr = truces(dict(truce_id="A", start="2020-01-01", end="2020-12-31", parties=PARTY),
                dict(truce_id="B", start="2020-03-01", end="2020-03-31", parties=PARTY),
                dict(truce_id="C", start="2020-06-01", end=None, parties=PARTY))
    ev = events(("a1", "2020-01-11", PARTY, "claimed"), ("c1", "2020-06-21", PARTY, "claimed"))
    dur = truce_durability(flag_violations(ev, tr), tr, as_of="2020-12-31").set_index("truce_id")
    assert dur.loc["A", "days"] == 10 and dur.loc["A", "violated"]
    assert dur.loc["B", "days"] == 30 and not dur.loc["B", "violated"]  # ended unbroken
    assert dur.loc["C", "days"] == 20 and dur.loc["C", "violated"]
    km = kaplan_meier(dur.reset_index())
    curve = km.to_frame()
    # hand-computed KM: at t=10, 3 at risk, 1 event -> 2/3; t=20, 2 at risk, 1 event -> 1/3
    assert np.allclose(curve.loc[curve["violated"] > 0, "survival"], [2 / 3, 1 / 3])
    assert km.violated == 2 and km.median_days == 20 and km.stats["median_days"] == 20
    assert (curve["conf_low"] <= curve["survival"]).all()
    assert km.sentences[0].startswith("Half of the 3 truces were first violated within 20 days "
                                      "(95% CI")
    assert "Truce survival (Kaplan–Meier)" in km.summary() and "<table" in km._repr_html_()


@st.composite
def random_tables(draw):
    n = draw(st.integers(1, 25))
    days = draw(st.lists(st.integers(0, 120), min_size=n, max_size=n))
    groups = draw(st.lists(st.sampled_from([PARTY, "Other", None]), min_size=n, max_size=n))
    attr = draw(st.lists(st.sampled_from(["claimed", "attributed", "suspected", "unknown"]),
                         min_size=n, max_size=n))
    ev = events(*[(f"e{i:02d}", str(pd.Timestamp("2020-09-01") + pd.Timedelta(days=d))[:10], g, a)
                  for i, (d, g, a) in enumerate(zip(days, groups, attr, strict=False))])
    tr = truces(dict(truce_id="X", start="2020-09-20", end="2020-11-15", parties=PARTY),
                dict(truce_id="Y", start="2020-10-01", end=None, parties=f"{PARTY}; Other"))
    return ev, tr, draw(st.randoms())


@settings(max_examples=60, deadline=None)
@given(random_tables())
def test_properties_shuffle_invariance_windows_and_gapless_numbers(tables):
    ev, tr, rnd = tables
    out = flag_violations(ev, tr, count_tiers=("claimed", "attributed", "suspected"))
    shuffled = ev.sample(frac=1, random_state=rnd.randint(0, 10**6))
    again = flag_violations(shuffled, tr, count_tiers=("claimed", "attributed", "suspected"))
    key = ["truce_id", "event_id"]  # rows of one truce and day keep the input order
    pd.testing.assert_frame_equal(out.sort_values(key, ignore_index=True),
                                  again.sort_values(key, ignore_index=True))
    windows = tr.set_index("truce_id")
    v = out[out["is_violation"]]
    start = windows.loc[v["truce_id"], "start"].to_numpy()
    end = windows.loc[v["truce_id"], "end"].fillna(pd.Timestamp.max).to_numpy()
    assert ((v["date"].to_numpy() >= start) & (v["date"].to_numpy() <= end)).all()
    for _, grp in out[out["counted"]].groupby("truce_id"):
        assert grp["violation_number"].tolist() == list(range(1, len(grp) + 1))
        days = grp["violation_day"].drop_duplicates().tolist()
        assert days == list(range(1, len(days) + 1))
    d = ev["date"].to_numpy()[:, None]  # [event, truce]: no territory limits here
    inside = ((d >= tr["start"].to_numpy()) & ((d <= tr["end"].to_numpy())
                                               | tr["end"].isna().to_numpy())).any(axis=1)
    assert set(out["event_id"]) == set(ev.loc[inside, "event_id"])  # events inside a truce


# --------------------------------------------------------------------------------------
# The seed story, from the shipped data through the CLI


def test_seed_story_third_violation_via_cli(tmp_path, capsys):
    from analysis.cli import main

    out_csv = tmp_path / "flagged.csv"
    assert main(["violations", "--csv", str(out_csv)]) == 0  # shipped data, shipped aliases
    printed = capsys.readouterr().out
    assert "TR-2020-01" in printed and "counted_violations" in printed
    flagged = pd.read_csv(out_csv, parse_dates=["date"])
    assert {"date", "truce_id", "is_violation", "violation_tier", "violation_number"} <= set(flagged)
    counted = flagged[flagged["violation_number"].notna()].sort_values("violation_number")
    days = counted.drop_duplicates("violation_day")
    # counting claimed + attributed violations by day: 17 Nov, 10 Dec (two convoy bombs), 20 Dec
    assert days["date"].dt.strftime("%Y-%m-%d").tolist()[:3] == ["2020-11-17", "2020-12-10",
                                                                 "2020-12-20"]
    story = flagged.set_index("event_id").loc["IRQ-20201220-01"]
    assert story["violation_day"] == 3 and story["violation_number"] == 4
    assert story["violation_tier"] == "attributed"
    convoys = flagged.set_index("event_id").loc[["IRQ-20201210-01", "IRQ-20201210-02"]]
    assert convoys["violation_tier"].eq("claimed").all() and convoys["violation_day"].eq(2).all()
    # beside them: the unclaimed convoy bomb of 11 October is suspected, not counted
    oct11 = flagged.set_index("event_id").loc["IRQ-20201011-01"]
    assert oct11["violation_tier"] == "suspected" and pd.isna(oct11["violation_number"])
    before = flagged[(flagged["date"] < "2020-12-20") & flagged["is_violation"]]
    assert (before["violation_tier"] == "suspected").sum() == 1


def test_cli_without_aliases_says_so_and_loses_the_front_group_claims(capsys):
    from analysis.cli import main

    with pytest.warns(DataWarning, match="not been through analysis.events.normalize_actors"):
        assert main(["violations", "--aliases", "none"]) == 0
    printed = capsys.readouterr().out
    # the front's claims are matched as written: not a party, so not counted (and said so)
    assert "Qasem al-Jabbarin" not in printed


# --------------------------------------------------------------------------------------
# A real ceasefire: UCDP GED Syria against the nationwide ceasefire of 30 December 2016


@pytest.mark.real_data
def test_ucdp_syria_government_insurgent_events_against_the_december_2016_ceasefire(real_data):
    from analysis.io import read_ucdp_ged

    path = real_data / "ucdp_ged_syria_2016_2019" / "ged191_syria.csv"
    events = read_ucdp_ged(path)
    dyad = events[events["dyad_name"] == "Government of Syria - Syrian insurgents"]
    dyad = dyad.assign(actor_group=dyad["actor"])
    # Russia-Turkey brokered nationwide ceasefire, in force from 30 December 2016 (scope: the
    # government and the armed opposition; IS and JFS excluded, hence the dyad filter above)
    tr = validate_truces(pd.DataFrame({
        "truce_id": ["SYR-2016-12-30"], "start": ["2016-12-30"], "end": ["2017-05-05"],
        "parties": ["Government of Syria; Syrian insurgents"], "countries": ["Syria"]}))
    flagged = flag_violations(dyad, tr)
    summary = violation_summary(flagged, tr).iloc[0]

    # independent count straight from the CSV with pandas
    raw = pd.read_csv(path, usecols=["dyad_name", "date_start", "date_end"],
                      parse_dates=["date_start", "date_end"])
    raw = raw[raw["dyad_name"] == "Government of Syria - Syrian insurgents"]
    inside = raw["date_start"].between("2016-12-30", "2017-05-05")
    assert summary["counted_violations"] == inside.sum() > 100
    assert summary["first_violation"] == raw.loc[inside, "date_start"].min()
    straddle = ((raw["date_start"] < "2016-12-30") & (raw["date_end"] >= "2016-12-30")) | \
               ((raw["date_start"] <= "2017-05-05") & (raw["date_end"] > "2017-05-05"))
    assert summary["possible_violations"] == straddle.sum()
    assert flagged.loc[flagged["is_violation"], "violation_tier"].eq("attributed").all()
    numbers = flagged["violation_number"].dropna()
    assert sorted(numbers.tolist()) == list(range(1, len(numbers) + 1))


def test_lean_columns_give_the_same_flags():
    ev = events(("a", "2020-11-17", PARTY, "attributed"), ("b", "2020-12-10", None, "unknown"),
                ("c", "2020-09-01", PARTY, "claimed"))
    full = flag_violations(ev, truces(T1))
    lean = flag_violations(ev, truces(T1), columns=[])
    assert list(lean.columns[:2]) == ["event_id", "date"] and "actor_group" not in lean.columns
    pd.testing.assert_frame_equal(lean, full[lean.columns])


# --------------------------------------------------------------------------------------
# No silent zero: typos, missing columns, raw names, and the truce table's own checks


def test_a_typo_in_a_party_is_warned_with_the_closest_group():
    ev = events(*[(f"e{i}", f"2020-11-{i + 1:02d}", "Southern Front", "claimed") for i in range(6)])
    with pytest.warns(DataWarning, match=r"parties 'Southern Frnt' matches no event's actor_group "
                                         r"\(did you mean 'Southern Front'\?\)"):
        out = flag_violations(ev, truces(dict(T1, parties="Southern Frnt")))
    assert out["counted"].sum() == 0  # the count is zero, and the reason was said
    fixed = flag_violations(ev, truces(dict(T1, parties="Southern Front")))
    assert fixed["counted"].sum() == 6


def test_a_party_without_attacks_of_its_own_is_not_a_false_alarm():
    ev = events(("a", "2020-11-01", PARTY, "claimed"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        out = flag_violations(ev, truces(dict(T1, parties=f"{PARTY}; Harakat al-Nujaba")))
    assert out["counted"].sum() == 1


def test_a_scope_column_the_events_lack_is_an_error_not_a_zero():
    ev = events(("a", "2020-11-01", PARTY, "claimed")).drop(columns="target_type")
    with pytest.raises(DataError, match="limit target_types but the events have no target_type"):
        flag_violations(ev, truces(dict(T1, target_types="diplomatic")))
    assert flag_violations(ev, truces(T1))["counted"].sum() == 1  # no limit: nothing missing


def test_a_scope_country_given_as_iso3_matches():
    ev = events(dict(event_id="s", date="2020-11-01", actor_group=PARTY, attribution="claimed",
                     country="Iraq", country_iso3="IRQ"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        out = flag_violations(ev, truces(dict(T1, countries="IRQ")))
    assert out["counted"].sum() == 1


@pytest.mark.parametrize("field, value, message", [
    ("start", "2020-10", "not a whole date"),
    ("end", "2020", "not a whole date"),
    ("start", "2020-02-30", "could not be read"),
    ("parties", "Kataib Hezbollah, Asaib Ahl al-Haq", "separated by commas"),
    ("countries", "Iraq, Syria", "separated by commas"),
    ("between_parties", "maybe", "not yes or no"),
    ("start_time", "7am", "not a time of day"),
    ("end_time", "24:00", "not a time of day"),
])
def test_the_truce_table_is_checked_as_strictly_as_events(field, value, message):
    with pytest.raises(DataError, match=message) as info:
        truces(dict(T1, **{field: value}))
    assert info.value.column == field and info.value.rows == [2] and value in info.value.values


def test_a_single_name_with_a_comma_is_written_with_a_semicolon():
    tr = truces(dict(T1, parties="Hayat Tahrir al-Sham, formerly JFS;"))
    assert tr["parties"].item() == "Hayat Tahrir al-Sham, formerly JFS"


# --------------------------------------------------------------------------------------
# Truces between parties, and excluded groups


GOV, REBELS, IS = "Government of Syria", "Syrian insurgents", "IS"
SYRIA = dict(truce_id="S1", start="2016-12-30", end="2017-02-28", parties=f"{GOV}; {REBELS}",
             between_parties="yes", excluded=IS)


def dyad_events():
    from analysis.events import normalize_actors

    rows = [("g-r", GOV, REBELS), ("r-g", REBELS, GOV), ("g-is", GOV, IS), ("is-r", IS, REBELS),
            ("g-civ", GOV, "Civilians (Syria)")]
    ev = events(*[dict(event_id=i, date="2017-01-10", actor=a, target=t, attribution="attributed",
                       country="Syria") for i, a, t in rows])
    return normalize_actors(ev, pd.DataFrame({"alias": [], "actor_group": []}, dtype=object))


def test_only_attacks_between_parties_violate_a_truce_between_parties():
    out = flag_violations(dyad_events(), truces(SYRIA)).set_index("event_id")
    assert out.loc[out["is_violation"]].index.tolist() == ["g-r", "r-g"]
    # without the rule, the attacks on IS and on civilians by a party count too
    wide = flag_violations(dyad_events(), truces(dict(SYRIA, between_parties="no", excluded="")))
    assert sorted(wide.loc[wide["is_violation"], "event_id"]) == ["g-civ", "g-is", "g-r", "r-g"]


def test_an_attack_on_an_excluded_group_is_no_violation():
    out = flag_violations(dyad_events(), truces(dict(SYRIA, between_parties="no")))
    assert sorted(out.loc[out["is_violation"], "event_id"]) == ["g-civ", "g-r", "r-g"]


def test_a_truce_between_parties_needs_the_target_group():
    ev = dyad_events().drop(columns="target_group")
    with pytest.raises(DataError, match="target_group"):
        flag_violations(ev, truces(SYRIA))


# --------------------------------------------------------------------------------------
# As of a date means as of that date


def test_as_of_stops_every_count_at_that_date():
    ev = events(("a", "2020-10-20", PARTY, "claimed"), ("b", "2020-11-20", PARTY, "claimed"),
                ("c", "2020-12-20", PARTY, "claimed"))
    flagged = flag_violations(ev, truces(T1))
    row = violation_summary(flagged, truces(T1), as_of="2020-11-30").iloc[0]
    assert row["counted_violations"] == 2 and row["events_in_truce"] == 2
    assert row["days_in_force"] == 52  # 10 October to 30 November
    held = truce_durability(flagged, truces(T1), nth=3, as_of="2020-11-30").iloc[0]
    assert not held["violated"] and held["days"] == 51  # censored on the as-of date


@pytest.mark.real_data
def test_ucdp_syria_the_dyad_rule_leaves_out_government_attacks_on_is(real_data):
    from analysis.events import normalize_actors
    from analysis.io import read_ucdp_ged

    path = real_data / "ucdp_ged_syria_2016_2019" / "ged191_syria.csv"
    ev = normalize_actors(read_ucdp_ged(path), pd.DataFrame({"alias": [], "actor_group": []},
                                                            dtype=object))
    # the nationwide ceasefire of 30 December 2016 (Russia and Turkey guarantors) bound the
    # government and the armed opposition; IS and Jabhat Fateh al-Sham were excluded
    tr = validate_truces(pd.DataFrame({
        "truce_id": ["SYR-2016-12-30"], "start": ["2016-12-30"], "end": ["2017-02-28"],
        "parties": ["Government of Syria; Syrian insurgents"], "between_parties": ["yes"],
        "excluded": ["IS; Jabhat Fateh al-Sham"], "countries": ["Syria"]}))
    flagged = flag_violations(ev, tr)

    raw = pd.read_csv(path, usecols=["id", "side_a", "side_b", "date_start"],
                      parse_dates=["date_start"])
    parties = {"Government of Syria", "Syrian insurgents"}
    inside = raw["date_start"].between("2016-12-30", "2017-02-28")
    between = raw["side_a"].isin(parties) & raw["side_b"].isin(parties)
    expected = set(raw.loc[inside & between, "id"].astype(str))
    got = set(flagged.loc[flagged["is_violation"], "event_id"])
    assert got == expected and len(expected) > 100
    on_is = raw[inside & raw["side_a"].eq("Government of Syria") & raw["side_b"].eq("IS")]
    assert len(on_is) > 50 and got.isdisjoint(on_is["id"].astype(str))


def test_the_funnel_shows_where_events_fall_away():
    rows = [("before", "2020-10-01", PARTY, "claimed", "Iraq", "diplomatic"),
            ("elsewhere", "2020-11-01", PARTY, "claimed", "Syria", "diplomatic"),
            ("civilian", "2020-11-02", PARTY, "claimed", "Iraq", "civilian"),
            ("other", "2020-11-03", "Other", "claimed", "Iraq", "diplomatic"),
            ("nobody", "2020-11-04", None, "unknown", "Iraq", "diplomatic"),
            ("hit", "2020-11-05", PARTY, "attributed", "Iraq", "diplomatic")]
    ev = events(*[dict(zip(["event_id", "date", "actor_group", "attribution", "country",
                            "target_type"], r, strict=True)) for r in rows])
    tr = truces(dict(T1, countries="Iraq", target_types="diplomatic"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        flagged = flag_violations(ev, tr)
    row = explain_truces(ev, tr, flagged).iloc[0]
    assert (row["events_in_period"], row["in_territory"], row["in_scope"], row["by_party"]) == (
        5, 4, 3, 1)
    assert (row["claimed"], row["attributed"], row["suspected"], row["counted"]) == (0, 1, 1, 1)
    assert explain_truces(ev, tr, flagged, as_of="2020-11-03").iloc[0]["in_scope"] == 1


def test_names_moved_out_of_truces_are_still_importable_from_it():
    import analysis.truce_reports as reports
    import analysis.truce_table as table
    import analysis.truces as truces

    for name in ("explain_truces", "kaplan_meier", "one_row_per_event", "truce_count_summary",
                 "truce_durability", "violation_summary", "violation_table", "why_not_counted"):
        assert getattr(truces, name) is getattr(reports, name)
    for name in ("TRUCE_COLUMNS", "YES_NO", "read_truces", "validate_truces"):
        assert getattr(truces, name) is getattr(table, name)
    with pytest.raises(AttributeError, match="has no attribute 'flag_violation'"):
        truces.flag_violation  # noqa: B018


def test_a_truce_key_date_or_alias_table_reports_every_problem_at_once():
    """Like an event file: a table with several faults names them all, each with its column,
    rows and values, so a reporter fixes the file in one pass."""
    from analysis.events import validate_aliases
    from analysis.key_dates import validate_key_dates
    from analysis.truce_table import validate_truces

    truces = pd.DataFrame({"truce_id": ["T1", "T1", "T3"], "start": ["2020-10", "2020-10-10",
                                                                    "2020-11-31"],
                           "parties": ["A", "A, B", "C"], "end": ["", "2020-10-01", ""]})
    with pytest.raises(DataError) as err:
        validate_truces(truces, source="truces.csv")
    text = str(err.value)
    assert text.startswith("truces.csv: 5 problems found")
    for part in ("duplicate truce id; column 'truce_id'; 2 row(s): row 2 ('T1'), row 3 ('T1')",
                 "names separated by commas; column 'parties'; 1 row(s): row 3 ('A, B')",
                 "not a whole date; column 'start'; 1 row(s): row 2 ('2020-10')",
                 "date could not be read; column 'start'; 1 row(s): row 4 ('2020-11-31')",
                 "truce ends before it starts; column 'end'"):
        assert part in text, text
    assert err.value.column == "truce_id" and len(err.value.problems) == 5
    key_dates = pd.DataFrame({"key_date_id": ["K", "K"], "date": ["2020-01", "2020-01-03"],
                              "calendar": ["gregorian", "julian"]})
    with pytest.raises(DataError, match=r"(?s)3 problems found.*duplicate key date id.*not a "
                                        r"whole date.*unknown calendar"):
        validate_key_dates(key_dates)
    aliases = pd.DataFrame({"alias": ["KH", "kh", None], "actor_group": ["Kataib Hezbollah", "",
                                                                         "X"],
                            "source_url": ["https://example.org", "", ""]})
    with pytest.raises(DataError, match=r"(?s)4 problems found.*missing alias.*missing actor "
                                        r"group.*without a source.*more than once"):
        validate_aliases(aliases)
