"""The invented world of the SYNTHETIC tables: 50 countries with their regions and places,
and 40 armed groups with their alias spellings, the same for every seed (built once from a
fixed seed), so that tables made with different seeds fit together. None of it is real."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_WORLD_SEED = 20201220  # fixed: the invented world does not depend on the seed of a table

N_COUNTRIES, N_GROUPS, MAX_REGIONS, PLACES_PER_REGION = 50, 40, 12, 20

SYNTHETIC_URL = "https://example.org/synthetic/"

TARGET_TYPES = ("military_base", "logistics_convoy", "diplomatic", "airport", "civilian",
                "government", "police", "infrastructure", "other")

EVENT_TYPES = ("rocket attack", "IED attack", "armed clash", "drone strike", "shelling",
               "air strike", "mortar attack", "suicide bombing", "abduction")

_SYL = ("ba", "da", "ka", "la", "ma", "na", "ra", "sa", "ta", "za", "be", "de", "ke", "le", "me",
        "ne", "re", "se", "te", "ze", "bi", "di", "ki", "li", "mi", "ni", "ri", "si", "ti", "zi",
        "bo", "do", "ko", "lo", "mo", "no", "ro", "so", "to", "zo", "bu", "du", "ku", "lu", "mu",
        "nu", "ru", "su", "tu", "zu", "al", "ar", "en", "ir", "or", "ul", "har", "sel", "vin", "dor")

_GROUP_WORDS = (  # first word, a transliteration variant of it, its English rendering
    ("Kataib", "Kata'ib", "Brigades"), ("Saraya", "Sarayat", "Companies"),
    ("Harakat", "Haraka", "Movement"), ("Liwa", "Liwaa", "Brigade"), ("Jaish", "Jaysh", "Army"),
    ("Asaib", "Asa'ib", "League"), ("Jabhat", "Jabha", "Front"), ("Ansar", "Ansaar", "Supporters"),
    ("Tanzim", "Tanzeem", "Organisation"), ("Quwat", "Quwwat", "Forces"),
)


@dataclass(frozen=True)
class World:
    """The invented countries, regions, places and groups, with their shares of events."""
    countries: np.ndarray          # (C,) names
    weights: np.ndarray            # (C,) share of events
    n_regions: np.ndarray          # (C,) 8-12
    regions: np.ndarray            # (C * 12,) admin1 names ("" in unused slots)
    places: np.ndarray             # (C * 12 * 20,) place names
    lat: np.ndarray                # (C * 12,) region centre
    lon: np.ndarray
    groups: tuple[str, ...]        # (G,) canonical group names
    aliases: tuple[tuple[str, str, str], ...]   # (alias, group, relation)
    country_groups: np.ndarray     # (C, K) group index, -1 padded
    n_country_groups: np.ndarray   # (C,)


def invented_name(rng: np.random.Generator, parts: int, taken: set[str]) -> str:
    """A new invented name of ``parts`` syllables, none in ``taken`` (which it joins)."""
    while True:
        name = "".join(rng.choice(_SYL, size=parts)).capitalize()
        if name not in taken and len(name) > 3:
            taken.add(name)
            return name


@lru_cache(maxsize=1)
def world() -> World:
    """The invented geography and actors (a loop over a few hundred names, built once)."""
    rng = np.random.default_rng(_WORLD_SEED)
    taken: set[str] = set()
    suffix = ("ia", "istan", "a", "land", "ora", "ana")
    countries = np.array([invented_name(rng, 2, taken) + suffix[i % len(suffix)]
                          for i in range(N_COUNTRIES)])
    weights = 1 / np.arange(1, N_COUNTRIES + 1) ** 0.9
    weights = rng.permutation(weights / weights.sum())
    n_regions = rng.integers(8, 13, size=N_COUNTRIES)
    kinds = ("Governorate", "Province", "Region", "District")
    regions = np.full(N_COUNTRIES * MAX_REGIONS, "", dtype=object)
    for c in range(N_COUNTRIES):
        kind = kinds[c % len(kinds)]
        for r in range(n_regions[c]):
            regions[c * MAX_REGIONS + r] = f"{invented_name(rng, 2, taken)} {kind}"
    places = np.array([invented_name(rng, 3, taken) for _ in range(len(regions) * PLACES_PER_REGION)])
    c_lat = rng.uniform(-30, 50, N_COUNTRIES)
    c_lon = rng.uniform(-15, 100, N_COUNTRIES)
    lat = np.repeat(c_lat, MAX_REGIONS) + rng.uniform(-2, 2, len(regions))
    lon = np.repeat(c_lon, MAX_REGIONS) + rng.uniform(-2, 2, len(regions))
    groups: list[str] = []
    aliases, abbrevs = [], set()
    while len(groups) < N_GROUPS:
        word, variant, english = _GROUP_WORDS[len(groups) % len(_GROUP_WORDS)]
        base = invented_name(rng, 2, taken)
        abbrev = word[0] + base[0] + ("" if rng.random() < 0.5 else base[2].upper())
        if abbrev in abbrevs:
            continue
        abbrevs.add(abbrev)
        name = f"{word} al-{base}"
        groups.append(name)
        vowel = next(v for v in "uieoa" if v in base[1:])  # another transliteration
        spelt = base[0] + base[1:].replace(vowel, {"u": "ou", "i": "ee"}.get(vowel, vowel * 2), 1)
        aliases += [(name, name, "canonical"),
                    (f"{variant} {spelt}", name, "spelling"),
                    (f"{english} of {base}", name, "translation"),
                    (abbrev, name, "abbreviation")]
    # each group is active in one to three countries; every country has at least one group
    home = np.concatenate([np.arange(N_GROUPS) % N_COUNTRIES, rng.integers(0, N_COUNTRIES, 80)])
    member = np.concatenate([np.arange(N_GROUPS), rng.integers(0, N_GROUPS, 80)])
    pairs = np.unique(np.stack([home, member], axis=1), axis=0)
    for c in range(N_GROUPS, N_COUNTRIES):  # countries beyond the groups' homes
        pairs = np.vstack([pairs, [c, rng.integers(0, N_GROUPS)]])
    pairs = np.unique(pairs, axis=0)
    counts = np.bincount(pairs[:, 0], minlength=N_COUNTRIES)
    table = np.full((N_COUNTRIES, counts.max()), -1)
    for c in range(N_COUNTRIES):
        table[c, :counts[c]] = pairs[pairs[:, 0] == c, 1]
    return World(countries, weights, n_regions, regions, places, lat, lon, tuple(groups),
                  tuple(aliases), table, counts)
