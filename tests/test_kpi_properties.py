"""Properties of the KPIs of simulated runs over random models, calendars and scenarios.

The random models and scenarios are those of ``test_simulate_properties``; on top of them each
example draws the main calendar, a calendar per pool and the value-adding activities.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leanproc.bpmn import read_bpmn
from leanproc.cost import process_cost
from leanproc.simulation.run import simulate
from test_simulate_properties import models_and_scenarios

CALENDARS = [None, "ru-5x8@Europe/Moscow", "5x8@Asia/Tomsk", "24x7"]
# working-time instants are rounded to the nanosecond, each of a few hundred rows: 1 µs of
# slack on a per-case or per-pool comparison of seconds is far above that and far below a bug
SLACK_S = 1e-6


@st.composite
def runs(draw):
    text, scenario, pools = draw(models_and_scenarios())
    scenario["calendar"] = draw(st.sampled_from(CALENDARS))
    for name in pools:
        pools[name]["cost_per_hour"] = 500
        pool_calendar = draw(st.sampled_from([*CALENDARS, "inherit"]))
        if pool_calendar != "inherit":
            pools[name]["calendar"] = pool_calendar
    for plan in scenario["activities"].values():
        if draw(st.booleans()):
            plan["value"] = "value_adding"
    return text, scenario, draw(st.integers(0, 2**31 - 1))


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(runs())
def test_kpis_of_random_runs_keep_their_definitions(run) -> None:
    text, scenario, seed = run
    result = simulate(scenario, read_bpmn(text), seed=seed)
    # the simulator measures utilisation from the scenario start: the same window here
    report = result.kpis(window=(result.bound.start, None))

    # utilisation: a share, and the simulator's own figure; undefined (NaN) for a pool with
    # no working time in the run (a run inside the New Year holidays of ru-5x8)
    available = report.utilisation_detail.set_index("role")["available"]
    for pool, value in report.utilisation.items():
        if available[pool] == 0:
            assert np.isnan(value) and np.isnan(result.utilisation[pool]), pool
            continue
        assert 0.0 <= value <= 1.0 + 1e-12, pool
        assert np.isclose(value, result.utilisation[pool], rtol=1e-9, atol=1e-12), pool

    # labour hours priced by leanproc.cost = busy working hours of the pool
    hours = process_cost(result).lines.groupby("pool")["hours"].sum()
    busy = report.utilisation_detail.set_index("role")["busy"]
    for pool in busy.index:
        assert abs(busy[pool] - hours.get(pool, 0.0) * 3600) <= SLACK_S * len(result.log), pool

    # touch time lies inside the case's life, in clock and in working time
    cases = report.per_case[report.per_case["finished"]]
    assert (cases["processing"] <= cases["lead"] + SLACK_S).all()
    assert (cases["value_adding"] <= cases["processing"] + SLACK_S).all()
    if report.calendar is not None:
        assert (cases["processing_working"] <= cases["lead_working"] + SLACK_S).all()
        assert 0.0 <= report.pce_working <= 1.0 + 1e-12
    assert 0.0 <= report.pce <= 1.0 + 1e-12

    # Little's law: the run drains, so every case's whole stay lies in the window and
    # WIP = throughput x mean lead time holds exactly (up to float rounding)
    flat = report.as_dict(activities=False)
    assert flat["cases_finished"] == len(result.cases)
    little = flat["throughput.per_day"] * flat["lead_time.mean"] / 86_400
    assert np.isclose(flat["wip.mean"], little, rtol=1e-9)


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(runs())
def test_littles_law_on_a_run_cut_off_by_a_horizon(run) -> None:
    """Cases still open at the horizon count in WIP but not in the finished cases' lead
    time: WIP exceeds throughput x lead time by exactly their time in the window."""
    text, scenario, seed = run
    scenario["arrivals"]["cases"] = 200
    result = simulate(scenario, read_bpmn(text), seed=seed, until="12d")
    flat = result.kpis().as_dict(activities=False)
    window_s = flat["window.days"] * 86_400
    horizon = result.horizon
    assert isinstance(horizon, pd.Timestamp)
    cases = result.cases
    open_cases = cases[cases["end"].isna() & (cases["arrival"] <= horizon)]
    edge = (horizon - open_cases["arrival"]).dt.total_seconds().sum() / window_s
    little = (flat["throughput.per_day"] * flat["lead_time.mean"] / 86_400
              if flat["cases_finished"] else 0.0)
    assert np.isclose(flat["wip.mean"], little + edge, rtol=1e-9, atol=1e-12)
