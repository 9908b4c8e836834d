"""What the charts and findings say: every title, subtitle, alt text and sentence the notebooks
show, worded from the story (its nouns, place, truces and key dates) and from the data.

One place, tested (tests/test_wording.py); the notebooks only call it. Nothing here names a
country, a group or a date: a story's words come from its ``story.toml`` and its tables, so no
story's words leak into another's. Counts are worded with :meth:`Story.count` ("1 protest",
"0 weeks"), so the grammar is right for every number.

The statistical verdicts (how big a change is, whether the data can tell) come from
:mod:`analysis.stats` (``describe_trend``, ``trend_headline``, ``describe_changepoints`` and
each test's ``sentence``): this module arranges them, it never re-judges a result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from analysis.charts.data import MAX_NUMBERED  # past this many, no day is numbered or listed
from analysis.charts.escape import safe_markdown
from analysis.stats import (
    UNIT,
    ChangePoints,
    EscalationResult,
    TrendResult,
    describe_trend,
    escalation_headline,
    trend_headline,
)

if TYPE_CHECKING:
    from analysis.story import Story

class Markdown:
    """What a notebook cell shows as Markdown, built from data (a finding, a story's title or
    intro, a truce's name): shown through :func:`~analysis.charts.escape.safe_markdown`, so
    HTML in a value is text and never runs in the published page. Use it where
    ``IPython.display.Markdown`` would be used.

    >>> Markdown("**<b>x</b>**")._repr_markdown_()
    '**&lt;b&gt;x&lt;/b&gt;**'
    """

    def __init__(self, text: object):
        self.data = safe_markdown(text)

    def _repr_markdown_(self) -> str:
        return self.data

    def __str__(self) -> str:
        return self.data


#: how a count is worded per period, for :meth:`Story.count`
PERIOD_NOUN = {freq: f"{unit}|{unit}s" for freq, unit in UNIT.items()}


@dataclass(frozen=True)
class ChartWords:
    """A chart's title, subtitle and alt text (the alt text describes what the chart shows,
    with its numbers, for a reader who cannot see it)."""

    title: str
    subtitle: str
    alt_text: str


def _day(ts: pd.Timestamp) -> str:
    return f"{ts:%-d %B %Y}"


def date_span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """``"7 to 30 December 2020"``, ``"24 November to 1 December 2023"``, ``"7 December 2020 to
    10 January 2021"``: the year once when both ends share it, else on both ends."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start.year != end.year:
        return f"{_day(start)} to {_day(end)}"
    if start.month != end.month:
        return f"{start:%-d %B} to {_day(end)}"
    return f"{start.day} to {_day(end)}"


def _label(row, default: str = "truce") -> str:
    """A truce's or key date's label, else ``default`` (labels are optional in the tables)."""
    label = getattr(row, "label", None)
    return label if isinstance(label, str) and label else default


def _busiest(counts: pd.DataFrame) -> tuple[int, str, bool]:
    """The highest count, the periods that reached it (up to three, then "..."), and whether
    more than one did: a tie is named as a tie, never as one peak."""
    peak = int(counts["count"].max())
    top = counts.loc[counts["count"] == peak, "date"]
    when = ", ".join(_day(d) for d in top.head(3)) + (" ..." if len(top) > 3 else "")
    return peak, when, len(top) > 1


def story_violation(story: Story, flagged: pd.DataFrame) -> pd.Series | None:
    """The story's own event (``story_event`` in story.toml) as a counted violation, or None
    when the story names no event or the event is not counted."""
    rows = flagged[(flagged["event_id"] == story.story_event) & flagged["counted"]]
    return rows.iloc[0] if len(rows) else None


