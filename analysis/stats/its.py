"""Interrupted time series: did the rate of events change when a truce took effect?

A segmented count regression (Bernal, Cummins & Gasparrini 2017) with a baseline level and
trend, and a level and slope change at each interruption; intervals that allow for periods
that run in streaks; sentences and a headline that follow the interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from analysis.results import Result
from analysis.schema import DataError
from analysis.stats.fitting import autocorrelation_factor, fit_negbin, to_frequency
from analysis.stats.numbers import (
    UNIT,
    interval_verdict,
    level,
    per_unit,
    signed_percent,
    unbounded,
)

FAMILIES = ("negbin", "quasipoisson", "poisson")
MIN_PERIODS, MIN_SIDE = 8, 3


@dataclass(frozen=True)
class TrendResult(Result):
    """A fitted interrupted time series: the coefficients, the fitted and counterfactual series,
    and the effect of each interruption over the periods that follow it.

    ``family`` is the family asked for; ``fallback`` says what was fitted instead when it
    could not be (blank when nothing fell back). :meth:`to_frame` gives the effects, one row
    per interruption; ``table`` the coefficients.
    """

    title: ClassVar[str] = "Interrupted time series"

    table: pd.DataFrame          # term, estimate, rate_ratio, conf_low, conf_high, p_value
    fitted: pd.DataFrame         # date, count, fitted(_low/_high), counterfactual(_low/_high),
                                 # count_low/count_high (range of counts expected, 95%)
    interruptions: pd.DataFrame  # date, label
    effects: pd.DataFrame        # label, start, end, periods, observed, expected, change, conf
    freq: str
    family: str
    alpha: float
    dispersion: float
    #: lag-one correlation of the model's Pearson residuals, and the factor by which the
    #: variances were inflated for it (1: none; see :func:`autocorrelation_factor`)
    autocorrelation: float = 0.0
    variance_factor: float = 1.0
    fallback: str = ""

    @property
    def sentences(self) -> list[str]:
        """The sentences, for events (see :meth:`describe`)."""
        return describe_trend(self)

    def describe(self, *, what: str = "events") -> list[str]:
        """The sentences, with ``what`` naming the events (see :func:`describe_trend`)."""
        return describe_trend(self, what=what)

    def to_frame(self) -> pd.DataFrame:
        """The effect of each interruption, one row each (``effects``)."""
        return self.effects

    def facts(self) -> list[tuple[str, object]]:
        """The fit's facts: family (and any fallback), periods, dispersion, streak allowance."""
        return [("family", self.family + (f" (fell back: {self.fallback})" if self.fallback
                                          else "")),
                ("periods", f"{len(self.fitted)} {UNIT[self.freq]}s, "
                            f"{self.fitted['count'].sum():.0f} events"),
                ("interruptions", len(self.interruptions)), ("dispersion", self.dispersion),
                ("residual lag-one correlation", self.autocorrelation),
                ("variance factor for streaks", self.variance_factor),
                ("confidence level", f"{level(self.alpha)}%")]


def _interruption_table(interruptions) -> pd.DataFrame:
    if isinstance(interruptions, pd.DataFrame):
        frame = interruptions.rename(columns={"start": "date"})
        if "label" not in frame.columns:
            frame = frame.assign(label=frame.get("name", frame["date"].astype(str)))
        frame = frame[["date", "label"]]
    elif isinstance(interruptions, dict):
        frame = pd.DataFrame({"label": list(interruptions), "date": list(interruptions.values())})
    else:
        dates = list(interruptions)
        frame = pd.DataFrame({"date": dates, "label": [str(pd.Timestamp(d).date()) for d in dates]})
    frame = frame.assign(date=pd.to_datetime(frame["date"]).astype("datetime64[ns]"))
    return frame.sort_values("date", ignore_index=True)


