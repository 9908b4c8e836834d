"""A whole story built from hostile data: every free-text column of the events, the truces
and the key dates, a column name and the story's own title carry spreadsheet formulas, HTML
that would run, Markdown links to ``javascript:`` and terminal escape sequences. Every file
the build writes is then opened the way a reader would: each CSV cell and header as a
spreadsheet sees it, the HTML pages in a real browser, the SVGs with an XML parser, the
Markdown index, the alt text and the metadata."""

from __future__ import annotations

import csv
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from analysis.build import build
from analysis.paths import DATA, SEED_STORY

PAYLOADS = (
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2;alert(1)</script>",
    '=HYPERLINK("https://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "\x1b[31mred\x1b[0m\x07",
    "[click](javascript:window.__pwned=3) **bold** `code` | pipe",
    "＝1+1",
)
FREE_TEXT = {
    "incidents.csv": ["location", "target", "notes", "source", "weapon", "claimed_by", "admin1"],
    "truces.csv": ["name", "label", "announced_by", "conditions", "notes"],
    "key_dates.csv": ["name", "label", "notes"],
}
HOSTILE_COLUMN = '=HYPERLINK("https://evil.example","header")'
#: what a spreadsheet runs: a cell starting with one of these (a number such as -3 is data)
FORMULA_START = tuple("=+@\t\r＝＋＠")
NUMBER = re.compile(r"^[-－]?\d[\d.,eE+-]*%?$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _poison(path: Path, columns: list[str], extra: str | None = None) -> None:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for j, col in enumerate(columns):
        table[col] = [f"{PAYLOADS[(i + j) % len(PAYLOADS)]} {v}".strip()
                      for i, v in enumerate(table[col])]
    if extra:
        table[extra] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(table))]
    table.to_csv(path, index=False)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The seed story with payloads everywhere text goes, built whole into a scratch folder."""
    root = tmp_path_factory.mktemp("hostile")
    story = root / "story"
    shutil.copytree(DATA / SEED_STORY, story, ignore=shutil.ignore_patterns("processed"))
    for name, columns in FREE_TEXT.items():
        _poison(story / name, columns, HOSTILE_COLUMN if name == "incidents.csv" else None)
    toml = (story / "story.toml").read_text(encoding="utf-8")
    for key in ("title", "what", "source"):
        toml = re.sub(rf'^{key} = "', f'{key} = "<img src=x onerror=\\\\"window.__pwned=5\\\\"> '
                      '=1+1 [x](javascript:alert(1)) ', toml, count=1, flags=re.MULTILINE)
    (story / "story.toml").write_text(toml, encoding="utf-8")
    out = root / "out"
    build(story, output=out, progress=False)
    return out


@pytest.mark.slow
def test_every_csv_cell_and_header_is_safe_in_a_spreadsheet(hostile):
    files = sorted(hostile.rglob("*.csv"))
    assert len(files) > 20
    risky, seen = [], 0
    for path in files:
        with open(path, newline="", encoding="utf-8") as fh:
            for r, row in enumerate(csv.reader(fh)):
                for c, cell in enumerate(row):
                    seen += 1
                    if cell.startswith(FORMULA_START) or (
                            cell.startswith(("-", "－")) and not NUMBER.match(cell)):
                        risky.append(f"{path.relative_to(hostile)} row {r} col {c}: {cell[:50]!r}")
    assert risky == []
    header = (hostile / "processed" / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "'=HYPERLINK(" in header  # the hostile column is kept, as text
    assert seen > 10_000


@pytest.mark.slow
def test_svgs_parse_and_hold_nothing_that_runs(hostile):
    svgs = sorted(hostile.rglob("*.svg"))
    assert len(svgs) >= 6
    for path in svgs:
        root = ET.parse(path).getroot()  # an escape sequence drawn as it is fails here
        for el in root.iter():
            assert el.tag.split("}")[-1] not in ("script", "foreignObject"), path
            for key, value in el.attrib.items():
                assert not key.split("}")[-1].lower().startswith("on"), (path, key)
                assert "javascript:" not in value.lower(), (path, key)
    timeline = (hostile / "figures" / "story_timeline.svg").read_text(encoding="utf-8")
    assert "\\x1b[31mred" in timeline  # the escape shown as a code, not dropped


@pytest.mark.slow
def test_markdown_alt_text_and_metadata_are_text(hostile):
    texts = sorted(hostile.rglob("*.md")) + sorted(hostile.rglob("*.alt.txt"))
    assert len(texts) >= 10
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert not CONTROL.search(text), path
        if path.suffix == ".md":  # (alt text is plain text: its "<" is a "<")
            assert not re.search(r"<[A-Za-z/!]", text), (path, re.findall(r".{0,40}<[A-Za-z/!]", text))
            # a link only when its brackets are not escaped
            assert not re.search(r"(?<!\\)\]\(javascript:", text), path
    for path in sorted(hostile.rglob("*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        assert not CONTROL.search(json.dumps(meta, ensure_ascii=False)), path


@pytest.mark.slow
@pytest.mark.browser
def test_no_payload_runs_in_any_page(hostile, chromium):
    pages = sorted(hostile.rglob("*.html"))
    assert {p.name for p in pages} >= {"00_story.html", "02_truce_violations.html",
                                       "story_timeline_interactive.html"}
    dialogs = []  # alert() from any page
    for path in pages:
        page = chromium.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_timeout(300)
        found = page.evaluate("""() => ({
            pwned: window.__pwned === undefined ? null : window.__pwned,
            images: document.querySelectorAll('img[src="x"]').length,
            links: document.querySelectorAll('a[href^="javascript:"]').length,
            shown: document.body.innerText.includes('<img src=x onerror='),
        })""")
        page.close()
        assert dialogs == [] and found["pwned"] is None, (path.name, found)
        assert found["images"] == 0 and found["links"] == 0, (path.name, found)
        if path.parent.name == "notebooks":  # the title is shown, as text
            assert found["shown"], path.name
