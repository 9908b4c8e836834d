"""Command line: ``python -m analysis <command> ...`` wraps the same calls the notebooks make.

Commands
--------
validate   check an event file and print a short report (exit 1 when rows are rejected)
violations flag events against truces; print the per-truce summary and the numbered violations
anniversaries  test whether events rise around anniversaries (Gregorian and Hijri)
new        start a story from an event file: data/NAME/ with story.toml and empty truce and
           key-date tables
build      run every notebook headless for each story (or --story NAME) and rebuild
           figures/NAME/, data/NAME/processed/ and build/NAME/ (make figures)

Exit codes: 0 done; 1 done, but rows were rejected (``validate``) or a build step failed;
2 the input was refused (a :class:`~analysis.schema.DataError`: nothing was read) or the
command line was wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from analysis.io import FORMAT_CHOICES, LoadResult, load_events, write_csv
from analysis.paths import ACTOR_ALIASES, INCIDENTS, TRUCES
from analysis.schema import DataError
from analysis.stats import METHODS
from analysis.values import printable


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line (``argv``, default ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except DataError as exc:  # its values come from the file: no control characters
        print(f"error: {printable(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # files are written whole or not at all (write_atomic)
        print("interrupted; no file was left half-written", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", metavar="command")

    p = sub.add_parser("validate", help="check an event file and report on it")
    p.add_argument("file", help="the event file or http(s) address (CSV, tab-separated, "
                   ".xlsx/.xls, Parquet; .gz or .zip)")
    _input_options(p, "")
    p.add_argument("--show", type=int, default=20, help="rejected rows to list (default 20)")
    p.set_defaults(run=_validate)

    p = sub.add_parser("violations", help="count truce violations event by event")
    p.add_argument("--events", default=str(INCIDENTS), help="event file (default: the seed story's, data/iraq_2019_2021/incidents.csv)")
    _input_options(p, " of --events")
    p.add_argument("--truces", default=str(TRUCES), help="truce table (default: the seed story's)")
    p.add_argument("--aliases", default=str(ACTOR_ALIASES),
                   help="actor alias table (default: the seed story's; 'none' to skip)")
    p.add_argument("--grace-days", type=int, default=0, help="days after a start that do not count")
    p.add_argument("--count", default="claimed,attributed",
                   help="tiers that are numbered (default: claimed,attributed; add suspected)")
    p.add_argument("--no-unattributed", action="store_true",
                   help="do not flag attacks with no named actor as suspected violations")
    p.add_argument("--as-of", help="date the record runs to (default: the latest event)")
    p.add_argument("--csv", help="write the flagged table (one row per event and truce it falls in) here")
    p.set_defaults(run=_violations)

    p = sub.add_parser("anniversaries", help="are events more frequent around anniversaries?")
    p.add_argument("--story", help="a story under data/: its events, period, anniversaries and "
                   "religious dates (each family tested on its own); --events and --key-dates "
                   "override its files")
    p.add_argument("--events", help="event file (default: the story's, else the seed story's, "
                   "data/iraq_2019_2021/incidents.csv)")
    _input_options(p, " of --events")
    p.add_argument("--key-dates", dest="key_dates",
                   help="key-date table (default: the story's, else the seed story's); without "
                   "a story, each recurring key date is tested on its own")
    p.add_argument("--key-date", dest="key_date_ids", action="append", metavar="ID",
                   help="test these key dates together as one question (repeatable)")
    p.add_argument("--before", type=int, default=21, help="days before each anniversary (21)")
    p.add_argument("--after", type=int, default=7, help="days after each anniversary (7)")
    p.add_argument("--method", action="append", choices=list(METHODS),
                   help="test(s) to run (default: shift, the calibrated one; the others are for "
                   "comparison)")
    p.add_argument("--start", help="first day counted (default: the story's period, else the "
                   "first event)")
    p.add_argument("--end", help="last day counted (default: the story's period, else the last "
                   "event)")
    p.add_argument("--seed", type=int, default=0, help="seed of the placebo draws")
    p.add_argument("--csv", help="write the events with their anniversary windows here")
    p.set_defaults(run=_anniversaries)

    p = sub.add_parser("new", help="start a story from an event file: data/NAME/ with story.toml")
    p.add_argument("name", help="the story's name, a folder name (e.g. syria_2016_2017)")
    p.add_argument("--events", required=True, help="the event file (any format read by validate)")
    _input_options(p, " of --events")
    p.set_defaults(run=_new)

    p = sub.add_parser("build", help="run the notebooks for a story and rebuild its figures and tables")
    p.add_argument("--story", action="append", metavar="NAME",
                   help="the story to build (a folder under data/ with a story.toml); "
                   "repeatable; default: every story")
    p.add_argument("--notebook", action="append", metavar="NAME",
                   help="run only this notebook (e.g. 01_event_table or 01); repeatable")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="override a notebook parameter, e.g. -p as_of 2020-12-31")
    p.add_argument("--output", help="folder for figures, tables and executed notebooks "
                   "(default: figures/NAME/, data/NAME/processed/ and build/NAME/)")
    p.add_argument("--no-html", action="store_true", help="skip the HTML renderings")
    p.set_defaults(run=_build)
    return parser


def _input_options(p: argparse.ArgumentParser, of: str) -> None:
    """The options that say how to read an event file."""
    p.add_argument("--format", choices=FORMAT_CHOICES, default="auto",
                   help=f"layout{of} (default: auto, recognised from its header or columns)")
    p.add_argument("--encoding", default=None,
                   help=f"text encoding{of} when it is not UTF-8 (e.g. cp1252)")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       help="read numeric dates such as 3/5/2020 day first (3 May)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read numeric dates such as 3/5/2020 month first (5 March)")


def _load(args: argparse.Namespace, path: str, **options) -> LoadResult:
    """Read an event file as the options say; tell on stderr how it was read."""
    result = load_events(path, format=args.format, encoding=args.encoding,
                         dayfirst=args.dayfirst, **options)
    if not options:
        for note in result.notes:
            print(f"note: {note}", file=sys.stderr)
    return result


def _new(args: argparse.Namespace) -> int:
    from analysis.scaffold import new_story

    made = new_story(args.name, args.events, format=args.format, encoding=args.encoding,
                     dayfirst=args.dayfirst)
    result = made.result
    print(f"story {args.name}: {made.folder}")
    print(f"  events:   {result.source} ({result.recognised})")
    print(f"            {len(result.events):,} events kept of {result.rows_read:,} rows read"
          + (f"; {result.rejected['row'].nunique():,} rows set aside (see: python -m analysis "
             f"validate {args.events})" if len(result.rejected) else ""))
    for note in result.notes:
        print(f"  note:     {note}")
    print(f"  period:   {made.period[0]} to {made.period[1]} (proposed; edit story.toml)")
    print(f"  places:   {', '.join(made.places[:8])}" + (" ..." if len(made.places) > 8 else ""))
    print(f"  actors:   {len(made.groups):,} named; most events: "
          + "; ".join(f"{g} ({n:,})" for g, n in made.groups.head(5).items()))
    print("  truces, key dates: none yet (truces.csv, key_dates.csv hold the header only)")
    print(f"next: edit {made.folder / 'story.toml'}, add truces and key dates, then: "
          f"python -m analysis build --story {args.name}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from analysis.build import BuildError, build, parse_value, stories

    params = {name: parse_value(value) for name, value in args.parameter}
    names = args.story or stories()
    if args.output and len(names) > 1:
        raise DataError("--output with several stories would put them in one folder",
                        source="build", expected="--story NAME with --output")
    from analysis.story import MissingDataFile

    try:
        for name in names:
            try:
                done = build(name, notebooks=args.notebook, parameters=params,
                             output=args.output, html=not args.no_html)
            except MissingDataFile as exc:
                if args.story:  # asked for by name: an error
                    raise
                print(f"{name}: skipped, its data is not on this machine ({exc})",
                      file=sys.stderr)
                continue
            print(f"{name}: built {len(done)} notebook(s) into {done[0].parent}" if done
                  else f"{name}: no notebook run")
    except BuildError as exc:
        print(f"build failed: {printable(exc)}", file=sys.stderr)
        return 1
    return 0


def _validate(args: argparse.Namespace) -> int:
    result = _load(args, args.file, errors="collect")
    print(printable(validation_report(result, show=args.show)))
    return 1 if len(result.rejected) else 0


def _violations(args: argparse.Namespace) -> int:
    from analysis.events import normalize_actors, read_aliases
    from analysis.truces import (
        explain_truces,
        flag_violations,
        read_truces,
        violation_summary,
        violation_table,
    )

    events = _load(args, args.events).events
    if args.aliases.lower() != "none":
        events = normalize_actors(events, read_aliases(args.aliases))
    truces = read_truces(args.truces)
    if args.as_of:  # the record as it stood that day: later events are not in it
        later = events["date"] > pd.Timestamp(args.as_of)
        if later.any():
            print(f"note: {int(later.sum()):,} events after {args.as_of} left out (--as-of)",
                  file=sys.stderr)
            events = events[~later]
    tiers = tuple(t.strip() for t in args.count.split(",") if t.strip())
    flagged = flag_violations(events, truces, grace_days=args.grace_days,
                              include_unattributed=not args.no_unattributed, count_tiers=tiers)
    summary = violation_summary(flagged, truces, as_of=args.as_of)
    funnel = explain_truces(events, truces, flagged, as_of=args.as_of)
    with pd.option_context("display.width", 160, "display.max_columns", 30,
                           "display.max_colwidth", 40):
        print(f"Truces ({len(truces)}), counting {' + '.join(tiers)} violations; "
              f"{len(events):,} events from {args.events}\n")
        print("How the events narrow down to the counted violations, truce by truce:")
        print(funnel.to_string(index=False))
        print()
        print(summary.drop(columns=["name"]).T.to_string(header=False) if len(summary) == 1
              else summary.to_string(index=False))
        table = violation_table(flagged)
        print("\nViolations (numbered = counted; blank number = suspected, not counted):")
        print(table.drop(columns=["source_url", "actor_group"]).to_string(index=False))
    if args.csv:
        keep = ["event_id", "date", "truce_id", "is_violation", "violation_tier",
                "violation_number", "violation_day", "days_into_truce", "is_possible_violation",
                "actor", "actor_group", "attribution", "target_type", "location", "source_url"]
        path = write_csv(flagged[[c for c in keep if c in flagged.columns]], args.csv)
        print(f"\nwrote {len(flagged):,} rows (one per event and truce) to {path}")
    return 0


def _anniversary_families(args: argparse.Namespace):
    """The events, the counted period and the questions to test: ``[(name, key dates)]``.

    An anniversary and a religious observance are different questions, so they are never
    lumped into one test: a story tests its anniversaries (``key_date_ids``) and its religious
    dates (``religious_ids``) apart; ``--key-date`` ids form one question; otherwise each
    recurring key date is its own."""
    from analysis.key_dates import read_key_dates
    from analysis.story import load_story

    story = load_story(args.story) if args.story or not (args.events or args.key_dates) else None
    events = (_load(args, args.events).events if args.events or story is None
              else story.load_events().events)
    if story is not None and not args.events:
        events = story.grouped(events)
    key_dates = (read_key_dates(args.key_dates) if args.key_dates or story is None
                 else story.key_date_table())
    start, end = (story.span(events) if story is not None else (None, None))
    start, end = args.start or start, args.end or end
    if args.key_date_ids:
        unknown = sorted(set(args.key_date_ids) - set(key_dates["key_date_id"]))
        if unknown:
            source = args.key_dates
            if not source:  # then the table is the story's (read_key_dates(None) fails)
                assert story is not None
                source = str(story.key_dates)
            raise DataError(f"unknown key date(s) {', '.join(unknown)}", source=source,
                            expected="ids from: " + ", ".join(key_dates["key_date_id"]))
        families = [("the key dates given",
                     key_dates[key_dates["key_date_id"].isin(args.key_date_ids)])]
    elif story is not None and not args.key_dates:
        religious = key_dates[key_dates["key_date_id"].isin(story.religious_ids)]
        families = [("the story's anniversaries", story.tested_key_dates(key_dates)),
                    ("the story's religious dates", religious)]
    else:
        recurring = key_dates[key_dates["recurs"] != "none"]
        families = [(f"{kd.key_date_id} ({kd.label or kd.name})", recurring.iloc[[i]])
                    for i, kd in enumerate(recurring.itertuples())]
    what = story.subject if story is not None else "events"
    return events, start, end, [(n, f) for n, f in families if len(f)], what


def _anniversaries(args: argparse.Namespace) -> int:
    from analysis.anniversaries import (
        add_anniversary_window,
        anniversary_occurrences,
        warn_unmatched_countries,
    )
    from analysis.events import count_events
    from analysis.stats import escalation_test

    events, start, end, families, what = _anniversary_families(args)
    for message in warn_unmatched_countries(events, pd.concat([f for _, f in families])
                                            if families else pd.DataFrame()):
        print(f"warning: {message}", file=sys.stderr)
    counts = count_events(events, "D", start=start, end=end)
    print(f"{len(events):,} {what}, counted {counts['date'].min():%Y-%m-%d} to "
          f"{counts['date'].max():%Y-%m-%d}; windows {args.before} days before to {args.after} "
          f"days after each anniversary. One test per question: "
          f"{'; '.join(name for name, _ in families) or 'none (no recurring key date)'}.\n")
    for name, key_dates in families:
        religious = name == "the story's religious dates"
        occ = anniversary_occurrences(key_dates, counts["date"].min(), counts["date"].max(),
                                      include_original=False)
        print(f"== {name}")
        if occ.empty:
            print("  no occurrence inside the counted period: not tested\n")
            continue
        print(occ[["key_date_id", "occurrence", "anniversary", "hijri_date"]].to_string(index=False))
        for method in args.method or ["shift"]:
            res = escalation_test(counts, key_dates, before=args.before, after=args.after,
                                  method=method, seed=args.seed, what=what,
                                  occasion="religious date" if religious else "anniversary")
            print(f"[{method}] rate ratio {res.rate_ratio:.2f} ({res.conf_low:.2f} to "
                  f"{res.conf_high:.2f}), p = {res.p_value:.3f}")
            print(f"  {res.sentence}")
        print()
    if args.csv:
        every = pd.concat([f for _, f in families]) if families else pd.DataFrame()
        flagged = add_anniversary_window(events, every, before=args.before, after=args.after)
        keep = ["event_id", "date", "key_date_id", "occurrence", "days_to_anniversary",
                "in_window", "actor", "target_type", "location", "source_url"]
        path = write_csv(flagged[[c for c in keep if c in flagged.columns]], args.csv)
        print(f"\nwrote {len(flagged):,} events with their windows to {path}")
    return 0


def validation_report(result: LoadResult, *, show: int = 20) -> str:
    """A short plain-text report: rows, date range, precision mix, rejected rows with reasons."""
    ev = result.events
    lines = [f"{result.source}",
             f"  format:         {result.recognised or result.format}",
             f"  rows read:      {result.rows_read:,}",
             f"  events kept:    {len(ev):,}"]
    if result.rows_folded:
        lines.append(f"  rows folded:    {result.rows_folded:,} (into the row of the same event)")
    if len(ev):
        lines.append(f"  date range:     {ev['date'].min():%Y-%m-%d} to {ev['date'].max():%Y-%m-%d}"
                     f" (latest possible date {ev['date_end'].max():%Y-%m-%d})")
        mix = ev["date_precision"].value_counts().loc[lambda s: s > 0]
        lines.append("  date precision: " + ", ".join(f"{k} {v:,}" for k, v in mix.items()))
        attr = ev["attribution"].value_counts().loc[lambda s: s > 0]
        lines.append("  attribution:    " + ", ".join(f"{k} {v:,}" for k, v in attr.items()))
        blank = {c: int(ev[c].isna().sum()) for c in ("actor", "killed", "source_url")}
        lines.append("  blank values:   " + ", ".join(f"{c} {n:,}" for c, n in blank.items()))
    if result.missing:
        top = sorted(result.missing.items(), key=lambda kv: -kv[1])[:6]
        lines.append(f"  cells missing:  {sum(result.missing.values()):,} ("
                     + ", ".join(f"{c} {n:,}" for c, n in top)
                     + (", ..." if len(result.missing) > 6 else "") + ")")
    for note in result.notes:
        lines.append(f"  note: {note}")
    rej = result.rejected
    n_rows = rej["row"].nunique() if len(rej) else 0
    lines.append(f"  rows rejected:  {n_rows:,}")
    if len(rej):
        for (problem, column), grp in rej.groupby(["problem", "column"], sort=False):
            lines.append(f"    {problem} ({column}): {grp['row'].nunique():,} row(s), "
                         f"e.g. row {grp['row'].iloc[0]} {grp['value'].iloc[0]!r}; "
                         f"expected {grp['expected'].iloc[0]}")
        with pd.option_context("display.width", 120, "display.max_colwidth", 40):
            lines.append(rej.head(show).to_string(index=False))
        if len(rej) > show:
            lines.append(f"    ... {len(rej) - show:,} more (use --show)")
    return "\n".join(lines)
