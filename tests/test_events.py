"""count_events and normalize_actors."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.events import alias_key, count_events, normalize_actors, period_start, read_aliases
from analysis.io import read_events
from analysis.paths import ACTOR_ALIASES, INCIDENTS
from analysis.schema import DataError


def events_on(*dates, **cols):
    return pd.DataFrame({"date": pd.to_datetime(list(dates)), **cols})


def test_daily_counts_fill_quiet_days_with_zero():
    out = count_events(events_on("2020-12-10", "2020-12-10", "2020-12-13"))
    assert out["date"].dt.strftime("%m-%d").tolist() == ["12-10", "12-11", "12-12", "12-13"]
    assert out["count"].tolist() == [2, 0, 0, 1]


def test_weeks_start_on_monday_and_months_on_the_first():
    ev = events_on("2020-12-20", "2020-12-21", "2021-01-03")  # Sun, Mon, Sun
    weekly = count_events(ev, "W")
    assert weekly["date"].dt.day_name().unique().tolist() == ["Monday"]
    assert weekly["count"].tolist() == [1, 1, 1]
    monthly = count_events(ev, "MS")
    assert monthly["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-12-01", "2021-01-01"]
    assert monthly["count"].tolist() == [2, 1]


def test_start_and_end_extend_the_calendar_and_drop_events_outside():
    ev = events_on("2020-12-09", "2020-12-10", "2020-12-20")
    out = count_events(ev, start="2020-12-10", end="2020-12-25")
    assert len(out) == 16
    assert out["count"].sum() == 2
    assert out.iloc[-1]["count"] == 0


def test_by_group_gives_every_group_every_period():
    ev = events_on("2020-12-10", "2020-12-12", target_type=["convoy", "embassy"])
    out = count_events(ev, by="target_type")
    assert len(out) == 2 * 3
    pivot = out.pivot(index="date", columns="target_type", values="count")
    assert pivot["convoy"].tolist() == [1, 0, 0]
    assert pivot["embassy"].tolist() == [0, 0, 1]


def test_value_sums_a_column_instead_of_counting():
    ev = events_on("2020-12-10", "2020-12-10", killed=pd.array([2, None], dtype="Int64"))
    assert count_events(ev, value="killed")["count"].tolist() == [2.0]


def test_empty_table_and_bad_input():
    assert count_events(events_on()).empty
    with pytest.raises(DataError, match="missing column"):
        count_events(events_on("2020-12-10"), by="nope")
    with pytest.raises(ValueError, match="freq"):
        count_events(events_on("2020-12-10"), "Y")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.dates(min_value=pd.Timestamp("2019-01-01").date(),
                         max_value=pd.Timestamp("2021-12-31").date()), min_size=1, max_size=60),
       st.sampled_from(["D", "W", "MS"]))
def test_counts_sum_to_events_and_match_a_naive_groupby(dates, freq):
    ev = events_on(*dates)
    out = count_events(ev, freq)
    assert out["count"].sum() == len(ev)
    assert out["date"].is_monotonic_increasing and out["date"].is_unique
    naive = pd.Series(1, index=pd.DatetimeIndex(period_start(ev["date"], freq))).groupby(level=0).sum()
    got = out.set_index("date")["count"]
    assert (got.loc[naive.index] == naive).all()
    assert got.drop(naive.index).eq(0).all()


def test_count_events_on_curated_data_has_zero_days_and_sums_to_events():
    events = read_events(INCIDENTS)
    daily = count_events(events, "D", start="2019-10-01", end="2021-03-31")
    assert len(daily) == (pd.Timestamp("2021-03-31") - pd.Timestamp("2019-10-01")).days + 1
    assert (daily["count"] == 0).sum() > 300  # most days are quiet
    in_range = events["date"].between("2019-10-01", "2021-03-31")
    assert daily["count"].sum() == in_range.sum() == len(events)
    assert daily.loc[daily["date"] == "2020-12-10", "count"].item() == 2
    weekly = count_events(events, "W", by="target_type")
    assert weekly["count"].sum() == len(events)


def test_alias_key_ignores_case_apostrophes_hyphens_and_spacing():
    assert alias_key(pd.Series(["Asa'ib Ahl al-Haq", " asaib ahl al haq "])).nunique() == 1


def test_normalize_actors_uses_alias_then_existing_group_then_name():
    ev = pd.DataFrame({"actor": ["KATAEB HEZBOLLAH", "Lone wolf", None, "Other"],
                       "actor_group": [None, None, None, "Given group"]})
    aliases = pd.DataFrame({"alias": ["Kataeb Hezbollah"], "actor_group": ["Kataib Hezbollah"]})
    out = normalize_actors(ev, aliases)
    assert out["actor_group"].tolist()[:2] == ["Kataib Hezbollah", "Lone wolf"]
    assert pd.isna(out["actor_group"].iloc[2])
    assert out["actor_group"].iloc[3] == "Given group"
    assert out["actor_matched"].tolist() == [True, False, False, False]
    assert "actor_matched" not in ev.columns  # input untouched


def test_an_unidentified_actor_is_no_group_of_its_own():
    # ACLED's label for an unknown perpetrator, and a wire's; "Unknowns Brigade" is a name
    ev = pd.DataFrame({"actor": ["Unidentified Armed Group (Iraq)", "unknown gunmen",
                                 "Unknowns Brigade", "Unidentified Armed Group (Iraq)"],
                       "actor_group": [None, None, None, "Given group"]})
    out = normalize_actors(ev, pd.DataFrame({"alias": ["x"], "actor_group": ["X"]}))
    assert out["actor_group"].isna().tolist() == [True, True, False, False]
    assert out["actor_group"].iloc[2:].tolist() == ["Unknowns Brigade", "Given group"]


def test_shipped_alias_table_maps_every_curated_actor():
    aliases = read_aliases(ACTOR_ALIASES)
    events = normalize_actors(read_events(INCIDENTS), aliases)
    named = events["actor"].notna()
    assert events.loc[named, "actor_matched"].all(), events.loc[named & ~events["actor_matched"], "actor"]
    jabbarin = events["actor"] == "Qasem al-Jabbarin"
    assert (events.loc[jabbarin, "actor_group"] == "Iran-aligned resistance factions").all()


def test_alias_table_rejects_duplicates_and_unsourced_rows(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,actor_group,relation,source_url,reason\n"
                    "KH,Kataib Hezbollah,spelling,,abbreviation\n"
                    "kh,Kataib Hezbollah,spelling,,abbreviation\n")
    with pytest.raises(DataError, match=r"alias listed more than once.*row 2.*row 3"):
        read_aliases(path)
    path.write_text("alias,actor_group,relation,source_url,reason\nKH,Kataib Hezbollah,spelling,,\n")
    with pytest.raises(DataError, match=r"without a source or a reason.*row 2"):
        read_aliases(path)


def test_period_start_is_vectorised_numpy():
    out = period_start(pd.Series(pd.to_datetime(["2020-02-29", "2021-01-01"])), "MS")
    assert out.dtype == np.dtype("datetime64[D]")
