"""Every reader on a generated corpus of bad and unusual files (tests/corpus.py).

Each file ends as one of three things, and the test fails on anything else:

* a read checked value by value against the events the generator wrote (no row lost, added or
  merged; nothing rejected);
* a reported rejection: exactly the rows the generator damaged are set aside, naming the
  column(s), and every other event is read value by value;
* a :class:`~analysis.schema.DataError` that names the file and says what was wrong.

A foreign exception (pandas, pyarrow, zipfile, openpyxl, UnicodeDecodeError ...) fails the
test, and so does a silent change.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from corpus import ERROR, LAYOUT, READ, REJECTED, Variant, all_variants, to_text, wide_file

from analysis.cli import main
from analysis.io.load import load_events
from analysis.schema import DataError

VARIANTS = all_variants()
_PLAIN: dict[str, pd.DataFrame] = {}


def test_the_corpus_covers_every_reader():
    assert len(VARIANTS) >= 500, len(VARIANTS)
    for fmt in LAYOUT:
        kinds = {v.outcome for v in VARIANTS if v.fmt == fmt}
        assert kinds == {READ, REJECTED, ERROR}, (fmt, kinds)


def _read(path, variant: Variant):
    options = {"format": "auto", **variant.options}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_events(path, errors="collect", **options)


def _plain(fmt: str, tmp_path) -> pd.DataFrame:
    if fmt not in _PLAIN:
        plain = next(v for v in VARIANTS if v.fmt == fmt and v.name == "plain")
        folder = tmp_path / "plain"
        folder.mkdir()
        _PLAIN[fmt] = _read(plain.write(folder), plain).events
    return _PLAIN[fmt]


def _value(value):
    """A read cell as the generator writes it: None for missing, a date as ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _check_events(got: pd.DataFrame, expected: dict[str, dict], variant: Variant) -> None:
    ids = got["event_id"].tolist()
    assert sorted(ids) == sorted(expected), f"events read {ids}; expected {list(expected)}"
    rows = got.set_index("event_id")
    for event_id, values in expected.items():
        for column, want in values.items():
            if column == "event_id":
                continue
            have = _value(rows.at[event_id, column])
            assert have == want, f"{event_id} {column}: read {have!r}, written {want!r}"
    for column, values in variant.extra.items():
        assert column in rows.columns, (column, list(rows.columns))
        for event_id, want in values.items():
            assert _value(rows.at[event_id, column]) == want, (event_id, column)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.id)
def test_variant(variant: Variant, tmp_path):
    path = variant.write(tmp_path)
    try:
        result = _read(path, variant)
    except DataError as exc:
        assert variant.outcome == ERROR, f"unexpected DataError: {exc}"
        text = str(exc)
        assert variant.message.lower() in text.lower(), text
        assert path.name in text, f"the file is not named: {text}"
        return
    assert variant.outcome != ERROR, (
        f"read without complaint ({result.recognised}); expected an error "
        f"saying {variant.message!r}: {result.events.head().to_dict('records')}")
    assert result.format == variant.fmt, result.recognised
    rejected = result.rejected
    reported_rows = rejected["row"].nunique()
    assert result.rows_read == len(result.events) + reported_rows + result.rows_folded
    assert result.rows_folded == variant.folded
    if variant.outcome == READ:
        assert rejected.empty, rejected.to_string()
    else:
        named = {int(row): set(group["column"]) for row, group in rejected.groupby("row")}
        assert set(named) == set(variant.rejected), rejected.to_string()
        for row, columns in variant.rejected.items():
            assert columns <= named[row], (row, columns, rejected.to_string())
        assert rejected["problem"].astype(str).str.len().gt(0).all()
    _check_events(result.events, variant.events, variant)
    for note in variant.notes:
        assert any(note in n for n in result.notes), (note, result.notes)
    if variant.plain:
        plain = _plain(variant.fmt, tmp_path)
        pd.testing.assert_frame_equal(
            result.events.drop(columns=["source_file"], errors="ignore"),
            plain.drop(columns=["source_file"], errors="ignore"), check_categorical=False)


VALIDATED = ("plain", "zip", "xlsx_typed_cells", "short_row", "unbalanced_quote_swallows_rows",
             "empty_file", "duplicate_header", "date_30_february", "parquet_cut_short",
             "null_0_na_in_text", "blank_id", "required_column_missing", "row_of_60_fields",
             "gdelt1_57_columns")


@pytest.mark.parametrize("fmt", list(LAYOUT))
def test_validate_on_the_corpus(fmt, tmp_path, capsys):
    """The CLI on a file of each kind: the exit code, what was recognised, and rows read =
    kept + reported."""
    chosen = [v for v in VARIANTS if v.fmt == fmt and v.name in VALIDATED]
    assert len(chosen) >= 7, [v.name for v in chosen]
    for variant in chosen:
        folder = tmp_path / variant.name
        folder.mkdir()
        path = variant.write(folder)
        given = {k: v for k, v in variant.options.items() if k == "encoding"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main(["validate", str(path), *(f"--{k}={v}" for k, v in given.items())])
        out, err = capsys.readouterr()
        if variant.outcome == ERROR:
            assert code == 2 and "error" in err.lower() and path.name in err, (variant.id, err)
            continue
        assert code == (0 if variant.outcome == READ else 1), (variant.id, code, out, err)
        assert "format:" in out and path.name in out, out
        figures = {}
        for line in out.splitlines():
            key, _, rest = line.strip().partition(":")
            if key in ("rows read", "events kept", "rows rejected", "rows folded"):
                figures[key] = int(rest.split()[0].replace(",", ""))
        assert figures["rows read"] == (figures["events kept"] + figures["rows rejected"]
                                        + figures.get("rows folded", 0)), out
        assert figures["events kept"] == len(variant.events), out


@pytest.mark.parametrize("known", [False, True])
def test_a_file_of_50000_columns_is_refused(tmp_path, known):
    with pytest.raises(DataError, match="50,002 columns|50,000 columns") as caught:
        load_events(wide_file(tmp_path, known=known))
    assert "wide.csv" in str(caught.value) and "16,384" in str(caught.value)


def test_a_known_header_with_16000_more_columns_is_read(tmp_path):
    result = load_events(wide_file(tmp_path, columns=16_000, known=True))
    events = result.events
    assert events["event_id"].tolist() == ["TEST-1"]
    assert events["date"].tolist() == [pd.Timestamp("2020-12-20")]
    extra = [f"c{i}" for i in range(16_000)]
    assert events[extra].iloc[0].tolist() == ["1"] * 16_000


def test_a_long_file_reads_every_row(tmp_path):
    rows = [["event_id", "date", "killed"]] + [[f"E{i}", "2020-12-20", str(i % 7)]
                                              for i in range(200_000)]
    path = tmp_path / "long.csv"
    path.write_text(to_text(rows, ","))
    result = load_events(path)
    assert len(result.events) == 200_000
    assert result.events["killed"].sum() == sum(i % 7 for i in range(200_000))
    assert result.events["event_id"].iloc[[0, -1]].tolist() == ["E0", "E199999"]
