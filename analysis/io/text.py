"""The text engine: delimited files (CSV, tab-separated) into a frame of text, with the row
number a spreadsheet shows for every row, and every malformed row named.

A well-formed UTF-8 file is parsed by pyarrow (fast; its text stays in Arrow memory); any other
file by Python's csv module, which checks every row: a row with fewer or more fields than
the header is set aside with its row number (never padded or cut), a quote left open is an
error naming where it opened.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis._kernels import arrow_csv
from analysis._kernels.arrow import arrow_to_pandas as arrow_to_pandas
from analysis._kernels.arrow import columns_that_may_match
from analysis._kernels.filescan import blank_line_before_data, count_lines
from analysis._kernels.memory import give_back_memory as give_back_memory
from analysis._kernels.threads import background
from analysis.schema import DataError, Problem
from analysis.values import EDGES, INVISIBLE, STR_DTYPE

PathLike = str | Path


@dataclass(frozen=True)
class RawText:
    """A delimited file as text: ``frame`` (blank = ``""``), ``rows`` (each row's number as a
    spreadsheet shows it, header = 1) and ``set_aside`` (malformed rows taken out, as
    problems)."""

    frame: pd.DataFrame
    rows: np.ndarray
    set_aside: list[Problem] = field(default_factory=list)


def normalise_header(name: object) -> str:
    """A column name as the formats match it: trimmed (spaces, byte-order marks), without
    invisible characters anywhere (zero-width spaces, soft hyphens), lower case, runs of
    spaces, dots and hyphens as one underscore.

    Examples
    --------
    >>> normalise_header("\ufeffEVENT_ID_CNTY "), normalise_header("Event  Date")
    ('event_id_cnty', 'event_date')
    """
    return re.sub(r"[\s.\-]+", "_", _INVISIBLE.sub("", str(name)).strip(EDGES).lower())


_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def read_text_table(path: PathLike, **options) -> tuple[pd.DataFrame, np.ndarray]:
    """Read a small hand-kept table (truces, key dates, aliases): the frame of text and its
    spreadsheet row numbers; any malformed row raises :class:`DataError` (see
    :func:`read_delimited` for the options)."""
    got = read_delimited(path, **options)
    if got.set_aside:
        raise got.set_aside[0].error(source=str(path), problems=got.set_aside)
    return got.frame, got.rows


def read_delimited(
    path: PathLike,
    *,
    sep: str = ",",
    names: list[str] | None = None,
    encoding: str | None = None,
    categories: Sequence[str] = (),
    parsed: Sequence[str] = (),
    numbers: Sequence[str] = (),
) -> RawText:
    """Read a delimited text file as strings (blank = ``""``), with spreadsheet row numbers.

    UTF-8 with or without a byte-order mark is accepted. Another encoding gives a
    :class:`DataError` naming the first undecodable line, unless ``encoding`` is given.
    ``names`` is for header-less files (GDELT). An empty file, a header with no data rows,
    or a quote left open (swallowing the rows after it) is an error; a row with more or
    fewer fields than the header is set aside (``RawText.set_aside``).

    ``categories``, ``parsed`` and ``numbers`` name columns (as :func:`normalise_header`
    writes them) for pyarrow: ``categories`` repeat, and are read as categoricals (same
    values, a fraction of the memory); ``parsed`` are about to be turned into dates or
    numbers (pyarrow's other text columns, and every categorical, are joined into one piece,
    see :func:`arrow_to_pandas`); ``numbers`` are read as float64 (blank = NaN) when every
    value in them is a number or blank, as ``pd.to_numeric`` reads it; if one is not (or is
    "nan"), the file is parsed again with them as text (as on the csv-module path).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("file not found", source=str(path), expected="an existing file")
    if path.stat().st_size == 0 or not _has_text(path):
        raise DataError("file is empty", source=str(path),
                        expected="a header row and at least one row of data")
    enc = encoding or "utf-8-sig"
    raw = None
    with background() as meanwhile:
        counted = meanwhile(count_lines, path)  # beside pyarrow's parse
        if codecs.lookup(enc).name in ("utf-8", "utf-8-sig"):
            raw = _read_arrow(path, sep, names, categories, parsed, numbers)
        lines, lone_cr = counted.result()
    one_line_rows = False  # every row on a line of its own: no value runs over lines
    if raw is None or lone_cr:  # the csv module reads lines ended by a lone carriage return
        raw = None  # (freed first)
        got = _read_python(path, sep, names, enc)
    else:
        one_line_rows = len(raw) + (names is None) == lines
        header = names is None
        # every row one line, and no line left over: no blank line to skip (the usual case;
        # a line ended by a lone carriage return is not counted, so such files are scanned)
        blank = (len(raw) + header != lines) and blank_line_before_data(path, lone_cr)
        raw.columns = [str(c).strip() for c in raw.columns]
        got = RawText(raw, _spreadsheet_rows(path, enc, sep, len(raw), header=header,
                                             blank=blank))
    if got.frame.empty and not got.set_aside:
        raise DataError("file has a header row but no data rows", source=str(path),
                        expected="at least one row of data below the header")
    if not one_line_rows:
        _check_open_quotes(got, sep, path)
    return got


