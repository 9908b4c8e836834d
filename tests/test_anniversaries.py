"""Key dates, occurrences in two calendars, windows, and the event study."""

import warnings

import pandas as pd
import pytest

from analysis.anniversaries import (
    add_anniversary_window,
    anniversary_occurrences,
    event_study,
    read_key_dates,
    validate_key_dates,
)
from analysis.events import count_events
from analysis.io import read_events
from analysis.paths import INCIDENTS, KEY_DATES
from analysis.schema import DataError, DataWarning
from analysis.synthetic import simulate_daily_counts


def key_dates(*rows):
    cols = ["key_date_id", "date", "calendar", "recurs", "before", "after"]
    return validate_key_dates(pd.DataFrame([dict(zip(cols, r, strict=False)) for r in rows]))


SOLEIMANI = key_dates(("G", "2020-01-03", "gregorian", "annual"),
                      ("H", "2020-01-03", "hijri", "annual"))


@pytest.mark.parametrize("gregorian, hijri", [
    ("2020-01-03", "1441-05-08"),   # Soleimani killed: 8 Jumada al-Ula 1441
    ("2020-08-29", "1442-01-10"),   # Ashura 1442
    ("2020-12-23", "1442-05-08"),   # first Hijri anniversary, three days after 20 Dec 2020
])
def test_hijri_conversion_known_pairs(gregorian, hijri):
    kd = key_dates(("K", gregorian, "hijri", "annual"))
    assert kd.loc[0, "hijri_date"] == hijri


def test_occurrences_in_both_calendars_with_numbers_and_both_dates():
    occ = anniversary_occurrences(SOLEIMANI, "2019-10-01", "2022-01-31", include_original=True)
    got = occ[["key_date_id", "occurrence", "anniversary"]].astype(str).to_numpy().tolist()
    assert got == [["G", "2020-01-03", "0"], ["H", "2020-01-03", "0"],
                   ["H", "2020-12-23", "1"], ["G", "2021-01-03", "1"],
                   ["H", "2021-12-12", "2"], ["G", "2022-01-03", "2"]]
    assert occ.loc[occ["key_date_id"] == "G", "hijri_date"].tolist()[1] == "1442-05-19"
    no_original = anniversary_occurrences(SOLEIMANI, "2019-10-01", "2021-01-31")
    assert no_original["anniversary"].tolist() == [1, 1]  # the default, as everywhere


def test_observance_recurs_backwards_too_and_one_offs_once():
    kd = key_dates(("ASHURA", "2020-08-29", "hijri", "observance"),
                   ("ONCE", "2020-10-10", "gregorian", "none"))
    occ = anniversary_occurrences(kd, "2004-01-01", "2007-12-31", include_original=True)
    ashura = occ.loc[occ["key_date_id"] == "ASHURA", "occurrence"].dt.strftime("%Y-%m-%d")
    # Ashura 1425-1428 AH in Umm al-Qura
    assert ashura.tolist() == ["2004-03-01", "2005-02-19", "2006-02-09", "2007-01-29"]
    assert "ONCE" not in occ["key_date_id"].tolist()
    once = anniversary_occurrences(kd, "2020-10-01", "2020-10-31", include_original=True)
    assert once["key_date_id"].tolist() == ["ONCE"]


def test_29_february_recurs_on_28_february():
    kd = key_dates(("LEAP", "2020-02-29", "gregorian", "annual"))
    occ = anniversary_occurrences(kd, "2020-01-01", "2024-12-31", include_original=True)
    assert occ["occurrence"].dt.strftime("%m-%d").tolist() == ["02-29", "02-28", "02-28", "02-28",
                                                               "02-29"]


def test_hijri_30th_recurs_on_the_last_day_of_a_29_day_month():
    from hijridate import Hijri

    kd = key_dates(("H30", str(Hijri(1441, 9, 30).to_gregorian()), "hijri", "annual"))
    assert kd.loc[0, "hijri_date"] == "1441-09-30"
    occ = anniversary_occurrences(kd, "2020-01-01", "2026-12-31", include_original=True)
    for hijri, _month_length in zip(occ["hijri_date"], occ["occurrence"], strict=False):
        y, m, d = (int(x) for x in hijri.split("-"))
        assert m == 9 and d == min(30, Hijri(y, 9, 1).month_length())


def test_dates_outside_umm_al_qura_are_clear_errors():
    with pytest.raises(DataError, match=r"outside the range of the Umm al-Qura.*row 2.*1900-01-01"):
        key_dates(("OLD", "1900-01-01", "hijri", "annual"))
    kd = key_dates(("LATE", "2070-01-01", "hijri", "annual"))
    with pytest.raises(DataError, match="outside the Umm al-Qura calendar"):
        anniversary_occurrences(kd, "2070-01-01", "2090-01-01", include_original=True)


