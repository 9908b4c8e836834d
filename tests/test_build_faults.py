"""A build is all or nothing: interrupts, a full disk, an unwritable folder and a second build
of the same story leave the last good outputs exactly as they were, with the package's own
message; parameters are checked before anything runs."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import analysis.build as b
from analysis.build import BuildError, build, check_parameters, notebook_paths
from analysis.paths import PROJECT_ROOT, SEED_STORY

FIRST = "00_story"  # the quickest notebook that writes figures, tables and an HTML page


def checksums(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) and its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def _executed_stable(sums: dict[str, str]) -> dict[str, str]:
    # an executed notebook and its HTML carry run times; the figures and tables do not
    return {k: v for k, v in sums.items() if not k.startswith("notebooks/")}


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """One complete build of the first notebook into a scratch folder: the last good outputs."""
    out = tmp_path_factory.mktemp("build") / "out"
    build(SEED_STORY, notebooks=[FIRST], output=out, progress=False)
    return out


def _run_cli(out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", "--story", "iraq_2019_2021", "--notebook",
         FIRST, "--output", str(out)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_ctrl_c_at_twenty_random_moments_leaves_the_good_outputs(good):
    before = checksums(good)
    names = set(before)
    assert {"figures/README.md", "notebooks/00_story.ipynb", "notebooks/00_story.html"} <= names
    rng = np.random.default_rng(7)
    interrupted = 0
    # fourteen moments while the build runs, from the first (the package loads nothing heavy
    # until a command runs) to 4 s, and six from 6 to 10 s, around the end of a build (about
    # 5-6 s here): Ctrl-C after the swap, or after the build has finished
    delays = rng.permutation(np.concatenate([rng.uniform(0.2, 4.0, 14),
                                             rng.uniform(6.0, 10.0, 6)]))
    for delay in delays:
        proc = _run_cli(good)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        after = checksums(good)
        leftovers = [p.name for p in good.iterdir() if ".staging-" in p.name or ".old-" in p.name]
        assert not leftovers
        assert "Traceback" not in err, err
        assert set(after) == names, err
        if after != before:  # finished: the new outputs, all of them (never a mix)
            assert _executed_stable(after) == _executed_stable(before)
            assert proc.returncode == 0 or err.strip().endswith(
                "interrupted; no file was left half-written"), err  # cut after the swap
        else:  # cut: every file is the previous good one, byte for byte, and it says so
            assert proc.returncode != 0, err
            interrupted += 1
            last = err.strip().splitlines()[-1]
            assert last.startswith(("build failed: story iraq_2019_2021: interrupted; the last "
                                    "good outputs in", "interrupted; n")), err
        before = after
    assert interrupted >= 12  # (a fast machine may finish a build in under 4 s)


def test_a_full_disk_ends_with_the_package_error_and_nothing_replaced(good, monkeypatch):
    before = checksums(good)

    def full(notebook):
        raise OSError(28, "No space left on device", str(notebook.with_suffix(".html")))

    monkeypatch.setattr(b, "_write_html", full)
    with pytest.raises(BuildError, match=r"could not write .*00_story\.html \(No space left "
                                         r"on device\); the last good outputs in .* are untouched"):
        build(SEED_STORY, notebooks=[FIRST], output=good, progress=False)
    assert checksums(good) == before
    assert not [p for p in good.iterdir() if ".staging-" in p.name]


def test_an_unwritable_folder_ends_with_the_package_error(good, monkeypatch):
    """(Tests run as root here, for whom chmod does not forbid writing: the refusal is
    injected where the run makes its folder.)"""
    before = checksums(good)

    def refuse(final, *, keep):
        raise PermissionError(13, "Permission denied", str(final))

    monkeypatch.setattr(b, "_staging", refuse)
    with pytest.raises(BuildError, match=r"could not write .* \(Permission denied\); the last "
                                         "good outputs"):
        build(SEED_STORY, notebooks=[FIRST], output=good, progress=False)
    assert checksums(good) == before


def test_a_second_build_of_the_same_story_is_refused_while_the_first_runs(good):
    before = _executed_stable(checksums(good))
    proc = _run_cli(good)
    lock = good / ".notebooks.lock"
    deadline = time.time() + 60
    while time.time() < deadline and not (lock.exists() and lock.read_text().startswith("pid")):
        time.sleep(0.05)
    with pytest.raises(BuildError, match=r"story iraq_2019_2021 is being built already \(pid "
                                         rf"{proc.pid}\)"):
        build(SEED_STORY, notebooks=[FIRST], output=good, progress=False)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert _executed_stable(checksums(good)) == before  # the first build's complete outputs


def _one_notebook(folder: Path) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    folder.mkdir()
    nb = new_notebook(cells=[new_markdown_cell("# t"),
                             new_code_cell("figures_dir = None", metadata={"tags": ["parameters"]}),
                             new_code_cell("open(f'{figures_dir}/new_chart.txt', 'w').write('x')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "01_chart.ipynb")
    return folder


def test_a_full_build_drops_outputs_the_run_no_longer_makes(tmp_path):
    folder = _one_notebook(tmp_path / "nbs")
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "old_chart.txt").write_text("from an earlier run")
    # a run of some notebooks keeps what the others made
    build(SEED_STORY, notebooks=["01_chart"], notebook_dir=folder, output=out, html=False,
          progress=False)
    assert {p.name for p in (out / "figures").iterdir()} == {"old_chart.txt", "new_chart.txt",
                                                            "README.md"}
    # a run of every notebook starts clean: nothing stale is published beside the new outputs
    build(SEED_STORY, notebook_dir=folder, output=out, html=False, progress=False)
    assert {p.name for p in (out / "figures").iterdir()} == {"new_chart.txt", "README.md"}


PATHS = notebook_paths()


@pytest.mark.parametrize("params, message", [
    ({"x=open('f','w');y": 1}, r"unknown parameter \"x=open\('f','w'\);y\"|unknown parameter 'x="),
    ({"befor": 7}, r"unknown parameter 'befor'; these notebooks take: .*before"),
    ({"before": -1}, r"'before' = -1: expected whole days from 0 to 366"),
    ({"after": 10**20}, r"'after' = 100000000000000000000: expected whole days"),
    ({"before": 2.5}, r"expected whole days"),
    ({"as_of": "20 Decembr 2020"}, r"'as_of' = '20 Decembr 2020': expected a date"),
    ({"count_tiers": "claimed"}, r"'count_tiers' = 'claimed': expected a JSON list of names"),
    ({"n_permutations": 5}, r"expected a whole number from 99 to 100,000"),
    ({"before": 300, "after": 60}, r"^build parameters: before \+ after = 360 days.*under 354"),
    ({"before": 360}, r"^build parameters: before = 360 days is not a window"),
    ({"figures_dir": "/tmp/x"}, r"'figures_dir' is set by the build: use --story or --output"),
])
def test_bad_parameters_are_refused_before_anything_runs(params, message):
    with pytest.raises(BuildError, match=message):
        check_parameters(PATHS, params)


def test_good_parameters_go_only_to_the_notebooks_that_declare_them():
    shares = check_parameters(PATHS, {"before": 14, "as_of": "2020-12-31",
                                      "count_tiers": ["claimed"]})
    by = {p.stem: v for p, v in shares.items()}
    assert by["03_anniversary_escalation"] == {"before": 14}
    assert by["02_truce_violations"] == {"as_of": "2020-12-31", "count_tiers": ["claimed"]}
    assert by["00_story"] == {}


def test_the_cli_names_a_bad_parameter_in_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--story", "iraq_2019_2021",
                           "-p", "x=open('f','w');y", "1", "--output", str(tmp_path)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("build failed: unknown parameter")
    assert "Traceback" not in proc.stderr and not (PROJECT_ROOT / "notebooks" / "f").exists()
    assert not os.path.exists(tmp_path / "figures")


@pytest.mark.browser
def test_the_notebook_html_shows_its_interactive_chart_with_the_network_off(good):
    """The HTML rendering for editors fetches nothing (no require.js or MathJax from a CDN)
    and draws its plotly chart from plotly.js inlined in the page."""
    import re
    import shutil

    page_path = good / "notebooks" / "00_story.html"
    text = page_path.read_text()
    assert not re.findall(r"<script[^>]+src=\"https?://", text)
    assert text.count('class="plotly-graph-div"') >= 1
    if shutil.which("chromium") is None:
        pytest.skip("no chromium on PATH (Debian package 'chromium'); the test installs nothing")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    fetched = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.route(re.compile(r"^https?://"),
                       lambda route: (fetched.append(route.request.url), route.abort()))
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.Plotly && document.querySelector("
                                   "'.plotly-graph-div .main-svg')", timeout=30_000)
            drawn = page.evaluate("() => document.querySelectorAll('.plotly-graph-div "
                                  ".main-svg').length")
        finally:
            browser.close()
    assert drawn >= 1 and fetched == []


def test_a_ctrl_c_that_a_library_swallows_still_stops_the_build(good, monkeypatch):
    """Python drops a KeyboardInterrupt raised in a garbage collector's callback (and a
    library may catch one): the build remembers the Ctrl-C and still keeps the old outputs."""
    import shutil

    import papermill

    before = checksums(good)

    def swallowed(path, target, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            pass  # lost, as in a weakref callback
        shutil.copy(path, target)

    monkeypatch.setattr(papermill, "execute_notebook", swallowed)
    with pytest.raises(BuildError, match="interrupted; the last good outputs in .* are untouched"):
        build(SEED_STORY, notebooks=[FIRST], output=good, progress=False, html=False)
    assert checksums(good) == before
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
