"""Benchmarks of the library on SYNTHETIC events, beside row-wise pandas and DuckDB SQL.

For each size N (default 100k, 1M and 10M events) the events are generated once
(:func:`analysis.synthetic.synthetic_events`) and written as CSV and Parquet to a temporary
folder; then every operation is timed in a fresh subprocess per implementation:

* ours: the library (``load_events``, ``read_events``, ``validate_events``,
  ``normalize_actors``, ``count_events``, ``flag_violations``, ``add_anniversary_window``,
  and the whole pipeline from Parquet);
* row-wise: the straightforward per-row pandas versions in ``benchmarks/reference.py``, run
  on random subsamples (20,000 and 5,000 rows; fewer for 1,000 truces) and extrapolated to N
  with a straight line through the two timings (fixed cost + cost per row);
* DuckDB: the same operations as SQL (``benchmarks/reference.py``) on tables in DuckDB; the
  reads are followed by the validate query, as ours validate as they read.

Results are checked: the row-wise versions against ours on the subsample (exact), DuckDB
against ours on the full N (exact, ``EXCEPT ALL`` both ways). Peak memory is the child
process's maximum resident set size from ``os.wait4`` (the same figure as
``getrusage(RUSAGE_CHILDREN).ru_maxrss``), and the growth while the operation ran (peak
reset through ``/proc/self/clear_refs``). See ``benchmarks/README.md``.

    .venv/bin/python benchmarks/run.py                   # 100k, 1M, 10M (make bench)
    .venv/bin/python benchmarks/run.py --quick           # 100k only
    .venv/bin/python benchmarks/run.py --sizes 1M --repeat 5 --only count,flag_100

Prints tables and writes benchmarks/results/bench.json. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference as ref

from analysis.anniversaries import add_anniversary_window, validate_key_dates
from analysis.events import count_events, normalize_actors
from analysis.io import load_events, read_events
from analysis.paths import REAL_DATA
from analysis.synthetic import (
    synthetic_aliases,
    synthetic_events,
    synthetic_key_dates,
    synthetic_truces,
)
from analysis.truces import flag_violations
from analysis.validate import validate_events

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "bench.json"
SIGACTS = REAL_DATA / "iraq_sigacts_2004_2007" / "sigacts_iraq_2004_2007.csv"

OPS = {  # name -> label in the tables
    "read_csv": "read CSV (load_events)",
    "read_parquet": "read Parquet (read_events)",
    "validate": "validate_events",
    "normalize": "normalize_actors",
    "count": "count_events daily by group",
    "flag_100": "flag_violations, 100 truces",
    "flag_1000": "flag_violations, 1,000 truces",
    "windows": "add_anniversary_window, 20 dates",
    "pipeline": "pipeline from Parquet",
}
IMPLS = ("ours", "duckdb", "rowwise")
#: bytes of peak memory per output row of flag_violations with every event column carried,
#: to skip runs that cannot fit (measured: ~300 B at 1M events x 1,000 truces, ~240 B at 10M;
#: the rest is margin)
FLAG_BYTES_PER_ROW = 550
GB = 1e9


# --------------------------------------------------------------------------------------
# Memory of this process


def _status(field: str) -> int:
    """A field of /proc/self/status in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reset_peak() -> bool:
    """Reset the peak resident set size (Linux >= 4.0); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


# --------------------------------------------------------------------------------------
# Inputs


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def label_size(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1_000}k" if n % 1_000 == 0 else str(n)


def prepare(n: int, folder: Path, seed: int, pipeline_truces: int) -> dict:
    """Generate N events once; write CSV, Parquet and the normalised table; predict sizes."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    events = synthetic_events(n, seed=seed)
    generated = time.perf_counter() - t0
    events.to_parquet(folder / "events.parquet", index=False)
    table = pa.Table.from_pandas(events, preserve_index=False)
    table = table.cast(pa.schema([
        pa.field(f.name, pa.date32() if pa.types.is_timestamp(f.type)
                 else pa.large_string() if pa.types.is_dictionary(f.type) else f.type)
        for f in table.schema]))
    pacsv.write_csv(table, folder / "events.csv")
    del table
    norm = normalize_actors(events, synthetic_aliases())
    del events
    norm.to_parquet(folder / "norm.parquet", index=False)
    meta = {"n": n, "seed": seed, "generate_seconds": round(generated, 2),
            "csv_mb": round((folder / "events.csv").stat().st_size / 1e6, 1),
            "parquet_mb": round((folder / "events.parquet").stat().st_size / 1e6, 1),
            "summary": ref.summary(norm),
            "flag_rows": {str(k): predicted_flag_rows(norm, synthetic_truces(k, seed=seed))
                          for k in sorted({100, 1000, pipeline_truces})},
            "table_gb": round(norm.memory_usage(deep=True).sum() / GB, 2)}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1))
    return meta


