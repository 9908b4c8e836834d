"""Readers (incidents, ACLED, UCDP GED, GDELT, SIGACT), bad files, the validate CLI and write_csv.

The fixtures in tests/fixtures/ are synthetic files in the sources' real layouts (see the
README there); bad files are written here, byte by byte, into tmp_path.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import analysis._kernels.arrow_csv as arrow_csv
import analysis._kernels.filescan as filescan
import analysis.io.format as format_module
import analysis.io.text as io_module
from analysis.cli import main
from analysis.io import (
    GDELT_COLUMNS,
    load_events,
    neutralize_formulas,
    read_acled,
    read_events,
    read_gdelt_events,
    read_sigacts,
    read_text_table,
    read_ucdp_ged,
    write_csv,
)
from analysis.io.files import Opened, read_parquet
from analysis.io.incidents import FORMAT as INCIDENTS_FORMAT
from analysis.schema import (
    ATTRIBUTION_DTYPE,
    EVENT_COLUMNS,
    PRECISION_DTYPE,
    STR_DTYPE,
    DataError,
)

FIXTURES = Path(__file__).parent / "fixtures"
INCIDENTS_OK = FIXTURES / "incidents_ok.csv"
ACLED = FIXTURES / "acled_sample.csv"
UCDP = FIXTURES / "ucdp_sample.csv"
GDELT = FIXTURES / "gdelt_sample.export.CSV"

HEADER = b"event_id,date,date_precision,killed,latitude,source_url\n"
GOOD_ROW = b"TEST-01,2020-12-20,day,1,33.3,https://example.org/a\n"


def ymd(series) -> list[str]:
    return series.dt.strftime("%Y-%m-%d").tolist()


def write(tmp_path: Path, data: bytes, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def incident_file(tmp_path: Path, *rows: bytes, name: str = "log.csv") -> Path:
    """A project-format file: the header, a good row (row 2), then ``rows`` (row 3 on)."""
    return write(tmp_path, HEADER + GOOD_ROW + b"".join(rows), name)


def strict_error(path: Path, fmt: str = "incidents", **kwargs) -> DataError:
    with pytest.raises(DataError) as info:
        load_events(path, format=fmt, **kwargs)
    assert str(path) in str(info.value)  # every file error names the file
    return info.value


def rejected(path: Path, fmt: str = "incidents") -> pd.DataFrame:
    return load_events(path, format=fmt, errors="collect").rejected


def raw_rows(path: Path, **kwargs) -> int:
    """Data rows in a fixture, counted independently of the readers."""
    return len(pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs))


# --------------------------------------------------------------------------------------
# The project's own format


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return read_events(INCIDENTS_OK).set_index("event_id", drop=False)


def test_incidents_every_row_in_is_a_row_out(incidents):
    assert len(incidents) == raw_rows(INCIDENTS_OK) == 6
    assert incidents.index.tolist()[:2] == ["TEST-20191108-01", "TEST-20191100-01"]


def test_incidents_month_row_spans_the_calendar_month(incidents):
    row = incidents.loc[["TEST-20191100-01"]]
    assert row["date_precision"].tolist() == ["month"]
    assert ymd(row["date"]) + ymd(row["date_start"]) + ymd(row["date_end"]) == [
        "2019-11-01", "2019-11-01", "2019-11-30"]


def test_incidents_week_row_spans_three_days_either_side(incidents):
    row = incidents.loc[["TEST-20200311-01"]]
    assert row["date_precision"].tolist() == ["week"]
    assert ymd(row["date_start"]) + ymd(row["date_end"]) == ["2020-03-08", "2020-03-14"]


def test_incidents_day_rows_have_a_one_day_range(incidents):
    day = incidents[incidents["date_precision"] == "day"]
    assert len(day) == 4
    assert (day["date_start"] == day["date"]).all() and (day["date_end"] == day["date"]).all()


def test_incidents_attribution_is_normalised(incidents):
    assert incidents["attribution"].to_dict() == {
        "TEST-20191108-01": "claimed", "TEST-20191100-01": "unknown",
        "TEST-20200311-01": "unknown", "TEST-20200313-01": "attributed",
        "TEST-20201220-01": "suspected", "TEST-20210303-01": "unknown"}


def test_incidents_blank_casualties_are_missing_not_zero(incidents):
    assert incidents["killed"].tolist()[:3] == [0, pd.NA, pd.NA]
    assert incidents.loc["TEST-20200313-01", "wounded"] == 14


def test_incidents_extra_column_passes_through_last(incidents):
    assert list(incidents.columns) == [*EVENT_COLUMNS, "local_time"]
    assert incidents["local_time"].tolist() == ["19:45", "night", "", "21:30", "20:00", "07:20"]


def test_incidents_dtypes(incidents):
    assert incidents["killed"].dtype == "Int64"
    assert incidents["latitude"].dtype == "Float64"
    assert incidents["date_precision"].dtype == PRECISION_DTYPE
    assert incidents["attribution"].dtype == ATTRIBUTION_DTYPE


def test_incidents_parquet_round_trip(tmp_path):
    raw = pd.read_csv(INCIDENTS_OK, dtype=str, keep_default_na=False)
    raw.to_parquet(tmp_path / "log.parquet")
    pd.testing.assert_frame_equal(read_events(tmp_path / "log.parquet"), read_events(INCIDENTS_OK))


def test_incidents_excel_round_trip(tmp_path):
    raw = pd.read_csv(INCIDENTS_OK, dtype=str, keep_default_na=False)
    raw.to_excel(tmp_path / "log.xlsx", index=False)
    pd.testing.assert_frame_equal(read_events(tmp_path / "log.xlsx"), read_events(INCIDENTS_OK))


def test_canonical_table_written_to_parquet_reads_back_the_same(tmp_path):
    table = read_events(INCIDENTS_OK)
    table.to_parquet(tmp_path / "events.parquet")
    pd.testing.assert_frame_equal(read_events(tmp_path / "events.parquet"), table)


def test_canonical_table_written_to_excel_reads_back_the_same(tmp_path):
    table = read_events(INCIDENTS_OK)
    table.to_excel(tmp_path / "events.xlsx", index=False)
    pd.testing.assert_frame_equal(read_events(tmp_path / "events.xlsx"), table)


def test_excel_bad_cell_is_named_by_its_sheet_row(tmp_path):
    raw = pd.read_csv(INCIDENTS_OK, dtype=str, keep_default_na=False)
    raw.loc[3, "killed"] = "-2"
    raw.to_excel(tmp_path / "log.xlsx", index=False)
    err = strict_error(tmp_path / "log.xlsx")
    assert (err.column, err.rows, err.values) == ("killed", [5], [-2])


# --------------------------------------------------------------------------------------
# ACLED


@pytest.fixture(scope="module")
def acled() -> pd.DataFrame:
    return read_acled(ACLED).set_index("event_id", drop=False)


def test_acled_every_row_in_is_a_row_out_with_its_id(acled):
    assert len(acled) == raw_rows(ACLED) == 6
    assert acled.index.tolist() == [f"IRQ9000{i}" for i in range(1, 7)]


def test_acled_reads_both_date_styles(acled):
    assert ymd(acled["date"]) == ["2020-12-20", "2020-12-16", "2020-11-15", "2021-01-05",
                                  "2021-02-28", "2020-10-10"]


def test_acled_time_precision_codes_become_day_week_month(acled):
    assert acled["date_precision"].tolist() == ["day", "week", "month", "day", "week", "day"]


def test_acled_week_precision_is_plus_minus_three_days_across_a_month_end(acled):
    row = acled.loc[["IRQ90005"]]  # 28 February 2021, not a leap year
    assert ymd(row["date_start"]) + ymd(row["date_end"]) == ["2021-02-25", "2021-03-03"]


def test_acled_month_precision_is_the_calendar_month(acled):
    row = acled.loc[["IRQ90003"]]
    assert ymd(row["date_start"]) + ymd(row["date_end"]) == ["2020-11-01", "2020-11-30"]


def test_acled_unidentified_actor_is_unknown_and_named_actor_attributed(acled):
    assert acled.loc["IRQ90001", "actor"] == "Unidentified Armed Group (Iraq)"
    assert acled.loc["IRQ90001", "attribution"] == "unknown"
    assert acled.loc["IRQ90006", "attribution"] == "attributed"
    assert acled["attribution"].value_counts().to_dict() == {
        "attributed": 3, "unknown": 3, "claimed": 0, "suspected": 0}


def test_acled_actor2_is_the_target_and_inter2_its_type(acled):
    assert acled.loc["IRQ90002", "target"] == "Civilians (Iraq)"
    assert acled.loc["IRQ90002", "target_type"] == "Civilians"
    assert pd.isna(acled.loc["IRQ90004", "target"])


def test_acled_fatalities_are_killed_and_wounded_is_blank(acled):
    assert acled["killed"].tolist() == [0, 1, 4, 0, 0, 0]
    assert acled["wounded"].isna().all()
    assert (acled["dataset"] == "acled").all()


def test_acled_unmapped_columns_pass_through_unchanged(acled):
    raw = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    extras = list(acled.columns[len(EVENT_COLUMNS):])
    assert extras[:3] == ["year", "disorder_type", "sub_event_type"]
    assert {"tags", "timestamp", "inter1", "actor2", "civilian_targeting"} <= set(extras)
    assert acled["tags"].tolist() == raw["tags"].tolist()


def test_acled_dtypes(acled):
    assert acled["killed"].dtype == "Int64"
    assert acled["latitude"].dtype == "Float64" and acled["longitude"].dtype == "Float64"
    assert acled.loc["IRQ90001", "latitude"] == pytest.approx(33.31)
    assert acled["date_precision"].dtype == PRECISION_DTYPE
    assert acled["attribution"].dtype == ATTRIBUTION_DTYPE


def test_acled_missing_column_names_it_and_the_format(tmp_path):
    raw = pd.read_csv(ACLED, dtype=str, keep_default_na=False).drop(columns="event_date")
    raw.to_csv(tmp_path / "acled.csv", index=False)
    err = strict_error(tmp_path / "acled.csv", "acled")
    assert "missing column(s) 'event_date' for the ACLED export format" in str(err)


def test_acled_unknown_time_precision_code_is_rejected(tmp_path):
    raw = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    raw.loc[2, "time_precision"] = "4"
    raw.to_csv(tmp_path / "acled.csv", index=False)
    err = strict_error(tmp_path / "acled.csv", "acled")
    assert (err.column, err.rows, err.values) == ("date_precision", [4], ["4"])


# --------------------------------------------------------------------------------------
# UCDP GED


@pytest.fixture(scope="module")
def ucdp() -> pd.DataFrame:
    return read_ucdp_ged(UCDP).set_index("event_id", drop=False)


def test_ucdp_every_row_in_is_a_row_out_with_its_id(ucdp):
    assert len(ucdp) == raw_rows(UCDP) == 6
    assert ucdp.index.tolist() == [str(i) for i in range(990001, 990007)]


def test_ucdp_date_prec_codes_map_to_precisions(ucdp):
    assert ucdp["date_precision"].tolist() == ["day", "range", "week", "month", "range", "day"]


def test_ucdp_keeps_date_start_and_date_end(ucdp):
    raw = pd.read_csv(UCDP, dtype=str)
    assert ymd(ucdp["date_start"]) == [d[:10] for d in raw["date_start"]]
    assert ymd(ucdp["date_end"]) == [d[:10] for d in raw["date_end"]]
    assert ymd(ucdp["date"]) == ymd(ucdp["date_start"])


def test_ucdp_month_event_is_not_re_spread(ucdp):
    row = ucdp.loc[["990004"]]
    assert ymd(row["date_start"]) + ymd(row["date_end"]) == ["2017-03-01", "2017-03-31"]
    assert ymd(ucdp.loc[["990005"], "date_end"]) == ["2017-08-15"]


def test_ucdp_sides_violence_and_deaths(ucdp):
    row = ucdp.loc["990005"]
    assert (row["actor"], row["target"], row["event_type"]) == ("IS", "Civilians", "one-sided")
    assert ucdp["killed"].tolist() == [2, 8, 2, 5, 7, 1]
    assert (ucdp["attribution"] == "attributed").all()
    assert ucdp.loc["990001", "admin1"] == "Idlib governorate"


def test_ucdp_low_best_high_are_the_killed_range_and_other_columns_pass_through(ucdp):
    extras = list(ucdp.columns[len(EVENT_COLUMNS):])
    assert {"relid", "conflict_name", "dyad_name", "geom_wkt", "gwnob"} <= set(extras)
    assert not {"low", "best", "high"} & set(extras)
    raw = pd.read_csv(UCDP, dtype=str, keep_default_na=False)
    assert ucdp["killed_high"].tolist() == raw["high"].astype(int).tolist()
    assert ucdp["killed_low"].tolist() == raw["low"].astype(int).tolist()
    assert ucdp["killed"].tolist() == raw["best"].astype(int).tolist()


def test_ucdp_dtypes(ucdp):
    assert ucdp["killed"].dtype == "Int64"
    assert ucdp["latitude"].dtype == "Float64" and ucdp["longitude"].dtype == "Float64"
    assert ucdp["date_precision"].dtype == PRECISION_DTYPE
    assert ucdp["attribution"].dtype == ATTRIBUTION_DTYPE


def test_ucdp_date_end_before_date_start_is_rejected(tmp_path):
    raw = pd.read_csv(UCDP, dtype=str, keep_default_na=False)
    raw.loc[1, "date_end"] = "2017-03-16"
    raw.to_csv(tmp_path / "ged.csv", index=False)
    err = strict_error(tmp_path / "ged.csv", "ucdp")
    assert (err.column, err.rows, err.values) == ("date_end", [3], ["2017-03-16"])


# --------------------------------------------------------------------------------------
# GDELT 2.0


@pytest.fixture(scope="module")
def gdelt() -> pd.DataFrame:
    return read_gdelt_events(GDELT).set_index("event_id", drop=False)


def test_gdelt_fixture_has_the_61_column_layout():
    lines = GDELT.read_text(encoding="utf-8").splitlines()
    assert len(GDELT_COLUMNS) == 61
    assert {line.count("\t") + 1 for line in lines} == {61}


def test_gdelt_every_row_in_is_a_row_out_with_its_id(gdelt):
    assert len(gdelt) == raw_rows(GDELT, sep="\t", header=None) == 5
    assert gdelt.index.tolist() == [str(i) for i in range(990000001, 990000006)]


def test_gdelt_sqldate_is_a_day_precision_date(gdelt):
    assert ymd(gdelt["date"]) == ["2020-12-20", "2020-12-20", "2020-10-11", "2021-03-01",
                                  "2021-03-03"]
    assert set(gdelt["date_precision"]) == {"day"}
    assert (gdelt["date_end"] == gdelt["date"]).all()


def test_gdelt_named_actor1_is_suspected_and_blank_is_unknown(gdelt):
    assert gdelt["attribution"].tolist() == ["suspected", "unknown", "suspected", "suspected",
                                             "suspected"]


def test_gdelt_cameo_root_becomes_event_type_and_event_code_passes_through(gdelt):
    assert gdelt["event_type"].tolist() == ["Fight", "Assault", "Consult", "Assault", "Fight"]
    assert gdelt["EventCode"].tolist() == ["190", "183", "042", "1821", "195"]


def test_gdelt_source_is_the_domain_of_the_url(gdelt):
    assert gdelt["source"].tolist()[:3] == ["example.org", "example.com", "example.net"]
    assert gdelt["source_url"].str.startswith("https://").all()


def test_gdelt_action_geography_and_blank_coordinates(gdelt):
    row = gdelt.loc["990000001"]
    assert (row["country"], row["country_iso3"], row["admin1"], row["location"]) == (
        "Iraq", "IRQ", "IZ07", "Baghdad, Baghdad, Iraq")
    assert row["ActionGeo_CountryCode"] == "IZ"  # GDELT's FIPS code passes through
    assert pd.isna(gdelt.loc["990000004", "latitude"])
    assert gdelt["latitude"].dtype == "Float64"
    assert gdelt["killed"].isna().all() and gdelt["killed"].dtype == "Int64"


def test_gdelt_rows_are_numbered_from_1_without_a_header(tmp_path):
    lines = GDELT.read_bytes().splitlines(keepends=True)
    fields = lines[1].split(b"\t")
    fields[1] = b"20201340"
    path = write(tmp_path, lines[0] + b"\t".join(fields) + b"".join(lines[2:]), "bad.export.CSV")
    err = strict_error(path, "gdelt")
    assert (err.column, err.rows, err.values) == ("date", [2], ["20201340"])


def test_gdelt_file_with_a_column_count_of_no_gdelt_version_is_rejected(tmp_path):
    short = b"".join(b"\t".join(line.split(b"\t")[:60]) + b"\n"
                     for line in GDELT.read_bytes().splitlines())
    err = strict_error(write(tmp_path, short, "old.export.CSV"), "gdelt")
    assert "found 60 tab-separated columns" in str(err)
    assert "57 or 58 columns (GDELT 1.0) or 61 (GDELT 2.0)" in str(err)


# --------------------------------------------------------------------------------------
# SIGACT layout


SIGACT_HEADER = b"time,event_type,target,city\n"


def test_sigacts_ids_are_row_numbers_and_time_is_kept(tmp_path):
    path = write(tmp_path, SIGACT_HEADER + b"2006-02-22 06:44:00,IED,Coalition Forces,Samarra\n"
                 b"2006-02-22 23:05:00,Mortar,Iraqi Security Forces,\n")
    events = read_sigacts(path)
    assert events["event_id"].tolist() == ["SIGACT-000002", "SIGACT-000003"]
    assert ymd(events["date"]) == ["2006-02-22", "2006-02-22"]
    assert events["time"].tolist() == ["2006-02-22 06:44:00", "2006-02-22 23:05:00"]
    assert events["country"].tolist() == ["Iraq", "Iraq"]


# --------------------------------------------------------------------------------------
# Bad files: every error names the file, the rows (header = row 1), the column, the value
# and the expectation; collect mode sets the rows aside with the reason


def test_missing_file_is_an_error(tmp_path):
    err = strict_error(tmp_path / "nowhere.csv")
    assert "file not found" in str(err)


def test_missing_required_column(tmp_path):
    path = write(tmp_path, b"event_id,day\nTEST-01,2020-12-20\n")
    err = strict_error(path, "incidents")
    assert "missing column(s) 'date' for the incident log format" in str(err)
    assert "found: event_id, day" in str(err)
    err = strict_error(path, "auto")  # the closest format, and what it lacks
    assert "it looks most like an incident log (1 of its columns) but has no 'date'" in str(err)


def test_unparseable_date(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,20th of Dec,day,1,33.3,https://example.org/b\n")
    err = strict_error(path)
    assert (err.column, err.rows, err.values) == ("date", [3], ["20th of Dec"])
    assert "row 3 ('20th of Dec')" in str(err)
    assert "expected a date that exists in the calendar, such as 2020-12-20" in str(err)


def test_unparseable_date_is_set_aside_in_collect_mode(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,20th of Dec,day,1,33.3,https://example.org/b\n")
    result = load_events(path, errors="collect")
    assert result.rows_read == 2 and result.events["event_id"].tolist() == ["TEST-01"]
    assert result.rejected.to_dict("records") == [dict(
        row=3, column="date", value="20th of Dec", problem="value could not be read",
        expected="a date that exists in the calendar, such as 2020-12-20 (or 2020-12 / 2020 "
                 "for month / year) or 20 December 2020")]


def test_31_february(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,2021-02-31,day,1,33.3,https://example.org/b\n")
    err = strict_error(path)
    assert (err.column, err.rows, err.values) == ("date", [3], ["2021-02-31"])
    assert "exists in the calendar" in str(err)
    assert rejected(path)[["row", "column", "value"]].values.tolist() == [[3, "date", "2021-02-31"]]


def test_blank_date(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,,day,1,33.3,https://example.org/b\n")
    err = strict_error(path)
    assert (err.problem, err.column, err.rows) == ("missing date", "date", [3])
    assert rejected(path)["problem"].tolist() == ["missing date"]


def test_duplicate_id(tmp_path):
    path = incident_file(tmp_path, GOOD_ROW.replace(b"2020-12-20", b"2020-12-21"))
    err = strict_error(path)
    assert (err.problem, err.column, err.rows, err.values) == (
        "duplicate event id", "event_id", [2, 3], ["TEST-01", "TEST-01"])
    assert "each event_id to appear once" in str(err)
    assert rejected(path)["row"].tolist() == [2, 3]


def test_negative_killed(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,2020-12-21,day,-3,33.3,https://example.org/b\n")
    err = strict_error(path)
    assert (err.column, err.rows, err.values) == ("killed", [3], [-3])
    assert "row 3 (-3)" in str(err) and "a whole number >= 0 or blank" in str(err)
    assert rejected(path)["problem"].tolist() == ["negative count"]


def test_latitude_95(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,2020-12-21,day,1,95,https://example.org/b\n")
    err = strict_error(path)
    assert (err.column, err.rows, err.values) == ("latitude", [3], [95.0])
    assert "between -90 and 90" in str(err)
    assert rejected(path)["problem"].tolist() == ["latitude out of range"]


def test_script_in_source_url(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,2020-12-21,day,1,33.3,javascript:alert(1)\n")
    err = strict_error(path)
    assert (err.column, err.rows, err.values) == ("source_url", [3], ["javascript:alert(1)"])
    assert "http:// or https://" in str(err)
    assert rejected(path)["problem"].tolist() == ["not a web address"]


def test_month_date_with_day_precision(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,2019-11,day,1,33.3,https://example.org/b\n")
    err = strict_error(path)
    assert (err.column, err.rows, err.values) == ("date_precision", [3], ["day"])
    assert "month for a YYYY-MM date" in str(err)
    assert rejected(path)["problem"].tolist() == ["date is partial but date_precision says otherwise"]


def test_several_bad_rows_are_all_listed(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,2021-02-31,day,1,33.3,https://example.org/b\n",
                         b"TEST-03,2020-12-22,day,-1,33.3,https://example.org/c\n")
    err = strict_error(path)
    assert "2 problems found" in str(err)
    assert "row 3 ('2021-02-31')" in str(err) and "row 4 (-1)" in str(err)
    result = load_events(path, errors="collect")
    assert result.rows_read == 3 and len(result.events) == 1 and len(result.rejected) == 2


def test_cp1252_file_names_utf8_and_the_line(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,2020-12-21,day,1,33.3,https://example.org/caf\xe9\n")
    err = strict_error(path)
    assert "not UTF-8" in str(err) and "line 3" in str(err)
    assert "caf\u00e9" in str(err)  # the line as a Windows-1252 reader would show it
    assert "encoding='cp1252'" in str(err) and "CSV UTF-8" in str(err)


def test_cp1252_file_reads_when_the_encoding_is_given(tmp_path):
    path = write(tmp_path, b"event_id,date,location\nTEST-01,2020-12-20,Caf\xe9 Square\n")
    assert read_events(path, encoding="cp1252")["location"].tolist() == ["Caf\u00e9 Square"]


def test_utf8_with_byte_order_mark_reads_with_a_clean_first_column(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + HEADER + GOOD_ROW)
    raw, _ = read_text_table(path)
    assert raw.columns[0] == "event_id"
    assert read_events(path)["event_id"].tolist() == ["TEST-01"]


def test_empty_file(tmp_path):
    err = strict_error(write(tmp_path, b""))
    assert "file is empty" in str(err) and "a header row and at least one row of data" in str(err)


def test_whitespace_only_file_is_empty(tmp_path):
    err = strict_error(write(tmp_path, b" \r\n\n\t \n"))
    assert "file is empty" in str(err)


def test_header_only_file(tmp_path):
    err = strict_error(write(tmp_path, HEADER))
    assert "header row but no data rows" in str(err)


def test_header_only_acled_file(tmp_path):
    err = strict_error(write(tmp_path, ACLED.read_bytes().splitlines(keepends=True)[0]), "acled")
    assert "header row but no data rows" in str(err)


def test_repeated_header_row_inside_the_data(tmp_path):
    path = incident_file(tmp_path, HEADER, b"TEST-02,2020-12-21,day,1,33.3,https://example.org/b\n")
    err = strict_error(path)
    assert (err.problem, err.rows) == ("repeated header row", [3])
    assert "event_id | date | date_precision" in str(err)


def test_repeated_header_row_is_set_aside_in_collect_mode(tmp_path):
    path = incident_file(tmp_path, HEADER, b"TEST-02,2020-12-21,day,1,33.3,https://example.org/b\n")
    result = load_events(path, errors="collect")
    assert result.rows_read == 3
    assert result.events["event_id"].tolist() == ["TEST-01", "TEST-02"]
    assert result.rejected[["row", "problem"]].values.tolist() == [[3, "repeated header row"]]


def sigact_file(tmp_path: Path) -> Path:
    return write(tmp_path, SIGACT_HEADER
                 + b"2004-01-01 00:20:00,IED,Coalition Forces,Baghdad\n"
                 + b",Attack Type,Target,City\n"
                 + b"2004-01-01 01:01:00,RPG,Coalition Forces,Ramadi\n"
                 + b",Attack Type,Target   City,Target\n"
                 + b"2004-01-01 01:11:00,Mortar,Coalition     Baghdad,\n", "sigacts.csv")


def test_sigact_repeated_pdf_headers_are_an_error_when_strict(tmp_path):
    err = strict_error(sigact_file(tmp_path), "sigacts")
    assert (err.problem, err.column, err.rows) == ("repeated header row", "(whole row)", [3, 5])
    assert "Attack Type | Target City | Target" in str(err)


def test_sigact_repeated_pdf_headers_are_set_aside_in_collect_mode(tmp_path):
    result = load_events(sigact_file(tmp_path), format="sigacts", errors="collect")
    assert result.rows_read == 5
    assert result.events["event_id"].tolist() == ["SIGACT-000002", "SIGACT-000004",
                                                  "SIGACT-000006"]
    assert result.rejected["row"].tolist() == [3, 5]
    assert set(result.rejected["problem"]) == {"repeated header row"}


def test_row_with_too_many_fields(tmp_path):
    path = incident_file(tmp_path, b"TEST-02,2020-12-21,day,1,33.3,https://example.org/b,extra\n")
    err = strict_error(path)
    assert (err.column, err.rows) == ("(whole row)", [3])
    assert "TEST-02,2020-12-21" in str(err) and "at most 6 comma-separated fields" in str(err)


def test_first_data_row_with_too_many_fields_does_not_shift_the_columns(tmp_path):
    # pandas would quietly turn the first column into the index and shift every value left
    path = write(tmp_path, HEADER + GOOD_ROW.replace(b"\n", b",extra\n")
                 + b"TEST-02,2020-12-21,day,1,33.3,https://example.org/b\n")
    err = strict_error(path)
    assert (err.column, err.rows) == ("(whole row)", [2])


def test_rows_after_a_blank_line_keep_their_spreadsheet_numbers(tmp_path):
    path = incident_file(tmp_path, b"\n", b"TEST-02,2021-02-31,day,1,33.3,https://example.org/b\n")
    err = strict_error(path)
    assert err.rows == [4]  # row 3 is the blank line, as a spreadsheet shows it


def test_rows_after_a_quoted_line_break_keep_their_spreadsheet_numbers(tmp_path):
    path = write(tmp_path, b'event_id,date,notes\nTEST-01,2020-12-20,"two\nlines"\n'
                 b"TEST-02,2021-02-31,\n")
    assert strict_error(path).rows == [3]


def test_extra_column_named_with_symbols_passes_through(tmp_path):
    path = write(tmp_path, b"event_id,date,+/- killed\nTEST-01,2020-12-20,2\n")
    assert read_events(path)["+/- killed"].tolist() == ["2"]


@pytest.mark.parametrize(("data", "reason"), [
    (b"event_id,day\nTEST-01,2020-12-20\n", "layout is not recognised"),
    (b"event_id,date,location\nTEST-01,2020-12-20,Caf\xe9 Square\n", "not UTF-8"),
    (b"", "file is empty"),
    (HEADER, "no data rows"),
    (b"event_id,date\n3/5/2020,1/2/2020\n", "can be read day-first or month-first"),
], ids=["missing-column", "cp1252", "empty", "header-only", "ambiguous-dates"])
def test_file_level_faults_raise_even_in_collect_mode(tmp_path, data, reason):
    with pytest.raises(DataError, match=reason):
        load_events(write(tmp_path, data), errors="collect")


def test_unknown_errors_mode_is_refused():
    with pytest.raises(ValueError, match="errors must be"):
        load_events(INCIDENTS_OK, errors="ignore")


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        load_events(INCIDENTS_OK, format="xlsx")


# --------------------------------------------------------------------------------------
# Fast reading: pyarrow parses well-formed UTF-8 files, the csv module the rest; both give one table


def careful_read(path: Path, monkeypatch, **kwargs):
    """read_text_table with the pyarrow path switched off (the csv module reads it)."""
    with monkeypatch.context() as m:
        m.setattr(io_module, "_read_arrow", lambda *args: None)
        try:
            return read_text_table(path, **kwargs)
        except DataError as err:
            return str(err)


def assert_same_read(path: Path, monkeypatch, **kwargs) -> None:
    fast, slow = read_text_table(path, **kwargs), careful_read(path, monkeypatch, **kwargs)
    pd.testing.assert_frame_equal(fast[0], slow[0])
    np.testing.assert_array_equal(fast[1], slow[1])
    assert (fast[0].dtypes == STR_DTYPE).all()


WELL_FORMED = {
    "bom-crlf": b"\xef\xbb\xbf" + HEADER.replace(b"\n", b"\r\n") + GOOD_ROW.replace(b"\n", b"\r\n"),
    "quoted": b'event_id,notes,x\nT-1,"two\nlines, ""quoted""",NA\nT-2,"","  spaced  "\n',
    "quoted-blank-line": b'event_id,notes\nT-1,"a\n\nb"\nT-2,c\n',
    "blank-lines": HEADER + b"\n" + GOOD_ROW + b"\r\n\n" + GOOD_ROW + b"\n\n",
    "no-final-newline": HEADER + GOOD_ROW.rstrip(b"\n"),
    "odd-quotes": b'a,b\n1,ab"c\n"x"y,caf\xc3\xa9\n',
    "repeated-header": HEADER + GOOD_ROW + HEADER + GOOD_ROW,
}


