"""Synthetic data for tests, calibration and benchmarks. Every table made here is labelled
``dataset="synthetic"`` (events) or documented as simulated; none of it is ever shipped as data.

Two kinds of tables are made here, all SYNTHETIC:

* :func:`simulate_daily_counts`: a daily count series for the calibration of the statistical
  tests (``benchmarks/calibration.py``).
* :func:`synthetic_events`, :func:`synthetic_aliases`, :func:`synthetic_truces` and
  :func:`synthetic_key_dates`: an ACLED-like event table of any size with the alias, truce and
  key-date tables that go with it, for the benchmarks (``benchmarks/run.py``) and tests.

The invented world
------------------
The countries (50, invented names), their first-level regions (8-12 each), places, and the 40
armed groups with their alias spellings are the same for every seed (built once from a fixed
seed), so truces, aliases and events made with different seeds fit together. The groups'
names follow the patterns of real group names (``Kataib ...``, ``Saraya ...``) and each has
transliteration variants, an English name and an abbreviation; none of them is a real group.
URLs point to ``https://example.org/synthetic/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.schema import STR_DTYPE, validate_events

_WORLD_SEED = 20201220  # fixed: the invented world does not depend on the seed of a table
_N_COUNTRIES, _N_GROUPS, _MAX_REGIONS, _PLACES_PER_REGION = 50, 40, 12, 20
SYNTHETIC_URL = "https://example.org/synthetic/"

TARGET_TYPES = ("military_base", "logistics_convoy", "diplomatic", "airport", "civilian",
                "government", "police", "infrastructure", "other")
_TARGET_P = (0.24, 0.16, 0.06, 0.04, 0.2, 0.1, 0.1, 0.06, 0.04)
_TARGETS = {  # what a source would write, per coded target type (two ways each)
    "military_base": ("Military base", "Army outpost"),
    "logistics_convoy": ("Supply convoy", "Logistics convoy"),
    "diplomatic": ("Embassy compound", "Consulate"),
    "airport": ("Airport", "Air base"),
    "civilian": ("Civilians", "Market"),
    "government": ("Government building", "Local officials"),
    "police": ("Police station", "Police patrol"),
    "infrastructure": ("Power station", "Oil pipeline"),
    "other": ("Private security firm", "Unknown target"),
}
EVENT_TYPES = ("rocket attack", "IED attack", "armed clash", "drone strike", "shelling",
               "air strike", "mortar attack", "suicide bombing", "abduction")
_EVENT_P = (0.2, 0.2, 0.18, 0.08, 0.12, 0.07, 0.1, 0.02, 0.03)
_KILLED_MEAN = (0.4, 1.2, 2.0, 1.5, 0.8, 3.0, 0.3, 8.0, 0.2)  # per event type
_SOURCES = ("Synthetic Wire", "Example Daily", "Sample News Agency", "Test Broadcast",
            "Placeholder Post", "Mock Monitor", "Dummy Observer", "Specimen Times",
            "Synthetic Wire; Example Daily", "Local partner (synthetic)",
            "Sample News Agency; Mock Monitor", "Fictional Tribune")
_SOURCE_P = (0.22, 0.16, 0.13, 0.1, 0.08, 0.07, 0.06, 0.05, 0.05, 0.04, 0.02, 0.02)
PRECISION_SHARES = {"day": 0.85, "week": 0.10, "month": 0.05}
ATTRIBUTION_SHARES = {"claimed": 0.25, "attributed": 0.45, "suspected": 0.30}  # named actors
UNIDENTIFIED_SHARE, LOCAL_SHARE = 0.25, 0.05

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


def simulate_daily_counts(
    start: str = "2014-01-01",
    days: int = 6 * 365,
    *,
    mean: float = 0.6,
    dispersion: float = 1.5,
    trend: float = 0.5,
    window: np.ndarray | None = None,
    rate_ratio: float = 1.0,
    ar: float = 0.0,
    ar_sd: float = 0.6,
    weekly: float = 0.0,
    annual: float = 0.0,
    annual_peak: str = "01-03",
    seed: int | np.random.Generator = 0,
) -> pd.DataFrame:
    """Simulated daily attack counts: negative binomial around a slow trend (SYNTHETIC).

    ``mean`` events a day on average; ``dispersion`` is the negative binomial alpha (variance
    = mu + alpha mu^2; real daily attack counts are often 1-3); ``trend`` is the log change in
    the rate from first to last day, along a smooth wave so that a straight line cannot absorb
    it; ``window`` a boolean mask of days whose rate is multiplied by ``rate_ratio``.
    Clustering and cycles, as real attacks have them: ``ar`` the lag-one autocorrelation of a
    latent AR(1) log-rate with stationary standard deviation ``ar_sd`` (a campaign week, then
    quiet; 0 = independent days); ``weekly`` and ``annual`` the amplitudes (log scale) of a
    weekly cycle and of an annual one peaking on ``annual_peak`` (MM-DD).
    Returns ``date, count, mu`` (the mean before the latent AR(1) and the gamma noise).
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    dates = pd.date_range(start, periods=days, freq="D")
    t = np.linspace(0, 1, days)
    log_mu = np.log(mean) + trend * (t - 0.5) + 0.3 * np.sin(2 * np.pi * 1.5 * t)
    if weekly:
        log_mu = log_mu + weekly * np.cos(2 * np.pi * dates.day_of_week.to_numpy() / 7)
    if annual:
        peak = pd.Timestamp(f"2001-{annual_peak}").day_of_year
        log_mu = log_mu + annual * np.cos(2 * np.pi * (dates.day_of_year.to_numpy() - peak) / 365.25)
    if window is not None:
        log_mu = log_mu + np.log(rate_ratio) * np.asarray(window, dtype=float)
    mu = np.exp(log_mu)
    rate = mu
    if ar:
        from scipy.signal import lfilter

        noise = rng.normal(0.0, ar_sd * np.sqrt(1 - ar ** 2), days)
        noise[0] = rng.normal(0.0, ar_sd)  # start from the stationary distribution
        z = lfilter([1.0], [1.0, -ar], noise)  # z[i] = ar z[i-1] + noise[i]
        rate = mu * np.exp(z - ar_sd ** 2 / 2)  # the latent term keeps the mean
    # negative binomial as a gamma-Poisson mixture
    lam = rng.gamma(shape=1 / dispersion, scale=dispersion * rate)
    counts = rng.poisson(lam)
    return pd.DataFrame({"date": dates, "count": counts.astype("int64"), "mu": mu})


