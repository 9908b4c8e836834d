"""The statistics a reporter can quote, each with its uncertainty and its sentences.

- :mod:`~analysis.stats.escalation`: are events more frequent around the anniversaries?
- :mod:`~analysis.stats.its`: did the rate change when a truce took effect (interrupted
  time series)?
- :mod:`~analysis.stats.changepoints`: where does the rate shift?
- :mod:`~analysis.stats.fitting`: what the models share (counts at a unit of time, a smooth
  trend, the negative binomial fit, the allowance for streaks);
  :mod:`~analysis.stats.numbers`: how numbers are put into words.
"""

from analysis.stats.changepoints import ChangePoints, describe_changepoints, detect_changepoints
from analysis.stats.escalation import (
    METHODS,
    EscalationResult,
    describe_escalation,
    escalation_headline,
    escalation_test,
)
from analysis.stats.fitting import autocorrelation_factor, fit_negbin, to_frequency, trend_basis
from analysis.stats.its import (
    FAMILIES,
    MIN_PERIODS,
    MIN_SIDE,
    TrendResult,
    describe_trend,
    estimable,
    fit_interrupted_series,
    interruption_sides,
    trend_headline,
)
from analysis.stats.numbers import MIN_EVENTS, UNIT

__all__ = [
    "FAMILIES", "METHODS", "MIN_EVENTS", "MIN_PERIODS", "MIN_SIDE", "UNIT", "ChangePoints", "EscalationResult",
    "TrendResult", "autocorrelation_factor", "describe_changepoints", "describe_escalation",
    "describe_trend", "detect_changepoints", "escalation_headline", "escalation_test",
    "estimable", "fit_interrupted_series", "fit_negbin", "interruption_sides", "to_frequency",
    "trend_basis", "trend_headline",
]
