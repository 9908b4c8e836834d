"""ACLED exports (the export tool, the API, and the files journalists re-save from them).

Mapping: ``event_id_cnty`` → ``event_id``; ``event_date`` → ``date`` (ACLED writes
``20 December 2020`` or ISO; spreadsheet re-saves write ``12/20/2020``, ``20-Dec-20`` ...: see
:mod:`analysis.dates`; two-digit years are checked against ``year``); ``time_precision``
1/2/3 → day/week/month (ACLED dates a week-precise event to the middle of the week and a
month-precise one to the middle of the month, so the possible range is ±3 days or the
calendar month); ``actor1`` → ``actor``, ``actor2`` → ``target``; ``inter2`` → ``target_type``
(its codebook label); ``fatalities`` → ``killed`` (ACLED records no wounded); ``iso``
(numeric ISO 3166) or ``iso3`` → ``country_iso3``; ``attribution`` is ``attributed`` when ACLED
names actor1 and ``unknown`` for its "Unidentified ..." actors. Every other column passes
through.

Layouts: the 2019–2022 export (``data_id``, ``event_id_no_cnty``, ``iso3``), the 2023+ export
(``disorder_type``, ``civilian_targeting``, ``tags``), and older releases in capitals with
``ALLY_ACTOR_1`` for ``assoc_actor_1`` and ``GWNO``. A *monadic* export (one row per actor,
no ``actor2``) is folded to one row per event: see :func:`fold_monadic`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.dates import DateRules
from analysis.io.format import Format, Mapped, rest, text
from analysis.schema import EVENT_COLUMNS
from analysis.values import STR_DTYPE

PRECISION = {"1": "day", "2": "week", "3": "month"}
#: ACLED's numeric actor-type codes (``inter1``/``inter2``) as their codebook labels (exports
#: since 2024 write the labels themselves, which pass as written)
INTER = {
    "0": "", "1": "State forces", "2": "Rebel group", "3": "Political militia",
    "4": "Identity militia", "5": "Rioters", "6": "Protesters", "7": "Civilians",
    "8": "External/Other forces",
}
COLUMNS = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
    "iso3", "gwno",
)
#: names of older releases and common re-saves (normalised) -> the current name
ALIASES = {
    "ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2",
    "eventid_cnty": "event_id_cnty",
    "lat": "latitude", "long": "longitude", "lon": "longitude",
}


def to_events(raw: pd.DataFrame, rows: np.ndarray) -> Mapped:
    """ACLED's columns as the canonical event table (``rows``: each row's line in the file)."""
    notes: list[str]
    notes, n_rows = [], len(raw)
    if "actor2" not in raw.columns and raw["event_id_cnty"].duplicated().any():
        raw, rows, notes = fold_monadic(raw, rows)
    actor = text(raw, "actor1")
    name = actor.astype(STR_DTYPE).str.strip().str.lower()
    unknown = name.str.startswith("unidentified") | (name == "")
    inter2 = text(raw, "inter2").astype(STR_DTYPE).str.strip()
    table = pd.DataFrame({
        "event_id": raw["event_id_cnty"],
        "date": raw["event_date"],
        "date_precision": _precision(raw),
        "country": text(raw, "country"),
        "country_iso3": _iso3(raw),
        "admin1": text(raw, "admin1"),
        "location": text(raw, "location"),
        "latitude": text(raw, "latitude"),
        "longitude": text(raw, "longitude"),
        "actor": actor,
        "attribution": np.where(unknown, "unknown", "attributed"),
        "target": text(raw, "actor2"),
        "target_type": inter2.map(INTER).fillna(inter2),
        "event_type": text(raw, "event_type"),
        "killed": text(raw, "fatalities"),
        "source": text(raw, "source"),
        "notes": text(raw, "notes"),
        "dataset": "acled",
    }, index=raw.index)
    used = {"event_id_cnty", "event_date", "time_precision", "country", "admin1", "location",
            "latitude", "longitude", "actor1", "event_type", "fatalities", "source", "notes"}
    extra, renamed = rest(raw, used, set(EVENT_COLUMNS))
    absent = [c for c in ("time_precision", "fatalities", "actor1") if c not in raw.columns]
    if absent:
        notes.append(f"no {', '.join(absent)} column: "
                     + ("every date read as precise to the day; " if "time_precision" in absent else "")
                     + "the other columns are left blank")
    return Mapped(pd.concat([table, extra], axis=1), rows, [*notes, *renamed],
                  folded=n_rows - len(raw))


def _precision(raw: pd.DataFrame) -> pd.Series:
    code = text(raw, "time_precision").astype(STR_DTYPE).str.strip()
    return code.map(PRECISION).fillna(code)


def _iso3(raw: pd.DataFrame) -> pd.Series:
    """ISO3 from the export's own codes: ``iso3`` where given, else the numeric ``iso``."""
    from analysis.io.countries import iso3_from_numeric

    given = text(raw, "iso3").astype(STR_DTYPE).str.strip().str.upper()
    numeric = iso3_from_numeric(text(raw, "iso"))
    return given.where(given.fillna("") != "", numeric)


def fold_monadic(raw: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """Fold a monadic export (one row per actor of each event) to one row per event.

    An event's first row gives ``actor1`` and everything else; its second row's ``actor1``,
    ``assoc_actor_1`` and ``inter1`` become ``actor2``, ``assoc_actor_2`` and ``inter2``. The
    export does not say which actor acted: the note says so. The rows of an event must agree
    on every other column (else they are duplicates, not one event's actors, and are left for
    the duplicate-id check to report).
    """
    ids = raw["event_id_cnty"]
    rank = ids.groupby(ids, sort=False, observed=True).cumcount().to_numpy()
    actor_cols = [c for c in ("actor1", "assoc_actor_1", "inter1") if c in raw.columns]
    first, second = raw[rank == 0], raw[rank == 1]
    compare = [c for c in raw.columns if c not in actor_cols and c != "event_id_cnty"]
    if (rank > 1).any() or not (
            first.set_index("event_id_cnty").loc[second["event_id_cnty"], compare].astype(STR_DTYPE)
            .equals(second.set_index("event_id_cnty")[compare].astype(STR_DTYPE))):
        return raw, rows, []
    partner = second.set_index("event_id_cnty")[actor_cols].rename(
        columns={"actor1": "actor2", "assoc_actor_1": "assoc_actor_2", "inter1": "inter2"})
    folded = first.join(partner, on="event_id_cnty").reset_index(drop=True)
    for col in partner.columns:
        folded[col] = folded[col].astype(STR_DTYPE).fillna("")
    note = (f"monadic export (one row per actor): {len(raw):,} rows folded into {len(first):,} "
            f"events ({len(second):,} with two actors). A monadic export does not say which "
            "actor acted: actor is the event's first row, target its second; use a dyadic "
            "export to know who attacked whom")
    return folded, rows[rank == 0], [note]


FORMAT = Format(
    name="acled",
    title="ACLED export",
    columns=COLUMNS,
    required=("event_id_cnty", "event_date"),
    to_events=to_events,
    aliases=ALIASES,
    dates=DateRules(dayfirst=None, year_column="year", partial=False),
    repeated=("event_date", "year", "time_precision", "disorder_type", "event_type",
              "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
              "inter2", "interaction", "civilian_targeting", "iso", "region", "country",
              "admin1", "admin2", "admin3", "location", "geo_precision", "source",
              "source_scale", "fatalities", "tags", "timestamp", "iso3"),
    parsed=("event_date", "fatalities", "latitude", "longitude"),
    numbers=("latitude", "longitude"),
)
