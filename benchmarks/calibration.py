"""Calibration of the statistical tests by simulation (SYNTHETIC data only).

Every default a reporter quotes is checked on realistic series, not only the easy case:
independent overdispersed days, bursty days (a latent AR(1) log-rate, lag-one correlation 0.5
and 0.9), a steep trend, weekly and annual cycles peaking on the anniversary, sparse counts
(0.2 a day), few anniversaries, and a Gregorian and a Hijri anniversary whose windows overlap.

1. Anniversary escalation test, each method: the false-alarm rate at alpha = 0.05 with no
   effect, the coverage of the 95% interval at a true rate ratio of 2 and 3, the power at 2.
2. Interrupted time series (weekly): false significance of the level change with no change,
   on independent and autocorrelated weeks; coverage at a true drop to 0.4; how often a
   trend that levels off is reported as a change.
3. Change points (weekly): false detections on no-change series, independent and
   autocorrelated; how often a planted tripling is found.

    .venv/bin/python benchmarks/calibration.py            # everything (make calibrate)
    .venv/bin/python benchmarks/calibration.py --only escalation --sims 100

Each rate comes with its Monte Carlo standard error. Writes benchmarks/results/calibration.json
and benchmarks/results/calibration.md (the table copied into benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.anniversaries import add_anniversary_window, validate_key_dates
from analysis.stats import escalation_test
from analysis.synthetic import simulate_daily_counts

RESULTS = Path(__file__).parent / "results"
ALPHA = 0.05
#: the default method first; the others for comparison
ESCALATION_METHODS = ("shift", "negbin", "permutation", "quasipoisson")
DEFAULT = "shift"


def _key_dates(date: str, calendars=("gregorian", "hijri")) -> pd.DataFrame:
    return validate_key_dates(pd.DataFrame({"key_date_id": [c[0].upper() for c in calendars],
                                            "date": [date] * len(calendars),
                                            "calendar": list(calendars)}))


#: scenario -> (simulate_daily_counts arguments, key date, calendars)
SCENARIOS = {
    "independent days, 6 years": ({}, "2014-01-03", ("gregorian", "hijri")),
    "bursty days (AR 0.5)": ({"ar": 0.5}, "2014-01-03", ("gregorian", "hijri")),
    "bursty days (AR 0.9)": ({"ar": 0.9}, "2014-01-03", ("gregorian", "hijri")),
    "steep trend (x4.5)": ({"trend": 1.5}, "2014-01-03", ("gregorian", "hijri")),
    "weekly + annual cycle peaking on the date": ({"weekly": 0.3, "annual": 0.5},
                                                  "2014-01-03", ("gregorian", "hijri")),
    "sparse (0.2 a day)": ({"mean": 0.2}, "2014-01-03", ("gregorian", "hijri")),
    "3 anniversaries only (3 years)": ({"start": "2020-01-04", "days": 3 * 365},
                                       "2020-01-03", ("gregorian",)),
    "two calendars overlapping, 2 years": ({"start": "2020-01-04", "days": 2 * 365},
                                           "2020-01-03", ("gregorian", "hijri")),
    "two calendars, 2 years, bursty (AR 0.9)": ({"start": "2020-01-04", "days": 2 * 365,
                                                 "ar": 0.9}, "2020-01-03",
                                                ("gregorian", "hijri")),
}


@cache
def _setup(scenario: str):
    kwargs, date, calendars = SCENARIOS[scenario]
    key_dates = _key_dates(date, calendars)
    frame = simulate_daily_counts(**kwargs, seed=0)
    window = add_anniversary_window(frame, key_dates)["in_window"].to_numpy()
    return kwargs, key_dates, window


def _one_escalation(args) -> list[tuple]:
    (scenario, rate_ratio, method), seeds = args
    kwargs, key_dates, window = _setup(scenario)
    out = []
    for seed in seeds:
        counts = simulate_daily_counts(**kwargs, window=window, rate_ratio=rate_ratio,
                                       seed=seed)[["date", "count"]]
        r = escalation_test(counts, key_dates, method=method, n_permutations=199)
        out.append((r.rate_ratio, r.conf_low, r.conf_high, r.p_value))
    return out


def _seed(*parts) -> int:
    """A seed that is the same on every run and machine (``hash`` of a string is not)."""
    return zlib.crc32("|".join(map(str, parts)).encode())


def _simulate(worker, keys, sims_of, workers: int, seed_of=lambda key: key) -> dict:
    """Run ``worker((key, seeds))`` over chunks of 25 seeds per key (``sims_of(key)``
    replications, seeds from :func:`_seed` of ``seed_of(key)``: keys with the same seed parts
    see the same series) in ``workers`` processes; the results gathered per key, in order."""
    jobs = []
    for key in keys:
        seeds = [_seed(*seed_of(key), i) for i in range(sims_of(key))]
        jobs += [(key, seeds[i:i + 25]) for i in range(0, len(seeds), 25)]
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(worker, jobs))
    by = {}
    for (key, _), res in zip(jobs, results, strict=True):
        by.setdefault(key, []).extend(res)
    return by


def _rate(hits: np.ndarray) -> tuple[float, float]:
    """A share and its Monte Carlo standard error."""
    p = float(np.mean(hits))
    return p, float(np.sqrt(p * (1 - p) / len(hits)))


def _pm(row: dict, key: str, se: str | None = None) -> str:
    """``0.062 ± 0.011``: a rate and its Monte Carlo standard error."""
    return f"{row[key]:.3f} ± {row[se or key + '_se']:.3f}"


def _markdown(header: list[str], lines: list[list[object]]) -> str:
    """A Markdown table: the header, the rule, one row per list of cells."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(map(str, cells)) + " |" for cells in lines]
    return "\n".join(out)