# --------------------------------------------------------------------------------------
# An invented world for event tables


@dataclass(frozen=True)
class _World:
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


def _name(rng: np.random.Generator, parts: int, taken: set[str]) -> str:
    while True:
        name = "".join(rng.choice(_SYL, size=parts)).capitalize()
        if name not in taken and len(name) > 3:
            taken.add(name)
            return name


@lru_cache(maxsize=1)
def _world() -> _World:
    """The invented geography and actors (a loop over a few hundred names, built once)."""
    rng = np.random.default_rng(_WORLD_SEED)
    taken: set[str] = set()
    suffix = ("ia", "istan", "a", "land", "ora", "ana")
    countries = np.array([_name(rng, 2, taken) + suffix[i % len(suffix)]
                          for i in range(_N_COUNTRIES)])
    weights = 1 / np.arange(1, _N_COUNTRIES + 1) ** 0.9
    weights = rng.permutation(weights / weights.sum())
    n_regions = rng.integers(8, 13, size=_N_COUNTRIES)
    kinds = ("Governorate", "Province", "Region", "District")
    regions = np.full(_N_COUNTRIES * _MAX_REGIONS, "", dtype=object)
    for c in range(_N_COUNTRIES):
        kind = kinds[c % len(kinds)]
        for r in range(n_regions[c]):
            regions[c * _MAX_REGIONS + r] = f"{_name(rng, 2, taken)} {kind}"
    places = np.array([_name(rng, 3, taken) for _ in range(len(regions) * _PLACES_PER_REGION)])
    c_lat = rng.uniform(-30, 50, _N_COUNTRIES)
    c_lon = rng.uniform(-15, 100, _N_COUNTRIES)
    lat = np.repeat(c_lat, _MAX_REGIONS) + rng.uniform(-2, 2, len(regions))
    lon = np.repeat(c_lon, _MAX_REGIONS) + rng.uniform(-2, 2, len(regions))
    groups, aliases, abbrevs = [], [], set()
    while len(groups) < _N_GROUPS:
        word, variant, english = _GROUP_WORDS[len(groups) % len(_GROUP_WORDS)]
        base = _name(rng, 2, taken)
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
    home = np.concatenate([np.arange(_N_GROUPS) % _N_COUNTRIES, rng.integers(0, _N_COUNTRIES, 80)])
    member = np.concatenate([np.arange(_N_GROUPS), rng.integers(0, _N_GROUPS, 80)])
    pairs = np.unique(np.stack([home, member], axis=1), axis=0)
    for c in range(_N_GROUPS, _N_COUNTRIES):  # countries beyond the groups' homes
        pairs = np.vstack([pairs, [c, rng.integers(0, _N_GROUPS)]])
    pairs = np.unique(pairs, axis=0)
    counts = np.bincount(pairs[:, 0], minlength=_N_COUNTRIES)
    table = np.full((_N_COUNTRIES, counts.max()), -1)
    for c in range(_N_COUNTRIES):
        table[c, :counts[c]] = pairs[pairs[:, 0] == c, 1]
    return _World(countries, weights, n_regions, regions, places, lat, lon, tuple(groups),
                  tuple(aliases), table, counts)


