"""``leanproc gate targets.yaml``: the CI gate. Exit 0 when every target is met, 1 otherwise.

The gate file names the scenario(s) and their targets (format: `leanproc.testing.gate`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from leanproc.atomic import atomic_write
from leanproc.cli._common import (
    ProgressExecutor,
    check_output_file,
    common_options,
    positive_int,
    progress_for,
)

__all__ = ["register"]


def cmd_gate(args: argparse.Namespace) -> int:
    from leanproc.testing.gate import load_gates, run_gates, total_runs

    if args.junit:
        check_output_file(args.junit, "--junit")
    gates = load_gates(args.gate_file)
    total = total_runs(gates, args.replications)
    with progress_for(args, total, "simulating") as bar:
        report = run_gates(gates, replications=args.replications, seed=args.seed,
                           executor=ProgressExecutor(bar))
    from leanproc._labels import label
    from leanproc.cli._texts import gate_text

    print(gate_text(report, args.lang))
    if args.junit:
        path = Path(args.junit)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as handle:
            handle.write(report.junit_xml())
        print(f"{label('junit_written', args.lang)}: {path}")
    return 0 if report.passed else 1


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("gate", parents=[common_options()],
                       help="CI gate: exit 0 when every target is met, 1 otherwise",
                       description="Simulate the scenarios a gate file names and check their "
                                   "targets. Exit 0 when every target is met (its whole 95%% "
                                   "CI), 1 when any is not (the failing KPIs are named), 2 on "
                                   "a bad file.")
    p.add_argument("gate_file", metavar="targets.yaml",
                   help="gate file: `scenario:` (or `scenarios:` / `gates:`) and `targets:`")
    p.add_argument("--replications", "-n", type=positive_int, default=None,
                   help="override the file's replications per scenario (default there: 10)")
    p.add_argument("--junit", metavar="OUT.xml", help="also write a JUnit XML report")
    p.set_defaults(func=cmd_gate)