def test_bad_key_date_rows():
    with pytest.raises(DataError, match="unknown calendar"):
        key_dates(("X", "2020-01-03", "julian", "annual"))
    with pytest.raises(DataError, match="duplicate key date id"):
        key_dates(("X", "2020-01-03", "hijri", "annual"), ("X", "2020-01-04", "hijri", "annual"))
    with pytest.raises(DataError, match="could not be read.*2020-02-31"):
        key_dates(("X", "2020-02-31", "gregorian", "annual"))
    with pytest.raises(DataError, match="whole number of days"):
        key_dates(("X", "2020-01-03", "gregorian", "annual", "-3", "7"))


def test_windows_across_the_year_end():
    kd = key_dates(("G", "2020-01-03", "gregorian", "annual", "21", "7"))
    dates = pd.to_datetime(["2020-12-13", "2020-12-12", "2021-01-10", "2021-01-11", "2020-06-01"])
    out = add_anniversary_window(pd.DataFrame({"date": dates}), kd)
    assert out["days_to_anniversary"].tolist() == [-21, -22, 7, 8, -216]
    assert out["in_window"].tolist() == [True, False, True, False, False]
    # overriding the key date's own window
    wide = add_anniversary_window(pd.DataFrame({"date": dates}), kd, before=30, after=10)
    assert wide["in_window"].tolist() == [True, True, True, True, False]


def test_overlapping_windows_pick_the_nearest_holding_occurrence():
    events = read_events(INCIDENTS)
    out = add_anniversary_window(events, read_key_dates(KEY_DATES).query("key_date_id.str.startswith('KD-SOLEIMANI')"))
    dec20 = out.set_index("event_id").loc["IRQ-20201220-01"]
    assert (dec20["key_date_id"], dec20["days_to_anniversary"], dec20["in_window"]) == \
        ("KD-SOLEIMANI-H", -3, True)
    assert len(out) == len(events) and out["event_id"].equals(events["event_id"])


def test_shipped_key_dates_validate():
    kd = read_key_dates(KEY_DATES)
    assert {"KD-SOLEIMANI-G", "KD-SOLEIMANI-H", "KD-ASHURA", "KD-ARBAEEN"} <= set(kd["key_date_id"])
    assert kd["source_url"].str.startswith("http").all()


def test_event_study_band_and_placebo():
    kd = key_dates(("G", "2014-01-03", "gregorian", "annual"))
    base = simulate_daily_counts(seed=3)
    win = add_anniversary_window(base, kd, before=5, after=5)["in_window"].to_numpy()
    counts = simulate_daily_counts(window=win, rate_ratio=4, seed=3)
    es = event_study(counts[["date", "count"]], kd, days=30)
    assert es["relative_day"].tolist() == list(range(-30, 31))
    assert es["occurrences"].iloc[0] == 5  # anniversaries 2015-2019 (2014 is the event itself)
    assert (es["conf_low"] <= es["mean"]).all() and (es["mean"] <= es["conf_high"]).all()
    inside = es["relative_day"].between(-5, 5)
    # the planted effect lifts the curve out of the (simultaneous) placebo band on some day
    # of the window, and on no day outside it
    assert (es.loc[inside, "mean"] > es.loc[inside, "placebo_high"]).any()
    assert es["mean"].between(es["placebo_low"], es["placebo_high"])[~inside].all()
    assert es.attrs["shared_days"] == 0 and es.attrs["placebo_shifts"] >= 19
    assert es.attrs["dispersion"] > 1  # overdispersed days widen the confidence band


def test_event_study_too_short_series_is_a_clear_error():
    counts = count_events(read_events(INCIDENTS), "D").iloc[:40]
    with pytest.raises(DataError, match="more than 60 days"):
        event_study(counts, SOLEIMANI, days=30)


@pytest.mark.real_data
def test_sigacts_ashura_windows(real_data):
    """Real case: attacks in the Iraq SIGACTs around Ashura 2004-2007 (Umm al-Qura dates)."""
    from analysis.io import load_events
    from analysis.stats import escalation_test

    result = load_events(real_data / "iraq_sigacts_2004_2007" / "sigacts_iraq_2004_2007.csv",
                         format="sigacts", errors="collect")
    counts = count_events(result.events, "D")
    kd = key_dates(("ASHURA", "2020-08-29", "hijri", "observance", "7", "3"))
    win = add_anniversary_window(counts, kd)
    assert win.loc[win["in_window"], "occurrence"].dt.strftime("%Y-%m-%d").unique().tolist() == \
        ["2004-03-01", "2005-02-19", "2006-02-09", "2007-01-29"]
    assert win["in_window"].sum() == 4 * 11
    res = escalation_test(counts, kd, before=7, after=3, method="permutation", n_permutations=299)
    assert res.occurrences == 4 and 0 < res.conf_low < res.rate_ratio < res.conf_high
    assert res.events_in_windows == counts.loc[win["in_window"].to_numpy(), "count"].sum()
    assert "Ashura" not in res.sentence and "anniversaries" in res.sentence


