"""The anniversary escalation test: are events more (or less) frequent around the
anniversaries than at other times? With its sentence, and a headline that claims no more than
the test.

Every result carries its uncertainty (a 95% interval by default) and a sentence that says
plainly when the data cannot tell an effect from no effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from analysis.anniversaries import add_anniversary_window
from analysis.events import check_daily_counts
from analysis.results import Result
from analysis.schema import DataError
from analysis.stats.fitting import fit_negbin, trend_basis
from analysis.stats.numbers import MIN_EVENTS, level, ratio_text

METHODS = ("shift", "negbin", "quasipoisson", "poisson", "permutation")


#: an annual cycle is only controlled for in series this long (shorter: it and the trend
#: cannot be told apart)
SEASON_MIN_DAYS = 2 * 365


def design_matrix(c: pd.DataFrame, controls: Sequence[str], truces: pd.DataFrame | None) -> pd.DataFrame:
    """The regressors of the escalation test for daily counts ``c``: a constant and each of
    ``controls`` (see :func:`escalation_test`), one column per term."""
    X = pd.DataFrame({"const": 1.0}, index=c.index)
    for control in controls:
        if control == "trend":
            X = X.join(trend_basis(c["date"]))
        elif control == "season":  # an annual cycle, two harmonics; needs two years to tell
            if (c["date"].max() - c["date"].min()).days >= SEASON_MIN_DAYS:
                angle = 2 * np.pi * c["date"].dt.day_of_year.to_numpy() / 365.25
                for k in (1, 2):
                    X[f"season_sin{k}"], X[f"season_cos{k}"] = np.sin(k * angle), np.cos(k * angle)
        elif control == "day_of_week":
            dow = pd.get_dummies(c["date"].dt.day_of_week, prefix="dow", drop_first=True, dtype=float)
            X = X.join(dow)
        elif control == "truce":
            if truces is None:
                raise ValueError("controls include 'truce' but no truces table was given")
            d = c["date"].to_numpy("datetime64[D]")[:, None]
            start = truces["start"].to_numpy("datetime64[D]")[None, :]
            end = truces["end"].fillna(pd.Timestamp.max.normalize()).to_numpy("datetime64[D]")[None, :]
            X["truce"] = ((d >= start) & (d <= end)).any(axis=1).astype(float)
        elif control in c.columns:
            X[control] = pd.to_numeric(c[control]).astype(float)
        else:
            raise ValueError(f"unknown control {control!r}: use trend, day_of_week, truce or a "
                             "column of the count table")
    return X


@dataclass(frozen=True)
class EscalationResult(Result):
    """The rate ratio of events inside vs outside the anniversary windows, and what it means.

    ``method`` is the method asked for; ``fallback`` says what was fitted instead when it
    could not be (blank when nothing fell back). ``sentence`` is worded with the ``what`` and
    ``occasion`` given to :func:`escalation_test`; :meth:`describe` words it anew.
    """

    title: ClassVar[str] = "Anniversary escalation test"

    method: str
    rate_ratio: float
    conf_low: float
    conf_high: float
    p_value: float
    alpha: float
    before: int
    after: int
    occurrences: int
    window_days: int
    other_days: int
    events_in_windows: float
    events_outside: float
    dispersion: float
    controls: tuple
    sentence: str
    fallback: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row tidy table."""
        row = asdict(self)
        row["controls"] = ", ".join(self.controls)
        return pd.DataFrame([row])

    def shown(self) -> pd.DataFrame:
        """The estimate, its interval and p-value (the rest is in the facts)."""
        return self.to_frame()[["rate_ratio", "conf_low", "conf_high", "p_value"]]

    def facts(self) -> list[tuple[str, object]]:
        """The test's facts: method (and any fallback), windows, days, events, controls."""
        return [("method", self.method + (f" (fell back: {self.fallback})" if self.fallback
                                          else "")),
                ("window", f"{self.before} days before to {self.after} days after"),
                ("occurrences", self.occurrences),
                ("days in windows / other days", f"{self.window_days} / {self.other_days}"),
                ("events in windows / outside", f"{self.events_in_windows:.0f} / "
                                                f"{self.events_outside:.0f}"),
                ("controls", self.controls), ("dispersion", self.dispersion),
                ("confidence level", f"{level(self.alpha)}%")]

    @property
    def sentences(self) -> list[str]:
        """The test's sentence, as worded by :func:`escalation_test`."""
        return [self.sentence]

    def describe(self, *, what: str = "events", occasion: str = "anniversary") -> str:
        """The result's sentence, with ``what`` naming the events and ``occasion`` the dates."""
        return describe_escalation(asdict(self), what=what, occasion=occasion)