@pytest.mark.parametrize("data", WELL_FORMED.values(), ids=WELL_FORMED.keys())
def test_pyarrow_reads_well_formed_files_as_the_careful_path_does(tmp_path, monkeypatch, data):
    path = write(tmp_path, data)
    assert io_module._read_arrow(path, ",", None) is not None  # the fast path is taken
    assert_same_read(path, monkeypatch)


def test_pyarrow_reads_across_its_blocks_as_the_careful_path_does(tmp_path, monkeypatch):
    monkeypatch.setattr(arrow_csv, "ARROW_BLOCK", 64)
    path = write(tmp_path, WELL_FORMED["quoted"] + b'T-3,"x\ny",z\n' * 50)
    assert io_module._read_arrow(path, ",", None) is not None
    assert_same_read(path, monkeypatch)


def spy_on_parses(monkeypatch, typed: list | None = None) -> list[bool]:
    """Record each pyarrow parse's ``newlines_in_values`` (and in ``typed``, the columns it
    reads as numbers)."""
    calls, parse = [], arrow_csv.parse_csv

    def spy(path, sep, names, types, *, newlines_in_values):
        calls.append(newlines_in_values)
        if typed is not None:
            typed.append(sorted(c for c, t in types.items() if pa.types.is_floating(t)))
        return parse(path, sep, names, types, newlines_in_values=newlines_in_values)

    monkeypatch.setattr(arrow_csv, "parse_csv", spy)
    return calls