def _its_design(c: pd.DataFrame, inter: pd.DataFrame, freq: str, seasonality, changes) -> tuple:
    t = np.arange(len(c), dtype=float)
    X = pd.DataFrame({"baseline level": 1.0, f"baseline trend (per {UNIT[freq]})": t},
                     index=c.index)
    # the "after" segment starts with the first full period on or after the date: a truce
    # declared on a Saturday starts with the following week
    starts = np.searchsorted(c["date"].to_numpy(), inter["date"].to_numpy())
    effect_cols = []
    for k, (label, s) in enumerate(zip(inter["label"], starts, strict=True)):
        after = (t >= s).astype(float)
        X[f"level change at {label}"] = after
        cols = [f"level change at {label}"]
        if changes == "level+slope":
            X[f"slope change at {label}"] = (t - s) * after
            cols.append(f"slope change at {label}")
        effect_cols.append((k, cols))
    if seasonality == "month":
        X = X.join(pd.get_dummies(c["date"].dt.month, prefix="month", drop_first=True, dtype=float))
    elif seasonality == "fourier":
        doy = 2 * np.pi * c["date"].dt.day_of_year.to_numpy() / 365.25
        for h in (1, 2):
            X[f"season sin{h}"], X[f"season cos{h}"] = np.sin(h * doy), np.cos(h * doy)
    elif seasonality is not None:
        raise ValueError("seasonality must be None, 'month' or 'fourier'")
    return X, starts, effect_cols


def fit_interrupted_series(
    counts: pd.DataFrame,
    interruptions,
    *,
    freq: str = "W",
    family: str = "negbin",
    seasonality: str | None = None,
    changes: str = "level+slope",
    hac_lags: int | None = None,
    alpha: float = 0.05,
    n_draws: int = 4000,
    seed: int = 0,
) -> TrendResult:
    """Segmented count regression (Bernal, Cummins & Gasparrini 2017): a baseline level and
    trend, and a level change and a slope change at each interruption.

    ``counts``: counts from ``count_events`` (daily counts are summed to ``freq``).
    ``interruptions``: dates — a ``{label: date}`` dict, a list of dates, or a table with
    ``date`` (or ``start``, as in a truce table) and ``label`` (or ``name``).
    ``family``: ``negbin`` (overdispersion estimated, then a GLM with that dispersion),
    ``quasipoisson`` or ``poisson``. Standard errors are autocorrelation-robust (Newey–West
    HAC with ``hac_lags``, default ``4 (n/100)^(2/9)``) unless the model-based errors are
    larger for the interruption terms (HAC under-states them in short series without
    autocorrelation), in which case those are used. ``seasonality``: None, ``month``
    (month-of-year terms) or ``fourier`` (two annual harmonics). ``changes="level"`` drops the
    slope changes: use it for short segments (a one-week pause), where a slope cannot be told
    apart from the level.

    Returns a :class:`TrendResult`: the coefficient table on the rate-ratio scale, the fitted
    and counterfactual series with intervals (the counterfactual is what the baseline trend
    predicts with every interruption removed), and per interruption the observed vs expected
    events up to the next interruption, with an interval from ``n_draws`` draws of the
    coefficients. The "after" segment of an interruption starts with the first full period on
    or after its date. Too little data raises :class:`DataError`.
    """
    import statsmodels.api as sm

    if family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}")
    c = to_frequency(counts, freq)
    inter = _interruption_table(interruptions)
    _check_enough(c, inter, freq)
    if changes not in ("level+slope", "level"):
        raise ValueError("changes must be 'level+slope' or 'level'")
    X, starts, effect_cols = _its_design(c, inter, freq, seasonality, changes)
    y = c["count"].to_numpy(float)
    lags = hac_lags if hac_lags is not None else int(np.floor(4 * (len(y) / 100) ** (2 / 9)))
    dispersion, used, fallback = 1.0, family, ""
    if family == "negbin":
        try:
            dispersion = float(max(fit_negbin(y, X).params["alpha"], 1e-8))
        except DataError:  # e.g. thousands a day with a run of zeros: fall back, and say so
            used = "quasipoisson"
            fallback = "quasipoisson: the negative binomial model did not converge"
    fam = (sm.families.NegativeBinomial(alpha=dispersion) if used == "negbin"
           else sm.families.Poisson())
    scale = "X2" if used == "quasipoisson" else None
    hac = sm.GLM(y, X, family=fam).fit(cov_type="HAC", cov_kwds={"maxlags": max(lags, 1)},
                                       scale=scale)
    plain = sm.GLM(y, X, family=fam).fit(scale=scale)
    rho, factor = autocorrelation_factor(plain.resid_pearson, n_params=X.shape[1])
    candidates = [hac, plain]
    if factor > 1:  # model-based errors inflated by the residuals' long-run variance
        candidates.append(sm.GLM(y, X, family=fam).fit(scale=float(plain.scale) * factor))
    # HAC errors with a few lags are too small in short series without autocorrelation
    # (simulated coverage 0.91 at 156 weeks) and with strong autocorrelation (the lags are
    # too few): keep whichever errors are largest for the interruption terms
    effect_terms = [c for _, cols in effect_cols for c in cols]
    fit = max(candidates, key=lambda f: float((f.bse[effect_terms] ** 2).sum()))
    if used == "quasipoisson":
        dispersion = float(fit.pearson_chi2 / fit.df_resid)
    table = _coefficient_table(fit, alpha)
    fitted = _fitted_series(fit, X, c, effect_cols, alpha)
    fitted = fitted.assign(**_count_range(fitted, dispersion if used == "negbin" else 0.0, alpha))
    effects = _interruption_effects(fit, X, c, inter, starts, effect_cols, alpha, n_draws, seed)
    return TrendResult(table, fitted, inter.assign(period_index=starts), effects, freq, family,
                       alpha, dispersion, autocorrelation=rho,
                       variance_factor=factor if fit is candidates[-1] and factor > 1 else 1.0,
                       fallback=fallback)