def escalation_test(
    counts: pd.DataFrame,
    key_dates: pd.DataFrame,
    *,
    before: int = 21,
    after: int = 7,
    method: str = "shift",
    controls: Sequence[str] = ("trend", "season"),
    truces: pd.DataFrame | None = None,
    n_permutations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
    what: str = "events",
    occasion: str = "anniversary",
    include_original: bool = False,
) -> EscalationResult:
    """Are events more (or less) frequent around the anniversaries than at other times?

    ``counts``: daily counts on a complete calendar (``count_events(events, "D")``).
    Days from ``before`` days before to ``after`` days after each occurrence of the key dates
    form the windows (overlapping windows merge: a day counts once). The rate ratio compares
    windows with other days, adjusting for ``controls``: ``trend`` (a smooth spline of time),
    ``season`` (an annual cycle, two harmonics, in series of two years or more: a date that
    falls in the violent season each year is not taken for an anniversary effect),
    ``day_of_week``, ``truce`` (any truce in ``truces`` in force) or columns of ``counts``. The original event of an annual key
    date is not an anniversary unless ``include_original``.

    Methods: ``shift`` (the default: the whole set of windows, in its real layout, shifted
    round the series to every other position that does not touch the real windows; the rate
    ratio is observed/expected inside vs outside the windows, the expected counts from a
    Poisson fit of the controls, and the p-value and interval come from the shifted sets, so
    that clustering of attacks in time, and windows of two calendars that overlap into one
    block, are allowed for; see :func:`_shift_test`), ``negbin`` (negative binomial
    regression; overdispersion estimated, days taken as independent: false alarms on
    clustered counts),
    ``quasipoisson`` (Poisson with Pearson-scaled errors), ``poisson`` (naive: too many false
    alarms on overdispersed counts, kept for comparison), ``permutation`` (placebo-date test:
    the same number of windows placed at random non-anniversary dates ``n_permutations``
    times; the p-value and interval come from that placebo distribution, so clustering of
    attacks in time is allowed for). Calibration by simulation: ``benchmarks/calibration.py``.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    c = check_daily_counts(counts, who="escalation_test")
    windowed = add_anniversary_window(c, key_dates, before=before, after=after,
                                      include_original=include_original)
    in_win = windowed["in_window"].to_numpy()
    occurrences = int(windowed.loc[windowed["in_window"], "occurrence"].nunique())
    y = c["count"].to_numpy(float)
    X = design_matrix(c, controls, truces)
    if occurrences == 0 or in_win.all():
        raise DataError("no anniversary window inside the counted period" if occurrences == 0
                        else "every day is inside a window; nothing to compare with",
                        source="escalation_test", expected="counts covering days inside and "
                        "outside the windows")
    if method == "shift":
        fit = _shift_test(y, X, in_win, alpha)
    elif method == "permutation":
        fit = _placebo_test(y, X, in_win, windowed, n_permutations, seed, alpha)
    else:
        fit = _regression_test(y, X.assign(window=in_win.astype(float)), method, alpha)
    fit.pop("se")
    result = dict(method=method, **fit, alpha=alpha, before=before, after=after,
                  occurrences=occurrences, window_days=int(in_win.sum()),
                  other_days=int((~in_win).sum()), events_in_windows=float(y[in_win].sum()),
                  events_outside=float(y[~in_win].sum()),
                  controls=tuple(k for k in controls if k != "season" or "season_sin1" in X))
    return EscalationResult(**result, sentence=describe_escalation(result, what=what,
                                                                   occasion=occasion))


def _regression_test(y, X, method, alpha):
    import statsmodels.api as sm

    if method == "negbin":
        try:
            fit = fit_negbin(y, X)
        except DataError:  # no overdispersion to estimate (alpha at 0): quasi-Poisson, said so
            out = _regression_test(y, X, "quasipoisson", alpha)
            return {**out, "fallback": "quasipoisson: the negative binomial model did not converge"}
        disp = float(fit.params["alpha"])
    else:
        glm = sm.GLM(y, X, family=sm.families.Poisson())
        fit = glm.fit(scale="X2" if method == "quasipoisson" else None)
        disp = float(fit.scale) if method == "quasipoisson" else 1.0
    beta, se = float(fit.params["window"]), float(fit.bse["window"])
    from scipy.stats import norm

    z = norm.ppf(1 - alpha / 2)
    p = float(2 * norm.sf(abs(beta / se))) if se > 0 else float("nan")
    return dict(rate_ratio=float(np.exp(beta)), conf_low=float(np.exp(beta - z * se)),
                conf_high=float(np.exp(beta + z * se)), p_value=p, dispersion=disp, se=se)


def _placebo_test(y, X, in_win, windowed, n_perm, seed, alpha):
    """Rate ratio from the negative binomial fit; p-value and interval width from placebo windows.

    The placebo statistic is observed/expected inside vs outside a set of windows, with the
    expected counts from the controls-only Poisson fit (done once). Placebo sets have as many
    windows as there are real occurrences, each as long as the real ones, centred on random
    days whose windows stay inside the period and clear of every real window. The p-value is
    the share of placebo sets at least as extreme as the real windows; the interval uses the
    larger of the model's standard error and the placebo spread, so clustering in time that
    the model misses widens it.
    """
    import statsmodels.api as sm
    from scipy.stats import norm

    fit = _regression_test(y, X.assign(window=in_win.astype(float)), "negbin", alpha)
    rr, se_model = fit["rate_ratio"], fit["se"]
    expected = sm.GLM(y, X, family=sm.families.Poisson()).fit().fittedvalues.to_numpy()
    stat = np.log(_oe_ratio(y, expected, in_win[None, :])[0])
    span = windowed.loc[windowed["in_window"], "days_to_anniversary"]
    lo_off, hi_off = int(span.min()), int(span.max())
    n_windows = int(windowed.loc[windowed["in_window"], "occurrence"].nunique())
    allowed = _placebo_centres(in_win, lo_off, hi_off)
    if len(allowed) < n_windows:
        raise DataError("too few non-anniversary days for placebo windows", source="escalation_test",
                        expected="a longer series or shorter windows")
    rng = np.random.default_rng(seed)
    centres = rng.choice(allowed, size=(n_perm, n_windows))
    idx = centres[:, :, None] + np.arange(lo_off, hi_off + 1)[None, None, :]
    masks = np.zeros((n_perm, len(y)), dtype=bool)
    masks[np.broadcast_to(np.arange(n_perm)[:, None, None], idx.shape).ravel(), idx.ravel()] = True
    with np.errstate(divide="ignore"):
        placebo = np.log(_oe_ratio(y, expected, masks))
    placebo = placebo[np.isfinite(placebo)]
    p = (1 + np.sum(np.abs(placebo) >= abs(stat))) / (1 + len(placebo))
    se = max(se_model, float(np.std(placebo, ddof=1)))
    z = norm.ppf(1 - alpha / 2)
    return dict(rate_ratio=rr, conf_low=float(rr * np.exp(-z * se)),
                conf_high=float(rr * np.exp(z * se)), p_value=float(p),
                dispersion=fit["dispersion"], se=se)


def _shift_test(y, X, in_win, alpha):
    """The default escalation test: the real set of windows against itself shifted round the
    series (a rotation test, which keeps the clustering of the counts and the layout of the
    windows: their lengths, gaps, and a Gregorian and a Hijri window merged into one block,
    which independent random windows do not).

    The rate ratio is the window coefficient ``b`` of a Poisson fit of the controls and the
    real windows. Its null distribution: for every other shift of the whole set, the same
    coefficient for the shifted windows, one Newton step from that fit (with the controls and
    the real windows partialled out: the efficient score over its information), studentized
    by its negative binomial standard error (overdispersion by moments), so that windows
    shifted to a busy stretch, whose counts vary more, weigh no more than the real ones. The
    interval is ``b`` less its standard error times the placebo quantiles (a studentized
    pivot), and the p-value is equal-tailed on the same placebo values (twice the smaller
    tail share, the observed value counted in each): the interval excludes 1 exactly when
    p < alpha. Every shift is used, so the test needs no seed. Calibration on clustered,
    trending, seasonal, sparse and short series: benchmarks/calibration.py.
    """
    import statsmodels.api as sm

    n = len(y)
    mask = in_win.astype(float)
    design = X.assign(window=mask)
    fit = sm.GLM(y, design, family=sm.families.Poisson()).fit()
    estimate = float(fit.params["window"])
    null = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    spectrum = np.conj(np.fft.rfft(mask))

    def rolled(v):  # for every shift s: sum_t v[t + s] * mask[t] (circular, by FFT)
        return np.fft.irfft(np.fft.rfft(v, axis=0) * (spectrum[:, None] if v.ndim > 1
                                                      else spectrum), n, axis=0)

    def one_step(A, mu):
        """Per shift: the one-step coefficient and its negative binomial standard error."""
        dispersion = max(0.0, float(np.sum((y - mu) ** 2 - mu) / np.sum(mu ** 2)))
        g = rolled(A * mu[:, None])
        raw = rolled(mu)
        info = raw - np.einsum("sj,jk,sk->s", g, np.linalg.inv(A.T @ (A * mu[:, None])), g)
        with np.errstate(divide="ignore", invalid="ignore"):
            se = np.sqrt(rolled(mu + dispersion * mu ** 2) * info / raw) / info
            return rolled(y - mu) / info, se, dispersion

    coef, se, _ = one_step(design.to_numpy(float), fit.fittedvalues.to_numpy())
    _, se_null, dispersion = one_step(X.to_numpy(float), null.fittedvalues.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        placebo = (coef / se)[1:]
    placebo = placebo[np.isfinite(placebo)]
    scale = float(se_null[0])
    if not (np.isfinite(estimate) and np.isfinite(scale) and scale > 0) or len(placebo) < 19:
        return dict(rate_ratio=float("nan"), conf_low=float("nan"), conf_high=float("nan"),
                    p_value=float("nan"), dispersion=float("nan"), se=float("nan"))
    z = estimate / scale
    upper = (1 + np.sum(placebo >= z)) / (1 + len(placebo))
    lower = (1 + np.sum(placebo <= z)) / (1 + len(placebo))
    lo_q, hi_q = np.quantile(placebo, [alpha / 2, 1 - alpha / 2])
    return dict(rate_ratio=float(np.exp(estimate)),
                conf_low=float(np.exp(estimate - scale * hi_q)),
                conf_high=float(np.exp(estimate - scale * lo_q)),
                p_value=float(min(1.0, 2 * min(upper, lower))), dispersion=dispersion,
                se=scale * float(np.std(placebo)))


def _placebo_centres(in_win: np.ndarray, lo_off: int, hi_off: int) -> np.ndarray:
    """Days whose whole window fits in the series and stays clear of every real window."""
    n = len(in_win)
    centres = np.arange(-lo_off, n - hi_off)
    near = np.convolve(in_win.astype(int), np.ones(hi_off - lo_off + 1, dtype=int), "full")
    # window of centre c covers [c+lo_off, c+hi_off]; it touches a real window if any in_win there
    touch = near[centres + hi_off] > 0
    return centres[~touch]


def _oe_ratio(y: np.ndarray, expected: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Rate ratio of observed/expected inside each mask vs outside it."""
    o_in, e_in = masks @ y, masks @ expected
    o_out, e_out = y.sum() - o_in, expected.sum() - e_in
    with np.errstate(divide="ignore", invalid="ignore"):
        return (o_in / e_in) / (o_out / e_out)


