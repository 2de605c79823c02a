"""A short, deterministic mutation run: do the tests notice small wrong changes to the code?

For each target (a group of source files and the test files that guard them) the script lists
every place an operator applies, lets a fixed seed pick about 60 of them, and for each mutant
copies ``src/`` to a temporary folder, writes the mutated file there and runs the target's tests
with ``-x`` and a timeout. A mutant is *killed* when a test fails (or the run times out), and
*survives* when every test passes. It prints the score and each survivor, so a survivor is
either a missing test or an equivalent mutant (one no test can tell apart) to be listed.

Operators (on the AST, so comments and formatting do not matter):
  compare     flip a comparison (< to >=, == to !=, in to not in, is to is not ...)
  boundary    move a comparison's boundary (< to <=, > to >=, and back)
  minmax      swap min and max
  const+1 / const-1   change a number
  negate      negate the condition of an if, while or conditional expression
  boolop      swap and / or
  arith       swap + and -, * and /
  return      return None instead of a value

    python benchmarks/mutation_smoke.py                  # every target, 60 mutants each
    python benchmarks/mutation_smoke.py --target engine --count 20 --seed 3
    python benchmarks/mutation_smoke.py --list           # only list the chosen mutants
    python benchmarks/mutation_smoke.py --target engine --at src/leanproc/simulation/resources.py:72

Run it from the repository root with the project's interpreter; it needs no installed package
beyond pytest.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SIM = "src/leanproc/simulation"
TARGETS: dict[str, tuple[list[str], list[str]]] = {
    # name: (source files, test files guarding them)
    "engine": (
        [f"{SIM}/engine.py", f"{SIM}/activities.py", f"{SIM}/gateways.py", f"{SIM}/events.py",
         f"{SIM}/resources.py"],
        # test_simulate_queueing.py (statistical M/M/c checks) is left out: it takes minutes,
        # too long to run once per mutant on a small machine
        ["tests/test_simulate_engine_rules.py", "tests/test_simulate_semantics.py"],
    ),
    "kpi": (
        ["src/leanproc/kpi/compute.py", "src/leanproc/kpi/tables.py"],
        ["tests/test_kpi_flow.py", "tests/test_kpi_lead.py", "tests/test_kpi_working_processing.py",
         "tests/test_kpi_calendar.py", "tests/test_kpi_stats.py", "tests/test_kpi_errors.py",
         "tests/test_kpi_semantics.py", "tests/test_kpi_activity_working.py",
         "tests/test_big_log_kpis.py"],
    ),
}

_FLIP: dict[type, type] = {
    ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
_BOUNDARY: dict[type, type] = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
_ARITH: dict[type, type] = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div,
                            ast.Div: ast.Mult}


@dataclass(frozen=True)
class Mutant:
    file: str
    node_no: int  # position of the mutated node in ast.walk order
    op: str
    line: int
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} [{self.op}] {self.before}  ->  {self.after}"


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Nodes no mutation should touch: docstrings and annotations (not evaluated at run time
    under ``from __future__ import annotations``, so their mutants are equivalent)."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            mark(node.returns)
            for a in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs,
                      node.args.vararg, node.args.kwarg]:
                if a is not None:
                    mark(a.annotation)
        elif isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                mark(body[0])
    return skip


def _mutations(node: ast.AST) -> list[tuple[str, ast.AST]]:
    """Every (operator, mutated copy) that applies to this one node."""
    out: list[tuple[str, ast.AST]] = []
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        op = type(node.ops[0])
        for name, table in (("compare", _FLIP), ("boundary", _BOUNDARY)):
            if op in table:
                new = copy.deepcopy(node)
                new.ops = [table[op]()]
                out.append((name, new))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("min", "max"):
        new = copy.deepcopy(node)
        assert isinstance(new.func, ast.Name)
        new.func.id = "max" if node.func.id == "min" else "min"
        out.append(("minmax", new))
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        for delta, name in ((1, "const+1"), (-1, "const-1")):
            out.append((name, ast.Constant(node.value + delta)))
    elif isinstance(node, ast.If | ast.While | ast.IfExp):
        new = copy.deepcopy(node)
        new.test = ast.UnaryOp(ast.Not(), new.test)
        out.append(("negate", new))
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append(("boolop", new))
    elif isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        new = copy.deepcopy(node)
        new.op = _ARITH[type(node.op)]()
        out.append(("arith", new))
    elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        out.append(("return", ast.Return(ast.Constant(None))))
    return out


def _show(node: ast.AST) -> str:
    if isinstance(node, ast.If | ast.While):
        return f"{type(node).__name__.lower()} {ast.unparse(node.test)}"
    text = ast.unparse(node)
    return text if len(text) <= 70 else text[:67] + "..."


def candidates(file: str) -> list[Mutant]:
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    skip = _skipped_nodes(tree)
    out = []
    for no, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        for op, new in _mutations(node):
            out.append(Mutant(file, no, op, getattr(node, "lineno", 0), _show(node), _show(new)))
    return out


def mutated_source(m: Mutant) -> str:
    tree = ast.parse((ROOT / m.file).read_text(encoding="utf-8"))

    class Swap(ast.NodeTransformer):
        def __init__(self, target: ast.AST) -> None:
            self.target = target

        def visit(self, node: ast.AST) -> ast.AST:
            if node is self.target:
                for op, new in _mutations(node):
                    if op == m.op:
                        return ast.copy_location(new, node)
            return super().visit(node)

    target = list(ast.walk(tree))[m.node_no]
    tree = ast.fix_missing_locations(Swap(target).visit(tree))
    return ast.unparse(tree)


def choose(files: list[str], count: int, seed: int) -> list[Mutant]:
    pool = [m for f in files for m in candidates(f)]
    chosen = random.Random(seed).sample(pool, min(count, len(pool)))
    return sorted(chosen, key=lambda m: (m.file, m.line, m.node_no, m.op))


def run_tests(src: Path, tests: list[str], timeout: float) -> str:
    """'passed', 'failed' or 'timeout' for the tests against the code in `src`."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
           "-o", "addopts=", *tests]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "passed" if proc.returncode == 0 else "failed"