def interruption_sides(counts: pd.DataFrame, dates) -> np.ndarray:
    """How many periods of ``counts`` (sorted by ``date``) lie before, between and after the
    interruption ``dates`` (sorted): an interrupted series needs :data:`MIN_SIDE` in each."""
    edges = np.searchsorted(counts["date"].to_numpy(), pd.to_datetime(pd.Series(dates)).to_numpy())
    return np.diff(np.concatenate([[0], edges, [len(counts)]]))


def _check_enough(c: pd.DataFrame, inter: pd.DataFrame, freq: str) -> None:
    unit = UNIT[freq]
    if c["count"].sum() == 0:
        raise DataError("there are no events in the series: nothing to model",
                        source="fit_interrupted_series", expected="counts with events")
    if len(c) < MIN_PERIODS:
        raise DataError(f"only {len(c)} {unit}s of counts", source="fit_interrupted_series",
                        expected=f"at least {MIN_PERIODS} {unit}s, with {MIN_SIDE} or more "
                        "before and after each interruption")
    if inter.empty:
        raise ValueError("give at least one interruption date")
    if (interruption_sides(c, inter["date"]) < MIN_SIDE).any():
        raise DataError(f"too few {unit}s between interruptions or at the ends of the series",
                        source="fit_interrupted_series", column="date",
                        values=inter["date"].dt.strftime("%Y-%m-%d").tolist(),
                        expected=f"at least {MIN_SIDE} {unit}s before, between and after the "
                        "interruptions, inside the counted period")


def _coefficient_table(fit, alpha: float) -> pd.DataFrame:
    ci = fit.conf_int(alpha=alpha)
    table = pd.DataFrame({"term": fit.params.index, "estimate": fit.params.to_numpy(),
                          "std_error": fit.bse.to_numpy(),
                          "rate_ratio": np.exp(fit.params.to_numpy()),
                          "conf_low": np.exp(ci[0].to_numpy()),
                          "conf_high": np.exp(ci[1].to_numpy()),
                          "p_value": fit.pvalues.to_numpy()})
    return table[~table["term"].str.startswith(("month_", "season "))].reset_index(drop=True)


