"""One definition per KPI: case start, working-time utilisation and PCE, overflow-free sums.

Expected values are worked out by hand from the calendar (ru-5x8: Mon-Fri 09:00-18:00 with a
13:00-14:00 lunch, 8 working hours a day) or computed independently with Python integers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.bpmn_text import flow_model
from leanproc.bpmn import read_bpmn
from leanproc.cost import process_cost
from leanproc.kpi import kpis
from leanproc.simulation.run import simulate

TZ = "Europe/Moscow"
CAL = "ru-5x8@Europe/Moscow"
HOUR = 3600.0


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def test_a_case_starts_at_its_earliest_instant_whatever_the_column() -> None:
    # "Register" has no enable time and completes at 11:00; "Check" is enabled at 12:00. The
    # case began at 10:00 (Register's start), not at the first enable time.
    log = pd.DataFrame({
        "case:concept:name": ["1", "1"],
        "concept:name": ["Register", "Check"],
        "enable_timestamp": [pd.NaT, ts("2024-03-04 12:00")],
        "start_timestamp": [ts("2024-03-04 10:00"), ts("2024-03-04 12:30")],
        "time:timestamp": [ts("2024-03-04 11:00"), ts("2024-03-04 13:00")],
    })
    case = kpis(log).per_case.iloc[0]
    assert case["start"] == ts("2024-03-04 10:00")
    assert case["lead"] == 3 * HOUR
    assert case["processing"] <= case["lead"]


def test_a_completion_before_every_other_instant_starts_the_case() -> None:
    # a row with a completion time only (09:30) precedes the other row's enable (10:00)
    log = pd.DataFrame({
        "case:concept:name": ["1", "1"],
        "concept:name": ["Receive", "Check"],
        "enable_timestamp": [pd.NaT, ts("2024-03-04 10:00")],
        "start_timestamp": [pd.NaT, ts("2024-03-04 10:00")],
        "time:timestamp": [ts("2024-03-04 09:30"), ts("2024-03-04 11:00")],
    })
    assert kpis(log).per_case.iloc[0]["lead"] == 1.5 * HOUR


def test_utilisation_counts_the_working_hours_of_a_task_paused_over_a_weekend() -> None:
    # one clerk, one task Friday 17:00 -> Monday 10:00: busy 2 working hours (Fri 17-18,
    # Mon 09-10), not the 65 clock hours; available Friday + Monday = 16 working hours
    log = pd.DataFrame({
        "case:concept:name": ["1"], "concept:name": ["Check"],
        "org:role": ["clerk"], "org:resource": ["Anna"],
        "start_timestamp": [ts("2024-03-01 17:00")], "time:timestamp": [ts("2024-03-04 10:00")],
    })
    report = kpis(log, CAL, window=(ts("2024-03-01 09:00"), ts("2024-03-04 18:00")))
    detail = report.utilisation_detail.set_index("role")
    assert detail.loc["clerk", "busy"] == pytest.approx(2 * HOUR)
    assert detail.loc["clerk", "available"] == pytest.approx(16 * HOUR)
    assert report.utilisation["clerk"] == pytest.approx(2 / 16)


def test_a_role_on_its_own_calendar_is_busy_in_its_own_working_time() -> None:
    # the same task for a role on duty round the clock: busy and available in clock time
    log = pd.DataFrame({
        "case:concept:name": ["1"], "concept:name": ["Check"],
        "org:role": ["guard"], "org:resource": ["Ivan"],
        "start_timestamp": [ts("2024-03-01 17:00")], "time:timestamp": [ts("2024-03-04 10:00")],
    })
    report = kpis(log, CAL, calendars={"guard": None},
                  window=(ts("2024-03-01 09:00"), ts("2024-03-04 18:00")))
    assert report.utilisation["guard"] == pytest.approx(65 / 81)


def test_value_adding_time_and_pce_have_a_working_time_form() -> None:
    # enabled Friday 16:00; "Decide" (value-adding) Fri 17:00 -> Mon 10:00 is 2 working hours,
    # "File" Mon 10:00 -> 11:00 is 1; lead time Fri 16:00 -> Mon 11:00 is 4 working hours
    log = pd.DataFrame({
        "case:concept:name": ["1", "1"], "concept:name": ["Decide", "File"],
        "enable_timestamp": [ts("2024-03-01 16:00"), ts("2024-03-04 10:00")],
        "start_timestamp": [ts("2024-03-01 17:00"), ts("2024-03-04 10:00")],
        "time:timestamp": [ts("2024-03-04 10:00"), ts("2024-03-04 11:00")],
    })
    report = kpis(log, CAL, value_activities=["Decide"])
    flat = report.as_dict()
    assert flat["value_adding_working.mean"] == pytest.approx(2 * HOUR)
    assert flat["pce_working"] == pytest.approx(2 / 4)
    assert flat["pce"] == pytest.approx(65 / 67)  # clock: 65 h of 67 h
    # with a calendar the working-time forms come first
    keys = list(flat)
    for measure in ("lead_time", "processing", "waiting", "value_adding"):
        assert keys.index(f"{measure}_working.mean") < keys.index(f"{measure}.mean")
    assert keys.index("pce_working") < keys.index("pce")
    text = str(report)
    assert text.index("processing (working)") < text.index("processing (clock)")
    assert "PCE (working)" in text


def test_wip_and_busy_time_past_292_case_years_do_not_overflow() -> None:
    # 300,000 cases of 400 days each: 328,767 case-years, beyond the 292 years an int64 sum of
    # nanoseconds holds. One row per case, one resource per case.
    n = 300_000
    t0 = ts("2020-01-01 00:00")
    step = pd.Timedelta(minutes=1)
    stay = pd.Timedelta(days=400)
    starts = t0 + step * np.arange(n)
    log = pd.DataFrame({
        "case:concept:name": np.arange(n).astype(str), "concept:name": "Hold",
        "org:role": "keeper", "org:resource": np.arange(n).astype(str),
        "start_timestamp": starts, "time:timestamp": starts + stay,
    })
    report = kpis(log)
    # independent figures in Python integers (seconds): no rounding, no overflow
    stay_s = 400 * 86_400
    window_s = (n - 1) * 60 + stay_s
    case_time_s = n * stay_s
    assert case_time_s / (365.25 * 86_400) > 292
    assert report.wip_mean == pytest.approx(case_time_s / window_s, rel=1e-12)
    assert report.lead_time.mean == pytest.approx(stay_s, rel=1e-12)
    assert report.utilisation["keeper"] == pytest.approx(case_time_s / (n * window_s), rel=1e-12)
    detail = report.utilisation_detail.set_index("role")
    assert detail.loc["keeper", "busy"] == pytest.approx(case_time_s, rel=1e-12)


def _one_clerk_around_the_clock(calendar: str | None) -> tuple[str, dict]:
    """One clerk, 40 min per case, a case every hour day and night: tasks straddle lunch and
    the night, and the queue grows during the working day."""
    model = flow_model(
        [("S", "startEvent", None), ("T", "task", "Check"), ("E", "endEvent", None)],
        [("S", "T"), ("T", "E")],
    )
    scenario = {
        "start": "2024-03-04T00:00+03:00",
        "calendar": calendar,
        "arrivals": {"interarrival": "1h", "cases": 120, "calendar": "24x7"},
        "resources": {"clerk": {"count": 1, "cost_per_hour": 600}},
        "activities": {"Check": {"resource": "clerk", "duration": "40min"}},
    }
    return model, scenario


@pytest.mark.parametrize("calendar", [CAL, None])
def test_utilisation_equals_the_simulators_and_labour_hours_equal_busy_hours(calendar) -> None:
    model, scenario = _one_clerk_around_the_clock(calendar)
    result = simulate(scenario, read_bpmn(model), seed=3)
    # the simulator measures from the scenario start to the last event: the same window
    report = result.kpis(window=(result.bound.start, None))
    assert 0.0 <= report.utilisation["clerk"] <= 1.0
    assert report.utilisation["clerk"] == pytest.approx(result.utilisation["clerk"], rel=1e-9)
    busy_h = report.utilisation_detail.set_index("role").loc["clerk", "busy"] / HOUR
    cost = process_cost(result)
    assert busy_h == pytest.approx(cost.lines.groupby("pool")["hours"].sum()["clerk"], rel=1e-9)
    assert busy_h == pytest.approx(120 * 40 / 60, rel=1e-9)  # every case's 40 working minutes


def test_per_activity_processing_has_a_working_time_form() -> None:
    # a 90-minute task started Friday 17:00 ends Monday 09:30 (1 h Friday, 30 min Monday):
    # 64.5 clock hours, 1.5 working hours
    log = pd.DataFrame({
        "case:concept:name": ["1", "2"], "concept:name": ["Check", "Check"],
        "start_timestamp": [ts("2024-03-01 17:00"), ts("2024-03-05 10:00")],
        "time:timestamp": [ts("2024-03-04 09:30"), ts("2024-03-05 11:30")],
    })
    report = kpis(log, CAL)
    row = report.per_activity.set_index("activity").loc["Check"]
    assert row["processing_working_mean"] == pytest.approx(1.5 * HOUR)
    assert row["processing_working_total"] == pytest.approx(3 * HOUR)
    assert row["processing_mean"] == pytest.approx((64.5 + 1.5) / 2 * HOUR)
    assert report.as_dict()["activity.Check.processing_working.mean"] == pytest.approx(1.5 * HOUR)
    assert "processing_working_mean" not in kpis(log).per_activity.columns