def predicted_flag_rows(events: pd.DataFrame, truces: pd.DataFrame) -> int:
    """Rows flag_violations returns: one per (event, truce) whose dates overlap inside the
    truce's territory (admin1, else countries; names matched exactly here, so a region name
    shared by two countries is counted in both: an upper bound)."""
    lo_all = events["date_start"].to_numpy("datetime64[D]")
    hi_all = events["date_end"].to_numpy("datetime64[D]")
    groups = {}
    for col in ("country", "admin1"):
        codes, names = pd.factorize(events[col])
        by_lo, by_hi = np.lexsort((lo_all, codes)), np.lexsort((hi_all, codes))
        groups[col] = ({n: i for i, n in enumerate(names)}, codes[by_lo], lo_all[by_lo],
                       hi_all[by_hi])

    def overlapping(lo, hi, start, end) -> int:  # lo and hi each sorted
        return int(np.searchsorted(lo, end, "right") - np.searchsorted(hi, start, "left"))

    pairs = 0
    for t in truces.itertuples(index=False):  # a loop over truces
        start = np.datetime64(t.start, "D")
        end = np.datetime64(ref.OPEN_END if pd.isna(t.end) else t.end, "D")
        col, items = (("admin1", t.admin1) if not pd.isna(t.admin1)
                      else ("country", t.countries) if not pd.isna(t.countries) else (None, None))
        if col is None:
            pairs += overlapping(np.sort(lo_all), np.sort(hi_all), start, end)
            continue
        index, codes, lo, hi = groups[col]
        for item in str(items).split("; "):
            if item in index:
                first, last = np.searchsorted(codes, [index[item], index[item] + 1])
                pairs += overlapping(lo[first:last], hi[first:last], start, end)
    return pairs


def inputs(folder: Path, seed: int):
    """Aliases, truces and key dates (small; regenerated in each worker)."""
    return {"aliases": synthetic_aliases(), "truces_100": synthetic_truces(100, seed=seed),
            "truces_1000": synthetic_truces(1000, seed=seed), "key_dates": synthetic_key_dates(20)}


# --------------------------------------------------------------------------------------
# The operations: ours


def ours_pipeline(path: Path, aliases, truces, key_dates, steps: dict) -> dict:
    """read (with validation) -> normalise -> count -> flag -> windows; step times in ``steps``."""
    t = time.perf_counter()
    events = read_events(path)
    steps["read+validate"] = time.perf_counter() - t
    t = time.perf_counter()
    events = normalize_actors(events, aliases)
    steps["normalize"] = time.perf_counter() - t
    t = time.perf_counter()
    counts = count_events(events, "D", by="actor_group")
    steps["count"] = time.perf_counter() - t
    t = time.perf_counter()
    flagged = flag_violations(events, truces)
    steps["flag"] = time.perf_counter() - t
    t = time.perf_counter()
    windows = add_anniversary_window(events, key_dates)
    steps["windows"] = time.perf_counter() - t
    return {"counts": counts, "flagged": flagged, "windows": windows}


def ours_task(op: str, folder: Path, args):
    """(function to time, function giving result info) for our implementation of ``op``."""
    data = inputs(folder, args.seed)
    check = folder / "check"
    check.mkdir(exist_ok=True)

    def save(df, kind):
        cols = [c for c, _ in ref.PROJECTIONS[kind]]
        df[cols].to_parquet(check / f"{op}.parquet", index=False)
        return {"rows_out": len(df), "check_file": str(check / f"{op}.parquet")}

    if op == "read_csv":
        return (lambda: load_events(folder / "events.csv").events,
                lambda r: {"rows_out": len(r), "summary": ref.summary(r)})
    if op == "read_parquet":
        return (lambda: read_events(folder / "events.parquet"),
                lambda r: {"rows_out": len(r), "summary": ref.summary(r)})
    if op == "validate":
        raw = pd.read_parquet(folder / "events.parquet")
        return lambda: validate_events(raw), lambda r: {"rows_out": len(r), "problems": {}}
    # inputs as the library's reader gives them (text columns in one piece, Arrow's freed
    # memory given back), read before the clock starts
    if op == "normalize":
        events = read_events(folder / "events.parquet")
        return lambda: normalize_actors(events, data["aliases"]), lambda r: save(r, "normalize")
    norm = read_events(folder / "norm.parquet")
    if op == "count":
        return lambda: count_events(norm, "D", by="actor_group"), lambda r: save(r, "count")
    if op in ("flag_100", "flag_1000"):
        truces = data[f"truces_{op.split('_')[1]}"]
        return lambda: flag_violations(norm, truces), lambda r: save(r, "flag")
    if op == "windows":
        return lambda: add_anniversary_window(norm, data["key_dates"]), lambda r: save(r, "windows")
    if op == "pipeline":
        del norm
        steps: dict = {}
        truces = synthetic_truces(args.pipeline_truces, seed=args.seed)
        return (lambda: ours_pipeline(folder / "events.parquet", data["aliases"], truces,
                                      data["key_dates"], steps),
                lambda r: {"rows_out": {k: len(v) for k, v in r.items()},
                           "steps": {k: round(v, 3) for k, v in steps.items()}})
    raise ValueError(op)


# --------------------------------------------------------------------------------------
# The operations: DuckDB


