"""Imported Prosimos parameters run in leanproc, with the durations the JSON gives."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from leanproc import log as schema
from leanproc.interop import ProsimosWarning, from_prosimos
from leanproc.simulation.run import simulate

FIX = Path(__file__).parent / "fixtures" / "prosimos"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bpmn" / "other"
CREDIT_BPMN = (CORPUS / "AutomatedProcessImprovement+Prosimos" / "testing_scripts" / "assets"
               / "demo_example" / "Credit_Application_Simulation.bpmn")


def _mean_work(result, pool_calendars) -> dict[tuple[str, str], tuple[float, float, int]]:
    """(activity, pool) -> (mean, sd, n) of the working time between start and end."""
    log = result.log
    out = {}
    for (act, pool), rows in log.groupby([schema.ACTIVITY, schema.ROLE], observed=True):
        cal = pool_calendars.get(pool)
        if cal is None:
            work = (rows[schema.END] - rows[schema.START]).dt.total_seconds().to_numpy()
        else:
            work = np.asarray(cal.working_seconds(rows[schema.START], rows[schema.END]), float)
        out[(str(act), str(pool))] = (work.mean(), work.std(), len(work))
    return out


def test_imported_scenario_runs_with_the_json_durations():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProsimosWarning)
        scenario = from_prosimos(FIX / "small.json", FIX / "small.bpmn", cases=600)
    result = simulate(scenario, seed=11)
    bound = result.bound
    assert result.cases["end"].notna().all()
    calendars = {name: plan.calendar for name, plan in bound.pools.items()}
    names = {nid: bound.model.nodes[nid].name for nid in bound.activities}
    means = _mean_work(result, calendars)
    assert len(means) == 5  # four tasks, Check by either pool
    for nid, plan in bound.activities.items():
        for pool in plan.pools:
            dist = plan.duration_by_pool.get(pool) or plan.duration
            mean, sd, n = means[(names[nid], pool)]
            # 4.5 standard errors: a false alarm about once in 150 000 runs
            assert mean == pytest.approx(dist.mean(), abs=4.5 * sd / math.sqrt(n) + 1e-6), (
                nid, pool)
    share = (result.log[schema.ACTIVITY] == "Request documents").sum() / len(result.cases)
    assert share == pytest.approx(0.3, abs=4.5 * math.sqrt(0.3 * 0.7 / len(result.cases)))


@pytest.mark.corpus
@pytest.mark.skipif(not CREDIT_BPMN.is_file(), reason="shared corpus absent")
def test_prosimos_demo_parameters_run():
    """Prosimos' demo parameters mix both parameter conventions and exponnorm laws."""
    with pytest.warns(ProsimosWarning, match="exponnorm"):
        scenario = from_prosimos(FIX / "credit_application_demo.json", CREDIT_BPMN, cases=150)
    bound = scenario.bind()
    # two clerks with their own calendars and laws stay two pools; Credit_Officer_2 does two tasks
    assert {n: p.count for n, p in bound.pools.items()} == {
        "Clerk_2": 1, "Clerk_1": 1, "Credit_Officer_1": 1, "Credit_Officer_2": 1, "System": 1}
    assert bound.arrivals.interarrival.mean() == pytest.approx(0.839 + 1975.9, rel=0.01)
    result = simulate(scenario, seed=5)
    assert result.cases["end"].notna().all()
    assert set(result.log[schema.ROLE].astype(str)) <= set(bound.pools)
