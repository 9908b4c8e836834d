"""pyarrow's CSV reader, kept only where its table is the one the careful csv-module path gives.

pyarrow parses on both cores and keeps text in Arrow memory; the csv module checks every
row. They agree on well-formed files. :func:`read_csv` tries pyarrow and returns None
wherever its reading may differ (the caller then reads the file the careful way).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from analysis._kernels.arrow import arrow_to_pandas

#: how pyarrow reads the columns to be read as categoricals
DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())
#: the most bytes pyarrow parses at a time (and so the length of each column's chunks); a
#: file is cut into at least :data:`ARROW_BLOCKS` blocks of at least 1 MB, for both cores
ARROW_BLOCK = 32 << 20
ARROW_BLOCKS = 64


def read_csv(path: Path, sep: str, names: list[str] | None, columns: Sequence[str], *,
             dictionaries: Collection[str] = (), numbers: Collection[str] = (),
             chunked: Collection[str] = ()) -> pd.DataFrame | None:
    """A UTF-8 delimited file as a frame of text (blank = ``""``), or None where pyarrow's
    reading may differ from the careful one.

    ``sep``: one ASCII character; ``names``: the column names of a header-less file (else
    None); ``columns``: the names the table will have (``names``, or the file's header, which
    must be non-blank and unique). ``dictionaries``: columns read as categoricals;
    ``numbers``: columns read as float64 (blank = NaN) when every value is a number and none
    is "nan" (else the file is parsed again with them as text; the last column always stays
    text); ``chunked``: text columns left in pieces (see :func:`arrow_to_pandas`).

    None when: pyarrow fails however it parses; the table's column names are not
    ``columns``; there are no data rows; the file may end inside quotes (pyarrow closes the
    quote, the careful path refuses the file); or a value holds a carriage return (pyarrow
    may have dropped the line feed after it, apache/arrow#51368).

    The file is first cut into blocks at any line feed, with no pass to follow quotes. A
    value spanning lines, cut that way, makes the parse fail or come out wrong, so that table
    is kept only if no value holds a line feed: then every line feed ended a row (or a blank
    line), so was outside quotes, and every block began where a row does. Otherwise the file
    is parsed again following quotes.
    """
    text = {c: DICTIONARY if c in dictionaries else pa.large_string() for c in columns}
    # the last column stays text: its last value shows whether the file ends inside quotes
    typed = {**text, **{c: pa.float64() for c in columns[:-1] if c in numbers}}
    tries = [(typed, False)] if typed != text else []
    table = None
    try:
        for types, newlines_in_values in [*tries, (text, False), (text, True)]:
            with contextlib.suppress(pa.ArrowInvalid):
                table = parse_csv(path, sep, names, types, newlines_in_values=newlines_in_values)
            if (table is not None and (newlines_in_values or not text_holds(table, ord("\n")))
                    and (types is text or not holds_nan(table))):
                break
            table = None  # (freed before parsing again)
        else:
            return None
    except (pa.ArrowException, UnicodeDecodeError):
        return None
    if (table.column_names != list(columns) or not table.num_rows
            or may_end_in_quotes(path, table) or text_holds(table, ord("\r"))):
        return None
    owner = [table]
    del table  # arrow_to_pandas must hold the only reference, to free each column as it goes
    return arrow_to_pandas(owner.pop(), chunked=chunked)


def parse_csv(path: Path, sep: str, names: list[str] | None, types: dict[str, pa.DataType],
              *, newlines_in_values: bool) -> pa.Table:
    """pyarrow's CSV reader on both cores: ``types`` by column, blank = null only in
    non-text columns (text keeps ``""``). Without ``newlines_in_values`` the file is cut into
    blocks at any line feed (no pass to follow quotes first: see :func:`read_csv`). Raises
    pyarrow's errors."""
    return pv.read_csv(
        path,
        read_options=pv.ReadOptions(column_names=names, block_size=min(
            ARROW_BLOCK, max(1 << 20, path.stat().st_size // ARROW_BLOCKS))),
        parse_options=pv.ParseOptions(delimiter=sep, newlines_in_values=newlines_in_values),
        convert_options=pv.ConvertOptions(column_types=types, null_values=[""],
                                          strings_can_be_null=False,
                                          quoted_strings_can_be_null=False),
    )


def may_end_in_quotes(path: Path, table: pa.Table) -> bool:
    """Whether the file may end inside a quoted value: pandas refuses that, pyarrow closes it.
    The last value (of a text column) then fills the end of the file, after its opening
    quote."""
    tail = ('"' + table.column(table.num_columns - 1)[-1].as_py().replace('"', '""')).encode()
    with path.open("rb") as fh:
        fh.seek(max(path.stat().st_size - len(tail), 0))
        return fh.read() == tail


def holds_nan(table: pa.Table) -> bool:
    """Whether a floating-point column holds NaN (from "nan" in the file: a value
    ``pd.to_numeric`` reads as missing, so the text path reports it as unreadable)."""
    return any(pc.any(pc.is_nan(column)).as_py() for column in table.columns
               if pa.types.is_floating(column.type))


def text_holds(table: pa.Table, byte: int) -> bool:
    """Whether any text value (of a text column, or a dictionary column's dictionary) holds
    ``byte``, read from the value buffers."""
    texts = (chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
             for column in table.columns for chunk in column.chunks)
    return any(byte in np.frombuffer(text.buffers()[2], np.uint8) for text in texts
               if pa.types.is_large_string(text.type) or pa.types.is_string(text.type))
