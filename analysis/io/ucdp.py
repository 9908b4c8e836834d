"""UCDP Georeferenced Event Dataset (GED) files, versions 5.0 and 17.1 to the latest, and the
monthly candidate releases (``GEDEvent_v..``). Licence of the data: CC BY 4.0.

Mapping: ``id`` → ``event_id``; ``date_start`` → ``date`` and ``date_start``; ``date_end``
kept; ``date_prec`` 1 (exact day) → day, 2 (2–6 days) → range, 3 (week) → week, 4 (month) →
month, 5 (longer) → range; ``side_a`` → ``actor``, ``side_b`` → ``target``;
``type_of_violence`` 1/2/3 → state-based / non-state / one-sided as ``event_type``;
``best`` → ``killed``, ``low`` → ``killed_low``, ``high`` → ``killed_high``; ``adm_1`` →
``admin1``; ``where_coordinates`` → ``location``; ``country_id`` (a Gleditsch–Ward number)
→ ``country_iso3``; ``source_office`` → ``source``; ``source_headline`` → ``notes``. UCDP
codes actors from its sources, so attribution is ``attributed`` (``unknown`` where a
file has no ``side_a``).

Column names across versions: GED 17.1 and later name the actor and conflict ids
``*_new_id`` and (from 19.1) also ``*_dset_id``; GED 5.0 and earlier releases wrote
``best_est``, ``low_est``, ``high_est``; files derived from GED often keep one ``date``
(read as ``date_start``); all are read (see :data:`ALIASES`). The UCDP API's JSON
(``{"Result": [...]}``) has the CSV's column names and is read the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.dates import DateRules
from analysis.io.format import Format, Mapped, rest, text
from analysis.schema import EVENT_COLUMNS
from analysis.values import STR_DTYPE

PRECISION = {"1": "day", "2": "range", "3": "week", "4": "month", "5": "range"}
VIOLENCE = {"1": "state-based", "2": "non-state", "3": "one-sided"}
COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)
ALIASES = {"best_est": "best", "low_est": "low", "high_est": "high", "ged_id": "id",
           # files derived from GED (dashboards, samples) that keep one date per event
           "date": "date_start"}


def to_events(raw: pd.DataFrame, rows: np.ndarray) -> Mapped:
    """UCDP GED's columns as the canonical event table (``rows``: each row's line in the file)."""
    from analysis.io.countries import iso3_from_gwno

    prec = text(raw, "date_prec").astype(STR_DTYPE).str.strip()
    violence = text(raw, "type_of_violence").astype(STR_DTYPE).str.strip()
    table = pd.DataFrame({
        "event_id": raw["id"] if "id" in raw.columns else raw["relid"],
        "date": raw["date_start"],
        "date_start": raw["date_start"],
        "date_end": text(raw, "date_end"),
        "date_precision": prec.map(PRECISION).fillna(prec),
        "country": text(raw, "country"),
        "country_iso3": iso3_from_gwno(text(raw, "country_id")),
        "admin1": text(raw, "adm_1"),
        "location": text(raw, "where_coordinates"),
        "latitude": text(raw, "latitude"),
        "longitude": text(raw, "longitude"),
        "actor": text(raw, "side_a"),
        "attribution": np.where(text(raw, "side_a").astype(STR_DTYPE).str.strip()
                                .fillna("").ne("").to_numpy(bool), "attributed", "unknown"),
        "target": text(raw, "side_b"),
        "event_type": violence.map(VIOLENCE).fillna(violence),
        "killed": text(raw, "best"),
        "killed_low": text(raw, "low"),
        "killed_high": text(raw, "high"),
        "source": text(raw, "source_office"),
        "notes": text(raw, "source_headline"),
        "dataset": "ucdp_ged",
    }, index=raw.index)
    used = {"id", "date_start", "date_end", "date_prec", "country", "adm_1", "where_coordinates",
            "latitude", "longitude", "side_a", "side_b", "type_of_violence", "best", "low",
            "high", "source_office", "source_headline"}
    extra, notes = rest(raw, used, set(EVENT_COLUMNS))
    absent = [c for c in ("date_prec", "side_a", "best") if c not in raw.columns]
    if "id" not in raw.columns:
        notes.append("no id column: relid (UCDP's unique text id) read as event_id")
    if absent:
        notes.append(f"no {', '.join(absent)} column: left blank"
                     + (" (every date read as precise to the day)" if "date_prec" in absent else ""))
    return Mapped(pd.concat([table, extra], axis=1), rows, notes)


FORMAT = Format(
    name="ucdp",
    title="UCDP GED",
    columns=COLUMNS,
    required=("id|relid", "date_start", "type_of_violence"),
    to_events=to_events,
    aliases=ALIASES,
    dates=DateRules(dayfirst=None, partial=False),
    repeated=("year", "active_year", "code_status", "type_of_violence", "conflict_name",
              "dyad_name", "side_a", "side_b", "where_prec", "adm_1", "adm_2", "country",
              "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
              "best", "high", "low", "source_office"),
    parsed=("date_start", "date_end", "best", "low", "high", "latitude", "longitude"),
    numbers=("latitude", "longitude"),
)
