"""The words the notebooks show, built in analysis.wording: grammar for every count, ties
named, nothing said about a truce or a key date the story does not have, and the story's own
nouns only (tables here are small, hand-made, and stand for no real event)."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.stats import ChangePoints
from analysis.story import Story
from analysis.wording import (
    changepoint_words,
    count_series_findings,
    daily_counts_words,
    date_span,
    durability_words,
    event_study_words,
    event_table_findings,
    story_findings,
    story_timeline_words,
    truce_findings,
    violation_chart_words,
    weekly_words,
)

STORY = Story(name="test_story", folder=Path("data/test_story"), title="Protests in a town",
              subject="protests", one="protest", what="Protests in a town", place="a town")
NO_TRUCES = pd.DataFrame(columns=["truce_id", "name", "label", "start", "end"])
NO_OCCURRENCES = pd.DataFrame(columns=["key_date_id", "name", "label", "occurrence",
                                       "calendar", "hijri_date"])
FLAGGED_NONE = pd.DataFrame({"event_id": pd.Series(dtype=str), "date": pd.Series(dtype="M8[ns]"),
                             "truce_id": pd.Series(dtype=str), "counted": pd.Series(dtype=bool),
                             "violation_day": pd.Series(dtype="Int64"),
                             "violation_number": pd.Series(dtype="Int64"),
                             "violation_tier": pd.Series(dtype=str)})


def weeks(*counts: int) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range("2021-01-04", periods=len(counts), freq="W-MON"),
                         "count": list(counts)})


def events(n: int, *, undated: int = 0, no_actor: int = 0) -> pd.DataFrame:
    return pd.DataFrame({
        "event_id": [f"E{i}" for i in range(n)],
        "date": pd.date_range("2021-01-04", periods=n, freq="D"),
        "date_precision": ["month"] * undated + ["day"] * (n - undated),
        "actor": [None] * no_actor + ["Group A"] * (n - no_actor),
        "event_type": "protest",
    })


@pytest.mark.parametrize(("counts", "expected"), [
    ((1,), "Protests peaked in the week of 4 January 2021, with 1 protest"),
    ((0, 2, 5), "Protests peaked in the week of 18 January 2021, with 5 protests"),
    ((3, 1, 3), "The busiest weeks (4 January 2021, 18 January 2021) had 3 protests each"),
])
def test_weekly_title_names_a_single_peak_or_the_tie(counts, expected):
    assert weekly_words(STORY, weeks(*counts)).title == expected


def test_weekly_alt_text_counts_with_grammar():
    alt = weekly_words(STORY, weeks(1)).alt_text
    assert "1 protest in 1 week, 0 of them without any" in alt
    assert "1 protests" not in alt and "1 weeks" not in alt


def test_event_table_findings_grammar_for_one_and_many():
    one = event_table_findings(STORY, events(3, undated=1), weeks(3), set_aside=1)
    assert "1 protest is dated only" in one
    assert "1 row of the file was set aside" in one
    assert "Every protest names who acted" in one
    many = event_table_findings(STORY, events(4, undated=2, no_actor=2), weeks(2, 2),
                                set_aside=0)
    assert "2 protests are dated only" in many
    assert "2 protests (50%) name no perpetrator" in many
    assert "the busiest weeks (4 January 2021, 11 January 2021) had 2 protests each" in many
    assert "No row of the file was set aside." in many


def test_story_without_truce_or_key_date_says_nothing_of_them():
    table = events(2)
    start, end = pd.Timestamp("2021-01-01"), pd.Timestamp("2021-01-31")
    words = story_timeline_words(STORY, table, start=start, end=end, category="event_type",
                                 truces=NO_TRUCES, flagged=FLAGGED_NONE,
                                 occurrences=NO_OCCURRENCES)
    assert words.title == "2 protests in a town, January 2021 to January 2021"
    assert words.alt_text == ("Timeline of 2 protests (Protests in a town) from 1 January 2021 "
                              "to 31 January 2021, one row per event type.")
    for text in (words.title, words.subtitle, words.alt_text):
        assert "  " not in text and "truce" not in text.lower()
    found = story_findings(STORY, table, start=start, end=end, truces=NO_TRUCES,
                           flagged=FLAGGED_NONE, occurrences=NO_OCCURRENCES)
    assert found == "2 protests from 1 January 2021 to 31 January 2021."
    assert truce_findings(STORY, FLAGGED_NONE, pd.DataFrame(), pd.DataFrame(),
                          count_tiers=["claimed"]) == (
        "The story has no truce: no violation is counted.")


def test_violation_words_count_days_not_incidents():
    truces = pd.DataFrame({"truce_id": ["T1"], "name": ["A pause"], "label": ["pause"],
                           "start": [pd.Timestamp("2021-01-05")], "end": [pd.NaT]})
    flagged = pd.DataFrame({
        "event_id": ["E1", "E2", "E3"], "truce_id": "T1",
        "date": pd.to_datetime(["2021-01-06", "2021-01-06", "2021-01-08"]),
        "counted": [True, True, False], "violation_day": pd.array([1, 1, pd.NA], "Int64"),
        "violation_number": pd.array([1, 2, pd.NA], "Int64"),
        "violation_tier": ["claimed", "attributed", "suspected"]})
    words = violation_chart_words(STORY, events(5), first=pd.Timestamp("2021-01-01"),
                                  last=pd.Timestamp("2021-01-10"), category="event_type",
                                  truces=truces, flagged=flagged)
    assert words.title == "1 day with claimed or attributed violations of the pause"
    assert ("2 counted violations fall on 1 day; 1 more protest in scope is suspected"
            in words.alt_text)


def test_durability_words_per_truce():
    durability = pd.DataFrame({"truce_id": ["T1", "T2"], "violated": [True, False],
                               "days": [1, 30]})
    assert durability_words(STORY, durability).alt_text == (
        "T1: first violated after 1 day. T2: unbroken for 30 days.")


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2020-12-07", "2020-12-30", "7 to 30 December 2020"),
    ("2023-11-24", "2023-12-01", "24 November to 1 December 2023"),
    ("2020-12-07", "2021-01-10", "7 December 2020 to 10 January 2021"),
])
def test_date_span_names_the_year_of_each_end_when_they_differ(start, end, expected):
    assert date_span(start, end) == expected


def _changes(table: pd.DataFrame, periods: int = 52) -> ChangePoints:
    return ChangePoints(table, "W", periods, 4)


def test_changepoint_titles_follow_what_was_found():
    none = changepoint_words(STORY, _changes(pd.DataFrame(columns=["date"])), freq="W")
    assert none.title == "No change in the rate stands out from the noise"
    one = pd.DataFrame({"date": [pd.Timestamp("2021-03-01")], "rate_before": [1.0],
                        "rate_after": [3.0], "rate_ratio": [3.0]})
    assert changepoint_words(STORY, _changes(one), freq="W").title == (
        "Protests rose in the week of 1 March 2021")
    assert "From the week of 1 March 2021, protests rose to 3.0 a week, from 1.0" in (
        changepoint_words(STORY, _changes(one), freq="W").alt_text)
    two = pd.concat([one, one.assign(date=pd.Timestamp("2021-06-07"), rate_before=3.0,
                                     rate_after=0.5, rate_ratio=0.5 / 3)])
    assert changepoint_words(STORY, _changes(two), freq="W").title == (
        "The rate of protests changed 2 times (1 up, 1 down)")
    short = changepoint_words(STORY, _changes(pd.DataFrame(columns=["date"]), periods=6), freq="W")
    assert short.title == "Too few weeks to look for a change in the rate"
    assert "only 6 weeks: too few to look for a change in the rate of protests" in short.alt_text


def test_count_series_words_without_a_truce():
    daily = pd.DataFrame({"date": pd.date_range("2021-01-01", periods=3), "count": [1, 0, 2]})
    pauses = pd.DataFrame(columns=["start", "end", "label", "count_in_force", "days_in_force",
                                   "count_before", "days_before", "count_after", "days_after"])
    words = daily_counts_words(STORY, daily, pauses, start=daily["date"].min(),
                               end=daily["date"].max())
    assert words.title == "Protests per day, January 2021 to January 2021"
    assert words.alt_text.endswith("3 protests in all.")
    found = count_series_findings(STORY, daily, pauses, None,
                                  _changes(pd.DataFrame(columns=["date"]), periods=1))
    assert found.startswith("3 protests on 3 days, 1 January 2021 to 3 January 2021.")
    assert "cannot number violations" in found


def _test(rate_ratio, low, high, p, occurrences=1):
    from analysis.stats import EscalationResult

    return EscalationResult(method="shift", rate_ratio=rate_ratio, conf_low=low, conf_high=high,
                            p_value=p, alpha=0.05, before=1, after=1, occurrences=occurrences,
                            window_days=3, other_days=100, events_in_windows=30.0,
                            events_outside=300.0, dispersion=1.0, controls=("trend",),
                            sentence="")


def test_event_study_title_states_the_test_not_two_means():
    study = pd.DataFrame({"relative_day": range(-3, 4), "mean": 1.0, "placebo_mean": 0.5,
                          "placebo_low": 0.1, "placebo_high": 0.9, "occurrences": 1})
    words = event_study_words(STORY, study, _test(1.2, 0.34, 3.9, 0.63), before=1, after=1,
                              calendars=["gregorian"])
    assert words.title == ("Around the anniversary, no clear change in protests (1.2 times; "
                           "95% CI 0.34–3.9)")
    assert words.subtitle.endswith("relative to the anniversary (Gregorian)")
    assert "around 1 anniversary, with" in words.alt_text
    rose = event_study_words(STORY, study.assign(occurrences=2), _test(2.1, 1.3, 3.4, 0.01, 2),
                             before=1, after=1, calendars=["hijri", "gregorian"])
    assert rose.title == "Around the anniversaries, protests were 2.1 times as frequent (95% CI 1.3–3.4)"
    assert rose.subtitle.endswith("relative to the anniversaries (Gregorian and Hijri)")
    fell = event_study_words(STORY, study, _test(0.5, 0.3, 0.8, 0.01), before=1, after=1)
    assert fell.title == "Around the anniversary, protests were 50% less frequent (95% CI 0.30–0.80)"
    # the alt text's rates are the test's (windows merged, a day counted once), not the curve's
    assert "Over the windows (1 day before to 1 after, 3 days in all) there were 10.00 protests a day, " \
        "against 3.00 on other days." in words.alt_text
    # days near two anniversaries (a Gregorian and a Hijri date close together) are said to
    # appear in both curves
    study.attrs["shared_days"] = 12
    both = event_study_words(STORY, study, _test(1.2, 0.34, 3.9, 0.63), before=1, after=1)
    assert both.subtitle.endswith("; 12 days fall near two anniversaries and appear in both curves")
    study.attrs["shared_days"] = 1
    assert event_study_words(STORY, study, _test(1.2, 0.34, 3.9, 0.63), before=1, after=1
                             ).subtitle.endswith("; 1 day falls near two anniversaries and "
                                                 "appears in both curves")
