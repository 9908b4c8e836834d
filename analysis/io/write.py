"""Writing tables a journalist will share."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from analysis.values import STR_DTYPE


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a table a journalist will share: UTF-8, ISO dates, LF line ends, formula-safe cells.

    Text cells and column names that a spreadsheet would run as a formula (starting with
    ``=``, ``+``, ``-``, ``@``, tab or carriage return, or their full-width forms) are prefixed
    with an apostrophe; text held as a categorical column too.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = df.copy()
    for col in safe.columns:
        dtype = safe[col].dtype
        if isinstance(dtype, pd.CategoricalDtype) and pd.api.types.infer_dtype(
                dtype.categories) == "string":  # repeated text, as the readers keep it
            safe[col] = safe[col].astype(object)
        if pd.api.types.is_string_dtype(safe[col]) or safe[col].dtype == object:
            safe[col] = neutralize_formulas(safe[col])
    safe.columns = neutralize_formulas(pd.Series([str(c) for c in safe.columns],
                                                 dtype=object)).tolist()
    buf = io.StringIO()
    safe.to_csv(buf, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return write_atomic(path, buf.getvalue())


def write_atomic(path: str | Path, content: str | bytes) -> Path:
    """Write a file whole or not at all: into a temporary file beside it, then renamed over
    it (a reader never sees half a file; an interrupted run leaves the old one). Text is
    UTF-8 with the line ends as given."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def rounded(df: pd.DataFrame, digits: int) -> pd.DataFrame:
    """The table with its number columns rounded to ``digits`` (dates and text as they are;
    ``DataFrame.round`` warns on a date column).

    Examples
    --------
    >>> rounded(pd.DataFrame({"d": pd.to_datetime(["2020-01-01"]), "x": [1.23456]}), 2)["x"].tolist()
    [1.23]
    """
    return df.round({c: digits for c in df.select_dtypes("number").columns})


def neutralize_formulas(values: pd.Series) -> pd.Series:
    """Prefix ``'`` to text that a spreadsheet would treat as a formula (OWASP CSV injection).

    Examples
    --------
    >>> neutralize_formulas(pd.Series(["=SUM(A1:A9)", "-2+3", "\uff1d1", "Green Zone", None])).tolist()
    ["'=SUM(A1:A9)", "'-2+3", "'\uff1d1", 'Green Zone', nan]
    """
    text = values.astype(STR_DTYPE)
    # OWASP's list, and the full-width forms a spreadsheet may fold into it (= + - @)
    risky = text.str.match("^[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]", na=False)
    return text.where(~risky, "'" + text)


def neutralise_formulas(values: pd.Series) -> pd.Series:
    """Deprecated spelling of :func:`neutralize_formulas` (the package writes -ize, as in
    ``normalize_actors``); kept for one release."""
    import warnings

    warnings.warn("neutralise_formulas is deprecated: use neutralize_formulas",
                  DeprecationWarning, stacklevel=2)
    return neutralize_formulas(values)
