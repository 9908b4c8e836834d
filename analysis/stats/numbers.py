"""How the statistics put numbers into words: ratios, signed percentages, units of time,
and what an interval lets a sentence claim. One place, so that every sentence and title
rounds and judges alike."""

from __future__ import annotations

import numpy as np

#: the trend models' units of time, by pandas frequency
UNIT = {"D": "day", "W": "week", "MS": "month"}
MIN_EVENTS = 10  # fewer events than this in the whole series: say the data cannot tell


def level(alpha: float) -> int:
    """The confidence level in per cent, for "95% CI".

    >>> level(0.05)
    95
    """
    return round(100 * (1 - alpha))


def ratio_text(x: float) -> str:
    """A rate ratio as text: two decimals below 1 and near 1 (0.96 and 1.04 stay apart from
    "1.0"), one up to 10, none above; infinity as "∞".

    >>> [ratio_text(x) for x in (0.345, 1.04, 2.14, 12.6, float("inf"))]
    ['0.34', '1.04', '2.1', '13', '∞']
    """
    if not np.isfinite(x):
        return "∞" if x > 0 else "n/a"
    if x < 1 or round(x, 1) == 1.0:  # keep 0.96 and 1.04 apart from "1.0"
        return f"{x:.2f}"
    return f"{x:.1f}" if x < 10 else f"{x:.0f}"


def interval_verdict(low: float, high: float, total: float) -> str:
    """What a change's interval lets a sentence say, in order of precedence: ``unbounded``,
    ``few`` (fewer than :data:`MIN_EVENTS` in the series), ``no change ruled out``, ``too
    wide`` (the high end over ten times the low), or ``clear``."""
    if unbounded(low, high):
        return "unbounded"
    if total < MIN_EVENTS:
        return "few"
    if low < 0 < high:
        return "no change ruled out"
    return "too wide" if (1 + high) / max(1 + low, 1e-9) > 10 else "clear"


def unbounded(low: float, high: float) -> bool:
    """Whether an interval of relative change is no estimate: not finite, down to -100% (a
    rate of zero) or up beyond a hundredfold (a fit that did not converge, or a stretch of
    zeros the log link cannot reach)."""
    return not (np.isfinite(low) and np.isfinite(high)) or low <= -0.999 or high > 99


def per_unit(unit: str) -> str:
    """The adjective of a unit of time: "week" -> "weekly"."""
    return {"day": "daily", "week": "weekly", "month": "monthly"}[unit]


def signed_percent(x: float) -> str:
    """A relative change as a signed percentage: 0.25 -> "+25%", -0.6 -> "−60%"."""
    return f"{'+' if x > 0 else '−' if x < 0 else ''}{abs(x) * 100:.0f}%"