def _daily_rates(rng: np.random.Generator, days: int, weights: np.ndarray) -> np.ndarray:
    """Expected events per (day, country), up to scale: a bursty negative binomial rate.

    log rate = country share + slow wave + AR(1) noise (persistent flare-ups) + a few
    escalation periods (a country's rate multiplied 3-10 times, rising then decaying) + two
    region-wide escalations; then gamma noise (negative binomial counts). Loops run over the
    handful of escalations only.
    """
    from scipy.signal import lfilter

    n_c = len(weights)
    t = np.linspace(0, 1, days)[:, None]
    phase = rng.uniform(0, 2 * np.pi, n_c)[None, :]
    log_mu = np.log(weights)[None, :] + 0.4 * np.sin(2 * np.pi * 2 * t + phase)
    log_mu += lfilter([1.0], [1.0, -0.95], rng.normal(0, 0.12, (days, n_c)), axis=0)  # AR(1)
    for _ in range(max(4, days // 500)):
        c = rng.choice(n_c, p=weights)
        start, length = rng.integers(0, days), rng.integers(14, 121)
        shape = np.zeros(days)
        ramp = np.minimum(np.arange(length) / 7, 1) * np.exp(-np.arange(length) / length)
        stop = min(days, start + length)
        shape[start:stop] = ramp[: stop - start]
        log_mu[:, c] += np.log(rng.uniform(3, 10)) * shape / max(shape.max(), 1e-9)
    for _ in range(2):
        start, length = rng.integers(0, days), rng.integers(30, 61)
        log_mu[start:start + length, :] += np.log(2)
    mu = np.exp(log_mu)
    return rng.gamma(shape=1 / 1.5, scale=1.5 * mu)


def _pick(rng: np.random.Generator, p, size: int) -> np.ndarray:
    """Indices drawn with probabilities ``p`` (quantised to 1/65536: a table lookup, fast)."""
    p = np.asarray(p, dtype=float)
    edges = np.round(np.cumsum(p / p.sum()) * 65536).astype(np.int64)
    table = np.repeat(np.arange(len(p), dtype=np.int16), np.diff(edges, prepend=0))
    return table[rng.integers(0, 65536, size, dtype=np.uint16)]


def _used(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The codes that occur and each row's position among them (``np.unique`` without a sort)."""
    used = np.flatnonzero(np.bincount(codes, minlength=size))
    remap = np.zeros(size, dtype=np.int32)
    remap[used] = np.arange(len(used))
    return used, remap[codes]


def _categorical(codes: np.ndarray, names) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(names), dtype=object))


def synthetic_events(
    n: int,
    *,
    seed: int = 0,
    start: str = "2014-01-01",
    years: int = 10,
) -> pd.DataFrame:
    """An ACLED-like canonical event table of ``n`` SYNTHETIC events (validated).

    Dates run from ``start`` over ``years`` years with bursty daily counts (negative binomial
    around a persistent, escalating rate: see :func:`_daily_rates`), in 50 invented countries
    with 8-12 regions each. Actors are drawn from the 40 invented groups active in the event's
    country, under any of their alias spellings (see :func:`synthetic_aliases`), sometimes
    written in capitals or with a hyphen for a space (matched by
    :func:`analysis.events.normalize_actors`); 5% are local militias not in the alias table;
    25% are unidentified (blank, or ACLED's ``Unidentified Armed Group (<country>)``) with
    attribution ``unknown``; named actors are claimed / attributed / suspected 25 / 45 / 30%.
    ``actor_group`` is left blank (fill it with ``normalize_actors``). Precision: 85% day, 10%
    week (``date`` ± 3 days), 5% month (the calendar month). ``killed`` / ``wounded``: negative
    binomial by event type, 8% blank. ``source_url`` is ``https://example.org/synthetic/<id>``
    and ``dataset`` is ``synthetic``. Sorted by date; ``event_id`` ``SYN-0000000`` ... in that
    order. The same ``seed`` gives the same table. Vectorised: 10 million rows take seconds
    plus the time of :func:`~analysis.schema.validate_events`.

    Examples
    --------
    >>> ev = synthetic_events(1000, seed=1)
    >>> len(ev), ev["event_id"].is_unique, ev["dataset"].unique().tolist()
    (1000, True, ['synthetic'])
    """
    return validate_events(_raw_events(n, seed=seed, start=start, years=years),
                           source="synthetic_events")


def _raw_events(n: int, *, seed: int, start: str, years: int) -> pd.DataFrame:
    """The table of :func:`synthetic_events` before validation (canonical dtypes, built in Arrow)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    w = _world()
    rng = np.random.default_rng(seed)
    first = np.datetime64(pd.Timestamp(start).normalize().date(), "D")
    last = np.datetime64((pd.Timestamp(first) + pd.DateOffset(years=years)).date(), "D")
    days = int((last - first) // np.timedelta64(1, "D"))
    n_c = len(w.countries)
    rates = _daily_rates(rng, days, w.weights)
    cells = rng.multinomial(n, (rates / rates.sum()).ravel())
    cell = np.repeat(np.arange(days * n_c, dtype=np.int32), cells)   # date-major: sorted by date
    day, country = cell // n_c, (cell % n_c).astype(np.int16)
    del cell
    date = first + day.astype("timedelta64[D]")
    del day

    where = _places(rng, country, w)
    actor_codes, actor_names, named = _actors(rng, country, w)
    attribution = np.where(named, _pick(rng, list(ATTRIBUTION_SHARES.values()), n), 3)
    when = _precision(rng, date)
    event_type = _pick(rng, _EVENT_P, n)
    target_type = _pick(rng, _TARGET_P, n)
    target = target_type.astype(np.int32) * 2 + rng.integers(0, 2, n, dtype=np.int8)
    killed = _counts(rng, event_type, _KILLED_MEAN)
    wounded = _counts(rng, event_type, [2 * m for m in _KILLED_MEAN])
    event_id, url = _ids(n)
    blank = _arrow_str(pa.nulls(n, pa.large_string()))
    return pd.DataFrame({
        "event_id": event_id,
        "date": date.astype("datetime64[ns]"),
        **when,
        "country": _strings(country, w.countries),
        **where,
        "actor": _strings(actor_codes, actor_names),
        "actor_group": blank,
        "attribution": _categorical(attribution, [*ATTRIBUTION_SHARES, "unknown"]),
        "target": _strings(target, [t for k in TARGET_TYPES for t in _TARGETS[k]]),
        "target_type": _strings(target_type, TARGET_TYPES),
        "event_type": _strings(event_type, EVENT_TYPES),
        "killed": killed,
        "wounded": wounded,
        "source": _strings(_pick(rng, _SOURCE_P, n), _SOURCES),
        "source_url": url,
        "notes": blank,
        "dataset": _strings(np.zeros(n, np.int8), ["synthetic"]),
    })


def _places(rng: np.random.Generator, country: np.ndarray, w: _World) -> dict[str, object]:
    """Region (Zipf-like within the country), place and coordinates of each event."""
    n = len(country)
    region = (_pick(rng, 1 / np.arange(1, _MAX_REGIONS + 1) ** 0.7, n)
              % w.n_regions[country]).astype(np.int32) + country.astype(np.int32) * _MAX_REGIONS
    place = region * _PLACES_PER_REGION + _pick(rng, 1 / np.arange(1, _PLACES_PER_REGION + 1), n)
    lat = np.round(w.lat[region] + rng.normal(0, 0.2, n), 4)
    lon = np.round(w.lon[region] + rng.normal(0, 0.2, n), 4)
    used_regions, region_codes = _used(region, len(w.regions))
    used_places, place_codes = _used(place, len(w.places))
    return {"admin1": _strings(region_codes, w.regions[used_regions]),
            "location": _strings(place_codes, w.places[used_places]),
            "latitude": pd.array(lat, dtype="Float64"),
            "longitude": pd.array(lon, dtype="Float64")}


def _precision(rng: np.random.Generator, date: np.ndarray) -> dict[str, object]:
    """Day, week (date ± 3 days) or month (the calendar month) precision, and the range."""
    precision = _pick(rng, list(PRECISION_SHARES.values()), len(date))
    month = date.astype("datetime64[M]")
    start = np.select([precision == 1, precision == 2],
                      [date - 3, month.astype("datetime64[D]")], date)
    end = np.select([precision == 1, precision == 2],
                    [date + 3, (month + 1).astype("datetime64[D]") - 1], date)
    return {"date_start": start.astype("datetime64[ns]"),
            "date_end": end.astype("datetime64[ns]"),
            "date_precision": _categorical(precision, PRECISION_SHARES)}


def _ids(n: int) -> tuple[pd.Series, pd.Series]:
    """``SYN-0000000`` ... and ``https://example.org/synthetic/SYN-...``, built in Arrow."""
    width = max(7, len(str(max(n - 1, 0))))
    ids = pc.utf8_lpad(pa.array(np.arange(n)).cast(pa.large_string()), width, "0")
    event_id = pc.binary_join_element_wise(pa.scalar("SYN-", pa.large_string()), ids,
                                           pa.scalar("", pa.large_string()))
    url = pc.binary_join_element_wise(pa.scalar(SYNTHETIC_URL, pa.large_string()), event_id,
                                      pa.scalar("", pa.large_string()))
    return _arrow_str(event_id), _arrow_str(url)


def _arrow_str(values: pa.Array) -> pd.Series:
    """An Arrow string array as a column of pandas' default ``str`` dtype, without a copy."""
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([values]))).astype(STR_DTYPE)