def test_file_of_one_line_rows_is_parsed_once_the_fast_way(tmp_path, monkeypatch):
    monkeypatch.setattr(arrow_csv, "ARROW_BLOCK", 64)
    path = write(tmp_path, HEADER + GOOD_ROW * 40)
    calls = spy_on_parses(monkeypatch)
    assert_same_read(path, monkeypatch)
    assert calls == [False]


@pytest.mark.parametrize("block", [32, 64, 100, 256, 1000])
def test_values_spanning_lines_are_never_misread_by_the_fast_parse(tmp_path, monkeypatch, block):
    # cut at a line feed inside quotes, the fast parse can fail or (when the quoted text
    # looks like rows) read the wrong rows without failing: every such table is parsed again
    monkeypatch.setattr(arrow_csv, "ARROW_BLOCK", block)
    monkeypatch.setattr(io_module, "_check_open_quotes", lambda *args: None)  # rows in values
    notes = ["", "plain", 'x\n"1",2020-01-01,"y"\nz', "a\n1,2,3\n5,6,7\nb", '\n7,8,"9\n', "q\n\nr"]
    rows = "".join(f'"{i}",2020-01-{i % 28 + 1:02d},"{notes[i * 7 % len(notes)].replace(chr(34), 2 * chr(34))}"\n'
                   for i in range(300))
    path = write(tmp_path, ("id,date,notes\n" + rows).encode())
    calls = spy_on_parses(monkeypatch)
    assert_same_read(path, monkeypatch)
    assert calls == [False, True]