def test_cli_anniversaries_prints_occurrences_and_sentences(tmp_path, capsys):
    from analysis.cli import main

    out = tmp_path / "windows.csv"
    code = main(["anniversaries", "--key-date", "KD-SOLEIMANI-G", "--key-date", "KD-SOLEIMANI-H",
                 "--before", "21", "--after", "7", "--csv", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "2020-12-23" in printed and "1442-05-08" in printed and "2021-01-03" in printed
    assert "[shift] rate ratio" in printed and "[negbin]" not in printed  # the calibrated one
    assert "In the 21 days before and 7 days after the anniversaries" in printed
    windows = pd.read_csv(out)
    assert windows.loc[windows["event_id"] == "IRQ-20201220-01", "days_to_anniversary"].item() == -3
    assert main(["anniversaries", "--key-date", "NOPE"]) == 2
    assert "unknown key date" in capsys.readouterr().err


def test_cli_on_the_shipped_data_tests_each_question_apart_and_does_not_overclaim(capsys):
    """The README's example: the anniversaries and the religious dates are different
    questions, each tested on its own (they were lumped into one test that printed "2.1 times
    as frequent (95% CI 1.2-3.6)" while the placebo test said p = 0.29); no sentence claims a
    change its interval does not show."""
    from analysis.cli import main

    assert main(["anniversaries", "--before", "21", "--after", "7"]) == 0
    printed = capsys.readouterr().out
    assert "One test per question: the story's anniversaries; the story's religious dates" in printed
    assert printed.count("[shift] rate ratio") == 2
    for line in (x for x in printed.splitlines() if " times as frequent" in x
                 or "less frequent" in x):
        assert "the data cannot tell" in line or "cannot tell this apart from chance" in line
    assert "Ashura" not in printed.split("== the story's religious dates")[0]


def test_key_date_countries_are_names_or_iso3_codes():
    kd_raw = pd.DataFrame({"key_date_id": ["A", "B"], "date": ["2020-01-03"] * 2,
                           "calendar": ["gregorian"] * 2, "countries": ["Iraq; SYR", ""]})
    kd = validate_key_dates(kd_raw)
    assert kd["country_iso3"].tolist()[0] == "IRQ; SYR" and pd.isna(kd["country_iso3"][1])


def test_an_unknown_key_date_country_names_the_closest():
    raw = pd.DataFrame({"key_date_id": ["A"], "date": ["2020-01-03"], "calendar": ["gregorian"],
                        "countries": ["Irak"]})
    with pytest.raises(DataError, match=r"country not known: 'Irak'.*closest known: Iraq"):
        validate_key_dates(raw)


def test_key_dates_of_another_country_are_warned_about():
    raw = pd.DataFrame({"key_date_id": ["S"], "date": ["2020-01-03"], "calendar": ["gregorian"],
                        "countries": ["Iraq"]})
    kd = validate_key_dates(raw)
    sudan = pd.DataFrame({"date": pd.to_datetime(["2020-12-20"]), "country": ["Sudan"]})
    with pytest.warns(DataWarning, match="key date S concerns IRQ, where none of the events"):
        add_anniversary_window(sudan, kd, before=21, after=7)
    iraq = sudan.assign(country="Iraq")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        add_anniversary_window(iraq, kd, before=21, after=7)


@pytest.mark.parametrize("before, after", [(1e20, 7), (21, 400), (200, 200), (-1, 7), (2.5, 7)])
def test_a_window_that_is_not_a_window_is_refused(before, after):
    from analysis.anniversaries import add_anniversary_window, validate_key_dates

    kd = validate_key_dates(pd.DataFrame({"key_date_id": ["S"], "date": ["2020-01-03"],
                                          "calendar": ["gregorian"]}))
    ev = pd.DataFrame({"date": pd.to_datetime(["2020-12-20"])})
    with pytest.raises(DataError, match="window|days"):
        add_anniversary_window(ev, kd, before=before, after=after)
    table = pd.DataFrame({"key_date_id": ["S"], "date": ["2020-01-03"], "calendar": ["gregorian"],
                          "before": [str(before)], "after": [str(after)]})
    with pytest.raises(DataError) as info:
        validate_key_dates(table)
    assert info.value.rows == [2] and info.value.column in ("before", "after")


def test_a_key_date_given_as_a_month_is_refused_not_read_as_the_first():
    from analysis.anniversaries import validate_key_dates

    with pytest.raises(DataError, match="not a whole date") as info:
        validate_key_dates(pd.DataFrame({"key_date_id": ["S"], "date": ["2020-01"],
                                         "calendar": ["gregorian"]}))
    assert info.value.values == ["2020-01"]


def test_event_study_placebo_band_needs_room_to_shift():
    counts = simulate_daily_counts(start="2014-12-01", days=100, seed=1)[["date", "count"]]
    kd = key_dates(("G", "2014-01-03", "gregorian", "annual"))
    with pytest.raises(DataError, match="too short for a placebo band"):
        event_study(counts, kd, days=30)
