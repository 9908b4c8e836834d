"""The notebooks: committed clean, thin, and every one runs headless from top to bottom."""

import json

import nbformat
import pandas as pd
import pytest

from analysis.build import BuildError, build, notebook_paths, output_dirs, stories, story_kind
from analysis.paths import DATA, FIGURES, SEED_STORY
from analysis.story import load_story

NOTEBOOKS = notebook_paths()


def test_there_are_notebooks():
    # numbered 00, 01, ... with no gap and no number twice: the build runs them in that order
    assert [int(p.stem[:2]) for p in NOTEBOOKS] == list(range(len(NOTEBOOKS)))
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


def synthetic_tally_story(tmp_path):
    """A count story of **synthetic test tallies** (generated here, labelled synthetic): 120
    days of overdispersed daily counts with a 10-day pause of fewer, for the count notebook
    on a machine without ../shared."""
    import numpy as np

    rng = np.random.default_rng(7)
    days = pd.date_range("2024-01-01", periods=120, freq="D")
    mean = np.where((days >= "2024-02-20") & (days <= "2024-02-29"), 1.0, 8.0)
    counts = rng.negative_binomial(2, 2 / (2 + mean))
    folder = tmp_path / "synthetic_tallies"
    folder.mkdir()
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "synthetic_count": counts}).to_csv(
        folder / "tallies.csv", index=False)
    (folder / "truces.csv").write_text(
        "truce_id,label,start,end,parties,source_url,notes\n"
        "SYN-1,synthetic pause,2024-02-20,2024-02-29,A; B,https://example.org/synthetic,"
        "synthetic test data: no real truce\n", encoding="utf-8")
    (folder / "story.toml").write_text(
        '[story]\ntitle = "Synthetic tallies (test data)"\nsubject = "incidents"\n'
        'what = "Synthetic daily incidents (test data, generated)"\n'
        'source = "synthetic test data"\n[data]\ncounts = "tallies.csv"\n'
        'truces = "truces.csv"\n[analysis]\ntrend_freq = "D"\n', encoding="utf-8")
    return load_story(folder)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_headless(path, tmp_path):
    story = SEED_STORY if story_kind(path) == "events" else synthetic_tally_story(tmp_path)
    done = build(story, notebooks=[path.stem], output=tmp_path / "out", html=False,
                 progress=False)
    assert [p.name for p in done] == [path.name]
    assert done[0].parent == tmp_path / "out" / "notebooks"
    executed = nbformat.read(done[0], 4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    assert any((tmp_path / "out" / "processed").iterdir())
    # every static chart the notebook saves is also shown in it (not "<Figure size ...>")
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    shown = sum("image/png" in o.get("data", {}) for o in outputs)
    saved = len(list((tmp_path / "out" / "figures").glob("*.png")))
    assert shown >= saved
    assert not any(str(o.get("data", {}).get("text/plain", "")).startswith("<Figure size")
                   for o in outputs)


def test_each_story_has_its_own_folders():
    seed = load_story(SEED_STORY)
    dirs = output_dirs(seed)
    assert dirs["figures_dir"] == FIGURES / SEED_STORY
    assert dirs["processed_dir"] == DATA / SEED_STORY / "processed"
    assert dirs["build_dir"].name == SEED_STORY
    assert SEED_STORY in stories()
    own = output_dirs(seed, "/tmp/elsewhere")
    assert {p.parent.as_posix() for p in own.values()} == {"/tmp/elsewhere"}


def test_unknown_notebook_is_a_clear_error():
    with pytest.raises(BuildError, match="no notebook called 'nope'"):
        build(SEED_STORY, notebooks=["nope"], html=False, progress=False)


def test_a_failing_cell_stops_the_build_naming_notebook_and_cell(tmp_path):
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    folder = tmp_path / "nbs"
    folder.mkdir()
    for name, code in (("01_ok", "x = 1"), ("02_broken", "1 / 0"), ("03_never", "y = 2")):
        nb = new_notebook(cells=[new_markdown_cell("# t"),
                                 new_code_cell("figures_dir = 'f'", metadata={"tags": ["parameters"]}),
                                 new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / f"{name}.ipynb")
    with pytest.raises(BuildError, match=r"02_broken.ipynb failed in cell \d+ \(ZeroDivisionError"):
        build(SEED_STORY, notebook_dir=folder, output=tmp_path / "out", html=False,
              progress=False)
    # nothing is replaced by a failed run; its failing notebook is kept to read
    assert not (tmp_path / "out" / "notebooks").exists()
    assert (tmp_path / "out" / "notebooks.failed" / "02_broken.ipynb").exists()
    assert not (tmp_path / "out" / "notebooks.failed" / "03_never.ipynb").exists()


def test_figure_index_lists_every_figure(tmp_path):
    from analysis.build import write_figure_index

    (tmp_path / "a.json").write_text(json.dumps({"name": "a", "title": "A title", "kind": "plotly",
                                                 "alt_text": "Alt.", "source": "Source: X",
                                                 "notebook": "00_story.ipynb",
                                                 "files": ["a.html", "a.json"]}))
    text = write_figure_index(tmp_path, load_story(SEED_STORY)).read_text()
    assert "## `a` (interactive)" in text and "A title" in text and "[`a.html`](a.html)" in text
    assert "Alt." in text and "Source: X" in text and "00_story.ipynb" in text


def test_figure_index_escapes_what_it_carries(tmp_path):
    """Titles, alt text and sources come from the data and from ``-p``: in the Markdown index
    they are text, never HTML or links."""
    from analysis.build import write_figure_index

    meta = {"name": "chart", "title": "Attacks <script>alert(1)</script>", "files": ["chart.png"],
            "notebook": "00_story.ipynb", "source": "[Rudaw](javascript:alert(1))",
            "alt_text": "Bars <img src=x onerror=alert(1)>\x1b[2J"}
    (tmp_path / "chart.json").write_text(json.dumps(meta))
    text = write_figure_index(tmp_path, load_story(SEED_STORY)).read_text()
    assert "<script" not in text and "<img" not in text and "\x1b" not in text
    assert "- title: Attacks &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "- source: \\[Rudaw\\](javascript:alert(1))" in text


def test_shipped_figure_index_matches_the_figures():
    figures = FIGURES / SEED_STORY
    index = (figures / "README.md").read_text()
    metas = sorted(figures.glob("*.json"))
    assert len(metas) >= 8
    for meta in metas:
        info = json.loads(meta.read_text())
        assert f"## `{info['name']}`" in index
        assert info["alt_text"] and info["source"].startswith("Source:")
        assert all((figures / f).exists() for f in info["files"])


@pytest.mark.slow
@pytest.mark.real_data
def test_a_new_story_on_a_second_dataset_builds_into_its_own_folders(real_data, tmp_path):
    """UCDP GED Syria as a new user would start it: ``new`` then ``build``; nothing of the
    seed story (its truce, its anniversaries) is applied (the words: tests/test_stories.py)."""
    from analysis.scaffold import new_story

    syria = real_data / "ucdp_ged_syria_2016_2019" / "ged191_syria.csv"
    if not syria.is_file():
        pytest.skip(f"{syria} not found")
    made = new_story("syria_check", syria, root=tmp_path / "data")
    story = load_story(made.folder)
    assert story.format == "ucdp" and story.truces is not None and story.place == "Syria"
    out = tmp_path / "out"
    build(story, output=out, html=False, progress=False)
    figures = {p.name for p in (out / "figures").iterdir()}
    assert "weekly_events.png" in figures and "README.md" in figures
    assert "truce_violations.png" not in figures  # no truce yet: no truce chart, and it says so
    assert "no truce" in (out / "figures" / "README.md").read_text().lower()
    events = pd.read_csv(out / "processed" / "events.csv")
    assert len(events) == 16566 and set(events["dataset"]) == {"ucdp_ged"}
    assert (out / "notebooks" / "00_story.ipynb").exists()
