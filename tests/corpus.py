"""A generated corpus of bad (and merely unusual) input files for every reader.

Each :class:`Variant` writes one file into a folder and says what
:func:`analysis.io.load.load_events` must make of it, from what the generator itself knows
(the events it wrote, never a reader's output):

* ``read``: the events are exactly ``events`` (event id -> canonical column -> value), value
  by value, no row lost, added or merged, nothing rejected; with ``plain``, every canonical
  column also equals the read of the format's plain file;
* ``rejected``: the rows in ``rejected`` (spreadsheet row -> the columns named) are reported
  and the other events are exactly ``events``;
* ``error``: a :class:`~analysis.schema.DataError` naming the file and what was expected,
  holding ``message``.

Every value is synthetic (ids start with ``9`` or ``TEST-``, addresses on example.org).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.io.gdelt import GDELT_COLUMNS, LAYOUTS

FIXTURES = Path(__file__).parent / "fixtures"
READ, REJECTED, ERROR = "read", "rejected", "error"


# --------------------------------------------------------------------------------------
# The events, as the generator knows them


@dataclass(frozen=True)
class Rec:
    """One event: what is written into the file, and so what must be read back."""

    n: int  # its number: the id is made from it
    day: dt.date
    actor: str | None
    target: str | None
    killed: int | None
    lat: float | None
    lon: float | None
    place: str | None
    kind: str = "rocket attack"


BASE = [
    Rec(1, dt.date(2020, 12, 20), "Unidentified Armed Group", "Embassy compound", 0,
        33.31, 44.39, "Baghdad - Green Zone"),
    Rec(2, dt.date(2020, 12, 16), None, "Civilians", 1, 32.78, 44.29, "Test Crossroads",
        "IED attack"),
    Rec(3, dt.date(2020, 11, 5), "Military Forces of Iraq", "Islamic State", 4, 34.35, 45.39,
        "Test Hills", "armed clash"),
    Rec(4, dt.date(2021, 1, 5), "Kataib Hezbollah", "Supply convoy", None, 30.51, 47.81,
        "Test Square"),
    Rec(5, dt.date(2021, 2, 28), "Islamic State", "Air base", 2, 31.04, 46.26, "Test Highway"),
]
#: days whose numeric forms (3/5/2020) read both ways: the file cannot tell the order
AMBIGUOUS_DAYS = [dt.date(2020, 3, 5), dt.date(2020, 4, 7), dt.date(2020, 11, 2),
                  dt.date(2021, 1, 9), dt.date(2021, 2, 6)]


def _suffix(day: int) -> str:
    return "th" if 10 <= day <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


#: date forms: name -> (writer of a day and the row's position, day-first?, has a time)
#: (day-first: True / False for numeric forms whose order the file must settle, else None)
FORMS: dict[str, tuple[Callable[[dt.date, int], str], bool | None, bool]] = {
    "iso": (lambda d, i: d.isoformat(), None, False),
    "compact": (lambda d, i: f"{d:%Y%m%d}", None, False),
    "words": (lambda d, i: f"{d.day} {d:%B %Y}", None, False),
    "words_zero_padded": (lambda d, i: f"{d:%d %B %Y}", None, False),
    "dd_month_yyyy": (lambda d, i: f"{d:%d-%B-%Y}", None, False),
    "dd_mon_yy": (lambda d, i: f"{d:%d-%b-%y}", None, False),
    "d_mon_yy": (lambda d, i: f"{d.day}-{d:%b-%y}", None, False),
    "d_mon_yyyy": (lambda d, i: f"{d.day}-{d:%b-%Y}", None, False),
    "month_name_first": (lambda d, i: f"{d:%B} {d.day}, {d.year}", None, False),
    "weekday_first": (lambda d, i: f"{d:%A}, {d:%B} {d.day}, {d.year}", None, False),
    "ordinal_day": (lambda d, i: f"{d.day}{_suffix(d.day)} {d:%B %Y}", None, False),
    "upper_case": (lambda d, i: f"{d.day} {d:%B %Y}".upper(), None, False),
    "iso_slashes": (lambda d, i: f"{d:%Y/%m/%d}", None, False),
    "iso_time_ms": (lambda d, i: f"{d} 00:00:00.000", None, True),
    "iso_offset": (lambda d, i: f"{d}T23:10:00+03:00", None, True),
    "iso_offset_west": (lambda d, i: f"{d}T22:30:00-05:00", None, True),
    "iso_offsets_mixed": (lambda d, i: f"{d}T{['01:00:00+03:00', '23:59:59-08:00', '12:00:00Z', '00:30:00+0530', '18:45:00+00:00'][i % 5]}", None, True),
    "excel_serial": (lambda d, i: str((d - dt.date(1899, 12, 30)).days), None, False),
    "dd_mm_yy": (lambda d, i: f"{d:%d-%m-%y}", True, False),
    "dd_mm_yyyy_slashes": (lambda d, i: f"{d:%d/%m/%Y}", True, False),
    "d_m_yyyy_dots": (lambda d, i: f"{d.day}.{d.month}.{d.year}", True, False),
    "m_d_yyyy_slashes": (lambda d, i: f"{d.month}/{d.day}/{d.year}", False, False),
    "mm_dd_yyyy_dashes": (lambda d, i: f"{d:%m-%d-%Y}", False, False),
    "m_d_yy_slashes": (lambda d, i: f"{d.month}/{d.day}/{d:%y}", False, False),
    "m_d_yyyy_time_pm": (lambda d, i: f"{d.month}/{d.day}/{d.year} 1:05 PM", False, True),
}


def date_text(day: dt.date, form: str, i: int = 0) -> str:
    return FORMS[form][0](day, i)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _num(value) -> str:
    return "" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------------------
# The formats: how an event is written, and what the reader must make of it


def _fixture_rows(name: str, sep: str = ",") -> list[list[str]]:
    with (FIXTURES / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=sep))


class Layout:
    """One format's file layout. ``columns``: every column in file order (a header-less
    format's too); ``header``: whether the file starts with them."""

    fmt = ""
    name = ""
    sep = ","
    header = True
    columns: list[str] = []
    id_col = date_col = text_col = count_col = lat_col = ""
    base_form = "iso"
    #: the canonical columns the generator can tell for every event
    compared: tuple[str, ...] = ()

    def event_id(self, rec: Rec, row: int) -> str:
        raise NotImplementedError

    def cells(self, rec: Rec, form: str, i: int) -> dict[str, str]:
        raise NotImplementedError

    def expect(self, rec: Rec, row: int) -> dict[str, object]:
        raise NotImplementedError

    #: a real-layout row the generated cells are written over (None: every cell blank)
    template_row: list[str] | None = None

    def template(self) -> dict[str, str]:
        if self.template_row is None:
            return {c: "" for c in self.columns}
        return dict(zip(self.columns, self.template_row, strict=True))

    @property
    def first_row(self) -> int:
        return 2 if self.header else 1

    def row(self, rec: Rec, form: str | None = None, i: int = 0) -> list[str]:
        values = {**self.template(), **self.cells(rec, form or self.base_form, i)}
        return [values[c] for c in self.columns]

    def rows(self, recs: list[Rec], form: str | None = None) -> list[list[str]]:
        """The file's records: header (if any), then one per event."""
        body = [self.row(r, form, i) for i, r in enumerate(recs)]
        return ([list(self.columns)] if self.header else []) + body

    def events(self, recs: list[Rec], rows: list[int] | None = None) -> dict[str, dict]:
        """event id -> expected canonical values; ``rows``: each event's spreadsheet row."""
        rows = rows or list(range(self.first_row, self.first_row + len(recs)))
        out = {}
        for rec, row in zip(recs, rows, strict=True):
            out[self.event_id(rec, row)] = self.expect(rec, row)
        return out

    def col(self, name: str) -> int:
        return self.columns.index(name)