def _strings(codes: np.ndarray, names) -> pd.Series:
    """Codes into ``names`` (-1 = blank) as a ``str`` column, built in Arrow (fast, compact)."""
    dictionary = pa.DictionaryArray.from_arrays(pa.array(codes, mask=np.asarray(codes) < 0),
                                                pa.array(list(names), pa.large_string()))
    return _arrow_str(dictionary.cast(pa.large_string()))


def _actors(rng: np.random.Generator, country: np.ndarray, w: _World):
    """Actor codes into a vocabulary of spellings; True where a group or militia is named."""
    n = len(country)
    spellings = [a for a, _, _ in w.aliases]  # four per group, in group order
    variants = [s.upper() for s in spellings] + [s.replace(" ", "-", 1) for s in spellings]
    locals_ = [f"{c} local militia {k}" for c in w.countries for k in range(1, 5)]
    unidentified = [f"Unidentified Armed Group ({c})" for c in w.countries]
    names = spellings + variants + locals_ + unidentified
    # named groups: one of the groups active in the country, under one of its four spellings
    country = country.astype(np.int32)
    slot = (rng.random(n, dtype=np.float32) * w.n_country_groups[country]).astype(np.int32)
    spelling = w.country_groups.astype(np.int32)[country, slot] * 4 + _pick(rng, (0.5, 0.2, 0.15, 0.15), n)
    noisy = _pick(rng, (0.95, 0.025, 0.025), n).astype(np.int32)  # as written, capitals, hyphen
    spelling += noisy * len(spellings)
    kind = _pick(rng, (1 - UNIDENTIFIED_SHARE - LOCAL_SHARE, LOCAL_SHARE, UNIDENTIFIED_SHARE), n)
    local = 3 * len(spellings) + country * 4 + rng.integers(0, 4, n, dtype=np.int32)
    acled_style = rng.random(n, dtype=np.float32) < 0.3
    unknown = np.where(acled_style, 3 * len(spellings) + len(locals_) + country, -1)
    codes = np.where(kind == 0, spelling, np.where(kind == 1, local, unknown))
    # a capitalised abbreviation is the abbreviation: one category per distinct spelling
    vocab, remap = np.unique(np.array(names, dtype=object), return_inverse=True)
    return np.where(codes >= 0, remap[codes], -1), vocab, kind < 2


