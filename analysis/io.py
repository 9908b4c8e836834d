"""Readers: files from the newsroom and from conflict datasets, into the canonical event table.

Every reader returns the table described in :mod:`analysis.schema`. Nothing is dropped
silently: the ``read_*`` functions raise :class:`~analysis.schema.DataError` on the first bad
file (listing every bad row), and :func:`load_events` with ``errors="collect"`` returns the
good rows beside a table of the rows it set aside, each with its reason.

=========  ===================================================  =======================
format     what                                                 reader
=========  ===================================================  =======================
incidents  the project's own incident log (CSV, Parquet, Excel)  :func:`read_events`
acled      an ACLED export (CSV)                                 :func:`read_acled`
ucdp       a UCDP GED event file (CSV)                           :func:`read_ucdp_ged`
gdelt      a GDELT 2.0 event export (tab-separated, no header)   :func:`read_gdelt_events`
sigacts    Bauer's Iraq SIGACT table (time, event_type, ...)     :func:`read_sigacts`
=========  ===================================================  =======================
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import math
import re
import warnings
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

from analysis.schema import (
    CATEGORY_COLUMNS,
    PARSED_COLUMNS,
    STR_DTYPE,
    DataError,
    Problem,
    _plain,
    check_events,
)

PathLike = str | Path


@dataclass(frozen=True)
class LoadResult:
    """What a reader made of a file: the events, and the rows it set aside with reasons.

    ``rejected`` has one row per (file row, problem): ``row`` (as a spreadsheet shows it),
    ``column``, ``value``, ``problem`` and ``expected``.
    """

    events: pd.DataFrame
    rejected: pd.DataFrame
    source: str
    format: str
    rows_read: int


# --------------------------------------------------------------------------------------
# Reading text files


def read_text_table(
    path: PathLike,
    *,
    sep: str = ",",
    names: list[str] | None = None,
    encoding: str | None = None,
    categories: Sequence[str] = (),
    parsed: Sequence[str] = (),
    numbers: Sequence[str] = (),
) -> tuple[pd.DataFrame, np.ndarray]:
    """Read a delimited text file as strings (blank = ``""``); return it with spreadsheet row numbers.

    UTF-8 with or without a byte-order mark is accepted. Another encoding gives a
    :class:`DataError` naming the first undecodable line, unless ``encoding`` is given.
    ``names`` is for header-less files (GDELT). An empty file, or a header with no data
    rows, is an error. A well-formed UTF-8 file is parsed by pyarrow (fast, and its text
    stays in Arrow memory); anything else by pandas, which names what is wrong.
    ``categories``: columns whose values repeat, which pyarrow then reads as categoricals
    (same values, a fraction of the memory; pandas still reads them as text). ``parsed``:
    columns the caller turns into dates or numbers; pyarrow's other text columns, and every
    categorical, are joined into one piece (see :func:`arrow_to_pandas`). ``numbers``: columns
    pyarrow reads as numbers (float64, blank = NaN) when every value in them is a number or
    blank, as ``pd.to_numeric`` reads it; if one is not (or is "nan"), the file is parsed
    again with them as text, as they always are on the pandas path (and in the last column).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("file not found", source=str(path), expected="an existing file")
    if path.stat().st_size == 0 or not _has_text(path):
        raise DataError("file is empty", source=str(path),
                        expected="a header row and at least one row of data")
    enc = encoding or "utf-8-sig"
    raw = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        counted = pool.submit(_count_lines, path)  # beside pyarrow's parse
        if codecs.lookup(enc).name in ("utf-8", "utf-8-sig"):
            raw = _read_arrow(path, sep, names, categories, parsed, numbers)
        lines, lone_cr = counted.result()
    if raw is None or lone_cr:  # pandas reads lines ended by a lone carriage return right
        raw = None  # (freed first)
        raw = _read_pandas(path, sep, names, enc)
    if names is not None:
        first, fields = next(_records(path, enc, sep))
        if len(fields) != len(names):  # pandas pads short rows silently
            raise DataError(f"found {len(fields)} columns", source=str(path), rows=[first],
                            expected=f"{len(names)} columns")
    raw.columns = [str(c).strip() for c in raw.columns]
    if raw.empty:
        raise DataError("file has a header row but no data rows", source=str(path),
                        expected="at least one row of data below the header")
    header = names is None
    # every row one line, and no line left over: no blank line to skip (the usual case; a
    # line ended by a lone carriage return is not counted, so such files are scanned)
    blank = (lone_cr or len(raw) + header != lines) and _blank_line_before_data(path, lone_cr)
    return raw, _spreadsheet_rows(path, enc, sep, len(raw), header=header, blank=blank)


