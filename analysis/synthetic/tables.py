"""SYNTHETIC daily count series (for the calibration of the tests) and the truce and key-date
tables that go with the synthetic events."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from analysis.synthetic.world import EVENT_TYPES, MAX_REGIONS, SYNTHETIC_URL, TARGET_TYPES, world


def simulate_daily_counts(
    start: str = "2014-01-01",
    days: int = 6 * 365,
    *,
    mean: float = 0.6,
    dispersion: float = 1.5,
    trend: float = 0.5,
    window: np.ndarray | None = None,
    rate_ratio: float = 1.0,
    ar: float = 0.0,
    ar_sd: float = 0.6,
    weekly: float = 0.0,
    annual: float = 0.0,
    annual_peak: str = "01-03",
    seed: int | np.random.Generator = 0,
) -> pd.DataFrame:
    """Simulated daily attack counts: negative binomial around a slow trend (SYNTHETIC).

    ``mean`` events a day on average; ``dispersion`` is the negative binomial alpha (variance
    = mu + alpha mu^2; real daily attack counts are often 1-3); ``trend`` is the log change in
    the rate from first to last day, along a smooth wave so that a straight line cannot absorb
    it; ``window`` a boolean mask of days whose rate is multiplied by ``rate_ratio``.
    Clustering and cycles, as real attacks have them: ``ar`` the lag-one autocorrelation of a
    latent AR(1) log-rate with stationary standard deviation ``ar_sd`` (a campaign week, then
    quiet; 0 = independent days); ``weekly`` and ``annual`` the amplitudes (log scale) of a
    weekly cycle and of an annual one peaking on ``annual_peak`` (MM-DD).
    Returns ``date, count, mu`` (the mean before the latent AR(1) and the gamma noise).
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    dates = pd.date_range(start, periods=days, freq="D")
    t = np.linspace(0, 1, days)
    log_mu = np.log(mean) + trend * (t - 0.5) + 0.3 * np.sin(2 * np.pi * 1.5 * t)
    if weekly:
        log_mu = log_mu + weekly * np.cos(2 * np.pi * dates.day_of_week.to_numpy() / 7)
    if annual:
        peak = pd.Timestamp(f"2001-{annual_peak}").day_of_year
        log_mu = log_mu + annual * np.cos(2 * np.pi * (dates.day_of_year.to_numpy() - peak) / 365.25)
    if window is not None:
        log_mu = log_mu + np.log(rate_ratio) * np.asarray(window, dtype=float)
    mu = np.exp(log_mu)
    rate = mu
    if ar:
        from scipy.signal import lfilter

        noise = rng.normal(0.0, ar_sd * np.sqrt(1 - ar ** 2), days)
        noise[0] = rng.normal(0.0, ar_sd)  # start from the stationary distribution
        z = lfilter([1.0], [1.0, -ar], noise)  # z[i] = ar z[i-1] + noise[i]
        rate = mu * np.exp(z - ar_sd ** 2 / 2)  # the latent term keeps the mean
    # negative binomial as a gamma-Poisson mixture
    lam = rng.gamma(shape=1 / dispersion, scale=dispersion * rate)
    counts = rng.poisson(lam)
    return pd.DataFrame({"date": dates, "count": counts.astype("int64"), "mu": mu})


# --------------------------------------------------------------------------------------
# An invented world for event tables


