"""Deprecated: the count models moved to :mod:`analysis.stats` (escalation test, interrupted
time series, change points). This module re-exports their public names for one release and
warns on import; see CHANGELOG.md."""

import warnings

from analysis.stats import *  # noqa: F403
from analysis.stats import __all__  # noqa: F401

warnings.warn("analysis.models is deprecated: import from analysis.stats (or analysis)",
              DeprecationWarning, stacklevel=2)