def duck_task(op: str, folder: Path, args):
    data = inputs(folder, args.seed)
    tmp = folder / "duck_tmp"
    tmp.mkdir(exist_ok=True)
    con = ref.duck_connect(memory_limit=f"{args.duck_memory_gb}GB", temp_directory=str(tmp))
    check = folder / "check" / f"{op}.parquet"

    def compare(table, kind):
        def after(_):
            n = ref.run(con, f"SELECT count(*) FROM {table}")[0][0]
            status = ref.duck_compare(con, check, table, kind) if check.exists() else \
                "not checked (no result of ours to compare)"
            return {"rows_out": n, "check": status}
        return after

    if op in ("read_csv", "read_parquet"):
        # our readers check every rule as they read (load_events); so does the row-wise one.
        # The DuckDB equivalent is its typed read, then the validate query: both are timed,
        # and the median of each is kept as a step (the read alone is reported too)
        reader = ref.duck_read_csv if op == "read_csv" else ref.duck_read_parquet
        path = folder / ("events.csv" if op == "read_csv" else "events.parquet")
        meta = json.loads((folder / "meta.json").read_text())
        times: dict = {"read": [], "validate": []}

        def read_and_validate():
            t = time.perf_counter()
            reader(con, path)
            times["read"].append(time.perf_counter() - t)
            t = time.perf_counter()
            problems = ref.duck_validate(con)
            times["validate"].append(time.perf_counter() - t)
            return problems

        def after(problems):
            got = ref.duck_summary(con)
            check = ("ok" if got == meta["summary"] and problems == {} else
                     f"summary differs: {got}" if got != meta["summary"] else
                     f"problems found: {problems}")
            return {"rows_out": got["rows"], "check": check,
                    "steps": {k: round(statistics.median(v), 3) for k, v in times.items()}}
        return read_and_validate, after
    source = "norm" if op in ("count", "flag_100", "flag_1000", "windows") else "events"
    ref.duck_read_parquet(con, folder / f"{'norm' if source == 'norm' else 'events'}.parquet",
                          table=source)
    if op == "validate":
        return (lambda: ref.duck_validate(con),
                lambda r: {"check": "ok" if r == {} else f"problems found: {r}"})
    if op == "normalize":
        return lambda: ref.duck_normalize(con, data["aliases"]), compare("norm", "normalize")
    if op == "count":
        return lambda: ref.duck_count(con), compare("counts", "count")
    if op in ("flag_100", "flag_1000"):
        truces = data[f"truces_{op.split('_')[1]}"]
        return lambda: ref.duck_flag(con, truces), compare("flagged", "flag")
    if op == "windows":
        dates = pd.read_parquet(folder / "norm.parquet", columns=["date"])["date"]
        kd = data["key_dates"]
        return (lambda: ref.duck_windows(con, ref.occurrences(kd, dates)),
                compare("windows", "windows"))
    if op == "pipeline":
        truces = synthetic_truces(args.pipeline_truces, seed=args.seed)
        steps: dict = {}

        def pipeline():
            t = time.perf_counter()
            ref.duck_read_parquet(con, folder / "events.parquet")
            steps["read"] = time.perf_counter() - t
            t = time.perf_counter()
            problems = ref.duck_validate(con)
            steps["validate"] = time.perf_counter() - t
            t = time.perf_counter()
            ref.duck_normalize(con, data["aliases"])
            steps["normalize"] = time.perf_counter() - t
            t = time.perf_counter()
            ref.duck_count(con)
            steps["count"] = time.perf_counter() - t
            t = time.perf_counter()
            ref.duck_flag(con, truces)
            steps["flag"] = time.perf_counter() - t
            t = time.perf_counter()
            dates = ref.run(con, "SELECT min(date), max(date) FROM norm")[0]
            occ = ref.occurrences(data["key_dates"], pd.Series(pd.to_datetime(list(dates))))
            ref.duck_windows(con, occ)
            steps["windows"] = time.perf_counter() - t
            return problems
        return pipeline, lambda r: {"steps": {k: round(v, 3) for k, v in steps.items()},
                                    "check": "(steps checked)"}
    raise ValueError(op)


# --------------------------------------------------------------------------------------
# The operations: row-wise, on subsamples


