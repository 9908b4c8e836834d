"""GDELT event files: 1.0 daily and historical files (57 columns; 58 with ``SOURCEURL``, from
April 2013) and 2.0 exports (61 columns), tab-separated with no header; also the same columns
saved with a header (as BigQuery exports them).

Mapping: ``GLOBALEVENTID`` → ``event_id``; ``SQLDATE`` (YYYYMMDD) → ``date`` (day
precision); ``Actor1Name`` → ``actor``, ``Actor2Name`` → ``target``; the CAMEO root of
``EventCode`` → ``event_type`` (e.g. "Fight"; ``EventCode`` passes through);
``ActionGeo_CountryCode`` is a FIPS 10-4 code (``IZ`` Iraq, ``BY`` Burundi): ``country``
becomes its name and ``country_iso3`` its ISO code (the code passes through);
``ActionGeo_ADM1Code`` → ``admin1``; ``ActionGeo_FullName`` → ``location``; coordinates;
``SOURCEURL`` → ``source_url``. GDELT's actors are machine-coded from news text, so
attribution is ``suspected`` when Actor1 is named and ``unknown`` otherwise. GDELT has no
casualty counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.dates import DateRules
from analysis.io.format import Format, Mapped, rest, text
from analysis.schema import EVENT_COLUMNS
from analysis.values import STR_DTYPE

_ACTOR_FIELDS = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                 "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GEO_V1 = ["Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"]
_GEO_V2 = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]


def _columns(geo: list[str], tail: list[str]) -> tuple[str, ...]:
    return tuple(
        ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
        + [f"Actor1{f}" for f in _ACTOR_FIELDS] + [f"Actor2{f}" for f in _ACTOR_FIELDS]
        + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
           "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
        + [f"Actor1Geo_{f}" for f in geo] + [f"Actor2Geo_{f}" for f in geo]
        + [f"ActionGeo_{f}" for f in geo] + tail)


#: the 61 columns of a GDELT 2.0 event export, in file order (GDELT Event Codebook V2.0)
GDELT_COLUMNS = _columns(_GEO_V2, ["DATEADDED", "SOURCEURL"])
#: GDELT 1.0 (GDELT Event Codebook V1.03): 57 columns, and ``SOURCEURL`` from 1 April 2013
GDELT1_COLUMNS = _columns(_GEO_V1, ["DATEADDED"])
LAYOUTS = {61: GDELT_COLUMNS, 58: (*GDELT1_COLUMNS, "SOURCEURL"), 57: GDELT1_COLUMNS}
VERSIONS = {61: "GDELT 2.0 event export", 58: "GDELT 1.0 daily file (with SOURCEURL)",
            57: "GDELT 1.0 file (before April 2013)"}

#: CAMEO root codes (CAMEO manual 1.1b3) as labels for ``event_type``
CAMEO_ROOT = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate",
    "04": "Consult", "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield",
    "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce",
    "18": "Assault", "19": "Fight", "20": "Use unconventional mass violence",
}


def to_events(raw: pd.DataFrame, rows: np.ndarray) -> Mapped:
    """GDELT's event columns as the canonical event table (``rows``: each row's line in the file)."""
    from analysis.io.countries import from_fips

    actor = text(raw, "Actor1Name")
    root = text(raw, "EventRootCode").astype(STR_DTYPE).str.strip().str.zfill(2)
    url = text(raw, "SOURCEURL").astype(STR_DTYPE).str.strip()
    country, iso3 = from_fips(text(raw, "ActionGeo_CountryCode"))
    table = pd.DataFrame({
        "event_id": raw["GLOBALEVENTID"],
        "date": raw["SQLDATE"],
        "country": country,
        "country_iso3": iso3,
        "admin1": text(raw, "ActionGeo_ADM1Code"),
        "location": text(raw, "ActionGeo_FullName"),
        "latitude": text(raw, "ActionGeo_Lat"),
        "longitude": text(raw, "ActionGeo_Long"),
        "actor": actor,
        "attribution": np.where(actor.astype(STR_DTYPE).str.strip().fillna("") == "",
                                "unknown", "suspected"),
        "target": text(raw, "Actor2Name"),
        "event_type": root.map(CAMEO_ROOT).fillna(text(raw, "EventRootCode")),
        "source": url.str.extract(r"^https?://(?:www\.)?([^/]+)", expand=False),
        "source_url": url,
        "dataset": "gdelt",
    }, index=raw.index)
    used = {"GLOBALEVENTID", "SQLDATE", "ActionGeo_ADM1Code", "ActionGeo_FullName",
            "ActionGeo_Lat", "ActionGeo_Long", "Actor1Name", "Actor2Name", "SOURCEURL"}
    extra, notes = rest(raw, used, set(EVENT_COLUMNS))
    return Mapped(pd.concat([table, extra], axis=1), rows, notes)


FORMAT = Format(
    name="gdelt",
    title="GDELT event file",
    columns=GDELT_COLUMNS,
    required=("GLOBALEVENTID", "SQLDATE", "EventRootCode"),
    to_events=to_events,
    sep="\t",
    layouts=LAYOUTS,
    dates=DateRules(dayfirst=None, partial=False),
)
