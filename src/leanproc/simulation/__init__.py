"""Simulation: compile a bound scenario, run the SimPy engine, replications, sweeps.

``leanproc.simulate(scenario, model=None, seed=..., replications=...)`` (defined in run.py) is
the entry point. The pieces: compile.py (integer-indexed tables from a bound scenario),
engine.py (the engine), result.py (what a run returns), sweep.py (grids of scenarios on any
executor), streaming.py (KPIs of runs without an event log), capacity.py (cases per working day
each pool can take). What a user writes and its binding to a model live in `leanproc.scenario`.
"""
