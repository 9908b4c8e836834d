"""The main job: run every notebook headless, in order, for each story, and rebuild its
figures and processed tables.

``make figures`` and ``python -m analysis build`` call :func:`build` for every story under
``data/`` (``--story NAME`` for one): the notebooks for its kind (one row per event: 00-04;
daily tallies: 05, see :func:`story_kind`). Each story's notebooks get one parameter that matters,
``story_dir`` (the story's folder: every path and word comes from its ``story.toml``), and
write to the story's own folders: ``figures/<name>/``, ``build/<name>/`` (executed copies and
an HTML rendering for editors) and ``data/<name>/processed/``. Two stories never share an
output folder. A failing cell stops the build with the story, the notebook, the cell and the
error.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from analysis.paths import DATA, NOTEBOOKS, PROJECT_ROOT
from analysis.story import Story, load_story


class BuildError(RuntimeError):
    """A notebook failed; the message names the notebook, the cell and the error."""


def notebook_paths(names: Sequence[str] | None = None, *, folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks to run, in file-name order (``00_story``, ``01_event_table`` ...)."""
    every = sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return every
    chosen = []
    for name in names:
        hits = [p for p in every if p.stem == name or p.name == name or p.stem[3:] == name
                or p.stem.startswith(f"{name}_")]
        if not hits:
            raise BuildError(f"no notebook called {name!r}; there are: "
                             + ", ".join(p.stem for p in every))
        chosen += hits
    return chosen


def story_kind(notebook: Path) -> str:
    """The kind of story a notebook is for (its metadata ``truce_timeline.story_kind``):
    ``events`` (one row per event; the default) or ``counts`` (daily tallies)."""
    import json

    meta = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    return meta.get("truce_timeline", {}).get("story_kind", "events")


def stories(root: Path = DATA) -> list[str]:
    """The stories under ``root``: every folder with a ``story.toml``, by name."""
    return sorted(p.parent.name for p in Path(root).glob("*/story.toml"))


def output_dirs(story: Story, output: str | Path | None = None) -> dict[str, Path]:
    """Where a story's figures, processed tables and executed notebooks go: its own folders
    (see the module docstring), or ``output/figures``, ``output/processed`` and
    ``output/notebooks`` when ``output`` is given."""
    if output is None:
        return {"figures_dir": story.figures_dir, "processed_dir": story.processed_dir,
                "build_dir": story.build_dir}
    output = Path(output).resolve()
    return {"figures_dir": output / "figures", "processed_dir": output / "processed",
            "build_dir": output / "notebooks"}


