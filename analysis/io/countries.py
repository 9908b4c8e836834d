"""One country vocabulary for every reader: names and codes to ISO 3166-1 alpha-3.

The tables are data, with their sources (``analysis/reference/README.md``):
``countries.csv`` (one row per country or territory: ISO3, ISO2, ISO numeric, name, the FIPS
10-4 code GDELT uses, the Gleditsch–Ward number UCDP uses) and ``country_names.csv`` (every
other spelling a provider uses: UCDP's ``DR Congo (Zaire)``, ACLED's ``eSwatini`` ...).
Names match ignoring case and surrounding spaces. Two-letter codes are never guessed: ``BY``
is Burundi in FIPS (GDELT) and Belarus in ISO, so only the reader that knows which it has
maps one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from analysis.paths import REFERENCE
from analysis.schema import text_category
from analysis.values import EDGES, STR_DTYPE, distinct_text, take, take_category


@dataclass(frozen=True)
class Vocabulary:
    names: dict[str, str]      # lower-case name or ISO3 code -> ISO3
    display: dict[str, str]    # ISO3 -> name
    numeric: dict[str, str]    # ISO numeric (no leading zeros) -> ISO3
    gwno: dict[str, str]       # Gleditsch-Ward number -> ISO3
    fips: dict[str, tuple[str, str]]  # FIPS 10-4 -> (name, ISO3 or "")


@cache
def vocabulary() -> Vocabulary:
    """The country tables, read once."""
    table = pd.read_csv(REFERENCE / "countries.csv", dtype=str, keep_default_na=False)
    other = pd.read_csv(REFERENCE / "country_names.csv", dtype=str, keep_default_na=False)
    names = {n.strip().lower(): c for n, c in zip(other["name"], other["iso3"], strict=True)}
    names.update({n.strip().lower(): c for n, c in zip(table["name"], table["iso3"], strict=True)})
    names.update({c.lower(): c for c in table["iso3"]})
    fips = {f: (n, c) for f, n, c in zip(table["fips"], table["name"], table["iso3"], strict=True) if f}
    extra = REFERENCE / "fips_codes.csv"
    if extra.is_file():
        more = pd.read_csv(extra, dtype=str, keep_default_na=False)
        for f, n, c in zip(more["fips"], more["name"], more["iso3"], strict=True):
            fips.setdefault(f, (n, c))
    return Vocabulary(
        names=names,
        display=dict(zip(table["iso3"], table["name"], strict=True)),
        numeric={str(int(n)): c for n, c in zip(table["iso_numeric"], table["iso3"], strict=True) if n},
        gwno={str(int(g)): c for g, c in zip(table["gwno"], table["iso3"], strict=True) if g},
        fips=fips,
    )


def _lookup(values: pd.Series, mapping: dict[str, str], *, key=str.strip) -> pd.Series:
    """Map each distinct value through ``mapping`` (after ``key``); unknown or blank -> NaN."""
    codes, uniq = distinct_text(values)
    found = uniq.map(lambda v: mapping.get(key(v)) if isinstance(v, str) else None)
    return take_category(found, codes, values.index)


def _number_key(value: str) -> str:
    value = value.strip()
    try:
        return str(int(float(value)))
    except ValueError:
        return value


def iso3_from_numeric(values: pd.Series) -> pd.Series:
    """ISO 3166 numeric codes (``368``, ``4``, ``004``) as ISO3; unknown -> blank."""
    return _lookup(values, vocabulary().numeric, key=_number_key)


def iso3_from_gwno(values: pd.Series) -> pd.Series:
    """Gleditsch–Ward state numbers (UCDP's ``country_id``) as ISO3; unknown -> blank."""
    return _lookup(values, vocabulary().gwno, key=_number_key)


def from_fips(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """FIPS 10-4 codes (GDELT's) as (name, ISO3); an unknown code stays as written, no ISO3."""
    fips = vocabulary().fips
    codes, uniq = distinct_text(values)
    key = uniq.str.upper()
    name = key.map(lambda v: fips[v][0] if v in fips else None).fillna(uniq)
    iso3 = key.map(lambda v: fips[v][1] or None if v in fips else None)
    return (take(name.astype(STR_DTYPE), codes, values.index),
            take(iso3.astype(STR_DTYPE), codes, values.index))


def iso3_of_names(values: pd.Series) -> pd.Series:
    """Country names (any provider's spelling) or ISO3 codes as ISO3; unknown -> blank."""
    return _lookup(values, vocabulary().names, key=lambda v: v.strip(EDGES).lower())


def country_key_of(values: pd.Series) -> pd.Series:
    """The key countries are matched on: the ISO3 code (lower case) for any name or code the
    vocabulary knows, else the name itself, trimmed and lower-cased (so a truce written with
    ``Syria``, ``SYR`` or ``Syrian Arab Republic`` covers the same events)."""
    text = values.astype(STR_DTYPE).str.strip(EDGES)
    return iso3_of_names(text).str.lower().fillna(text.str.lower())


def closest_country(name: str) -> str | None:
    """The known country name closest to ``name`` (for messages)."""
    vocab = vocabulary()
    near = difflib.get_close_matches(name.strip().lower(), list(vocab.names), n=1, cutoff=0.6)
    return vocab.display.get(vocab.names[near[0]]) if near else None


def add_country_codes(events: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Fill blank ``country_iso3`` from ``country``; a country written as an ISO3 code gets
    its name. Returns the table and notes (names not in the vocabulary, codes turned into
    names, codes that disagree with the name)."""
    country = events["country"]
    by_name = iso3_of_names(country)
    given = events["country_iso3"].astype(STR_DTYPE) if events["country_iso3"].notna().any() \
        else None
    # the usual case (no code in the file): every code from the names, as categories
    iso3 = by_name if given is None else given.fillna(by_name.astype(STR_DTYPE))
    notes = []
    vocab = vocabulary()
    codes, uniq = distinct_text(country)
    is_code = uniq.str.fullmatch(r"[A-Za-z]{3}") & uniq.str.upper().isin(list(vocab.display))
    out = events.assign(country_iso3=text_category(iso3))
    if is_code.any():
        named = uniq.where(~is_code, uniq.str.upper().map(vocab.display))
        out["country"] = text_category(take(named.astype(STR_DTYPE), codes, events.index))
        notes.append("country written as ISO3 codes (" + ", ".join(uniq[is_code][:5])
                     + ") shown as names")
    unknown = country.notna() & iso3.isna()
    if unknown.any():
        rows = np.bincount(codes[unknown.to_numpy() & (codes >= 0)], minlength=len(uniq))
        names = (pd.Series(rows, index=uniq.to_numpy()).groupby(level=0).sum()
                 .pipe(lambda n: n[n > 0]).sort_values(ascending=False, kind="stable"))
        shown = []
        for name, n in names.head(5).items():
            near = closest_country(name)
            shown.append(f"{name!r} ({n:,} rows" + (f"; closest known: {near}" if near else "")
                         + ")")
        notes.append(f"{int(unknown.sum()):,} events have a country the vocabulary does not know, "
                     "so no country_iso3: " + ", ".join(shown)
                     + (f" and {len(names) - 5} more" if len(names) > 5 else ""))
    clash = None if given is None else (
        given.notna() & by_name.notna() & (given != by_name.astype(STR_DTYPE)))
    if given is not None and clash is not None and clash.any():
        pairs = (pd.DataFrame({"c": country[clash].astype(STR_DTYPE), "g": given[clash]})
                 .drop_duplicates().head(3))
        notes.append(f"{int(clash.sum()):,} events have a country code that is not their "
                     "country name's: " + ", ".join(f"{c} / {g}" for c, g in pairs.to_numpy())
                     + " (the code is kept)")
    return out, notes


__all__ = ["add_country_codes", "closest_country", "country_key_of", "from_fips", "iso3_from_gwno",
           "iso3_from_numeric", "iso3_of_names", "vocabulary"]
