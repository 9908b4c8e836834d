"""The speed kernels (analysis/_kernels), each on small edge cases and against a plain
pandas/NumPy version of its contract on random inputs (fixed seeds)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from analysis._kernels import arrow, arrow_csv, filescan
from analysis._kernels.arrow import text_ends
from analysis._kernels.codes import joint_codes
from analysis._kernels.intervals import (
    OPEN_END,
    day_bounds,
    day_numbers,
    key_ranges,
    overlapping_pairs,
)
from analysis._kernels.memory import give_back_memory
from analysis._kernels.sorting import number_within_groups, order_pairs, sort_by_block_and_day
from analysis._kernels.threads import background, take_columns

STR = pd.StringDtype(na_value=np.nan)
#: white space and invisible characters at the edges, as the library trims them
EDGES = (" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
         "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
         "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad")
#: characters random text is made of: ASCII, white space, accents, Arabic, emoji
ALPHABET = list("abcXYZ019 ,-_'\"\t\n\r") + ["\xa0", "é", "\u200b", "\u0643", "\u3000", "😀", "\x1c"]


def random_text(rng: np.random.Generator, n: int, *, blanks: bool = True) -> list:
    out = []
    for _ in range(n):
        k = int(rng.integers(0, 6))
        value = "".join(rng.choice(ALPHABET, size=k))
        out.append(None if blanks and rng.random() < 0.1 else value)
    return out


# --------------------------------------------------------------------------------------
# intervals


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_day_numbers_round_down_like_the_calendar(unit):
    rng = np.random.default_rng(1)
    seconds = rng.integers(-10**9, 10**9, size=500)
    values = pd.Series(pd.to_datetime(seconds, unit="s")).astype(f"datetime64[{unit}]")
    expected = np.floor(seconds / 86_400).astype(np.int64)
    got = day_numbers(values)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, expected)
    assert day_numbers(pd.Series([], dtype="datetime64[ns]")).tolist() == []


def test_day_bounds_give_an_open_end_for_a_blank_end():
    start = pd.Series(pd.to_datetime(["2020-01-01", "1969-12-31"]))
    end = pd.Series(pd.to_datetime(["2020-01-02", None]))
    first, last = day_bounds(start, end)
    assert first.tolist() == [18262, -1] and last.tolist() == [18263, OPEN_END]
    assert first.dtype == last.dtype == np.int32
    empty = pd.Series([], dtype="datetime64[ns]")
    assert [a.tolist() for a in day_bounds(empty, empty)] == [[], []]


def pairs_by_brute_force(place, covers, lo, hi, start, end) -> set:
    ok = (covers[:, place].T & (lo[:, None] <= end[None, :]) & (hi[:, None] >= start[None, :]))
    return set(zip(*np.nonzero(ok), strict=True))


def random_join(rng, n_events: int, n_truces: int, n_places: int, *, ranged: float,
                sorted_dates: bool):
    date = rng.integers(0, 400, size=n_events).astype(np.int32)
    if sorted_dates:
        date.sort()
    wide = rng.random(n_events) < ranged
    lo = (date - np.where(wide, rng.integers(0, 40, n_events), 0)).astype(np.int32)
    hi = (date + np.where(wide, rng.integers(0, 40, n_events), 0)).astype(np.int32)
    place = rng.integers(0, n_places, size=n_events)
    covers = rng.random((n_truces, n_places)) < 0.4
    start = rng.integers(-20, 400, size=n_truces).astype(np.int32)
    end = (start + rng.integers(0, 120, size=n_truces)).astype(np.int32)
    end[rng.random(n_truces) < 0.2] = OPEN_END  # open-ended truces
    return place, covers, date, lo, hi, start, end


@pytest.mark.parametrize(("ranged", "sorted_dates"), [(0.0, True), (0.0, False), (0.3, True),
                                                      (0.3, False), (1.0, False)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_overlapping_pairs_match_a_cross_join(seed, ranged, sorted_dates):
    rng = np.random.default_rng(seed)
    place, covers, date, lo, hi, start, end = random_join(rng, 800, 30, 7, ranged=ranged,
                                                          sorted_dates=sorted_dates)
    ev, tr = overlapping_pairs(place, covers, date, lo, hi, start, end)
    assert ev.dtype == np.int64 and tr.dtype == np.int64
    found = list(zip(ev.tolist(), tr.tolist(), strict=True))
    assert len(found) == len(set(found))  # each pair once
    assert set(found) == pairs_by_brute_force(place, covers, lo, hi, start, end)


def test_overlapping_pairs_edge_cases():
    none = np.array([], dtype=np.int32)
    covers = np.ones((1, 1), bool)
    one = np.array([5], np.int32)
    # no events, no truces
    assert [a.tolist() for a in overlapping_pairs(np.array([], int), covers, none, none, none,
                                                  one, one)] == [[], []]
    assert [a.tolist() for a in overlapping_pairs(np.array([0]), np.ones((0, 1), bool), one,
                                                  one, one, none, none)] == [[], []]
    # one event on the truce's first day, its last day and the day after
    days = np.array([5, 9, 10], np.int32)
    ev, tr = overlapping_pairs(np.zeros(3, int), covers, days, days, days,
                               np.array([5], np.int32), np.array([9], np.int32))
    assert sorted(ev.tolist()) == [0, 1] and tr.tolist() == [0, 0]
    # ties: many events on one day, in a place no truce covers and one it does
    days = np.full(6, 7, np.int32)
    ev, _ = overlapping_pairs(np.array([0, 1, 0, 1, 0, 1]), np.array([[True, False]]), days,
                              days, days, np.array([7], np.int32), np.array([7], np.int32))
    assert sorted(ev.tolist()) == [0, 2, 4]
    # a ranged event that only touches an open-ended truce
    ev, _ = overlapping_pairs(np.array([0]), covers, np.array([3], np.int32),
                              np.array([0], np.int32), np.array([20], np.int32),
                              np.array([20], np.int32), np.array([OPEN_END], np.int32))
    assert ev.tolist() == [0]


def test_key_ranges_match_a_scan_of_every_key():
    rng = np.random.default_rng(3)
    block = rng.integers(0, 5, size=300)
    day = rng.integers(0, 100, size=300)
    key = np.sort((block.astype(np.int64) << 32) + day)
    blocks, start = rng.integers(0, 6, size=20), rng.integers(-10, 100, size=20)
    end = start + rng.integers(0, 30, size=20)
    end[0] = OPEN_END
    pos, which = key_ranges(key, blocks, start, end, reach=2)
    for i in range(len(blocks)):
        inside = ((key >> 32) == blocks[i]) & ((key & 0xFFFFFFFF) >= start[i] - 2) & (
            (key & 0xFFFFFFFF) <= min(end[i] + 2, 2**31 - 1))
        assert pos[which == i].tolist() == np.flatnonzero(inside).tolist()
    assert [a.tolist() for a in key_ranges(key[:0], blocks[:1], start[:1], end[:1],
                                           reach=0)] == [[], []]


# --------------------------------------------------------------------------------------
# codes


@pytest.mark.parametrize(("n_a", "n_b"), [(3, 4), (1, 1), (5000, 5000)])  # the last: hashed
def test_joint_codes_number_each_pair_once(n_a, n_b):
    rng = np.random.default_rng(4)
    a = rng.integers(-1, n_a, size=2000).astype(np.int16 if n_a < 30000 else np.int32)
    b = rng.integers(-1, n_b, size=2000)
    code, a_of, b_of = joint_codes(a, b, n_a=n_a, n_b=n_b)
    np.testing.assert_array_equal(a_of[code], a)
    np.testing.assert_array_equal(b_of[code], b)
    reference = pd.DataFrame({"a": a, "b": b}).groupby(["a", "b"]).ngroups
    assert len(a_of) == len(b_of) == reference == len(np.unique(code)) == code.max() + 1


def test_joint_codes_edge_cases():
    code, a_of, b_of = joint_codes(np.array([], int), np.array([], int), n_a=2, n_b=2)
    assert (code.tolist(), a_of.tolist(), b_of.tolist()) == ([], [], [])
    code, a_of, b_of = joint_codes(np.array([-1, -1]), np.array([-1, -1]), n_a=0, n_b=0)
    assert (code.tolist(), a_of.tolist(), b_of.tolist()) == ([0, 0], [-1], [-1])


# --------------------------------------------------------------------------------------
# sorting


@pytest.mark.parametrize("n_blocks", [6, 1 << 16])
@pytest.mark.parametrize("sorted_days", [True, False])
def test_sort_by_block_and_day_is_a_stable_lexsort(n_blocks, sorted_days):
    rng = np.random.default_rng(5)
    block = rng.integers(0, n_blocks, size=1000)
    day = rng.integers(0, 30, size=1000)  # many ties
    if sorted_days:
        day.sort()
    order = sort_by_block_and_day(block, day, n_blocks=n_blocks)
    np.testing.assert_array_equal(order, np.lexsort((np.arange(1000), day, block)))
    for n in (0, 1):
        assert sort_by_block_and_day(block[:n], day[:n], n_blocks=n_blocks).tolist() == list(
            range(n))


@pytest.mark.parametrize("far", [False, True])  # True: keys too wide to pack
def test_order_pairs_sorts_by_group_day_and_row(far):
    rng = np.random.default_rng(6)
    day = rng.integers(0, 50, size=400).astype(np.int64)
    n_groups = 1 << 14 if far else 9
    row = np.concatenate([rng.permutation(400)[:150] for _ in range(4)]).astype(np.int64)
    group = np.repeat(rng.choice(n_groups, size=4, replace=False), 150)
    if far:
        day[row[0]] = 1 << 45
    got_row, got_group = order_pairs(row, group, day, n_groups)
    expected = pd.DataFrame({"g": group, "d": day[row], "r": row}).sort_values(["g", "d", "r"])
    assert got_row.tolist() == expected["r"].tolist()
    assert got_group.tolist() == expected["g"].tolist()
    empty = np.array([], dtype=np.int64)
    assert [a.tolist() for a in order_pairs(empty, empty, day, n_groups)] == [[], []]
    assert [a.tolist() for a in order_pairs(row[:1], group[:1], day, n_groups)] == [
        row[:1].tolist(), group[:1].tolist()]


def numbers_by_pandas(group, row, keep, day, ids):
    frame = pd.DataFrame({"g": group, "d": day[row], "id": pd.Series(ids, dtype=object)[row]
                          .to_numpy(), "pos": np.arange(len(group))})[keep]
    frame = frame.sort_values(["g", "d", "id"], kind="stable")
    number = pd.Series(pd.NA, index=range(len(group)), dtype="Int64")
    days = number.copy()
    number[frame["pos"].to_numpy()] = frame.groupby("g").cumcount().to_numpy() + 1
    days[frame["pos"].to_numpy()] = frame.groupby("g")["d"].rank(method="dense").to_numpy()
    return number.tolist(), days.tolist()


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_number_within_groups_matches_pandas(seed):
    rng = np.random.default_rng(seed)
    n_items = 300
    day = rng.integers(0, 12, size=n_items)  # many items per day
    ids = [f"{w}-{i}" for i, w in enumerate(random_text(rng, n_items, blanks=False))]
    ids = [ids[i] if rng.random() < 0.9 else "same" for i in range(n_items)]  # equal ids too
    row = np.concatenate([rng.permutation(n_items)[:100] for _ in range(3)]).astype(np.int64)
    group = np.repeat(np.arange(3), 100)
    row, group = order_pairs(row, group, day, 3)
    keep = rng.random(len(row)) < 0.7
    number, days = number_within_groups(group, row, keep, day=day, ids=pd.Series(ids, dtype=STR))
    assert (list(number), list(days)) == numbers_by_pandas(group, row, keep, day, ids)


def test_number_within_groups_edge_cases():
    ids = pd.Series(["b", "a", "é", "z"], dtype=STR)
    empty = np.array([], dtype=np.int64)
    n, d = number_within_groups(empty, empty, empty.astype(bool), day=np.array([1, 1, 1, 1]),
                                ids=ids)
    assert n.tolist() == d.tolist() == []
    n, d = number_within_groups(np.zeros(4, int), np.arange(4), np.zeros(4, bool),
                                day=np.array([1, 1, 1, 1]), ids=ids)  # none kept
    assert n.isna().all() and d.isna().all()
    n, d = number_within_groups(np.zeros(1, int), np.arange(1), np.ones(1, bool),
                                day=np.array([4]), ids=ids)  # one item
    assert (n.tolist(), d.tolist()) == ([1], [1])
    # one day, ids out of order (non-ASCII after ASCII, as Python and Arrow both sort them)
    n, d = number_within_groups(np.zeros(4, int), np.array([2, 3, 0, 1]), np.ones(4, bool),
                                day=np.array([1, 1, 1, 1]), ids=ids)
    assert (n.tolist(), d.tolist()) == ([4, 3, 2, 1], [1, 1, 1, 1])


# --------------------------------------------------------------------------------------
# arrow: buffer scans


def text_ends_by_python(values) -> tuple[list, list, list]:
    raw = [(v or "").encode() for v in values]
    return [len(b) for b in raw], [b[0] for b in raw if b], [b[-1] for b in raw if b]


@pytest.mark.parametrize("kind", ["string", "large_string", "chunked", "sliced"])
def test_text_ends_match_python(kind):
    rng = np.random.default_rng(7)
    values = random_text(rng, 400)
    if kind == "chunked":
        arr = pa.chunked_array([pa.array(values[:150]), pa.array([], pa.string()),
                                pa.array(values[150:])])
    elif kind == "sliced":
        arr = pa.array(["pad"] * 7 + values + ["end"]).slice(7, len(values))
    else:
        arr = pa.array(values, getattr(pa, kind)())
    length, first, last = text_ends(arr)
    filled = length > 0
    assert (length.tolist(), first[filled].tolist(), last[filled].tolist()) == \
        text_ends_by_python(values)


def test_text_ends_edge_cases():
    assert [a.tolist() for a in text_ends(pa.chunked_array([], pa.string()))] == [[], [], []]
    assert [a.tolist() for a in text_ends(pa.array([], pa.string()))] == [[], [], []]
    assert text_ends(pa.array([None, None], pa.string()))[0].tolist() == [0, 0]
    assert text_ends(pa.array(["", ""]))[0].tolist() == [0, 0]
    # a missing value that still owns bytes (as after a filter): none counted
    arr = pa.array(["ab", "cd"]).filter(pa.array([True, True]))
    masked = pa.Array.from_buffers(pa.string(), 2, [pa.array([True, False]).buffers()[1],
                                                     *arr.buffers()[1:]], null_count=1)
    assert text_ends(masked)[0].tolist() == [2, 0]



def may_need_strip_by_python(values) -> bool:
    return any(v and (v[0].isspace() or ord(v[0]) > 127 or v[-1].isspace() or ord(v[-1]) > 127)
               for v in values)


@pytest.mark.parametrize("seed", range(6))
def test_may_have_edge_space_matches_its_byte_rule_and_never_misses_a_strip(seed):
    rng = np.random.default_rng(seed)
    values = random_text(rng, int(rng.integers(0, 12)))
    text = pd.Series(values, dtype=STR)
    got = arrow.may_have_edge_space(text)
    assert got == may_need_strip_by_python(values)
    if not got:  # certain: stripping changes nothing
        assert text.str.strip(EDGES).fillna("").tolist() == text.fillna("").tolist()


@pytest.mark.parametrize("edge", [" a", "a ", "\ta", "a\n", "\xa0a", "a\u3000", "\x1ca", "é",
                                  "a\u2028", "\u200ba"])
def test_may_have_edge_space_edge_cases(edge):
    assert not arrow.may_have_edge_space(pd.Series(["a", "b c", "", None], dtype=STR))
    assert arrow.may_have_edge_space(pd.Series(["a", edge], dtype=STR))
    assert not arrow.may_have_edge_space(pd.Series([], dtype=STR))
    assert arrow.may_have_edge_space(pd.Series(["a"], dtype=object))  # not Arrow: cannot tell


def test_regex_matches_match_python_re():
    rng = np.random.default_rng(8)
    values = random_text(rng, 300)
    text = pd.Series(values, dtype=STR)
    for pattern in ("^a", "[\u200b\u00ad]", "é", "b$", "x|Y"):
        for missing in (True, False):
            expected = [missing if v is None else bool(re.search(pattern, v)) for v in values]
            assert arrow.regex_matches(text, pattern, missing=missing).tolist() == expected
    assert arrow.regex_matches(pd.Series([], dtype=STR), "a", missing=True).tolist() == []
    urls = pd.Series(["https://a.org/b", "http://a b", "ftp://x", None, ""], dtype=STR)
    assert arrow.regex_matches(urls, r"^https?://\S+$", missing=True).tolist() == [
        True, False, False, True, False]


@pytest.mark.parametrize("seed", range(5))
def test_strictly_monotonic_means_no_repeats_in_order(seed):
    rng = np.random.default_rng(seed)
    values = sorted({f"id{v}" for v in rng.integers(0, 50, size=int(rng.integers(0, 8)))})
    values = values if seed % 2 else values[::-1]
    if seed == 4 and len(values) > 2:
        values[1], values[2] = values[2], values[1]
    text = pd.Series(values, dtype=STR)
    expected = len(values) > 1 and (values == sorted(values) or values == sorted(values)[::-1])
    assert arrow.strictly_monotonic(text) == expected


def test_strictly_monotonic_edge_cases():
    def monotonic(values):
        return arrow.strictly_monotonic(pd.Series(values, dtype=STR))
    assert not monotonic([]) and not monotonic(["a"])
    assert not monotonic(["a", "a", "b"])  # a tie
    assert not monotonic(["a", None, "c"])  # a missing value
    assert monotonic(["a", "b", "é"]) and monotonic(["é", "b", "a"])


def test_columns_that_may_match_agree_with_each_column_searched():
    rng = np.random.default_rng(9)
    n_cols = arrow.WIDE + 40
    frame = pd.DataFrame({f"c{i}": pd.Series(random_text(rng, 3), dtype=STR)
                          for i in range(n_cols)})
    frame["n"] = 1  # not text: kept
    for pattern, nulls in (("\n", False), ("^a", True), ("é", False)):
        expected = [bool(frame[c].str.contains(pattern, regex=True, na=nulls).any())
                    if frame[c].dtype == STR else True for c in frame.columns]
        got = arrow.columns_that_may_match(frame, pattern, nulls=nulls).tolist()
        assert got == expected
    narrow = frame.iloc[:, :5]
    assert arrow.columns_that_may_match(narrow, "zzz").all()  # narrow: every column kept
    assert arrow.columns_that_may_match(frame.iloc[:0], "zzz").all()  # no rows


# --------------------------------------------------------------------------------------
# arrow: numbers in one pass


def test_plain_floats_read_as_pd_to_numeric():
    rng = np.random.default_rng(10)
    numbers = rng.normal(0, 1e3, size=300) * 10.0 ** rng.integers(-6, 6, size=300)
    text = [f"{x:.{int(d)}g}" for x, d in zip(numbers, rng.integers(1, 20, size=300),
                                             strict=True)]
    text += ["1e1", "+5", ".5", "5.", "-0", "inf", "-inf", "00012", ""]
    got = arrow.plain_floats(pd.Series(text, dtype=STR))
    expected = pd.to_numeric(pd.Series(text, dtype=object).replace("", None)).astype("Float64")
    pd.testing.assert_series_equal(got, expected, check_exact=True)


@pytest.mark.parametrize("odd", [" 1.5", "1.5 ", "nan", "NaN", "1,5", "N/A", "0x1A", "33°",
                                 "\xa01"])
def test_plain_floats_leave_anything_odd_to_the_careful_path(odd):
    assert arrow.plain_floats(pd.Series(["1.5", odd], dtype=STR)) is None
    assert arrow.plain_floats(pd.Series(["1.5"], dtype=object)) is None  # not Arrow


def test_plain_floats_edge_cases():
    assert arrow.plain_floats(pd.Series([], dtype=STR)).tolist() == []
    assert arrow.plain_floats(pd.Series(["", ""], dtype=STR)).isna().all()
    one = arrow.plain_floats(pd.Series(["2.5"], dtype=STR, index=[7]))
    assert one.index.tolist() == [7] and one.tolist() == [2.5] and one.dtype == "Float64"


def test_plain_integers_are_exact():
    rng = np.random.default_rng(11)
    values = rng.integers(-2**62, 2**62, size=200, dtype=np.int64)
    text = [str(v) for v in values] + ["", "9007199254740993", "-0"]
    got = arrow.plain_integers(pd.Series(text, dtype=STR))
    expected = [int(t) if t else pd.NA for t in text]
    assert got.tolist() == expected and got.dtype == "Int64"


@pytest.mark.parametrize("odd", ["5.0", " 5", "5 ", "3-14", "9223372036854775808", "five",
                                 "\u0665"])
def test_plain_integers_leave_anything_odd_to_the_careful_path(odd):
    assert arrow.plain_integers(pd.Series(["5", odd], dtype=STR)) is None
    assert arrow.plain_integers(pd.Series(["5"], dtype=object)) is None


def test_int64_array_keeps_big_numbers_with_nulls():
    got = arrow.int64_array(pa.chunked_array([[2**62 + 1, None], [-(2**53) - 1]]))
    assert got.tolist() == [2**62 + 1, pd.NA, -(2**53) - 1] and got.dtype == "Int64"
    assert arrow.int64_array(pa.array([], pa.int64())).tolist() == []


# --------------------------------------------------------------------------------------
# arrow: tables to pandas


def chunked_table(rng) -> pa.Table:
    text = random_text(rng, 60)
    return pa.table({
        "text": pa.chunked_array([text[:20], text[20:45], text[45:]], pa.large_string()),
        "parsed": pa.chunked_array([text[:30], text[30:]], pa.large_string()),
        "dict": pa.chunked_array([pa.array(["a", "b", None] * 5).dictionary_encode(),
                                  pa.array(["b", "c"] * 15 + ["é"] * 15).dictionary_encode()]),
        "number": pa.chunked_array([[1.5] * 30, [None] * 30], pa.float64()),
    })


def test_arrow_to_pandas_equals_to_pandas_with_text_in_one_piece():
    expected = chunked_table(np.random.default_rng(12)).to_pandas()
    frame = arrow.arrow_to_pandas(chunked_table(np.random.default_rng(12)), chunked={"parsed"})
    pd.testing.assert_frame_equal(frame, expected)
    assert frame["text"].array._pa_array.num_chunks == 1
    assert frame["parsed"].array._pa_array.num_chunks == 2  # left to be parsed
    def empty():
        return pa.table({"a": pa.array([], pa.string())})
    pd.testing.assert_frame_equal(arrow.arrow_to_pandas(empty()), empty().to_pandas())


# --------------------------------------------------------------------------------------
# arrow_csv


def write(tmp_path: Path, data: bytes, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_read_csv_reads_text_categories_and_numbers(tmp_path):
    path = write(tmp_path, "id,place,lat,note\n1, Basra ,33.3,é\n2,Basra,,\n".encode())
    cols = ["id", "place", "lat", "note"]
    frame = arrow_csv.read_csv(path, ",", None, cols, dictionaries={"place"}, numbers={"lat"})
    assert frame["id"].tolist() == ["1", "2"] and frame["note"].tolist() == ["é", ""]
    assert isinstance(frame["place"].dtype, pd.CategoricalDtype)
    assert frame["place"].tolist() == [" Basra ", "Basra"]
    assert frame["lat"].dtype == np.float64 and frame["lat"].isna().tolist() == [False, True]
    # "nan" is no number to the careful path: the column is read again as text
    path = write(tmp_path, b"id,lat,note\n1,nan,x\n")
    frame = arrow_csv.read_csv(path, ",", None, ["id", "lat", "note"], numbers={"lat"})
    assert frame["lat"].tolist() == ["nan"]


@pytest.mark.parametrize("data", [b'a,b\n1,"2', b'a,b\n1,"x\r\ny"\n', b"a,b\n", b"a,b\n1\n3,4\n",
                                  b"a,b\n1,caf\xe9\n"],
                         ids=["open-quote", "carriage-return", "no-rows", "short-row", "cp1252"])
def test_read_csv_declines_what_it_may_read_otherwise(tmp_path, data):
    assert arrow_csv.read_csv(write(tmp_path, data), ",", None, ["a", "b"]) is None


def test_read_csv_keeps_a_value_spanning_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(arrow_csv, "ARROW_BLOCK", 16)
    path = write(tmp_path, b'a,b\n1,"x\ny"\n' + b"2,plain\n" * 20)
    frame = arrow_csv.read_csv(path, ",", None, ["a", "b"])
    assert frame["b"].tolist() == ["x\ny"] + ["plain"] * 20


def test_text_holds_holds_nan_and_open_quotes(tmp_path):
    table = pa.table({"a": pa.array(["x", "y\rz"]), "d": pa.array(["p\nq"]).dictionary_encode()
                      .take([0, 0]), "n": pa.array([1.0, float("nan")])})
    assert arrow_csv.text_holds(table, ord("\r")) and arrow_csv.text_holds(table, ord("\n"))
    assert not arrow_csv.text_holds(table, ord("\t"))
    assert arrow_csv.holds_nan(table) and not arrow_csv.holds_nan(table.select(["a"]))
    last = pa.table({"a": ["1"], "b": ['x"y']})
    assert arrow_csv.may_end_in_quotes(write(tmp_path, b'a,b\n1,"x""y'), last)
    assert not arrow_csv.may_end_in_quotes(write(tmp_path, b'a,b\n1,"x""y"\n'), last)


# --------------------------------------------------------------------------------------
# filescan


def lines_by_python(data: bytes) -> tuple[int, bool, bool]:
    lines = data.count(b"\n") + (not data.endswith(b"\n") and len(data) > 0)
    lone_cr = bool(re.search(rb"\r[^\n]", data))
    text = b"\n" + data
    blank = None
    for match in re.finditer(rb"\n[ \t]*\r?\n", text):
        blank = match.end() if blank is None else blank
    data_after = blank is not None and bool(re.search(rb"[^ \r\n]", text[blank:]))
    return lines, lone_cr, blank is not None and (data_after or lone_cr)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
@pytest.mark.parametrize("seed", range(4))
def test_file_scans_match_python_on_random_bytes(tmp_path, monkeypatch, seed, chunk):
    monkeypatch.setattr(filescan, "SCAN_CHUNK", chunk)
    monkeypatch.setattr(filescan, "COUNT_CHUNK", chunk)
    rng = np.random.default_rng(seed)
    pieces = [b"a,b", b"\n", b"\r\n", b"\r", b" ", b"\t", b"1,2", "é".encode()]
    for i in range(20):
        data = b"".join(rng.choice(pieces, size=int(rng.integers(0, 15))))
        path = write(tmp_path, data, f"f{i}.csv")
        lines, lone_cr = filescan.count_lines(path)
        assert (int(lines), lone_cr, filescan.blank_line_before_data(path, lone_cr)) == \
            lines_by_python(data), data


def test_file_scans_edge_cases(tmp_path):
    assert filescan.count_lines(write(tmp_path, b"", "e.csv")) == (0, False)
    assert filescan.count_lines(write(tmp_path, b"a", "a.csv")) == (1, False)
    assert filescan.count_lines(write(tmp_path, b"a\r", "r.csv")) == (1, False)  # last byte
    assert not filescan.blank_line_before_data(write(tmp_path, b"a\n1\n\n\n"), False)
    assert filescan.blank_line_before_data(write(tmp_path, b"\na\n1\n"), False)


# --------------------------------------------------------------------------------------
# threads and memory


def test_background_runs_meanwhile_and_passes_errors_on():
    with background(workers=2) as meanwhile:
        jobs = [meanwhile(pow, 2, k) for k in range(5)]
        failing = meanwhile(int, "x")
    assert [j.result() for j in jobs] == [1, 2, 4, 8, 16]
    with pytest.raises(ValueError):
        failing.result()


def test_take_columns_equals_dataframe_take():
    rng = np.random.default_rng(13)
    table = pd.DataFrame({
        "id": pd.Series(random_text(rng, 50), dtype=STR),
        "cat": pd.Categorical(rng.choice(["a", "b", None], size=50)),
        "n": pd.array(rng.integers(0, 5, size=50), dtype="Int64"),
        "x": rng.random(50),
        "when": pd.date_range("2020-01-01", periods=50),
    })
    for positions in (rng.integers(0, 50, size=80), np.array([], dtype=np.int64),
                      np.array([3])):
        got = pd.DataFrame(take_columns(table, positions), copy=False)
        pd.testing.assert_frame_equal(got, table.take(positions).reset_index(drop=True))
    assert take_columns(table.iloc[:, :0], np.array([0])) == {}


def test_give_back_memory_runs():
    give_back_memory()