# ---------------------------------------------------------------- 00 the story in one page
def story_timeline_words(story: Story, shown: pd.DataFrame, *, start: pd.Timestamp,
                         end: pd.Timestamp, category: str, truces: pd.DataFrame,
                         flagged: pd.DataFrame, occurrences: pd.DataFrame) -> ChartWords:
    """The story timeline's words: the title names the story's event and its violation day
    when it is a counted violation, else how many events the chart shows."""
    row = story_violation(story, flagged)
    by = category.replace("_", " ")
    if row is not None:
        truce = truces.set_index("truce_id").loc[row["truce_id"]]
        title = (f"The {row['date']:%-d %B} {story.one} was violation day {row['violation_day']} "
                 f"of the {truce['label'] or 'truce'}")
    else:
        title = f"{story.count(len(shown))} {story.in_place}, {start:%B %Y} to {end:%B %Y}"
        title = title.replace("  ", " ")
    counted = flagged[flagged["counted"] & flagged["date"].between(start, end)]
    days = counted.drop_duplicates(["truce_id", "violation_day"])
    day_list = ("; ".join(f"{d.violation_day}: {d.date:%-d %b}" for d in days.itertuples())
                if len(days) <= MAX_NUMBERED else "")
    parts = [f"Timeline of {story.count(len(shown))} ({story.what}) from {_day(start)} to "
             f"{_day(end)}, one row per {by}."]
    parts += [f"Shaded from {_day(t.start)}: {t.name}." for t in truces.itertuples()
              if t.start <= end]
    if day_list:
        parts.append(f"Counted violations are numbered by violation day ({day_list}).")
    elif len(days):
        parts.append(f"{story.count(len(days), 'day|days')} with counted violations are filled.")
    if len(occurrences):
        parts.append("Vertical lines mark the anniversaries: " + ", ".join(
            f"{_day(o.occurrence)} ({o.label or o.name}, {o.calendar})"
            for o in occurrences.itertuples()) + ".")
    alt = " ".join(parts)
    return ChartWords(title, f"{story.what}, {start:%B %Y} to {end:%B %Y}, by {by}", alt)


def story_findings(story: Story, shown: pd.DataFrame, *, start: pd.Timestamp,
                   end: pd.Timestamp, truces: pd.DataFrame, flagged: pd.DataFrame,
                   occurrences: pd.DataFrame) -> str:
    """The story page's findings: how many events, the story's event as a violation day of its
    truce (or that it is not a counted violation), and the next anniversary after it."""
    out = [f"{story.count(len(shown))} from {_day(start)} to {_day(end)}."]
    row = story_violation(story, flagged)
    if row is None:
        if story.story_event:
            out.append(f"The story's event {story.story_event} is not a counted violation in "
                       "this data.")
        return " ".join(out)
    truce = truces.set_index("truce_id").loc[row["truce_id"]]
    out.append(
        f"Counting claimed and attributed violations by day, the {story.one} of "
        f"{_day(row['date'])} is violation day **{row['violation_day']}** of the "
        f"{truce['label']}, which began on {_day(truce['start'])} "
        f"(incident {row['violation_number']}: incidents on one day count as one violation day).")
    after = occurrences[occurrences["occurrence"] >= row["date"]]
    if len(after):
        nxt = after.iloc[0]
        out.append(
            f"It came **{story.count((nxt['occurrence'] - row['date']).days, 'day|days')}** "
            f"before the {nxt['label'] or nxt['name']} ({_day(nxt['occurrence'])}; "
            f"{nxt['hijri_date']} AH). Whether {story.subject} really rose around the "
            "anniversaries is tested in notebook 03.")
    return " ".join(out)


# ---------------------------------------------------------------- 01 the event table
def weekly_words(story: Story, weekly: pd.DataFrame) -> ChartWords:
    """Words for the weekly bar chart: the busiest week (or the tied busiest weeks)."""
    peak, when, tied = _busiest(weekly)
    title = (f"The busiest weeks ({when}) had {story.count(peak)} each" if tied else
             f"{story.Subject} peaked in the week of {when}, with {story.count(peak)}")
    alt = (f"Bar chart of {story.subject} per week from {weekly['date'].min():%B %Y} to "
           f"{weekly['date'].max():%B %Y}: {story.count(int(weekly['count'].sum()))} in "
           f"{story.count(len(weekly), 'week|weeks')}, {int((weekly['count'] == 0).sum())} of "
           f"them without any. The most in one week: {story.count(peak)} ({when}).")
    return ChartWords(title, f"{story.what}: {story.subject} per week, with a 4-week average",
                      alt)


def event_table_findings(story: Story, table: pd.DataFrame, weekly: pd.DataFrame, *,
                         set_aside: int) -> str:
    """What the cleaned table holds: its span, how many events are dated only roughly or name
    no perpetrator, quiet and busiest weeks, and how many rows of the file were set aside."""
    peak, when, tied = _busiest(weekly)
    undated = int((table["date_precision"] != "day").sum())
    no_actor = int(table["actor"].isna().sum())
    quiet = int((weekly["count"] == 0).sum())
    return (
        f"The table holds **{story.count(len(table))}** from {_day(table['date'].min())} to "
        f"{_day(table['date'].max())}. {story.count(undated)} {'is' if undated == 1 else 'are'} "
        "dated only to the week, month or a range. "
        + (f"{story.count(no_actor)} ({no_actor / len(table):.0%}) name no perpetrator. "
           if no_actor else f"Every {story.one} names who acted. ")
        + f"{quiet} of {story.count(len(weekly), 'week|weeks')} had none recorded; "
        + (f"the busiest weeks ({when}) had {story.count(peak)} each. " if tied else
           f"the busiest week began {when} with {story.count(peak)}. ")
        + (f"{story.count(set_aside, 'row|rows')} of the file "
           f"{'was' if set_aside == 1 else 'were'} set aside (listed above)." if set_aside
           else "No row of the file was set aside."))


