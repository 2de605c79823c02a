"""Simulation: compile a bound scenario, run the SimPy engine, replications, sweeps.

``leanproc.simulate(scenario, model=None, seed=..., replications=...)`` (defined in run.py) is
the entry point. The pieces: compile.py (integer-indexed tables from a bound scenario),
engine.py (the engine), result.py (what a run returns), sweep.py (grids of scenarios on any
executor), streaming.py (KPIs of runs without an event log), capacity.py (cases per working day
each pool can take). What a user writes and its binding to a model live in `leanproc.scenario`.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Replications", "SimulationResult", "capacity", "simulate", "sweep"]

# Loaded on first use: importing one module of the package (say result.py, for a type) must not
# load the engine and SimPy with it.
_LAZY = {
    "Replications": "leanproc.simulation.result",
    "SimulationResult": "leanproc.simulation.result",
    "capacity": "leanproc.simulation.capacity",
    "simulate": "leanproc.simulation.run",
    "sweep": "leanproc.simulation.sweep",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'leanproc.simulation' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