def build(
    story: str | Path | Story,
    *,
    notebooks: Sequence[str] | None = None,
    parameters: Mapping[str, object] | None = None,
    output: str | Path | None = None,
    html: bool = True,
    progress: bool = True,
    notebook_dir: str | Path = NOTEBOOKS,
) -> list[Path]:
    """Execute the notebooks in order for one story; return the executed copies.

    Afterwards the figure index (``README.md`` in the figures folder) is rebuilt from the
    figures' metadata files. A failing cell raises :class:`BuildError` naming the story, the
    notebook, the cell and the error; later notebooks are not run.

    All or nothing: the run writes into fresh folders beside the story's output folders, which
    replace them only when every notebook has run (so a figure the run no longer makes does not
    linger beside the new ones). A failure, an interrupt (Ctrl-C), a full disk or a read-only
    folder leaves the last good outputs as they were and says so. A run of some notebooks only
    (``notebooks``) starts from a copy of the current outputs. Two builds of one story at once
    are refused (a lock file in the story's build folder). ``parameters`` are checked against
    the parameters the notebooks declare before anything runs (:func:`check_parameters`).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    story = story if isinstance(story, Story) else load_story(story)
    dirs = output_dirs(story, output)
    paths = [p for p in notebook_paths(notebooks, folder=Path(notebook_dir))
             if story_kind(p) == story.kind]
    per_notebook = check_parameters(paths, parameters or {})
    untouched = f"the last good outputs in {', '.join(_shown(d) for d in dirs.values())} are untouched"
    with build_lock(story, dirs["build_dir"]), _interrupts() as interrupted:
        staged = {}
        try:
            staged = {k: _staging(d, keep=bool(notebooks)) for k, d in dirs.items()}
            fixed = {"story_dir": str(story.folder), "figures_dir": str(staged["figures_dir"]),
                     "processed_dir": str(staged["processed_dir"])}
            for i, path in enumerate(paths, start=1):
                target = staged["build_dir"] / path.name
                if progress:
                    print(f"[{story.name} {i}/{len(paths)}] {path.name}", flush=True)
                try:
                    papermill.execute_notebook(
                        str(path), str(target), parameters={**per_notebook[path], **fixed},
                        cwd=str(path.parent), progress_bar=progress, kernel_name="python3",
                        log_output=False,
                        # the kernel's own log (a stopped build's closed sockets) is noise:
                        # cell errors still come back through papermill
                        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    )
                except PapermillExecutionError as exc:
                    failed = dirs["build_dir"].parent / f"{dirs['build_dir'].name}.failed"
                    failed.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(target, failed / path.name)
                    raise BuildError(
                        f"story {story.name}: {path.name} failed in cell {exc.exec_count} "
                        f"({exc.ename}: {exc.evalue}); the executed copy with the traceback is "
                        f"{_shown(failed / path.name)}; {untouched}"
                    ) from None
                if html:
                    _write_html(target)
            write_figure_index(staged["figures_dir"], story)
            if interrupted:  # a Ctrl-C that landed where Python swallows it (a GC callback)
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            import logging

            _discard(staged)
            # the stopped kernel's pending task is reported by asyncio at exit: not news
            logging.getLogger("asyncio").setLevel(logging.CRITICAL)
            raise BuildError(f"story {story.name}: interrupted; {untouched}") from None
        except OSError as exc:
            _discard(staged)
            where = f" {exc.filename}" if exc.filename else ""
            raise BuildError(f"story {story.name}: could not write{where} "
                             f"({exc.strerror or exc}); {untouched}") from None
        except BaseException:
            _discard(staged)
            raise
        _replace(staged, dirs)
    return [dirs["build_dir"] / p.name for p in paths]


#: parameters the build sets itself (``--story``, ``--output``)
BUILD_SET = ("story_dir", "figures_dir", "processed_dir")
#: the largest window, in days, a parameter may ask for
MAX_DAYS = 366


def check_parameters(paths: Sequence[Path], parameters: Mapping[str, object]) -> dict:
    """Check ``-p NAME VALUE`` overrides before a build starts; return each notebook's share.

    A name must be a parameter one of the notebooks declares (its ``parameters`` cell; a name
    is never pasted into a notebook otherwise), and not one the build sets itself. A value
    must have the type of the declared default (a number for ``before = 21``, a list for
    ``count_tiers``); ``before``, ``after`` and ``grace_days`` are whole days from 0 to
    :data:`MAX_DAYS`; ``as_of``, ``start`` and ``end`` are dates, with ``start`` not after
    ``end``; ``n_permutations`` from 99 to 100,000. Each problem is a one-line
    :class:`BuildError` naming the parameter.
    """
    declared = {path: _declared(path) for path in paths}
    known = sorted({name for d in declared.values() for name in d} - set(BUILD_SET))
    for name, value in parameters.items():
        if name in BUILD_SET:
            raise BuildError(f"parameter {name!r} is set by the build: use --story or --output")
        if name not in known:
            raise BuildError(f"unknown parameter {name!r}; these notebooks take: "
                             + ", ".join(known))
        default = next(d[name] for d in declared.values() if name in d)
        _check_value(name, value, default)
    # the windows as the notebooks check them (before + after under a year's gap), here before
    # anything runs rather than as a failing cell
    from analysis.key_dates import check_window
    from analysis.schema import DataError

    try:
        # each of them is whole days if given: checked by _check_value above
        check_window(cast("int | None", parameters.get("before")),
                     cast("int | None", parameters.get("after")), source="build parameters")
    except DataError as exc:
        raise BuildError(str(exc)) from None
    if {"start", "end"} <= set(parameters):
        import pandas as pd

        if pd.Timestamp(str(parameters["start"])) > pd.Timestamp(str(parameters["end"])):
            raise BuildError(f"parameter 'start' ({parameters['start']}) is after 'end' "
                             f"({parameters['end']})")
    return {path: {k: v for k, v in parameters.items() if k in d} for path, d in declared.items()}


def _declared(path: Path) -> dict:
    """A notebook's parameters and their defaults, as Python values (text when the default is
    an expression)."""
    import ast

    import papermill

    out = {}
    for name, info in papermill.inspect_notebook(str(path)).items():
        try:
            out[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            out[name] = info["default"]
    return out


def _check_value(name: str, value: object, default: object) -> None:
    import pandas as pd

    def fail(expected: str) -> None:
        raise BuildError(f"parameter {name!r} = {value!r}: expected {expected}")

    if name in ("before", "after", "grace_days"):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
            fail(f"whole days from 0 to {MAX_DAYS}")
    elif name in ("as_of", "start", "end"):
        if value is not None:
            try:
                pd.Timestamp(str(value))
            except ValueError:
                fail("a date (YYYY-MM-DD) or null")
    elif name == "n_permutations":
        if isinstance(value, bool) or not isinstance(value, int) or not 99 <= value <= 100_000:
            fail("a whole number from 99 to 100,000")
    elif isinstance(default, bool):
        if not isinstance(value, bool):
            fail("true or false")
    elif isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(f"a number, like the default {default!r}")
    elif isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(f'a JSON list of names, like {default!r}'.replace("'", '"'))
    elif value is not None and not isinstance(value, (str, int, float)):
        fail("text, a number or null")


@contextmanager
def build_lock(story: Story, build_dir: Path):
    """Hold the story's build lock (``.<name>.lock`` beside its build folder) for the block;
    another build of the same story gets a :class:`BuildError` saying so. The lock goes with
    the process (``flock``): a killed build leaves none behind."""
    import fcntl

    lock = Path(build_dir).parent / f".{Path(build_dir).name}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise BuildError(f"story {story.name} is being built already ({holder}); wait for "
                             "it to finish, or build into another folder with --output") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def _interrupts() -> Iterator[list[int]]:
    """Within the block, remember every Ctrl-C (the list it yields gets an entry) besides
    raising KeyboardInterrupt as usual: Python swallows an interrupt that lands in a garbage
    collector's callback (printing "Exception ignored"), and the build must not carry on as if
    nothing happened. Those swallowed interrupts are not printed either."""
    import signal
    import threading

    seen: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return

    def on_interrupt(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    def unraisable(info):
        if not issubclass(info.exc_type, KeyboardInterrupt):
            hook(info)

    previous, hook = signal.signal(signal.SIGINT, on_interrupt), sys.unraisablehook
    sys.unraisablehook = unraisable
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook


def _staging(final: Path, *, keep: bool) -> Path:
    """A fresh folder beside ``final`` for a run to write into (a copy of ``final`` when
    ``keep``); leftovers of an earlier run killed outright are cleared first."""
    final = Path(final)
    for old in final.parent.glob(f".{final.name}.staging-*"):
        shutil.rmtree(old, ignore_errors=True)
    staged = final.parent / f".{final.name}.staging-{os.getpid()}"
    if keep and final.is_dir():
        shutil.copytree(final, staged)
    else:
        staged.mkdir(parents=True)
    return staged


def _discard(staged: Mapping[str, Path]) -> None:
    for folder in staged.values():
        shutil.rmtree(folder, ignore_errors=True)


def _replace(staged: Mapping[str, Path], dirs: Mapping[str, Path]) -> None:
    """Put each staged folder in place of its final one: two renames each, the old folder
    removed after. Ctrl-C waits until the renames are done (a folder is never half
    replaced)."""
    import signal
    import threading

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        for key, new in staged.items():
            final = Path(dirs[key])
            old = final.parent / f".{final.name}.old-{os.getpid()}"
            if final.exists():
                os.replace(final, old)
            os.replace(new, final)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


def parse_value(text: str) -> object:
    """A ``-p NAME VALUE`` value as Python: numbers, true/false, null and JSON lists are
    parsed; anything else (a date, a path, a word) stays text.

    Examples
    --------
    >>> [parse_value(v) for v in ["14", "0.5", "true", "null", '["KD-A", "KD-B"]', "2020-10-01"]]
    [14, 0.5, True, None, ['KD-A', 'KD-B'], '2020-10-01']
    """
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


def write_figure_index(figures_dir: Path, story: Story) -> Path:
    """``README.md`` in the figures folder: the story, what it could not draw (no truces, no
    key dates), then one entry per figure from its ``.json`` metadata (title, files, alt
    text, source line, the notebook that made it). Sorted by name so the file only changes
    when a figure does."""
    import json
    from urllib.parse import quote

    metas = sorted(Path(figures_dir).glob("*.json"))
    from analysis.charts.escape import markdown_text as md

    lines = [f"# Figures: {md(story.title)}", "",
             f"{md(story.what)}. Written by `python -m analysis build --story {story.name}` from "
             "the notebooks; do not edit by hand. Each figure has its alt text, source line and "
             "data (`.csv`) beside it.", ""]
    if story.truce_table().empty:
        lines += ["This story has no truce (no truce table, or no row in it), so there are no "
                  f"truce charts: add the truces to data/{story.name}/ and name the table in "
                  "story.toml.", ""]
    if story.key_date_table().empty:
        lines += ["This story has no key date (no key-date table, or no row in it), so there "
                  "is no anniversary chart.", ""]
    if not metas:
        lines += ["No figure was made.", ""]
    for path in metas:
        meta = json.loads(path.read_text(encoding="utf-8"))
        files = ", ".join(f"[`{md(f)}`]({quote(f)})" for f in meta.get("files", []))
        kind = " (interactive)" if meta.get("kind") == "plotly" else ""
        lines += [f"## `{md(meta['name'])}`{kind}", "",
                  f"- title: {md(meta.get('title') or 'n/a')}",
                  f"- files: {files}",
                  f"- notebook: `{md(meta.get('notebook') or 'n/a')}`",
                  f"- source: {md(meta.get('source', ''))}",
                  f"- alt text: {md(meta.get('alt_text', ''))}", ""]
    from analysis.io.write import write_atomic

    return write_atomic(Path(figures_dir) / "README.md", "\n".join(lines))


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


#: the lab template without what it fetches from a CDN (require.js, MathJax, the widget
#: manager): the page must open offline, on a laptop in the field
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _write_html(notebook: Path) -> Path:
    """A self-contained HTML rendering of an executed notebook for editors (code cells
    included): nothing is fetched from the network, and each interactive chart is drawn from
    plotly.js inlined once in the page (nbconvert leaves plotly output out of HTML)."""
    import jinja2
    import nbformat
    import plotly.io as pio
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, 4)
    first = True
    for cell in nb.cells:  # a few dozen cells
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data and "text/html" not in data:
                data["text/html"] = pio.to_html(data[PLOTLY_MIME], include_plotlyjs=first,
                                                full_html=False, div_id=f"plotly-{cell.id}",
                                                config={"responsive": True})
                first = False
    exporter = HTMLExporter(template_name="lab", template_file="offline.html.j2",
                            extra_loaders=[jinja2.DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})])
    body, _ = exporter.from_notebook_node(nb)
    from analysis.io.write import write_atomic

    return write_atomic(notebook.with_suffix(".html"), body)