# ---------------------------------------------------------------- 02 truce violations
def violation_chart_words(story: Story, shown: pd.DataFrame, *, first: pd.Timestamp,
                          last: pd.Timestamp, category: str, truces: pd.DataFrame,
                          flagged: pd.DataFrame) -> ChartWords:
    """Words for the violations timeline: counted violation days (one truce) or the number of
    truces, what the marks mean, and the counted and suspected totals."""
    days = flagged[flagged["counted"]].drop_duplicates(["truce_id", "violation_day"])
    by = category.replace("_", " ")
    title = (f"{story.count(len(days), 'day|days')} with claimed or attributed violations of "
             f"the {truces['label'].iloc[0] or 'truce'}" if len(truces) == 1
             else f"Violations of {len(truces)} truces")
    subtitle = (f"{story.Subject} by {by}; "
                + ("numbers mark days with a counted violation" if len(days) <= MAX_NUMBERED
                   else "filled: counted violations") + "; hollow: suspected")
    counted = int(flagged["counted"].sum())
    suspected = int((flagged["violation_tier"] == "suspected").sum())
    alt = (f"Timeline of {story.count(len(shown))} from {_day(first)} to {_day(last)}, by {by}, "
           "with the truce periods shaded. "
           f"{story.count(counted, 'counted violation|counted violations')} "
           f"{'falls' if counted == 1 else 'fall'} on {story.count(len(days), 'day|days')}; "
           f"{suspected:,} more {story.one if suspected == 1 else story.subject} in scope "
           f"{'is' if suspected == 1 else 'are'} suspected (unclaimed).")
    return ChartWords(title, subtitle, alt)


def durability_words(story: Story, durability: pd.DataFrame) -> ChartWords:
    """Words for the durability chart: each truce's days to its first counted violation."""
    alt = " ".join(
        f"{d.truce_id}: {'first violated after' if d.violated else 'unbroken for'} "
        f"{story.count(int(d.days), 'day|days')}." for d in durability.itertuples())
    return ChartWords("Days from each truce's start to its first counted violation",
                      "Counted (claimed or attributed) violations", alt)


def truce_findings(story: Story, flagged: pd.DataFrame, summary: pd.DataFrame,
                   violations: pd.DataFrame, *, count_tiers: list[str]) -> str:
    """Per truce: counted violations, violation days, the days in force and the suspected
    ones (observed counts: no rate is stated, since violations cluster and a rate would need
    an interval a count of them cannot honestly give); led, when the story's event is
    counted, by its violation day and the earlier ones."""
    per_truce = " ".join(
        f"Truce {r.truce_id} (from {_day(r.start)}): "
        f"{story.count(int(r.counted_violations), 'counted violation|counted violations')} on "
        f"{story.count(int(r.violation_days), 'day|days')} in the "
        f"{story.count(int(r.days_in_force), 'day|days')} in force up to "
        f"{_day(r.in_force_until)}, and {int(r.suspected)} suspected."
        for r in summary.itertuples()
    ) or "The story has no truce: no violation is counted."
    row = story_violation(story, flagged)
    if row is None:
        return per_truce
    earlier = violations[(violations["truce_id"] == row["truce_id"])
                         & (violations["date"] < row["date"])]
    earlier_days = ", ".join(earlier.dropna(subset=["day_no"]).drop_duplicates("day_no")["date"]
                             .dt.strftime("%-d %B"))
    suspected = int((earlier["tier"] == "suspected").sum())
    return (f"Counting {' and '.join(count_tiers)} violations, the {story.one} of "
            f"{_day(row['date'])} ({story.story_event}) is violation day "
            f"**{row['violation_day']}** and incident **{row['violation_number']}** of truce "
            f"{row['truce_id']}"
            + (f": the earlier violation days are {earlier_days}. " if earlier_days else ". ")
            + f"Beside them {'lies' if suspected == 1 else 'lie'} "
            f"{story.count(suspected, 'suspected violation|suspected violations')}"
            f" before that date (unclaimed {story.subject} in scope). " + per_truce)


