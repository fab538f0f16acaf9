"""The shape of the code: stages import downwards only, so no two modules import each other.

Every import counts: at the top of a module, inside a function (the lazy ones that keep
``--help`` fast) and under ``if TYPE_CHECKING:``, because a circle hidden in a function is
still a circle in the design. Only imports of evidencegen's own modules are followed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import evidencegen

PACKAGE = Path(evidencegen.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The evidencegen modules one module imports anywhere in its body."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, *([node.module] if node.module else [])])
            # "from evidencegen.render import layout" imports the module layout
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imported(name, path, known) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each given as one
    cycle through it, so the failure names the modules to untangle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_cycle_in(group, graph) for group in groups]


def _cycle_in(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One import path that starts and ends at the group's first module."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return group  # unreachable for a strongly connected group


def test_no_module_imports_another_that_imports_it_back() -> None:
    graph = import_graph()
    pairs = sorted(f"{a} <-> {b}" for a in graph for b in graph[a] if a < b and a in graph[b])
    assert pairs == []


def test_no_longer_import_cycle_exists() -> None:
    cycles = [" -> ".join(c) for c in find_cycles(import_graph())]
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def test_the_check_names_a_cycle_hidden_in_a_function() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]


def test_lazy_and_type_checking_imports_are_followed(tmp_path: Path) -> None:
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
              "    from evidencegen.api import Analysis\n"
              "def f():\n    from evidencegen.readers import read_learner\n")
    path = tmp_path / "probe.py"
    path.write_text(source)
    known = {"evidencegen.api", "evidencegen.readers", "evidencegen.probe"}
    assert _imported("evidencegen.probe", path, known) == {"evidencegen.api",
                                                            "evidencegen.readers"}


def test_models_import_no_stage_that_uses_them() -> None:
    """models sits below the stages: it may use criteria, schema and the like, never the
    readers, mapping, coverage, render, api or batch that pass its types around."""
    stages = ("readers", "mapping", "coverage", "render", "api", "batch", "tracker",
              "report", "analysis")
    imported = import_graph()["evidencegen.models"]
    assert [m for m in imported if m.split(".")[1] in stages] == []


def test_no_reader_module_is_over_400_lines() -> None:
    """One module per format keeps each a size a reader can hold in mind."""
    long = {name: path.read_text(encoding="utf-8").count("\n")
            for name, path in _modules().items() if name.startswith("evidencegen.readers")}
    assert len(long) >= 6
    assert {n: c for n, c in long.items() if c > 400} == {}