def synthetic_truces(
    k: int,
    *,
    seed: int = 0,
    start: str = "2014-01-01",
    years: int = 10,
) -> pd.DataFrame:
    """``k`` SYNTHETIC truces among the groups of :func:`synthetic_events`, validated.

    Each truce is scoped to one country and, two times in three, to one of its regions (most
    ceasefires are local arrangements), binds one to three of the groups active there, takes
    effect on a day within the period and lasts a log-normal number of days (median 60,
    between 7 days and 3 years: many collapse within weeks, a few hold for years); one still
    holding when the period ends has no end yet (blank ``end``). One in four is limited to a few target types, one
    in ten to a few event types. One in five is a local truce nested in an earlier truce of
    the same country, so truces overlap. These proportions are a design choice for tests and
    benchmarks, not estimates from data. Ids ``SYN-TR-0001`` ...

    Examples
    --------
    >>> tr = synthetic_truces(30, seed=2)
    >>> len(tr), tr["truce_id"].is_unique, bool(tr["start"].min() >= pd.Timestamp("2014-01-01"))
    (30, True, True)
    """
    from analysis.truce_table import validate_truces

    w = world()
    rng = np.random.default_rng(seed)
    first = pd.Timestamp(start).normalize()
    days = (first + pd.DateOffset(years=years) - first).days
    country = rng.choice(len(w.countries), size=k, p=w.weights)
    begin = rng.integers(0, max(days - 30, 1), size=k)
    length = np.clip(np.round(60 * np.exp(rng.normal(0, 1, size=k))), 7, 3 * 365).astype(int)
    nested = (rng.random(k) < 0.2) & (np.arange(k) > 0)
    rows = []
    for i in range(k):  # a loop over truces (not events)
        if nested[i]:
            j = rng.integers(0, i)  # inside an earlier truce, same country
            country[i] = country[j]
            begin[i] = begin[j] + rng.integers(0, max(length[j] - 7, 1))
            length[i] = rng.integers(7, max(length[j] - (begin[i] - begin[j]), 8))
        c = country[i]
        active = w.country_groups[c, : w.n_country_groups[c]]
        n_parties = cast("int | np.integer", min(len(active), rng.integers(1, 4)))
        parties = rng.choice(active, size=n_parties, replace=False)
        region = c * MAX_REGIONS + rng.integers(0, w.n_regions[c])
        on = first + pd.Timedelta(days=int(begin[i]))
        rows.append({
            "truce_id": f"SYN-TR-{i + 1:04d}",
            "name": f"Synthetic truce {i + 1} ({w.countries[c]})",
            "announced_on": (on - pd.Timedelta(days=int(rng.integers(0, 4)))).strftime("%Y-%m-%d"),
            "start": on.strftime("%Y-%m-%d"),
            "end": "" if begin[i] + length[i] > days  # still holding when the period ends
            else (on + pd.Timedelta(days=int(length[i]) - 1)).strftime("%Y-%m-%d"),
            "announced_by": "synthetic",
            "parties": "; ".join(w.groups[g] for g in sorted(parties)),
            "target_types": "; ".join(rng.choice(TARGET_TYPES, 3, replace=False))
            if rng.random() < 0.25 else "",
            "countries": w.countries[c],
            "admin1": w.regions[region] if rng.random() < 2 / 3 else "",
            "event_types": "; ".join(rng.choice(EVENT_TYPES, 2, replace=False))
            if rng.random() < 0.1 else "",
            "source_url": f"{SYNTHETIC_URL}truce/{i + 1:04d}",
            "notes": "SYNTHETIC truce for tests and benchmarks",
        })
    raw = pd.DataFrame(rows, columns=["truce_id", "name", "announced_on", "start", "end",
                                      "announced_by", "parties", "target_types", "countries",
                                      "admin1", "event_types", "source_url", "notes"])
    return validate_truces(raw, source="synthetic_truces")


def synthetic_key_dates(k: int = 20, *, seed: int = 0) -> pd.DataFrame:
    """``k`` SYNTHETIC annual key dates, the first half Gregorian and the rest Hijri, validated.

    The original events fall between 2004 and 2016 (so some are before a 2014-2024 event
    table and some inside it); windows are 7, 14 or 21 days before and 3 or 7 after. The
    first Gregorian key date is a 29 February (2008-02-29) and the first Hijri one a 30th
    (30 Safar 1429 = 2008-03-08), the two calendar edge cases. Ids ``SYN-KD-01`` ...

    Examples
    --------
    >>> kd = synthetic_key_dates(4)
    >>> kd[["date", "calendar", "hijri_date"]].astype(str).to_numpy().tolist()[::2]
    [['2008-02-29', 'gregorian', '1429-02-22'], ['2008-03-08', 'hijri', '1429-02-30']]
    """
    from analysis.key_dates import validate_key_dates

    rng = np.random.default_rng(seed)
    n_greg = (k + 1) // 2
    dates = pd.Timestamp("2004-01-01") + pd.to_timedelta(rng.integers(0, 13 * 365, k), unit="D")
    dates = dates.strftime("%Y-%m-%d").to_numpy(dtype=object)
    if k:
        dates[0] = "2008-02-29"
    if k > n_greg:
        dates[n_greg] = "2008-03-08"  # 30 Safar 1429 (Umm al-Qura), a 30-day month
    calendar = np.where(np.arange(k) < n_greg, "gregorian", "hijri")
    raw = pd.DataFrame({
        "key_date_id": [f"SYN-KD-{i + 1:02d}" for i in range(k)],
        "name": [f"Synthetic key date {i + 1} ({c})" for i, c in enumerate(calendar)],
        "date": dates,
        "calendar": calendar,
        "recurs": "annual",
        "before": rng.choice([7, 14, 21], k).astype(str),
        "after": rng.choice([3, 7], k).astype(str),
        "source_url": [f"{SYNTHETIC_URL}key-date/{i + 1:02d}" for i in range(k)],
        "notes": "SYNTHETIC key date for tests and benchmarks",
    })
    return validate_key_dates(raw, source="synthetic_key_dates")
