"""The notebooks: committed clean, thin, and every one runs headless from top to bottom."""

import json

import nbformat
import pytest

from analysis.build import BuildError, build, notebook_paths, output_dirs
from analysis.paths import FIGURES, PROCESSED

NOTEBOOKS = notebook_paths()


def test_there_are_notebooks():
    assert [p.stem[:2] for p in NOTEBOOKS] == sorted(p.stem[:2] for p in NOTEBOOKS)
    assert {"01_event_table", "02_truce_violations", "03_anniversary_escalation",
            "04_trend_models"} <= {
        p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_thin(path):
    nb = nbformat.read(path, 4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and code[0] is tagged[0]
    assert not any(line.lstrip().startswith(("def ", "class ")) for c in code
                   for line in c.source.splitlines())
    assert json.loads(path.read_text())["nbformat"] == 4


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_headless(path, tmp_path):
    done = build(notebooks=[path.stem], output=tmp_path / "out", build_dir=tmp_path / "build",
                 html=False, progress=False)
    executed = nbformat.read(done[0], 4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    assert any((tmp_path / "out" / "processed").iterdir())


def test_own_data_goes_to_a_separate_folder():
    story = output_dirs({})
    assert story == {"figures_dir": FIGURES, "processed_dir": PROCESSED}
    own = output_dirs({"events": "/tmp/my_events.csv"})
    assert own["figures_dir"].parent.name == "my_events"
    assert own["processed_dir"].parent == own["figures_dir"].parent


def test_unknown_notebook_is_a_clear_error():
    with pytest.raises(BuildError, match="no notebook called 'nope'"):
        build(notebooks=["nope"], html=False, progress=False)