def _read_pandas(path: Path, sep: str, names: list[str] | None, encoding: str) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            # index_col=False: a first data row longer than the header must not become the
            # index (shifting every column); pandas then warns and drops the extra fields,
            # which is turned into an error here
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                path, sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                encoding=encoding, header=None if names else 0, names=names,
                quoting=csv.QUOTE_MINIMAL, skip_blank_lines=True, engine="c", index_col=False,
            )
    except UnicodeDecodeError:
        raise _encoding_error(path) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        raise _ragged_error(path, encoding, sep, names, exc) from None


#: columns too varied to read as dictionaries (nearly one value per row)
COORDINATES = ("latitude", "longitude")
#: how pyarrow reads the ``categories`` of :func:`read_text_table`
_DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())
#: the most bytes pyarrow parses at a time (and so the length of each column's chunks); a
#: file is cut into at least :data:`ARROW_BLOCKS` blocks of at least 1 MB, for both cores
ARROW_BLOCK = 32 << 20
ARROW_BLOCKS = 64


def _read_arrow(path: Path, sep: str, names: list[str] | None, categories: Sequence[str] = (),
                parsed: Sequence[str] = (), numbers: Sequence[str] = ()) -> pd.DataFrame | None:
    """Parse a UTF-8 file with pyarrow; None where only pandas gives the right table or error.

    pyarrow and pandas agree on well-formed files. pandas is left: any pyarrow error (a
    ragged or short row, a line of spaces, text that is not UTF-8); a header pandas would
    rename (a blank or repeated name); one-column files (pyarrow keeps lines of spaces); no
    data rows; a file that may end inside quotes; a value holding a carriage return; and
    (see :func:`read_text_table`) lines ended by a lone carriage return.
    """
    if len(sep) != 1 or not sep.isascii():  # pyarrow takes one ASCII character
        return None
    try:
        columns = names or next(_records(path, "utf-8-sig", sep), (0, []))[1]
        if len(columns) < 2 or "" in columns or len(set(columns)) < len(columns):
            return None
        text = {c: _DICTIONARY if c.strip() in categories else pa.large_string() for c in columns}
        # the last column stays text: its last value shows whether the file ends inside quotes
        typed = {**text, **{c: pa.float64() for c in columns[:-1] if c.strip() in numbers}}
        tries = [(typed, False)] if typed != text else []
        table = None
        for types, newlines_in_values in [*tries, (text, False), (text, True)]:
            with contextlib.suppress(pa.ArrowInvalid):
                table = _parse_arrow(path, sep, names, types, newlines_in_values=newlines_in_values)
            if (table is not None and (newlines_in_values or not _text_holds(table, ord("\n")))
                    and (types is text or not _holds_nan(table))):
                break
            table = None  # (freed before parsing again)
        else:
            return None
    except (pa.ArrowException, UnicodeDecodeError, csv.Error):
        return None
    if (table.column_names != list(columns) or not table.num_rows
            or _may_end_in_quotes(path, table) or _text_holds(table, ord("\r"))):
        return None
    chunked = {c for c in columns if c.strip() in parsed}
    owner = [table]
    del table  # arrow_to_pandas must hold the only reference, to free each column as it goes
    return arrow_to_pandas(owner.pop(), chunked=chunked)


