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

from collections.abc import Mapping, Sequence
from pathlib import Path

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
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    story = story if isinstance(story, Story) else load_story(story)
    dirs = output_dirs(story, output)
    params = {"story_dir": str(story.folder), **dict(parameters or {}),
              "figures_dir": str(dirs["figures_dir"]), "processed_dir": str(dirs["processed_dir"])}
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    executed = []
    paths = [p for p in notebook_paths(notebooks, folder=Path(notebook_dir))
             if story_kind(p) == story.kind]
    for i, path in enumerate(paths, start=1):
        target = dirs["build_dir"] / path.name
        if progress:
            print(f"[{story.name} {i}/{len(paths)}] {path.name}", flush=True)
        try:
            papermill.execute_notebook(
                str(path), str(target), parameters=params, cwd=str(path.parent),
                progress_bar=progress, kernel_name="python3", log_output=False,
            )
        except PapermillExecutionError as exc:
            raise BuildError(
                f"story {story.name}: {path.name} failed in cell {exc.exec_count} ({exc.ename}: "
                f"{exc.evalue}); the executed copy with the traceback is {_shown(target)}"
            ) from None
        executed.append(target)
        if html:
            _write_html(target)
    write_figure_index(dirs["figures_dir"], story)
    return executed


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

    metas = sorted(Path(figures_dir).glob("*.json"))
    lines = [f"# Figures: {story.title}", "",
             f"{story.what}. Written by `python -m analysis build --story {story.name}` from "
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
        files = ", ".join(f"[`{f}`]({f})" for f in meta.get("files", []))
        kind = " (interactive)" if meta.get("kind") == "plotly" else ""
        lines += [f"## `{meta['name']}`{kind}", "",
                  f"- title: {meta.get('title') or 'n/a'}",
                  f"- files: {files}",
                  f"- notebook: `{meta.get('notebook') or 'n/a'}`",
                  f"- source: {meta.get('source', '')}",
                  f"- alt text: {meta.get('alt_text', '')}", ""]
    from analysis.io.write import write_atomic

    return write_atomic(Path(figures_dir) / "README.md", "\n".join(lines))


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def _write_html(notebook: Path) -> Path:
    """An HTML rendering of an executed notebook for editors (code cells included)."""
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(notebook, 4))
    from analysis.io.write import write_atomic

    return write_atomic(notebook.with_suffix(".html"), body)
