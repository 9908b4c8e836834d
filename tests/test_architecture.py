"""The import picture of ``analysis/``, checked by walking its source: imports go one way
(schema -> io -> events -> truces / anniversaries -> stats -> charts -> stories / build ->
cli), ``_kernels`` imports nothing of the package, no module imports another's private names,
no module grows past a page a newcomer can read, and every verb of the README is importable
from the top level."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import analysis

PACKAGE = Path(analysis.__file__).parent
#: the layers, lowest first: a module may import from its own layer or a lower one
LAYERS = (
    {"_kernels"},
    {"paths", "values", "results"},
    {"dates", "casualties", "schema", "validate"},
    {"io"},
    {"events"},
    {"truce_table", "truces", "truce_reports", "key_dates", "anniversaries"},
    {"stats", "synthetic"},
    {"charts"},
    {"story_toml", "story", "scaffold", "wording", "build", "models"},
    {"cli", "__main__"},
)
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}
#: the longest a module may be, in lines
MAX_LINES = 450


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield path, ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str):
    """(imported module, names) for every import of the package in ``path``, at any depth."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            if base.split(".")[0] == "analysis":
                yield base, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "analysis":
                    yield alias.name, []


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "analysis"


def test_every_module_has_a_layer():
    tops = {_top(m) for _, m in _modules()} - {"analysis"}
    assert tops <= set(LAYER), f"modules with no layer in LAYERS: {sorted(tops - set(LAYER))}"


def test_imports_go_one_way():
    upward = []
    for path, module in _modules():
        me = _top(module)
        if me == "analysis":  # the package's lazy top level may name anything
            continue
        for target, _ in _imports(path, module):
            other = _top(target)
            if other != me and other != "analysis" and LAYER[other] > LAYER[me]:
                upward.append(f"{module} imports {target} (layer {LAYER[other]} > {LAYER[me]})")
            if me == "_kernels" and other != "_kernels":
                upward.append(f"{module} imports {target}: kernels import nothing of the package")
    assert upward == []


def test_no_cycles_between_modules():
    graph = defaultdict(set)
    for path, module in _modules():
        for target, _ in _imports(path, module):
            if _top(target) != _top(module):
                graph[_top(module)].add(_top(target))
    seen, stack = set(), []

    def visit(node):
        if node in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(node):] + [node]))
        if node in seen:
            return
        stack.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        stack.pop()
        seen.add(node)

    for node in sorted(graph):
        visit(node)


def test_no_private_name_is_imported_across_modules():
    private = [f"{module}: from {target} import {name}"
               for path, module in _modules() for target, names in _imports(path, module)
               for name in names
               if name.startswith("_") and not name.startswith("__") and target != module]
    assert private == []


def test_no_module_is_longer_than_a_readable_page():
    long = {module: n for path, module in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_top_level_name_resolves_and_is_documented():
    assert len(analysis.__all__) >= 40
    undocumented = [name for name in analysis.__all__
                    if not (getattr(analysis, name).__doc__ or "").strip()
                    and not name.isupper()]
    assert undocumented == []
    assert set(dir(analysis)) >= set(analysis.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'flag_violation'"):
        analysis.flag_violation  # noqa: B018


@pytest.mark.parametrize(("old", "new", "name"), [
    ("analysis.models", "analysis.stats", "escalation_test"),
    ("analysis.charts.static", "analysis.charts", "plot_timeline"),
    ("analysis.charts.tables", "analysis.charts.data", "date_window"),
])
def test_a_moved_module_still_works_for_one_release_and_says_where_to_go(old, new, name):
    import importlib
    import sys

    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"import from {new}"):
        module = importlib.import_module(old)
    assert getattr(module, name) is getattr(importlib.import_module(new), name)


def test_a_moved_function_still_works_for_one_release_and_says_where_to_go():
    from analysis import scaffold, story

    with pytest.warns(DeprecationWarning, match="import it from analysis.scaffold"):
        assert story.new_story is scaffold.new_story
