"""What a path holds: text, a spreadsheet, Parquet, a compressed file, or a web address.

:func:`open_source` gives a local file to read and what it is (told by its first bytes, not
its name); :func:`read_sheet` reads a spreadsheet's first sheet as text, with the row numbers
the spreadsheet shows; :func:`read_parquet` reads Parquet, refusing a damaged file by name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import gzip
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.io.text import RawText
from analysis.schema import DataError, Problem
from analysis.values import STR_DTYPE

#: seconds to wait for a web server
URL_TIMEOUT = 60
_MAGIC = {b"PK\x03\x04": "zip", b"\x1f\x8b": "gzip", b"\xd0\xcf\x11\xe0": "xls", b"PAR1": "parquet",
          b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16", b"PK\x05\x06": "zip"}


@dataclass
class Opened:
    """A local file to read (``path``), what it is (``kind``: text, xlsx, xls or parquet),
    the name to report (``source``: the path or address as given) and how it was reached
    (``notes``: downloaded, decompressed)."""

    path: Path
    kind: str
    source: str
    workdir: Path
    notes: list[str] = field(default_factory=list)


def is_url(path: object) -> bool:
    """Whether ``path`` is an http(s) address rather than a file."""
    return isinstance(path, str) and re.match(r"^https?://", path, re.IGNORECASE) is not None


@contextlib.contextmanager
def open_source(path: str | Path) -> Iterator[Opened]:
    """The file at ``path`` (a local path or an http(s) address), downloaded and decompressed
    into a temporary folder where needed (removed afterwards)."""
    source = str(path)
    with tempfile.TemporaryDirectory(prefix="truce-timeline-") as tmp:
        notes: list[str] = []
        local = _download(source, Path(tmp), notes) if is_url(source) else Path(path)
        if not local.is_file():
            raise _not_found(local)
        if not _has_data(local):
            raise DataError("file is empty", source=source,
                            expected="a header row and at least one row of data")
        yield _unpack(local, source, Path(tmp), notes)


def _download(url: str, folder: Path, notes: list[str]) -> Path:
    name = Path(urllib.parse.urlparse(url).path).name or "download"
    target = folder / name
    try:
        with urllib.request.urlopen(url, timeout=URL_TIMEOUT) as answer, target.open("wb") as fh:
            shutil.copyfileobj(answer, fh)
    except urllib.error.HTTPError as exc:
        raise DataError(f"the server answered {exc.code} {exc.reason}", source=url,
                        expected="an address that serves the file (check it in a browser)"
                        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DataError(f"could not download the file ({reason})", source=url,
                        expected="a reachable address; without a network, download the file "
                        "and give its path") from None
    notes.append(f"downloaded from {url} ({target.stat().st_size:,} bytes)")
    return target


def _has_data(path: Path) -> bool:
    with path.open("rb") as fh:
        return bool(fh.read(4096).strip(b"\xef\xbb\xbf \t\r\n"))


def _not_found(path: Path) -> DataError:
    folder = path.parent
    near = []
    if folder.is_dir():
        near = difflib.get_close_matches(path.name, [p.name for p in folder.iterdir()], n=3)
    hint = f" (closest in {folder}: {', '.join(near)})" if near else ""
    if not folder.is_dir():
        hint = f" (the folder {folder} does not exist)"
    return DataError(f"file not found{hint}", source=str(path), expected="an existing file")


def _kind(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(8)
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            if kind == "zip":
                return "xlsx" if _is_xlsx(path) else "zip"
            return kind
    return "text"


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "[Content_Types].xml" in z.namelist() and any(
                n.startswith("xl/") for n in z.namelist())
    except zipfile.BadZipFile:
        return False


def _unpack(path: Path, source: str, folder: Path, notes: list[str], depth: int = 0) -> Opened:
    if depth and not _has_data(path):
        raise DataError(f"file is empty: {path.name}, decompressed, holds no text",
                        source=source, expected="a header row and at least one row of data")
    kind = _kind(path)
    if kind == "gzip" and depth < 2:
        target = folder / (path.stem if path.suffix.lower() == ".gz" else path.name + ".out")
        try:
            with gzip.open(path, "rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        except (OSError, EOFError) as exc:
            raise DataError(f"the gzip file is damaged or cut short ({exc})", source=source,
                            expected="a complete .gz file (download it again)") from None
        notes.append(f"decompressed from {path.name}")
        return _unpack(target, source, folder, notes, depth + 1)
    if kind == "zip" and depth < 2:
        return _unzip(path, source, folder, notes, depth)
    if kind == "utf-16":  # Excel's "Unicode text": re-written as UTF-8 for the text reader
        target = folder / f"utf8-{path.name}"
        try:
            target.write_text(path.read_bytes().decode("utf-16"), encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(f"the file starts as UTF-16 text but breaks off at byte {exc.start}",
                            source=source, expected="complete UTF-16 text (save it again as "
                            "'CSV UTF-8')") from None
        notes.append("read as UTF-16 text (byte-order mark)")
        return Opened(target, "text", source, folder, notes)
    return Opened(path, kind, source, folder, notes)


def _unzip(path: Path, source: str, folder: Path, notes: list[str], depth: int) -> Opened:
    try:
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.infolist() if not m.is_dir()
                       and not m.filename.startswith("__MACOSX/")
                       and not Path(m.filename).name.startswith(".")]
            data = [m for m in members if not re.search(r"(?i)\.(txt|md|pdf|html?|docx?)$",
                                                        m.filename)] or members
            if len(data) != 1:
                raise DataError(
                    f"the zip archive holds {len(data)} data files: "
                    + ", ".join(m.filename for m in data[:10]), source=source,
                    expected="a zip archive with one data file (unzip it and give the file's "
                    "path)")
            target = folder / Path(data[0].filename).name
            with z.open(data[0]) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        what = ("the spreadsheet (a zip archive inside) is damaged or cut short"
                if path.suffix.lower() in (".xlsx", ".xlsm") else
                "the zip archive is damaged or cut short")
        raise DataError(f"{what} ({exc})", source=source, expected="a complete file (download "
                        "it again, or open and re-save it)") from None
    skipped = [m.filename for m in members if m is not data[0]]
    notes.append(f"read {data[0].filename} from the zip archive"
                 + (f" (also in it, not data: {', '.join(skipped)})" if skipped else ""))
    return _unpack(target, source, folder, notes, depth + 1)


# --------------------------------------------------------------------------------------
# Spreadsheets

#: the values a spreadsheet shows for a formula that failed
SPREADSHEET_ERRORS = ("#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                      "#CALC!", "#FIELD!", "#GETTING_DATA", "#BLOCKED!", "#CONNECT!", "#BUSY!",
                      "#UNKNOWN!")


def read_sheet(opened: Opened, headerless=None, known=None) -> tuple[RawText, list[str]]:
    """The first sheet of an .xlsx or .xls file as text (dates as ISO text, whole numbers
    without ``.0``), with its row numbers; notes on other sheets. A formula with no saved
    value is set aside, row by row (its result cannot be known without Excel).

    ``headerless``: a function given the first row, returning the column names when that row
    is data (a GDELT file has no header), else None. ``known``: whether a row is a header a
    format knows; title rows above such a header are left out (noted), never a row of data."""
    try:
        cells, names, numbers, formulas = (_xlsx_cells(opened.path) if opened.kind == "xlsx"
                                           else _xls_cells(opened.path))
    except DataError:
        raise
    except Exception as exc:  # openpyxl and xlrd raise many kinds on a damaged file
        raise DataError(f"the spreadsheet cannot be opened ({type(exc).__name__}: {exc})",
                        source=opened.source, expected="a complete .xlsx or .xls file (open "
                        "and re-save it in a spreadsheet program)") from None
    notes = [f"read sheet {names[0]!r}" + (f"; other sheets not read: {', '.join(map(repr, names[1:]))}"
                                          if len(names) > 1 else "")]
    filled = [i for i, row in enumerate(cells) if any(v != "" for v in row)]
    if not filled:
        raise DataError("the sheet is empty", source=opened.source,
                        expected="a header row and at least one row of data")
    if known is not None:
        filled, skipped = _below_title(cells, filled, known)
        notes += [f"{skipped} line(s) above the header left out"] if skipped else []
    first = [c.strip() for c in cells[filled[0]]]
    widest = max(len(cells[i]) for i in filled)
    names = headerless(first + [""] * (widest - len(first))) if headerless else None
    while first and first[-1] == "":
        first.pop()
    header, body = (list(names), filled) if names else (first, filled[1:])
    width = len(header)
    frame = pd.DataFrame([cells[i][:width] + [""] * (width - len(cells[i])) for i in body],
                         columns=header, dtype=object).astype(STR_DTYPE)
    rows = np.array([numbers[i] for i in body], dtype=np.int64)
    spill = [i for i in body if any(v != "" for v in cells[i][width:])]
    set_aside = []
    if spill:
        values = np.array([" | ".join(cells[i][width:]) for i in spill], dtype=object)
        set_aside.append(Problem("row has values beyond the last named column", "(whole row)",
                                 np.arange(len(spill)), values,
                                 "every value under a named column", np.array([numbers[i] for i in spill])))
        keep = ~np.isin(np.array(body), spill)
        frame, rows = frame[keep].reset_index(drop=True), rows[keep]
    if formulas:
        set_aside.append(_formula_problem(formulas, rows, frame, header))
        keep = ~np.isin(rows, [r for r, _ in formulas])
        frame, rows = frame[keep].reset_index(drop=True), rows[keep]
    if frame.empty and not set_aside:
        raise DataError("the sheet has a header row but no data rows", source=opened.source,
                        expected="at least one row of data below the header")
    return RawText(frame, rows, set_aside), notes


def _below_title(cells: list[list[str]], filled: list[int], known) -> tuple[list[int], int]:
    """The filled rows from the header on, and how many rows above it were left out: rows
    above a header that a format knows, each with few values (a title, a note)."""
    if known([c.strip() for c in cells[filled[0]]]):
        return filled, 0
    for k, i in enumerate(filled[1:40], start=1):
        header = [c.strip() for c in cells[i]]
        if known(header):
            limit = max(2, sum(1 for c in header if c) // 2)
            if all(sum(1 for c in cells[j] if c != "") <= limit for j in filled[:k]):
                return filled[k:], filled[k]
            break
    return filled, 0


def _formula_problem(formulas, rows, frame, header) -> Problem:
    at = sorted(formulas)
    return Problem("formula with no saved value (the file was written by a program that does "
                   "not compute formulas)", ", ".join(sorted({c for _, c in at})),
                   np.arange(len(at)), np.array([c for _, c in at], dtype=object),
                   "a value: open the file in Excel or LibreOffice and save it again",
                   np.array([r for r, _ in at]))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def _xlsx_cells(path: Path):
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        names = book.sheetnames
        start = sheet.min_row or 1
        cells = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    numbers = list(range(start, start + len(cells)))
    return cells, names, numbers, _empty_formulas(path, cells, numbers)


def _empty_formulas(path: Path, cells: list[list[str]], numbers: list[int]) -> list[tuple[int, str]]:
    """(row, cell) of every formula that has no saved value: blank in ``cells``."""
    with zipfile.ZipFile(path) as z:
        sheet_xml = next((n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)),
                         None)
        if sheet_xml is None or b"<f" not in z.read(sheet_xml):
            return []
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        found = []
        for i, row in enumerate(book.worksheets[0].iter_rows()):
            for j, cell in enumerate(row):
                value = getattr(cell, "value", None)
                if (isinstance(value, str) and value.startswith("=") and i < len(cells)
                        and (j >= len(cells[i]) or cells[i][j] == "")):
                    found.append((numbers[i], f"{cell.coordinate} {value}"))
        return found
    finally:
        book.close()


def _xls_cells(path: Path):
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        sheet = book.sheet_by_index(0)
        names = book.sheet_names()
        cells = []
        for i in range(sheet.nrows):
            row = []
            for cell in sheet.row(i):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(_cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    row.append(xlrd.error_text_from_code.get(cell.value, "#VALUE!"))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append("TRUE" if cell.value else "FALSE")
                else:
                    row.append(_cell_text(cell.value if cell.value != "" else None))
            cells.append(row)
    finally:
        book.release_resources()
    return cells, names, list(range(1, len(cells) + 1)), []


# --------------------------------------------------------------------------------------
# Parquet


def parquet_columns(opened: Opened) -> list[str]:
    """A Parquet file's column names (read from its footer)."""
    try:
        return pq.read_schema(opened.path).names
    except (pa.ArrowException, OSError) as exc:
        raise _parquet_error(opened, exc) from None


