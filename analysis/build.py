"""The main job: run every notebook headless, in order, and rebuild figures/ and data/processed/.

``make figures`` and ``python -m analysis build`` call :func:`build`. Notebooks run with
papermill (parameters injected after each notebook's ``parameters`` cell); executed copies and
an HTML rendering for editors go to ``build/``. A failing cell stops the build with the
notebook, the cell and the error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from analysis.paths import BUILD, FIGURES, NOTEBOOKS, PROCESSED, PROJECT_ROOT

#: parameters that point the analysis at other data: overriding one of them sends the output
#: to a separate folder so the story's figures are not overwritten
DATA_PARAMETERS = ("events", "events_format", "truces", "key_dates", "aliases")


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


def output_dirs(parameters: Mapping[str, object], output: str | Path | None = None) -> dict[str, Path]:
    """Where figures and processed tables go: the project's own folders for the shipped data,
    ``build/runs/<name of the events file>/`` when the data were overridden (or ``output``)."""
    if output is None and not any(k in parameters for k in DATA_PARAMETERS):
        return {"figures_dir": FIGURES, "processed_dir": PROCESSED}
    if output is None:
        output = BUILD / "runs" / Path(str(parameters.get("events", "custom"))).stem
    output = Path(output).resolve()
    return {"figures_dir": output / "figures", "processed_dir": output / "processed"}


def build(
    *,
    notebooks: Sequence[str] | None = None,
    parameters: Mapping[str, object] | None = None,
    output: str | Path | None = None,
    html: bool = True,
    progress: bool = True,
    build_dir: str | Path = BUILD,
    notebook_dir: str | Path = NOTEBOOKS,
) -> list[Path]:
    """Execute the notebooks in order; return the executed copies (written to ``build_dir``).

    Afterwards the figure index (``README.md`` in the figures folder) is rebuilt from the
    figures' metadata files. A failing cell raises :class:`BuildError` naming the notebook,
    the cell and the error; later notebooks are not run.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    params = dict(parameters or {})
    if "events" in params:  # the story's period and wording do not apply to other data
        params.setdefault("start", None)
        params.setdefault("end", None)
        params.setdefault("subject", "Events")
    dirs = output_dirs(params, output)
    params.update({k: str(v) for k, v in dirs.items()})
    if dirs["figures_dir"] != FIGURES and Path(build_dir) == BUILD:
        build_dir = dirs["figures_dir"].parent / "notebooks"  # keep the story's copies apart
    for key in DATA_PARAMETERS:
        if key in params and key != "events_format":
            params[key] = str(Path(str(params[key])).resolve())
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    executed = []
    paths = notebook_paths(notebooks, folder=Path(notebook_dir))
    for i, path in enumerate(paths, start=1):
        target = build_dir / path.name
        if progress:
            print(f"[{i}/{len(paths)}] {path.name}", flush=True)
        try:
            papermill.execute_notebook(
                str(path), str(target), parameters=params, cwd=str(path.parent),
                progress_bar=progress, kernel_name="python3", log_output=False,
            )
        except PapermillExecutionError as exc:
            raise BuildError(
                f"{path.name} failed in cell {exc.exec_count} ({exc.ename}: {exc.evalue}); "
                f"the executed copy with the traceback is {_shown(target)}"
            ) from None
        executed.append(target)
        if html:
            _write_html(target)
    write_figure_index(Path(params["figures_dir"]))
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


def write_figure_index(figures_dir: Path) -> Path | None:
    """``README.md`` in the figures folder: one entry per figure from its ``.json`` metadata
    (title, files, alt text, source line, the notebook that made it). Sorted by name so the
    file only changes when a figure does."""
    import json

    metas = sorted(Path(figures_dir).glob("*.json"))
    if not metas:
        return None
    lines = ["# Figures", "",
             "Written by `make figures` (`python -m analysis build`) from the notebooks; do not "
             "edit by hand. Each figure has its alt text, source line and data (`.csv`) beside it.",
             ""]
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
    out = Path(figures_dir) / "README.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def _write_html(notebook: Path) -> Path:
    """An HTML rendering of an executed notebook for editors (code cells included)."""
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(notebook, 4))
    out = notebook.with_suffix(".html")
    out.write_text(body, encoding="utf-8")
    return out
