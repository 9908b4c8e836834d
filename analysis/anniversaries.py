"""Key dates and their anniversaries in the Gregorian and Hijri (Umm al-Qura) calendars.

A key-date table (:func:`analysis.key_dates.read_key_dates`) lists symbolic dates: the Gregorian date of the
original event (or of one known occurrence of a religious date), the calendar it recurs in,
whether it recurs every year, and a default window (days before / after).

Calendar rules
--------------
* Hijri dates use the Umm al-Qura calendar through ``hijridate`` (valid 1343–1500 AH,
  1 August 1924 – 16 November 2077); a date outside that range raises :class:`DataError`.
  The Umm al-Qura date can differ by a day from the date a community observes (moon
  sighting); the key-date notes say where that is known.
* 29 February recurs on 28 February in years without one (it stays in the same month).
* A Hijri 30th recurs on the 29th in years when that month has 29 days (the last day of
  the month).

Windows
-------
:func:`add_anniversary_window` adds, for each date, the signed days to the nearest occurrence
(negative = before it) and whether the date falls in a window (``before`` days before to
``after`` days after an occurrence, both inclusive).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis.events import check_daily_counts
from analysis.key_dates import (
    CALENDARS as CALENDARS,
)
from analysis.key_dates import (
    HIJRI_RANGE as HIJRI_RANGE,
)
from analysis.key_dates import (
    KEY_DATE_COLUMNS as KEY_DATE_COLUMNS,
)
from analysis.key_dates import (
    MAX_WINDOW as MAX_WINDOW,
)
from analysis.key_dates import (
    RECURS as RECURS,
)
from analysis.key_dates import (
    check_window as check_window,
)
from analysis.key_dates import (
    hijri_iso,
)
from analysis.key_dates import (
    read_key_dates as read_key_dates,
)
from analysis.key_dates import (
    validate_key_dates as validate_key_dates,
)
from analysis.key_dates import (
    warn_unmatched_countries as warn_unmatched_countries,
)
from analysis.schema import DATE_DTYPE, STR_DTYPE, DataError, require_columns


def _hijri_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    """Umm al-Qura -> Gregorian; a 30th in a 29-day month becomes the 29th; None off range."""
    from hijridate import Hijri

    if not 1343 <= year <= 1500:
        return None
    last = Hijri(year, month, 1).month_length()
    try:
        return Hijri(year, month, min(day, last)).to_gregorian()
    except OverflowError:
        return None


def anniversary_occurrences(
    key_dates: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    *,
    include_original: bool = False,
) -> pd.DataFrame:
    """Every occurrence of the key dates between ``start`` and ``end`` (inclusive).

    Returns ``key_date_id, name, calendar, occurrence`` (Gregorian date), ``anniversary``
    (0 = the original event, 1 = first anniversary ...; for an ``observance`` the years from
    the occurrence given, negative before it), ``hijri_date`` of the occurrence,
    ``before, after``. One-off key dates give their own date when it is in the period.
    The original event of an ``annual`` key date (anniversary 0) is left out unless
    ``include_original`` (as in :func:`add_anniversary_window`, :func:`event_study` and
    :func:`~analysis.stats.escalation_test`): the violence around an event itself is not an
    anniversary effect.
    A Hijri occurrence outside the Umm al-Qura range raises :class:`DataError`.

    Examples
    --------
    >>> kd = validate_key_dates(pd.DataFrame({"key_date_id": ["G", "H"], "date": ["2020-01-03"] * 2,
    ...                                       "calendar": ["gregorian", "hijri"]}))
    >>> occ = anniversary_occurrences(kd, "2020-06-01", "2021-12-31")
    >>> occ[["key_date_id", "occurrence", "anniversary", "hijri_date"]].astype(str).to_numpy().tolist()
    [['H', '2020-12-23', '1', '1442-05-08'], ['G', '2021-01-03', '1', '1442-05-19'], ['H', '2021-12-12', '2', '1443-05-08']]
    """
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if end < start:
        raise ValueError(f"end ({end:%Y-%m-%d}) is before start ({start:%Y-%m-%d})")
    frames = []
    for kd in key_dates.itertuples(index=False):  # a handful of key dates, a few years each
        frames.append(_occurrences_of(kd, start, end))
    cols = ["key_date_id", "name", "label", "calendar", "occurrence", "anniversary",
            "hijri_date", "before", "after"]
    if not frames or all(f.empty for f in frames):
        return pd.DataFrame({c: pd.Series(dtype=DATE_DTYPE if c == "occurrence" else object)
                             for c in cols})
    out = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    out["occurrence"] = out["occurrence"].astype(DATE_DTYPE)
    if not include_original:
        recurs = key_dates.set_index("key_date_id")["recurs"]
        original = (out["anniversary"] == 0) & (out["key_date_id"].map(recurs) == "annual")
        out = out[~original]
    return out[cols].sort_values(["occurrence", "key_date_id"], ignore_index=True)


def _occurrences_of(kd, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    origin = pd.Timestamp(kd.date)
    if kd.recurs == "none":
        dates, numbers = ([origin], [0]) if start <= origin <= end else ([], [])
    elif kd.calendar == "gregorian":
        first = start.year if kd.recurs == "observance" else max(start.year, origin.year)
        years = range(first, end.year + 1)
        dates = [_gregorian_anniversary(origin, y) for y in years]
        numbers = [y - origin.year for y in years]
    else:
        h_year, h_month, h_day = (int(x) for x in kd.hijri_date.split("-"))
        # Hijri years are ~354 days: cover the period with a year to spare on both sides
        first = h_year + int((start - origin).days / 354.37) - 1
        if kd.recurs == "annual":
            first = max(first, h_year)
        last = h_year + int((end - origin).days / 354.37) + 2
        dates, numbers = [], []
        for y in range(first, last + 1):
            g = _hijri_to_gregorian(y, h_month, h_day)
            if g is None:
                raise DataError(f"{kd.key_date_id}: Hijri year {y} is outside the Umm al-Qura "
                                "calendar", source="anniversary_occurrences", column="date",
                                expected="periods between 1924-08-01 and 2077-11-16")
            dates.append(pd.Timestamp(g))
            numbers.append(y - h_year)
    frame = pd.DataFrame({"occurrence": pd.to_datetime(pd.Series(dates, dtype=object)),
                          "anniversary": numbers})
    keep = frame["occurrence"].between(start, end)
    if kd.recurs == "annual":
        keep &= frame["anniversary"] >= 0
    frame = frame[keep]
    hijri = [hijri_iso(d) if HIJRI_RANGE[0] <= d <= HIJRI_RANGE[1] else np.nan
             for d in frame["occurrence"]]
    return frame.assign(key_date_id=kd.key_date_id, name=kd.name, label=kd.label,
                        calendar=kd.calendar,
                        hijri_date=hijri, before=kd.before, after=kd.after)


def _gregorian_anniversary(origin: pd.Timestamp, year: int) -> pd.Timestamp:
    if origin.month == 2 and origin.day == 29 and not _is_leap(year):
        return pd.Timestamp(year, 2, 28)
    return pd.Timestamp(year, origin.month, origin.day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def add_anniversary_window(
    events_or_counts: pd.DataFrame,
    key_dates: pd.DataFrame,
    *,
    before: int | None = None,
    after: int | None = None,
    include_original: bool = False,
) -> pd.DataFrame:
    """Add the days to the nearest anniversary and whether each row falls in a window.

    Requires a ``date`` column (events or a count table). Adds ``key_date_id`` and
    ``occurrence`` (the occurrence used), ``days_to_anniversary`` (date minus occurrence:
    -3 = three days before) and ``in_window``. ``before``/``after`` override every key
    date's own window; left as ``None`` each key date's window applies (21 / 7 if blank).
    When a date is inside several windows the nearest occurrence whose window holds it is
    used; outside any window, the nearest occurrence. The original event of an annual key
    date is not an anniversary unless ``include_original``. Vectorised (``searchsorted``).

    Examples
    --------
    >>> kd = validate_key_dates(pd.DataFrame({"key_date_id": ["S"], "date": ["2020-01-03"],
    ...                                       "calendar": ["gregorian"]}))
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2020-12-20", "2021-02-01"])})
    >>> add_anniversary_window(ev, kd, before=21, after=7)[["days_to_anniversary", "in_window"]].to_numpy().tolist()
    [[-14, True], [29, False]]
    """
    require_columns(events_or_counts, ["date"], source="add_anniversary_window",
                    expected="an event or count table")
    check_window(before, after, source="add_anniversary_window")
    warn_unmatched_countries(events_or_counts, key_dates)
    dates = events_or_counts["date"].to_numpy("datetime64[D]")
    out = events_or_counts
    known = ~np.isnat(dates)
    if not known.any() or len(key_dates) == 0:
        return out.assign(key_date_id=pd.Series(np.nan, index=out.index, dtype=STR_DTYPE),
                          occurrence=pd.Series(pd.NaT, index=out.index, dtype=DATE_DTYPE),
                          days_to_anniversary=pd.Series(pd.NA, index=out.index, dtype="Int64"),
                          in_window=False)
    first, last = dates[known].min(), dates[known].max()
    reach = pd.Timedelta(days=400)
    occ = anniversary_occurrences(key_dates, pd.Timestamp(first) - reach,
                                  pd.Timestamp(last) + reach, include_original=include_original)
    if occ.empty:
        return add_anniversary_window(out, key_dates.iloc[:0])
    if before is not None:
        occ["before"] = int(before)
    if after is not None:
        occ["after"] = int(after)
    # the choice depends only on the day: make it once per calendar day, then look it up
    days = np.arange(first, last + 1)
    chosen_day = _nearest_occurrence(days, occ)
    diff_day = (days - occ["occurrence"].to_numpy("datetime64[D]")[chosen_day]).astype("int64")
    in_day = ((diff_day >= -occ["before"].to_numpy()[chosen_day])
              & (diff_day <= occ["after"].to_numpy()[chosen_day]))
    row = np.where(known, (dates - first).astype("int64"), 0)
    kd_codes, kd_names = pd.factorize(occ["key_date_id"])
    code = np.where(known, kd_codes[chosen_day][row], -1)
    diff = pd.array(diff_day[row], dtype="Int64")
    diff[~known] = pd.NA
    return out.assign(
        key_date_id=pd.Categorical.from_codes(code, categories=pd.Index(kd_names, dtype=STR_DTYPE)),
        occurrence=np.where(known, occ["occurrence"].to_numpy(DATE_DTYPE)[chosen_day][row],
                            np.datetime64("NaT")),
        days_to_anniversary=diff, in_window=known & in_day[row])


def _nearest_occurrence(dates: np.ndarray, occ: pd.DataFrame) -> np.ndarray:
    """Index into ``occ`` for each date: nearest occurrence whose window holds the date, else
    the nearest. Candidates are the occurrences on either side of the date and those whose
    window could still reach it (windows are at most ``max(before, after)`` long)."""
    o = occ["occurrence"].to_numpy("datetime64[D]")
    b, a = occ["before"].to_numpy(), occ["after"].to_numpy()
    pos = np.searchsorted(o, dates)
    span = int(max(b.max(), a.max()))
    # candidate offsets: every occurrence within +/- span days is adjacent in sorted order,
    # so look a few places each way (there are at most a handful of occurrences per window)
    width = max(2, int(np.max(np.searchsorted(o, o + span, "right") - np.arange(len(o)))) + 1)
    cand = pos[:, None] + np.arange(-width, width)[None, :]
    valid = (cand >= 0) & (cand < len(o))
    cand = np.clip(cand, 0, len(o) - 1)
    diff = (dates[:, None] - o[cand]).astype("int64")
    inside = valid & (diff >= -b[cand]) & (diff <= a[cand])
    # score: in-window first, then distance, then prefer the coming occurrence (diff < 0)
    score = np.where(valid, np.abs(diff) * 2 + (diff > 0), np.iinfo(np.int64).max // 4)
    score = score + np.where(inside, 0, np.iinfo(np.int64).max // 8)
    return cand[np.arange(len(dates)), np.argmin(score, axis=1)]


def event_study(
    counts: pd.DataFrame,
    key_dates: pd.DataFrame,
    *,
    days: int = 30,
    alpha: float = 0.05,
    include_original: bool = False,
) -> pd.DataFrame:
    """Mean events per day by day relative to each anniversary, with a confidence band and a
    placebo band.

    ``counts``: daily counts on a complete calendar. Uses every occurrence with ``days``
    days of data on both sides (two key dates on one day are one occurrence).

    ``conf_low``/``conf_high``: the exact Poisson (Garwood) interval of each day's mean,
    widened for overdispersion: the total is taken as ``total / D`` Poisson events, ``D`` the
    variance-to-mean ratio of the daily counts (at least 1; the variance from day-to-day
    differences, so that a slow trend does not count as noise). Day by day: over ``2 days + 1``
    days, a few fall outside it by chance.

    ``placebo_*``: the same curve with the whole set of occurrences shifted together round the
    series (keeping their layout: a Gregorian and a Hijri anniversary 11 days apart stay 11
    days apart), to every shift whose curves share at most a quarter of their days with the
    real ones. The band is **simultaneous**: ``placebo_mean`` plus or minus a multiple of each
    day's placebo spread, the multiple chosen so that ``1 - alpha`` of the placebo curves stay
    inside it on every day. A curve that leaves it on any day is unusual for ordinary days; in simulations with
    no effect 11-15% of real curves did (benchmarks/README.md: heavy-tailed daily counts make
    the placebo maximum vary), against 50% with a day-by-day band. The escalation test
    remains the test of the window as a whole.

    Returns ``relative_day, mean, conf_low, conf_high, placebo_mean, placebo_low,
    placebo_high, occurrences``. ``attrs``: ``dispersion`` (``D``), ``shared_days`` (days of
    the series that fall in the curves of two or more occurrences, counted in each: the
    escalation test counts them once), ``placebo_shifts``, ``positions`` (each occurrence's
    row in ``counts``).
    """
    from scipy.stats import chi2

    c = check_daily_counts(counts, who="event_study")
    check_window(days, days, source="event_study")
    if len(c) <= 2 * days:
        raise DataError(f"the series has {len(c)} days", source="event_study",
                        expected=f"more than {2 * days} days of counts (days={days} each side)")
    first, last = c["date"].iloc[0], c["date"].iloc[-1]
    occ = anniversary_occurrences(key_dates, first + pd.Timedelta(days=days),
                                  last - pd.Timedelta(days=days), include_original=include_original)
    occ = occ.drop_duplicates("occurrence")  # two key dates on one day are one occurrence
    if occ.empty:
        raise DataError("no anniversary has enough data on both sides", source="event_study",
                        expected=f"occurrences at least {days} days from the ends of the series")
    y = c["count"].to_numpy(float)
    n_days = len(y)
    pos = np.sort((occ["occurrence"] - first).dt.days.to_numpy())
    offsets = np.arange(-days, days + 1)
    spans = pos[:, None] + offsets[None, :]
    window = y[spans]
    n = len(pos)
    total = window.sum(axis=0)
    # from first differences, which a slow trend barely moves: var(y[t+1] - y[t]) / 2
    dispersion = max(1.0, float(np.var(np.diff(y), ddof=1) / 2 / y.mean())) if y.mean() > 0 else 1.0
    scaled = total / dispersion
    low = np.where(total > 0, chi2.ppf(alpha / 2, 2 * scaled) / 2, 0) * dispersion / n
    high = chi2.ppf(1 - alpha / 2, 2 * (scaled + 1)) / 2 * dispersion / n
    covered = np.bincount(spans.ravel(), minlength=n_days)
    # placebo shifts: those whose curves share at most a quarter of their days with the real
    # ones (more, and a real effect would lift the band too: a shift of a year maps most
    # Gregorian anniversaries onto each other)
    real = (covered > 0).astype(float)
    shared = np.fft.irfft(np.fft.rfft(real) * np.conj(np.fft.rfft(real)), n_days)
    shifts = np.flatnonzero(np.round(shared) <= real.sum() / 4)
    if len(shifts) < 19:
        raise DataError(f"the series has {n_days} days: too short for a placebo band",
                        source="event_study", expected=f"a longer series, or fewer than {days} "
                        "days each side")
    placebo = y[(spans[None, :, :] + shifts[:, None, None]) % n_days].mean(axis=1)
    centre = placebo.mean(axis=0)
    spread = np.maximum(placebo.std(axis=0), 1e-9)
    multiple = float(np.quantile((np.abs(placebo - centre) / spread).max(axis=1), 1 - alpha))
    out = pd.DataFrame({
        "relative_day": offsets, "mean": total / n, "conf_low": low, "conf_high": high,
        "placebo_mean": centre,
        "placebo_low": np.maximum(0.0, centre - multiple * spread),
        "placebo_high": centre + multiple * spread,
        "occurrences": n,
    })
    out.attrs.update(dispersion=dispersion, shared_days=int((covered > 1).sum()),
                     placebo_shifts=len(shifts), positions=pos)
    return out
