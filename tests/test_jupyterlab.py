"""Real client check: JupyterLab in headless Chromium opens 00_story.ipynb, runs all cells, and
the plotly chart renders with no cell raising. Skips (with the reason) when no browser is
present; .ci/run installs Debian's chromium so CI runs it. The test installs nothing."""

import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from analysis.paths import DATA, NOTEBOOKS, SEED_STORY

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a loopback port with a token, serving a copy of the project's
    notebooks and data (so a run cannot touch the real figures/); one for the module."""
    tmp_path = tmp_path_factory.mktemp("lab")
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian package 'chromium'; .ci/run installs it)")
    root = tmp_path / "project"
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_*"))
    shutil.copytree(DATA, root / "data", ignore=shutil.ignore_patterns("processed"))
    (root / "figures").mkdir()
    # point the copy's parameters at the copied story and folders (by default a notebook
    # writes into the project's own story folders)
    for path in (root / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, 4)
        nb.cells[1].source = (f'story_dir = "../data/{SEED_STORY}"\nfigures_dir = "../figures"\n'
                              'processed_dir = "../processed"')
        nbformat.write(nb, path)
    port, token = free_port(), secrets.token_hex(16)
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
         "--ServerApp.open_browser=False", "--ServerApp.allow_root=True"],
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text()[-2000:])
        yield url, token, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _run_all(page, url: str, token: str, notebook: str) -> None:
    """Open ``notebook`` in JupyterLab, run every cell and wait until all have run; fail on
    a cell that raised."""
    # a workspace of its own (?reset): JupyterLab would otherwise reopen the last notebook
    page.goto(f"{url}/lab/workspaces/{notebook.split('.')[0]}/tree/notebooks/{notebook}"
              f"?reset&token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands"
                           ".hasCommand('notebook:run-all-cells')", timeout=60_000)
    # the kernel must be up before "Run All", or the command does nothing
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session
                      && w.sessionContext.session.kernel;
            return k && k.status === 'idle';
        }""", timeout=120_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # wait until every code cell has run: no prompt shows [*] or [ ] any more
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=240_000)
    errors = page.locator(".jp-OutputArea-output[data-mime-type="
                          "'application/vnd.jupyter.stderr']").all_inner_texts()
    tracebacks = [e for e in errors if "Traceback" in e or "Error" in e]
    assert not tracebacks, tracebacks[:1]


def _browser(p):
    try:
        return p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
    except Exception as exc:
        pytest.skip(f"chromium could not be launched: {exc}")


def test_story_notebook_runs_all_cells_in_jupyterlab(lab):
    playwright = pytest.importorskip("playwright.sync_api")
    url, token, root = lab
    with playwright.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _run_all(page, url, token, "00_story.ipynb")
        page.wait_for_selector(".jp-OutputArea .js-plotly-plot .main-svg", timeout=60_000)
        assert page.locator(".jp-OutputArea .js-plotly-plot").count() >= 1
        browser.close()
    assert any((root / "figures").iterdir())  # the notebook wrote its figures into the copy


RESULTS_NOTEBOOK = f"""import analysis as tt
story = tt.load_story("../data/{SEED_STORY}")
daily = tt.count_events(story.load_events().events, "D")
test = tt.escalation_test(daily, story.tested_key_dates(story.key_date_table()), before=21,
                          after=7, what=story.subject)
changes = tt.detect_changepoints(daily, freq="W")
model = tt.fit_interrupted_series(daily, {{"the truce": "2020-10-10"}}, freq="W")
display(test, model)
changes"""


def test_each_result_shows_a_readable_table_in_jupyterlab(lab, tmp_path):
    """An escalation test, an interrupted series and change points, displayed in JupyterLab:
    each shows its heading, its facts, its table and its sentences (screenshot kept)."""
    playwright = pytest.importorskip("playwright.sync_api")
    url, token, root = lab
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RESULTS_NOTEBOOK)])
    # the kernel named, as the project's notebooks name it (else JupyterLab asks for one)
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "notebooks" / "results.ipynb")
    with playwright.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        _run_all(page, url, token, "results.ipynb")
        page.wait_for_selector(".jp-OutputArea .tt-result table", timeout=60_000)
        shown = page.locator(".jp-OutputArea .tt-result").all_inner_texts()
        page.locator(".jp-OutputArea").first.screenshot(path=str(tmp_path / "results.png"))
        browser.close()
    assert len(shown) == 3
    test, model, changes = shown
    assert test.startswith("Anniversary escalation test") and "95% CI" in test
    assert "rate_ratio" in test and "days in windows / other days" in test
    assert model.startswith("Interrupted time series") and "the truce" in model
    assert changes.startswith("Change points") and "changes found" in changes
    assert (tmp_path / "results.png").stat().st_size > 10_000
