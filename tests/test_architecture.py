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
import re
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
    ("errors", "log", "limits", "atomic", "_display", "_palette", "_labels", "_view_words",
     "_names", "_view", "_workbook", "_lazy", "_xml", "_notes_ru", "durations", "<root>"),
    ("calendar",),
    ("eventlog",),
    ("bpmn",),
    ("scenario", "inputs"),  # inputs: a model, log or scenario from a path or an object
    ("kpi",),  # above inputs: kpis() takes a log file path as every function does
    ("simulation",),
    ("cost",),
    ("targets",),
    ("comparison",),
    ("optimization",),  # cheapest decisions meeting targets: sweeps, costs and targets below it
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


def test_the_readme_layout_lists_every_unit_in_layer_order() -> None:
    readme = (SRC.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    table = section.split("| folder |", 1)[0]  # the package table, before the folders'
    listed = [name.removeprefix("leanproc.") for row in table.splitlines()
              if row.startswith("| `") for name in re.findall(r"`([^`]+)`", row.split("|")[1])]
    level = {u: i for i, layer in enumerate(LAYERS) for u in layer}
    expected = set(level) - {"<root>", "__main__"}
    assert set(listed) == expected, (f"README Layout: missing {sorted(expected - set(listed))}, "
                                     f"unknown {sorted(set(listed) - expected)}")
    levels = [level[name] for name in listed]
    assert levels == sorted(levels), f"README Layout is not in layer order: {listed}"


def _subpackage(module: str) -> str | None:
    """The subpackage a module lies in (``leanproc.cost.calculator`` -> ``cost``), or None for
    the top-level modules, which are the package's shared base (errors, log, _display...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else None


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_uses(module: str, path: Path) -> Iterator[str]:
    """What `module` takes from another subpackage that is private there: an ``_name``, a
    private module (``leanproc.calendar._hours``), or ``alias._name`` on an imported module."""
    own = _subpackage(module) or _unit(module)
    def foreign(target: str) -> bool:
        return target.split(".")[0] == "leanproc" and _subpackage(target) not in (None, own)

    for target, names in _imported(module, path):
        if not foreign(target):
            continue
        if any(_is_private(part) for part in target.split(".")[2:]):
            yield target
        yield from (f"{target}.{name}" for name in names if _is_private(name))
    aliases: dict[str, str] = {}  # a name bound to a module of another subpackage
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases.update({a.asname: a.name for a in node.names if a.asname})
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            aliases.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names
                            if _is_module(f"{node.module}.{a.name}")})
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and foreign(aliases[node.value.id])
                and _is_private(node.attr)):
            yield f"{aliases[node.value.id]}.{node.attr}"


def test_no_module_takes_a_private_name_from_another_subpackage() -> None:
    # an underscore name may change without notice; what another subpackage needs is public
    found = sorted({f"{module}: {use}" for module, path in _modules()
                    for use in _private_uses(module, path)})
    assert not found, "make these public (or use a public function):\n" + "\n".join(found)


def test_the_private_name_check_sees_each_form(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text("from leanproc.targets.evaluate import MET, _RU\n"
                      "from leanproc.calendar._hours import merge_spans\n"
                      "from leanproc.cost import calculator\n"
                      "from leanproc.comparison import ladder as lad\n"
                      "calculator._fte_hours, lad._resolve, calculator.process_cost\n"
                      "from leanproc.report import _mpl\n", encoding="utf-8")
    found = set(_private_uses("leanproc.report.probe", source))
    assert found == {"leanproc.targets.evaluate._RU", "leanproc.calendar._hours",
                     "leanproc.cost.calculator._fte_hours", "leanproc.comparison.ladder._resolve"}


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