def test_a_silent_misreading_by_the_fast_parse_is_caught(tmp_path, monkeypatch):
    # cut inside the quoted "7,8,9,..." line, this file parses without error, but wrongly
    monkeypatch.setattr(arrow_csv, "ARROW_BLOCK", 64)
    monkeypatch.setattr(io_module, "_check_open_quotes", lambda *args: None)  # a row in a value
    path = write(tmp_path, b'id,date,notes,val\n"0",2020-01-01,"plain",0\n"1",2020-01-01,"\n7,8,9,'
                           b'""10\n",1\n"2",2020-01-01,"plain",2\n"3",2020-01-01,"",3\n"4",2020-01-01,"",4\n')
    types = dict.fromkeys(["id", "date", "notes", "val"], pa.large_string())
    fast = arrow_csv.parse_csv(path, ",", None, types, newlines_in_values=False).to_pandas()
    slow = careful_read(path, monkeypatch)[0]
    assert fast["notes"].tolist() != slow["notes"].tolist()
    calls = spy_on_parses(monkeypatch)
    assert_same_read(path, monkeypatch)
    assert calls == [False, True]


@pytest.mark.parametrize("odd", [None, " 12.5", '"12.5"', "nan", "N/A", "33\u00b0", "\u00a012.5"])
def test_coordinates_are_read_as_numbers_only_when_all_are(tmp_path, monkeypatch, odd):
    # pyarrow parses latitude and longitude as numbers; a value the text path would read
    # otherwise ("nan": unreadable) or not at all sends the file back to the text parse
    rows = [b"T-1,2020-12-20,33.3,44.4", b"T-2,2020-12-21,,", b"T-3,2020-12-22,-1e1,+5",
            b"T-4,2020-12-23,95,44.4"]
    if odd is not None:
        rows.append(b"T-5,2020-12-24," + odd.encode() + b",44.4")
    path = write(tmp_path, b"event_id,date,latitude,longitude,notes\n"
                 + b"".join(r + b",x\n" for r in rows))
    typed = []
    calls = spy_on_parses(monkeypatch, typed)
    fast = load_events(path, errors="collect")
    both = ["latitude", "longitude"]
    assert typed[0] == both
    again = odd not in (None, " 12.5", '"12.5"')
    assert typed == ([both, []] if again else [both]) and calls == [False] * len(typed)
    with monkeypatch.context() as m:
        m.setattr(io_module, "_read_arrow", lambda *args: None)
        slow = load_events(path, errors="collect")
    pd.testing.assert_frame_equal(fast.events, slow.events)
    pd.testing.assert_frame_equal(fast.rejected, slow.rejected)
    assert "latitude out of range" in fast.rejected["problem"].tolist()


