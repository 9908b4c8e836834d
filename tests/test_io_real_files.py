"""Every reader on real provider files found in public GitHub repositories.

The files in ``tests/fixtures/real/`` are small excerpts (the first rows, cut at a record
boundary, otherwise byte for byte as the repository has them); ``PROVENANCE.md`` there says
where each one comes from. Each file is read with ``load_events(format="auto")`` and every
kept value is compared with an independent parse written here with the ``csv`` and
``datetime`` modules only (no pandas reader, no helper of the library).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.io.load import load_events
from analysis.schema import DataError

REAL = Path(__file__).parent / "fixtures" / "real"

#: GDELT event columns in file order, from the GDELT Event Codebooks (V1.03 and V2.0)
_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GEO2 = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT2_NAMES = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + ["Actor1" + f for f in _ACTOR] + ["Actor2" + f for f in _ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
       "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + ["Actor1Geo_" + f for f in _GEO2] + ["Actor2Geo_" + f for f in _GEO2]
    + ["ActionGeo_" + f for f in _GEO2] + ["DATEADDED", "SOURCEURL"]
)
assert len(GDELT2_NAMES) == 61
#: GDELT 1.0 (codebook V1.03): geography without ADM2Code; the backfile (before April 2013)
#: ends at DATEADDED, the daily files add SOURCEURL
_GEO1 = [f for f in _GEO2 if f != "ADM2Code"]
GDELT1_NAMES = (GDELT2_NAMES[:35] + ["Actor1Geo_" + f for f in _GEO1]
                + ["Actor2Geo_" + f for f in _GEO1] + ["ActionGeo_" + f for f in _GEO1]
                + ["DATEADDED"])
assert len(GDELT1_NAMES) == 57
GDELT_LAYOUTS = {61: GDELT2_NAMES, 58: GDELT1_NAMES + ["SOURCEURL"], 57: GDELT1_NAMES}

#: CAMEO root codes (CAMEO manual 1.1b3), the label ``event_type`` should carry
CAMEO = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate",
    "04": "Consult", "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield",
    "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce",
    "18": "Assault", "19": "Fight", "20": "Use unconventional mass violence",
}

#: FIPS 10-4 country codes found in these GDELT files -> ISO 3166-1 alpha-3
FIPS_ISO3 = {
    "SA": "SAU", "JO": "JOR", "TO": "TGO", "UK": "GBR", "US": "USA", "UP": "UKR", "AE": "ARE",
    "CG": "COD", "SL": "SLE", "CA": "CAN", "BO": "BLR", "MY": "MYS", "GM": "DEU", "EG": "EGY",
    "IS": "ISR", "CH": "CHN", "PM": "PAN", "SU": "SDN", "NZ": "NZL", "AS": "AUS", "IN": "IND",
    "PL": "POL", "FR": "FRA", "GH": "GHA", "RS": "RUS", "VM": "VNM", "AF": "AFG", "WE": "PSE",
    "GT": "GTM",
}

#: ACLED canonical column -> its export column (matched case-insensitively)
ACLED_MAP = {"event_id": "event_id_cnty", "date": "event_date", "country": "country",
             "actor": "actor1", "target": "actor2", "killed": "fatalities",
             "latitude": "latitude", "longitude": "longitude", "event_type": "event_type"}
#: GDELT canonical column -> its column
GDELT_MAP = {"event_id": "GLOBALEVENTID", "date": "SQLDATE", "actor": "Actor1Name",
             "target": "Actor2Name", "latitude": "ActionGeo_Lat", "longitude": "ActionGeo_Long",
             "source_url": "SOURCEURL"}


@dataclass(frozen=True)
class RealFile:
    name: str
    fmt: str  # acled / gdelt
    date_format: str  # how the date column is written (strptime)
    rows: int  # data rows kept in the excerpt
    delimiter: str = ","
    header: bool = True
    nulls: tuple[str, ...] = ("",)  # cells that mean "missing" in this file
    recognised: str = ""  # part of LoadResult.recognised


FILES = [
    RealFile("acled_katehara_2015_caps.csv", "acled", "%d-%B-%Y", 10),
    RealFile("acled_aschharwood_2016_pandas.csv", "acled", "%Y-%m-%d", 10),
    RealFile("acled_rpanlilio_2020_resave.csv", "acled", "%d-%b-%y", 10),
    RealFile("acled_joshmerfeld_2022_r.csv", "acled", "%d %B %Y", 10, nulls=("", "NA")),
    RealFile("gdelt2_newsnet-africa_20250807220000.export.CSV", "gdelt", "%Y%m%d", 15,
             delimiter="\t", header=False, recognised="GDELT 2.0 event export: 61 columns"),
    RealFile("gdelt2_arekziobrowski_20191024143000.export.CSV", "gdelt", "%Y%m%d", 10,
             delimiter="\t", header=False, recognised="GDELT 2.0 event export: 61 columns"),
    RealFile("gdelt2hdr_linwoodc3_events2samps.csv", "gdelt", "%Y%m%d", 10,
             recognised="recognised from its header"),
    RealFile("acled_dkoban_2020_quoted.csv", "acled", "%d %B %Y", 10),
    RealFile("gdelt1_reed9999_daily58.csv", "gdelt", "%Y%m%d", 15, delimiter="\t",
             header=False, recognised="GDELT 1.0 daily file (with SOURCEURL): 58 columns"),
    RealFile("gdelt1_reed9999_backfile57.csv", "gdelt", "%Y%m%d", 15, delimiter="\t",
             header=False, recognised="GDELT 1.0 file (before April 2013): 57 columns"),
]

#: cases where the library reads a real file wrongly: name -> reason (strict xfail)
KNOWN_BUGS: dict[str, str] = {}


def _records(spec: RealFile) -> list[dict[str, str]]:
    """The file's rows as {column: cell}, parsed with the csv module only."""
    with (REAL / spec.name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=spec.delimiter))
    if spec.header:
        names, body = rows[0], rows[1:]
    else:
        names, body = GDELT_LAYOUTS[len(rows[0])], rows
    for row in body:
        assert len(row) == len(names), f"{spec.name}: a row of {len(row)} cells"
    return [dict(zip(names, row, strict=True)) for row in body]


