"""The date parser (analysis.dates): property tests over every written form, and the rule that
a file's day/month order is decided once, from values that can only be read one way."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.dates import (
    PIVOT,
    AmbiguousDates,
    DateRules,
    decide_convention,
    read_dates,
)
from analysis.schema import DataError
from analysis.validate import check_events
from analysis.values import distinct_text

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


def _two(year: int) -> str:
    return f"{year % 100:02d}"


#: every supported way of writing a day, and whether it needs the day/month order decided
#: (``order``: "day" or "month" for numbers, None for forms that say which is which)
WRITERS = {
    "iso": (lambda d: d.isoformat(), None),
    "iso_slash": (lambda d: d.strftime("%Y/%m/%d"), None),
    "iso_time_offset": (lambda d: f"{d.isoformat()}T23:10:00+03:00", None),
    "iso_time_z": (lambda d: f"{d.isoformat()} 04:05:06.000", None),
    "compact": (lambda d: d.strftime("%Y%m%d"), None),
    "acled": (lambda d: f"{d.day:02d} {MONTH_NAMES[d.month - 1]} {d.year}", None),
    "acled_unpadded": (lambda d: f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}", None),
    "day_month_full_dashed": (lambda d: f"{d.day:02d}-{MONTH_NAMES[d.month - 1]}-{d.year}",
                              None),
    "excel_dd_mmm_yy": (lambda d: f"{d.day}-{MONTH_NAMES[d.month - 1][:3]}-{_two(d.year)}",
                        None),
    "month_name_day": (lambda d: f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year}", None),
    "weekday_month_day": (lambda d: d.strftime("%A, %b ") + f"{d.day} {d.year}", None),
    "us_slash": (lambda d: f"{d.month}/{d.day}/{d.year}", "month"),
    "us_slash_two_digit": (lambda d: f"{d.month}/{d.day}/{_two(d.year)}", "month"),
    "eu_slash": (lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}", "day"),
    "eu_dash_two_digit": (lambda d: f"{d.day:02d}-{d.month:02d}-{_two(d.year)}", "day"),
    "eu_dots": (lambda d: f"{d.day}.{d.month}.{d.year}", "day"),
    "excel_serial": (lambda d: str((d - dt.date(1899, 12, 30)).days), None),
}

#: dates every form can hold: two-digit years stay inside the documented pivot window
#: (1969-2068) and Excel serial numbers have five digits (1927-2173)
DAYS = st.dates(min_value=dt.date(1969, 1, 1), max_value=dt.date(2068, 12, 31))


def _read(values, rules=DateRules()):  # noqa: B008 (frozen, never changed)
    """Read a column as the loaders do: decide the order once, then parse."""
    column = pd.Series(values, dtype=object)
    codes_uniq = distinct_text(column)
    convention = decide_convention({"event_date": codes_uniq[1]}, rules)
    return read_dates(column, convention, rules, distinct=codes_uniq), convention


@settings(max_examples=150, deadline=None)
@given(form=st.sampled_from(sorted(WRITERS)), days=st.lists(DAYS, min_size=1, max_size=12))
def test_a_date_written_in_any_form_reads_back_as_the_same_date(form, days):
    write, order = WRITERS[form]
    text = [write(d) for d in days]
    # the order is settled by the file when some date can only be read one way, else by the caller
    rules = DateRules(dayfirst=None if order is None else order == "day")
    reading, _ = _read(text, rules)
    assert not reading.unreadable.any(), text
    got = reading.dates.dt.date.tolist()
    assert got == days, list(zip(text, got, days, strict=True))


@settings(max_examples=100, deadline=None)
@given(form=st.sampled_from(["us_slash", "eu_slash", "eu_dash_two_digit", "eu_dots"]),
       days=st.lists(DAYS, min_size=1, max_size=12))
def test_numeric_dates_with_a_telling_value_need_no_hint_and_are_never_swapped(form, days):
    write, order = WRITERS[form]
    # one date whose day is above 12 settles the file's order
    days = [*days, dt.date(2020, 12, 31)]
    reading, convention = _read([write(d) for d in days])
    assert convention.dayfirst is (order == "day")
    assert "can only be read that way" in convention.how
    assert reading.dates.dt.date.tolist() == days


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(1, 12), st.integers(1, 12)).filter(
           lambda p: p[0] != p[1]), min_size=1, max_size=20),
       year=st.integers(1990, 2030), sep=st.sampled_from("/-."),
       same=st.lists(st.integers(1, 12), max_size=3))
def test_a_column_of_only_ambiguous_numeric_dates_is_never_read_silently(pairs, year, sep, same):
    # also dates such as 4/4/2020 that read the same either way: they settle nothing
    text = [f"{a}{sep}{b}{sep}{year}" for a, b in pairs] + [f"{d}{sep}{d}{sep}{year}" for d in same]
    with pytest.raises(AmbiguousDates, match="day-first or month-first") as info:
        _read(text)
    assert "dayfirst=True" in info.value.expected and "--monthfirst" in info.value.expected
    # through the schema the same file is a DataError naming the column and the way out
    table = pd.DataFrame({"event_id": [f"E{i}" for i in range(len(text))], "date": text})
    with pytest.raises(DataError, match="'date'") as info:
        check_events(table, source="story.csv")
    assert "dayfirst" in str(info.value) and "story.csv" in str(info.value)


@settings(max_examples=100, deadline=None)
@given(days=st.lists(DAYS, min_size=1, max_size=8), dayfirst=st.booleans())
def test_both_orders_in_one_column_is_an_error_not_a_mix(days, dayfirst):
    us, eu = WRITERS["us_slash"][0], WRITERS["eu_slash"][0]
    text = [us(dt.date(2020, 12, 31)), eu(dt.date(2020, 12, 31))] + [
        (eu if i % 2 else us)(d) for i, d in enumerate(days)]
    with pytest.raises(AmbiguousDates, match="both day-first .* and month-first"):
        _read(text)
    # with the order given, the dates that cannot be read that way are set aside, never swapped
    reading, _ = _read(text, DateRules(dayfirst=dayfirst))
    telling = {True: "12/31/2020", False: "31/12/2020"}[dayfirst]
    assert reading.unreadable[text.index(telling)]
    assert reading.dates.dropna().dt.date.isin(
        [dt.date(2020, 12, 31), *days] + [dt.date(d.year, d.day, d.month) for d in days
                                         if d.day <= 12]).all()


@pytest.mark.parametrize("value, expected", [
    ("20 December 2020", "2020-12-20"), ("01-January-2015", "2015-01-01"),
    ("31-Dec-21", "2021-12-31"), ("5-Aug-24", "2024-08-05"), ("31-12-19", "2019-12-31"),
    ("12/31/2020", "2020-12-31"), ("31/12/2020", "2020-12-31"), ("44185", "2020-12-20"),
    ("20201220", "2020-12-20"), ("2020-12-20 00:00:00.000", "2020-12-20"),
    ("2020-12-20T23:10:00+03:00", "2020-12-20"), ("2020-12-20T23:10:00-05:00", "2020-12-20"),
    ("Sunday, December 20, 2020", "2020-12-20"), ("20th Dec 2020", "2020-12-20"),
    (f"1/1/{PIVOT - 1}", f"20{PIVOT - 1}-01-01"), (f"1/1/{PIVOT}", f"19{PIVOT}-01-01"),
])
def test_each_form_named_in_the_issue(value, expected):
    reading, _ = _read([value])
    assert reading.dates.iloc[0] == pd.Timestamp(expected)


def test_offsets_keep_the_date_as_written_in_local_time():
    # a report's date is the local date of the attack; an offset never moves it to UTC
    reading, _ = _read(["2020-12-20T23:10:00+03:00", "2020-12-20T01:00:00-08:00",
                        "2020-12-21 02:00 UTC"])
    assert reading.dates.dt.date.tolist() == [dt.date(2020, 12, 20), dt.date(2020, 12, 20),
                                              dt.date(2020, 12, 21)]


@pytest.mark.parametrize("value", ["31/02/2020", "2020-13-01", "32 December 2020",
                                   "20 Decembr 2020", "yesterday", "2020-12-20 25:00:00x"])
def test_impossible_or_unknown_dates_are_unreadable_not_guessed(value):
    reading, _ = _read([value, "31/12/2020"])
    assert reading.unreadable[0] and pd.isna(reading.dates.iloc[0])


def test_two_digit_years_are_checked_against_the_year_column():
    table = pd.DataFrame({"event_id": ["A", "B", "C"], "date": ["31-Dec-21", "1-Jan-69", "5-Aug-24"],
                          "year": ["2021", "2069", "2024"]})
    checked = check_events(table, source="acled.csv", dates=DateRules(year_column="year"))
    [problem] = checked.problems
    assert problem.column == "date" and problem.positions.tolist() == [1]
    assert "year" in problem.expected and problem.values.tolist() == ["1-Jan-69"]
    assert checked.table["date"].iloc[[0, 2]].dt.date.tolist() == [
        dt.date(2021, 12, 31), dt.date(2024, 8, 5)]


def test_the_convention_is_one_per_file_across_date_columns():
    # date_start settles day-first; date_end's 3/5/2020 is then 3 May, not left ambiguous
    columns = {"date_start": distinct_text(pd.Series(["31/12/2020"], dtype=object))[1],
               "date_end": distinct_text(pd.Series(["3/5/2020"], dtype=object))[1]}
    convention = decide_convention(columns, DateRules())
    assert convention.dayfirst is True
    reading = read_dates(pd.Series(["3/5/2020"], dtype=object), convention, DateRules())
    assert reading.dates.iloc[0] == pd.Timestamp("2020-05-03")


def test_partial_dates_only_where_the_format_allows_them():
    reading, _ = _read(["2020-12", "2020"])
    assert reading.dates.tolist() == [pd.Timestamp("2020-12-01"), pd.Timestamp("2020-01-01")]
    assert reading.precision.tolist() == ["month", "year"]
    strict, _ = _read(["2020-12", "2020"], DateRules(partial=False))
    assert strict.unreadable.all()


def test_a_column_of_many_rows_is_parsed_by_distinct_value():
    # 200,000 rows of 3 distinct values: read once each (a loop per row would take minutes)
    values = pd.Series(np.tile(["20 December 2020", "3/5/2020", "31/12/2020"], 66_667),
                       dtype=object)
    reading, convention = _read(values)
    assert convention.dayfirst is True
    assert reading.dates.nunique() == 3 and not reading.unreadable.any()


@pytest.mark.parametrize("value", ["00:00.0", "13:45:00", "9:30 pm"])
def test_a_time_with_no_date_says_the_spreadsheet_dropped_the_date(value):
    table = pd.DataFrame({"event_id": ["A", "B"], "date": [value, "2020-12-20"]})
    [problem] = check_events(table, source="resaved.csv").problems
    assert problem.problem == "a time with no date" and problem.values.tolist() == [value]
    assert "yyyy-mm-dd" in problem.expected