def test_a_number_column_last_in_the_file_stays_text(tmp_path, monkeypatch):
    path = write(tmp_path, b"event_id,date,latitude\nT-1,2020-12-20,33.3\n")
    typed = []
    spy_on_parses(monkeypatch, typed)
    assert load_events(path).events["latitude"].tolist() == [33.3]
    assert typed == [[]]


def test_gdelt_file_is_read_by_pyarrow_as_by_the_careful_path(monkeypatch):
    assert io_module._read_arrow(GDELT, "\t", GDELT_COLUMNS) is not None
    assert_same_read(GDELT, monkeypatch, sep="\t", names=GDELT_COLUMNS)


LEFT_TO_CAREFUL_PATH = {
    "unterminated-quote": HEADER + b'TEST-02,2020-12-21,day,1,33.3,"https://example.org/b\n',
    "unterminated-quote-no-newline": b'a,b\n1,"2',
    "short-row": b"a,b,c\n1,2\n3,4,5\n",
    "long-row": HEADER + GOOD_ROW.replace(b"\n", b",extra\n"),
    "line-of-spaces": b"a,b\n1,2\n  \n3,4\n",
    "one-column-line-of-spaces": b"a\n1\n  \n3\n",
    "blank-and-repeated-names": b"a,,a\n1,2,3\n",
    "lone-carriage-return": b"a,b\n1,2\n\r,b\n",
    "carriage-return-in-value": b'a,b\n1,"x\r\ny"\n',
    "header-only-in-quotes": b'a,"b\n',
    "cp1252": b"a,b\n1,caf\xe9\n",
}


