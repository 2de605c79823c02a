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

Importing this package (or its pytest plugin, which every pytest run of a project with
leanproc installed loads) imports nothing heavy: the names below load on first use, and neither
the simulator nor matplotlib loads until a gate or a fixture runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leanproc._lazy import lazy_dir, lazy_getattr

if TYPE_CHECKING:  # what the lazy names are, for type checkers and readers
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

# pytest imports leanproc.testing.plugin, and with it this package, in every test session of a
# project that has leanproc installed: the targets (and pandas with them) load only when used.
_LAZY = {
    "Gate": "leanproc.testing.gate",
    "GateOutcome": "leanproc.testing.gate",
    "GateReport": "leanproc.testing.gate",
    "TargetReport": "leanproc.targets",
    "TargetsNotMet": "leanproc.targets",
    "assert_targets": "leanproc.testing.assertions",
    "load_gates": "leanproc.testing.gate",
    "run_gates": "leanproc.testing.gate",
    "targets_of": "leanproc.testing.assertions",
}

__getattr__ = lazy_getattr(__name__, _LAZY)
__dir__ = lazy_dir(globals(), __all__)