def run_escalation(sims: int, others: int, workers: int, scenarios=None,
                   methods=ESCALATION_METHODS) -> list[dict]:
    """Every scenario x method: false alarms (null), coverage at RR 2 and 3, power at RR 2.
    ``sims`` replications for the default method, ``others`` for the rest."""
    keys = [(scenario, rr, method) for scenario in scenarios or SCENARIOS
            for method in methods for rr in (1.0, 2.0, 3.0)]
    # the seeds depend on (scenario, rr) only: every method is run on the same series
    by = _simulate(_one_escalation, keys, lambda k: sims if k[2] == DEFAULT else others,
                   workers, seed_of=lambda k: k[:2])
    rows = []
    for scenario in scenarios or SCENARIOS:
        for method in methods:
            if not by.get((scenario, 1.0, method)):  # no replications asked for
                continue
            null, rr2, rr3 = (np.array(by[(scenario, rr, method)]) for rr in (1.0, 2.0, 3.0))
            fa, fa_se = _rate(null[:, 3] < ALPHA)
            cov2, cov2_se = _rate((rr2[:, 1] <= 2) & (rr2[:, 2] >= 2))
            cov3, cov3_se = _rate((rr3[:, 1] <= 3) & (rr3[:, 2] >= 3))
            power, power_se = _rate((rr2[:, 3] < ALPHA) & (rr2[:, 0] > 1))
            rows.append(dict(scenario=scenario, method=method, reps=len(null),
                             false_alarms=fa, false_alarms_se=fa_se, coverage_rr2=cov2,
                             coverage_rr2_se=cov2_se, coverage_rr3=cov3, coverage_rr3_se=cov3_se,
                             power_rr2=power, power_rr2_se=power_se))
    return rows


def meets_targets(row: dict) -> bool:
    """The issue's targets: false alarms at most 6% at alpha 0.05 and 95% intervals covering
    93-97% of the time, each allowing two Monte Carlo standard errors."""
    return (row["false_alarms"] - 2 * row["false_alarms_se"] <= 0.06
            and all(row[c] + 2 * row[f"{c}_se"] >= 0.93 and row[c] - 2 * row[f"{c}_se"] <= 0.97
                    for c in ("coverage_rr2", "coverage_rr3")))


def escalation_table(rows: list[dict]) -> str:
    return _markdown(
        ["scenario", "method", "reps", "false alarms", "coverage RR 2", "coverage RR 3",
         "power RR 2", "targets"],
        [[r["scenario"], f"**{r['method']}** (default)" if r["method"] == DEFAULT else r["method"],
          r["reps"], _pm(r, "false_alarms"), _pm(r, "coverage_rr2"), _pm(r, "coverage_rr3"),
          _pm(r, "power_rr2"), "met" if meets_targets(r) else "**missed**"] for r in rows])