# ---------------------------------------------------------------- 03 anniversaries
def event_study_words(story: Story, study: pd.DataFrame, test: EscalationResult, *,
                      before: int, after: int,
                      calendars: Sequence[str] = ("gregorian", "hijri")) -> ChartWords:
    """Words for the event-study chart around the anniversaries: the title states the
    escalation ``test``'s result (:func:`escalation_headline`), not two means; one
    anniversary is named as one, and the subtitle names the calendars studied and, when
    anniversaries are close together, that some days appear in two curves. The rates in the
    alt text are the test's (overlapping windows merged: a day counts once)."""
    n = int(study["occurrences"].iloc[0])
    the = "the anniversary" if n == 1 else "the anniversaries"
    title = escalation_headline(test, what=story.subject)
    inside = test.events_in_windows / test.window_days
    outside = test.events_outside / test.other_days
    alt = (f"Line chart of {story.subject} per day from {study['relative_day'].min()} to "
           f"{study['relative_day'].max()} days around "
           f"{story.count(n, 'anniversary|anniversaries')}, with a 95% confidence band day by "
           "day and a grey band of what ordinary days look like (in simulations a curve with "
           "no effect left it on some day about 1 time in 8). Over the windows "
           f"({story.count(before, 'day|days')} before to {after} after, "
           f"{story.count(test.window_days, 'day|days')} in all)"
           f" there were {inside:.2f} {story.subject} a day, against {outside:.2f} on other "
           f"days. {test.sentence}")
    named = " and ".join(c.capitalize() for c in sorted(set(calendars)))
    subtitle = f"Mean {story.subject} per day by day relative to {the} ({named})"
    shared = int(study.attrs.get("shared_days", 0))
    if shared:
        subtitle += "; " + story.count(shared, "day falls near two anniversaries and appears|"
                                       "days fall near two anniversaries and appear") + " in both curves"
    return ChartWords(title, subtitle, alt)


def anniversary_findings(story: Story, results: list[EscalationResult],
                         windowed: pd.DataFrame, *, holiday: EscalationResult | None = None,
                         holiday_names: list[str] | None = None) -> str:
    """The default escalation test's sentence (the shift test), what a model taking days as
    independent says when it disagrees, where the story's event fell against the nearest anniversary, and the religious
    dates' own test."""
    by_method = {r.method: r for r in results}
    main = by_method.get("shift") or next(iter(by_method.values()), None)
    naive = by_method.get("negbin")
    out = (main.sentence if main else
           "No anniversary of the story's key dates falls inside the period of the data.")
    if main and naive and (naive.p_value < 0.05) != (main.p_value < 0.05):
        out += (f" A model that takes days as independent (negative binomial) "
                f"{'would call it significant' if naive.p_value < 0.05 else 'would not'} "
                f"(p = {naive.p_value:.2f}); it is not quoted, because attacks cluster in time "
                "and it then raises false alarms (benchmarks/README.md).")
    rows = windowed[(windowed["event_id"] == story.story_event) & windowed["in_window"]]
    if len(rows):
        s = rows.iloc[0]
        days = int(s["days_to_anniversary"])
        out = (f"The {story.one} of {_day(s['date'])} came "
               f"{story.count(abs(days), 'day|days')} {'before' if days < 0 else 'after'} the "
               f"nearest anniversary ({s['key_date_id']}, {_day(s['occurrence'])}). " + out)
    if holiday is not None:
        out += (f" For {' and '.join(holiday_names or ['the religious dates'])}: "
                f"{holiday.sentence[0].lower()}{holiday.sentence[1:]}")
    return out


# ---------------------------------------------------------------- 04 / 05 trends
def trend_chart_words(story: Story, model: TrendResult, *, label: str | None) -> ChartWords:
    """Words for an interrupted-series chart: a title that claims no more than the test
    (:func:`trend_headline`) and an alt text that says what is drawn and the first finding."""
    per = UNIT[model.freq]
    dates = model.fitted["date"]
    alt = (f"{story.Subject} per {per} from {dates.min():%B %Y} to {dates.max():%B %Y} as "
           "points, the fitted model with its 95% band, and the counterfactual (dashed): what the "
           f"earlier trend predicts without the truce. {describe_trend(model, what=story.subject)[0]}")
    return ChartWords(
        trend_headline(model, what=story.subject, after=f"the {label}" if label else "the truce"),
        "Interrupted time series, negative binomial with autocorrelation-robust errors", alt)


