"""Every format read from every container a journalist gets it in: gzip, zip, .xlsx, .xls and an
http(s) address (served here from 127.0.0.1), giving the same events as the plain text file."""

import csv
import functools
import gzip
import http.server
import socket
import threading
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwt

from analysis.io.load import load_events
from analysis.schema import DataError

FIXTURES = Path(__file__).parent / "fixtures"
SIGACTS_ROWS = [["time", "event_type", "target", "city"],
                ["2004-01-01 00:20:00", "IED", "Coalition Forces", "Baghdad"],
                ["2004-01-01 00:45:00", "Small Arms", "Iraqi Security Forces", ""],
                ["2004-01-02 13:05:00", "Indirect Fire", "Coalition Forces", "Balad"]]


def _text(tmp_path: Path, name: str) -> Path:
    if name == "sigacts.csv":  # synthetic rows in the SIGACT table's layout
        path = tmp_path / name
        with path.open("w", newline="") as fh:
            csv.writer(fh).writerows(SIGACTS_ROWS)
        return path
    return FIXTURES / name


FILES = {"incidents": "incidents_ok.csv", "acled": "acled_sample.csv", "ucdp": "ucdp_sample.csv",
         "gdelt": "gdelt_sample.export.CSV", "sigacts": "sigacts.csv"}


def _rows(path: Path) -> list[list[str]]:
    delimiter = "\t" if path.name.endswith(".export.CSV") else ","
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def _gz(path: Path, folder: Path) -> Path:
    out = folder / (path.name + ".gz")
    out.write_bytes(gzip.compress(path.read_bytes(), mtime=0))
    return out


