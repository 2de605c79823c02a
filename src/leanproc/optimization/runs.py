"""One replication of one candidate, as an executor runs it, and what a pilot run tells.

A job carries the candidate's compiled model and bound scenario, the seed and the replication
index: replication r of every candidate draws the same random numbers (common random numbers),
whichever executor runs it. It returns only the KPIs the optimisation reads, plus the waiting
trend that flags a queue growing without bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from leanproc.simulation.run import run_one
from leanproc.targets.measures import measure

if TYPE_CHECKING:
    import pandas as pd

    from leanproc.scenario.plans import BoundScenario
    from leanproc.simulation.compile import CompiledModel
    from leanproc.simulation.result import SimulationResult

__all__ = ["GROWTH", "Job", "growth", "pilot_load", "run_batch", "run_job"]

GROWTH = "_growth"
"""The key of the waiting trend in a job's values (see `growth`)."""

# compiled model, bound scenario, seed, replication, KPIs wanted, SLA deadlines, cost needed,
# the run's end (seconds after the start, instant; None: until every case has finished)
Job = tuple["CompiledModel", "BoundScenario", int, int, tuple[str, ...], tuple[str, ...], bool,
            "float | None", "pd.Timestamp | None"]


def growth(result: SimulationResult) -> float:
    """Mean lead time of the last third of the cases (in arrival order) over that of the middle
    third; unfinished cases count with their time until the run ended.

    A stable queue settles after its warm-up, so the ratio stays near 1; one that grows without
    bound gives each third longer waits than the one before (the first third is skipped: it
    holds the warm-up from an empty system). NaN under 30 cases."""
    cases = result.cases.sort_values("arrival", kind="stable")
    if len(cases) < 30:
        return math.nan
    end = cases["end"].fillna(cases["end"].max() if cases["end"].notna().any()
                              else cases["arrival"].max())
    lead = (end - cases["arrival"]).dt.total_seconds().to_numpy(dtype=float)
    third = len(lead) // 3
    middle, last = lead[third:2 * third].mean(), lead[2 * third:].mean()
    return float(last / middle) if middle > 0 else math.nan


def run_job(job: Job) -> dict[str, float]:
    compiled, bound, seed, replication, wanted, sla, cost, until_s, horizon = job
    result = run_one(compiled, bound, seed, replication, until_s, horizon)
    row = measure(result, sla=sla, cost=cost, structure=False)
    out = {k: float(row[k]) if k in row and row[k] is not None else math.nan for k in wanted}
    out[GROWTH] = growth(result)
    return out


def run_batch(batch: Sequence[Job]) -> list[dict[str, float]]:
    """Several jobs in one task: fewer, larger tasks for a process pool or a cluster."""
    return [run_job(job) for job in batch]


def pilot_load(result: SimulationResult) -> dict[str, tuple[float, float]]:
    """Per pool: (working seconds of work the run's cases demanded, working seconds one unit
    offers while the cases arrive). The offered load of c units is work / (c x offer): at 1
    or above, the pool cannot keep up with the arrivals however long it runs.

    The work is measured on the pool's calendar, as `leanproc.simulation.capacity` does, so a
    pool working 8 hours a day is loaded by its 8 hours, not by the clock."""
    from leanproc.simulation.capacity import capacity

    table = capacity(result)
    arrivals = result.cases["arrival"]
    lo, hi = arrivals.min(), arrivals.max()
    bound = result.bound
    out: dict[str, tuple[float, float]] = {}
    for name, plan in bound.pools.items():
        cal = plan.calendar if plan.calendar is not None else bound.calendar
        span = (float(cal.working_time(lo, hi).total_seconds()) if cal is not None
                else float((hi - lo).total_seconds()))
        per_case = float(table["work_per_case_h"].get(name, 0.0))
        work = per_case * 3600.0 * len(result.cases)
        out[name] = (work, span if np.isfinite(span) else math.nan)
    return out