def _read_python(path: Path, sep: str, names: list[str] | None, encoding: str) -> RawText:
    """Parse with the csv module, checking every row's width (the careful path)."""
    try:
        records = _records_of(path, encoding, sep)
    except UnicodeDecodeError:
        raise encoding_error(path) from None
    filled = [i for i, r in enumerate(records) if len(r) > 1 or (r and r[0].strip(" \t"))]
    if names is None:
        header, filled = [c.strip() for c in records[filled[0]]], filled[1:]
    else:
        header = list(names)
    width = len(header)
    widths = np.fromiter((len(records[i]) for i in filled), dtype=np.int64, count=len(filled))
    positions = np.asarray(filled, dtype=np.int64)
    ragged = widths != width
    set_aside = []
    for problem, mask, expected in (
            ("row has fewer fields than the file has columns", widths < width,
             f"{width} {separator_name(sep)}-separated fields, as in the "
             + ("header" if names is None else "format") + " (a row cut short, or a missing "
             "separator?)"),
            ("row has more fields than the file has columns", widths > width,
             f"at most {width} {separator_name(sep)}-separated fields"
             + (", as in the header" if names is None else "")
             + f" (put quotes around a value that contains {separator_name(sep)})")):
        # a quote left open joins the lines after it into one row: say so, and show them
        joined = np.fromiter((any("\n" in v or "\r" in v for v in records[i]) for i in filled),
                             dtype=bool, count=len(filled))
        for part, why in ((mask & ~joined, problem),
                          (mask & joined, problem + ", and runs over several lines: a quote "
                           "left open joined the lines after it into this row")):
            if part.any():  # a joined row: the start of each line it holds
                shown = np.array([" / ".join(_short(line, 60) for line in
                                             sep.join(records[i]).splitlines())
                                  for i in positions[part]], dtype=object)
                set_aside.append(Problem(why, "(whole row)", np.flatnonzero(part), shown,
                                         expected, positions[part] + 1))
    good = positions[~ragged]
    frame = pd.DataFrame([records[i] for i in good], columns=header, dtype=object)
    return RawText(frame.astype(STR_DTYPE) if len(frame) else frame, good + 1, set_aside)


def _records_of(path: Path, encoding: str, sep: str) -> list[list[str]]:
    """Every record of the file. Quotes are read as pandas and pyarrow read them (a quote
    inside an unquoted value is kept as text), but a quote still open at the end of the
    file is an error."""
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=sep, strict=True)
        try:
            return list(reader)
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise DataError(
                    f"a quoted value opened before line {reader.line_num} is never closed: "
                    "the file ends inside it", source=str(path),
                    expected="a closing quote at the end of the value (or no quote at its "
                    "start)") from None
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh, delimiter=sep, strict=False))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def separator_name(sep: str) -> str:
    """A separator as a word for messages: tab, comma, semicolon."""
    return {"\t": "tab", ",": "comma", ";": "semicolon"}.get(sep, repr(sep))