def _zip(path: Path, folder: Path) -> Path:
    out = folder / (path.name + ".zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(path, path.name)
    return out


def _xlsx(path: Path, folder: Path) -> Path:
    # every cell as the text of the file, as a spreadsheet keeps an export typed as text
    book = openpyxl.Workbook()
    for row in _rows(path):
        book.active.append(row)
    out = folder / (path.stem + ".xlsx")
    book.save(out)
    return out


def _xls(path: Path, folder: Path) -> Path:
    book = xlwt.Workbook()
    sheet = book.add_sheet("export")
    for i, row in enumerate(_rows(path)):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    out = folder / (path.stem + ".xls")
    book.save(str(out))
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An http server on 127.0.0.1 serving a temporary folder; yields (folder, base url)."""
    folder = tmp_path_factory.mktemp("served")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _comparable(events: pd.DataFrame) -> pd.DataFrame:
    return events.reset_index(drop=True)


@pytest.mark.parametrize("container", ["gz", "zip", "xlsx", "xls", "zip_of_gz_name"])
@pytest.mark.parametrize("fmt", sorted(FILES))
def test_every_format_reads_the_same_from_every_container(tmp_path, fmt, container):
    plain = _text(tmp_path, FILES[fmt])
    expected = load_events(plain, format=fmt)
    if container == "zip_of_gz_name":  # a zip whose one member is itself gzipped
        packed = _zip(_gz(plain, tmp_path), tmp_path)
    else:
        packed = {"gz": _gz, "zip": _zip, "xlsx": _xlsx, "xls": _xls}[container](plain, tmp_path)
    for given in (fmt, "auto"):
        got = load_events(packed, format=given)
        assert got.format == fmt
        assert got.rows_read == expected.rows_read and got.rejected.empty
        pd.testing.assert_frame_equal(_comparable(got.events), _comparable(expected.events))
    if container in ("gz", "zip", "zip_of_gz_name"):
        assert any("decompressed" in n or "unzipped" in n or "zip" in n for n in got.notes), got.notes


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_every_format_reads_from_an_http_address(tmp_path, server, fmt):
    folder, base = server
    plain = _text(tmp_path, FILES[fmt])
    served = _gz(plain, folder)
    got = load_events(f"{base}/{served.name}")
    expected = load_events(plain, format=fmt)
    assert got.format == fmt and got.source == f"{base}/{served.name}"
    pd.testing.assert_frame_equal(_comparable(got.events), _comparable(expected.events))
    assert any(n.startswith(f"downloaded from {base}") for n in got.notes)


def test_a_missing_address_names_the_server_answer(server):
    _, base = server
    with pytest.raises(DataError, match="404") as info:
        load_events(f"{base}/no-such-export.csv")
    assert f"{base}/no-such-export.csv" in str(info.value)


def test_an_unreachable_address_is_a_clear_error_not_a_traceback():
    with socket.socket() as s:  # a port on 127.0.0.1 that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"https://127.0.0.1:{port}/acled_export.csv"
    with pytest.raises(DataError, match="could not download") as info:
        load_events(url)
    message = str(info.value)
    assert url in message and "download the file and give its path" in message


def test_an_address_through_the_cli_reports_what_was_recognised(tmp_path, server, capsys):
    from analysis.cli import main

    folder, base = server
    served = _zip(FIXTURES / "acled_sample.csv", folder)
    assert main(["validate", f"{base}/{served.name}"]) == 0
    out = capsys.readouterr().out
    assert "acled" in out.lower() and served.name in out


# --------------------------------------------------------------------------------------
# JSON: the providers' APIs and dashboards' files

def _acled_records() -> list[dict]:
    """The ACLED fixture as the ACLED API gives it: one object per event (numbers as numbers)."""
    rows = _rows(FIXTURES / "acled_sample.csv")
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    for r in records:
        r["fatalities"] = int(r["fatalities"])
        r["latitude"], r["longitude"] = float(r["latitude"]), float(r["longitude"])
    return records


@pytest.mark.parametrize("layout", ["array", "acled_api", "ucdp_api", "lines"])
def test_json_records_read_like_the_csv(tmp_path, layout):
    import json

    records = _acled_records()
    body = {"array": lambda: json.dumps(records),
            "acled_api": lambda: json.dumps({"status": 200, "success": True,
                                             "count": len(records), "data": records}),
            "ucdp_api": lambda: json.dumps({"TotalCount": len(records), "Result": records}),
            "lines": lambda: "\n".join(json.dumps(r) for r in records) + "\n"}[layout]()
    path = tmp_path / "acled.json"
    path.write_text(body, encoding="utf-8")
    got = load_events(path)
    expected = load_events(FIXTURES / "acled_sample.csv")
    assert got.format == "acled" and got.rows_read == len(records)
    pd.testing.assert_frame_equal(_comparable(got.events), _comparable(expected.events),
                                  check_dtype=False, check_categorical=False)


def test_json_keeps_big_ids_exact_and_reads_null_as_missing(tmp_path):
    import json

    path = tmp_path / "log.json"
    path.write_text(json.dumps([
        {"event_id": 2**53 + 1, "date": "2020-12-20", "killed": None, "notes": {"a": 1}},
        {"event_id": 2**53 + 3, "date": "2020-12-21", "killed": 2.0, "notes": None}]))
    got = load_events(path)
    assert got.events["event_id"].tolist() == [str(2**53 + 1), str(2**53 + 3)]
    assert got.events["killed"].tolist() == [pd.NA, 2]
    assert got.events["notes"].iloc[0] == '{"a": 1}'


@pytest.mark.parametrize("body, message", [
    ('[{"event_id": "A", "date": "2020-12-20"', "cannot be read"),
    ('{"meta": 1}', "no array of records"),
    ('{"a": [{"x": 1}], "b": [{"y": 2}]}', "several arrays"),
    ('[1, 2]', "record 1 is a int"),
    ('[]', "no records"),
])
def test_broken_json_is_a_clear_error(tmp_path, body, message):
    path = tmp_path / "broken.json"
    path.write_text(body)
    with pytest.raises(DataError, match=message) as info:
        load_events(path)
    assert "broken.json" in str(info.value)


@pytest.mark.real_data
def test_real_ucdp_json_sample_read_value_by_value(real_data):
    import json

    path = real_data / "ucdp_ged_global_sample_1989_2024" / "events_sample.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    got = load_events(path)
    assert got.format == "ucdp" and got.rejected.empty and len(got.events) == len(records)
    events = got.events
    assert events["event_id"].tolist() == [str(r["id"]) for r in records]
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == [r["date"] for r in records]
    assert events["killed"].tolist() == [r["best"] for r in records]
    assert events["latitude"].tolist() == [r["latitude"] for r in records]
    assert events["longitude"].tolist() == [r["longitude"] for r in records]
    assert events["country"].astype(str).tolist() == [r["country"] for r in records]
    assert events["country_iso3"].notna().all()
    assert events["event_type"].astype(str).tolist() == [
        {1: "state-based", 2: "non-state", 3: "one-sided"}[r["type_of_violence"]] for r in records]
    assert any("date_prec" in n for n in got.notes)  # every date read as precise to the day, said


def test_read_functions_warn_how_the_file_was_read(tmp_path):
    from analysis.io import read_events
    from analysis.schema import DataWarning

    path = tmp_path / "log.csv"
    path.write_text("event_id,date,killed\nA,31/12/2020,NA\nB,3/5/2020,2\n")
    with pytest.warns(DataWarning, match="day-first") as record:
        events = read_events(path)
    assert any("'NA'" in str(w.message) or "NA" in str(w.message) for w in record)
    assert events["date"].tolist() == [pd.Timestamp("2020-12-31"), pd.Timestamp("2020-05-03")]
    with zipfile.ZipFile(tmp_path / "clean.zip", "w") as z:  # how a file was reached: silent
        z.writestr("clean.csv", "event_id,date\nA,2020-12-31\n")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        read_events(tmp_path / "clean.zip")