def _parse_arrow(path: Path, sep: str, names: list[str] | None, types: dict[str, pa.DataType],
                 *, newlines_in_values: bool) -> pa.Table:
    """pyarrow's CSV reader, on both cores.

    Without ``newlines_in_values`` it cuts the file into blocks at any line feed, with no
    pass to follow quotes first (a 2.5 GB file: 5.8 to 7.7 s, against 7.1 to 8.1 s with the
    pass, on this project's 2-core VM). A value spanning lines, cut that way, makes
    the parse fail ("out of sync with chunker") or come out wrong, so :func:`_read_arrow`
    keeps such a table only if no value holds a line feed: then every line feed ended a row
    (or a blank line) in pyarrow's reading, so was outside quotes, and every block began
    where a row does, as pyarrow took it to.
    """
    return pv.read_csv(
        path,
        read_options=pv.ReadOptions(column_names=names, block_size=min(
            ARROW_BLOCK, max(1 << 20, path.stat().st_size // ARROW_BLOCKS))),
        parse_options=pv.ParseOptions(delimiter=sep, newlines_in_values=newlines_in_values),
        convert_options=pv.ConvertOptions(column_types=types, null_values=[""],
                                          strings_can_be_null=False,
                                          quoted_strings_can_be_null=False),
    )


def arrow_to_pandas(table: pa.Table, *, chunked: Collection[str] = ()) -> pd.DataFrame:
    """``table.to_pandas()``, with each text and dictionary column in one piece and the
    table's memory given back column by column.

    Arrow columns come in one chunk per block or row group (hundreds for a large file).
    pandas keeps text as it comes, and taking rows from a chunked column joins its chunks on
    every call (at 10M rows, 0.5 GB more memory and several times the time); dictionary
    columns are turned into categoricals 3x faster from one piece (their dictionaries
    unified once). So both are joined here, two columns at a time (Arrow works without the
    GIL), except the text columns named in ``chunked`` (about to be parsed: a copy would be
    wasted). The table is consumed: the caller must not keep a reference (else nothing can
    be freed as each column is joined)."""
    def joins(field: pa.Field) -> bool:
        text = pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
        return pa.types.is_dictionary(field.type) or (text and field.name not in chunked)

    todo = [i for i, field in enumerate(table.schema)
            if joins(field) and table.column(i).num_chunks > 1]
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = {pool.submit(pa.ChunkedArray.combine_chunks, table.column(i)): i for i in todo}
        for job in as_completed(jobs):
            i = jobs.pop(job)
            table = table.set_column(i, table.schema.field(i), job.result())
            del job
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    give_back_memory()
    return frame


def give_back_memory() -> None:
    """Return the memory Arrow has freed to the system. Arrow's allocator keeps freed pages for
    its own reuse, which NumPy and pandas cannot use: after reading a 2.5 GB CSV it held
    2.7 GB of them, above a 1.5 GB table."""
    pa.default_memory_pool().release_unused()


def _may_end_in_quotes(path: Path, table: pa.Table) -> bool:
    """Whether the file may end inside a quoted value: pandas refuses that, pyarrow closes it.

    The last value then fills the end of the file, after its opening quote.
    """
    tail = ('"' + table.column(table.num_columns - 1)[-1].as_py().replace('"', '""')).encode()
    with path.open("rb") as fh:
        fh.seek(max(path.stat().st_size - len(tail), 0))
        return fh.read() == tail


def _holds_nan(table: pa.Table) -> bool:
    """Whether a number column holds NaN (from "nan" in the file: a value ``pd.to_numeric``
    reads as missing, so the text path reports it as unreadable)."""
    return any(pc.any(pc.is_nan(column)).as_py() for column in table.columns
               if pa.types.is_floating(column.type))


def _text_holds(table: pa.Table, byte: int) -> bool:
    """Whether a text value holds ``byte``: a line feed (see :func:`_parse_arrow`), or a
    carriage return, after which pyarrow may have dropped the line feed (when the pair
    straddles two of its blocks: apache/arrow#51368)."""
    texts = (chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
             for column in table.columns for chunk in column.chunks)
    return any(byte in np.frombuffer(text.buffers()[2], np.uint8) for text in texts
               if pa.types.is_large_string(text.type) or pa.types.is_string(text.type))


def _records(path: Path, encoding: str, sep: str):
    """Yield (row number as a spreadsheet shows it, fields) for every line pandas does not skip."""
    with path.open(encoding=encoding, newline="") as fh:
        for row, fields in enumerate(csv.reader(fh, delimiter=sep), start=1):
            if len(fields) > 1 or (fields and fields[0].strip(" \t")):
                yield row, fields


#: bytes read at a time when scanning a file's lines
SCAN_CHUNK = 64 << 20
#: bytes read at a time when counting a file's lines (in the processor's cache)
COUNT_CHUNK = 1 << 20
_BLANK_LINE = re.compile(rb"\n[ \t]*\r?\n")
_DATA = re.compile(rb"[^ \r\n]")  # not blank (a tab may be a separator)
# pandas reads ",b" after a line of a lone carriage return as "b,": such files are left to it
_LONE_CR = re.compile(rb"\r[^\n]")


def _spreadsheet_rows(path: Path, encoding: str, sep: str, n: int, *, header: bool,
                      blank: bool) -> np.ndarray:
    """Row numbers of the ``n`` data rows: pandas skips blank lines, a spreadsheet counts them.

    ``blank``: whether a blank line comes before some data (see :func:`_blank_line_before_data`).
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


def _count_lines(path: Path) -> tuple[int, bool]:
    """The file's lines (a last line without a line feed counts), and whether a lone carriage
    return ends one. When the rows read and the header make as many lines (and no lone
    carriage return ends one), no blank line was skipped, and the careful
    :func:`_blank_line_before_data` is not needed."""
    buf = bytearray(COUNT_CHUNK)
    view, codes, feeds = memoryview(buf), np.frombuffer(buf, np.uint8), np.empty(len(buf), bool)
    lines, lone_cr, after_cr, last = 0, False, False, ord("\n")
    with path.open("rb") as fh:
        while n := fh.readinto(view):
            lines += np.count_nonzero(np.equal(codes[:n], ord("\n"), out=feeds[:n]))
            if not lone_cr:
                lone_cr = after_cr and buf[0] != ord("\n")
                if not lone_cr and (cr := buf.find(b"\r", 0, n)) >= 0:  # find is fast
                    lone_cr = bool(_LONE_CR.search(buf, cr, n))
                after_cr = buf[n - 1] == ord("\r")
            last = buf[n - 1]
    return lines + (last != ord("\n")), lone_cr


def _blank_line_before_data(path: Path, lone_cr: bool) -> bool:
    """Whether a blank line (or one of spaces) comes before some data. Blank lines at the end
    move no row (unless lone carriage returns are about: the csv module counts lines of
    them, which pandas skips).

    Reads :data:`SCAN_CHUNK` bytes at a time, keeping for the next chunk the end of a line
    that may turn out blank, or a carriage return whose line feed may follow.
    """
    buf, kept = bytearray(1 + SCAN_CHUNK), 1
    buf[0] = ord("\n")  # as if a line ended just before the file
    blank = data_after = False
    with path.open("rb") as fh:
        while not data_after and (n := fh.readinto(memoryview(buf)[kept:])):
            end = kept + n
            if blank:
                data_after = bool(_DATA.search(buf, 0, end))
            elif match := _BLANK_LINE.search(buf, 0, end):
                blank, data_after = True, bool(_DATA.search(buf, match.end(), end))
            last = buf.rfind(b"\n", 0, end)
            if last < 0 or buf[last + 1:end].strip(b" \t\r"):  # no blank line under way
                last = end - 1 if buf.endswith(b"\r", 0, end) else end
            kept = end - last
            buf[:kept] = buf[last:end]
            if kept == len(buf):  # a line of spaces as long as the buffer: make room
                buf.extend(bytes(SCAN_CHUNK))
    return blank and (data_after or lone_cr)


def _ragged_error(path: Path, encoding: str, sep: str, names, exc: Exception) -> DataError:
    """Name every row with more fields than the header (pandas names only the first, by line)."""
    width, bad = (len(names) if names else None), []
    try:
        for row, fields in _records(path, encoding, sep):
            if width is None:
                width = len(fields)
            elif len(fields) > width:
                line = sep.join(fields)
                bad.append((row, line if len(line) <= 80 else line[:77] + "..."))
    except csv.Error:
        bad = []
    sep_name = "tab" if sep == "\t" else repr(sep)
    if not bad:
        return DataError(f"the file's rows do not line up with its columns ({exc})".replace("\n", " "),
                         source=str(path),
                         expected=f"the same number of {sep_name}-separated fields on every line")
    return DataError(
        "row has more fields than the file has columns", source=str(path), column="(whole row)",
        rows=[r for r, _ in bad], values=[v for _, v in bad[:10]],
        expected=f"at most {width} {sep_name}-separated fields"
        + (", as in the header" if names is None else "")
        + f" (put quotes around a value that contains {sep_name})",
    )


def _has_text(path: Path) -> bool:
    with path.open("rb") as fh:
        return bool(fh.read(4096).strip(b"\xef\xbb\xbf \t\r\n"))


def _encoding_error(path: Path) -> DataError:
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
        source=str(path),
        expected="UTF-8 text: re-save it as 'CSV UTF-8', or pass encoding='cp1252' "
        "(CLI: --encoding cp1252) if you are sure of the encoding",
    )


def _repeated_header(raw: pd.DataFrame, labels: dict[str, str] | None = None) -> np.ndarray:
    """Rows that repeat the header (as left by PDF or spreadsheet exports).

    A row counts when at least half its columns (and at least two) hold the column's own
    name, or the label given for it in ``labels``. A column read as numbers holds no name.
    """
    need = math.ceil(max(2, raw.shape[1] / 2))
    names = {col: sorted({col.lower(), (labels or {}).get(col, col).lower()})
             for col in raw.columns}
    categorical = [c for c in raw.columns if isinstance(raw[c].dtype, pd.CategoricalDtype)]
    text = categorical + [c for c in raw.columns
                          if c not in categorical and pd.api.types.is_string_dtype(raw[c].dtype)]
    maybe = np.zeros(len(raw), dtype=bool)
    # such a row has a name in one of any (text columns - need + 1) text columns: find the
    # rows that might, with a cheap test, and apply the rule to those rows only. Categoricals
    # are the cheapest to test (once per category), so they are taken first.
    for col in text[: len(text) - need + 1]:
        maybe |= raw[col].str.match(_name_start(names[col])).to_numpy(bool, na_value=False)
    pos = np.flatnonzero(maybe)
    if not len(pos):
        return maybe
    hits = np.zeros(len(pos), dtype=int)
    for col in text:
        cell = raw[col].iloc[pos].str.strip().str.lower()
        # PDF extraction glues the next header onto a cell ("Target   City"): match the start
        glued = "|".join(re.escape(f"{n} ") for n in names[col])
        hits += (cell.isin(names[col]) | cell.str.match(glued)).to_numpy()
    header = np.zeros(len(raw), dtype=bool)
    header[pos] = hits >= need
    return header


#: the non-ASCII characters whose lower case is an ASCII letter (in Python and in pyarrow)
_LOWER_TO_ASCII = {"i": "\u0130", "k": "\u212a"}


def _name_start(names: list[str]) -> str:
    """A regex for the cells that may read as one of ``names`` once stripped and lower-cased.

    It matches more (any cell starting with white space or a non-ASCII character), never less:
    the ASCII start of a name, in any case.
    """
    starts = ["".join(f"[{c}{c.upper()}{_LOWER_TO_ASCII.get(c, '')}]" if c.isalpha()
                      else re.escape(c) for c in re.match(r"[\x00-\x7f]*", name).group())
              for name in names]
    return r"[\x00-\x20]|[^\x00-\x7f]|" + "|".join(starts)


# --------------------------------------------------------------------------------------
# The shared tail: check, then raise or set aside


def _finish(
    table: pd.DataFrame,
    rows: np.ndarray,
    *,
    source: str,
    fmt: str,
    errors: str,
    pre_rejected: Sequence[Problem] = (),
) -> LoadResult:
    """Validate a mapped table; raise on problems or set the bad rows aside.

    ``pre_rejected`` are rows already taken out of ``table`` (repeated headers), listed in
    the rejected table and counted in ``rows_read``.
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    events, problems = check_events(table, source=source, rows=rows)
    if (problems or pre_rejected) and errors == "raise":
        everything = [*pre_rejected, *problems]
        raise everything[0].error(source=source, problems=everything)
    bad = np.unique(np.concatenate([p.positions for p in problems])) if problems else []
    keep = np.ones(len(events), dtype=bool)
    keep[bad] = False
    problems = [*pre_rejected, *problems]
    rejected = pd.DataFrame(
        [dict(row=int(r), column=p.column, value=str(_plain(v)), problem=p.problem,
              expected=p.expected)
         for p in problems for r, v in zip(p.rows, p.values, strict=True)],
        columns=["row", "column", "value", "problem", "expected"],
    ).sort_values(["row", "column"], kind="stable", ignore_index=True)
    events = (events if keep.all() else events[keep]).reset_index(drop=True)  # no copy if all good
    n_pre = sum(len(p.positions) for p in pre_rejected)
    return LoadResult(events, rejected, source, fmt, rows_read=len(table) + n_pre)


def _header_problem(mask: np.ndarray, raw: pd.DataFrame, rows: np.ndarray) -> list[Problem]:
    if not mask.any():
        return []
    pos = np.flatnonzero(mask)
    whole_row = raw.iloc[pos].agg(" | ".join, axis=1).str.replace(r"\s+", " ", regex=True)
    return [Problem("repeated header row", "(whole row)", pos, whole_row.to_numpy(),
                    "a data row (header lines repeated inside the data are set aside)", rows[pos])]


def _text(raw: pd.DataFrame, col: str) -> pd.Series:
    return raw[col] if col in raw.columns else pd.Series("", index=raw.index, dtype=STR_DTYPE)


def _require(raw: pd.DataFrame, columns: list[str], source: str, fmt: str) -> None:
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(map(repr, missing))} for the {fmt} format",
            source=source,
            expected=f"a {fmt} file with columns {', '.join(columns)} "
            f"(found: {', '.join(raw.columns[:12])}{' ...' if raw.shape[1] > 12 else ''})",
        )


def _rest(raw: pd.DataFrame, used: set[str]) -> pd.DataFrame:
    """Source columns that were not mapped onto canonical ones pass through unchanged."""
    return raw[[c for c in raw.columns if c not in used]]


def _parse_dates(text: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    """Parse dates trying each format in turn (on unique values, so it is cheap); ISO strings out."""
    codes, uniq = pd.factorize(text, use_na_sentinel=False)
    uniq = pd.Series(uniq, dtype=STR_DTYPE).str.strip()
    parsed = pd.Series(pd.NaT, index=uniq.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = parsed.isna() & (uniq != "")
        if not todo.any():
            break
        if fmt == "ISO8601":
            got = pd.to_datetime(uniq[todo], errors="coerce", format="ISO8601")
        else:
            got = pd.to_datetime(uniq[todo], errors="coerce", format=fmt)
        parsed[todo] = got.astype("datetime64[ns]")
    iso = parsed.dt.strftime("%Y-%m-%d")
    iso = iso.where(parsed.notna(), uniq).astype(STR_DTYPE)  # unparsed values stay as written
    return pd.Series(iso.array.take(codes), index=text.index, name=text.name)


# --------------------------------------------------------------------------------------
# The project's own format


def read_events(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Read an incident log in the project's own format (CSV, Parquet or Excel).

    The format is documented in ``data/README.md``: required columns ``event_id`` and
    ``date`` (ISO ``YYYY-MM-DD``; ``YYYY-MM`` for month precision), the other canonical
    columns optional, extra columns passed through. Raises :class:`DataError` on any bad row.

    Examples
    --------
    >>> from analysis.paths import INCIDENTS
    >>> events = read_events(INCIDENTS)
    >>> events.loc[events["event_id"] == "IRQ-20201220-01", ["date", "target_type"]].to_numpy().tolist()
    [[Timestamp('2020-12-20 00:00:00'), 'diplomatic']]
    """
    return load_events(path, format="incidents", encoding=encoding).events


def _load_incidents(path: Path, encoding: str | None):
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        # repeated text comes as categoricals: small, and checked once per distinct value
        text = [field.name for field in pq.read_schema(path) if field.name in CATEGORY_COLUMNS
                and field.type in (pa.string(), pa.large_string())]
        raw = arrow_to_pandas(pq.read_table(path, read_dictionary=text))
        return raw, np.arange(2, 2 + len(raw)), []
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raw = pd.read_excel(path, dtype=str, keep_default_na=False, na_filter=False)
        raw.columns = [str(c).strip() for c in raw.columns]
        if raw.empty:
            raise DataError("sheet has a header row but no data rows", source=str(path),
                            expected="at least one row of data below the header")
        rows = np.arange(2, 2 + len(raw))
    else:
        # dates, counts and the repeated text come as dictionaries: few distinct values (the
        # days of a decade), parsed and checked once each; coordinates are too varied
        repeated = [c for c in CATEGORY_COLUMNS + PARSED_COLUMNS if c not in COORDINATES]
        raw, rows = read_text_table(path, encoding=encoding, categories=repeated,
                                    parsed=PARSED_COLUMNS, numbers=COORDINATES)
    return _split_headers(raw, rows)


def _split_headers(raw: pd.DataFrame, rows: np.ndarray, labels: dict[str, str] | None = None):
    """Take repeated header rows out of ``raw``; return the rest, their row numbers, the problem."""
    header = _repeated_header(raw, labels)
    if not header.any():
        return raw, rows, []
    problem = _header_problem(header, raw, rows)
    return raw[~header].reset_index(drop=True), rows[~header], problem


# --------------------------------------------------------------------------------------
# ACLED

ACLED_PRECISION = {"1": "day", "2": "week", "3": "month"}


def read_acled(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Read an ACLED export (CSV from the export tool or the API).

    Mapping: ``event_id_cnty`` → ``event_id``; ``event_date`` (ISO, ``20 December 2020`` or
    ``20-December-2020``) → ``date``; ``time_precision`` 1/2/3 → day/week/month (ACLED dates
    a week-precise event to the middle of the week and a month-precise one to the middle of the
    month, so the possible range is ±3 days or the calendar month); ``actor1`` → ``actor``,
    ``actor2`` → ``target``; ``fatalities`` → ``killed`` (ACLED records no wounded);
    ``attribution`` is ``attributed`` when ACLED names actor1 and ``unknown`` for its
    "Unidentified ..." actors (whose ``actor_group`` :func:`analysis.events.normalize_actors`
    leaves blank: no named actor). Every other ACLED column passes through.
    """
    return load_events(path, format="acled", encoding=encoding).events


def _map_acled(raw: pd.DataFrame, source: str, rows: np.ndarray) -> pd.DataFrame:
    _require(raw, ["event_id_cnty", "event_date", "time_precision", "event_type", "actor1",
                   "country", "fatalities"], source, "ACLED")
    actor = _text(raw, "actor1")
    unknown = actor.str.strip().str.lower().str.startswith("unidentified") | (actor.str.strip() == "")
    precision = raw["time_precision"].str.strip()
    table = pd.DataFrame({
        "event_id": raw["event_id_cnty"],
        "date": _parse_dates(raw["event_date"], ("ISO8601", "%d %B %Y", "%d-%B-%Y", "%d-%b-%Y",
                                                 "%d/%m/%Y")),
        "date_precision": precision.map(ACLED_PRECISION).fillna(precision),
        "country": raw["country"],
        "admin1": _text(raw, "admin1"),
        "location": _text(raw, "location"),
        "latitude": _text(raw, "latitude"),
        "longitude": _text(raw, "longitude"),
        "actor": actor,
        "attribution": np.where(unknown, "unknown", "attributed"),
        "target": _text(raw, "actor2"),
        "target_type": _text(raw, "inter2").map(ACLED_INTER).fillna(_text(raw, "inter2")),
        "event_type": raw["event_type"],
        "killed": raw["fatalities"],
        "source": _text(raw, "source"),
        "notes": _text(raw, "notes"),
        "dataset": "acled",
    }, index=raw.index)
    used = {"event_id_cnty", "event_date", "time_precision", "country", "admin1", "location",
            "latitude", "longitude", "actor1", "event_type", "fatalities", "source", "notes"}
    return pd.concat([table, _rest(raw, used)], axis=1)


#: ACLED's numeric actor-type codes (``inter1``/``inter2``) as their codebook labels
ACLED_INTER = {
    "0": "", "1": "State forces", "2": "Rebel group", "3": "Political militia",
    "4": "Identity militia", "5": "Rioters", "6": "Protesters", "7": "Civilians",
    "8": "External/Other forces",
}


# --------------------------------------------------------------------------------------
# UCDP GED

UCDP_PRECISION = {"1": "day", "2": "range", "3": "week", "4": "month", "5": "range"}
UCDP_VIOLENCE = {"1": "state-based", "2": "non-state", "3": "one-sided"}


def read_ucdp_ged(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a UCDP Georeferenced Event Dataset CSV (GED 19.1 and later layouts).

    Mapping: ``id`` → ``event_id``; ``date_start`` → ``date`` and ``date_start``;
    ``date_end`` kept; ``date_prec`` 1 (exact day) → day, 2 (2–6 days) → range, 3 (week) →
    week, 4 (month) → month, 5 (longer) → range; ``side_a`` → ``actor``, ``side_b`` →
    ``target``; ``type_of_violence`` 1/2/3 → state-based / non-state / one-sided as
    ``event_type``; ``best`` → ``killed`` (``low``/``high`` pass through); ``adm_1`` →
    ``admin1``; ``where_coordinates`` → ``location``; ``source_office`` → ``source``;
    ``source_headline`` → ``notes``. UCDP codes actors from its sources, so attribution is
    ``attributed``.
    """
    return load_events(path, format="ucdp", encoding=encoding).events


def _map_ucdp(raw: pd.DataFrame, source: str, rows: np.ndarray) -> pd.DataFrame:
    _require(raw, ["id", "date_start", "date_end", "date_prec", "side_a", "side_b",
                   "type_of_violence", "best"], source, "UCDP GED")
    prec = raw["date_prec"].str.strip()
    violence = raw["type_of_violence"].str.strip()
    table = pd.DataFrame({
        "event_id": raw["id"],
        "date": raw["date_start"],
        "date_start": raw["date_start"],
        "date_end": raw["date_end"],
        "date_precision": prec.map(UCDP_PRECISION).fillna(prec),
        "country": _text(raw, "country"),
        "admin1": _text(raw, "adm_1"),
        "location": _text(raw, "where_coordinates"),
        "latitude": _text(raw, "latitude"),
        "longitude": _text(raw, "longitude"),
        "actor": raw["side_a"],
        "attribution": "attributed",
        "target": raw["side_b"],
        "event_type": violence.map(UCDP_VIOLENCE).fillna(violence),
        "killed": raw["best"],
        "source": _text(raw, "source_office"),
        "notes": _text(raw, "source_headline"),
        "dataset": "ucdp_ged",
    }, index=raw.index)
    used = {"id", "date_start", "date_end", "date_prec", "country", "adm_1", "where_coordinates",
            "latitude", "longitude", "side_a", "side_b", "type_of_violence", "best",
            "source_office", "source_headline"}
    return pd.concat([table, _rest(raw, used)], axis=1)


# --------------------------------------------------------------------------------------
# GDELT 2.0 events

_ACTOR_FIELDS = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                 "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GEO_FIELDS = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long",
               "FeatureID"]
#: the 61 columns of a GDELT 2.0 event export, in file order (GDELT Event Codebook V2.0)
GDELT_COLUMNS = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor1{f}" for f in _ACTOR_FIELDS] + [f"Actor2{f}" for f in _ACTOR_FIELDS]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
       "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"Actor1Geo_{f}" for f in _GEO_FIELDS] + [f"Actor2Geo_{f}" for f in _GEO_FIELDS]
    + [f"ActionGeo_{f}" for f in _GEO_FIELDS] + ["DATEADDED", "SOURCEURL"]
)
#: CAMEO root codes (CAMEO manual 1.1b3) as labels for ``event_type``
CAMEO_ROOT = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate",
    "04": "Consult", "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield",
    "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce",
    "18": "Assault", "19": "Fight", "20": "Use unconventional mass violence",
}


def read_gdelt_events(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a GDELT 2.0 event export (``*.export.CSV``: tab-separated, no header, 61 columns).

    Mapping: ``GLOBALEVENTID`` → ``event_id``; ``SQLDATE`` (YYYYMMDD) → ``date`` (day
    precision); ``Actor1Name`` → ``actor``, ``Actor2Name`` → ``target``; the CAMEO root of
    ``EventCode`` → ``event_type`` (e.g. "Fight"; ``EventCode`` passes through);
    ``ActionGeo_*`` → country code (FIPS), ``admin1`` (ADM1 code), ``location``, coordinates;
    ``SOURCEURL`` → ``source_url``. GDELT's actors are machine-coded from news text, so
    attribution is ``suspected`` when Actor1 is named and ``unknown`` otherwise. GDELT has no
    casualty counts.
    """
    return load_events(path, format="gdelt", encoding=encoding).events


def _map_gdelt(raw: pd.DataFrame, source: str, rows: np.ndarray) -> pd.DataFrame:
    actor = raw["Actor1Name"]
    root = raw["EventRootCode"].str.strip().str.zfill(2)
    url = raw["SOURCEURL"].str.strip()
    table = pd.DataFrame({
        "event_id": raw["GLOBALEVENTID"],
        "date": _parse_dates(raw["SQLDATE"], ("%Y%m%d",)),
        "country": raw["ActionGeo_CountryCode"],
        "admin1": raw["ActionGeo_ADM1Code"],
        "location": raw["ActionGeo_FullName"],
        "latitude": raw["ActionGeo_Lat"],
        "longitude": raw["ActionGeo_Long"],
        "actor": actor,
        "attribution": np.where(actor.str.strip() == "", "unknown", "suspected"),
        "target": raw["Actor2Name"],
        "event_type": root.map(CAMEO_ROOT).fillna(raw["EventRootCode"]),
        "source": url.str.extract(r"^https?://(?:www\.)?([^/]+)", expand=False),
        "source_url": url,
        "dataset": "gdelt",
    }, index=raw.index)
    used = {"GLOBALEVENTID", "SQLDATE", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
            "ActionGeo_FullName", "ActionGeo_Lat", "ActionGeo_Long", "Actor1Name",
            "Actor2Name", "SOURCEURL"}
    return pd.concat([table, _rest(raw, used)], axis=1)


# --------------------------------------------------------------------------------------
# Iraq SIGACTs (Bauer's table of declassified CENTCOM reports)

SIGACT_HEADER_LABELS = {"time": "Date/Time", "event_type": "Attack Type", "target": "Target",
                        "city": "City"}


def read_sigacts(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Read Bauer's Iraq SIGACT table (columns ``time, event_type, target, city``).

    The source has no ids: ``event_id`` is ``SIGACT-<row>`` (the row number in the file).
    ``time`` keeps the time of day; ``date`` is its day. Rows that repeat the PDF's table
    header (``Attack Type``, ``Target``, ``City``) are errors here; use
    ``load_events(path, format="sigacts", errors="collect")`` to set them aside, listed.
    """
    return load_events(path, format="sigacts", encoding=encoding).events


def _map_sigacts(raw: pd.DataFrame, source: str, rows: np.ndarray) -> pd.DataFrame:
    _require(raw, ["time", "event_type", "target", "city"], source, "SIGACT")
    table = pd.DataFrame({
        "event_id": pd.Series(rows, index=raw.index).map("SIGACT-{:06d}".format),
        "date": raw["time"].str.slice(0, 10),
        "country": "Iraq",
        "location": raw["city"],
        "target": raw["target"],
        "event_type": raw["event_type"],
        "source": "CENTCOM SIGACT reports (declassified), compiled by V. Bauer",
        "dataset": "iraq_sigacts",
    }, index=raw.index)
    return pd.concat([table, raw[["time"]]], axis=1)


# --------------------------------------------------------------------------------------
# Dispatch

_MAPPERS: dict[str, Callable[[pd.DataFrame, str, np.ndarray], pd.DataFrame]] = {
    "acled": _map_acled, "ucdp": _map_ucdp, "gdelt": _map_gdelt, "sigacts": _map_sigacts,
}
FORMATS = ("incidents", "acled", "ucdp", "gdelt", "sigacts")


def load_events(
    path: PathLike,
    *,
    format: str = "incidents",
    errors: str = "raise",
    encoding: str | None = None,
) -> LoadResult:
    """Read any supported file into the canonical table, raising or setting bad rows aside.

    ``format`` is one of :data:`FORMATS`. With ``errors="raise"`` (default) any bad row
    raises :class:`DataError` listing every problem; with ``errors="collect"`` the bad rows are
    returned in ``result.rejected`` (one line per row and problem) and the rest in
    ``result.events``. File-level faults (missing file or column, wrong encoding, empty file)
    always raise.

    Examples
    --------
    >>> from analysis.paths import INCIDENTS
    >>> result = load_events(INCIDENTS, errors="collect")
    >>> result.rows_read == len(result.events), result.rejected.empty
    (True, True)
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    path = Path(path)
    source = str(path)
    if format == "incidents":
        if not path.is_file():
            raise DataError("file not found", source=source, expected="an existing file")
        raw, rows, pre = _load_incidents(path, encoding)
        table = raw
    else:
        names = GDELT_COLUMNS if format == "gdelt" else None
        raw, rows = read_text_table(path, sep="\t" if format == "gdelt" else ",", names=names,
                                    encoding=encoding)
        labels = SIGACT_HEADER_LABELS if format == "sigacts" else None
        raw, rows, pre = _split_headers(raw, rows, labels)
        table = _MAPPERS[format](raw, source, rows)
    result = _finish(table, rows, source=source, fmt=format, errors=errors, pre_rejected=pre)
    del raw, table
    give_back_memory()  # the raw text
    return result


def write_csv(df: pd.DataFrame, path: PathLike) -> Path:
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
