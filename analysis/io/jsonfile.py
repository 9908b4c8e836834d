"""JSON event files: what the providers' APIs return, and what dashboards keep.

Read: an array of objects (one per event), an object holding such an array (the UCDP API's
``{"Result": [...]}``, the ACLED API's ``{"data": [...]}``), or one object per line (JSON
Lines), or objects separated by commas with no enclosing brackets (an array's records
copied out of it). Each object is a row and its keys the columns (in the order first seen); values are
read as the text a CSV export would hold (``null`` → blank, ``7`` → ``7``, ``7.0`` → ``7``),
and a nested value is kept as its JSON text. The rows are numbered from 1 in the order of the
records.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.schema import DataError
from analysis.values import STR_DTYPE

#: keys under which the providers' APIs put their records
ENVELOPES = ("Result", "data", "results", "events", "records")


def is_json(path: Path) -> bool:
    """Whether a text file holds JSON (its first visible character opens an array or object)."""
    with path.open("rb") as fh:
        head = fh.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"[", b"{")


def read_json(path: Path, source: str, encoding: str | None = None):
    """The records of a JSON file as a table of text, with their numbers and a note."""
    from analysis.io.text import RawText

    try:
        text = path.read_bytes().decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"the JSON is not {encoding or 'UTF-8'} text (byte {exc.start})",
                        source=source, expected="JSON in UTF-8, as the JSON standard asks"
                        ) from None
    records, how = _records(text, source)
    if not records:
        raise DataError("the JSON file holds no records", source=source,
                        expected="an array of objects, one per event")
    bad = [i for i, r in enumerate(records) if not isinstance(r, dict)]
    if bad:
        raise DataError(f"record {bad[0] + 1} is a {type(records[bad[0]]).__name__}, not an "
                        "object", source=source, expected="one object per event, its keys the "
                        "column names")
    # columns in the order first seen; values kept as Python objects (an id of 2**53 + 1
    # stays exact), then written as a CSV export would write them
    frame = pd.DataFrame(records, dtype=object)
    for col in frame.columns:
        frame[col] = frame[col].map(_text, na_action="ignore").astype(STR_DTYPE).fillna("")
    return RawText(frame, np.arange(1, len(records) + 1)), [
        f"read {len(records):,} records from JSON ({how}); rows are numbered by record"]


def _records(text: str, source: str) -> tuple[list, str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole:
        lines = [line for line in text.splitlines() if line.strip()]
        try:  # JSON Lines: one object per line
            return [json.loads(line) for line in lines], "one object per line"
        except json.JSONDecodeError:
            pass
        try:  # the records of an array without its brackets ({...},\n{...}), as copied out
            records = json.loads("[" + text.strip().removesuffix(",") + "]")
            if text.lstrip().startswith("{") and all(isinstance(r, dict) for r in records):
                return records, "objects separated by commas, with no enclosing [ ]"
        except json.JSONDecodeError:
            pass
        raise DataError(f"the JSON cannot be read: {whole.msg} at line {whole.lineno}, "
                        f"column {whole.colno}", source=source,
                        expected="complete JSON (download the file again)") from None
    if isinstance(data, list):
        return data, "an array of objects"
    if isinstance(data, dict):
        found = [k for k in ENVELOPES if isinstance(data.get(k), list)]
        if not found:
            found = [k for k, v in data.items() if isinstance(v, list) and v
                     and isinstance(v[0], dict)]
        if len(found) == 1:
            return data[found[0]], f"the array under {found[0]!r}"
        raise DataError("the JSON object holds " + (
            f"several arrays ({', '.join(map(repr, found))})" if found else "no array of records"),
            source=source, expected="an array of objects, or an object with one such array "
            "(as the UCDP and ACLED APIs return)")
    raise DataError(f"the JSON holds a single {type(data).__name__}", source=source,
                    expected="an array of objects, one per event")


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
