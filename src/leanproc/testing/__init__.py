"""Helpers for tests and CI gates on target models.

A process office keeps its AS-IS / TO-BE models, scenarios and targets in a repository and lets
CI fail the build when a model change breaks a target. Three ways to do it:

* ``leanproc gate targets.yaml [--junit out.xml]`` on the command line (the gate file format
  is described in `leanproc.testing.gate`);
* `assert_targets(result, targets)` in any test;
* the pytest plugin (installed with leanproc, entry point ``pytest11``): session-scoped
  fixtures that simulate each scenario once and share it among tests —
  ``leanproc_simulation(scenario, replications=10)``, ``leanproc_comparison(as_is, to_be)``
  and ``leanproc_gate("targets.yaml")`` — with ``--leanproc-replications`` and
  ``--leanproc-seed`` to trade rigour for speed in CI.

Importing this package loads neither the simulator nor matplotlib.
"""

from leanproc.targets import TargetReport, TargetsNotMet
from leanproc.testing.assertions import assert_targets, targets_of
from leanproc.testing.gate import Gate, GateOutcome, GateReport, load_gates, run_gates

__all__ = [
    "Gate",
    "GateOutcome",
    "GateReport",
    "TargetReport",
    "TargetsNotMet",
    "assert_targets",
    "load_gates",
    "run_gates",
    "targets_of",
]
