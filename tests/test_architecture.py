"""The shape of the package, read from the source with `ast`: which part may import which.

Every import counts, wherever it is written (module top, inside a function, under
``TYPE_CHECKING``): an import moved into a function to dodge a cycle still makes the two
packages depend on each other, and a type-only import is still a dependency a reader follows.
Relative imports are resolved; ``from leanproc.x import y`` counts as importing ``leanproc.x.y``
when ``y`` is a module.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "leanproc"

# The layers, lowest first. A module may import its own layer's units and the layers below,
# never a layer above. A "unit" is a subpackage or a top-level module of leanproc; "<root>" is
# leanproc/__init__.py, which statically imports only the errors (its public names load lazily
# by name, see test_lower_layers_take_only_static_names_from_the_root).
LAYERS: tuple[tuple[str, ...], ...] = (
    # shared vocabulary and mechanisms, no dependencies
    ("errors", "log", "limits", "atomic", "_display", "_labels", "_workbook", "<root>"),
    ("calendar",),
    ("eventlog",),
    ("bpmn",),
    ("kpi",),
    ("scenario", "inputs"),  # inputs: a model, log or scenario from a path or an object
    ("simulation",),
    ("cost",),
    ("targets",),
    ("comparison",),
    ("mining",),
    ("interop",),
    ("report",),
    ("testing",),
    ("cli", "__main__"),
)

MAX_LINES = 600
# Modules being split into smaller ones right now; remove each entry once its split lands
# (test_allow_list_is_not_stale says when).
TOO_LONG_FOR_NOW: set[str] = set()


def _modules() -> Iterator[tuple[str, Path]]:
    """(dotted module name, path) of every module of leanproc."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def _is_module(dotted: str) -> bool:
    path = SRC.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imported(module: str, path: Path) -> Iterator[tuple[str, list[str]]]:
    """(imported leanproc module, names taken from it) for every import in the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            submodules = [f"{target}.{n}" for n in names if _is_module(f"{target}.{n}")]
            yield from ((s, []) for s in submodules)
            rest = [n for n in names if not _is_module(f"{target}.{n}")]
            if rest or not submodules:
                yield target, rest


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "<root>"


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for module, path in _modules():
        graph.add_node(_unit(module))
        for target, _ in _imported(module, path):
            if target.split(".")[0] == "leanproc" and _unit(target) != _unit(module):
                graph.add_edge(_unit(module), _unit(target), via=module)
    return graph


def test_the_import_graph_between_units_has_no_cycle() -> None:
    graph = _graph()
    cycles = sorted(nx.simple_cycles(graph), key=len)
    shown = [" -> ".join([*c, c[0]]) for c in cycles[:10]]
    assert not cycles, f"{len(cycles)} import cycle(s) between subpackages:\n" + "\n".join(shown)


def test_every_unit_has_a_declared_layer() -> None:
    declared = [u for layer in LAYERS for u in layer]
    assert len(declared) == len(set(declared)), "a unit is declared in two layers"
    missing = set(_graph()) - set(declared)
    assert not missing, f"add {sorted(missing)} to LAYERS in tests/test_architecture.py"


def test_no_layer_imports_a_higher_one() -> None:
    level = {u: i for i, layer in enumerate(LAYERS) for u in layer}
    graph = _graph()
    upward = [f"{a} -> {b} (in {graph.edges[a, b]['via']})" for a, b in graph.edges
              if a in level and b in level and level[b] > level[a]]
    assert not upward, "imports from a lower layer into a higher one:\n" + "\n".join(upward)


def test_lower_layers_take_only_static_names_from_the_root() -> None:
    # leanproc/__init__ loads its public names lazily by name; importing one of them from
    # inside the package would hide a real dependency from the checks above
    lazy = set(importlib.import_module("leanproc")._LAZY)
    found = [f"{module}: from leanproc import {name}" for module, path in _modules()
             for target, names in _imported(module, path) if target == "leanproc"
             for name in names if name in lazy]
    assert not found, "import these from their own module:\n" + "\n".join(found)


def test_no_module_is_longer_than_the_limit() -> None:
    long = {str(p.relative_to(PACKAGE)): n for _, p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    over = {k: v for k, v in long.items() if k not in TOO_LONG_FOR_NOW}
    assert not over, f"modules above {MAX_LINES} lines (split them): {over}"


def test_allow_list_is_not_stale() -> None:
    short = [name for name in sorted(TOO_LONG_FOR_NOW)
             if len((PACKAGE / name).read_text(encoding="utf-8").splitlines()) <= MAX_LINES]
    assert not short, f"{short} now fit(s) the limit: remove from TOO_LONG_FOR_NOW"


def _public_packages() -> list[str]:
    return [m for m, p in _modules() if p.name == "__init__.py" and m != "leanproc"
            and not any(part.startswith("_") for part in m.split("."))]


@pytest.mark.parametrize("package", _public_packages())
def test_public_subpackage_declares_all(package: str) -> None:
    path = SRC.joinpath(*package.split("."), "__init__.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    declared = [n for n in tree.body if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)]
    assert declared, f"{path.relative_to(SRC)} has no module-level __all__ = [...]"
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{package}.__all__ names what the package does not have: {missing}"