@pytest.mark.parametrize("data", LEFT_TO_CAREFUL_PATH.values(), ids=LEFT_TO_CAREFUL_PATH.keys())
def test_files_pyarrow_reads_differently_are_left_to_the_careful_path(tmp_path, monkeypatch, data):
    path = write(tmp_path, data)
    try:
        fast = read_text_table(path)
    except DataError as err:
        fast = str(err)
    slow = careful_read(path, monkeypatch)
    if isinstance(slow, str):
        assert fast == slow
    else:
        pd.testing.assert_frame_equal(fast[0], slow[0])
        np.testing.assert_array_equal(fast[1], slow[1])


def test_quoted_crlf_across_pyarrow_blocks_keeps_its_line_feed(tmp_path, monkeypatch):
    # pyarrow drops the "\n" of a quoted "\r\n" split by its block boundary (apache/arrow#51368)
    monkeypatch.setattr(arrow_csv, "ARROW_BLOCK", 64)
    head = b"id,s,p\n0,\""
    path = write(tmp_path, head + b"z" * (64 - len(head) - 1) + b'\r\nB",x\n1,plain,x\n')
    raw, _ = read_text_table(path)
    assert raw["s"].str.endswith("z\r\nB").tolist() == [True, False]


def test_categories_are_read_as_categoricals_with_the_same_values(tmp_path):
    path = write(tmp_path, b"id,country,note\n1,Iraq,a\n2, Syria ,b\n3,Iraq,\n")
    raw, _ = read_text_table(path, categories=["country"])
    assert isinstance(raw["country"].dtype, pd.CategoricalDtype)
    assert raw["note"].dtype == read_text_table(path)[0]["note"].dtype
    assert raw["country"].tolist() == read_text_table(path)[0]["country"].tolist()