class Incidents(Layout):
    fmt, name = "incidents", "incidents.csv"
    columns = ["event_id", "date", "date_precision", "country", "location", "actor",
               "attribution", "target", "target_type", "event_type", "killed", "wounded",
               "latitude", "longitude", "source", "source_url", "notes"]
    id_col, date_col, text_col, count_col, lat_col = ("event_id", "date", "target", "killed",
                                                      "latitude")
    compared = ("event_id", "date", "actor", "target", "killed", "latitude", "longitude",
                "location", "event_type", "source_url")

    def event_id(self, rec, row):
        return f"TEST-2020-{rec.n:03d}"

    def cells(self, rec, form, i):
        return {"event_id": self.event_id(rec, 0), "date": date_text(rec.day, form, i),
                "date_precision": "day", "country": "Iraq", "location": rec.place or "",
                "actor": rec.actor or "", "attribution": "claimed" if rec.actor else "",
                "target": rec.target or "", "target_type": "military_base",
                "event_type": rec.kind, "killed": _num(rec.killed), "wounded": "",
                "latitude": _num(rec.lat), "longitude": _num(rec.lon), "source": "Example Wire",
                "source_url": f"https://example.org/fixtures/{rec.n}",
                "notes": "Synthetic corpus row."}

    def expect(self, rec, row):
        return {"event_id": self.event_id(rec, row), "date": _iso(rec.day), "actor": rec.actor,
                "target": rec.target, "killed": rec.killed, "latitude": rec.lat,
                "longitude": rec.lon, "location": rec.place, "event_type": rec.kind,
                "source_url": f"https://example.org/fixtures/{rec.n}"}


class Acled(Layout):
    fmt, name = "acled", "acled_export.csv"
    _fixture = _fixture_rows("acled_sample.csv")
    columns, template_row = _fixture[0], _fixture[1]
    id_col, date_col, text_col, count_col, lat_col = ("event_id_cnty", "event_date", "actor2",
                                                      "fatalities", "latitude")
    base_form = "words"
    compared = ("event_id", "date", "actor", "target", "killed", "latitude", "longitude",
                "location")

    def event_id(self, rec, row):
        return f"IRQ9{rec.n:04d}"

    def cells(self, rec, form, i):
        return {"event_id_cnty": self.event_id(rec, 0), "event_date": date_text(rec.day, form, i),
                "year": str(rec.day.year), "time_precision": "1", "actor1": rec.actor or "",
                "actor2": rec.target or "", "fatalities": _num(rec.killed),
                "latitude": _num(rec.lat), "longitude": _num(rec.lon),
                "location": rec.place or ""}

    def expect(self, rec, row):
        return {"event_id": self.event_id(rec, row), "date": _iso(rec.day), "actor": rec.actor,
                "target": rec.target, "killed": rec.killed, "latitude": rec.lat,
                "longitude": rec.lon, "location": rec.place}


class Ucdp(Layout):
    fmt, name = "ucdp", "ged_events.csv"
    _fixture = _fixture_rows("ucdp_sample.csv")
    columns, template_row = _fixture[0], _fixture[1]
    id_col, date_col, text_col, count_col, lat_col = ("id", "date_start", "side_b", "best",
                                                      "latitude")
    base_form = "iso_time_ms"
    compared = ("event_id", "date", "actor", "target", "killed", "killed_low", "killed_high",
                "latitude", "longitude", "location")

    def event_id(self, rec, row):
        return f"99{rec.n:04d}"

    def cells(self, rec, form, i):
        day = date_text(rec.day, form, i)
        return {"id": self.event_id(rec, 0), "relid": f"SYR-2020-1-9{rec.n:03d}-1",
                "year": str(rec.day.year), "date_prec": "1", "date_start": day, "date_end": day,
                "side_a": rec.actor or "", "side_b": rec.target or "",
                "best": _num(rec.killed), "low": _num(rec.killed), "high": _num(rec.killed),
                "latitude": _num(rec.lat), "longitude": _num(rec.lon),
                "where_coordinates": rec.place or "", "type_of_violence": "1"}

    def expect(self, rec, row):
        return {"event_id": self.event_id(rec, row), "date": _iso(rec.day), "actor": rec.actor,
                "target": rec.target, "killed": rec.killed, "killed_low": rec.killed,
                "killed_high": rec.killed, "latitude": rec.lat, "longitude": rec.lon,
                "location": rec.place}


class Gdelt(Layout):
    fmt, name, sep, header = "gdelt", "20201220.export.CSV", "\t", False
    _fixture = _fixture_rows("gdelt_sample.export.CSV", "\t")
    columns, template_row = list(GDELT_COLUMNS), _fixture[0]
    id_col, date_col, text_col, count_col, lat_col = ("GLOBALEVENTID", "SQLDATE", "Actor2Name",
                                                      "", "ActionGeo_Lat")
    base_form = "compact"
    compared = ("event_id", "date", "actor", "target", "latitude", "longitude", "location",
                "source_url")

    def event_id(self, rec, row):
        return f"99000000{rec.n}"

    def cells(self, rec, form, i):
        return {"GLOBALEVENTID": self.event_id(rec, 0), "SQLDATE": date_text(rec.day, form, i),
                "MonthYear": f"{rec.day:%Y%m}", "Year": str(rec.day.year),
                "Actor1Name": rec.actor or "", "Actor2Name": rec.target or "",
                "ActionGeo_FullName": rec.place or "", "ActionGeo_Lat": _num(rec.lat),
                "ActionGeo_Long": _num(rec.lon),
                "SOURCEURL": f"https://www.example.org/news/{rec.n}"}

    def expect(self, rec, row):
        return {"event_id": self.event_id(rec, row), "date": _iso(rec.day), "actor": rec.actor,
                "target": rec.target, "latitude": rec.lat, "longitude": rec.lon,
                "location": rec.place, "source_url": f"https://www.example.org/news/{rec.n}"}


class Sigacts(Layout):
    fmt, name = "sigacts", "sigacts.csv"
    columns = ["time", "event_type", "target", "city"]
    id_col, date_col, text_col, count_col, lat_col = "", "time", "target", "", ""
    compared = ("event_id", "date", "target", "location", "event_type")

    def event_id(self, rec, row):
        return f"SIGACT-{row:06d}"  # the source has no ids: its row in the file

    def cells(self, rec, form, i):
        day = date_text(rec.day, form, i)
        return {"time": day if FORMS[form][2] or form in ("compact", "excel_serial")
                else f"{day} {rec.n:02d}:20:00",
                "event_type": rec.kind, "target": rec.target or "", "city": rec.place or ""}

    def expect(self, rec, row):
        return {"event_id": self.event_id(rec, row), "date": _iso(rec.day),
                "target": rec.target, "location": rec.place, "event_type": rec.kind}


