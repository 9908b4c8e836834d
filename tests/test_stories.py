"""Stories as data: story.toml checked strictly, ``new`` scaffolds from a real file, each
story builds into its own folders, and nothing of the seed story reaches another."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import story as story_module
from analysis.build import build, stories
from analysis.cli import main
from analysis.paths import SEED_STORY
from analysis.scaffold import new_story
from analysis.schema import DataError
from analysis.story import MissingDataFile, load_story
from analysis.story_toml import singular
from analysis.truces import explain_truces, flag_violations

REAL = Path(__file__).parent / "fixtures" / "real"
#: words only the seed story's tables hold
SEED_WORDS = ("Soleimani", "Iraq", "coalition", "Ashura", "Baghdad", "embassy", "Muhandis")


def _story(tmp_path: Path, toml: str, events: str = "acled_dkoban_2020_quoted.csv") -> Path:
    folder = tmp_path / "s"
    folder.mkdir(exist_ok=True)
    (folder / "events.csv").write_bytes((REAL / events).read_bytes())
    (folder / "story.toml").write_text(toml, encoding="utf-8")
    return folder


BASE = '''[story]
title = "T"
subject = "clashes"
what = "Clashes"
[data]
events = "events.csv"
'''


def test_the_seed_story_is_a_story_and_its_claim_stands():
    seed = load_story(SEED_STORY)
    assert SEED_STORY in stories() and "syria_2016_2017" in stories()
    assert seed.one == "attack" and seed.count(1) == "1 attack" and seed.count(0) == "0 attacks"
    table = seed.grouped(seed.load_events().events)
    flagged = flag_violations(table, seed.truce_table())
    row = flagged[flagged["event_id"] == "IRQ-20201220-01"].iloc[0]
    assert row["violation_day"] == 3 and row["violation_number"] == 4


def test_story_toml_is_checked_like_data(tmp_path):
    load_story(_story(tmp_path, BASE))  # the minimal story reads
    cases = {
        BASE + 'fromat = "acled"\n': "unknown key 'fromat'.*did you mean 'format'",
        BASE.replace('title = "T"\n', ''): r"\[story\] title is missing",
        BASE + '[anaysis]\n': r"unknown table \[anaysis\].*did you mean 'analysis'",
        BASE + 'format = "acledd"\n': "not a format.*did you mean 'acled'",
        BASE + 'truces = "nope.csv"\n': "truces = 'nope.csv': file not found",
        BASE.replace('what = "Clashes"', 'what = "Clashes"\nperiod = ["2020-10", ""]'):
            "'2020-10' is not a day",
        BASE.replace('what = "Clashes"', 'what = "Clashes"\nperiod = ["2021-01-01", "2020-01-01"]'):
            "starts after it ends",
        BASE.replace('what = "Clashes"', 'what = "Clashes"\nperiod = "2020"'): "period is a str",
        'title = "x"': "unknown table|is not a table|unknown",
        BASE + '[analysis]\ntrend_freq = "weekly"\n': "trend_freq = 'weekly' is not a unit",
    }
    for text, message in cases.items():
        with pytest.raises(DataError, match=message):
            load_story(_story(tmp_path, text))


def test_a_story_that_does_not_exist_names_the_closest(tmp_path):
    with pytest.raises(DataError, match="no story called 'iraq_2019'.*did you mean 'iraq_2019_2021'"):
        load_story("iraq_2019")


def test_plural_and_singular_nouns():
    s = load_story(SEED_STORY)
    assert [singular(w) for w in ("clashes", "protests", "casualties", "riots")] \
        == ["clash", "protest", "casualty", "riot"]
    assert s.count(2, "week|weeks") == "2 weeks" and s.count(1, "week|weeks") == "1 week"
    assert s.count(12345) == "12,345 attacks"


def test_new_scaffolds_a_story_from_a_real_acled_export(tmp_path, capsys):
    """``new`` on a real ACLED export (Afghanistan, March 2020): the format recognised, the
    period and place proposed from the data, the actors listed as a first alias table, empty
    truce and key-date tables that load as empty, and a story that builds."""
    made = new_story("afghanistan_2020", REAL / "acled_dkoban_2020_quoted.csv",
                     root=tmp_path / "data")
    s = load_story(made.folder)
    assert s.format == "acled" and s.place == "Afghanistan"
    with (REAL / "acled_dkoban_2020_quoted.csv").open(newline="", encoding="utf-8") as fh:
        days = sorted(dt.datetime.strptime(r["event_date"], "%d %B %Y").date().isoformat()
                      for r in csv.DictReader(fh))
    assert s.period == (days[0], days[-1])  # the data's first and last day
    assert s.truce_table().empty and s.key_date_table().empty
    aliases = pd.read_csv(made.folder / "actor_aliases.csv")
    assert set(aliases["alias"]) == set(made.result.events["actor"].dropna())
    readme = (made.folder / "README.md").read_text()
    assert "build --story afghanistan_2020" in readme
    for word in SEED_WORDS:
        assert word not in readme and word not in (made.folder / "story.toml").read_text()
    with pytest.raises(DataError, match="exists already"):
        new_story("afghanistan_2020", REAL / "acled_dkoban_2020_quoted.csv", root=tmp_path / "data")
    with pytest.raises(DataError, match="not a folder name"):
        new_story("../escape", REAL / "acled_dkoban_2020_quoted.csv", root=tmp_path / "data")


def test_a_story_asked_for_without_its_shared_data_is_refused(monkeypatch, capsys):
    monkeypatch.setattr(story_module, "SHARED", Path("/nonexistent/shared"))
    with pytest.raises(MissingDataFile, match="file not found"):
        load_story("syria_2016_2017")
    assert main(["build", "--story", "syria_2016_2017", "--no-html"]) == 2
    assert "ged191_syria.csv" in capsys.readouterr().err


def test_build_all_skips_a_story_without_its_data(monkeypatch, capsys):
    import analysis.build

    monkeypatch.setattr(story_module, "SHARED", Path("/nonexistent/shared"))
    built = []
    monkeypatch.setattr(analysis.build, "build", lambda name, **kw: (
        load_story(name), built.append(name), [])[-1])
    assert main(["build", "--no-html"]) == 0
    assert SEED_STORY in built  # (and the Gaza story where its pinned export is present)
    assert not {"syria_2016_2017", "israel_alarms_2023_2024"} & set(built)
    assert "syria_2016_2017: skipped, its data is not on this machine" in capsys.readouterr().err


def _said(out: Path) -> dict[str, str]:
    """What the tool words in a build (titles, subtitles, alt texts, source lines, the index,
    every sentence the notebooks print and their Markdown), by file. The data's own text
    (UCDP's headlines name Soleimani, the coalition and Ashura) is in the tables and is the
    story's, not a leak, so tables are not read."""
    said = {p.name: p.read_text(encoding="utf-8") for p in (out / "figures").iterdir()
            if p.suffix in (".json", ".txt", ".md")}
    for path in (out / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        said[path.name] = " ".join(
            "".join(c["source"]) if c["cell_type"] == "markdown" else " ".join(
                "".join(o.get("data", {}).get("text/markdown", "")) for o in c.get("outputs", []))
            for c in nb["cells"])
    return said


def _assert_no_seed_words(said: dict[str, str]) -> None:
    for name, text in said.items():
        found = [w for w in SEED_WORDS if re.search(rf"\b{w}\b", text)]
        assert not found, f"{name} says {found}"


def test_a_pinned_third_party_file_is_skipped_when_absent_and_checked_when_present(tmp_path):
    """A provider export kept out of the project is pinned by its SHA-256: absent, the story
    cannot be built here (MissingDataFile, which ``build`` skips); another file is refused."""
    import hashlib

    data = (REAL / "acled_dkoban_2020_quoted.csv").read_bytes()
    pin = hashlib.sha256(data).hexdigest()
    folder = _story(tmp_path, BASE.replace('events = "events.csv"',
                                           f'events = "raw/x.csv"\nevents_sha256 = "{pin}"'))
    with pytest.raises(MissingDataFile, match="file not found") as info:
        load_story(folder)
    assert "raw/SOURCE.md" in info.value.expected
    (folder / "raw").mkdir()
    (folder / "raw" / "x.csv").write_bytes(data)
    assert load_story(folder).events.name == "x.csv"
    (folder / "raw" / "x.csv").write_bytes(data.replace(b"Afghanistan", b"Afghanistam", 1))
    with pytest.raises(DataError, match="not the file the story pins") as info:
        load_story(folder)
    assert info.value.column == "events_sha256" and pin in info.value.expected


# ---- ACLED Gaza City and the two Gaza truces (a provider file kept out of the project) ----

GAZA = "gaza_city_2023_2025"
ISRAEL = {"Military Forces of Israel (2022-)", "Military Forces of Israel (2022-) Special Forces"}
HAMAS = {"Hamas Movement", "Government of Palestine (2007-) Hamas Government in Gaza"}
OUT_OF_SCOPE = {"Strategic developments", "Protests"}


@pytest.fixture
def gaza():
    try:
        return load_story(GAZA)
    except MissingDataFile as exc:
        pytest.skip(str(exc))


def test_gaza_truces_count_what_an_independent_reading_of_the_export_counts(gaza):
    """Each truce began and ended part-way through a day (07:00; 11:15 and 02:20): events
    ACLED dates to the first or last day may lie outside it and are possible violations; the
    counted ones are the events by Israel's forces or Hamas, of the kinds the truce ruled out,
    on the days strictly inside, read here from the CSV with the csv module alone."""
    with open(gaza.events, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["day"] = dt.datetime.strptime(r["event_date"], "%d-%b-%y").date()
    by_party = [r for r in rows if r["actor1"] in ISRAEL | HAMAS
                and r["event_type"] not in OUT_OF_SCOPE and r["time_precision"] == "1"]

    def ids(first, last):
        return sorted(r["event_id_cnty"] for r in by_party if first <= r["day"] <= last)

    D = dt.date
    flagged = flag_violations(gaza.grouped(gaza.load_events().events), gaza.truce_table())
    for truce, start, end in (("GZ-2023-11-24", D(2023, 11, 24), D(2023, 12, 1)),
                              ("GZ-2025-01-19", D(2025, 1, 19), D(2025, 3, 18))):
        mine = flagged[flagged["truce_id"] == truce]
        inside = ids(start + dt.timedelta(days=1), end - dt.timedelta(days=1))
        assert sorted(mine.loc[mine["counted"], "event_id"].astype(str)) == inside
        edges = ids(start, start) + ids(end, end)
        possible = mine[mine["is_possible_violation"]]
        assert sorted(possible.loc[possible["date_precision"] == "day", "event_id"]
                      .astype(str)) == sorted(edges)
        assert len(edges) > 0 and len(inside) > 10
    pause = flagged[(flagged["truce_id"] == "GZ-2023-11-24") & flagged["counted"]]
    assert len(pause) == 18 and pause["date"].dt.day.nunique() == 4  # 26, 28, 29, 30 Nov


@pytest.mark.slow
def test_gaza_story_builds_from_new_in_its_own_words(gaza, tmp_path):
    """A new user's path: ``new`` on the ACLED export, the story's sourced truce, key-date and
    alias tables added, ``build``; nothing of the seed story is said, and the titles' numbers
    are the story's tables'."""
    made = new_story(GAZA, gaza.events, root=tmp_path / "data")
    assert made.result.recognised.startswith("ACLED export") and made.places == ["Palestine"]
    folder = made.folder
    for table in ("truces.csv", "key_dates.csv", "actor_aliases.csv"):
        (folder / table).write_bytes((gaza.folder / table).read_bytes())
    toml = (gaza.folder / "story.toml").read_text(encoding="utf-8")
    (folder / "story.toml").write_text(toml.replace('"raw/gaza_war_events.csv"',
                                                    f'"{gaza.events.as_posix()}"'))
    out = tmp_path / "out"
    done = build(load_story(folder), output=out, html=False, progress=False)
    assert len(done) == 5
    said = _said(out)
    _assert_no_seed_words(said)
    summary = pd.read_csv(out / "processed" / "truce_summary.csv").set_index("truce_id")
    assert summary.loc["GZ-2023-11-24", "counted_violations"] == 18
    assert summary.loc["GZ-2023-11-24", "possible_violations"] == 21
    durability = json.loads((out / "figures" / "truce_durability.json").read_text())
    assert "GZ-2023-11-24: first violated after 2 days" in durability["alt_text"]
    events = pd.read_csv(out / "processed" / "events.csv", parse_dates=["date"])
    shown = events["date"].between("2023-10-07", "2024-01-31").sum()  # the chart_period
    timeline = json.loads((out / "figures" / "story_timeline.json").read_text())["title"]
    assert timeline == f"{shown:,} events in Gaza City, October 2023 to January 2024"
    weekly = pd.read_csv(out / "processed" / "weekly_counts.csv")
    title = json.loads((out / "figures" / "weekly_events.json").read_text())["title"]
    assert title.endswith(f"with {weekly['count'].max()} events")
    findings = said["04_trend_models.ipynb"]
    assert "The November 2023 pause (24 November 2023) is not modelled" in findings
    assert "than the trend since the January 2025 ceasefire began predicts" in findings


# ---- UCDP Syria and the December 2016 ceasefire (../shared) ---------------------------

@pytest.fixture
def syria(real_data):
    try:
        return load_story("syria_2016_2017")
    except MissingDataFile as exc:
        pytest.skip(str(exc))


@pytest.mark.real_data
def test_syria_ceasefire_counts_only_fighting_between_its_parties(syria):
    """The dyad rule on UCDP Syria: as of 28 February 2017, the violations are exactly the
    events between the government and the insurgents (either side first) from 30 December
    2016, counted here with pandas alone; government attacks on IS are not violations."""
    raw = pd.read_csv(syria.events, usecols=["id", "date_start", "side_a", "side_b"])
    window = raw[(raw["date_start"] >= "2016-12-30") & (raw["date_start"] <= "2017-02-28")]
    parties = {"Government of Syria", "Syrian insurgents"}
    between = window[[{a, b} == parties for a, b in zip(window["side_a"], window["side_b"],
                                                         strict=True)]]
    on_is = window[(window["side_a"] == "Government of Syria") & (window["side_b"] == "IS")]
    assert len(between) > 300 and len(on_is) > 100

    events = syria.load_events().events
    events = syria.grouped(events[events["date"] <= "2017-02-28"])
    truces = syria.truce_table()
    flagged = flag_violations(events, truces)
    counted = flagged[flagged["counted"]]
    assert sorted(counted["event_id"].astype(str)) == sorted(between["id"].astype(str))
    assert not set(counted["event_id"].astype(str)) & set(on_is["id"].astype(str))
    funnel = explain_truces(events, truces, flagged, as_of="2017-02-28").iloc[0]
    assert funnel["counted"] == len(between) and funnel["in_territory"] > funnel["in_scope"]


@pytest.mark.slow
@pytest.mark.real_data
def test_syria_story_builds_in_its_own_words(syria, tmp_path):
    """The committed Syria story built as ``make figures`` builds it: no sentence, title, alt
    text or table carries a word of the seed story unless the story's own data holds it, and
    the truce chart's title matches the story's tables."""
    out = tmp_path / "out"
    build(syria, output=out, html=False, progress=False)
    said = _said(out)
    assert len(said) >= 20 and any("ceasefire" in t for t in said.values())
    _assert_no_seed_words(said)
    summary = pd.read_csv(out / "processed" / "truce_summary.csv").iloc[0]
    meta = json.loads((out / "figures" / "truce_violations.json").read_text())
    assert meta["title"].startswith(f"{summary['violation_days']} days with claimed or attributed")
    assert "no key date" in (out / "figures" / "README.md").read_text()


# ---- count series: official daily tallies instead of one row per event ----------------

COUNTS_TOML = '''[story]
title = "T"
subject = "alarms"
what = "Alarms per day"
[data]
counts = "tallies.csv"
count_columns = ["north", "south"]
truces = "truces.csv"
'''


def _count_story(tmp_path: Path, tallies: str) -> Path:
    folder = tmp_path / "c"
    folder.mkdir(exist_ok=True)
    (folder / "tallies.csv").write_text(tallies, encoding="utf-8")
    (folder / "truces.csv").write_text(
        "truce_id,label,start,end,parties,source_url\n"
        "P-1,pause,2024-01-04,2024-01-05,A; B,https://example.org/synthetic-test-fixture\n",
        encoding="utf-8")
    (folder / "story.toml").write_text(COUNTS_TOML, encoding="utf-8")
    return folder


def test_daily_tallies_are_read_summed_and_checked(tmp_path):
    """Synthetic test tallies: two columns summed per day; the pause summary beside the same
    number of days before and after, counted by hand here."""
    from analysis.truces import truce_count_summary

    rows = ["date,north,south"] + [f"2024-01-{d:02d},{d},{10 * (d % 2)}.0" for d in range(1, 9)]
    s = load_story(_count_story(tmp_path, "\n".join(rows) + "\n"))
    assert s.kind == "counts"
    daily = s.daily_counts()
    assert daily["count"].tolist() == [d + 10 * (d % 2) for d in range(1, 9)]
    summary = truce_count_summary(daily, s.truce_table()).iloc[0]
    assert summary["days_in_force"] == 2 and summary["count_in_force"] == (4 + 0) + (5 + 10)
    assert summary["count_before"] == (2 + 0) + (3 + 10) and summary["days_before"] == 2
    assert summary["count_after"] == (6 + 0) + (7 + 10) and summary["days_after"] == 2


@pytest.mark.parametrize("tallies, message", [
    ("date,north,south\n2024-01-01,1,2\n2024-01-03,1,2\n", r"1 day\(s\) missing.*2024-01-02"),
    ("date,north,south\n2024-01-01,1,2\n2024-01-01,1,2\n", "a day given twice"),
    ("date,north,south\n2024-01,1,2\n", "not a day"),
    ("date,north,south\n2024-01-01,1.5,2\n", "not a count.*north"),
    ("date,north,south\n2024-01-01,-1,2\n", "not a count"),
    ("date,north,sooth\n2024-01-01,1,2\n", "missing column.*'south'.*did you mean 'sooth'"),
])
def test_bad_tallies_are_refused_by_name(tmp_path, tallies, message):
    s = load_story(_count_story(tmp_path, tallies))
    with pytest.raises(DataError, match=message):
        s.daily_counts()


def test_a_story_has_events_or_counts(tmp_path):
    with pytest.raises(DataError, match="needs events or counts, not both"):
        load_story(_story(tmp_path, BASE + 'counts = "events.csv"\n'))


@pytest.mark.slow
@pytest.mark.real_data
def test_rocket_alarm_tallies_build_as_a_count_story(real_data, tmp_path):
    """The daily alarm tallies (../shared) and the November 2023 pause: the count notebook
    runs, reports the counts on the pause's days against as many days before and after
    (checked here from the file with pandas), and says what tallies cannot do."""
    try:
        s = load_story("israel_alarms_2023_2024")
    except MissingDataFile as exc:
        pytest.skip(str(exc))
    raw = pd.read_csv(s.counts)
    raw["n"] = raw[["0-7", "7-15", "15-30", "30-50", "50+"]].sum(axis=1)
    n = raw.set_index("date")["n"]
    during = int(n["2023-11-24":"2023-11-30"].sum())
    before = int(n["2023-11-17":"2023-11-23"].sum())
    out = tmp_path / "out"
    done = build(s, output=out, html=False, progress=False)
    assert [p.name for p in done] == ["05_count_series.ipynb"]  # no event notebook for tallies
    meta = json.loads((out / "figures" / "daily_counts.json").read_text())
    assert meta["title"].startswith(f"{during} alarms on the 7 days of the November 2023 pause, "
                                    f"against {before} on the 7 days before")
    text = (out / "notebooks" / "05_count_series.ipynb").read_text()
    assert "cannot number violations" in text
    assert not (out / "figures" / "truce_trend_model.json").exists()  # no bounded fit: no chart


def test_the_story_chooses_its_key_dates_and_chart_rows():
    from dataclasses import replace

    seed = load_story(SEED_STORY)
    key_dates = seed.key_date_table()
    assert set(seed.tested_key_dates(key_dates)["key_date_id"]) == set(seed.key_date_ids)
    every = replace(seed, key_date_ids=None).tested_key_dates(key_dates)
    assert len(every) == (key_dates["recurs"] != "none").sum() > len(seed.key_date_ids)
    with pytest.raises(DataError, match="'KD-SOLEIMANI-X'.*did you mean 'KD-SOLEIMANI-[GH]'"):
        replace(seed, key_date_ids=["KD-SOLEIMANI-X"]).tested_key_dates(key_dates)
    table = seed.load_events().events
    assert seed.category_of(table) == "target_type"
    assert seed.category_of(table.assign(target_type=pd.NA)) == "event_type"


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.iterdir()
                                        if p.name != "PROVENANCE.md"
                                        and "newsnet-africa_20240819" not in p.name))
def test_new_starts_a_story_from_every_real_provider_file(name, tmp_path):
    """``new`` on each real provider file of the corpus (ACLED of five eras, GDELT 1.0 and
    2.0, UCDP GED CSV and JSON): the story it writes loads, names the recognised format,
    proposes the data's own period, and lists every named actor for the alias table."""
    made = new_story("s", REAL / name, root=tmp_path)
    s = load_story(made.folder)
    events = made.result.events
    assert s.format == made.result.format != "auto"
    assert s.period == (f"{events['date'].min():%Y-%m-%d}", f"{events['date'].max():%Y-%m-%d}")
    assert set(pd.read_csv(made.folder / "actor_aliases.csv", keep_default_na=False)["alias"]) \
        == set(events["actor"].dropna().astype(str))
    assert s.truce_table().empty and s.key_date_table().empty
    assert len(s.load_events().events) == len(events)