def run_target(name: str, count: int, seed: int, timeout: float, list_only: bool,
               at: str | None = None) -> float:
    files, tests = TARGETS[name]
    tests = [t for t in tests if (ROOT / t).exists()]
    if at is None:
        mutants = choose(files, count, seed)
    else:  # every mutant on one line, e.g. to check that a new test kills a known survivor
        file, _, line = at.rpartition(":")
        mutants = [m for m in candidates(file) if m.line == int(line)]
    print(f"== {name}: {len(mutants)} mutants of {', '.join(files)} (seed {seed})")
    print(f"   tests: {' '.join(tests)}")
    if list_only:
        for m in mutants:
            print("  ", m)
        return float("nan")
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        t0 = time.perf_counter()
        if run_tests(src, tests, timeout * 3) != "passed":
            sys.exit(f"the tests of {name} fail on the unmutated code: fix them first")
        print(f"   unmutated tests pass in {time.perf_counter() - t0:.0f} s")
        survivors, killed = [], 0
        for i, m in enumerate(mutants, 1):
            path = src / Path(m.file).relative_to("src")
            original = path.read_text(encoding="utf-8")
            path.write_text(mutated_source(m), encoding="utf-8")
            try:
                outcome = run_tests(src, tests, timeout)
            finally:
                path.write_text(original, encoding="utf-8")
            if outcome == "passed":
                survivors.append(m)
            else:
                killed += 1
            print(f"   [{i:>2}/{len(mutants)}] {outcome:<7} {m}", flush=True)
    score = killed / len(mutants) if mutants else float("nan")
    print(f"== {name}: score {killed}/{len(mutants)} = {score:.0%} killed; "
          f"{len(survivors)} survived:")
    for m in survivors:
        print("   SURVIVED", m)
    return score


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", action="append", choices=sorted(TARGETS),
                    help="target to mutate (repeatable; default: all)")
    ap.add_argument("--count", type=int, default=60, help="mutants per target (default 60)")
    ap.add_argument("--seed", type=int, default=2024, help="chooses the mutants (default 2024)")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds per mutant before it counts as killed (default 120)")
    ap.add_argument("--list", action="store_true", help="list the chosen mutants, run nothing")
    ap.add_argument("--at", metavar="FILE:LINE",
                    help="instead of a random choice, every mutant of that line")
    args = ap.parse_args()
    for name in args.target or sorted(TARGETS):
        run_target(name, args.count, args.seed, args.timeout, args.list, args.at)


if __name__ == "__main__":
    main()