def _fitted_series(fit, X, c, effect_cols, alpha) -> pd.DataFrame:
    pred = fit.get_prediction(X).summary_frame(alpha=alpha)
    Xcf = X.copy()
    for _, cols in effect_cols:
        Xcf[cols] = 0.0
    cf = fit.get_prediction(Xcf).summary_frame(alpha=alpha)
    return pd.DataFrame({
        "date": c["date"].to_numpy(), "count": c["count"].to_numpy(),
        "fitted": pred["mean"].to_numpy(), "fitted_low": pred["mean_ci_lower"].to_numpy(),
        "fitted_high": pred["mean_ci_upper"].to_numpy(),
        "counterfactual": cf["mean"].to_numpy(), "counterfactual_low": cf["mean_ci_lower"].to_numpy(),
        "counterfactual_high": cf["mean_ci_upper"].to_numpy(),
    })


def _count_range(fitted: pd.DataFrame, dispersion: float, alpha: float) -> dict:
    """Range of counts the model expects in a period (prediction interval): negative binomial
    (or Poisson) quantiles at the ends of the mean's interval — wider than the band of the
    mean, which is the right yardstick for "was this week unusual?"."""
    from scipy.stats import nbinom, poisson

    lo_mu, hi_mu = fitted["fitted_low"].to_numpy(), fitted["fitted_high"].to_numpy()
    if dispersion > 0:
        size = 1 / dispersion
        low = nbinom.ppf(alpha / 2, size, size / (size + lo_mu))
        high = nbinom.ppf(1 - alpha / 2, size, size / (size + hi_mu))
    else:
        low, high = poisson.ppf(alpha / 2, lo_mu), poisson.ppf(1 - alpha / 2, hi_mu)
    # a range the model cannot bound (a fit that did not converge) is blank, not a number
    return {"count_low": pd.array(np.where(np.isfinite(low), low, np.nan), dtype="Float64")
            .astype("Int64"),
            "count_high": pd.array(np.where(np.isfinite(high), high, np.nan), dtype="Float64")
            .astype("Int64")}


def _interruption_effects(fit, X, c, inter, starts, effect_cols, alpha, n_draws, seed):
    """Observed vs expected after each interruption, up to the next one.

    Expected = the model with this interruption's (and later ones') terms removed; the change
    and its interval come from draws of the coefficients (multivariate normal with the HAC
    covariance)."""
    from scipy.special import logsumexp

    rng = np.random.default_rng(seed)
    beta = fit.params.to_numpy()
    draws = rng.multivariate_normal(beta, fit.cov_params().to_numpy(), n_draws, method="eigh")
    ends = list(starts[1:]) + [len(c)]
    rows = []
    for k, _ in effect_cols:  # one per interruption
        seg = slice(starts[k], ends[k])
        Xa = X.iloc[seg].to_numpy()
        Xcf = X.iloc[seg].copy()
        for _, later in effect_cols[k:]:
            Xcf[later] = 0.0
        Xcf = Xcf.to_numpy()
        # log of summed means, computed in log space so that steep trends cannot overflow
        log_ratio = logsumexp(draws @ Xa.T, axis=1) - logsumexp(draws @ Xcf.T, axis=1)
        point = logsumexp(Xa @ beta) - logsumexp(Xcf @ beta)
        lo, hi = np.quantile(log_ratio, [alpha / 2, 1 - alpha / 2])
        rows.append(dict(label=inter["label"].iloc[k], start=c["date"].iloc[starts[k]],
                         end=c["date"].iloc[ends[k] - 1], periods=ends[k] - starts[k],
                         observed=float(c["count"].iloc[seg].sum()),
                         expected_without=float(np.exp(logsumexp(Xcf @ beta))),
                         change=float(np.expm1(point)), conf_low=float(np.expm1(lo)),
                         conf_high=float(np.expm1(hi))))
    return pd.DataFrame(rows)


