"""Synthetic data for tests, calibration and benchmarks. Every table made here is labelled
``dataset="synthetic"`` (events) or documented as simulated; none of it is ever shipped as data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulate_daily_counts(
    start: str = "2014-01-01",
    days: int = 6 * 365,
    *,
    mean: float = 0.6,
    dispersion: float = 1.5,
    trend: float = 0.5,
    window: np.ndarray | None = None,
    rate_ratio: float = 1.0,
    seed: int | np.random.Generator = 0,
) -> pd.DataFrame:
    """Simulated daily attack counts: negative binomial around a slow trend (SYNTHETIC).

    ``mean`` events a day on average; ``dispersion`` is the negative binomial alpha (variance
    = mu + alpha mu^2; real daily attack counts are often 1-3); ``trend`` is the log change in
    the rate from first to last day, along a smooth wave so that a straight line cannot absorb
    it; ``window`` a boolean mask of days whose rate is multiplied by ``rate_ratio``.
    Returns ``date, count, mu`` (the true mean).
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    t = np.linspace(0, 1, days)
    log_mu = np.log(mean) + trend * (t - 0.5) + 0.3 * np.sin(2 * np.pi * 1.5 * t)
    if window is not None:
        log_mu = log_mu + np.log(rate_ratio) * np.asarray(window, dtype=float)
    mu = np.exp(log_mu)
    # negative binomial as a gamma-Poisson mixture
    lam = rng.gamma(shape=1 / dispersion, scale=dispersion * mu)
    counts = rng.poisson(lam)
    dates = pd.date_range(start, periods=days, freq="D")
    return pd.DataFrame({"date": dates, "count": counts.astype("int64"), "mu": mu})