def rowwise_rows(op: str, args) -> int:
    if op == "flag_1000":
        return max(200, args.rowwise_rows // 10)
    return args.rowwise_rows


def rowwise_task(op: str, folder: Path, args) -> dict:
    """Time the row-wise version on two subsamples, extrapolate to N, check it against ours."""
    import pyarrow.parquet as pq

    data = inputs(folder, args.seed)
    meta = json.loads((folder / "meta.json").read_text())
    n = meta["n"]
    m = min(rowwise_rows(op, args), n)
    sizes = sorted({max(1, m // 4), m})
    rng = np.random.default_rng(12345)
    if op in ("read_csv", "read_parquet"):
        rows = {}
        for k in sizes:
            head = folder / f"head_{k}.{'csv' if op == 'read_csv' else 'parquet'}"
            if op == "read_csv":
                with open(folder / "events.csv", encoding="utf-8") as src:
                    head.write_text("".join(next(src) for _ in range(k + 1)), encoding="utf-8")
            else:
                batch = next(pq.ParquetFile(folder / "events.parquet").iter_batches(batch_size=k))
                pq.write_table(pa_table(batch), head)
            rows[k] = head
        reader = ref.rowwise_read_csv if op == "read_csv" else rowwise_read_parquet
        times = {k: timed(lambda k=k: reader(rows[k]))[0] for k in sizes}
        (table, problems) = reader(rows[m])
        ours = load_events(rows[m]).events
        status = frame_check(ours, table, problems)
        return extrapolate(times, n, status)
    source = "events" if op in ("validate", "normalize") else "norm"
    full = pd.read_parquet(folder / f"{source}.parquet")
    picks = {k: np.sort(rng.choice(len(full), size=k, replace=False)) for k in sizes}
    samples = {k: full.iloc[idx].reset_index(drop=True) for k, idx in picks.items()}
    del full
    gc.collect()
    if op == "validate":
        fn, ours, kind = ref.rowwise_validate, validate_events, None
    elif op == "normalize":
        fn = lambda s: ref.rowwise_normalize(s, data["aliases"])  # noqa: E731
        ours, kind = (lambda s: normalize_actors(s, data["aliases"])), "normalize"
    elif op == "count":
        fn = lambda s: ref.rowwise_count(s, "actor_group")  # noqa: E731
        ours, kind = (lambda s: count_events(s, "D", by="actor_group")), "count"
    elif op in ("flag_100", "flag_1000"):
        truces = data[f"truces_{op.split('_')[1]}"]
        fn = lambda s: ref.rowwise_flag(s, truces)  # noqa: E731
        ours, kind = (lambda s: flag_violations(s, truces)), "flag"
    elif op == "windows":
        fn = lambda s: ref.rowwise_windows(s, data["key_dates"])  # noqa: E731
        ours, kind = (lambda s: add_anniversary_window(s, data["key_dates"])), "windows"
    else:
        raise ValueError(op)
    times, results = {}, {}
    for k in sizes:
        times[k], results[k] = timed(lambda k=k: fn(samples[k]))
    mine = ours(samples[m])
    if kind is None:
        table, problems = results[m]
        status = frame_check(mine, table, problems)
    else:
        status = ref.compare(mine, results[m], kind)
    return extrapolate(times, n, status)


def pa_table(batch):
    import pyarrow as pa

    return pa.Table.from_batches([batch])


def rowwise_read_parquet(path: Path):
    """Row-wise reading of a Parquet file: one dict per row (``to_pylist``), then checks."""
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    records, labels, problems = [], [], []
    for number, row in enumerate(rows, start=2):
        records.append(ref._row(row, number, problems))
        labels.append(number)
    ref._checks(records, labels, problems)
    return ref._table(records, pd.RangeIndex(len(records))), problems


def frame_check(ours: pd.DataFrame, theirs: pd.DataFrame, problems: list) -> str:
    if problems:
        return f"row-wise found {len(problems)} problems, ours none: {problems[:3]}"
    def observed(df):  # a subsample of a categorical keeps every category: compare the values
        return df.reset_index(drop=True).apply(
            lambda s: s.cat.remove_unused_categories() if isinstance(s.dtype, pd.CategoricalDtype)
            else s)

    try:
        pd.testing.assert_frame_equal(observed(ours), observed(theirs))
    except AssertionError as exc:
        return "tables differ: " + " ".join(str(exc).split())[:300]
    return "ok"


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def extrapolate(times: dict, n: int, status: str) -> dict:
    """Straight line through (rows, seconds) of the two subsamples, evaluated at N."""
    (k1, t1), (k2, t2) = sorted(times.items())[0], sorted(times.items())[-1]
    per_row = (t2 - t1) / (k2 - k1) if k2 > k1 else t2 / k2
    fixed = t2 - per_row * k2
    if per_row <= 0 or fixed < 0:  # timing noise: fall back to proportional scaling
        per_row, fixed = t2 / k2, 0.0
    return {"subsample_rows": sorted(times), "subsample_seconds": [round(times[k], 3) for k in sorted(times)],
            "per_row_us": round(per_row * 1e6, 2), "fixed_seconds": round(fixed, 3),
            "median_s": fixed + per_row * n, "check": status, "runs": 1}


# --------------------------------------------------------------------------------------
# The real case


def sigacts_task(args) -> dict:
    """The Iraq SIGACTs table through load (collect) -> counts -> Hijri anniversary windows."""
    from hijridate import Hijri

    key_dates = validate_key_dates(pd.DataFrame([
        {"key_date_id": kid, "name": name, "calendar": "hijri", "recurs": "observance",
         "before": 7, "after": 7, "date": Hijri(1425, month, day).to_gregorian().isoformat()}
        for kid, name, month, day in [("ASHURA", "Ashura (10 Muharram)", 1, 10),
                                      ("ARBAEEN", "Arbaeen (20 Safar)", 2, 20),
                                      ("RAMADAN", "Start of Ramadan (1 Ramadan)", 9, 1),
                                      ("EID-FITR", "Eid al-Fitr (1 Shawwal)", 10, 1)]]))
    runs = []
    for _ in range(args.repeat):
        steps = {}
        t = time.perf_counter()
        loaded = load_events(SIGACTS, format="sigacts", errors="collect")
        steps["load (collect)"] = time.perf_counter() - t
        t = time.perf_counter()
        daily = count_events(loaded.events, "D")
        by_type = count_events(loaded.events, "D", by="event_type")
        steps["count daily, and by event type"] = time.perf_counter() - t
        t = time.perf_counter()
        windows = add_anniversary_window(loaded.events, key_dates)
        steps["anniversary windows (4 Hijri dates)"] = time.perf_counter() - t
        steps["total"] = sum(steps.values())
        runs.append(steps)
    median = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    inside = windows[windows["in_window"]]
    return {
        "seconds": median, "rows_read": loaded.rows_read, "events": len(loaded.events),
        "rejected_rows": int(loaded.rejected["row"].nunique()),
        "rejected_reasons": loaded.rejected["problem"].value_counts().to_dict(),
        "first": str(loaded.events["date"].min().date()),
        "last": str(loaded.events["date"].max().date()),
        "days": len(daily), "max_per_day": int(daily["count"].max()),
        "event_types": int(by_type["event_type"].nunique()),
        "events_in_windows": len(inside),
        "events_in_window_by_key_date": inside["key_date_id"].value_counts().sort_index().to_dict(),
        "share_of_days_in_windows": round(float(add_anniversary_window(daily, key_dates)["in_window"].mean()), 3),
    }


# --------------------------------------------------------------------------------------
# The worker (one operation, one implementation, in a fresh process)


def worker(args) -> None:
    impl, op = args.worker
    folder = Path(args.data)
    out: dict = {"impl": impl, "op": op}
    try:
        if op == "sigacts":
            out.update(sigacts_task(args))
        elif impl == "rowwise":
            out.update(rowwise_task(op, folder, args))
        else:
            fn, after = (ours_task if impl == "ours" else duck_task)(op, folder, args)
            gc.collect()
            resettable = reset_peak()
            base = _status("VmRSS")
            times, result = [], None
            for i in range(args.repeat):
                if i:
                    del result
                    gc.collect()
                t = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - t)
                if sum(times) > args.max_run_seconds and i + 1 < args.repeat:
                    break  # slow: fewer runs (reported)
            peak = _status("VmHWM")
            out.update({"times": [round(x, 4) for x in times], "median_s": statistics.median(times),
                        "runs": len(times), "baseline_gb": round(base / GB, 3),
                        "op_peak_gb": round(peak / GB, 3) if resettable else None,
                        "op_growth_gb": round((peak - base) / GB, 3) if resettable else None})
            out.update(after(result))
    except Exception as exc:  # reported in the tables, not fatal to the run
        out["error"] = f"{type(exc).__name__}: {exc}"[:500]
        out["traceback"] = traceback.format_exc()[-2000:]
    Path(args.out).write_text(json.dumps(out, default=str))


def launch(argv: list[str], out: Path, *, cap_gb: float, timeout: float) -> dict:
    """Run a worker; return its result with its peak RSS (``wait4``), killed over the caps."""
    err = out.with_suffix(".stderr")
    with open(err, "w") as fh:
        proc = subprocess.Popen([sys.executable, __file__, *argv, "--out", str(out)],
                                stdout=fh, stderr=fh, start_new_session=True)
    started, killed = time.monotonic(), None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        rss = _rss_of(proc.pid)
        if killed is None and rss > cap_gb * GB:
            killed = f"stopped: memory above the cap of {cap_gb:g} GB"
            os.killpg(proc.pid, signal.SIGKILL)
        elif killed is None and time.monotonic() - started > timeout:
            killed = f"stopped: took longer than {timeout:g} s"
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.05)
    result = json.loads(out.read_text()) if out.exists() and not killed else {}
    if killed or proc.returncode:
        tail = err.read_text()[-600:] if err.exists() else ""
        result.setdefault("error", killed or f"exit {proc.returncode}: {tail}")
    result["peak_rss_gb"] = round(usage.ru_maxrss * 1024 / GB, 3)
    result["wall_s"] = round(time.monotonic() - started, 1)
    return result


def _rss_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# --------------------------------------------------------------------------------------
# The run


def skip_reason(op: str, impl: str, meta: dict, args) -> str | None:
    """Why ``op`` is not run for ``impl`` at this size (a prediction of memory), or None."""
    if impl == "rowwise" and op == "pipeline":
        return "sum of the row-wise steps"
    k = {"flag_100": 100, "flag_1000": 1000, "pipeline": args.pipeline_truces}.get(op)
    if k is None or impl == "rowwise":
        return None
    pairs = meta["flag_rows"][str(k)] - meta["n"]
    rows = max(pairs, meta["n"])  # at least; the memory watchdog stops a run that overshoots
    need = meta["table_gb"] + rows * FLAG_BYTES_PER_ROW / GB
    if need > args.mem_cap_gb:
        return (f"flag_violations would return over {rows / 1e6:,.0f}M rows (one per event and "
                f"truce it falls in), ~{need:,.0f} GB > cap {args.mem_cap_gb:g} GB")
    return None


def run_size(n: int, args, base: Path, results: dict) -> None:
    folder = base / f"n{label_size(n)}"
    meta_file = folder / "meta.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else None
    if not meta or meta.get("n") != n or meta.get("seed") != args.seed or \
            str(args.pipeline_truces) not in meta.get("flag_rows", {}):
        print(f"\n[{label_size(n)}] generating {n:,} synthetic events ...", flush=True)
        r = launch(["--prepare", str(n), "--data", str(folder), *common(args)],
                   folder.parent / f"prepare_{label_size(n)}.json",
                   cap_gb=args.mem_cap_gb, timeout=args.timeout)
        if "error" in r:
            print(f"[{label_size(n)}] generation failed: {r['error']}", flush=True)
            results["sizes"][label_size(n)] = {"error": r["error"]}
            return
        meta = json.loads(meta_file.read_text())
        meta["prepare_peak_rss_gb"] = r["peak_rss_gb"]
    print(f"[{label_size(n)}] {n:,} events: generated and validated in "
          f"{meta['generate_seconds']} s; CSV {meta['csv_mb']:,} MB, Parquet "
          f"{meta['parquet_mb']:,} MB; table {meta['table_gb']} GB in memory", flush=True)
    entry = results["sizes"].setdefault(label_size(n), {"meta": meta, "ops": {}})
    entry["meta"] = meta
    for op in [o for o in OPS if o in args.only]:
        for impl in [i for i in IMPLS if i in args.impls]:
            reason = skip_reason(op, impl, meta, args)
            if reason:
                entry["ops"].setdefault(op, {})[impl] = {"skipped": reason}
                continue
            out = folder / "runs" / f"{op}.{impl}.json"
            out.parent.mkdir(exist_ok=True)
            r = launch(["--worker", impl, op, "--data", str(folder), *common(args)], out,
                       cap_gb=args.mem_cap_gb, timeout=args.timeout)
            r.update(git=results["machine"]["git"], load_average=os.getloadavg()[0],
                     run_at=time.strftime("%Y-%m-%d %H:%M"))
            entry["ops"].setdefault(op, {})[impl] = r
            print(f"[{label_size(n)}] {op:<12} {impl:<8} {fmt_s(r.get('median_s'))} s  "
                  f"peak {fmt(r.get('peak_rss_gb'))} GB  {short(r)}", flush=True)
        rowwise_pipeline(entry["ops"])
    shutil.rmtree(folder / "check", ignore_errors=True)


def rowwise_pipeline(ops: dict) -> None:
    """The row-wise pipeline estimate: the sum of the row-wise steps (read Parquet + normalise
    + count + flag + windows)."""
    if "pipeline" not in ops:
        return
    parts = ["read_parquet", "normalize", "count", "flag_100", "windows"]
    got = [ops.get(p, {}).get("rowwise", {}).get("median_s") for p in parts]
    if all(g is not None for g in got):
        ops["pipeline"]["rowwise"] = {"median_s": sum(got), "check": "(sum of steps)",
                                      "note": "sum of the row-wise steps " + " + ".join(parts)}


def common(args) -> list[str]:
    return ["--repeat", str(args.repeat), "--seed", str(args.seed),
            "--rowwise-rows", str(args.rowwise_rows), "--pipeline-truces", str(args.pipeline_truces),
            "--duck-memory-gb", str(args.duck_memory_gb),
            "--max-run-seconds", str(args.max_run_seconds)]


def short(r: dict) -> str:
    if "skipped" in r:
        return "skipped: " + r["skipped"]
    if "error" in r:
        return "ERROR " + r["error"].splitlines()[0][:160]
    if "check" in r:
        return f"check {r['check']}"[:160]
    return f"rows out {r.get('rows_out', '-')}"


# --------------------------------------------------------------------------------------
# Tables


def fmt(x, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def fmt_s(x) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}" if x < 1000 else f"{x:,.0f}"


def ratio(a, b) -> float | None:
    return a / b if a is not None and b not in (None, 0) else None


def print_size(size: str, entry: dict) -> None:
    meta = entry["meta"]
    print(f"\n=== {size} synthetic events ({meta['n']:,} rows; seed {meta['seed']}) ===")
    head = (f"{'operation':<33}{'ours s':>9}{'peak GB':>9}{'op +GB':>8}{'row-wise s*':>13}"
            f"{'x faster':>10}{'DuckDB s':>10}{'ours/Duck':>10}  check (row-wise | DuckDB)")
    print(head)
    print("-" * len(head))
    for op, label in OPS.items():
        if op not in entry["ops"]:
            continue
        o, d, w = (entry["ops"][op].get(i, {}) for i in IMPLS)
        ot, dt, wt = o.get("median_s"), d.get("median_s"), w.get("median_s")
        print(f"{label:<33}{fmt_s(ot):>9}{fmt(o.get('peak_rss_gb')):>9}"
              f"{fmt(o.get('op_growth_gb')):>8}{fmt_s(wt):>13}{fmt(ratio(wt, ot), 0):>10}"
              f"{fmt_s(dt):>10}{fmt(ratio(ot, dt)):>10}  {w.get('check', '-')[:20]} | "
              f"{d.get('check', '-')[:20]}")
        for impl, r in (("ours", o), ("DuckDB", d), ("row-wise", w)):
            if "skipped" in r or "error" in r:
                print(f"    {impl}: {short(r)}")
            elif r.get("runs", args_repeat()) < args_repeat() and impl != "row-wise":
                print(f"    {impl}: {r['runs']} run(s) only (each took over "
                      f"{r['times'][0]:.0f} s)")
            elif r.get("check", "ok") != "ok" and not r["check"].startswith("("):
                print(f"    {impl} check: {r['check']}")
    for op in ("read_csv", "read_parquet"):
        o, d = (entry["ops"].get(op, {}).get(i, {}) for i in ("ours", "duckdb"))
        if "steps" in d:
            print(f"    {OPS[op]}, DuckDB (median): read {d['steps']['read']:.2f} s + validate "
                  f"{d['steps']['validate']:.2f} s; ours / DuckDB read alone: "
                  f"{fmt(ratio(o.get('median_s'), d['steps']['read']))}")
    p = entry["ops"].get("pipeline", {})
    for impl in ("ours", "duckdb"):
        if "steps" in p.get(impl, {}):
            print(f"    pipeline steps ({impl}, last run): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in p[impl]["steps"].items()))
    samples = {tuple(r["rowwise"]["subsample_rows"]) for r in entry["ops"].values()
               if "subsample_rows" in r.get("rowwise", {})}
    shown = " / ".join(" and ".join(f"{k:,}" for k in sorted(s, reverse=True))
                       for s in sorted(samples, reverse=True))
    print(f"  * row-wise: timed once on random subsamples ({shown} rows), extrapolated to N by "
          "a straight line (fixed + per-row cost); the pipeline is the sum of its row-wise steps.")


_REPEAT = [3]


def args_repeat() -> int:
    return _REPEAT[0]


def print_scaling(results: dict) -> None:
    sizes = sorted((s for s in results["sizes"] if "ops" in results["sizes"][s]), key=parse_size)
    if len(sizes) < 2:
        return
    print("\n=== Scaling (ours, median seconds; ratio per 10x rows, 10 = linear) ===")
    print(f"{'operation':<33}" + "".join(f"{s:>10}" for s in sizes)
          + "".join(f"{a + '->' + b:>12}" for a, b in zip(sizes, sizes[1:], strict=False)))
    for op, label in OPS.items():
        t = [results["sizes"][s]["ops"].get(op, {}).get("ours", {}).get("median_s") for s in sizes]
        ratios = [ratio(b, a) for a, b in zip(t, t[1:], strict=False)]
        results.setdefault("scaling", {})[op] = {"seconds": dict(zip(sizes, t, strict=True)),
                                                 "ratios": ratios}
        print(f"{label:<33}" + "".join(f"{fmt_s(x):>10}" for x in t)
              + "".join(f"{fmt(r, 1):>12}" for r in ratios))


def targets(results: dict, args) -> list[dict]:
    """The issue's targets, each met / not met, at the largest size measured."""
    sizes = sorted((s for s in results["sizes"] if "ops" in results["sizes"][s]), key=parse_size)
    if not sizes:
        return []
    top = sizes[-1]
    ops = results["sizes"][top]["ops"]
    at = f" (at {top}; the targets are for 10M)" if top != "10M" else ""

    def ours(op):
        r = ops.get(op, {}).get("ours", {})
        return r.get("median_s"), r.get("skipped") or r.get("error")

    rows = []
    for op, limit, label in [("flag_1000", 2, "flag_violations, 1,000 truces < 2 s"),
                             ("count", 1, "count_events daily by group < 1 s"),
                             ("windows", 2, "add_anniversary_window, 20 key dates < 2 s"),
                             ("pipeline", 15, "whole pipeline from Parquet < 15 s")]:
        t, why = ours(op)
        rows.append({"target": label + at, "value": fmt_s(t) + " s" if t is not None else why,
                     "met": t is not None and t < limit})
    peaks = {op: r["ours"].get("peak_rss_gb") for op, r in ops.items()
             if r.get("ours", {}).get("peak_rss_gb") is not None and "median_s" in r["ours"]}
    worst = max(peaks, key=peaks.get) if peaks else None
    skipped = [op for op, r in ops.items() if "median_s" not in r.get("ours", {})]
    rows.append({"target": "peak memory < 4 GB" + at,
                 "value": (f"max {peaks[worst]:.2f} GB ({worst})" if worst else "-")
                 + (f"; not run: {', '.join(skipped)}" if skipped else ""),
                 "met": bool(peaks) and max(peaks.values()) < 4 and not skipped})
    for name, key, good in [(">= 50x faster than row-wise", "rowwise", lambda o, x: x / o >= 50),
                            ("no slower than 1.5x DuckDB", "duckdb", lambda o, x: o / x <= 1.5)]:
        missed, checked = [], 0
        for op in OPS:
            o = ops.get(op, {}).get("ours", {}).get("median_s")
            x = ops.get(op, {}).get(key, {}).get("median_s")
            if o is None or x is None:
                missed.append(f"{op} (not measured)")
                continue
            checked += 1
            if not good(o, x):
                missed.append(f"{op} {x / o:.0f}x" if key == "rowwise" else f"{op} {o / x:.2f}x")
        rows.append({"target": f"every operation {name}" + at,
                     "value": f"{checked - sum('not measured' not in m for m in missed)}/{len(OPS)} met"
                     + (f"; missed: {', '.join(missed)}" if missed else ""),
                     "met": not missed})
    lin = results.get("scaling", {})
    if lin:
        bad = [f"{op} {max(r for r in v['ratios'] if r is not None):.0f}x"
               for op, v in lin.items()
               if any(r is not None and r > 15 for r in v["ratios"])]
        missing = [op for op, v in lin.items() if any(r is None for r in v["ratios"])]
        rows.append({"target": "cost linear in rows (each 10x step <= 15x time)",
                     "value": ("missed: " + ", ".join(bad) if bad else "all steps <= 15x")
                     + (f"; not measured: {', '.join(missing)}" if missing else ""),
                     "met": not bad and not missing})
    return rows


def print_targets(rows: list[dict]) -> None:
    print("\n=== Targets ===")
    for r in rows:
        print(f"  [{'met' if r['met'] else 'NOT MET':>7}] {r['target']}: {r['value']}")


def print_real(real: dict) -> None:
    print("\n=== Real case: Iraq SIGACTs 2004-2007 (ours) ===")
    if "skipped" in real:
        print("  skipped:", real["skipped"])
        return
    if "error" in real:
        print("  ERROR:", real["error"])
        return
    print(f"  {real['rows_read']:,} rows read, {real['events']:,} events, "
          f"{real['rejected_rows']:,} rows set aside ({real['rejected_reasons']}); "
          f"{real['first']} to {real['last']}, {real['days']:,} days, at most "
          f"{real['max_per_day']} a day, {real['event_types']} event types")
    print(f"  {real['events_in_windows']:,} events within 7 days of Ashura / Arbaeen / "
          f"Ramadan / Eid al-Fitr ({real['events_in_window_by_key_date']}); "
          f"{real['share_of_days_in_windows']:.1%} of days are in a window")
    print("  seconds (median): " + ", ".join(f"{k} {v:.2f}" for k, v in real["seconds"].items())
          + f"; peak {fmt(real.get('peak_rss_gb'))} GB")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="100k,1M,10M", help="event counts (default 100k,1M,10M)")
    p.add_argument("--quick", action="store_true", help="100k only")
    p.add_argument("--repeat", type=int, default=5, help="runs per operation (median; default 5)")
    p.add_argument("--only", default=",".join(OPS), help="operations to run (comma-separated)")
    p.add_argument("--impls", default=",".join(IMPLS),
                   help="implementations to run (default ours,duckdb,rowwise; with --merge, "
                   "e.g. re-time ours after a change and keep the references)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rowwise-rows", type=int, default=20_000,
                   help="row-wise subsample (default 20000; a tenth for 1,000 truces)")
    p.add_argument("--pipeline-truces", type=int, default=100, help="truces in the pipeline")
    p.add_argument("--mem-cap-gb", type=float, default=12,
                   help="stop (or skip) a run above this resident memory (default 12)")
    p.add_argument("--duck-memory-gb", type=float, default=6, help="DuckDB memory_limit")
    p.add_argument("--timeout", type=float, default=3600, help="seconds per run before it is stopped")
    p.add_argument("--max-run-seconds", type=float, default=120,
                   help="stop repeating an operation once its runs took this long")
    p.add_argument("--data-dir", help="keep the generated files here (reused when present)")
    p.add_argument("--no-real", action="store_true", help="skip the SIGACTs case")
    p.add_argument("--json", default=str(RESULTS), help="where to write the results")
    p.add_argument("--merge", help="start from this results file: re-run only the sizes and "
                   "operations asked for, keep the rest (each run records its git state)")
    p.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    p.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    if args.prepare is not None:
        meta = prepare(args.prepare, Path(args.data), args.seed, args.pipeline_truces)
        Path(args.out).write_text(json.dumps(meta))
        return 0
    _REPEAT[0] = args.repeat
    args.only = [o.strip() for o in args.only.split(",") if o.strip()]
    unknown = set(args.only) - set(OPS)
    if unknown:
        p.error(f"unknown operations {sorted(unknown)}; choose from {', '.join(OPS)}")
    args.impls = [i.strip() for i in args.impls.split(",") if i.strip()]
    if set(args.impls) - set(IMPLS):
        p.error(f"unknown implementations {sorted(set(args.impls) - set(IMPLS))}; "
                f"choose from {', '.join(IMPLS)}")
    sizes = [100_000] if args.quick else [parse_size(s) for s in args.sizes.split(",")]
    results = {"machine": machine(), "settings": {k: v for k, v in vars(args).items()
                                                  if k not in ("worker", "prepare", "data", "out")},
               "sizes": {}}
    if args.merge:
        previous = json.loads(Path(args.merge).read_text())
        results["sizes"], results["real"] = previous["sizes"], previous.get("real")
        results["merged_into"] = {"machine": previous["machine"],
                                  "settings": previous["settings"]}
    base = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="truce-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    print(f"truce-timeline benchmarks: sizes {', '.join(map(label_size, sizes))}; "
          f"{args.repeat} runs each (median); files in {base}; {describe_machine(results['machine'])}",
          flush=True)
    try:
        for n in sizes:
            run_size(n, args, base, results)
        for size, entry in sorted(results["sizes"].items(), key=lambda kv: parse_size(kv[0])):
            if "ops" in entry:
                print_size(size, entry)
        print_scaling(results)
        if args.no_real and args.merge and results.get("real"):
            pass  # keep the previous run's real case
        elif args.no_real:
            results["real"] = {"skipped": "--no-real"}
        elif not SIGACTS.is_file():
            results["real"] = {"skipped": f"{SIGACTS} not found (the real data folder is absent)"}
        else:
            r = launch(["--worker", "ours", "sigacts", "--data", str(base), *common(args)],
                       base / "sigacts.json", cap_gb=args.mem_cap_gb, timeout=args.timeout)
            results["real"] = r
        print_real(results["real"])
        results["targets"] = targets(results, args)
        print_targets(results["targets"])
    finally:
        if not args.data_dir:
            shutil.rmtree(base, ignore_errors=True)
        results["machine"]["load_average_end"] = os.getloadavg()
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
        print(f"\nResults written to {args.json}")
    return 0


def machine() -> dict:
    import duckdb
    import pyarrow as pa

    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE")
                                                       * os.sysconf("SC_PHYS_PAGES") / GB, 1),
            "pandas": pd.__version__, "numpy": np.__version__, "pyarrow": pa.__version__,
            "duckdb": duckdb.__version__, "load_average_start": os.getloadavg(),
            "git": git_state(),
            "date": time.strftime("%Y-%m-%d %H:%M")}


def git_state() -> str:
    """The commit the library was at, and whether the working tree had changes."""
    def git(*a):
        return subprocess.run(["git", *a], cwd=HERE.parent, capture_output=True, text=True,
                              check=False).stdout.strip()
    dirty = git("status", "--porcelain", "--", "analysis")
    return git("rev-parse", "--short", "HEAD") + (" + uncommitted changes in analysis/" if dirty else "")


def describe_machine(m: dict) -> str:
    return (f"{m['cpus']} CPUs, {m['memory_gb']} GB, Python {m['python']}, pandas {m['pandas']}, "
            f"numpy {m['numpy']}, pyarrow {m['pyarrow']}, DuckDB {m['duckdb']}; library at "
            f"{m['git']}; load average {m['load_average_start'][0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
