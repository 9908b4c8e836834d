"""Charts: house style, builders (artists on the curated data), the writer, exports, safety."""

import html
import itertools
import json
import shutil
import subprocess
import sys
from types import SimpleNamespace

import matplotlib as mpl

mpl.use("Agg")

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from analysis import charts as ch
from analysis.anniversaries import anniversary_occurrences, event_study, read_key_dates
from analysis.charts.escape import escape_html, http_urls, link_html
from analysis.charts.style import stagger_levels
from analysis.events import count_events, normalize_actors, read_aliases
from analysis.io import read_events
from analysis.paths import ACTOR_ALIASES, INCIDENTS, KEY_DATES, TRUCES
from analysis.schema import DataError, validate_events
from analysis.truces import flag_violations, kaplan_meier, read_truces, truce_durability

XSS_IMG = '<img src=x onerror="window.__pwned=1">'
XSS_SCRIPT = "<script>window.__pwned=2;alert(1)</script>"
XSS_LINK = '<a href="https://evil.example/">click</a> <b>not bold</b>'  # markup plotly knows


# --------------------------------------------------------------------------------------
# Fixtures: the curated seed story and tiny hand-made tables


@pytest.fixture(scope="module")
def story():
    events = normalize_actors(read_events(INCIDENTS), read_aliases(ACTOR_ALIASES))
    truces = read_truces(TRUCES)
    key_dates = read_key_dates(KEY_DATES)
    flagged = flag_violations(events, truces)
    occ = anniversary_occurrences(key_dates, "2019-10-01", "2021-03-31", include_original=True)
    soleimani = occ[occ["key_date_id"].str.startswith("KD-SOLEIMANI")].drop_duplicates(
        "occurrence")
    return SimpleNamespace(events=events, truces=truces, key_dates=key_dates, flagged=flagged,
                           occurrences=occ, soleimani=soleimani)


@pytest.fixture(scope="module")
def timeline(story):
    return ch.plot_timeline(story.events, truces=story.truces, occurrences=story.soleimani,
                            flagged=story.flagged, title="Test timeline")


def tiny_events(**extra) -> pd.DataFrame:
    frame = pd.DataFrame({
        "event_id": ["e1", "e2", "e3"],
        "date": ["2020-12-10", "2020-12-20", "2020-11"],
        "location": ["Baghdad", "Green Zone", "Taji"],
        "target": ["US embassy", "Convoy", "Base"],
        "target_type": ["diplomatic", "logistics_convoy", "military_base"],
        "attribution": ["claimed", "unknown", "attributed"],
        "killed": [0, None, 2], "wounded": [1, None, 0],
        "source": ["Rudaw", "Mehr News", "Rudaw"],
        "source_url": ["https://example.org/1", "https://example.org/2", "http://example.net/3"],
        "notes": ["Synthetic fixture row", "=HYPERLINK(\"http://evil.example\",\"x\")", None],
        "dataset": ["iraq_2019_2021_factsheet"] * 3,
    })
    for col, values in extra.items():
        frame[col] = values
    return validate_events(frame)