def _counts(rng: np.random.Generator, kind: np.ndarray, means) -> pd.arrays.IntegerArray:
    """Negative binomial casualty counts (dispersion 0.5, mean by ``kind``), 8% blank.

    Drawn by inverting the distribution functions (tail cut at 1999), several times faster than
    numpy's sampler with a mean per row.
    """
    from scipy.stats import nbinom

    size = 0.5
    support = np.arange(2000)
    # the kinds' distribution functions end to end, kind k shifted up by k: one searchsorted
    cdf = np.concatenate([nbinom.cdf(support, size, size / (size + m)) + k
                          for k, m in enumerate(means)])
    u = rng.random(len(kind)) + kind
    values = np.searchsorted(cdf, u, side="right") - kind.astype(np.int64) * len(support)
    values = np.minimum(values, len(support) - 1)
    return pd.arrays.IntegerArray(values, rng.random(len(kind)) < 0.08)


def synthetic_aliases() -> pd.DataFrame:
    """The alias table of the 40 SYNTHETIC actor groups (``reason`` = ``synthetic``).

    Four spellings a group: the canonical name, a transliteration (``Kata'ib`` ...), an English
    rendering (``Brigades of ...``) and an abbreviation; validated by
    :func:`analysis.events.validate_aliases`.

    Examples
    --------
    >>> al = synthetic_aliases()
    >>> len(al), al["actor_group"].nunique(), al["reason"].unique().tolist()
    (160, 40, ['synthetic'])
    """
    from analysis.events import validate_aliases

    raw = pd.DataFrame(list(_world().aliases), columns=["alias", "actor_group", "relation"])
    raw = raw.assign(source_url="", reason="synthetic")
    return validate_aliases(raw, source="synthetic_aliases")


