"""Capacity: the highest arrival rate each resource pool sustains, and the bottleneck.

For each pool, the work one case demands of it is the working time its units spent on the
run's cases divided by the number of cases (so loops and branch shares are already weighed in);
what a pool offers in a working day is its units times the day's working time on its calendar
(24 h without one). Capacity = offer / demand, in cases per working day; the pool with the
lowest capacity is the bottleneck — arrivals above that rate make its queue grow without bound.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leanproc import log as schema
from leanproc.errors import SimulationError

if TYPE_CHECKING:
    from leanproc.simulation.result import SimulationResult

_DAY = 86400.0


def capacity(result: SimulationResult) -> pd.DataFrame:
    """Per pool: units, work per case (hours), capacity (cases per working day), and whether
    it is the bottleneck. Needs the event log (not a streaming run)."""
    if result.streaming:
        raise SimulationError("capacity needs the event log: run with keep_log=True (without "
                              "--stream)")
    bound = result.bound
    log = result.log
    cases = max(len(result.cases), 1)
    rows = []
    for name, plan in bound.pools.items():
        cal = plan.calendar if plan.calendar is not None else bound.calendar
        mine = log[log[schema.ROLE] == name]
        if cal is not None:
            worked = np.nansum(cal.working_seconds(mine[schema.START], mine[schema.END]))
            day = float(cal.day_length)
        else:
            worked = (mine[schema.END] - mine[schema.START]).dt.total_seconds().sum()
            day = _DAY
        demand = float(worked) / cases
        offer = plan.count * day
        rows.append({"pool": name, "units": plan.count, "work_per_case_h": demand / 3600.0,
                     "capacity_per_day": offer / demand if demand > 0 else np.inf})
    table = pd.DataFrame(rows).set_index("pool")
    if len(table):
        table["bottleneck"] = table["capacity_per_day"] == table["capacity_per_day"].min()
    return table
