"""Calibration of the anniversary escalation test by simulation (SYNTHETIC data).

Null: daily negative binomial counts with a smooth trend and no anniversary effect — how often
does each method raise a false alarm at alpha = 0.05? Effect: the same with a true rate ratio of
3 inside the windows — is the estimate unbiased and does the 95% interval cover 3?

    .venv/bin/python benchmarks/calibration.py [--sims 500] [--dispersion 1.5]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sims", type=int, default=500)
    parser.add_argument("--dispersion", type=float, default=1.5)
    parser.add_argument("--permutations", type=int, default=199)
    parser.add_argument("--seed", type=int, default=20201220)
    args = parser.parse_args()
    results = {"sims": args.sims, "dispersion": args.dispersion, "days": 6 * 365,
               "windows": "21 days before to 7 after, Gregorian + Hijri anniversaries"}
    for label, rr in (("null", 1.0), ("effect_rr3", 3.0)):
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
