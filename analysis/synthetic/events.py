"""SYNTHETIC event tables of any size (ACLED-like, validated) and the alias table of the invented
groups, for the benchmarks and tests. Every event is labelled ``dataset="synthetic"``."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.schema import STR_DTYPE
from analysis.synthetic.world import (
    EVENT_TYPES,
    MAX_REGIONS,
    PLACES_PER_REGION,
    SYNTHETIC_URL,
    TARGET_TYPES,
    World,
    world,
)
from analysis.validate import validate_events

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
        stop = cast("int | np.integer", min(days, start + length))  # (min loses it)
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
    order. The same ``seed`` gives the same table. Vectorised (no loop over rows), then
    checked by :func:`~analysis.validate.validate_events`.

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
    w = world()
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


def _places(rng: np.random.Generator, country: np.ndarray, w: World) -> dict[str, object]:
    """Region (Zipf-like within the country), place and coordinates of each event."""
    n = len(country)
    region = (_pick(rng, 1 / np.arange(1, MAX_REGIONS + 1) ** 0.7, n)
              % w.n_regions[country]).astype(np.int32) + country.astype(np.int32) * MAX_REGIONS
    place = region * PLACES_PER_REGION + _pick(rng, 1 / np.arange(1, PLACES_PER_REGION + 1), n)
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


def _actors(rng: np.random.Generator, country: np.ndarray, w: World):
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

    Drawn by inverting the distribution functions (tail cut at 1999), faster than numpy's
    sampler with a mean per row.
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

    raw = pd.DataFrame(list(world().aliases), columns=["alias", "actor_group", "relation"])
    raw = raw.assign(source_url="", reason="synthetic")
    return validate_aliases(raw, source="synthetic_aliases")