LAYOUT: dict[str, Layout] = {lay.fmt: lay for lay in (Incidents(), Acled(), Ucdp(), Gdelt(),
                                                      Sigacts())}
TITLES = {"incidents": "incident log", "acled": "ACLED export", "ucdp": "UCDP GED",
          "gdelt": "GDELT event file", "sigacts": "Iraq SIGACT table"}


# --------------------------------------------------------------------------------------
# Files


def to_text(rows: list[list[str]], sep: str, newline: str = "\n",
            quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator=newline, quoting=quoting).writerows(rows)
    return out.getvalue()


Write = Callable[[Path], Path]


def file(name: str, data: str | bytes, encoding: str = "utf-8") -> Write:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return path
    return write


def packed(write: Write, how: str, name: str | None = None) -> Write:
    """The file ``write`` makes, gzipped or zipped (alone) under ``name``."""
    def wrap(folder: Path) -> Path:
        inner = write(_scratch(folder))
        data = inner.read_bytes()
        target = folder / (name or f"{inner.name}.{'gz' if how == 'gz' else 'zip'}")
        if how == "gz":
            target.write_bytes(gzip.compress(data, mtime=0))
        else:
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(_member(inner.name), data)
        return target
    return wrap


def zipped(name: str, members: dict[str, bytes]) -> Write:
    def write(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for member, data in members.items():
                z.writestr(_member(member), data)
        return path
    return write


def _member(name: str) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(name, date_time=(2020, 12, 20, 0, 0, 0))


def _scratch(folder: Path) -> Path:
    inner = folder / "inner"
    inner.mkdir(exist_ok=True)
    return inner


def cut(write: Write, keep: float) -> Write:
    """The file ``write`` makes, cut short to ``keep`` of its bytes."""
    def short(folder: Path) -> Path:
        path = write(folder)
        data = path.read_bytes()
        path.write_bytes(data[:max(1, int(len(data) * keep))])
        return path
    return short


def xlsx(name: str, rows: list[list[object]], edit: Callable | None = None,
         sheets: int = 1) -> Write:
    def write(folder: Path) -> Path:
        import openpyxl

        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        if edit is not None:
            edit(book.active)
        for k in range(1, sheets):
            book.create_sheet(f"notes {k}").append(["not the data"])
        path = folder / name
        book.save(path)
        return path
    return write


def xls(name: str, rows: list[list[object]]) -> Write:
    def write(folder: Path) -> Path:
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("export")
        day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write(i, j, value, day)
                else:
                    sheet.write(i, j, value)
        path = folder / name
        book.save(str(path))
        return path
    return write


def parquet(name: str, columns: dict[str, object]) -> Write:
    def write(folder: Path) -> Path:
        import pandas as pd

        path = folder / name
        pd.DataFrame(columns).to_parquet(path, index=False)
        return path
    return write


def _has_xlwt() -> bool:
    try:
        import xlwt  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------------------
# Variants


@dataclass
class Variant:
    """One file of the corpus and what the reader must make of it (see the module doc)."""

    fmt: str
    name: str
    write: Write
    outcome: str
    events: dict[str, dict] = field(default_factory=dict)
    rejected: dict[int, set[str]] = field(default_factory=dict)
    message: str = ""
    options: dict = field(default_factory=dict)
    plain: bool = False
    notes: tuple[str, ...] = ()
    extra: dict[str, dict[str, str]] = field(default_factory=dict)
    folded: int = 0

    @property
    def id(self) -> str:
        return f"{self.fmt}-{self.name}"


class Builder:
    """Variants of one format, from its layout and the base events."""

    def __init__(self, fmt: str):
        self.fmt, self.lay = fmt, LAYOUT[fmt]
        self.out: list[Variant] = []

    # helpers ----------------------------------------------------------------------------
    def text(self, rows, newline="\n", sep=None, quoting=csv.QUOTE_MINIMAL) -> str:
        return to_text(rows, sep or self.lay.sep, newline, quoting)

    def name(self, suffix: str | None = None) -> str:
        if suffix is None:
            return self.lay.name
        return Path(self.lay.name).name.split(".")[0] + suffix

    def events(self, recs=None, rows=None):
        return self.lay.events(BASE if recs is None else recs, rows)

    def read(self, name, write, recs=None, rows=None, **kw):
        self.out.append(Variant(self.fmt, name, write, READ, self.events(recs, rows), **kw))

    def same(self, name, write, **kw):
        """A file holding the base events, written another way: read exactly as the plain file."""
        self.read(name, write, plain=True, **kw)

    def rejected(self, name, write, rows: dict[int, set[str]], recs=None, keep=None, **kw):
        """``rows`` reported; the events kept are ``recs`` (default: the base) less those at the
        rejected rows (``keep``: the positions kept, when rows and events do not line up)."""
        recs = BASE if recs is None else recs
        at = list(range(self.lay.first_row, self.lay.first_row + len(recs)))
        if keep is None:
            keep = [i for i, r in enumerate(at) if r not in rows]
        events = self.lay.events([recs[i] for i in keep], [at[i] for i in keep])
        self.out.append(Variant(self.fmt, name, write, REJECTED, events,
                                {r: set(c) for r, c in rows.items()}, **kw))

    def error(self, name, write, message="", **kw):
        self.out.append(Variant(self.fmt, name, write, ERROR, message=message, **kw))

    def plain_rows(self, recs=None, form=None):
        return self.lay.rows(BASE if recs is None else recs, form)

    def body_at(self, i: int) -> int:
        """The spreadsheet row of base event ``i``."""
        return self.lay.first_row + i

    def edited(self, i: int, column: str, value: str, recs=None, form=None):
        """The base records with one cell of event ``i`` replaced by ``value``."""
        rows = self.plain_rows(recs, form)
        rows[i + self.lay.header][self.lay.col(column)] = value
        return rows

    # families ---------------------------------------------------------------------------
    def representations(self):
        """The same events in other encodings, line endings, containers and file kinds."""
        lay, rows, name = self.lay, self.plain_rows(), self.name()
        text = self.text(rows)
        self.same("plain", file(name, text))
        self.same("format_given", file(name, text), options={"format": self.fmt})
        self.same("crlf", file(name, self.text(rows, "\r\n")))
        self.same("lone_cr", file(name, self.text(rows, "\r")))
        lines = text.splitlines(keepends=True)
        self.same("mixed_line_endings", file(name, "".join(
            line[:-1] + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines))))
        self.same("utf8_bom", file(name, "\ufeff" + text))
        self.same("utf8_bom_crlf", file(name, "\ufeff" + self.text(rows, "\r\n")))
        self.same("utf16_le_bom", file(name, text, "utf-16"))  # little-endian on this machine
        self.same("utf16_be_bom", file(name, b"\xfe\xff" + text.encode("utf-16-be")))
        self.same("utf16_le_bom_crlf", file(name, b"\xff\xfe" + self.text(rows, "\r\n")
                                            .encode("utf-16-le")))
        self.same("no_final_newline", file(name, text.rstrip("\n")))
        self.same("trailing_blank_lines", file(name, text + "\n\n\n"))
        # (a tab is a separator in a tab-separated file: a line of one tab is a short row)
        self.same("trailing_lines_of_spaces", file(name, text + "   \n" + (
            " \n" if lay.sep == "\t" else "\t\n")))
        self.same("all_fields_quoted", file(name, self.text(rows, quoting=csv.QUOTE_ALL)))
        padded = [[f" {v} " if v else v for v in r] for r in rows]
        self.read("values_padded_with_spaces", file(name, self.text(padded)))
        self.same("gzip", packed(file(name, text), "gz"))
        self.same("gzip_without_gz_name", packed(file(name, text), "gz", name + ".download"))
        self.same("zip", packed(file(name, text), "zip"))
        self.same("zip_with_readme", zipped(name + ".zip", {name: text.encode(),
                                                            "README.txt": b"About the export."}))
        self.same("zip_with_macos_junk", zipped(name + ".zip", {
            name: text.encode(), f"__MACOSX/._{name}": b"\x00\x05\x16\x07", ".DS_Store": b"\0"}))
        self.same("zip_in_folder", zipped(name + ".zip", {f"export/{name}": text.encode()}))
        self.same("gzip_in_zip", zipped(name + ".zip", {
            name + ".gz": gzip.compress(text.encode(), mtime=0)}))
        self.same("xlsx_text_cells", xlsx(self.name(".xlsx"), rows))
        self.same("xlsx_in_zip", packed(xlsx(self.name(".xlsx"), rows), "zip"))
        self.same("xlsx_two_sheets", xlsx(self.name(".xlsx"), rows, sheets=2))
        if _has_xlwt():
            self.same("xls_text_cells", xls(self.name(".xls"), rows))
        self.same("text_named_parquet", file(self.name(".parquet"), text))
        self.same("text_named_xlsx", file(self.name(".xlsx"), text))
        self.same("no_extension", file(self.name(""), text))
        columns = lay.columns
        body = rows[1:] if lay.header else rows
        self.same("parquet_text_columns", parquet(self.name(".parquet"), {
            c: [r[j] for r in body] for j, c in enumerate(columns)}))
        self.read("cp1252_given", file(name, self.text(self.plain_rows(self._accented())),
                                       "cp1252"), recs=self._accented(),
                  options={"encoding": "cp1252"})
        self.read("latin1_given", file(name, self.text(self.plain_rows(self._accented("latin"))),
                                       "latin-1"), recs=self._accented("latin"),
                  options={"encoding": "latin-1"})
        self.read("utf8_accents_and_scripts", file(name, self.text(self.plain_rows(
            self._accented("scripts")))), recs=self._accented("scripts"))
        if lay.header:
            self.same("utf8_given", file(name, text), options={"encoding": "utf-8"})
            self.same("cp1252_given_ascii_file", file(name, text),
                      options={"encoding": "cp1252"})

    def _accented(self, kind="cp1252"):
        value = {"cp1252": "Caf\u00e9 \u2019Ali\u2019s\u2019 \u2013 d\u00e9p\u00f4t",
                 "latin": "Caf\u00e9 d\u00e9p\u00f4t \u00bd",
                 "scripts": "\u0645\u0639\u0633\u0643\u0631 \u2014 \u0422\u0430\u0434\u0436\u0438 \u6771"}[kind]
        return [replace(r, target=value) if r.n == 2 else r for r in BASE]

    def encodings(self):
        name = self.name()
        recs = self._accented()
        text = self.text(self.plain_rows(recs))
        self.error("cp1252_not_given", file(name, text, "cp1252"), "not UTF-8")
        self.error("latin1_not_given", file(name, self.text(self.plain_rows(
            self._accented("latin"))), "latin-1"), "not UTF-8")
        good = self.text(self.plain_rows()).encode()
        i = good.index(b"\n", len(good) // 2)
        self.error("invalid_utf8_byte", file(name, good[:i] + b"\xff\xfe!" + good[i:]),
                   "not UTF-8")
        self.error("invalid_utf8_in_first_line", file(name, b"\x81" + good), "")
        self.error("utf16_without_bom", file(name, self.text(self.plain_rows())
                                             .encode("utf-16-le")), "")
        self.error("utf16_cut_mid_character", file(name, self.text(self.plain_rows())
                                                   .encode("utf-16")[:-1]), "UTF-16")
        self.error("binary_garbage", file(name, bytes(range(256)) * 4), "")

    def line_positions(self):
        """Blank lines and a title move rows: the rows keep the numbers a spreadsheet shows."""
        lay, rows, name = self.lay, self.plain_rows(), self.name()
        lines = self.text(rows).splitlines(keepends=True)
        head = 1 if lay.header else 0
        spaced = "".join(lines[:head]) + "\n".join(lines[head:])  # a blank line after each row
        at = [lay.first_row + 2 * i for i in range(len(BASE))]
        self.read("blank_line_between_rows", file(name, spaced), rows=at,
                  plain=self.fmt != "sigacts")
        self.read("leading_blank_lines", file(name, "\n\n" + "".join(lines)),
                  rows=[r + 2 for r in range(lay.first_row, lay.first_row + len(BASE))],
                  plain=self.fmt != "sigacts")
        if lay.header:
            title = f"(Sample) {TITLES[self.fmt]}, synthetic rows for the tests\n"
            self.read("title_line_above_header", file(name, title + "".join(lines)),
                      rows=[r + 1 for r in range(2, 2 + len(BASE))], plain=self.fmt != "sigacts",
                      notes=("above the header",))
            self.read("title_and_blank_line_above_header",
                      file(name, title + "\n" + "".join(lines)),
                      rows=[r + 2 for r in range(2, 2 + len(BASE))], plain=self.fmt != "sigacts")
            self.read("blank_line_in_quoted_value_keeps_row_numbers", file(name, self.text(
                self.edited(0, lay.text_col, "Base A\n\nBase B"))),
                recs=[replace(BASE[0], target="Base A\n\nBase B"), *BASE[1:]])

    def quoting(self):
        lay, name = self.lay, self.name()
        for vid, value in [("newline_in_quoted_value", "Base A\nand base B"),
                           ("crlf_in_quoted_value", "Base A\r\nand base B"),
                           ("separator_in_quoted_value", f"Base A{lay.sep} Base B"),
                           ("doubled_quotes_in_value", 'The "Green Zone" compound'),
                           ("quote_only_value", '"'),
                           ("apostrophes_in_value", "Qasem's 'cell'"),
                           ("leading_equals_sign", "=1+2 (not a formula)"),
                           ("backslash_in_value", "C:\\temp\\base")]:
            # a value on several lines is one row, as a spreadsheet shows it
            recs = [replace(r, target=value) if r.n == 2 else r for r in BASE]
            self.read(vid, file(name, self.text(self.plain_rows(recs))), recs=recs)
        # a quote inside a value that is not quoted: kept as written
        rows = self.plain_rows()
        line = self.text([rows[1 + lay.header]]).rstrip("\n")
        raw = self.text(rows).replace(line, line.replace(BASE[1].target,
                                                         'the "Green" compound', 1), 1)
        recs = [replace(r, target='the "Green" compound') if r.n == 2 else r for r in BASE]
        self.read("quote_inside_unquoted_value", file(name, raw), recs=recs)
        # a quote left open (in a file where no other value is quoted, so nothing closes it)
        rows = [[v.replace(lay.sep, ";").replace('"', "") for v in r] for r in rows]
        line = self.text([rows[1 + lay.header]]).rstrip("\n")
        opened = self.text(rows).replace(line, line.replace(BASE[1].target,
                                                            '"' + BASE[1].target, 1), 1)
        self.error("unbalanced_quote_runs_to_the_end", file(name, opened), "never closed")
        closing = self.text([*rows[:3 + lay.header], [
            'Supply "convoy"' if v == BASE[3].target else v for v in rows[3 + lay.header]],
            *rows[4 + lay.header:]])
        swallowed = closing.replace(line, line.replace(BASE[1].target,
                                                       '"' + BASE[1].target, 1), 1)
        self.out.append(Variant(self.fmt, "unbalanced_quote_swallows_rows", file(
            name, swallowed), ERROR, message="quote left open"))
        last = self.text([rows[-1]]).rstrip("\n")
        tail = self.text(rows).replace(last, last.replace(BASE[4].target,
                                                          '"' + BASE[4].target, 1), 1)
        self.error("unbalanced_quote_in_last_row", file(name, tail), "never closed")

    def ragged(self):
        lay, name = self.lay, self.name()
        head = 1 if lay.header else 0
        for vid, at, new in [("short_row", 1, lambda r: r[:-1]),
                             ("long_row", 2, lambda r: [*r, "extra"]),
                             ("row_of_three_fields", 1, lambda r: r[:3]),
                             ("row_of_one_field", 3, lambda r: r[:1]),
                             ("two_rows_on_one_line", 0, lambda r: [*r, *r]),
                             ("trailing_separator_on_one_row", 4, lambda r: [*r, ""])]:
            rows = self.plain_rows()
            rows[at + head] = new(rows[at + head])
            self.rejected(vid, file(name, self.text(rows)), {self.body_at(at): {"(whole row)"}})
        if self.fmt == "gdelt":
            rows = self.plain_rows()
            rows[2] = rows[2][:60]
            self.rejected("row_of_60_fields", file(name, self.text(rows)),
                          {self.body_at(2): {"(whole row)"}})
            self.error("every_row_of_60_fields", file(name, self.text(
                [r[:60] for r in self.plain_rows()])), "61")
            self.error("every_row_of_62_fields", file(name, self.text(
                [[*r, ""] for r in self.plain_rows()])), "61")
            self.rejected("first_row_of_60_fields", file(name, self.text(
                [self.plain_rows()[0][:60], *self.plain_rows()[1:]])), {1: {"(whole row)"}})
            for n in (57, 58):
                values = [dict(zip(GDELT_COLUMNS, r, strict=True)) for r in self.plain_rows()]
                rows = [[v.get(c, "") for c in LAYOUTS[n]] for v in values]
                events = self.events()
                if n == 57:
                    for e in events.values():
                        e["source_url"] = None
                self.out.append(Variant(self.fmt, f"gdelt1_{n}_columns", file(
                    f"2013{n}.export.CSV", self.text(rows)), READ, events))
        else:
            rows = [[*r, ""] for r in self.plain_rows()]
            self.same("trailing_separator_on_every_line", file(name, self.text(rows)),
                      notes=("no name and no values",))

    def headers(self):
        """Duplicate, look-alike and missing header names."""
        lay, name = self.lay, self.name()
        if not lay.header:
            # GDELT saved with its header (as BigQuery exports it)
            rows = [list(GDELT_COLUMNS), *self.plain_rows()]
            self.read("with_header_row", file(name, self.text(rows)),
                      rows=[r + 1 for r in range(1, 1 + len(BASE))])
            self.read("with_header_row_upper_case", file(name, self.text(
                [[c.upper() for c in GDELT_COLUMNS], *self.plain_rows()])),
                rows=[r + 1 for r in range(1, 1 + len(BASE))])
            self.read("with_header_row_comma_separated", file(self.name(".csv"), to_text(
                [list(GDELT_COLUMNS), *self.plain_rows()], ",")),
                rows=[r + 1 for r in range(1, 1 + len(BASE))])
            return
        header, body = self.plain_rows()[0], self.plain_rows()[1:]
        for vid, new in [("header_upper_case", [h.upper() for h in header]),
                         ("header_title_case", [h.title() for h in header]),
                         ("header_padded", [f"  {h} " for h in header]),
                         ("header_zero_width_at_edges", [f"\u200b{h}\ufeff" for h in header]),
                         ("header_no_break_spaces", [f"\u00a0{h}\u00a0" for h in header]),
                         ("header_words_for_underscores",
                          [h.replace("_", " ").title() for h in header]),
                         ("header_zero_width_inside",
                          [h[:2] + "\u200b" + h[2:] if len(h) > 3 else h for h in header])]:
            self.read(vid, file(name, self.text([new, *body])))
        count = lay.count_col or lay.text_col
        j = lay.col(count)
        twice = [[*r, r[j]] for r in body]
        for vid, second in [("duplicate_header", count), ("duplicate_header_other_case",
                                                         count.upper()),
                            ("duplicate_header_padded", f" {count} "),
                            ("duplicate_header_with_dots", count.replace("_", "."))]:
            if second == count.replace("_", ".") and "_" not in count:
                continue
            self.error(vid, file(name, self.text([[*header, second], *twice])),
                       "two columns mean the same")
        changed = [[*r[:j], r[j], *r[j + 1:], "7"] for r in body]
        self.error("duplicate_header_other_values", file(name, self.text(
            [[*header, count], *changed])), "two columns mean the same")
        alias = {"incidents": ("killed", "fatalities"), "acled": ("latitude", "lat"),
                 "ucdp": ("best", "best_est"), "sigacts": None}[self.fmt]
        if alias:
            k = lay.col(alias[0])
            self.error("duplicate_header_by_alias", file(name, self.text(
                [[*header, alias[1]], *[[*r, r[k]] for r in body]])), "two columns mean the same")
        ids = self.events()
        self.read("pandas_renamed_duplicate", file(name, self.text(
            [[*header, f"{count}.1"], *twice])),
            extra={f"{count}.1": {e: r[j] for e, r in zip(ids, body, strict=True)}})
        # a column named like a canonical one that the format makes itself
        own = {"incidents": None, "acled": "killed", "ucdp": "target", "sigacts": "date",
               "gdelt": None}[self.fmt]
        if own:
            self.read("extra_column_named_like_a_canonical_one", file(name, self.text(
                [[*header, own], *[[*r, f"file value {i}"] for i, r in enumerate(body)]])),
                extra={f"{own}_in_file": {e: f"file value {i}" for i, e in enumerate(ids)}},
                notes=(f"'{own}_in_file'",))
        # a blank header cell over an empty column, and over a filled one
        self.read("blank_header_over_values", file(name, self.text(
            [[*header, ""], *[[*r, "kept"] for r in body]])),
            extra={"column_" + _letters(len(header)): {e: "kept" for e in ids}})
        # required columns missing or misspelt: the closest format named
        required = {"incidents": "event_id", "acled": "event_id_cnty", "ucdp": "date_start",
                    "sigacts": "city"}[self.fmt]
        k = lay.col(required)
        dropped = [[v for i, v in enumerate(r) if i != k] for r in [header, *body]]
        self.error("required_column_missing", file(name, self.text(dropped)),
                   TITLES[self.fmt] if self.fmt != "incidents" else "")
        self.error("required_column_missing_format_given", file(name, self.text(dropped)),
                   f"missing column(s) '{required}'", options={"format": self.fmt})
        misspelt = [h if i != k else h[:-1] for i, h in enumerate(header)]
        self.error("required_column_misspelt", file(name, self.text([misspelt, *body])),
                   TITLES[self.fmt] if self.fmt != "incidents" else "")
        other = {"incidents": "acled", "acled": "ucdp", "ucdp": "sigacts", "sigacts": "incidents"}
        self.error("read_as_another_format", file(name, self.text(self.plain_rows())),
                   "missing column", options={"format": other[self.fmt]})
        self.error("unknown_layout", file(name, self.text(
            [["when", "who", "what", "where"], ["2020-12-20", "A", "B", "C"]])),
            "not recognised")
        # a header repeated inside the data
        rows = self.plain_rows()
        rows.insert(3, list(header))
        at = [2, 3, 5, 6, 7]
        self.out.append(Variant(self.fmt, "repeated_header_row", file(name, self.text(rows)),
                                REJECTED, self.events(BASE, at) if self.fmt != "sigacts" else
                                self.events(BASE, at), {4: {"(whole row)"}}))
        if self.fmt == "sigacts":
            rows = self.plain_rows()
            rows.insert(2, ["Date/Time", "Attack Type", "Target", "City"])
            self.out.append(Variant(self.fmt, "repeated_pdf_header_labels", file(
                name, self.text(rows)), REJECTED, self.events(BASE, [2, 4, 5, 6, 7]),
                {3: {"(whole row)"}}))

    def nulls(self):
        lay, name = self.lay, self.name()
        tokens = ["NA", "N/A", "NULL", "#N/A", "-", "None", "null", "n/a", "--", " NA "]
        for n, token in enumerate(tokens):
            recs = [replace(r, target=None) if r.n == 1 else r for r in BASE]
            self.read(f"null_{n}_{_slug(token)}_in_text", file(name, self.text(
                self.edited(0, lay.text_col, token))), recs=recs,
                notes=(repr(token.strip()),))
            if lay.count_col:
                recs = [replace(r, killed=None) if r.n == 1 else r for r in BASE]
                rows = self.edited(0, lay.count_col, token)
                for other in ("low", "high") if self.fmt == "ucdp" else ():
                    rows[1][lay.col(other)] = token
                self.read(f"null_{n}_{_slug(token)}_in_count", file(name, self.text(rows)),
                          recs=recs, notes=(repr(token.strip()),))
            if lay.lat_col and n < 4:
                recs = [replace(r, lat=None) if r.n == 3 else r for r in BASE]
                self.read(f"null_{n}_{_slug(token)}_in_latitude", file(name, self.text(
                    self.edited(2, lay.lat_col, token))), recs=recs)
        for vid, token in [("null_id", "NA"), ("blank_id", "")]:
            if lay.id_col:
                self.rejected(vid, file(name, self.text(self.edited(1, lay.id_col, token))),
                              {self.body_at(1): {"event_id"}})
        for vid, token in [("null_date", "N/A"), ("blank_date", "")]:
            self.rejected(vid, file(name, self.text(self.edited(1, lay.date_col, token))),
                          {self.body_at(1): {"date"}})

    def spreadsheet_errors(self):
        lay, name = self.lay, self.name()
        for err in ["#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!"]:
            self.rejected(f"error_value_{_slug(err)}_in_text", file(name, self.text(
                self.edited(1, lay.text_col, err))), {self.body_at(1): {lay.text_col}})
        if not lay.header:
            return
        rows = self.plain_rows()
        for err in ["#DIV/0!", "#REF!"]:
            cells = [list(r) for r in rows]
            cells[2][lay.col(lay.text_col)] = err  # openpyxl writes it as an error cell
            self.rejected(f"xlsx_error_cell_{_slug(err)}", xlsx(self.name(".xlsx"), cells),
                          {3: {lay.text_col}})
        cells = [list(r) for r in rows]
        cells[1][lay.col(lay.text_col)] = "#N/A"
        self.read("xlsx_error_cell_na_is_missing", xlsx(self.name(".xlsx"), cells),
                  recs=[replace(r, target=None) if r.n == 1 else r for r in BASE])
        col = lay.col(lay.text_col) + 1
        self.rejected("xlsx_formula_without_value", xlsx(
            self.name(".xlsx"), rows, edit=lambda ws: ws.cell(row=4, column=col, value="=1/0")),
            {4: {_letters(col - 1) + "4 =1/0"}})

    def spreadsheets(self):
        """Spreadsheets with real date, number and blank cells."""
        lay = self.lay
        if not lay.header:
            self.same("xlsx_text_cells_no_header", xlsx(self.name(".xlsx"), self.plain_rows()))
            return
        rows = self.plain_rows()
        typed = [list(rows[0])]
        for rec, r in zip(BASE, rows[1:], strict=True):
            cells: list[object] = list(r)
            for c in (lay.count_col, lay.lat_col, "longitude", "low", "high", "year"):
                if c and c in lay.columns and cells[lay.col(c)] != "":
                    v = cells[lay.col(c)]
                    cells[lay.col(c)] = float(v) if "." in v else int(v)
            if self.fmt == "sigacts":
                cells[0] = dt.datetime.combine(rec.day, dt.time(rec.n, 20))
            elif self.fmt == "ucdp":
                cells[lay.col("date_start")] = dt.datetime.combine(rec.day, dt.time())
                cells[lay.col("date_end")] = dt.datetime.combine(rec.day, dt.time())
            else:
                cells[lay.col(lay.date_col)] = dt.datetime.combine(rec.day, dt.time())
            typed.append(cells)
        self.same("xlsx_typed_cells", xlsx(self.name(".xlsx"), typed))
        with_time = [list(r) for r in typed]
        if self.fmt not in ("sigacts", "ucdp"):
            for cells, rec in zip(with_time[1:], BASE, strict=True):
                cells[lay.col(lay.date_col)] = dt.datetime.combine(rec.day, dt.time(23, 59))
            self.same("xlsx_date_cells_with_time", xlsx(self.name(".xlsx"), with_time))
        if _has_xlwt():
            dated = [list(rows[0])]
            for rec, r in zip(BASE, rows[1:], strict=True):
                cells = list(r)
                if self.fmt in ("incidents", "acled"):
                    cells[lay.col(lay.date_col)] = rec.day
                dated.append(cells)
            self.same("xls_date_cells", xls(self.name(".xls"), dated))
        title = [[f"{TITLES[self.fmt]} (synthetic)"], *rows]
        self.read("xlsx_title_row_above_header", xlsx(self.name(".xlsx"), title),
                  rows=[r + 1 for r in range(2, 2 + len(BASE))], plain=self.fmt != "sigacts")
        self.error("xlsx_header_only", xlsx(self.name(".xlsx"), rows[:1]), "no data rows")
        self.error("xlsx_empty_sheet", xlsx(self.name(".xlsx"), []), "empty")
        self.error("xlsx_cut_short", cut(xlsx(self.name(".xlsx"), rows), 0.6), "")
        self.error("xlsx_cut_to_its_zip_header", cut(xlsx(self.name(".xlsx"), rows), 0.02), "")
        if _has_xlwt():
            self.error("xls_cut_short", cut(xls(self.name(".xls"), rows), 0.5), "")
        # Parquet with typed columns
        body = rows[1:]
        columns: dict[str, object] = {c: [r[j] for r in body] for j, c in enumerate(lay.columns)}
        import pandas as pd

        if lay.count_col:
            columns[lay.count_col] = pd.array([r.killed for r in BASE], dtype="Int64")
        if lay.lat_col:
            columns[lay.lat_col] = [r.lat for r in BASE]
        if self.fmt == "sigacts":
            columns["time"] = pd.to_datetime([f"{r.day} {r.n:02d}:20:00" for r in BASE])
        else:
            for c in ("date_start", "date_end") if self.fmt == "ucdp" else (lay.date_col,):
                columns[c] = pd.to_datetime([r.day for r in BASE])
        self.same("parquet_typed_columns", parquet(self.name(".parquet"), columns))
        self.error("parquet_cut_short", cut(parquet(self.name(".parquet"), columns), 0.5),
                   "Parquet")
        self.error("parquet_magic_only", file(self.name(".parquet"), b"PAR1"), "Parquet")

    def containers(self):
        name, text = self.name(), self.text(self.plain_rows())
        self.error("zip_with_two_files", zipped(name + ".zip", {
            name: text.encode(), "second_" + name: text.encode()}), "second_" + name)
        self.error("empty_zip", zipped(name + ".zip", {}), "0 data files")
        self.error("zip_of_readme_only", zipped(name + ".zip", {"README.txt": b"no data here"}),
                   "")
        self.error("zip_cut_short", cut(packed(file(name, text * 30), "zip"), 0.5), "zip")
        self.error("gzip_cut_short", cut(packed(file(name, text * 30), "gz"), 0.5), "gzip")
        self.error("gzip_of_empty_file", packed(file(name, b""), "gz"), "empty")
        self.same("gzip_twice", packed(packed(file(name, text), "gz"), "gz", name + ".gz"))

    def empties(self):
        name, lay = self.name(), self.lay
        self.error("empty_file", file(name, b""), "empty")
        self.error("only_white_space", file(name, b"  \n\n \t\r\n"), "empty")
        self.error("only_bom", file(name, b"\xef\xbb\xbf"), "empty")
        self.error("only_bom_and_newlines", file(name, b"\xef\xbb\xbf\r\n\r\n"), "empty")
        self.error("utf16_bom_only", file(name, b"\xff\xfe"), "")
        if lay.header:
            header = self.text(self.plain_rows()[:1])
            self.error("header_only", file(name, header), "no data rows")
            self.error("header_only_crlf_and_blank_lines", file(name, header.replace(
                "\n", "\r\n") + "\r\n\r\n"), "no data rows")
            self.error("header_only_no_newline", file(name, header.rstrip("\n")), "no data rows")

    def values(self):
        lay, name = self.lay, self.name()
        if lay.id_col:
            first = self.lay.events(BASE[:1])
            twin_id = next(iter(first))
            zw = twin_id[:3] + "\u200b" + twin_id[3:]
            self.rejected("ids_differ_by_a_zero_width_space", file(name, self.text(
                self.edited(1, lay.id_col, zw))), {self.body_at(1): {"event_id"}})
            self.rejected("id_ending_in_zero_width_space", file(name, self.text(
                self.edited(1, lay.id_col, twin_id + "\u200b"))),
                {self.body_at(0): {"event_id"}, self.body_at(1): {"event_id"}})
            self.rejected("duplicate_id", file(name, self.text(
                self.edited(1, lay.id_col, twin_id))),
                {self.body_at(0): {"event_id"}, self.body_at(1): {"event_id"}})
            if self.fmt != "gdelt":  # (GDELT's ids are numbers)
                rows = self.edited(1, lay.id_col, twin_id.lower() + "x")
                events = self.events()
                second = events.pop(next(iter(self.lay.events(BASE[1:2]))))
                second["event_id"] = twin_id.lower() + "x"
                events[twin_id.lower() + "x"] = second
                self.out.append(Variant(self.fmt, "id_in_lower_case", file(
                    name, self.text(rows)), READ, events))
        if lay.count_col:
            big = 2**53 + 1
            recs = [replace(r, killed=big) if r.n == 1 else r for r in BASE]
            self.read("count_2_53_plus_1_kept_exactly", file(name, self.text(
                self.plain_rows(recs))), recs=recs)
            recs = [replace(r, killed=10**18 - 1) if r.n == 1 else r for r in BASE]
            self.read("count_of_18_digits", file(name, self.text(self.plain_rows(recs))),
                      recs=recs)
            if lay.header:
                recs = [replace(r, killed=big) if r.n == 1 else r for r in BASE]
                # (a number cell holds a double, as in Excel: 2**53 + 1 fits only as text)
                self.read("xlsx_count_2_53_plus_1_text_cell", xlsx(
                    self.name(".xlsx"), self.plain_rows(recs)), recs=recs)
            for vid, bad in [("count_of_19_digits", "1234567890123456789"),
                             ("count_negative", "-3"), ("count_decimal", "2.5"),
                             ("count_words", "dozens"), ("count_nan", "nan"),
                             ("count_thousands_comma", "1,200"),
                             ("count_range_backwards", "14-3")]:
                self.rejected(vid, file(name, self.text(self.edited(1, lay.count_col, bad))),
                              {self.body_at(1): {"killed"}})
            recs = [replace(r, killed=2) if r.n == 2 else r for r in BASE]
            rows = self.edited(1, lay.count_col, "2.0")
            for other in ("low", "high") if self.fmt == "ucdp" else ():
                rows[2][lay.col(other)] = "2"
            self.read("count_written_2_0", file(name, self.text(rows)), recs=recs)
        spaced = [replace(r, target=r.target) for r in BASE]
        rows = self.plain_rows()
        rows[1 + lay.header][lay.col(lay.text_col)] = BASE[1].target + "   "
        rows[2 + lay.header][lay.col(lay.text_col)] = "\t" + BASE[2].target + "\u00a0"
        self.read("trailing_spaces_in_text", file(name, self.text(rows)), recs=spaced)
        same = [replace(r, target="Civilians") if r.n in (2, 3, 4) else r for r in BASE]
        rows = self.plain_rows(same)
        rows[2 + lay.header][lay.col(lay.text_col)] = "Civilians "
        rows[3 + lay.header][lay.col(lay.text_col)] = " Civilians\u00a0"
        self.read("category_values_differ_by_trailing_space", file(name, self.text(rows)),
                  recs=same)
        if lay.lat_col:
            for vid, value in [("latitude_out_of_range", "95.5"),
                               ("latitude_decimal_comma", "33,31"),
                               ("latitude_degrees_sign", "33.31\u00b0")]:
                column = "latitude"
                self.rejected(vid, file(name, self.text(self.edited(1, lay.lat_col, value))),
                              {self.body_at(1): {column}})
        if self.fmt in ("incidents", "gdelt"):
            url = "source_url" if self.fmt == "incidents" else "SOURCEURL"
            self.rejected("script_in_source_url", file(name, self.text(self.edited(
                1, url, "javascript:alert(1)"))), {self.body_at(1): {"source_url"}})

    def dates(self):
        lay, name = self.lay, self.name()
        if self.fmt == "gdelt":
            for vid, bad in [("date_month_13", "20201340"), ("date_30_february", "20200230"),
                             ("date_words", "yesterday")]:
                self.rejected(vid, file(name, self.text(self.edited(1, lay.date_col, bad))),
                              {self.body_at(1): {"date"}})
            self.error("date_iso_in_first_row", file(name, self.text(self.edited(
                0, lay.date_col, "2020-12-20"))), "")
            return
        for form, (_, dayfirst, _) in FORMS.items():
            rows = self.plain_rows(form=form)
            self.read(f"date_{form}", file(name, self.text(rows)))
            if dayfirst is None:
                continue
            amb = [replace(r, day=d) for r, d in zip(BASE, AMBIGUOUS_DAYS, strict=True)]
            text = self.text(self.plain_rows(amb, form))
            self.error(f"date_{form}_every_date_ambiguous", file(name, text),
                       "day-first or month-first")
            self.read(f"date_{form}_every_date_ambiguous_order_given", file(name, text),
                      recs=amb, options={"dayfirst": dayfirst})
            other = "m_d_yyyy_slashes" if dayfirst else "dd_mm_yyyy_slashes"
            mixed = self.plain_rows(form=form)
            mixed[1 + lay.header] = self.lay.row(BASE[1], other, 1)
            self.error(f"date_{form}_both_orders", file(name, self.text(mixed)),
                       "both day-first")
            # told the other order: the dates that cannot be read so are reported, never
            # read the file's way
            told = [replace(r, day=dt.date(r.day.year, r.day.day, r.day.month))
                    if r.day.day <= 12 else r for r in BASE]
            bad = {self.body_at(i): {"date"} for i, r in enumerate(BASE)
                   if r.day.day > 12}
            self.rejected(f"date_{form}_order_given_wrongly", file(name, self.text(rows)),
                          bad, recs=told, options={"dayfirst": not dayfirst})
        # every form in one column (no numeric ambiguity)
        forms = ["iso", "words", "excel_serial", "compact", "month_name_first"]
        rows = self.plain_rows()
        for i, rec in enumerate(BASE):
            rows[i + 1] = self.lay.row(rec, forms[i], i)
        self.read("date_five_forms_in_one_column", file(name, self.text(rows)))
        for vid, bad in [("date_30_february", "2020-02-30"), ("date_month_13", "2020-13-01"),
                         ("date_unreadable_words", "the day after Eid"), ("date_time_only", "00:00.0"),
                         ("date_five_digit_year", "20201-12-20"),
                         ("date_31_november_words", "31 November 2020"),
                         ("date_serial_out_of_range", "3"), ("date_year_0999", "0999-01-01")]:
            rows = self.edited(1, lay.date_col, bad if self.fmt != "sigacts" else bad)
            if self.fmt == "ucdp":
                rows[2][lay.col("date_end")] = bad
            self.rejected(vid, file(name, self.text(rows)),
                          {self.body_at(1): {"date"}})
        if self.fmt == "acled":
            rows = self.plain_rows(form="dd_mon_yy")
            rows[2][lay.col("year")] = "2019"
            self.rejected("date_two_digit_year_disagrees_with_year", file(name, self.text(rows)),
                          {self.body_at(1): {"date"}})
            rows = self.plain_rows(form="words")
            rows[2][lay.col("year")] = "2019"
            self.read("date_four_digit_year_beside_another_year", file(name, self.text(rows)),
                      extra={"year": {"IRQ90002": "2019"}})

    def acled_monadic(self):
        """One row per actor (no actor2): folded into one event, counted in rows_folded."""
        lay = self.lay
        keep = [c for c in lay.columns if c not in ("actor2", "assoc_actor_2", "inter2")]
        rows = [keep]
        events = {}
        for rec in BASE:
            full = dict(zip(lay.columns, lay.row(rec), strict=True))
            rows.append([full[c] for c in keep])
            second = dict(full, actor1=f"{rec.target or 'Unknown'} (second actor)")
            rows.append([second[c] for c in keep])
            events.update(lay.events([replace(rec, target=f"{rec.target or 'Unknown'} (second actor)")]))
        self.out.append(Variant(self.fmt, "monadic_export_folded", file(
            self.name(), self.text(rows)), READ, events, folded=len(BASE),
            notes=("monadic export",)))

    def ucdp_extras(self):
        lay = self.lay
        k = lay.col("id")
        rows = [[v for i, v in enumerate(r) if i != k] for r in self.plain_rows()]
        events = {}
        for rec in BASE:
            e = lay.expect(rec, 0)
            e["event_id"] = f"SYR-2020-1-9{rec.n:03d}-1"
            events[e["event_id"]] = e
        self.out.append(Variant(self.fmt, "no_id_column_relid_used", file(
            self.name(), self.text(rows)), READ, events, notes=("relid",)))
        rows = self.plain_rows()
        rows[2][lay.col("date_end")] = "2020-01-01 00:00:00.000"
        self.rejected("date_end_before_date_start", file(self.name(), self.text(rows)),
                      {3: {"date_end"}})
        rows = self.plain_rows()
        rows[2][lay.col("best")] = "3-14"
        self.rejected("count_range_disagrees_with_low_high", file(self.name(), self.text(rows)),
                      {3: {"killed_low", "killed_high"}})

    def build(self) -> list[Variant]:
        for family in (self.representations, self.encodings, self.line_positions, self.quoting,
                       self.ragged, self.headers, self.nulls, self.spreadsheet_errors,
                       self.spreadsheets, self.containers, self.empties, self.values,
                       self.dates):
            family()
        if self.fmt == "acled":
            self.acled_monadic()
        if self.fmt == "ucdp":
            self.ucdp_extras()
        return self.out


def _slug(text: str) -> str:
    words = {"#": "hash", "/": "slash", "!": "", "?": "", "-": "dash", " ": "_"}
    return "".join(words.get(c, c) for c in text.strip()).strip("_").lower() or "blank"


def _letters(i: int) -> str:
    out, i = "", i + 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def all_variants() -> list[Variant]:
    out: list[Variant] = []
    for fmt in LAYOUT:
        out += Builder(fmt).build()
    ids = [v.id for v in out]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    return out


def wide_file(folder: Path, columns: int = 50_000, known: bool = False) -> Path:
    """A file of ``columns`` columns named c0, c1 ... and one row; ``known``: after an
    incident log's event_id and date."""
    path = folder / "wide.csv"
    head = ["event_id", "date"] if known else []
    first = ["TEST-1", "2020-12-20"] if known else []
    path.write_text(",".join([*head, *(f"c{i}" for i in range(columns))]) + "\n"
                    + ",".join([*first, *("1" for _ in range(columns))]) + "\n")
    return path
