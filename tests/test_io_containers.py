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