def describe_trend(result: TrendResult, *, what: str = "events") -> list[str]:
    """Plain sentences for each interruption, with the interval, and an explicit "the data
    cannot tell" when the interval spans no change, is very wide, or events are few.

    Example: "In the 8 weeks after the truce took effect, weekly attacks were 74% lower than
    the pre-truce trend predicts (95% CI 51–86% lower)."
    """
    unit = UNIT[result.freq]
    level = round(100 * (1 - result.alpha))
    total = result.fitted["count"].sum()
    out = []
    previous = None
    for e in result.effects.itertuples(index=False):  # one per interruption
        head = (f"In the {e.periods} {unit}{'s' if e.periods != 1 else ''} after {e.label} "
                f"(from the {unit} of {e.start:%-d %B %Y}), {per_unit(unit)} {what}")
        # the counterfactual keeps the earlier interruptions (see _interruption_effects)
        baseline = f"the trend since {previous}" if previous else "the earlier trend"
        previous = e.label
        lo, hi, ch = e.conf_low, e.conf_high, e.change
        direction = "higher" if ch >= 0 else "lower"
        size = f"{abs(ch) * 100:,.0f}% {direction} than {baseline} predicts"
        if lo < 0 < hi:
            ci = f"({level}% CI {signed_percent(lo)} to {signed_percent(hi)})"
        else:
            ci = (f"({level}% CI {abs(lo if ch >= 0 else hi) * 100:,.0f}–"
                  f"{abs(hi if ch >= 0 else lo) * 100:,.0f}% {direction})")
        verdict = interval_verdict(lo, hi, total)
        if verdict == "unbounded":
            sentence = (f"{head} cannot be compared with {baseline}: the model cannot "
                        f"put bounds on the change (too few {what}, or a stretch with none at "
                        "all), so the data cannot say by how much.")
        elif verdict == "few":
            sentence = (f"{head} were {size} {ci}, but the data cannot tell: there are only "
                        f"{total:.0f} {what} in the series.")
        elif verdict == "no change ruled out":
            sentence = (f"{head} were {size} {ci}, but the data cannot tell: the interval "
                        "includes no change.")
        elif verdict == "too wide":
            near, far = sorted([abs(lo), abs(hi)])
            sentence = (f"{head} were {direction} than {baseline} predicts, but the data "
                        f"cannot say by how much: somewhere between {near * 100:,.0f}% and "
                        f"{far * 100:,.0f}% {direction} ({level}% CI).")
        else:
            sentence = f"{head} were {size} {ci}."
        out.append(sentence)
    if result.variance_factor >= 1.1:  # below that the widening is under 5%: not worth a line
        out.append(f"The intervals allow for {unit}s that run in streaks (lag-one correlation "
                   f"of the residuals {result.autocorrelation:.2f}): they are "
                   f"{np.sqrt(result.variance_factor) - 1:.0%} wider than for independent "
                   f"{unit}s.")
    return out


def trend_headline(result: TrendResult, *, what: str = "events", after: str = "the truce") -> str:
    """A chart title for the first interruption that claims no more than the test: the size
    of the change only when its interval excludes no change (and the data are not too few,
    the interval not too wide: as :func:`describe_trend`); else that there is no clear change.

    The size is never given without its interval. Examples: "Attacks per week after the
    October 2020 truce: 62% below the earlier trend (95% CI 13–83%)"; "Events per week after
    the December 2016 ceasefire: no clear change from the earlier trend".
    """
    unit = UNIT[result.freq]
    e = next(result.effects.itertuples(index=False))
    head = f"{what[:1].upper()}{what[1:]} per {unit} after {after}"
    verdict = interval_verdict(e.conf_low, e.conf_high, result.fitted["count"].sum())
    if verdict == "unbounded":
        return f"{head}: the change cannot be estimated from the model"
    if verdict != "clear":
        return f"{head}: no clear change from the earlier trend"
    near, far = sorted([abs(e.conf_low), abs(e.conf_high)])
    level = round(100 * (1 - result.alpha))
    return (f"{head}: {abs(e.change):.0%} {'below' if e.change < 0 else 'above'} the earlier "
            f"trend ({level}% CI {near * 100:,.0f}–{far * 100:,.0f}%)")


def estimable(result: TrendResult) -> bool:
    """Whether every change the model estimates has a bounded interval (see
    :func:`describe_trend`): if not, its fitted curve is no picture to publish."""
    return not any(unbounded(e.conf_low, e.conf_high)
                   for e in result.effects.itertuples(index=False))
