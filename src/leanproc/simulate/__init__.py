"""Simulation: scenarios, the SimPy engine, replications, sweeps.

``leanproc.simulate(scenario, model=None, seed=..., replications=...)`` runs a scenario; this
package is callable as that function (see `leanproc._callable`). The pieces: scenario.py (what
a user writes, and its binding to a model), compile.py and engine.py (the engine), result.py
(what a run returns), run.py (the entry point), sweep.py (grids of scenarios on any executor),
streaming.py (KPIs of runs without an event log).
"""

from leanproc._callable import make_callable

make_callable(__name__, "leanproc.simulate.run:simulate")