def test_carriage_return_in_a_category_column_is_left_to_the_careful_path(tmp_path, monkeypatch):
    monkeypatch.setattr(arrow_csv, "ARROW_BLOCK", 64)
    head = b"id,s,p\n0,\""
    path = write(tmp_path, head + b"z" * (64 - len(head) - 1) + b'\r\nB",x\n1,plain,x\n')
    raw, _ = read_text_table(path, categories=["s"])
    assert raw["s"].str.endswith("z\r\nB").tolist() == [True, False]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 13, 64])
def test_blank_line_across_scan_chunks_keeps_row_numbers(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(filescan, "SCAN_CHUNK", chunk)
    path = write(tmp_path, b"a,b\n1,2\n \t \r\n3,4\n\n\n5,6\n  \n")
    assert read_text_table(path)[1].tolist() == [2, 4, 7]


@pytest.mark.parametrize(("data", "found"), [
    (b"a,b\n1,2\n\n", (False, False, 3)),  # blank lines at the end move no row
    (b"a,b\n1,2\n\n \r\n  \n", (False, False, 5)),
    (b"a,b\n\n1,2\n", (True, False, 3)),
    (b"\na,b\n1,2\n", (True, False, 3)),
    (b"a\tb\n1\t2\n\n\t\n", (True, False, 4)),  # a line of tabs is data in a tab-separated file
    (b"a,b\r\n1,2\r\n", (False, False, 2)),
    (b"a,b\r1,2\r", (False, True, 1)),
    (b"a,b\n1,2", (False, False, 2)),  # a last line without a line feed counts
])
def test_lines_blank_lines_and_lone_carriage_returns_are_found(tmp_path, monkeypatch, data,
                                                                found):
    path = write(tmp_path, data)
    for chunk in (1, 2, 3, 7, 64):
        monkeypatch.setattr(filescan, "SCAN_CHUNK", chunk)
        monkeypatch.setattr(filescan, "COUNT_CHUNK", chunk)
        lines, lone_cr = filescan.count_lines(path)
        assert (filescan.blank_line_before_data(path, lone_cr), lone_cr, lines) == found


def repeated_header_by_the_rule(raw: pd.DataFrame, labels=None) -> np.ndarray:
    """The rule applied to every cell, with no quick first pass."""
    hits = np.zeros(len(raw), dtype=int)
    for col in raw.columns:
        names = sorted({col.lower(), (labels or {}).get(col, col).lower()})
        cell = raw[col].str.strip().str.lower()
        hits += (cell.isin(names) | cell.str.match("|".join(re.escape(f"{n} ") for n in names))
                 ).to_numpy()
    return hits >= max(2, raw.shape[1] / 2)


@pytest.mark.parametrize("categorical", [None, "city"])
def test_repeated_header_found_in_any_case_spacing_or_look_alike_letters(categorical):
    raw = pd.DataFrame({  # only two columns are searched for candidate rows (categoricals first)
        "id": ["\u0130D", "x", "x", "\u3000id", "ID", "x", "x", "\tid\n"],
        "kind": ["x", "K\u0130ND", "\xa0Kind\t", "x", "Kind  City", "kinder", "IED", "\u212aIND"],
        "city": ["CITY", "City", "  city", "city", "Baghdad", "City", "city", "x"],
    }, dtype=STR_DTYPE)
    if categorical:
        raw[categorical] = raw[categorical].astype("category")
    expected = repeated_header_by_the_rule(raw)
    assert expected.tolist() == [True, True, True, True, True, False, False, True]
    np.testing.assert_array_equal(format_module._repeated_header(raw), expected)
    labels = {"kind": "Attack Type"}
    raw.loc[5, "kind"] = "ATTAC\u212a TYPE"
    expected = repeated_header_by_the_rule(raw, labels)
    assert expected[5]
    np.testing.assert_array_equal(format_module._repeated_header(raw, labels), expected)


def test_parquet_text_columns_come_as_categoricals_other_columns_as_written(tmp_path):
    table = pd.DataFrame({"event_id": ["A", "B"], "country": ["Iraq", "Iraq"],
                          "killed": pd.array([1, None], "Int64"),
                          "date": pd.to_datetime(["2020-12-20", "2021-01-03"]),
                          "location": pd.Categorical(["Basra", None])})
    table.to_parquet(tmp_path / "log.parquet")
    opened = Opened(tmp_path / "log.parquet", "parquet", "log.parquet", tmp_path)
    raw = read_parquet(opened, dictionaries=INCIDENTS_FORMAT.repeated)
    assert isinstance(raw["country"].dtype, pd.CategoricalDtype)
    assert raw["country"].tolist() == ["Iraq", "Iraq"]
    pd.testing.assert_frame_equal(raw.drop(columns="country"),
                                  pd.read_parquet(tmp_path / "log.parquet").drop(columns="country"))


# --------------------------------------------------------------------------------------
# Real data beside the project (skipped when ../shared/data/real is absent)


def need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path


@pytest.mark.real_data
def test_real_ucdp_syria_reads_every_event(real_data):
    result = load_events(need(real_data / "ucdp_ged_syria_2016_2019" / "ged191_syria.csv"),
                         format="ucdp", errors="collect")
    events = result.events
    assert (result.rows_read, len(events), len(result.rejected)) == (16_566, 16_566, 0)
    assert ymd(pd.Series([events["date_start"].min(), events["date_end"].max()])) == [
        "2016-01-01", "2019-12-01"]
    counts = events["date_precision"].value_counts().to_dict()
    # raw date_prec: 1 -> 15,480; 2 -> 828 and 5 -> 51 (both "range"); 4 -> 186; 3 -> 21
    assert counts == {"day": 15_480, "range": 828 + 51, "month": 186, "week": 21, "year": 0}


@pytest.mark.real_data
def test_real_ucdp_syria_ranges_are_kept(real_data):
    path = need(real_data / "ucdp_ged_syria_2016_2019" / "ged191_syria.csv")
    raw = pd.read_csv(path, dtype=str, usecols=["id", "date_start", "date_end"])
    events = read_ucdp_ged(path)
    assert events["event_id"].tolist() == raw["id"].tolist()
    spread = (raw["date_start"] != raw["date_end"]).to_numpy()
    assert spread.sum() > 1_000
    assert ymd(events["date_start"][spread]) == raw["date_start"][spread].tolist()
    assert ymd(events["date_end"][spread]) == raw["date_end"][spread].tolist()


@pytest.mark.real_data
def test_real_sigacts_strict_read_reports_the_repeated_headers(real_data):
    path = need(real_data / "iraq_sigacts_2004_2007" / "sigacts_iraq_2004_2007.csv")
    with pytest.raises(DataError, match="repeated header row"):
        read_sigacts(path)


@pytest.mark.real_data
def test_real_sigacts_collect_sets_aside_every_repeated_header(real_data):
    path = need(real_data / "iraq_sigacts_2004_2007" / "sigacts_iraq_2004_2007.csv")
    result = load_events(path, format="sigacts", errors="collect")
    assert result.rows_read == 162_852
    assert (result.rejected["problem"] == "repeated header row").sum() == 4_826
    assert len(result.rejected) == 4_826
    assert len(result.events) == 158_026


# --------------------------------------------------------------------------------------
# python -m analysis validate


def test_cli_validate_good_file_reports_and_exits_0(capsys):
    code = main(["validate", str(INCIDENTS_OK)])
    out = capsys.readouterr().out
    assert code == 0
    assert "rows read:      6" in out and "events kept:    6" in out
    assert "date range:     2019-11-01 to 2021-03-03" in out
    assert "date precision: day 4, week 1, month 1" in out
    assert "rows rejected:  0" in out


def test_cli_validate_other_formats(capsys):
    assert main(["validate", str(ACLED), "--format", "acled"]) == 0
    assert "date precision: day 3, week 2, month 1" in capsys.readouterr().out
    assert main(["validate", str(GDELT), "--format", "gdelt"]) == 0
    assert "rows read:      5" in capsys.readouterr().out


def test_cli_validate_bad_file_lists_the_reasons_and_exits_1(tmp_path, capsys):
    path = incident_file(tmp_path, b"TEST-02,2021-02-31,day,1,33.3,https://example.org/b\n",
                         b"TEST-03,2020-12-22,day,-1,33.3,https://example.org/c\n")
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "rows rejected:  2" in out
    assert "value could not be read (date): 1 row(s), e.g. row 3 '2021-02-31'" in out
    assert "negative count (killed): 1 row(s), e.g. row 4 '-1'" in out


def test_cli_validate_prints_no_control_characters_from_the_file(tmp_path, capsys):
    """A bad value carrying an ANSI escape (clear the screen, red text) or a carriage return is
    shown as codes: the terminal is never driven by the file."""
    path = incident_file(tmp_path, b"TEST-02,\x1b[2J\x1b[31m2021-02-31\r,day,1,33.3,"
                                   b"https://example.org/b\n")
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "\x1b" not in out and "\r" not in out
    assert "\\x1b[2J\\x1b[31m2021-02-31" in out


def test_cli_validate_missing_file_exits_2_with_an_error(tmp_path, capsys):
    code = main(["validate", str(tmp_path / "nowhere.csv")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("error: ") and "file not found" in captured.err


def test_cli_validate_passes_the_encoding(tmp_path, capsys):
    path = write(tmp_path, b"event_id,date,location\nTEST-01,2020-12-20,Caf\xe9 Square\n")
    assert main(["validate", str(path)]) == 2
    assert "UTF-8" in capsys.readouterr().err
    assert main(["validate", str(path), "--encoding", "cp1252"]) == 0


# --------------------------------------------------------------------------------------
# write_csv / neutralize_formulas


@pytest.mark.parametrize("cell", ["=SUM(A1:A3)", "+1-1", "-2+3", "@cmd", "\tTAB", "\rCR",
                                  "\uff1dcmd|' /C calc'!A0", "\uff0b1", "\uff0d1", "\uff20SUM(1)"])
def test_formula_like_text_gets_an_apostrophe(cell):
    assert neutralize_formulas(pd.Series([cell])).tolist() == ["'" + cell]


def test_ordinary_text_and_blanks_are_untouched():
    values = pd.Series(["Green Zone", "Kata'ib Hezbollah", "2020-12-20", "a=b", None])
    out = neutralize_formulas(values)
    assert out.tolist()[:4] == values.tolist()[:4]
    assert pd.isna(out.iloc[4])


def test_write_csv_neutralises_text_but_not_numbers_or_dates(tmp_path):
    table = pd.DataFrame({"event_id": ["=1+1", "TEST-02"], "killed": pd.array([-1, 2], "Int64"),
                          "latitude": [-33.5, 33.3],
                          "date": pd.to_datetime(["2020-12-20", "2021-01-03"])})
    path = write_csv(table, tmp_path / "out" / "events.csv")
    assert path.read_bytes() == (b"event_id,killed,latitude,date\n"
                                 b"'=1+1,-1,-33.5,2020-12-20\n"
                                 b"TEST-02,2,33.3,2021-01-03\n")


def test_write_csv_neutralises_headers_and_categorical_text(tmp_path):
    """A column named like a formula, and text held as a categorical (as the readers keep
    repeated text), are made safe too."""
    table = pd.DataFrame({"=extra_header()": ["a"], "@x": ["b"],
                          "actor": pd.Categorical(["=HYPERLINK(\"http://x\")"]),
                          "-3": pd.Categorical([-3])})
    text = write_csv(table, tmp_path / "out.csv").read_text()
    assert text.splitlines()[0] == "'=extra_header(),'@x,actor,'-3"
    assert text.splitlines()[1] == "a,b,\"'=HYPERLINK(\"\"http://x\"\")\",-3"


def test_write_csv_does_not_modify_its_input(tmp_path):
    table = pd.DataFrame({"notes": ["=cmd", "fine"]})
    before = table.copy(deep=True)
    write_csv(table, tmp_path / "out.csv")
    pd.testing.assert_frame_equal(table, before)


def test_write_csv_output_reads_back_as_the_same_events(tmp_path):
    table = read_events(INCIDENTS_OK)
    back = read_events(write_csv(table, tmp_path / "events.csv"))
    pd.testing.assert_frame_equal(back, table)


def test_data_rows_are_numbered_from_2_below_the_header():
    assert np.array_equal(read_text_table(INCIDENTS_OK)[1], np.arange(2, 8))


def test_text_columns_come_in_one_piece_from_many_blocks_and_row_groups(tmp_path, monkeypatch):
    # rows are taken from the event table (flag_violations); a chunked column joins its
    # chunks on every take, so the readers join them once
    monkeypatch.setattr(arrow_csv, "ARROW_BLOCK", 256)
    table = read_events(INCIDENTS_OK)
    assert table["event_id"].array._pa_array.num_chunks == 1
    raw, _ = read_text_table(INCIDENTS_OK, parsed=["date"])
    assert raw["event_id"].array._pa_array.num_chunks == 1
    assert raw["date"].array._pa_array.num_chunks > 1  # left to be parsed
    table.to_parquet(tmp_path / "events.parquet", row_group_size=5)
    back = read_events(tmp_path / "events.parquet")
    assert back["source_url"].array._pa_array.num_chunks == 1
    pd.testing.assert_frame_equal(back, table)
