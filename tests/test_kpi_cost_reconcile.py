"""Labour hours, cost and utilisation tell one story on every shipped example.

For each pool the KPIs' busy working time (``utilisation_detail.busy``: the pool's rows on its
calendar, exact integer nanoseconds) must equal the labour hours the process calculator prices
(`process_cost`: the same rows' working time on the same calendar, summed in floats), when the
KPI window covers the whole log. And utilisation, busy over available working time, lies in
[0, 1] in a simulation, where a resource does one thing at a time.

Tolerance: the two sums add the same instances' working seconds, one exactly and one in
float64 (relative rounding about 1e-16 per instance, so at most about 1e-12 over the examples'
few thousand instances); 1e-9 relative leaves room for that and still catches a single
instance of a minute missing or counted in clock time (about 1e-4 of the smallest pool's
hours here).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import leanproc
from leanproc.cost import process_cost

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCENARIOS = sorted(
    p for pattern in ("*/as-is*.yaml", "*/to-be*.yaml", "*/scenarios/*.yaml")
    for p in EXAMPLES.glob(pattern)
)
REL = 1e-9
LOG_ONLY = {"post-monitoring"}
"""Example folders about a real log, with no scenario of their own."""


def test_every_example_is_found() -> None:
    # an AS-IS and a TO-BE scenario in each example folder
    folders = {p.parent if p.parent.name != "scenarios" else p.parent.parent for p in SCENARIOS}
    assert folders == {p for p in EXAMPLES.iterdir() if p.is_dir() and p.name not in LOG_ONLY}
    assert len(SCENARIOS) == 2 * len(folders)


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: f"{p.parent.name}/{p.name}")
def run(request: pytest.FixtureRequest) -> object:
    return leanproc.simulate(request.param, seed=1)


def _whole_log_window(log: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    times = [log[c] for c in ("case:arrival", "enable_timestamp", "start_timestamp",
                              "time:timestamp") if c in log.columns]
    stacked = pd.concat(times, ignore_index=True).dropna()
    return stacked.min(), stacked.max()


def test_busy_working_hours_equal_labour_hours(run) -> None:
    log = run.log
    assert log["time:timestamp"].notna().all(), "an instance still running is priced as zero"
    report = run.kpis(window=_whole_log_window(log), warmup=pd.Timedelta(0))
    busy = report.utilisation_detail.set_index("role")["busy"] / 3600.0
    cost = process_cost(run)
    labour = cost.lines.groupby("pool", observed=True)["labour_hours"].sum()
    labour = labour[labour.index.notna()]
    worked = busy[busy > 0]
    assert set(worked.index) <= set(labour.index)  # every busy pool is priced
    assert len(worked) > 0
    for pool, hours in labour.items():
        assert busy.get(pool, 0.0) == pytest.approx(hours, rel=REL, abs=1e-9), pool


def test_utilisation_is_a_share(run) -> None:
    for report in (run.kpi, run.kpis(window=_whole_log_window(run.log),
                                     warmup=pd.Timedelta(0))):
        values = pd.Series(report.utilisation, dtype=float)
        assert len(values) > 0
        assert ((values >= 0) & (values <= 1)).all(), values.to_dict()