# ---------------------------------------------------------------- interrupted series
def _weekly_series(rng, *, level=1.0, ar=0.0, levels_off=False, weeks=156):
    """Weekly negative binomial counts (alpha 0.3) around a slow trend, a level change at the
    half-way week, and optionally a latent AR(1) log-rate or a trend that levels off."""
    from scipy.signal import lfilter

    t = np.arange(weeks)
    if levels_off:  # rises, then flattens smoothly: no interruption at all
        log_mu = np.log(3.0) + 0.8 * (1 - np.exp(-t / 40))
    else:
        log_mu = np.log(3.0) + 0.003 * t + np.log(level) * (t >= weeks // 2)
    if ar:
        e = rng.normal(0, 0.4 * np.sqrt(1 - ar ** 2), weeks)
        e[0] = rng.normal(0, 0.4)
        log_mu = log_mu + lfilter([1.0], [1.0, -ar], e) - 0.08
    y = rng.poisson(rng.gamma(1 / 0.3, 0.3 * np.exp(log_mu)))
    return pd.DataFrame({"date": pd.date_range("2018-01-01", periods=weeks, freq="7D"),
                         "count": y})


def _one_its(args) -> list[tuple]:
    from analysis.stats import fit_interrupted_series

    name, seeds = args
    kind, value = ITS_CASES[name]
    out = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        counts = _weekly_series(rng, level=value if kind == "level" else 1.0,
                                ar=value if kind == "ar" else 0.0,
                                levels_off=kind == "levels_off")
        fit = fit_interrupted_series(counts, {"x": counts["date"].iloc[78]})
        table = fit.table.set_index("term")
        lvl, slope = table.loc["level change at x"], table.loc["slope change at x"]
        out.append((lvl["estimate"], lvl["conf_low"], lvl["conf_high"], lvl["p_value"],
                    slope["p_value"]))
    return out


ITS_CASES = {"no change, independent weeks": ("ar", 0.0),
             "no change, AR 0.5 weeks": ("ar", 0.5),
             "no change, AR 0.8 weeks": ("ar", 0.8),
             "trend that levels off, no change": ("levels_off", 0.0),
             "true drop to 0.4": ("level", 0.4)}


def run_its(sims: int, workers: int) -> list[dict]:
    by = _simulate(_one_its, list(ITS_CASES), lambda _: sims, workers,
                   seed_of=lambda name: ("its", name))
    rows = []
    for name, case in ITS_CASES.items():
        v = np.array(by[name])
        truth = case[1] if case[0] == "level" else 1.0
        fa, fa_se = _rate(v[:, 3] < ALPHA)
        slope, slope_se = _rate(v[:, 4] < ALPHA)
        cover, cover_se = _rate((v[:, 1] <= truth) & (v[:, 2] >= truth))
        rows.append(dict(case=name, reps=len(v), level_p_below_alpha=fa, level_se=fa_se,
                         slope_p_below_alpha=slope, slope_se=slope_se, coverage=cover,
                         coverage_se=cover_se))
    return rows


def its_table(rows: list[dict]) -> str:
    return _markdown(
        ["weekly series", "reps", "level change p < 0.05", "slope change p < 0.05",
         "95% CI covers the true level"],
        [[r["case"], r["reps"], _pm(r, "level_p_below_alpha", "level_se"),
          _pm(r, "slope_p_below_alpha", "slope_se"), _pm(r, "coverage")] for r in rows])


# ---------------------------------------------------------------- event study
#: the escalation scenarios (:data:`SCENARIOS`) the event study is run on
ES_CASES = ("independent days, 6 years", "bursty days (AR 0.5)", "bursty days (AR 0.9)",
            "two calendars overlapping, 2 years")


def _one_event_study(args) -> list[tuple]:
    """No effect: does the real curve leave the placebo band on any day, and how often does
    each day's confidence band cover the true mean (the simulation's rate, averaged over the
    occurrences)?"""
    from analysis.anniversaries import event_study

    name, seeds = args
    kwargs, key_dates, _ = _setup(name)
    out = []
    for seed in seeds:
        frame = simulate_daily_counts(**kwargs, seed=seed)
        study = event_study(frame[["date", "count"]], key_dates, days=30)
        occ = study.attrs["positions"]
        truth = frame["mu"].to_numpy()[occ[:, None] + study["relative_day"].to_numpy()].mean(axis=0)
        outside = bool(((study["mean"] > study["placebo_high"])
                        | (study["mean"] < study["placebo_low"])).any())
        cover = float(((study["conf_low"] <= truth) & (truth <= study["conf_high"])).mean())
        out.append((outside, cover))
    return out


def run_event_study(sims: int, workers: int) -> list[dict]:
    by = _simulate(_one_event_study, ES_CASES, lambda _: sims, workers,
                   seed_of=lambda name: ("es", name))
    rows = []
    for name in ES_CASES:
        v = np.array(by[name], dtype=float)
        outside, outside_se = _rate(v[:, 0] > 0)
        cover = float(v[:, 1].mean())
        rows.append(dict(case=name, reps=len(v), any_day_outside=outside,
                         any_day_outside_se=outside_se, day_coverage=cover,
                         day_coverage_se=float(v[:, 1].std(ddof=1) / np.sqrt(len(v)))))
    return rows


def event_study_table(rows: list[dict]) -> str:
    return _markdown(
        ["daily series, no effect", "reps", "curve outside the placebo band on some day",
         "a day's 95% band covers its true mean"],
        [[r["case"], r["reps"], _pm(r, "any_day_outside"), _pm(r, "day_coverage")]
         for r in rows])


# ---------------------------------------------------------------- change points
def _one_changepoints(args) -> list[tuple]:
    from analysis.stats import detect_changepoints

    name, seeds = args
    kind, value = CP_CASES[name]
    out = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        counts = _weekly_series(rng, ar=value if kind == "ar" else 0.0, weeks=150)
        if kind == "step":  # a tripling half-way, independent weeks
            mu = np.where(np.arange(150) < 75, 2.0, 6.0)
            counts["count"] = rng.poisson(rng.gamma(1 / 0.3, 0.3 * mu))
        cp = detect_changepoints(counts)
        near = len(cp) >= 1 and bool(
            (abs((cp.table["date"] - counts["date"].iloc[75]).dt.days) <= 21).any())
        out.append((len(cp), near))
    return out


CP_CASES = {"no change, independent weeks": ("ar", 0.0), "no change, AR 0.5 weeks": ("ar", 0.5),
            "no change, AR 0.8 weeks": ("ar", 0.8), "no change, AR 0.9 weeks": ("ar", 0.9),
            "a tripling half-way": ("step", 3.0)}


def run_changepoints(sims: int, workers: int) -> list[dict]:
    by = _simulate(_one_changepoints, list(CP_CASES), lambda _: sims, workers,
                   seed_of=lambda name: ("cp", name))
    rows = []
    for name in CP_CASES:
        v = np.array(by[name], dtype=float)
        any_cp, any_se = _rate(v[:, 0] > 0)
        found, found_se = _rate(v[:, 1] > 0)
        rows.append(dict(case=name, reps=len(v), any_change=any_cp, any_change_se=any_se,
                         found_near_truth=found, found_se=found_se))
    return rows


def changepoint_table(rows: list[dict]) -> str:
    return _markdown(
        ["weekly series", "reps", "a change point reported",
         "one within 3 weeks of the planted change"],
        [[r["case"], r["reps"], _pm(r, "any_change"),
          _pm(r, "found_near_truth", "found_se") if r["case"].startswith("a tripling") else "—"]
         for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sims", type=int, default=500, help="replications for the defaults")
    parser.add_argument("--others", type=int, default=200,
                        help="replications for the methods shown for comparison")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=["escalation", "its", "changepoints", "event_study"])
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    results, tables = {}, []
    if args.only in (None, "escalation"):
        t0 = time.perf_counter()
        results["escalation"] = run_escalation(args.sims, args.others, args.workers)
        tables.append(f"### Escalation test ({time.perf_counter() - t0:.0f} s)\n\n"
                      + escalation_table(results["escalation"]))
    if args.only in (None, "its"):
        t0 = time.perf_counter()
        results["its"] = run_its(args.sims, args.workers)
        tables.append(f"### Interrupted time series ({time.perf_counter() - t0:.0f} s)\n\n"
                      + its_table(results["its"]))
    if args.only in (None, "changepoints"):
        t0 = time.perf_counter()
        results["changepoints"] = run_changepoints(args.sims, args.workers)
        tables.append(f"### Change points ({time.perf_counter() - t0:.0f} s)\n\n"
                      + changepoint_table(results["changepoints"]))
    if args.only in (None, "event_study"):
        t0 = time.perf_counter()
        results["event_study"] = run_event_study(args.sims, args.workers)
        tables.append(f"### Event study ({time.perf_counter() - t0:.0f} s)\n\n"
                      + event_study_table(results["event_study"]))
    text = "\n\n".join(tables)
    print(text)
    suffix = f"_{args.only}" if args.only else ""
    (RESULTS / f"calibration{suffix}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / f"calibration{suffix}.md").write_text(text + "\n")
    print(f"\nwrote {RESULTS / f'calibration{suffix}.md'}")


if __name__ == "__main__":
    main()