def _check_open_quotes(got: RawText, sep: str, path: Path) -> None:
    """A quote left open swallows the rows after it into one value: find a value that runs
    over several lines and holds a line with as many separators as a whole row."""
    width = got.frame.shape[1]
    if width < 4:  # with fewer columns, a note with a comma or two would look like a row
        return
    maybe = columns_that_may_match(got.frame, "\n")
    for i in np.flatnonzero(maybe):
        col, values = got.frame.columns[i], got.frame.iloc[:, i]  # by position: names may repeat
        if isinstance(values.dtype, pd.CategoricalDtype):
            # each distinct value looked at once: most columns hold no line break at all
            if not values.cat.categories.astype(STR_DTYPE).str.contains("\n", regex=False).any():
                continue
            values = values.astype(STR_DTYPE)
        elif not pd.api.types.is_string_dtype(values.dtype):
            continue
        multi = values.str.contains("\n", regex=False, na=False).to_numpy(bool)
        if not multi.any():
            continue
        lines = values[multi].str.split("\n").explode()
        rowlike = lines.str.count(re.escape(sep)) >= width - 1
        if rowlike.any():
            pos = np.flatnonzero(multi)[np.unique(
                pd.factorize(lines.index)[0][rowlike.to_numpy(bool)])]
            raise DataError(
                "a quoted value runs over several lines and holds what look like whole rows: "
                "a quote left open swallows the rows after it", source=str(path),
                column=str(col), rows=got.rows[pos].tolist(),
                values=[_short(v) for v in values.iloc[pos[:3]].tolist()],
                expected="a closing quote at the end of the value (or no quote at its start)")


#: columns too varied to read as dictionaries (nearly one value per row)
COORDINATES = ("latitude", "longitude")


def _read_arrow(path: Path, sep: str, names: list[str] | None, categories: Sequence[str] = (),
                parsed: Sequence[str] = (), numbers: Sequence[str] = ()) -> pd.DataFrame | None:
    """Parse a UTF-8 file with pyarrow; None where only pandas gives the right table or error.

    pyarrow and pandas agree on well-formed files. pandas is left: a separator pyarrow does
    not take (more than one character, or not ASCII); a header pandas would rename (a blank
    or repeated name); one-column files (pyarrow keeps lines of spaces); and whatever
    :func:`analysis._kernels.arrow_csv.read_csv` declines: any pyarrow error (a ragged or
    short row, a line of spaces, text that is not UTF-8), no data rows, a file that may end
    inside quotes, a value holding a carriage return. (Files with a line ended by a lone
    carriage return are left to the csv module by :func:`read_delimited`: pandas reads ",b"
    after such a line as "b,".)
    """
    if len(sep) != 1 or not sep.isascii():  # pyarrow takes one ASCII character
        return None
    try:
        columns = names or next(_records(path, "utf-8-sig", sep), (0, []))[1]
    except (UnicodeDecodeError, csv.Error):
        return None
    if len(columns) < 2 or "" in columns or len(set(columns)) < len(columns):
        return None
    header = {c: normalise_header(c) for c in columns}
    return arrow_csv.read_csv(
        path, sep, names, columns,
        dictionaries={c for c in columns if header[c] in categories},
        numbers={c for c in columns if header[c] in numbers},
        chunked={c for c in columns if header[c] in parsed})


def _records(path: Path, encoding: str, sep: str):
    """Yield (row number as a spreadsheet shows it, fields) for every line pandas does not skip."""
    with path.open(encoding=encoding, newline="") as fh:
        for row, fields in enumerate(csv.reader(fh, delimiter=sep), start=1):
            if len(fields) > 1 or (fields and fields[0].strip(" \t")):
                yield row, fields


def _spreadsheet_rows(path: Path, encoding: str, sep: str, n: int, *, header: bool,
                      blank: bool) -> np.ndarray:
    """Row numbers of the ``n`` data rows: pandas skips blank lines, a spreadsheet counts them.

    ``blank``: whether a blank line comes before some data (see
    :func:`analysis._kernels.filescan.blank_line_before_data`).
    """
    first = 2 if header else 1
    simple = np.arange(first, first + n)
    if not blank:
        return simple
    try:
        rows = [row for row, _ in _records(path, encoding, sep)][1 if header else 0:]
    except csv.Error:
        return simple
    return np.array(rows) if len(rows) == n else simple


def _has_text(path: Path) -> bool:
    with path.open("rb") as fh:
        return bool(fh.read(4096).strip(b"\xef\xbb\xbf \t\r\n"))


def encoding_error(path: Path, source: str | None = None) -> DataError:
    """Find the first line that is not UTF-8 and say what the file probably is."""
    line_no, sample = 0, b""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                line_no, sample = number, line[max(0, exc.start - 20): exc.end + 20]
                break
    guess = sample.decode("cp1252", errors="replace").strip()
    return DataError(
        f"file is not UTF-8 text (line {line_no}: {guess!r} looks like Windows-1252/Latin-1)",
        source=source or str(path),
        expected="UTF-8 text: re-save it as 'CSV UTF-8', or pass encoding='cp1252' "
        "(CLI: --encoding cp1252) if you are sure of the encoding",
    )


