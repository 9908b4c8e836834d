"""Count models a reporter can quote: the anniversary escalation test, with plain sentences.

Every result carries its uncertainty (a 95% interval by default) and a sentence that says
plainly when the data cannot tell an effect from no effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.anniversaries import add_anniversary_window
from analysis.events import check_daily_counts
from analysis.schema import DataError

METHODS = ("negbin", "quasipoisson", "poisson", "permutation")
MIN_EVENTS = 10  # fewer events than this in the whole series: say the data cannot tell


def trend_basis(dates: pd.Series, *, df: int | None = None) -> pd.DataFrame:
    """A smooth trend for count models: B-spline of time, about two degrees of freedom a year.

    Returns the columns without an intercept. ``df`` overrides the automatic choice (3 to 10).
    """
    from patsy import dmatrix

    t = (dates - dates.min()).dt.days.to_numpy(float)
    if df is None:
        df = int(np.clip(round(len(t) / 365.25 * 2), 3, 10))
    basis = dmatrix(f"bs(t, df={df}, degree=3) - 1", {"t": t}, return_type="dataframe")
    basis.columns = [f"trend_{i}" for i in range(basis.shape[1])]
    return basis.set_index(dates.index)


def _design(c: pd.DataFrame, controls: Sequence[str], truces: pd.DataFrame | None) -> pd.DataFrame:
    X = pd.DataFrame({"const": 1.0}, index=c.index)
    for control in controls:
        if control == "trend":
            X = X.join(trend_basis(c["date"]))
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
class EscalationResult:
    """The rate ratio of events inside vs outside the anniversary windows, and what it means."""

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

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row tidy table."""
        row = asdict(self)
        row["controls"] = ", ".join(self.controls)
        return pd.DataFrame([row])


def escalation_test(
    counts: pd.DataFrame,
    key_dates: pd.DataFrame,
    *,
    before: int = 21,
    after: int = 7,
    method: str = "negbin",
    controls: Sequence[str] = ("trend",),
    truces: pd.DataFrame | None = None,
    n_permutations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
    what: str = "attacks",
    occasion: str = "anniversary",
    include_original: bool = False,
) -> EscalationResult:
    """Are events more (or less) frequent around the anniversaries than at other times?

    ``counts``: daily counts on a complete calendar (``count_events(events, "D")``).
    Days from ``before`` days before to ``after`` days after each occurrence of the key dates
    form the windows. The rate ratio compares windows with other days, adjusting for
    ``controls``: ``trend`` (a smooth spline of time), ``day_of_week``, ``truce`` (any truce
    in ``truces`` in force) or columns of ``counts``. The original event of an annual key
    date is not an anniversary unless ``include_original``.

    Methods: ``negbin`` (negative binomial regression; overdispersion estimated),
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
    X = _design(c, controls, truces)
    if occurrences == 0 or in_win.all():
        raise DataError("no anniversary window inside the counted period" if occurrences == 0
                        else "every day is inside a window; nothing to compare with",
                        source="escalation_test", expected="counts covering days inside and "
                        "outside the windows")
    if method == "permutation":
        fit = _placebo_test(y, X, in_win, windowed, n_permutations, seed, alpha)
    else:
        fit = _regression_test(y, X.assign(window=in_win.astype(float)), method, alpha)
    fit.pop("se")
    result = dict(method=method, **fit, alpha=alpha, before=before, after=after,
                  occurrences=occurrences, window_days=int(in_win.sum()),
                  other_days=int((~in_win).sum()), events_in_windows=float(y[in_win].sum()),
                  events_outside=float(y[~in_win].sum()), controls=tuple(controls))
    return EscalationResult(**result, sentence=describe_escalation(result, what=what,
                                                                   occasion=occasion))


def _regression_test(y, X, method, alpha):
    import statsmodels.api as sm

    if method == "negbin":
        model = sm.NegativeBinomial(y, X)
        fit = None
        for solver in ("newton", "bfgs", "nm"):
            try:
                fit = model.fit(method=solver, disp=0, maxiter=500)
            except (np.linalg.LinAlgError, ValueError):
                continue
            if fit.mle_retvals.get("converged", True) and np.isfinite(fit.bse["window"]):
                break
        if fit is None:
            raise DataError("the negative binomial model did not converge", source="escalation_test",
                            expected="more events, or method='quasipoisson'")
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


def describe_escalation(result: dict, *, what: str = "attacks", occasion: str = "anniversary") -> str:
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
    interval = f"({level}% CI {_num(lo)}–{_num(hi)}; {n} {occasion if n == 1 else many})"
    total = result["events_in_windows"] + result["events_outside"]
    if total < MIN_EVENTS or not np.isfinite(rr):
        return (f"{window}, the data cannot tell whether {what} were more or less frequent: "
                f"there are only {total:.0f} {what} in the whole period.")
    if rr >= 1:
        size = f"{what} were {_num(rr)} times as frequent as at other times"
    else:
        size = f"{what} were {100 * (1 - rr):.0f}% less frequent than at other times"
    if lo <= 1 <= hi:
        return (f"{window}, {size} {interval}, but the interval includes no change: the data "
                f"cannot tell this apart from chance (p = {p:.2f}).")
    return f"{window}, {size} {interval}."


def _num(x: float) -> str:
    if not np.isfinite(x):
        return "∞" if x > 0 else "n/a"
    if x < 1 or round(x, 1) == 1.0:  # keep 0.96 and 1.04 apart from "1.0"
        return f"{x:.2f}"
    return f"{x:.1f}" if x < 10 else f"{x:.0f}"
