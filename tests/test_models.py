"""Escalation test: known answers, honest sentences, and calibration by simulation (fast subset;
the long run with >= 500 simulations is benchmarks/calibration.py)."""

import numpy as np
import pandas as pd
import pytest

from analysis.anniversaries import add_anniversary_window, validate_key_dates
from analysis.events import count_events
from analysis.schema import DataError
from analysis.stats import describe_escalation, escalation_test
from analysis.synthetic import simulate_daily_counts

KD = validate_key_dates(pd.DataFrame({"key_date_id": ["G", "H"], "date": ["2014-01-03"] * 2,
                                      "calendar": ["gregorian", "hijri"]}))


def test_poisson_without_controls_is_the_plain_ratio_of_means():
    counts = simulate_daily_counts(seed=11)[["date", "count"]]
    win = add_anniversary_window(counts, KD)["in_window"].to_numpy()
    y = counts["count"].to_numpy()
    by_hand = y[win].mean() / y[~win].mean()  # the MLE of a two-group Poisson model
    res = escalation_test(counts, KD, method="poisson", controls=())
    assert res.rate_ratio == pytest.approx(by_hand, rel=1e-8)
    # Wald interval from the Poisson information: se(log RR) = sqrt(1/O_in + 1/O_out)
    se = np.sqrt(1 / y[win].sum() + 1 / y[~win].sum())
    assert res.conf_low == pytest.approx(by_hand * np.exp(-1.959964 * se), rel=1e-5)
    assert res.events_in_windows == y[win].sum() and res.window_days == win.sum()


def test_sentences_say_escalation_no_effect_and_too_few_plainly():
    base = dict(alpha=0.05, before=21, after=7, occurrences=3, events_in_windows=30,
                events_outside=100)
    up = describe_escalation(dict(base, rate_ratio=2.1, conf_low=1.2, conf_high=3.6, p_value=0.01),
                             what="attacks")
    assert up == ("In the 21 days before and 7 days after the anniversaries, attacks were 2.1 "
                  "times as frequent as at other times (95% CI 1.2–3.6; 3 anniversaries).")
    null = describe_escalation(dict(base, rate_ratio=1.1, conf_low=0.7, conf_high=1.8, p_value=0.6))
    assert "cannot tell this apart from chance" in null
    down = describe_escalation(dict(base, rate_ratio=0.5, conf_low=0.3, conf_high=0.8, p_value=0.01))
    assert "50% less frequent" in down
    few = describe_escalation(dict(base, rate_ratio=3.0, conf_low=0.5, conf_high=20, p_value=0.3,
                                   events_in_windows=2, events_outside=3))
    assert "cannot tell" in few and "only 5 events" in few  # the default noun: no story's


def test_bad_inputs_are_clear():
    counts = simulate_daily_counts(days=400)[["date", "count"]]
    with pytest.raises(DataError, match="days are missing"):
        escalation_test(counts.drop(index=[5, 6]), KD)
    with pytest.raises(DataError, match="no anniversary window"):
        escalation_test(counts.iloc[100:300], KD)
    with pytest.raises(ValueError, match="method"):
        escalation_test(counts, KD, method="magic")


def _simulate(rate_ratio, n_sims, methods, seed):
    base = simulate_daily_counts(seed=0)
    win = add_anniversary_window(base, KD)["in_window"].to_numpy()
    rng = np.random.default_rng(seed)
    out = {m: [] for m in methods}
    for _ in range(n_sims):
        counts = simulate_daily_counts(window=win, rate_ratio=rate_ratio, seed=rng)[["date", "count"]]
        for m in methods:
            r = escalation_test(counts, KD, method=m, n_permutations=99)
            out[m].append((r.rate_ratio, r.conf_low, r.conf_high, r.p_value))
    return {m: np.array(v) for m, v in out.items()}


@pytest.mark.slow
def test_calibration_null_false_alarms_and_naive_poisson_exceeds_them():
    sims = _simulate(1.0, 60, ("negbin", "permutation", "poisson"), seed=2024)
    rate = {m: (v[:, 3] < 0.05).mean() for m, v in sims.items()}
    assert rate["negbin"] <= 0.10 and rate["permutation"] <= 0.10
    assert rate["poisson"] >= 2 * max(rate["negbin"], 0.05)


@pytest.mark.slow
def test_calibration_effect_recovered_with_coverage():
    sims = _simulate(3.0, 60, ("negbin",), seed=7)["negbin"]
    cover = ((sims[:, 1] <= 3) & (sims[:, 2] >= 3)).mean()
    assert 0.88 <= cover <= 1.0
    assert np.exp(np.log(sims[:, 0]).mean()) == pytest.approx(3.0, rel=0.05)
    assert (sims[:, 3] < 0.05).all()


def test_curated_soleimani_windows_run_every_method():
    from analysis.anniversaries import read_key_dates
    from analysis.io import read_events
    from analysis.paths import INCIDENTS, KEY_DATES

    counts = count_events(read_events(INCIDENTS), "D", start="2019-10-01", end="2021-03-31")
    kd = read_key_dates(KEY_DATES).query("key_date_id.str.startswith('KD-SOLEIMANI')")
    for method in ("negbin", "quasipoisson", "permutation"):
        res = escalation_test(counts, kd, method=method, n_permutations=199)
        assert res.occurrences == 2  # 23 Dec 2020 (Hijri) and 3 Jan 2021; the killing itself is not
        assert res.conf_low < 1 < res.conf_high and "cannot tell" in res.sentence
    frame = res.to_frame()
    assert frame.loc[0, "method"] == "permutation" and frame.shape[0] == 1


def test_controls_for_truces_and_day_of_week_enter_the_model():
    from analysis.stats.escalation import design_matrix as _design
    from analysis.truces import validate_truces

    counts = simulate_daily_counts(days=400)[["date", "count"]]
    truces = validate_truces(pd.DataFrame({"truce_id": ["T"], "start": ["2014-03-01"],
                                           "end": ["2014-04-30"], "parties": ["X"]}))
    X = _design(counts, ("trend", "truce", "day_of_week"), truces)
    assert X["truce"].sum() == 61 and sum(c.startswith("dow_") for c in X) == 6
    res = escalation_test(counts, KD, controls=("trend", "truce", "day_of_week"), truces=truces)
    assert res.controls == ("trend", "truce", "day_of_week") and np.isfinite(res.rate_ratio)
    with pytest.raises(ValueError, match="no truces table"):
        escalation_test(counts, KD, controls=("truce",))
