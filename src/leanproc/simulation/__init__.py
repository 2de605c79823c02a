"""Simulation: compile a bound scenario, run the SimPy engine, replications, sweeps.

``leanproc.simulate(scenario, model=None, seed=..., replications=...)`` (defined in run.py) is
the entry point. The pieces: compile.py (integer-indexed tables from a bound scenario),
engine.py (the engine), result.py (what a run returns), sweep.py (grids of scenarios on any
executor), streaming.py (KPIs of runs without an event log), capacity.py (cases per working day
each pool can take). What a user writes and its binding to a model live in `leanproc.scenario`.
"""

from __future__ import annotations

from leanproc._lazy import lazy_dir, lazy_getattr

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

__getattr__ = lazy_getattr(__name__, _LAZY)
__dir__ = lazy_dir(globals(), __all__)