def describe_escalation(result: dict, *, what: str = "events", occasion: str = "anniversary") -> str:
    """One honest sentence about an escalation test (see :func:`escalation_test`).

    ``what`` names the events ("attacks"), ``occasion`` the dates ("anniversary",
    "religious date").
    """
    rr, lo, hi, p = result["rate_ratio"], result["conf_low"], result["conf_high"], result["p_value"]
    level = round(100 * (1 - result["alpha"]))
    n = result["occurrences"]
    many = occasion[:-1] + "ies" if occasion.endswith("y") else occasion + "s"
    window = (f"In the {result['before']} days before and {result['after']} days after the "
              f"{occasion if n == 1 else many}")
    interval = f"({level}% CI {ratio_text(lo)}–{ratio_text(hi)}; {n} {occasion if n == 1 else many})"
    total = result["events_in_windows"] + result["events_outside"]
    if total < MIN_EVENTS or not np.isfinite(rr):
        return (f"{window}, the data cannot tell whether {what} were more or less frequent: "
                f"there are only {total:.0f} {what} in the whole period.")
    if rr >= 1:
        size = f"{what} were {ratio_text(rr)} times as frequent as at other times"
    else:
        size = f"{what} were {100 * (1 - rr):.0f}% less frequent than at other times"
    if lo <= 1 <= hi:
        return (f"{window}, {size} {interval}, but the interval includes no change: the data "
                f"cannot tell this apart from chance (p = {p:.2f}).")
    return f"{window}, {size} {interval}."


