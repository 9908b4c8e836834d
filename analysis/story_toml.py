"""Reading ``story.toml``: every table and key known and of its type, days that are whole
days, periods in order, with the closest valid key named when one is misspelled."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from analysis.schema import DataError
from analysis.values import closest

#: the tables of ``story.toml``, their keys and each key's type
KEYS: dict[str, dict[str, type]] = {
    "story": {"title": str, "subject": str, "one": str, "what": str, "place": str,
              "period": list, "source": str, "intro": str, "truce_question": str,
              "anniversary_question": str, "trend_question": str},
    "data": {"events": str, "events_sha256": str, "counts": str, "counts_sha256": str,
             "format": str, "date_column": str,
             "count_columns": list, "truces": str, "key_dates": str, "aliases": str},
    "analysis": {"chart_period": list, "story_event": str, "key_date_ids": list,
                 "religious_ids": list, "category": str, "trend_freq": str,
                 "anniversary_weeks": list},
}
REQUIRED = {"story": ("title", "subject", "what")}
FORMATS = ("auto", "incidents", "acled", "ucdp", "gdelt", "sigacts")
TREND_FREQS = ("D", "W", "MS")


def checked_tables(settings: dict, source: Path) -> dict[str, dict]:
    """The three tables, every key known and of its type, the required keys present."""
    unknown = [t for t in settings if t not in KEYS]
    if unknown:
        raise DataError(f"unknown table [{unknown[0]}]", source=str(source),
                        expected="the tables [story], [data] and [analysis]"
                        + closest_hint(unknown[0], KEYS))
    out = {}
    for table, known in KEYS.items():
        given = settings.get(table, {})
        if not isinstance(given, dict):
            raise DataError(f"{table} is not a table", source=str(source),
                            expected=f"a [{table}] table of key = value lines")
        for key, value in given.items():
            if key not in known:
                raise DataError(f"[{table}] has an unknown key {key!r}", source=str(source),
                                column=key, expected="one of " + ", ".join(known)
                                + closest_hint(key, known))
            if not isinstance(value, known[key]):
                raise DataError(f"[{table}] {key} is a {type(value).__name__}", source=str(source),
                                column=key, values=[value],
                                expected=f"a {known[key].__name__} (see analysis/story.py)")
        for key in REQUIRED.get(table, ()):
            if not str(given.get(key, "")).strip():
                raise DataError(f"[{table}] {key} is missing", source=str(source), column=key,
                                expected=f"{key} = \"...\" under [{table}]")
        out[table] = dict(given)
    return out


def toml_day(value: object, where: str, source: Path) -> str:
    """A whole day as ``YYYY-MM-DD`` (a TOML date, or text that reads as one)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat() if re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", str(value)) else _bad_day(value, where, source)
    except ValueError:
        return _bad_day(value, where, source)


def _bad_day(value: object, where: str, source: Path):
    raise DataError(f"{where}: {value!r} is not a day", source=str(source), values=[value],
                    expected="a day written YYYY-MM-DD that exists in the calendar (a month "
                    "alone, 2020-10, is not a day)")


def toml_period(value: list | None, where: str, source: Path) -> tuple[str | None, str | None]:
    """A ``[start, end]`` pair of days (``""`` for an open end), checked: start <= end."""
    if value is None:
        return None, None
    if len(value) != 2:
        raise DataError(f"{where} has {len(value)} value(s)", source=str(source), values=value,
                        expected='two days: ["YYYY-MM-DD", "YYYY-MM-DD"] ("" for open)')
    start, end = (None if v in ("", None) else toml_day(v, where, source) for v in value)
    if start and end and start > end:
        raise DataError(f"{where} starts after it ends", source=str(source), values=value,
                        expected="the first day, then the last")
    return start, end


def header_only(path: Path) -> bool:
    """Whether a CSV table holds a header and no data row yet (a table ``new`` wrote)."""
    with Path(path).open(encoding="utf-8-sig") as fh:
        return not any(line.strip() for line in list(fh)[1:])


def singular(plural: str) -> str:
    """A plural noun's singular, for the regular English forms (``clashes`` -> ``clash``)."""
    if re.search(r"(ss|sh|ch|x|z)es$", plural):
        return plural[:-2]
    if plural.endswith("ies") and len(plural) > 4:
        return plural[:-3] + "y"
    return plural[:-1] if plural.endswith("s") and not plural.endswith("ss") else plural


def closest_hint(word: str, choices) -> str:
    """" (did you mean 'X'?)" for the choice closest to ``word``, or ""."""
    near = closest(word, choices)
    return f" (did you mean {near!r}?)" if near else ""