def changepoint_words(story: Story, changes: ChangePoints, *, freq: str) -> ChartWords:
    """Words for the change-point chart: none, one (when, up or down) or how many changes
    were found and which way."""
    per = UNIT[freq]
    said = changes.describe(what=story.subject)
    table = changes.table
    if changes.periods < 2 * changes.min_size:
        title = f"Too few {per}s to look for a change in the rate"
    elif changes.empty:
        title = "No change in the rate stands out from the noise"
    elif len(table) == 1:
        way = "rose" if table["rate_ratio"].iloc[0] > 1 else "fell"
        title = f"{story.Subject} {way} in the {per} of {_day(table['date'].iloc[0])}"
    else:
        ups = int((table["rate_ratio"] > 1).sum())
        title = (f"The rate of {story.subject} changed {len(table)} times ({ups} up, "
                 f"{len(table) - ups} down)")
    alt = (f"Bar chart of {story.subject} per {per} with a 4-{per} average; dashed lines at the "
           "change points found without being told where to look. " + " ".join(said))
    return ChartWords(title, f"{story.Subject} per {per}; dashed lines: change points", alt)


def trend_findings(story: Story, model: TrendResult | None, changes: ChangePoints, *,
                   freq: str, around: pd.DataFrame | None = None,
                   weeks: tuple[str, str] | None = None, skipped: Sequence[str] = ()) -> str:
    """The trend model's sentences (or that no truce starts inside the data), how many of the
    periods around the anniversaries (``around``, the model's fitted rows from ``weeks[0]`` to
    ``weeks[1]``) ran above the model's range, and the change points; ``skipped``: the
    sentences of :meth:`Story.trend_interruptions` on truces it could not model."""
    out = list(skipped) + (describe_trend(model, what=story.subject) if model is not None
                           else [] if skipped else ["No truce of the story starts inside the data."])
    if around is not None and len(around) and weeks:
        above = int(around["above_expected_range"].sum())
        out.append(
            f"In the {story.count(len(around), PERIOD_NOUN[freq])} from "
            f"{date_span(weeks[0], weeks[1])}, "
            f"{above or 'none'} had more {story.subject} than the model expects (95% prediction "
            "range).")
    return " ".join(out + changes.describe(what=story.subject))


# ---------------------------------------------------------------- 05 count series
def _pause_sentence(story: Story, r) -> str:
    return (f"From {date_span(r.start, r.end)} ({r.label}): "
            f"{story.count(r.count_in_force)} in {r.days_in_force} days; {r.count_before:,} in "
            f"the {r.days_before} days before and {r.count_after:,} in the {r.days_after} days "
            "after.")


def daily_counts_words(story: Story, shown: pd.DataFrame, pauses: pd.DataFrame, *,
                       start: pd.Timestamp, end: pd.Timestamp) -> ChartWords:
    """Words for a count series' daily chart: the truce days against as many days before
    (one truce), else the span."""
    if len(pauses) == 1:
        p = pauses.iloc[0]
        title = (f"{story.count(p['count_in_force'])} on the {p['days_in_force']} days of the "
                 f"{p['label']}, against {p['count_before']:,} on the {p['days_before']} days "
                 "before")
    else:
        title = f"{story.Subject} per day, {start:%B %Y} to {end:%B %Y}"
    alt = (f"Bar chart of {story.subject} per day from {_day(start)} to {_day(end)}, "
           f"{story.count(int(shown['count'].sum()))} in all. "
           + " ".join(_pause_sentence(story, r) for r in pauses.itertuples()))
    return ChartWords(title, f"{story.what}; the truce period shaded", alt.rstrip())


def count_series_findings(story: Story, daily: pd.DataFrame, pauses: pd.DataFrame,
                          model: TrendResult | None, changes: ChangePoints, *,
                          skipped: Sequence[str] = ()) -> str:
    """A count series' findings: the tallies' span, each truce's observed counts, the model,
    the change points, and what tallies cannot tell."""
    out = [f"{story.count(int(daily['count'].sum()))} on "
           f"{story.count(len(daily), 'day|days')}, {_day(daily['date'].min())} to "
           f"{_day(daily['date'].max())}."]
    out += [f"While the {r.label} was in force ({date_span(r.start, r.end)}, "
            f"{story.count(r.days_in_force, 'day|days')}), {story.count(r.count_in_force)} "
            f"{'was' if r.count_in_force == 1 else 'were'} recorded, against {r.count_before:,} "
            f"in the {r.days_before} days before and {r.count_after:,} in the {r.days_after} days "
            "after (observed counts; the model below says what they can support)."
            for r in pauses.itertuples()]
    out += list(skipped)
    out += describe_trend(model, what=story.subject) if model is not None else []
    out += changes.describe(what=story.subject)
    out.append(f"From tallies alone this story cannot {story.COUNTS_CANNOT}.")
    return " ".join(out)