def _cell(record: dict[str, str], column: str, spec: RealFile) -> str | None:
    lowered = {k.lower(): v for k, v in record.items()}
    if column.lower() not in lowered:
        return None
    value = lowered[column.lower()]
    return None if value in spec.nulls else value


def _expected(spec: RealFile) -> dict[str, dict[str, object]]:
    """event_id -> {canonical column: value}, from the independent parse."""
    mapping = ACLED_MAP if spec.fmt == "acled" else GDELT_MAP
    out: dict[str, dict[str, object]] = {}
    for record in _records(spec):
        raw = {canon: _cell(record, col, spec) for canon, col in mapping.items()}
        values: dict[str, object] = dict(raw)
        values["date"] = datetime.strptime(raw["date"], spec.date_format).date()
        for col in ("latitude", "longitude"):
            values[col] = None if raw[col] is None else float(raw[col])
        if spec.fmt == "acled":
            values["killed"] = None if raw["killed"] is None else int(raw["killed"])
        else:
            root = _cell(record, "EventRootCode", spec)
            values["event_type"] = CAMEO[root]
            fips = _cell(record, "ActionGeo_CountryCode", spec)
            values["country_iso3"] = None if fips is None else FIPS_ISO3[fips]
        assert raw["event_id"] not in out, f"{spec.name}: id {raw['event_id']} repeated"
        out[raw["event_id"]] = values
    assert len(out) == spec.rows
    return out


