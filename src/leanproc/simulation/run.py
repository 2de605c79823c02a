"""`simulate`: the one entry point that turns a scenario into results.

It accepts whatever a user has at hand — a scenario file, a dict, a `Scenario`, or an already
bound scenario — binds it to its model once, compiles it once, and runs one or several
replications. Replication r of seed s always draws the same numbers, whichever executor runs it,
so results do not depend on how the work was spread.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import Any

import pandas as pd

from leanproc.bpmn.model import ProcessModel
from leanproc.inputs import DEFAULT_SEED, as_bound
from leanproc.scenario import BoundScenario, Scenario
from leanproc.simulation.compile import CompiledModel, compile_model
from leanproc.simulation.engine import DEFAULT_MAX_STEPS, Engine
from leanproc.simulation.result import Replications, SimulationResult
from leanproc.simulation.streams import StreamFactory

ScenarioLike = BoundScenario | Scenario | Mapping[str, Any] | str | os.PathLike[str]


def simulate(scenario: ScenarioLike, model: ProcessModel | str | os.PathLike[str] | None = None,
             *, seed: int | None = DEFAULT_SEED, replications: int = 1, until: Any = None,
             executor: Executor | None = None, max_steps: int = DEFAULT_MAX_STEPS,
             keep_log: bool = True) -> SimulationResult | Replications:
    """Simulate a scenario.

    `seed` makes the run reproducible (byte-identical logs); with `seed=None` a random seed is
    drawn and recorded in the result. `replications > 1` returns `Replications` (independent
    runs with a KPI summary and confidence intervals). `until` (an instant, or a duration from
    the start such as ``"30d"``) stops the run there and counts cases in progress as
    unfinished; by default the run continues until every case has finished. `executor` (any
    `concurrent.futures.Executor`) runs replications in parallel with identical results.
    `keep_log=False` is the streaming mode for long runs: no event log, only the case table
    and per-activity running sums, so memory grows with cases, not with activity instances.
    """
    bound = as_bound(scenario, model, caller="simulate")
    factory = StreamFactory(seed)
    until_s, horizon = _until(bound, until)
    if replications < 1:
        raise ValueError("replications must be at least 1")
    compiled = compile_model(bound)  # once: the engine only reads the tables
    if replications == 1:
        return run_one(compiled, bound, factory.seed, 0, until_s, horizon, max_steps, keep_log)
    args = [(compiled, bound, factory.seed, r, until_s, horizon, max_steps, keep_log)
            for r in range(replications)]
    if executor is None:
        results = [run_one(*a) for a in args]
    else:
        futures = [executor.submit(run_one, *a) for a in args]
        results = [f.result() for f in futures]
    return Replications(results)


def run_one(compiled: CompiledModel, bound: BoundScenario, seed: int, replication: int,
            until_s: float | None, horizon: pd.Timestamp | None,
            max_steps: int = DEFAULT_MAX_STEPS, keep_log: bool = True) -> SimulationResult:
    """One replication of `bound`, compiled as `compiled` (a module-level function so process
    pools can pickle it; the compiled tables pickle too)."""
    engine = Engine(compiled, bound, StreamFactory(seed, replication), until=until_s,
                    max_steps=max_steps, keep_log=keep_log)
    raw = engine.run()
    return SimulationResult.from_raw(raw, bound, seed=seed, replication=replication,
                                     horizon=horizon)


def _until(bound: BoundScenario, until: Any) -> tuple[float | None, pd.Timestamp | None]:
    if until is None:
        return None, None
    if isinstance(until, str) and not until[:4].isdigit():
        from leanproc.scenario.durations import parse_duration

        seconds = parse_duration(until, where="until").seconds
        return seconds, bound.start + pd.Timedelta(seconds=seconds)
    if isinstance(until, int | float):
        return float(until), bound.start + pd.Timedelta(seconds=float(until))
    ts = pd.Timestamp(until)
    if ts.tzinfo is None:
        ts = ts.tz_localize(bound.tz)
    return (ts - bound.start).total_seconds(), ts
