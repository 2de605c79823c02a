"""`simulate`: the one entry point that turns a scenario into results.

It accepts whatever a user has at hand — a scenario file, a dict, a `Scenario`, or an already
bound scenario — binds it to its model once, compiles it once, and runs one or several
replications. Replication r of seed s always draws the same numbers, whichever executor runs it,
so results do not depend on how the work was spread.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import Any

import pandas as pd

from leanproc.bpmn.model import ProcessModel
from leanproc.errors import ScenarioError, SimulationError
from leanproc.inputs import DEFAULT_SEED, as_bound
from leanproc.limits import limit
from leanproc.scenario import BoundScenario, Scenario
from leanproc.scenario.spec import LAST_YEAR
from leanproc.simulation.compile import CompiledModel, compile_model
from leanproc.simulation.engine import DEFAULT_MAX_STEPS, Engine
from leanproc.simulation.result import Replications, SimulationResult
from leanproc.simulation.streams import StreamFactory

_INSTANT = re.compile(r"\s*\d{4}-\d{2}-\d{2}")  # a date starts an instant; else a duration

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
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise SimulationError(f"replications must be a whole number >= 1, got {replications!r}")
    bound = as_bound(scenario, model, caller="simulate")
    factory = StreamFactory(seed)
    until_s, horizon = until_of(bound, until)
    _check_case_count(bound, until_s)
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


MAX_CASES = limit("cases_without_horizon")


def _check_case_count(bound: BoundScenario, until_s: float | None) -> None:
    """Refuse, before running, a run whose length only its case count bounds, when that count
    is beyond any real study (10**9 cases would run for days and then exhaust memory)."""
    arrivals = bound.arrivals
    if until_s is not None or arrivals.horizon_end is not None or arrivals.times is not None:
        return  # bounded in time, or by a list the file had to hold
    if arrivals.cases is not None and arrivals.cases > MAX_CASES.value:
        raise SimulationError(
            f"arrivals.cases: {MAX_CASES.message(f'{arrivals.cases:,}')}; or bound the run in "
            f"time: add horizon: to arrivals, or until: (--until) to the run",
            source=bound.scenario.source)


def until_of(bound: BoundScenario, until: Any) -> tuple[float | None, pd.Timestamp | None]:
    """(seconds after the start, instant) of `until`: an instant, a duration or seconds."""
    if until is None:
        return None, None
    try:
        if isinstance(until, str) and not _INSTANT.match(until):
            from leanproc.scenario.durations import parse_duration

            try:
                seconds = parse_duration(until, where="until").seconds
            except ScenarioError as exc:
                raise SimulationError(exc.problems) from None
            ts = bound.start + pd.Timedelta(seconds=seconds)
        elif isinstance(until, int | float) and not isinstance(until, bool):
            seconds = float(until)
            ts = bound.start + pd.Timedelta(seconds=seconds)
        else:
            ts = pd.Timestamp(until)
            if ts.tzinfo is None:
                ts = ts.tz_localize(bound.tz)
            ts = ts.as_unit("ns")
            seconds = (ts - bound.start).total_seconds()
    except (ValueError, TypeError, OverflowError):  # pandas: unreadable or out of range
        raise SimulationError(f"until: cannot use {until!r}: give an instant after the start "
                              f"and before {LAST_YEAR} (e.g. 2024-06-01T18:00) or a duration "
                              f"such as 30d") from None
    if not seconds > 0:
        raise SimulationError(f"until: {until!r} is not after the start ({bound.start}): give a "
                              f"later instant or a positive duration such as 30d")
    if ts.year > LAST_YEAR:
        raise SimulationError(f"until: {until!r} ends in {ts.year}, after {LAST_YEAR}, the last "
                              f"year working calendars cover: give an earlier end")
    return seconds, ts
