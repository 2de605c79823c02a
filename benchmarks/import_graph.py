"""The subpackage import graph of leanproc, read from the source: every import counts, also
those inside functions (tests/test_architecture.py enforces the same graph's layering).

    python benchmarks/import_graph.py        # edges, imports inside functions, cycles
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "leanproc"


def unit(module: str) -> str:
    """leanproc.kpi.compute -> kpi; leanproc.errors -> errors; leanproc -> <root>."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "<root>"


def main() -> None:
    graph: nx.DiGraph[str] = nx.DiGraph()
    inside_functions = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_function = {id(node) for fn in ast.walk(tree)
                       if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
                       for node in ast.walk(fn)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    targets = [".".join(base + ([node.module] if node.module else []))]
                else:
                    targets = [node.module or ""]
            else:
                continue
            for target in targets:
                if not target.startswith("leanproc"):
                    continue
                inside_functions += id(node) in in_function
                a, b = unit(module), unit(target)
                if a != b and "<root>" not in (a, b):
                    graph.add_edge(a, b)
    print(f"imports of leanproc inside functions: {inside_functions}")
    for name in sorted(graph):
        print(f"  {name} -> {', '.join(sorted(graph.successors(name)))}")
    cycles = list(nx.simple_cycles(graph))
    print(f"cycles between subpackages: {len(cycles)}")
    for cycle in sorted(cycles, key=len)[:20]:
        print("  " + " -> ".join([*cycle, cycle[0]]))


if __name__ == "__main__":
    main()