def synthetic_truces(
    k: int,
    *,
    seed: int = 0,
    start: str = "2014-01-01",
    years: int = 10,
) -> pd.DataFrame:
    """``k`` SYNTHETIC truces among the groups of :func:`synthetic_events`, validated.

    Each truce is scoped to one country and, two times in three, to one of its regions (most
    ceasefires are local arrangements), binds one to three of the groups active there, takes
    effect on a day within the period and lasts a log-normal number of days (median 60,
    between 7 days and 3 years: many collapse within weeks, a few hold for years); one still
    holding when the period ends has no end yet (blank ``end``). One in four is limited to a few target types, one
    in ten to a few event types. One in five is a local truce nested in an earlier truce of
    the same country, so truces overlap. These proportions are a design choice for tests and
    benchmarks, not estimates from data. Ids ``SYN-TR-0001`` ...

    Examples
    --------
    >>> tr = synthetic_truces(30, seed=2)
    >>> len(tr), tr["truce_id"].is_unique, bool(tr["start"].min() >= pd.Timestamp("2014-01-01"))
    (30, True, True)
    """
    from analysis.truces import validate_truces

    w = _world()
    rng = np.random.default_rng(seed)
    first = pd.Timestamp(start).normalize()
    days = (first + pd.DateOffset(years=years) - first).days
    country = rng.choice(len(w.countries), size=k, p=w.weights)
    begin = rng.integers(0, max(days - 30, 1), size=k)
    length = np.clip(np.round(60 * np.exp(rng.normal(0, 1, size=k))), 7, 3 * 365).astype(int)
    nested = (rng.random(k) < 0.2) & (np.arange(k) > 0)
    rows = []
    for i in range(k):  # a loop over truces (not events)
        if nested[i]:
            j = rng.integers(0, i)  # inside an earlier truce, same country
            country[i] = country[j]
            begin[i] = begin[j] + rng.integers(0, max(length[j] - 7, 1))
            length[i] = rng.integers(7, max(length[j] - (begin[i] - begin[j]), 8))
        c = country[i]
        active = w.country_groups[c, : w.n_country_groups[c]]
        parties = rng.choice(active, size=min(len(active), rng.integers(1, 4)), replace=False)
        region = c * _MAX_REGIONS + rng.integers(0, w.n_regions[c])
        on = first + pd.Timedelta(days=int(begin[i]))
        rows.append({
            "truce_id": f"SYN-TR-{i + 1:04d}",
            "name": f"Synthetic truce {i + 1} ({w.countries[c]})",
            "announced_on": (on - pd.Timedelta(days=int(rng.integers(0, 4)))).strftime("%Y-%m-%d"),
            "start": on.strftime("%Y-%m-%d"),
            "end": "" if begin[i] + length[i] > days  # still holding when the period ends
            else (on + pd.Timedelta(days=int(length[i]) - 1)).strftime("%Y-%m-%d"),
            "announced_by": "synthetic",
            "parties": "; ".join(w.groups[g] for g in sorted(parties)),
            "target_types": "; ".join(rng.choice(TARGET_TYPES, 3, replace=False))
            if rng.random() < 0.25 else "",
            "countries": w.countries[c],
            "admin1": w.regions[region] if rng.random() < 2 / 3 else "",
            "event_types": "; ".join(rng.choice(EVENT_TYPES, 2, replace=False))
            if rng.random() < 0.1 else "",
            "source_url": f"{SYNTHETIC_URL}truce/{i + 1:04d}",
            "notes": "SYNTHETIC truce for tests and benchmarks",
        })
    raw = pd.DataFrame(rows, columns=["truce_id", "name", "announced_on", "start", "end",
                                      "announced_by", "parties", "target_types", "countries",
                                      "admin1", "event_types", "source_url", "notes"])
    return validate_truces(raw, source="synthetic_truces")


