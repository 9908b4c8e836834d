"""Writing tables a journalist will share."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from analysis.values import STR_DTYPE


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a table a journalist will share: UTF-8, ISO dates, LF line ends, formula-safe cells.

    Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
    ``@``, tab or carriage return) are prefixed with an apostrophe.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = df.copy()
    for col in safe.columns:
        if pd.api.types.is_string_dtype(safe[col]) or safe[col].dtype == object:
            safe[col] = neutralise_formulas(safe[col])
    buf = io.StringIO()
    safe.to_csv(buf, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def neutralise_formulas(values: pd.Series) -> pd.Series:
    """Prefix ``'`` to text that a spreadsheet would treat as a formula (OWASP CSV injection).

    Examples
    --------
    >>> neutralise_formulas(pd.Series(["=SUM(A1:A9)", "-2+3", "Green Zone", None])).tolist()
    ["'=SUM(A1:A9)", "'-2+3", 'Green Zone', nan]
    """
    text = values.astype(STR_DTYPE)
    risky = text.str.match(r"^[=+\-@\t\r]", na=False)
    return text.where(~risky, "'" + text)
