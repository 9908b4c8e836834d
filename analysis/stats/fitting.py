"""What the count models share: counts at a unit of time, a smooth trend, the negative
binomial fit, and the allowance for periods that run in streaks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.schema import DataError, require_columns
from analysis.stats.numbers import UNIT


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


def fit_negbin(y: np.ndarray, X: pd.DataFrame):
    """Negative binomial (NB2) regression by maximum likelihood, overdispersion estimated.

    Newton's method first (accurate; BFGS alone under-estimated the dispersion in our
    simulations and gave intervals that were too narrow), then BFGS and Nelder–Mead if it
    fails to converge.
    """
    import warnings

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    model = sm.NegativeBinomial(y, X)
    for solver in ("newton", "bfgs", "nm"):
        try:
            with warnings.catch_warnings():  # convergence is checked below, solver by solver
                warnings.simplefilter("ignore", RuntimeWarning)
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", HessianInversionWarning)  # bse checked below
                fit = model.fit(method=solver, disp=0, maxiter=500)
        except (np.linalg.LinAlgError, ValueError):
            continue
        if fit.mle_retvals.get("converged", True) and np.all(np.isfinite(fit.bse)):
            return fit
    raise DataError("the negative binomial model did not converge", source="count model",
                    expected="more events, or family/method 'quasipoisson'")


def to_frequency(counts: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Counts at ``freq``: daily counts are summed into weeks or months; a table already at
    ``freq`` is checked for gaps."""
    from analysis.events import period_start

    if freq not in UNIT:
        raise ValueError(f"freq must be one of {', '.join(UNIT)}")
    require_columns(counts, ["date", "count"], source="trend model",
                    expected="counts from count_events")
    c = counts[["date", "count"]].sort_values("date")
    periods = pd.to_datetime(period_start(c["date"], freq)).astype("datetime64[ns]")
    out = c.groupby(periods)["count"].sum().rename_axis("date").reset_index()
    full = pd.to_datetime(period_start(pd.Series(pd.date_range(out["date"].min(), out["date"].max())),
                                       freq)).unique() if len(out) else []
    return out.set_index("date").reindex(pd.DatetimeIndex(full, name="date"),
                                         fill_value=0).reset_index()


def autocorrelation_factor(residuals, *, n_params: int = 1,
                           max_phi: float = 0.95) -> tuple[float, float]:
    """The lag-one autocorrelation of a model's residuals, and how much it inflates the
    variance of an estimate from a persistent regressor (a level or slope change, a trend).

    Counts around a latent rate that drifts (a campaign, then quiet) have autocorrelations
    that decay as ``c phi^k``: ``c`` and ``phi`` (0 to ``max_phi``) are fitted by least squares
    to the residuals' autocorrelations at lags 1 to ``min(10, sqrt(n))``, each first raised by
    ``n_params / n``, the downward bias of the autocorrelations of residuals from a fit with
    ``n_params`` coefficients (the fit absorbs part of every slow movement); none when the
    raised lag-one value is not positive. The factor is the long-run variance over the
    variance, ``1 + 2 c phi / (1 - phi)``, at least 1. No significance gate: a factor
    estimated from noise widens the intervals a little, while a gate at ``1.96 / sqrt(n)``
    missed most real drifts in 150 weeks (benchmarks/README.md gives the rates).
    """
    r = np.asarray(residuals, dtype=float)
    r = r - r.mean()
    denom = float(np.dot(r, r))
    if len(r) < 8 or denom == 0:
        return 0.0, 1.0
    lags = np.arange(1, int(min(10, np.sqrt(len(r)))) + 1)
    acf = np.array([np.dot(r[k:], r[:-k]) / denom for k in lags])  # a few lags
    corrected = acf + n_params / len(r)
    if corrected[0] <= 0:  # neighbours no more alike than chance: no streaks to allow for
        return float(acf[0]), 1.0
    phis = np.linspace(0.0, max_phi, 96)[1:, None]
    shape = phis ** lags[None, :]                                    # (phi, lag)
    c = np.maximum(0.0, (shape @ corrected) / np.einsum("ij,ij->i", shape, shape))
    sse = ((corrected[None, :] - c[:, None] * shape) ** 2).sum(axis=1)
    best = int(np.argmin(sse))
    factor = 1.0 + 2.0 * c[best] * phis[best, 0] / (1.0 - phis[best, 0])
    return float(acf[0]), float(max(1.0, factor))
