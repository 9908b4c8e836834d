"""validate_events / check_events: canonical columns and dtypes, date ranges, and errors a journalist can act on."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.schema import (
    ATTRIBUTION_DTYPE,
    EVENT_COLUMNS,
    PRECISION_DTYPE,
    DataError,
    empty_events,
)
from analysis.validate import check_events, validate_events


def frame(**cols):
    """A tiny event table; event_id defaults to e1, e2, ..."""
    n = len(next(iter(cols.values())))
    cols.setdefault("event_id", [f"e{i}" for i in range(1, n + 1)])
    return pd.DataFrame(cols)


def ymd(series):
    return series.dt.strftime("%Y-%m-%d").tolist()


def raises(df, **kwargs) -> DataError:
    with pytest.raises(DataError) as info:
        validate_events(df, **kwargs)
    return info.value


# --------------------------------------------------------------------------------------
# Shape and dtypes


def test_minimal_table_gets_every_canonical_column_in_order():
    out = validate_events(frame(date=["2020-12-20"]))
    assert list(out.columns) == list(EVENT_COLUMNS)


def test_dtypes_are_the_canonical_ones():
    out = validate_events(frame(date=["2020-12-20"], killed=["3"], wounded=[""],
                                latitude=["33.31"], longitude=["44.39"]))
    assert out["killed"].dtype == "Int64"
    assert out["wounded"].dtype == "Int64"
    assert out["latitude"].dtype == "Float64"
    assert out["longitude"].dtype == "Float64"
    assert out["date"].dtype == "datetime64[ns]"
    assert out["date_precision"].dtype == PRECISION_DTYPE
    assert out["attribution"].dtype == ATTRIBUTION_DTYPE
    assert out["event_id"].dtype == "str"


def test_blank_count_is_missing_and_zero_stays_zero():
    out = validate_events(frame(date=["2020-12-20"] * 2, killed=["", "0"]))
    assert out["killed"].isna().tolist() == [True, False]
    assert out["killed"].iloc[1] == 0


def test_empty_table_with_id_and_date_validates_to_an_empty_canonical_table():
    out = validate_events(pd.DataFrame({"event_id": [], "date": []}))
    assert len(out) == 0
    assert list(out.columns) == list(EVENT_COLUMNS)
    pd.testing.assert_series_equal(out.dtypes, empty_events().dtypes)


def test_validate_does_not_modify_its_input():
    df = frame(date=["2019-11", "2020-12-20"], attribution=[" Claimed ", ""],
               killed=["1", ""], date_precision=["", "week"], note_extra=["a", "b"])
    before = df.copy(deep=True)
    validate_events(df)
    pd.testing.assert_frame_equal(df, before)


def test_extra_columns_pass_through_unchanged_after_the_canonical_ones():
    df = frame(local_time=["19:45", ""], date=["2020-12-20", "2020-12-21"], weapon=["rocket", None])
    out = validate_events(df)
    assert list(out.columns) == [*EVENT_COLUMNS, "local_time", "weapon"]
    pd.testing.assert_series_equal(out["local_time"], df["local_time"])
    pd.testing.assert_series_equal(out["weapon"], df["weapon"])


def test_text_is_stripped_and_blank_text_is_missing():
    out = validate_events(frame(date=["2020-12-20"], actor=["  Kataib Hezbollah "], target=["  "]))
    assert out["actor"].iloc[0] == "Kataib Hezbollah"
    assert pd.isna(out["target"].iloc[0])


def test_date_with_time_or_timezone_keeps_the_local_day():
    stamps = pd.to_datetime(["2020-12-20 23:30"]).tz_localize("Asia/Baghdad")
    out = validate_events(frame(date=pd.Series(stamps)))
    assert ymd(out["date"]) == ["2020-12-20"]
    assert ymd(validate_events(frame(date=["2020-12-20T23:30:00"]))["date"]) == ["2020-12-20"]


# --------------------------------------------------------------------------------------
# Precision, attribution and date ranges


def test_blank_precision_means_day_and_the_range_is_that_day():
    out = validate_events(frame(date=["2020-12-20"]))
    assert out["date_precision"].tolist() == ["day"]
    assert ymd(out["date_start"]) == ymd(out["date_end"]) == ["2020-12-20"]


def test_week_precision_spans_three_days_either_side():
    out = validate_events(frame(date=["2021-02-27"], date_precision=["week"]))
    assert ymd(out["date_start"]) == ["2021-02-24"]
    assert ymd(out["date_end"]) == ["2021-03-02"]


def test_yyyy_mm_date_means_month_precision_and_the_calendar_month():
    out = validate_events(frame(date=["2019-11"]))
    assert out["date_precision"].tolist() == ["month"]
    assert ymd(out["date"]) == ["2019-11-01"]
    assert ymd(out["date_end"]) == ["2019-11-30"]


def test_month_precision_in_a_leap_february_ends_on_the_29th():
    out = validate_events(frame(date=["2020-02-14"], date_precision=["month"]))
    assert ymd(out["date_start"]) == ["2020-02-01"]
    assert ymd(out["date_end"]) == ["2020-02-29"]


def test_yyyy_date_means_year_precision_and_the_calendar_year():
    out = validate_events(frame(date=["2020"]))
    assert out["date_precision"].tolist() == ["year"]
    assert ymd(out["date_start"]) + ymd(out["date_end"]) == ["2020-01-01", "2020-12-31"]


def test_given_date_start_and_date_end_are_kept():
    out = validate_events(frame(date=["2017-03-17"], date_start=["2017-03-17"],
                                date_end=["2017-03-19"], date_precision=["range"]))
    assert ymd(out["date_start"]) + ymd(out["date_end"]) == ["2017-03-17", "2017-03-19"]


def test_precision_and_attribution_ignore_case_and_spaces():
    out = validate_events(frame(date=["2020-12-20"], date_precision=[" Week "],
                                attribution=["CLAIMED"]))
    assert out["date_precision"].tolist() == ["week"]
    assert out["attribution"].tolist() == ["claimed"]


def test_blank_attribution_means_unknown():
    out = validate_events(frame(date=["2020-12-20"], attribution=[""]))
    assert out["attribution"].tolist() == ["unknown"]


def test_attribution_is_ordered_from_claimed_to_unknown():
    assert list(ATTRIBUTION_DTYPE.categories) == ["claimed", "attributed", "suspected", "unknown"]
    assert ATTRIBUTION_DTYPE.ordered


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=pd.Timestamp("1990-01-01").date(),
                    max_value=pd.Timestamp("2030-12-31").date()),
       precision=st.sampled_from(["day", "week", "month", "year"]))
def test_date_always_lies_inside_its_range(day, precision):
    out = validate_events(frame(date=[day.isoformat()], date_precision=[precision]))
    assert out["date_start"].iloc[0] <= out["date"].iloc[0] <= out["date_end"].iloc[0]


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(5)))
def test_row_order_does_not_change_the_rows(order):
    df = frame(date=["2019-11", "2020-12-20", "2020-12-21", "2021-02-28", "2020"],
               date_precision=["", "day", "week", "week", ""], killed=["1", "", "0", "2", ""])
    base = validate_events(df).set_index("event_id").sort_index()
    shuffled = validate_events(df.iloc[list(order)]).set_index("event_id").sort_index()
    pd.testing.assert_frame_equal(base, shuffled)


# --------------------------------------------------------------------------------------
# Errors: each names the source, the rows, the column, the value and what was expected


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


def test_missing_required_column_names_it_and_lists_the_columns_found():
    err = raises(pd.DataFrame({"event_id": ["a"], "day": ["2020-12-20"]}), source="log.csv")
    msg = str(err)
    assert msg.startswith("log.csv: ")
    assert "'date'" in msg and "missing" in msg
    assert "found: event_id, day" in msg


def test_unparseable_date_is_named_with_row_value_and_expectation():
    err = raises(frame(date=["2020-12-20", "20/12/2020 ish"]), source="log.csv", rows=[2, 3])
    assert (err.column, err.rows, err.values) == ("date", [3], ["20/12/2020 ish"])
    assert "a date that exists in the calendar" in err.expected
    assert "log.csv" in str(err) and "row 3 ('20/12/2020 ish')" in str(err)


def test_31_february_is_rejected_as_not_in_the_calendar():
    err = raises(frame(date=["2021-02-31"]))
    assert (err.column, err.values) == ("date", ["2021-02-31"])
    assert "exists in the calendar" in str(err)


def test_years_outside_the_table_range_are_named_not_crashed_on():
    # "-3" and "1500" parse as years, but the table's dates hold 1677 to 2262 only
    err = raises(frame(date=["2020-12-20", "-3", "1500-01-01"]))
    assert (err.column, err.values) == ("date", ["-3", "1500-01-01"])


def test_missing_date_is_reported_with_its_row():
    err = raises(frame(date=["2020-12-20", None]), rows=[2, 3])
    assert (err.problem, err.column, err.rows) == ("missing date", "date", [3])


def test_missing_event_id_is_reported():
    err = raises(pd.DataFrame({"event_id": ["a", " "], "date": ["2020-12-20"] * 2}))
    assert (err.problem, err.column, err.rows) == ("missing event id", "event_id", [1])


def test_duplicate_id_lists_every_copy():
    err = raises(pd.DataFrame({"event_id": ["a", "b", "a"], "date": ["2020-12-20"] * 3}),
                 rows=[2, 3, 4])
    assert (err.problem, err.rows, err.values) == ("duplicate event id", [2, 4], ["a", "a"])
    assert "each event_id to appear once" in str(err)


def test_negative_killed_is_rejected():
    err = raises(frame(date=["2020-12-20"], killed=["-1"]))
    assert (err.problem, err.column, err.values) == ("negative count", "killed", [-1])
    assert "whole number >= 0" in str(err)


def test_fractional_killed_is_rejected():
    err = raises(frame(date=["2020-12-20"], killed=["1.5"]))
    assert (err.column, err.values) == ("killed", ["1.5"])
    assert "whole number" in err.expected


def test_words_in_a_count_column_are_rejected():
    err = raises(frame(date=["2020-12-20"], wounded=["several"]))
    assert (err.column, err.values) == ("wounded", ["several"])


def test_latitude_beyond_90_is_rejected():
    err = raises(frame(date=["2020-12-20"], latitude=["95"], longitude=["44.4"]))
    assert (err.problem, err.column, err.values) == ("latitude out of range", "latitude", [95.0])
    assert "between -90 and 90" in str(err)


def test_longitude_beyond_180_is_rejected():
    err = raises(frame(date=["2020-12-20"], latitude=["33.3"], longitude=["-181"]))
    assert (err.column, err.values) == ("longitude", [-181.0])


def test_script_url_is_not_a_web_address():
    err = raises(frame(date=["2020-12-20"], source_url=["javascript:alert(1)"]))
    assert (err.problem, err.column, err.values) == (
        "not a web address", "source_url", ["javascript:alert(1)"])
    assert "http:// or https://" in str(err)


def test_url_without_scheme_is_not_a_web_address():
    err = raises(frame(date=["2020-12-20"], source_url=["www.example.org/story"]))
    assert err.column == "source_url"


def test_unknown_precision_is_rejected_with_the_allowed_values():
    err = raises(frame(date=["2020-12-20"], date_precision=["fortnight"]))
    assert (err.column, err.values) == ("date_precision", ["fortnight"])
    assert "one of day, week, month, year, range" in str(err)


def test_unknown_attribution_is_rejected_with_the_allowed_values():
    err = raises(frame(date=["2020-12-20"], attribution=["rumoured"]))
    assert (err.column, err.values) == ("attribution", ["rumoured"])
    assert "claimed, attributed, suspected, unknown" in str(err)


def test_month_date_with_day_precision_is_a_contradiction():
    err = raises(frame(date=["2019-11"], date_precision=["day"]), rows=[2])
    assert (err.column, err.rows, err.values) == ("date_precision", [2], ["day"])
    assert "month for a YYYY-MM date" in str(err)


def test_date_end_before_date_is_rejected():
    err = raises(frame(date=["2020-12-20"], date_end=["2020-12-19"]))
    assert (err.problem, err.column, err.values) == ("date_end before date", "date_end",
                                                     ["2020-12-19"])


def test_date_start_after_date_is_rejected():
    err = raises(frame(date=["2020-12-20"], date_start=["2020-12-21"]))
    assert (err.column, err.values) == ("date_start", ["2020-12-21"])


def test_every_problem_is_reported_at_once():
    err = raises(frame(event_id=["a", "a", "b"], date=["2020-12-20", "2021-02-31", "2020-12-20"],
                       killed=["1", "2", "-4"]), source="log.csv", rows=[2, 3, 4])
    kinds = {(p.problem, p.column) for p in err.problems}
    assert kinds == {("value could not be read", "date"), ("duplicate event id", "event_id"),
                     ("negative count", "killed")}
    assert str(err).startswith("log.csv: 3 problems found")


def test_long_lists_of_bad_rows_are_shortened():
    err = raises(frame(date=["2020-12-20"] * 12, killed=["-1"] * 12))
    assert "12 row(s)" in str(err) and "and 2 more" in str(err)


def test_row_numbers_default_to_the_index_labels():
    df = frame(date=["2020-12-20", "2020-12-20"], killed=["1", "-1"]).set_axis([10, 11])
    assert raises(df).rows == [11]


def test_check_events_returns_the_problems_instead_of_raising():
    table, problems, _ = check_events(frame(date=["2020-12-20", "2021-02-31"]), rows=[2, 3])
    assert len(table) == 2
    assert [(p.column, p.rows.tolist()) for p in problems] == [("date", [3])]
    assert pd.isna(table["date"].iloc[1])


def test_unreadable_values_do_not_also_count_as_missing():
    _, problems, _ = check_events(frame(date=["someday"]))
    assert [p.problem for p in problems] == ["value could not be read"]


def test_numeric_columns_already_numeric_are_accepted():
    out = validate_events(frame(date=["2020-12-20"], killed=[np.int64(2)], latitude=[33.3]))
    assert out["killed"].tolist() == [2]
    assert out["latitude"].tolist() == [33.3]


@pytest.mark.parametrize("ids", [["a", "b", "b", "c"], ["c", "b", "b", "a"], ["b", "c", "a", "b"],
                                 ["a ", "b", " a"]])
def test_duplicate_ids_are_found_in_any_order(ids):
    # sorted ids take a one-pass path, the rest are hashed; trimmed ids are compared
    with pytest.raises(DataError, match="duplicate event id"):
        validate_events(frame(event_id=ids, date=["2020-12-20"] * len(ids)))


def test_ids_in_order_are_accepted():
    for ids in (["a", "b", "c"], ["c", "b", "a"]):
        assert len(validate_events(frame(event_id=ids, date=["2020-12-20"] * 3))) == 3


NUMBER_TEXT = ["33.3", "-44.4012", "1e1", "+5", ".5", "5.", "-0", "inf", "00012", "", "1.5",
               "12.345678901234567890123", "95"]


@pytest.mark.parametrize("odd", [None, " 33.3", "33.3 ", "nan", "1,5", "N/A", "0x1A", "33°"])
def test_numbers_read_in_one_pass_match_the_value_by_value_reading(monkeypatch, odd):
    # coordinates are read by Arrow in one pass; any value it may read otherwise than
    # pd.to_numeric (white space, "nan", ...) sends the whole column the careful way
    import analysis.validate as validate
    from analysis._kernels.arrow import plain_floats

    values = NUMBER_TEXT + ([odd] if odd is not None else [])
    df = frame(date=["2020-12-20"] * len(values), latitude=pd.Series(values, dtype="str"),
               killed=pd.Series(values, dtype="str"))
    assert (plain_floats(df["latitude"]) is None) == (odd is not None)
    fast = check_events(df)
    monkeypatch.setattr(validate, "plain_floats", lambda raw: None)
    slow = check_events(df)
    pd.testing.assert_frame_equal(fast[0], slow[0])
    assert [(p.problem, p.column, p.rows.tolist()) for p in fast[1]] == \
        [(p.problem, p.column, p.rows.tolist()) for p in slow[1]]
    assert ("latitude out of range", "latitude", [7, 12]) in [  # inf and 95
        (p.problem, p.column, p.rows.tolist()) for p in fast[1]]


@pytest.mark.parametrize("count", ["inf", "-inf", "1e30", "9223372036854775808"])
def test_counts_no_integer_can_hold_are_unreadable_not_wrapped_round(count):
    err = raises(frame(date=["2020-12-20"], killed=[count]))
    assert (err.problem, err.column, err.values) == ("value could not be read", "killed", [count])


@pytest.mark.parametrize("dtype", [object, "str"])
def test_counts_beyond_two_to_the_53_are_read_exactly(dtype):
    table = validate_events(frame(date=["2020-12-20"] * 2,
                                  killed=pd.Series(["9007199254740993", ""], dtype=dtype)))
    assert table["killed"].tolist()[0] == 2**53 + 1


@pytest.mark.parametrize("edge", [" a", "a ", "\ta", "a\n", "\xa0a", "a\u3000", "\x1ca", "é", "a\u2028"])
def test_text_is_stripped_whenever_a_value_may_have_white_space_at_an_edge(monkeypatch, edge):
    # clean text skips str.strip (a copy of the column); the first and last bytes decide
    import pyarrow as pa

    import analysis.validate as validate
    from analysis._kernels.arrow import may_have_edge_space

    clean = ["SYN-1", "", "x y", "https://a.org/b"]
    pieces = pa.chunked_array([pa.array(clean, pa.large_string()),
                               pa.array(["pad", edge, "z"], pa.large_string()).slice(1)])
    text = pd.Series(pd.arrays.ArrowStringArray(pieces))
    assert not may_have_edge_space(text.iloc[:4].astype("str"))
    assert may_have_edge_space(text)
    df = frame(date=["2020-12-20"] * 6, notes=text)
    fast = check_events(df)[0]
    monkeypatch.setattr(validate, "may_have_edge_space", lambda text: True)
    pd.testing.assert_frame_equal(fast, check_events(df)[0])
    assert fast["notes"].iloc[4] == edge.strip()


def test_names_moved_out_of_schema_are_still_importable_from_it():
    import analysis.casualties as casualties
    import analysis.schema as schema
    import analysis.validate as validate
    from analysis._kernels.threads import take_columns

    for name in ("Checked", "DEFAULT_DATES", "check_events", "validate_events"):
        assert getattr(schema, name) is getattr(validate, name)
    assert schema.read_counts is casualties.read_counts
    assert schema.COUNT_EXPECTED is casualties.COUNT_EXPECTED
    assert schema.take_rows is take_columns
    with pytest.raises(AttributeError, match="has no attribute 'validate_event'"):
        schema.validate_event  # noqa: B018