def _plain(value: object) -> object:
    """A read cell as plain Python: None for any missing marker, a date for a timestamp."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_pydatetime"):
        return None if str(value) == "NaT" else value.to_pydatetime().date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _params() -> list:
    return [pytest.param(spec, id=spec.name,
                         marks=([pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[spec.name])]
                                if spec.name in KNOWN_BUGS else []))
            for spec in FILES]


def test_the_corpus_is_all_here():
    on_disk = {p.name for p in REAL.iterdir() if p.name != "PROVENANCE.md"}
    listed = {f.name for f in FILES} | {REFUSED, MONADIC} | {f.name for f in UCDP_FILES}
    assert on_disk == listed
    provenance = (REAL / "PROVENANCE.md").read_text(encoding="utf-8")
    for name in listed:
        assert name in provenance, f"{name} has no provenance row"


@pytest.mark.parametrize("spec", _params())
def test_real_file_is_read_value_by_value(spec: RealFile):
    result = load_events(REAL / spec.name, format="auto", errors="collect")
    expected = _expected(spec)

    assert result.format == spec.fmt
    assert spec.recognised in result.recognised
    assert result.rejected.empty, result.rejected.to_string()
    rejected_rows = result.rejected["row"].nunique() if len(result.rejected) else 0
    assert result.rows_read == len(result.events) + rejected_rows + result.rows_folded
    assert result.rows_read == spec.rows
    assert result.rows_folded == 0

    events = result.events
    assert list(events["event_id"]) == list(expected), "ids (and their order)"
    columns = next(iter(expected.values())).keys()
    for i, (event_id, want) in enumerate(expected.items()):
        for column in columns:
            have = _plain(events[column].iloc[i])
            assert have == want[column], (
                f"{spec.name} {event_id} {column}: read {have!r}, file has {want[column]!r}")


REFUSED = "gdelt2hdr_newsnet-africa_20240819130000.export.csv"


def test_gdelt_file_with_a_home_made_header_is_refused_clearly():
    """61 GDELT columns with a header of the repository's own names (``GlobalEventsID``,
    ``Day``, ``Goldstien`` ...): not a layout GDELT or BigQuery writes, so the reader must
    refuse it with an error that names the file and the missing GDELT columns (not a
    pandas exception, and not a silent misreading)."""
    with pytest.raises(DataError) as caught:
        load_events(REAL / REFUSED, format="auto", errors="collect")
    message = str(caught.value)
    assert REFUSED in message
    assert "GLOBALEVENTID" in message and "SQLDATE" in message
    assert "GlobalEventsID" in message  # shows what it found


def test_excerpts_are_whole_records():
    """Each excerpt ends with a newline at a record boundary (nothing cut mid-row)."""
    for spec in FILES:
        data = (REAL / spec.name).read_bytes()
        assert data.endswith(b"\n"), spec.name
        assert len(_records(spec)) == spec.rows


def test_date_forms_are_what_the_files_say():
    """The independent parse itself: spot checks against the raw text."""
    first = {spec.name: next(iter(_expected(spec).values()))["date"] for spec in FILES}
    assert first["acled_katehara_2015_caps.csv"] == date(2015, 1, 1)
    assert first["acled_rpanlilio_2020_resave.csv"] == date(2020, 5, 9)
    assert first["acled_joshmerfeld_2022_r.csv"] == date(2022, 12, 28)
    assert first["gdelt2_newsnet-africa_20250807220000.export.CSV"] == date(2024, 8, 7)


@pytest.mark.real_data
def test_ucdp_ged_19_1_every_value(real_data):
    """UCDP GED 19.1 (the Syria extract in ../shared, 16,566 events, CC BY 4.0): every kept
    value against the csv module's own parse. (No GED CSV small enough was found in a public
    repository: those stored are Git LFS pointers; the 25.1 JSON sample is checked in
    tests/test_io_containers.py.)"""
    path = real_data / "ucdp_ged_syria_2016_2019" / "ged191_syria.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    result = load_events(path, format="auto", errors="collect")
    assert result.format == "ucdp" and result.rejected.empty
    events = result.events
    assert len(events) == len(rows) == result.rows_read

    def number(text):
        return None if text == "" else float(text)

    got = {
        "event_id": events["event_id"].tolist(),
        "date_start": [d.date() for d in events["date_start"]],
        "date_end": [d.date() for d in events["date_end"]],
        "actor": [None if pd.isna(v) else v for v in events["actor"]],
        "target": [None if pd.isna(v) else v for v in events["target"]],
        "killed": [int(v) for v in events["killed"]],
        "killed_low": [int(v) for v in events["killed_low"]],
        "killed_high": [int(v) for v in events["killed_high"]],
        "latitude": events["latitude"].tolist(),
        "longitude": events["longitude"].tolist(),
        "country": events["country"].tolist(),
    }
    want = {
        "event_id": [r["id"] for r in rows],
        "date_start": [datetime.strptime(r["date_start"][:10], "%Y-%m-%d").date() for r in rows],
        "date_end": [datetime.strptime(r["date_end"][:10], "%Y-%m-%d").date() for r in rows],
        "actor": [r["side_a"].strip() or None for r in rows],
        "target": [r["side_b"].strip() or None for r in rows],
        "killed": [int(r["best"]) for r in rows],
        "killed_low": [int(r["low"]) for r in rows],
        "killed_high": [int(r["high"]) for r in rows],
        "latitude": [number(r["latitude"]) for r in rows],
        "longitude": [number(r["longitude"]) for r in rows],
        "country": [r["country"].strip() for r in rows],
    }
    for column, values in want.items():
        diff = [i for i, (a, b) in enumerate(zip(got[column], values, strict=True)) if a != b]
        assert not diff, (column, diff[:5], [got[column][i] for i in diff[:5]],
                          [values[i] for i in diff[:5]])


MONADIC = "acled_zachessesjohnson_2024_resave_monadic.csv"


def test_acled_monadic_spreadsheet_resave_is_folded_value_by_value():
    """A 2024 ACLED export in the one-row-per-actor ("monadic") layout, re-saved by a
    spreadsheet (``5-Aug-24``, CRLF line endings, ``actor2`` columns removed by its author):
    20 rows are 12 events, 8 of them with two rows. Each event must come out once, in the
    order first seen, with the first row's actor as ``actor`` and the second's as ``target``,
    and every other value as the file gives it; the fold is counted, not silent."""
    with (REAL / MONADIC).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    events: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        events.setdefault(row["event_id_cnty"], []).append(row)
    assert len(rows) == 20 and len(events) == 12
    assert sum(len(v) == 2 for v in events.values()) == 8

    result = load_events(REAL / MONADIC, format="auto", errors="collect")
    assert result.format == "acled" and result.rejected.empty
    assert result.rows_read == 20 and result.rows_folded == 8
    assert any("20 rows folded into 12 events" in note for note in result.notes)
    got = result.events
    assert list(got["event_id"]) == list(events)
    for i, (event_id, pair) in enumerate(events.items()):
        first = pair[0]
        for other in pair[1:]:  # the rows of one event agree on what they share
            assert {k: v for k, v in other.items() if k not in ("actor1", "assoc_actor_1",
                                                                  "inter1")} == \
                   {k: v for k, v in first.items() if k not in ("actor1", "assoc_actor_1",
                                                                "inter1")}
        want = {
            "date": datetime.strptime(first["event_date"], "%d-%b-%y").date(),
            "actor": first["actor1"] or None,
            "target": pair[1]["actor1"] if len(pair) > 1 else None,
            "killed": int(first["fatalities"]),
            "latitude": float(first["latitude"]),
            "longitude": float(first["longitude"]),
            "country": first["country"],
            "event_type": first["event_type"],
        }
        for column, value in want.items():
            have = _plain(got[column].iloc[i])
            assert have == value, f"{event_id} {column}: read {have!r}, file has {value!r}"


@dataclass(frozen=True)
class UcdpFile:
    name: str
    rows: int
    recognised: str


UCDP_FILES = [
    # GED 24.1 rows from the UCDP API, saved by pandas (booleans as True, gwnoa as 700.0)
    UcdpFile("ucdp_nan-chucs_241_api_pandas.csv", 5, "49 of its 49 columns"),
    # the 2016 UCDP API through R's write.csv: a row-name column, no id (relid), no date_prec
    UcdpFile("ucdp_aiddata_2016_oldapi_r.csv", 4, "18 of its 49 columns"),
    # GED JSON (47 fields, no gwnoa/gwnob): an array; one with "[{" on its first line; and
    # records copied out of an array without its brackets
    UcdpFile("ucdp_noahstapper_2002_array.json", 10, "47 of its 49 columns"),
    UcdpFile("ucdp_noahstapper_1989_array_inline.json", 10, "47 of its 49 columns"),
    UcdpFile("ucdp_msavvie_2007_records_no_brackets.json", 10, "47 of its 49 columns"),
]

#: Gleditsch-Ward state numbers in these files (Gleditsch & Ward 1999, ksgmdw.txt) -> ISO3
GW_ISO3 = {"640": "TUR", "652": "SYR", "666": "ISR", "700": "AFG"}
#: ISO 3166-1 alpha-3 of a country name (a file with no country_id)
NAME_ISO3 = {"Syria": "SYR"}
#: UCDP GED codebook: type_of_violence and date_prec
VIOLENCE = {"1": "state-based", "2": "non-state", "3": "one-sided"}
DATE_PREC = {"1": "day", "2": "range", "3": "week", "4": "month", "5": "range"}


def _ucdp_records(spec: UcdpFile) -> list[dict[str, str]]:
    """The file's records as {field: text}, with the csv or json module only."""
    import json

    path = REAL / spec.name
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    text = path.read_text(encoding="utf-8").strip()
    if not text.startswith("["):
        text = "[" + text.rstrip(",") + "]"

    def as_text(value):
        return "" if value is None else str(value)

    return [{k: as_text(v) for k, v in record.items()} for record in json.loads(text)]