def texts_of(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def by_gid(fig, gid: str, kind=object) -> list:
    return [a for a in fig.findobj(lambda a: a.get_gid() == gid) if isinstance(a, kind)]


def fitted_result(n: int = 40, cut: int = 20) -> SimpleNamespace:
    d = pd.date_range("2020-01-06", periods=n, freq="W-MON")
    fitted = pd.DataFrame({"date": d, "count": np.arange(n) % 5, "fitted": np.linspace(1, 3, n)})
    fitted = fitted.assign(fitted_low=fitted["fitted"] * 0.8, fitted_high=fitted["fitted"] * 1.2,
                           counterfactual=np.linspace(1, 4, n))
    fitted = fitted.assign(counterfactual_low=fitted["counterfactual"] - 0.5,
                           counterfactual_high=fitted["counterfactual"] + 0.5)
    inter = pd.DataFrame({"date": [d[cut]], "label": ["Truce"]})
    return SimpleNamespace(fitted=fitted, interruptions=inter)


# --------------------------------------------------------------------------------------
# House style: no global state


def test_importing_and_building_leave_global_state_alone(story):
    code = ("import matplotlib as mpl, plotly.io as pio; before = dict(mpl.rcParams); "
            "import analysis.charts; assert dict(mpl.rcParams) == before; "
            "assert pio.templates.default == 'plotly'; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
    before = dict(mpl.rcParams)
    ch.plot_counts(count_events(story.events, "W"))
    ch.timeline_figure(story.events.head(5))
    assert dict(mpl.rcParams) == before
    assert pio.templates.default == "plotly"


def test_house_style_file_and_sizes(timeline):
    assert ch.STYLE_PATH.is_file() and ch.STYLE_PATH.suffix == ".mplstyle"
    assert tuple(timeline.get_size_inches()) == (6.4, 4.0) and timeline.dpi == 100
    title = by_gid(timeline, "chart-title")[0]
    assert title.get_fontsize() == 14 and title.get_ha() == "left"
    assert title.get_fontfamily() == ["DejaVu Sans"]
    assert title.get_position()[0] < 0.05  # flush left
    source = by_gid(timeline, "chart-source")[0]
    assert source.get_position()[1] < 0.05 and source.get_text().startswith("Source: ")
    sizes = [t.get_fontsize() for t in timeline.findobj(Text) if t.get_text().strip()]
    assert min(sizes) >= 10


# --------------------------------------------------------------------------------------
# Builders: artists


def test_timeline_marks_spans_and_labels(story, timeline):
    marks = by_gid(timeline, "event-marks", PathCollection)
    assert len(marks) == 1 and len(marks[0].get_offsets()) == len(story.events) == 120
    spans = by_gid(timeline, "truce-span", Rectangle)
    assert len(spans) == len(story.truces) == 1
    label = by_gid(timeline, "truce-label")[0].get_text()
    assert label == "October 2020 truce"  # the truce table's short label
    lines = by_gid(timeline, "key-date-line")
    assert len(lines) == story.soleimani["occurrence"].nunique() == 3
    labelled = [t.get_text() for t in by_gid(timeline, "key-date-label")]
    note = " ".join(t.get_text() for t in by_gid(timeline, "chart-note"))
    assert all(s.startswith("Soleimani anniversary") for s in labelled) and len(labelled) >= 2
    assert len(labelled) == 3 or "Unlabelled dotted lines" in note
    assert "Soleimani anniversary (Hijri)" in labelled or "(Hijri)" in note


def test_timeline_numbers_the_seed_story(timeline):
    numbers = {t.get_text(): t for t in by_gid(timeline, "violation-number")}
    assert set(numbers) == {str(n) for n in range(1, 11)}  # 10 violation days
    third = numbers["3"]
    assert pd.Timestamp(third.xy[0]) == pd.Timestamp("2020-12-20")
    ax = timeline.axes[0]
    rows = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    assert third.xy[1] == rows["Diplomatic"]


def test_timeline_labels_do_not_overlap(timeline):
    canvas = FigureCanvasAgg(timeline)
    canvas.draw()  # runs the layout as saving does
    renderer = canvas.get_renderer()
    gids = ("violation-number", "key-date-label", "truce-label", "chart-title",
            "chart-subtitle", "chart-source", "chart-note")
    boxes = [Text.get_window_extent(t, renderer) for t in timeline.findobj(Text)  # no arrows
             if t.get_gid() in gids and t.get_text()]
    assert len(boxes) > 12
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)


def test_timeline_suspected_are_hollow(story, timeline):
    marks = by_gid(timeline, "event-marks", PathCollection)[0]
    faces = marks.get_facecolors()
    white = np.all(np.isclose(faces[:, :3], 1.0), axis=1)
    suspected = story.flagged["is_violation"] & story.flagged["violation_day"].isna()
    assert white.sum() == story.flagged.loc[suspected, "event_id"].nunique() == 33


def test_timeline_category_none_and_window(story):
    fig = ch.plot_timeline(story.events, category=None, start="2020-12-01", end="2020-12-31")
    marks = by_gid(fig, "event-marks", PathCollection)[0]
    in_dec = story.events["date"].between("2020-12-01", "2020-12-31").sum()
    assert len(marks.get_offsets()) == in_dec
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Events"]


def test_timeline_empty_and_single_event(story):
    empty = ch.plot_timeline(story.events.iloc[0:0], truces=story.truces)
    assert "No events in this period" in texts_of(empty)
    window = ch.plot_timeline(story.events.iloc[0:0], truces=story.truces, start="2020-10-01",
                              end="2020-12-31")
    assert "No events in this period" in texts_of(window)
    assert len(by_gid(window, "truce-span", Rectangle)) == 1
    one = ch.plot_timeline(story.events.iloc[[5]], flagged=story.flagged)
    assert len(by_gid(one, "event-marks", PathCollection)[0].get_offsets()) == 1


def test_timeline_bad_input_is_a_clear_error(story):
    with pytest.raises(DataError, match="missing column.*'date'"):
        ch.plot_timeline(pd.DataFrame({"event_id": ["a"]}))
    with pytest.raises(DataError, match="category column 'nope'"):
        ch.plot_timeline(story.events, category="nope")
    with pytest.raises(DataError, match="violation_day"):
        ch.plot_timeline(story.events, flagged=story.flagged.drop(columns="violation_day"))


def test_counts_bars_mean_and_annotations(story):
    weekly = count_events(story.events, "W")
    cp = pd.DataFrame({"date": pd.to_datetime(["2020-12-07"]), "label": ["Change"]})
    fig = ch.plot_counts(weekly, truces=story.truces, occurrences=story.soleimani,
                         changepoints=cp, source="Source: test")
    bars = by_gid(fig, "count-bars", Rectangle)
    assert len(bars) == len(weekly)
    assert [b.get_height() for b in bars] == weekly["count"].tolist()
    mean = by_gid(fig, "rolling-mean")[0]
    assert np.isnan(mean.get_ydata()[:3]).all() and np.isfinite(mean.get_ydata()[3:]).all()
    assert len(by_gid(fig, "truce-span", Rectangle)) == 1
    assert len(by_gid(fig, "changepoint")) == 1 and "Change" in texts_of(fig)
    assert "4-week average" in by_gid(fig, "chart-subtitle")[0].get_text()


def test_counts_stacked_and_empty(story):
    by = count_events(story.events, "MS", by="target_type")
    fig = ch.plot_counts(by, category="target_type")
    assert len(by_gid(fig, "count-bars", Rectangle)) == len(by)
    assert "Logistics convoy" in texts_of(fig)
    empty = ch.plot_counts(pd.DataFrame({"date": pd.to_datetime([]), "count": []}))
    assert "No events in this period" in texts_of(empty)
    with pytest.raises(ValueError, match="rolling"):
        ch.plot_counts(by.groupby("date", as_index=False)["count"].sum(), rolling=-1)


def test_event_study_bands(story):
    daily = count_events(story.events, "D")
    kd = story.key_dates[story.key_dates["key_date_id"].str.startswith("KD-SOLEIMANI")]
    study = event_study(daily, kd, days=14, include_original=True)
    fig = ch.plot_event_study(study)
    assert len(by_gid(fig, "placebo-band", PolyCollection)) == 1
    assert len(by_gid(fig, "conf-band", PolyCollection)) == 1
    mean = by_gid(fig, "mean")[0]
    assert len(mean.get_xdata()) == len(study) == 29
    assert list(by_gid(fig, "day-zero")[0].get_xdata()) == [0, 0]
    assert "anniversaries" in by_gid(fig, "chart-subtitle")[0].get_text()
    empty = ch.plot_event_study(study.iloc[0:0])
    assert "No data" in texts_of(empty)


def test_trend_model_lines():
    result = fitted_result()
    fig = ch.plot_trend_model(result)
    assert len(by_gid(fig, "observed", Rectangle)) == 40
    fitted = by_gid(fig, "fitted")[0]
    counter = by_gid(fig, "counterfactual")[0]
    assert len(fitted.get_xdata()) == 40 and len(counter.get_xdata()) == 20  # after the cut
    assert len(by_gid(fig, "fitted-band", PolyCollection)) == 1
    assert len(by_gid(fig, "counterfactual-band", PolyCollection)) == 1
    assert len(by_gid(fig, "interruption")) == 1 and "Truce" in texts_of(fig)
    empty = SimpleNamespace(fitted=result.fitted.iloc[0:0], interruptions=result.interruptions)
    assert "No data" in texts_of(ch.plot_trend_model(empty))
    with pytest.raises(DataError, match="fitted"):
        ch.plot_trend_model(object())


def test_truce_durability_and_kaplan_meier(story):
    dur = truce_durability(story.flagged, story.truces)
    fig = ch.plot_truce_durability(dur, truces=story.truces)
    assert len(by_gid(fig, "durability-bar", Rectangle)) == 1
    assert len(by_gid(fig, "violated-marker", PathCollection)[0].get_offsets()) == 1
    assert "38 days" in texts_of(fig)
    many = pd.DataFrame({"truce_id": list("ABCD"), "violated": [True, False, True, True],
                         "days": [38, 120, 10, 75], "nth": 1, "unit": "incident"})
    two = ch.plot_truce_durability(many, curve=kaplan_meier(many))
    assert len(two.axes) == 2
    assert len(by_gid(two, "censored-marker", PathCollection)[0].get_offsets()) == 1
    step = by_gid(two, "km-curve")[0]
    assert step.get_ydata()[0] == 1.0 and step.get_xdata()[-1] == 120
    assert len(by_gid(two, "km-band", PolyCollection)) == 1
    assert "No truces" in texts_of(ch.plot_truce_durability(many.iloc[0:0]))


def test_axes_helpers_draw_only_on_their_axes(story):
    fig = ch.plot_counts(count_events(story.events, "W"))
    other = fig.add_axes((0.1, 0.1, 0.2, 0.2))
    n_before = len(fig.axes[0].get_children())
    ax = ch.draw_events(story.events.head(10), ax=other)
    assert ax is other and len(fig.axes[0].get_children()) == n_before
    assert ch.add_truce_spans(story.truces, ax=other) is other
    assert isinstance(ch.draw_counts(count_events(story.events, "W")).figure, mpl.figure.Figure)


def test_stagger_levels_never_overlap():
    rng = np.random.default_rng(3)
    left = rng.uniform(0, 500, 40)
    right = left + rng.uniform(5, 60, 40)
    levels = stagger_levels(left, right, max_levels=40, gap=2)
    for i, j in itertools.combinations(range(40), 2):
        if levels[i] == levels[j]:
            assert right[i] + 2 <= left[j] or right[j] + 2 <= left[i]


# --------------------------------------------------------------------------------------
# save_figure: deterministic files and sidecars


def test_save_figure_is_byte_identical(timeline, story, tmp_path):
    weekly = count_events(story.events, "W")
    for run in ("a", "b"):
        ch.save_figure(timeline, "timeline", source="Source: test", alt_text="Alt.",
                       data=weekly, out_dir=tmp_path / run, notebook="02_truce_violations")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(["timeline.svg", "timeline.png", "timeline.pdf", "timeline.alt.txt",
                            "timeline.csv", "timeline.json"])
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    svg = (tmp_path / "a" / "timeline.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    pdf = (tmp_path / "a" / "timeline.pdf").read_bytes()
    assert b"/CreationDate" not in pdf and b"/Producer" not in pdf
    png = (tmp_path / "a" / "timeline.png").read_bytes()
    assert b"Software" not in png and png[16:24] == (1280).to_bytes(4, "big") + (800).to_bytes(4, "big")


def test_save_plotly_html_is_identical_and_self_contained(story, tmp_path):
    fig = ch.timeline_figure(story.events, truces=story.truces, flagged=story.flagged)
    paths = [ch.save_figure(fig, "tl", source="Source: test", alt_text="Alt.",
                            out_dir=tmp_path / run) for run in ("a", "b")]
    html_a, html_b = paths[0][0], paths[1][0]
    assert html_a.suffix == ".html" and html_a.read_bytes() == html_b.read_bytes()
    text = html_a.read_text()
    assert 'id="figure-tl"' in text and '<script src="http' not in text
    assert html_a.stat().st_size > 3_000_000  # plotly.js embedded: opens offline
    with pytest.raises(ValueError, match="html"):
        ch.save_figure(fig, "tl", formats=("png",), source="s", alt_text="a", out_dir=tmp_path)


def test_save_figure_requires_alt_text_and_source(timeline, tmp_path):
    with pytest.raises(ValueError, match="alt_text is required"):
        ch.save_figure(timeline, "x", source="Source: test", alt_text="  ", out_dir=tmp_path)
    with pytest.raises(ValueError, match="source is required"):
        ch.save_figure(timeline, "x", source="", alt_text="Alt.", out_dir=tmp_path)
    with pytest.raises(ValueError, match="letters, digits"):
        ch.save_figure(timeline, "../x", source="s", alt_text="a", out_dir=tmp_path)
    with pytest.raises(TypeError):
        ch.save_figure("not a figure", "x", source="s", alt_text="a", out_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def test_save_figure_sidecars(tmp_path):
    events = tiny_events()
    fig = ch.plot_timeline(events, title="Three synthetic events")
    data = events[["event_id", "date", "notes", "attribution"]].assign(
        attribution=lambda d: d["attribution"].astype("category").cat.rename_categories(
            {"claimed": "=1+1"}))
    paths = ch.save_figure(fig, "tiny", formats=("svg",), source="Source: synthetic",
                           alt_text="Three dots.", data=data, out_dir=tmp_path, notebook="nb")
    assert [p.name for p in paths] == ["tiny.svg", "tiny.alt.txt", "tiny.csv", "tiny.json"]
    meta = json.loads((tmp_path / "tiny.json").read_text())
    assert meta == {"alt_text": "Three dots.", "data": "tiny.csv", "kind": "matplotlib",
                    "files": ["tiny.svg", "tiny.alt.txt", "tiny.csv", "tiny.json"],
                    "name": "tiny", "notebook": "nb", "source": "Source: synthetic",
                    "title": "Three synthetic events"}
    assert list(meta) == sorted(meta)
    csv = pd.read_csv(tmp_path / "tiny.csv", dtype=str)
    assert csv.loc[1, "notes"].startswith("'=HYPERLINK(")
    assert csv.loc[0, "attribution"] == "'=1+1"  # categorical columns are checked too
    assert csv.loc[2, "date"] == "2020-11-01"
    assert (tmp_path / "tiny.alt.txt").read_text() == "Three dots.\n"


# --------------------------------------------------------------------------------------
# Source line


def test_source_line_from_provenance(story):
    line = ch.source_line(story.events)
    assert line == ("Source: Mehr News, Rudaw, Shafaq News and 66 other outlets (news reports "
                    "compiled in the truce-timeline fact sheet) · Chart: truce-timeline")


def test_source_line_ties_datasets_and_errors():
    ev = pd.DataFrame({"source": ["B", "A", "C; A", None, "x"],
                       "dataset": ["my_log", "my_log", "my_log", "ucdp_ged", "iraq_sigacts"]})
    assert ch.source_line(ev, max_outlets=2) == (
        "Source: A, B and 1 other outlet (my_log); "
        "Iraq SIGACTs (CENTCOM, compiled by V. Bauer); UCDP GED · Chart: truce-timeline")
    assert ch.source_line(pd.DataFrame({"dataset": ["acled", "gdelt", "acled"]})) == (
        "Source: ACLED; GDELT · Chart: truce-timeline")
    assert "synthetic data" in ch.source_line(pd.DataFrame({"dataset": ["synthetic"]}))
    with pytest.raises(DataError, match="nothing to cite"):
        ch.source_line(pd.DataFrame({"source": [None, " "]}))


# --------------------------------------------------------------------------------------
# Exports


def test_timelinejs_template_columns(story, tmp_path):
    path = ch.to_timelinejs(story.events, tmp_path / "tl.csv", flagged=story.flagged)
    header = path.read_text().splitlines()[0]
    assert header == ("Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,"
                      "Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,"
                      "Group,Background")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(table) == len(story.events)
    dec20 = table[table["Headline"].str.startswith("Violation day 3:")]
    assert len(dec20) == 1 and dec20[["Year", "Month", "Day"]].values.tolist() == [
        ["2020", "12", "20"]]
    assert dec20["Group"].item() == "Counted violation"
    assert set(table["Group"]) == {"Counted violation", "Suspected violation", "Other event"}
    month = table[(table["Year"] == "2019") & (table["Month"] == "11") & (table["Day"] == "")]
    assert len(month) == 1  # the month-precision row keeps no invented day


def test_timelinejs_is_escaped_and_formula_safe(tmp_path):
    ev = tiny_events(notes=[XSS_IMG, "=HYPERLINK(\"x\")", None],
                     target=["=cmd|' /C calc'!A0", XSS_SCRIPT, "Base"],
                     local_time=["19:45", "evening", None])
    table = pd.read_csv(ch.to_timelinejs(ev, tmp_path / "t.csv"), dtype=str,
                        keep_default_na=False)
    assert list(table.columns) == list(ch.TIMELINEJS_COLUMNS)
    table = table.set_index(table["Headline"].str.split(",").str[0])  # rows are in date order
    assert table.index.tolist() == ["Base", "'=cmd|&#39; /C calc&#39;!A0",
                                    "&lt;script&gt;window.__pwned=2;alert(1)&lt;/script&gt;"]
    e1, e2, e3 = (table.iloc[i] for i in (1, 2, 0))
    joined = " ".join(table["Text"]) + " ".join(table.index)
    assert "<img" not in joined and "<script" not in joined
    assert "<p>&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;</p>" in e1["Text"]
    assert '<a href="https://example.org/1" target="_blank">Rudaw</a>' in e1["Text"]
    assert e1["Time"] == "19:45" and e2["Time"] == ""
    assert [e1["Group"], e2["Group"], e3["Group"]] == ["diplomatic", "logistics convoy",
                                                      "military base"]
    assert e3["Day"] == "" and e3["Month"] == "11" and e3["End Year"] == ""


def test_timelinejs_group_is_escaped_without_flags(tmp_path):
    """Without ``flagged`` the Group column is the target type: escaped like every cell."""
    ev = tiny_events(target_type=[XSS_IMG, "military_base", "<b>x</b>"])
    table = pd.read_csv(ch.to_timelinejs(ev, tmp_path / "t.csv"), dtype=str,
                        keep_default_na=False)
    assert "<" not in "".join(table["Group"])
    assert "&lt;img src=x onerror=&#34;window.  pwned=1&#34;&gt;" in table["Group"].tolist()


def test_datawrapper_csv_wide_and_tidy(story, tmp_path):
    by = count_events(story.events, "W", by="target_type")
    path = ch.to_datawrapper_csv(by, tmp_path / "dw.csv", category="target_type")
    wide = pd.read_csv(path)
    assert list(wide.columns) == ["date", "airport", "civilian", "diplomatic",
                                  "logistics_convoy", "military_base", "other"]
    assert len(wide) == by["date"].nunique()
    assert wide.drop(columns="date").to_numpy().sum() == len(story.events)
    assert wide["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    evil = pd.DataFrame({"date": pd.to_datetime(["2020-01-06"] * 2), "kind": ["=x", "+y"],
                         "count": [1, 2]})
    header = ch.to_datawrapper_csv(evil, tmp_path / "e.csv", category="kind").read_text()
    assert header.splitlines()[0] == "date,'+y,'=x"
    tidy = ch.to_datawrapper_csv(evil, tmp_path / "t.csv").read_text().splitlines()
    assert tidy == ["date,kind,count", "2020-01-06,'=x,1", "2020-01-06,'+y,2"]


# --------------------------------------------------------------------------------------
# HTML safety and the interactive figures


def test_escape_helpers_match_html_escape():
    values = pd.Series([XSS_IMG, XSS_SCRIPT, "Iraq's \"Green\" Zone & co", None])
    escaped = escape_html(values)
    assert [html.unescape(v) for v in escaped[:3]] == values[:3].tolist()
    assert escaped[3] == ""
    assert not escaped.str.contains(r"[<>\"']").any()
    assert escaped[0] == html.escape(XSS_IMG).replace("&quot;", "&#34;")
    urls = http_urls(pd.Series(["javascript:alert(1)", "https://ok.org/a?b=1&c=2",
                                'https://x.org/"><svg/onload=alert(1)>', "ftp://x", None]))
    assert urls.tolist() == ["", "https://ok.org/a?b=1&c=2",
                             "https://x.org/%22%3E%3Csvg/onload=alert(1)%3E", "", ""]
    links = link_html(pd.Series(["javascript:alert(1)", "https://ok.org/?a=1&b=2"]),
                      pd.Series(["<b>x</b>", "Outlet"]))
    assert links.tolist() == ["", '<a href="https://ok.org/?a=1&amp;b=2" target="_blank">Outlet</a>']


def xss_events() -> pd.DataFrame:
    return tiny_events(notes=[XSS_IMG, XSS_SCRIPT, "ok"],
                       target=[XSS_SCRIPT, XSS_IMG, "Base"],
                       location=[XSS_LINK, "Green Zone", "Taji"],
                       source_url=['https://example.org/"><svg/onload=window.__pwned=3>',
                                   "https://example.org/2", "https://example.org/3"])


def test_hover_text_escapes_every_field():
    hover = ch.hover_text(xss_events())
    assert not hover.str.contains("<img|<script|<svg", regex=True).any()
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in hover[0]
    assert 'href="https://example.org/%22%3E%3Csvg/onload=window.__pwned=3%3E"' in hover[0]
    assert "Killed: 0, wounded: 1" in hover[0] and "Attribution: claimed" in hover[0]


def test_interactive_figures(story):
    fig = ch.timeline_figure(story.events, truces=story.truces, occurrences=story.soleimani,
                             flagged=story.flagged)
    assert isinstance(fig, go.Figure)
    marks = [t for t in fig.data if t.meta == "event-marks"]
    assert sum(len(t.x) for t in marks) == 120
    numbers = [t for t in fig.data if t.meta == "violation-number"][0]
    assert sorted(numbers.text, key=int) == [str(n) for n in range(1, 11)]
    assert fig.layout.xaxis.rangeslider.visible
    assert len([s for s in fig.layout.shapes if s.name == "truce-span"]) == 1
    assert len([s for s in fig.layout.shapes if s.name == "key-date-line"]) == 3
    counts = ch.counts_figure(count_events(story.events, "W"), truces=story.truces,
                              occurrences=story.soleimani)
    assert sum(len(t.x) for t in counts.data if t.meta == "count-bars") == len(
        count_events(story.events, "W"))
    empty = ch.timeline_figure(story.events.iloc[0:0])
    assert any(a.text == "No events in this period" for a in empty.layout.annotations)
    assert ch.counts_figure(pd.DataFrame({"date": pd.to_datetime([]), "count": []})).layout
    one = ch.timeline_figure(story.events.iloc[[5]], flagged=story.flagged)
    assert sum(len(t.x) for t in one.data if t.meta == "event-marks") == 1


def _launch(p):
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"]
    return p.chromium.launch(executable_path=exe, args=args)


@pytest.mark.browser
def test_browser_hover_shows_payloads_as_text(tmp_path):
    if shutil.which("chromium") is None:
        pytest.skip("no chromium on PATH (Debian package 'chromium'); the test installs nothing")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    fig = ch.timeline_figure(xss_events(), title=XSS_SCRIPT, subtitle=XSS_IMG)
    page_path = ch.save_figure(fig, "xss", source="Source: synthetic", alt_text="Test.",
                               out_dir=tmp_path)[0]
    with sync_api.sync_playwright() as p:
        try:
            browser = _launch(p)
        except Exception as exc:  # no usable browser here: say why
            pytest.skip(f"playwright could not launch chromium: {exc}")
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.Plotly && document.querySelector('.main-svg')")
            hover = page.evaluate("""() => {
                const gd = document.getElementById('figure-xss');
                const trace = gd.data.findIndex(t => (t.hovertext || []).some(
                    h => h.includes('pwned=1')));
                Plotly.Fx.hover(gd, [{curveNumber: trace, pointNumber: 0}]);
                const label = document.querySelector('.hoverlayer .hovertext');
                const links = [...document.querySelectorAll('.hoverlayer a')].map(
                    a => a.getAttribute('xlink:href') || a.getAttribute('href'));
                return label ? {text: label.textContent, links: links} : null;
            }""")
            page.wait_for_timeout(200)
            pwned = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
            injected = page.evaluate("() => document.querySelectorAll('img, svg [onload]').length")
            title = page.evaluate("() => document.querySelector('.gtitle').textContent")
        finally:
            browser.close()
    assert dialogs == [] and pwned is None and injected == 0
    assert hover is not None
    assert XSS_SCRIPT in hover["text"] and XSS_IMG in hover["text"] and XSS_LINK in hover["text"]
    assert hover["links"] == ["https://example.org/%22%3E%3Csvg/onload=window.__pwned=3%3E"]
    assert XSS_SCRIPT in title


def test_a_chart_shows_itself_in_a_notebook_as_a_png():
    from analysis.charts import plot_counts

    weekly = pd.DataFrame({"date": pd.date_range("2020-01-05", periods=4, freq="W"),
                           "count": [1, 3, 0, 2]})
    fig = plot_counts(weekly, title="t", subtitle="s", source="Source: test")
    png = fig._repr_png_()
    assert png.startswith(b"\x89PNG") and png == fig._repr_png_()  # the same on every call


def test_save_figure_without_a_folder_writes_beside_the_caller(tmp_path, monkeypatch):
    from analysis import paths
    from analysis.charts import plot_counts

    monkeypatch.chdir(tmp_path)
    weekly = pd.DataFrame({"date": pd.date_range("2020-01-05", periods=3, freq="W"),
                           "count": [1, 3, 0]})
    fig = plot_counts(weekly, title="t", subtitle="s", source="Source: test")
    written = ch.save_figure(fig, "mine", formats=("svg",), source="Source: test", alt_text="Alt.")
    assert all(p.parent == tmp_path / "figures" for p in written)
    assert not (paths.FIGURES / "mine.svg").exists()