def escalation_headline(result: EscalationResult, *, what: str = "events",
                        occasion: str = "anniversary") -> str:
    """A chart title that states the test's result and claims no more than it: the size with
    its interval when the interval excludes no change, else that no clear change shows.

    Examples: "Around the anniversaries, attacks were 2.1 times as frequent (95% CI 1.3–3.4)";
    "Around the anniversaries, no clear change in attacks (1.2 times; 95% CI 0.34–3.9)".
    """
    many = occasion[:-1] + "ies" if occasion.endswith("y") else occasion + "s"
    head = f"Around the {occasion if result.occurrences == 1 else many}"
    level = round(100 * (1 - result.alpha))
    rr, lo, hi = result.rate_ratio, result.conf_low, result.conf_high
    if not np.isfinite(rr) or result.events_in_windows + result.events_outside < MIN_EVENTS:
        return f"{head}: too few {what} to test"
    ci = f"{level}% CI {ratio_text(lo)}–{ratio_text(hi)}"
    size = (f"{ratio_text(rr)} times as frequent" if rr >= 1
            else f"{100 * (1 - rr):.0f}% less frequent")
    if lo <= 1 <= hi:
        return f"{head}, no clear change in {what} ({size.replace(' as frequent', '')}; {ci})"
    return f"{head}, {what} were {size} ({ci})"
