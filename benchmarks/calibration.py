"""Calibration of the statistical tests by simulation (SYNTHETIC data).

1. Anniversary escalation test. Null: daily negative binomial counts with a smooth trend and no
   anniversary effect — how often does each method raise a false alarm at alpha = 0.05?
   Effect: a true rate ratio of 3 inside the windows — is the estimate unbiased and does the
   95% interval cover 3?
2. Interrupted time series (weekly, negative binomial): coverage of the level-change interval
   with a true drop to 0.4 and with no change, and how often "no change" is called a change.
3. Change points: false detections on constant-rate overdispersed series, and how often a
   planted tripling is found within three weeks.

    .venv/bin/python benchmarks/calibration.py [--sims 500] [--dispersion 1.5] [--only its]

Prints a table and writes benchmarks/results/calibration.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.anniversaries import add_anniversary_window, validate_key_dates
from analysis.models import escalation_test
from analysis.synthetic import simulate_daily_counts

KEY_DATES = validate_key_dates(pd.DataFrame({
    "key_date_id": ["G", "H"], "date": ["2014-01-03"] * 2, "calendar": ["gregorian", "hijri"]}))
METHODS = ("negbin", "quasipoisson", "permutation", "poisson")


def run(rate_ratio: float, sims: int, dispersion: float, seed: int, n_perm: int) -> dict:
    window = add_anniversary_window(simulate_daily_counts(), KEY_DATES)["in_window"].to_numpy()
    rng = np.random.default_rng(seed)
    rows = {m: [] for m in METHODS}
    for _ in range(sims):
        counts = simulate_daily_counts(window=window, rate_ratio=rate_ratio,
                                       dispersion=dispersion, seed=rng)[["date", "count"]]
        for m in METHODS:
            r = escalation_test(counts, KEY_DATES, method=m, n_permutations=n_perm)
            rows[m].append((r.rate_ratio, r.conf_low, r.conf_high, r.p_value))
    out = {}
    for m, v in rows.items():
        v = np.array(v)
        reject = float((v[:, 3] < 0.05).mean())
        cover = float(((v[:, 1] <= rate_ratio) & (v[:, 2] >= rate_ratio)).mean())
        log_rr = np.log(v[:, 0])
        out[m] = {"rejection_rate": reject,
                  "rejection_se": float(np.sqrt(reject * (1 - reject) / sims)),
                  "coverage": cover,
                  "geometric_mean_rr": float(np.exp(log_rr.mean())),
                  "bias_log_rr": float(log_rr.mean() - np.log(rate_ratio)),
                  "bias_se": float(log_rr.std(ddof=1) / np.sqrt(sims))}
    return out


def run_its(sims: int, seed: int) -> dict:
    """Weekly NB counts, 3 years, interruption half-way: level change 0.4 (effect) or 1 (null)."""
    from analysis.models import fit_interrupted_series

    rng = np.random.default_rng(seed)
    out = {}
    for label, level in (("null", 1.0), ("drop_to_0.4", 0.4)):
        cover = reject = 0
        estimates = []
        for _ in range(sims):
            t = np.arange(156)
            mu = np.exp(np.log(3.0) + 0.003 * t + np.log(level) * (t >= 78))
            y = rng.poisson(rng.gamma(1 / 0.3, 0.3 * mu))
            counts = pd.DataFrame({"date": pd.date_range("2018-01-01", periods=156, freq="7D"),
                                   "count": y})
            row = fit_interrupted_series(counts, {"x": counts["date"].iloc[78]}).table.set_index(
                "term").loc["level change at x"]
            cover += row["conf_low"] <= level <= row["conf_high"]
            reject += row["p_value"] < 0.05
            estimates.append(row["estimate"])
        out[label] = {"coverage": cover / sims, "rejection_rate": reject / sims,
                      "geometric_mean_rr": float(np.exp(np.mean(estimates)))}
    return out


def run_changepoints(sims: int, seed: int) -> dict:
    from analysis.models import detect_changepoints

    rng = np.random.default_rng(seed)
    dates = pd.date_range("2018-01-01", periods=150, freq="7D")
    false = found = 0
    for _ in range(sims):
        y = rng.poisson(rng.gamma(1 / 0.3, 0.3 * 3.0, size=150))
        false += not detect_changepoints(pd.DataFrame({"date": dates, "count": y})).empty
        mu = np.where(np.arange(150) < 75, 2.0, 6.0)
        y = rng.poisson(rng.gamma(1 / 0.3, 0.3 * mu))
        cp = detect_changepoints(pd.DataFrame({"date": dates, "count": y}))
        found += len(cp) == 1 and abs((cp["date"].iloc[0] - dates[75]).days) <= 21
    return {"false_detection_rate": false / sims, "planted_shift_found_rate": found / sims}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sims", type=int, default=500)
    parser.add_argument("--dispersion", type=float, default=1.5)
    parser.add_argument("--permutations", type=int, default=199)
    parser.add_argument("--seed", type=int, default=20201220)
    parser.add_argument("--only", choices=["escalation", "its", "changepoints"])
    args = parser.parse_args()
    results = {"sims": args.sims, "dispersion": args.dispersion, "days": 6 * 365,
               "windows": "21 days before to 7 after, Gregorian + Hijri anniversaries"}
    if args.only in (None, "its"):
        t0 = time.perf_counter()
        results["its"] = run_its(args.sims, args.seed)
        print(f"\ninterrupted time series, weekly negbin, {args.sims} simulations "
              f"({time.perf_counter() - t0:.0f} s)")
        for label, r in results["its"].items():
            print(f"  {label:<12} level-change CI covers {r['coverage']:.3f}; "
                  f"p < 0.05 in {r['rejection_rate']:.3f}; mean RR {r['geometric_mean_rr']:.2f}")
    if args.only in (None, "changepoints"):
        results["changepoints"] = run_changepoints(args.sims, args.seed)
        r = results["changepoints"]
        print(f"\nchange points: false detections {r['false_detection_rate']:.3f}; planted "
              f"tripling found within 3 weeks {r['planted_shift_found_rate']:.3f}")
    for label, rr in (("null", 1.0), ("effect_rr3", 3.0)):
        if args.only not in (None, "escalation"):
            break
        t0 = time.perf_counter()
        results[label] = run(rr, args.sims, args.dispersion, args.seed, args.permutations)
        print(f"\n{label}: true rate ratio {rr}, {args.sims} simulations "
              f"({time.perf_counter() - t0:.0f} s)")
        print(f"  {'method':<13}{'rejects at 0.05':>17}{'95% CI covers':>15}{'mean RR':>9}"
              f"{'bias (log)':>12}")
        for m, r in results[label].items():
            print(f"  {m:<13}{r['rejection_rate']:>11.3f} ±{r['rejection_se']:.3f}"
                  f"{r['coverage']:>15.3f}{r['geometric_mean_rr']:>9.2f}"
                  f"{r['bias_log_rr']:>+8.3f} ±{r['bias_se']:.3f}")
    out = Path(__file__).parent / "results" / "calibration.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
