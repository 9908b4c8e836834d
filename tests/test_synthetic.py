"""Tests for the SYNTHETIC data generators, and for the benchmark's reference implementations
(row-wise pandas and DuckDB SQL in benchmarks/reference.py), so that the equality checks
``make bench`` prints are themselves checked."""

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.anniversaries import add_anniversary_window
from analysis.events import count_events, normalize_actors
from analysis.io import load_events, write_csv
from analysis.schema import CATEGORY_COLUMNS, EVENT_COLUMNS
from analysis.synthetic import (
    ATTRIBUTION_SHARES,
    EVENT_TYPES,
    PRECISION_SHARES,
    TARGET_TYPES,
    simulate_daily_counts,
    synthetic_aliases,
    synthetic_events,
    synthetic_key_dates,
    synthetic_truces,
)
from analysis.truces import flag_violations
from analysis.validate import check_events, validate_events


def _load_reference():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "reference.py"
    spec = importlib.util.spec_from_file_location("bench_reference", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_reference"] = module
    spec.loader.exec_module(module)
    return module


ref = _load_reference()


@pytest.fixture(scope="module")
def events():
    return synthetic_events(20_000, seed=7)


@pytest.fixture(scope="module")
def small():
    """A small table on a two-year calendar, its normalised form, truces and key dates."""
    ev = synthetic_events(1_500, seed=11, start="2019-01-01", years=2)
    norm = normalize_actors(ev, synthetic_aliases())
    truces = synthetic_truces(30, seed=11, start="2019-01-01", years=2)
    return ev, norm, truces, synthetic_key_dates(20, seed=11)


# --------------------------------------------------------------------------------------
# Events


def test_same_seed_same_table_other_seed_other_table():
    a, b = synthetic_events(3_000, seed=3), synthetic_events(3_000, seed=3)
    pd.testing.assert_frame_equal(a, b)
    c = synthetic_events(3_000, seed=4)
    assert not a["actor"].equals(c["actor"])


def test_events_are_canonical_and_valid(events):
    assert list(events.columns) == list(EVENT_COLUMNS)
    assert {c: str(t) for c, t in events.dtypes.items()} == {c: str(t) for c, t in EVENT_COLUMNS.items()}
    pd.testing.assert_frame_equal(validate_events(events), events)
    assert events["event_id"].is_unique
    assert (events["dataset"] == "synthetic").all()
    assert events["source_url"].str.startswith("https://example.org/synthetic/").all()
    assert events["date"].is_monotonic_increasing
    assert events["date"].min() >= pd.Timestamp("2014-01-01")
    assert events["date"].max() < pd.Timestamp("2024-01-01")


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_tables(n):
    ev = synthetic_events(n)
    assert len(ev) == n and list(ev.columns) == list(EVENT_COLUMNS)


def test_promised_mix(events):
    n = len(events)
    precision = events["date_precision"].value_counts(normalize=True)
    for level, share in PRECISION_SHARES.items():
        assert precision[level] == pytest.approx(share, abs=0.02)
    week = events[events["date_precision"] == "week"]
    assert ((week["date"] - week["date_start"]).dt.days == 3).all()
    month = events[events["date_precision"] == "month"]
    assert (month["date_start"].dt.day == 1).all() and month["date_end"].dt.is_month_end.all()
    attribution = events["attribution"].value_counts(normalize=True)
    assert attribution["unknown"] == pytest.approx(0.25, abs=0.02)
    named = events[events["attribution"] != "unknown"]["attribution"].value_counts(normalize=True)
    for tier, share in ATTRIBUTION_SHARES.items():
        assert named[tier] == pytest.approx(share, abs=0.02)
    unknown = events[events["attribution"] == "unknown"]["actor"]
    assert unknown.isna().any() and unknown.str.startswith("Unidentified Armed Group").any()
    assert events["country"].nunique() >= 45
    regions = events.groupby("country")["admin1"].nunique()
    assert regions.between(5, 12).all() and regions.median() >= 8
    assert set(events["target_type"]) == set(TARGET_TYPES)
    assert set(events["event_type"]) == set(EVENT_TYPES)
    assert events["killed"].isna().mean() == pytest.approx(0.08, abs=0.01)
    assert events["killed"].max() > 10 and (events["killed"] == 0).any()
    assert events["actor_group"].isna().all() and events["notes"].isna().all()
    daily = count_events(events, "D")["count"]
    assert daily.var() > 1.5 * daily.mean()  # bursty: more spread than Poisson counts
    assert n == len(events)


def test_actors_map_to_groups_through_the_alias_table(events):
    aliases = synthetic_aliases()
    norm = normalize_actors(events, aliases)
    spelt = events["actor"].notna() & ~events["actor"].str.contains("local militia|Unidentified",
                                                                     na=False)
    assert norm.loc[spelt, "actor_matched"].all()
    assert set(norm.loc[spelt, "actor_group"]) <= set(aliases["actor_group"])
    assert norm.loc[spelt, "actor_group"].nunique() >= 35
    assert not norm.loc[~spelt, "actor_matched"].any()
    # spellings beyond the alias table's own (capitals, hyphens) are there and still match
    assert (~events.loc[spelt, "actor"].isin(aliases["alias"])).any()
    assert events.loc[spelt, "actor"].isin(aliases["alias"]).mean() > 0.9


def test_simulate_daily_counts_unchanged():
    """The same seed gives the same series (pinned: the calibration tables in
    benchmarks/README.md were made with it), another seed another, and the long-run mean is
    the one asked for."""
    counts = simulate_daily_counts(days=10, seed=1)
    assert list(counts.columns) == ["date", "count", "mu"] and len(counts) == 10
    assert counts["date"].iloc[0] == pd.Timestamp("2014-01-01")
    assert counts["count"].tolist() == [0, 5, 0, 1, 0, 0, 3, 0, 0, 0]
    assert counts["mu"].round(4).tolist() == [0.4673, 0.6405, 0.6771, 0.552, 0.45, 0.4758,
                                              0.6521, 0.8939, 0.945, 0.7704]
    assert counts.equals(simulate_daily_counts(days=10, seed=1))
    assert not counts["count"].equals(simulate_daily_counts(days=10, seed=2)["count"])
    long = simulate_daily_counts(days=20_000, seed=2, trend=0.0, mean=0.6)
    assert 0.55 < long["count"].mean() < 0.75 and long["count"].var() > 1.5 * long["count"].mean()


# --------------------------------------------------------------------------------------
# Aliases, truces, key dates


def test_aliases():
    aliases = synthetic_aliases()
    assert len(aliases) == 160 and aliases["actor_group"].nunique() == 40
    assert (aliases.groupby("actor_group").size() == 4).all()
    assert (aliases["reason"] == "synthetic").all()
    assert set(aliases["relation"]) == {"canonical", "spelling", "translation", "abbreviation"}


def test_truces():
    truces = synthetic_truces(200, seed=5)
    pd.testing.assert_frame_equal(truces, synthetic_truces(200, seed=5))
    assert truces["truce_id"].is_unique and len(truces) == 200
    days = (truces["end"] - truces["start"]).dt.days + 1
    assert days.dropna().between(7, 3 * 365).all() and 30 < days.median() < 120
    # open-ended: the truces still holding when the 10-year period ends; the rest end inside it
    assert 0 < truces["end"].isna().mean() < 0.1
    assert (truces["end"].dropna() < pd.Timestamp("2024-01-01")).all()
    parties = truces["parties"].str.split("; ")
    assert parties.map(len).between(1, 3).all() and parties.map(len).max() > 1
    groups = set(synthetic_aliases()["actor_group"])
    assert all(set(p) <= groups for p in parties)
    assert not truces["countries"].str.contains(";").any()
    assert 0.5 < truces["admin1"].notna().mean() < 0.8
    assert truces["target_types"].notna().any() and truces["event_types"].notna().any()
    # some truces overlap another in the same country
    t = truces.assign(end=truces["end"].fillna(pd.Timestamp.max))
    pairs = t.merge(t, on="countries")
    overlap = (pairs["truce_id_x"] < pairs["truce_id_y"]) & (pairs["start_x"] <= pairs["end_y"]) \
        & (pairs["start_y"] <= pairs["end_x"])
    assert overlap.sum() >= 10
    # the truces' countries and regions are the events' countries and regions
    ev = synthetic_events(20_000, seed=5)
    assert set(truces["countries"]) <= set(ev["country"])
    assert set(truces["admin1"].dropna()) <= set(synthetic_events(200_000, seed=5)["admin1"])


def test_key_dates():
    kd = synthetic_key_dates()
    assert len(kd) == 20 and (kd["calendar"] == "gregorian").sum() == 10
    assert (kd["recurs"] == "annual").all() and kd["key_date_id"].is_unique
    assert kd.loc[0, "date"] == pd.Timestamp("2008-02-29")
    assert kd.loc[10, "hijri_date"] == "1429-02-30"
    pd.testing.assert_frame_equal(kd, synthetic_key_dates())
    assert len(synthetic_key_dates(5)) == 5


# --------------------------------------------------------------------------------------
# The benchmark's reference implementations agree with the library


def test_rowwise_validate_agrees(small):
    ev = small[0]
    table, problems = ref.rowwise_validate(ev)
    assert problems == []
    pd.testing.assert_frame_equal(table, validate_events(ev))


def test_rowwise_validate_finds_the_same_problems():
    raw = pd.DataFrame({
        "event_id": ["a", "a", "b", "c", None, "d"],
        "date": ["2020-12-20", "2020-12-21", "2020-02-31", "2020-11", "2020-01-01", "2020-01-01"],
        "date_end": ["2020-12-19", None, None, None, None, None],
        "killed": ["1", "-2", "x", "1.5", None, "inf"],
        "wounded": [None, None, None, None, None, "1e30"],
        "source_url": ["https://x.org/a", "ftp://x", None, None, None, None],
        "latitude": [None, "95", "nan", None, None, None],
    })
    _, expected, _ = check_events(raw)
    _, problems = ref.rowwise_validate(raw)
    ours = sorted((int(r), p.column, p.problem) for p in expected for r in p.rows)
    assert sorted(problems) == ours


def test_rowwise_read_csv_agrees(small, tmp_path):
    path = write_csv(small[0], tmp_path / "events.csv")
    table, problems = ref.rowwise_read_csv(path)
    assert problems == []
    pd.testing.assert_frame_equal(table, load_events(path).events)
    head, _ = ref.rowwise_read_csv(path, nrows=10)
    first = load_events(path).events.head(10)
    first[list(CATEGORY_COLUMNS)] = first[list(CATEGORY_COLUMNS)].apply(
        lambda s: s.cat.remove_unused_categories())
    pd.testing.assert_frame_equal(head, first)


def test_rowwise_transforms_agree(small):
    ev, norm, truces, key_dates = small
    assert ref.compare(normalize_actors(ev, synthetic_aliases()),
                       ref.rowwise_normalize(ev, synthetic_aliases()), "normalize") == "ok"
    assert ref.compare(count_events(norm, "D", by="actor_group"),
                       ref.rowwise_count(norm, "actor_group"), "count") == "ok"
    flagged = flag_violations(norm, truces)
    assert flagged["is_violation"].sum() > 20 and flagged["is_possible_violation"].any()
    assert ref.compare(flagged, ref.rowwise_flag(norm, truces), "flag") == "ok"
    for options in ({"grace_days": 5}, {"include_unattributed": False},
                    {"count_tiers": ("claimed", "attributed", "suspected")}):
        assert ref.compare(flag_violations(norm, truces, **options),
                           ref.rowwise_flag(norm, truces, **options), "flag") == "ok", options
    assert ref.compare(add_anniversary_window(norm, key_dates),
                       ref.rowwise_windows(norm, key_dates), "windows") == "ok"
    assert ref.compare(add_anniversary_window(norm, key_dates, before=3, after=0),
                       ref.rowwise_windows(norm, key_dates, before=3, after=0), "windows") == "ok"


def test_compare_reports_a_difference(small):
    norm = small[1]
    counts = count_events(norm, "D", by="actor_group")
    changed = counts.assign(count=counts["count"].where(counts.index != 5, 99))
    assert ref.compare(counts, changed, "count").startswith("1 rows only in ours")
    assert ref.compare(counts, counts.iloc[1:], "count").startswith("1 rows only in ours")


@pytest.fixture
def duck(small):
    pytest.importorskip("duckdb")
    con = ref.duck_connect(memory_limit="1GB", threads=1)
    ref.register(con, "ev_df", small[0])
    ref.register(con, "norm_df", small[1])
    ref.run(con, "CREATE TABLE events AS SELECT * FROM ev_df")
    ref.run(con, "CREATE TABLE norm_in AS SELECT * FROM norm_df")
    yield con
    con.close()


def _table(con, name):
    return con.execute(f"SELECT * FROM {name}").df()


def test_duckdb_transforms_agree(small, duck):
    ev, norm, truces, key_dates = small
    ref.duck_normalize(duck, synthetic_aliases(), source="events", out="norm")
    assert ref.compare(norm, _table(duck, "norm"), "normalize") == "ok"
    ref.duck_count(duck, source="norm_in")
    assert ref.compare(count_events(norm, "D", by="actor_group"), _table(duck, "counts"),
                       "count") == "ok"
    for options in ({}, {"grace_days": 5}, {"include_unattributed": False}):
        ref.duck_flag(duck, truces, source="norm_in", **options)
        assert ref.compare(flag_violations(norm, truces, **options), _table(duck, "flagged"),
                           "flag") == "ok", options
    ref.duck_windows(duck, ref.occurrences(key_dates, norm["date"]), source="norm_in")
    assert ref.compare(add_anniversary_window(norm, key_dates), _table(duck, "windows"),
                       "windows") == "ok"


def test_duckdb_compare_on_saved_result(small, duck, tmp_path):
    norm, truces = small[1], small[2]
    flagged = flag_violations(norm, truces)
    saved = tmp_path / "flag.parquet"
    flagged[[c for c, _ in ref.PROJECTIONS["flag"]]].to_parquet(saved)
    ref.duck_flag(duck, truces, source="norm_in")
    assert ref.duck_compare(duck, saved, "flagged", "flag") == "ok"
    ref.run(duck, "UPDATE flagged SET is_violation = NOT is_violation WHERE rowid = 3")
    assert ref.duck_compare(duck, saved, "flagged", "flag") != "ok"


def test_duckdb_reads_and_validates_like_ours(small, duck, tmp_path):
    ev = small[0]
    path = write_csv(ev, tmp_path / "events.csv")
    ref.duck_read_csv(duck, path, table="from_csv")
    assert ref.duck_summary(duck, "from_csv") == ref.summary(load_events(path).events)
    assert ref.duck_validate(duck, "from_csv") == {}
    bad = ev.head(50).copy()
    bad.loc[1, "event_id"] = bad.loc[0, "event_id"]
    bad.loc[2, "date_end"] = bad.loc[2, "date"] - pd.Timedelta(days=2)
    bad.loc[3, "killed"] = -1
    bad.loc[4, "source_url"] = "example.org/x"
    bad.loc[5, "latitude"] = 91.0
    ref.register(duck, "bad_df", bad)
    ref.run(duck, "CREATE TABLE bad AS SELECT * FROM bad_df")
    _, problems, _ = check_events(bad)
    assert ref.duck_validate(duck, "bad") == {(p.column, p.problem): len(p.positions)
                                              for p in problems}


def test_benchmark_predicts_flag_rows(small):
    """The benchmark skips flag_violations runs that cannot fit, from this prediction."""
    path = Path(ref.__file__).parent / "run.py"
    spec = importlib.util.spec_from_file_location("bench_run", path)
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    norm, truces = small[1], small[2]
    flagged = flag_violations(norm, truces)
    assert run.predicted_flag_rows(norm, truces) == len(flagged) > 0