@pytest.mark.parametrize("spec", UCDP_FILES, ids=[f.name for f in UCDP_FILES])
def test_ucdp_file_is_read_value_by_value(spec: UcdpFile):
    records = _ucdp_records(spec)
    assert len(records) == spec.rows
    result = load_events(REAL / spec.name, format="auto", errors="collect")
    assert result.format == "ucdp" and spec.recognised in result.recognised
    assert result.rejected.empty, result.rejected.to_string()
    assert result.rows_read == len(result.events) == spec.rows

    def text(value: str) -> str | None:
        return value.strip() or None

    def number(value: str) -> float | None:
        return float(value) if value.strip() else None

    def day(value: str) -> date:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()

    got = result.events
    for i, r in enumerate(records):
        best = int(r["best"])
        want = {
            "event_id": r["id"] if "id" in r else r["relid"],
            "date": day(r["date_start"]), "date_start": day(r["date_start"]),
            "date_end": day(r["date_end"]),
            "date_precision": DATE_PREC[r["date_prec"]] if "date_prec" in r else "day",
            "actor": text(r["side_a"]), "target": text(r["side_b"]),
            "event_type": VIOLENCE[r["type_of_violence"]],
            "killed": best,
            "killed_low": int(r["low"]) if "low" in r else best,
            "killed_high": int(r["high"]) if "high" in r else best,
            "latitude": number(r.get("latitude", "")),
            "longitude": number(r.get("longitude", "")),
            "country": text(r["country"]),
            "country_iso3": (GW_ISO3[r["country_id"]] if "country_id" in r
                             else NAME_ISO3[r["country"]]),
            "admin1": text(r["adm_1"]), "location": text(r["where_coordinates"]),
        }
        for column, value in want.items():
            have = _plain(got[column].iloc[i])
            assert have == value, (f"{spec.name} record {i + 1} {column}: read {have!r}, "
                                   f"file has {value!r}")


def test_ucdp_json_cut_short_is_refused_clearly(tmp_path):
    """The same GED JSON as downloaded halfway (no closing bracket): a DataError that names
    the file and the place, never a partial read."""
    whole = (REAL / "ucdp_noahstapper_2002_array.json").read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(whole[: whole.rindex("\n]")], encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_events(cut, format="auto")
    assert "cut.json" in str(caught.value) and "cannot be read" in str(caught.value)
