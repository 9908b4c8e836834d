"""The text engine: delimited files (CSV, tab-separated) into a frame of text, with the row
number a spreadsheet shows for every row, and every malformed row named.

A well-formed UTF-8 file is parsed by pyarrow (fast; its text stays in Arrow memory); any other
file by Python's csv module, which checks every row: a row with fewer or more fields than
the header is set aside with its row number (never padded or cut), a quote left open is an
error naming where it opened.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import re
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from analysis.schema import DataError, Problem
from analysis.values import EDGES, INVISIBLE, STR_DTYPE, columns_that_may_match

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
    with ThreadPoolExecutor(max_workers=1) as pool:
        counted = pool.submit(_count_lines, path)  # beside pyarrow's parse
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
        blank = (len(raw) + header != lines) and _blank_line_before_data(path, lone_cr)
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
        text = {c: _DICTIONARY if normalise_header(c) in categories else pa.large_string() for c in columns}
        # the last column stays text: its last value shows whether the file ends inside quotes
        typed = {**text, **{c: pa.float64() for c in columns[:-1] if normalise_header(c) in numbers}}
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
    chunked = {c for c in columns if normalise_header(c) in parsed}
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