def synthetic_key_dates(k: int = 20, *, seed: int = 0) -> pd.DataFrame:
    """``k`` SYNTHETIC annual key dates, the first half Gregorian and the rest Hijri, validated.

    The original events fall between 2004 and 2016 (so some are before a 2014-2024 event
    table and some inside it); windows are 7, 14 or 21 days before and 3 or 7 after. The
    first Gregorian key date is a 29 February (2008-02-29) and the first Hijri one a 30th
    (30 Safar 1429 = 2008-03-08), the two calendar edge cases. Ids ``SYN-KD-01`` ...

    Examples
    --------
    >>> kd = synthetic_key_dates(4)
    >>> kd[["date", "calendar", "hijri_date"]].astype(str).to_numpy().tolist()[::2]
    [['2008-02-29', 'gregorian', '1429-02-22'], ['2008-03-08', 'hijri', '1429-02-30']]
    """
    from analysis.anniversaries import validate_key_dates

    rng = np.random.default_rng(seed)
    n_greg = (k + 1) // 2
    dates = pd.Timestamp("2004-01-01") + pd.to_timedelta(rng.integers(0, 13 * 365, k), unit="D")
    dates = dates.strftime("%Y-%m-%d").to_numpy(dtype=object)
    if k:
        dates[0] = "2008-02-29"
    if k > n_greg:
        dates[n_greg] = "2008-03-08"  # 30 Safar 1429 (Umm al-Qura), a 30-day month
    calendar = np.where(np.arange(k) < n_greg, "gregorian", "hijri")
    raw = pd.DataFrame({
        "key_date_id": [f"SYN-KD-{i + 1:02d}" for i in range(k)],
        "name": [f"Synthetic key date {i + 1} ({c})" for i, c in enumerate(calendar)],
        "date": dates,
        "calendar": calendar,
        "recurs": "annual",
        "before": rng.choice([7, 14, 21], k).astype(str),
        "after": rng.choice([3, 7], k).astype(str),
        "source_url": [f"{SYNTHETIC_URL}key-date/{i + 1:02d}" for i in range(k)],
        "notes": "SYNTHETIC key date for tests and benchmarks",
    })
    return validate_key_dates(raw, source="synthetic_key_dates")