def _parquet_error(opened: Opened, exc: Exception) -> DataError:
    return DataError(f"not a readable Parquet file ({str(exc).splitlines()[0]})",
                     source=opened.source, expected="a complete Parquet file (write it again, "
                     "or give the CSV)")


def read_parquet(opened: Opened, *, dictionaries: tuple[str, ...] = (),
                 as_text: bool = False) -> pd.DataFrame:
    """A Parquet file as a frame; ``dictionaries``: text columns read as categoricals;
    ``as_text``: every column as text (for the provider formats, whose rules read text)."""
    from analysis._kernels.arrow import arrow_to_pandas
    from analysis.io.text import normalise_header

    try:
        schema = pq.read_schema(opened.path)
        text = [f.name for f in schema if normalise_header(f.name) in dictionaries
                and f.type in (pa.string(), pa.large_string())]
        table = pq.read_table(opened.path, read_dictionary=text)
    except (pa.ArrowException, OSError) as exc:
        raise _parquet_error(opened, exc) from None
    if as_text:
        table = pa.table({name: _as_text(col) for name, col in zip(table.column_names,
                                                                   table.columns, strict=True)})
    return arrow_to_pandas(table)


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
        return column.cast(pa.timestamp("s")).cast(pa.string()) if not pa.types.is_date(
            column.type) else column.cast(pa.string())
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if pa.types.is_floating(column.type):
        values = column.to_pandas()
        whole = values.notna() & (values == np.floor(values)) & (values.abs() < 2**53)
        text = values.astype(object).where(~whole, values.where(whole).astype("Int64").astype(object))
        return pa.chunked_array([pa.array(text.map(lambda v: None if pd.isna(v) else str(v)),
                                          pa.string())])
    return column.cast(pa.string())
