"""Build ``data/iraq_2019_2021/incidents.csv`` from the raw Iraq 2019-2021 fact sheet.

Reads   data/iraq_2019_2021/raw/incidents.csv                      (never edited; checksums in SOURCE.md)
        data/iraq_2019_2021/amendments/incident_actor_coding.csv  (actor / attribution decisions, with reasons)
Writes  data/iraq_2019_2021/incidents.csv                         (the project's canonical incident format)

Run from anywhere:  python data/iraq_2019_2021/scripts/build_curated.py
The output is deterministic: sorted by date then event_id, UTF-8, LF line endings, no index,
every value written as text exactly as decided here (no float rounding). Running it twice
gives identical bytes. The other curated tables (truces, key_dates, actor_aliases) are
hand-written; see data/iraq_2019_2021/README.md.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1]  # the story's folder, data/iraq_2019_2021/
RAW = DATA / "raw"
RAW_INCIDENTS = RAW / "incidents.csv"
SOURCE_RECORD = RAW / "SOURCE.md"
CODING = DATA / "amendments" / "incident_actor_coding.csv"
OUT = DATA / "incidents.csv"

DATASET = "iraq_2019_2021_factsheet"
COUNTRY = "Iraq"
EXPECTED_ROWS = 120  # stated in the fact sheet's README

#: fact-sheet weapon -> canonical event_type (per-row overrides live in the coding table)
EVENT_TYPES = {
    "rocket": "rocket attack",
    "ied": "IED attack",
    "missile": "missile strike",
    "other": "other attack",
    "": "attack (method not reported)",
}
ATTRIBUTIONS = ("claimed", "attributed", "suspected", "unknown")

CANONICAL = [
    "event_id", "date", "date_start", "date_end", "date_precision", "country", "admin1",
    "location", "latitude", "longitude", "actor", "actor_group", "attribution", "target",
    "target_type", "event_type", "killed", "wounded", "source", "source_url", "notes", "dataset",
]
EXTRAS = [
    "local_time", "weapon", "projectiles", "intercepted", "claimed_by", "attributed_to",
    "source_date", "second_source_url",
]
DATE_PATTERNS = {"day": r"\d{4}-\d{2}-\d{2}", "week": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}"}


class BuildError(ValueError):
    """The raw data or the coding table breaks a rule the curated table relies on."""


def fail_if(mask: pd.Series, frame: pd.DataFrame, what: str, source: Path) -> None:
    """Raise BuildError listing the ids (or spreadsheet rows) where ``mask`` is True."""
    if mask.any():
        ids = frame.get("event_id", frame.get("incident_id"))
        where = ids[mask].tolist() if ids is not None else (mask[mask].index + 2).tolist()
        raise BuildError(f"{source.relative_to(DATA.parents[1])}: {what}: {where}")


def read_text_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as text; blank cells stay '' (never NaN or float)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def check_checksum(path: Path, record: Path) -> None:
    """Stop if the raw file no longer matches the sha256 written in its source record."""
    listed = re.search(rf"`{re.escape(path.name)}` \| \d+ \| `([0-9a-f]{{64}})`", record.read_text())
    if listed is None:
        raise BuildError(f"{record}: no sha256 recorded for {path.name}")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != listed.group(1):
        raise BuildError(f"{path}: sha256 {actual} differs from {record.name} ({listed.group(1)})")


def check_raw(raw: pd.DataFrame) -> None:
    """Hard checks right after loading."""
    if len(raw) != EXPECTED_ROWS:
        raise BuildError(f"{RAW_INCIDENTS}: {len(raw)} rows, expected {EXPECTED_ROWS}")
    fail_if(raw["incident_id"].duplicated(keep=False), raw, "duplicate incident_id", RAW_INCIDENTS)
    fail_if(~raw["date_precision"].isin(DATE_PATTERNS), raw, "unknown date_precision", RAW_INCIDENTS)
    pattern = raw["date_precision"].map(DATE_PATTERNS)
    bad_form = pd.Series(
        [re.fullmatch(p, d) is None for p, d in zip(pattern, raw["date"], strict=True)],
        index=raw.index,
    )
    fail_if(bad_form, raw, "date does not match its precision", RAW_INCIDENTS)
    unreal = pd.to_datetime(raw["date"], format="ISO8601", errors="coerce").isna()
    fail_if(unreal, raw, "date not in the calendar", RAW_INCIDENTS)
    fail_if(~raw["weapon"].isin(EVENT_TYPES), raw, "unknown weapon", RAW_INCIDENTS)
    for col in ("killed", "wounded"):
        fail_if(~raw[col].str.fullmatch(r"\d*"), raw, f"{col} not a whole number", RAW_INCIDENTS)


def check_coding(coding: pd.DataFrame, raw: pd.DataFrame) -> None:
    """The coding table must cover exactly the rows that name a claimant or a blamed party."""
    fail_if(coding["event_id"].duplicated(keep=False), coding, "duplicate event_id", CODING)
    fail_if(~coding["event_id"].isin(raw["incident_id"]), coding, "unknown event_id", CODING)
    fail_if(~coding["attribution"].isin(ATTRIBUTIONS), coding, "bad attribution", CODING)
    fail_if(coding["actor"].str.strip() == "", coding, "blank actor", CODING)
    fail_if(coding["reason"].str.strip() == "", coding, "blank reason", CODING)
    named = raw.loc[(raw["claimed_by"] != "") | (raw["attributed_to"] != ""), "incident_id"]
    uncoded = ~raw["incident_id"].isin(coding["event_id"]) & raw["incident_id"].isin(named)
    fail_if(uncoded, raw, "claim or attribution without a coding row", RAW_INCIDENTS)
    fail_if(~coding["event_id"].isin(named), coding, "coding row for a row with no claim or "
            "attribution", CODING)
    claims = raw.set_index("incident_id")["claimed_by"].reindex(coding["event_id"]).to_numpy()
    claimed = pd.Series(claims != "", index=coding.index)
    fail_if(claimed != (coding["attribution"] == "claimed"), coding,
            "attribution must be 'claimed' exactly when claimed_by is set", CODING)
    not_prefix = pd.Series(
        [c != "" and not c.startswith(a) for c, a in zip(claims, coding["actor"], strict=True)],
        index=coding.index,
    )
    fail_if(not_prefix, coding, "actor of a claimed row must be claimed_by minus qualifiers", CODING)


def location(raw: pd.DataFrame) -> pd.Series:
    """'place, city' when both are known, else whichever is known, else ''."""
    place, city = raw["place"].str.strip(), raw["city"].str.strip()
    one = place.where(place != "", city)
    return one.mask((place != "") & (city != ""), place + ", " + city)


def curate(raw: pd.DataFrame, coding: pd.DataFrame) -> pd.DataFrame:
    """Fact-sheet rows -> canonical incident rows (a new frame; inputs untouched)."""
    coded = raw.merge(coding.rename(columns={"event_id": "incident_id", "source_url": "_why_url"}),
                      on="incident_id", how="left", validate="one_to_one").fillna("")
    qualifier = (coded["claimed_by"] != "") & (coded["claimed_by"] != coded["actor"])
    notes = coded["note"].mask(qualifier, coded["note"] + " Claim as reported: "
                               + coded["claimed_by"] + ".")
    out = pd.DataFrame({
        "event_id": coded["incident_id"],
        "date": coded["date"],
        "date_start": "",
        "date_end": "",
        "date_precision": coded["date_precision"],
        "country": COUNTRY,
        "admin1": coded["governorate"].str.strip(),
        "location": location(coded),
        "latitude": "",
        "longitude": "",
        "actor": coded["actor"],
        "actor_group": "",
        "attribution": coded["attribution"].replace("", "unknown"),
        "target": coded["target"],
        "target_type": coded["target_type"],
        "event_type": coded["event_type"].mask(coded["event_type"] == "",
                                               coded["weapon"].map(EVENT_TYPES)),
        "killed": coded["killed"],
        "wounded": coded["wounded"],
        "source": coded["source_outlet"],
        "source_url": coded["source_url"],
        "notes": notes,
        "dataset": DATASET,
    })
    out = pd.concat([out, coded[EXTRAS]], axis=1)
    return out.sort_values(["date", "event_id"], kind="mergesort").reset_index(drop=True)


def check_curated(out: pd.DataFrame) -> None:
    """Hard checks right before saving."""
    if list(out.columns) != CANONICAL + EXTRAS:
        raise BuildError(f"{OUT}: columns out of order: {list(out.columns)}")
    if len(out) != EXPECTED_ROWS:
        raise BuildError(f"{OUT}: {len(out)} rows, expected {EXPECTED_ROWS}")
    fail_if(out["event_id"].duplicated(keep=False), out, "duplicate event_id", OUT)
    fail_if(~out["source_url"].str.match(r"https?://\S+$"), out, "source_url not http(s)", OUT)
    fail_if(~out["attribution"].isin(ATTRIBUTIONS), out, "bad attribution", OUT)
    fail_if((out["attribution"] == "unknown") != (out["actor"] == ""), out,
            "actor must be blank exactly when attribution is unknown", OUT)
    fail_if(out.isna().any(axis=1), out, "missing value (NaN) left in row", OUT)


def main() -> None:
    check_checksum(RAW_INCIDENTS, SOURCE_RECORD)
    raw = read_text_csv(RAW_INCIDENTS)
    coding = read_text_csv(CODING)
    check_raw(raw)
    check_coding(coding, raw)
    out = curate(raw, coding)
    check_curated(out)
    out.to_csv(OUT, index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {OUT.relative_to(DATA.parents[1])}: {len(out)} rows")


if __name__ == "__main__":
    main()
