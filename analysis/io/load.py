"""Reading any supported file: format detection, the shared steps, and what was set aside.

:func:`load_events` opens the file (local or http(s); ``.gz``, ``.zip``, ``.xlsx``, ``.xls``,
Parquet or text), recognises its format from its header or column count (``format="auto"``)
or takes the one given, and reads it through that format's rules (see
:mod:`analysis.io.format`). Nothing is dropped silently: the result lists every row set aside
with its reason, every cell read as missing, and how anything ambiguous was read.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar, cast

import numpy as np
import pandas as pd

from analysis._kernels.memory import give_back_memory
from analysis.io import acled, gdelt, incidents, sigacts, ucdp
from analysis.io.countries import add_country_codes
from analysis.io.files import Opened, open_source, parquet_columns, read_parquet, read_sheet
from analysis.io.format import Format, missing_columns_error, prepare, resolve_names
from analysis.io.jsonfile import is_json, read_json
from analysis.io.text import (
    RawText,
    encoding_error,
    read_delimited,
    separator_name,
)
from analysis.results import Result
from analysis.schema import DataError, Problem, plain_value
from analysis.validate import check_events

PathLike = str | Path

#: every format, in the order ``format="auto"`` tries them (the most specific first)
FORMATS: dict[str, Format] = {f.name: f for f in (
    acled.FORMAT, ucdp.FORMAT, gdelt.FORMAT, sigacts.FORMAT, incidents.FORMAT)}
FORMAT_CHOICES = ("auto", *FORMATS)


@dataclass(frozen=True)
class LoadResult(Result):
    """What a reader made of a file: the events, and the rows it set aside with reasons.

    ``rejected`` has one row per (file row, problem): ``row`` (as a spreadsheet shows it),
    ``column``, ``value``, ``problem`` and ``expected``. ``rows_read`` = events kept + rows
    rejected + ``rows_folded`` (rows merged into another row of the same event: an ACLED
    monadic export's second actor). ``recognised``: the format, and how it was told; ``notes``: how anything
    ambiguous was read (date order, folded rows, renamed columns); ``missing``: cells read
    as missing per column of the file (blank or a null token such as ``NA``).
    """

    events: pd.DataFrame
    rejected: pd.DataFrame
    source: str
    format: str
    rows_read: int
    recognised: str = ""
    notes: tuple[str, ...] = ()
    missing: dict[str, int] = field(default_factory=dict)
    rows_folded: int = 0

    title: ClassVar[str] = "Event file read"
    nothing: ClassVar[str] = "(no row was set aside)"

    def facts(self) -> list[tuple[str, object]]:
        """What was read: the file, its format and how it was told, and where every row went."""
        return [("file", self.source), ("format", self.recognised or self.format),
                ("rows read", f"{self.rows_read:,}"), ("events kept", f"{len(self.events):,}"),
                ("rows set aside", f"{self.rejected['row'].nunique() if len(self.rejected) else 0:,}"),
                ("rows folded into another", f"{self.rows_folded:,}")]

    def to_frame(self) -> pd.DataFrame:
        """The rows set aside, one row per (file row, problem)."""
        return self.rejected

    @property
    def sentences(self) -> list[str]:
        """How anything ambiguous was read (date order, folded rows, renamed columns)."""
        return list(self.notes)


def load_events(
    path: PathLike,
    *,
    format: str = "auto",
    errors: str = "raise",
    encoding: str | None = None,
    dayfirst: bool | None = None,
) -> LoadResult:
    """Read any supported file into the canonical table, raising or setting bad rows aside.

    ``format`` is ``"auto"`` (recognise it) or one of :data:`FORMATS`. With
    ``errors="raise"`` (default) any bad row raises :class:`DataError` listing every problem;
    with ``errors="collect"`` the bad rows are returned in ``result.rejected`` (one line per
    row and problem) and the rest in ``result.events``. File-level faults (missing file or
    column, wrong encoding, empty file, dates whose day/month order cannot be decided) always
    raise. ``dayfirst``: how to read numeric dates such as ``3/5/2020`` when the file cannot
    tell (see :mod:`analysis.dates`).

    Examples
    --------
    >>> from analysis.paths import INCIDENTS
    >>> result = load_events(INCIDENTS, errors="collect")
    >>> result.format, result.rows_read == len(result.events), result.rejected.empty
    ('incidents', True, True)
    """
    if format not in FORMAT_CHOICES:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMAT_CHOICES)}")
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    with open_source(path) as opened:
        raw, fmt, recognised, notes = _read_raw(opened, format, encoding)
    source = opened.source
    raw, missing, prepared = prepare(raw, fmt, source)
    header = list(raw.frame.columns)
    if fmt.missing(header):
        raise missing_columns_error(header, fmt, source)
    mapped = fmt.to_events(raw.frame, raw.rows)
    set_aside = [*raw.set_aside, *mapped.set_aside]
    rules = fmt.dates if dayfirst is None else replace(fmt.dates, dayfirst=dayfirst)
    del raw
    checked = check_events(mapped.table, source=source, rows=mapped.rows, dates=rules)
    events, country_notes = add_country_codes(checked.table)
    result = _finish(events, checked.problems, set_aside, source=source, fmt=fmt.name,
                     errors=errors)
    give_back_memory()  # the raw text
    return replace(result, recognised=recognised, missing=missing, rows_folded=mapped.folded,
                   rows_read=result.rows_read + mapped.folded,
                   notes=tuple([*opened.notes, *notes, *prepared, *mapped.notes,
                                *checked.notes, *country_notes]))


def _read_raw(opened: Opened, format: str, encoding: str | None
              ) -> tuple[RawText, Format, str, list[str]]:
    """The file as text, the format it is in, how that was told, and notes."""
    if opened.kind in ("xlsx", "xls"):
        found: list[int] = []  # the width of a header-less GDELT sheet

        def headerless(first: list[str]) -> tuple[str, ...] | None:
            names = _headerless_layout(first, format)
            found.extend([len(first)] if names else [])
            return names

        raw, notes = read_sheet(opened, headerless=headerless,
                                known=lambda row: _known(row, format))
        if found:
            return raw, FORMATS["gdelt"], _headerless_how(found[0], format), notes
        fmt, how = _choose(format, list(raw.frame.columns), opened)
        return raw, fmt, how, notes
    if opened.kind == "parquet":
        _check_width(len(parquet_columns(opened)), opened)
        fmt, how = _choose(format, parquet_columns(opened), opened)
        frame = read_parquet(opened, dictionaries=fmt.repeated, as_text=fmt.name != "incidents")
        return RawText(frame, np.arange(2, 2 + len(frame))), fmt, how, []
    if is_json(opened.path):
        raw, notes = read_json(opened.path, opened.source, encoding)
        fmt, how = _choose(format, list(raw.frame.columns), opened)
        return raw, fmt, how, notes
    first, sep, skip = _first_record(opened, encoding, format)
    _check_width(len(first), opened)
    if encoding is None and any("\ufffd" in f for f in first):  # the header is not UTF-8
        raise encoding_error(opened.path, opened.source)
    path, notes = opened.path, []
    if skip:
        path = _without_lines(opened, skip)
        notes.append(f"{skip} line(s) above the header left out")
    names = _headerless_layout(first, format)
    if names is not None:
        fmt, how = FORMATS["gdelt"], _headerless_how(len(first), format)
    else:
        fmt, how = _choose(format, first, opened)
        if fmt.layouts and fmt.missing(first):
            raise DataError(
                f"found {len(first)} {separator_name(sep)}-separated columns and no "
                f"{fmt.title} header", source=opened.source,
                expected="a GDELT event file: 57 or 58 columns (GDELT 1.0) or 61 (GDELT 2.0) "
                "starting with an event id and a YYYYMMDD date, or a header with GDELT's "
                "column names")
    if sep != fmt.sep:
        notes.append(f"columns separated by {separator_name(sep)}s")
    # (a tuple: read_delimited only reads ``names``, as any sequence)
    raw = read_delimited(path, sep=sep, names=cast("list[str] | None", names),
                         encoding=encoding, categories=fmt.repeated, parsed=fmt.parsed,
                         numbers=fmt.numbers)
    if skip:
        raw = replace(raw, rows=raw.rows + skip,
                      set_aside=[replace(p, rows=p.rows + skip) for p in raw.set_aside])
    return raw, fmt, how, notes


#: the most columns an event file may have: as many as a spreadsheet holds (Excel's limit)
MAX_COLUMNS = 16_384


def _check_width(width: int, opened: Opened) -> None:
    if width > MAX_COLUMNS:
        raise DataError(
            f"the file has {width:,} columns, more than a spreadsheet can hold", source=opened.source,
            expected=f"an event table of at most {MAX_COLUMNS:,} columns (ACLED has 31, UCDP GED "
            "49, GDELT 61): check the separator, or whether the table was saved turned on its "
            "side (one event per column)")


def _without_lines(opened: Opened, skip: int) -> Path:
    """A copy of the file without its first ``skip`` lines (a title above the header)."""
    target = opened.workdir / f"body-{opened.path.name}"
    with opened.path.open("rb") as src, target.open("wb") as dst:
        for _ in range(skip):
            src.readline()
        shutil.copyfileobj(src, dst)
    return target


def _first_record(opened: Opened, encoding: str | None, format: str
                  ) -> tuple[list[str], str, int]:
    """The first record (the header, or GDELT's first row), the separator, and how many lines
    above it to leave out: a title above a header that a format recognises (an ACLED sample
    starts with a "(Sample)" line); any other first line that is no header is refused,
    naming the line where the header seems to be."""
    with opened.path.open("rb") as fh:
        head = fh.read(1 << 16)
        while b"\n" not in head.lstrip(b"\r\n") and len(head) < 1 << 26:  # a long header
            more = fh.read(1 << 20)
            if not more:
                break
            head += more
    text = head.decode(encoding or "utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    record, sep = _parse_line(lines[start:])
    if _looks_like_gdelt_row(record) and len(record) not in gdelt.LAYOUTS:
        record = _most_common_gdelt_row(lines[start:], sep) or record  # a first row cut short
    if _known(record, format) or len(lines) <= start + 1:
        return record, sep, 0
    window = range(start + 1, min(len(lines), 40))
    later = next((i for i in window if _known(_parse_line(lines[i:])[0], format)), None)
    if later is not None:  # a title above a header the format knows, never a row of data
        header, sep = _parse_line(lines[later:])
        if all(len(_parse_line(lines[i:])[0]) <= max(2, len(header) // 2)
               for i in range(start, later)):
            return header, sep, later
    if len(record) >= 2:
        return record, sep, 0
    later = next((i for i in window if len(_parse_line(lines[i:])[0]) >= 3), None)
    if later is None:
        return record, sep, 0
    header, sep = _parse_line(lines[later:])
    if format == "auto":
        raise DataError(
            f"line {start + 1} ({lines[start][:60]!r}) is not a header row: the header seems "
            f"to be on line {later + 1}", source=opened.source,
            expected="the column names on the first line: delete the lines above them")
    return header, sep, later


def _known(record: list[str], format: str) -> bool:
    """Whether ``record`` is a header of the format (any format for ``auto``), or the first
    row of a header-less GDELT file."""
    if len(record) < 2:
        return False
    if _headerless_layout(record, format) is not None:
        return True
    formats = FORMATS.values() if format == "auto" else [FORMATS[format]]
    return any(not f.missing(record) for f in formats)


def _parse_line(lines: list[str]) -> tuple[list[str], str]:
    """The first record of ``lines`` and its separator (tab, semicolon or comma: the one the
    first line has most of)."""
    line = lines[0] if lines else ""
    counts = {s: line.count(s) for s in ("\t", ",", ";")}
    sep = "\t" if counts["\t"] >= 2 and counts["\t"] > counts[","] else (
        ";" if counts[";"] > counts[","] and counts[";"] >= 2 else ",")
    try:
        return next(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=sep), []), sep
    except csv.Error:
        return line.split(sep), sep


def _headerless_layout(first: list[str], format: str) -> tuple[str, ...] | None:
    """GDELT's layout when the first row is data (an id, then a YYYYMMDD date)."""
    if format not in ("auto", "gdelt") or len(first) not in gdelt.LAYOUTS:
        return None
    return gdelt.LAYOUTS[len(first)] if _looks_like_gdelt_row(first) else None


def _looks_like_gdelt_row(record: list[str]) -> bool:
    """An id, then a YYYYMMDD date: a row of a GDELT file without a header."""
    return (len(record) >= 2 and record[0].strip().isdigit()
            and len(record[1].strip()) == 8 and record[1].strip().isdigit())


def _most_common_gdelt_row(lines: list[str], sep: str) -> list[str] | None:
    """A row of the width most rows among the first lines have, when that width is a GDELT
    layout (the first row alone may be cut short or run into the next)."""
    rows = list(csv.reader(io.StringIO("\n".join(lines[:41]), newline=""), delimiter=sep))[:40]
    widths = Counter(len(r) for r in rows if _looks_like_gdelt_row(r))
    if not widths:
        return None
    width = widths.most_common(1)[0][0]
    return next(r for r in rows if len(r) == width) if width in gdelt.LAYOUTS else None


def _headerless_how(width: int, format: str) -> str:
    return (f"{gdelt.VERSIONS[width]}: {width} columns, no header"
            + (" (recognised from its column count)" if format == "auto" else ""))


def _choose(format: str, header: list[str], opened: Opened) -> tuple[Format, str]:
    """The format given, or the first whose required columns the header has."""
    if format != "auto":
        return FORMATS[format], f"{FORMATS[format].title} (as given)"
    for fmt in FORMATS.values():
        if not fmt.missing(header):
            known = sum(1 for name in resolve_names(header, fmt) if name in fmt.columns)
            return fmt, (f"{fmt.title}, recognised from its header ({known} of its "
                         f"{len(fmt.columns)} columns)")
    closest = max(FORMATS.values(), key=lambda f: f.overlap(header))
    shown = ", ".join(map(str, header[:12])) + (" ..." if len(header) > 12 else "")
    needs = ", ".join(repr(m).replace("|", "' or '") for m in closest.missing(header))
    raise DataError(
        f"the file's layout is not recognised: it looks most like {_article(closest.title)} "
        f"({closest.overlap(header)} of its columns) but has no {needs}", source=opened.source,
        expected="one of: " + "; ".join(f"{f.title} (columns {', '.join(f.required)})".replace(
            "|", " or ") for f in FORMATS.values())
        + "; or a GDELT file without a header (57, 58 or 61 tab-separated columns). "
        f"Found: {shown}")


def _article(noun: str) -> str:
    # "an ACLED export", "an incident log", but "a UCDP GED" (said "you-see-dee-pee")
    vowel = noun[0].lower() in "aeio" or (noun[0].lower() == "u" and not noun[:2].isupper())
    return ("an " if vowel else "a ") + noun


def _finish(events: pd.DataFrame, problems: list[Problem], set_aside: list[Problem], *,
            source: str, fmt: str, errors: str) -> LoadResult:
    """Raise on problems, or set the bad rows aside.

    ``set_aside`` are rows already taken out (malformed or repeated header rows, spreadsheet
    errors), listed in the rejected table and counted in ``rows_read``.
    """
    if (problems or set_aside) and errors == "raise":
        everything = [*set_aside, *problems]
        raise everything[0].error(source=source, problems=everything)
    bad: np.ndarray | list[int] = np.unique(np.concatenate([p.positions for p in problems])) if problems else []
    keep = np.ones(len(events), dtype=bool)
    keep[bad] = False
    everything = [*set_aside, *problems]
    rejected = pd.DataFrame(
        [dict(row=int(r), column=p.column, value=str(plain_value(v)), problem=p.problem,
              expected=p.expected)
         for p in everything for r, v in zip(p.rows, p.values, strict=True)],
        columns=["row", "column", "value", "problem", "expected"],
    ).sort_values(["row", "column"], kind="stable", ignore_index=True)
    events = (events if keep.all() else events[keep]).reset_index(drop=True)  # no copy if all good
    n_set_aside = len(np.unique(np.concatenate([p.rows for p in set_aside]))) if set_aside else 0
    return LoadResult(events, rejected, source, fmt, rows_read=len(keep) + n_set_aside)
